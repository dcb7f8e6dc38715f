"""Misprints: a figure its counter's own series and the other counters contradict by far.

A printing with an extra digit ("8266 killed" for 826) would otherwise set a bound and a best
for good. Such a figure is set aside as an ``outlier`` conflict naming the claim: it sets no
bound and no best.

The rule, for every figure that states a value (a cumulative flow figure or a stock):

* its *neighbours* are the other figures of the same series dated within
  :data:`WINDOW_DAYS` days of it, of any counter, that suggest a value (``point``);
* a neighbour contradicts it *by far* when the figure's lower bound is more than
  :data:`FACTOR` times the neighbour's value, or its upper bound less than ``1 / FACTOR`` of it;
* it is an outlier when at least two neighbours exist, at least one of its own counter, more
  than half of its own counter's neighbours contradict it by far, and, when other counters
  have neighbours, more than half of theirs do too.

Two figures alone that disagree are not outliers (neither is more credible); they stay
evidence and show as a conflict of their own kind.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats.estimate.conflicts import conflict_rows, fmt_count, fmt_day

#: How many times larger (or smaller) than its neighbours a figure must be to be an outlier.
FACTOR = 5.0
#: Neighbours are the figures of the same series dated within this many days.
WINDOW_DAYS = 3


def neighbour_pairs(ev: pd.DataFrame) -> pd.DataFrame:
    """(figure, neighbour) pairs: same series, dated within :data:`WINDOW_DAYS` days, both
    suggesting a value. Columns: ``i`` and ``j`` (row labels of *ev*), ``own`` (same counter),
    ``far`` (the neighbour contradicts the figure by far)."""
    f = ev.loc[ev["point"].notna(), ["sid", "cid", "day", "lo", "hi", "point"]]
    f = f.rename_axis("i").reset_index()
    f["day"] = f["day"].to_numpy().astype("datetime64[D]").astype(np.int64)  # whole days
    pairs = []
    for lag in range(-WINDOW_DAYS, WINDOW_DAYS + 1):
        other = f.assign(day=f["day"] - lag)
        m = f.merge(other, on=["sid", "day"], suffixes=("", "_j"))
        pairs.append(m[m["i"] != m["i_j"]])
    p = pd.concat(pairs, ignore_index=True)
    far = (p["lo"] > FACTOR * p["point_j"]) | (p["hi"] * FACTOR < p["point_j"])
    return pd.DataFrame({"i": p["i"], "j": p["i_j"], "own": p["cid"] == p["cid_j"], "far": far})


def find_outliers(ev: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """Which constraint rows are outliers, and their conflict rows.

    Returns a boolean Series aligned with *ev* (True: set aside) and a conflicts frame (see
    :func:`stats.estimate.conflicts.conflict_rows`).
    """
    flagged = pd.Series(False, index=ev.index)
    pairs = neighbour_pairs(ev)
    if pairs.empty:
        return flagged, conflict_rows(ev.iloc[:0], "outlier", [], [], [])
    votes = pairs.groupby(["i", "own"])["far"].agg(["size", "sum"]).unstack("own", fill_value=0)
    n_own = votes.get(("size", True), 0)
    far_own = votes.get(("sum", True), 0)
    n_other = votes.get(("size", False), 0)
    far_other = votes.get(("sum", False), 0)
    out = (
        (n_own >= 1)
        & (n_own + n_other >= 2)
        & (2 * far_own > n_own)
        & ((n_other == 0) | (2 * far_other > n_other))
    )
    hit = out[out].index
    flagged.loc[hit] = True
    r = ev.loc[hit]
    med = (
        pairs[pairs["i"].isin(hit)]
        .merge(ev[["point"]], left_on="j", right_index=True)
        .groupby(["i", "own"])["point"]
        .median()
        .unstack("own")
    )
    own_med = med.get(True, pd.Series(np.nan, index=hit)).reindex(hit)
    other_med = med.get(False, pd.Series(np.nan, index=hit)).reindex(hit)
    detail = [
        f"{row.counter}'s {fmt_count(row.point)} {row.metric} ({row.claim_id}) on {fmt_day(row.day)} "
        f"is more than {FACTOR:g} times away from most figures of the series within "
        f"{WINDOW_DAYS} days (its counter's: median {fmt_count(a)}"
        + (f"; other counters': median {fmt_count(b)}" if np.isfinite(b) else "")
        + "): set aside as a likely misprint; it sets no bound and no best"
        for row, a, b in zip(r.itertuples(), own_med, other_med, strict=True)
    ]
    ids = [[x] for x in r["claim_id"]]
    conflicts = conflict_rows(r, "outlier", ids, [[x] for x in r["counter"]], detail)
    return flagged, conflicts
