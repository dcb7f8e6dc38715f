"""Parts and wholes: a part never exceeds its whole.

From the vocabulary (:func:`stats.vocab.metric_ancestors`, :func:`stats.vocab.place_ancestors`):
a metric never exceeds its parent metrics (``civilians_killed <= killed``), a subgroup never
exceeds its metric's total, a place never exceeds the places containing it. The child metrics
of one whole are disjoint by definition (civilians and combatants; children and women), so
their lower bounds add up to at most the whole; subgroups may overlap ("HTS fighters" are among
"opposition fighters") and are bounded one by one.

:func:`apply_part_whole` applies this to the bands of matching rows (the same counter and day,
or the same day of the combined series): parts raise the lower bound of their whole, wholes cap
their parts' upper bounds, and evidence that breaks it becomes a conflict.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from stats import vocab
from stats.estimate.conflicts import conflict_rows, fmt_count, fmt_day, join_ids
from stats.estimate.lists import (
    each_match,
    join_lists,
    key_text,
    lists_by_group,
    objects,
    run_starts,
)

#: The columns that name a series.
SERIES = ["metric", "location", "subgroup"]


@functools.lru_cache(maxsize=1)
def _vocab_wholes() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per metric its ancestor metrics (the direct parent first), per place the places
    containing it (from the vocabulary)."""
    metrics = {m: list(vocab.metric_ancestors(m)) for m in vocab.METRIC_NAMES}
    places = {p: list(vocab.place_ancestors(p)) for p in vocab.PLACES["name"]}
    return metrics, places


def ancestor_pairs(series: pd.DataFrame) -> pd.DataFrame:
    """(part ``sid``, whole ``wid``, ``axis``, ``direct``) for every series of *series*
    (columns ``sid``, ``metric``, ``location``, ``subgroup``; "" for none) and each whole of it
    present in *series*. ``axis`` is metric, subgroup or place; ``direct`` marks a direct
    parent metric (whose children add up).

    The wholes of a series: its ancestor metrics (a total: same place, no subgroup); for a
    subgroup, its metric's total and the totals of the ancestor metrics; the places containing
    its place (same metric and subgroup)."""
    metric_up, place_up = _vocab_wholes()
    rows = list(
        zip(
            *(series[c].astype("str").tolist() for c in ["metric", "location", "subgroup"]),
            strict=True,
        )
    )
    sid = dict(zip(rows, series["sid"].tolist(), strict=True))
    found = {"metric": [], "subgroup": [], "sub_metric": [], "place": []}
    for key, part in sid.items():
        m, loc, sub = key
        ups = metric_up.get(m, [])
        if sub == "":
            found["metric"] += [(part, (a, loc, ""), "metric", i == 0) for i, a in enumerate(ups)]
        else:
            found["subgroup"].append((part, (m, loc, ""), "subgroup", True))
            found["sub_metric"] += [(part, (a, loc, ""), "metric", False) for a in ups]
        found["place"] += [(part, (m, a, sub), "place", False) for a in place_up.get(loc, [])]
    pairs = [(p, sid[w], axis, d) for rows in found.values() for p, w, axis, d in rows if w in sid]
    pairs = pd.DataFrame(pairs, columns=["sid", "wid", "axis", "direct"])
    axis = pd.CategoricalDtype(["metric", "subgroup", "place"])  # merges move codes, not text
    pairs = pairs.astype({"sid": np.int64, "wid": np.int64, "axis": axis, "direct": bool})
    return pairs.drop_duplicates(["sid", "wid"])


