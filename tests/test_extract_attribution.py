"""Who counted (stats.extract.attribution): the counter of a count, named in its sentence,
referred back to, carried from the paragraph or the document before, in each language.

Each case is a rule of the language, written as a short sentence in the style of the wires;
none is a sentence of the development corpus.
"""

from __future__ import annotations

import pytest
from conftest import P10, PUB, PUB_2025, claims_of

from stats.extract import extract_claims

COUNTERS = [
    # a counter's full name in another language, in any case, after an elided article
    (
        "fr",
        "Plus de 99.000 civils ont été déplacés, selon l’Organisation internationale pour les "
        "migrations.",
        "IOM",
    ),
    ("fr", "Au moins 40 personnes ont été tuées, selon l'OMS.", "WHO"),
    ("es", "Casi 90.000 personas huyeron, informó la organización internacional para las migraciones.", "IOM"),
    # a counter in brackets at the end of the sentence
    ("en", "As of 27 February, 98,875 IDPs remain displaced (IOM DTM).", "IOM"),
    # a country as the subject of a verb of saying is its government; a place is not
    ("en", "Niger says jihadists killed 12 soldiers near the border.", "Nigerien government"),
    ("de", "Libanon meldet 100 Tote nach israelischem Angriff.", "Lebanese government"),
    ("en", "The health ministry in Gaza said 27 people were killed.", "Gaza Health Ministry"),
    # a national counter is named for the country nearest to it, not the attacker's
    ("en", "At least 224 killed in Israeli strikes on Iran: Health Ministry", "Iranian Health Ministry"),
    # adjectives between "according to" and the counter
    (
        "de",
        "Nach Angaben der proiranischen Huthi-Miliz wurden mindestens acht Menschen getötet.",
        "Houthis",
    ),
    # a generic counter of the lexicon ("officials") is named, not an unnamed source
    ("en", "Twelve civilians were killed in the border villages of India, officials said.", "Indian authorities"),
    # the words of a report between "according to" and its counter
    ("en", "Strikes killed 31 people, according to casualty figures released by the Houthis.", "Houthis"),
    # a name that starts with a reference word is a name ("O Ministério da Saúde de Gaza")
    ("pt", "O Ministério da Saúde de Gaza indicou que 40 pessoas morreram.", "Gaza Health Ministry"),
    # "according to" after a perpetrator introduces the counter, it is no verb of the perpetrator
    (
        "fr",
        "Au moins 70 personnes ont été tuées par les rebelles du M23, entre le 2 et le 5 mars, "
        "selon l'ONU.",
        "UN",
    ),
    # the agent of a passive is not the one who says
    ("pt", "O Ministério da Saúde do território governado pelo Hamas afirmou que 30 pessoas morreram.", "Gaza Health Ministry"),
    # the one told is not the counter; an army named for its country
    ("en", "Five civilians were killed in the border villages of India, officials told AFP.", "Indian authorities"),
    ("fr", "Au moins 12 personnes ont été tuées, a déclaré à l'AFP un responsable.", None),
    # an army is that of its country
    ("ar", "قال الجيش الإسرائيلي إنه قتل 12 مسلحا في غزة.", "IDF"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "counter"), COUNTERS)
def test_counter_of_a_sentence(lang, text, counter):
    got = claims_of(text, PUB_2025, lang)
    assert got and all(r[3] == counter for r in got)


@pytest.mark.parametrize(
    ("sentence", "counter"),
    [
        ("SOHR activists have documented the death of 7 civilians in Deraa.", "SOHR"),
        ("According to a new toll by the Observatory, 300 people were killed.", "SOHR"),
        ("The hostilities left more than 800 dead, according to an NGO.", None),
        ("The Britain-based war monitor said 40 soldiers died.", "SOHR"),
        ("The Observatory's director Rami Abdel Rahman said 50 fighters were killed.", "SOHR"),
        ("The UN Deputy Regional Humanitarian Coordinator, David Carden, said 12 children died.",
         "UN"),
        ("According to the latest figures from OCHA, 48,500 people have been displaced.", "OCHA"),
        ("The United Nations Office for Humanitarian Affairs (OCHA) said 48,500 people fled.",
         "OCHA"),
        ("More than 100 people died, SOHR said, while OCHA said 20,000 people had fled.", "SOHR"),
        ("Activists said 20 people were killed in Idlib.", None),
    ],
)  # fmt: skip
def test_attribution_wordings(sentence, counter):
    assert claims_of(sentence, P10)[0][3] == counter


