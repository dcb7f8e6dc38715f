"""The one date grammar (stats.parse.dates): one table of cases, read alone and in columns."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from conftest import reasons

from stats.days import as_day
from stats.errors import ArgumentError, UserError
from stats.parse import calendar_date, parse_dates, read_date
from stats.parse import dates as D

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


@pytest.mark.parametrize("date_text", ["2262-04-12", "2924-01-05", "9999-12-31", "1600-01-01"])
def test_a_claims_row_with_a_date_out_of_range_is_rejected_not_overflowed(date_text):
    from stats.contract import validate

    row = {"metric": "killed", "value": "3", "qualifier": "exact", "period_end": date_text,
           "published": "2024-12-02"}  # fmt: skip
    valid, rejects = validate(pd.DataFrame([row], dtype="str"), source_file="c.csv")
    assert valid.empty and rejects["reason"].tolist()[0] == D.OUT_OF_RANGE


def test_a_column_reads_each_date_as_it_reads_it_alone():
    # each distinct entry is read once, as in parse_counts
    dates = pd.Series([t for t, _e in DATES] * 2 + ["", None], dtype="str")[::-1]
    p = parse_dates(dates)
    for text, value, why in zip(dates, p.values, p.reason, strict=True):
        alone = parse_dates(pd.Series([text], dtype="str"))
        assert (pd.isna(value) and pd.isna(alone.values.iloc[0])) or value == alone.values.iloc[0]
        assert (pd.isna(why) and pd.isna(alone.reason.iloc[0])) or why == alone.reason.iloc[0]
    assert p.values.index.equals(dates.index)
