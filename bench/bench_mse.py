"""Benchmark stats.mse model searches (run by ``make bench``; prints a results table).

Targets (issue 7): a 5-list table, exhaustive search over all 1,024 two-way hierarchical models,
in <= 10 s; a 6-list table (32,768 models) exhaustively in <= 5 minutes, otherwise by the
documented greedy search.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from stats import mse

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


if __name__ == "__main__":
    main()
