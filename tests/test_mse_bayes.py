"""Tests for the Bayesian MSE methods: dga and lcmcr (stats.mse, stats.mse_dga, stats.mse_lcmcr).

Reference values from the R packages' own tests and documentation (tests/data/mse/README.md),
invariants of the models, sanity against published tables, coverage on simulated truth, and
the command line.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import gammaln

from stats import mse, mse_dga, mse_lcmcr
from stats.cli import main
from stats.config import RAW
from stats.errors import UserError
from stats.mse_posterior import Posterior, sum_posteriors
from stats.mse_simulate import (
    check_calibration,
    check_coverage,
    check_total_coverage,
    draw_from_prior,
    simulate_captures,
)

REF = Path(__file__).parent / "data" / "mse"

#: Short chains for tests (the defaults are longer; see docs/mse.md).
QUICK = {"burn_in": 1000, "samples": 500, "thin": 4}


def _counts_by_code(table: pd.DataFrame) -> np.ndarray:
    """Counts of all 2^k patterns by code (index 0 = unobserved), from a capture table."""
    return np.r_[0.0, mse.tabulate(table)["count"].to_numpy(dtype=float)]


@pytest.fixture(scope="module")
def my3() -> pd.DataFrame:
    return pd.read_csv(REF / "madigan_york_3lists.csv")


@pytest.fixture(scope="module")
def my5() -> pd.DataFrame:
    return pd.read_csv(REF / "madigan_york_5lists.csv")


def _raw(name: str) -> pd.DataFrame:
    return pd.read_csv(RAW / "mse" / name)


# ---------------------------------------------------------------------------------------------
# dga: the R package's reference results


def test_dga_reproduces_madigan_york_three_lists(my3):
    """dga's test "3 lists example against Madigan and York": 0.37, 731, 729; 731, 728."""
    y = _counts_by_code(my3)
    grid = np.arange(1, 301)
    prior = mse_dga.log_prior_negative_binomial(13.14, 55.17)
    post, graphs, weights = mse_dga.posterior(y, 3, delta=1, n_missing=grid, log_prior=prior)
    top = int(np.argmax(weights))
    assert round(weights[top], 2) == 0.37
    one, _, _ = mse_dga.posterior(y, 3, 1, grid, prior, graphs=[graphs[top]])
    assert round(one.bayes_estimate()) == 731
    assert one.mode() == 729
    assert round(post.bayes_estimate()) == 731
    assert post.mode() == 728


def test_dga_reproduces_five_list_model_weights(my5):
    """dgaFast README, five-list example: the top five graphs' posterior probabilities."""
    y = _counts_by_code(my5)
    grid = np.arange(1, 301)
    post, graphs, weights = mse_dga.posterior(y, 5, delta=0.5, n_missing=grid)
    top5 = np.sort(weights)[::-1][:5]
    published = [0.21707345, 0.16029369, 0.08226562, 0.06535887, 0.05193514]
    assert top5 == pytest.approx(published, abs=5e-9)
    one, _, _ = mse_dga.posterior(y, 5, 0.5, grid, graphs=[graphs[int(np.argmax(weights))]])
    # the README's table is on N = 626 + Nmissing (see tests/data/mse/README.md)
    missing = one.values - y.sum()
    on_readme_scale = Posterior("grid", 626 + missing, one.weights)
    assert on_readme_scale.mode() == 713
    assert on_readme_scale.quantile(np.array([0.025, 0.975])).tolist() == [687, 752]
    assert round(on_readme_scale.bayes_estimate()) == 716


# ---------------------------------------------------------------------------------------------
# dga: invariants


@pytest.mark.parametrize("k, expected", [(1, 1), (2, 2), (3, 8), (4, 61), (5, 822)])
def test_decomposable_graph_counts(k, expected):
    # labelled chordal graphs (OEIS A058862)
    assert len(mse_dga.decomposable_graphs(k)) == expected


def test_junction_trees_cover_all_lists_once():
    for graph in mse_dga.decomposable_graphs(5):
        assert len(graph.separators) == len(graph.cliques) - 1
        union = 0
        for c in graph.cliques:
            union |= c
        assert union == 2**5 - 1
        # sum over cliques minus separators of the list count = number of lists
        size = sum(bin(c).count("1") for c in graph.cliques)
        size -= sum(bin(s).count("1") for s in graph.separators)
        assert size == 5


