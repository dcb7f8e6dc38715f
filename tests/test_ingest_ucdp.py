"""UCDP GED / Candidate -> Claims: header and headerless files, best/low/high, parts."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from stats import contract
from stats.errors import SchemaError
from stats.ingest.ucdp import GED_COLUMNS, RULE, has_ged_header, read_ucdp, ucdp_to_claims

HERE = Path(__file__).parent / "data" / "formats" / "ucdp"
GED = HERE / "ged251_syria_sample.csv"
CANDIDATE = HERE / "gedevents_candidate_noheader_sample.csv"


@pytest.fixture(scope="module")
def got():
    return read_ucdp(GED, name="ged.csv")


def test_layout_has_49_columns_and_header_detection():
    assert len(GED_COLUMNS) == 49
    assert has_ged_header(GED) is True
    assert has_ged_header(CANDIDATE) is False


def test_accounting_and_contract(got):
    assert got.n_read == 6 and got.n_accepted == 3 and got.n_rejected == 3 and got.accounted
    contract.Claims.validate(got.claims)
    assert got.claims["claim_id"].is_unique


def test_best_low_high_kept(got):
    c = got.claims.set_index("claim_id")
    k = c.loc["ucdp:600001:killed"]
    assert (k["value"], k["low"], k["high"], k["qualifier"], k["rule"]) == (
        10,
        8,
        15,
        "about",
        RULE,
    )
    same = c.loc["ucdp:600002:killed"]
    assert (same["value"], same["low"], same["high"], same["qualifier"]) == (5, 5, 5, "exact")
    killed = got.claims[got.claims["metric"] == "killed"]
    assert ((killed["low"] <= killed["value"]) & (killed["value"] <= killed["high"])).all()


def test_parts(got):
    c = got.claims.set_index("claim_id")
    assert c.loc["ucdp:600001:civilians_killed", "value"] == 2
    assert c.loc["ucdp:600001:combatants_killed", "value"] == 4 + 3
    assert c.loc["ucdp:600002:combatants_killed", "value"] == 0  # stated zeros are claims
    # missing parts give no claim (missing is not zero)
    assert "ucdp:600005:civilians_killed" not in c.index
    assert "ucdp:600005:combatants_killed" not in c.index


def test_period_place_and_provenance(got):
    c = got.claims.set_index("claim_id")
    k = c.loc["ucdp:600002:killed"]
    assert (k["period_start"], k["period_end"]) == (
        pd.Timestamp("2024-11-27"),
        pd.Timestamp("2024-12-05"),
    )
    assert k["published"] == k["period_end"]
    assert k["location"] == "Idleb" and "date_prec 3" in k["note"]
    assert c.loc["ucdp:600001:killed", "location"] == "Aleppo"
    assert c.loc["ucdp:600005:killed", "location_detail"] == "Ḥārim district / Salqīn"
    assert (got.claims["counted_by"] == "UCDP").all()
    assert c.loc["ucdp:600001:killed", "source_row"] == 2


def test_rejects(got):
    r = got.rejects
    assert set(r["source_row"]) == {4, 5, 7}
    assert "low <= best <= high" in r.loc[r["source_row"] == 4, "reason"].iloc[0]
    assert (r.loc[r["source_row"] == 5, "reason"].str.contains("missing estimate")).all()
    assert "date_start is after date_end" in r.loc[r["source_row"] == 7, "reason"].iloc[0]


def test_headerless_candidate_rows_number_from_one():
    got = read_ucdp(CANDIDATE)
    assert got.n_read == 3 and got.accounted
    assert got.claims["source_row"].min() == 1
    r = got.rejects
    assert r["source_row"].tolist() == [3] and r["column"].tolist() == ["best"]


def test_release_date_as_published(tmp_path):
    got = read_ucdp(GED, published="2025-06-01")
    assert (got.claims["published"] == pd.Timestamp("2025-06-01")).all()
    early = read_ucdp(GED, published="2024-11-30")
    assert "ucdp:600002:killed" not in set(early.claims["claim_id"])
    assert early.accounted


def test_does_not_mutate():
    df = pd.read_csv(GED, dtype="str", keep_default_na=False, na_values=[""])
    before = df.copy()
    ucdp_to_claims(df, "g.csv")
    pd.testing.assert_frame_equal(df, before)


def test_errors(tmp_path):
    p = tmp_path / "x.csv"
    with open(p, "w", newline="") as f:
        csv.writer(f).writerows([["a", "b"], ["1", "2"]])
    with pytest.raises(SchemaError, match="not a UCDP GED file: expected the columns id, relid"):
        read_ucdp(p)
    df = pd.DataFrame({"id": ["1"], "best": ["2"]})
    with pytest.raises(SchemaError, match="missing column.*date_start"):
        ucdp_to_claims(df, "y.csv")
