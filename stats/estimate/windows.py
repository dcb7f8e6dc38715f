"""Windows of one counter add up: calendar months, "past 24 hours", "from 26 to 28 November".

A window claim over ``[a, e]`` with interval ``[lo, hi]`` says ``lo <= C(e) - C(a - 1) <= hi``.
With what the same counter says about ``C`` elsewhere (its band: the running maximum of its
lower bounds ``L``, the running minimum from the end of its upper bounds ``H``), that gives

* ``C(e) >= L(a - 1) + lo`` and ``C(e) <= H(a - 1) + hi``: a window adds to the toll before it
  (a toll since day 0 plus a later month; consecutive "past 24 hours" figures; two calendar
  months);
* ``C(a - 1) <= H(e) - lo`` and ``C(a - 1) >= L(e) - hi``: a window and a longer count that
  holds it bound each other (nested windows).

These are difference constraints on ``C``; :func:`add_windows` applies them until nothing moves
(each round adds one more window to a chain), round by round only for the counter series where
a bound moved. Windows that cannot all hold (around a loop of them, they ask for more than
they allow) would move bounds without end: such a series is a ``windows_disagree`` conflict
and its windows are not added. Windows of different counters are not added: counters count
differently, and a sum would mix their definitions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats.estimate.conflicts import conflict_rows, fmt_count, fmt_day, join_ids
from stats.estimate.lists import objects
from stats.estimate.per_counter import GROUP, carried

_DAY = pd.Timedelta(days=1)


def window_claims(ev: pd.DataFrame) -> pd.DataFrame:
    """The window constraint rows: ``sid``, ``cid``, ``before`` (the day before the window),
    ``day`` (its last day), ``lo``, ``hi`` (its own interval) and ``claim_id``."""
    w = ev[ev["role"] == "window"]
    return pd.DataFrame(
        {
            "sid": w["sid"],
            "cid": w["cid"],
            "before": w["window_start"] - _DAY,
            "day": w["day"],
            "lo": w["stated_lo"],
            "hi": w["stated_hi"],
            "claim_id": w["claim_id"],
        }
    ).reset_index(drop=True)


def _carried(b: pd.DataFrame) -> pd.DataFrame:
    """The counter's band on its days: ``Lc`` (running max of L) and ``Hc`` (running min of H
    from the end), with the ids that set them."""
    Lc, idL = carried(b, "L", "id_L", forward=True)
    Hc, idH = carried(b, "H", "id_H", forward=False)
    return b[[*GROUP, "day"]].assign(Lc=Lc, Hc=Hc, idL=idL, idH=idH)


def _asof(
    w: pd.DataFrame, c: pd.DataFrame, on: str, cols: list[str], direction: str
) -> pd.DataFrame:
    """For each window, *cols* of the counter's band row on or before (``backward``) or on or
    after (``forward``) the window's day *on* (rows in the order of *w*)."""
    left = w[[*GROUP, on]].rename(columns={on: "day"}).assign(at=np.arange(len(w)))
    right = c[[*GROUP, "day", *cols]].sort_values("day")
    m = pd.merge_asof(left.sort_values("day"), right, on="day", by=GROUP, direction=direction)
    return m.sort_values("at").reset_index(drop=True)


def _tighten(b: pd.DataFrame, at, new, first_ids, window_ids, bound: str) -> np.ndarray:
    """Set ``b[bound]`` (``"L"`` or ``"H"``) to *new* at row labels *at* where that is tighter
    (a larger L, a smaller H; of several for one row, the tightest, the first window on a
    tie), with the claims behind it: those of *first_ids* (the bound it starts from) and of
    *window_ids*. Returns the labels of the rows that moved."""
    t = pd.DataFrame(
        {
            "at": np.asarray(at),
            "new": np.asarray(new),
            "first": np.asarray(first_ids),
            "window": np.asarray(window_ids),
        }  # fmt: skip
    ).dropna(subset=["at", "new"])
    t = t.sort_values("new", ascending=(bound == "H"), kind="stable").drop_duplicates("at")
    t = t.set_index(t["at"].astype(int))
    cur = b.loc[t.index, bound]
    t = t[t["new"] > cur] if bound == "L" else t[t["new"] < cur]
    b.loc[t.index, bound] = t["new"]
    ids = [join_ids(a, w) for a, w in zip(t["first"].fillna(""), t["window"], strict=True)]
    b.loc[t.index, "id_" + bound] = objects(ids, t.index)
    return t.index.to_numpy()


