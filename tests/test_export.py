"""Exports: HXL CSV that round-trips through our HXL reader, Parquet, Frictionless package."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import GOOD_ROWS, claims_csv

from stats import config, contract, disk, export
from stats.cli import main
from stats.errors import UserError
from stats.ingest.claims import read_claims_csv
from stats.ingest.detect import read_any
from stats.ingest.hxl import read_hxl

FORMATS = Path(__file__).parent / "data" / "formats"
FILES = [
    FORMATS / "acled" / "acled_syria_sample.csv",
    FORMATS / "ucdp" / "ged251_syria_sample.csv",
    FORMATS / "dtm" / "dtm_admin1_syria_sample.csv",
    FORMATS / "hxl" / "hdx_casualties_sample.csv",
]


@pytest.fixture(scope="module")
def claims(tmp_path_factory) -> pd.DataFrame:
    p = tmp_path_factory.mktemp("c") / "curated.csv"
    p.write_text(claims_csv(GOOD_ROWS), encoding="utf-8")
    parts = [read_claims_csv(p, name="curated.csv").claims]
    parts += [read_any(f, name=f.name).claims for f in FILES]
    c = pd.concat(parts, ignore_index=True)
    # awkward text: formulas, quotes, commas, a line break, non-ASCII, a leading minus
    c.loc[0, "quote"] = '=HYPERLINK("http://evil.example","click")'
    c.loc[1, "quote"] = '"826 dead", says the monitor,\nincluding 111 civilians'
    c.loc[2, "note"] = "-12 on the list"
    c.loc[3, "location_detail"] = "Ḥārim, Idleb"
    c.loc[4, "reported_by"] = "@monitor"
    return contract.Claims.validate(c)


def test_claims_round_trip_through_hxl(claims, tmp_path):
    assert set(claims["qualifier"].astype(str)) >= {"exact", "at_least", "about", "vague"}
    path = export.write_hxl_csv(claims, tmp_path / "claims.hxl.csv")
    got = read_hxl(path, name="claims.hxl.csv")
    assert got.rejects.empty and got.accounted
    pd.testing.assert_frame_equal(got.claims, claims)


def test_hxl_layout_keeps_uncertainty(claims, tmp_path):
    path = export.write_hxl_csv(claims, tmp_path / "c.hxl.csv")
    with open(path, encoding="utf-8", newline="") as f:
        header, tags, first = next(iter([list(csv.reader(f))[:3]]))
    assert tags[header.index("killed")] == "#affected+killed"
    assert tags[header.index("killed low")] == "#affected+killed+min"
    assert tags[header.index("killed high")] == "#affected+killed+max"
    assert tags[header.index("qualifier")] == "#meta+qualifier"
    assert tags[header.index("rule")] == "#meta+rule"
    assert tags[header.index("idps")] == "#affected+idps+ind"


def test_csv_exports_neutralise_formulas(claims, tmp_path):
    export.export_tables({"claims": claims}, tmp_path, ("hxl", "datapackage"))
    for name in ("claims.hxl.csv", "claims.csv"):
        with open(tmp_path / name, encoding="utf-8", newline="") as f:
            cells = [c for row in csv.reader(f) for c in row]
        assert '\'=HYPERLINK("http://evil.example","click")' in cells
        assert "'-12 on the list" in cells and "'@monitor" in cells
        assert not any(c.startswith(("=", "@", "-", "+")) for c in cells)


def test_estimates_and_daily_tags():
    est = pd.DataFrame(
        {
            "metric": ["killed", "idps"],
            "location": ["Syria", "Syria"],
            "date": pd.to_datetime(["2024-12-01", "2024-12-01"]),
            "low": pd.array([5, 10], dtype="Int64"),
            "best": pd.array([6, 12], dtype="Int64"),
            "high": pd.array([None, 15], dtype="Int64"),
        }
    )
    t = export.hxl_table(est)
    assert export.table_kind(est) == "estimates"
    assert t.iloc[0].tolist() == [
        "#meta+metric",
        "#loc+name",
        "#date",
        "#affected+killed",
        "#affected+killed+min",
        "#affected+killed+max",
        "#affected+idps+ind",
        "#affected+idps+ind+min",
        "#affected+idps+ind+max",
    ]
    assert t.iloc[1].tolist()[3:] == ["6", "5", "", "", "", ""]
    daily = est.rename(columns={"low": "cum_low", "best": "cum_best", "high": "cum_high"})
    daily["new_best"] = pd.array([1, None], dtype="Int64")
    tags = export.hxl_table(daily).iloc[0].tolist()
    assert "#affected+killed+new" in tags and "#affected+idps+ind+max" in tags


def test_unknown_metric_and_raw_folder_refused(tmp_path):
    bad = pd.DataFrame({"metric": ["deaths"], "value": [1], "low": [1], "high": [1]})
    with pytest.raises(UserError, match="cannot tag metric.*deaths"):
        export.hxl_table(bad)
    with pytest.raises(UserError, match="refusing to write under data/raw"):
        export.write_hxl_csv(bad, config.RAW / "x.hxl.csv")
    with pytest.raises(UserError, match="unknown export format"):
        export.export_tables({"claims": bad}, tmp_path, ("xlsx",))


def test_datapackage_is_valid_frictionless(claims, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    from stats.pipeline import derive_tables

    estimates, daily, conflicts = derive_tables(claims)
    tables = {"claims": claims, "estimates": estimates, "daily": daily, "conflicts": conflicts}
    paths = export.export_tables(tables, tmp_path, ("datapackage",))
    pkg = tmp_path / "datapackage.json"
    assert pkg in paths
    desc = json.loads(pkg.read_text(encoding="utf-8"))
    assert [r["name"] for r in desc["resources"]] == list(tables)
    fields = {f["name"]: f for f in desc["resources"][0]["schema"]["fields"]}
    assert fields["value"]["type"] == "integer" and fields["published"]["type"] == "date"
    assert "killed" in fields["metric"]["constraints"]["enum"]
    report = frictionless.validate(str(pkg))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert report.stats["tasks"] == len(tables)


def test_parquet_round_trip(claims, tmp_path):
    (path,) = export.export_tables({"claims": claims}, tmp_path, ("parquet",))
    pd.testing.assert_frame_equal(disk.load("claims", path.parent), claims, check_categorical=False)


def test_cli_ingest_and_export(tmp_path, capsys):
    out = tmp_path / "acled.csv"
    assert main(["ingest", str(FILES[0]), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "(acled): 8 rows read, 5 accepted, 3 rejected" in err
    assert (tmp_path / "acled.rejects.csv").exists()
    assert (
        main(["ingest", "--format", "ucdp", str(FILES[1]), "-o", str(tmp_path / "g.parquet")]) == 0
    )
    assert (
        main(["ingest", str(FILES[1]), "--published", "2025-06-01", "-o", str(tmp_path / "g.csv")])
        == 0
    )
    assert set(pd.read_csv(tmp_path / "g.csv")["published"]) == {"2025-06-01"}
    assert (
        main(["ingest", str(FILES[0]), "--published", "2025-06-01", "-o", str(tmp_path / "a2.csv")])
        == 2
    )
    assert "do not apply to the acled layout" in capsys.readouterr().err
    assert main(["ingest", str(FILES[2]), "-o", str(tmp_path / "d.hxl.csv")]) == 0
    assert read_hxl(tmp_path / "d.hxl.csv").claims["metric"].eq("idps").all()
    proc = tmp_path / "processed"
    disk.write_parquet(read_claims_csv(out).claims, proc / "ds" / "claims.parquet")
    assert (
        main(["export", "--processed", str(proc), "--tables", "claims", "-o", str(tmp_path / "x")])
        == 0
    )
    assert {p.name for p in (tmp_path / "x").iterdir()} == {
        "claims.hxl.csv",
        "claims.parquet",
        "claims.csv",
        "datapackage.json",
    }
    assert (
        main(
            [
                "export",
                "--claims",
                str(FILES[3]),
                "--tables",
                "claims",
                "--formats",
                "hxl",
                "-o",
                str(tmp_path / "y"),
            ]
        )
        == 0
    )
    assert (
        main(["ingest", str(FORMATS / "acled" / "README.md"), "-o", str(tmp_path / "z.csv")]) == 2
    )
    assert "not in a known layout" in capsys.readouterr().err
