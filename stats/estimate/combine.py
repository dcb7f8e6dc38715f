"""Across counters: one ``combined`` band and best per series and day.

On every day any counter reported a series or a part or whole of it (:func:`family_days`), each
counter's band as of that day is its last lower bound on or before the day and its next upper
bound on or after it (what ``merge_asof`` by counter picks,
:func:`~stats.estimate.lists.as_of`; stocks: that day's only). The combined band is the
intersection of the counters' bands when they meet; when they do not, it spans the gap and the
clash is a ``disjoint_intervals`` conflict. Parts and wholes then hold across counters on the
days both have estimates (a part's lower bound raises its whole's, a whole's upper bound caps
its parts'; evidence to the contrary is a conflict) and the band is made monotone again for
flows. Because every series has a row on its parts' and wholes' days, a part's figure on one
day bounds its whole on the whole's later days too.

``best`` is picked from the counters' bests as of the day by a rule (:data:`RULES`), fitted
non-decreasing for flows (isotonic regression over the days) and clipped into the band; then
no part's best is above its whole's. The rule assumes that the counters count the same thing;
where they do not, the combined band says so by being wide or by a conflict.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from stats.choices import COMBINE_RULES
from stats.estimate.conflicts import conflict_rows, fmt_count, fmt_day, join_ids
from stats.estimate.hierarchy import (
    apply_part_whole,
    cap_part_best,
    matching_rows,
    raise_whole_best,
)
from stats.estimate.lists import (
    as_of,
    each_match,
    join_lists,
    lists_by_group,
    objects,
    run_numbers,
    run_starts,
)
from stats.estimate.per_counter import GROUP, clipped, robust_best

#: Combination rules across counters.
RULES: dict[str, str] = COMBINE_RULES
#: Name of the cross-counter result in the ``counter`` column.
COMBINED = "combined"
SERIES_DAY = ["sid", "day"]


def family_days(pc: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """(series, day) for every day any counter reported the series, or one of its parts or
    wholes (and, through their whole, its sibling parts), from the series' own first day on:
    the days on which parts and wholes are compared across counters and days. Sorted by
    series and day.

    With ``R`` the reported days (a series-by-day matrix of ones) and ``A`` the part-whole
    links (a series-by-series matrix, both ways, and each series to itself), the family days
    are the non-zero cells of ``A A R``: one link (part -> whole), or two (-> sibling part).
    """
    sid, day = pc["sid"].to_numpy(dtype=np.int64), pc["day"].to_numpy()
    days, rank = np.unique(day, return_inverse=True)
    n = int(np.r_[sid, pairs["sid"], pairs["wid"]].max(initial=-1)) + 1 if len(pairs) else 0
    n = max(n, int(sid.max(initial=-1)) + 1)
    reported = sparse.csr_array((np.ones(len(sid)), (sid, rank)), shape=(n, len(days)))
    if not pairs.empty:
        a = np.r_[pairs["sid"].to_numpy(dtype=np.int64), pairs["wid"].to_numpy(dtype=np.int64)]
        b = np.r_[pairs["wid"].to_numpy(dtype=np.int64), pairs["sid"].to_numpy(dtype=np.int64)]
        links = sparse.csr_array((np.ones(len(a)), (b, a)), shape=(n, n)) + sparse.eye_array(n)
        first = pd.Series(rank).groupby(sid).min().reindex(range(n)).to_numpy()  # own first day
        family = (links @ (links @ reported)).tocoo()
        keep = family.coords[1] >= first[family.coords[0]]  # NaN (never reported): False
    else:
        family, keep = reported.tocoo(), slice(None)
    row, col = family.coords[0][keep], family.coords[1][keep]
    order = np.lexsort((col, row))
    return pd.DataFrame({"sid": row[order].astype(np.int64), "day": days[col[order]]})


def counters_as_of(pc: pd.DataFrame, grid: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every counter of a series on every day of *grid* (sorted by series and day; default:
    every day any counter reported it), with its band as of that day: ``L``, ``best``, ``w``
    (claims so far), ``id_L`` from its last row on or before the day, ``H``, ``id_H`` from
    its next row on or after (stocks: that day's row only); ``reported``: the counter has a
    row that day. *pc* is sorted by series, counter and day; the rows come sorted by series,
    day and counter."""
    grid = family_days(pc, pairs=pd.DataFrame()) if grid is None else grid
    sid, cid, day = (pc[c].to_numpy() for c in ("sid", "cid", "day"))
    first = run_starts(sid, cid)  # the first row of each counter series
    series, heads = np.cumsum(first) - 1, np.flatnonzero(first)
    # each day of a series with each counter of the series (counter series j, in their order)
    i, j = each_match(grid["sid"].to_numpy(dtype=np.int64), sid[heads].astype(np.int64))
    at = grid["day"].to_numpy()[i]
    back = as_of(series, day, j, at, "backward")
    fwd = as_of(series, day, j, at, "forward")
    stock = (pc["kind"].to_numpy() == "stock")[heads[j]]
    on_day = (back >= 0) & (day[back] == at)
    keep_b = (back >= 0) & (~stock | on_day)
    keep_f = (fwd >= 0) & (~stock | (day[fwd] == at))
    keep = keep_b | keep_f  # a stock counter without a row that day has no band
    j, at, back, fwd, keep_b, keep_f = (x[keep] for x in (j, at, back, fwd, keep_b, keep_f))
    w = pc.groupby(GROUP, sort=False)["n_claims"].cumsum().to_numpy()
    ids_low, ids_high = (pc[c].to_numpy(dtype=object) for c in ("id_low", "id_high"))
    rows = range(len(j))
    return pd.DataFrame(
        {
            "sid": sid[heads[j]],
            "day": at,
            "cid": cid[heads[j]],
            "counter": pc["counter"].array.take(heads[j]),
            "L": np.where(keep_b, pc["low"].to_numpy()[back], 0.0),
            "id_L": objects(np.where(keep_b, ids_low[back], np.nan), rows),
            "best": np.where(keep_b, pc["best"].to_numpy()[back], np.nan),
            "w": np.where(keep_b, w[back], 0.0),
            "H": np.where(keep_f, pc["high"].to_numpy()[fwd], np.inf),
            "id_H": objects(np.where(keep_f, ids_high[fwd], np.nan), rows),
            "reported": on_day[keep],
        }
    )


