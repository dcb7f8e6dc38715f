"""Read claims already in the ledger's layout (curated CSV, or an exported Claims table)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa

from stats.contract import duplicated_ids, validate
from stats.disk import read_csv_text
from stats.ingest import Ingested
from stats.progress import progress

#: Rows validated at a time: bounds the memory taken by validation's intermediate columns
#: (a 200 MB file is not parsed whole) and paces the progress bar.
CHUNK_ROWS = 200_000


@contextmanager
def lean_allocator() -> Iterator[None]:
    """pyarrow's allocations on jemalloc (the system allocator where pyarrow has no jemalloc)
    within the block.

    pyarrow's default allocator (mimalloc) keeps the memory of the buffers it frees for its
    own reuse: after a large read, the parse buffers (about half the Arrow table) stay
    mapped, and so do the text columns of each chunk dropped once validated. jemalloc hands
    them back to the system within a second (the peak memory of reading a 200 MB file drops
    from about 3x the Arrow table to about 2x). Buffers are freed by the allocator that made
    them, whichever is the default then.
    """
    pool = pa.default_memory_pool()
    try:
        lean = pa.jemalloc_memory_pool()
    except NotImplementedError:
        lean = pa.system_memory_pool()
    pa.set_memory_pool(lean)
    try:
        yield
    finally:
        pa.set_memory_pool(pool)


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
    Rows are validated :data:`CHUNK_ROWS` at a time (with a progress bar on a terminal), each
    chunk of the file dropped once validated (so that the text no claim keeps is freed as the
    claims are built); valid claims whose ids repeat across chunks are then rejected by the
    same validation (the uniqueness check), with their rows as in the file.
    """
    name = name or str(path)
    with lean_allocator():
        df = read_csv_text(path, name)
        n_read = len(df)
        if n_read <= CHUNK_ROWS:
            claims, rejects = validate(df, source_file=name)
            return Ingested(claims, rejects, n_read, name, "claims")
        chunks = [df.iloc[i : i + CHUNK_ROWS] for i in range(0, n_read, CHUNK_ROWS)]
        del df
        claims, rejects = _validated(chunks, name)
    return Ingested(claims, rejects, n_read, name, "claims")


def _validated(chunks: list[pd.DataFrame], name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate the chunks of a file in turn (emptying *chunks*), then reject the ids repeated
    across chunks; return ``(claims, rejects)``."""
    valid, rejects, first_row = [], [], 2
    for k in progress(range(len(chunks)), desc=f"validating {name}", total=len(chunks)):
        chunk, chunks[k] = chunks[k], None  # (freed once validated)
        v, r = validate(chunk, source_file=name, first_row=first_row)
        first_row += len(chunk)
        del chunk
        valid.append(v)
        rejects.append(r)
    claims = pd.concat(valid, ignore_index=True)
    del valid
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
    return claims, rej
