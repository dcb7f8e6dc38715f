"""The registered checks (stats.contract.checks): each with its reason and its columns."""

from __future__ import annotations

from stats.contract import Claims


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
