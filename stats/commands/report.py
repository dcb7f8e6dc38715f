"""``python -m stats report``: build the HTML report of a dataset from data/processed/."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from stats import config
from stats.errors import UserError

HELP = "Build reports/<dataset>/index.html (+ numbers.json, charts) from data/processed/"


def _known_on(text: str):
    """``--known-on``: an ISO date (:func:`stats.days.as_day`) that is not after today."""
    import pandas as pd

    from stats.days import as_day

    day = as_day(text, "--known-on")
    if day is not None and day > pd.Timestamp.today():
        raise UserError(
            f"--known-on: {text} is after today: the report as known on a day to come is "
            "today's report (leave --known-on out)"
        )
    return day


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dataset",
        default=None,
        help="dataset folder under data/processed/ (default: the only one built)",
    )
    parser.add_argument(
        "--known-on",
        default=None,
        metavar="DATE",
        help="build the report as it could have been made on DATE (YYYY-MM-DD):"
        " only claims published by then, with the tables of `python -m stats data"
        " --known-on DATE`; written to <out>/<dataset>-as-known-on-DATE/",
    )
    parser.add_argument(
        "--include-unreviewed",
        action="store_true",
        help="the report with the candidates no analyst has reviewed let in (the tables of"
        " `python -m stats data --include-unreviewed`); written to <out>/<dataset>-with-unreviewed/",
    )
    parser.add_argument("--out", type=Path, default=config.REPORTS, help="output folder (reports/)")
    parser.add_argument(
        "--processed",
        type=Path,
        default=config.PROCESSED,
        help="processed tables to read (data/processed/, built by `make data`)",
    )


def run(args: argparse.Namespace) -> int:
    from stats import disk
    from stats.report import build_report

    known_on = _known_on(args.known_on)
    disk.writable_folder(args.out, create=False)  # refuse data/raw before doing the work
    if not Path(args.processed).is_dir():
        raise UserError(f"{args.processed}: no processed tables; run `make data` first")
    t0 = time.perf_counter()
    page = build_report(
        args.dataset,
        known_on=known_on,
        out=args.out,
        processed=args.processed,
        include_unreviewed=args.include_unreviewed,
    )
    print(f"wrote {page} and {page.parent / 'numbers.json'} ({time.perf_counter() - t0:.1f} s)")
    return 0
