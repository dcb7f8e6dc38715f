"""``python -m stats interpolate FILE.csv``: daily series from a Claims or Estimates file."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "Daily low/best/high from a Claims CSV (dedupe + reconcile first) or an Estimates CSV"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from stats.interpolate import METHODS
    from stats.reconcile import RULES

    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE.csv",
        help="a Claims CSV or an Estimates CSV (python -m stats reconcile)",
    )
    parser.add_argument("--out", type=Path, default=Path("."), help="output folder (.)")
    parser.add_argument(
        "--method",
        choices=sorted(METHODS),
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
        choices=sorted(RULES),
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
    """Read an Estimates CSV with its dtypes, validated."""
    import pandas as pd

    from stats import schema
    from stats.errors import SchemaError, UserError

    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    cols = schema.Estimates.to_schema().columns
    missing = [c for c in cols if c not in df]
    if missing:
        raise SchemaError(
            f"{path}: missing column(s) {', '.join(missing)}; expected a Claims or an Estimates CSV"
        )
    try:
        for c, col in cols.items():
            dt = str(col.dtype)
            if "datetime" in dt:
                df[c] = pd.to_datetime(df[c], format="%Y-%m-%d").astype("datetime64[ns]")
            elif dt == "Int64":
                df[c] = pd.array(pd.to_numeric(df[c]), dtype="Int64")
            else:
                df[c] = df[c].astype("str")
        return schema.Estimates.validate(df[list(cols)])
    except (ValueError, TypeError) as exc:
        raise UserError(f"{path}: not a valid Estimates table: {exc}") from exc


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from stats import io, schema
    from stats.commands.reconcile import load_claims, parse_day
    from stats.interpolate import interpolate
    from stats.reconcile import reconcile

    header = pd.read_csv(args.file, nrows=0).columns if Path(args.file).exists() else []
    out = Path(args.out)
    written = []
    if "claim_ids" in header:
        est = read_estimates_csv(args.file)
    else:
        claims = load_claims(args.file)
        est, conf = reconcile(
            claims,
            known_on=parse_day(args.known_on, "--known-on"),
            rule=args.rule,
            start=parse_day(args.series_start, "--series-start"),
        )
        written += [
            io.write_csv(schema.Estimates.validate(est), out / "estimates.csv"),
            io.write_csv(schema.Conflicts.validate(conf), out / "conflicts.csv"),
        ]
    daily = interpolate(
        est,
        start=parse_day(args.start, "--start"),
        end=parse_day(args.end, "--end"),
        method=args.method,
    )
    written.append(io.write_csv(schema.Daily.validate(daily), out / "daily.csv"))
    n_series = daily[["metric", "location", "subgroup", "counter"]].drop_duplicates().shape[0]
    print(
        f"{n_series} series x counters, {len(daily)} days "
        f"({int(daily['is_reported'].sum())} reported, {int(daily['is_nowcast'].sum())} "
        f"nowcast), method {args.method}"
    )
    print("wrote: " + ", ".join(str(p) for p in written))
    return 0