def matching_rows(bands: pd.DataFrame, pairs: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """(part row, whole row) positions ``p``, ``w`` in *bands* of the rows whose series are
    (part, whole) in *pairs* and whose *on* columns (e.g. counter and day) are equal."""
    sid = bands["sid"].to_numpy(dtype=np.int64)
    at = bands.groupby(on, sort=False).ngroup().to_numpy()  # the *on* values as one number
    # each row with each pair of its series (in the pairs' order), then with each row of the
    # pair's whole that has the same *on* values (in row order)
    p, k = each_match(sid, pairs["sid"].to_numpy(dtype=np.int64))
    wid = pairs["wid"].to_numpy(dtype=np.int64)[k]
    span = int(at.max(initial=0)) + 1
    i, w = each_match(wid * span + at[p], sid * span + at)
    p, k = p[i], k[i]
    return pd.DataFrame(
        {
            "p": p,
            "w": w,
            "axis": pairs["axis"].array.take(k),
            "direct": pairs["direct"].to_numpy()[k],
        }
    )


def first_of_each(group: np.ndarray, value: np.ndarray, largest: bool) -> np.ndarray:
    """Positions of the largest (or smallest) *value* of each *group* (ties: the first)."""
    order = np.lexsort((-value if largest else value, group))
    g = group[order]
    return order[run_starts(g)]


def _what(rows: pd.DataFrame) -> pd.Series:
    sub = rows["subgroup"].astype("str").map(lambda x: f" ({x})" if x else "")
    loc = rows["location"].astype("str").map(lambda x: x or "(no place)")
    return rows["metric"].astype("str") + sub + " in " + loc


def _who(part: pd.DataFrame, whole: pd.DataFrame) -> list[list[str]]:
    """The counters behind a part's lower bound and its whole's upper bound (``who_L`` and
    ``who_H`` where rows combine counters, else ``counter``)."""
    lo = part["who_L"] if "who_L" in part else part["counter"]
    hi = whole["who_H"] if "who_H" in whole else whole["counter"]
    return [sorted({a, b}) for a, b in zip(lo, hi, strict=True)]


def _exceeds(bands, m, record) -> list[pd.DataFrame]:
    """Conflicts where a part's lower bound is above its whole's upper bound."""
    L, H = bands["L"].to_numpy(dtype=float), bands["H"].to_numpy(dtype=float)
    bad = L[m["p"].to_numpy()] > H[m["w"].to_numpy()]
    if not (record and bad.any()):
        return []
    m = m[bad]
    p, w = bands.iloc[m["p"]], bands.iloc[m["w"]]
    place = (m["axis"] == "place").to_numpy()
    out = []
    for kind, sel in (("place_exceeds_parent", place), ("part_exceeds_whole", ~place)):
        pb, wb = p[sel], w[sel]
        if len(pb) == 0:
            continue
        detail = [
            f"{who} on {fmt_day(d)}: {a} is at least {fmt_count(lo)} ({il}), more than {b} at "
            f"most {fmt_count(hi)} ({ih})"
            for who, d, a, lo, il, b, hi, ih in zip(
                [" and ".join(x) for x in _who(pb, wb)], wb["day"], _what(pb), pb["L"],
                pb["id_L"], _what(wb), wb["H"], wb["id_H"], strict=True,
            )
        ]  # fmt: skip
        ids = [join_ids(a, b) for a, b in zip(pb["id_L"], wb["id_H"], strict=True)]
        out.append(conflict_rows(wb, kind, ids, _who(pb, wb), detail))
    return out


def _sums(bands, m, record):
    """Sums of the direct child metrics' lower bounds per whole row (two children or more),
    with the conflicts where they exceed the whole's upper bound."""
    d = m[m["direct"] & (m["axis"] == "metric")]
    whole = d["w"].to_numpy()
    d = d[np.bincount(whole)[whole] >= 2]  # wholes of two child metrics or more
    if d.empty:
        no_sums = {"S": np.array([], dtype=float), "ids": np.array([], dtype=object)}
        return pd.DataFrame(no_sums, index=np.array([], dtype=np.int64)), []
    t = d.assign(L=bands["L"].to_numpy()[d["p"]], ids=bands["id_L"].to_numpy()[d["p"]])
    t = t.sort_values("w")
    by = t.groupby("w")["L"]
    s = pd.DataFrame({"S": by.sum(), "mx": by.max()})
    s["ids"] = join_lists(lists_by_group(t["ids"], by.ngroup(), len(s))).to_numpy()
    w = bands.iloc[s.index]
    bad = (s["S"] > w["H"]) & (s["mx"] <= w["H"])
    if not (record and bad.any()):
        return s, []
    wb, sb = w[bad], s[bad]
    detail = [
        f"{who} on {fmt_day(day)}: the parts of {metric} add up to at least {fmt_count(S)} "
        f"({ids}), more than the whole, at most {fmt_count(H)} ({ih})"
        for who, day, metric, S, ids, H, ih in zip(
            wb["who_H"] if "who_H" in wb else wb["counter"],
            wb["day"],
            wb["metric"],
            sb["S"],
            sb["ids"],
            wb["H"],
            wb["id_H"],
            strict=True,
        )
    ]
    ids = [join_ids(a, b) for a, b in zip(sb["ids"], wb["id_H"], strict=True)]
    who = wb["who_H"] if "who_H" in wb else wb["counter"]
    return s, [conflict_rows(wb, "parts_exceed_whole", ids, [[c] for c in who], detail)]


def apply_part_whole(
    bands: pd.DataFrame, pairs: pd.DataFrame, on: list[str], record: bool = True, rows=None
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Raise wholes' lower bounds to their parts' (and to the sum of their child metrics'),
    cap parts' upper bounds at their wholes', on the rows matching on *on*.

    *bands* has ``sid``, the *on* columns, ``L``, ``H``, ``id_L``, ``id_H`` (the claims that
    set each bound), ``counter``, ``day`` and the series columns. Returns the new bands and,
    with *record*, the conflicts. *rows*: :func:`matching_rows` of *bands*, when known.
    Does not mutate *bands*.
    """
    m = matching_rows(bands, pairs, on) if rows is None else rows
    if m.empty:
        return bands, []
    conflicts = _exceeds(bands, m, record)
    sums, more = _sums(bands, m, record)
    conflicts += more
    p, w = m["p"].to_numpy(), m["w"].to_numpy()
    L, H = bands["L"].to_numpy(dtype=float).copy(), bands["H"].to_numpy(dtype=float).copy()
    id_L, id_H = bands["id_L"].to_numpy(dtype=object), bands["id_H"].to_numpy(dtype=object)
    # a whole is at least its largest part, and at least the sum of its child metrics
    whole = np.r_[w, sums.index.to_numpy(dtype=np.int64)]
    floor, why = np.r_[L[p], sums["S"].to_numpy(dtype=float)], np.r_[id_L[p], sums["ids"]]
    raises = np.flatnonzero(floor > L[whole])  # of these, the largest floor of each whole
    up = raises[first_of_each(whole[raises], floor[raises], largest=True)]
    L[whole[up]], id_L = floor[up], _set(id_L, whole[up], why[up])
    # a part is at most its smallest whole
    cap, why = H[w], id_H[w]
    cuts = np.flatnonzero(cap < H[p])
    down = cuts[first_of_each(p[cuts], cap[cuts], largest=False)]
    H[p[down]], id_H = cap[down], _set(id_H, p[down], why[down])
    return bands.assign(
        L=L, H=H, id_L=objects(id_L, bands.index), id_H=objects(id_H, bands.index)
    ), conflicts


def _set(values: np.ndarray, at: np.ndarray, new: np.ndarray) -> np.ndarray:
    """A copy of *values* with *new* at positions *at*."""
    out = values.copy()
    out[at] = new
    return out


def raise_whole_best(
    bands: pd.DataFrame, pairs: pd.DataFrame, on: list[str], rows=None
) -> pd.DataFrame:
    """A whole's ``best`` raised to its largest part's on matching rows (within the whole's
    band). *rows*: :func:`matching_rows` of *bands*, when known. Does not mutate *bands*."""
    m = matching_rows(bands, pairs, on) if rows is None else rows
    out = bands.copy(deep=False)
    if m.empty:
        return out
    best = bands["best"].to_numpy(dtype=float)
    top = pd.Series(best[m["p"]], index=m["w"]).groupby(level=0).max()
    i = top.index.to_numpy()
    low, high = bands["low"].to_numpy(dtype=float)[i], bands["high"].to_numpy(dtype=float)[i]
    out["best"] = _set(best, i, np.clip(np.maximum(best[i], top.to_numpy()), low, high))
    return out


def cap_part_best(
    bands: pd.DataFrame, pairs: pd.DataFrame, on: list[str], rows=None
) -> pd.DataFrame:
    """A part's ``best`` capped at its smallest whole's on matching rows. *rows*:
    :func:`matching_rows` of *bands*, when known. Does not mutate *bands*."""
    m = matching_rows(bands, pairs, on) if rows is None else rows
    out = bands.copy(deep=False)
    if m.empty:
        return out
    best = bands["best"].to_numpy(dtype=float)
    cap = pd.Series(best[m["w"]], index=m["p"]).groupby(level=0).min()
    i = cap.index.to_numpy()
    out["best"] = _set(best, i, np.minimum(best[i], cap.to_numpy()))
    return out


def row_pairs(daily: pd.DataFrame, best: str) -> tuple[np.ndarray, np.ndarray]:
    """(part, whole) positions of *daily* rows with a *best*, on the same counter and day,
    whose series are (part, whole) in :func:`ancestor_pairs` (child metrics, subgroups, places
    within places)."""
    has = np.flatnonzero(daily[best].notna().to_numpy())
    rows = daily.iloc[has]
    key = pd.DataFrame({c: key_text(rows[c]).to_numpy() for c in SERIES})
    sid = key.groupby(SERIES, sort=False).ngroup().to_numpy()  # the series, numbered
    first = np.flatnonzero(~pd.Series(sid).duplicated().to_numpy())
    pairs = ancestor_pairs(key.iloc[first].assign(sid=sid[first]))
    bands = pd.DataFrame(
        {"sid": sid, "counter": rows["counter"].to_numpy(), "date": rows["date"].to_numpy()}
    )
    m = matching_rows(bands, pairs, on=["counter", "date"])
    return has[m["p"].to_numpy()], has[m["w"].to_numpy()]


def parts_within_wholes(
    daily: pd.DataFrame, columns: tuple[str, str, str], open_high: bool = False
) -> pd.DataFrame:
    """Daily rows with each whole's ``low`` and ``best`` (*columns*: low, best, high) raised to
    those of its largest part on the same counter and day (:func:`row_pairs`), then each
    part's ``best`` (and, without *open_high*, its ``high``) capped at its smallest whole's: a
    part's toll lies within its whole's.

    The whole's ``high`` stays as stated and caps the raised values (a part above it is a
    conflict, reported by :func:`apply_part_whole`), unless *open_high*: then the ``high`` is
    raised to at least the new ``best`` (an interval of a model, not a stated bound). Repeated
    until nothing moves: a pair links one axis at a time (a subgroup of a place's metric is
    within its country's total through two pairs). Does not mutate *daily*.
    """
    lo, best, hi = columns
    part, whole = row_pairs(daily, best)
    if not len(part):
        return daily
    low = daily[lo].to_numpy(dtype=float, na_value=0.0).copy()
    mid = daily[best].to_numpy(dtype=float, na_value=np.nan).copy()
    high = daily[hi].to_numpy(dtype=float, na_value=np.inf).copy()  # null: open
    for _ in range(6):
        before = (low.copy(), mid.copy(), high.copy())
        np.maximum.at(low, whole, low[part])  # a whole is at least its largest part
        np.maximum.at(mid, whole, mid[part])
        if open_high:
            high[whole] = np.maximum(high[whole], mid[whole])
        else:
            low[whole], mid[whole] = (
                np.minimum(low[whole], high[whole]),
                np.minimum(mid[whole], high[whole]),
            )
        np.minimum.at(mid, part, mid[whole])  # a part is at most its smallest whole
        if not open_high:
            np.minimum.at(high, part, high[whole])
        low = np.fmin(low, mid)
        if all(
            np.array_equal(a, b, equal_nan=True)
            for a, b in zip(before, (low, mid, high), strict=True)
        ):
            break
    out = daily.copy()
    out[lo] = pd.array(np.where(daily[lo].isna(), np.nan, low), dtype="Float64")
    out[best] = pd.array(mid, dtype="Float64")
    out[hi] = pd.array(np.where(np.isfinite(high), high, np.nan), dtype="Float64")
    return out
