"""Who counted and which days a count covers: general rules of attribution and periods.

Each case is a rule of the language, written as a short sentence in the style of the wires;
none is a sentence of the development corpus. The publication date is Friday 14 March 2025.
"""

from __future__ import annotations

import pandas as pd
import pytest

from stats import vocab
from stats.extract import extract_raw

PUB = "2025-03-14"


def rows(text: str, lang: str | None = None) -> list[tuple]:
    """(metric, value, qualifier, counted_by, period_start, period_end) per claim."""
    out = []
    for r in extract_raw(text, PUB, lang=lang).itertuples():
        by = None if pd.isna(r.counted_by) else vocab.canonical_source(r.counted_by)
        start = None if pd.isna(r.period_start) else str(r.period_start)
        value = int(r.value) if pd.notna(r.value) else None
        out.append((r.metric, value, r.qualifier, by, start, str(r.period_end)))
    return out


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
    got = rows(text, lang)
    assert got and all(r[3] == counter for r in got)


def test_the_agency_refers_back_to_the_last_counter_of_its_kind():
    got = rows(
        "The International Organization for Migration said 10,000 people fled Goma.\n"
        "The UN agency said 2,000 people were displaced in Sake."
    )
    assert [r[3] for r in got] == ["IOM", "IOM"]


def test_a_counter_carries_to_a_later_paragraph_only_when_the_report_goes_on():
    got = rows(
        "The health ministry of Lebanon said 20 people were killed in Tyre.\n"
        "The war has killed thousands of people.\n"
        "It added that 14 people were wounded in Sidon."
    )
    assert [r[3] for r in got] == ["Lebanese Health Ministry", None, "Lebanese Health Ministry"]


PERIODS = [
    # a month abbreviation ends at a word end: "17 martyrs" is no date
    ("en", "During the past 24 hours, 17 martyrs were recorded, the ministry said.", PUB),
    # since an event, with its date
    (
        "en",
        "Over 880,000 people have been displaced since the start of the escalation on 27 November.",
        "2024-11-27",
    ),
    (
        "es",
        "Casi 90.000 personas huyeron desde que los paramilitares la capturaron el pasado 26 de "
        "octubre.",
        "2024-10-26",
    ),
    # a day "of this month" is in the month of the publication
    ("pt", "Pelo menos 12 pessoas morreram desde o dia 3 deste mês.", "2025-03-03"),
    ("fr", "Au moins 12 personnes ont été tuées depuis le 3 de ce mois.", "2025-03-03"),
    # Portuguese "a 7 de outubro": on a day, after the start of a war
    ("pt", "A guerra começou a 7 de outubro e matou 1.200 pessoas.", "2024-10-07"),
    # a span of a year
    ("es", "Más de 2.700 personas murieron en el último año.", "2024-03-15"),
    # a weekday before the day of a span
    (
        "fr",
        "Au moins 700 personnes ont été tuées entre le dimanche 26 janvier et le jeudi 30 janvier.",
        "2025-01-26",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "start"), PERIODS)
def test_period_start(lang, text, start):
    got = rows(text, lang)
    assert got and got[0][4] == start


def test_a_month_of_two_words():
    from datetime import date

    from stats.extract.language import load_lexicon
    from stats.extract.periods import find_periods

    got = find_periods("منذ 26 تشرين الأول", date(2025, 3, 14), load_lexicon("ar"))
    assert [(p.kind, str(p.start)) for p in got] == [("since", "2024-10-26")]


def test_a_report_said_on_a_day_gives_that_day_to_the_sentences_that_go_on_with_it():
    got = rows(
        "The Lebanese Ministry of Health said on Wednesday that the toll has risen.\n"
        "It added that during the past 24 hours, 17 people were killed."
    )
    assert got == [("killed", 17, "exact", "Lebanese Health Ministry", "2025-03-12", "2025-03-12")]
    # the day of an event is not the day of the report
    got = rows(
        "According to the Observatory, 12 people fled Homs on Thursday.\n"
        "The Observatory said 30 people died in one week."
    )
    assert got[1][4:] == ("2025-03-08", PUB)


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
    assert rows(text, lang)[0][1:3] == expected
