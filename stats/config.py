"""Paths used across the project. Importing this module has no side effects."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root (the folder holding ``pyproject.toml``). Override with ``STATS_ROOT``.
ROOT = Path(os.environ.get("STATS_ROOT", Path(__file__).resolve().parent.parent))
DATA = ROOT / "data"
RAW = DATA / "raw"
HAND = DATA / "hand"
PROCESSED = DATA / "processed"
REPORTS = ROOT / "reports"
NOTEBOOKS = ROOT / "notebooks"
CHECKSUMS = RAW / "SHA256SUMS"

#: The first day of the offensive that the shipped dataset follows.
SYRIA_2024_START = "2024-11-27"
