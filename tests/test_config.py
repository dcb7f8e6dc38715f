"""``stats.config``: the paths, under the repository root (``STATS_ROOT`` moves it); importing
the module has no side effects."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from stats import config

ROOT = Path(__file__).resolve().parent.parent


def test_paths_are_under_the_root():
    assert config.ROOT == ROOT
    assert (config.ROOT / "pyproject.toml").is_file()
    for p in (config.RAW, config.HAND, config.PROCESSED, config.REPORTS, config.NOTEBOOKS):
        assert p.is_relative_to(config.ROOT)
    assert config.CHECKSUMS == config.RAW / "SHA256SUMS"
    assert config.HAND.is_dir(), "the hand folder the design names exists"


def test_stats_root_moves_every_path_and_importing_writes_nothing(tmp_path):
    code = "from stats import config; print(config.RAW); print(config.PROCESSED)"
    env = {**os.environ, "STATS_ROOT": str(tmp_path)}
    got = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert got.returncode == 0, got.stderr
    assert got.stdout.split() == [
        str(tmp_path / "data" / "raw"),
        str(tmp_path / "data" / "processed"),
    ]
    assert list(tmp_path.iterdir()) == [], "importing config creates no folder"
