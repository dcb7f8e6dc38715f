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
(each round adds one more window to a chain). Windows of different counters are not added:
counters count differently, and a sum would mix their definitions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats.estimate.conflicts import conflict_rows, fmt_count, fmt_day, join_ids
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
    after (``forward``) the window's day *on*."""
    left = w[[*GROUP, on]].rename(columns={on: "day"}).reset_index().sort_values("day")
    right = c[[*GROUP, "day", *cols]].sort_values("day")
    m = pd.merge_asof(left, right, on="day", by=GROUP, direction=direction)
    return m.set_index("index").sort_index()


def _tighten(b: pd.DataFrame, at, new, ids, bound: str) -> bool:
    """Set ``b[bound]`` (``"L"`` or ``"H"``) to *new* at row labels *at* where that is tighter
    (a larger L, a smaller H), with the claims *ids* behind it; True if any was."""
    t = pd.DataFrame({"at": at, "new": new, "ids": ids}).dropna(subset=["at", "new"])
    t = t.sort_values("new", ascending=(bound == "H")).drop_duplicates("at")
    t = t.set_index(t["at"].astype(int))
    cur = b.loc[t.index, bound]
    gain = t["new"] > cur if bound == "L" else t["new"] < cur
    idx = gain[gain].index
    b.loc[idx, bound] = t.loc[idx, "new"]
    b.loc[idx, "id_" + bound] = t.loc[idx, "ids"]
    return bool(len(idx))


def _ids(first: pd.Series, window_ids: pd.Series) -> list[str]:
    return [join_ids(a, w) for a, w in zip(first.fillna(""), window_ids, strict=True)]


def add_windows(b: pd.DataFrame, windows: pd.DataFrame) -> pd.DataFrame:
    """Day bands (sorted by series, counter and day) tightened by the counter's windows.

    Each window's last day has a day band (the window's own claim is there). Bounds on the day
    before a window are put on the nearest day band that they hold for: an upper bound on the
    latest day band on or before it, a lower bound on the earliest on or after it.
    Does not mutate *b*.
    """
    b = b.reset_index(drop=True)
    lo, hi, wid = windows["lo"], windows["hi"], windows["claim_id"]
    for _ in range(len(windows)):
        c = _carried(b).assign(row=np.arange(len(b)))
        before_lo = _asof(windows, c, "before", ["Lc", "idL", "row"], "backward")
        before_hi = _asof(windows, c, "before", ["Hc", "idH", "row"], "forward")
        end = windows[[*GROUP, "day"]].merge(c, on=[*GROUP, "day"], how="left")
        # C(a - 1) >= 0 when the counter says nothing before the window
        start_lo = before_lo["Lc"].fillna(0.0)
        changed = [
            _tighten(b, end["row"], start_lo + lo, _ids(before_lo["idL"], wid), "L"),
            _tighten(b, end["row"], before_hi["Hc"] + hi, _ids(before_hi["idH"], wid), "H"),
            _tighten(b, before_lo["row"], end["Hc"] - lo, _ids(end["idH"], wid), "H"),
            _tighten(b, before_hi["row"], end["Lc"] - hi, _ids(end["idL"], wid), "L"),
        ]
        if not any(changed):
            break
    return b


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
