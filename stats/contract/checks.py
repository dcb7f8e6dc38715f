"""Registered checks of the table contracts, each with its reason and the columns it involves.

A check is registered with pandera under its name (so it appears by name in failure cases)
and recorded in :data:`CHECKS` with the one-line reason a reject gives and, for a check of
the whole table, the columns it reads (named in the reject's ``column``, their values in its
``value``). pandera's own checks used by the models have their reasons here too. Nothing here reads a
vocabulary when imported (the vocabulary loader reports its own problems through this
package).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera import extensions


@dataclass(frozen=True)
class Check:
    """A check's name (as pandera reports it), the reason a reject gives (``{column}`` stands
    for the failing column; a callable gives a reason that quotes a vocabulary, read when
    needed), and the columns a table-wide check reads (empty for a check of one column)."""

    name: str
    why: str | Callable[[], str]
    columns: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return self.why() if callable(self.why) else self.why


#: Every check a model uses, by name.
CHECKS: dict[str, Check] = {
    c.name: c
    for c in (
        Check("field_uniqueness", "duplicate {column}: each row needs its own"),
        Check("not_nullable", "missing value: this column is required"),
        Check("greater_than_or_equal_to(0)", "negative count: expected a number >= 0"),
    )
}


def reason(name: str, column: str = "value") -> str:
    """The reason a reject gives for a failed check of *column* (the check's name for a check
    not in the table).

    Examples
    --------
    >>> reason("periods_ordered")
    'dates out of order: expected period_start <= period_end <= published'
    >>> reason("field_uniqueness", "claim_id")
    'duplicate claim_id: each row needs its own'
    """
    check = CHECKS.get(name)
    text = check.reason if check is not None else f"failed the check {name}"
    return text.replace("{column}", column)


def register(name: str, why: str | Callable[[], str], columns: tuple[str, ...] = ()):
    """Register a check function with pandera under *name* and record it in :data:`CHECKS`.

    ``columns`` non-empty makes it a vectorised check of the whole table reading them.
    """

    def deco(fn):
        CHECKS[name] = Check(name, why, columns)
        if name not in getattr(pa.Check, "REGISTERED_CUSTOM_CHECKS", {}):
            kw = {"check_type": "vectorized"} if columns else {}
            extensions.register_check_method(**kw)(fn)
        return fn

    return deco


def _vocabulary(name: str) -> tuple[str, ...]:
    """A vocabulary of :mod:`stats.vocab`, read when a check runs (not when this is imported:
    the vocabulary's own loader reports its problems through this package)."""
    from stats import vocab

    return getattr(vocab, name)


@register(
    "metric_in_vocabulary",
    lambda: "unknown metric: expected one of " + ", ".join(_vocabulary("METRIC_NAMES")),
)
def metric_in_vocabulary(series: pd.Series) -> pd.Series:
    """The metric is one of :data:`stats.vocab.METRIC_NAMES`."""
    return series.isin(_vocabulary("METRIC_NAMES"))


@register(
    "known_qualifier",
    lambda: "unknown qualifier: expected one of " + ", ".join(_vocabulary("QUALIFIERS")),
)
def known_qualifier(series: pd.Series) -> pd.Series:
    """The qualifier is one of :data:`stats.vocab.QUALIFIERS`."""
    return series.isin(_vocabulary("QUALIFIERS"))


@register(
    "interval_contains_value",
    "interval out of order: expected low <= value <= high "
    "(value < low for more_than, value > high for less_than)",
    ("low", "value", "high"),
)
def interval_contains_value(df: pd.DataFrame) -> pd.Series:
    """``low <= value <= high`` and ``low <= high`` wherever they are defined.

    "more than N" and "fewer than N" state an *exclusive* bound: their interval is
    ``[N+1, open]`` and ``[0, N-1]``, so for them the value must sit just outside it
    (``value < low``, ``value > high``).
    """
    lo, v, hi = (df[c].astype("Float64") for c in ("low", "value", "high"))
    q = df["qualifier"]
    above, below = q == "more_than", q == "less_than"
    low_ok = ((lo <= v) | (above & (v < lo))).fillna(True)
    high_ok = ((v <= hi) | (below & (v > hi))).fillna(True)
    return (low_ok & high_ok & (lo <= hi).fillna(True)).astype(bool)


@register(
    "periods_ordered",
    "dates out of order: expected period_start <= period_end <= published",
    ("period_start", "period_end", "published"),
)
def periods_ordered(df: pd.DataFrame) -> pd.Series:
    """``period_start <= period_end <= published`` wherever they are defined."""
    ps, pe, pub = df["period_start"], df["period_end"], df["published"]
    ok = (ps.isna() | pe.isna() | (ps <= pe)) & (pe.isna() | pub.isna() | (pe <= pub))
    return ok.astype(bool)


@register(
    "qualifier_matches_value",
    "qualifier does not fit the figures: 'range' and 'vague' need low and high and no value; "
    "other qualifiers need a value",
    ("qualifier", "value", "low", "high"),
)
def qualifier_matches_value(df: pd.DataFrame) -> pd.Series:
    """Ranges and vague terms state ``low`` and ``high`` and no value; the others a value."""
    q = df["qualifier"]
    interval = q.isin(["range", "vague"])
    has_bounds = df["low"].notna() & df["high"].notna()
    return (
        (interval & has_bounds & df["value"].isna()) | (~interval & df["value"].notna())
    ).astype(bool)
