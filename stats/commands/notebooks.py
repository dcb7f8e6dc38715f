"""``python -m stats notebooks``: execute notebooks/*.ipynb into reports/notebooks/.

Each notebook runs top to bottom in a fresh ``python3`` kernel started from the running
interpreter (so the virtual environment's ``ipykernel`` and ``stats`` are the ones used), with
the repository root as working directory (so ``import stats`` finds this checkout's package
even when the installed copy is stale; notebooks find files through :mod:`stats.config`). The executed copies, outputs included, are
written to ``reports/notebooks/``; the notebooks in git stay stripped of outputs.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from stats import config
from stats.errors import UserError

HELP = "Execute notebooks/*.ipynb (fresh kernel each) into reports/notebooks/"

#: Seconds a single cell may run before the notebook fails.
CELL_TIMEOUT = 120


def notebook_paths(folder: Path = config.NOTEBOOKS) -> list[Path]:
    """The notebooks to run: ``folder/*.ipynb``, sorted by name."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


def execute_notebook(path: Path, out: Path | None = None, timeout: int = CELL_TIMEOUT):
    """Execute one notebook in a fresh ``python3`` kernel; write the executed copy to *out*
    (a folder) when given; return the executed notebook.

    Raises
    ------
    UserError
        When the file is not a notebook or a cell raises (naming the notebook and the cell).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    from stats import disk

    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: not a readable notebook ({exc})") from exc
    # kernel "python3" resolves to this interpreter (jupyter_client maps a kernelspec's
    # "python" to sys.executable), so the kernel sees the same environment as we do
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        resources={"metadata": {"path": str(config.ROOT)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip()
        raise UserError(f"{path}: a cell failed:\n{text}") from exc
    finally:
        if out is not None:
            text = nbformat.writes(nb)
            disk.write_text(text if text.endswith("\n") else text + "\n", Path(out) / path.name)
    return nb


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        metavar="NOTEBOOK.ipynb",
        help="notebooks to run (default: notebooks/*.ipynb)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=config.REPORTS / "notebooks",
        help="where the executed copies go (reports/notebooks/)",
    )
    parser.add_argument(
        "--timeout", type=int, default=CELL_TIMEOUT, help=f"seconds a cell may run ({CELL_TIMEOUT})"
    )


def run(args: argparse.Namespace) -> int:
    from stats import disk

    disk.writable_folder(args.out, create=False)  # refuse data/raw before running anything
    paths = args.notebooks or notebook_paths()
    if not paths:
        raise UserError(f"{config.NOTEBOOKS}: no notebooks (*.ipynb) to run")
    failed = 0
    for path in paths:
        t0 = time.perf_counter()
        try:
            execute_notebook(path, args.out, args.timeout)
        except UserError as exc:
            failed += 1
            print(f"FAILED {path} ({time.perf_counter() - t0:.1f} s)\n{exc}", file=sys.stderr)
            continue
        print(
            f"ok     {path} -> {Path(args.out) / Path(path).name} "
            f"({time.perf_counter() - t0:.1f} s)"
        )
    return 1 if failed else 0
