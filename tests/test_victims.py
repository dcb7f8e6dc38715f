"""Victim lists -> VictimRecords (stats.victims, stats.ingest.victims), the ingest command,
layout detection and ``make data``."""

from __future__ import annotations

import json

import pandas as pd
import pandera.errors
import pytest

import stats
from stats import pipeline
from stats.cli import main
from stats.errors import SchemaError
from stats.ingest.detect import detect_layout, read_any
from stats.ingest.victims import read_victims
from stats.victims import VICTIM_COLUMNS, VictimRecords, empty_victims

LIST = (
    "record_id,name,sex,age,date,place,source_note\n"
    "1,Mohammed al-Hassan,m,34,2013-05-02,Homs,from the hospital\n"
    "2,محمد الحسن,ذكر,30-39,2013-05,حمص,\n"
    "3,Fatima Khalil,F,60+,2013,Aleppo,\n"
    "4,,m,34,2013-05-02,Homs,\n"
    "5,Ali,x,200,2013-02-30,Homs,\n"
    "5,Ali Omar,m,,,Homs,\n"
    "7,Omar Ali,u,,,,\n"
)


@pytest.fixture
def list_file(tmp_path):
    path = tmp_path / "ministry.csv"
    path.write_text(LIST, encoding="utf-8")
    return path


def test_reader_parses_ages_dates_and_sexes(list_file):
    got = read_victims(list_file, name="ministry.csv")
    r = VictimRecords.validate(got.records).set_index("record_id")
    assert list(got.records.columns) == list(VICTIM_COLUMNS)
    assert (r["list"] == "ministry").all()  # the file's name
    assert r.loc["1", ["age_low", "age_high"]].tolist() == [34, 34]
    assert r.loc["2", ["age_low", "age_high"]].tolist() == [30, 39]
    assert r.loc["3", "age_low"] == 60 and pd.isna(r.loc["3", "age_high"])
    assert r.loc["2", "date_start"] == pd.Timestamp("2013-05-01")
    assert r.loc["2", "date_end"] == pd.Timestamp("2013-05-31")
    assert r.loc["3", "date_end"] == pd.Timestamp("2013-12-31")
    assert r.loc["2", "sex"] == "male" and r.loc["3", "sex"] == "female"
    assert pd.isna(r.loc["7", "sex"]) and pd.isna(r.loc["7", "date_start"])
    assert json.loads(r.loc["1", "fields"]) == {"source_note": "from the hospital"}
    assert pd.isna(r.loc["2", "fields"])
    assert r.loc["2", "name"] == "محمد الحسن"


def test_every_row_accounted_for_with_reasons(list_file):
    got = read_victims(list_file, name="ministry.csv")
    assert got.n_read == 7 and got.accounted
    assert len(got.records) == 4 and got.n_rejected == 3
    rej = got.rejects
    assert set(rej["source_row"]) == {5, 6, 7}
    by_col = rej.groupby("column")["reason"].first()
    assert by_col["name"].startswith("missing name")
    assert by_col["age"].startswith("not an age")
    assert by_col["date"].startswith("not a date")
    assert by_col["sex"].startswith("unknown sex")
    assert (rej.loc[rej["column"] == "record_id", "source_row"].tolist()) == [6, 7]
    stats.Rejects.validate(rej)


def test_start_after_end_is_rejected(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("record_id,name,date_start,date_end\n1,A B,2013-05-02,2013-05-01\n")
    got = read_victims(path)
    assert got.rejects["reason"].str.contains("out of order").all()
    assert got.accounted and got.records.empty


def test_missing_columns_name_what_is_expected(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("id,full_name\n1,A B\n")
    with pytest.raises(SchemaError, match=r"l\.csv: not a victim list: missing column\(s\) "):
        read_victims(path)


def test_model_rejects_duplicates_and_disordered_ages():
    bad = empty_victims()
    row = {c: None for c in VICTIM_COLUMNS} | {
        "list": "a", "record_id": "1", "name": "x", "source_file": "f", "source_row": 2,
        "age_low": 40, "age_high": 30,
    }  # fmt: skip
    df = pd.concat([bad, pd.DataFrame([row, row])], ignore_index=True).astype(bad.dtypes)
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        VictimRecords.validate(df, lazy=True)
    checks = set(info.value.failure_cases["check"].astype(str))
    assert "ages_ordered" in checks and any("unique" in c for c in checks)


def test_detected_and_read_by_read_any(list_file):
    assert detect_layout(list_file) == "victims"
    got = read_any(list_file)
    assert got.layout == "victims" and len(got.records) == 4


def test_ingest_command_writes_records_and_rejects(list_file, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["ingest", "--format", "victims", str(list_file), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "7 rows read, 4 accepted, 3 rejected; 4 records" in err
    assert len(pd.read_csv(out)) == 4
    assert len(pd.read_csv(tmp_path / "out.rejects.csv")) == 6
    assert main(["ingest", str(list_file), "-o", str(tmp_path / "o.hxl.csv")]) == 2


def test_make_data_picks_up_lists(make_raw, tmp_path):
    raw = make_raw({"ds/lists/ministry.csv": LIST, "ds/lists/hospital.csv": LIST})
    out = tmp_path / "out"
    summary = pipeline.build(raw, out)
    assert [f.layout for f in summary.files] == ["victims", "victims"]
    assert summary.read == 14 and summary.accepted == 8 and summary.rejected == 6
    victims = stats.load("victims", processed=out)
    assert sorted(victims["list"].unique()) == ["hospital", "ministry"]
    assert (victims["source_file"].str.startswith("ds/lists/")).all()
    assert len(stats.load("victim_rejects", processed=out)) == 12


def test_make_data_refuses_a_record_id_in_two_files(make_raw, tmp_path):
    with_list = LIST.replace("record_id,name,", "list,record_id,name,").replace("\n", "\nsame,")
    with_list = with_list.removesuffix("same,")
    raw = make_raw({"ds/lists/a.csv": with_list, "ds/lists/b.csv": with_list})
    with pytest.raises(stats.errors.UserError, match=r"ds/lists/a\.csv, row 2: record_id '1'"):
        pipeline.build(raw, tmp_path / "out")