def test_dga_two_list_posterior_matches_closed_form():
    """Independence graph on two lists: product of two Beta-binomial marginal likelihoods."""
    table = pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "count": [60, 40, 20]})
    y = _counts_by_code(table)
    grid = np.arange(0, 3000)
    graphs = mse_dga.decomposable_graphs(2)
    empty = [g for g in graphs if not g.edges]
    post, _, _ = mse_dga.posterior(y, 2, delta=0.25, n_missing=grid, graphs=empty)
    n, d = 120, 0.25
    big_n = n + grid
    on_a, on_b = 80, 60
    a2 = 2 * d  # Dirichlet parameter per cell of a one-list margin

    def beta_binomial(on):
        return (
            gammaln(4 * d) - gammaln(big_n + 4 * d)
            + gammaln(on + a2) + gammaln(big_n - on + a2) - 2 * gammaln(a2)
        )  # fmt: skip

    logp = (
        -np.log(big_n)
        + gammaln(big_n + 1) - gammaln(grid + 1) - np.sum(gammaln(y[1:] + 1))
        + beta_binomial(on_a) + beta_binomial(on_b)
    )  # fmt: skip
    expected = np.exp(logp - logp.max())
    assert post.weights == pytest.approx(expected / expected.sum(), rel=1e-9, abs=1e-15)
    # and the posterior sits where Lincoln-Petersen does (80 * 60 / 20 = 240)
    assert 200 < post.median() < 290


def test_dga_weights_are_probabilities_and_column_order_free():
    table = _raw("korea_3lists.csv")
    res = mse.estimate(table, method="dga")
    post = res.posterior
    assert post.kind == "grid"
    assert post.weights.sum() == pytest.approx(1.0)
    assert sum(w for _, w in res.model_weights) <= 1.0 + 1e-12
    shuffled = table[["d", "b", "count", "c"]]
    again = mse.estimate(shuffled, method="dga")
    assert (again.estimate, again.low, again.high) == (res.estimate, res.low, res.high)
    assert again.model == res.model


def test_dga_records_equal_aggregated():
    table = _raw("korea_3lists.csv")
    records = table.loc[table.index.repeat(table["count"]), ["b", "c", "d"]].astype(bool)
    agg = mse.estimate(table, method="dga")
    rec = mse.estimate(records.reset_index(drop=True), method="dga")
    assert (rec.estimate, rec.low, rec.high) == (agg.estimate, agg.low, agg.high)


def test_dga_estimate_is_posterior_median_and_level_widens():
    table = _raw("korea_3lists.csv")
    narrow = mse.estimate(table, method="dga", level=0.5)
    wide = mse.estimate(table, method="dga", level=0.95)
    assert wide.estimate == narrow.estimate == wide.posterior.median()
    assert wide.low <= narrow.low <= narrow.estimate <= narrow.high <= wide.high
    assert wide.interval == "posterior"


def test_dga_short_grid_is_flagged():
    res = mse.estimate(_raw("korea_3lists.csv"), method="dga", max_missing=20)
    assert res.posterior.values[-1] == 123 + 20
    assert any("raise max_missing" in w for w in res.warnings)


# ---------------------------------------------------------------------------------------------
# lcmcr


def test_lcmcr_same_seed_same_draws_and_records_equal_aggregated():
    table = _raw("korea_3lists.csv")
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
    table = _raw("korea_3lists.csv")
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
    res = mse.estimate(table, method="lcmcr", seed=1, **QUICK)
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
    res = mse.estimate(records, method="lcmcr", seed=1, **QUICK)
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
    res = mse.estimate(_raw("korea_3lists.csv"), method="lcmcr", seed=2, burn_in=50,
                       samples=60, thin=1)  # fmt: skip
    assert res.settings["effective_draws"] < mse.MIN_ESS
    assert any("effective draws" in w for w in res.warnings)


# ---------------------------------------------------------------------------------------------
# the published tables (data/raw/mse): sensible against published log-linear estimates


@pytest.mark.parametrize(
    "name, published",
    [
        ("korea_3lists.csv", [157, 268.8]),
        ("new_orleans_5lists_n185.csv", [1034]),
        ("uk_modern_slavery_2013_5lists.csv", [11313, 22991, 25311]),
    ],
)
def test_dga_interval_holds_published_estimates(name, published):
    res = mse.estimate(_raw(name), method="dga")
    assert res.status == "ok"
    for value in published:
        assert res.low <= value <= res.high
    assert res.observed <= res.low


@pytest.mark.parametrize(
    "name, published", [("korea_3lists.csv", 157), ("new_orleans_5lists_n185.csv", 1034)]
)
def test_lcmcr_sensible_on_published_tables(name, published):
    res = mse.estimate(_raw(name), method="lcmcr", seed=1, **QUICK)
    assert res.observed <= res.low < res.estimate < res.high
    assert res.low <= published <= res.high


# ---------------------------------------------------------------------------------------------
# lcmcr against the R package LCMCR on the Kosovo table it ships (tests/data/mse/README.md)


@pytest.fixture(scope="module")
def kosovo() -> pd.DataFrame:
    return pd.read_csv(REF / "kosovo_4lists.csv")


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


# ---------------------------------------------------------------------------------------------
# coverage on simulated truth (a moderate number here; bench/bench_mse.py --coverage runs more)


def test_simulate_captures_strata_and_truth():
    table, truth = simulate_captures([300, 900], n_lists=4, seed=3)
    assert set(table["stratum"]) == {"s1", "s2"}
    observed = table.groupby("stratum")["count"].sum()
    assert (observed <= truth).all() and (observed > 0.3 * truth).all()
    assert not table[["L1", "L2", "L3", "L4"]].eq(0).all(axis=1).any()


