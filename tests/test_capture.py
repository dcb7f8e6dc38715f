"""Clusters -> capture patterns per stratum, stratum checks and estimates (stats.capture)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stats import mse
from stats.capture import (
    MIN_MULTI,
    MIN_OBSERVED,
    capture_patterns,
    check_strata,
    cluster_strata,
    estimate_strata,
    stratum_table,
)


def lists_from_patterns(table: pd.DataFrame, place: str, day: str) -> tuple:
    """Records and clusters of people with the given capture patterns (one person per count)."""
    lists = [c for c in table.columns if c != "count"]
    rows, clusters = [], []
    for k, row in enumerate(table.itertuples(index=False)):
        for j in range(row.count):
            person = f"{place}-{k}-{j}"
            for name in lists:
                if getattr(row, name):
                    rid = f"{person}-{name}"
                    rows.append({"list": name, "record_id": rid, "place": place,
                                 "date_start": pd.Timestamp(day), "date_end": pd.Timestamp(day)})  # fmt: skip
                    clusters.append({"list": name, "record_id": rid, "cluster_id": person})
    return pd.DataFrame(rows), pd.DataFrame(clusters)


@pytest.fixture
def table():
    return pd.DataFrame({"A": [1, 0, 1, 0, 1, 0, 1], "B": [0, 1, 1, 0, 0, 1, 1],
                         "C": [0, 0, 0, 1, 1, 1, 1], "count": [40, 30, 12, 25, 8, 6, 4]})  # fmt: skip


def test_patterns_reproduce_the_table_and_its_estimate(table):
    recs, clusters = lists_from_patterns(table, "Homs", "2013-02-01")
    patterns = capture_patterns(clusters, recs)
    got = stratum_table(patterns, "Homs all")
    assert got["count"].sum() == table["count"].sum()
    merged = got.merge(table, on=["A", "B", "C"], suffixes=("", "_in"))
    assert (merged["count"] == merged["count_in"]).all() and len(merged) == len(table)
    est = estimate_strata(patterns, method="main")
    assert est.loc[0, "estimate"] == pytest.approx(mse.estimate(table, method="main").estimate)


def test_strata_by_place_and_period(table):
    r1, c1 = lists_from_patterns(table, "Homs", "2013-02-01")
    r2, c2 = lists_from_patterns(table, "Aleppo", "2013-08-01")
    recs, clusters = pd.concat([r1, r2]), pd.concat([c1, c2])
    strata = cluster_strata(clusters, recs, ["2013-01-01", "2013-07-01"])
    assert set(strata["stratum"]) == {"Homs 2013-01-01", "Aleppo 2013-07-01"}
    patterns = capture_patterns(clusters, recs, ["2013-01-01", "2013-07-01"])
    checks = check_strata(patterns)
    assert (checks["status"] == "ok").all() and (checks["observed"] == 125).all()
    with pytest.raises(ValueError, match="must increase"):
        cluster_strata(clusters, recs, ["2013-07-01", "2013-01-01"])
    with pytest.raises(KeyError, match="no stratum 'Idleb all'"):
        stratum_table(patterns, "Idleb all")


def test_a_cluster_takes_its_most_frequent_place_and_median_date():
    recs = pd.DataFrame({"list": list("ABC"), "record_id": ["1"] * 3,
                         "place": ["Homs", "Idlib", "Idleb"],
                         "date_start": pd.to_datetime(["2013-06-29", "2013-07-02", "2013-07-03"]),
                         "date_end": pd.to_datetime(["2013-06-29", "2013-07-02", "2013-07-03"])})  # fmt: skip
    clusters = recs[["list", "record_id"]].assign(cluster_id="c1")
    got = cluster_strata(clusters, recs, ["2013-01-01", "2013-07-01"]).iloc[0]
    assert (got["place"], got["period"]) == ("Idleb", "2013-07-01")  # Idlib = Idleb


@pytest.mark.parametrize(
    ("counts", "status"),
    [
        ({"A": 30, "B": 30, "AB": 0}, "no_overlap"),
        ({"A": 10, "B": 10, "AB": 5}, "too_small"),
        ({"A": 60, "B": 60, "AB": 30}, "ok"),
    ],
)
def test_status_per_stratum(counts, status):
    table = pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1],
                          "count": [counts["A"], counts["B"], counts["AB"]]})  # fmt: skip
    recs, clusters = lists_from_patterns(table.loc[table["count"] > 0], "Homs", "2013-02-01")
    checks = check_strata(capture_patterns(clusters, recs))
    assert checks.loc[0, "status"] == status
    assert MIN_OBSERVED > 20 and MIN_MULTI > 5


def test_sparse_pair_and_one_list_and_unknown():
    table = pd.DataFrame({"A": [1, 0, 0, 1, 0], "B": [0, 1, 0, 1, 1], "C": [0, 0, 1, 0, 1],
                          "count": [50, 50, 50, 30, 2]})  # fmt: skip
    recs, clusters = lists_from_patterns(table, "Homs", "2013-02-01")
    checks = check_strata(capture_patterns(clusters, recs))
    assert checks.loc[0, "status"] == "sparse" and checks.loc[0, "min_pair_lists"] == "A:C"
    recs["place"] = np.where(recs["list"] == "A", None, "Homs")
    one = lists_from_patterns(pd.DataFrame({"A": [1], "count": [80]}), "Daraa", "2013-02-01")
    both = pd.concat([recs, one[0]]), pd.concat([clusters, one[1]])
    checks = check_strata(capture_patterns(both[1], both[0])).set_index("stratum")
    assert checks.loc["Dar'a all", "status"] == "one_list"
    assert checks.loc["unknown all", "status"] == "unknown_stratum"


def test_estimate_total_adds_strata_not_estimated_as_observed():
    from stats.capture import estimate_total
    from stats.mse_simulate import simulate_captures

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
