"""The one count grammar and the one date grammar, for tables and for prose.

Every reader of the package (the Claims CSV, ACLED, UCDP, HXL, DTM and the text extractor)
reads counts with :mod:`stats.parse.counts` and dates with :mod:`stats.parse.dates`, so that
"115 000", "1.1 million" or "2924-01-05" mean the same everywhere, and every entry that is
not a count or a date in range comes back with the reason.
"""

from stats.parse.counts import (
    MAX_COUNT,
    Count,
    NumberFormat,
    Parsed,
    check_count,
    number_format,
    parse_counts,
    read_count,
)
from stats.parse.dates import FIRST_DAY, LAST_DAY, calendar_date, parse_dates, read_date

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_COUNT",
    "Count",
    "NumberFormat",
    "Parsed",
    "calendar_date",
    "check_count",
    "number_format",
    "parse_counts",
    "parse_dates",
    "read_count",
    "read_date",
]
