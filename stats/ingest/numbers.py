"""Quantities as written in English prose: digits, number words, vague terms and qualifiers.

One compiled pattern, :data:`QUANTITY`, finds a quantity with its qualifier ("more than 800",
"between 800,000 and one million", "tens of thousands", "half a million", "forty-four");
:func:`read_quantity` turns a match into ``(value, qualifier, low, high)``.

Notes
-----
* A number written with digits may carry separators ("115,000", "115 000" with a no-break
  space), a decimal part and a scale ("1.1 million", "2.5m", "3k"); a decimal without a
  scale ("12.5") is not a count and is skipped.
* Vague terms take their bounds from :data:`stats.vocab.VAGUE_TERMS`; "half a million" and
  "a dozen" are round figures, so they read as ``about`` (the value is 500000 or 12).
* Whether the quantity counts people is decided elsewhere (by the noun that follows).
"""

from __future__ import annotations

import re

from stats import vocab

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}


def one_of(alternatives: list[str], ignorecase: bool = False) -> str:
    """Regex alternatives (source text, in the order they are to be tried) grouped by their
    first character, for ``(?:...)``: the same matches, but a scan tries one group per
    position instead of every alternative (much faster for long lists of names).

    Alternatives that could both match at a position start with the same character, so they
    stay in the same group and in the same order.

    Examples
    --------
    >>> one_of(["Homs", "Hama", "Idlib", "Ariha"])
    '(?:Homs|Hama)|(?:Idlib)|(?:Ariha)'
    """
    if not all(a[:1].isascii() and a[:1].isalnum() for a in alternatives):
        return "|".join(alternatives)
    groups: dict[str, list[str]] = {}
    for a in alternatives:
        groups.setdefault(a[0].lower() if ignorecase else a[0], []).append(a)
    return "|".join(f"(?:{'|'.join(g)})" for g in groups.values())


_UNIT_RE = one_of(sorted(_UNITS, key=len, reverse=True), ignorecase=True)
_TENS_RE = one_of(list(_TENS), ignorecase=True)
_SMALL = rf"(?:(?:{_TENS_RE})(?:[-\s](?:{_UNIT_RE}))?|{_UNIT_RE})"
_SCALE_RE = "hundred|thousand|million|billion"
#: a number in words: "forty", "forty-four", "two hundred", "a hundred and twenty", "one million"
WORDS = (
    rf"(?:(?:{_SMALL}|an?)\s+(?:{_SCALE_RE})(?:\s+(?:and\s+)?{_SMALL}(?:\s+(?:{_SCALE_RE}))?)*"
    rf"|{_SMALL})"
)
#: a number in digits with optional separators, decimals and scale
DIGITS = (
    r"(?<![\w.,/:$€£-])(?:\d{1,3}(?:(?:,|\u00a0|\u202f)\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s*(?:million|billion|thousand)\b|(?:mn|bn|m|k)\b)?(?![\w/$€£%]|[.,]\d)"
)
_VAGUE = (
    "(?:"
    + one_of(
        [
            r"tens\s+of\s+thousands",
            r"hundreds\s+of\s+thousands",
            r"several\s+hundreds?",
            r"several\s+thousands?",
            r"a\s+few\s+hundreds?",
            r"a\s+few\s+thousands?",
            r"a\s+few",
            *"several dozens scores hundreds thousands millions".split(),
        ],
        ignorecase=True,
    )
    + ")"
)
_SPECIAL = r"(?:half\s+a\s+million|a\s+dozen|a\s+half\s+million)"
_VAGUE_BOUNDS = {
    t: (int(lo), int(hi))
    for t, lo, hi in zip(
        vocab.VAGUE_TERMS["term"], vocab.VAGUE_TERMS["low"], vocab.VAGUE_TERMS["high"], strict=True
    )
}
_NUM = rf"(?:{DIGITS}|{_SPECIAL}|\b{WORDS}\b)"

#: qualifier wordings (longest first) -> qualifier
QUALIFIER_WORDS = {
    "more than": "more_than",
    "over": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "just over": "more_than",
    "well over": "more_than",
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "a minimum of": "at_least",
    "nearly": "about",
    "almost": "about",
    "about": "about",
    "around": "about",
    "some": "about",
    "approximately": "about",
    "approx.": "about",
    "roughly": "about",
    "an estimated": "about",
    "estimated": "about",
    "close to": "about",
    "an approximate": "about",
    "up to": "at_most",
    "as many as": "at_most",
    "no more than": "at_most",
    "at most": "at_most",
    "a maximum of": "at_most",
    "fewer than": "less_than",
    "less than": "less_than",
    "under": "less_than",
    "just under": "less_than",
}
_QUAL_RE = one_of(
    [re.escape(k).replace(r"\ ", r"\s+") for k in sorted(QUALIFIER_WORDS, key=len, reverse=True)],
    ignorecase=True,
)

#: a quantity with its qualifier: group ``qual``, then either ``a``/``b`` (a range),
#: ``vague`` or ``num``.
QUANTITY = re.compile(
    # the leading look-behind skips positions inside words fast (about twice the speed)
    r"(?<![\w.,/:$€£-])(?=\w)"
    rf"(?:\b(?P<qual>{_QUAL_RE})\s+)?"
    rf"(?:(?:\bbetween\s+)(?P<a>{_NUM})\s+(?:and|to)\s+(?P<b>{_NUM})"
    rf"|(?P<a2>{DIGITS})\s*(?:-|–|to)\s*(?P<b2>{DIGITS})(?=\s+[a-z])"
    rf"|\b(?P<vague>{_VAGUE})\b"
    rf"|(?P<num>{_NUM}))",
    re.IGNORECASE,
)


