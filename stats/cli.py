"""Command-line entry point: ``python -m stats COMMAND [options]``.

Thin glue. Each command lives in its own module under :mod:`stats.commands`, which defines

* ``HELP``: one line shown by ``python -m stats --help``;
* ``add_arguments(parser)``: adds its options to an :class:`argparse.ArgumentParser`;
* ``run(args) -> int``: does the work and returns the exit code.

Errors a user can cause are raised as :class:`stats.errors.UserError` and printed as one line
(``stats: error: ...``) with exit code 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from stats.errors import UserError

#: command name -> module under ``stats.commands``
COMMANDS: dict[str, str] = {
    "data": "data",
    "validate": "validate",
    "vocab": "vocab",
    "extract": "extract",
    "score-extract": "score_extract",
    "ingest": "ingest",
    "export": "export",
    "reconcile": "reconcile",
    "interpolate": "interpolate",
    "simulate": "simulate",
    "simulate-lists": "simulate_lists",
    "link": "link",
    "mse": "mse",
    "report": "report",
    "notebooks": "notebooks",
}


def _available() -> dict[str, object]:
    mods = {}
    for name, mod in COMMANDS.items():
        try:
            mods[name] = importlib.import_module(f"stats.commands.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"stats.commands.{mod}":
                raise
    return mods


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m stats",
        description="Conflict casualty claims: gather, reconcile, interpolate, report.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, mod in _available().items():
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except UserError as exc:
        print(f"stats: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("stats: interrupted", file=sys.stderr)
        return 130
