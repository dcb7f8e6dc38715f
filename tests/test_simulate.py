import pytest

from stats.cli import main
from stats.simulate import evaluate, run_simulations, simulate_claims


@pytest.fixture(scope="module")
def runs():
    return run_simulations(range(4))


def test_coverage_of_the_hard_band_and_state_space_interval(runs):
    assert runs["coverage_hard"].mean() >= 0.90
    assert runs["coverage_state_space"].mean() >= 0.90
    assert (runs["coverage_hard"] >= 0.85).all()


def test_best_is_close_to_the_truth(runs):
    for method in ("linear", "pchip", "state_space"):
        assert runs[f"mape_{method}"].mean() < 0.15
    assert runs["mae_killed_pchip"].mean() < 60


def test_simulation_is_reproducible_and_messy():
    a, truth = simulate_claims(seed=5)
    b, _ = simulate_claims(seed=5)
    assert a.equals(b)
    assert set(a["qualifier"].astype(str)) >= {"exact", "at_least", "more_than", "about"}
    assert (a["published"] > a["period_end"]).any()  # some counters report late
    assert a["period_start"].nunique() > 1  # weekly windows
    assert truth.groupby("metric")["cum"].apply(lambda s: s.is_monotonic_increasing).all()
    r = evaluate(seed=5)
    assert r["figures"] < r["claims"]  # outlets republish figures


def test_cli_prints_coverage_and_error(capsys):
    assert main(["simulate", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "cover hard" in out and "cover ss90" in out and "MAE killed" in out


def test_cli_rejects_no_runs(capsys):
    assert main(["simulate", "--runs", "0"]) == 2
    assert "--runs" in capsys.readouterr().err
