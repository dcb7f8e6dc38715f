"""Read claims already in the ledger's layout (curated CSV, or an exported Claims table)."""

from __future__ import annotations

from pathlib import Path

from stats.disk import read_csv_text
from stats.ingest import Ingested
from stats.schema import validate


def read_claims_csv(path: Path | str, name: str | None = None) -> Ingested:
    """Read and validate a CSV in the Claims layout.

    Parameters
    ----------
    path
        The CSV file (UTF-8, a header row with Claims columns).
    name
        How the file is named in ``source_file`` and in messages (default: the path).

    Returns
    -------
    Ingested
        Valid claims, rejects and the number of rows read.
    """
    name = name or str(path)
    df = read_csv_text(path)
    valid, rejects = validate(df, source_file=name)
    return Ingested(valid, rejects, len(df), name, "claims")
