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
    parser.add_argument(
        "--verify-only",
        action="store_true",
        help="only check the raw files against SHA256SUMS (run by every make data/report)",
    )


def run(args: argparse.Namespace) -> int:
    from stats import disk
    from stats.pipeline import build

    if args.verify_only:
        files = disk.verify_checksums(args.raw)
        print(f"{args.raw}: {len(files)} raw files match SHA256SUMS")
        return 0

    summary = build(args.raw, args.out, verify=not args.no_verify)
    print(summary.text())
    return 0
