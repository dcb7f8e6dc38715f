"""``python -m stats diff [OLD] [NEW]``: what changed between two builds of a dataset."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stats import config
from stats.errors import UserError

HELP = (
    "What changed between two builds (default: data/processed/<dataset>/previous/ -> the "
    "current build): claims, estimates that moved, conflicts"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "old", nargs="?", type=Path, help="the earlier build: a processed folder or build.json"
    )
    parser.add_argument(
        "new", nargs="?", type=Path, help="the later build (default: the current one)"
    )
    parser.add_argument(
        "--dataset", default=None, help="dataset of data/processed/ (default: the only one)"
    )
    parser.add_argument("--processed", type=Path, default=config.PROCESSED, help="processed folder")
    parser.add_argument("--json", action="store_true", help="print the changes as JSON")


def run(args: argparse.Namespace) -> int:
    from stats.builds import PREVIOUS
    from stats.datasets import processed_folder
    from stats.diff import diff_builds

    current = processed_folder(args.dataset, args.processed) if args.new is None else None
    new = args.new if args.new is not None else current
    old = args.old
    if old is None:
        old = Path(new) / PREVIOUS
        if not old.is_dir():
            raise UserError(
                f"{old}: no earlier build kept yet (one is kept when a rebuild changes "
                "something); name two builds: python -m stats diff OLD NEW"
            )
    d = diff_builds(old, new)
    if args.json:
        print(json.dumps(d.to_dict(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        print(d.text())
    return 0
