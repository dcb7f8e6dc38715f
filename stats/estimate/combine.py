"""Across counters: one ``combined`` band and best per series and day.

On every day any counter reported a series or a part or whole of it (:func:`family_days`),
each counter's band as of that day is its last lower bound on or before the day and its next
upper bound on or after it (``merge_asof``; stocks: that day's only). The combined band is the intersection of the counters' bands when
they meet; when they do not, it spans the gap and the clash is a ``disjoint_intervals``
conflict. Parts and wholes then hold across counters on the days both have estimates (a
part's lower bound raises its whole's, a whole's upper bound caps its parts'; evidence to the
contrary is a conflict) and the band is made monotone again for flows. Because every series
has a row on its parts' and wholes' days, a part's figure on one day bounds its whole on the
whole's later days too.

``best`` is picked from the counters' bests as of the day by a rule (:data:`RULES`), fitted
non-decreasing for flows (isotonic regression over the days) and clipped into the band; then
no part's best is above its whole's. The rule assumes that the counters count the same thing;
where they do not, the combined band says so by being wide or by a conflict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats.choices import COMBINE_RULES
from stats.estimate.conflicts import conflict_rows, fmt_count, fmt_day, join_ids
from stats.estimate.hierarchy import (
    apply_part_whole,
    cap_part_best,
    matching_rows,
    raise_whole_best,
)
from stats.estimate.lists import each_match, join_lists, lists_by_group, objects
from stats.estimate.per_counter import GROUP, clipped, robust_best

#: Combination rules across counters.
RULES: dict[str, str] = COMBINE_RULES
#: Name of the cross-counter result in the ``counter`` column.
COMBINED = "combined"
SERIES_DAY = ["sid", "day"]


def family_days(pc: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """(series, day) for every day any counter reported the series, or one of its parts or
    wholes (and, through their whole, its sibling parts), from the series' own first day on:
    the days on which parts and wholes are compared across counters and days."""
    grid = pc[SERIES_DAY].drop_duplicates()
    if pairs.empty:  # no parts and wholes: the days the series' counters reported
        return grid.sort_values(SERIES_DAY)
    first = grid.groupby("sid")["day"].min()
    a = np.r_[pairs["sid"].to_numpy(dtype=np.int64), pairs["wid"].to_numpy(dtype=np.int64)]
    b = np.r_[pairs["wid"].to_numpy(dtype=np.int64), pairs["sid"].to_numpy(dtype=np.int64)]
    for _ in range(2):  # part -> whole -> sibling part: each day of a series, on its links
        i, j = each_match(grid["sid"].to_numpy(dtype=np.int64), a)
        more = pd.DataFrame({"sid": b[j], "day": grid["day"].to_numpy()[i]})
        grid = pd.concat([grid, more]).drop_duplicates()
    return grid[grid["day"] >= grid["sid"].map(first)].sort_values(SERIES_DAY)


def counters_as_of(pc: pd.DataFrame, grid: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every counter of a series on every day of *grid* (default: every day any counter
    reported it), with its band as of that day: ``L``, ``best``, ``w`` (claims so far),
    ``id_L`` from its last row on or before the day, ``H``, ``id_H`` from its next row on or
    after (stocks: that day's row only)."""
    grid = pc[SERIES_DAY].drop_duplicates() if grid is None else grid
    counters = pc[GROUP].drop_duplicates()  # every counter of each series, on each day
    i, j = each_match(grid["sid"].to_numpy(dtype=np.int64), counters["sid"].to_numpy(np.int64))
    q = pd.DataFrame(
        {"sid": grid["sid"].to_numpy()[i], "day": grid["day"].to_numpy()[i],
         "cid": counters["cid"].to_numpy()[j]}
    ).sort_values("day")  # fmt: skip
    rows = pc[[*GROUP, "day", "low", "best", "id_low", "high", "id_high", "counter"]]
    rows = rows.assign(w=pc.groupby(GROUP)["n_claims"].cumsum(), at=pc["day"]).sort_values("day")
    back = pd.merge_asof(q, rows[[*GROUP, "day", "at", "low", "best", "w", "id_low", "counter"]],
                         on="day", by=GROUP, direction="backward")  # fmt: skip
    fwd = pd.merge_asof(q, rows[[*GROUP, "day", "at", "high", "id_high", "counter"]],
                        on="day", by=GROUP, direction="forward")  # fmt: skip
    stock = np.isin(q["sid"].to_numpy(), pc.loc[pc["kind"] == "stock", "sid"].to_numpy())
    keep_b = back["at"].notna().to_numpy() & (~stock | (back["at"] == back["day"]).to_numpy())
    keep_f = fwd["at"].notna().to_numpy() & (~stock | (fwd["at"] == fwd["day"]).to_numpy())
    return pd.DataFrame(
        {
            "sid": q["sid"].to_numpy(),
            "day": q["day"].to_numpy(),
            "cid": q["cid"].to_numpy(),
            "counter": back["counter"].where(keep_b, fwd["counter"].where(keep_f)).array,
            "L": np.where(keep_b, back["low"], 0.0),
            "id_L": objects(back["id_low"].where(keep_b), back.index),
            "best": np.where(keep_b, back["best"], np.nan),
            "w": np.where(keep_b, back["w"], 0.0),
            "H": np.where(keep_f, fwd["high"], np.inf),
            "id_H": objects(fwd["id_high"].where(keep_f), fwd.index),
        }
    ).dropna(subset=["counter"])


