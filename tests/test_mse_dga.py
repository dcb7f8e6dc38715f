"""dga (stats.mse_dga): the R package's exact posteriors reproduced, the graphs, invariants, and published tables.

Reference values: tests/data/mse/README.md; settings and figures: docs/mse.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import MSE_REFERENCE, counts_by_code, mse_table
from scipy.special import gammaln

from stats import mse, mse_dga
from stats.errors import UserError
from stats.mse_posterior import Posterior
from stats.mse_simulate import (
    simulate_captures,
)


@pytest.fixture(scope="module")
def my3() -> pd.DataFrame:
    return pd.read_csv(MSE_REFERENCE / "madigan_york_3lists.csv")


@pytest.fixture(scope="module")
def my5() -> pd.DataFrame:
    return pd.read_csv(MSE_REFERENCE / "madigan_york_5lists.csv")


def test_dga_reproduces_madigan_york_three_lists(my3):
    """dga's test "3 lists example against Madigan and York": 0.37, 731, 729; 731, 728."""
    y = counts_by_code(my3)
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
    y = counts_by_code(my5)
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
    y = counts_by_code(table)
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
    table = mse_table("korea_3lists.csv")
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
    table = mse_table("korea_3lists.csv")
    records = table.loc[table.index.repeat(table["count"]), ["b", "c", "d"]].astype(bool)
    agg = mse.estimate(table, method="dga")
    rec = mse.estimate(records.reset_index(drop=True), method="dga")
    assert (rec.estimate, rec.low, rec.high) == (agg.estimate, agg.low, agg.high)


def test_dga_estimate_is_posterior_median_and_level_widens():
    table = mse_table("korea_3lists.csv")
    narrow = mse.estimate(table, method="dga", level=0.5)
    wide = mse.estimate(table, method="dga", level=0.95)
    assert wide.estimate == narrow.estimate == wide.posterior.median()
    assert wide.low <= narrow.low <= narrow.estimate <= narrow.high <= wide.high
    assert wide.interval == "posterior"


def test_dga_short_grid_is_flagged():
    res = mse.estimate(mse_table("korea_3lists.csv"), method="dga", max_missing=20)
    assert res.posterior.values[-1] == 123 + 20
    assert any("raise max_missing" in w for w in res.warnings)


@pytest.mark.parametrize(
    "name, published",
    [
        ("korea_3lists.csv", [157, 268.8]),
        ("new_orleans_5lists_n185.csv", [1034]),
        ("uk_modern_slavery_2013_5lists.csv", [11313, 22991, 25311]),
    ],
)
def test_dga_interval_holds_published_estimates(name, published):
    res = mse.estimate(mse_table(name), method="dga")
    assert res.status == "ok"
    for value in published:
        assert res.low <= value <= res.high
    assert res.observed <= res.low


def test_dga_refuses_more_than_five_lists():
    table, _ = simulate_captures([400], n_lists=6, seed=1)
    with pytest.raises(UserError, match="at most 5 lists; this table has 6"):
        mse.estimate(table.drop(columns="stratum"), method="dga")
