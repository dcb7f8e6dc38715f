"""Every claim as a constraint on its series' cumulative count.

A *series* is (metric, location, subgroup); ``C(d)`` is its true cumulative count from the
series start ``s`` to the end of day ``d`` (``C(s - 1) = 0``). A claim with interval
``[low, high]`` over the period ``[a, e]`` says, by its *role*:

* ``cumulative`` -- a flow counted from ``s`` (or with no stated start): ``low <= C(e) <= high``;
* ``window`` -- a flow counted over a window starting after ``s`` ("115,000 displaced in one
  week", a calendar month, "in the past 24 hours"): ``low <= C(e) - C(a - 1) <= high``, so at
  least ``C(e) >= low`` here (:mod:`stats.estimate.windows` adds windows up);
* ``wider`` -- a flow counted from before ``s`` (a yearly total): ``C(e) <= high``;
* ``stock`` -- a stock (metric kind ``stock``, e.g. ``idps``): ``low <= S(e) <= high`` that
  day only.

The series start comes from the caller (the dataset's metadata), never from a vote over the
claims; without one, it is the earliest ``period_start`` any claim states (or, when none
does, the earliest ``period_end``). A period start is the series start only when it is that
very day: a figure counted from the day before covers one day more, so it is ``wider``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats import vocab
from stats.estimate.lists import as_lists, join_lists, key_text

#: The roles of constraint rows.
ROLES: tuple[str, ...] = ("cumulative", "window", "wider", "stock")
#: The columns that name a series.
SERIES: list[str] = ["metric", "location", "subgroup"]


def series_start(claims: pd.DataFrame, start=None) -> pd.Timestamp:
    """The first day counted: *start* when given, else the earliest stated ``period_start``
    of the claims, else their earliest ``period_end``.

    Examples
    --------
    >>> c = pd.DataFrame({"period_start": pd.to_datetime([None, "2024-12-01", "2024-11-27"]),
    ...     "period_end": pd.to_datetime(["2024-11-29", "2024-12-31", "2024-11-30"])})
    >>> str(series_start(c).date()), str(series_start(c, "2024-11-20").date())
    ('2024-11-27', '2024-11-20')
    """
    if start is not None:
        return pd.Timestamp(start).normalize()
    stated = pd.to_datetime(claims["period_start"]) if "period_start" in claims else None
    if stated is not None and stated.notna().any():
        return stated.min()
    return pd.to_datetime(claims["period_end"]).min()


def point_value(claims: pd.DataFrame, lo: pd.Series, hi: pd.Series) -> pd.Series:
    """The figure a claim suggests as a best value: the stated number for exact and "about",
    the floor of "at least"/"more than", none for "at most"/"less than", the middle of a range,
    the geometric middle of a vague term (NaN when none)."""
    q = claims["qualifier"].astype("str")
    v = pd.array(claims["value"], dtype="Int64").to_numpy(dtype=float, na_value=np.nan)
    bounded = np.isfinite(hi)
    mid = np.where(bounded, (lo + hi) / 2, np.nan)
    geo = np.where(bounded, np.sqrt(np.maximum(lo, 1) * np.maximum(hi, 1)), np.nan)
    choices = {
        "exact": v, "about": v, "at_least": lo, "more_than": lo, "at_most": np.nan,
        "less_than": np.nan, "range": mid, "vague": geo,
    }  # fmt: skip
    out = np.where(np.isfinite(v), v, mid)
    for name, value in choices.items():
        out = np.where(q == name, value, out)
    return pd.Series(out, index=claims.index, dtype=float)


def _counter(claims: pd.DataFrame) -> pd.Series:
    """``counted_by``, or "unattributed (outlet)" when the counter is not named."""
    counted = claims["counted_by"].astype("str")
    unnamed = counted.isna()
    if not unnamed.any():
        return counted
    outlet = claims.loc[unnamed, "reported_by"] if "reported_by" in claims else None
    outlet = pd.Series(pd.NA, index=counted.index[unnamed]) if outlet is None else outlet
    if isinstance(outlet.dtype, pd.ArrowDtype):  # figures list their outlets
        outlet = join_lists(outlet, "; ").where(outlet.list.len() > 0)
    outlet = outlet.astype("str")
    fallback = ("unattributed (" + outlet + ")").fillna("unattributed")
    return counted.fillna(fallback)


def claim_constraints(claims: pd.DataFrame, start=None) -> pd.DataFrame:
    """One row per claim: the bounds it puts on its series' cumulative count.

    Columns: ``claim_id``, ``metric``, ``location``, ``subgroup`` (missing as ""),
    ``counter``, ``kind``, ``sid`` and ``cid`` (series and counter numbers, in sorted order),
    ``day`` (period_end), ``series_start``, ``window_start`` (period_start of a window, else
    NaT), ``lo``, ``hi`` (the bounds on ``C(day)``; inf when open), ``stated_lo``,
    ``stated_hi`` (the claim's own interval), ``point`` (the figure suggested as best, NaN
    when none), ``role`` (:data:`ROLES`), ``outlets`` (list).

    Examples
    --------
    >>> from stats.contract import validate
    >>> raw = pd.DataFrame({"metric": ["displaced", "displaced"], "value": ["1000", "115000"],
    ...     "qualifier": ["exact", "about"], "period_start": ["2024-11-27", "2024-12-01"],
    ...     "period_end": ["2024-11-30", "2024-12-07"], "published": ["2024-12-08"] * 2,
    ...     "counted_by": ["OCHA", "OCHA"]})
    >>> claim_constraints(validate(raw)[0])[["role", "lo", "hi"]].values.tolist()
    [['cumulative', 1000.0, 1000.0], ['window', 103500.0, inf]]
    """
    c = claims.reset_index(drop=True)
    s = series_start(c, start)
    ev = pd.DataFrame({"claim_id": c["claim_id"].astype("str")})
    for col in SERIES:
        ev[col] = key_text(c[col]) if col in c else ""
    ev["counter"] = _counter(c)
    ev["kind"] = ev["metric"].map(vocab.METRICS["kind"])
    ev["sid"] = ev.groupby(SERIES, sort=True).ngroup()
    ev["cid"] = ev.groupby("counter", sort=True).ngroup()
    ev["day"] = pd.to_datetime(c["period_end"]).astype("datetime64[ns]")
    ev["series_start"] = s
    ps = (
        pd.to_datetime(c["period_start"])
        if "period_start" in c
        else pd.Series(pd.NaT, index=c.index)
    )
    lo = pd.array(c["low"], dtype="Int64").to_numpy(dtype=float, na_value=0.0)
    hi = pd.array(c["high"], dtype="Int64").to_numpy(dtype=float, na_value=np.inf)
    ev["stated_lo"], ev["stated_hi"] = lo, hi
    flow = (ev["kind"] == "flow").to_numpy()
    role = np.select(
        [~flow, ps.isna().to_numpy() | (ps == s).to_numpy(), (ps > s).to_numpy()],
        ["stock", "cumulative", "window"],
        default="wider",
    )
    ev["role"] = pd.Categorical(role, categories=ROLES)
    ev["window_start"] = ps.where(role == "window").astype("datetime64[ns]")
    ev["lo"] = np.where(role == "wider", 0.0, lo)
    ev["hi"] = np.where(role == "window", np.inf, hi)
    point = point_value(c, lo, hi)
    ev["point"] = point.where(np.isin(role, ["cumulative", "stock"]))
    outlets = (
        c["reported_by"] if "reported_by" in c else pd.Series(pd.NA, index=c.index, dtype="str")
    )
    ev["outlets"] = as_lists(outlets).array
    # the text that names series and counters as categories: every later sort, merge and take
    # moves integer codes, not strings (the same values, read back with ``astype("str")``)
    for col in (*SERIES, "counter", "kind"):
        codes, names = pd.factorize(ev[col], sort=True)  # categories in sorted order
        ev[col] = pd.Categorical.from_codes(codes, categories=names)
    return ev
