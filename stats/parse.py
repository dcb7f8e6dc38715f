"""Vectorised parsing of the values people write in tables: counts and dates.

Each parser returns the parsed values and a boolean mask of the entries that could not be
parsed (empty entries are missing, not errors). Nothing is guessed: "115,000" and "1.1 million"
are counts; "about 100", "-5" and "12.5" are not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_SCALE = {
    "": 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "mn": 1_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
}

_COUNT = (
    r"^\s*(?P<sign>[-\u2212])?\s*(?P<num>\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)"
    r"(?:\.(?P<frac>\d+))?\s*(?P<scale>k|thousand|m|mn|million|b|billion)?\s*$"
)


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype("str").str.strip() == "")


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse counts of people written as text.

    Returns ``(counts, bad, negative)``: ``counts`` as nullable ``Int64``; ``bad`` marks
    entries that are not a whole count; ``negative`` marks negative numbers (which are parsed
    but are not valid counts).

    Examples
    --------
    >>> c, bad, neg = parse_counts(pd.Series(["115,000", "1.1 million", "2.5m", "826", "",
    ...                                        "12.5", "abc", "-3"]))
    >>> c.tolist()
    [115000, 1100000, 2500000, 826, <NA>, <NA>, <NA>, -3]
    >>> bad.tolist()
    [False, False, False, False, False, True, True, False]
    >>> neg.tolist()
    [False, False, False, False, False, False, False, True]
    """
    s = pd.Series(values, copy=False)
    if pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype):
        f = pd.to_numeric(s, errors="coerce").astype("Float64")
        whole = f.isna() | (f == f.round())
        bad = (~whole).fillna(False).astype(bool)
        out = f.where(~bad).round().astype("Int64")
        return out, bad, (out < 0).fillna(False).astype(bool)
    blank = _blank(s)
    text = s.astype("str").str.strip().str.casefold()
    m = text.str.extract(_COUNT)
    digits = m["num"].str.replace(r"[,\u00a0\u202f ]", "", regex=True)
    scale = m["scale"].fillna("").map(_SCALE).astype("float64")
    frac = m["frac"].fillna("")
    number = pd.to_numeric(digits + "." + frac.where(frac != "", "0"), errors="coerce")
    total = number * scale
    # a fraction is only allowed with a scale word ("1.1 million") and must give a whole count
    frac_ok = (frac == "") | (m["scale"].notna() & (np.abs(total - np.round(total)) < 1e-6))
    ok = m["num"].notna() & frac_ok & ~blank
    sign = np.where(m["sign"].notna(), -1.0, 1.0)
    counts = pd.Series(np.where(ok, np.round(total) * sign, np.nan), index=s.index)
    counts = counts.astype("Float64").astype("Int64")
    bad = (~ok & ~blank).astype(bool)
    return counts, bad, (counts < 0).fillna(False).astype(bool)


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse ISO dates (``YYYY-MM-DD``, optionally with a time, which is dropped).

    Returns ``(dates, bad)`` with ``dates`` as ``datetime64[ns]`` normalised to midnight.

    Examples
    --------
    >>> d, bad = parse_dates(pd.Series(["2024-11-27", "", "27/11/2024", "2024-02-30"]))
    >>> [str(x.date()) if pd.notna(x) else None for x in d]
    ['2024-11-27', None, None, None]
    >>> bad.tolist()
    [False, False, True, True]
    """
    s = pd.Series(values, copy=False)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        d = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return d.astype("datetime64[ns]").dt.normalize(), pd.Series(False, index=s.index)
    blank = _blank(s)
    text = s.astype("str").str.strip()
    iso = text.str.match(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?Z?$")
    d = pd.to_datetime(
        text.str.slice(0, 10).where(iso & ~blank), format="%Y-%m-%d", errors="coerce"
    )
    d = d.astype("datetime64[ns]")
    bad = (~blank & d.isna()).astype(bool)
    return d, bad
