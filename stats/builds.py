"""What a build was made from: ``data/processed/<dataset>/build.json``, and the build before
it, kept as ``data/processed/<dataset>/previous/``.

The record names every input (checksums of the dataset's raw files and of the hand files: the
vocabularies and the dataset's ``dataset.yml`` and ``decisions.csv``), every table written
(checksums), the review queue's counts and the headline numbers (the latest combined estimate
of every series). It holds no clock time, so rebuilding the same inputs writes the same bytes.

When a build writes a record that differs from the one already there, the tables it replaces
are kept in ``previous/`` (one build back), which :mod:`stats.diff` compares with by default;
a rebuild of the same inputs leaves ``previous/`` as it was.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from stats import disk

#: Name of the build record in a processed dataset folder.
RECORD = "build.json"
#: The folder holding the build before the current one.
PREVIOUS = "previous"
#: Version of the record's layout.
RECORD_VERSION = 1


def input_checksums(raw_paths: list[Path], raw: Path, hand: Path, dataset: str) -> dict:
    """``{"raw": {path: sha256}, "hand": {path: sha256}}`` of what a dataset is built from:
    its raw files (paths relative to *raw*) and the hand files (the vocabularies directly in
    *hand* and the files of ``<hand>/<dataset>/``, relative to *hand*)."""
    hand_paths = [p for p in hand.glob("*.csv")] + [
        p for p in (hand / dataset).rglob("*") if p.is_file() and not p.name.startswith(".")
    ]
    return {
        "raw": {p.relative_to(raw).as_posix(): disk.sha256(p) for p in sorted(raw_paths)},
        "hand": {p.relative_to(hand).as_posix(): disk.sha256(p) for p in sorted(hand_paths)},
    }


def headline(estimates: pd.DataFrame) -> list[dict]:
    """The latest combined estimate of every series (metric, location, subgroup) of an
    Estimates table as written (text columns): date, low, best, high (``None`` = open) and
    claims, sorted by series."""
    e = estimates[estimates["counter"] == "combined"].sort_values("date", kind="stable")
    last = e.groupby(["metric", "location", "subgroup"], dropna=False, sort=True).tail(1)
    last = last.sort_values(["metric", "location", "subgroup"], kind="stable", na_position="first")

    def text(v):
        return None if pd.isna(v) else str(v)

    def count(v):
        return None if pd.isna(v) else int(v)

    return [
        {
            "metric": str(r.metric),
            "location": text(r.location),
            "subgroup": text(r.subgroup),
            "date": str(r.date),
            "low": count(r.low),
            "best": count(r.best),
            "high": count(r.high),
            "n_claims": count(r.n_claims),
        }
        for r in last.itertuples(index=False)
    ]


def record(
    dataset: str,
    inputs: dict,
    outputs: list[Path],
    counts: dict,
    include_unreviewed: bool,
) -> dict:
    """The build record of one dataset folder (see the module docstring): *counts* are the
    rows of the ledger, rejects and review queue; the conflicts and headline are read from
    the tables written."""
    folder = outputs[0].parent
    conflicts = disk.read_csv_text(folder / "conflicts.csv")
    return {
        "version": RECORD_VERSION,
        "dataset": dataset,
        "include_unreviewed": include_unreviewed,
        "inputs": inputs,
        "outputs": {p.name: disk.sha256(p) for p in sorted(outputs)},
        "counts": {**counts, "conflicts": int(len(conflicts))},
        "headline": headline(disk.read_csv_text(folder / "estimates.csv")),
    }


def write_record(rec: dict, folder: Path) -> Path:
    """Write ``build.json`` (sorted keys, two-space indent, final newline)."""
    path = Path(folder) / RECORD
    path.write_text(json.dumps(rec, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_record(path: Path) -> dict:
    """Read a build record (a ``build.json`` or the folder holding one)."""
    from stats.errors import UserError

    path = Path(path)
    path = path / RECORD if path.is_dir() else path
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"{path}: no build record ({exc.strerror}); run `make data`") from exc
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: not a build record (invalid JSON: {exc})") from exc


@contextmanager
def keeping_previous(folder: Path) -> Iterator[None]:
    """Around the writing of a dataset's tables into *folder*: when the new ``build.json``
    differs from the old one, the files it replaced become ``<folder>/previous/``; otherwise
    ``previous/`` is left alone (a rebuild of the same inputs changes nothing).

    The old files are copied to a staging folder first, so an interrupted build leaves the
    last kept build in place.
    """
    folder = Path(folder)
    staged = folder / ".previous-staged"
    shutil.rmtree(staged, ignore_errors=True)
    old_files = sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    old_record = (folder / RECORD).read_bytes() if (folder / RECORD).is_file() else None
    if old_files:
        staged.mkdir()
        for p in old_files:
            shutil.copy2(p, staged / p.name)
    try:
        yield
    except BaseException:  # interrupted or failed: the folder holds the last kept build
        shutil.rmtree(staged, ignore_errors=True)
        raise
    new_record = (folder / RECORD).read_bytes() if (folder / RECORD).is_file() else None
    if old_files and new_record != old_record:
        shutil.rmtree(folder / PREVIOUS, ignore_errors=True)
        staged.rename(folder / PREVIOUS)
    else:
        shutil.rmtree(staged, ignore_errors=True)
