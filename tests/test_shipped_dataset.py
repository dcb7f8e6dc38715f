"""The shipped dataset (data/raw/syria-2024): it builds cleanly, every row accounted for, deterministically."""

import hashlib

import pandas as pd
import pytest

import stats
from stats import config, disk, pipeline, vocab


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    summary = pipeline.build(config.RAW, out)
    return summary, out


def test_raw_checksums_verify():
    files = disk.verify_checksums(config.RAW)
    assert any(p.name == "claims.csv" for p in files)


def test_every_row_accounted_for_and_curated_rows_all_valid(built):
    summary, out = built
    raw = disk.read_csv_text(config.RAW / "syria-2024" / "claims.csv")
    f = next(f for f in summary.files if f.file == "syria-2024/claims.csv")
    assert f.read == len(raw)
    assert f.read == f.accepted + f.rejected
    assert f.rejected == 0, summary.rejects.to_string()
    assert summary.unknown_places.empty, "every place of the shipped data is in places.csv"


def test_ledger_content(built):
    _summary, out = built
    claims = stats.load("claims", "syria-2024", out)
    syria = claims[claims["source_file"] == "syria-2024/claims.csv"]
    assert len(syria) >= 150
    assert syria["quote"].notna().all(), "every figure keeps its verbatim quote"
    no_url = syria[syria["url"].isna()]
    assert no_url["note"].str.contains("url", case=False).all(), "a missing url is explained"
    assert syria["url"].dropna().str.match(r"^https?://").all()
    assert set(syria["metric"].astype(str)) <= set(vocab.METRIC_NAMES)
    # the seed article's headline figure is in the ledger as published
    seed = syria[(syria["value"] == 826) & (syria["metric"] == "killed")]
    assert (seed["counted_by"] == "SOHR").all() and len(seed) >= 1
    assert seed["period_start"].iloc[0] == pd.Timestamp("2024-11-27")


def test_events(built):
    _summary, out = built
    events = stats.load("events", "syria-2024", out)
    dates = set(events.loc[events["dataset"] == "syria-2024", "date"].dt.strftime("%Y-%m-%d"))
    assert {"2024-11-27", "2024-12-05", "2024-12-08"} <= dates


def test_rebuild_is_byte_identical(built, tmp_path):
    _summary, out = built
    pipeline.build(config.RAW, tmp_path)

    def digest(folder):
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.iterdir()
            if p.is_file()
        }

    assert digest(tmp_path / "syria-2024") == digest(out / "syria-2024")
