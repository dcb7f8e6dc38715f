"""The shipped datasets (data/raw/syria-2024, data/raw/drc-2025): they build cleanly, every
row accounted for, deterministically; drc-2025's machine-read figures all reviewed."""

import hashlib

import pandas as pd
import pytest

import stats
from stats import config, disk, pipeline, vocab


@pytest.fixture(scope="module")
def built(shipped):
    return shipped


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

    for dataset in ("syria-2024", "drc-2025"):
        assert digest(tmp_path / dataset) == digest(out / dataset), dataset


def test_drc_curated_rows_all_valid(built):
    summary, _out = built
    for name in ("claims.csv", "claims-missed.csv"):
        raw = disk.read_csv_text(config.RAW / "drc-2025" / name)
        f = next(f for f in summary.files if f.file == f"drc-2025/{name}")
        assert f.read == len(raw) == f.accepted and f.rejected == 0, name
    texts = [f for f in summary.files if f.file.startswith("drc-2025/texts/")]
    assert len(texts) == len(list((config.RAW / "drc-2025" / "texts").glob("*.txt")))
    assert all(f.rejected == 0 for f in texts)


def test_drc_every_candidate_reviewed_and_only_decided_ones_in_the_ledger(built):
    _summary, out = built
    queue = disk.read_csv_text(out / "drc-2025" / "candidates.csv")
    decisions = disk.read_csv_text(config.HAND / "drc-2025" / "decisions.csv")
    assert decisions["decision_id"].nunique() >= 40
    # every candidate read now is decided; a decision for a candidate the extractor no longer
    # reads (it read the sentence differently after a change) stays in the file, unapplied
    assert set(queue["candidate_id"]) <= set(decisions["candidate_id"])
    assert (queue["status"] != "pending").all()
    rejected = decisions.loc[decisions["action"] == "reject"]
    assert rejected["reason"].str.len().gt(20).all(), "every rejection says why"
    claims = stats.load("claims", "drc-2025", out)
    from_texts = claims[claims["source_file"].str.startswith("drc-2025/texts/")]
    kept = queue.loc[queue["status"].isin(["accepted", "corrected"]), "candidate_id"]
    assert len(from_texts) == len(kept)
    assert from_texts["note"].str.startswith("reviewed: ").all()
    assert not set(rejected["candidate_id"]) & set(from_texts["claim_id"])
    # the figures of texts/ kept, the curated rows and those the extractor missed: the compilation
    assert len(claims) == 143 and claims["url"].str.match(r"^https?://").all()
    assert claims["quote"].notna().all()
