"""Counts of people and what happened to them (stats.extract.mentions): the metric cue words,
parts of a count, counts after their verb, and figures that are no count of people.
"""

from __future__ import annotations

import pytest
from conftest import PUB_2025, claims_of


def test_killed_and_injured_counts_each_their_own():
    got = claims_of(
        "On 3 December, airstrikes on Idleb city killed nine civilians and injured 25 others.",
        "2024-12-05",
    )
    assert got == [
        ("civilians_killed", 9, "exact", None, None, "2024-12-03", "Idleb"),
        ("injured", 25, "exact", None, None, "2024-12-03", "Idleb"),
    ]
    assert claims_of("The shelling killed or injured 30 people.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Among the dead were 12 children.", [("children_killed", 12)]),
        ("The dead include six women.", [("women_killed", 6)]),
        ("The attack killed 12 and wounded 30, rescuers said.", [("killed", 12), ("injured", 30)]),
        ("The bodies of 15 people were found in a mass grave.", [("killed", 15)]),
        ("Shelling hit Saraqib, killing at least 12, including 5 children.",
         [("killed", 12), ("children_killed", 5)]),
        ("The clashes resulted in the deaths of 22 soldiers and the wounding of another 40.",
         [("combatants_killed", 22), ("injured", 40)]),
        ("He was wounded 3 times.", []),
    ],
)  # fmt: skip
def test_bare_counts_after_their_verb(sentence, expected):
    assert [(m, v) for m, v, *_ in claims_of(sentence)] == expected


def test_refugees_hosted_are_not_a_crossing():
    assert claims_of("Turkey hosts some 3 million Syrian refugees.") == []
    assert claims_of("Over 100,000 refugees have arrived in Lebanon.")[0][:3] == (
        "refugees",
        100000,
        "more_than",
    )


AID_CONTEXT = [
    "WFP has reached 120,000 people with ready-to-eat meals since 29 November.",
    "Some 16.7 million people need humanitarian assistance in Syria in 2024.",
    "Partners distributed 3,000 shelter kits and 12,000 blankets to families in Idleb.",
    "UNICEF said 4,000 children were vaccinated in the past week.",
    "Around 1,500 patients were evacuated from the National Hospital in Hama.",
    "The UN has appealed for $4 billion for 2025, of which 30 per cent is funded.",
    "The convoy of 14 trucks crossed through Bab al-Hawa carrying aid for 25,000 people.",
    "Two million people have been without electricity since Monday.",
    "About 40,000 students missed school as 120 schools closed.",
    "At least 300 people attended the funeral of the five victims in Azaz.",
    "The population of Idleb is estimated at 4 million people, half of them displaced.",
]


@pytest.mark.parametrize("sentence", AID_CONTEXT)
def test_aid_and_population_figures_are_not_claims(sentence):
    assert claims_of(sentence) == []


MENTIONS = [
    # "among the dead are ...": the parts of the dead named before them, in every language
    ("pt", "Entre os mortos estão 12 crianças e 7 mulheres.", [("children_killed", 12, "exact", None, None), ("women_killed", 7, "exact", None, None)]),
    ("es", "Entre los muertos hay cinco niños.", [("children_killed", 5, "exact", None, None)]),
    ("fr", "Parmi les morts figurent 9 enfants.", [("children_killed", 9, "exact", None, None)]),
    ("de", "Unter den Toten sind drei Kinder.", [("children_killed", 3, "exact", None, None)]),
    ("de", "Laut UN seien fünf Kinder unter den Opfern.", [("children_killed", 5, "exact", "UN", None)]),
    ("fr", "Le bilan est de 40 martyrs incluant 11 enfants.", [("killed", 40, "exact", None, None), ("children_killed", 11, "exact", None, None)]),
    # "N of them children": a part of the count before
    ("es", "Once muertos, cuatro de ellos niños.", [("killed", 11, "exact", None, None), ("children_killed", 4, "exact", None, None)]),
    ("en", "The strike killed 9 people, three of them children.", [("killed", 9, "exact", None, None), ("children_killed", 3, "exact", None, None)]),
    # Arabic: short vowels inside a verb, the dual of a verb, a count ended by "because of"
    (
        "ar",
        "قالت الوزارة إن مدنيين اثنين استُشهدا وأصيب 9 جراء القصف.",
        [("civilians_killed", 2, "exact", None, None), ("injured", 9, "exact", None, None)],
    ),
    ("ar", "وأفادت المصادر أن شخصا قُتل وجُرح 4 إثر الغارة.", [("killed", 1, "exact", None, None), ("injured", 4, "exact", None, None)]),
    # an apposition closed by a comma ("most of them women") does not end the clause
    ("en", "More than 9,480 people, most of them women and children, have been killed.", [("killed", 9480, "more_than", None, None)]),
    ("es", "Más de 9.480 habitantes, la mayoría mujeres, han muerto.", [("killed", 9480, "more_than", None, None)]),
    ("de", "Mehr als 200 Menschen, die meisten Zivilisten, wurden getötet.", [("killed", 200, "more_than", None, None)]),
    # Arabic: a verb before its subject ("نزح 7455 شخصا")
    ("ar", "نزح 7,455 شخصاً في يوم واحد.", [("displaced", 7455, "exact", None, None)]),
    ("ar", "عاد 1200 شخص إلى منازلهم.", [("returnees", 1200, "exact", None, None)]),
    # forced to flee, and "le déplacement d'au moins N"
    ("fr", "Plus de 4 000 personnes ont été forcées de fuir.", [("displaced", 4000, "more_than", None, None)]),
    ("fr", "Les combats ont causé le déplacement d'au moins 3 700 personnes.", [("displaced", 3700, "at_least", None, None)]),
    ("pt", "Mais de 900 pessoas foram obrigadas a fugir.", [("displaced", 900, "more_than", None, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "expected"), MENTIONS)
def test_counts_of_people_in_each_language(lang, text, expected):
    assert [c[:5] for c in claims_of(text, PUB_2025, lang)] == expected
