"""Dates and periods (stats.extract.periods): dates resolved against the publication date, the
phrases of a period, and the first day of a count in sentences of each language, stated or
carried from the report a sentence goes on with.
"""

from __future__ import annotations

from datetime import date

import pytest
from conftest import PUB_2025, claims_of

from stats.extract import extract_raw
from stats.extract.language import load_lexicon
from stats.extract.periods import find_periods, parse_date, period_start

EN = load_lexicon("en")


def test_parse_dates_relative_to_publication():
    p = date(2024, 12, 6)  # a Friday
    assert parse_date("Tuesday", p, EN) == date(2024, 12, 3)
    assert parse_date("Friday", p, EN) == p
    assert parse_date("last Friday", p, EN) == date(2024, 11, 29)
    assert parse_date("November 27", p, EN) == date(2024, 11, 27)
    assert parse_date("27th November", p, EN) == date(2024, 11, 27)
    assert parse_date("28.11.2024", p, EN) == date(2024, 11, 28)
    assert parse_date("yesterday", p, EN) == date(2024, 12, 5)
    # a date well after publication belongs to the year before
    assert parse_date("20 December", date(2025, 1, 2), EN) == date(2024, 12, 20)


@pytest.mark.parametrize(
    ("phrase", "published", "start", "end"),
    [
        ("since November 27", "2024-12-06", "2024-11-27", "2024-12-06"),
        ("since Tuesday", "2024-12-06", "2024-12-03", "2024-12-06"),
        ("in one week", "2024-12-06", "2024-11-30", "2024-12-06"),
        ("in the last week", "2024-12-06", "2024-11-30", "2024-12-06"),
        ("over the past 7 days", "2024-12-06", "2024-11-30", "2024-12-06"),
        ("in three days", "2024-11-28", "2024-11-26", "2024-11-28"),
        ("from 26 to 28 November", "2024-11-30", "2024-11-26", "2024-11-28"),
        ("since 2011", "2024-12-06", "2011-01-01", "2024-12-06"),
        ("as of 28 November", "2024-11-30", None, "2024-11-28"),
        ("for one month as of 31 December", "2025-01-02", "2024-12-01", "2024-12-31"),
        ("in late November", "2024-12-06", None, "2024-12-06"),
        ("to date", "2024-12-06", None, "2024-12-06"),
        ("in the last few days", "2024-12-06", None, "2024-12-06"),
    ],
)
def test_period_phrases(phrase, published, start, end):
    got = claims_of(f"At least 40 civilians were killed {phrase}.", published)
    assert got[0][4:6] == (start, end)


def test_period_start_of_a_span():
    assert period_start(date(2024, 11, 28), 3, None) == date(2024, 11, 26)
    assert period_start(date(2024, 3, 31), None, 1) == date(2024, 3, 1)
    assert period_start(date(2024, 3, 5), None, None) is None


def test_find_periods_kinds():
    p = date(2024, 12, 6)
    kinds = [x.kind for x in find_periods("Since 27 November and as of 3 December", p, EN)]
    assert kinds == ["since", "asof"]
    assert find_periods("no dates at all", p, EN) == []


def test_over_the_past_days_is_a_period_not_a_qualifier():
    got = extract_raw("40 people were killed over the past 3 days.", "2025-03-14", lang="en")
    assert got[["metric", "value", "qualifier"]].values.tolist() == [["killed", 40, "exact"]]
    assert str(got["period_start"].iloc[0]) == "2025-03-12"


