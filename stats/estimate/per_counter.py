"""Per counter: one band per series, counter and day, monotone for flows, with a robust best.

1. :func:`day_bands` -- the constraint rows of one counter, series and day are intersected:
   the tightest lower bound ``L`` and upper bound ``H``; the day's suggested value ``P`` is the
   median of the figures' values. Two figures of one day that cannot both hold are a
   ``disjoint_intervals`` conflict.
2. :func:`monotone_bands` -- a flow's cumulative count never falls: a lower bound holds for
   every later day (running maximum), an upper bound for every earlier day (running minimum
   from the end). Where they cross, the counter's total falls (``non_monotone``); the band then
   spans the clash (``low`` the smaller, ``high`` the larger bound).
3. :func:`robust_best` -- ``best`` is the isotonic (non-decreasing, least-squares) fit of the
   days' values for flows, weighted by the day's number of figures, then clipped to the band:
   a robust centre of the counter's figures, not a running maximum, so one high figure does
   not rule for good. Stocks keep the day's value. Days without a value take the last fitted
   one (flows) or the band's middle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import isotonic_regression

from stats.estimate.conflicts import conflict_rows, fmt_count, fmt_day, join_ids
from stats.estimate.lists import (
    count_distinct,
    join_lists,
    lists_by_group,
    objects,
    run_numbers,
    run_starts,
)

#: The columns that describe a series and counter (one value per group).
HEAD = ["metric", "location", "subgroup", "counter", "kind", "sid", "cid", "series_start"]
#: Group of one counter's series.
GROUP = ["sid", "cid"]


def day_bands(ev: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per (series, counter, day) from constraint rows sorted by claim id: ``L``,
    ``H``, ``id_L``, ``id_H`` (the claim setting each; ties: the smallest id), ``P`` (the
    median value), ``n_points``, ``n_claims``, ``claim_ids`` (``;``-joined, sorted),
    ``n_outlets``; and the same-day conflicts."""
    by = ev.groupby([*GROUP, "day"], sort=True)
    g = by.ngroup().to_numpy()
    # what names the series and counter, from each group's first row (one value per group)
    first = np.unique(g, return_index=True)[1]
    b = ev.iloc[first][[*GROUP, "day", *HEAD[:5], "series_start"]].set_index([*GROUP, "day"])
    b["L"] = by["lo"].max()
    b["H"] = by["hi"].min()
    ids = ev["claim_id"].to_numpy(dtype=object)  # the claims travel as Python objects
    b["id_L"] = objects(ids[by["lo"].idxmax().to_numpy()], b.index)
    b["id_H"] = objects(ids[by["hi"].idxmin().to_numpy()], b.index)
    # the day's value: the median of its figures' values, inside the day's own bounds
    b["P"] = by["point"].median()
    meet = b["L"] <= b["H"]
    b["P"] = b["P"].where(~meet, clipped(b["P"], b["L"], b["H"]))
    b["n_points"] = by["point"].count()
    b["n_claims"] = by.size()
    b = b.reset_index()
    b["claim_ids"] = join_lists(lists_by_group(ev["claim_id"], g, len(b)))  # ev sorted by id
    b["n_outlets"] = count_distinct(ev["outlets"], g)
    bad = b[b["L"] > b["H"]]
    detail = [
        f"{c} gave figures that cannot both hold on {fmt_day(d)}: at least {fmt_count(lo)} "
        f"({il}) and at most {fmt_count(hi)} ({ih})"
        for c, d, lo, il, hi, ih in zip(
            bad["counter"], bad["day"], bad["L"], bad["id_L"], bad["H"], bad["id_H"], strict=True
        )
    ]
    ids = [join_ids(a, b_) for a, b_ in zip(bad["id_L"], bad["id_H"], strict=True)]
    conflicts = conflict_rows(bad, "disjoint_intervals", ids, [[c] for c in bad["counter"]], detail)
    return b, conflicts


def counter_series(b: pd.DataFrame) -> np.ndarray:
    """Per row of *b* (sorted by series and counter, or in the reverse order), the number of
    its counter series: one grouping key, computed once, for the group steps below."""
    return run_numbers(b["sid"].to_numpy(), b["cid"].to_numpy())


def carried(b: pd.DataFrame, value: str, ids: str, forward: bool) -> tuple[pd.Series, pd.Series]:
    """Per counter series (rows sorted by series, counter and day), the running maximum of
    *value* (``forward``: a lower bound holds for every later day) or the running minimum from
    the end (an upper bound holds for every earlier day), and the *ids* of the row holding it
    (the earliest that reaches it)."""
    rows = b if forward else b.iloc[::-1]
    keys = counter_series(rows)
    v = rows[value]
    run = v.groupby(keys, sort=False).cummax() if forward else v.groupby(keys, sort=False).cummin()
    pos = pd.Series(np.arange(len(rows)), index=rows.index, dtype=float)
    holds = v >= run if forward else v <= run
    at = pos.where(holds).groupby(keys, sort=False).ffill().fillna(pos).to_numpy(dtype=np.int64)
    holder = rows[ids].to_numpy(dtype=object)[at]
    if not forward:
        run, holder = run.iloc[::-1], holder[::-1]
    return run, objects(holder, b.index)


