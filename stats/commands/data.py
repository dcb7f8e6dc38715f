"""``python -m stats data``: verify raw checksums, ingest, validate, write data/processed/."""

from __future__ import annotations

import argparse
from pathlib import Path

from stats import config

HELP = "Rebuild data/processed/ from data/raw/ (checksums, ingest, validate, derive)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", type=Path, default=config.RAW, help="raw folder (data/raw)")
    parser.add_argument(
        "--out", type=Path, default=config.PROCESSED, help="output folder (data/processed)"
    )
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="skip the checksum check (for scratch folders only)",
    )


def run(args: argparse.Namespace) -> int:
    from stats.pipeline import build

    summary = build(args.raw, args.out, verify=not args.no_verify)
    print(summary.text())
    return 0
