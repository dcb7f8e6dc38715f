"""The Makefile as a newcomer meets it: ``make help`` and the checksum check on every build."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def make(*args: str, cwd: Path = ROOT) -> str:
    got = subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True
    )
    assert got.returncode == 0, got.stderr
    return got.stdout


def test_help_shows_the_dataset_default():
    out = make("help")
    assert "reports/syria-2024/index.html" in out and "$(DATASET)" not in out
    assert "reports/gaza/index.html" in make("help", "DATASET=gaza")


def test_checksums_are_verified_even_when_nothing_is_rebuilt(tmp_path):
    """A raw file changed behind make's back (an old mtime) must still be noticed."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "data" / "raw" / "ds").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "ds" / "claims.csv").write_text("x\n")
    (tmp_path / "stats").mkdir()
    (tmp_path / "stats" / "x.py").write_text("")
    for name in ("pyproject.toml", "requirements.lock", ".venv/.installed"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "data" / "hand" / "ds").mkdir(parents=True)
    (tmp_path / "data" / "hand" / "ds" / "dataset.yml").write_text("start: 2024-01-01\n")
    (tmp_path / "data" / "processed" / "ds").mkdir(parents=True)
    for name in ("claims.parquet", "claims.csv", "rejects.csv", "events.csv", "candidates.csv",
                 "estimates.csv", "daily.csv", "conflicts.csv", "build.json"):  # fmt: skip
        (tmp_path / "data" / "processed" / "ds" / name).write_text("")
    old = time.time() - 3600
    for p in tmp_path.rglob("*"):
        if "processed" not in p.parts:
            os.utime(p, (old, old))
    for target in ("data", "report"):
        planned = make("-n", target, cwd=tmp_path)
        assert "stats data --verify-only" in planned, planned
        assert "-m stats data\n" not in planned, "up to date: nothing is rebuilt"