def _carry(b: pd.DataFrame, value: str, ids: str, forward: bool) -> tuple[pd.Series, pd.Series]:
    """:func:`carried` for flows; a stock's row keeps its own value and ids."""
    run, holder = carried(b, value, ids, forward)
    flow = b["kind"] == "flow"
    return run.where(flow, b[value]), holder.where(flow, b[ids])


def monotone_bands(b: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bands ``low``/``high`` (with ``id_low``/``id_high``) from day bands sorted by series,
    counter and day; for flows carried forward (lower) and backward (upper); with the
    ``non_monotone`` conflicts."""
    Lm, idL = _carry(b, "L", "id_L", forward=True)
    Hm, idH = _carry(b, "H", "id_H", forward=False)
    keys = counter_series(b)
    prev_L, prev_id = Lm.groupby(keys).shift(), idL.groupby(keys).shift()
    prev_day = b["day"].where(b["L"] >= Lm).groupby(keys).ffill().groupby(keys).shift()
    bad = (b["kind"] == "flow") & (b["H"] < prev_L)
    r = b[bad]
    detail = [
        f"{c}: at least {fmt_count(lo)} by {fmt_day(d0)} ({i0}) but at most {fmt_count(hi)} on "
        f"{fmt_day(d)} ({ih}): a cumulative count cannot fall"
        for c, lo, d0, i0, hi, d, ih in zip(
            r["counter"],
            prev_L[bad],
            prev_day[bad],
            prev_id[bad],
            r["H"],
            r["day"],
            r["id_H"],
            strict=True,
        )
    ]
    ids = [join_ids(a, b_) for a, b_ in zip(prev_id[bad], r["id_H"], strict=True)]
    conflicts = conflict_rows(r, "non_monotone", ids, [[c] for c in r["counter"]], detail)
    out = b.assign(low=np.minimum(Lm, Hm), high=np.maximum(Lm, Hm), id_low=idL, id_high=idH)
    return out, conflicts


def isotonic_by_group(values: pd.Series, weights: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """Per group, the weighted isotonic (non-decreasing) least-squares fit of *values* in
    their order (``scipy.optimize.isotonic_regression``); NaN values are left out and stay
    NaN. Groups already non-decreasing are their own fit."""
    ok = values.notna()
    v = values[ok]
    gid = v.groupby([k[ok] for k in groups], sort=False).ngroup().to_numpy()
    falls = v.groupby(gid).diff().lt(0)
    fit = v.to_numpy(dtype=float).copy()
    w = weights[ok].to_numpy(dtype=float)
    if not falls.any():
        return pd.Series(fit, index=v.index).reindex(values.index)
    # each group is a run of rows (the input is sorted by group); only the groups that fall
    # somewhere need a fit
    starts = np.flatnonzero(run_starts(gid))
    ends = np.r_[starts[1:], len(gid)]
    bad = np.bincount(gid[falls.to_numpy()], minlength=int(gid.max(initial=-1)) + 1) > 0
    for a, b in zip(starts[bad[gid[starts]]], ends[bad[gid[starts]]], strict=True):
        fit[a:b] = isotonic_regression(fit[a:b], weights=w[a:b]).x
    return pd.Series(fit, index=v.index).reindex(values.index)


def robust_best(
    b: pd.DataFrame, groups: list[str], value: str = "P", weight: str = "n_points"
) -> pd.Series:
    """``best`` of bands sorted by *groups* then day: the isotonic fit of *value* for flows
    (the value itself for stocks), carried forward over days without a value, clipped to
    ``[low, high]``; without any value, ``low`` (flows) or the band's middle (bounded
    stocks)."""
    flow = b["kind"] == "flow"
    keys = [b[g] for g in groups]
    fit = isotonic_by_group(b[value].where(flow), b[weight].clip(lower=1), keys)
    fit = fit.groupby(keys, sort=False).ffill()
    best = fit.where(flow, b[value])
    fallback = np.where(np.isfinite(b["high"]) & ~flow, (b["low"] + b["high"]) / 2, b["low"])
    best = best.fillna(pd.Series(fallback, index=b.index))
    return clipped(best, b["low"], b["high"])


def clipped(values: pd.Series, low: pd.Series, high: pd.Series) -> pd.Series:
    """*values* raised to *low*, then lowered to *high*, row by row (NaN stays NaN; a NaN bound
    clips nothing): what ``values.clip(low, high)`` gives, without aligning three Series."""
    v, lo, hi = (np.asarray(x, dtype=float) for x in (values, low, high))
    v = np.where(v < lo, lo, v)
    return pd.Series(np.where(v > hi, hi, v), index=values.index)
