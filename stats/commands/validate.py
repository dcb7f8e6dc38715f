"""``python -m stats validate FILE.csv``: check a Claims CSV; exit 1 when rows are rejected."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "Validate a Claims CSV: print each problem (file, row, column, reason); exit 1 if any"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE.csv")
    parser.add_argument("--rejects", type=Path, help="also write the rejects table to this CSV")


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from stats import disk
    from stats.ingest.claims import read_claims_csv

    if args.rejects:
        disk.writable(args.rejects, create=False)  # refuse data/raw before the work
    all_rejects = []
    status = 0
    for path in args.files:
        got = read_claims_csv(path)
        all_rejects.append(got.rejects)
        for r in got.rejects.itertuples(index=False):
            row = "" if pd.isna(r.source_row) else f", row {r.source_row}"
            col = "" if pd.isna(r.column) else f", column {r.column}"
            val = "" if pd.isna(r.value) else f": {r.value!r}"
            print(f"{r.source_file}{row}{col}{val}: {r.reason}")
        print(
            f"{path}: {got.n_read} rows read, {len(got.claims)} valid, {got.n_rejected} rejected",
            file=sys.stderr,
        )
        if got.n_rejected:
            status = 1
    if args.rejects:
        disk.write_csv(pd.concat(all_rejects, ignore_index=True), args.rejects)
    return status
