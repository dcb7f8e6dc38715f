"""``python -m stats link LIST.csv... -o OUTDIR``: match victim lists, count capture patterns."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "Match named victims within and across lists; write clusters, review pairs, patterns"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="victim lists (CSV, one per list; see `ingest --format victims`) or a "
        "VictimRecords table (victims.parquet or victims.csv from `make data`)",
    )
    parser.add_argument("-o", "--out", type=Path, required=True, metavar="OUTDIR")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="match probability at which records are linked (default: stats.linkage.THRESHOLD)",
    )
    parser.add_argument(
        "--periods",
        type=lambda text: [d.strip() for d in text.split(",") if d.strip()],
        default=None,
        metavar="YYYY-MM-DD,...",
        help="first days of the periods that stratify the capture patterns (default: one)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the u estimate (0)")


def _read(paths: list[Path]):
    import pandas as pd

    from stats import disk
    from stats.errors import UserError
    from stats.ingest.victims import read_victims

    tables = []
    for path in paths:
        if not path.is_file():
            raise UserError(f"{path}: no such file")
        if path.name.startswith("victims.") and path.suffix in (".parquet", ".csv"):
            tables.append(disk.load("victims", path.parent))
            continue
        got = read_victims(path)
        if got.n_rejected:
            print(f"{path}: {got.n_rejected} rows rejected (see `ingest`)", file=sys.stderr)
        tables.append(got.records)
    return pd.concat(tables, ignore_index=True)


def run(args: argparse.Namespace) -> int:
    from stats import disk, linkage
    from stats.capture import capture_patterns, check_strata

    out = disk.writable_folder(args.out, create=False)  # refuse data/raw before the work
    records = _read(args.files)
    threshold = linkage.THRESHOLD if args.threshold is None else args.threshold
    result = linkage.link_records(records, threshold=threshold, seed=args.seed)
    patterns = capture_patterns(result.clusters, records, args.periods)
    with disk.staged_folder(out) as stage:  # the four files together, or none
        written = [
            disk.write_csv(result.clusters, stage / "clusters.csv"),
            disk.write_csv(result.review(), stage / "review.csv"),
            disk.write_csv(patterns, stage / "patterns.csv"),
            disk.write_csv(check_strata(patterns), stage / "strata.csv"),
        ]
    written = [out / p.name for p in written]
    people = result.clusters["cluster_id"].nunique()
    print(
        f"{len(records)} records from {records['list'].nunique()} lists -> {people} people "
        f"(threshold {threshold}); wrote {', '.join(str(p) for p in written)}",
        file=sys.stderr,
    )
    return 0
