"""The date grammar: calendar days as written in tables and as read from prose.

Every date the package reads passes through :func:`calendar_date` (one day from year, month
and day) or :func:`parse_dates` (a column), which share one range: :data:`FIRST_DAY` to
:data:`LAST_DAY`. A date outside it is rejected with that reason, never wrapped or
overflowed (``datetime64[ns]`` ends in 2262; a typo of 2924 for 2024 must not become 1755).

Notes
-----
The range, 1900-01-01 to 2100-12-31, holds every figure a casualty record can cover (the
UCDP and ACLED records start in 1989 and 1997; historical lists in the early 20th century) and
rejects typos by a digit in the century (2924, 1024, 9999).
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa_
import pyarrow.compute as pc

from stats.errors import ArgumentError
from stats.parse.counts import Parsed, reasons_at

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)

NOT_A_DATE = "not a date: expected YYYY-MM-DD"
NO_SUCH_DAY = "not a date: no such day in the calendar (such as 2024-02-30)"
OUT_OF_RANGE = f"date out of range: expected a day from {FIRST_DAY} to {LAST_DAY}"

#: the reasons :func:`parse_dates` gives, by code (-1: none)
_REASONS = (NOT_A_DATE, NO_SUCH_DAY, OUT_OF_RANGE)
_IN_RANGE, _NOT_A_DATE, _NO_SUCH_DAY, _OUT_OF_RANGE = -1, 0, 1, 2

_ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$"


def calendar_date(year: int, month: int, day: int) -> date | None:
    """The day, or ``None`` when there is no such day or it is out of range.

    Examples
    --------
    >>> calendar_date(2024, 2, 29), calendar_date(2024, 2, 30), calendar_date(2924, 1, 5)
    (datetime.date(2024, 2, 29), None, None)
    """
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(text: str | date | pd.Timestamp, what: str = "date") -> date:
    """One date given as an argument or a field: ``YYYY-MM-DD`` (a time after it ignored),
    or a date object, in range; :class:`~stats.errors.ArgumentError` (a
    :class:`~stats.errors.UserError` and a ``ValueError``) naming ``what``, the value and
    the reason otherwise. The same grammar as :func:`parse_dates`, for one value.

    ``12/05/2024`` is 12 May in most of the world and 5 December in the United States, so
    only the ISO order is read.

    Examples
    --------
    >>> read_date("2024-11-28T06:41")
    datetime.date(2024, 11, 28)
    >>> read_date("12/05/2024", "known_on")
    Traceback (most recent call last):
    ...
    stats.errors.ArgumentError: known_on: '12/05/2024': not a date: expected YYYY-MM-DD
    >>> read_date("9999-12-31", "--published")
    Traceback (most recent call last):
    ...
    stats.errors.ArgumentError: --published: '9999-12-31': date out of range: expected a day from 1900-01-01 to 2100-12-31
    """
    if isinstance(text, pd.Timestamp | datetime):
        text = text.date()
    if isinstance(text, date):
        if calendar_date(text.year, text.month, text.day) is None:
            raise ArgumentError(f"{what}: {text.isoformat()!r}: {OUT_OF_RANGE}")
        return text
    dates = parse_dates(pd.Series([str(text)], dtype="str"))
    if dates.bad.iloc[0] or dates.values.isna().iloc[0]:
        reason = dates.reason.iloc[0] if dates.bad.iloc[0] else NOT_A_DATE
        raise ArgumentError(f"{what}: {str(text).strip()!r}: {reason}")
    return dates.values.iloc[0].date()


def parse_dates(values: pd.Series, formats: tuple[str, ...] = ("%Y-%m-%d",)) -> Parsed:
    """Parse a column of dates to ``datetime64[ns]`` at midnight, with the reason for each
    entry that is not a date in range.

    ISO dates (``YYYY-MM-DD``, optionally followed by a time, which is dropped) are read first,
    by integer arithmetic; ``formats[1:]`` (``strftime`` formats such as ``"%d %B %Y"``) are
    tried on the rest. Blank cells are missing, not errors.

    Examples
    --------
    >>> p = parse_dates(pd.Series(["2024-11-27", "2024-11-28 00:00:00", "", "2024-02-30",
    ...                            "2924-01-05", "27/11/2024"]))
    >>> [x.strftime("%Y-%m-%d") if pd.notna(x) else None for x in p.values]
    ['2024-11-27', '2024-11-28', None, None, None, None]
    >>> p.reason.str[:14].tolist()
    [nan, nan, nan, 'not a date: no', 'date out of ra', 'not a date: ex']
    """
    s = pd.Series(values, copy=False)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        d = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        d = d.dt.normalize()
        out = (d < pd.Timestamp(FIRST_DAY)) | (d > pd.Timestamp(LAST_DAY))
        reason = pd.Series(np.where(out, OUT_OF_RANGE, None), index=s.index, dtype="str")
        return Parsed(d.where(~out).astype("datetime64[ns]"), reason)
    if s.dtype != "str":
        s = s.astype("str").where(s.notna())
    # each distinct entry is read once (a column of a million dates holds a few thousand)
    codes, uniques = pd.factorize(s)
    days, code = _text_dates(pa_.array(uniques, pa_.large_string()), formats)
    days = np.append(days, np.datetime64("NaT", "ns"))[codes]  # code -1 (missing): NaT
    code = np.append(code, _IN_RANGE)[codes]
    days = pd.Series(days, index=s.index, copy=False)
    return Parsed(days, reasons_at(code, _REASONS, s.index))


def _text_dates(a, formats: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Dates as text (a pyarrow string array) to ``datetime64[ns]`` and a reason code per
    entry (see :func:`_iso_days`): ISO dates by :func:`_iso_days`, then ``formats[1:]``."""
    a = pc.utf8_trim_whitespace(a)
    blank = _mask(pc.or_kleene(pc.is_null(a), pc.equal(a, "")))
    iso = _mask(pc.match_substring_regex(a, _ISO))
    head = pc.if_else(iso, pc.utf8_slice_codeunits(a, 0, 10), pa_.scalar(None, a.type))
    days, code = _iso_days(head)
    code = np.where(iso | blank, code, _NOT_A_DATE)
    todo = ~iso & ~blank
    if len(formats) > 1 and todo.any():
        raw = pd.Series(a.to_pandas())[todo]
        for fmt in formats[1:]:
            got = pd.to_datetime(raw, format=fmt, errors="coerce")
            ok = got.notna()
            if ok.any():
                y = got[ok].dt.year
                in_range = ((y >= FIRST_DAY.year) & (y <= LAST_DAY.year)).to_numpy()
                at = got.index[ok].to_numpy()
                code[at] = np.where(in_range, _IN_RANGE, _OUT_OF_RANGE)
                days[at[in_range]] = got[ok][in_range].to_numpy(dtype="datetime64[ns]")
            raw = raw[~ok]
            if raw.empty:
                break
    return days, code


