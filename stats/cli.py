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
import signal
import sys
import threading
from collections.abc import Iterable

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
    "new": "new",
    "review": "review",
    "diff": "diff",
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


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The parser of ``python -m stats``, with the options of *commands* (default: every
    command). :func:`main` adds only those of the command run: listing some options' choices
    imports the modules behind them."""
    parser = argparse.ArgumentParser(
        prog="python -m stats",
        description="Conflict casualty claims: gather, reconcile, interpolate, report.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, mod in _available().items():
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        if commands is None or name in commands:
            mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit code. A :class:`UserError` or a failed write
    (``OSError``: read-only or full disk) is one ``stats: error:`` line and exit 2; Ctrl-C is
    one line and exit 130, at any moment (a library being imported may turn it into another
    error: it is still Ctrl-C)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    interrupted: list[int] = []
    previous = None
    try:
        previous = _catch_ctrl_c(interrupted)
        command = next((a for a in argv if not a.startswith("-")), None)
        parser = build_parser([command] if command in COMMANDS else [])
        args = parser.parse_args(argv)
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("stats: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if interrupted:
            print("stats: interrupted", file=sys.stderr)
            return 130
        return _user_error(exc)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _catch_ctrl_c(interrupted: list[int]):
    """Raise KeyboardInterrupt on Ctrl-C as usual, noting it in *interrupted*; returns the
    handler it replaced (None outside the main thread, where handlers cannot be set)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def on_ctrl_c(signum, _frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    return signal.signal(signal.SIGINT, on_ctrl_c)


def _user_error(exc: Exception) -> int:
    """The exit code and one line for an error the user can cause; re-raise anything else."""
    if isinstance(exc, BrokenPipeError):
        return 0
    if isinstance(exc, UserError):
        print(f"stats: error: {exc}", file=sys.stderr)
        return 2
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"stats: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    raise exc
