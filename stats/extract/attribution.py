"""Who counted: the counter of each count, by canonical name (``stats vocab sources``).

A counter is named with a verb of saying ("the UN reported", "said OCHA", "selon l'ONU"),
after "according to", as the head of a sentence ("SOHR: ..."), or referred back to ("this
NGO", "the monitor": the last counter of that kind named before, in this paragraph or an
earlier one, or in the headline). Generic counters ("health officials", "the ministry", "the
Houthi-run health ministry") have the canonical names the lexicon gives them. A reporter (an
outlet, "journalists") and an unnamed source ("an NGO", "activists") name no counter; a
perpetrator ("SDF killed 27 civilians") is never the counter.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stats.disk import read_yaml
from stats.extract.document import Document
from stats.extract.language import (
    Lexicon,
    alternatives,
    branches,
    char_class,
    first_chars,
    holds,
    phrase_regex,
    required_keys,
)

_SPACES = re.compile(r"\s+")
#: a colon a word or two before a counter that ends a headline ("...: Gaza health ministry")
#: a colon right after a counter that opens a sentence, or a word or two later ("SOHR: ...")
_TAIL_COLON = re.compile(r"(?:\s+[^\s:]+){0,2}\s*:")
_HEAD_COLON = re.compile(r":\s*(?:[^\s:]+\s+){0,2}$")
_BRACKET_END = re.compile(r"(?:\s+[^\s()]+){0,2}\s*\)\W*$")
_BRACKET_OPEN = re.compile(r"\(\s*(?:[^\s()]+\s+){0,2}$")
#: one or two words between "according to" and a counter ("der proiranischen Huthi-Miliz")
_ADJECTIVES = re.compile(r"(?:[^\W\d_][\w'’-]*\s+){1,2}?(?=[^\W\d_])")
_QUOTES = '“”"«»„'
#: the counter a country is when it is the subject of a verb of saying ("India reports")
COUNTRY_SUBJECT = "{country} government"
_ACRONYM_AFTER = re.compile(r"[^().;,]{0,70}?\(([^()]{2,12})\)")


@dataclass(frozen=True)
class AttributionPatterns:
    """The patterns of one language."""

    counter: re.Pattern
    names: dict[str, str]
    phrases: list[tuple[re.Pattern, str]]
    ref: re.Pattern
    ref_bare: re.Pattern
    #: reference word (lower case) -> the kinds of counter it can mean, longest word first
    ref_types: dict[str, list[str]]
    according: re.Pattern
    verb_after: re.Pattern
    verb_before: re.Pattern
    unnamed: re.Pattern
    org: re.Pattern
    subject_verb: re.Pattern
    saying: re.Pattern
    told: re.Pattern
    unnamed_keys: frozenset[str] | None


def _has_lower(name: str) -> bool:
    return any(ch.islower() for ch in name)


def _spaced(name: str) -> str:
    return re.escape(name).replace(r"\ ", r"\s+")


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@cache
def _patterns(lang: str, lex: Lexicon) -> AttributionPatterns:
    a = lex.get("attribution")
    written = {_key(k): v for k, v in lex.counter_names.items() if _key(k)}
    # an acronym written with its article ("the UN") is scanned without it when the bare
    # acronym is also listed, so that it cannot hide a longer name ("the UN refugee agency")
    arts = {str(d).casefold() for d in a["reference_determiners"]}

    def article_acronym(k: str) -> bool:
        head, _, rest = k.partition(" ")
        return head.casefold() in arts and rest in written and not any(c.islower() for c in rest)

    alts = sorted((k for k in written if not article_acronym(k)), key=len, reverse=True)
    names = {**{k.casefold(): v for k, v in written.items()}, **written}
    # acronyms are matched as written ("UN" is not the French "un", "OMS" not "oms"); other
    # names in any case ("Organisation mondiale de la santé", "the Lebanese Health Ministry")
    # (a lower-case name may use the phrase syntax: "ministère ... de la santé"); longest
    # names first
    # names with a small letter in one case-insensitive group, tried first (a longer name
    # wins over an acronym it starts with: "UN refugee agency"), then the acronyms; each
    # branch starts with its own first letter, so that a scan skips it at once
    anycase = [phrase_regex(x) if x == x.casefold() else _spaced(x) for x in alts if _has_lower(x)]
    exact = [_spaced(x) for x in alts if not _has_lower(x)]
    counter_src = "|".join(
        ([f"(?i:{branches(anycase, ignore_case=True)})"] if anycase else [])
        + ([branches(exact)] if exact else [])
    )
    lower = [x for x in alts if x == x.casefold()]
    phrases = [(re.compile(phrase_regex(x), re.I), written[x]) for x in lower]
    counter = re.compile(
        rf"(?<![\w-])(?={char_class(first_chars(alts))})(?:{counter_src})(?![\w-])"
    )
    refs = {str(k): list(v) for k, v in a["references"].items()}
    ref_words = alternatives(refs)
    dets = alternatives(a["reference_determiners"])
    # a determiner and the space after it; an elided one ("l'") has none
    det_sp = r"(?:\s+|(?<=['’]))"
    based = r"(?:(?:[A-Z][a-z]+|UK|U\.K\.)-based\s+)?"
    verbs = alternatives(a["verbs"])
    verbs_after = _verbs_after(a)
    own = alternatives(a["own_people"])
    source_words = alternatives(a["source_words"])
    org_words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in a["organisation_words"])
    org_links = alternatives(a["organisation_links"], ignore_case=False)
    aux = alternatives(lex.get("auxiliaries"))
    links = alternatives(a["place_links"])
    return AttributionPatterns(
        counter=counter,
        names=names,
        phrases=phrases,
        ref=re.compile(rf"(?<!\w)(?:{dets}){det_sp}{based}(?P<word>{ref_words})(?!\w)", re.I),
        ref_bare=re.compile(rf"{based}(?:{ref_words})(?!\w)", re.I),
        ref_types={k.casefold(): v for k, v in sorted(refs.items(), key=lambda kv: -len(kv[0]))},
        according=re.compile(
            rf"(?:{alternatives(a['according_to'])})\s+(?P<det>(?:{dets}|an?){det_sp})?"
            rf"(?:(?:{source_words})\s+)*(?P<det2>(?:{dets}|an?){det_sp})?",
            re.I,
        ),
        verb_after=re.compile(
            rf"\)?(?:\s*\([^)]{{0,60}}\))?(?:'s)?(?:\s+(?:{own})(?:\s+(?-i:[A-Z])[\w'’-]+){{0,4}})?"
            rf"(?:\s+(?-i:[A-Z])[\w'’-]+){{0,4}}(?:\s+(?:{links})\s+[^,.;]{{0,40}}?)??"
            rf"(?:\s*,[^.;]{{0,100}}?,)?(?:\s+(?:{links})\s+[^,.;]{{0,40}}?)?"
            rf"(?:\s+(?:{aux}|\w+)){{0,2}}?\s+(?:{verbs_after})(?!\w)",
            re.I,
        ),
        verb_before=re.compile(
            rf"(?:{verbs})(?:\s+\w+){{0,2}}?\s+(?:(?:{dets}|by){det_sp})*$", re.I
        ),
        unnamed=re.compile(rf"(?:{alternatives(a['unnamed'] + a['reporters'])})", re.I),
        subject_verb=re.compile(rf"\s+(?:(?:{aux})\s+)?(?:{verbs})(?!\w)", re.I),
        saying=re.compile(alternatives(a["verbs"], lex.data), re.I),
        unnamed_keys=required_keys(a["unnamed"] + a["reporters"], lex.data),
        told=re.compile(
            rf"(?:{alternatives(a.get('told') or ['(?!x)x'], lex.data)})\s+(?:(?:{dets}){det_sp})?$",
            re.I,
        ),
        org=re.compile(
            rf"(?:[A-Z][\w'’&.-]*\s+){{0,5}}(?:{org_words})(?!\w)"
            rf"(?:\s+(?:{org_links})(?:\s+(?:{org_links}\s+)?[A-Z][\w'’-]*){{1,4}})?"
        ),
    )


def _verbs_after(a: dict) -> str:
    """The verbs of saying that may follow a counter: after a counter, "according to"
    introduces the next one ("... les rebelles du M23, entre le 26 et le 30 janvier, selon
    l'ONU"): it is no verb of the counter before it."""
    according = {str(w).casefold() for w in a["according_to"]}
    return alternatives([v for v in a["verbs"] if str(v).casefold() not in according])


def patterns(lex: Lexicon) -> AttributionPatterns:
    """The attribution patterns of a lexicon (built once per language)."""
    return _patterns(lex.lang, lex)


def _lookup(p: AttributionPatterns, text: str) -> str:
    """The canonical name (or name template) of a counter as matched in the text."""
    key = _key(text)
    got = p.names.get(key) or p.names.get(key.casefold())
    if got is None:
        got = next((name for rx, name in p.phrases if rx.fullmatch(key)), key)
    return got


def _counters(doc: Document) -> tuple[list[int], list[str], list[int]]:
    """Named counters in the whole text: start positions, names, end positions."""
    if "counters" not in doc.cache:
        p = patterns(doc.lex)
        pos, names, ends = [], [], []
        for m in p.counter.finditer(doc.scan):
            pos.append(m.start())
            ends.append(m.end())
            names.append(_lookup(p, m.group(0)))
        doc.cache["counters"] = (pos, names, ends)
    return doc.cache["counters"]


def counters_in(doc: Document, a: int, b: int) -> list[tuple[int, int, str]]:
    """Named counters between two positions, as ``(start, end, name)`` relative to ``a``."""
    pos, names, ends = _counters(doc)
    i, j = bisect_right(pos, a - 1), bisect_right(pos, b - 1)
    return [(pos[k] - a, ends[k] - a, names[k]) for k in range(i, j) if ends[k] <= b]


def last_counter(doc: Document, before: int, ref: str = "") -> str | None:
    """The counter named last before a position, of a kind the reference fits."""
    pos, names, ends = _counters(doc)
    types = ref_types(ref, doc.lex)
    types_of = doc.lex.counter_types

    def named(k: int) -> str | None:
        name = names[k]
        return national_name(name, doc.scan, pos[k], ends[k], doc) if "{country}" in name else name

    def fits(k: int) -> bool:
        name = named(k)
        return bool(name) and (types is None or types_of.get(name) in types or "{" in names[k])

    kinds = frozenset(types) if types is not None else None
    k = _last_counter_index(doc, ("fits", kinds), bisect_right(pos, before - 1), fits)
    return named(k) if k >= 0 else None


def _last_counter_index(doc: Document, question, n: int, test) -> int:
    """The index of the last of the first ``n`` counters of the text that pass ``test``, or
    -1. Each counter walked over remembers the answer for ``question``, so that the next
    question stops there: the counters of a document are walked over once per question, not
    once per sentence (linear time)."""
    memo = doc.cache.setdefault(("last counter", question), {})
    walked, got = [], -1
    while n > 0:
        if n in memo:
            got = memo[n]
            break
        walked.append(n)
        if test(n - 1):
            got = n - 1
            break
        n -= 1
    for k in walked:
        memo[k] = got
    return got


def ref_types(ref: str, lex: Lexicon) -> set[str] | None:
    """Kinds of counter a reference ("this NGO", "the agency") can mean; None for any."""
    low = " ".join(ref.casefold().split())
    for word, kinds in patterns(lex).ref_types.items():
        if low.endswith(word):
            return set(kinds) or None
    return None


def default_counter(doc: Document) -> str | None:
    """The counter the web site of the report is (``unhcr.org`` is UNHCR)."""
    if not doc.url:
        return None
    host = re.sub(r"^https?://", "", doc.url).split("/")[0].lower()
    for dom, name in doc.lex.get("attribution", "domains").items():
        if host == dom or host.endswith("." + dom):
            return name
    return None


def _counter_name(s: str, start: int, end: int, name: str, doc: Document) -> str | None:
    """The canonical name of a counter written at ``s[start:end]``: an acronym in brackets
    after a long name wins ("... Humanitarian Affairs (OCHA)"); a national counter
    ("{country} Health Ministry") is named for the country next to it or of the document."""
    p = patterns(doc.lex)
    acr = _ACRONYM_AFTER.match(s, end)
    if acr and acr.group(1) in p.names:
        return p.names[acr.group(1)]
    if "{country}" in name:
        return national_name(name, s, start, end, doc)
    return name


def national_name(template: str, s: str, start: int, end: int, doc: Document) -> str | None:
    """``template`` ("{country} Health Ministry") for the country a sentence names just
    before or after a counter (within a few words), else the country of the document;
    ``None`` when neither is known."""
    from stats.extract.places import document_country, nearest_country

    country = nearest_country(s, start, end, doc) or document_country(doc)
    names = _national_names()
    if country not in names:
        return None
    return template.replace("{country}", names[country])


@cache
def _national_names() -> dict[str, str]:
    names = read_yaml(Path(__file__).resolve().parent / "lexicon" / "countries.yml")["names"]
    return {str(k): str(v) for k, v in names.items()}


def find_attributions(s: str, off: int, doc: Document) -> list[tuple[int, str | None, str]]:
    """``(position, counter or None, how)`` for each attribution in the sentence; ``how`` is
    ``named``, ``according_to``, ``reference`` or ``unnamed``."""
    p = patterns(doc.lex)
    out = _according(s, off, doc)
    named = counters_in(doc, off, off + len(s))
    refs, replaced = _references(s, off, doc, named)
    out += _framed(s, named, doc)
    for c_start, c_end, c_name in named:
        if (c_start, c_end) in replaced:
            continue
        if p.told.search(s, max(0, c_start - 30), c_start):
            continue  # "Rwanda's army told AFP": the one told is not the counter
        if p.verb_after.match(s, c_end) or p.verb_before.search(s, max(0, c_start - 40), c_start):
            out.append((c_start, _counter_name(s, c_start, c_end, c_name, doc), "named"))
    out += refs + _country_subjects(s, doc)
    ends = {e for _a, e, _n in named}
    starts = {a for a, _e, _n in named}
    for u in p.unnamed.finditer(s) if holds(p.unnamed_keys, s, doc.lex) else ():
        told = p.told.search(s, max(0, u.start() - 30), u.start())
        if any(0 <= u.start() - e <= 3 for e in ends) or u.start() in starts or told:
            continue  # "SOHR activists said": the counter's own people; "officials said": a
            # generic counter of the lexicon, not an unnamed source
        if p.verb_after.match(s, u.end()) or p.verb_before.search(
            s, max(0, u.start() - 40), u.start()
        ):
            out.append((u.start(), None, "unnamed"))
    return sorted(set(out), key=lambda t: (t[0], t[2], t[1] or ""))


@cache
def _relative(lang: str, lex: Lexicon) -> re.Pattern:
    """Spaces and a relative word between "according to" and a verb of saying ("según lo
    que dijo", "بحسب ما أفادت"): the lexicon's ``attribution.relatives`` (built once per
    language)."""
    words = lex.get("attribution").get("relatives") or []
    return re.compile(rf"\s*(?:(?:{alternatives(words)})\s*)?")


def _according(s: str, off: int, doc: Document) -> list[tuple[int, str | None, str]]:
    """Counters after "according to" ("selon l'OIM", "nach Angaben der Behörden")."""
    p = patterns(doc.lex)
    out: list[tuple[int, str | None, str]] = []
    if not doc.lex.may_hold(s, "attribution", "according_to"):
        return out
    for m in p.according.finditer(s):
        after = s[m.end() :]
        if p.saying.match(after, _relative(doc.lex.lang, doc.lex).match(after).end()):
            continue  # "según informó el ministerio", "بحسب ما أفادت الوزارة": the verb's
            # subject, found by the verb, is the counter
        c = p.counter.match(after)
        skip = _ADJECTIVES.match(after)
        if c is None and skip:  # "nach Angaben der proiranischen Huthi-Miliz"
            c = p.counter.match(after, skip.end())
            after = after[skip.end() :] if c else after
            c = p.counter.match(after) if c else None
        if c:
            name = _lookup(p, c.group(0))
            out.append((m.start(), _counter_name(after, 0, c.end(), name, doc), "named"))
            continue
        det = (m.group("det2") or m.group("det") or "").strip().casefold()
        r = p.ref_bare.match(after)
        if r and det not in ("a", "an", "un", "une", "una", "um", "uma", "ein", "eine"):
            out.append((m.start(), last_counter(doc, off + m.start(), r.group(0)), "reference"))
            continue
        org = p.org.match(after) if det not in ("a", "an") else None
        if org is None and not (after[:1].isupper() or p.unnamed.match(after)):
            continue  # "وفق التوزيع التالي" (according to the following breakdown): no source
        out.append((m.start(), " ".join(org.group(0).split()) if org else None, "named"))
    return out


def _framed(s: str, named: list, doc: Document) -> list[tuple[int, str | None, str]]:
    """A counter that frames the whole sentence: at its head before a colon ("SOHR: 12
    killed"), at its end after a colon ("...: Gaza health ministry") or in brackets at its
    end ("98,875 IDPs remain displaced (IOM DTM).")."""
    out: list[tuple[int, str | None, str]] = []
    if named and named[0][0] == 0 and _TAIL_COLON.match(s, named[0][1]):
        a, b, name = named[0]
        out.append((0, _counter_name(s, a, b, name, doc), "named"))
    if named:
        a, b, name = named[-1]
        tail_colon = not s[b:].strip(" .\"”»'") and _HEAD_COLON.search(s[:a])
        if tail_colon or (_BRACKET_END.match(s, b) and _BRACKET_OPEN.search(s[:a])):
            out.append((0, _counter_name(s, a, b, name, doc), "named"))
    return out


def _references(s: str, off: int, doc: Document, named: list):
    """Counters referred back to ("this NGO said", "the UN agency said": the last counter of
    that kind named before), and the named counters such a reference stands for."""
    p = patterns(doc.lex)
    out: list[tuple[int, str | None, str]] = []
    replaced: set[tuple[int, int]] = set()
    if not doc.lex.may_hold(s, "attribution", "references"):
        return out, replaced
    for r in p.ref.finditer(s):
        inside = [(a, b) for a, b, _n in named if a < r.end() and r.start() < b]
        if any(b > r.end() for _a, b in inside):
            continue  # "O Ministério da Saúde de Gaza", "le Bureau de la coordination ...": a name
        if not (
            p.verb_after.match(s, r.end())
            or p.verb_before.search(s, max(0, r.start() - 40), r.start())
        ):
            continue
        name = last_counter(doc, off + r.start(), r.group(0))
        if name is not None:
            out.append((r.start(), name, "reference"))
            replaced.update(inside)
    return out, replaced


def _country_subjects(s: str, doc: Document) -> list[tuple[int, str | None, str]]:
    """A country as the subject of a verb of saying ("India reports", "Niger says",
    "Libanon meldet") is its government."""
    from stats.extract.places import patterns as place_patterns

    pl, p = place_patterns(doc.lex), patterns(doc.lex)
    names = _national_names()
    stops = _subject_stops(doc.lex.lang, doc.lex)
    out: list[tuple[int, str | None, str]] = []
    if not doc.lex.may_hold(s, "places", "country_words"):
        return out
    for m in pl.country_re.finditer(s):
        country = pl.country_words.get(" ".join(m.group(0).casefold().split()))
        before = s[max(0, m.start() - 20) : m.start()].split()
        if before and (before[-1].casefold() in stops or before[-1].endswith("-run")):
            continue  # "the health ministry in Gaza said": a place, not the subject
        if p.counter.match(s, m.start()):
            continue  # "Huthis melden": a counter of its own name
        if country in names and m.group(0)[:1].isupper() and p.subject_verb.match(s, m.end()):
            out.append((m.start(), COUNTRY_SUBJECT.replace("{country}", names[country]), "named"))
    return out


@cache
def _subject_stops(lang: str, lex: Lexicon) -> frozenset[str]:
    """Words before a country that make it no subject: a place ("in", "of"), a noun before
    it, or the agent of a passive ("governado pelo Hamas afirmou") (built once per
    language)."""
    of = lex.words("members_of")
    stops = lex.words("noun_stops") | lex.words("places", "locatives") | of
    return stops | {str(w).casefold() for w in lex.get("attribution").get("agent_words", [])}


def continues_report(s: str, lex: Lexicon) -> bool:
    """Whether a sentence that names no counter goes on with the report of the last one
    named in the text: it has a verb of saying in the active voice ("It adds that", "Abiad
    added", "desglosó") or a quotation. A plain statement ("The conflict has killed
    thousands") is the writer's own and takes no counter from an earlier paragraph."""
    p = patterns(lex)
    if any(q in s for q in _QUOTES):
        return True
    aux = lex.words("auxiliaries")
    for m in p.saying.finditer(s) if lex.may_hold(s, "attribution", "verbs") else ():
        before = s[max(0, m.start() - 20) : m.start()].split()
        if not before or before[-1].casefold() not in aux:
            return True
    return False


def counter_for(
    pos: int, attrs: list[tuple[int, str | None, str]]
) -> tuple[str, str | None] | None:
    """``(how, counter)`` of the attribution that governs a count at ``pos``: the last one
    before it, else the first after it; ``None`` when the sentence has none."""
    before = [a for a in attrs if a[0] <= pos]
    pick = before[-1] if before else (attrs[0] if attrs else None)
    return (pick[2], pick[1]) if pick else None


def last_attributed(doc: Document, before: int) -> str | None:
    """The counter of the last attribution in the text before a position (in any earlier
    paragraph or the headline): a report that names its counter once and goes on giving its
    figures ("the ministry said ... In Tyre, 12 were killed ...")."""
    pos, names, ends = _counters(doc)

    def line_text(k: int) -> tuple[int, str]:
        line = doc.line_of(pos[k])
        start = doc.line_starts[line]
        stop = doc.line_starts[line + 1] if line + 1 < len(doc.line_starts) else len(doc.scan)
        return start, doc.scan[start:stop]

    def attributed(k: int) -> bool:
        start, text = line_text(k)
        return _attributed(text, pos[k] - start, ends[k] - start, doc)

    k = _last_counter_index(doc, "attributed", bisect_right(pos, before - 1), attributed)
    if k < 0:
        return None
    start, text = line_text(k)
    return _counter_name(text, pos[k] - start, ends[k] - start, names[k], doc)


def _attributed(text: str, a: int, b: int, doc: Document) -> bool:
    """Whether a counter named at ``text[a:b]`` is the subject of a verb of saying or follows
    "according to" (not a perpetrator or a mere mention)."""
    p = patterns(doc.lex)
    if p.verb_after.match(text, b) or p.verb_before.search(text, max(0, a - 40), a):
        return True
    return any(
        m.end() >= a - 6 and m.start() < a
        for m in p.according.finditer(text, max(0, a - 80), a + 1)
    )
