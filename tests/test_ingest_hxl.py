"""HXL-tagged CSV -> Claims: mapping by hashtag and attributes, never by title."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stats import contract
from stats.errors import SchemaError
from stats.ingest.hxl import find_tag_row, is_tag_row, map_columns, normalise_tag, read_hxl

FIXTURE = Path(__file__).parent / "data" / "formats" / "hxl" / "hdx_casualties_sample.csv"


@pytest.fixture(scope="module")
def got():
    return read_hxl(FIXTURE, name="hdx.csv")


def test_fixture(got):
    contract.Claims.validate(got.claims)
    assert got.n_read == 7 and got.accounted
    c = got.claims
    assert c[["source_row", "metric"]].astype(str).values.tolist() == [
        ["3", "killed"],
        ["4", "killed"],
        ["4", "injured"],
        ["6", "killed"],
        ["8", "idps"],
    ]
    assert c["value"].tolist() == [81, 12, 40, 1250, 115000]
    assert c.loc[1, "location"] == "Idleb"  # empty #adm1+name, p-code SY07
    assert c.loc[0, "counted_by"] == c.loc[0, "reported_by"] == "OCHA, Flash Update 2"
    assert c.loc[0, "note"] == 'Figures "as of" 30 Nov'
    assert c.loc[0, "location_detail"] == "Jebel Saman"
    assert (c["published"] == c["period_end"]).all()
    assert c["claim_id"].is_unique


def test_rejects(got):
    r = got.rejects
    assert sorted(set(r["source_row"])) == [5, 7, 9]
    assert "every count column of the row is empty" in r.loc[r["source_row"] == 5, "reason"].iloc[0]
    bad = r[r["source_row"] == 7].iloc[0]
    assert (bad["column"], bad["value"]) == ("#affected+killed", "about 5")


def test_titles_do_not_matter_attributes_are_unordered(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(
        "Killed (civ),When,Where,Quelle,lo\n"
        "#affected +civilians +KILLED,#date,#adm1+name,#org,#affected+min+killed\n"
        "10,2024-12-01,Idlib,SOHR,\n"
        ",2024-12-02,Hama,SOHR,30\n"
    )
    got = read_hxl(p)
    c = got.claims
    assert c["metric"].astype(str).tolist() == ["civilians_killed", "killed"]
    assert c["counted_by"].tolist() == ["SOHR", "SOHR"]
    k = c.iloc[1]
    # a lone lower bound states a floor
    assert (k["qualifier"], k["value"], k["low"], pd.isna(k["high"])) == ("at_least", 30, 30, True)


def test_tag_row_as_header_and_further_down(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("#date,#affected+killed,#meta+id\n2024-12-01,5,X1\n")
    got = read_hxl(a)
    assert got.claims["source_row"].tolist() == [2]
    assert got.claims["claim_id"].tolist() == ["X1"]
    b = tmp_path / "b.csv"
    b.write_text(
        "Title,,\nDate,Killed,Injured\n#date,#affected+killed,#affected+injured\n2024-12-01,5,6\n"
    )
    assert find_tag_row(b) == 2
    got = read_hxl(b)
    assert got.claims["source_row"].tolist() == [4, 4]
    assert got.n_read == 1 and got.accounted


def test_several_metrics_share_an_id(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("#meta+id,#date,#affected+killed,#affected+injured\nE1,2024-12-01,5,6\n")
    assert read_hxl(p).claims["claim_id"].tolist() == ["E1:killed", "E1:injured"]


def test_qualifiers_and_rules(tmp_path):
    p = tmp_path / "q.csv"
    p.write_text(
        "#date,#affected+killed,#meta+qualifier,#meta+rule\n"
        "2024-12-01,100,more than,\n"
        "2024-12-01,100,at_least,my_rule\n"
        "2024-12-01,100,lots,\n"
        "2024-12-01,100,range,\n"
    )
    got = read_hxl(p)
    c = got.claims
    assert c["qualifier"].astype(str).tolist() == ["more_than", "at_least"]
    assert c["low"].tolist() == [101, 100]
    assert c["rule"].tolist() == ["more_than", "my_rule"]
    r = got.rejects
    assert "unknown qualifier" in r["reason"].iloc[0]
    # a contract check over several columns gives one reject naming them
    last = r[r["source_row"] == 5]
    assert len(last) == 1 and last["column"].iloc[0] == "qualifier,value,low,high"
    assert got.accounted


def test_normalise_and_detect():
    assert normalise_tag("#affected +killed +civilians") == "#affected+civilians+killed"
    assert normalise_tag("# Heading") is None or not is_tag_row(["# Heading"])
    assert not is_tag_row(["# Claims"])
    assert is_tag_row(["#date", "", "#affected+killed", "free text"])
    metrics, fields = map_columns(["#affected+killed+max", "#date", "#date+end", "#org"])
    assert metrics == {"killed": {"high": 0}}
    assert fields == {"period_end": 2, "counted_by": 3}


def test_errors(tmp_path):
    p = tmp_path / "n.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(SchemaError, match="no HXL hashtag row"):
        read_hxl(p)
    p.write_text("a,b\n#date,#adm1+name\n2024-12-01,Idlib\n")
    with pytest.raises(
        SchemaError,
        match="no count column: expected a hashtag of a metric "
        r"\(#affected\+killed",
    ):
        read_hxl(p)