def _mask(a) -> np.ndarray:
    return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)


def _iso_days(head) -> tuple[np.ndarray, np.ndarray]:
    """``YYYY-MM-DD`` strings (null where not ISO) to ``datetime64[ns]`` and a reason code per
    entry (an index into :data:`_REASONS`; ``-1`` where it is a day in range, or null). Integer
    arithmetic, no per-row parsing; the year is checked first, so that no date outside the
    range reaches ``datetime64[ns]``."""

    def part(start, stop):
        v = pc.cast(pc.utf8_slice_codeunits(head, start, stop), pa_.int64())
        return np.asarray(pc.fill_null(v, 0).to_numpy(zero_copy_only=False), dtype="int64")

    y, m, d = part(0, 4), part(5, 7), part(8, 10)
    valid = _mask(pc.is_valid(head))
    in_range = valid & (y >= FIRST_DAY.year) & (y <= LAST_DAY.year)
    yy = np.where(in_range, y, 2000)
    month = ((yy - 1970) * 12 + np.clip(m, 1, 12) - 1).astype("datetime64[M]")
    first = month.astype("datetime64[D]")
    length = ((month + 1).astype("datetime64[D]") - first).astype("int64")
    real = (m >= 1) & (m <= 12) & (d >= 1) & (d <= length)
    ok = in_range & real
    days = first + np.clip(d - 1, 0, None).astype("timedelta64[D]")
    code = np.where(ok | ~valid, _IN_RANGE, np.where(in_range, _NO_SUCH_DAY, _OUT_OF_RANGE))
    return np.where(ok, days, np.datetime64("NaT")).astype("datetime64[ns]"), code
