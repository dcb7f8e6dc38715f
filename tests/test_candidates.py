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


def _machine_claims():
    """Three validated claims read from one text file (candidates c1, c2, c3)."""
    raw = pd.DataFrame(
        {
            "claim_id": ["c1", "c2", "c3"],
            "metric": ["killed", "injured", "displaced"],
            "value": ["12", "30", "1000"],
            "qualifier": ["exact", "at_least", "about"],
            "period_end": ["2024-12-06"] * 3,
            "published": ["2024-12-06"] * 3,
            "counted_by": ["OCHA"] * 3,
            "source_file": ["texts/a.txt"] * 3,
            "source_row": ["3", "5", "5"],
        }
    )
    valid, rejects = contract.validate(raw)
    assert rejects.empty
    return valid


def test_corrections_are_applied_together_and_a_refused_one_stays_pending(tmp_path):
    at = "ana,2024-12-06T10:00:00Z"
    path = _decisions(
        tmp_path,
        f"d1,c1,correct,value,15,misread,{at}",
        f"d2,c2,correct,value,abc,typo,{at}",  # not a count: refused, c2 stays pending
        f"d3,c3,correct,qualifier,exact,,{at}",
        f"d3,c3,correct,value,1200,,{at}",
    )
    review = candidates.review_candidates(
        _machine_claims(), {"texts/a.txt"}, candidates.read_decisions(path), tmp_path,
        "data/hand/ds/decisions.csv",
    )  # fmt: skip
    ledger = review.ledger.set_index("claim_id")
    assert ledger.index.tolist() == ["c1", "c3"]
    assert ledger["value"].tolist() == [15, 1200]
    assert ledger[["low", "high"]].values.tolist() == [[15, 15], [1200, 1200]]
    assert ledger["note"].str.contains("corrected \\(value\\) in d1 by ana").tolist() == [
        True,
        False,
    ]
    assert review.queue.set_index("candidate_id")["status"].to_dict() == {
        "c1": "corrected",
        "c2": "pending",
        "c3": "corrected",
    }
    rej = review.rejects
    assert rej[["source_file", "source_row", "column"]].values.tolist() == [
        ["data/hand/ds/decisions.csv", 3, "value"]
    ]
    assert rej["reason"].iloc[0].startswith("correction of c2: ")
