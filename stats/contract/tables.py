"""What the rest of the code needs to know about a table, derived from its pandera model:
its columns in order, their dtypes, and an empty table of the right shape."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from stats import vocab


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
