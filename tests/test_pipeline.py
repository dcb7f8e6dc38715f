import hashlib

import pandas as pd
import pytest

import stats
from stats import pipeline
from stats.cli import main
from stats.errors import UserError
from tests.conftest import GOOD_ROWS, claims_csv

BAD_ROWS = [
    "B1,deaths,5,exact,,,,2024-12-06,2024-12-06,,,,,",
    "B2,killed,-3,exact,,,,2024-12-06,2024-12-06,,,,,",
    "B3,killed,7,exact,,,,2024-12-06,06/12/2024,,,,,",
    "B4,killed,,range,900,800,,2024-12-06,2024-12-06,,,,,",
]
EVENTS = "date,event,location,source,url\n2024-11-27,Offensive launched,Idleb,AFP,https://e.org\n"


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_build_accounts_for_every_row_and_is_deterministic(make_raw, tmp_path):
    raw = make_raw(
        {
            "ds/claims.csv": claims_csv(GOOD_ROWS + BAD_ROWS),
            "ds/events.csv": EVENTS,
            "ds/sources.yml": "claims.csv: {origin: test}\n",
        }
    )
    out = tmp_path / "out"
    summary = pipeline.build(raw, out)
    assert summary.read == len(GOOD_ROWS) + len(BAD_ROWS)
    assert summary.accepted == len(GOOD_ROWS)
    assert summary.rejected == len(BAD_ROWS)
    assert summary.read == summary.accepted + summary.rejected
    reasons = summary.by_reason()
    assert reasons.sum() >= len(BAD_ROWS)
    assert any("unknown metric" in r for r in reasons.index)
    first = digests(out / "ds")
    assert {"claims.parquet", "claims.csv", "rejects.csv", "events.csv"} <= set(first)
    pipeline.build(raw, out)
    assert digests(out / "ds") == first, "rebuilding gives byte-identical outputs"

    claims = stats.load("claims", processed=out)
    assert len(claims) == len(GOOD_ROWS)
    assert isinstance(claims["metric"].dtype, pd.CategoricalDtype)
    assert str(claims["value"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(claims["period_end"])
    rejects = stats.load("rejects", processed=out)
    assert set(rejects["source_row"]) == {7, 8, 9, 10}
    assert (rejects["source_file"] == "ds/claims.csv").all()
    # every row of the input is in exactly one of the two outputs
    assert sorted(set(claims["source_row"]) | set(rejects["source_row"])) == list(range(2, 11))


def test_claim_ids_shared_across_files_of_a_dataset_are_rejected(make_raw, tmp_path):
    raw = make_raw(
        {"a/claims.csv": claims_csv(GOOD_ROWS[:2]), "a/more.csv": claims_csv(GOOD_ROWS[1:3])}
    )
    summary = pipeline.build(raw, tmp_path / "out")
    assert summary.read == 4
    assert summary.rejected == 2
    assert summary.read == summary.accepted + summary.rejected
    assert summary.rejects["reason"].str.contains("across files").all()


def test_each_dataset_is_built_and_reconciled_alone(make_raw, tmp_path):
    raw = make_raw(
        {"a/claims.csv": claims_csv(GOOD_ROWS[:2]), "b/claims.csv": claims_csv(GOOD_ROWS[:3])}
    )
    out = tmp_path / "out"
    summary = pipeline.build(raw, out)
    assert (summary.read, summary.rejected) == (5, 0), "a claim id may recur in another dataset"
    with pytest.raises(UserError, match="several datasets"):
        stats.load("claims", processed=out)
    a, b = (stats.load("estimates", dataset=d, processed=out) for d in ("a", "b"))
    assert set(a["metric"]) == {"killed", "civilians_killed"}
    assert "displaced" in set(b["metric"])
    assert set(stats.load("claims", dataset="a", processed=out)["source_file"]) == {"a/claims.csv"}


def test_a_dataset_needs_its_dataset_yml(make_raw, tmp_path):
    raw = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS)}, hand=False)
    with pytest.raises(UserError, match=r"hand/ds/dataset.yml: cannot read"):
        pipeline.build(raw, tmp_path / "out")


def test_claims_directly_under_raw_are_refused(make_raw, tmp_path):
    raw = make_raw({"claims.csv": claims_csv(GOOD_ROWS)})
    with pytest.raises(UserError, match=r"raw files go in a dataset folder"):
        pipeline.build(raw, tmp_path / "out")