def day_groups(q: pd.DataFrame) -> np.ndarray:
    """Per row of *q* (sorted by series and day), the number of its (series, day), 0, 1, ..."""
    return run_numbers(q["sid"].to_numpy(), q["day"].to_numpy())


def pick_best(q: pd.DataFrame, day_of: np.ndarray, rule: str) -> np.ndarray:
    """The rule's best per (series, day) (*day_of*: :func:`day_groups`) from the counters'
    bests as of the day (NaN where no counter has one)."""
    n = int(day_of.max(initial=-1)) + 1
    best = q["best"]
    by = best.groupby(day_of)
    if rule == "median":
        picked = by.median()
    elif rule == "conservative":
        picked = by.min()
    elif rule == "highest":
        picked = by.max()
    else:
        w = q["w"].where(best.notna(), 0.0)
        s = pd.DataFrame({"bw": best * w, "w": w}).groupby(day_of).sum()
        picked = (s["bw"] / s["w"]).where(s["w"] > 0)
    return picked.reindex(range(n)).to_numpy(dtype=float)


def _extremes(q: pd.DataFrame, day_of: np.ndarray) -> pd.DataFrame:
    """Per (series, day) (*day_of*: :func:`day_groups`, rows sorted by series, day and
    counter): the largest lower bound and the smallest upper bound, with the counter and
    claims that set them (ties: the first counter by name)."""
    a = _first_extreme(day_of, q["L"].to_numpy(dtype=float), np.maximum)  # in order of the days
    b = _first_extreme(day_of, q["H"].to_numpy(dtype=float), np.minimum)
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
    starts = np.flatnonzero(run_starts(day))
    best = np.repeat(extreme.reduceat(values, starts), np.diff(np.r_[starts, len(values)]))
    at = np.flatnonzero(values == best)
    return at[run_starts(day[at])]


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
    day_of = day_groups(q)  # one combined row per (series, day), in this order
    c = _extremes(q, day_of)
    head = pc.drop_duplicates("sid").set_index("sid")
    at = head.index.get_indexer(c["sid"])
    for col in ("metric", "location", "subgroup", "kind", "series_start"):
        c[col] = head[col].array.take(at, allow_fill=True)
    conflicts = [_disjoint(c)]
    c["counter"] = COMBINED
    # parts and wholes across counters, then monotone again
    rows = matching_rows(c, pairs, on=["day"])  # the same rows in every step below
    c = c.assign(who_L=c["c_L"], who_H=c["c_H"])
    c, more = apply_part_whole(c, pairs, on=["day"], rows=rows)
    conflicts += more
    c = _monotone(c)
    c["P"] = pick_best(q, day_of, rule)
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
    c["counters"], c["n_counters"] = counters_of_day(q, day_of)
    return c, conflicts


def counters_of_day(q: pd.DataFrame, day_of: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Per (series, day) (*day_of*: :func:`day_groups` of *q*, rows sorted by counter within a
    day), the counters that reported that day, their names ``;``-joined in order (missing
    when none: a combined row may stand on a day only a part or whole reported), and how many
    they are."""
    n = int(day_of.max(initial=-1)) + 1
    on_day = q["reported"].to_numpy()
    names = lists_by_group(q["counter"][on_day], day_of[on_day], n)
    count = np.bincount(day_of[on_day], minlength=n)
    return join_lists(names).where(count > 0).to_numpy(), count
