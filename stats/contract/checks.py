"""Registered checks of the table contracts, each with its reason and the columns it involves.

A check is registered with pandera under its name (so it appears by name in failure cases)
and recorded in :data:`CHECKS` with the one-line reason a reject gives and, for a check of
the whole table, the columns it reads (named in the reject's ``column``, their values in its
``value``). pandera's own checks used by the models have their reasons here too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera import extensions

from stats import vocab


@dataclass(frozen=True)
class Check:
    """A check's name (as pandera reports it), the reason a reject gives, and the columns
    a table-wide check reads (empty for a check of one column)."""

    name: str
    reason: str
    columns: tuple[str, ...] = ()


#: Every check a model uses, by name.
CHECKS: dict[str, Check] = {
    c.name: c
    for c in (
        Check("field_uniqueness", "duplicate claim_id: each claim needs its own id"),
        Check("not_nullable", "missing value: this column is required"),
        Check("greater_than_or_equal_to(0)", "negative count: expected a number >= 0"),
    )
}


def reason(name: str) -> str:
    """The reason a reject gives for a failed check (its name for a check not in the table).

    Examples
    --------
    >>> reason("periods_ordered")
    'dates out of order: expected period_start <= period_end <= published'
    """
    check = CHECKS.get(name)
    return check.reason if check is not None else f"failed the check {name}"


def register(name: str, reason: str, columns: tuple[str, ...] = ()):
    """Register a check function with pandera under *name* and record it in :data:`CHECKS`.

    ``columns`` non-empty makes it a vectorised check of the whole table reading them.
    """

    def deco(fn):
        CHECKS[name] = Check(name, reason, columns)
        if name not in getattr(pa.Check, "REGISTERED_CUSTOM_CHECKS", {}):
            kw = {"check_type": "vectorized"} if columns else {}
            extensions.register_check_method(**kw)(fn)
        return fn

    return deco


@register(
    "metric_in_vocabulary", "unknown metric: expected one of " + ", ".join(vocab.METRIC_NAMES)
)
def metric_in_vocabulary(series: pd.Series) -> pd.Series:
    """The metric is one of :data:`stats.vocab.METRIC_NAMES`."""
    return series.astype("object").isin(vocab.METRIC_NAMES)


@register("known_qualifier", "unknown qualifier: expected one of " + ", ".join(vocab.QUALIFIERS))
def known_qualifier(series: pd.Series) -> pd.Series:
    """The qualifier is one of :data:`stats.vocab.QUALIFIERS`."""
    return series.astype("object").isin(vocab.QUALIFIERS)


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
    q = df["qualifier"].astype("object")
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
    q = df["qualifier"].astype("object")
    interval = q.isin(["range", "vague"])
    has_bounds = df["low"].notna() & df["high"].notna()
    return (
        (interval & has_bounds & df["value"].isna()) | (~interval & df["value"].notna())
    ).astype(bool)
