"""What the rest of the code needs to know about a table, derived from its pandera model:
its columns in order, their dtypes, and an empty table of the right shape."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

from stats import vocab
from stats.contract.models import ROLES
from stats.errors import SchemaError


def categories() -> dict[str, tuple[str, ...]]:
    """Categories of the categorical columns (the vocabularies they take their values from)."""
    return {"metric": vocab.METRIC_NAMES, "qualifier": vocab.QUALIFIERS}


def columns(model: type[pa.DataFrameModel], optional: bool = False) -> tuple[str, ...]:
    """The model's required columns in contract order (with ``optional=True``, only its
    optional ones).

    Examples
    --------
    >>> from stats.contract.models import Rejects
    >>> columns(Rejects)
    ('source_file', 'source_row', 'column', 'value', 'reason')
    """
    return tuple(
        name for name, col in model.to_schema().columns.items() if col.required != optional
    )


def fields(model: type[pa.DataFrameModel], role: str) -> tuple[str, ...]:
    """The model's columns whose ``Field`` names *role* in its ``metadata["roles"]``, in
    contract order (see :data:`stats.contract.models.ROLES`).

    Examples
    --------
    >>> from stats.contract.models import Claims
    >>> fields(Claims, "summary")
    ('claim_id', 'metric', 'value', 'qualifier', 'period_end', 'counted_by', 'reported_by', 'quote')
    """
    if role not in ROLES:
        raise ValueError(f"{role!r} is not a field role: expected one of {', '.join(ROLES)}")
    return tuple(
        name
        for name, col in model.to_schema().columns.items()
        if role in (col.metadata or {}).get("roles", ())
    )


def dtypes(model: type[pa.DataFrameModel]) -> dict:
    """Column -> pandas dtype of the model's columns (categories from :func:`categories`).

    Examples
    --------
    >>> from stats.contract.models import Rejects
    >>> str(dtypes(Rejects)["source_row"])
    'Int64'
    """
    out = {}
    cats = categories()
    for name, col in model.to_schema().columns.items():
        dtype = col.dtype.type
        if isinstance(dtype, pd.CategoricalDtype) and name in cats:
            dtype = pd.CategoricalDtype(cats[name])
        out[name] = dtype
    return out


def empty(model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """An empty table with the model's required columns and dtypes.

    Examples
    --------
    >>> from stats.contract.models import Rejects
    >>> empty(Rejects).shape
    (0, 5)
    """
    types = dtypes(model)
    return pd.DataFrame({c: pd.Series([], dtype=types[c]) for c in columns(model)})


def require_columns(df: pd.DataFrame, needed: Iterable[str], table: str) -> None:
    """Raise :class:`SchemaError` naming the columns of *needed* that *df* lacks (for code that
    reads only some columns of a *table* and may be given one built by hand).

    Examples
    --------
    >>> require_columns(pd.DataFrame(columns=["metric"]), ["metric", "best"], "Estimates")
    Traceback (most recent call last):
    ...
    stats.errors.SchemaError: Estimates table: missing column(s) best; expected the Estimates contract columns (stats.contract.Estimates; rebuild with `make data`)
    """
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{table} table: missing column(s) {', '.join(missing)}; expected the {table} "
            f"contract columns (stats.contract.{table}; rebuild with `make data`)"
        )
