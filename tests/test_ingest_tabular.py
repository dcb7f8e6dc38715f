"""Shared reader machinery: vectorised parsers, row accounting, text columns."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stats.contract import duplicated_ids
from stats.ingest.tabular import (
    Problems,
    claims_frame,
    const_text,
    finish,
    join_text,
    part,
    stack,
    strip,
)


def test_strip():
    s = pd.Series(["a", "b"], dtype="str")
    assert strip(s) is s  # nothing to strip: no copy
    assert strip(pd.Series([" a ", "  "], dtype="str")).tolist()[0] == "a"
    assert strip(pd.Series([" a ", "  "], dtype="str")).isna().tolist() == [False, True]


def test_text_helpers():
    assert const_text("ACLED", 3).tolist() == ["ACLED"] * 3
    assert const_text(None, 2).isna().all()
    j = join_text(
        [pd.Series(["a", None, None], dtype="str"), pd.Series(["b", "c", None], dtype="str")]
    )
    assert j.tolist()[:2] == ["a / b", "c"] and pd.isna(j[2])
    assert duplicated_ids(pd.Series(["x", "y", "x"], dtype="str")).tolist() == [True, False, True]
    s = pd.Series(["a", "b", "c"], dtype="str")
    both = stack(s, [np.arange(3), np.array([2])], 3)
    assert both.tolist() == ["a", "b", "c", "c"] and both.dtype == "str"
    assert stack(pd.Series([1, 2]), [np.array([1]), np.array([0])], 2).tolist() == [2, 1]


def test_finish_accounts_rows_and_rejects_contract_failures():
    rows = pd.Series([2, 3, 4])
    pb = Problems("f.csv", rows)
    pb.add(np.array([False, False, True]), "x", pd.Series(["", "", "bad"]), "bad x")
    c = claims_frame(
        3,
        claim_id=pd.Series(["a", "b", "c"], dtype="str"),
        metric=pd.Series(["killed", "deaths", "killed"], dtype="str"),
        value=pd.array([1, 2, 3], dtype="Int64"),
        qualifier="exact",
        low=pd.array([1, 2, 3], dtype="Int64"),
        high=pd.array([1, 2, 3], dtype="Int64"),
        period_end=pd.Series(pd.to_datetime(["2024-12-01"] * 3)),
        published=pd.Series(pd.to_datetime(["2024-12-01"] * 3)),
        source_file="f.csv",
        source_row=np.array([2, 3, 4]),
    )
    got = finish([part(c, [2, 3, 4], 0)], pb, 3, "f.csv", "test")
    assert got.claims["claim_id"].tolist() == ["a"]
    assert got.n_accepted == 1 and got.n_rejected == 2 and got.accounted
    r = got.rejects.set_index("source_row")
    assert r.loc[3, "column"] == "metric" and "unknown metric" in r.loc[3, "reason"]


# ---------------------------------------------------------------------------------------------
# every event reader: a date outside the grammar's range is rejected, never wrapped
# ---------------------------------------------------------------------------------------------
FORMATS = Path(__file__).resolve().parent / "data" / "formats"
#: layout, sample file, the header of its date column, the header rows before the data
EVENT_SAMPLES = [
    ("acled", "acled/acled_syria_sample.csv", "event_date", 1),
    ("ucdp", "ucdp/ged251_syria_sample.csv", "date_end", 1),
    ("hxl", "hxl/hdx_casualties_sample.csv", "Date", 2),
    ("dtm", "dtm/dtm_admin1_syria_sample.csv", "reportingDate", 1),
]


@pytest.mark.parametrize("day", ["2262-04-12", "2924-01-05", "9999-12-31", "1600-01-01"])
@pytest.mark.parametrize(("layout", "sample", "column", "header_rows"), EVENT_SAMPLES)
def test_event_readers_reject_dates_out_of_range(
    layout, sample, column, header_rows, day, tmp_path
):
    from stats.ingest.detect import read_any

    rows = list(csv.reader((FORMATS / sample).read_text(encoding="utf-8").splitlines()))
    j = rows[0].index(column)
    rows[header_rows][j] = day  # the first data row
    path = tmp_path / Path(sample).name
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    got = read_any(path, layout=layout)
    row = header_rows + 1  # as a spreadsheet numbers it
    assert row not in set(got.claims["source_row"]), f"{layout}: a {day} row was accepted"
    mine = got.rejects[got.rejects["source_row"] == row]
    assert mine["reason"].str.startswith("date out of range").any(), mine.to_string()
    for c in ("period_start", "period_end", "published"):
        years = got.claims[c].dropna().dt.year
        assert years.between(1900, 2100).all(), f"{layout}: {c} wrapped"
