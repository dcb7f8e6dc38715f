"""Quantities as written in prose: digits, number words, vague terms and qualifiers.

:func:`patterns` derives, from a language's lexicon, the pattern that finds a quantity
("more than 800", "between 800,000 and one million", "tens of thousands", "half a million",
"forty-four", "une quinzaine", "Dutzende", "١٢"); :func:`read_quantity` turns a match into
``(value, qualifier, low, high, term)``. Digits are read by the one count grammar
(:func:`stats.parse.read_count`), number words by ``text2num`` (en, fr, es, de, pt) or by
the values the lexicon gives them (Arabic).

Notes
-----
* A decimal without a scale ("12.5") is not a count and is skipped.
* Vague terms take their bounds from ``stats vocab vague_terms``; round figures ("half a
  million", "a dozen", "une vingtaine") read as ``about``.
* Whether the quantity counts people is decided elsewhere (by the noun that follows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from text_to_num import text2num

from stats import vocab
from stats.extract.language import (
    Lexicon,
    alternatives,
    branches,
    char_class,
    first_chars,
    required_keys,
)
from stats.parse import MAX_COUNT, read_count
from stats.parse.counts import TOO_LARGE

_TEXT2NUM = {"en", "fr", "es", "de", "pt"}
_DASHES = "-–"
#: "a hundred": the word for one that text2num reads before a scale word
_ONE = {"en": "one", "fr": "un", "es": "un", "de": "ein", "pt": "um"}


@dataclass(frozen=True)
class QuantityPatterns:
    """The patterns of one language (see :func:`patterns`)."""

    core: re.Pattern
    qual_before: re.Pattern
    qual_after: re.Pattern
    estimate: re.Pattern
    #: keys of the words :attr:`estimate` and :attr:`qual_before` need (a sentence without
    #: any is not scanned)
    estimate_keys: frozenset[str] | None
    qual_keys: frozenset[str] | None
    qualifiers: dict[str, str]
    vague: list[tuple[re.Pattern, str]]
    rounds: dict[str, int]
    word_values: dict[str, int]
    scales: dict[str, int]
    joiners: frozenset[str]
    ones: frozenset[str]


def _plain(words) -> str:
    """Words as a regex alternation, longest first, without boundaries."""
    return branches(
        [re.escape(str(w)) for w in sorted(words, key=len, reverse=True)], ignore_case=True
    )


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


@cache
def _patterns(lang: str, lex: Lexicon) -> QuantityPatterns:
    num = lex.get("numbers")
    thousands = re.escape(num["thousands"] + "\u00a0\u202f")
    dec = re.escape(num["decimal"])
    scale_words = [str(s) for s in num["scales"]]
    long_scales = [s for s in scale_words if len(s) > 2]
    short = [s for s in scale_words if len(s) <= 2]
    digits = (
        rf"(?<![\w.,/:$€£-])(?:\d{{1,3}}(?:[{thousands}]\d{{3}})+(?!\d)|\d{{1,3}}(?: \d{{3}})+(?![\d.,])"
        rf"|\d+)(?:[{dec}]\d+)?"
        rf"(?:\s*(?:{_plain(long_scales)})(?!\w)"
        + (rf"|(?:{_plain(short)})(?!\w)" if short else "")
        + r")?(?:(?<=[^\W\d]|[\u064b-\u065f])\s+\d{1,3}(?![\w.,]))?(?![\w/$€£%]|[.,]\d)"
    )
    words = {str(k).casefold(): int(v) for k, v in num["words"].items()}
    tok = f"(?:{_plain(words)})"
    join = "|".join(re.escape(str(j)) for j in num.get("joiners", []))
    ones = [str(o) for o in num.get("one_before_scale", [])]
    big = [w for w, v in words.items() if v >= 100]
    big_re = f"(?:{_plain(big)})"
    glue = rf"(?:[-\s]+(?:(?:{join})[-\s]+)?|(?:{join})?)" if join else r"[-\s]*"
    word_num = (
        rf"(?<!\w)(?:(?:{'|'.join(map(re.escape, ones))})\s+{big_re}|{tok})(?:{glue}{tok})*(?!\w)"
    )
    if not ones:
        word_num = rf"(?<!\w){tok}(?:{glue}{tok})*(?!\w)"
    rounds = {_norm(str(k)): int(v) for k, v in num.get("round", {}).items()}
    vague = [(re.compile(alternatives([k]), re.I), str(t)) for k, t in lex.get("vague").items()]
    vague_src = alternatives(list(lex.get("vague")))
    round_src = alternatives(list(rounds)) if rounds else r"(?!x)x"
    # "mil 400": a word for a thousand (or more) and the units after it in digits
    kilo = [w for w, v in words.items() if v >= 1000]
    kilo_num = rf"(?<!\w)(?:{_plain(kilo)})\s+\d{{1,3}}(?![\w.,])|" if kilo else ""
    number = rf"(?:{digits}|{round_src}|{kilo_num}{word_num})"
    between = lex.source("ranges", "between")
    joins = lex.source("ranges", "joins")
    starts = (
        "0123456789"
        + first_chars(list(words) + ones + list(rounds) + list(lex.get("vague")))
        + first_chars(lex.get("ranges", "between"))
    )
    core = re.compile(
        rf"(?<![\w.,/:$€£-])(?={char_class(starts)})(?:"
        rf"{between}\s+(?P<a>{number})\s+{joins}\s+(?P<b>{number})"
        rf"|(?=\d)(?P<a2>{digits})\s*(?:[{_DASHES}]|{joins})\s*(?P<b2>{digits})(?=\s+\w)"
        rf"|(?P<vague>{vague_src})"
        rf"|(?P<num>{number}))",
        re.IGNORECASE,
    )
    quals = {_norm(str(k)): str(v) for k, v in lex.get("qualifiers").items()}
    qual_src = alternatives(list(quals))
    qual_before = re.compile(
        rf"(?={char_class(first_chars(list(quals)))})(?P<qual>{qual_src})(?:\s+|(?<=['’]))$",
        re.IGNORECASE,
    )
    # the qualifiers that may follow the noun ("15 soldats au moins"); all of them unless the
    # lexicon lists them (German "unter" after a noun is "among": "zwei Frauen unter den Opfern";
    # English "killed over the past 24 hours" is a period)
    after = lex.data.get("qualifiers_after")
    if after is None:
        after_src = qual_src
    else:
        after_src = alternatives([_norm(str(q)) for q in after]) if after else "(?!x)x"
    qual_after = re.compile(rf"\s*,?\s*(?P<qual>{after_src})(?!\w)", re.IGNORECASE)
    scales = {str(k).casefold(): int(v) for k, v in num["scales"].items()}
    # a verb or noun of estimating earlier in the clause, with no number between ("se estima
    # que un total de 33.485", "estimated an additional 10,236"): the count is about
    estimate = re.compile(
        rf"(?:{alternatives(lex.data.get('estimate_cues') or ['(?!x)x'], lex.data)})"
        r"[^.;:!?\d]{0,70}$",
        re.IGNORECASE,
    )
    estimate_keys = required_keys(lex.data.get("estimate_cues") or [], lex.data)
    return QuantityPatterns(
        core, qual_before, qual_after, estimate, estimate_keys, required_keys(list(quals)), quals,
        vague, rounds, words, scales, frozenset(join.split("|")), frozenset(o.casefold() for o in ones),
    )  # fmt: skip


def patterns(lex: Lexicon) -> QuantityPatterns:
    """The quantity patterns of a lexicon (built once per language)."""
    return _patterns(lex.lang, lex)


def words_value(text: str, lex: Lexicon) -> int | None:
    """Value of a number written in words ("forty-four", "deux cent", "dreiundzwanzig",
    "a hundred and twenty"), or ``None``.

    Examples
    --------
    >>> from stats.extract.language import load_lexicon
    >>> en, fr = load_lexicon("en"), load_lexicon("fr")
    >>> words_value("forty-four", en), words_value("a hundred and twenty", en)
    (44, 120)
    >>> words_value("deux cent quarante", fr)
    240
    """
    p = patterns(lex)
    t = _norm(text)
    if t in p.rounds:
        return p.rounds[t]
    words = t.replace("-", " ").split()
    if len(words) > 1 and words[0] in p.ones:
        words[0] = _ONE.get(lex.lang, words[0])
    if lex.lang in _TEXT2NUM:
        try:
            return int(text2num(" ".join(words), lex.lang))
        except ValueError:
            pass
    return _sum_words(words, p)


def _sum_words(words: list[str], p: QuantityPatterns) -> int | None:
    """Units and tens add, "hundred" multiplies, thousands and above close a group."""
    if len(words) == 1 and words[0] in p.ones:
        return None  # "a" alone is no number
    total, current, seen = 0, 0, False
    for w in words:
        if w in p.joiners:
            continue
        if w in p.ones:
            current, seen = current + 1, True
            continue
        v = p.word_values.get(w)
        if v is None:
            return None
        seen = True
        if v == 100:
            current = max(current, 1) * 100
        elif v >= 1000:
            total += max(current, 1) * v
            current = 0
        else:
            current += v
    return total + current if seen else None


_SPLIT_SCALE = re.compile(r"^(.*\D)\s+(\d{1,3})$")


@lru_cache(maxsize=16384)
def number_value(text: str, lex: Lexicon) -> int | None:
    """Value of a number in digits (by :func:`stats.parse.read_count`) or words; "9 mil 480"
    and "mil 400" (a scale word before digits, as Latin American papers write) are 9,480 and
    1,400. (Remembered: a report writes the same few figures and days again and again.)"""
    t = text.strip()
    split = _SPLIT_SCALE.match(t)
    if split and not t[:1].isdigit():
        head = words_value(split.group(1), lex)
        return head + int(split.group(2)) if head is not None and head >= 1000 else None
    if t[:1].isdigit():
        split = _SPLIT_SCALE.match(t)
        if split:
            head, tail = read_count(split.group(1), lex.lang).value, int(split.group(2))
            return head + tail if head is not None and head >= 1000 else None
        got = read_count(t, lex.lang)
        # a count above the bound is kept just above it, so that validation rejects the claim
        # with that reason (and the quote shows the number as written)
        return MAX_COUNT + 1 if got.reason == TOO_LARGE else got.value
    return words_value(t, lex)


def read_quantity(
    m: re.Match, lex: Lexicon, qual_text: str = ""
) -> tuple[int | None, str, int | None, int | None, str] | None:
    """Read a match of the quantity pattern as ``(value, qualifier, low, high, term)``.

    ``low``/``high`` are stated only for ranges and vague terms (the qualifier rules fill the
    rest later); ``None`` when the match does not hold a whole count.

    Examples
    --------
    >>> from stats.extract.language import load_lexicon
    >>> en = load_lexicon("en")
    >>> read_quantity(patterns(en).core.search("between 800,000 and one million people"), en)[:4]
    (None, 'range', 800000, 1000000)
    >>> read_quantity(patterns(en).core.search("tens of thousands of residents"), en)[:4]
    (None, 'vague', 20000, 99999)
    """
    p = patterns(lex)
    qual = p.qualifiers.get(_norm(qual_text), "exact") if qual_text else "exact"
    a = m.group("a") or m.group("a2")
    if a:
        lo, hi = number_value(a, lex), number_value(m.group("b") or m.group("b2"), lex)
        if lo is None or hi is None or hi <= lo:
            return None
        return None, "range", lo, hi, m.group(0)
    if m.group("vague"):
        text = m.group("vague")
        term = next((t for rx, t in p.vague if rx.fullmatch(text)), None)
        if term is None:
            return None
        lo, hi = vocab.vague_bounds(term)
        return None, "vague", lo, hi, term
    num = m.group("num")
    value = number_value(num, lex)
    if value is None:
        return None
    if _norm(num) in p.rounds and qual == "exact":
        qual = "about"
    return value, qual, None, None, num
