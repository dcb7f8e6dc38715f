"""``stats.builds``: build.json names the inputs and the headline; the previous build is kept
and a rebuild is byte-identical (the builds of the ``two_builds`` fixture in conftest.py)."""

from __future__ import annotations

import hashlib

from stats import pipeline
from stats.builds import read_record
from tests.conftest import digests


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
