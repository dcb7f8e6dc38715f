"""``stats.days``: days given as arguments (the grammar's cases are in test_parse.py) and the
bound on the calendar a daily series may span."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from stats.days import MAX_SPAN_DAYS, as_day, check_span
from stats.errors import ArgumentError


def test_as_day_takes_dates_and_timestamps_at_midnight_and_none_stays_none():
    assert as_day(None, "known_on") is None
    assert as_day(dt.date(2024, 12, 5), "known_on") == pd.Timestamp("2024-12-05")
    assert as_day(pd.Timestamp("2024-12-05 17:30"), "known_on") == pd.Timestamp("2024-12-05")
    assert as_day(dt.datetime(2024, 12, 5, 9), "start") == pd.Timestamp("2024-12-05")
    with pytest.raises(ArgumentError, match=r"start: '1800-01-01': date out of range"):
        as_day(dt.date(1800, 1, 1), "start")


def test_check_span_refuses_more_than_a_century():
    first = pd.Timestamp("1950-01-01")
    check_span(first, first + pd.Timedelta(days=MAX_SPAN_DAYS), "end")  # exactly the bound
    with pytest.raises(ArgumentError, match=r"end: the calendar from 1950-01-01 to .* spans more"):
        check_span(first, first + pd.Timedelta(days=MAX_SPAN_DAYS + 1), "end")
