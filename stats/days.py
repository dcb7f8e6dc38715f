"""Days given as arguments (``known_on``, ``start``, ``end``, ``--known-on``): ISO dates only,
and a bound on the calendar a daily series may span.

``12/05/2024`` is 12 May in most of the world and 5 December in the United States, so only
``YYYY-MM-DD`` is read; a date object or Timestamp is taken as it is.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from stats.errors import ArgumentError

#: The longest calendar (in days) a daily series may span: a century. A mistyped year
#: (2924 for 2024, 9999-12-31) would otherwise make millions of rows per series.
MAX_SPAN_DAYS = 36_525

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_day(value, name: str) -> pd.Timestamp | None:
    """*value* as a Timestamp at midnight (``None`` stays ``None``).

    Raises
    ------
    ArgumentError
        (a ``ValueError``) naming *name* when *value* is not a ``YYYY-MM-DD`` date.

    Examples
    --------
    >>> as_day("2024-12-05", "known_on")
    Timestamp('2024-12-05 00:00:00')
    >>> as_day("12/05/2024", "known_on")
    Traceback (most recent call last):
    ...
    stats.errors.ArgumentError: known_on: '12/05/2024' is not a date (expected YYYY-MM-DD)
    """
    if value is None:
        return None
    if isinstance(value, dt.date | pd.Timestamp | dt.datetime):
        try:
            return pd.Timestamp(value).normalize()
        except (ValueError, OverflowError) as exc:
            raise ArgumentError(f"{name}: {value!r} is out of the supported range") from exc
    text = str(value).strip()
    if not _ISO.fullmatch(text):
        raise ArgumentError(f"{name}: {value!r} is not a date (expected YYYY-MM-DD)")
    try:
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except (ValueError, OverflowError) as exc:
        raise ArgumentError(f"{name}: {value!r} is not a date (expected YYYY-MM-DD)") from exc


def check_span(first, last, what: str) -> None:
    """Refuse a calendar from *first* to *last* longer than :data:`MAX_SPAN_DAYS`.

    Raises
    ------
    ArgumentError
        Naming *what*, both days and the bound.
    """
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    if (last - first).days > MAX_SPAN_DAYS:
        raise ArgumentError(
            f"{what}: the calendar from {first:%Y-%m-%d} to {last:%Y-%m-%d} spans more than "
            f"{MAX_SPAN_DAYS // 365} years (a mistyped year?)"
        )
