"""Simulated capture tables with known truth (stats.mse_simulate): coverage and calibration of dga and lcmcr.

Reference values: tests/data/mse/README.md; settings and figures: docs/mse.md.
"""

from __future__ import annotations

import numpy as np
import pytest

from stats import mse
from stats.mse_simulate import (
    check_calibration,
    check_coverage,
    check_total_coverage,
    draw_from_prior,
    simulate_captures,
)


def test_simulate_captures_strata_and_truth():
    table, truth = simulate_captures([300, 900], n_lists=4, seed=3)
    assert set(table["stratum"]) == {"s1", "s2"}
    observed = table.groupby("stratum")["count"].sum()
    assert (observed <= truth).all() and (observed > 0.3 * truth).all()
    assert not table[["L1", "L2", "L3", "L4"]].eq(0).all(axis=1).any()


@pytest.mark.slow
def test_dga_coverage_under_list_dependence():
    """Homogeneous capture, lists passing records on (dga's graphs model that dependence):
    each stratum's interval and the interval of the total (strata's draws summed, as
    stats.capture.estimate_total reports it) hold the truth."""
    result = check_total_coverage("dependent", range(10), method="dga")
    assert len(result) == 10 and result["strata"].sum() == 20
    assert result["strata_covered"].sum() >= 18
    assert result["covered"].mean() >= 0.9
    assert abs(result["rel_error"].median()) < 0.1
    assert (result["low"] <= result["estimate"]).all() and (
        result["observed"] <= result["low"]
    ).all()
    with pytest.raises(ValueError, match="method must be one of"):
        check_total_coverage("dependent", range(1), method="bic")


def test_draws_from_the_priors_of_lcmcr_and_dga():
    rng = np.random.default_rng(5)
    sizes = []
    for method, k in (("lcmcr", 4), ("dga", 3), ("dga", 5)):
        table, n = draw_from_prior(method, k, rng, n_range=(300, 600))
        assert list(table.columns) == [f"L{j + 1}" for j in range(k)] + ["count"]
        assert table.drop(columns="count").to_numpy().any(axis=1).all()  # no all-zero pattern
        assert not table.drop(columns="count").duplicated().any()
        assert 300 <= n <= 600 and table["count"].sum() <= n
        sizes.append(n)
    assert len(set(sizes)) > 1
    with pytest.raises(ValueError, match="method must be 'lcmcr' or 'dga'"):
        draw_from_prior("bic", 3, rng)


def test_dga_is_calibrated_on_tables_drawn_from_its_prior():
    # simulation-based calibration: exact posterior, tables from the prior -> the 95%
    # intervals hold the true N in about 95% of tables and the true N's rank is uniform
    res = check_calibration("dga", range(60), lists=(3,), n_range=(200, 800))
    assert res["covered"].mean() >= 0.9
    assert 0.35 <= res["rank"].mean() <= 0.65
    assert (res["inside"] > 0.999).all()


@pytest.mark.slow
def test_lcmcr_coverage_under_heterogeneity():
    """A latent visible class (lcmcr's model), 5 and 6 lists, strata of 2,000 and 3,000.

    A CI-sized run of the measurement that bench/bench_mse.py --coverage 50 makes on 100
    tables per scenario (docs/mse.md): there, with 5 or 6 lists, 92% of the 95% intervals held
    the truth; with 3 or 4 lists, or under direct list dependence, far fewer. The
    independence model, on the same tables, is far off.
    """

    def fit(table, seed):
        return mse.estimate(table, method="lcmcr", seed=seed, burn_in=1500, samples=800, thin=3)

    def main_effects(table, seed):
        return mse.estimate(table, method="main")

    sizes = (2000, 3000)
    result = check_coverage(fit, "heterogeneous", range(6), lists=(5, 6), sizes=sizes)
    naive = check_coverage(main_effects, "heterogeneous", range(6), lists=(5, 6), sizes=sizes)
    assert len(result) == len(naive) == 12
    assert result["covered"].sum() >= 10
    assert naive["covered"].sum() <= 2
    assert abs(result["rel_error"].median()) < 0.05 < abs(naive["rel_error"].median())
