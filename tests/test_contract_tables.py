"""What is derived from the models (stats.contract.tables): column tuples and empty tables."""

from __future__ import annotations


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
