"""Read counts of people from English news and situation-report text into Claims.

A rule-based extractor (no statistical model, nothing fetched at run time) following the
project's annotation specification (``docs/extraction.md``): a *claim* is a count of people
(or military vehicles) affected by the conflict, stated in the text. For each count it reads
the metric (from the noun counted and the verb or noun that says what happened to them), the
value and qualifier, who counted it, the period it covers, the place, and keeps the sentence
verbatim as ``quote``.

The work is split so that large inputs stay fast: compiled patterns find the lines that hold
a number at all over the whole text at once; only those lines are split into sentences and
read closely (counts are sparse in prose).

Notes
-----
Assumptions, each a rule of the specification:

* A paragraph is a line of the input. A counter, place or period named in an earlier
  sentence of the paragraph carries over to a later one when that sentence states none of its
  own (a counter only when the text refers back to it: "the Observatory said", "this NGO",
  "Of this total"); a paragraph ending with a colon carries into the next one.
* A count "including" parts gives one claim per part, each with the part's own metric.
* A number that counts two metrics together ("killed or injured", "casualties") is not read.
* Dates, years, ages, distances, durations, ordinals, percentages, money and counts of
  attacks, facilities, places or organisations are not counts of people.

References
----------
The annotation scheme follows the event-coding practice of ACLED (Raleigh et al., 2010,
"Introducing ACLED", Journal of Peace Research 47(5)) and the UCDP GED codebook (Sundberg &
Melander, 2013): one record per reported figure, with its source and the period it covers.
"""

from __future__ import annotations

import gc
import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import pandas as pd

from stats.errors import UserError
from stats.ingest import Ingested
from stats.ingest import lexicon as L
from stats.ingest.numbers import QUAL_BEFORE, QUANTITY_CORE, read_quantity
from stats.ingest.periods import PHRASES, Period, find_periods, period_start
from stats.progress import progress
from stats.schema import claim_ids, validate

#: bytes above which a file is refused (the extractor reads about 1 MB per second)
MAX_BYTES = 200_000_000

_NONBLANK_LINE = re.compile(r"^[ \t\r]*\S", re.MULTILINE)
_BOUNDARY = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[^\s.…])")
_LAST_WORD = re.compile(r"([\w.]+)$")
_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")
_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "no",
    "nos",
    "vs",
    "jan",
    "feb",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
    "approx",
    "incl",
    "inc",
    "ltd",
    "co",
    "jr",
    "sr",
    "prof",
    "rev",
    "gov",
    "sen",
    "rep",
    "pres",
    "fig",
    "vol",
    "pp",
    "e.g",
    "i.e",
}
_LIST_MARKER = re.compile(r"^\s*(?:[-–—•*·▪◦]\s+|\d{1,2}[.)]\s+)?")
_HEADER = re.compile(r"^(URL|DATE|NOTE|TITLE|SOURCE|PUBLISHED|AUTHOR):[ \t]*(.*)$", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|[%$€£]|[(),.;:–—!?“”\"]|(?<!\w)-+(?!\w)|(?<![\w-])\d")
_STOPWORDS = set(
    "and or in from to on at by with for since after amid across inside as than while who "
    "which that whom whose because during before into near around".split()
)
_AUX = set(
    "were was have has had been are is be being reportedly reported also since now already "
    "then later".split()
)
_MONTH_BEFORE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+$"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
#: what before a number makes it no count: a month ("November 27"), money ("$ 10"), a
#: reference number ("No. 3", "page 2") or a total already stated ("of the 503 victims")
_HAS_DIGIT = re.compile(r"\d")
#: what may follow a bare count read from its verb ("killed 12, ...", "killed 12 and ...")
_BARE_END = re.compile(r"\s*(?:[,.;:)]|and\b|—|--|–|$)")
#: parts of every number word and vague term (a cheap test before the full patterns)
_NUMBER_STEMS = (
    "one", "two", "thre", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "dozen",
    "several", "few", "score", "half", "teen",
)  # fmt: skip
#: the nouns a count of one can have ("a 10-year-old child")
_PERSON_STEMS = (
    "child", "boy", "girl", "baby", "infant", "woman", "civilian", "fighter", "soldier", "man",
    "journalist", "doctor", "nurse", "medic", "rescuer", "volunteer",
)  # fmt: skip
#: the stems as one pattern each (one scan of a sentence)
_NUMBER_STEM_RE = re.compile("|".join(_NUMBER_STEMS))
_PERSON_STEM_RE = re.compile("|".join(_PERSON_STEMS))
#: "the population of Idleb is estimated at 4 million": a population, not people affected
_POPULATION = re.compile(r"\b(?:population|inhabitants|home\s+to)\b[^.;]{0,40}$", re.I)
#: what every :data:`_POPULATION` match holds (tested once per sentence)
_POPULATION_HINT = re.compile(r"population|inhabitants|home", re.I)
#: (the look-ahead lists the characters a match can start with: a cheap test that skips most
#: positions; the same for the other patterns below that start with one)
_SKIP_BEFORE = re.compile(
    r"(?=[JFMASONDUEnparoaf$€£])"
    r"(?:\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?|[$€£]|\b(?:USD|US\$|EUR|No\.|"
    r"number|page|article|resolution)|\b(?:[Oo]f|[Aa]mong|[Ff]rom)\s+(?:the|these|those))\s*$"
)
_CLAUSE_CUT = re.compile(
    r"(?=[;,w])(?:;|\bwhile\b|\bwhereas\b|,\s+(?:where|who|which)\b|,\s+(?:nearly\s+|about\s+|almost\s+)?"
    r"(?:half|most|many|some|all|a\s+third|two-thirds|a\s+quarter|the\s+majority)\s+of\s+"
    r"(?:them|whom)\b)",
    re.I,
)
_NEWLINE = re.compile("\n")
_SPACES = re.compile(r"\s+")
_PLAIN_PEOPLE = {"people", "persons", "person", "individuals", "others", "victims", ""}
_VERBISH = re.compile(r"\b(?!armed\b|displaced\b|wounded\b|injured\b)[a-z]{3,}(?:ed|ing)\b")


# ---------------------------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------------------------
def strip_html(text: str) -> str:
    """Text of an HTML document: scripts and styles dropped, block ends as line breaks,
    tags removed, entities decoded. Plain text comes back unchanged.

    Examples
    --------
    >>> strip_html("<p>At least 12 civilians were killed.</p><p>Next&nbsp;one</p>")
    'At least 12 civilians were killed.\\nNext\\xa0one\\n'
    """
    if not re.search(r"<(?:html|body|p|div|br|span|a|li|h\d|table|!DOCTYPE)\b", text, re.I):
        return text
    t = re.sub(r"(?is)<(script|style|head|noscript)\b.*?</\1\s*>", " ", text)
    t = re.sub(r"(?is)<!--.*?-->", " ", t)
    t = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|h\d|tr|td|th|blockquote|section|article)\s*>", "\n", t)
    t = re.sub(r"(?s)<[^>]{0,2000}>", "", t)
    t = html.unescape(t)
    t = re.sub(r"[ \t]+\n", "\n", t)
    return re.sub(r"\n{3,}", "\n\n", t)


