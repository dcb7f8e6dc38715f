"""build.json, the previous build kept, and ``python -m stats diff``."""

from __future__ import annotations

import hashlib
import json

import pytest

from stats import pipeline
from stats.builds import read_record
from stats.cli import main
from stats.diff import diff_builds, what_changed
from tests.conftest import GOOD_ROWS, HEADER, write_sums

A1, A2, A3 = GOOD_ROWS[:3]
A2_FIXED = A2.replace("A2,civilians_killed,111", "A2,civilians_killed,112")
A6 = (
    "A6,killed,900,exact,,,2024-11-27,2024-12-05,2024-12-05,Syria,SOHR,AFP,"
    'https://example.org/c,"900 people have been killed since November 27."'
)


def make(tmp_path, name, rows):
    raw = tmp_path / name
    (raw / "ds").mkdir(parents=True)
    (raw / "ds" / "claims.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    write_sums(raw)
    hand = tmp_path / "hand" / "ds"
    hand.mkdir(parents=True, exist_ok=True)
    (hand / "dataset.yml").write_text("title: T\nstart: 2024-11-27\n")
    return raw


def digests(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("diff")
    out = tmp / "processed"
    pipeline.build(make(tmp, "raw1", [A1, A2, A3]), out, hand=tmp / "hand")
    first = digests(out / "ds")
    raw2 = make(tmp, "raw2", [A1, A2_FIXED, A6])
    pipeline.build(raw2, out, hand=tmp / "hand")
    return tmp, out, raw2, first


def test_build_record_names_inputs_and_headline(two_builds):
    tmp, out, raw2, first = two_builds
    rec = read_record(out / "ds")
    assert rec["inputs"]["raw"] == {
        "ds/claims.csv": hashlib.sha256((raw2 / "ds" / "claims.csv").read_bytes()).hexdigest()
    }
    assert "ds/dataset.yml" in rec["inputs"]["hand"]
    assert rec["counts"]["claims"] == 3
    assert rec["outputs"]["claims.csv"] == digests(out / "ds")["claims.csv"]
    killed = [h for h in rec["headline"] if h["metric"] == "killed" and h["location"] == "Syria"]
    assert killed and killed[0]["date"] == "2024-12-06"


def test_previous_build_is_kept_and_a_rebuild_is_byte_identical(two_builds):
    tmp, out, raw2, first = two_builds
    kept = {k.removeprefix("previous/"): v for k, v in digests(out / "ds").items()
            if k.startswith("previous/")}  # fmt: skip
    assert kept == {k: v for k, v in first.items() if not k.startswith("previous/")}
    before = digests(out / "ds")
    pipeline.build(raw2, out, hand=tmp / "hand")
    assert digests(out / "ds") == before


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
