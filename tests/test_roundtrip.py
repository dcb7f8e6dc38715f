"""Every processed table reads back exactly as it was written (issue 13, point 4).

Claims, Rejects, Estimates, Daily, Conflicts, Events and VictimRecords (with their rejects),
built by the pipeline, get text that
a spreadsheet would take for a formula (``=E1``, ``-2+3``, ``@SUM(A1)``), quotes, commas, line
breaks, padding and any Unicode in every free-text column; each is written by its writer
(:func:`stats.disk.write_csv`, :func:`stats.disk.write_parquet`) and read back by its reader
(:func:`stats.load`), and must come back equal. Only the spreadsheet exports neutralise
formulas.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stats
from stats import contract, disk, export, pipeline
from stats.ingest.claims import read_claims_csv
from tests.conftest import DATASET_YML, GOOD_ROWS, claims_csv, write_sums
from tests.test_victims import LIST as VICTIMS

#: A count that falls later (a non_monotone conflict with A1).
FALLING = (
    "C1,killed,900,exact,,,2024-11-27,2024-12-03,2024-12-03,Syria,OSDH,AFP,"
    'https://example.org/c,"900 dead since November 27"'
)
BAD_ROWS = [
    "B1,deaths,5,exact,,,,2024-12-06,2024-12-06,,,,,",
    "B2,killed,-3,exact,,,,2024-12-06,2024-12-06,,,,,",
]
EVENTS = "date,event,location,source,url\n2024-11-27,Offensive launched,Idleb,AFP,https://e.org\n"
TABLES = (
    "claims", "rejects", "estimates", "daily", "conflicts", "events", "victims", "victim_rejects"
)  # fmt: skip

#: Text that spreadsheets, CSV or careless readers get wrong.
TRICKY = st.sampled_from(
    [
        "=E1",
        "=1+1",
        "-2+3",
        "+cmd",
        "@SUM(A1)",
        "'=already quoted",
        "\tTabbed",
        ' "quoted", with commas ',
        "line\nbreak",
        "cr\r\nlf",
        " ",
        "NA",
        "null",
        "nan",
        "None",
        "#N/A",
        "1e5",
        "007",
        "Ḥamāh – حماة",
    ]
)
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, pd.DataFrame]:
    top = tmp_path_factory.mktemp("top")
    raw = top / "raw"
    (raw / "ds").mkdir(parents=True)
    (top / "hand" / "ds").mkdir(parents=True)
    (top / "hand" / "ds" / "dataset.yml").write_text(DATASET_YML)
    (raw / "ds" / "claims.csv").write_text(claims_csv(GOOD_ROWS + [FALLING] + BAD_ROWS))
    (raw / "ds" / "events.csv").write_text(EVENTS)
    (raw / "ds" / "lists").mkdir()
    (raw / "ds" / "lists" / "ministry.csv").write_text(VICTIMS)
    write_sums(raw)
    out = top / "processed"
    pipeline.build(raw, out)
    return {name: stats.load(name, "ds", out) for name in TABLES}


def free_text_columns(name: str) -> dict[str, tuple[bool, bool]]:
    """Text columns without a vocabulary: ``{column: (nullable, unique)}`` (a column of a key
    of several columns, such as VictimRecords' list and record_id, is drawn unique too)."""
    models = {"claims": contract.Claims, "rejects": contract.Rejects, **contract.TABLE_MODELS}
    schema = models[name].to_schema()
    cols, key = schema.columns, set(schema.unique or ())
    return {
        c: (col.nullable, col.unique or c in key)
        for c, col in cols.items()
        if str(col.dtype).startswith("str") and not col.checks
    }


@st.composite
def tables(draw, base: pd.DataFrame, name: str) -> pd.DataFrame:
    df = base.copy()
    n = len(df)
    for c, (nullable, unique) in free_text_columns(name).items():
        cell = st.one_of(TRICKY, TEXT, st.none()) if nullable else st.one_of(TRICKY, TEXT)
        values = draw(st.lists(cell, min_size=n, max_size=n, unique=unique))
        df[c] = pd.Series(values, index=df.index, dtype="str")
    return df


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_table_round_trips_through_its_writer_and_reader(built, name, fmt):
    base = built[name]
    assert len(base) and free_text_columns(name), f"{name}: nothing to vary"

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(tables(base, name))
    def round_trip(table):
        with tempfile.TemporaryDirectory() as folder:
            writer = disk.write_csv if fmt == "csv" else disk.write_parquet
            writer(table, Path(folder) / f"{name}.{fmt}")
            back = stats.load(name, folder)
        pd.testing.assert_frame_equal(back, table)

    round_trip()


def test_formula_text_is_kept_in_processed_files_and_neutralised_in_exports(make_raw, tmp_path):
    row = GOOD_ROWS[0].replace("A1,killed", "=E1,killed").replace(",OSDH,", ",=1+1,")
    raw = make_raw({"ds/claims.csv": claims_csv([row, *GOOD_ROWS[1:]])})
    out = tmp_path / "processed"
    pipeline.build(raw, out)
    for claims in (stats.load("claims", "ds", out), read_claims_csv(out / "ds/claims.csv").claims):
        assert "=E1" in set(claims["claim_id"]) and "=1+1" in set(claims["counted_by"])
    assert "=E1" in (out / "ds/estimates.csv").read_text()
    (hxl,) = export.export_tables({"claims": stats.load("claims", "ds", out)}, tmp_path, ("hxl",))
    with open(hxl, encoding="utf-8", newline="") as f:
        cells = {c for row in csv.reader(f) for c in row}
    assert "'=E1" in cells and "=E1" not in cells
