"""Where: the place a count covers, by the names of ``stats vocab places`` when known.

A place is a known name (the vocabulary's places and the lexicon's towns), optionally with a
direction ("western Aleppo", "northern Gaza") and a second place after "and"; or any
capitalised name after a locative ("in Ariha"); a named border crossing wins ("through the
Masnaa border point"); "in the country" is the country the document is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from stats import vocab
from stats.extract.document import Document
from stats.extract.language import Lexicon, alternatives, branches, holds, literal_keys

_WORDS = re.compile(r"[^\W\d_][\w-]*")


@dataclass(frozen=True)
class PlacePatterns:
    """The patterns of one language."""

    gazetteer: frozenset[str]
    gaz_place: re.Pattern
    locative_place: re.Pattern
    crossing: re.Pattern
    area_before: re.Pattern
    exclude_before: re.Pattern
    demonym: re.Pattern
    the_country: re.Pattern
    the_region: re.Pattern
    country_re: re.Pattern
    country_words: dict[str, str]
    not_place: frozenset[str]
    not_place_words: frozenset[str]
    #: keys of the words each scan needs (:func:`~stats.extract.language.required_keys`): a
    #: sentence without any is not scanned
    gaz_keys: frozenset[str] | None
    crossing_keys: tuple[frozenset[str] | None, ...]
    region_keys: tuple[frozenset[str] | None, ...]


@cache
def _patterns(lang: str, lex: Lexicon) -> PlacePatterns:
    pl = lex.get("places")
    known = [
        a.strip()
        for row in vocab.PLACES.itertuples(index=False)
        for a in [row.name, *str(row.aliases or "").split("|")]
        if a.strip()[:1].isupper()
    ]
    forms = sorted({*pl["towns"], *known}, key=len, reverse=True)
    gazetteer = frozenset(f.casefold() for f in forms)
    cap = r"(?:[A-Z][a-zà-ÿ'’]+|[A-Z]{2,})(?:-(?:[A-Z]?[a-zà-ÿ'’]+))*"
    parts = "|".join(map(re.escape, pl["particles"]))
    # words that join the capitalised parts of one name ("Democratic Republic of the Congo")
    joins = pl.get("name_links") or []
    of_the = rf"\s+(?:{alternatives(joins, ignore_case=False)})\s+(?=[A-Z])|" if joins else ""
    link = rf"(?:{of_the}\s+(?:{parts})-?(?=[A-Z])|\s+|\s+(?:{parts})-)"
    name = rf"{cap}(?:{link}{cap}){{0,2}}"
    direction = f"(?i:{alternatives(pl['directions'])})"
    second = rf"(?:\s+(?:{alternatives(lex.get('and'), ignore_case=False)})\s+(?:(?P<dir2>{direction})\s+)?(?P<name2>{name}))?"
    # (a tree of first letters: each branch is skipped at its first letter)
    gaz = branches([re.escape(g).replace(r"\ ", r"\s+") for g in forms])
    kinds = alternatives(pl["place_kinds"])
    of = alternatives(lex.get("members_of"))
    locs = alternatives(pl["locatives"])
    arts = alternatives(pl["articles"])
    return PlacePatterns(
        gazetteer=gazetteer,
        gaz_place=re.compile(
            rf"(?<!\w)(?:(?P<dir>{direction})\s+)?(?=[A-Z])(?P<name>{gaz})(?![\w-]){second}"
        ),
        locative_place=re.compile(
            rf"(?<!\w)(?P<prep>(?i:{locs}))\s+(?:(?i:{arts})\s+)?"
            rf"(?:(?i:{kinds})\s+(?i:{of})\s+)?(?:(?P<dir>{direction})\s+)?(?P<name>{name}){second}"
        ),
        crossing=re.compile(
            rf"(?<!\w)(?i:{alternatives(pl['crossing_before'])})\s+(?:(?i:{arts})\s+)?(?P<name>{name})\s+"
            rf"(?:(?i:{alternatives(pl['crossing_words'])})\s+)*(?i:{alternatives(pl['crossings'])})"
        ),
        area_before=re.compile(rf"(?:{alternatives(pl['area_locatives'])})\s+(?:\w+\s+)?$", re.I),
        exclude_before=re.compile(
            rf"(?:{alternatives(pl['based_in'], lex.data)})\s*(?:\w+\s+)?$", re.I
        ),
        demonym=re.compile(rf"(?:{'|'.join(map(re.escape, pl['demonym_endings']))})$"),
        the_country=lex.pattern("places", "the_country"),
        the_region=re.compile(
            rf"(?:{alternatives(pl['the_region'])})\s+(?P<dir>(?i:{alternatives(pl['directions'])}))"
            r"(?!\s+of\b)(?!\s+(?-i:[A-Z]))(?!\w)",
            re.I,
        ),
        country_re=re.compile(rf"(?:{alternatives(pl['country_words'])})", re.I),
        country_words={str(k).casefold(): str(v) for k, v in pl["country_words"].items()},
        not_place=frozenset(lex.words("places", "not_places"))
        | frozenset(
            str(w).casefold() for w in [*lex.get("dates", "months"), *lex.get("dates", "weekdays")]
        ),
        not_place_words=frozenset(lex.words("places", "not_place_words")),
        gaz_keys=literal_keys(forms, lex),
        crossing_keys=(
            lex.required("places", "crossing_before"),
            lex.required("places", "crossings"),
        ),
        region_keys=(lex.required("places", "the_region"), lex.required("places", "directions")),
    )


def patterns(lex: Lexicon) -> PlacePatterns:
    """The place patterns of a lexicon (built once per language)."""
    return _patterns(lex.lang, lex)


def document_country(doc: Document) -> str | None:
    """The country a document is about: the one its country words name most."""
    if "country" not in doc.cache:
        p = patterns(doc.lex)
        counts: dict[str, int] = {}
        words = _WORDS.findall(doc.scan[:200_000].casefold())
        # (a look-up of each word and pair of words: faster than a pattern of every name)
        for a, b in zip(words, [*words[1:], ""][: len(words)], strict=True):
            c = p.country_words.get(a + " " + b) or p.country_words.get(a)
            if c:
                counts[c] = counts.get(c, 0) + 1
        doc.cache["country"] = max(counts, key=counts.get) if counts else None
    return doc.cache["country"]


def find_places(s: str, doc: Document) -> tuple[list[tuple[int, str]], list[str]]:
    """Places named in a sentence ``(position, name)`` and those named as an area (which can
    carry over to the next sentences)."""
    p = patterns(doc.lex)
    found: list[tuple[int, str]] = []
    area: list[tuple[int, str]] = []
    lex = doc.lex
    for m in p.crossing.finditer(s) if all(holds(k, s, lex) for k in p.crossing_keys) else ():
        found.append((-1, m.group("name")))
    country = document_country(doc)
    for m in (
        p.the_country.finditer(s) if country and lex.may_hold(s, "places", "the_country") else ()
    ):
        found.append((m.start(), country))
    for m in (
        p.the_region.finditer(s) if country and all(holds(k, s, lex) for k in p.region_keys) else ()
    ):
        d = m.group("dir").casefold().replace("-", "").replace("ern", "")
        text = f"{d} {country}"
        found.append((m.start(), text))
        area.append((m.start(), text))
    seen: set[int] = set()
    named = p.gaz_place.finditer(s) if holds(p.gaz_keys, s, lex) else ()
    for m in [*named, *p.locative_place.finditer(s)]:
        got = _place(s, m, p, seen)
        if got is None:
            continue
        begin, text = got
        found.append((begin, text))
        before = s[max(0, begin - 60) : begin]
        if m.re is p.locative_place:
            if m.group("prep").casefold() in doc.lex.words("places", "area_locatives"):
                area.append((begin, text))
        elif p.area_before.search(before):
            area.append((begin, text))
    area.sort(key=lambda t: t[0])
    found.sort(key=lambda t: t[0])
    return found, [t for _p, t in area]


def _place(s: str, m: re.Match, p: PlacePatterns, seen: set[int]) -> tuple[int, str] | None:
    start = m.start("name")
    if start in seen:
        return None
    seen.add(start)
    name = m.group("name")
    words = name.split()
    if words[0].casefold() in p.not_place:
        return None
    known = (
        m.re is p.gaz_place or name.casefold() in p.gazetteer or words[0].casefold() in p.gazetteer
    )
    if s[m.end("name") : m.end("name") + 2] in ("'s", "’s") or name.endswith(("'s", "’s")):
        return None
    if any(w.casefold() in p.not_place_words for w in words):
        return None
    begin = m.start("dir") if m.group("dir") else start
    if p.exclude_before.search(s[max(0, begin - 60) : begin]):
        return None
    if not known and (p.demonym.search(words[-1].split("-")[-1]) or name.isupper()):
        return None
    text = (m.group("dir") + " " if m.group("dir") else "") + name
    n2 = m.group("name2")
    if n2 and (n2.casefold() in p.gazetteer or n2.split()[0].casefold() in p.gazetteer):
        text += " and " + (m.group("dir2") + " " if m.group("dir2") else "") + n2
    return begin, text


def nearest_country(s: str, start: int, end: int, doc: Document, reach: int = 30) -> str | None:
    """The country of the country word nearest to ``s[start:end]`` within ``reach``
    characters ("Israeli strikes on Iran: Health Ministry" is Iran's ministry; "وزارة الصحة
    اللبنانية" Lebanon's), or ``None``."""
    p = patterns(doc.lex)
    best, dist = None, reach + 1
    if not _may_name_country(s, doc):
        return None
    for m in p.country_re.finditer(s, max(0, start - reach), min(len(s), end + reach)):
        d = max(start - m.end(), m.start() - end, 0)
        if d < dist:
            best, dist = m, d
    return p.country_words.get(" ".join(best.group(0).casefold().split())) if best else None


def _may_name_country(s: str, doc: Document) -> bool:
    """Whether a text may hold a country word (it has a word they need). Asked of the whole
    text of a document (for each national counter named in it), the answer is found once
    per document, line by line until one line may: the words of a text are those of its
    lines."""
    if s is not doc.scan:
        return doc.lex.may_hold(s, "places", "country_words")
    if "may name a country" not in doc.cache:
        doc.cache["may name a country"] = any(
            doc.lex.may_hold(line, "places", "country_words") for line in s.split("\n")
        )
    return doc.cache["may name a country"]
