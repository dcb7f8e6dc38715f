"""Columns built with no Python work per row: lists per group as pyarrow list columns, built
from group offsets (``groupby().agg(list)`` calls Python once per group, which is slow for a
million); text and whole-number columns of the output tables; the row pairs of an inner merge
on one integer key (:func:`each_match`); on rows sorted by group and day, the rows a
``merge_asof`` by group picks (:func:`as_of`); runs of equal keys in sorted rows
(:func:`run_starts`, :func:`run_numbers`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _text(values) -> pa.Array:
    """Values as one pyarrow ``large_string`` array (a categorical's names converted once)."""
    arr = pa.array(_as_str(pd.Series(values, copy=False)))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def objects(values, index) -> pd.Series:
    """*values* (claim ids, ``;``-joined texts) as a column of Python objects on *index*.

    Kept as objects: a bare object array put into a frame is converted to pandas' text dtype,
    a copy of every string, on each assignment (and back again on each ``to_numpy``)."""
    return pd.Series(np.asarray(values, dtype=object), index=index, dtype=object, copy=False)


def _as_str(values: pd.Series, empty=None) -> pd.Series:
    """*values* as ``str`` text (``""`` as *empty* when given); a categorical's categories are
    converted once, then taken by code (not each of its values)."""
    values = pd.Series(values, copy=False)
    if not isinstance(values.dtype, pd.CategoricalDtype):
        text = values.astype("str")
        return text if empty is None else text.replace("", empty)
    names = pd.Series(values.cat.categories.astype("str"), dtype="str")
    names = names if empty is None else names.replace("", empty)
    codes = values.cat.codes.to_numpy()
    return pd.Series(names.array.take(codes, allow_fill=True), index=values.index)


def optional_text(values: pd.Series) -> pd.Series:
    """Text of a table's optional column: ``str``, ``""`` read as missing."""
    return _as_str(values, empty=pd.NA)


def key_text(values: pd.Series) -> pd.Series:
    """Text of a key column: ``str``, missing read as ``""`` (series keys compare as text)."""
    return _as_str(values).fillna("")


def whole_numbers(x) -> pd.arrays.IntegerArray:
    """Counts as a nullable ``Int64`` column: rounded, NaN and infinite values missing."""
    x = pd.Series(np.asarray(x, dtype=float)).round()
    return pd.array(x.where(np.isfinite(x)), dtype="Int64")


def lists_by_group(values, groups, n: int | None = None) -> pd.Series:
    """Per group ``0..n-1`` (*groups*: an integer code per value, e.g. from ``ngroup``), its
    values in their order of appearance, as a list column indexed by group (empty lists for
    groups without values; missing values are left out)."""
    groups = np.asarray(groups, dtype=np.int64)
    keep = pd.Series(values, copy=False).notna().to_numpy()
    groups = groups[keep]
    n = int(groups.max()) + 1 if n is None and len(groups) else (n or 0)
    order = np.argsort(groups, kind="stable")
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(groups, minlength=n), out=offsets[1:])
    items = _text(pd.Series(values, copy=False)[keep]).take(pa.array(order))
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), items)
    return pd.Series(pd.arrays.ArrowExtensionArray(lists))


def as_lists(values: pd.Series) -> pd.Series:
    """A text column as a list column (one item per present value, [] for missing); a list
    column as it is."""
    if isinstance(values.dtype, pd.ArrowDtype) and pa.types.is_large_list(
        values.dtype.pyarrow_dtype
    ):
        return values.reset_index(drop=True)
    return lists_by_group(values.reset_index(drop=True), np.arange(len(values)), len(values))


def join_lists(lists: pd.Series, sep: str = ";") -> pd.Series:
    """Each list joined by *sep*, as ``str`` text."""
    arr = pa.array(lists)
    joined = pc.binary_join(arr, pa.scalar(sep, pa.large_string()))
    return pd.Series(pd.array(joined.to_pandas(), dtype="str"), index=lists.index)


