"""Benchmark stats.mse model searches and Bayesian methods (run by ``make bench``).

Targets (issue 7): a 5-list table, exhaustive search over all 1,024 two-way hierarchical models,
in <= 10 s; a 6-list table (32,768 models) exhaustively in <= 5 minutes, otherwise by the
documented greedy search. Targets (issue 15): lcmcr on a 5-list table, 10,000 sweeps of the
Gibbs sampler, <= 10 s; dga on 5 lists with a 20,000-value grid of N, <= 10 s.

``python bench/bench_mse.py --coverage 50`` runs the coverage study instead: 50 simulations per
scenario (stats.mse_simulate.SCENARIOS) and method, two strata each (N = 500 and 2,000), and
prints how often the 95% intervals hold the true N, over all tables, per N and per number of
lists (lcmcr with chains of 3,000 + 1,000 x 5 sweeps). ``--methods``, ``--scenarios`` and
``--sizes`` narrow or change it; ``--out FILE.csv`` keeps every table's result. ``--total``
measures instead the interval of the total over each simulation's strata, as it is reported
(stats.capture.estimate_total: strata checked, estimated alone, posterior draws summed);
``--field-k`` gives lcmcr K = min(2^J - 1, 15) classes for J lists, as HRDAG's ``verdata``.

``python bench/bench_mse.py --calibration 120`` checks the samplers themselves instead
(simulation-based calibration, stats.mse_simulate.check_calibration): 120 tables drawn from
each method's own prior (lcmcr: 3-6 lists, chains of ``--chain`` burn-in, samples, thinning;
dga: 3-5 lists, exact), the share of 95% intervals holding the true N and a histogram of the
true N's posterior rank (uniform if the posterior is right).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from stats import mse
from stats.mse_simulate import SCENARIOS, check_calibration, check_coverage, check_total_coverage

ROOT = Path(__file__).resolve().parent.parent
UK = ROOT / "data" / "raw" / "mse" / "uk_modern_slavery_2013_5lists.csv"


def six_list_table(seed: int = 2024, n: int = 20_000) -> pd.DataFrame:
    """A simulated 6-list table with heterogeneous capture and two dependent list pairs."""
    rng = np.random.default_rng(seed)
    base = np.array([0.05, 0.08, 0.12, 0.03, 0.06, 0.10])
    frailty = rng.gamma(2.0, 0.5, size=n)  # heterogeneity: some victims easier to list
    p = np.clip(base[None, :] * frailty[:, None], 0, 1)
    caught = rng.random(p.shape) < p
    caught[:, 1] |= caught[:, 0] & (rng.random(n) < 0.3)  # list B often copies list A
    caught[:, 4] &= ~caught[:, 3] | (rng.random(n) < 0.2)  # D and E rarely share victims
    names = list("ABCDEF")
    recs = pd.DataFrame(caught, columns=names)
    recs = recs[recs.any(axis=1)]
    return mse.tabulate(recs)


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def main() -> None:
    rows = []
    uk = mse.tabulate(pd.read_csv(UK))
    (model, value, search), secs = timed(lambda: mse.search_models(uk, "bic", 2, greedy=False))
    rows.append(("UK 5 lists", "bic search, order 2", search, secs, 10.0, len(model), value))
    (model, value, search), secs = timed(lambda: mse.search_models(uk, "bic", 4, greedy=False))
    rows.append(("UK 5 lists", "bic search, all orders", search, secs, None, len(model), value))
    for method in ("main", "stepwise", "bhs", "bic"):
        res, secs = timed(lambda m=method: mse.estimate(pd.read_csv(UK), method=m))
        rows.append(("UK 5 lists", f"estimate {method} + profile CI", "", secs, None,
                     len(res.model), res.estimate))  # fmt: skip

    rows.extend(bayes_rows())

    six = six_list_table()
    (model, value, search), secs = timed(lambda: mse.search_models(six, "bic", 2, greedy=True))
    rows.append(("sim 6 lists", "bic search, order 2", search, secs, 300.0, len(model), value))
    (model, value, search), secs = timed(lambda: mse.search_models(six, "bic", 2, greedy=False))
    rows.append(("sim 6 lists", "bic search, order 2", search, secs, 300.0, len(model), value))

    table = pd.DataFrame(
        rows, columns=["table", "task", "search", "seconds", "target_s", "terms", "value"]
    )
    table["ok"] = table["target_s"].isna() | (table["seconds"] <= table["target_s"])
    with pd.option_context("display.width", 140, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))


def bayes_rows() -> list[tuple]:
    """lcmcr (10,000 sweeps) and dga (20,000-value grid; default grid) on the UK 5-list table."""
    uk = pd.read_csv(UK)
    sweeps = {"burn_in": 5_000, "samples": 1_000, "thin": 5}
    res, secs = timed(lambda: mse.estimate(uk, method="lcmcr", seed=1, **sweeps))
    rows = [("UK 5 lists", "lcmcr, 10,000 sweeps", "", secs, 10.0, 0, res.estimate)]
    res, secs = timed(lambda: mse.estimate(uk, method="dga", max_missing=19_999))
    rows.append(("UK 5 lists", "dga, 20,000-value grid", "", secs, 10.0, len(res.model),
                 res.estimate))  # fmt: skip
    res, secs = timed(lambda: mse.estimate(uk, method="dga"))
    grid = f"{len(res.posterior.values):,} values"
    rows.append(("UK 5 lists", "dga, default grid", grid, secs, None, len(res.model),
                 res.estimate))  # fmt: skip
    return rows


#: Chain of the lcmcr fits in the coverage study (shorter than the defaults, for time).
COVERAGE_CHAIN = {"burn_in": 3_000, "samples": 1_000, "thin": 5}


def coverage(reps: int, methods=("lcmcr", "dga"), scenarios=tuple(SCENARIOS),
             sizes=(500, 2000), out: Path | None = None) -> pd.DataFrame:  # fmt: skip
    """Coverage of the 95% intervals of lcmcr (3-6 lists) and dga (3-5 lists) per scenario,
    over all tables, per true N and per number of lists; ``out``: a CSV of every table."""
    fits = {
        "lcmcr": (
            lambda t, s: mse.estimate(t, method="lcmcr", seed=s, **COVERAGE_CHAIN),
            (3, 4, 5, 6),
        ),  # fmt: skip
        "dga": (lambda t, s: mse.estimate(t, method="dga"), (3, 4, 5)),
    }
    rows, tables = [], []
    for method in methods:
        fit, lists = fits[method]
        for scenario in scenarios:
            start = time.perf_counter()
            res = check_coverage(fit, scenario, range(1000, 1000 + reps), lists=lists,
                                 sizes=sizes)  # fmt: skip
            tables.append(res.assign(method=method, scenario=scenario))
            groups = [("all", "all", res), *((n, "all", p) for n, p in res.groupby("N")),
                      *(("all", k, p) for k, p in res.groupby("lists"))]  # fmt: skip
            rows.extend(_summary(method, scenario, groups, start))
            print(pd.DataFrame(rows[-len(groups) :]).to_string(index=False), flush=True)
    if out is not None:
        pd.concat(tables).to_csv(out, index=False)
    return pd.DataFrame(rows)


def total_coverage(reps: int, methods=("lcmcr", "dga"), scenarios=tuple(SCENARIOS),
                   sizes=(500, 2000), out: Path | None = None,
                   field_k: bool = False) -> pd.DataFrame:  # fmt: skip
    """Coverage of the 95% interval of each simulation's total (its strata summed)."""
    lists = {"lcmcr": (3, 4, 5, 6), "dga": (3, 4, 5)}
    rows, tables = [], []
    for method in methods:
        for scenario in scenarios:
            start = time.perf_counter()
            parts = []
            for k in lists[method]:
                # the seeds that check_coverage gives k lists (seed i: lists[i % len(lists)])
                seeds = range(1000, 1000 + reps)[lists[method].index(k) :: len(lists[method])]
                options = dict(COVERAGE_CHAIN) if method == "lcmcr" else {}
                if method == "lcmcr" and field_k:
                    options["K"] = min(2**k - 1, 15)
                parts.append(check_total_coverage(scenario, seeds, lists=(k,), sizes=sizes,
                                                  method=method, **options))  # fmt: skip
            res = pd.concat(parts, ignore_index=True)
            tables.append(res.assign(method=method, scenario=scenario))
            groups = [("total", "all", res), *(("total", k, p) for k, p in res.groupby("lists"))]
            rows.extend(_summary(method, scenario, groups, start))
            print(pd.DataFrame(rows[-len(groups) :]).to_string(index=False), flush=True)
    if out is not None:
        pd.concat(tables).to_csv(out, index=False)
    return pd.DataFrame(rows)


