"""Layout detection and read_any: each real layout is recognised; unknown ones say why."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_ROWS, claims_csv

from stats.errors import SchemaError, UserError
from stats.ingest.detect import LAYOUTS, detect_layout, read_any

FORMATS = Path(__file__).parent / "data" / "formats"
CASES = {
    "acled": FORMATS / "acled" / "acled_syria_sample.csv",
    "ucdp": FORMATS / "ucdp" / "ged251_syria_sample.csv",
    "dtm": FORMATS / "dtm" / "dtm_admin1_syria_sample.csv",
    "hxl": FORMATS / "hxl" / "hdx_casualties_sample.csv",
}


@pytest.mark.parametrize("layout", sorted(CASES))
def test_fixtures_are_recognised_and_read(layout):
    path = CASES[layout]
    assert detect_layout(path) == layout
    got = read_any(path, name=path.name)
    assert got.layout == layout
    assert got.accounted
    assert len(got.claims) > 0 and got.n_rejected > 0


def test_headerless_candidate_and_claims_layout(tmp_path):
    assert detect_layout(FORMATS / "ucdp" / "gedevents_candidate_noheader_sample.csv") == "ucdp"
    p = tmp_path / "claims.csv"
    p.write_text(claims_csv(GOOD_ROWS))
    assert detect_layout(p) == "claims"
    got = read_any(p)
    assert got.layout == "claims" and len(got.claims) == len(GOOD_ROWS)


def test_layout_can_be_forced():
    got = read_any(CASES["ucdp"], layout="ucdp")
    assert got.layout == "ucdp"
    with pytest.raises(SchemaError, match="unknown layout 'xls'"):
        read_any(CASES["ucdp"], layout="xls")


def test_unknown_layout_names_expected_columns_and_what_was_found(tmp_path):
    p = tmp_path / "odd.csv"
    p.write_text("when,where,how many\n2024-12-01,Idlib,5\n")
    with pytest.raises(SchemaError) as err:
        detect_layout(p)
    msg = str(err.value)
    assert "odd.csv: not in a known layout" in msg
    for layout, cols in LAYOUTS.items():
        assert f"{layout}: {cols[0]}" in msg
    assert "Found the header: when, where, how many" in msg


def test_markdown_heading_is_not_a_tag_row(tmp_path):
    p = tmp_path / "notes.csv"
    p.write_text("# Claims\nsome text\n")
    with pytest.raises(SchemaError, match="not in a known layout"):
        detect_layout(p)


def test_empty_and_binary_files(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("\n\n")
    with pytest.raises(UserError, match="empty"):
        detect_layout(p)
    b = tmp_path / "b.csv"
    b.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(UserError, match="binary"):
        read_any(b)


def test_pipeline_reads_event_files_under_raw(make_raw):
    from stats.pipeline import ingest_file

    raw = make_raw({"ds/acled.csv": CASES["acled"].read_text(encoding="utf-8")})
    got = ingest_file(raw / "ds" / "acled.csv", raw)
    assert got.layout == "acled" and got.source_file == "ds/acled.csv" and got.accounted


def test_broken_csv_in_a_known_layout(tmp_path):
    p = tmp_path / "dtm.csv"
    p.write_text("admin0Name,numPresentIdpInd,reportingDate\nSyria,5,2024-12-01,extra\n")
    with pytest.raises(UserError, match="dtm.csv: not valid CSV"):
        read_any(p, name="dtm.csv")
