import pandas as pd
import pandera.pandas as pa
import pytest

from stats.errors import SchemaError
from stats.schema import Claims, Rejects, claim_ids, validate

BASE = {
    "claim_id": "X1",
    "metric": "killed",
    "value": "826",
    "qualifier": "exact",
    "period_start": "2024-11-27",
    "period_end": "2024-12-06",
    "published": "2024-12-06",
    "counted_by": "OSDH",
}


def frame(*overrides: dict) -> pd.DataFrame:
    rows = []
    for i, o in enumerate(overrides):
        row = {**BASE, "claim_id": f"X{i}", **o}
        rows.append(row)
    return pd.DataFrame(rows, dtype="str")


def reject_of(overrides: dict) -> pd.DataFrame:
    valid, rejects = validate(frame({}, overrides), "f.csv")
    assert len(valid) == 1, "the good row still goes through"
    assert rejects["source_row"].unique().tolist() == [3]
    assert (rejects["source_file"] == "f.csv").all()
    return rejects


def test_valid_rows_get_proper_dtypes():
    valid, rejects = validate(frame({}, {"value": "115,000"}, {"value": "1.1 million"}), "f.csv")
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
    df = frame({}, {}, {})
    df.loc[2, "claim_id"] = df.loc[1, "claim_id"]
    valid, rejects = validate(df, "f.csv")
    assert len(valid) == 1
    assert sorted(rejects["source_row"].unique().tolist()) == [3, 4]
    assert rejects["reason"].str.contains("duplicate claim_id").all()


def test_every_row_is_accounted_for():
    df = frame({}, {"metric": "nope"}, {"value": "x", "published": "y"}, {"value": "5"})
    valid, rejects = validate(df, "f.csv")
    assert len(valid) + rejects["source_row"].nunique() == len(df)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (["metric", "value", "qualifier", "period_end"], "missing column.*'published'"),
        ([*BASE, "colour"], "unexpected column.*'colour'"),
    ],
)
def test_missing_or_unexpected_columns(columns, message):
    df = pd.DataFrame({c: ["x"] for c in columns})
    with pytest.raises(SchemaError, match=message):
        validate(df, "f.csv")


def test_qualifier_aliases_and_missing_ids():
    df = frame({"qualifier": "More than", "claim_id": ""})
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
    df = frame({}, {"value": "115,000"})
    before = df.copy()
    validate(df, "f.csv")
    pd.testing.assert_frame_equal(df, before)


def test_claims_model_has_named_registered_checks():
    schema = Claims.to_schema()
    names = {c.name for c in schema.checks}
    assert {"interval_contains_value", "periods_ordered", "qualifier_matches_value"} <= names
    assert "metric_in_vocabulary" in {c.name for c in schema.columns["metric"].checks}
    assert "known_qualifier" in {c.name for c in schema.columns["qualifier"].checks}
    assert schema.columns["claim_id"].unique
    assert hasattr(pa.Check, "metric_in_vocabulary")