def test_sum_posteriors_adds_draw_by_draw_and_samples_grids():
    a = Posterior("samples", np.arange(100, 200))
    total = sum_posteriors([a, a], seed=1)
    assert np.array_equal(total.values, 2 * np.arange(100, 200))  # whole chains, in order
    grid = Posterior("grid", np.array([10.0, 20.0]), np.array([0.25, 0.75]))
    draws = sum_posteriors([grid, a], size=4000, seed=1).values
    assert set(np.unique(draws)) <= set(np.arange(110, 220))
    assert abs(np.mean(sum_posteriors([grid], size=4000, seed=2).values == 20) - 0.75) < 0.03
    with pytest.raises(ValueError, match="at least one posterior"):
        sum_posteriors([])


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


def test_estimate_total_adds_strata_not_estimated_as_observed():
    from stats.capture import estimate_total

    table, _ = simulate_captures([800], n_lists=3, seed=4, referral=0.0)
    small = pd.DataFrame({"stratum": "s2", "L1": [1, 0], "L2": [0, 1], "L3": [0, 0],
                          "count": [3, 2]})  # fmt: skip
    patterns = pd.concat([table, small]).assign(place=lambda t: t["stratum"], period="all")
    total = estimate_total(patterns, method="dga", seed=1)
    alone = mse.estimate(table.drop(columns="stratum"), method="dga")
    assert total.observed_elsewhere == 5
    assert list(total.strata["status"]) == ["ok", "too_small"]
    assert abs(total.estimate - (alone.estimate + 5)) <= 0.02 * alone.estimate
    assert total.posterior.values.min() >= alone.observed + 5
    with pytest.raises(ValueError, match="no stratum can be estimated"):
        estimate_total(patterns.loc[patterns["stratum"] == "s2"], method="dga")


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


# ---------------------------------------------------------------------------------------------
# options and errors


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "dga", "bootstrap": 10}, "bootstrap must be 0"),
        ({"method": "lcmcr", "delta": 1}, "unknown option.*delta.*for lcmcr"),
        ({"method": "bic", "K": 5}, "apply only to the methods lcmcr and dga"),
        ({"method": "dga", "delta": -1}, "delta must be a positive number"),
        ({"method": "dga", "max_missing": 0}, "max_missing must be a positive whole number"),
        ({"method": "lcmcr", "K": 0}, "lcmcr: K must be a whole number >= 1"),
    ],
)
def test_bayes_option_errors(kwargs, match):
    with pytest.raises(UserError, match=match):
        mse.estimate(_raw("korea_3lists.csv"), **kwargs)


def test_dga_refuses_more_than_five_lists():
    table, _ = simulate_captures([400], n_lists=6, seed=1)
    with pytest.raises(UserError, match="at most 5 lists; this table has 6"):
        mse.estimate(table.drop(columns="stratum"), method="dga")


def test_to_dict_posterior_on_request():
    res = mse.estimate(_raw("korea_3lists.csv"), method="dga", max_missing=400)
    plain = json.loads(json.dumps(res.to_dict()))
    assert "posterior" not in plain
    full = json.loads(json.dumps(res.to_dict(posterior=True)))
    assert full["posterior"]["kind"] == "grid"
    assert len(full["posterior"]["values"]) == len(full["posterior"]["weights"]) == 401
    assert math.isclose(sum(full["posterior"]["weights"]), 1.0)
    assert full["model_weights"][0]["model"] == list(res.model)


# ---------------------------------------------------------------------------------------------
# command line


def test_cli_dga_json(capsys):
    path = RAW / "mse" / "korea_3lists.csv"
    assert main(["mse", str(path), "--method", "dga", "--level", "0.9", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "dga" and out["interval"] == "posterior" and out["level"] == 0.9
    assert out["low"] <= out["estimate"] <= out["high"]
    assert "posterior" not in out


def test_cli_lcmcr_json_with_posterior(capsys):
    path = RAW / "mse" / "korea_3lists.csv"
    args = ["mse", str(path), "--method", "lcmcr", "--seed", "4", "--burn-in", "500",
            "--samples", "300", "--thin", "2", "--json", "--posterior"]  # fmt: skip
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    draws = out["posterior"]["values"]
    assert len(draws) == 300 and out["posterior"]["kind"] == "samples"
    assert out["estimate"] == float(np.median(draws))
    assert out["settings"]["seed"] == 4 and out["settings"]["burn_in"] == 500


def test_cli_text_and_errors(capsys):
    path = str(RAW / "mse" / "korea_3lists.csv")
    assert main(["mse", path, "--method", "dga"]) == 0
    text = capsys.readouterr().out
    assert "posterior interval" in text and "most probable graph" in text
    assert main(["mse", path, "--method", "bic", "--posterior"]) == 2
    assert "--posterior applies to lcmcr and dga only" in capsys.readouterr().err
    assert main(["mse", path, "--method", "bic", "--delta", "0.5"]) == 2
    assert "apply only to the methods lcmcr and dga" in capsys.readouterr().err
