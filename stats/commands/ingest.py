"""``python -m stats ingest FILE -o OUT``: read an ACLED, UCDP GED, HXL, IOM DTM or Claims CSV
into a validated Claims table, or a list of named victims into VictimRecords (layout detected
from the header unless ``--format`` is given). Exits 1 when every row is rejected (as
``validate`` does when any is).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = (
    "Read an ACLED, UCDP GED, HXL, IOM DTM or Claims CSV into a validated Claims table, "
    "or a victim list into VictimRecords"
)

FORMATS = ("acled", "ucdp", "hxl", "dtm", "claims", "victims")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="input CSV")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="input layout (default: detected from the header)",
    )
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        required=True,
        metavar="OUT",
        help="output: OUT.csv (Claims or VictimRecords CSV), OUT.parquet, or OUT.hxl.csv "
        "(HXL-tagged CSV, claims only), chosen by the name's ending",
    )
    parser.add_argument(
        "--rejects",
        type=Path,
        default=None,
        metavar="REJECTS.csv",
        help="write the rejected rows here (default: OUT's name with "
        ".rejects.csv, only when rows were rejected)",
    )
    parser.add_argument(
        "--published",
        default=None,
        metavar="YYYY-MM-DD",
        help="ucdp only: the release date of the file, recorded as each claim's published "
        "date (default: each event's date_end)",
    )
    parser.add_argument(
        "--name", default=None, help="name recorded in source_file (default: FILE as given)"
    )


def _rejects_path(out: Path) -> Path:
    stem = out.name
    for ending in (".hxl.csv", ".parquet", ".csv"):
        if stem.endswith(ending):
            stem = stem[: -len(ending)]
            break
    return out.with_name(stem + ".rejects.csv")


def run(args: argparse.Namespace) -> int:
    from stats import disk, export
    from stats.days import as_day
    from stats.errors import UserError
    from stats.ingest.detect import read_any

    published = as_day(args.published, "--published")
    out = disk.writable(args.out, create=False)  # refuse data/raw or a folder before reading
    disk.writable(args.rejects or _rejects_path(out), create=False)
    options = {"published": published} if published is not None else {}
    got = read_any(args.file, name=args.name or str(args.file), layout=args.format, **options)
    table = got.records if got.layout == "victims" else got.claims
    if out.name.endswith(".hxl.csv"):
        if got.layout == "victims":
            raise UserError(f"{out}: victim records are written as .csv or .parquet, not HXL")
        export.write_hxl_csv(table, out, kind="claims")
    elif out.suffix == ".parquet":
        disk.write_parquet(table, out)
    else:
        disk.write_csv(table, out)
    accepted = getattr(got, "n_accepted", len(table))
    what = "records" if got.layout == "victims" else "claims"
    print(
        f"{got.source_file} ({got.layout}): {got.n_read} rows read, {accepted} accepted, "
        f"{got.n_rejected} rejected; {len(table)} {what} -> {out}",
        file=sys.stderr,
    )
    if got.n_rejected or args.rejects:
        rej = args.rejects or _rejects_path(Path(args.out))
        disk.write_csv(got.rejects, rej)
        print(f"rejects -> {rej}", file=sys.stderr)
    if got.n_read and not accepted:
        print(f"{got.source_file}: every row was rejected", file=sys.stderr)
        return 1
    return 0
