import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.interpolate import PchipInterpolator

from stats import contract
from stats.errors import SchemaError, UserError
from stats.estimate.interpolate import interpolate


def estimates(
    reports, metric="killed", counter="SOHR", start="2024-11-27", kind="flow", location="Syria"
):
    """reports: [(date, low, best, high)]"""
    n = len(reports)
    return pd.DataFrame(
        {
            "metric": [metric] * n,
            "location": [location] * n,
            "subgroup": pd.Series([None] * n, dtype="str"),
            "counter": [counter] * n,
            "date": pd.to_datetime([r[0] for r in reports]),
            "low": pd.array([r[1] for r in reports], dtype="Int64"),
            "best": pd.array([r[2] for r in reports], dtype="Int64"),
            "high": pd.array([r[3] for r in reports], dtype="Int64"),
            "kind": [kind] * n,
            "series_start": pd.to_datetime([start] * n),
        }
    )


REPORTS = [
    ("2024-11-28", 180, 200, 220),
    ("2024-11-30", 311, 311, 311),
    ("2024-12-03", 602, 602, 602),
    ("2024-12-06", 800, 826, 1000),
    ("2024-12-08", 910, 910, 1000),
]


@pytest.mark.parametrize("method", ["linear", "pchip", "state_space"])
def test_reported_days_keep_values_and_band_is_what_monotonicity_allows(method):
    est = estimates(REPORTS)
    d = interpolate(est, method=method, end="2024-12-12")
    contract.Daily.validate(d)
    assert d["date"].min() == pd.Timestamp("2024-11-27")
    assert d["date"].max() == pd.Timestamp("2024-12-12")
    assert d["date"].diff().dropna().eq(pd.Timedelta(days=1)).all()
    rep = d[d["is_reported"]].reset_index(drop=True)
    assert rep["date"].dt.strftime("%Y-%m-%d").tolist() == [r[0] for r in REPORTS]
    assert rep["cum_low"].tolist() == [r[1] for r in REPORTS]
    assert rep["cum_best"].tolist() == [r[2] for r in REPORTS]
    assert rep["cum_high"].astype("Float64").fillna(-1).tolist() == [r[3] for r in REPORTS]
    # between 30 Nov (311) and 3 Dec (602): at least 311, at most 602
    mid = d[d["date"] == "2024-12-01"].iloc[0]
    assert (mid["hard_low"], mid["hard_high"]) == (311, 602)
    assert 311 <= mid["cum_low"] <= mid["cum_best"] <= mid["cum_high"] <= 602
    # nowcast after the last report: marked, no hard upper limit
    now = d[d["is_nowcast"]]
    assert now["date"].min() == pd.Timestamp("2024-12-09")
    assert now["hard_high"].isna().all() and (now["hard_low"] == 910).all()
    for col in ("cum_low", "cum_best"):
        assert d[col].is_monotonic_increasing
    assert (d["new_best"] >= 0).all() and (d["new_low"].dropna() >= 0).all()
    assert d["new_best"].sum() == d["cum_best"].iloc[-1]
    assert (d["method"] == method).all()


def test_linear_known_answer_from_the_start():
    d = interpolate(estimates([("2024-11-28", 100, 100, 100), ("2024-12-01", 400, 400, 400)]))
    assert d["cum_best"].tolist() == [50, 100, 200, 300, 400]
    assert d["cum_low"].tolist() == [0, 100, 100, 100, 400]
    assert d["cum_high"].tolist() == [100, 100, 400, 400, 400]
    assert d["new_best"].tolist() == [50, 50, 100, 100, 100]
    assert d["new_low"].tolist() == [0, 0, 0, 0, 0]
    assert d["new_high"].tolist() == [100, 100, 300, 300, 300]


def test_pchip_matches_scipy_for_each_series():
    a = estimates(REPORTS)
    b = estimates(
        [
            ("2024-11-29", 5, 5, 5),
            ("2024-12-02", 50, 50, 50),
            ("2024-12-03", 51, 51, 51),
            ("2024-12-09", 400, 400, 400),
        ],
        counter="SNHR",
    )
    d = interpolate(pd.concat([a, b], ignore_index=True), method="pchip")
    for est in (a, b):
        x = np.r_[-1, (est["date"] - pd.Timestamp("2024-11-27")).dt.days.to_numpy()]
        y = np.r_[0, est["best"].to_numpy(dtype=float)]
        f = PchipInterpolator(x, y)
        got = d[d["counter"] == est["counter"].iloc[0]]
        days = (got["date"] - pd.Timestamp("2024-11-27")).dt.days.to_numpy()
        np.testing.assert_array_equal(got["cum_best"].to_numpy(dtype=float), np.round(f(days)))


def test_state_space_interval_widens_in_the_nowcast_and_stays_in_the_hard_band():
    d = interpolate(estimates(REPORTS), method="state_space", end="2024-12-20")
    inside = d["cum_low"] >= d["hard_low"]
    inside &= d["cum_high"].astype("Float64") <= d["hard_high"].astype("Float64").fillna(np.inf)
    assert inside.all()
    now = d[d["is_nowcast"]]
    width = (now["cum_high"] - now["cum_low"]).astype(float).to_numpy()
    assert np.all(np.diff(width) >= 0) and width[-1] > width[0]
    assert now["cum_high"].notna().all()  # a model interval, unlike the open hard band


