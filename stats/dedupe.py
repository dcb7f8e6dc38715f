"""One figure republished by many outlets counts once.

A wire figure ("at least 826 killed, according to the Observatory") is printed by dozens of
outlets. In the claim ledger each printing is its own row (who printed it, where, the quote),
but as *evidence* it is one figure. :func:`dedupe` merges the printings of one figure into one
claim that keeps every outlet and url; :func:`dedupe_log` says what was merged and why.

Two claims are the same figure when they share the counter (``counted_by``), metric, place,
subgroup, period (start and end) and the stated number (``value``; for ranges and vague terms,
the stated ``low`` and ``high``). The qualifier may differ ("at least 800" in one outlet, "more
than 800" in another is one figure worded twice); the merged interval is then the hull of the
wordings' intervals, so no reading is excluded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from stats import vocab
from stats.errors import SchemaError

#: Columns that identify a figure (besides the stated number).
FIGURE_KEY: tuple[str, ...] = (
    "counted_by",
    "metric",
    "location",
    "subgroup",
    "period_start",
    "period_end",
)
#: Columns a claims table needs for :func:`dedupe`.
NEEDED: tuple[str, ...] = (
    "claim_id",
    "metric",
    "value",
    "qualifier",
    "low",
    "high",
    "period_end",
    "published",
    "counted_by",
)
#: Joiner of outlets and urls in merged claims.
SEP = "; "


def _check(claims: pd.DataFrame, needed=NEEDED) -> None:
    missing = [c for c in needed if c not in claims.columns]
    if missing:
        raise SchemaError(
            f"claims table: missing column(s) {', '.join(missing)}; expected a Claims table "
            f"(see stats.contract.Claims) with at least {', '.join(needed)}"
        )
    if not _strictly_increasing(claims["claim_id"]) and claims["claim_id"].duplicated().any():
        dup = claims.loc[claims["claim_id"].duplicated(), "claim_id"].iloc[0]
        raise SchemaError(f"claims table: duplicate claim_id {dup!r}: each claim needs its own id")


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df:
        return df[name]
    return pd.Series(pd.NA, index=df.index, dtype="str")


def _codes(s: pd.Series) -> np.ndarray:
    """Integer codes in sorted order of the values (-1 for missing)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        # the codes of the categories present, renumbered in sorted order of their text
        codes = s.cat.codes.to_numpy().astype(np.int64)
        present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(s.cat.categories)))
        names = np.asarray(s.cat.categories[present].astype("str"), dtype=object)
        rank = np.full(len(s.cat.categories) + 1, -1, dtype=np.int64)
        rank[present[np.argsort(names, kind="stable")]] = np.arange(len(present))
        return rank[codes]  # code -1 (missing) picks the last entry, -1
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        v = s.to_numpy(dtype="datetime64[ns]").astype(np.int64)
        return np.where(s.isna().to_numpy(), -1, v)
    return pd.factorize(s, sort=True, use_na_sentinel=True)[0]