def _one_round(b: pd.DataFrame, rows: np.ndarray, w: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """One round of the four difference constraints for the windows *w* on the rows *rows*
    of *b* (whole counter series, those of the windows): each reads the bands as they were at
    the start of the round. Returns the labels of the rows whose ``L`` moved, and whose ``H``
    moved."""
    c = _carried(b.loc[rows]).assign(row=rows)
    before_lo = _asof(w, c, "before", ["Lc", "idL", "row"], "backward")
    before_hi = _asof(w, c, "before", ["Hc", "idH", "row"], "forward")
    end = w[[*GROUP, "day"]].merge(c, on=[*GROUP, "day"], how="left")
    lo, hi, wid = w["lo"].to_numpy(), w["hi"].to_numpy(), w["claim_id"].to_numpy(dtype=object)
    # C(a - 1) >= 0 when the counter says nothing before the window
    start_lo = before_lo["Lc"].fillna(0.0).to_numpy()
    up_e = _tighten(b, end["row"], start_lo + lo, before_lo["idL"], wid, "L")
    down_e = _tighten(b, end["row"], before_hi["Hc"] + hi, before_hi["idH"], wid, "H")
    down_a = _tighten(b, before_lo["row"], end["Hc"] - lo, end["idH"], wid, "H")
    up_a = _tighten(b, before_hi["row"], end["Lc"] - hi, end["idL"], wid, "L")
    return np.union1d(up_e, up_a), np.union1d(down_e, down_a)


def add_windows(b: pd.DataFrame, windows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Day bands (sorted by series, counter and day) tightened by the counter's windows, and
    the ``windows_disagree`` conflicts.

    Each window's last day has a day band (the window's own claim is there). Bounds on the day
    before a window are put on the nearest day band that they hold for: an upper bound on the
    latest day band on or before it, a lower bound on the earliest on or after it. Rounds
    repeat for the counter series where a bound moved, until none moves; each round adds one
    more window to a chain. When the windows can all hold, the tightest chain to a day band
    passes every other day band at most once and uses each window at most twice (forth and
    back), so a series still moving after that many rounds has windows that cannot all hold:
    around a loop of them (a month's 1,232 and 12,332; a week's 100 and its days' 10 each)
    they ask for more than they allow and would raise one another without end. Its day bands
    are then left as they were (its windows are not added up) and it is a ``windows_disagree``
    conflict. Does not mutate *b*.
    """
    b = b.reset_index(drop=True)
    series = b.groupby(GROUP, sort=False).ngroup().to_numpy()
    at_end = windows[[*GROUP, "day"]].merge(
        b[[*GROUP, "day"]].assign(row=np.arange(len(b))), on=[*GROUP, "day"], how="left"
    )
    w_series = series[at_end["row"].to_numpy(dtype=np.int64)]
    # the most rounds in which a bound can still move when the windows can all hold
    n_rows = np.bincount(series)
    most = np.minimum(n_rows - 1, 2 * np.bincount(w_series, minlength=len(n_rows)))
    original, moving = b.copy(), []
    active, rounds = np.unique(w_series), 0
    while len(active):
        rounds += 1
        rows = np.flatnonzero(np.isin(series, active))
        moved = _one_round(b, rows, windows[np.isin(w_series, active)])
        active = np.unique(series[np.concatenate(moved)])
        loops = active[rounds > most[active]]
        if len(loops):
            moving.append(_moving_claims(b, series, loops, *moved))
            active = np.setdiff1d(active, loops)
    return _set_aside(b, original, series, moving)


def _moving_claims(b, series, loops, moved_L, moved_H) -> pd.DataFrame:
    """Per series of *loops*: its first row whose bound moved, and the claims behind the
    bounds that moved."""
    m = pd.concat(
        [
            pd.DataFrame({"row": r, "ids": b.loc[r, "id_" + bound].to_numpy(dtype=object)})
            for r, bound in ((moved_L, "L"), (moved_H, "H"))
        ]
    )
    m = m[np.isin(series[m["row"]], loops)].assign(series=lambda d: series[d["row"]])
    ids = m.groupby("series")["ids"].agg(lambda texts: join_ids(*texts))
    return m.groupby("series")["row"].min().to_frame().assign(ids=ids)


def _set_aside(
    b: pd.DataFrame, original: pd.DataFrame, series: np.ndarray, moving: list[pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The counter series in *moving* (their windows cannot all hold) back to their day bands
    *original*, and one ``windows_disagree`` conflict each."""
    if not moving:
        return b, conflict_rows(b.iloc[:0], "windows_disagree", [], [], [])
    m = pd.concat(moving)
    back = np.isin(series, m.index)
    b.loc[back] = original.loc[back]
    rows = original.iloc[m["row"].to_numpy()]
    detail = [
        f"{c}'s windows cannot all hold: added up, they raise or lower one another without "
        f"end from {fmt_day(d)} on ({ids}); they are not added up in this series"
        for c, d, ids in zip(rows["counter"], rows["day"], m["ids"], strict=True)
    ]
    return b, conflict_rows(
        rows, "windows_disagree", m["ids"].tolist(), [[c] for c in rows["counter"]], detail
    )


def nested_conflicts(ev: pd.DataFrame) -> pd.DataFrame:
    """``window_exceeds_outer`` conflicts: a window's lower bound above the upper bound that
    another counter states for a longer period of the same series containing it (a toll since
    the series start contains every window that ends by its day). Windows of one counter
    bound each other in :func:`add_windows`; across counters the clash is only reported,
    since the counters may count differently."""
    inner = ev[ev["role"] == "window"]
    if inner.empty:
        return conflict_rows(ev.iloc[:0], "window_exceeds_outer", [], [], [])
    outer = ev[ev["role"].isin(["window", "cumulative"]) & np.isfinite(ev["stated_hi"])]
    outer = outer.assign(first=outer["window_start"].fillna(outer["series_start"]))
    m = inner.merge(outer, on="sid", suffixes=("", "_o"))
    bad = m[
        (m["cid"] != m["cid_o"])
        & (m["first"] <= m["window_start"])
        & (m["day"] <= m["day_o"])
        & (m["stated_lo"] > m["stated_hi_o"])
    ]
    detail = [
        f"{r.counter} counts at least {fmt_count(r.stated_lo)} ({r.claim_id}) from "
        f"{fmt_day(r.window_start)} to {fmt_day(r.day)}, where {r.counter_o} counts at most "
        f"{fmt_count(r.stated_hi_o)} ({r.claim_id_o}) from {fmt_day(r.first)} to "
        f"{fmt_day(r.day_o)}, a period that contains it"
        for r in bad.itertuples(index=False)
    ]
    ids = [[a, b] for a, b in zip(bad["claim_id"], bad["claim_id_o"], strict=True)]
    who = [sorted({a, b}) for a, b in zip(bad["counter"], bad["counter_o"], strict=True)]
    return conflict_rows(bad, "window_exceeds_outer", ids, who, detail)
