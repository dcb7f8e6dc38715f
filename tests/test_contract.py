import importlib

import pandas as pd
import pandera.pandas as pa
import pytest

from stats.contract import Claims, Rejects, claim_ids, validate
from stats.errors import SchemaError

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
    model = Claims.to_schema()
    names = {c.name for c in model.checks}
    assert {"interval_contains_value", "periods_ordered", "qualifier_matches_value"} <= names
    assert "metric_in_vocabulary" in {c.name for c in model.columns["metric"].checks}
    assert "known_qualifier" in {c.name for c in model.columns["qualifier"].checks}
    assert model.columns["claim_id"].unique
    assert hasattr(pa.Check, "metric_in_vocabulary")


# ---------------------------------------------------------------------------------------------
# derived from the models
# ---------------------------------------------------------------------------------------------
def test_column_tuples_and_empty_tables_come_from_the_models():
    from stats import contract
    from stats.interpolate import empty_daily

    for name, model in contract.TABLE_MODELS.items():
        cols = contract.columns(model)
        assert cols == tuple(c for c, col in model.to_schema().columns.items() if col.required)
        empty = contract.empty(model)
        assert tuple(empty.columns) == cols and empty.empty, name
    assert contract.DAILY_OPTIONAL_COLUMNS == ("est_low", "est_best", "est_high", "level")
    contract.Daily.validate(empty_daily())
    contract.Claims.validate(contract.empty_claims())
    contract.Rejects.validate(contract.empty_rejects())


def test_claim_field_lists_come_from_the_roles_on_the_model():
    from stats import candidates, contract
    from stats.contract.models import ROLES
    from stats.review import app

    named = {
        r
        for col in Claims.to_schema().columns.values()
        for r in (col.metadata or {}).get("roles", ())
    }
    assert named == set(ROLES), "every role used is declared, every declared role used"
    # the lists the rest of the package uses are the model's, in contract order
    assert app.SHOWN == contract.fields(Claims, "shown")
    assert candidates.CORRECTABLE == contract.fields(Claims, "correctable")
    assert set(candidates.CORRECTABLE) < set(app.SHOWN), "only a shown field can be corrected"
    assert contract.COUNT_COLUMNS == ("value", "low", "high")
    assert contract.DATE_COLUMNS == ("period_start", "period_end", "published")
    # the hashed id changes with each identifying field and with no other
    row = {"metric": "killed", "value": 826, "quote": "826 killed", "note": "a"}
    base = claim_ids(pd.DataFrame([row])).iloc[0]
    assert claim_ids(pd.DataFrame([{**row, "quote": "other"}])).iloc[0] != base
    assert claim_ids(pd.DataFrame([{**row, "note": "b"}])).iloc[0] == base
    with pytest.raises(ValueError, match="not a field role"):
        contract.fields(Claims, "shwon")


def test_every_registered_check_has_a_reason_and_its_columns():
    from stats import contract

    model = Claims.to_schema()
    wide = {c.name for c in model.checks}
    for name in wide:
        assert contract.CHECKS[name].columns, name
        assert set(contract.CHECKS[name].columns) <= set(model.columns)
    for name in ("metric_in_vocabulary", "known_qualifier"):
        assert contract.CHECKS[name].reason.startswith("unknown")
        assert contract.CHECKS[name].columns == ()
    assert contract.reason("no_such_check") == "failed the check no_such_check"


def test_failure_rejects_names_cells_and_table_wide_checks():
    from stats import contract

    good = validate(frame({}), "f.csv")[0]
    bad = good.assign(
        published=pd.to_datetime(["2024-12-01"]).astype("datetime64[ns]"),
        value=pd.array([-3], dtype="Int64"),
    )
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        Claims.validate(bad, lazy=True)
    r = contract.failure_rejects(exc.value.failure_cases, bad, [7], "f.csv")
    Rejects.validate(r)
    by_col = r.set_index("column")
    assert by_col.loc["value", "reason"] == contract.reason("greater_than_or_equal_to(0)")
    assert by_col.loc["period_start,period_end,published", "value"] == (
        "period_start=2024-11-27 period_end=2024-12-06 published=2024-12-01"
    )
    assert set(r["source_row"]) == {7}


def test_failure_rejects_raises_for_a_whole_table_problem():
    from stats import contract

    good = validate(frame({}), "f.csv")[0]
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        Claims.validate(good.drop(columns="note"), lazy=True)
    with pytest.raises(SchemaError, match="f.csv: "):
        contract.failure_rejects(exc.value.failure_cases, good, [2], "f.csv")


def test_padding_is_stripped_wherever_it_is_in_a_long_column(monkeypatch):
    # whether a column changes is found a few rows at a time: padding in a later piece counts
    module = importlib.import_module("stats.contract.validate")  # (the function shadows it)
    monkeypatch.setattr(module, "TEXT_PIECE_ROWS", 2)
    df = frame({}, {}, {}, {"claim_id": " X9\u00a0", "quote": "\ttext "}, {"url": "  "})
    valid, rejects = validate(df, "f.csv")
    assert rejects.empty
    assert valid["claim_id"].tolist() == ["X0", "X1", "X2", "X9", "X4"]
    assert valid["quote"].tolist()[3] == "text" and pd.isna(valid["url"].iloc[4])


def test_absent_columns_are_missing_and_terms_are_read_stripped():
    df = frame({"metric": "  Killed ", "qualifier": " At least", "counted_by": " the Observatory "})
    valid, rejects = validate(df.drop(columns=["period_start"]), "f.csv")
    assert rejects.empty
    row = valid.iloc[0]
    assert (row["metric"], row["qualifier"], row["counted_by"]) == ("killed", "at_least", "SOHR")
    assert valid[["period_start", "subgroup", "note", "high"]].isna().all().all()
    assert row["low"] == 826 and row["rule"] == "at_least"