def count_distinct(lists: pd.Series, groups) -> np.ndarray:
    """Per group ``0..n-1``, the number of distinct items in the lists of its rows."""
    arr = pa.array(lists)
    rows = pc.list_parent_indices(arr).to_numpy()
    items = pc.list_flatten(arr)
    g = np.asarray(groups, dtype=np.int64)
    pairs = pd.DataFrame({"g": g[rows], "v": items.to_pandas()}).drop_duplicates()
    return (
        pairs.groupby("g")
        .size()
        .reindex(range(int(g.max()) + 1 if len(g) else 0), fill_value=0)
        .to_numpy()
    )


def run_starts(*keys) -> np.ndarray:
    """On rows sorted by *keys* (arrays of one length), True on the first row of each run of
    rows whose keys are all equal.

    Examples
    --------
    >>> run_starts(np.array([1, 1, 2, 2]), np.array([5, 6, 6, 6])).tolist()
    [True, True, True, False]
    """
    keys = [np.asarray(k) for k in keys]
    new = np.zeros(len(keys[0]), dtype=bool)
    new[:1] = True
    for k in keys:
        new[1:] |= k[1:] != k[:-1]
    return new


def run_numbers(*keys) -> np.ndarray:
    """On rows sorted by *keys*, the number of each row's run of equal keys (0, 1, ...): a
    group number for sorted rows, with no hashing (:func:`run_starts`)."""
    return np.cumsum(run_starts(*keys)) - 1


def each_match(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` of every ``left[i] == right[j]``, in order of ``i``, then ``j``:
    the rows of an inner merge of *left* and *right* on that key.

    Examples
    --------
    >>> [x.tolist() for x in each_match(np.array([2, 1, 3]), np.array([1, 2, 1]))]
    [[0, 1, 1], [1, 0, 2]]
    """
    order = np.argsort(right, kind="stable")
    first = np.searchsorted(right[order], left, side="left")
    n = np.searchsorted(right[order], left, side="right") - first
    i = np.repeat(np.arange(len(left)), n)
    # within each i, the j's in the right's order: first[i], first[i] + 1, ...
    step = np.arange(len(i)) - np.repeat(np.cumsum(n) - n, n)
    return i, order[np.repeat(first, n) + step]


def as_of(group, day, at_group, at_day, direction: str) -> np.ndarray:
    """For rows sorted by *group*, then *day* (integers, or datetimes), the position of each
    query's row: its group's (*at_group*) last row on or before *at_day* (``"backward"``) or
    first row on or after it (``"forward"``); -1 where there is none. The rows
    ``merge_asof(queries, rows, on=day, by=group, direction=...)`` picks, by one binary
    search on the sorted rows.

    Examples
    --------
    >>> g, d = np.array([0, 0, 1]), np.array([3, 5, 4])
    >>> as_of(g, d, np.array([0, 0, 1]), np.array([4, 6, 3]), "backward").tolist()
    [0, 1, -1]
    >>> as_of(g, d, np.array([0, 0, 1]), np.array([4, 6, 3]), "forward").tolist()
    [1, -1, 2]
    """
    group, at_group = np.asarray(group, dtype=np.int64), np.asarray(at_group, dtype=np.int64)
    days = np.unique(day)
    # (group, day) as one number that sorts as the pair does: the day's rank within a group; a
    # query's day as the rank of the rows' day it looks for (-1 or len(days) for none: then
    # the number falls in a neighbouring group, which the last line turns into -1)
    key = group * len(days) + np.searchsorted(days, day)
    if direction == "backward":
        at = at_group * len(days) + np.searchsorted(days, at_day, side="right") - 1
        pos = np.searchsorted(key, at, side="right") - 1
    else:
        at = at_group * len(days) + np.searchsorted(days, at_day, side="left")
        pos = np.searchsorted(key, at, side="left")
    inside = (pos >= 0) & (pos < len(key))
    same = np.zeros(len(at), dtype=bool)
    same[inside] = group[pos[inside]] == at_group[inside]
    return np.where(same, pos, -1)