SAYING = [
    # the other persons and tenses of the verbs of saying name the counter
    ("es", "La OIM reporta que 2.600 personas han huido.", [("displaced", 2600, "exact", "IOM", None)]),
    ("pt", "A ONU diz que 40 civis morreram.", [("civilians_killed", 40, "exact", "UN", None)]),
    ("fr", "L'OIM a signalé que 500 personnes ont fui.", [("displaced", 500, "exact", "IOM", None)]),
    ("de", "Die UN berichten, dass 30 Zivilisten getötet wurden.", [("civilians_killed", 30, "exact", "UN", None)]),
    # "according to" followed by a verb of saying: the verb's subject is the counter
    ("es", "Murieron 12 personas, según informó la ONU.", [("killed", 12, "exact", "UN", None)]),
    ("pt", "Morreram 12 pessoas, segundo informou a ONU.", [("killed", 12, "exact", "UN", None)]),
    ("ar", "قتل 12 شخصا بحسب ما أفادت الأمم المتحدة.", [("killed", 12, "exact", "UN", None)]),
    # "according to a count by": the words of a count or a statement before the counter
    ("pt", "Morreram 1.218 pessoas, segundo uma contagem da AFP.", [("killed", 1218, "exact", "AFP", None)]),
    ("es", "Murieron 90 personas, según un recuento de la ONU.", [("killed", 90, "exact", "UN", None)]),
    # "according to the following breakdown" names no source: the counter stays that of the
    # paragraph before, which ends with a colon and names who published the report
    (
        "ar",
        "وجاء في تفاصيل التقرير الذي نشره المرصد السوري:\nقتل 12 مدنيا وفق التوزيع التالي:",
        [("civilians_killed", 12, "exact", "SOHR", None)],
    ),
    (
        "en",
        "The report published by SOHR reads:\n12 civilians were killed in Hama.",
        [("civilians_killed", 12, "exact", "SOHR", None)],
    ),
    # a counter, the place it is of, an apposition, then the verb of saying
    ("pt", "O Ministério da Saúde da Faixa de Gaza, governado pelo Hamas, reportou 40 mortos.", [("killed", 40, "exact", "Gaza Health Ministry", None)]),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "expected"), SAYING)
def test_verbs_of_saying_in_each_language(lang, text, expected):
    assert [c[:5] for c in claims_of(text, PUB_2025, lang)] == expected


def test_counter_named_earlier_and_referred_back():
    text = (
        "The Syrian Observatory for Human Rights said fighting continued.\n"
        "Separately, the monitor said 40 fighters were killed near Hama.\n"
        "The group later said 12 civilians died in Idlib."
    )
    got = claims_of(text)
    assert [(m, c) for m, _v, _q, c, *_ in got] == [
        ("combatants_killed", "SOHR"),
        ("civilians_killed", "SOHR"),
    ]


def test_unnamed_source_is_no_counter_and_plain_mention_is_not_attribution():
    got = claims_of(
        "UNHCR is assessing movements. Several thousand Syrians have crossed back into Syria. "
        "The strikes killed 30 people, according to an NGO."
    )
    assert [c for _m, _v, _q, c, *_ in got] == [None, None]


def test_perpetrator_is_not_the_counter():
    got = claims_of("Syrian Democratic Forces (SDF) killed 27 civilians, SNHR said.")
    assert got[0][3] == "SNHR"


def test_anaphora_keeps_the_counter_of_the_previous_sentence():
    text = "The UN said 826 people were killed since November 27. Of these, 111 were civilians."
    text += " Of this total, 222 fighters died around Hama."
    got = claims_of(text)
    # the counter and the period of the total carry over to the part
    assert got[-1] == ("combatants_killed", 222, "exact", "UN", "2024-11-27", PUB, "Hama")


def test_document_published_by_a_counter_is_its_counter():
    c = extract_claims(
        "At least 12 civilians were killed on Monday.", PUB, url="https://snhr.org/blog/x"
    )
    assert c["counted_by"].tolist() == ["SNHR"]


def test_organisation_unknown_to_the_vocabulary_is_named_as_written():
    got = claims_of("At least 81 civilians have been killed, according to the Health Cluster.")
    assert got[0][3] == "Health Cluster"


def test_national_counters_are_named_for_their_country():
    assert claims_of("The Lebanese health ministry said 17 people were killed.", PUB_2025)[0][
        3
    ] == ("Lebanese Health Ministry")
    got = claims_of(
        "Le ministère libanais de la Santé a indiqué que 17 personnes ont été tuées.", PUB_2025
    )
    assert got[0][3] == "Lebanese Health Ministry"
    # no country named and none the document is about: no name is made up
    assert claims_of("The health ministry said 17 people were killed.", PUB_2025)[0][3] is None


def test_the_agency_refers_back_to_the_last_counter_of_its_kind():
    got = claims_of(
        "The International Organization for Migration said 10,000 people fled Goma.\n"
        "The UN agency said 2,000 people were displaced in Sake.",
        PUB_2025,
    )
    assert [r[3] for r in got] == ["IOM", "IOM"]


def test_a_counter_carries_to_a_later_paragraph_only_when_the_report_goes_on():
    got = claims_of(
        "The health ministry of Lebanon said 20 people were killed in Tyre.\n"
        "The war has killed thousands of people.\n"
        "It added that 14 people were wounded in Sidon.",
        PUB_2025,
    )
    assert [r[3] for r in got] == ["Lebanese Health Ministry", None, "Lebanese Health Ministry"]
