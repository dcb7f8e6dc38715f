"""Rejects rows: one per problem, naming file, row, column, offending value and reason.

:func:`failure_rejects` is the one place pandera failure cases become Rejects rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats.contract.checks import CHECKS, reason
from stats.errors import SchemaError


def rejects_frame(source_file, rows, column, value, why) -> pd.DataFrame:
    """A Rejects table for rows *rows*; ``source_file``, ``column`` and ``why`` (the reason)
    are each one value for every row or one per row."""
    n = len(rows)

    def each(x):
        return [x] * n if isinstance(x, str) or x is None else list(x)

    return pd.DataFrame(
        {
            "source_file": pd.Series(each(source_file), dtype="str"),
            "source_row": pd.Series(np.asarray(rows), dtype="Int64"),
            "column": pd.Series(each(column), dtype="str"),
            "value": pd.Series(list(value), dtype="str"),
            "reason": pd.Series(each(why), dtype="str"),
        }
    )


def _shown(v: object) -> str:
    """A cell as a reject names it: dates as ``YYYY-MM-DD``, missing as empty."""
    if v is None or pd.isna(v):
        return ""
    if isinstance(v, pd.Timestamp):
        return f"{v:%Y-%m-%d}"
    return str(v)


def failure_rejects(
    failure_cases: pd.DataFrame, table: pd.DataFrame, rows, source_file: str
) -> pd.DataFrame:
    """Turn pandera's failure cases (``lazy=True``) into Rejects rows.

    Parameters
    ----------
    failure_cases
        ``SchemaErrors.failure_cases`` of validating *table*.
    table
        The table validated (positional index), for the values a table-wide check read.
    rows
        The source row of each row of *table*.
    source_file
        Named in every reject.

    Returns
    -------
    DataFrame
        A Rejects table: one row per failing cell of a column check (the cell's value), then
        one per row failing a table-wide check (the columns of :data:`CHECKS` it reads, and
        their values as ``name=value``); the reason from :data:`CHECKS`.

    Raises
    ------
    SchemaError
        For failures of the whole table (a missing column, a wrong dtype), which no row
        explains.
    """
    fc = failure_cases
    whole = fc[fc["index"].isna()]
    if len(whole):
        raise SchemaError(
            f"{source_file}: "
            + "; ".join(f"{r.column}: {r.check} ({r.failure_case})" for r in whole.itertuples())
        )
    rows = np.asarray(rows)
    cell = fc[fc["schema_context"] == "Column"]
    wide = fc[fc["schema_context"] == "DataFrameSchema"].drop_duplicates(["index", "check"])
    checks = wide["check"].astype("str").tolist()
    wide_idx = wide["index"].astype("int64").to_numpy()
    involved = [CHECKS[c].columns if c in CHECKS else () for c in checks]
    frames = [
        rejects_frame(
            source_file,
            rows[cell["index"].astype("int64").to_numpy()],
            cell["column"].astype("str"),
            cell["failure_case"].astype("str"),
            [
                reason(c, col)
                for c, col in zip(
                    cell["check"].astype("str"), cell["column"].astype("str"), strict=True
                )
            ],
        ),
        rejects_frame(
            source_file,
            rows[wide_idx],
            [",".join(cols) for cols in involved],
            [
                " ".join(f"{k}={_shown(table.at[i, k])}" for k in cols)
                for i, cols in zip(wide_idx, involved, strict=True)
            ],
            [reason(c) for c in checks],
        ),
    ]
    return pd.concat(frames, ignore_index=True)
