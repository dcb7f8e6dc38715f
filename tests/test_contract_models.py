"""The pandera models (stats.contract.models): named checks, and field roles the package reads."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from stats.contract import Claims, claim_ids


def test_claims_model_has_named_registered_checks():
    model = Claims.to_schema()
    names = {c.name for c in model.checks}
    assert {"interval_contains_value", "periods_ordered", "qualifier_matches_value"} <= names
    assert "metric_in_vocabulary" in {c.name for c in model.columns["metric"].checks}
    assert "known_qualifier" in {c.name for c in model.columns["qualifier"].checks}
    assert model.columns["claim_id"].unique
    assert hasattr(pa.Check, "metric_in_vocabulary")


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
