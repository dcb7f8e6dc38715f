"""The review page's disk: the queue as built, the decisions made since, and the one
writer of ``data/hand/<dataset>/decisions.csv``.

Decisions are appended atomically: the whole table (earlier rows as read, the new ones
after) is written to a temporary file in the same folder, flushed to disk (``fsync``) and
renamed over the old file, so a server killed mid-write leaves the file as it was before or
after the write, never half written, and loses no earlier decision.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pandas as pd

from stats import candidates, disk
from stats.errors import UserError


def read_queue(folder: Path) -> pd.DataFrame:
    """``candidates.csv`` of a processed dataset folder, as text columns.

    Raises
    ------
    UserError
        When the dataset has no queue (not built).
    """
    path = Path(folder) / "candidates.csv"
    if not path.is_file():
        raise UserError(f"{path}: no review queue; run `make data` first")
    return disk.read_csv_text(path)


def with_decisions(queue: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """The queue with each candidate's status and last decision as in *decisions* (made
    since the build, or before it)."""
    last = candidates.last_decisions(decisions).drop_duplicates("decision_id")
    last = last.set_index("candidate_id")
    out = queue.copy()
    known = out["candidate_id"].isin(last.index)
    ids = out.loc[known, "candidate_id"]
    out.loc[known, "status"] = ids.map(last["action"].map(candidates.STATUS)).to_numpy()
    for c in ("decision_id", "reviewer", "decided_at", "reason"):
        out.loc[known, c] = ids.map(last[c]).to_numpy()
    return out


def now_utc() -> str:
    """The time of a decision: UTC, to the second (``2026-12-01T10:30:00Z``)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_decision(
    decisions: pd.DataFrame,
    candidate_id: str,
    action: str,
    reviewer: str,
    reason: str | None = None,
    fields: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The rows of one new decision (one per corrected field), numbered after *decisions*."""
    n = decisions["decision_id"].nunique()
    base = {
        "decision_id": f"D{n + 1}",
        "candidate_id": candidate_id,
        "action": action,
        "reason": reason or None,
        "reviewer": reviewer,
        "decided_at": now_utc(),
    }
    items = sorted((fields or {}).items()) or [(None, None)]
    rows = [{**base, "field": f, "value": v} for f, v in items]
    return pd.DataFrame(rows, columns=list(candidates.DECISION_COLUMNS), dtype="str")


def append_decision(path: Path, rows: pd.DataFrame) -> pd.DataFrame:
    """Append *rows* to ``decisions.csv`` atomically (temporary file, ``fsync``, rename);
    return the whole table written."""
    path = Path(path)
    old = candidates.read_decisions(path)
    table = candidates.Decisions.validate(pd.concat([old, rows], ignore_index=True))
    data = disk.to_csv_bytes(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".decisions-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return table
