import numpy as np
import pandas as pd
import pytest

from stats import contract
from stats.errors import SchemaError
from stats.estimate import delay
from stats.estimate.delay import add_eventual_estimates, flag_figures, learn_delay, series_figures
from stats.interpolate import interpolate
from stats.pipeline import derive_tables
from stats.reconcile import reconcile
from stats.simulate import REALISTIC, run_simulations

START = pd.Timestamp("2024-11-27")
#: The series start of the ledgers' killed series in Syria, as series_figures reads it (days).
KILLED_FROM_START = pd.DataFrame({"metric": ["killed"], "location": ["Syria"], "subgroup": [""],
                                  "start": [float(START.value // 86_400_000_000_000)]})  # fmt: skip


def ledger(rows, start="2024-11-27"):
    """rows: (claim_id, metric, value, qualifier, period_start, period_end, published, counter)."""
    cols = ["claim_id", "metric", "value", "qualifier", "period_start", "period_end", "published",
            "counted_by"]  # fmt: skip
    raw = pd.DataFrame([[str(x) if x is not None else None for x in r] for r in rows], columns=cols)
    raw["location"] = "Syria"
    claims, rejects = contract.validate(raw)
    assert rejects.empty, rejects
    return claims


def eventual(claims, end=None, level=0.90, start="2024-11-27"):
    """The eventual-toll columns with the series start given, as a dataset's metadata does."""
    est, _ = reconcile(claims, start=start)
    daily = interpolate(est, start=None, end=end, method="pchip")
    out = add_eventual_estimates(daily, claims, level=level, start=start)
    return out[out["counter"] == "combined"].set_index(["metric", "date"])


def at(daily, metric, day):
    return daily.loc[(metric, pd.Timestamp(day))]


def test_an_extra_digit_sets_no_bound_and_no_best():
    claims = ledger(
        [
            ("T1", "killed", 826, "exact", "2024-11-27", "2024-12-01", "2024-12-01", "SOHR"),
            ("T2", "killed", 8266, "exact", "2024-11-27", "2024-12-01", "2024-12-01", "SOHR"),
            ("T3", "killed", 900, "exact", "2024-11-27", "2024-12-03", "2024-12-03", "SOHR"),
            ("T4", "killed", 950, "more_than", "2024-11-27", "2024-12-04", "2024-12-05", "OCHA"),
        ]
    )
    d = eventual(claims)
    for day in ("2024-12-01", "2024-12-03", "2024-12-04"):
        row = at(d, "killed", day)
        assert row["est_low"] <= row["est_best"] < 1100
        assert row["est_high"] < 2000  # far below the misprint's 8,266
    assert at(d, "killed", "2024-12-01")["est_low"] == 826
    assert at(d, "killed", "2024-12-04")["est_low"] == 951
    starts = KILLED_FROM_START
    f = series_figures(claims, starts)
    flags = flag_figures(f)
    status = dict(zip(f["claim_id"], flags["status"], strict=True))
    assert status == {"T1": "kept", "T2": "mended", "T3": "kept", "T4": "kept"}
    assert flags.loc[f["claim_id"] == "T2", "reads_as"].item() == 826


def test_a_mended_printing_of_a_figure_printed_before_is_no_revision():
    # 29042 is 2942 with an extra 0, printed a day after 2942 for the same day: mended, it is
    # the same figure, not a later figure for those days to learn a delay from
    claims = ledger(
        [
            ("F1", "killed", 2905, "exact", "2024-11-27", "2024-12-27", "2024-12-28", "SOHR"),
            ("F2", "killed", 2920, "exact", "2024-11-27", "2024-12-29", "2024-12-30", "SOHR"),
            ("F3", "killed", 2942, "exact", "2024-11-27", "2024-12-31", "2025-01-01", "SOHR"),
            ("F4", "killed", 29042, "exact", "2024-11-27", "2024-12-31", "2025-01-02", "SOHR"),
            ("F5", "killed", 2990, "exact", "2024-11-27", "2025-01-02", "2025-01-03", "SOHR"),
        ]
    )
    starts = KILLED_FROM_START
    figs = delay.kept_figures(claims, starts)[("killed", "Syria", "")]
    assert sorted(figs.value.tolist()) == [2905, 2920, 2942, 2990]
    with_twin = eventual(claims)
    alone = eventual(claims[claims["claim_id"] != "F4"])
    assert with_twin["est_best"].equals(alone["est_best"])


def test_a_last_figure_beside_another_misprint_is_mended_by_its_trend():
    # 18904 (for 1904) hides the trend 22365 (for 2235) is judged by; set aside, it does not
    claims = ledger(
        [
            ("L1", "killed", 2043, "exact", "2024-11-27", "2024-12-21", "2024-12-21", "SOHR"),
            ("L2", "killed", 2129, "exact", "2024-11-27", "2024-12-24", "2024-12-24", "SOHR"),
            ("L3", "killed", 2180, "exact", "2024-11-27", "2024-12-26", "2024-12-26", "SOHR"),
            ("L4", "killed", 18904, "exact", "2024-11-27", "2024-12-26", "2024-12-26", "SOHR"),
            ("L5", "killed", 22365, "exact", "2024-11-27", "2024-12-29", "2024-12-31", "SOHR"),
        ]
    )
    starts = KILLED_FROM_START
    f = series_figures(claims, starts)
    flags = flag_figures(f)
    got = dict(
        zip(f["claim_id"], zip(flags["status"], flags["reads_as"], strict=True), strict=True)
    )
    assert got["L5"] == ("mended", 2235)
    assert got["L4"][0] != "kept"


def test_a_stale_reprint_speaks_for_its_first_day():
    claims = ledger(
        [
            ("S1", "killed", 800, "exact", "2024-11-27", "2024-12-01", "2024-12-01", "SOHR"),
            ("S2", "killed", 850, "exact", "2024-11-27", "2024-12-02", "2024-12-02", "SOHR"),
            ("S3", "killed", 800, "exact", "2024-11-27", "2024-12-04", "2024-12-04", "SOHR"),
            ("S4", "killed", 900, "exact", "2024-11-27", "2024-12-05", "2024-12-05", "SOHR"),
        ]
    )
    d = eventual(claims)
    row = at(d, "killed", "2024-12-04")
    assert row["est_low"] == 850  # the band does not narrow to the stale 800
    assert 850 < row["est_best"] < row["est_high"]
    assert row["est_high"] >= 900


def test_windows_of_one_counter_add():
    claims = ledger(
        [
            (
                "W1",
                "civilians_killed",
                300,
                "exact",
                "2024-11-27",
                "2024-11-30",
                "2024-12-01",
                "SNHR",
            ),
            (
                "W2",
                "civilians_killed",
                500,
                "exact",
                "2024-12-01",
                "2024-12-31",
                "2025-01-02",
                "SNHR",
            ),
        ]
    )
    d = eventual(claims)
    assert at(d, "civilians_killed", "2024-12-31")["est_low"] == 800
    assert at(d, "civilians_killed", "2024-12-31")["est_best"] >= 800


def test_a_figure_from_before_the_series_start_is_an_upper_bound_only():
    claims = ledger(
        [
            ("Y1", "killed", 100, "exact", "2024-11-27", "2024-11-29", "2024-11-29", "SOHR"),
            ("Y2", "killed", 300, "exact", "2024-11-27", "2024-12-03", "2024-12-03", "SOHR"),
            ("Y3", "killed", 5000, "exact", "2024-01-01", "2024-12-31", "2025-01-02", "SOHR"),
        ]
    )
    d = eventual(claims, end="2025-01-02")
    assert at(d, "killed", "2024-12-31")["est_low"] == 300
    assert at(d, "killed", "2024-12-03")["est_best"] < 500


def test_known_answer_without_revisions_is_the_prior_backlog():
    # one counter, 10 deaths a day, documented exactly: backlog = prior delay x rate
    days = pd.date_range("2024-11-28", periods=10, freq="D")
    rows = [(f"K{i}", "killed", 10 * (i + 2), "exact", "2024-11-27", d.date(), d.date(), "SOHR")
            for i, d in enumerate(days)]  # fmt: skip
    d = eventual(ledger(rows))
    row = at(d, "killed", days[-1])
    assert row["est_low"] == 110
    assert row["est_best"] == 110 + round(delay.PRIOR_DELAY_DAYS * 10)
    assert row["est_high"] > row["est_best"]


def test_revisions_are_learned_from_later_figures_for_the_same_day():
    # fresh tolls 10 a day; a later figure for each of 8 days shows 20 more deaths (2 days' worth)
    rows = []
    for i, day in enumerate(pd.date_range("2024-11-28", periods=12, freq="D")):
        rows.append(
            (f"F{i}", "killed", 10 * (i + 2), "exact", "2024-11-27", day.date(), day.date(), "SOHR")
        )
        if 3 <= i < 11:
            later = (day + pd.Timedelta(days=3)).date()
            rows.append(
                (
                    f"L{i}",
                    "killed",
                    10 * (i + 2) + 20,
                    "exact",
                    "2024-11-27",
                    day.date(),
                    later,
                    "UN",
                )
            )
    claims = ledger(rows)
    starts = KILLED_FROM_START
    f = series_figures(claims, starts)
    w = delay.revisions(f[flag_figures(f)["status"] == "kept"], float(starts["start"][0]))
    assert len(w) == 8 and np.allclose(w, 2.0)
    mean, _ = learn_delay(w)
    assert mean == pytest.approx(
        (delay.PRIOR_WEIGHT * delay.PRIOR_DELAY_DAYS + 16) / (delay.PRIOR_WEIGHT + 8)
    )


def test_invariants_and_inputs_untouched():
    claims = ledger(
        [
            ("A1", "killed", 100, "exact", "2024-11-27", "2024-11-28", "2024-11-28", "SOHR"),
            ("A2", "killed", 250, "at_least", "2024-11-27", "2024-12-01", "2024-12-02", "SOHR"),
            ("A3", "killed", 400, "about", "2024-11-27", "2024-12-03", "2024-12-06", "UN"),
            (
                "A4",
                "civilians_killed",
                40,
                "exact",
                "2024-11-27",
                "2024-12-01",
                "2024-12-01",
                "SOHR",
            ),
            ("A5", "idps", 50000, "about", "2024-11-27", "2024-12-01", "2024-12-01", "UN"),
        ]
    )
    est, _ = reconcile(claims)
    daily = interpolate(est, start=None, end="2024-12-08", method="pchip")
    before_daily, before_claims = daily.copy(), claims.copy()
    out = add_eventual_estimates(daily, claims, level=0.8)
    pd.testing.assert_frame_equal(daily, before_daily)
    pd.testing.assert_frame_equal(claims, before_claims)
    contract.Daily.validate(out)
    assert (out["level"] == 0.8).all()
    flows = out[out["kind"] == "flow"]
    assert (flows["est_low"] <= flows["est_best"]).all() and (
        flows["est_best"] <= flows["est_high"]
    ).all()
    for _, g in flows.groupby(["metric", "counter"]):
        g = g.sort_values("date")
        assert g["est_low"].is_monotonic_increasing and g["est_best"].is_monotonic_increasing
    stock = out[out["kind"] == "stock"]
    assert (stock["est_best"] == stock["cum_best"]).all()
    wider = add_eventual_estimates(daily, claims, level=0.99)
    assert (wider["est_high"] >= out["est_high"]).all()


def test_errors_name_the_problem():
    claims = ledger(
        [("A1", "killed", 100, "exact", "2024-11-27", "2024-11-28", "2024-11-28", "SOHR")]
    )
    daily = interpolate(reconcile(claims)[0], start=None)
    with pytest.raises(SchemaError, match="daily table: missing column.*cum_best"):
        add_eventual_estimates(daily.drop(columns="cum_best"), claims)
    with pytest.raises(SchemaError, match="claims table: missing column.*published"):
        add_eventual_estimates(daily, claims.drop(columns="published"))
    with pytest.raises(SchemaError, match="level: 1.5"):
        add_eventual_estimates(daily, claims, level=1.5)


def test_pipeline_daily_carries_the_eventual_estimate():
    claims = ledger(
        [
            ("P1", "killed", 100, "exact", "2024-11-27", "2024-11-28", "2024-11-28", "SOHR"),
            ("P2", "killed", 300, "exact", "2024-11-27", "2024-12-01", "2024-12-01", "SOHR"),
            ("P3", "killed", 500, "exact", "2024-11-27", "2024-12-03", "2024-12-03", "SOHR"),
        ]
    )
    _, daily, _ = derive_tables(claims, known_on="2024-12-02")
    contract.Daily.validate(daily)
    assert set(delay.EST_COLUMNS) <= set(daily.columns)
    last = daily[daily["counter"] == "combined"].iloc[-1]
    assert last["est_low"] == 300  # P3, published after known_on, is not used


def test_coverage_and_error_on_simulated_crises():
    runs = run_simulations(range(200, 220), REALISTIC, check_misprint=False)
    assert runs["cover_est"].mean() >= 0.90
    for c in ("reported", "between", "nowcast"):
        assert runs[f"cover_est_{c}"].mean() >= 0.85
    assert runs["mdape_est"].median() <= 0.7 * runs["mdape_latest"].median()
    assert (runs["mdape_est"] < runs["mdape_latest"]).mean() >= 0.75
    assert runs["cover_literal"].mean() < runs["cover_est"].mean()


def test_an_extra_digit_moves_est_best_by_less_than_5_percent():
    runs = run_simulations(range(300, 305), REALISTIC)
    assert (runs["misprint_shift"] < 0.05).all()


def test_a_series_with_windows_only_keeps_its_literal_band():
    claims = ledger(
        [
            ("A1", "killed", 100, "exact", "2024-11-27", "2024-11-28", "2024-11-28", "SOHR"),
            (
                "W1",
                "civilians_killed",
                50,
                "exact",
                "2024-11-28",
                "2024-11-30",
                "2024-12-01",
                "SNHR",
            ),
        ]
    )
    est, _ = reconcile(claims)
    daily = interpolate(est, start="2024-11-27", end="2024-12-02")
    out = add_eventual_estimates(daily, claims, start="2024-11-27")  # W1 starts after it
    civ = out[out["metric"] == "civilians_killed"]
    assert civ["est_low"].equals(civ["cum_low"]) and civ["est_best"].equals(civ["cum_best"])
