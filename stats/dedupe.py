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
            f"(see stats.schema.Claims) with at least {', '.join(needed)}"
        )
    if claims["claim_id"].duplicated().any():
        dup = claims.loc[claims["claim_id"].duplicated(), "claim_id"].iloc[0]
        raise SchemaError(f"claims table: duplicate claim_id {dup!r}: each claim needs its own id")


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df:
        return df[name]
    return pd.Series(pd.NA, index=df.index, dtype="str")


def _codes(s: pd.Series) -> np.ndarray:
    """Integer codes in sorted order of the values (-1 for missing)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype("str")
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        v = s.to_numpy(dtype="datetime64[ns]").astype(np.int64)
        return np.where(s.isna().to_numpy(), -1, v)
    return pd.factorize(s, sort=True, use_na_sentinel=True)[0]


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
            u, inv = np.unique(c, return_inverse=True)
            key = key * len(u) + inv.reshape(-1)
            room *= max(len(u), 1)
    return np.unique(key, return_inverse=True)[1].reshape(-1)


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


def _join_sorted_unique(g: np.ndarray, values: pd.Series, n_groups: int, sep: str) -> np.ndarray:
    """Per group, the sorted distinct non-null values joined by *sep* (None when none)."""
    out = np.full(n_groups, None, dtype=object)
    values = pd.Series(values, copy=False)
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    ok = codes >= 0
    if not ok.any():
        return out
    g, codes = np.asarray(g)[ok], codes[ok]
    pair = np.unique(g.astype(np.int64) * (len(uniques) + 1) + codes)
    gg = pair // (len(uniques) + 1)
    vv = np.asarray(uniques, dtype=object)[pair % (len(uniques) + 1)].astype(str).astype(object)
    first = np.r_[True, gg[1:] != gg[:-1]]
    pieces = np.where(first, vv, sep + vv).astype(object)
    starts = np.flatnonzero(first)
    out[gg[starts]] = np.add.reduceat(pieces, starts)
    return out


def _count_unique(g: np.ndarray, values: pd.Series, n_groups: int) -> np.ndarray:
    """Per group, the number of distinct non-null values."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    ok = codes >= 0
    pair = np.unique(np.asarray(g)[ok].astype(np.int64) * (len(uniques) + 1) + codes[ok])
    return np.bincount(pair // (len(uniques) + 1), minlength=n_groups)


def _prepare(claims: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    _check(claims)
    if claims["claim_id"].is_monotonic_increasing:
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
        A Claims table (:class:`stats.schema.Claims`).
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
    >>> from stats.schema import validate
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
    n_groups = int(g.max()) + 1 if len(g) else 0
    sizes = np.bincount(g, minlength=n_groups)
    # representative: the smallest claim_id of each figure (df is sorted by claim_id)
    rep_pos = pd.Series(np.arange(len(df))).groupby(g, sort=True).first().to_numpy()
    out = df.iloc[rep_pos].reset_index(drop=True)
    multi = sizes > 1

    # only figures printed more than once need joining
    in_multi = multi[g]
    gm = g[in_multi]
    ids = out["claim_id"].to_numpy(dtype=object).copy()
    n_outlets = _col(out, "reported_by").notna().to_numpy().astype(np.int64)
    if multi.any():
        ids_m = _join_sorted_unique(gm, df["claim_id"][in_multi], n_groups, ";")
        ids[multi] = ids_m[multi]
        n_outlets[multi] = _count_unique(gm, _col(df, "reported_by")[in_multi], n_groups)[multi]
    out["merged_ids"] = pd.array(ids, dtype="str")
    out["n_outlets"] = pd.array(n_outlets, dtype="Int64")
    if multi.any():
        for c in ("reported_by", "url"):
            joined = _join_sorted_unique(gm, _col(df, c)[in_multi], n_groups, SEP)
            col = _col(out, c).to_numpy(dtype=object).copy()
            col[multi] = joined[multi]
            out[c] = pd.array(col, dtype="str")
        grp = pd.DataFrame(
            {
                "g": g,
                "published": df["published"].to_numpy(),
                "low": pd.array(df["low"], dtype="Int64"),
                "high_open": pd.array(df["high"], dtype="Int64").isna(),
                "high": pd.array(df["high"], dtype="Int64"),
            }
        ).groupby("g", sort=True)
        out["published"] = grp["published"].min().to_numpy()
        out["low"] = pd.array(grp["low"].min(), dtype="Int64")
        hi = pd.array(grp["high"].max(), dtype="Int64")
        hi[grp["high_open"].any().to_numpy()] = pd.NA
        out["high"] = hi
        _merge_wordings(df, g, out, multi)
    cols = [c for c in claims.columns if c in out.columns] + ["n_outlets", "merged_ids"]
    out = out[list(dict.fromkeys(cols))]
    for c in ("metric", "qualifier"):
        if c in claims and isinstance(claims[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(claims[c].dtype)
    out = out.sort_values("claim_id", kind="stable").reset_index(drop=True)
    if return_log:
        return out, _log(df, g, sizes, rep_pos)
    return out


def _merge_wordings(df: pd.DataFrame, g: np.ndarray, out: pd.DataFrame, multi: np.ndarray):
    """Qualifier and rule of merged figures whose wordings differ."""
    in_multi = multi[g]
    qcode = pd.factorize(df["qualifier"].astype("str"))[0]
    nq = _count_unique(g[in_multi], pd.Series(qcode[in_multi]), len(out))
    differ = np.flatnonzero(multi & (nq > 1))
    if not len(differ):
        return
    q = df["qualifier"].astype("str").to_numpy(dtype=object)
    rows = np.isin(g, differ)
    width = pd.array(df["high"], dtype="Int64").astype("Float64").fillna(np.inf) - pd.array(
        df["low"], dtype="Int64"
    ).astype("Float64").fillna(0)
    t = pd.DataFrame({"g": g[rows], "q": q[rows], "w": np.asarray(width, dtype=float)[rows]})
    counts = t.groupby(["g", "q"], sort=True).agg(n=("q", "size"), w=("w", "max")).reset_index()
    counts = counts.sort_values(["g", "n", "w", "q"], ascending=[True, False, False, True])
    best = counts.drop_duplicates("g")
    qual = np.array(out["qualifier"].astype("object"), dtype=object)
    qual[best["g"].to_numpy()] = best["q"].to_numpy()
    out["qualifier"] = pd.Categorical(qual, categories=vocab.QUALIFIERS)
    rules = _join_sorted_unique(g[rows], _col(df, "rule")[rows], len(out), "+")
    rule = np.array(out["rule"].astype("object"), dtype=object)
    rule[differ] = "merged:" + pd.Series(rules[differ], dtype="str").fillna("")
    out["rule"] = pd.array(rule, dtype="str")


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
    >>> from stats.schema import validate
    >>> raw = pd.DataFrame({"metric": ["killed"] * 2, "value": ["826", "826"],
    ...     "qualifier": ["at_least", "more_than"], "period_end": ["2024-12-06"] * 2,
    ...     "published": ["2024-12-06"] * 2, "counted_by": ["SOHR", "OSDH"],
    ...     "reported_by": ["AFP", "Keystone-ATS"]})
    >>> dedupe_log(validate(raw)[0])[["reported_by", "n_merged"]].values.tolist()
    [['AFP', 2], ['Keystone-ATS', 2]]
    """
    return dedupe(claims, return_log=True)[1]
