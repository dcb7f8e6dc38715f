"""The Claims CSV reader: validated in chunks, the same result as at once, a progress bar."""

from __future__ import annotations

import pandas as pd

from stats import progress
from stats.ingest import claims
from tests.conftest import GOOD_ROWS, claims_csv

ROWS = [
    *GOOD_ROWS,
    "A1,killed,5,exact,,,,2024-12-06,2024-12-06,,,,,",  # A1 again: both rejected
    "B9,deaths,5,exact,,,,2024-12-06,2024-12-06,,,,,",
]


def test_chunks_give_the_result_of_one_pass(tmp_path, monkeypatch):
    f = tmp_path / "c.csv"
    f.write_text(claims_csv(ROWS))
    whole = claims.read_claims_csv(f)
    monkeypatch.setattr(claims, "CHUNK_ROWS", 2)
    chunked = claims.read_claims_csv(f)
    pd.testing.assert_frame_equal(chunked.claims, whole.claims)
    pd.testing.assert_frame_equal(chunked.rejects, whole.rejects)
    assert set(whole.rejects["source_row"]) == {2, 7, 8} and chunked.accounted


def test_progress_bar_on_a_terminal_only(tmp_path, monkeypatch, capsys):
    f = tmp_path / "c.csv"
    f.write_text(claims_csv(GOOD_ROWS))
    monkeypatch.setattr(claims, "CHUNK_ROWS", 2)
    monkeypatch.setattr(progress, "progress_enabled", lambda: True)
    claims.read_claims_csv(f, name="c.csv")
    assert "validating c.csv" in capsys.readouterr().err
    monkeypatch.setattr(progress, "progress_enabled", lambda: False)
    claims.read_claims_csv(f, name="c.csv")
    assert capsys.readouterr().err == ""


def test_the_reader_restores_pyarrows_allocator(tmp_path, monkeypatch):
    import pyarrow as pa

    f = tmp_path / "c.csv"
    f.write_text(claims_csv(ROWS))
    monkeypatch.setattr(claims, "CHUNK_ROWS", 2)
    before = pa.default_memory_pool().backend_name
    seen = []
    validate = claims.validate

    def spy(*args, **kwargs):
        seen.append(pa.default_memory_pool().backend_name)
        return validate(*args, **kwargs)

    monkeypatch.setattr(claims, "validate", spy)
    got = claims.read_claims_csv(f)
    assert pa.default_memory_pool().backend_name == before and got.accounted
    assert set(seen) <= {"jemalloc", "system"} and len(seen) == 5  # 4 chunks, then A1 twice
