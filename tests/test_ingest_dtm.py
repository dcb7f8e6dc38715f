"""IOM DTM admin-level rows -> idps stock claims."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stats import contract, vocab
from stats.errors import SchemaError
from stats.ingest.dtm import dtm_to_claims, read_dtm

FIXTURE = Path(__file__).parent / "data" / "formats" / "dtm" / "dtm_admin1_syria_sample.csv"


@pytest.fixture(scope="module")
def got():
    return read_dtm(FIXTURE, name="dtm.csv")


def test_idps_stock_claims(got):
    c = got.claims
    contract.Claims.validate(c)
    assert (c["metric"] == "idps").all()
    assert vocab.metric_kind(c["metric"].astype(str)).eq("stock").all()
    assert (c["counted_by"] == "IOM").all()
    assert c["period_start"].isna().all()
    assert (c["period_end"] == c["published"]).all()
    assert got.n_read == 7 and got.accounted


def test_known_answers(got):
    c = got.claims.set_index("claim_id")
    assert c.loc["dtm:910001", "value"] == 1_850_000
    assert c.loc["dtm:910001", "period_end"] == pd.Timestamp("2024-12-05")
    assert c.loc["dtm:910001", "location"] == "Idleb"  # p-code SY07
    assert c.loc["dtm:910004", "location"] == "Hasakeh"  # "Al-Ḥasakah", p-code SY08
    assert c.loc["dtm:910004", "value"] == 95_000  # written 95000.0
    assert c.loc["dtm:910001", "subgroup"] == "Conflict"
    assert c.loc["dtm:910006", "note"] == "round 2; BA"


def test_rejects(got):
    r = got.rejects.set_index("source_row")
    assert set(r.index) == {4, 6}
    assert "missing is not zero" in r.loc[4, "reason"]
    assert r.loc[6, "column"] == "reportingDate"
    # "12,500" is a count in the one grammar of every reader (stats.parse)
    assert 12500 in got.claims["value"].tolist()


def test_admin0_rows_without_ids(tmp_path):
    p = tmp_path / "a0.csv"
    p.write_text(
        "admin0Name,admin0Pcode,numPresentIdpInd,reportingDate,roundNumber\n"
        "Syrian Arab Republic,SYR,7200000,2024-12-10,4\n"
        "Syrian Arab Republic,SYR,6900000,2025-01-10,5\n"
    )
    got = read_dtm(p)
    assert got.claims["location"].tolist() == ["Syria", "Syria"]
    assert got.claims["claim_id"].tolist() == ["dtm:SYR:2024-12-10:r4", "dtm:SYR:2025-01-10:r5"]


def test_does_not_mutate_and_errors():
    df = pd.DataFrame(
        {"admin0Name": ["Syria"], "numPresentIdpInd": ["5"], "reportingDate": ["2024-12-01"]},
        dtype="str",
    )
    before = df.copy()
    dtm_to_claims(df, "d.csv")
    pd.testing.assert_frame_equal(df, before)
    with pytest.raises(SchemaError, match="not a DTM file: missing column.*numPresentIdpInd"):
        dtm_to_claims(df.drop(columns="numPresentIdpInd"), "d.csv")