def calibration(reps: int, methods=("lcmcr", "dga"), chain=None, out: Path | None = None):
    """Simulation-based calibration of each method on ``reps`` tables drawn from its prior."""
    from scipy.stats import chisquare

    lists = {"lcmcr": (3, 4, 5, 6), "dga": (3, 4, 5)}
    rows, tables = [], []
    for method in methods:
        start = time.perf_counter()
        options = dict(chain or COVERAGE_CHAIN) if method == "lcmcr" else {}
        res = check_calibration(method, range(reps), lists=lists[method], **options)
        tables.append(res.assign(method=method))
        ranks = np.histogram(res["rank"], bins=10, range=(0, 1))[0]
        for k, part in [("all", res), *res.groupby("lists")]:
            rows.append({"method": method, "lists": k, "tables": len(part),
                         "coverage": part["covered"].mean(),
                         "inside": (part["inside"] > 0.99).mean(),
                         "seconds": time.perf_counter() - start})  # fmt: skip
        print(pd.DataFrame(rows[-len(lists[method]) - 1 :]).to_string(index=False))
        print(f"{method}: ranks in tenths {ranks.tolist()}, chi-square p = "
              f"{chisquare(ranks).pvalue:.3f}", flush=True)  # fmt: skip
    if out is not None:
        pd.concat(tables).to_csv(out, index=False)
    return pd.DataFrame(rows)