def parse_header(text: str) -> tuple[str, dict[str, str]]:
    """Split ``URL:``/``DATE:``/``NOTE:`` header lines from the text.

    Header lines are blanked (not removed) so that line numbers still match the file.

    Examples
    --------
    >>> body, meta = parse_header("URL: https://x.org/a\\nDATE: 2024-11-28\\n\\nText.")
    >>> meta, body
    ({'url': 'https://x.org/a', 'date': '2024-11-28'}, '\\n\\n\\nText.')
    """
    meta: dict[str, str] = {}
    lines = text.split("\n", 20)
    for i, line in enumerate(lines[:-1] if len(lines) > 20 else lines):
        s = line.strip().lstrip("\ufeff")
        if not s:
            if meta:
                continue
            break
        m = _HEADER.match(s)
        if not m:
            break
        key = m.group(1).lower()
        if key in ("url", "date", "published"):
            meta["date" if key == "published" else key] = m.group(2).strip()
        lines[i] = ""
    return "\n".join(lines), meta


def parse_published(value: str | date | pd.Timestamp, what: str = "--published") -> date:
    """A publication date from ``YYYY-MM-DD`` (or a date); :class:`UserError` otherwise."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", s)
    try:
        if not m:
            raise ValueError
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise UserError(f"{what}: expected a date as YYYY-MM-DD, got {s!r}") from None


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------
def split_sentences(paragraph: str) -> list[tuple[int, str]]:
    """Sentences of a paragraph as ``(offset, text)``; abbreviations ("Mr.", "U.S.") and
    initials do not end a sentence.

    Examples
    --------
    >>> [s for _, s in split_sentences("Mr. Assad left. 12 died in Homs. It rained.")]
    ['Mr. Assad left.', '12 died in Homs.', 'It rained.']
    """
    out = []
    start = 0
    newline = "\n" in paragraph
    for m in _BOUNDARY.finditer(paragraph):
        if m.group(0).startswith("."):
            lo, e = max(start, m.start() - 20), m.start()
            if newline:
                w = _LAST_WORD.search(paragraph, lo, e)
                word = w.group(1).lower() if w else ""
            else:  # the same as the pattern: the run of word characters and dots before e
                i = e
                while i > lo and (paragraph[i - 1].isalnum() or paragraph[i - 1] in "_."):
                    i -= 1
                word = paragraph[i:e].lower()
            if word in _ABBREV or _INITIALS.fullmatch(word):
                continue
        out.append((start, paragraph[start : m.end()]))
        start = m.end()
        while start < len(paragraph) and paragraph[start].isspace():
            start += 1
    if paragraph[start:].strip():
        out.append((start, paragraph[start:]))
    return [(o + len(s) - len(s.lstrip()), s.strip()) for o, s in out if s.strip()]


# ---------------------------------------------------------------------------------------------
# Document state
# ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Context:
    """What carries from one sentence to the next in a paragraph."""

    periods: list[Period] = field(default_factory=list)
    location: str | None = None
    counter: str | None = None
    has_counter: bool = False
    inherited: bool = False
    kill_class: str = "people"


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    noun_end: int
    value: int | None
    qualifier: str
    low: int | None
    high: int | None
    cls: str
    event: str | None
    one: bool = False
    noun: str = ""
    role: str = "main"
    parent: int | None = None
    metric: str | None = None


class _Doc:
    def __init__(self, body: str, published: date, url: str | None):
        self.body = body
        self.published = published
        self.url = url
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(body)]

    @cached_property
    def counters(self) -> tuple[list[int], list[str], list[int]]:
        """Named counters in the whole text: start positions, names, end positions."""
        pos, names, ends = [], [], []
        for m in L.COUNTER.finditer(self.body):
            key = _SPACES.sub(" ", m.group(0))
            pos.append(m.start())
            ends.append(m.end())
            names.append(L.COUNTER_NAMES.get(key, key))
        return pos, names, ends

    def counters_in(self, a: int, b: int) -> list[tuple[int, int, str]]:
        """Named counters between two positions, as ``(start, end, name)`` relative to ``a``."""
        pos, names, ends = self.counters
        i, j = bisect_right(pos, a - 1), bisect_right(pos, b - 1)
        return [(pos[k] - a, ends[k] - a, names[k]) for k in range(i, j) if ends[k] <= b]

    def last_counter(self, before: int, ref: str = "") -> str | None:
        """The counter named last before a position, of a kind the reference fits."""
        pos, names, _ends = self.counters
        i = bisect_right(pos, before - 1)
        types = L.ref_types(ref)
        while i > 0:
            name = names[i - 1]
            if types is None or L.COUNTER_TYPES.get(name) in types:
                return name
            i -= 1
        return None

    @cached_property
    def spans(self) -> list[tuple[int, Period]]:
        rx = dict(PHRASES)["span"]
        out = []
        for kind, r in PHRASES:
            if kind != "span" or r is not rx and False:
                continue
            for m in r.finditer(self.body):
                for p in find_periods(m.group(0), self.published):
                    if p.kind == "span" and p.start and p.end:
                        out.append((m.start(), p))
        return sorted(out, key=lambda t: t[0])

    def last_span(self, before: int) -> Period | None:
        spans = [p for pos, p in self.spans if pos < before]
        return spans[-1] if spans else None

    @cached_property
    def country(self) -> str | None:
        counts: dict[str, int] = {}
        for m in L.COUNTRY_RE.finditer(self.body[:200_000]):
            c = L.COUNTRY_WORDS[m.group(0).lower()]
            counts[c] = counts.get(c, 0) + 1
        return max(counts, key=counts.get) if counts else None

    @cached_property
    def default_counter(self) -> str | None:
        if not self.url:
            return None
        host = re.sub(r"^https?://", "", self.url).split("/")[0].lower()
        for dom, name in L.DOMAIN_COUNTERS.items():
            if host == dom or host.endswith("." + dom):
                return name
        return None


# ---------------------------------------------------------------------------------------------
# Reading one count
# ---------------------------------------------------------------------------------------------
_REJECT = "reject"


def _read_noun(s: str, end: int) -> tuple[str, str | None, int] | str | None:
    """What the count ending at ``end`` counts: ``(class, event, end of noun)``, ``None`` for
    a bare number, or ``"reject"`` when it is not a count of people."""
    tail = s[end : end + 90]
    # tokens are read as needed (most counts are decided by the first word or two)
    more = _TOKEN.finditer(tail)
    toks: list[re.Match] = []

    def has(k: int) -> bool:
        while len(toks) <= k:
            t = next(more, None)
            if t is None:
                return False
            toks.append(t)
        return True

    i = 0
    while has(i) and toks[i].group() in '“”"':
        i += 1
    if has(i) and toks[i].group().lower() == "of":
        i += 1
        if has(i) and toks[i].group().lower() in ("them", "whom", "which", "it", "those"):
            return _REJECT
        if has(i) and toks[i].group().lower() in ("the", "these", "their", "its", "his", "her"):
            i += 1
    cls = None
    unknown = 0
    aux = False
    while has(i) and unknown <= 3:
        w = toks[i].group()
        lw = w.lower().strip("'’")
        if not w[0].isalpha():
            if w in "%$€£":
                return _REJECT
            if w in '“”"' and not aux:
                i += 1
                continue
            break
        if lw.endswith(("'s", "’s")):
            return None
        if lw in L.NOT_PEOPLE or lw.split("-")[-1] in ("old", "km", "kilometre", "kilometer"):
            return _REJECT
        if lw in L.METRIC_NOUNS:
            c2, ev = L.METRIC_NOUNS[lw]
            if aux and ev not in ("killed", "injured", "displaced"):
                return None
            return (cls or c2, ev, end + toks[i].end(), lw)
        if aux:
            if lw in _AUX:
                i += 1
                continue
            rest = tail[toks[i].start() : toks[i].start() + 40]
            if any(rx.match(rest) for _ev, rx in L.RIGHT_CUES):
                return ("people", None, end + toks[i - 1].end(), "")
            return None
        if lw in L.PEOPLE:
            c = L.PEOPLE[lw]
            if lw == "civilian":
                cls = "civilians"
                i += 1
                continue
            if c == "members":
                c = "combatants" if L.MEMBERS_COMBATANT.match(tail[toks[i].end() :]) else "people"
            return (c, None, end + toks[i].end(), lw)
        if lw in _STOPWORDS:
            break
        if lw in _AUX and unknown == 0:
            aux = True
            i += 1
            continue
        if w[0].isupper() and unknown == 0 and lw not in ("syrian", "kurdish", "turkish"):
            # a name right after a number ("2024 Hama") is no count of people
            pass
        unknown += 1
        i += 1
    if cls:
        return (cls, None, end + (toks[i - 1].end() if i else 0), "civilian")
    return None


def _mentions(s: str) -> list[_Mention]:
    """Counts of people in a sentence, in order (without roles, metrics or events)."""
    out: list[_Mention] = []
    low = s.lower()
    words = _HAS_DIGIT.search(s) or _NUMBER_STEM_RE.search(low)
    person = _PERSON_STEM_RE.search(low)
    population = None  # whether the sentence names a population (tested when needed)
    if not words and not person:
        return out  # no number in digits or words: skip the slower patterns
    ones = []
    # (on ASCII text a count of one needs its noun as a whole word: a fast test first)
    one_person = person and (not s.isascii() or L.ONE_PERSON_NOUN.search(low))
    for m in L.ONE_PERSON.finditer(s) if one_person else ():
        noun = m.group("noun").lower()
        cls = "civilians" if noun == "civilian" else L.PEOPLE.get(noun, "people")
        ones.append(_Mention(m.start(), m.end(), m.end(), 1, "exact", None, None, cls, None, True))
    for m in QUANTITY_CORE.finditer(s) if words else ():
        a, b = m.span()
        if _YEAR.fullmatch(m.group(0)):
            continue
        # what follows decides first: most numbers that are no count are dropped here (the
        # tests below have no side effects, so their order does not change the result)
        noun = _read_noun(s, b)
        if noun == _REJECT:
            continue
        qb = QUAL_BEFORE.search(s, max(0, a - 22), a)
        qual_text = ""
        if qb:
            qual_text, a = qb.group("qual"), qb.start()
        if _SKIP_BEFORE.search(s, max(0, a - 20), a):
            continue
        if population is None:
            if s.isascii():  # (re.I and lower() agree on ASCII text)
                sl = s.lower()
                population = "population" in sl or "inhabitants" in sl or "home" in sl
            else:
                population = _POPULATION_HINT.search(s) is not None
        if population and _POPULATION.search(s, max(0, a - 50), a):
            continue
        if ones and any(o.start <= a < o.end for o in ones):
            continue
        q = read_quantity(m, qual_text)
        if q is None:
            continue
        value, qual, low, high, _term = q
        if noun is None:
            toll = L.TOLL.search(s[max(0, a - 160) : a])
            if not toll:
                lc = L.LEFT_CUE.search(s, max(0, a - 40), a)
                if lc and _BARE_END.match(s, b):
                    # "the attack killed 12 and wounded 30": a bare count right after its verb
                    out.append(_Mention(a, b, b, value, qual, low, high, "people", None))
                continue
            cls = "civilians" if toll.group("civ") else "people"
            if toll.group("noun"):
                cls = L.PEOPLE.get(toll.group("noun").lower(), cls)
            word = (toll.group("ev") or toll.group("ev2") or "killed").lower()
            ev = {"dead": "killed", "wounded": "injured"}.get(word, word)
            ev = {"idps": "idps"}.get(ev, ev)
            out.append(_Mention(a, b, b, value, qual, low, high, cls, ev))
            continue
        cls, ev, noun_end, word = noun
        out.append(_Mention(a, b, noun_end, value, qual, low, high, cls, ev, noun=word))
    out.extend(ones)
    out.sort(key=lambda x: x.start)
    return out


def _metric(m: _Mention, ctx: _Context) -> str | None:
    cls = m.cls
    if cls == "victims":
        cls = ctx.kill_class if m.event == "killed" else "people"
    if m.event in ("refugees", "returnees", "idps") and cls == "others":
        cls = "people"
    return L.METRIC_OF.get((cls, m.event))


def _coordinate(s: str, ms: list[_Mention], mains: list[int], ctx: _Context) -> None:
    """A count with no event of its own, joined by "and", "as well as", "in addition to" to
    a count with one, shares its event ("183 fighters, 100 soldiers and 28 civilians")."""
    for _ in range(2):
        for k, i in enumerate(mains):
            m = ms[i]
            if m.event is not None:
                continue
            for j in (mains[k - 1] if k else None, mains[k + 1] if k + 1 < len(mains) else None):
                if j is None:
                    continue
                a, b = (ms[j], m) if j < i else (m, ms[j])
                between = s[a.noun_end : b.start]
                other = ms[j]
                if m.one and not L.LIST_CONT.match(between):
                    continue
                if (
                    other.event in ("killed", "injured", "displaced", "returnees", "released")
                    and L.COORD.match(between)
                    and not _VERBISH.search(between)
                    and not _CLAUSE_CUT.search(between)
                ):
                    m.event = other.event
                    m.metric = _metric(m, ctx)
                    break


def _right_event(text: str) -> tuple[str, int, int] | None:
    m = L.ALL_RIGHT_CUES.search(text)
    return (m.lastgroup, m.start(), m.end()) if m else None


def _assign(s: str, ms: list[_Mention], ctx: _Context) -> None:
    """Roles (main or subset of the previous count), events and metrics, in place."""
    prev = None
    for i, m in enumerate(ms):
        if prev is not None:
            between = s[ms[prev].noun_end : m.start]
            pm = ms[prev]
            intro = L.SUBSET_INTRO.search(between)
            if intro:
                nested = intro.group(0).lstrip().startswith("(")
                m.role, m.parent = "subset", (prev if pm.role == "main" or nested else pm.parent)
            elif pm.role == "subset" and L.LIST_CONT.match(between) and m.cls != "others":
                m.role, m.parent = "subset", pm.parent
            if m.role == "subset":
                par = ms[m.parent]
                bigger = m.value if m.value is not None else m.low
                whole = par.value if par.value is not None else par.high
                if bigger is not None and whole is not None and bigger > whole:
                    m.role, m.parent = "main", None
        prev = i
    mains = [i for i, m in enumerate(ms) if m.role == "main"]
    for k, i in enumerate(mains):
        m = ms[i]
        prev_end = ms[i - 1].noun_end if i > 0 else 0
        left = s[max(prev_end, m.start - 80) : m.start]
        nxt = ms[mains[k + 1]].start if k + 1 < len(mains) else len(s)
        parts = [ms[j] for j in range(i + 1, len(ms)) if ms[j].parent == i]
        if parts:  # the parts' own counts and nouns are blanked out
            right = list(s[m.noun_end : nxt])
            for p in parts:
                for x in range(p.start - m.noun_end, p.noun_end - m.noun_end):
                    if 0 <= x < len(right):
                        right[x] = " "
            right_text = "".join(right)[:220]
        else:
            right_text = s[m.noun_end : nxt][:220]
        cut = _CLAUSE_CUT.search(right_text)
        if cut:
            right_text = right_text[: cut.start()]
        lc = L.LEFT_CUE.search(left)
        left_ev = L.left_event(lc.group("cue")) if lc else None
        rc = _right_event(right_text)
        right_ev = rc[0] if rc else None
        if rc and L.TWO_METRICS.search(right_text[rc[1] : rc[2] + 30]):
            m.event = None
            continue
        if left_ev and lc and L.TWO_METRICS.search(left[-45:]):
            m.event = None
            continue
        cue = left_ev or right_ev
        ev = m.event
        if ev == "vehicles":
            pass
        elif ev == "prisoners":
            ev = cue if cue in ("released", "captured") else None
        elif ev in ("displaced", "idps", "refugees"):
            if cue == "returnees":
                ev = "returnees"
            elif ev == "idps" and cue == "displaced":
                ev = "displaced"
            elif ev == "displaced" and cue == "idps":
                ev = "idps"
            elif ev == "refugees" and left_ev in ("killed", "injured"):
                ev = left_ev
            elif ev == "refugees" and cue is None:
                ev = None  # "Turkey hosts 3 million refugees": a stock, not a crossing
        elif ev is None:
            ev = cue
            if ev is None and L.TOLL.search(s, max(0, m.start - 160), m.start):
                ev = "killed"
        m.event = ev
        m.metric = _metric(m, ctx)
        if ev == "killed" and m.metric:
            cls = m.metric.split("_")[0] if "_" in m.metric else "people"
            ctx.kill_class = cls if cls in ("civilians", "combatants") else "people"
    _coordinate(s, ms, mains, ctx)
    for m in ms:
        if m.role != "subset":
            continue
        par = ms[m.parent]
        m.event = par.event
        if par.metric is None:
            continue
        if m.cls == "people" and m.noun not in _PLAIN_PEOPLE:
            m.metric = None  # "including 1,839 men": no metric for the part
        elif m.cls in ("people", "others", "victims") or (m.cls == par.cls):
            m.metric = par.metric
        else:
            m.metric = L.METRIC_OF.get((m.cls, par.event))
            if par.event == "vehicles":
                m.metric = None


# ---------------------------------------------------------------------------------------------
# Who, when, where
# ---------------------------------------------------------------------------------------------
_STRONG_WORDS = {"in", "around", "near", "across", "throughout", "inside", "outside", "of"}
_ACRONYM_AFTER = re.compile(r"[^().;,]{0,70}?\(([^()]{2,12})\)")


def _counter_name(s: str, end: int, name: str) -> str:
    """Canonical name of a counter mention ending at ``end``; an acronym in brackets after a
    long name wins ("United Nations Office for Humanitarian Affairs (OCHA)")."""
    acr = _ACRONYM_AFTER.match(s, end)
    if acr and acr.group(1) in L.COUNTER_NAMES:
        return L.COUNTER_NAMES[acr.group(1)]
    return name


def _attributions(s: str, off: int, doc: _Doc) -> list[tuple[int, str | None]]:
    """``(position, counter or None)`` for each attribution in the sentence."""
    out: list[tuple[int, str | None]] = []
    according = not s.isascii() or "according" in s.lower()  # (a fast test first)
    for m in L.ACCORDING_TO.finditer(s) if according else ():
        after = s[m.end() :]
        c = L.COUNTER.match(after)
        if c:
            key = _SPACES.sub(" ", c.group(0))
            out.append((m.start(), _counter_name(after, c.end(), L.COUNTER_NAMES.get(key, key))))
            continue
        det = (m.group("det2") or m.group("det") or "").strip().lower()
        r = L.REF_BARE.match(after)
        if r and det not in ("a", "an"):
            out.append((m.start(), doc.last_counter(off + m.start(), r.group(0))))
            continue
        org = L.ORG_NAME.match(after) if det not in ("a", "an") else None
        out.append((m.start(), " ".join(org.group(0).split()) if org else None))
    named = doc.counters_in(off, off + len(s))
    if named and named[0][0] == 0 and s[named[0][1] : named[0][1] + 1] == ":":
        out.append((0, named[0][2]))  # "SOHR: 12 members of regime forces killed ..."
    for c_start, c_end, c_name in named:
        if L.VERB_AFTER.match(s, c_end) or L.VERB_BEFORE.search(s, max(0, c_start - 40), c_start):
            out.append((c_start, _counter_name(s, c_end, c_name)))
    for r in L.COUNTER_REF.finditer(s):
        if any(a < r.end() and r.start() < b for a, b, _n in named):
            continue
        word = r.group(0).lower()
        after_ok = L.VERB_AFTER.match(s[r.end() :])
        before_ok = word != "it" and L.VERB_BEFORE.search(s, max(0, r.start() - 40), r.start())
        if word.endswith("report") and not after_ok:
            continue
        if after_ok or before_ok:
            name = doc.last_counter(off + r.start(), r.group(0))
            if name is not None:
                out.append((r.start(), name))
    counter_ends = {e for _a, e, _n in named}
    for u in L.UNNAMED.finditer(s):
        if any(u.start() - e <= 3 and u.start() >= e for e in counter_ends):
            continue  # "SOHR activists said": the counter's own people
        if L.VERB_AFTER.match(s, u.end()) or L.VERB_BEFORE.search(
            s, max(0, u.start() - 40), u.start()
        ):
            out.append((u.start(), None))
    return sorted(set(out), key=lambda t: t[0])


def _counter_for(pos: int, attrs: list[tuple[int, str | None]]) -> tuple[bool, str | None]:
    before = [a for a in attrs if a[0] <= pos]
    if before:
        return True, before[-1][1]
    if attrs:
        return True, attrs[0][1]
    return False, None


def _places(s: str, doc: _Doc) -> tuple[list[tuple[int, str]], list[str]]:
    """Places named in a sentence ``(position, name)`` and those named as an area (which can
    carry over to the next sentences)."""
    found: list[tuple[int, str]] = []
    area: list[str] = []
    # a crossing, "the country" and "the north-west" need words that most sentences lack (an
    # exact test on ASCII text; other text is scanned in full)
    low = s.lower() if s.isascii() else None
    if low is None or "crossing" in low or "border" in low or "checkpoint" in low:
        for m in L.CROSSING.finditer(s):
            found.append((-1, m.group("name")))
    if low is None or "country" in low:
        for m in L.THE_COUNTRY.finditer(s):
            if doc.country:
                found.append((m.start(), doc.country))
    for m in L.THE_REGION.finditer(s) if low is None or "north" in low or "south" in low else ():
        if doc.country:
            text = m.group("dir").replace("-", "").lower().replace("ern", "") + " " + doc.country
            found.append((m.start(), text))
            area.append((m.start(), text))
    seen: set[int] = set()
    for m in [*L.GAZ_PLACE.finditer(s), *L.LOCATIVE_PLACE.finditer(s)]:
        start = m.start("name")
        if start in seen:
            continue
        seen.add(start)
        name = m.group("name")
        words = name.split()
        first = words[0].lower()
        if first in L.NOT_PLACE:
            continue
        known = m.re is L.GAZ_PLACE or first in L.GAZETTEER or name.casefold() in L.GAZETTEER
        if s[m.end("name") : m.end("name") + 2] in ("'s", "’s") or name.endswith(("'s", "’s")):
            continue
        if any(w.lower() in L.NOT_PLACE_WORDS for w in words):
            continue
        begin = m.start("dir") if m.group("dir") else start
        before = s[max(0, begin - 60) : begin]
        if L.PLACE_EXCLUDE_BEFORE.search(before):
            continue
        if not known and L.DEMONYM.search(words[-1].split("-")[-1].split("/")[0]):
            continue
        if not known and name.isupper():
            continue
        text = (m.group("dir") + " " if m.group("dir") else "") + name
        n2 = m.group("name2")
        if n2 and (n2.casefold() in L.GAZETTEER or n2.split()[0].casefold() in L.GAZETTEER):
            text += " and " + (m.group("dir2") + " " if m.group("dir2") else "") + n2
        found.append((begin, text))
        if m.re is L.LOCATIVE_PLACE:
            if m.group("prep") != "outside":
                area.append((begin, text))
        elif L.AREA_LOCATIVE.search(before):
            area.append((begin, text))
    area.sort(key=lambda t: t[0])
    found.sort(key=lambda t: t[0])
    return found, [t for _p, t in area]


def _resolve_period(
    pos: int, periods: list[Period], published: date
) -> tuple[date | None, date | None]:
    if not periods:
        return None, published

    def nearest(kinds, need):
        # the first of the nearest (as min() would give)
        best, dist = None, 0
        for p in periods:
            if p.kind in kinds and getattr(p, need) is not None:
                d = abs(p.pos - pos)
                if best is None or d < dist:
                    best, dist = p, d
        return best

    end_p = nearest(("asof",), "end") or nearest(("span", "month", "year", "on"), "end")
    start_p = nearest(("span", "since", "month", "year"), "start")
    end = end_p.end if end_p else published
    if end > published:
        end = published
    start = start_p.start if start_p else None
    if start is None:
        durs = [p for p in periods if p.kind == "duration"]
        if durs:
            d = min(durs, key=lambda p: abs(p.pos - pos))
            start = period_start(end, d.days, d.months)
    if start is not None and start > end:
        start = None
    return start, end


# ---------------------------------------------------------------------------------------------
# Paragraphs
# ---------------------------------------------------------------------------------------------
def _line_end(doc: _Doc, line: int) -> int:
    return doc.line_starts[line + 1] - 1 if line + 1 < len(doc.line_starts) else len(doc.body)


def _paragraph_text(doc: _Doc, line: int) -> tuple[int, str]:
    a = doc.line_starts[line]
    b = doc.line_starts[line + 1] - 1 if line + 1 < len(doc.line_starts) else len(doc.body)
    raw = doc.body[a:b].rstrip("\r")
    mk = _LIST_MARKER.match(raw)
    return a + mk.end(), raw[mk.end() :]


def _context_before(doc: _Doc, line: int, depth: int = 0) -> _Context:
    """Context a paragraph starts with: that of the previous paragraph when it ends with a
    colon, else an empty one."""
    j = line - 1
    last = ""
    while j >= 0:
        last = doc.body[doc.line_starts[j] : doc.line_starts[j + 1]].strip()
        if last:
            break
        j -= 1
    if j < 0 or depth > 3:
        return _Context()
    if not last.endswith(":"):  # (a list marker never ends a line with a colon)
        return _Context()
    ctx = _context_before(doc, j, depth + 1)
    _read_paragraph(doc, j, ctx, rows=None)
    return ctx


def _read_paragraph(doc: _Doc, line: int, ctx: _Context, rows: list[dict] | None) -> None:
    """Read the claims of one paragraph into ``rows`` (when given) and leave in ``ctx``
    what carries over to the next paragraph."""
    off, text = _paragraph_text(doc, line)
    sents = split_sentences(text)
    period_cache: dict[int, list[Period]] = {}
    place_cache: dict[int, tuple[list[tuple[int, str]], list[str]]] = {}
    inherited_periods, inherited_location = ctx.periods, ctx.location

    def periods_of(k: int) -> list[Period]:
        if k not in period_cache:
            s_off, s = sents[k]
            resolved = []
            for p in find_periods(s, doc.published):
                if p.kind == "this_period":
                    span = doc.last_span(off + s_off)
                    if span:
                        resolved.append(Period("span", span.start, span.end, p.pos))
                else:
                    resolved.append(p)
            period_cache[k] = resolved
        return period_cache[k]

    def places_of(k: int) -> tuple[list[tuple[int, str]], list[str]]:
        if k not in place_cache:
            place_cache[k] = _places(sents[k][1], doc)
        return place_cache[k]

    def carried_periods(k: int) -> list[Period]:
        for j in range(k - 1, -1, -1):
            if periods_of(j):
                return periods_of(j)
        return inherited_periods

    def carried_location(k: int) -> str | None:
        for j in range(k - 1, -1, -1):
            if places_of(j)[1]:
                return places_of(j)[1][-1]
        return inherited_location

    for k, (s_off, s) in enumerate(sents):
        ms = _mentions(s)
        if not ms:
            continue
        _assign(s, ms, ctx)
        if not any(m.metric for m in ms):
            continue
        periods = periods_of(k)
        places = places_of(k)[0]
        use_periods = periods or carried_periods(k)
        loc = places[0][1] if places else carried_location(k)
        attrs = _attributions(s, off + s_off, doc)
        anaphora = bool(L.ANAPHORA.match(s))
        for m in ms:
            if not m.metric:
                continue
            head = ms[m.parent] if m.role == "subset" else m
            named, counter = _counter_for(head.start, attrs)
            if not named:
                if anaphora and ctx.has_counter:
                    counter = ctx.counter
                elif ctx.has_counter and ctx.counter is not None and ctx.inherited:
                    counter = ctx.counter
                else:
                    counter = doc.default_counter
            if periods:
                cut = _CLAUSE_CUT.search(s, head.noun_end)
                clause_end = cut.start() if cut else len(s)
                start, end = _resolve_period(
                    head.start, [p for p in periods if p.pos < clause_end], doc.published
                )
            else:
                start, end = _resolve_period(head.start, use_periods, doc.published)
            if m.metric == "idps":
                start = None  # a stock is as of a day
            if rows is not None:
                rows.append(
                    {
                        "metric": m.metric,
                        "value": m.value,
                        "qualifier": m.qualifier,
                        "low": m.low,
                        "high": m.high,
                        "period_start": start,
                        "period_end": end,
                        "location": loc,
                        "counted_by": counter,
                        "quote": s,
                        "source_row": line + 1,
                    }
                )
            if m.role == "main":
                ctx.counter, ctx.has_counter = counter, counter is not None
    if sents and rows is None:  # the context this paragraph passes on (after a colon)
        last = len(sents) - 1
        ctx.periods = periods_of(last) or carried_periods(last)
        ctx.location = places_of(last)[1][-1] if places_of(last)[1] else carried_location(last)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------
_RAW_COLUMNS = [
    "metric",
    "value",
    "qualifier",
    "low",
    "high",
    "period_start",
    "period_end",
    "published",
    "location",
    "counted_by",
    "reported_by",
    "url",
    "quote",
    "source_file",
    "source_row",
]


def extract_raw(text: str, published: date | str, url: str | None = None) -> pd.DataFrame:
    """Claims read from a text, before validation (one row per claim, text/date columns).

    Header lines (``URL:``, ``DATE:``, ``NOTE:``) must have been removed (see
    :func:`parse_header`); HTML must have been stripped (see :func:`strip_html`).
    """
    published = parse_published(published)
    doc = _Doc(text, published, url)
    # every line with text (a count may be written in words: no cheaper test than reading)
    lines = [m.start() for m in _NONBLANK_LINE.finditer(text)]
    lines = [bisect_right(doc.line_starts, p) - 1 for p in lines]
    rows: list[dict] = []
    # the many small objects made here are not cyclic: pausing the cycle collector keeps the
    # time linear in the size of the text
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for line in progress(lines, desc="extract", total=len(lines)):
            ctx = _context_before(doc, line)
            ctx.inherited = ctx.has_counter
            _read_paragraph(doc, line, ctx, rows)
    finally:
        if gc_was_on:
            gc.enable()
    df = pd.DataFrame(rows, columns=[c for c in _RAW_COLUMNS if c not in ("published",)])
    df["published"] = published
    return df


def extract_claims(
    text: str,
    published: date | str,
    reported_by: str | None = None,
    url: str | None = None,
    source_file: str = "<text>",
) -> pd.DataFrame:
    """Claims stated in an English report, as a validated Claims table.

    Parameters
    ----------
    text
        The report (plain text or HTML; ``URL:``/``DATE:`` header lines are skipped).
    published
        Publication date (``YYYY-MM-DD``): ``period_end`` when the text states no other, and
        the reference for "since Tuesday" and the like.
    reported_by, url
        Outlet and address, copied to every claim.
    source_file
        Name recorded in ``source_file``.

    Returns
    -------
    DataFrame
        A :class:`stats.schema.Claims` table, one row per claim, in text order.

    Raises
    ------
    UserError
        For a publication date that is not ``YYYY-MM-DD``, or claims the schema rejects.

    Examples
    --------
    >>> c = extract_claims("Since November 27, at least 12 civilians, including four children, "
    ...                    "were killed, the Observatory said.", "2024-11-29")
    >>> c[["metric", "value", "qualifier", "counted_by"]].values.tolist()
    [['civilians_killed', 12, 'at_least', 'SOHR'], ['children_killed', 4, 'exact', 'SOHR']]
    >>> str(c["period_start"].iloc[0].date()), str(c["period_end"].iloc[0].date())
    ('2024-11-27', '2024-11-29')
    """
    published = parse_published(published)
    body, _meta = parse_header(strip_html(text))
    raw = extract_raw(body, published, url=url)
    raw["reported_by"] = reported_by
    raw["url"] = url
    raw["source_file"] = source_file
    valid, rejects = _validate(raw, source_file)
    if len(rejects):
        r = rejects.iloc[0]
        raise UserError(
            f"{source_file}, line {r['source_row']}: extracted claim rejected ({r['column']}: "
            f"{r['reason']})"
        )
    return valid


def _validate(raw: pd.DataFrame, source_file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = raw.copy()
    for c in ("period_start", "period_end", "published"):
        df[c] = pd.to_datetime(df[c]).dt.strftime("%Y-%m-%d") if len(df) else df[c]
    for c in ("value", "low", "high", "source_row"):
        df[c] = pd.array(df[c], dtype="Int64") if len(df) else pd.Series([], dtype="Int64")
    for c in df.columns:
        if c not in ("value", "low", "high", "source_row"):
            df[c] = df[c].astype("object").where(df[c].notna(), None)
    if len(df):
        # the same sentence can appear twice (a headline repeated in the text): number the
        # repeats so that every claim keeps its own id
        ids = claim_ids(df)
        n = ids.groupby(ids).cumcount()
        df["claim_id"] = ids.where(n == 0, ids + "-" + (n + 1).astype("str"))
    return validate(df, source_file=source_file)


def read_text_bytes(data: bytes, name: str) -> str:
    """Decode a text file strictly as UTF-8 (BOM allowed); :class:`UserError` for binary,
    empty or non-UTF-8 input, naming the first bad byte."""
    if len(data) > MAX_BYTES:
        raise UserError(
            f"{name}: {len(data) / 1e6:.0f} MB is too large (limit {MAX_BYTES // 1_000_000} MB)"
        )
    if not data.strip():
        raise UserError(f"{name}: the file is empty (expected English report text)")
    if b"\x00" in data[:8192]:
        raise UserError(f"{name}: binary file (NUL bytes): expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the report as UTF-8"
        ) from None


def read_text_file(
    path: Path | str,
    name: str | None = None,
    published: date | str | None = None,
    reported_by: str | None = None,
    url: str | None = None,
) -> Ingested:
    """Extract claims from a text file (plain text or HTML, UTF-8).

    ``URL:`` and ``DATE:`` header lines give the url and publication date unless the
    arguments do. ``source_row`` is the line the claim was read from; ``n_read`` is the
    number of claims found, so that ``n_read == len(claims) + rejected rows``.

    Raises
    ------
    UserError
        Unreadable, empty, binary or non-UTF-8 file; no publication date (neither a ``DATE:``
        line nor ``published``); a bad date.
    """
    path = Path(path)
    name = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from exc
    text = strip_html(read_text_bytes(data, name))
    body, meta = parse_header(text)
    if published is None:
        if "date" not in meta:
            raise UserError(
                f"{name}: no publication date: add a 'DATE: YYYY-MM-DD' line at the top "
                "or give --published"
            )
        published = parse_published(meta["date"], what=f"{name}: DATE line")
    published = parse_published(published)
    url = url if url is not None else meta.get("url") or None
    raw = extract_raw(body, published, url=url)
    raw["reported_by"] = reported_by
    raw["url"] = url
    raw["source_file"] = name
    valid, rejects = _validate(raw, name)
    return Ingested(valid, rejects, len(raw), name, "text")