def test_stock_may_fall_and_has_no_new_bounds():
    est = estimates(
        [("2024-12-08", 1000000, 1100000, 1200000), ("2024-12-12", 700000, 730000, 760000)],
        metric="idps",
        kind="stock",
    )
    d = interpolate(est, start=None)
    assert d["date"].min() == pd.Timestamp("2024-12-08")
    assert d["cum_best"].iloc[-1] < d["cum_best"].iloc[0]
    mid = d[d["date"] == "2024-12-10"].iloc[0]
    assert (mid["hard_low"], mid["hard_high"]) == (700000, 1200000)
    assert d["new_low"].isna().all() and d["new_high"].isna().all()
    assert (d["new_best"].dropna() < 0).any()


def test_start_and_end_cut_the_calendar():
    d = interpolate(estimates(REPORTS), start="2024-12-01", end="2024-12-05")
    assert d["date"].min() == pd.Timestamp("2024-12-01")
    assert d["date"].max() == pd.Timestamp("2024-12-05")


def test_errors():
    est = estimates(REPORTS)
    with pytest.raises(UserError, match="unknown method 'spline'"):
        interpolate(est, method="spline")
    with pytest.raises(SchemaError, match="missing column.*series_start"):
        interpolate(est.drop(columns="series_start"))
    with pytest.raises(SchemaError, match="row 2: a second row"):
        interpolate(pd.concat([est.iloc[:1], est.iloc[:1]], ignore_index=True))
    bad = est.assign(best=pd.array([None] + [1] * 4, dtype="Int64"))
    with pytest.raises(SchemaError, match="row 1, column best: missing"):
        interpolate(bad)
    assert interpolate(est.iloc[:0]).empty


@st.composite
def report_series(draw):
    n = draw(st.integers(1, 6))
    days = sorted(draw(st.lists(st.integers(0, 30), min_size=n, max_size=n, unique=True)))
    inc = draw(st.lists(st.integers(0, 500), min_size=n, max_size=n))
    best = np.cumsum(inc)
    rows = []
    for d, b in zip(days, best, strict=True):
        lo = int(b * draw(st.sampled_from([1.0, 0.9, 0.5])))
        hi = draw(st.sampled_from([int(b), int(b * 1.1) + 1, None]))
        rows.append(
            (
                (pd.Timestamp("2024-11-27") + pd.Timedelta(days=d)).strftime("%Y-%m-%d"),
                lo,
                int(b),
                hi,
            )
        )
    # a monotone band, as reconcile gives
    lows = np.maximum.accumulate([r[1] for r in rows])
    highs = [r[3] for r in rows]
    hh = np.minimum.accumulate(np.array([np.inf if h is None else h for h in highs])[::-1])[::-1]
    return [
        (r[0], int(min(lo, r[2])), r[2], None if not np.isfinite(h) else int(max(h, r[2])))
        for r, lo, h in zip(rows, lows, hh, strict=True)
    ]


@settings(max_examples=40, deadline=None)
@given(report_series(), st.sampled_from(["linear", "pchip"]), st.integers(0, 5))
def test_invariants(reports, method, extra):
    end = pd.Timestamp(reports[-1][0]) + pd.Timedelta(days=extra)
    d = interpolate(estimates(reports), method=method, end=end)
    contract.Daily.validate(d)
    assert d["cum_low"].is_monotonic_increasing and d["cum_best"].is_monotonic_increasing
    assert d["cum_high"].dropna().is_monotonic_increasing
    assert (d["new_best"] >= 0).all() and (d["new_low"].dropna() >= 0).all()
    assert int(d["is_nowcast"].sum()) == extra
    rep = d[d["is_reported"]]
    assert rep["cum_best"].tolist() == [r[2] for r in reports]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 59), st.floats(0, 1e5)), min_size=1, max_size=8),
        min_size=1,
        max_size=6,
    )
)
def test_vectorised_pchip_is_scipys_curve(groups):
    """Every series at once gives scipy's PchipInterpolator of each, knots rising or not."""
    from stats.estimate.interpolate import knots_around, pchip_at

    kg, kx, ky = [], [], []
    for i, knots in enumerate(groups):
        knots = dict(knots)  # one value per day
        kg += [i] * len(knots)
        kx += sorted(knots)
        ky += [knots[x] for x in sorted(knots)]
    kg, kx, ky = np.array(kg), np.array(kx, dtype=float), np.array(ky)
    g = np.repeat(np.arange(len(groups)), 64)
    d = np.tile(np.arange(-2.0, 62.0), len(groups))
    got = pchip_at(d, *knots_around(g, d, kg, kx), kg, kx, ky)
    for i in range(len(groups)):
        k, c = kg == i, g == i
        want = (
            PchipInterpolator(kx[k], ky[k], extrapolate=False)(d[c])
            if k.sum() >= 2
            else np.full(c.sum(), np.nan)
        )
        np.testing.assert_allclose(got[c], want, rtol=1e-9, atol=1e-6)