def _summary(method: str, scenario: str, groups, start: float) -> list[dict]:
    return [
        {
            "method": method, "scenario": scenario, "N": n, "lists": k, "tables": len(part),
            "coverage": part["covered"].mean(),
            **({"strata_coverage": part["strata_covered"].sum() / part["strata"].sum()}
               if "strata_covered" in part else {}),
            "median_rel_error": part["rel_error"].median(),
            "median_width_over_N": ((part["high"] - part["low"]) / part["N"]).median(),
            "seconds": time.perf_counter() - start,
        }
        for n, k, part in groups
    ]  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coverage", type=int, default=0, help="simulations per scenario")
    parser.add_argument("--methods", nargs="+", default=["lcmcr", "dga"])
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    parser.add_argument("--sizes", nargs="+", type=int, default=[500, 2000])
    parser.add_argument("--out", type=Path, default=None, help="CSV of every simulated table")
    parser.add_argument("--total", action="store_true", help="coverage of the strata's total")
    parser.add_argument("--field-k", action="store_true", help="lcmcr K = min(2^J - 1, 15)")
    parser.add_argument("--calibration", type=int, default=0, help="tables drawn from the prior")
    parser.add_argument(
        "--chain",
        nargs=3,
        type=int,
        default=None,
        metavar=("BURN_IN", "SAMPLES", "THIN"),
        help="lcmcr chain (calibration)",
    )
    args = parser.parse_args()
    if args.calibration:
        chain = dict(zip(("burn_in", "samples", "thin"), args.chain or (), strict=False)) or None
        calibration(args.calibration, args.methods, chain, args.out)
    elif args.coverage and args.total:
        table = total_coverage(args.coverage, args.methods, args.scenarios, args.sizes,
                               args.out, args.field_k)  # fmt: skip
        with pd.option_context("display.width", 140, "display.max_columns", 20):
            print(table.to_string(index=False, float_format="{:.3f}".format))
    elif args.coverage:
        table = coverage(args.coverage, args.methods, args.scenarios, args.sizes, args.out)
        with pd.option_context("display.width", 140, "display.max_columns", 20):
            print(table.to_string(index=False, float_format="{:.3f}".format))
    else:
        main()
