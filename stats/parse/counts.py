"""The count grammar: a number of people as written in a table cell or in prose.

One reader, :func:`read_count`, for one written number ("826", "115,000", "115 000",
"1.383" in German, "1,5 million" in French, "٣٬٥٠٠" in Arabic), and one vectorised
:func:`parse_counts` for a column, built on it. Both say *why* an entry is not a count.

Notes
-----
* Separators follow the language (:func:`number_format`): in English (and in tables, where
  no language is given) a comma groups thousands and a point starts a fraction; in French,
  Spanish, German and Portuguese a point or a space groups thousands and a comma starts a
  fraction; Arabic uses the Arabic thousands and decimal signs (and the Latin ones).
  A space (also no-break and narrow no-break) groups thousands in every language.
* A fraction is allowed only with a scale word ("1.1 million", "2,5 millions") and must give a
  whole count. In a table "3.0" is 3 (spreadsheets write whole numbers so), but "1.000" is
  rejected as ambiguous: it is one in English and a thousand in German.
* A count above :data:`MAX_COUNT` (10^10, more people than live on Earth) is rejected: no
  conflict figure is that large, and the bound keeps every value exact in a float64 (2^53)
  and an int64. Exponent notation ("1e30"), NaN and infinity are rejected as such.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from stats.disk import read_yaml

#: the largest count accepted: 10^10 people, more than the population of the Earth
MAX_COUNT = 10**10

#: reasons an entry is not a count (the value itself is shown beside it in Rejects)
NOT_A_NUMBER = "not a count: expected a whole number such as 826, 115,000 or 1.1 million"
NAN = "not a count: NaN is not a number (leave the cell empty for a missing figure)"
INFINITE = "not a count: infinite"
EXPONENT = "not a count: exponent notation (write the whole number, such as 1500000)"
FRACTION = "not a count: a fraction (expected a whole number)"
SEPARATORS = "not a count: misplaced thousands separators (expected groups of three digits)"
AMBIGUOUS = "not a count: ambiguous (1.000 is one in English and a thousand in German)"
NEGATIVE = "negative count: expected a number >= 0"
TOO_LARGE = f"not a count: above {MAX_COUNT:,} (more people than live on Earth)"

#: Arabic-Indic and Eastern Arabic-Indic digits -> ASCII digits; the Arabic separators
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹\u2212", "01234567890123456789-", "")
_SPACES = " \u00a0\u202f\u2009"
_LEXICON = Path(__file__).resolve().parent.parent / "extract" / "lexicon"


@dataclass(frozen=True, eq=False)
class NumberFormat:
    """How one language writes numbers: separators and scale words (from its lexicon)."""

    lang: str | None
    thousands: str
    decimal: str
    scales: dict[str, int]


@lru_cache(maxsize=16)
def number_format(lang: str | None = None) -> NumberFormat:
    """The :class:`NumberFormat` of a language (``None``: tables, written the English way).

    The separators and scale words are read from the ``numbers`` section of the language's
    lexicon (``stats/extract/lexicon/<lang>.yml``).

    Examples
    --------
    >>> f = number_format("de")
    >>> f.decimal, "." in f.thousands, f.scales["millionen"]
    (',', True, 1000000)
    """
    spec = read_yaml(_LEXICON / f"{lang or 'en'}.yml")["numbers"]
    scales = {str(k).casefold(): int(float(v)) for k, v in spec["scales"].items()}
    return NumberFormat(lang, spec["thousands"] + _SPACES, spec["decimal"], scales)


class Count(NamedTuple):
    """A count read from text: ``value`` (``None`` when it is none) and ``reason`` why not."""

    value: int | None
    reason: str | None


@lru_cache(maxsize=16)
def _pattern(fmt: NumberFormat) -> re.Pattern:
    sep = re.escape(fmt.thousands)
    dec = re.escape(fmt.decimal)
    scales = "|".join(re.escape(s) for s in sorted(fmt.scales, key=len, reverse=True))
    return re.compile(
        rf"(?P<sign>[-+])?\s*(?P<int>\d+(?:[{sep}]\d+)*)(?:[{dec}](?P<frac>\d+))?"
        rf"(?:\s*(?P<scale>{scales})\.?)?",
        re.IGNORECASE,
    )


_EXPONENT = re.compile(r"[-+]?\d+(?:[.,]\d+)?e[-+]?\d+", re.IGNORECASE)


def read_count(text: str, lang: str | None = None) -> Count:
    """Read one count written with digits (and an optional scale word).

    Parameters
    ----------
    text
        The number as written ("115,000", "1.1 million", "1.383", "1,5 millions").
    lang
        Language of the text (``en``, ``fr``, ``es``, ``de``, ``pt``, ``ar``); ``None`` for a
        table cell (written the English way).

    Returns
    -------
    Count
        ``(value, None)``, or ``(None, reason)`` with one of the reasons of this module.

    Examples
    --------
    >>> [read_count(t).value for t in ["826", "115,000", "115 000", "1.1 million", "3.0"]]
    [826, 115000, 115000, 1100000, 3]
    >>> read_count("1.383", "de").value, read_count("1,5 million", "fr").value
    (1383, 1500000)
    >>> read_count("12.5").reason == FRACTION, read_count("1,2,3").reason == SEPARATORS
    (True, True)
    >>> read_count("99999999999999999999").reason == TOO_LARGE
    True
    """
    t = text.strip().translate(_DIGITS)
    if not t:
        return Count(None, NOT_A_NUMBER)
    low = t.casefold()
    if low in ("nan", "<na>", "none", "null"):
        return Count(None, NAN)
    if low.lstrip("+-") in ("inf", "infinity", "∞"):
        return Count(None, INFINITE)
    if _EXPONENT.fullmatch(t):
        return Count(None, EXPONENT)
    fmt = number_format(lang)
    m = _pattern(fmt).fullmatch(t)
    if m is None:
        return Count(None, NOT_A_NUMBER)
    return _value(m, fmt)


def _value(m: re.Match, fmt: NumberFormat) -> Count:
    """The count of a match of :func:`_pattern` (the checks in the order a reader needs)."""
    groups = re.split(f"[{re.escape(fmt.thousands)}]", m.group("int"))
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        return Count(None, SEPARATORS)
    digits = "".join(groups)
    if len(digits) > 15:  # (an int of this many digits is above the bound whatever follows)
        return Count(None, NEGATIVE if m.group("sign") == "-" else TOO_LARGE)
    frac = m.group("frac") or ""
    scale = fmt.scales[m.group("scale").casefold()] if m.group("scale") else 1
    if frac and scale == 1:
        if set(frac) != {"0"}:
            return Count(None, FRACTION)
        if fmt.lang is None and len(frac) == 3:
            return Count(None, AMBIGUOUS)
    whole, rest = divmod(int(digits + frac) * scale, 10 ** len(frac))
    if rest:
        return Count(None, FRACTION)
    if m.group("sign") == "-" and whole:
        return Count(None, NEGATIVE)
    if whole > MAX_COUNT:
        return Count(None, TOO_LARGE)
    return Count(whole, None)


def check_count(value: float | int, limit: int = MAX_COUNT) -> str | None:
    """Why a number already read (an int or a float) is not a count, or ``None``.

    Examples
    --------
    >>> check_count(12), check_count(float("inf")) == INFINITE, check_count(1e30) == TOO_LARGE
    (None, True, True)
    """
    if isinstance(value, float):
        if math.isnan(value):
            return NAN
        if math.isinf(value):
            return INFINITE
        if abs(value) <= 2**53 and value != round(value):
            return FRACTION
    if value < 0:
        return NEGATIVE
    if value > limit:
        return TOO_LARGE if limit == MAX_COUNT else f"not a count: above {limit:,}"
    return None


class Parsed(NamedTuple):
    """A parsed column: the values and, where an entry is not blank and did not parse, why."""

    values: pd.Series
    reason: pd.Series

    @property
    def bad(self) -> pd.Series:
        """Entries that are not blank and did not parse."""
        return self.reason.notna()


def reasons_at(codes: np.ndarray, why, index=None) -> pd.Series:
    """Per entry, the reason ``why[code]`` (missing where the code is -1), as a ``str`` Series
    built from the codes: a column of a million entries holds a few distinct reasons, and no
    Python object is made per entry.

    Examples
    --------
    >>> reasons_at(np.array([-1, 1, 0]), ["too big", "not a count"]).tolist()
    [nan, 'not a count', 'too big']
    """
    codes = np.asarray(codes, dtype="int32")
    dictionary = pa.array(list(why), pa.large_string())
    indices = pa.array(codes, mask=codes < 0)
    text = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string())
    return pd.Series(pd.array(text, dtype="str"), index=index, copy=False)


def parse_counts(values: pd.Series, limit: int = MAX_COUNT) -> Parsed:
    """Parse a column of counts (text or numbers) with :func:`read_count`.

    Blank cells are missing, not errors. ``limit`` raises the bound for whole numbers that are
    not counts of people (event ids, timestamps), up to 2^53.

    Examples
    --------
    >>> p = parse_counts(pd.Series(["115,000", "1.1 million", "826", "", "12.5", "-3", "1e30"]))
    >>> p.values.tolist()
    [115000, 1100000, 826, <NA>, <NA>, <NA>, <NA>]
    >>> p.reason.str[:22].tolist()
    [nan, nan, nan, nan, 'not a count: a fractio', 'negative count: expect', 'not a count: exponent ']
    """
    s = pd.Series(values, copy=False)
    if limit > 2**53:
        raise ValueError(f"limit {limit} is above 2^53: counts must stay exact in a float64")
    if pd.api.types.is_bool_dtype(s.dtype) or not (
        pd.api.types.is_numeric_dtype(s.dtype) or s.dtype == object or s.dtype == "str"
    ):
        s = s.astype("str").where(s.notna())
    # each distinct entry is read once (code -1: a missing entry, blank)
    codes, uniques = pd.factorize(s)
    ints, missing, why, reasons = _distinct_counts(pd.Series(uniques), limit)
    ints, missing = np.append(ints, 0)[codes], np.append(missing, True)[codes]
    out = pd.Series(pd.arrays.IntegerArray(ints, missing), index=s.index, copy=False)
    return Parsed(out, reasons_at(np.append(why, -1)[codes], reasons, s.index))


def _distinct_counts(u: pd.Series, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """Per distinct entry, its count (0 where none), whether it has none, and the code of the
    reason why not (-1: none) in the list of reasons returned last."""
    ints = _digits_alone(u, limit)
    rest = np.flatnonzero(ints < 0)
    missing = np.zeros(len(u), dtype=bool)
    why = np.full(len(u), -1, dtype="int64")
    got = [_read_cell(u.iloc[i], limit) for i in rest]  # every other entry by read_count
    reason_of, reasons = pd.factorize(pd.Series([r for _v, r in got], dtype=object))
    ints[rest] = [v if v is not None else 0 for v, _r in got]
    missing[rest] = [v is None for v, _r in got]
    why[rest] = reason_of
    return ints, missing, why, list(reasons)


def _digits_alone(s: pd.Series, limit: int) -> np.ndarray:
    """Per cell of a text column, its count where it is ASCII digits alone (at most ten, so
    at most :data:`MAX_COUNT`) and not above *limit*, else -1: the commonest cell ("826"),
    read in one vectorised step with the value :func:`read_count` gives it."""
    out = np.full(len(s), -1, dtype="int64")
    if s.dtype != "str" or len(s) == 0:
        return out
    a = pa.array(s, pa.large_string(), from_pandas=True)
    plain = pc.fill_null(pc.match_substring_regex(a, r"^[0-9]{1,10}$"), False)
    if pc.any(plain).as_py():
        v = pc.cast(a.filter(plain), pa.int64()).to_numpy()
        at = np.flatnonzero(np.asarray(plain, dtype=bool))
        out[at[v <= limit]] = v[v <= limit]
    return out


def _read_cell(u, limit: int) -> Count:
    if isinstance(u, str):
        if not u.strip():
            return Count(None, None)
        got = read_count(u)
        if got.reason == TOO_LARGE and limit > MAX_COUNT and u.strip().isdigit():
            got = _read_cell(int(u.strip()), limit) if len(u.strip()) <= 16 else got
        elif got.value is not None and got.value > limit:
            return Count(None, check_count(got.value, limit))
        return got
    if isinstance(u, (float, np.floating)) and pd.isna(u):
        return Count(None, None)
    reason = check_count(float(u) if isinstance(u, (float, np.floating)) else int(u), limit)
    return Count(None, reason) if reason else Count(int(u), None)
