"""Datasets: what ``data/hand/<dataset>/dataset.yml`` says about each, and where its processed
tables live.

A dataset is a folder of raw inputs, ``data/raw/<dataset>/``, described by
``data/hand/<dataset>/dataset.yml`` (reviewed by hand):

* ``title`` -- what the dataset follows, in words;
* ``start`` -- the day counting begins for every series (``YYYY-MM-DD``), passed to
  reconciliation and interpolation;
* ``country`` -- the country it covers (a name or an ISO 3166-1 alpha-3 code; may be
  empty).

``python -m stats new`` (:mod:`stats.commands.new`) starts a dataset: both folders and the file.

Its tables are written to ``data/processed/<dataset>/`` and each dataset is reconciled alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from stats import config, disk
from stats.errors import ArgumentError, UserError
from stats.parse.dates import read_date

#: The keys of ``dataset.yml``, each with what it must be.
KEYS: dict[str, str] = {
    "title": "text",
    "start": "a date (YYYY-MM-DD)",
    "country": "text (optional)",
}


@dataclass(frozen=True)
class Dataset:
    """One dataset: its folder name and what its ``dataset.yml`` says."""

    name: str
    title: str
    start: pd.Timestamp
    country: str | None


def dataset_names(hand: Path | str | None = None) -> list[str]:
    """The datasets described under *hand* (``data/hand/``): folders with a ``dataset.yml``,
    sorted."""
    folder = Path(hand if hand is not None else config.HAND)
    return sorted(p.parent.name for p in folder.glob("*/dataset.yml"))


def read_dataset(name: str, hand: Path | str | None = None) -> Dataset:
    """Read and check ``<hand>/<name>/dataset.yml``.

    Raises
    ------
    UserError
        When the file is missing or unreadable, or a key is missing or of the wrong kind
        (naming the file and the key).
    """
    import yaml

    path = Path(hand if hand is not None else config.HAND) / name / "dataset.yml"
    try:
        meta = disk.read_yaml(path)
    except OSError as exc:
        raise UserError(
            f"{path}: cannot read ({exc.strerror}); every dataset folder of data/raw/ needs "
            f"one, with {', '.join(KEYS)}"
        ) from exc
    except yaml.YAMLError as exc:
        raise UserError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(meta, dict):
        raise UserError(f"{path}: expected the keys {', '.join(KEYS)}")
    for key, what in KEYS.items():
        value = meta.get(key)
        ok = isinstance(value, dt.date) if key == "start" else isinstance(value, str) and value
        if key == "country" and value is None:
            ok = True
        if key == "start" and isinstance(value, str | dt.date):
            try:  # the one date grammar: YYYY-MM-DD, in range
                read_date(value, "start")
                ok = True
            except ArgumentError:
                ok = False
        if not ok:
            raise UserError(f"{path}: {key}: expected {what}, found {value!r}")
    return Dataset(name, meta["title"], pd.Timestamp(meta["start"]), meta.get("country"))


def processed_datasets(processed: Path | str | None = None) -> list[str]:
    """The datasets built under *processed* (``data/processed/``): folders holding a claims
    table, sorted."""
    base = Path(processed if processed is not None else config.PROCESSED)
    return sorted({p.parent.name for p in base.glob("*/claims.*")})


def processed_folder(dataset: str | None = None, processed: Path | str | None = None) -> Path:
    """``<processed>/<dataset>/``: where a dataset's tables are (``data/processed/``; the
    dataset by default is the only one built there).

    Raises
    ------
    UserError
        When no dataset is named and there is none built, or several (naming them).
    """
    base = Path(processed if processed is not None else config.PROCESSED)
    if dataset is not None:
        return base / dataset
    names = processed_datasets(base)
    if len(names) != 1:
        raise UserError(
            f"{base}: "
            + (
                f"several datasets ({', '.join(names)}): name one (dataset=...)"
                if names
                else "no processed dataset; run `make data` first"
            )
        )
    return base / names[0]


def known_on_folder(folder: Path, known_on) -> Path:
    """Where the derived tables of a dataset as known on a date are:
    ``<folder>/as-known-on-YYYY-MM-DD/``."""
    return Path(folder) / f"as-known-on-{pd.Timestamp(known_on):%Y-%m-%d}"


def load(
    name: str = "claims", dataset: str | None = None, processed: Path | str | None = None
) -> pd.DataFrame:
    """Load a processed table of a dataset by name (``claims``, ``rejects``, ``estimates``,
    ``daily``, ``conflicts``, ``events``), validated, with proper dtypes.

    Parameters
    ----------
    name
        The table.
    dataset
        The dataset (a folder of ``data/processed/``); default: the only one described.
    processed
        The processed folder (``data/processed/``).

    Raises
    ------
    UserError
        When the table has not been built (run ``make data``) or the name is unknown.
    """
    from stats.disk import load as load_table

    return load_table(name, processed_folder(dataset, processed))
