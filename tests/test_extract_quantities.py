"""Quantities as written (stats.extract.quantities): digits, number words, vague terms and
qualifiers, read alone and in sentences of each language.
"""

from __future__ import annotations

import pytest
from conftest import PUB_2025, claims_of

from stats.extract import quantities as Q
from stats.extract.language import load_lexicon

EN = load_lexicon("en")


def number_value(text):
    return Q.number_value(text, EN)


def words_to_int(text):
    return Q.words_value(text, EN)


def read_quantity_of(text):
    """The quantity of a text with the qualifier before it, as the extractor reads it."""
    p = Q.patterns(EN)
    m = p.core.search(text)
    qb = p.qual_before.search(text, 0, m.start())
    return Q.read_quantity(m, EN, qb.group("qual") if qb else "")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("115,000", 115000),
        ("1.1 million", 1100000),
        ("2.5m", 2500000),
        ("3k", 3000),
        ("826", 826),
        ("forty", 40),
        ("forty-four", 44),
        ("two hundred", 200),
        ("a dozen", 12),
        ("half a million", 500000),
        ("one million", 1000000),
        ("twelve thousand five hundred", 12500),
        ("12.5", None),
        ("many", None),
    ],
)
def test_number_values(text, value):
    assert number_value(text) == value


def test_words_to_int_rejects_non_numbers():
    assert words_to_int("a") is None and words_to_int("people") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("more than 800", (800, "more_than", None, None)),
        ("over 150,000", (150000, "more_than", None, None)),
        ("at least 12", (12, "at_least", None, None)),
        ("nearly 14,000", (14000, "about", None, None)),
        ("almost 300", (300, "about", None, None)),
        ("around 50", (50, "about", None, None)),
        ("some 3,000", (3000, "about", None, None)),
        ("an estimated 400,000", (400000, "about", None, None)),
        ("approximately 200", (200, "about", None, None)),
        ("up to 5,000", (5000, "at_most", None, None)),
        ("fewer than 100", (100, "less_than", None, None)),
        ("between 800,000 and one million", (None, "range", 800000, 1000000)),
        ("5,000 to 6,000 people", (None, "range", 5000, 6000)),
        ("dozens", (None, "vague", 24, 99)),
        ("hundreds", (None, "vague", 200, 999)),
        ("thousands", (None, "vague", 2000, 9999)),
        ("tens of thousands", (None, "vague", 20000, 99999)),
        ("hundreds of thousands", (None, "vague", 200000, 999999)),
        ("several thousand", (None, "vague", 2000, 9999)),
        ("half a million", (500000, "about", None, None)),
    ],
)
def test_quantities_and_qualifiers(text, expected):
    assert read_quantity_of(text)[:4] == expected


def test_reversed_range_is_not_read():
    assert read_quantity_of("between 30 and 20") is None


def test_counts_in_words_without_digits():
    got = claims_of("Thirteen civilians and fifteen soldiers were killed; ninety others fled.")
    assert [(m, v) for m, v, *_ in got] == [
        ("civilians_killed", 13),
        ("combatants_killed", 15),
        ("displaced", 90),
    ]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Plus d'un million de personnes ont fui, selon l'ONU.", (1_000_000, "more_than")),
        ("fr", "Près d'1,05 million de personnes ont fui.", (1_050_000, "about")),
        ("fr", "On estime que 850 personnes ont été déplacées.", (850, "about")),
        ("es", "Se estima que 3.000 personas huyeron.", (3000, "about")),
    ],
)
def test_elided_and_estimate_qualifiers(lang, text, expected):
    assert claims_of(text, PUB_2025, lang)[0][1:3] == expected


QUANTITIES = [
    # a verb of estimating earlier in the clause makes the count "about"
    ("es", "Se estima que un total de 4.120 personas huyeron.", [("displaced", 4120, "about", None, None)]),
    ("fr", "L'ONU estime que 3.000 personnes ont fui.", [("displaced", 3000, "about", "UN", None)]),
    ("en", "The agency estimated an additional 2,300 people fled.", [("displaced", 2300, "about", None, None)]),
    # Arabic: a thousand with its tanween and units after it, the singular after a thousand
    ("ar", "ارتفع عدد النازحين إلى 12 ألفاً و340 نازحاً.", [("displaced", 12340, "exact", None, None)]),
    ("ar", "أدت الحرب إلى مقتل نحو 40 ألف شخص.", [("killed", 40000, "about", None, None)]),
    # a person counted one ("ein Mensch", "una persona")
    ("de", "In Kiew ist ein Mensch ums Leben gekommen.", [("killed", 1, "exact", None, None)]),
    ("es", "Una persona murió en el ataque.", [("killed", 1, "exact", None, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "expected"), QUANTITIES)
def test_quantities_in_each_language(lang, text, expected):
    assert [c[:5] for c in claims_of(text, PUB_2025, lang)] == expected
