"""Pandera failures into Rejects rows (stats.contract.rejects), in one place."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from conftest import claim_frame

from stats.contract import Claims, Rejects, validate
from stats.errors import SchemaError


def test_failure_rejects_names_cells_and_table_wide_checks():
    from stats import contract

    good = validate(claim_frame({}), "f.csv")[0]
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

    good = validate(claim_frame({}), "f.csv")[0]
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        Claims.validate(good.drop(columns="note"), lazy=True)
    with pytest.raises(SchemaError, match="f.csv: "):
        contract.failure_rejects(exc.value.failure_cases, good, [2], "f.csv")
