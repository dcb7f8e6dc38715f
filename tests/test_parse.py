"""The one count grammar and the one date grammar (stats.parse): one table of cases each."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from stats.days import as_day
from stats.errors import ArgumentError, UserError
from stats.parse import MAX_COUNT, calendar_date, parse_counts, parse_dates, read_count, read_date
from stats.parse import counts as C
from stats.parse import dates as D


def reasons(parsed) -> list:
    return [None if pd.isna(r) else r for r in parsed.reason]


#: (text, language, value or the reason it is none)
COUNTS = [
    ("826", None, 826),
    ("115,000", None, 115000),
    ("115 000", None, 115000),
    ("115\u00a0000", None, 115000),
    ("115\u202f000", None, 115000),
    ("1.1 million", None, 1100000),
    ("2.5m", None, 2500000),
    ("3k", None, 3000),
    ("3.0", None, 3),
    ("007", None, 7),
    ("0", None, 0),
    ("1.383", "de", 1383),
    ("1.383", "es", 1383),
    ("1.383", "pt", 1383),
    ("1.383", "fr", 1383),
    ("1 383", "fr", 1383),
    ("1,5 million", "fr", 1500000),
    ("1,5 millones", "es", 1500000),
    ("2,5 Millionen", "de", 2500000),
    ("1,2 milhões", "pt", 1200000),
    ("١٢", "ar", 12),
    ("٣٬٥٠٠", "ar", 3500),
    ("1,5", "de", C.FRACTION),
    ("1.383", "en", C.FRACTION),
    ("1.000", None, C.AMBIGUOUS),
    ("12.5", None, C.FRACTION),
    ("1,2,3", None, C.SEPARATORS),
    ("1,5 million", "en", C.SEPARATORS),
    ("12,00", None, C.SEPARATORS),
    ("1e30", None, C.EXPONENT),
    ("1E3", None, C.EXPONENT),
    ("NaN", None, C.NAN),
    ("inf", None, C.INFINITE),
    ("-inf", None, C.INFINITE),
    ("-3", None, C.NEGATIVE),
    ("about 100", None, C.NOT_A_NUMBER),
    ("abc", None, C.NOT_A_NUMBER),
    ("12345678901234567", None, C.TOO_LARGE),
    ("9223372036854775808", None, C.TOO_LARGE),
    ("99999999999999999999", None, C.TOO_LARGE),
    ("10000000001", None, C.TOO_LARGE),
    ("10000000000", None, MAX_COUNT),
    ("3.7 billion", None, 3700000000),
    ("20 billion", None, C.TOO_LARGE),
]


@pytest.mark.parametrize(("text", "lang", "expected"), COUNTS)
def test_count_grammar(text, lang, expected):
    got = read_count(text, lang)
    if isinstance(expected, int):
        assert got == (expected, None)
    else:
        assert got == (None, expected)


def test_a_million_digits_are_read_in_linear_time_and_rejected():
    assert read_count("9" * 1_000_000).reason == C.TOO_LARGE


def test_parse_counts_gives_the_reason_per_cell_and_blank_is_missing():
    texts = [t for t, lang, _e in COUNTS if lang is None]
    p = parse_counts(pd.Series([*texts, "", None, "  "], dtype="str"))
    want = [e for _t, lang, e in COUNTS if lang is None]
    assert p.values.tolist()[: len(texts)] == [e if isinstance(e, int) else pd.NA for e in want]
    assert reasons(p)[: len(texts)] == [None if isinstance(e, int) else e for e in want]
    assert p.values[len(texts) :].isna().all() and not p.bad[len(texts) :].any()
    assert str(p.values.dtype) == "Int64"


def test_parse_counts_of_numbers():
    p = parse_counts(pd.Series([12.0, 12.5, np.inf, 1e30, np.nan, -1.0]))
    assert p.values.tolist()[:1] == [12] and p.values[1:].isna().all()
    assert reasons(p) == [None, C.FRACTION, C.INFINITE, C.TOO_LARGE, None, C.NEGATIVE]
    ints = parse_counts(pd.Series([3, 2**62], dtype="int64"))
    assert ints.values.tolist()[0] == 3 and reasons(ints)[1] == C.TOO_LARGE


def test_cells_of_digits_alone_get_the_value_read_count_gives():
    # read in one vectorised step (the commonest cell); every other cell by read_count
    cells = ["826", "0", "0826", "9999999999", "10000000000", "00000000001", "١٢", " 7", "7 "]
    cells += ["12345678901234567890", "+5", "1,000", "", None]
    p = parse_counts(pd.Series(cells, dtype="str"))
    for cell, value, why in zip(cells, p.values, p.reason, strict=True):
        if cell is None or not cell.strip():
            assert pd.isna(value) and pd.isna(why)
            continue
        want = read_count(cell)
        assert (None if pd.isna(value) else value) == want.value, cell
        assert (None if pd.isna(why) else why) == want.reason, cell
    low = parse_counts(pd.Series(["5", "50"], dtype="str"), limit=10)
    assert low.values.tolist() == [5, pd.NA] and reasons(low)[1] == "not a count: above 10"


def test_parse_counts_limit_for_ids_and_timestamps():
    p = parse_counts(pd.Series(["1733443200", "123456789012"], dtype="str"), limit=2**53)
    assert p.values.tolist() == [1733443200, 123456789012]
    with pytest.raises(ValueError, match="2\\^53"):
        parse_counts(pd.Series(["1"]), limit=2**60)


#: (text, the day or the reason it is none)
DATES = [
    ("2024-11-27", date(2024, 11, 27)),
    ("2024-02-29", date(2024, 2, 29)),
    ("2024-12-31T23:59:59Z", date(2024, 12, 31)),
    ("2024-11-28 00:00:00.000", date(2024, 11, 28)),
    (" 2024-01-01 ", date(2024, 1, 1)),
    ("1900-01-01", date(1900, 1, 1)),
    ("2100-12-31", date(2100, 12, 31)),
    ("2023-02-29", D.NO_SUCH_DAY),
    ("2024-13-01", D.NO_SUCH_DAY),
    ("2024-04-31", D.NO_SUCH_DAY),
    ("2024-1-1", D.NOT_A_DATE),
    ("27/11/2024", D.NOT_A_DATE),
    ("2262-04-12", D.OUT_OF_RANGE),
    ("2924-01-05", D.OUT_OF_RANGE),
    ("9999-12-31", D.OUT_OF_RANGE),
    ("1600-01-01", D.OUT_OF_RANGE),
    ("1899-12-31", D.OUT_OF_RANGE),
    ("0000-00-00", D.OUT_OF_RANGE),
]


def test_date_grammar():
    p = parse_dates(pd.Series([t for t, _e in DATES] + ["", None], dtype="str"))
    for (text, expected), value, reason in zip(DATES, p.values, p.reason, strict=False):
        if isinstance(expected, date):
            assert value == pd.Timestamp(expected) and pd.isna(reason), text
        else:
            assert pd.isna(value) and reason == expected, text
    assert p.values[-2:].isna().all() and not p.bad[-2:].any()
    assert str(p.values.dtype) == "datetime64[ns]"


@pytest.mark.parametrize(("text", "expected"), [*DATES, ("12/05/2024", D.NOT_A_DATE)])
def test_every_date_argument_is_read_by_the_one_grammar(text, expected):
    # read_date (fields, --published, the DATE line), as_day (known_on, start, end, and the
    # commands' --known-on, --start, --end) and a dataset's start: the cases of the table
    readers = [lambda t: read_date(t, "what"), lambda t: as_day(t, "what").date()]
    for read in readers:
        if isinstance(expected, date):
            assert read(text) == expected, text
        else:
            with pytest.raises(
                ArgumentError, match=re.escape(f"what: {text.strip()!r}: {expected}")
            ):
                read(text)
    assert isinstance(ArgumentError("x"), UserError | ValueError)


def test_other_formats_are_range_checked_too():
    p = parse_dates(pd.Series(["27 November 2024", "5 May 2924", "x"]), ("%Y-%m-%d", "%d %B %Y"))
    assert p.values[0] == pd.Timestamp("2024-11-27") and p.values[1:].isna().all()
    assert reasons(p) == [None, D.OUT_OF_RANGE, D.NOT_A_DATE]


def test_dates_already_parsed_are_range_checked():
    s = pd.Series(pd.to_datetime(["2024-11-27", "1800-01-01"]))
    p = parse_dates(s)
    assert p.values[0] == pd.Timestamp("2024-11-27") and pd.isna(p.values[1])
    assert reasons(p) == [None, D.OUT_OF_RANGE]


def test_read_date_and_calendar_date():
    assert read_date("2024-11-28T06:41") == date(2024, 11, 28)
    assert read_date(date(2024, 1, 2)) == date(2024, 1, 2)
    with pytest.raises(UserError, match=r"--published: '2924-01-05': date out of range"):
        read_date("2924-01-05", "--published")
    with pytest.raises(UserError, match=r"DATE line: '28 November': not a date"):
        read_date("28 November", "DATE line")
    assert calendar_date(2024, 2, 30) is None and calendar_date(1600, 1, 1) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e30", C.EXPONENT),
        ("NaN", C.NAN),
        ("inf", C.INFINITE),
        ("1,2,3", C.SEPARATORS),
        ("12.5", C.FRACTION),
        ("12345678901234567", C.TOO_LARGE),
        ("9223372036854775808", C.TOO_LARGE),
    ],
)
def test_a_claims_row_is_rejected_with_the_grammars_reason_only(value, reason):
    from stats.contract import validate

    row = {"metric": "killed", "value": value, "qualifier": "exact", "period_end": "2024-12-01",
           "published": "2024-12-02"}  # fmt: skip
    valid, rejects = validate(pd.DataFrame([row], dtype="str"), source_file="c.csv")
    assert valid.empty
    assert rejects[["column", "value", "reason"]].values.tolist() == [["value", value, reason]]


@pytest.mark.parametrize("date_text", ["2262-04-12", "2924-01-05", "9999-12-31", "1600-01-01"])
def test_a_claims_row_with_a_date_out_of_range_is_rejected_not_overflowed(date_text):
    from stats.contract import validate

    row = {"metric": "killed", "value": "3", "qualifier": "exact", "period_end": date_text,
           "published": "2024-12-02"}  # fmt: skip
    valid, rejects = validate(pd.DataFrame([row], dtype="str"), source_file="c.csv")
    assert valid.empty and rejects["reason"].tolist()[0] == D.OUT_OF_RANGE


@pytest.mark.parametrize(("count", "reason"), [(np.inf, C.INFINITE), (1e30, C.TOO_LARGE)])
def test_mse_counts_are_read_by_the_grammar(count, reason):
    from stats import mse

    data = pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1.0, count]})
    with pytest.raises(UserError, match=f"row 2, column 'count': value .*: {reason[:20]}"):
        mse.estimate(data)


def test_a_column_reads_each_entry_as_it_reads_it_alone():
    # each distinct entry is read once: repeats, blanks and missing entries in any order give
    # what the entry gives alone
    texts = [t for t, lang, _e in COUNTS if lang is None] + ["", "  ", None]
    column = pd.Series(texts * 3, dtype="str").sample(frac=1, random_state=1)
    whole = parse_counts(column)
    for text, value, why in zip(column, whole.values, whole.reason, strict=True):
        alone = parse_counts(pd.Series([text], dtype="str"))
        assert value is alone.values.iloc[0] or value == alone.values.iloc[0], text
        assert (pd.isna(why) and pd.isna(alone.reason.iloc[0])) or why == alone.reason.iloc[0]
    assert whole.values.index.equals(column.index) and whole.reason.index.equals(column.index)
    dates = pd.Series([t for t, _e in DATES] * 2 + ["", None], dtype="str")[::-1]
    p = parse_dates(dates)
    for text, value, why in zip(dates, p.values, p.reason, strict=True):
        alone = parse_dates(pd.Series([text], dtype="str"))
        assert (pd.isna(value) and pd.isna(alone.values.iloc[0])) or value == alone.values.iloc[0]
        assert (pd.isna(why) and pd.isna(alone.reason.iloc[0])) or why == alone.reason.iloc[0]
    assert p.values.index.equals(dates.index)


def test_numbers_that_compare_equal_read_alike():
    # (distinct entries are found by hashing: 1, 1.0 and True are one entry)
    p = parse_counts(pd.Series([1, 1.0, True, 2.5, None, "3"], dtype=object))
    assert p.values.tolist() == [1, 1, 1, pd.NA, pd.NA, 3]
    assert reasons(p) == [None, None, None, C.FRACTION, None, None]
