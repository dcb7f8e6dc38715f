"""Days given as arguments (``known_on``, ``start``, ``end``, ``--known-on``), read by the one
date grammar (:func:`stats.parse.read_date`: ``YYYY-MM-DD`` in range), and a bound on the
calendar a daily series may span.
"""

from __future__ import annotations

import pandas as pd

from stats.errors import ArgumentError
from stats.parse.dates import read_date

#: The longest calendar (in days) a daily series may span: a century. A mistyped year
#: (2924 for 2024, 9999-12-31) would otherwise make millions of rows per series.
MAX_SPAN_DAYS = 36_525


def as_day(value, name: str) -> pd.Timestamp | None:
    """*value* (``YYYY-MM-DD``, a date or a Timestamp) as a Timestamp at midnight; ``None``
    stays ``None``.

    Raises
    ------
    ArgumentError
        (a ``ValueError``) naming *name*, the value and the reason when *value* is not a date
        of the grammar (see :func:`stats.parse.read_date`).

    Examples
    --------
    >>> as_day("2024-12-05", "known_on")
    Timestamp('2024-12-05 00:00:00')
    >>> as_day("12/05/2024", "known_on")
    Traceback (most recent call last):
    ...
    stats.errors.ArgumentError: known_on: '12/05/2024': not a date: expected YYYY-MM-DD
    """
    return None if value is None else pd.Timestamp(read_date(value, name))


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
