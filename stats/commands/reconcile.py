"""``python -m stats reconcile CLAIMS.csv``: dedupe and reconcile any Claims file."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "Dedupe and reconcile a Claims CSV: write estimates.csv, conflicts.csv, dedupe_log.csv"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from stats.choices import COMBINE_RULES

    parser.add_argument("claims", type=Path, metavar="CLAIMS.csv", help="a Claims CSV")
    parser.add_argument("--out", type=Path, default=Path("."), help="output folder (.)")
    parser.add_argument(
        "--rule",
        choices=sorted(COMBINE_RULES),
        default="median",
        help="how counters are combined (median)",
    )
    parser.add_argument(
        "--known-on", metavar="YYYY-MM-DD", help="use only claims published on or before this day"
    )
    parser.add_argument(
        "--start",
        metavar="YYYY-MM-DD",
        help="the series start, the first day counted (default: the earliest period_start)",
    )


def load_claims(path: Path):
    """Read and validate a Claims CSV; raise UserError when rows are rejected."""
    from stats.errors import UserError
    from stats.ingest.claims import read_claims_csv

    got = read_claims_csv(path)
    if got.n_rejected:
        r = got.rejects.iloc[0]
        raise UserError(
            f"{path}: {got.n_rejected} row(s) rejected, e.g. row {r['source_row']}, column "
            f"{r['column']}: {r['reason']} (run `python -m stats validate {path}`)"
        )
    return got.claims


def run(args: argparse.Namespace) -> int:
    from stats import contract, disk
    from stats.days import as_day
    from stats.dedupe import as_known_on, dedupe
    from stats.reconcile import reconcile

    known_on, start = as_day(args.known_on, "--known-on"), as_day(args.start, "--start")
    out = disk.writable_folder(args.out, create=False)  # refuse data/raw before the work
    claims = load_claims(args.claims)
    # the as-of filter comes first: printings published later must not widen a figure
    figures, log = dedupe(as_known_on(claims, known_on), return_log=True)
    est, conf = reconcile(figures, rule=args.rule, start=start)
    with disk.staged_folder(out) as stage:  # the three files together, or none
        written = [
            disk.write_csv(contract.Estimates.validate(est), stage / "estimates.csv"),
            disk.write_csv(contract.Conflicts.validate(conf), stage / "conflicts.csv"),
            disk.write_csv(log, stage / "dedupe_log.csv"),
        ]
    written = [out / p.name for p in written]
    print(
        f"{len(claims)} claims, {len(figures)} distinct figures, "
        f"{est[['metric', 'location', 'subgroup']].drop_duplicates().shape[0]} series, "
        f"{len(est)} estimates, {len(conf)} conflicts"
    )
    for kind, n in conf["kind"].value_counts().sort_index().items():
        print(f"  {n:>5}  {kind}")
    print("wrote: " + ", ".join(str(p) for p in written))
    return 0
