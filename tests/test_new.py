"""``python -m stats new``: a new dataset that `make data`, the report and stats.load take."""

from __future__ import annotations

import pandas as pd
import pytest

import stats
from stats import contract, disk, pipeline, report
from stats.cli import main
from stats.commands.new import create_dataset
from stats.datasets import read_dataset
from stats.errors import UserError

TEXT = (
    "DATE: 2025-04-14\nURL: https://example.org/r1\n\n"
    "At least 120 civilians have been killed in El Fasher since April 10, the Syrian "
    "Observatory for Human Rights said.\n"
)
CLAIM = (
    "S1,civilians_killed,100,at_least,,,,2025-04-10,2025-04-13,2025-04-13,El Fasher,,SOHR,"
    'AFP,https://example.org/afp,"At least 100 civilians were killed.",,,\n'
)


@pytest.fixture
def folders(tmp_path):
    raw, hand = tmp_path / "raw", tmp_path / "hand"
    raw.mkdir()
    (raw / "SHA256SUMS").write_text("")
    return raw, hand


def test_new_creates_both_folders_with_contract_headers_and_checksums(folders):
    raw, hand = folders
    written = create_dataset("sudan-2025", "Sudan: El Fasher", "2025-04-01", "SDN", raw, hand)
    ds = raw / "sudan-2025"
    assert {p.name for p in written} >= {"README.md", "claims.csv", "events.csv", "sources.yml"}
    assert (ds / "texts").is_dir()
    header = (ds / "claims.csv").read_text().strip().split(",")
    machine = ("source_file", "source_row", "inferred")
    assert header == [c for c in contract.CLAIMS_COLUMNS if c not in machine]
    assert (ds / "events.csv").read_text().strip().split(",") == list(contract.EVENTS_COLUMNS[1:])
    assert "texts/" in (ds / "README.md").read_text()
    assert len(disk.verify_checksums(raw)) == 4  # every new file listed and matching
    meta = read_dataset("sudan-2025", hand)
    assert (meta.title, meta.start, meta.country) == (
        "Sudan: El Fasher",
        pd.Timestamp("2025-04-01"),
        "SDN",
    )


def test_new_without_country(folders):
    raw, hand = folders
    create_dataset("gaza-2025", "Gaza", "2025-03-18", None, raw, hand)
    assert read_dataset("gaza-2025", hand).country is None


@pytest.mark.parametrize(
    "argv, message",
    [
        (["Sudan_2025", "--title", "t", "--start", "2025-01-01"], "dataset name 'Sudan_2025'"),
        (["ok", "--title", "t", "--start", "2025-02-30"], "not a date"),
        (["ok", "--title", "t", "--start", "01/02/2025"], "not a date"),
        (["ok", "--title", "t", "--start", "2025-01-01", "--country", "Sudan"], "alpha-3"),
        (["ok", "--title", " ", "--start", "2025-01-01"], "--title"),
    ],
)
def test_new_refuses_bad_arguments_with_one_line(folders, capsys, argv, message):
    raw, hand = folders
    code = main(["new", *argv, "--raw", str(raw), "--hand", str(hand)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert not any(raw.iterdir()) or [p.name for p in raw.iterdir()] == ["SHA256SUMS"]
    assert not hand.exists()


def test_new_refuses_an_existing_dataset_and_writes_nothing(folders):
    raw, hand = folders
    create_dataset("ds", "One", "2025-01-01", None, raw, hand)
    sums = (raw / "SHA256SUMS").read_bytes()
    with pytest.raises(UserError, match="exists already"):
        create_dataset("ds", "Two", "2025-02-01", None, raw, hand)
    assert (raw / "SHA256SUMS").read_bytes() == sums
    assert read_dataset("ds", hand).title == "One"


def test_a_new_dataset_builds_loads_and_reports(folders, tmp_path):
    from stats.commands.new import add_checksums

    raw, hand = folders
    create_dataset("sudan-2025", "Sudan", "2025-04-01", "SDN", raw, hand)
    ds = raw / "sudan-2025"
    # the analyst appends curated rows to the empty claims.csv and adds a report text
    claims = ds / "claims.csv"
    claims.write_text(claims.read_text() + CLAIM)
    (ds / "texts" / "r1.txt").write_text(TEXT)
    add_checksums(raw, [claims, ds / "texts" / "r1.txt"])
    out = tmp_path / "processed"
    summary = pipeline.build(raw, out)
    assert summary.review["sudan-2025"]["pending"] == 1
    ledger = stats.load("claims", dataset="sudan-2025", processed=out)
    assert ledger["claim_id"].tolist() == ["S1"]  # the extracted figure waits for review
    page = report.build_report("sudan-2025", processed=out, out=tmp_path / "reports")
    assert page.is_file()
    numbers = (page.parent / "numbers.json").read_text()
    assert '"pending": 1' in numbers


def test_the_report_of_a_dataset_without_claims_says_so(folders, tmp_path):
    raw, hand = folders
    create_dataset("empty", "Empty", "2025-01-01", None, raw, hand)
    out = tmp_path / "processed"
    pipeline.build(raw, out)
    with pytest.raises(UserError, match="no claims yet"):
        report.build_report("empty", processed=out, out=tmp_path / "reports")
