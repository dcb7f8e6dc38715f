"""Dates and periods as written in reports, resolved against the publication date.

:func:`find_periods` lists the period phrases of a sentence ("since November 27", "from 26 to
28 November", "as of 28 November", "on Thursday", "in the past 24 hours", "since October
2023", "in the third quarter", "depuis le 27 novembre", "seit dem 27. November"), each with
the first and/or last day it states. The opening words of each kind of phrase, the month and
weekday names come from the language's lexicon (``dates`` and ``periods``); every day is made
by the one date grammar (:func:`stats.parse.calendar_date`), so that no date is out of range.

Notes
-----
* A date without a year takes the publication year, or the year before when that would put
  it more than a week after publication.
* A weekday ("since Tuesday", "on Thursday") is the latest such day on or before publication.
* A span of N days includes its last day: "in three days" ending 28 November starts on
  26 November; "in one week" starts 6 days before its end; "in the past 24 hours" is the day
  itself; "for one month" ending 31 December starts on 1 December.
* Vague periods ("late November", "to date", "in the last few days") give no date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from stats.extract.language import Lexicon, alternatives, branches, holds, required_keys
from stats.parse import calendar_date

_Y = r"(?:19|20)\d{2}"


@dataclass(frozen=True)
class Period:
    """One period phrase: what it states (``start``/``end`` may be None) and where it is."""

    kind: str
    start: date | None
    end: date | None
    pos: int
    days: int | None = None  # for durations: length in days
    months: int | None = None  # for durations in months


@dataclass(frozen=True)
class PeriodPatterns:
    """The period patterns of one language."""

    date: re.Pattern
    phrases: re.Pattern
    kinds: dict[str, str]
    groups: dict[str, list[tuple[str, str]]]
    months: dict[str, int]
    weekdays: dict[str, int]
    today: frozenset[str]
    yesterday: frozenset[str]
    last: frozenset[str]
    quarters: dict[str, int]
    units: dict[str, str]
    hint: frozenset[str] | None
    #: the words of :attr:`hint` themselves (a key can be that of another word: "segundo",
    #: second, and "según", according to)
    hint_words: re.Pattern
    year: re.Pattern
    month: re.Pattern


def _src(lex: Lexicon, *keys: str) -> str:
    return lex.source(*keys)


def _date_source(lex: Lexicon) -> tuple[str, str, str, str]:
    d = lex.get("dates")
    # a short month may take a point ("Nov."), and ends where its word ends ("mar" is not
    # the start of "martyrs")
    months = f"(?:{alternatives(d['months'])})" + r"\.?"
    weekdays = f"(?:{alternatives(d['weekdays'])})"
    suffix = "|".join(re.escape(str(s)) for s in d.get("day_suffixes", []))
    day = rf"(?:[0-3]?\d)(?:{suffix})?" if suffix else r"(?:[0-3]?\d)"
    of = "|".join(re.escape(str(s)) for s in d.get("day_of", []))
    of_ = rf"(?:(?:{of})\s+)?" if of else ""
    year_of = rf"(?:,?\s+{of_}{_Y})"
    rel = alternatives([*d["today"], *d["yesterday"]])
    before = alternatives(d.get("weekday_before", []))
    dmy = (
        rf"(?:(?:{weekdays},?\s+)?{day}\s+{of_}{months}{year_of}?"
        rf"|{months}\s+{day}{year_of}?(?!\d)"
        rf"|\d{{1,2}}[./]\d{{1,2}}[./](?:19|20)\d{{2}}|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}"
        rf"|(?:(?:{before})\s+)?{weekdays}|{rel})"
    )
    return dmy, day, months, weekdays


def _kinds(lex: Lexicon, date_src: str, day: str, months: str, units: dict, quarters: dict):
    """``(kind, regex source)`` of each kind of period phrase, in the order they are tried
    at a position (a phrase with its date before the same phrase without)."""
    dayish = rf"(?:{date_src}|{day})"
    unit = f"(?:{alternatives(units)})"
    p = lex.get("periods")
    late = alternatives(sorted(set(p["vague"]) - set(p.get("vague_start", []))))
    num = lex.get("numbers")
    tok = branches(
        [re.escape(str(w)) for w in sorted(num["words"], key=len, reverse=True)], ignore_case=True
    )
    ones = [str(w) for w in num.get("one_before_scale", [])]
    numw = (
        rf"(?:\d+|(?:{tok})(?:[-\s](?:{tok}))?(?!\w)"
        + "".join(f"|{re.escape(o)}" for o in ones)
        + ")"
    )
    return [
        ("span", rf"{_src(lex, 'periods', 'span_from')}\s+(?P<s>{dayish})\s*,?\s*"
         rf"(?:{_src(lex, 'periods', 'span_to')}|-|–)\s+(?P<e>{date_src})"),
        ("span", rf"{_src(lex, 'periods', 'since')}\s+(?P<s>{date_src})\s*,?\s*"
         rf"(?:{_src(lex, 'periods', 'span_to')})\s+(?P<e>{date_src})"),
        ("span", rf"(?<![\w.])(?P<s>{day})\s*(?:-|–)\s*(?P<e>{day}\s+{months}(?:,?\s+{_Y})?)"),
        ("launch", rf"{_src(lex, 'periods', 'launch')}[^.;:]{{0,60}}?"
         rf"(?:{_src(lex, 'periods', 'on')}|{_src(lex, 'periods', 'since')})\s+(?P<s>{date_src})"),
        # (a word between "since" and a year is not a month: "since April 2023" is a month)
        ("since", rf"{_src(lex, 'periods', 'since')}\s+"
         rf"(?:(?!{months}(?!\w)|{late})\w+\s+)?"
         rf"(?P<s>{date_src}|{_Y}(?!\w))"),
        # "since the start of the escalation on 27 November", "desde que ... el pasado 26 de
        # octubre": an event since which the count runs, with its date
        ("since", rf"{_src(lex, 'periods', 'since')}\s+[^.;:!?\d]{{1,120}}?"
         rf"(?:{_src(lex, 'periods', 'on')}|{_src(lex, 'periods', 'in')})\s+(?:\w+\s+)?"
         rf"(?P<s>{date_src})"),
        ("launch", rf"{_src(lex, 'periods', 'launch')}\s+{_src(lex, 'periods', 'in')}\s+"
         rf"(?P<s>{_Y})(?![-/.]?\d)"),
        # ("since late October" is vague: no day; "since early January" is its first day)
        ("since_month", rf"{_src(lex, 'periods', 'since')}\s+(?:(?!{late})"
         rf"[^\W\d]+\s+)?(?P<m>{months})"
         rf"(?:\s+(?:de\s+)?(?P<y>{_Y}))?(?!\w)"),
        ("asof", rf"{_src(lex, 'periods', 'as_of')}\s+(?:\w{{1,3}}\s+)?(?P<e>{date_src})"),
        ("quarter", rf"(?P<q>{alternatives(quarters) if quarters else '(?!x)x'})\s+"
         rf"{_src(lex, 'periods', 'quarter')}(?:\s+(?:of\s+)?(?P<y>{_Y}))?"),
        ("duration", rf"(?:{_src(lex, 'periods', 'duration')}\s+(?:\w{{1,3}}\s+)?"
         rf"(?:{_src(lex, 'periods', 'last')}\s+)?|{_src(lex, 'periods', 'last')}\s+)"
         rf"(?P<n>{numw})\s+(?P<u>{unit})(?:\s+{_src(lex, 'periods', 'last')})?(?!\w)"),
        ("duration", rf"{_src(lex, 'periods', 'duration')}\s+(?:\w{{1,3}}\s+)?"
         rf"{_src(lex, 'periods', 'last')}\s+(?P<u>{unit})(?!\w)"),
        ("month", rf"{_src(lex, 'periods', 'in')}\s+(?:{_src(lex, 'periods', 'month_of')}\s+)?"
         rf"(?P<m>{months})(?:\s+(?:de\s+)?(?P<y>{_Y}))?(?!\w)"),
        ("year", rf"{_src(lex, 'periods', 'in')}\s+(?P<y>{_Y})(?![-/.]?\d)"),
        ("this_period", _src(lex, "periods", "this_period")),
        # "since the start of the war" with no date of its own (resolved by the reader;
        # one with its date is read by the kinds above, or as a year: "... in 2011")
        ("since_start", rf"{_src(lex, 'periods', 'since_start')}"
         rf"(?!\s+{_src(lex, 'periods', 'in')}\s+{_Y})"),
        ("on", rf"(?:{_src(lex, 'periods', 'on')}\s+)?(?P<e>{date_src})"),
    ]  # fmt: skip


@cache
def _patterns(lang: str, lex: Lexicon) -> PeriodPatterns:
    date_src, day, months, _wd = _date_source(lex)
    p = lex.get("periods")
    units = {w.casefold(): u for u, ws in p["units"].items() for w in ws}
    quarters = {str(k).casefold(): int(v) for k, v in p.get("quarters", {}).items()}
    kinds = _kinds(lex, date_src, day, months, units, quarters)
    alts, kind_of, groups = [], {}, {}
    for i, (kind, src) in enumerate(kinds):
        src = re.sub(r"\(\?P<(\w+)>", lambda m, i=i: f"(?P<p{i}_{m.group(1)}>", src)
        alts.append(f"(?P<k{i}>{src})")
        kind_of[f"k{i}"] = kind
    rx = re.compile(r"(?<!\w)(?=\w)(?:" + "|".join(alts) + ")", re.IGNORECASE)
    for k in kind_of:
        prefix = f"p{k[1:]}_"
        groups[k] = [(g[len(prefix) :], g) for g in rx.groupindex if g.startswith(prefix)]
    d = lex.get("dates")
    # every kind of phrase above holds one of these words or a year (a numeric date holds its
    # year): a sentence without any has no period, and the phrases are not scanned (a quarter
    # is named by its noun: "segundo trimestre", not "segundo" alone, also "according to")
    quarter = p.get("quarter", []) if quarters else []
    hint_words = [*d["months"], *d["weekdays"], *d["today"], *d["yesterday"], *units,
                  *p["since"], *quarter, *p["this_period"], *p["since_start"]]  # fmt: skip
    return PeriodPatterns(
        date=re.compile(date_src, re.IGNORECASE),
        phrases=rx,
        kinds=kind_of,
        groups=groups,
        months={str(k).casefold().rstrip("."): int(v) for k, v in d["months"].items()},
        weekdays={str(k).casefold(): int(v) for k, v in d["weekdays"].items()},
        today=frozenset(_norm(t) for t in d["today"]),
        yesterday=frozenset(_norm(t) for t in d["yesterday"]),
        last=frozenset(_norm(t) for t in d.get("weekday_before", [])[:1]),
        quarters=quarters,
        units=units,
        hint=required_keys(hint_words, lex.data),
        hint_words=re.compile(alternatives(hint_words, lex.data)),
        year=re.compile(_Y),
        month=re.compile(alternatives(d["months"]), re.IGNORECASE),
    )


def patterns(lex: Lexicon) -> PeriodPatterns:
    """The period patterns of a lexicon (built once per language)."""
    return _patterns(lex.lang, lex)


def _norm(t: str) -> str:
    return " ".join(str(t).casefold().split())


def _year_for(month: int, day: int, published: date) -> int:
    y = published.year
    got = calendar_date(y, month, day)
    if got is not None and got > published + timedelta(days=7):
        y -= 1
    return y


_NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})|(\d{4})-(\d{2})-(\d{2})")
_DAY = re.compile(r"(\d{1,2})")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_LETTERS = re.compile(r"[^\W\d_]+\.?")


def parse_date(
    text: str, published: date, lex: Lexicon, month_hint: int | None = None
) -> date | None:
    """Read one date expression of the language; a bare day needs ``month_hint``.

    Examples
    --------
    >>> from stats.extract.language import load_lexicon
    >>> p, en = date(2024, 12, 6), load_lexicon("en")
    >>> parse_date("November 27", p, en), parse_date("Tuesday", p, en)
    (datetime.date(2024, 11, 27), datetime.date(2024, 12, 3))
    >>> parse_date("27. November 2024", p, load_lexicon("de"))
    datetime.date(2024, 11, 27)
    """
    pat = patterns(lex)
    low = _norm(text)
    if low in pat.today:
        return published
    if low in pat.yesterday:
        return published - timedelta(days=1)
    m = _NUMERIC.fullmatch(low)
    if m:
        if m.group(1):
            return calendar_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return calendar_date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
    words = [w.rstrip(".") for w in _LETTERS.findall(low)]
    weekday = next((pat.weekdays[w] for w in words if w in pat.weekdays), None)
    # (a month may be two words: "تشرين الأول")
    mm = pat.month.search(low)
    # (a month of 0 is "this month": "a 07 deste mês", "le 7 de ce mois")
    month = (pat.months[_norm(mm.group(0))] or published.month) if mm else None
    day_m = _DAY.match(low) or (_DAY.search(low) if month else None)
    if weekday is not None and day_m is None:
        back = (published.weekday() - weekday) % 7
        if back == 0 and words and words[0] in pat.last:
            back = 7
        return published - timedelta(days=back)
    if day_m is None:
        return None
    month = month or month_hint
    if month is None:
        return None
    year_m = _YEAR.search(low[day_m.end() :])
    day = int(day_m.group(1))
    year = int(year_m.group(0)) if year_m else _year_for(month, day, published)
    return calendar_date(year, month, day)


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


def find_periods(sentence: str, published: date, lex: Lexicon) -> list[Period]:
    """Period phrases of a sentence, without overlaps (the first listed kind wins).

    Examples
    --------
    >>> from stats.extract.language import load_lexicon
    >>> p, en = date(2024, 11, 28), load_lexicon("en")
    >>> [(x.kind, x.start, x.end) for x in find_periods("From 26 to 28 November, 12 died", p, en)]
    [('span', datetime.date(2024, 11, 26), datetime.date(2024, 11, 28))]
    >>> [(x.kind, x.days) for x in find_periods("14,000 displaced in the past 24 hours", p, en)]
    [('duration', 1)]
    """
    pat = patterns(lex)
    hinted = holds(pat.hint, sentence, lex) and pat.hint_words.search(sentence)
    if not (hinted or pat.year.search(sentence)):
        return []  # no period word and no year: no period phrase
    out: list[Period] = []
    for m in pat.phrases.finditer(sentence):
        k = m.lastgroup
        g = {plain: m.group(name) for plain, name in pat.groups[k]}
        got = _read(pat.kinds[k], g, m.start(), published, lex)
        if got is not None:
            out.append(got)
    return out


def _length(n: str | None, unit: str, lex: Lexicon) -> tuple[int | None, int | None]:
    """``(days, months)`` of a duration such as "three days", "one week", "a month"."""
    from stats.extract.quantities import number_value

    v = 1 if n is None else number_value(n, lex)
    if v is None and n is not None and _norm(n) in lex.words("numbers", "one_before_scale"):
        v = 1
    if v is None or v <= 0 or v > 3660:
        return None, None
    u = patterns(lex).units[_norm(unit)]
    if u == "hour":
        return max(1, -(-v // 24)), None
    if u in ("month", "year"):
        return None, v * (12 if u == "year" else 1)
    return v * {"day": 1, "week": 7}[u], None


def _read(kind: str, g: dict, pos: int, published: date, lex: Lexicon) -> Period | None:
    pat = patterns(lex)
    if kind == "span":
        end = parse_date(g["e"], published, lex)
        if end is None:
            return None
        start = parse_date(g["s"], published, lex, month_hint=end.month)
        if start is not None and start > end and start.month == end.month:
            start = None
        if start is not None and start > end:
            start = calendar_date(start.year - 1, start.month, start.day)
        return Period(kind, start, end, pos)
    if kind in ("launch", "since"):
        s = g["s"].strip()
        if _YEAR.fullmatch(s):
            return Period("since", calendar_date(int(s), 1, 1), None, pos)
        start = parse_date(s, published, lex)
        return Period("since", start, None, pos) if start else None
    if kind in ("asof", "on"):
        end = parse_date(g["e"], published, lex)
        return Period(kind, None, end, pos) if end else None
    if kind == "duration":
        days, months = _length(g.get("n"), g["u"], lex)
        return Period(kind, None, None, pos, days, months) if days or months else None
    if kind in ("since_month", "month"):
        month = pat.months[_norm(g["m"]).rstrip(".")] or published.month
        year = int(g["y"]) if g.get("y") else _year_for(month, 1, published)
        first = calendar_date(year, month, 1)
        if first is None:
            return None
        if kind == "since_month":
            return Period("since", first, None, pos)
        return Period(kind, first, date(year, month, calendar.monthrange(year, month)[1]), pos)
    if kind == "quarter":
        q = pat.quarters[_norm(g["q"])]
        year = int(g["y"]) if g.get("y") else published.year
        first = calendar_date(year, 3 * q - 2, 1)
        if first is None:
            return None
        last = date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
        return Period("month", first, last, pos) if first <= published else None
    if kind == "year":
        y = int(g["y"])
        first = calendar_date(y, 1, 1)
        return Period(kind, first, date(y, 12, 31), pos) if first else None
    if kind in ("this_period", "since_start"):
        return Period(kind, None, None, pos)
    return None
