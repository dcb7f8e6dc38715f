import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stats.contract import validate
from stats.dedupe import dedupe, dedupe_log
from stats.errors import SchemaError


def claims(rows: list[dict]) -> pd.DataFrame:
    base = {
        "metric": "killed",
        "qualifier": "exact",
        "period_start": "2024-11-27",
        "period_end": "2024-12-06",
        "published": "2024-12-06",
        "location": "Syria",
        "counted_by": "SOHR",
    }
    raw = pd.DataFrame([{**base, **r} for r in rows]).astype(object)
    valid, rejects = validate(raw, "test.csv")
    assert rejects.empty, rejects
    return valid


def test_republished_figure_counts_once_and_keeps_every_outlet():
    c = claims(
        [
            {
                "claim_id": "a",
                "value": "826",
                "reported_by": "AFP",
                "url": "https://a.org",
                "published": "2024-12-07",
            },
            {
                "claim_id": "b",
                "value": "826",
                "reported_by": "Keystone-ATS",
                "url": "https://k.ch",
                "counted_by": "OSDH",
            },
            {
                "claim_id": "c",
                "value": "826",
                "reported_by": "AFP",
                "url": "https://a2.org",
                "published": "2024-12-08",
            },
        ]
    )
    out = dedupe(c)
    assert len(out) == 1
    row = out.iloc[0]
    assert row["claim_id"] == "a"
    assert row["merged_ids"] == ["a", "b", "c"]
    assert row["reported_by"] == ["AFP", "Keystone-ATS"]
    assert row["url"] == ["https://a.org", "https://a2.org", "https://k.ch"]
    assert row["n_outlets"] == 2
    assert row["published"] == pd.Timestamp("2024-12-06")  # the earliest publication
    assert (row["low"], row["high"]) == (826, 826)


def test_qualifier_wording_difference_merges_into_the_hull():
    c = claims(
        [
            {"claim_id": "a", "value": "800", "qualifier": "at_least", "reported_by": "AFP"},
            {"claim_id": "b", "value": "800", "qualifier": "about", "reported_by": "EFE"},
            {"claim_id": "c", "value": "800", "qualifier": "at_least", "reported_by": "dpa"},
        ]
    )
    out, log = dedupe(c, return_log=True)
    assert len(out) == 1
    row = out.iloc[0]
    assert row["low"] == 720 and pd.isna(row["high"])  # about: 720..880; at least: 800..open
    assert row["qualifier"] == "at_least"  # the most frequent wording
    assert row["rule"] == "merged:about_10pct+at_least"
    assert set(log["claim_id"]) == {"a", "b", "c"}
    assert log["reason"].str.contains("qualifier wording differs").all()


def test_different_counters_places_periods_and_numbers_never_merge():
    c = claims(
        [
            {"claim_id": "a", "value": "826"},
            {"claim_id": "b", "value": "826", "counted_by": "SNHR"},
            {"claim_id": "c", "value": "826", "location": "Idleb"},
            {"claim_id": "d", "value": "826", "period_end": "2024-12-05"},
            {"claim_id": "e", "value": "827"},
            {"claim_id": "f", "value": "826", "metric": "civilians_killed"},
        ]
    )
    out = dedupe(c)
    assert sorted(out["claim_id"]) == list("abcdef")
    assert (out["n_outlets"] == 0).all()
    assert dedupe_log(c).empty


def test_unnamed_counter_never_merges():
    c = claims(
        [
            {"claim_id": "a", "value": "826"},
            {"claim_id": "b", "value": "826", "counted_by": None},
            {"claim_id": "c", "value": "826", "counted_by": None},
        ]
    )
    assert len(dedupe(c)) == 3


def test_ranges_and_vague_terms_merge_on_their_bounds():
    c = claims(
        [
            {
                "claim_id": "a",
                "value": None,
                "qualifier": "vague",
                "low": "20000",
                "high": "99999",
                "reported_by": "AFP",
            },
            {
                "claim_id": "b",
                "value": None,
                "qualifier": "vague",
                "low": "20000",
                "high": "99999",
                "reported_by": "ANSA",
            },
            {"claim_id": "c", "value": None, "qualifier": "range", "low": "5", "high": "6"},
        ]
    )
    out = dedupe(c)
    assert sorted(out["merged_ids"]) == [["a", "b"], ["c"]]