def test_known_on_tables_are_written_beside_the_dataset(make_raw, tmp_path, capsys):
    raw = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS)})
    out = tmp_path / "out"
    pipeline.build(raw, out)
    args = ["data", "--raw", str(raw), "--out", str(out), "--known-on"]
    assert main([*args, "2024-12-06"]) == 0
    folder = out / "ds" / "as-known-on-2024-12-06"
    assert {p.name for p in folder.iterdir()} == {"estimates.csv", "daily.csv", "conflicts.csv"}
    est = stats.load("estimates", processed=folder.parent.parent, dataset="ds/" + folder.name)
    assert est["date"].max() <= pd.Timestamp("2024-12-06")
    assert main([*args, "2024-12-01"]) == 2
    assert "no claim of 'ds' was published by then" in capsys.readouterr().err


def test_changed_raw_file_fails_naming_it(make_raw, tmp_path, capsys):
    raw = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS)})
    (raw / "ds" / "claims.csv").write_text(claims_csv(GOOD_ROWS[:1]))
    code = main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")])
    assert code == 2
    err = capsys.readouterr().err
    assert "ds/claims.csv: changed" in err and "Traceback" not in err


def test_data_command_prints_summary(make_raw, tmp_path, capsys):
    raw = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS + BAD_ROWS[:1])})
    assert main(["data", "--raw", str(raw), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "ds/claims.csv" in out and "rejected rows by reason" in out
    assert "total" in out


def test_validate_command_exit_codes(tmp_path, capsys):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(claims_csv(GOOD_ROWS))
    bad.write_text(claims_csv(GOOD_ROWS[:1] + BAD_ROWS[:1]))
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "bad.csv, row 3, column metric: 'deaths': unknown metric" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"metric,value\nkilled,3\n", "missing column"),
    ],
)
def test_validate_command_one_line_errors(tmp_path, capsys, content, message):
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and str(p) in err[0]


def test_non_utf8_row_is_rejected_and_the_rest_go_through(make_raw, tmp_path):
    rows = GOOD_ROWS[:2] + [GOOD_ROWS[2].replace("Keystone-ATS", "Agence Fran\xe7aise")]
    raw = make_raw({"ds/claims.csv": claims_csv(rows).encode("latin-1")})
    summary = pipeline.build(raw, tmp_path / "out")
    assert (summary.read, summary.accepted, summary.rejected) == (3, 2, 1)
    r = summary.rejects.iloc[0]
    assert (r["source_row"], r["column"]) == (4, "reported_by")
    assert "not valid UTF-8" in r["reason"]


def test_bom_file_builds(make_raw, tmp_path):
    raw = make_raw({"ds/claims.csv": b"\xef\xbb\xbf" + claims_csv(GOOD_ROWS).encode()})
    summary = pipeline.build(raw, tmp_path / "out")
    assert (summary.read, summary.rejected) == (len(GOOD_ROWS), 0)


def test_build_reads_every_known_layout_in_a_dataset_folder(make_raw, tmp_path):
    from pathlib import Path

    formats = Path(__file__).parent / "data" / "formats"
    files = {
        "ds/claims.csv": claims_csv(GOOD_ROWS),
        "ds/acled.csv": (formats / "acled" / "acled_syria_sample.csv").read_bytes(),
        "ds/ged.csv": (formats / "ucdp" / "ged251_syria_sample.csv").read_bytes(),
        "ds/dtm.csv": (formats / "dtm" / "dtm_admin1_syria_sample.csv").read_bytes(),
        "ds/hxl.csv": (formats / "hxl" / "hdx_casualties_sample.csv").read_bytes(),
    }
    raw = make_raw(files)
    summary = pipeline.build(raw, tmp_path / "out")
    layouts = {f.file: f.layout for f in summary.files}
    assert layouts["ds/claims.csv"] == "claims"
    assert {"ds/acled.csv", "ds/ged.csv", "ds/dtm.csv", "ds/hxl.csv"} <= set(layouts)
    for f in summary.files:
        assert f.read == f.accepted + f.rejected, f
    claims = stats.load("claims", processed=tmp_path / "out")
    assert {"ACLED", "UCDP", "IOM"} <= set(claims["counted_by"].dropna())
