"""Report text -> Claims: the extractor's walk over a document, paragraph by paragraph.

Each paragraph (a line) is split into sentences; each sentence's counts of people
(:mod:`~stats.extract.mentions`) get a counter (:mod:`~stats.extract.attribution`), a period
(:mod:`~stats.extract.periods`) and a place (:mod:`~stats.extract.places`), from the sentence
itself or carried from an earlier sentence, paragraph or the headline. Every claim says how
each inferred field was obtained in ``inferred`` (``counted_by=paragraph;period_end=dateline``),
so that an analyst can review the uncertain ones first.

Notes
-----
Assumptions, each a rule of the specification (``docs/extraction.md``):

* A counter, place or period named in an earlier sentence of the paragraph carries over to a
  later one that states none of its own (a counter only when the text refers back to it: "the
  Observatory said", "this NGO", "Of this total"); a paragraph ending with a colon carries into
  the next one; a counter named in the headline (the first paragraph) or in the previous
  paragraph is carried to a sentence that refers back to it.
* A count "including" parts gives one claim per part, each with the part's own metric.
* A number that counts two metrics together ("killed or injured") is not read, nor counts of
  the missing, abducted or trapped, crowds, money, trucks or buildings.

References
----------
The annotation scheme follows the event-coding practice of ACLED (Raleigh et al., 2010,
"Introducing ACLED", Journal of Peace Research 47(5)) and the UCDP GED codebook (Sundberg &
Melander, 2013): one record per reported figure, with its source and the period it covers.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from stats.contract import claim_ids, validate
from stats.errors import UserError
from stats.extract import attribution as A
from stats.extract.document import (
    Context,
    Document,
    choose_language,
    parse_header,
    parse_published,
    read_document_file,
    strip_html,
)
from stats.extract.mentions import assign_metrics, find_mentions, may_state_claim
from stats.extract.mentions import patterns as mention_patterns
from stats.extract.periods import Period, find_periods, period_start
from stats.extract.places import find_places
from stats.extract.sentences import split_sentences
from stats.ingest import Ingested
from stats.parse import read_count
from stats.progress import progress

_NONBLANK_LINE = re.compile(r"^[ \t\r]*\S", re.MULTILINE)
#: a row of a flattened table: a name (a note in brackets may follow), a colon or not, a
#: number and at most one noun
_TABLE_ROW = re.compile(
    r"^(?P<place>[^\W\d_][^\d:()]{1,40}?)(?:\s*\([^)]{0,40}\))?\s*:?\s+(?P<n>\d[\d,.]*)"
    r"(?:\s+(?P<noun>[^\W\d_][\w\u064b-\u065f]*))?\s*$"
)

#: columns of the table :func:`extract_raw` returns
RAW_COLUMNS = ["metric", "value", "qualifier", "low", "high", "period_start", "period_end",
               "published", "location", "counted_by", "reported_by", "url", "quote",
               "source_file", "source_row", "inferred"]  # fmt: skip


@dataclass
class _Sentence:
    off: int
    text: str
    periods: list[Period] | None = None
    places: tuple[list, list] | None = None
    #: what the sentences up to this one last state, by kind (see :func:`_last_stated`)
    upto: dict = field(default_factory=dict)


def _last_stated(sents: list[_Sentence], k: int, kind: str, stated):
    """What the last sentence before ``k`` that states anything of a kind states
    (``stated(sentence)``, empty when nothing), or ``None``. Each sentence walked over
    remembers the answer (``upto``), so that the next sentence stops there: a paragraph of
    many sentences is read in time linear in its length."""
    walked, got = [], None
    for j in range(k - 1, -1, -1):
        if kind in sents[j].upto:
            got = sents[j].upto[kind]
            break
        walked.append(sents[j])
        got = stated(sents[j]) or None
        if got is not None:
            break
    for sent in walked:
        sent.upto[kind] = got
    return got


def _periods_of(doc: Document, off: int, sent: _Sentence) -> list[Period]:
    if sent.periods is None:
        out = []
        for p in find_periods(sent.text, doc.published, doc.lex):
            if p.kind == "this_period":
                span = _last_span(doc, off + sent.off)
                if span:
                    out.append(Period("span", span.start, span.end, p.pos))
            elif p.kind == "since_start":
                since = _last_since(doc, off + sent.off)
                if since:
                    out.append(Period("since", since.start, None, p.pos))
            else:
                out.append(p)
        sent.periods = out
    return sent.periods


def _stated(doc: Document, kinds: tuple[str, ...], before: int) -> Period | None:
    """The last period of one of ``kinds`` with its days stated before a position."""
    key = "stated " + " ".join(kinds)
    if key not in doc.cache:
        found = []
        for line in range(len(doc.line_starts)):
            off, text = doc.paragraph(line)
            for p in find_periods(text, doc.published, doc.lex):
                if p.kind in kinds and p.start and (p.end or p.kind != "span"):
                    found.append((off + p.pos, p))
        doc.cache[key] = (found, [pos for pos, _p in found])
    found, positions = doc.cache[key]
    i = bisect_left(positions, before)
    return found[i - 1][1] if i else None


def _last_span(doc: Document, before: int) -> Period | None:
    """The last span of days ("from 27 November to 3 December") stated before a position."""
    return _stated(doc, ("span",), before)


def _last_since(doc: Document, before: int) -> Period | None:
    """The last day a count is said to run from ("since 7 October", "the war that began on
    15 April") before a position: the start of "since the start of the war"."""
    return _stated(doc, ("since",), before)


def _resolve_period(pos: int, periods: list[Period], published: date):
    """``(start, end, how_start, how_end)`` from the period phrases nearest a count."""
    if not periods:
        return None, published, None, "dateline"

    def nearest(kinds, need):
        best, dist = None, 0
        for p in periods:
            if p.kind in kinds and getattr(p, need) is not None:
                d = abs(p.pos - pos)
                if best is None or d < dist:
                    best, dist = p, d
        return best

    end_p = nearest(("asof",), "end") or nearest(("span", "month", "year", "on"), "end")
    start_p = nearest(("span", "since", "month", "year"), "start")
    end, how_end = (end_p.end, "text") if end_p else (published, "dateline")
    if end > published:
        end, how_end = published, "dateline"
    start, how_start = (start_p.start, "text") if start_p else (None, None)
    if start is None:
        durs = [p for p in periods if p.kind == "duration"]
        if durs:
            d = min(durs, key=lambda p: abs(p.pos - pos))
            start = period_start(end, d.days, d.months)
            how_start = "duration" if how_end == "text" else "duration_dateline"
    if start is not None and start > end:
        start, how_start = None, None
    return start, end, how_start, how_end


def _said_days(s: str, periods: list[Period], doc: Document) -> list[date]:
    """The days a sentence says a report was made: a day right after a verb of saying
    ("said on Monday", "revealed Wednesday", "informó este lunes"), not the day of an event."""
    if not any(p.kind == "on" for p in periods):
        return []
    ends = [m.end() for m in A.patterns(doc.lex).saying.finditer(s)]
    return [
        p.end
        for p in periods
        if p.kind == "on" and p.end and any(0 <= p.pos - e <= 2 for e in ends)
    ]


#: how a counter found in an earlier sentence or paragraph is named in ``inferred``
_REPORTED = ("reference", "paragraph", "document")


class _Reader:
    """Reads the claims of a document, paragraph by paragraph."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.rows: list[dict] = []
        self.headline_counter: str | None = None
        self.last_counter: str | None = None
        #: counter -> the day it was last said to report on ("the ministry said on Monday")
        self.said: dict[str, date] = {}
        #: counter -> the first day of its last count since a stated day ("since 7 October")
        self.since: dict[str, date] = {}

    def context_before(self, line: int, depth: int = 0) -> Context:
        """The context a paragraph starts with: that of the previous paragraph when it ends
        with a colon, else an empty one."""
        j = self.doc.previous_line(line)
        if j is None or depth > 3 or not self.doc.ends_with_colon(j):
            return Context()
        ctx = self.context_before(j, depth + 1)
        self.read_paragraph(j, ctx, keep=False)
        return ctx

    def read_paragraph(self, line: int, ctx: Context, keep: bool = True) -> None:
        """Read the claims of one paragraph (kept when ``keep``) and leave in ``ctx`` what
        carries over to the next paragraph."""
        doc = self.doc
        off, text = doc.paragraph(line)
        if keep and self.table_row(line, off, text):
            return
        sents = [_Sentence(o, s) for o, s in split_sentences(text, doc.lex)]
        inherited = (ctx.periods, ctx.location)
        for k, sent in enumerate(sents):
            if (self.rows or not keep) and not may_state_claim(sent.text, doc.lex):
                continue  # no count of it gets a metric (a count in the lead is still read)
            ms = find_mentions(sent.text, doc.lex)
            if not ms:
                if keep and not self.rows:  # the lead, before the first count
                    self.note_said(off, sent)
                continue
            assign_metrics(sent.text, ms, ctx, doc.lex)
            if any(m.metric for m in ms):
                self.read_sentence(line, off, sents, k, ms, ctx, inherited, keep)
        if sents and not keep:
            last = len(sents) - 1
            if not ctx.has_counter:  # "Details of the report SOHR published:" (no count)
                ctx.counter = self.lead_in_counter(off, sents[last])
                ctx.has_counter = ctx.counter is not None
            ctx.periods = _periods_of(doc, off, sents[last]) or self.carried_periods(
                off, sents, last, inherited[0]
            )
            ctx.location = self.carried_location(sents, last + 1, inherited[1])

    def lead_in_counter(self, off: int, sent: _Sentence) -> str | None:
        """The counter a sentence that ends with a colon names as the one who says or
        publishes what follows ("The report the Observatory published reads:", "Selon
        l'OCHA :"), when it states no count of its own; ``None`` when it names none."""
        attrs = A.find_attributions(sent.text, off + sent.off, self.doc)
        named = [name for _pos, name, how in attrs if name and how != "unnamed"]
        return named[-1] if named else None

    def table_row(self, line: int, off: int, text: str) -> bool:
        """A row of a table flattened into text ("Tartous: 49", "Hama 84 victims", one per
        line after a claim): the claim of the line before, for the place the row names."""
        if not self.rows:
            return False
        last = self.rows[-1]
        prev = self.doc.previous_line(line)
        if prev is None or last["source_row"] != prev + 1:
            return False
        m = _TABLE_ROW.match(text)
        if m is None:
            return False
        noun = (m.group("noun") or "").casefold()
        lex = self.doc.lex
        if noun and noun not in lex.people and noun not in lex.metric_nouns:
            return False
        place = m.group("place").strip()
        if place.casefold() in mention_patterns(lex).not_people:
            return False
        value = read_count(m.group("n"), lex.lang).value
        if value is None:
            return False
        flags = [f for f in last["inferred"].split(";") if not f.startswith(("metric=", "loc"))]
        self.rows.append(
            {
                **last,
                "value": value,
                "qualifier": "exact",
                "low": None,
                "high": None,
                "location": place,
                "quote": self.doc.quote(off, off + len(text)).strip(),
                "source_row": line + 1,
                "inferred": ";".join([*flags, "location=table", "metric=table"]),
            }
        )
        return True

    def places_of(self, sent: _Sentence):
        if sent.places is None:
            sent.places = find_places(sent.text, self.doc)
        return sent.places

    def carried_periods(self, off, sents, k, inherited):
        """The periods of the last sentence before ``k`` that states any, else those the
        paragraph inherited."""
        got = _last_stated(sents, k, "periods", lambda sent: _periods_of(self.doc, off, sent))
        return got or inherited

    def carried_location(self, sents, k, inherited):
        """The last area named in the sentences before ``k``, else the inherited one."""

        def area(sent):
            named = self.places_of(sent)[1]
            return named[-1] if named else None

        return _last_stated(sents, k, "area", area) or inherited

    def counter(
        self, head, attrs, anaphora: bool, ctx: Context, pos: int, s: str
    ) -> tuple[str | None, str]:
        """The counter of a count and how it was found (from an earlier paragraph only when
        the sentence goes on with a report: a verb of saying, a quotation, "others")."""
        got = A.counter_for(head.start, attrs)
        if got is not None:
            how, name = got
            return name, {"named": "sentence", "according_to": "sentence"}.get(how, how)
        if anaphora and ctx.has_counter:
            return ctx.counter, "paragraph"
        if ctx.has_counter and ctx.counter is not None and ctx.inherited:
            return ctx.counter, "paragraph"
        site = A.default_counter(self.doc)
        if site is not None:
            return site, "website"
        if not (anaphora or head.cls == "others" or A.continues_report(s, self.doc.lex)):
            return None, "none"
        earlier = A.last_attributed(self.doc, pos)
        if earlier is not None:
            return earlier, "document"
        return None, "none"

    def note_said(self, off: int, sent: _Sentence) -> None:
        """Remember the day a counter is said to report on in a sentence of the lead without
        counts ("The Lebanese Ministry of Health revealed on Wednesday that the toll has
        risen")."""
        doc = self.doc
        if not A.patterns(doc.lex).saying.search(sent.text):
            return
        days = _said_days(sent.text, _periods_of(doc, off, sent), doc)
        if days:
            attrs = A.find_attributions(sent.text, off + sent.off, doc)
            named = [a[1] for a in attrs if a[1] and a[2] in ("named", "reference")]
            if named:
                self.said[named[0]] = days[0]

    def period_of(self, s: str, head, periods, use_periods, counter, how_counter):
        """``(start, end, how_start, how_end)`` of a count: from the periods of its clause,
        else those carried from the sentences before; a sentence that states no day of its
        own takes the day its counter was said to report on ("the ministry said on
        Wednesday ... It added that in the past 24 hours ..."), else the dateline. A count
        that goes on with a counter's report from an earlier paragraph ("Among the dead are
        583 children, the ministry said") and states no period starts where that counter's
        last count since a stated day started (``period_start=report``)."""
        doc = self.doc
        ref_day = self.said.get(counter, doc.published) if counter else doc.published
        if periods:
            cut = mention_patterns(doc.lex).clause_cut.search(s, head.noun_end)
            clause_end = cut.start() if cut else len(s)
            near = [p for p in periods if p.pos < clause_end]
            start, end, hs, he = _resolve_period(head.start, near, ref_day)
            if counter and (days := _said_days(s, periods, doc)):
                self.said[counter] = days[0]
        else:
            start, end, hs, he = _resolve_period(head.start, use_periods, ref_day)
            if use_periods:
                hs = hs and "paragraph"
                he = "paragraph" if he == "text" else he
        if he == "dateline" and ref_day != doc.published:
            he = "report"
            hs = "duration" if hs == "duration_dateline" else hs
        if counter and hs == "text":
            self.since[counter] = start
        elif counter in self.since and not use_periods and how_counter in _REPORTED:
            start, hs = self.since[counter], "report"
        return start, end, hs, he

    def read_sentence(self, line, off, sents, k, ms, ctx, inherited, keep) -> None:
        doc, sent = self.doc, sents[k]
        s = sent.text
        periods = _periods_of(doc, off, sent)
        places = self.places_of(sent)[0]
        use_periods = periods or self.carried_periods(off, sents, k, inherited[0])
        if places:
            loc, how_loc = places[0][1], "sentence"
        else:
            loc = self.carried_location(sents, k, inherited[1])
            how_loc = "paragraph" if loc else "none"
        attrs = A.find_attributions(s, off + sent.off, doc)
        anaphora = bool(mention_patterns(doc.lex).anaphora.match(s))
        for m in ms:
            if not m.metric:
                continue
            head = ms[m.parent] if m.role == "subset" else m
            counter, how_counter = self.counter(head, attrs, anaphora, ctx, off + sent.off, s)
            start, end, hs, he = self.period_of(s, head, periods, use_periods, counter, how_counter)
            if m.metric == "idps" and m.noun.split(" ")[0] in mention_patterns(doc.lex).stock:
                # "115,000 displaced people in one week": a period of days makes it a flow
                if any(p.kind in ("duration", "since", "span") for p in use_periods):
                    m.metric = "displaced"
                    start, end, hs, he = _resolve_period(head.start, use_periods, doc.published)
            if m.metric == "idps":
                start, hs = None, None  # a stock is as of a day
            if m.role == "main":
                ctx.counter, ctx.has_counter = counter, counter is not None
            if not keep:
                continue
            flags = [f"counted_by={how_counter}", f"period_end={he}", f"location={how_loc}"]
            if hs:
                flags.insert(1, f"period_start={hs}")
            if m.role == "subset":
                flags.append("metric=part")
            self.rows.append(
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
                    "quote": doc.quote(off + sent.off, off + sent.off + len(s)),
                    "source_row": line + 1,
                    "inferred": ";".join(flags),
                }
            )


def extract_raw(
    text: str, published: date | str, url: str | None = None, lang: str | None = None
) -> pd.DataFrame:
    """Claims read from a text, before validation (one row per claim, text/date columns).

    Header lines must have been removed (see :func:`~stats.extract.document.parse_header`)
    and HTML stripped; ``lang`` is detected when not given.
    """
    published = parse_published(published)
    doc = Document(text, published, url, choose_language(text, lang, "<text>"))
    reader = _Reader(doc)
    lines = sorted({doc.line_of(m.start()) for m in _NONBLANK_LINE.finditer(text)})
    # the many small objects made here are not cyclic: pausing the cycle collector keeps the
    # time linear in the size of the text
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for line in progress(lines, desc="extract", total=len(lines)):
            ctx = reader.context_before(line)
            ctx.inherited = ctx.has_counter
            reader.read_paragraph(line, ctx)
    finally:
        if gc_was_on:
            gc.enable()
    df = pd.DataFrame(reader.rows, columns=[c for c in RAW_COLUMNS if c != "published"])
    df["published"] = published
    return df[[c for c in RAW_COLUMNS]]


def _validate(raw: pd.DataFrame, source_file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = raw.copy()
    for c in ("period_start", "period_end", "published"):
        df[c] = pd.to_datetime(df[c]) if len(df) else df[c]
    for c in ("value", "low", "high", "source_row"):
        df[c] = pd.array(df[c], dtype="Int64") if len(df) else pd.Series([], dtype="Int64")
    df.attrs["replaced_bytes"] = False  # the text was decoded strictly (no byte replaced)
    if len(df):
        # the same sentence can appear twice (a headline repeated in the text): number the
        # repeats so that every claim keeps its own id
        ids = claim_ids(df)
        n = ids.groupby(ids).cumcount()
        df["claim_id"] = ids.where(n == 0, ids + "-" + (n + 1).astype("str"))
    valid, rejects = validate(df, source_file=source_file, first_row=1)
    if len(rejects):  # rejects name the line of the text, as the claims do
        at = rejects["source_row"].astype("Int64")
        lines = pd.array(df["source_row"], dtype="Int64")
        rejects["source_row"] = pd.array(
            [lines[int(i) - 1] if pd.notna(i) and 1 <= int(i) <= len(lines) else i for i in at],
            dtype="Int64",
        )
    return valid, rejects


def extract_claims(
    text: str,
    published: date | str,
    reported_by: str | None = None,
    url: str | None = None,
    source_file: str = "<text>",
    lang: str | None = None,
) -> pd.DataFrame:
    """Claims stated in a report, as a validated Claims table.

    Parameters
    ----------
    text
        The report (plain text or HTML; header lines such as ``URL:``, ``DATE:`` and
        ``LANG:`` are read and skipped).
    published
        Publication date (``YYYY-MM-DD``): ``period_end`` when the text states no other, and
        the reference for "since Tuesday" and the like.
    reported_by, url
        Outlet and address, copied to every claim (the outlet by default from a
        ``SOURCE:`` header line).
    source_file
        Name recorded in ``source_file``.
    lang
        Language (``en``, ``fr``, ``es``, ``de``, ``pt``, ``ar``); by default a ``LANG:``
        line, else detected.

    Returns
    -------
    DataFrame
        A :class:`stats.contract.Claims` table, one row per claim, in text order.

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
    >>> str(c["period_start"].iloc[0].date()), c["inferred"].iloc[1]
    ('2024-11-27', 'counted_by=sentence;period_start=text;period_end=dateline;location=none;metric=part')
    """
    published = parse_published(published)
    body, meta = parse_header(strip_html(text))
    raw = extract_raw(body, published, url=url, lang=lang or meta.get("lang"))
    raw["reported_by"] = reported_by if reported_by is not None else meta.get("source") or None
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


def read_text_file(
    path: Path | str,
    name: str | None = None,
    published: date | str | None = None,
    reported_by: str | None = None,
    url: str | None = None,
    lang: str | None = None,
) -> Ingested:
    """Extract claims from a report file (plain text, HTML or PDF).

    ``URL:``, ``DATE:``, ``LANG:`` and ``SOURCE:`` header lines give the url, publication
    date, language and outlet (``reported_by``) unless the arguments do. ``source_row`` is the line the claim was read from;
    ``n_read`` is the number of claims found, so that ``n_read == len(claims) + rejected``.

    Raises
    ------
    UserError
        Unreadable, empty, binary or non-UTF-8 file; no publication date (neither a ``DATE:``
        line nor ``published``); a bad date or language.
    """
    name = name or str(path)
    body, meta = read_document_file(path, name)
    if published is None:
        if "date" not in meta:
            raise UserError(
                f"{name}: no publication date: add a 'DATE: YYYY-MM-DD' line at the top "
                "or give --published"
            )
        published = parse_published(meta["date"], what=f"{name}: DATE line")
    published = parse_published(published)
    url = url if url is not None else meta.get("url") or None
    lang = choose_language(body, lang or meta.get("lang"), name)
    raw = extract_raw(body, published, url=url, lang=lang)
    raw["reported_by"] = reported_by if reported_by is not None else meta.get("source") or None
    raw["url"] = url
    raw["source_file"] = name
    valid, rejects = _validate(raw, name)
    return Ingested(valid, rejects, len(raw), name, "text")