def _sorted_codes(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(c, return_inverse=True)``; by hashing (then sorting only the distinct
    values) for integers."""
    if np.issubdtype(c.dtype, np.integer):
        inv, u = pd.factorize(c, sort=True)
        return np.asarray(u), inv.astype(np.int64)
    u, inv = np.unique(c, return_inverse=True)
    return u, inv.reshape(-1)


def _dense(*cols: np.ndarray) -> np.ndarray:
    """Dense group number of integer-valued key columns, in sorted order of the keys."""
    n = len(cols[0])
    key = np.zeros(n, dtype=np.int64)
    room = 1
    for c in cols:
        c = np.asarray(c)
        if n and np.issubdtype(c.dtype, np.number):
            lo, hi = np.min(c), np.max(c)
            width = int(hi - lo) + 1 if np.isfinite(lo) and np.isfinite(hi) else 0
        else:
            width = 0
        if width and room * width < 2**62 and np.all(np.equal(np.mod(c, 1), 0)):
            key = key * width + (c - lo).astype(np.int64)
            room *= width
        else:
            u, inv = _sorted_codes(c)
            key = key * len(u) + inv
            room *= max(len(u), 1)
    return _sorted_codes(key)[1]


def _figure_groups(claims: pd.DataFrame) -> np.ndarray:
    """Group number per row: rows with the same number are one figure."""
    cols = [_codes(_col(claims, c)) for c in FIGURE_KEY]
    value = pd.array(claims["value"], dtype="Int64")
    has_value = pd.notna(value)
    low = pd.array(claims["low"], dtype="Int64").to_numpy(dtype=np.int64, na_value=-1)
    high = pd.array(claims["high"], dtype="Int64").to_numpy(dtype=np.int64, na_value=-1)
    v = value.to_numpy(dtype=np.int64, na_value=-1)
    # the stated number; for ranges and vague terms, the stated ends
    cols += [has_value.astype(np.int64), np.where(has_value, v, low), np.where(has_value, -1, high)]
    # a claim without a named counter merges with nothing: unnamed counters may differ
    solo = claims["counted_by"].isna().to_numpy()
    cols.append(np.where(solo, np.arange(len(claims)), -1))
    return _dense(*cols)


def _arrow_text(values) -> pa.Array:
    """Text values as one pyarrow ``large_string`` array (no per-row Python work when they
    already are the ``str`` dtype)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values.cast(pa.large_string())
    arr = pd.Series(values, copy=False).array
    if not (isinstance(arr.dtype, pd.StringDtype) and arr.dtype.storage == "pyarrow"):
        arr = pd.array(np.asarray(values, dtype=object), dtype="str")
    out = pa.array(arr)
    if isinstance(out, pa.ChunkedArray):
        out = out.combine_chunks()
    return out.cast(pa.large_string())


def _strictly_increasing(s: pd.Series) -> bool:
    """True when text *s* has no nulls and is strictly increasing (so sorted and without
    repeats); a fast test on pyarrow-backed text, False (unknown) otherwise."""
    arr = s.array
    if not (isinstance(arr.dtype, pd.StringDtype) and arr.dtype.storage == "pyarrow"):
        return False
    a = _arrow_text(arr)
    if a.null_count:
        return False
    return len(a) < 2 or bool(pc.all(pc.less(a[:-1], a[1:])).as_py())


def _join_runs(values: pa.Array, counts: np.ndarray, sep: str) -> pa.Array:
    """Join consecutive runs of *values* (``counts[i]`` values for group i) by *sep*; null for
    a group with no values."""
    counts = np.asarray(counts, dtype=np.int64)
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    lists = pa.LargeListArray.from_arrays(
        pa.array(offsets), values.cast(pa.large_string()), mask=pa.array(counts == 0)
    )
    return pc.binary_join(lists, pa.scalar(sep, pa.large_string()))


def _join_in_order(group: np.ndarray, values, n_groups: int, sep: str = ";") -> pa.Array:
    """Per group (0..n_groups-1), its values joined by *sep* in their order of appearance
    (for values already distinct and sorted within each group); null for a group without."""
    group = np.asarray(group)
    order = np.argsort(group, kind="stable")
    counts = np.bincount(group, minlength=n_groups)
    return _join_runs(_arrow_text(values).take(pa.array(order)), counts, sep)


def _sorted_unique_pairs(g: np.ndarray, values) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """The distinct (group, value) pairs of non-null values, sorted by group then value: their
    groups, value codes (in sorted order of the values) and the sorted distinct values."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False), sort=True, use_na_sentinel=True)
    ok = codes >= 0
    k = len(uniques) + 1
    pair = pd.unique(np.asarray(g)[ok].astype(np.int64) * k + codes[ok])
    pair.sort()
    return pair // k, pair % k, uniques


def _join_sorted_unique_arrow(g: np.ndarray, values, n_groups: int, sep: str) -> pa.Array:
    """Per group, the sorted distinct non-null values joined by *sep* (null when none), as
    a pyarrow string array."""
    return _join_pairs(*_sorted_unique_pairs(g, values), n_groups, sep)


def _join_pairs(gg: np.ndarray, vv: np.ndarray, uniques: pd.Index, n_groups: int, sep: str):
    """Join the (group, value code) pairs of :func:`_sorted_unique_pairs` per group."""
    if isinstance(uniques.dtype, pd.StringDtype):
        text = _arrow_text(uniques.array)
    else:
        text = pa.array(np.asarray(uniques, dtype=object).astype(str), type=pa.large_string())
    counts = np.bincount(gg, minlength=n_groups)
    return _join_runs(text.take(pa.array(vv)), counts, sep)


def _join_sorted_unique(g: np.ndarray, values: pd.Series, n_groups: int, sep: str) -> np.ndarray:
    """Per group, the sorted distinct non-null values joined by *sep* (None when none)."""
    return _join_sorted_unique_arrow(g, values, n_groups, sep).to_numpy(zero_copy_only=False)


def _count_unique(g: np.ndarray, values: pd.Series, n_groups: int) -> np.ndarray:
    """Per group, the number of distinct non-null values."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    ok = codes >= 0
    pair = pd.unique(np.asarray(g)[ok].astype(np.int64) * (len(uniques) + 1) + codes[ok])
    return np.bincount(pair // (len(uniques) + 1), minlength=n_groups)


def _prepare(claims: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    _check(claims)
    if _strictly_increasing(claims["claim_id"]) or claims["claim_id"].is_monotonic_increasing:
        df = claims.reset_index(drop=True)
    else:
        df = claims.sort_values("claim_id", kind="stable").reset_index(drop=True)
    g = _figure_groups(df)
    return df, g


def dedupe(claims: pd.DataFrame, return_log: bool = False):
    """Merge republications of one figure into one claim.

    Parameters
    ----------
    claims
        A Claims table (:class:`stats.contract.Claims`).
    return_log
        Also return :func:`dedupe_log`'s table.

    Returns
    -------
    DataFrame
        One row per distinct figure, with the Claims columns plus ``n_outlets`` (distinct
        outlets that printed it) and ``merged_ids`` (the ``;``-joined, sorted claim_ids merged
        into it). ``claim_id`` is the smallest merged id; ``reported_by`` and ``url`` list every
        outlet and url, sorted, joined by ``"; "``; ``published`` is the earliest publication;
        ``low``/``high`` are the hull of the merged intervals (``high`` open when any is open);
        ``qualifier`` is the most frequent wording (ties: the widest); ``rule`` is the shared
        rule or ``merged:<rule>+<rule>``. Rows are sorted by ``claim_id``.
    log : DataFrame, optional
        When ``return_log`` is true.

    Raises
    ------
    SchemaError
        When columns are missing or claim ids repeat.

    Notes
    -----
    Assumes that outlets citing the same counter for the same figure relay one statement: the
    figure is one piece of evidence, not several. Figures from different counters never merge,
    and a figure without a named counter merges with nothing (unnamed counters may differ).
    Does not mutate the input; the result does not depend on the order of the rows.

    Examples
    --------
    >>> from stats.contract import validate
    >>> raw = pd.DataFrame({
    ...     "metric": ["killed"] * 3, "value": ["826", "826", "826"],
    ...     "qualifier": ["at_least", "more_than", "exact"],
    ...     "period_end": ["2024-12-06"] * 3, "published": ["2024-12-06", "2024-12-07", "2024-12-06"],
    ...     "counted_by": ["SOHR", "OSDH", "SNHR"], "reported_by": ["AFP", "Keystone-ATS", "AFP"]})
    >>> claims = validate(raw, "example.csv")[0]
    >>> out = dedupe(claims)
    >>> cols = ["counted_by", "low", "high", "reported_by", "n_outlets"]
    >>> out.sort_values("counted_by")[cols].to_dict("records")
    [{'counted_by': 'SNHR', 'low': 826, 'high': 826, 'reported_by': 'AFP', 'n_outlets': 1}, {'counted_by': 'SOHR', 'low': 826, 'high': None, 'reported_by': 'AFP; Keystone-ATS', 'n_outlets': 2}]
    """
    df, g = _prepare(claims)
    # number the figures in order of their first row: df is sorted by claim_id, so a figure's
    # first row holds its smallest id and the figures come out sorted by it
    g = pd.factorize(g)[0]
    n_groups = int(g.max()) + 1 if len(g) else 0
    sizes = np.bincount(g, minlength=n_groups)
    # representative: the first row of each figure (a row whose number is new)
    is_first = np.ones(len(g), dtype=bool)
    is_first[1:] = g[1:] > np.maximum.accumulate(g)[:-1]
    rep_pos = np.flatnonzero(is_first)
    out = df.iloc[rep_pos].reset_index(drop=True)
    multi = sizes > 1
    # the rows of each figure together, in claim_id order; starts[i]: figure i's first
    order = np.argsort(g, kind="stable")
    starts = np.zeros(n_groups, dtype=np.int64)
    np.cumsum(sizes[:-1], out=starts[1:])

    merged = _join_runs(_arrow_text(df["claim_id"]).take(pa.array(order)), sizes, ";")
    out["merged_ids"] = pd.array(merged, dtype="str")
    if multi.any():
        outlets = _sorted_unique_pairs(g, _col(df, "reported_by"))
        n_outlets = np.bincount(outlets[0], minlength=n_groups)
    else:
        n_outlets = _col(out, "reported_by").notna().to_numpy().astype(np.int64)
    out["n_outlets"] = pd.array(n_outlets, dtype="Int64")
    if multi.any():
        out["reported_by"] = pd.array(_join_pairs(*outlets, n_groups, SEP), dtype="str")
        out["url"] = pd.array(
            _join_sorted_unique_arrow(g, _col(df, "url"), n_groups, SEP), dtype="str"
        )
        out["published"] = _group_min_time(df["published"], g, order, starts)
        low = pd.array(df["low"], dtype="Int64")
        high = pd.array(df["high"], dtype="Int64")
        out["low"] = _group_reduce_int(low, order, starts, np.minimum)
        hi = _group_reduce_int(high, order, starts, np.maximum)
        # an open upper end anywhere leaves the merged interval open
        hi[np.logical_or.reduceat(high.isna()[order], starts)] = pd.NA
        out["high"] = hi
        _merge_wordings(df, g, out, multi)
    cols = [c for c in claims.columns if c in out.columns] + ["n_outlets", "merged_ids"]
    out = out[list(dict.fromkeys(cols))]
    for c in ("metric", "qualifier"):
        if c in claims and isinstance(claims[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(claims[c].dtype)
    if return_log:
        return out, _log(df, g, sizes, rep_pos)
    return out


def _group_reduce_int(values, order: np.ndarray, starts: np.ndarray, how) -> pd.arrays.IntegerArray:
    """Per group (the rows ``order[starts[i]:starts[i + 1]]``), ``how`` (``np.minimum`` or
    ``np.maximum``) of the non-null values of an Int64 array; null when all are null."""
    na = np.asarray(values.isna())[order]
    info = np.iinfo(np.int64)
    fill = info.max if how is np.minimum else info.min
    v = np.where(na, fill, values.to_numpy(dtype=np.int64, na_value=0)[order])
    return pd.arrays.IntegerArray(how.reduceat(v, starts), np.logical_and.reduceat(na, starts))


def _group_min_time(col: pd.Series, g: np.ndarray, order: np.ndarray, starts: np.ndarray):
    """Per group, the earliest non-missing datetime (NaT when none)."""
    v = col.to_numpy()
    if v.dtype.kind != "M":
        return pd.Series(v).groupby(g, sort=True).min().to_numpy()
    nat = np.isnat(v)[order]
    info = np.iinfo(np.int64)
    i = np.where(nat, info.max, v.view(np.int64)[order])
    r = np.minimum.reduceat(i, starts)
    r[np.logical_and.reduceat(nat, starts)] = info.min  # NaT
    return r.view(v.dtype)


def _merge_wordings(df: pd.DataFrame, g: np.ndarray, out: pd.DataFrame, multi: np.ndarray):
    """Qualifier and rule of merged figures whose wordings differ."""
    in_multi = multi[g]
    qual = df["qualifier"]
    if isinstance(qual.dtype, pd.CategoricalDtype):
        qcode = np.asarray(qual.cat.codes)
    else:
        qcode = pd.factorize(qual.astype("str"))[0]
    nq = _count_unique(g[in_multi], pd.Series(qcode[in_multi]), len(out))
    differ = np.flatnonzero(multi & (nq > 1))
    if not len(differ):
        return
    rows = np.flatnonzero(np.isin(g, differ))
    q = qual.iloc[rows].astype("str").to_numpy(dtype=object)
    width = pd.array(df["high"].iloc[rows], dtype="Int64").astype("Float64").fillna(
        np.inf
    ) - pd.array(df["low"].iloc[rows], dtype="Int64").astype("Float64").fillna(0)
    t = pd.DataFrame({"g": g[rows], "q": q, "w": np.asarray(width, dtype=float)})
    counts = t.groupby(["g", "q"], sort=True).agg(n=("q", "size"), w=("w", "max")).reset_index()
    counts = counts.sort_values(["g", "n", "w", "q"], ascending=[True, False, False, True])
    best = counts.drop_duplicates("g")
    cur = pd.Categorical(out["qualifier"], categories=vocab.QUALIFIERS)
    codes = cur.codes.copy()
    codes[best["g"].to_numpy()] = cur.categories.get_indexer(best["q"].to_numpy(dtype=object))
    out["qualifier"] = pd.Categorical.from_codes(codes, dtype=cur.dtype)
    rules = _join_sorted_unique(g[rows], _col(df, "rule").iloc[rows], len(out), "+")
    rule = out["rule"].astype("str").array.copy()
    rule[differ] = ("merged:" + pd.Series(rules[differ], dtype="str").fillna("")).to_numpy(
        dtype=object
    )
    out["rule"] = rule


def _log(df: pd.DataFrame, g: np.ndarray, sizes: np.ndarray, rep_pos: np.ndarray) -> pd.DataFrame:
    in_multi = sizes[g] > 1
    d = df.loc[in_multi]
    gm = g[in_multi]
    kept = df["claim_id"].to_numpy()[rep_pos][gm]
    q = df["qualifier"].astype("str")
    nq = q.groupby(g).nunique().to_numpy()[gm]
    reason = np.where(
        nq > 1,
        "same counter, metric, place, subgroup, period and number; the qualifier wording differs",
        "same counter, metric, place, subgroup, period, number and qualifier",
    )
    log = pd.DataFrame(
        {
            "kept_id": pd.array(kept, dtype="str"),
            "claim_id": d["claim_id"].astype("str").to_numpy(),
            "counted_by": d["counted_by"].astype("str").to_numpy(),
            "metric": d["metric"].astype("str").to_numpy(),
            "location": _col(d, "location").astype("str").to_numpy(),
            "period_end": d["period_end"].to_numpy(),
            "value": pd.array(d["value"], dtype="Int64"),
            "qualifier": q[in_multi].to_numpy(),
            "reported_by": _col(d, "reported_by").astype("str").to_numpy(),
            "n_merged": pd.array(sizes[gm], dtype="Int64"),
            "reason": pd.array(reason, dtype="str"),
        }
    )
    return log.sort_values(["kept_id", "claim_id"], kind="stable").reset_index(drop=True)


def dedupe_log(claims: pd.DataFrame) -> pd.DataFrame:
    """What :func:`dedupe` merges and why: one row per merged claim.

    Columns: ``kept_id`` (the merged figure's claim_id), ``claim_id``, ``counted_by``,
    ``metric``, ``location``, ``period_end``, ``value``, ``qualifier``, ``reported_by``,
    ``n_merged`` (claims in the figure) and ``reason``. Claims that merged with nothing are not
    listed.

    Examples
    --------
    >>> from stats.contract import validate
    >>> raw = pd.DataFrame({"metric": ["killed"] * 2, "value": ["826", "826"],
    ...     "qualifier": ["at_least", "more_than"], "period_end": ["2024-12-06"] * 2,
    ...     "published": ["2024-12-06"] * 2, "counted_by": ["SOHR", "OSDH"],
    ...     "reported_by": ["AFP", "Keystone-ATS"]})
    >>> dedupe_log(validate(raw)[0])[["reported_by", "n_merged"]].values.tolist()
    [['AFP', 2], ['Keystone-ATS', 2]]
    """
    return dedupe(claims, return_log=True)[1]