def test_does_not_mutate_input_and_keeps_claims_columns():
    c = claims([{"claim_id": "a", "value": "1"}, {"claim_id": "b", "value": "1"}])
    before = c.copy()
    out = dedupe(c)
    pd.testing.assert_frame_equal(c, before)
    assert list(out.columns[: len(c.columns)]) == list(c.columns)
    assert list(out.columns[-2:]) == ["n_outlets", "merged_ids"]


def test_missing_column_raises():
    c = claims([{"claim_id": "a", "value": "1"}]).drop(columns="counted_by")
    with pytest.raises(SchemaError, match="missing column.*counted_by"):
        dedupe(c)


def test_duplicate_claim_id_raises():
    c = claims([{"claim_id": "a", "value": "1"}, {"claim_id": "b", "value": "2"}])
    c.loc[1, "claim_id"] = "a"
    with pytest.raises(SchemaError, match="duplicate claim_id 'a'"):
        dedupe(c)


def _pool() -> pd.DataFrame:
    import itertools

    rows = [
        {
            "claim_id": f"p{i:03d}",
            "value": v,
            "qualifier": q,
            "counted_by": c,
            "reported_by": o,
            "period_end": e,
        }
        for i, (v, q, c, o, e) in enumerate(
            itertools.product(
                ["10", "12", "800"],
                ["exact", "at_least", "more_than", "about"],
                ["SOHR", "SNHR", None],
                ["AFP", "EFE", None],
                ["2024-12-05", "2024-12-06"],
            )
        )
    ]
    return claims(rows)


POOL = _pool()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=30, unique=True),
    st.randoms(use_true_random=False),
)
def test_order_does_not_matter_and_dedupe_is_idempotent(idx, rnd):
    c = POOL.iloc[idx].reset_index(drop=True)
    out = dedupe(c)
    shuffled = c.sample(frac=1, random_state=rnd.randint(0, 10_000))
    pd.testing.assert_frame_equal(dedupe(shuffled), out)
    again = dedupe(out.drop(columns=["n_outlets", "merged_ids"]))
    assert len(again) == len(out)
    # every claim is in exactly one figure; figures of different counters never merge
    ids = out["merged_ids"].explode()
    assert sorted(ids) == sorted(c["claim_id"])
    counters = c.set_index("claim_id")["counted_by"]
    for merged in out["merged_ids"]:
        assert counters.loc[merged].nunique(dropna=False) == 1


def test_a_stale_reprint_merges_into_its_first_publication():
    c = claims(
        [
            {"claim_id": "r1", "value": "800", "period_end": "2024-12-01"},
            {"claim_id": "r2", "value": "850", "period_end": "2024-12-02"},
            {"claim_id": "r3", "value": "800", "period_end": "2024-12-04", "reported_by": "EFE"},
        ]
    )
    out = dedupe(c).set_index("claim_id")
    assert out.loc["r1", "merged_ids"] == ["r1", "r3"]
    assert out.loc["r1", "period_end"] == pd.Timestamp("2024-12-01")
    assert out.loc["r1", "published"] == pd.Timestamp("2024-12-06")
    log = dedupe_log(c).set_index("claim_id")
    assert log.loc["r3", "reason"].startswith("stale reprint")
    assert "2024-12-01" in log.loc["r3", "reason"]


def test_a_repeated_figure_with_nothing_newer_between_is_not_stale():
    # the count did not move: both days are evidence (at most 800 on 4 December too)
    c = claims(
        [
            {"claim_id": "r1", "value": "800", "period_end": "2024-12-01"},
            {"claim_id": "r3", "value": "800", "period_end": "2024-12-04"},
        ]
    )
    assert len(dedupe(c)) == 2


def test_a_stock_that_returns_to_an_earlier_figure_is_not_stale():
    c = claims(
        [
            {"claim_id": f"s{i}", "metric": "idps", "value": v, "period_end": e}
            for i, (v, e) in enumerate(
                [("800", "2024-12-01"), ("850", "2024-12-02"), ("800", "2024-12-04")]
            )
        ]
    )
    assert len(dedupe(c)) == 3
