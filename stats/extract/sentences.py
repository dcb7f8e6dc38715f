"""Sentences of a paragraph: a point, question or exclamation mark ends one, unless it ends
an abbreviation of the language ("Mr.", "Dr.", "z.B.") or an initial ("U.S.").

The abbreviations are the lexicon's (``abbreviations``); the rule is the one the annotation
needs (a quote keeps its sentence whole).
"""

from __future__ import annotations

import re
from functools import cache

from stats.extract.language import Lexicon

_BOUNDARY = re.compile(r"[.!?؟]+[\"”’»)\]]*(?=\s+[^\s.…])")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_SPACES = re.compile(r"\s*")


def split_sentences(paragraph: str, lex: Lexicon) -> list[tuple[int, str]]:
    """Sentences of a paragraph as ``(offset, text)``.

    Examples
    --------
    >>> from stats.extract.language import load_lexicon
    >>> [s for _, s in split_sentences("Mr. Assad left. 12 died in Homs. It rained.",
    ...                                load_lexicon("en"))]
    ['Mr. Assad left.', '12 died in Homs.', 'It rained.']
    """
    abbrev, ordinal = _abbreviations(lex.lang, lex)
    out = []
    start = 0
    for m in _BOUNDARY.finditer(paragraph):
        if m.group(0).startswith("."):
            e = m.start()
            i = e
            lo = max(start, e - 20)
            while i > lo and (paragraph[i - 1].isalnum() or paragraph[i - 1] in "_."):
                i -= 1
            word = paragraph[i:e].casefold()
            if word in abbrev or _INITIALS.fullmatch(word):
                continue
            if ordinal and word.isdigit() and len(word) <= 2:
                continue
        out.append((start, paragraph[start : m.end()]))
        start = _SPACES.match(paragraph, m.end()).end()
    if paragraph[start:].strip():
        out.append((start, paragraph[start:]))
    kept = []
    for o, s in out:
        text = s.strip()
        if text:
            kept.append((o + len(s) - len(s.lstrip()), text))
    return kept


@cache
def _abbreviations(lang: str, lex: Lexicon) -> tuple[frozenset[str], bool]:
    """The abbreviations of a language, and whether it writes a day with a point ("am 27.
    November": a day is then no sentence end) (once per language)."""
    return lex.words("abbreviations"), "." in lex.get("dates", "day_suffixes")
