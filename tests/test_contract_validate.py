"""The contract of the Claims table (stats.contract.validate): parsed, checked, every row accounted for."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest
from conftest import CLAIM_ROW, claim_frame

from stats.contract import Claims, Rejects, claim_ids, validate
from stats.errors import SchemaError


def reject_of(overrides: dict) -> pd.DataFrame:
    valid, rejects = validate(claim_frame({}, overrides), "f.csv")
    assert len(valid) == 1, "the good row still goes through"
    assert rejects["source_row"].unique().tolist() == [3]
    assert (rejects["source_file"] == "f.csv").all()
    return rejects


def test_valid_rows_get_proper_dtypes():
    valid, rejects = validate(
        claim_frame({}, {"value": "115,000"}, {"value": "1.1 million"}), "f.csv"
    )
    assert rejects.empty
    assert valid["value"].tolist() == [826, 115000, 1100000]
    assert str(valid["value"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(valid["published"])
    assert isinstance(valid["metric"].dtype, pd.CategoricalDtype)
    assert valid["counted_by"].tolist() == ["SOHR"] * 3
    assert valid["source_row"].tolist() == [2, 3, 4]
    Claims.validate(valid)


@pytest.mark.parametrize(
    ("override", "column", "reason"),
    [
        ({"published": "06/12/2024"}, "published", "not a date"),
        ({"period_end": "2024-13-01"}, "period_end", "not a date"),
        ({"value": "-5"}, "value", "negative count"),
        ({"value": "many"}, "value", "not a count"),
        ({"value": "12.5"}, "value", "not a count"),
        ({"metric": "deaths"}, "metric", "unknown metric"),
        ({"qualifier": "roughly-ish"}, "qualifier", "unknown qualifier"),
        (
            {"qualifier": "range", "value": "", "low": "900", "high": "800"},
            "low,value,high",
            "interval out of order",
        ),
        ({"value": "700", "low": "750"}, "low,value,high", "interval out of order"),
        ({"period_start": "2024-12-07"}, "period_start,period_end,published", "dates out of order"),
        ({"published": "2024-12-01"}, "period_start,period_end,published", "dates out of order"),
        ({"qualifier": "vague", "value": ""}, "qualifier,value,low,high", "does not fit"),
        ({"quote": "bad byte \ufffd here"}, "quote", "not valid UTF-8"),
        ({"metric": ""}, "metric", "missing value"),
    ],
)
def test_each_problem_names_row_column_and_reason(override, column, reason):
    rejects = reject_of(override)
    assert column in rejects["column"].tolist(), rejects
    assert rejects["reason"].str.contains(reason).any(), rejects["reason"].tolist()
    Rejects.validate(rejects)


def test_duplicate_claim_ids_reject_every_copy():
    df = claim_frame({}, {}, {})
    df.loc[2, "claim_id"] = df.loc[1, "claim_id"]
    valid, rejects = validate(df, "f.csv")
    assert len(valid) == 1
    assert sorted(rejects["source_row"].unique().tolist()) == [3, 4]
    assert rejects["reason"].str.contains("duplicate claim_id").all()


def test_every_row_is_accounted_for():
    df = claim_frame({}, {"metric": "nope"}, {"value": "x", "published": "y"}, {"value": "5"})
    valid, rejects = validate(df, "f.csv")
    assert len(valid) + rejects["source_row"].nunique() == len(df)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (["metric", "value", "qualifier", "period_end"], "missing column.*'published'"),
        ([*CLAIM_ROW, "colour"], "unexpected column.*'colour'"),
    ],
)
def test_missing_or_unexpected_columns(columns, message):
    df = pd.DataFrame({c: ["x"] for c in columns})
    with pytest.raises(SchemaError, match=message):
        validate(df, "f.csv")


def test_qualifier_aliases_and_missing_ids():
    df = claim_frame({"qualifier": "More than", "claim_id": ""})
    valid, rejects = validate(df, "f.csv")
    assert rejects.empty
    assert valid["qualifier"].iloc[0] == "more_than"
    assert valid["low"].iloc[0] == 827 and pd.isna(valid["high"].iloc[0])
    assert valid["claim_id"].iloc[0].startswith("h")


def test_claim_ids_are_stable_and_content_based():
    a = pd.DataFrame({"metric": ["killed", "killed"], "value": [826, 827]})
    assert claim_ids(a).tolist() == claim_ids(a.copy()).tolist()
    assert claim_ids(a).iloc[0] != claim_ids(a).iloc[1]


def test_validate_does_not_mutate_input():
    df = claim_frame({}, {"value": "115,000"})
    before = df.copy()
    validate(df, "f.csv")
    pd.testing.assert_frame_equal(df, before)


def test_padding_is_stripped_wherever_it_is_in_a_long_column(monkeypatch):
    # whether a column changes is found a few rows at a time: padding in a later piece counts
    module = importlib.import_module("stats.contract.validate")  # (the function shadows it)
    monkeypatch.setattr(module, "TEXT_PIECE_ROWS", 2)
    df = claim_frame({}, {}, {}, {"claim_id": " X9\u00a0", "quote": "\ttext "}, {"url": "  "})
    valid, rejects = validate(df, "f.csv")
    assert rejects.empty
    assert valid["claim_id"].tolist() == ["X0", "X1", "X2", "X9", "X4"]
    assert valid["quote"].tolist()[3] == "text" and pd.isna(valid["url"].iloc[4])


def test_absent_columns_are_missing_and_terms_are_read_stripped():
    df = claim_frame(
        {"metric": "  Killed ", "qualifier": " At least", "counted_by": " the Observatory "}
    )
    valid, rejects = validate(df.drop(columns=["period_start"]), "f.csv")
    assert rejects.empty
    row = valid.iloc[0]
    assert (row["metric"], row["qualifier"], row["counted_by"]) == ("killed", "at_least", "SOHR")
    assert valid[["period_start", "subgroup", "note", "high"]].isna().all().all()
    assert row["low"] == 826 and row["rule"] == "at_least"