PERIODS = [
    # a month abbreviation ends at a word end: "17 martyrs" is no date
    ("en", "During the past 24 hours, 17 martyrs were recorded, the ministry said.", PUB_2025),
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
    got = claims_of(text, PUB_2025, lang)
    assert got and got[0][4] == start


def test_a_month_of_two_words():
    from datetime import date

    from stats.extract.language import load_lexicon
    from stats.extract.periods import find_periods

    got = find_periods("منذ 26 تشرين الأول", date(2025, 3, 14), load_lexicon("ar"))
    assert [(p.kind, str(p.start)) for p in got] == [("since", "2024-10-26")]


def test_a_report_said_on_a_day_gives_that_day_to_the_sentences_that_go_on_with_it():
    got = claims_of(
        "The Lebanese Ministry of Health said on Wednesday that the toll has risen.\n"
        "It added that during the past 24 hours, 17 people were killed.",
        PUB_2025,
    )
    assert [r[:6] for r in got] == [
        ("killed", 17, "exact", "Lebanese Health Ministry", "2025-03-12", "2025-03-12")
    ]
    # the day of an event is not the day of the report
    got = claims_of(
        "According to the Observatory, 12 people fled Homs on Thursday.\n"
        "The Observatory said 30 people died in one week.",
        PUB_2025,
    )
    assert got[1][4:6] == ("2025-03-08", PUB_2025)


STARTS = [
    # a count that goes on with a counter's report and states no period starts where that
    # counter's last count since a stated day started
    (
        "pt",
        "A ONU disse que 1.799 pessoas morreram desde 7 de outubro.\nEntre os mortos estão 583 crianças, segundo a organização.",
        [("killed", 1799, "exact", "UN", "2024-10-07"), ("children_killed", 583, "exact", "UN", "2024-10-07")],
    ),
    (
        "en",
        "The UN said 1,799 people had been killed since 7 October.\nIt added that 583 children were among the dead.",
        [("killed", 1799, "exact", "UN", "2024-10-07"), ("children_killed", 583, "exact", "UN", "2024-10-07")],
    ),
    # "since the start of the war" with no date starts on the last day a count ran from
    (
        "es",
        "Desde el 7 de octubre murieron 1.799 personas.\nDesde el inicio de la guerra murieron 583 niños.",
        [("killed", 1799, "exact", None, "2024-10-07"), ("children_killed", 583, "exact", None, "2024-10-07")],
    ),
    (
        "ar",
        "قتل 1799 شخصا منذ 7 أكتوبر.\nقتل 583 طفلا منذ بدء الحرب.",
        [("killed", 1799, "exact", None, "2024-10-07"), ("children_killed", 583, "exact", None, "2024-10-07")],
    ),
    (
        "de",
        "Seit dem 7. Oktober wurden 1.799 Menschen getötet.\nSeit Beginn des Krieges wurden 583 Kinder getötet.",
        [("killed", 1799, "exact", None, "2024-10-07"), ("children_killed", 583, "exact", None, "2024-10-07")],
    ),
    ("en", "Since the start of the war, 583 children were killed.", [("children_killed", 583, "exact", None, None)]),
    # "since April 2023" is the first of the month, not of the year
    ("en", "Since April 2023, 150 people have been killed.", [("killed", 150, "exact", None, "2023-04-01")]),
    ("fr", "Depuis avril 2023, 150 personnes ont été tuées.", [("killed", 150, "exact", None, "2023-04-01")]),
    ("ar", "قتل 150 شخصا منذ أبريل 2023.", [("killed", 150, "exact", None, "2023-04-01")]),
    # "since late October" is vague: no first day
    ("en", "More than 5,000 people have fled since late October.", [("displaced", 5000, "more_than", None, None)]),
    ("es", "Más de 5.000 personas han huido desde finales de octubre.", [("displaced", 5000, "more_than", None, None)]),
    ("en", "More than 200 people were wounded since early January.", [("injured", 200, "more_than", None, "2025-01-01")]),
    ("fr", "Plus de 200 personnes ont été blessées depuis début janvier.", [("injured", 200, "more_than", None, "2025-01-01")]),
    # a date ending in a year before "to N" is a date, then a count ("... 2023 إلى 68,519")
    ("ar", "ارتفعت الحصيلة منذ 7 أكتوبر 2023 إلى 6,519 شهيدًا و17,382 مصاباً.", [("killed", 6519, "exact", None, "2023-10-07"), ("injured", 17382, "exact", None, "2023-10-07")]),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "expected"), STARTS)
def test_first_day_of_a_count_in_each_language(lang, text, expected):
    assert [c[:5] for c in claims_of(text, PUB_2025, lang)] == expected
