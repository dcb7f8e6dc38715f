"""Read claims already in the ledger's layout (curated CSV, or an exported Claims table)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from stats.contract import duplicated_ids, validate
from stats.disk import read_csv_text
from stats.ingest import Ingested
from stats.progress import progress

#: Rows validated at a time: bounds the memory taken by validation's intermediate columns
#: (a 200 MB file is not parsed whole) and paces the progress bar.
CHUNK_ROWS = 100_000


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

    Notes
    -----
    Rows are validated :data:`CHUNK_ROWS` at a time (with a progress bar on a terminal);
    valid claims whose ids repeat across chunks are then rejected by the same validation
    (the uniqueness check), with their rows as in the file.
    """
    name = name or str(path)
    df = read_csv_text(path, name)
    starts = range(0, len(df), CHUNK_ROWS)
    valid, rejects = [], []
    for i in progress(starts, desc=f"validating {name}", total=len(starts)):
        v, r = validate(df.iloc[i : i + CHUNK_ROWS], source_file=name, first_row=2 + i)
        valid.append(v)
        rejects.append(r)
    if len(valid) <= 1:
        claims, rej = validate(df, source_file=name) if not valid else (valid[0], rejects[0])
        return Ingested(claims, rej, len(df), name, "claims")
    claims = pd.concat(valid, ignore_index=True)
    repeated = duplicated_ids(claims["claim_id"])  # by sorting: no hash table of every id
    if repeated.any():  # ids repeated across chunks: rejected by the one uniqueness rule
        dups = claims.loc[repeated]
        _, dup_rejects = validate(dups.drop(columns="source_row"), source_file=name)
        rows = dups["source_row"].to_numpy()  # validate numbered them 2, 3, ...
        dup_rejects["source_row"] = pd.array(rows[dup_rejects["source_row"] - 2], dtype="Int64")
        rejects.append(dup_rejects)
        claims = claims.loc[~repeated].reset_index(drop=True)
    rej = pd.concat(rejects, ignore_index=True)
    rej = rej.sort_values(["source_row", "column"], kind="stable").reset_index(drop=True)
    return Ingested(claims, rej, len(df), name, "claims")
