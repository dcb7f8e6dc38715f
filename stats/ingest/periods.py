"""Dates and periods as written in English reports, resolved against the publication date.

:func:`find_periods` lists the period phrases of a sentence ("since November 27", "from 26 to
28 November", "as of 28 November", "on Thursday", "in three days", "since 2011", "in this
period"), each with the first and/or last day it states.

Notes
-----
* A date without a year takes the publication year, or the year before when that would put
  it more than a week after publication.
* A weekday ("since Tuesday", "on Thursday") is the latest such day on or before publication.
* A span of N days includes its last day: "in three days" ending 28 November starts on
  26 November; "in one week" starts 6 days before its end; "for one month" ending 31 December
  starts on 1 December.
* Vague periods ("late November", "to date", "in the last few days") give no date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from stats.ingest.numbers import number_value, one_of

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
#: (the names grouped by first letter: see :func:`stats.ingest.numbers.one_of`)
_M = (
    "(?:"
    + one_of(
        "January February March April May June July August September October November December "
        r"Jan\.? Feb\.? Mar\.? Apr\.? Jun\.? Jul\.? Aug\.? Sept\.? Sep\.? Oct\.? Nov\.? Dec\.?".split(),
        ignorecase=True,
    )
    + ")"
)
_D = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?:19|20)\d{2}"
_WD = (
    "(?:"
    + one_of("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(), ignorecase=True)
    + ")"
)
#: one calendar day (or a weekday, today, yesterday)
DATE = (
    rf"(?:{_D}\s+(?:of\s+)?{_M}(?:,?\s+{_Y})?"
    rf"|{_M}\s+{_D}(?:,?\s+{_Y})?(?!\d)"
    r"|\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2}"
    rf"|(?:(?:last|this|next|on)\s+)?{_WD}|today|yesterday)"
)
_DAYISH = rf"(?:{DATE}|{_D})"
_NUMW = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a|an|a\s+single)"
)
_UNIT = r"(?:days?|weeks?|months?|hours?)"

_PHRASES = [
    (
        "span",
        rf"\b(?:from|between|on)\s+(?P<s>{_DAYISH})\s*,?\s*(?:to|and|until|till|through|-|–)"
        rf"\s+(?P<e>{DATE})",
    ),
    (
        "span",
        rf"\bsince\s+(?P<s>{DATE})\s*,?\s*(?:up\s+)?(?:to|until|till|through)\s+(?P<e>{DATE})",
    ),
    ("span", rf"(?<![\w.])(?P<s>{_D})\s*(?:-|–)\s*(?P<e>{_D}\s+{_M}(?:,?\s+{_Y})?)"),
    (
        "launch",
        rf"\b(?:launch\w*|beg[au]n|start\w*|erupt\w*|broke\s+out|escalat\w*|opened|kicked\s+off)"
        rf"\b[^.;:]{{0,60}}?"
        rf"\b(?:on|since)\s+(?P<s>{DATE})",
    ),
    (
        "launch",
        rf"\b(?:beg[au]n|start\w*|erupt\w*|broke\s+out|launch\w*)\s+in\s+(?P<s>{_Y})\b(?![-/.]\d)",
    ),
    ("since", rf"\bsince\s+(?:the\s+)?(?P<s>{DATE}|{_Y}\b)"),
    ("since_month", rf"\bsince\s+(?P<m>{_M})(?:\s+(?P<y>{_Y}))?\b"),
    ("asof", rf"\b(?:as\s+of|as\s+at|by|up\s+until|until|till|up\s+to|through)\s+(?P<e>{DATE})"),
    (
        "duration",
        rf"\b(?:(?:in|over|during|within|for)\s+(?:the\s+)?(?:(?:last|past|previous)\s+)?"
        rf"|(?:the\s+)?(?:last|past|previous)\s+)(?P<n>{_NUMW})\s+(?P<u>{_UNIT})\b",
    ),
    (
        "duration",
        r"\b(?:in|over|during|within|for)\s+(?:the\s+)?(?:last|past|previous)\s+(?P<u>day|week|month)\b",
    ),
    (
        "month",
        rf"\b(?:in|during|throughout|for)\s+(?:the\s+month\s+of\s+)?(?P<m>{_M})(?:\s+(?P<y>{_Y}))?\b",
    ),
    ("year", rf"\b(?:in|during|throughout)\s+(?P<y>{_Y})\b(?![-/.]\d)"),
    ("this_period", r"\b(?:in|during|over|for|within)\s+(?:this|that|the\s+same)\s+period\b"),
    ("on", rf"\b(?:on\s+)?(?P<e>{DATE})"),
]
#: the characters each phrase can start with (case aside): a look-ahead of them lets the scan
#: skip the other words fast
_FIRST = ["fbo", "s", r"\d", "lbseok", "bsebl", "s", "s", "abut", "iodwftlp", "iodwf", "idtf", "idt",
          "idofw", r"\dojfmasndltwy"]  # fmt: skip
#: (kind, pattern); the leading look-behind skips positions inside words fast
PHRASES = [(kind, re.compile(r"(?<!\w)(?=\w)" + p, re.IGNORECASE)) for kind, p in _PHRASES]


def _prefixed(i: int, pattern: str) -> str:
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<p{i}_{m.group(1)}>", pattern)


#: all phrases in one pattern (one scan per sentence; the leftmost phrase wins, then the
#: first listed); group ``k<i>`` tells which phrase matched
ALL_PHRASES = re.compile(
    r"(?<!\w)(?=\w)(?:"
    + "|".join(
        f"(?P<k{i}>(?=[{first}])(?:{_prefixed(i, p)}))"
        for i, ((_kind, p), first) in enumerate(zip(_PHRASES, _FIRST, strict=True))
    )
    + ")",
    re.IGNORECASE,
)
_GROUP_KIND = {f"k{i}": (kind, f"p{i}_") for i, (kind, _p) in enumerate(_PHRASES)}
#: group ``k<i>`` -> (plain name, group name) of the groups of that phrase
_SUBGROUPS = {
    k: [(g[len(prefix) :], g) for g in ALL_PHRASES.groupindex if g.startswith(prefix)]
    for k, (_kind, prefix) in _GROUP_KIND.items()
}
_DIGIT = re.compile(r"\d")
_PERIOD_HINT = re.compile(
    r"\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|"
    r"today|yesterday|days?|weeks?|months?|hours?|period)",
    re.IGNORECASE,
)
#: every word of :data:`_PERIOD_HINT` holds one of these (in lower case)
_PERIOD_WORDS = re.compile(
    "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|day|week|hour|"
    "period"
)
DATE_RE = re.compile(DATE)


@dataclass(frozen=True)
class Period:
    """One period phrase: what it states (``start``/``end`` may be None) and where it is."""

    kind: str
    start: date | None
    end: date | None
    pos: int
    days: int | None = None  # for durations: length in days
    months: int | None = None  # for durations in months


def _year_for(month: int, day: int, published: date) -> int:
    y = published.year
    try:
        if date(y, month, day) > published + timedelta(days=7):
            y -= 1
    except ValueError:
        pass
    return y


_WEEKDAY_FORM = re.compile(r"(?:(last|this|next|on)\s+)?(\w+)")
_DMY_FORM = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_ISO_FORM = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_MONTH_FORM = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?([A-Za-z]+)\.?(?:,?\s+(\d{4}))?)?"
)
_MONTH_DAY_FORM = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?")
_LETTERS = re.compile(r"[A-Za-z]+")
_YEAR_FORM = re.compile(_Y)


def parse_date(text: str, published: date, month_hint: int | None = None) -> date | None:
    """Read one date expression (see :data:`DATE`); a bare day needs ``month_hint``.

    Examples
    --------
    >>> p = date(2024, 12, 6)
    >>> parse_date("November 27", p), parse_date("Tuesday", p), parse_date("3 December 2024", p)
    (datetime.date(2024, 11, 27), datetime.date(2024, 12, 3), datetime.date(2024, 12, 3))
    """
    t = " ".join(text.strip().split())
    low = t.lower()
    if low == "today":
        return published
    if low == "yesterday":
        return published - timedelta(days=1)
    m = _WEEKDAY_FORM.fullmatch(low)
    if m and m.group(2) in WEEKDAYS:
        back = (published.weekday() - WEEKDAYS[m.group(2)]) % 7
        if m.group(1) == "last" and back == 0:
            back = 7
        return published - timedelta(days=back)
    m = _DMY_FORM.fullmatch(t)
    if m:
        return _safe(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _ISO_FORM.fullmatch(t)
    if m:
        return _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DAY_MONTH_FORM.fullmatch(t)
    if m:
        month = MONTHS.get((m.group(2) or "").lower(), month_hint) if m.group(2) else month_hint
        if month is None:
            return None
        day = int(m.group(1))
        year = int(m.group(3)) if m.group(3) else _year_for(month, day, published)
        return _safe(year, month, day)
    m = _MONTH_DAY_FORM.fullmatch(t)
    if m and m.group(1).lower() in MONTHS:
        month, day = MONTHS[m.group(1).lower()], int(m.group(2))
        year = int(m.group(3)) if m.group(3) else _year_for(month, day, published)
        return _safe(year, month, day)
    return None


#: (dates repeat in a report: each is read once)
_parse_date = lru_cache(maxsize=4096)(parse_date)


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_of(text: str) -> int | None:
    for w in _LETTERS.findall(text):
        if w.lower() in MONTHS:
            return MONTHS[w.lower()]
    return None


def _length(n: str | None, unit: str) -> tuple[int | None, int | None]:
    """``(days, months)`` of a duration such as "three days", "one week", "a month"."""
    v = 1 if n is None or n.lower() in ("a", "an", "a single") else number_value(n)
    if v is None or v <= 0:
        return None, None
    u = unit.lower().rstrip("s")
    if u == "hour":
        return max(1, -(-v // 24)), None
    if u == "month":
        return None, v
    return v * {"day": 1, "week": 7}[u], None


def period_start(end: date, days: int | None, months: int | None) -> date | None:
    """First day of a span of ``days`` days or ``months`` months ending on ``end`` (inclusive).

    Examples
    --------
    >>> period_start(date(2024, 11, 28), 3, None), period_start(date(2024, 12, 31), None, 1)
    (datetime.date(2024, 11, 26), datetime.date(2024, 12, 1))
    """
    if days:
        return end - timedelta(days=days - 1)
    if months:
        y, m = divmod(end.year * 12 + end.month - 1 - months, 12)
        d = min(end.day, calendar.monthrange(y, m + 1)[1])
        return date(y, m + 1, d) + timedelta(days=1)
    return None


def find_periods(sentence: str, published: date) -> list[Period]:
    """Period phrases of a sentence, without overlaps (the first listed kind wins).

    Examples
    --------
    >>> p = date(2024, 11, 28)
    >>> [(x.kind, x.start, x.end) for x in find_periods("From 26 to 28 November, 12 died", p)]
    [('span', datetime.date(2024, 11, 26), datetime.date(2024, 11, 28))]
    >>> [(x.kind, x.days) for x in find_periods("14,000 people displaced in three days", p)]
    [('duration', 3)]
    """
    out: list[Period] = []
    if not _DIGIT.search(sentence):
        if sentence.isascii() and not _PERIOD_WORDS.search(sentence.lower()):
            return out  # (a fast test first: no word of :data:`_PERIOD_HINT` at all)
        if not _PERIOD_HINT.search(sentence):
            return out
    for m in ALL_PHRASES.finditer(sentence):
        k = m.lastgroup
        kind = _GROUP_KIND[k][0]
        got = _read(kind, _Sub(m, _SUBGROUPS[k]), published)
        if got is not None:
            out.append(got)
    return out


class _Sub:
    """The groups of one alternative of :data:`ALL_PHRASES`, under their plain names."""

    __slots__ = ("_m", "_names")

    def __init__(self, m: re.Match, names: list[tuple[str, str]]):
        self._m, self._names = m, names

    def start(self) -> int:
        return self._m.start()

    def groupdict(self) -> dict[str, str | None]:
        group = self._m.group
        return {plain: group(name) for plain, name in self._names}


def _read(kind: str, m: re.Match, published: date) -> Period | None:
    pos = m.start()
    g = m.groupdict()
    if kind == "span":
        end = _parse_date(g["e"], published)
        if end is None:
            return None
        start = _parse_date(g["s"], published, month_hint=end.month)
        if start is not None and start > end and start.month == end.month:
            start = None
        if start is not None and start > end:
            start = _safe(start.year - 1, start.month, start.day)
        return Period(kind, start, end, pos)
    if kind in ("launch", "since"):
        s = g["s"]
        if _YEAR_FORM.fullmatch(s.strip()):
            return Period("since", date(int(s), 1, 1), None, pos)
        start = _parse_date(s, published)
        return Period("since", start, None, pos) if start else None
    if kind in ("asof", "on"):
        end = _parse_date(g["e"], published)
        return Period(kind, None, end, pos) if end else None
    if kind == "duration":
        days, months = _length(g.get("n"), g["u"])
        return Period(kind, None, None, pos, days, months) if days or months else None
    if kind == "since_month":
        month = MONTHS[g["m"].lower().rstrip(".")]
        year = int(g["y"]) if g.get("y") else _year_for(month, 1, published)
        return Period("since", date(year, month, 1), None, pos)
    if kind == "month":
        month = MONTHS[g["m"].lower().rstrip(".")]
        year = int(g["y"]) if g.get("y") else _year_for(month, 1, published)
        last = calendar.monthrange(year, month)[1]
        return Period(kind, date(year, month, 1), date(year, month, last), pos)
    if kind == "year":
        y = int(g["y"])
        return Period(kind, date(y, 1, 1), date(y, 12, 31), pos)
    if kind == "this_period":
        return Period(kind, None, None, pos)
    return None
