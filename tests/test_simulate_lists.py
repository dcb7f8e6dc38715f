"""Simulated victim lists with known truth (stats.simulate_lists)."""

from __future__ import annotations

import pandas as pd
import pytest

from stats.names import normalise_names
from stats.simulate_lists import (
    DEFAULT_LISTS,
    evaluate_lists,
    name_pool,
    simulate_lists,
    true_strata,
    with_lists,
)
from stats.victims import VictimRecords


@pytest.fixture(scope="module")
def sim():
    return simulate_lists(seed=5, n=2000)


def test_records_are_valid_and_traced_to_people(sim):
    VictimRecords.validate(sim.records)
    assert sim.rejects.empty
    assert len(sim.truth) == len(sim.records)
    assert sim.truth["person_id"].isin(sim.population["person_id"]).all()
    assert len(sim.population) == 2000 and true_strata(sim).sum() == 2000
    assert sim.truth["person_id"].nunique() < len(sim.population)  # some on no list


def test_same_seed_same_lists():
    a, b = simulate_lists(seed=9, n=300), simulate_lists(seed=9, n=300)
    pd.testing.assert_frame_equal(a.records, b.records)
    assert not a.records.equals(simulate_lists(seed=10, n=300).records)


def test_names_vary_between_lists_as_documented(sim):
    ministry = sim.records.loc[sim.records["list"] == "ministry", "name"]
    assert ministry.str.contains("[\u0600-\u06ff]").all()  # Arabic script
    page = sim.records.loc[sim.records["list"] == "martyrs_page", "name"]
    assert (page == page.str.upper()).all()
    latin = sim.records.loc[sim.records["list"] != "ministry", "name"]
    assert latin.str.contains(r"\bel-").any() and latin.str.contains(r"\bAbdul").any()
    assert (normalise_names(latin) != latin.str.lower()).mean() > 0.2


def test_capture_is_dependent_where_a_list_copies_another(sim):
    on = pd.crosstab(sim.truth["person_id"], sim.truth["list"]) > 0
    on = on.reindex(sim.population["person_id"], fill_value=False)
    copied = on.loc[on["rights_group"], "martyrs_page"].mean()
    not_copied = on.loc[~on["rights_group"], "martyrs_page"].mean()
    assert copied > not_copied + 0.1


def test_within_list_duplicates_and_rough_fields(sim):
    dup = sim.truth.groupby(["list", "person_id"]).size()
    assert (dup == 2).any()
    assert sim.records["age_low"].isna().mean() > 0.1
    hospital = sim.records.loc[sim.records["list"] == "hospital"]
    assert (hospital["age_low"] < hospital["age_high"]).mean() > 0.5  # age groups
    assert (sim.records["date_end"] > sim.records["date_start"]).any()  # months only


def test_list_count_and_copy_order_are_checked():
    with pytest.raises(ValueError, match="3 to 6 lists"):
        simulate_lists(seed=1, n=100, lists=DEFAULT_LISTS[:2])
    with pytest.raises(ValueError, match="must come before it"):
        simulate_lists(seed=1, n=100, lists=DEFAULT_LISTS[::-1])
    assert all(s.typo == 0.2 for s in with_lists(DEFAULT_LISTS, typo=0.2))


def test_name_pool_has_weights_per_kind():
    pool = name_pool()
    assert set(pool["kind"]) == {"male", "female", "family"}
    assert (pool["weight"] > 0).all()
    first = pool.loc[pool["kind"] == "male"].iloc[0]
    assert first["name"] == "Mohammed" and first["weight"] == 1.0


@pytest.mark.slow
def test_evaluate_lists_reports_linkage_and_estimates():
    res = evaluate_lists([3], n=2000, method="dga")
    row = res.iloc[0]
    assert row["precision"] >= 0.95 and row["recall"] >= 0.9
    assert row["strata"] >= 4 and 0 <= row["covered"] <= 1
    assert abs(row["rel_error_perfect"]) < 0.5
    # a Bayesian method: the total is the strata's posterior draws summed, with its interval
    assert row["people"] < row["low"] <= row["estimate"] <= row["high"]
    assert row["total_covered"] == (row["low"] <= row["N"] <= row["high"])
