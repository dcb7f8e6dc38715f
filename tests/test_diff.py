"""``stats.diff`` and ``python -m stats diff``: what changed between two builds (the builds of
the ``two_builds`` fixture in conftest.py)."""

from __future__ import annotations

import json

from stats.cli import main
from stats.diff import diff_builds, what_changed


def test_diff_lists_claims_estimates_and_conflicts(two_builds):
    tmp, out, raw2, first = two_builds
    d = diff_builds(out / "ds" / "previous", out / "ds" / "build.json")
    assert d.new_claims["claim_id"].tolist() == ["A6"]
    assert d.withdrawn_claims["claim_id"].tolist() == ["A3"]
    assert d.corrected_claims["claim_id"].tolist() == ["A2"]
    assert "value: 111 -> 112" in d.corrected_claims["changes"].iloc[0]
    moved = d.moved[(d.moved["metric"] == "killed") & (d.moved["location"] == "Syria")]
    assert "+A6" in " ".join(moved["claims_added"])
    assert "non_monotone" in set(d.conflicts_appeared["kind"])
    assert d.inputs["changed"] == ["raw/ds/claims.csv"]
    back = diff_builds(out / "ds", out / "ds" / "previous")
    assert set(back.conflicts_resolved["conflict_id"]) == set(d.conflicts_appeared["conflict_id"])
    assert back.new_claims["claim_id"].tolist() == ["A3"]


def test_what_changed_for_the_report(two_builds):
    tmp, out, raw2, first = two_builds
    w = what_changed(out / "ds")
    assert w["counts"]["new_claims"] == 1 and w["counts"]["withdrawn_claims"] == 1
    assert w["corrected_claims"][0]["claim_id"] == "A2"
    assert set(w) >= {"counts", "inputs", "estimates_moved", "conflicts_appeared"}
    json.dumps(w)  # JSON-ready
    assert what_changed(out / "ds" / "previous") is None


def test_diff_command_text_json_and_errors(two_builds, capsys):
    tmp, out, raw2, first = two_builds
    assert main(["diff", "--processed", str(out), "--dataset", "ds"]) == 0
    text = capsys.readouterr().out
    assert "new claims: 1" in text and "withdrawn claims: 1" in text
    assert "A2: " in text and "value: 111 -> 112" in text
    assert main(["diff", "--processed", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["corrected_claims"] == 1
    assert main(["diff", str(out / "ds"), str(out / "ds")]) == 0
    assert capsys.readouterr().out.strip() == "no change"
    assert main(["diff", "--processed", str(out / "ds" / "previous" / "nowhere")]) == 2
    assert main(["diff", str(out / "ds" / "previous"), str(tmp)]) == 2
    assert "not a build" in capsys.readouterr().err
