"""``stats.candidates``: decisions on machine-read claims (the review page's own tests are in
test_review.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from stats import candidates, contract
from stats.errors import UserError

HEAD = ",".join(candidates.DECISION_COLUMNS)


def _decisions(tmp_path, *rows):
    p = tmp_path / "decisions.csv"
    p.write_text(HEAD + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_only_the_models_correctable_fields_may_be_corrected(tmp_path):
    ok = "d1,c1,correct,value,12,a typo,ana,2024-12-06T10:00:00Z"
    assert candidates.read_decisions(_decisions(tmp_path, ok))["field"].tolist() == ["value"]
    bad = "d1,c1,correct,published,2024-12-07,,ana,2024-12-06T10:00:00Z"
    assert "published" not in contract.fields(contract.Claims, "correctable")
    with pytest.raises(UserError, match=r"decisions\.csv, row 2, column field"):
        candidates.read_decisions(_decisions(tmp_path, bad))


def test_a_rejection_says_why(tmp_path):
    bad = "d1,c1,reject,,,,ana,2024-12-06T10:00:00Z"
    with pytest.raises(UserError, match=r"row 2"):
        candidates.read_decisions(_decisions(tmp_path, bad))


def test_the_last_decision_wins():
    d = pd.DataFrame(
        {
            "decision_id": ["d1", "d2", "d3"],
            "candidate_id": ["c1", "c1", "c2"],
            "action": ["reject", "accept", "accept"],
        }
    )
    last = candidates.last_decisions(d)
    assert last[["decision_id", "row"]].values.tolist() == [["d2", 3], ["d3", 4]]