#: the number itself, without its qualifier (faster to scan; see :data:`QUAL_BEFORE`)
QUANTITY_CORE = re.compile(
    r"(?<![\w.,/:$€£-])(?=[0-9abdefhmnostzABDEFHMNOSTZ])"
    rf"(?:(?:\bbetween\s+)(?P<a>{_NUM})\s+(?:and|to)\s+(?P<b>{_NUM})"
    rf"|(?=\d)(?P<a2>{DIGITS})\s*(?:-|–|to)\s*(?P<b2>{DIGITS})(?=\s+[a-z])"
    rf"|(?=[thsadm])\b(?P<vague>{_VAGUE})\b"
    rf"|(?=[\dhatfsenoz])(?P<num>{_NUM}))",
    re.IGNORECASE,
)
#: a qualifier just before a number
#: (the look-ahead of the letters a qualifier starts with skips most positions fast)
_QUAL_FIRST = "".join(sorted({k[0] for k in QUALIFIER_WORDS}))
QUAL_BEFORE = re.compile(rf"\b(?=[{_QUAL_FIRST}])(?P<qual>{_QUAL_RE})\s+$", re.IGNORECASE)


def words_to_int(text: str) -> int | None:
    """Value of a number written in words, or ``None``.

    Examples
    --------
    >>> [words_to_int(t) for t in ["forty", "forty-four", "two hundred", "a dozen",
    ...                            "half a million", "one million", "a hundred and twenty"]]
    [40, 44, 200, 12, 500000, 1000000, 120]
    """
    t = " ".join(text.lower().replace("-", " ").split())
    if t in ("half a million", "a half million"):
        return 500_000
    if t == "a dozen":
        return 12
    total, current, seen = 0, 0, False
    for w in t.split():
        if w in ("and",):
            continue
        if w in ("a", "an"):
            current = max(current, 1)
            continue
        if w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w in _TENS:
            current += _TENS[w]
            seen = True
        elif w == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif w in _SCALES:
            total += max(current, 1) * _SCALES[w]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


_DIGITS_FULL = re.compile(
    r"(\d[\d,\u00a0\u202f]*)(?:\.(\d+))?\s*(million|billion|thousand|mn|bn|m|k)?", re.IGNORECASE
)
_SEPARATORS = re.compile(r"[,\u00a0\u202f]")


def number_value(text: str) -> int | None:
    """Value of a number in digits or words, or ``None`` when it is not a whole count.

    Examples
    --------
    >>> [number_value(t) for t in ["115,000", "1.1 million", "2.5m", "826", "12.5", "forty"]]
    [115000, 1100000, 2500000, 826, None, 40]
    """
    t = text.strip()
    plain = t.replace(",", "")
    if plain.isdigit() and plain.isascii():
        return int(plain)
    m = _DIGITS_FULL.fullmatch(t)
    if m is None:
        return words_to_int(t)
    whole = int(_SEPARATORS.sub("", m.group(1)))
    frac = m.group(2) or ""
    scale = (m.group(3) or "").lower()
    mult = _SCALES.get(scale) or _SHORT_SCALES.get(scale) or 1
    if frac and mult == 1:
        return None
    value = (whole * 10 ** len(frac) + int(frac or 0)) * mult
    if value % (10 ** len(frac)):
        return None
    return value // (10 ** len(frac))


_PLURAL_SCALE = re.compile(r"^(several|a few) (hundred|thousand)s$")


def _vague_key(term: str) -> str:
    t = " ".join(term.lower().split())
    t = _PLURAL_SCALE.sub(r"\1 \2", t)
    if t in ("a few hundred",):
        return "several hundred"
    if t in ("a few thousand",):
        return "several thousand"
    return t


def read_quantity(
    m: re.Match, qual_text: str | None = None
) -> tuple[int | None, str, int | None, int | None, str] | None:
    """Read a :data:`QUANTITY` match as ``(value, qualifier, low, high, term)``.

    ``low``/``high`` are stated only for ranges and vague terms (the qualifier rules fill the
    rest later); ``term`` is the vague term or the number text. ``None`` when the match does
    not hold a whole count.

    Examples
    --------
    >>> read_quantity(QUANTITY.search("between 800,000 and one million people"))[:4]
    (None, 'range', 800000, 1000000)
    >>> read_quantity(QUANTITY.search("more than 14,000 people"))[:4]
    (14000, 'more_than', None, None)
    >>> read_quantity(QUANTITY.search("tens of thousands of residents"))[:4]
    (None, 'vague', 20000, 99999)
    """
    if qual_text is None:
        qual_text = m.groupdict().get("qual") or ""
    qual_text = qual_text.lower()
    qual = QUALIFIER_WORDS.get(" ".join(qual_text.split()), "exact") if qual_text else "exact"
    a = m.group("a") or m.group("a2")
    if a:
        lo, hi = number_value(a), number_value(m.group("b") or m.group("b2"))
        if lo is None or hi is None or hi <= lo:
            return None
        return None, "range", lo, hi, m.group(0)
    if m.group("vague"):
        key = _vague_key(m.group("vague"))
        if key not in _VAGUE_BOUNDS:
            return None
        lo, hi = _VAGUE_BOUNDS[key]
        return None, "vague", lo, hi, key
    num = m.group("num")
    value = number_value(num)
    if value is None:
        return None
    special = " ".join(num.lower().split()) in ("half a million", "a half million", "a dozen")
    if special and qual == "exact":
        qual = "about"
    return value, qual, None, None, num
