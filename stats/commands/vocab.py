"""``python -m stats vocab``: print the curated tables of ``data/hand/`` (metrics, ...)."""

from __future__ import annotations

import argparse

HELP = (
    "Print the curated tables of data/hand/: metrics, qualifier rules, vague terms, sources, "
    "places and their aliases, HXL tags"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "table", nargs="?", help="one table only (a file name of data/hand/ without .csv)"
    )
    parser.add_argument("--format", choices=["text", "csv", "markdown"], default="text")


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from stats.errors import UserError
    from stats.vocab import TABLES

    if args.table is not None and args.table not in TABLES:
        raise UserError(f"no curated table {args.table!r}: expected one of {', '.join(TABLES)}")
    names = [args.table] if args.table else list(TABLES)
    for name in names:
        df = TABLES[name].reset_index(drop=True).astype("object").fillna("")
        if args.format == "csv":
            print(df.to_csv(index=False, lineterminator="\n"), end="")
            continue
        print(f"## {name} (data/hand/{name}.csv)\n")
        if args.format == "markdown":
            print(df.to_markdown(index=False) if _has_tabulate() else df.to_string(index=False))
        else:
            with pd.option_context("display.max_colwidth", 70, "display.width", 200):
                print(df.to_string(index=False))
        print()
    return 0


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True
