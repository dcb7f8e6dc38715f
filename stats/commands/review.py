"""``python -m stats review [DATASET] [--port N]``: the review page of a dataset's queue."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from stats import config

HELP = "Open the review page of a dataset's candidates on 127.0.0.1 (decisions to data/hand/)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", nargs="?", help="dataset (default: the only one built)")
    parser.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (default 0: a free port, printed)"
    )
    parser.add_argument(
        "--reviewer", default=None, help="who decides (recorded; default: the login name)"
    )
    parser.add_argument("--processed", type=Path, default=config.PROCESSED, help="processed folder")
    parser.add_argument("--hand", type=Path, default=config.HAND, help="hand folder (data/hand)")


def run(args: argparse.Namespace) -> int:
    from stats.datasets import processed_folder
    from stats.errors import UserError
    from stats.review.app import create_app, serve

    if not 0 <= args.port <= 65535:
        raise UserError(f"--port {args.port}: expected 0 (a free port) to 65535")
    folder = processed_folder(args.dataset, args.processed)
    reviewer = args.reviewer or getpass.getuser()
    app = create_app(folder.name, folder.parent, args.hand, reviewer)
    try:
        serve(
            app,
            args.port,
            ready=lambda url: print(f"review {folder.name} at {url} (Ctrl-C stops)", flush=True),
        )
    except OSError as exc:
        raise UserError(f"--port {args.port}: cannot listen on 127.0.0.1 ({exc.strerror})") from exc
    return 0
