"""``python -m stats data``: verify raw checksums, ingest, validate, write data/processed/."""

from __future__ import annotations

import argparse
from pathlib import Path

from stats import config

HELP = (
    "Rebuild data/processed/<dataset>/ from data/raw/ (checksums, ingest, validate, derive); "
    "with --known-on, the derived tables as known on a day"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw",
        type=Path,
        default=config.RAW,
        help="raw folder (data/raw; the datasets are described in the hand folder beside it)",
    )
    parser.add_argument(
        "--out", type=Path, default=config.PROCESSED, help="output folder (data/processed)"
    )
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="skip the checksum check (for scratch folders only)",
    )
    parser.add_argument(
        "--known-on",
        default=None,
        metavar="DATE",
        help="instead of rebuilding: write each dataset's derived tables as they could have"
        " been made on DATE (YYYY-MM-DD), from its processed claims published by then, to"
        " <out>/<dataset>/as-known-on-DATE/ (for `report --known-on DATE`)",
    )
    parser.add_argument(
        "--include-unreviewed",
        action="store_true",
        help="also write <out>/<dataset>/with-unreviewed/: the tables with the candidates no"
        " analyst has reviewed yet let in (marked as such in note and build.json)",
    )
    parser.add_argument(
        "--dataset",
        action="append",
        default=None,
        help="with --known-on: this dataset only (repeatable; default: every one built)",
    )
    parser.add_argument(
        "--verify-only",
        action="store_true",
        help="only check the raw files against SHA256SUMS (run by every make data/report)",
    )


def run(args: argparse.Namespace) -> int:
    from stats import disk, pipeline
    from stats.days import as_day

    if args.verify_only:
        files = disk.verify_checksums(args.raw)
        print(f"{args.raw}: {len(files)} raw files match SHA256SUMS")
        return 0
    if args.known_on is not None:
        hand = Path(args.raw).parent / "hand"
        day = as_day(args.known_on, "--known-on")
        written = pipeline.build_known_on(day, args.dataset, args.out, hand)
        print("wrote: " + ", ".join(pipeline.shown(p) for p in written))
        return 0
    summary = pipeline.build(
        args.raw, args.out, verify=not args.no_verify, include_unreviewed=args.include_unreviewed
    )
    print(summary.text())
    return 0
