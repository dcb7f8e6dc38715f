"""Benchmark: the eventual-toll estimate (``stats.estimate.delay``) on a large ledger.

The ledger is many simulated crises (``stats.simulate``, realistic reporting), each given its
own location so that every crisis is three series of its own; crises are drawn once and tiled
to reach the number of claims asked for. Reconcile and interpolate ("pchip") run first, from the
simulation's series start as the pipeline runs them from a dataset's (their CPU time is printed:
the crises' windows go through :mod:`stats.estimate.windows` there), then
``add_eventual_estimates`` is timed: wall-clock and CPU time (the machine is shared: CPU time
is less sensitive to load), claims and Daily rows per second, and the process's peak memory.

Run: ``python bench/bench_delay.py [--claims N] [--crises K] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stats.dedupe import dedupe  # noqa: E402
from stats.estimate.delay import add_eventual_estimates  # noqa: E402
from stats.interpolate import interpolate  # noqa: E402
from stats.reconcile import reconcile  # noqa: E402
from stats.simulate import START, simulate_claims  # noqa: E402


def make_ledger(n_claims: int, n_crises: int) -> pd.DataFrame:
    """About ``n_claims`` claims: ``n_crises`` simulated crises tiled, one location each."""
    drawn = [simulate_claims(seed)[0] for seed in range(n_crises)]
    per = sum(len(c) for c in drawn) / n_crises
    copies = []
    for i in range(max(1, round(n_claims / per))):
        c = drawn[i % n_crises].copy()
        c["location"] = f"crisis {i:05d}"
        c["claim_id"] = f"B{i:05d}-" + c["claim_id"]
        copies.append(c)
    return pd.concat(copies, ignore_index=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000, help="claims in the ledger (100,000)")
    ap.add_argument("--crises", type=int, default=40, help="distinct crises drawn (40)")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs (1)")
    args = ap.parse_args(argv)
    claims = make_ledger(args.claims, args.crises)
    c0 = time.process_time()
    est, _ = reconcile(dedupe(claims), start=START)
    c1 = time.process_time()
    daily = interpolate(est, start=START, method="pchip")
    c2 = time.process_time()
    print(f"before the timed step: dedupe and reconcile {c1 - c0:.2f} s CPU, "
          f"interpolate {c2 - c1:.2f} s CPU")  # fmt: skip
    n_series = daily.groupby(["metric", "location", "subgroup", "counter"], dropna=False).ngroups
    walls, cpus = [], []
    for _ in range(args.repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        out = add_eventual_estimates(daily, claims, start=START)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    wall, cpu = sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'claims':>10} {'series':>8} {'daily rows':>11} {'wall s':>8} {'cpu s':>8} "
          f"{'claims/s':>10} {'rows/s':>9} {'peak MB':>8}")  # fmt: skip
    print(f"{len(claims):>10,} {n_series:>8,} {len(out):>11,} {wall:>8.2f} {cpu:>8.2f} "
          f"{len(claims) / cpu:>10,.0f} {len(out) / cpu:>9,.0f} {peak:>8.0f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