def pick_best(q: pd.DataFrame, rule: str) -> pd.Series:
    """The rule's best per (series, day) from the counters' bests as of the day."""
    by = q.dropna(subset=["best"]).groupby(SERIES_DAY)
    if rule == "median":
        return by["best"].median()
    if rule == "conservative":
        return by["best"].min()
    if rule == "highest":
        return by["best"].max()
    t = q.dropna(subset=["best"]).assign(bw=lambda t: t["best"] * t["w"])
    s = t.groupby(SERIES_DAY)[["bw", "w"]].sum()
    return (s["bw"] / s["w"]).where(s["w"] > 0)


def _extremes(q: pd.DataFrame) -> pd.DataFrame:
    """Per (series, day): the largest lower bound and the smallest upper bound, with the
    counter and claims that set them (ties: the first counter by name)."""
    q = q.sort_values([*SERIES_DAY, "cid"]).reset_index(drop=True)
    day = q.groupby(SERIES_DAY, sort=True).ngroup().to_numpy()
    a = _first_extreme(day, q["L"].to_numpy(dtype=float), np.maximum)  # in order of the days
    b = _first_extreme(day, q["H"].to_numpy(dtype=float), np.minimum)
    return pd.DataFrame(
        {
            "sid": q["sid"].to_numpy()[a],
            "day": q["day"].to_numpy()[a],
            "L": q["L"].to_numpy()[a],
            "id_L": objects(q["id_L"].to_numpy()[a], range(len(a))),
            "c_L": q["counter"].array.take(a),
            "H": q["H"].to_numpy()[b],
            "id_H": objects(q["id_H"].to_numpy()[b], range(len(b))),
            "c_H": q["counter"].array.take(b),
        }
    )


