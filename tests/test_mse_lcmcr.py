"""lcmcr (stats.mse_lcmcr): the sampler against known posteriors, its chains, published tables and the R package on Kosovo.

Reference values: tests/data/mse/README.md; settings and figures: docs/mse.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import MSE_REFERENCE, QUICK_CHAIN, mse_table
from scipy.special import gammaln

from stats import mse, mse_lcmcr
from stats.mse_posterior import Posterior
from stats.mse_simulate import (
    simulate_captures,
)


def test_lcmcr_same_seed_same_draws_and_records_equal_aggregated():
    table = mse_table("korea_3lists.csv")
    records = table.loc[table.index.repeat(table["count"]), ["b", "c", "d"]].astype(bool)
    short = {"burn_in": 300, "samples": 200, "thin": 2}
    first = mse.estimate(table, method="lcmcr", seed=7, **short)
    again = mse.estimate(records.reset_index(drop=True), method="lcmcr", seed=7, **short)
    other = mse.estimate(table, method="lcmcr", seed=8, **short)
    assert np.array_equal(first.posterior.values, again.posterior.values)
    assert not np.array_equal(first.posterior.values, other.posterior.values)
    assert first.estimate == float(np.median(first.posterior.values))
    assert first.posterior.values.min() >= first.observed
    assert first.settings["K"] == 10 and first.settings["seed"] == 7


def test_lcmcr_chains_pool_draws_and_report_rhat():
    table = mse_table("korea_3lists.csv")
    short = {"burn_in": 300, "samples": 200, "thin": 2}
    two = mse.estimate(table, method="lcmcr", seed=5, chains=2, **short)
    again = mse.estimate(table, method="lcmcr", seed=5, chains=2, **short)
    assert len(two.posterior.values) == 400
    assert np.array_equal(two.posterior.values, again.posterior.values)  # same seed, same draws
    first, second = two.posterior.values.reshape(2, -1)
    assert not np.array_equal(first, second)  # the chains start apart and run apart
    assert 0.9 < two.settings["rhat"] < 2 and two.settings["chains"] == 2


def test_lcmcr_one_class_matches_the_exact_posterior():
    """K = 1 (independent lists, lambda_j ~ Beta(1, 1), p(N) ~ 1/N) has a closed form:
    p(N | x) ~ (1/N) N! / (N - n)! prod_j B(1 + n_j, 1 + N - n_j). The sampler's quantiles
    must agree with it within Monte Carlo error: a check of its n0 and lambda updates."""
    table, _ = simulate_captures([1500], n_lists=4, seed=3, visibility=1.0, referral=0.0)
    z = table[["L1", "L2", "L3", "L4"]].to_numpy()
    y = table["count"].to_numpy()
    n, on = y.sum(), (z * y[:, None]).sum(axis=0)
    big_n = np.arange(n, 6 * n, dtype=float)
    log_post = -np.log(big_n) + gammaln(big_n + 1) - gammaln(big_n - n + 1)
    for n_j in on:
        log_post += gammaln(1 + n_j) + gammaln(1 + big_n - n_j) - gammaln(2 + big_n)
    exact = Posterior("grid", big_n, np.exp(log_post - log_post.max()))
    post = mse_lcmcr.sample_population(z, y, K=1, burn_in=100, samples=3000, thin=1, seed=2)
    for q in (0.025, 0.5, 0.975):
        assert abs(post.quantile(q) / exact.quantile(q) - 1) < 0.015, q


def test_lcmcr_homogeneous_capture_agrees_with_independence_model():
    """One class of independent lists: lcmcr, the independence model and the truth agree."""
    table, truth = simulate_captures([3000], n_lists=4, seed=21, visibility=1.0, referral=0.0)
    table = table.drop(columns="stratum")
    res = mse.estimate(table, method="lcmcr", seed=1, **QUICK_CHAIN)
    main_effects = mse.estimate(table, method="main").estimate
    assert res.low <= truth.iloc[0] <= res.high
    assert res.low <= main_effects <= res.high
    assert abs(res.estimate / main_effects - 1) < 0.05


def test_lcmcr_corrects_for_latent_heterogeneity():
    """Two latent classes: the independence model falls short; lcmcr moves towards the truth."""
    rng = np.random.default_rng(11)
    truth = 6000
    visible = rng.random(truth) < 0.3
    probs = np.where(visible[:, None], [0.6, 0.5, 0.7, 0.55, 0.65], [0.15, 0.1, 0.2, 0.12, 0.18])
    records = pd.DataFrame(rng.random(probs.shape) < probs, columns=list("ABCDE"))
    records = records[records.any(axis=1)]
    res = mse.estimate(records, method="lcmcr", seed=1, **QUICK_CHAIN)
    main_effects = mse.estimate(records, method="main").estimate
    assert main_effects < res.low
    assert abs(res.estimate / truth - 1) < abs(main_effects / truth - 1) / 2


def test_lcmcr_sampler_validates_settings():
    z, y = np.array([[1, 0], [0, 1], [1, 1]]), np.array([5, 5, 2])
    with pytest.raises(ValueError, match="K must be a whole number >= 1"):
        mse_lcmcr.sample_population(z, y, K=0)
    with pytest.raises(ValueError, match="a and b must be positive"):
        mse_lcmcr.sample_population(z, y, a=0)


def test_effective_draws_flag_short_chains():
    res = mse.estimate(mse_table("korea_3lists.csv"), method="lcmcr", seed=2, burn_in=50,
                       samples=60, thin=1)  # fmt: skip
    assert res.settings["effective_draws"] < mse.MIN_ESS
    assert any("effective draws" in w for w in res.warnings)


@pytest.mark.parametrize(
    "name, published", [("korea_3lists.csv", 157), ("new_orleans_5lists_n185.csv", 1034)]
)
def test_lcmcr_sensible_on_published_tables(name, published):
    res = mse.estimate(mse_table(name), method="lcmcr", seed=1, **QUICK_CHAIN)
    assert res.observed <= res.low < res.estimate < res.high
    assert res.low <= published <= res.high


@pytest.fixture(scope="module")
def kosovo() -> pd.DataFrame:
    return pd.read_csv(MSE_REFERENCE / "kosovo_4lists.csv")


def test_kosovo_table_matches_its_source(kosovo):
    """The 15 counts are LCMCR's kosovo_aggregate (n = 4,400) as MultipleSystemsEstimation
    prints them; its vignette (reproduce-2021) selects [12,13,14,23,34] by pairwise stepwise
    selection (p = 0.02) with a total of "approximately 14,342": the same table here gives
    the same model and total."""
    assert list(kosovo.columns) == ["EXH", "ABA", "OSCE", "HRW", "count"]
    assert len(kosovo) == 15 and kosovo["count"].sum() == 4400
    res = mse.estimate(kosovo, method="stepwise")
    pairs = {"ABA:EXH", "EXH:OSCE", "EXH:HRW", "ABA:OSCE", "HRW:OSCE"}
    assert set(res.model) == pairs
    assert round(res.estimate) == 14342


def test_lcmcr_agrees_with_the_r_package_on_kosovo(kosovo):
    """LCMCR's example on these data (K = 10, a = b = 0.25: this package's defaults) has a
    posterior median of N of about 10,300 to 10,500. Here the defaults (one chain, 10,000
    sweeps burn-in, 2,000 draws thinned by 10; about 7 s) with seed 1.

    Tolerance 600 = 3 x sqrt(146^2 + 130^2): 146 is the standard deviation of this median
    over seeds 1-8 (medians 10,266 to 10,667, mean 10,476), 130 that of one chain's median
    at the R example's settings (burn-in 10,000, 1,000 draws thinned by 100; 12 chains,
    10,140 to 10,618), standing for the Monte Carlo error of R's own single run. The test
    fails for the independence model (7,395), the stepwise log-linear fit (14,342), and for
    7 of 10 seeds of a short run (4 chains, 2,000 sweeps burn-in, 500 draws thinned by 10:
    medians 8,989 to 10,150), whose chains have not left their start."""
    res = mse.estimate(kosovo, method="lcmcr", seed=1)
    assert (res.settings["K"], res.settings["a"], res.settings["b"]) == (10, 0.25, 0.25)
    assert abs(res.estimate - 10_400) <= 600
    assert res.observed < res.low < 10_300 and 10_500 < res.high
