"""``python -m stats export -o DIR``: write the processed tables as HXL-tagged CSV, Parquet and a
Frictionless data package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stats import config

HELP = "Export claims/estimates/daily as HXL CSV, Parquet and a Frictionless data package"

TABLES = ("claims", "estimates", "daily", "conflicts")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--out", type=Path, required=True, metavar="DIR", help="output folder"
    )
    parser.add_argument(
        "--tables",
        nargs="+",
        default=None,
        choices=TABLES,
        metavar="TABLE",
        help=f"tables to export, among {', '.join(TABLES)} (default: every one "
        "that has been built)",
    )
    parser.add_argument(
        "--formats",
        nargs="+",
        default=["hxl", "parquet", "datapackage"],
        choices=["hxl", "parquet", "datapackage"],
        metavar="FORMAT",
        help="hxl (<table>.hxl.csv), parquet (<table>.parquet), datapackage "
        "(datapackage.json + <table>.csv); default: all three",
    )
    parser.add_argument(
        "--processed",
        type=Path,
        default=config.PROCESSED,
        metavar="DIR",
        help="where the processed tables are (default: data/processed)",
    )
    parser.add_argument(
        "--dataset",
        default=None,
        help="the dataset under the processed folder (default: the only one built)",
    )
    parser.add_argument(
        "--claims",
        type=Path,
        default=None,
        metavar="FILE",
        help="export this file (any layout `stats ingest` reads) as the "
        "claims table instead of the processed ledger",
    )


def run(args: argparse.Namespace) -> int:
    from stats import disk, export
    from stats.datasets import load
    from stats.errors import UserError

    out = disk.writable_folder(args.out, create=False)  # refuse data/raw before the work
    tables = {}
    wanted = args.tables or list(TABLES)
    for name in wanted:
        if name == "claims" and args.claims is not None:
            from stats.ingest.detect import read_any

            tables[name] = read_any(args.claims).claims
            continue
        try:
            tables[name] = load(name, args.dataset, args.processed)
        except UserError:
            if args.tables:
                raise
    if not tables:
        raise UserError(
            f"{args.processed}: no processed tables to export; run `make data` "
            "first or pass --claims FILE"
        )
    with disk.staged_folder(out) as stage:  # the files together (a data package whole), or none
        paths = export.export_tables(tables, stage, tuple(args.formats))
    for p in paths:
        print(out / p.name)
    print(
        f"exported {', '.join(tables)} as {', '.join(args.formats)} -> {args.out}", file=sys.stderr
    )
    return 0