def _first_extreme(day: np.ndarray, values: np.ndarray, extreme) -> np.ndarray:
    """Per run of equal *day* (rows sorted by day), the position of its first row holding the
    run's largest (*extreme* ``np.maximum``) or smallest (``np.minimum``) value."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    best = np.repeat(extreme.reduceat(values, starts), np.diff(np.r_[starts, len(values)]))
    at = np.flatnonzero(values == best)
    return at[np.r_[True, day[at][1:] != day[at][:-1]]]


def _disjoint(c: pd.DataFrame) -> pd.DataFrame:
    bad = c[c["L"] > c["H"]]
    detail = [
        f"{cl} puts at least {fmt_count(lo)} ({il}) where {ch} puts at most {fmt_count(hi)} "
        f"({ih}) on {fmt_day(d)}"
        for cl, lo, il, ch, hi, ih, d in zip(
            bad["c_L"],
            bad["L"],
            bad["id_L"],
            bad["c_H"],
            bad["H"],
            bad["id_H"],
            bad["day"],
            strict=True,
        )
    ]
    ids = [join_ids(a, b) for a, b in zip(bad["id_L"], bad["id_H"], strict=True)]
    who = [sorted({a, b}) for a, b in zip(bad["c_L"], bad["c_H"], strict=True)]
    return conflict_rows(bad, "disjoint_intervals", ids, who, detail)


def _monotone(c: pd.DataFrame) -> pd.DataFrame:
    """Flows: the combined lower bound carried forward, the upper bound backward."""
    flow = c["kind"] == "flow"
    L = c.groupby("sid", sort=False)["L"].cummax()
    H = c.iloc[::-1].groupby("sid", sort=False)["H"].cummin().iloc[::-1]
    L, H = L.where(flow, c["L"]), H.where(flow, c["H"])
    return c.assign(low=np.minimum(L, H), high=np.maximum(L, H))


def combine(pc: pd.DataFrame, day_info: pd.DataFrame, pairs: pd.DataFrame, rule: str):
    """The combined rows from per-counter bands *pc* (sorted by series, counter and day).

    *day_info*: per (series, day) ``n_claims``, ``n_outlets``, ``claim_ids`` of the claims of
    that day (any counter); *pairs*: the (part, whole) series pairs. Returns the combined rows
    and the conflicts.
    """
    q = counters_as_of(pc, family_days(pc, pairs))
    c = _extremes(q)
    head = pc.drop_duplicates("sid").set_index("sid")
    at = head.index.get_indexer(c["sid"])
    for col in ("metric", "location", "subgroup", "kind", "series_start"):
        c[col] = head[col].array.take(at, allow_fill=True)
    conflicts = [_disjoint(c)]
    c["counter"] = COMBINED
    c = c.sort_values(SERIES_DAY).reset_index(drop=True)
    # parts and wholes across counters, then monotone again
    rows = matching_rows(c, pairs, on=["day"])  # the same rows in every step below
    c = c.assign(who_L=c["c_L"], who_H=c["c_H"])
    c, more = apply_part_whole(c, pairs, on=["day"], rows=rows)
    conflicts += more
    c = _monotone(c)
    picked = pick_best(q, rule)
    c["P"] = picked.reindex(pd.MultiIndex.from_frame(c[SERIES_DAY])).to_numpy()
    c["n_points"] = 1
    c["best"] = robust_best(c, ["sid"])
    # no part's best above its whole's: raise wholes (carried forward), then cap parts
    # (carried backward), for flows
    flow = c["kind"] == "flow"
    c = raise_whole_best(c, pairs, on=["day"], rows=rows)
    c["best"] = c["best"].where(~flow, c.groupby("sid", sort=False)["best"].cummax())
    c = cap_part_best(c, pairs, on=["day"], rows=rows)
    rev = c.iloc[::-1]
    capped = rev.groupby("sid", sort=False)["best"].cummin().iloc[::-1]
    c["best"] = clipped(c["best"].where(~flow, capped), c["low"], c["high"])
    c = c.merge(day_info, on=SERIES_DAY, how="left")
    c = c.merge(counters_of_day(pc), on=SERIES_DAY, how="left")
    c["n_counters"] = c["counters"].str.count(";").add(1).fillna(0)
    return c, conflicts


def counters_of_day(pc: pd.DataFrame) -> pd.DataFrame:
    """Per (series, day) that some counter reported: ``counters``, their names sorted and
    ``;``-joined. (A combined row may stand on a day only a part or whole reported: no
    counter of its own that day.)"""
    rep = pc[[*SERIES_DAY, "counter"]].sort_values([*SERIES_DAY, "counter"])
    by = rep.groupby(SERIES_DAY, sort=True)
    out = by.size().reset_index()[SERIES_DAY]
    out["counters"] = join_lists(lists_by_group(rep["counter"], by.ngroup(), len(out))).to_numpy()
    return out
