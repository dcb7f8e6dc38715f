"""``python -m stats interpolate FILE.csv``: daily series from a Claims or Estimates file."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "Daily low/best/high from a Claims CSV (dedupe + reconcile first) or an Estimates CSV"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from stats.choices import COMBINE_RULES, INTERPOLATION_METHODS

    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE.csv",
        help="a Claims CSV or an Estimates CSV (python -m stats reconcile)",
    )
    parser.add_argument("--out", type=Path, default=Path("."), help="output folder (.)")
    parser.add_argument(
        "--method",
        choices=list(INTERPOLATION_METHODS),
        default="pchip",
        help="how best is drawn between reports (pchip)",
    )
    parser.add_argument(
        "--start", metavar="YYYY-MM-DD", help="first calendar day (default: each series' start)"
    )
    parser.add_argument(
        "--end",
        metavar="YYYY-MM-DD",
        help="last calendar day; days after the last report are a nowcast",
    )
    parser.add_argument(
        "--rule",
        choices=sorted(COMBINE_RULES),
        default="median",
        help="for a Claims file: how counters are combined (median)",
    )
    parser.add_argument(
        "--known-on",
        metavar="YYYY-MM-DD",
        help="for a Claims file: only claims published by this day",
    )
    parser.add_argument(
        "--series-start",
        metavar="YYYY-MM-DD",
        help="for a Claims file: the first day counted (default: the earliest period_start)",
    )


def read_estimates_csv(path: Path):
    """Read an Estimates CSV with its dtypes, validated (:func:`stats.disk.read_table`)."""
    from stats import contract, disk
    from stats.errors import SchemaError

    header = disk.read_head(path, 1)
    missing = [c for c in contract.Estimates.to_schema().columns if c not in header[0]]
    if missing:
        raise SchemaError(
            f"{path}: missing column(s) {', '.join(missing)}; expected a Claims or an Estimates CSV"
        )
    return disk.read_table(path, "estimates")


def run(args: argparse.Namespace) -> int:
    from stats import contract, disk
    from stats.commands.reconcile import load_claims
    from stats.days import as_day
    from stats.errors import UserError
    from stats.interpolate import interpolate
    from stats.reconcile import reconcile

    start, end = as_day(args.start, "--start"), as_day(args.end, "--end")
    known_on = as_day(args.known_on, "--known-on")
    out = disk.writable_folder(args.out, create=False)  # refuse data/raw before the work
    header = disk.read_head(args.file, 1)
    if not header:
        raise UserError(f"{args.file}: the file is empty (expected a Claims or an Estimates CSV)")
    tables = {}
    if "claim_ids" in header[0]:
        est = read_estimates_csv(args.file)
    else:
        claims = load_claims(args.file)
        est, conf = reconcile(
            claims,
            known_on=known_on,
            rule=args.rule,
            start=as_day(args.series_start, "--series-start"),
        )
        tables = {"estimates": contract.Estimates.validate(est)}
        tables["conflicts"] = contract.Conflicts.validate(conf)
    daily = interpolate(est, start=start, end=end, method=args.method)
    tables["daily"] = contract.Daily.validate(daily)
    with disk.staged_folder(out) as stage:  # the files together, or none
        for name, table in tables.items():
            disk.write_csv(table, stage / f"{name}.csv")
    written = [out / f"{name}.csv" for name in tables]
    n_series = daily[["metric", "location", "subgroup", "counter"]].drop_duplicates().shape[0]
    print(
        f"{n_series} series x counters, {len(daily)} days "
        f"({int(daily['is_reported'].sum())} reported, {int(daily['is_nowcast'].sum())} "
        f"nowcast), method {args.method}"
    )
    print("wrote: " + ", ".join(str(p) for p in written))
    return 0
