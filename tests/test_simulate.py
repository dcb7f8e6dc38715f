import dataclasses

import numpy as np
import pandas as pd
import pytest

from stats.cli import main
from stats.simulate import (
    LITERAL,
    REALISTIC,
    START,
    documented,
    evaluate,
    naive_baselines,
    simulate_claims,
    simulate_truth,
    summarise,
)

SEEDS = range(6)
QUIET = dataclasses.replace(
    LITERAL, bursty=False, un_agency=False, rights_group=False
)  # the Monitor alone, every figure literal


def claims_with(**switches):
    """Claims and truth over SEEDS with QUIET reporting plus the given switches."""
    reporting = dataclasses.replace(QUIET, **switches)
    return [simulate_claims(s, reporting) for s in SEEDS]


def true_at(truth, claims):
    t = truth.set_index(["metric", "date"])["cum"]
    return t.reindex(
        pd.MultiIndex.from_arrays([claims["metric"].astype(str), claims["period_end"]])
    )


def monitor_exact(claims):
    return claims[(claims["counted_by"] == "Monitor") & (claims["qualifier"] == "exact")]


def test_quiet_reporting_is_literal_and_reproducible():
    a, truth = simulate_claims(5, QUIET)
    b, _ = simulate_claims(5, QUIET)
    assert a.equals(b)
    m = monitor_exact(a)
    assert (m["value"].to_numpy() == true_at(truth, m).to_numpy()).all()
    assert set(a["counted_by"]) == {"Monitor"}
    assert truth.groupby("metric")["cum"].apply(lambda s: s.is_monotonic_increasing).all()


def test_bursty_deaths_are_overdispersed():
    def dispersion(bursty):
        out = []
        for s in SEEDS:
            t = simulate_truth(np.random.default_rng(s), 60, bursty)["civilians"]
            resid = t - t.rolling(7, center=True, min_periods=1).mean()
            out.append(resid.var() / t.mean())
        return np.median(out)

    assert dispersion(True) > 2 * dispersion(False)


def test_documented_tolls_undercount_and_catch_up():
    deaths = np.full(40, 10)
    known = documented(np.random.default_rng(0), deaths, u=0.2, k=10)
    fresh = np.diag(known)  # toll as of each day, on the day
    assert (fresh[10:] < np.cumsum(deaths)[10:]).all()  # short of the truth
    assert known[20, 30] == np.cumsum(deaths)[20]  # complete k days later
    assert (
        documented(np.random.default_rng(0), deaths, u=0.0, k=1).diagonal() == np.cumsum(deaths)
    ).all()


def test_delay_switch():
    short = [(monitor_exact(c)["value"].to_numpy() < true_at(t, monitor_exact(c)).to_numpy()).mean()
             for c, t in claims_with(delay=True)]  # fmt: skip
    assert np.mean(short) > 0.3


def test_un_agency_switch():
    for claims, _ in claims_with(un_agency=True):
        un = claims[claims["counted_by"] == "UN agency"]
        assert len(un) and set(un["qualifier"].astype(str)) <= {"more_than", "about"}
        assert set(un["metric"].astype(str)) == {"killed", "civilians_killed"}
        v = un["value"].astype(int)
        digits = v.astype(str).str.rstrip("0").str.len()
        assert (digits <= 2).all()  # two significant figures
        assert (un["published"] > un["period_end"]).all()


def test_rights_group_switch():
    for claims, _ in claims_with(rights_group=True, days=(70, 70)):
        rg = claims[claims["counted_by"] == "Rights group"]
        assert set(rg["metric"].astype(str)) == {"civilians_killed"}
        months = rg[rg["period_start"] >= START]
        assert (months["period_end"].dt.is_month_end).all()
        assert ((months["period_start"] == START) | (months["period_start"].dt.day == 1)).all()
        year = rg[rg["period_start"] < START]
        assert (year["period_start"] == pd.Timestamp("2024-01-01")).all()
        assert len(year.drop_duplicates(["period_end", "value"])) == 1


def test_reprints_switch():
    for on in (False, True):
        lags = pd.concat(
            [
                c.groupby(["metric", "period_end", "value"])["published"].agg(
                    lambda p: (p.max() - p.min()).days
                )
                for c, _ in claims_with(reprints=on)
            ]  # fmt: skip
        )
        assert (lags.max() > 0) == on and lags.max() <= (3 if on else 0)


def test_stale_reprints_switch():
    def stale_share(claims):
        m = claims[(claims["counted_by"] == "Monitor") & (claims["qualifier"] != "more_than")]
        m = m.sort_values(["metric", "period_end"])  # "more than" is rounded down
        earlier = (
            m.groupby("metric", observed=True)["value"]
            .cummax()
            .groupby(m["metric"], observed=True)
            .shift(1)
        )
        return (m["value"] < earlier).mean()

    assert max(stale_share(c) for c, _ in claims_with()) == 0
    assert np.mean([stale_share(c) for c, _ in claims_with(stale_reprints=True)]) > 0.02


def test_misprints_switch():
    def extra_digits(claims, truth):
        m = monitor_exact(claims)
        return (m["value"].to_numpy() > 1.8 * true_at(truth, m).to_numpy() + 10).sum()

    assert sum(extra_digits(c, t) for c, t in claims_with()) == 0
    assert sum(extra_digits(c, t) for c, t in claims_with(misprints=True, misprint_share=0.2)) > 5


def test_naive_baselines_known_answer():
    claims, _ = simulate_claims(1, QUIET)
    dates = pd.date_range(START, periods=3)
    b = naive_baselines(claims, dates)
    first = claims[claims["metric"] == "killed"].sort_values("period_end").iloc[0]
    k = b[b["metric"] == "killed"].set_index("date")
    assert (k.loc[k.index < first["period_end"], "latest"] == 0).all()
    assert k.loc[first["period_end"], "highest"] >= k.loc[first["period_end"], "latest"] > 0


def test_literal_reporting_is_covered_and_realistic_reporting_is_not():
    lit = pd.DataFrame([evaluate(s, LITERAL, check_misprint=False) for s in range(3)])
    real = pd.DataFrame([evaluate(s, REALISTIC, check_misprint=False) for s in range(3)])
    assert lit["cover_literal"].mean() >= 0.95
    assert real["cover_literal"].mean() < 0.85 < real["cover_est"].mean()
    s = summarise(real).set_index("estimate")
    assert list(s.index) == ["literal", "est", "latest", "highest"]
    assert np.isnan(s.loc["latest", "cover_all"]) and s.loc["est", "cover_all"] > 0.85


def test_cli_prints_estimates_and_baselines_side_by_side(capsys):
    assert main(["simulate", "--seed", "2", "--without", "misprints"]) == 0
    out = capsys.readouterr().out
    for word in ("literal", "est", "latest", "highest", "cover_reported", "mdape", "misprint"):
        assert word in out
    assert "misprints" not in out.split("behaviours on:")[1].splitlines()[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--runs", "0"], "--runs"),
        (["--without", "typos"], "unknown behaviour typos"),
        (["--level", "2"], "--level"),
    ],  # fmt: skip
)
def test_cli_rejects_bad_arguments(capsys, args, message):
    assert main(["simulate", *args]) == 2
    assert message in capsys.readouterr().err
