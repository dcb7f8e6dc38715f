"""Tests for stats.mse: published answers, invariants, input validation and the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from conftest import mse_table

from stats import mse
from stats.cli import main
from stats.config import RAW
from stats.errors import UserError


@pytest.fixture(scope="module")
def uk() -> pd.DataFrame:
    return mse_table("uk_modern_slavery_2013_5lists.csv")


@pytest.fixture(scope="module")
def korea() -> pd.DataFrame:
    return mse_table("korea_3lists.csv")


@pytest.fixture(scope="module")
def new_orleans() -> pd.DataFrame:
    return mse_table("new_orleans_5lists_n185.csv")


def _records(table: pd.DataFrame) -> pd.DataFrame:
    """Expand an aggregated table to one row per victim with boolean list columns."""
    lists = [c for c in table.columns if c != "count"]
    rows = table.loc[table.index.repeat(table["count"]), lists].astype(bool)
    return rows.reset_index(drop=True)


def _simulate(n: int, probs: list[float], rng: np.random.Generator) -> pd.DataFrame:
    caught = rng.random((n, len(probs))) < np.array(probs)
    names = [f"L{j}" for j in range(len(probs))]
    recs = pd.DataFrame(caught, columns=names)
    return recs[recs.any(axis=1)]


# ---------------------------------------------------------------------------------------------
# published answers


def test_uk_bhs_matches_bales_hesketh_silverman(uk):
    res = mse.estimate(uk, method="bhs")
    assert res.observed == 2744
    assert round(res.estimate) == 11313
    # published as "between 10,000 and 13,000" (profile interval, rounded to thousands)
    assert (round(res.low, -3), round(res.high, -3)) == (10_000, 13_000)


def test_uk_bic_pairs_matches_silverman_chan_vincent(uk):
    res = mse.estimate(uk, method="bic", max_order=2)
    assert round(res.estimate) == 22991
    assert all(term.count(":") == 1 for term in res.model)


def test_uk_bic_all_orders(uk):
    res = mse.estimate(uk, method="bic", max_order=None)
    assert round(res.estimate) == 25311
    assert any(term.count(":") == 2 for term in res.model)


def test_korea_bic_and_stepwise(korea):
    assert mse.estimate(korea, method="bic").observed == 123
    assert round(mse.estimate(korea, method="bic").estimate) == 157
    assert round(mse.estimate(korea, method="stepwise").estimate, 1) == 268.8


def test_new_orleans_stepwise_selects_no_pair(new_orleans):
    res = mse.estimate(new_orleans, method="stepwise")
    main_effects = mse.estimate(new_orleans, method="main")
    assert res.observed == 185
    assert res.model == ()
    assert round(res.estimate) == 1034
    assert res.estimate == pytest.approx(main_effects.estimate)


# ---------------------------------------------------------------------------------------------
# invariants


def test_lincoln_petersen_two_lists():
    table = pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "count": [60, 40, 20]})
    res = mse.estimate(table, method="main")
    # independence: N = n_A * n_B / n_AB = 80 * 60 / 20
    assert res.estimate == pytest.approx(240)
    assert res.low < 240 < res.high


def test_records_and_aggregated_give_identical_results(korea):
    for method in mse.LOGLINEAR_METHODS:
        agg = mse.estimate(korea, method=method)
        rec = mse.estimate(_records(korea), method=method)
        assert rec.estimate == pytest.approx(agg.estimate, rel=1e-12)
        assert rec.model == agg.model
        assert (rec.low, rec.high) == pytest.approx((agg.low, agg.high), rel=1e-9)


def test_column_order_does_not_matter(uk, new_orleans):
    for table, method in [(uk, "bhs"), (uk, "bic"), (new_orleans, "stepwise")]:
        lists = [c for c in table.columns if c != "count"]
        shuffled = table[lists[::-1] + ["count"]].sample(frac=1, random_state=3)
        a = mse.estimate(table, method=method)
        b = mse.estimate(shuffled, method=method)
        assert b.estimate == pytest.approx(a.estimate, rel=1e-10)
        assert b.model == a.model


def test_missing_patterns_are_zero(korea):
    sparse = korea[korea["count"] > 0]
    assert len(sparse) < len(korea)
    assert mse.estimate(sparse).estimate == pytest.approx(mse.estimate(korea).estimate)


def test_does_not_mutate_input(korea):
    before = korea.copy()
    mse.estimate(korea, method="bhs", bootstrap=3, seed=1)
    pd.testing.assert_frame_equal(korea, before)


def test_fit_agrees_with_statsmodels_glm_directly(korea):
    table = mse.tabulate(korea)
    X = np.column_stack([np.ones(7), table[["b", "c", "d"]], table["b"] * table["c"]])
    fit = sm.GLM(table["count"].to_numpy(), X, family=sm.families.Poisson()).fit()
    res = mse.estimate(korea, method="stepwise")
    assert res.model == ("b:c",)
    assert res.estimate == pytest.approx(123 + math.exp(fit.params[0]))
    assert res.loglik == pytest.approx(fit.llf)


def test_empty_overlap_counts_as_parameter(uk):
    res = mse.estimate(uk, method="bhs")
    assert "GP:LA" not in res.model
    assert any("GP:LA never overlap" in w for w in res.warnings)
    forced = mse._Table(mse.tabulate(uk)).fit([(1, 2)])  # GP:LA in name order
    main = mse._Table(mse.tabulate(uk)).fit([])
    assert forced.empty == ((1, 2),)
    assert forced.n_params == main.n_params + 1
    assert forced.loglik > main.loglik  # the empty cells now fit exactly 0


#: Three lists of which A and B never overlap (cells AB and ABC are 0).
AB_NEVER = pd.DataFrame(
    {"A": [0, 0, 1, 0, 1, 1], "B": [0, 1, 0, 1, 0, 1], "C": [1, 0, 0, 1, 1, 0],
     "count": [10, 20, 30, 5, 6, 0]}
)  # fmt: skip


def test_non_identifiable_and_non_existent_models_give_no_number():
    # AB never overlap (cells AB and ABC are 0). With AC and BC in the model, the direction
    # -1 + A + B + C - AC - BC is 0 on every cell but AB, where the count is 0: no MLE.
    tab = mse._Table(mse.tabulate(AB_NEVER))
    assert tab.fit([(0, 1), (0, 2), (1, 2)]).status == "not_identifiable"
    assert tab.fit([(0, 2), (1, 2)]).status == "not_exist"
    assert tab.fit([]).ok
    assert tab.fit([(0, 1)]).ok  # the empty AB term alone: its cells removed, fit exists
    res = mse.estimate(AB_NEVER, method="bic")
    assert res.status == "ok" and ("A:C", "B:C") != res.model


def test_list_holding_everyone_has_no_estimate():
    table = pd.DataFrame({"A": [1, 1, 1], "B": [0, 1, 1], "C": [1, 0, 1], "count": [5, 7, 3]})
    res = mse.estimate(table, method="main")
    assert res.estimate is None
    assert res.status == "not_exist"
    assert res.to_dict()["estimate"] is None
    assert any("holds every observed record" in w for w in res.warnings)


def test_empty_list_is_dropped_with_warning(korea):
    extra = korea.copy()
    extra.insert(0, "z", 0)
    res = mse.estimate(extra)
    assert res.lists == ("b", "c", "d")
    assert res.estimate == pytest.approx(mse.estimate(korea).estimate)
    assert any("z" in w and "dropped" in w for w in res.warnings)


@pytest.mark.parametrize("seed", [1, 2])
def test_simulated_independent_lists_cover_truth(seed):
    rng = np.random.default_rng(seed)
    truth = 2000
    recs = _simulate(truth, [0.3, 0.25, 0.2, 0.35], rng)
    res = mse.estimate(recs, method="main")
    assert res.low <= truth <= res.high
    assert abs(res.estimate - truth) / truth < 0.1
    assert res.observed == len(recs)


def test_profile_interval_coverage_under_independence():
    rng = np.random.default_rng(7)
    truth, hits = 500, 0
    for _ in range(40):
        res = mse.estimate(_simulate(truth, [0.3, 0.2, 0.25], rng), method="main")
        hits += res.low <= truth <= res.high
    assert hits >= 34  # nominal 95% of 40 = 38; allow Monte Carlo noise


def test_bootstrap_interval_and_reproducibility(korea):
    a = mse.estimate(korea, method="bic", bootstrap=30, seed=11)
    b = mse.estimate(korea, method="bic", bootstrap=30, seed=11)
    assert a.interval == "bootstrap"
    assert (a.low, a.high) == (b.low, b.high)
    assert a.low < a.estimate < a.high
    assert a.profile_low is not None and 0 <= a.bootstrap_selected_same <= 1


def test_level_widens_interval(korea):
    narrow = mse.estimate(korea, method="main", level=0.8)
    wide = mse.estimate(korea, method="main", level=0.99)
    assert wide.low < narrow.low < narrow.estimate < narrow.high < wide.high


def test_greedy_search_finds_uk_optimum(uk):
    table = mse.tabulate(uk)
    exhaustive = mse.search_models(table, "bic", 2, greedy=False)
    greedy = mse.search_models(table, "bic", 2, greedy=True)
    assert exhaustive[2] == "exhaustive (1024 models)"
    assert greedy[2] == "greedy"
    assert greedy[1] >= exhaustive[1] - 1e-9


def _glm(tab, terms):
    X, keep, _ = tab.design(terms)
    return sm.GLM(tab.y[keep], X, family=sm.families.Poisson()).fit(tol=1e-12)


def test_models_fitted_together_agree_with_statsmodels(uk):
    # every 40th two-way model of the UK table (GP:LA never overlap: some models leave cells
    # out); the stack holds models of different widths, fitted at once
    tab = mse._Table(mse.tabulate(uk))
    models = [m for m in list(mse._hierarchical_models(5, 2))[::40] if tab.check(m) == "ok"]
    assert any((1, 2) in m for m in models) and len(models) > 15
    full_rank, loglik = tab.score(models)
    assert full_rank.all()
    for terms, llf in zip(models, loglik, strict=True):
        assert llf == pytest.approx(_glm(tab, terms).llf, rel=1e-10)
        assert tab.fit(terms).loglik == pytest.approx(llf, rel=1e-12)


def test_wald_pvalue_agrees_with_statsmodels(uk):
    tab = mse._Table(mse.tabulate(uk))
    terms = ((0, 3), (0, 4), (3, 4), (2, 4), (1, 3))
    res = _glm(tab, terms)
    for j, term in enumerate(terms):
        assert mse._wald_pvalue(tab, terms, term) == pytest.approx(res.pvalues[6 + j], rel=1e-8)
    assert mse._wald_pvalue(tab, (*terms, (1, 2)), (1, 2)) == 1.0  # lists never overlap


@pytest.mark.parametrize("k, order", [(3, 2), (4, 3), (5, 2)])
def test_designs_on_every_cell_have_full_rank(k, order):
    # why the searches check the rank only of designs with cells left out
    cells = mse._cells(k)
    for terms in mse._hierarchical_models(k, order):
        X = np.column_stack([np.ones(len(cells)), cells] + [cells[:, t].prod(1) for t in terms])
        assert np.linalg.matrix_rank(X) == X.shape[1]


def test_rank_check_of_a_stack_matches_matrix_rank():
    tab = mse._Table(mse.tabulate(AB_NEVER))
    models = [((0, 1), (0, 2), (1, 2)), ((0, 1),), ((0, 1), (0, 2))]
    full_rank, loglik = tab.score(models)
    designs = [tab.design(m)[0] for m in models]  # the kept cells of each model
    expected = [np.linalg.matrix_rank(X) == X.shape[1] for X in designs]
    assert full_rank.tolist() == expected == [False, True, True]
    assert [tab.fit(m).status != "not_identifiable" for m in models] == expected
    assert np.isnan(loglik[0]) and np.isfinite(loglik[1:]).all()


def test_count_models():
    assert mse.count_models(3, 2) == 8
    assert mse.count_models(4, 3) == 113
    assert mse.count_models(6, 2) == 2**15


def test_to_dict_is_json(uk):
    out = json.loads(json.dumps(mse.estimate(uk, method="bhs").to_dict()))
    for key in ("observed", "estimate", "low", "high", "model", "method", "warnings"):
        assert key in out
    assert isinstance(out["model"], list)


# ---------------------------------------------------------------------------------------------
# input validation


@pytest.mark.parametrize(
    ("data", "kwargs", "match"),
    [
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1, 2]}), {"method": "x"},
         "unknown method"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1, 2]}), {"level": 1.5}, "level"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1, 2]}), {"bootstrap": -1},
         "bootstrap"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1, 2]}), {"max_order": 0},
         "max_order"),
        (pd.DataFrame({"A": [1, 0], "count": [1, 2]}), {}, "at least two"),
        (pd.DataFrame({"A": [1, 2], "B": [0, 1], "count": [1, 2]}), {}, "row 2, column 'A'"),
        (pd.DataFrame({"A": [1, None], "B": [0, 1], "count": [1, 2]}), {}, "missing value"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1, -2]}), {}, "column 'count'"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1, 2.5]}), {}, "not a count"),
        (pd.DataFrame({"A": [1, 1], "B": [0, 0], "count": [1, 2]}), {}, "repeated"),
        (pd.DataFrame({"A": [0, 1], "B": [0, 1], "count": [3, 2]}), {}, "on no list"),
        (pd.DataFrame({"A": [True, False], "B": [True, False]}), {}, "record on no list"),
        (pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [0, 0]}), {}, "lists with records"),
        ("not a frame", {}, "DataFrame"),
    ],
)  # fmt: skip
def test_input_errors(data, kwargs, match):
    with pytest.raises(UserError, match=match):
        mse.estimate(data, **kwargs)


def test_lists_argument_selects_columns(korea):
    recs = _records(korea)
    recs["victim_id"] = range(len(recs))
    with pytest.raises(UserError, match="victim_id"):
        mse.estimate(recs)
    res = mse.estimate(recs, lists=["b", "c", "d"])
    assert res.estimate == pytest.approx(mse.estimate(korea).estimate)
    with pytest.raises(UserError, match="not found"):
        mse.estimate(recs, lists=["b", "nope"])


# ---------------------------------------------------------------------------------------------
# CLI


def test_cli_json(capsys):
    path = RAW / "mse" / "korea_3lists.csv"
    assert main(["mse", str(path), "--method", "stepwise", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert round(out["estimate"], 1) == 268.8
    assert out["model"] == ["b:c"] and out["method"] == "stepwise"


def test_cli_text(capsys):
    path = RAW / "mse" / "uk_modern_slavery_2013_5lists.csv"
    assert main(["mse", str(path), "--method", "bhs", "--level", "0.9"]) == 0
    out = capsys.readouterr().out
    assert "11,313" in out and "90% profile interval" in out and "never overlap" in out


def test_cli_records_with_lists_option(tmp_path, korea, capsys):
    recs = _records(korea)
    recs.insert(0, "victim_id", [f"v{i}" for i in range(len(recs))])
    path = tmp_path / "records.csv"
    recs.to_csv(path, index=False)
    assert main(["mse", str(path), "--lists", "d,c,b", "--method", "bic", "--json"]) == 0
    assert round(json.loads(capsys.readouterr().out)["estimate"]) == 157
    assert main(["mse", str(path)]) == 2
    assert "victim_id" in capsys.readouterr().err


def test_cli_bad_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,count\n1,0,3\n0,1,x\n")
    assert main(["mse", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "bad.csv" in err and "row 3" in err and "count" in err  # the header is row 1
    assert main(["mse", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


# the Bayesian methods through stats.mse.estimate and the command line


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
        mse.estimate(mse_table("korea_3lists.csv"), **kwargs)


def test_to_dict_posterior_on_request():
    res = mse.estimate(mse_table("korea_3lists.csv"), method="dga", max_missing=400)
    plain = json.loads(json.dumps(res.to_dict()))
    assert "posterior" not in plain
    full = json.loads(json.dumps(res.to_dict(posterior=True)))
    assert full["posterior"]["kind"] == "grid"
    assert len(full["posterior"]["values"]) == len(full["posterior"]["weights"]) == 401
    assert math.isclose(sum(full["posterior"]["weights"]), 1.0)
    assert full["model_weights"][0]["model"] == list(res.model)


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
