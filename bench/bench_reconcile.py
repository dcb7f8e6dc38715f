"""Benchmark: dedupe + reconcile + interpolate ("pchip") on 1,000,000 claims in 10,000 series.

Targets (issues 4 and 10): <= 10 s and <= 2 GB peak memory on a 2-core machine, >= 10 times
the per-series loop, measured in the same run. The vectorised path runs every rule of
:mod:`stats.estimate` (misprints, stale reprints, windows, parts and wholes). Also times the same
work written as a plain per-series Python loop (what a user would write first: for each
series, for each counter, running max / min, then scipy's PchipInterpolator) on a sample of
the series, and reports the ratio (the loop's time scaled to all series).

Run: ``python bench/bench_reconcile.py [--claims N] [--series K] [--loop-series M]
[--repeat R] [--profile FILE]``: with ``--repeat`` the vectorised path runs R times and the
table gives each stage's median wall-clock and CPU time (the machine is shared: CPU time is
less sensitive to load); ``--profile`` writes a cProfile of one vectorised run to FILE
(inspect with ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stats import vocab  # noqa: E402
from stats.dedupe import dedupe  # noqa: E402
from stats.interpolate import interpolate  # noqa: E402
from stats.progress import progress  # noqa: E402
from stats.reconcile import reconcile  # noqa: E402

START = pd.Timestamp("2024-11-27")
DAYS = 60
COUNTERS = np.array(["SOHR", "SNHR", "OCHA"], dtype=object)
OUTLETS = np.array(["AFP", "Reuters", "AP", "dpa", "EFE"], dtype=object)
PLACE_WEIGHT = {"Syria": 1.0, "north-west Syria": 0.4, "north-east Syria": 0.2,
                "Idleb and western Aleppo": 0.3}  # fmt: skip
METRIC_WEIGHT = {
    "killed": 1.0,
    "civilians_killed": 0.3,
    "combatants_killed": 0.6,
    "children_killed": 0.05,
    "women_killed": 0.05,
    "injured": 1.0,
    "civilians_injured": 0.3,
    "children_injured": 0.05,
    "women_injured": 0.05,
}


def make_claims(n_claims: int, n_series: int, seed: int = 0) -> pd.DataFrame:
    """Claims consistent with a true count per series (parts below wholes), with qualifiers,
    lags, republications by several outlets and 1% stale figures (conflicts)."""
    rng = np.random.default_rng(seed)
    metrics = np.array(vocab.METRIC_NAMES, dtype=object)
    places = np.array(vocab.PLACES["name"], dtype=object)
    n_sub = int(np.ceil(n_series / (len(metrics) * len(places))))
    subgroups = np.array([None] + [f"group {i:02d}" for i in range(n_sub - 1)], dtype=object)
    combos = (
        np.array(
            np.meshgrid(
                np.arange(len(metrics)), np.arange(len(places)), np.arange(n_sub), indexing="ij"
            )
        )
        .reshape(3, -1)
        .T[:n_series]
    )
    s_metric, s_place, s_sub = metrics[combos[:, 0]], places[combos[:, 1]], subgroups[combos[:, 2]]
    w = (
        pd.Series(s_metric).map(METRIC_WEIGHT).fillna(1.0).to_numpy()
        * pd.Series(s_place).map(PLACE_WEIGHT).fillna(0.05).to_numpy()
        * np.where(combos[:, 2] == 0, 1.0, 0.02)
    )
    # truth: a common cumulative curve, scaled per series
    daily = rng.gamma(2.0, 500.0, size=DAYS)
    curve = np.cumsum(daily)
    sid = rng.integers(0, n_series, size=n_claims)
    day = rng.integers(0, DAYS, size=n_claims)
    true = np.floor(curve[day] * w[sid])
    stale = rng.random(n_claims) < 0.01
    true = np.where(stale, np.floor(curve[np.maximum(day - 3, 0)] * w[sid]), true)
    q = rng.choice(
        np.array(["exact", "at_least", "more_than", "about"], dtype=object),
        p=[0.5, 0.2, 0.1, 0.2],
        size=n_claims,
    )
    value = np.where(q == "more_than", np.maximum(true - 1, 0), true)
    value = np.where(q == "at_least", np.floor(value * rng.uniform(0.7, 1.0, n_claims)), value)
    low = np.select(
        [q == "more_than", q == "about"], [value + 1, np.floor(value * 0.9 + 1e-9)], value
    )
    high = np.select([q == "exact", q == "about"], [value, np.ceil(value * 1.1 - 1e-9)], np.nan)
    # republications: a third of the figures printed again by another outlet
    counter = COUNTERS[rng.integers(0, len(COUNTERS), size=n_claims)]
    rep = rng.random(n_claims) < 0.3
    src = np.where(rep, np.maximum(np.arange(n_claims) - 1, 0), np.arange(n_claims))
    for arr in (sid, day, q, value, low, high, counter):
        arr[rep] = arr[src[rep]]
    pe = START + pd.to_timedelta(day, unit="D")
    lag = rng.integers(0, 3, size=n_claims)

    def to_int(x):
        a = pd.array(np.where(np.isnan(x), 0, x).astype(np.int64), dtype="Int64")
        a[np.isnan(x)] = pd.NA
        return a

    return pd.DataFrame(
        {
            "claim_id": pd.array([f"b{i:07d}" for i in range(n_claims)], dtype="str"),
            "metric": pd.Categorical(s_metric[sid], categories=vocab.METRIC_NAMES),
            "value": to_int(value.astype(float)),
            "qualifier": pd.Categorical(q, categories=vocab.QUALIFIERS),
            "low": to_int(low.astype(float)),
            "high": to_int(high.astype(float)),
            "rule": pd.array(q, dtype="str"),
            "period_start": pd.Series(START, index=range(n_claims), dtype="datetime64[ns]"),
            "period_end": pe,
            "published": pe + pd.to_timedelta(lag, unit="D"),
            "location": pd.array(s_place[sid], dtype="str"),
            "subgroup": pd.array(s_sub[sid], dtype="str"),
            "counted_by": pd.array(counter, dtype="str"),
            "reported_by": pd.array(
                OUTLETS[rng.integers(0, len(OUTLETS), size=n_claims)], dtype="str"
            ),
            "url": pd.array(np.full(n_claims, None, dtype=object), dtype="str"),
        }
    )


def vectorised(claims: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    t = {}
    c0, t0 = time.process_time(), time.perf_counter()
    figures = dedupe(claims)
    t["dedupe"] = time.perf_counter() - t0
    c1, t0 = time.process_time(), time.perf_counter()
    est, conf = reconcile(figures)
    t["reconcile"] = time.perf_counter() - t0
    c2, t0 = time.process_time(), time.perf_counter()
    daily = interpolate(est[est["counter"] == "combined"], method="pchip")
    t["interpolate"] = time.perf_counter() - t0
    c3 = time.process_time()
    t["cpu"] = (c1 - c0, c2 - c1, c3 - c2)
    t["figures"], t["estimates"], t["conflicts"], t["days"] = (
        len(figures),
        len(est),
        len(conf),
        len(daily),
    )
    return t, daily


def per_series_loop(claims: pd.DataFrame) -> pd.DataFrame:
    """The baseline: the same bounds, one series and one counter at a time."""
    from scipy.interpolate import PchipInterpolator

    c = claims.drop_duplicates(
        ["counted_by", "metric", "location", "subgroup", "period_end", "value"]
    )
    out = []
    groups = c.groupby(["metric", "location", "subgroup"], dropna=False, observed=True)
    for _key, s in progress(groups, desc="per-series loop", total=groups.ngroups):
        bands = []
        for _counter, k in s.groupby("counted_by"):
            k = k.sort_values("period_end")
            days = k["period_end"].to_numpy()
            lo = k["low"].to_numpy(dtype=float, na_value=0.0)
            hi = k["high"].to_numpy(dtype=float, na_value=np.inf)
            u = pd.unique(days)
            L = np.array([lo[days == d].max() for d in u])
            H = np.array([hi[days == d].min() for d in u])
            L = np.maximum.accumulate(L)
            H = np.minimum.accumulate(H[::-1])[::-1]
            bands.append(
                pd.DataFrame({"day": u, "low": np.minimum(L, H), "high": np.maximum(L, H)})
            )
        b = pd.concat(bands).groupby("day").agg(low=("low", "max"), high=("high", "min"))
        b["low"] = np.maximum.accumulate(b["low"].to_numpy())
        x = ((b.index - START).days.to_numpy()).astype(float)
        y = np.maximum.accumulate(b["low"].to_numpy())
        xs, ys = np.r_[-1.0, x], np.r_[0.0, y]
        cal = np.arange(0, x.max() + 1)
        best = PchipInterpolator(xs, ys)(cal) if len(xs) > 1 else np.full(len(cal), ys[0])
        out.append(best)
    return out


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--claims", type=int, default=1_000_000)
    p.add_argument("--series", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=1, help="runs of the vectorised path (median)")
    p.add_argument("--profile", default=None, help="write a cProfile of one run to this file")
    p.add_argument(
        "--loop-series",
        type=int,
        default=500,
        help="series timed with the per-series loop (scaled to all)",
    )
    args = p.parse_args(argv)
    claims = make_claims(args.claims, args.series)
    gc.collect()
    rss0 = peak_rss_gb()
    runs = []
    for _ in range(max(args.repeat, 1)):
        runs.append(vectorised(claims)[0])
        gc.collect()
    rss = peak_rss_gb()
    t = dict(runs[0])
    for k in ("dedupe", "reconcile", "interpolate"):
        t[k] = float(np.median([r[k] for r in runs]))
    t["cpu"] = tuple(float(np.median([r["cpu"][i] for r in runs])) for i in range(3))
    total = float(np.median([r["dedupe"] + r["reconcile"] + r["interpolate"] for r in runs]))
    if args.profile:
        import cProfile

        cProfile.runctx("vectorised(claims)", globals(), {"claims": claims}, args.profile)
    keys = (
        claims.groupby(["metric", "location", "subgroup"], dropna=False, observed=True)
        .ngroup()
        .to_numpy()
    )
    chosen = pd.unique(keys)[: args.loop_series]
    sample = claims[np.isin(keys, chosen)]
    t0 = time.perf_counter()
    per_series_loop(sample)
    loop = time.perf_counter() - t0
    n_series = claims.groupby(
        ["metric", "location", "subgroup"], dropna=False, observed=True
    ).ngroups
    loop_all = loop * n_series / len(chosen)
    rows = [
        ("claims", f"{len(claims):,}"),
        ("series", f"{n_series:,}"),
        ("distinct figures (dedupe)", f"{t['figures']:,}"),
        ("estimates rows", f"{t['estimates']:,}"),
        ("conflicts", f"{t['conflicts']:,}"),
        ("daily rows (combined, pchip)", f"{t['days']:,}"),
        ("runs of the vectorised path (times: median)", f"{len(runs)}"),
        ("dedupe s (CPU s)", f"{t['dedupe']:.2f} ({t['cpu'][0]:.2f})"),
        ("reconcile s (CPU s)", f"{t['reconcile']:.2f} ({t['cpu'][1]:.2f})"),
        ("interpolate pchip s (CPU s)", f"{t['interpolate']:.2f} ({t['cpu'][2]:.2f})"),
        ("total s (target <= 10)", f"{total:.2f} (CPU {sum(t['cpu']):.2f})"),
        (
            "total s, every run",
            ", ".join(f"{r['dedupe'] + r['reconcile'] + r['interpolate']:.2f}" for r in runs),
        ),
        ("machine load average (1 min)", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"),
        ("peak RSS GB (target <= 2)", f"{rss:.2f} (before the run: {rss0:.2f})"),
        (f"per-series loop s ({len(chosen)} series)", f"{loop:.2f}"),
        ("per-series loop s, scaled to all series", f"{loop_all:.1f}"),
        ("speed-up of the vectorised path", f"{loop_all / total:.0f}x"),
    ]
    w = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{w}}  {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
