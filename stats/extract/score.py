"""Score extracted claims against hand-made gold claims (precision, recall, field accuracy).

A predicted claim *matches* a gold claim when they agree on the claim's identity: metric,
the figure (value; or the bounds for ranges and vague terms) and qualifier. Matching is one-to-one (a gold claim is matched once).
Among matched pairs, the accuracy of ``counted_by`` (canonicalised), ``period_start``,
``period_end``, ``location`` and ``quote`` is reported field by field.

Notes
-----
Precision is matched / predicted, recall matched / gold; totals pool the files (micro
averages), so a file with more claims weighs more. Two missing values count as agreeing
(an empty ``period_start`` in both is right).

References
----------
Precision and recall as in information extraction evaluations (e.g. the MUC and ACE
template-filling tasks): Chinchor, N. (1992), "MUC-4 evaluation metrics", Proc. MUC-4.
"""

from __future__ import annotations

import itertools

import pandas as pd

from stats import vocab

#: fields compared on matched pairs
FIELDS: tuple[str, ...] = ("counted_by", "period_start", "period_end", "location", "quote")
#: columns of the score table
SCORE_COLUMNS: tuple[str, ...] = (
    "file",
    "gold",
    "predicted",
    "matched",
    "precision",
    "recall",
    *(f"{f}_acc" for f in FIELDS),
)


def _text(s: pd.Series) -> pd.Series:
    out = s.astype("object").where(s.notna(), None)
    return out.map(
        lambda v: None if v is None or str(v).strip() in ("", "nan", "<NA>") else str(v).strip()
    )


def _int(s: pd.Series) -> pd.Series:
    return pd.to_numeric(_text(s).str.replace(",", "", regex=False), errors="coerce").astype(
        "Int64"
    )


def _date(s: pd.Series) -> pd.Series:
    d = pd.to_datetime(_text(s), errors="coerce")
    return d.dt.strftime("%Y-%m-%d").astype("object").where(d.notna(), None)


def normalise(claims: pd.DataFrame) -> pd.DataFrame:
    """The compared columns of a claims table (gold CSV text or a Claims table), normalised:
    canonical counter and place names, integers, ``YYYY-MM-DD`` dates, and ``key`` (the
    identity of the claim). Does not mutate the input.

    Examples
    --------
    >>> g = pd.DataFrame({"metric": ["killed"], "value": ["826"], "qualifier": ["exact"],
    ...                   "counted_by": ["OSDH"], "period_end": ["2024-12-06"]})
    >>> normalise(g)["key"].iloc[0]
    ('killed', 826, None, None, 'exact')
    """
    df = pd.DataFrame(index=claims.index)
    for c in ("metric", "qualifier", "counted_by", "location", "quote"):
        df[c] = _text(claims[c]) if c in claims else None
    for c in ("value", "low", "high"):
        df[c] = _int(claims[c]) if c in claims else pd.array([pd.NA] * len(claims), dtype="Int64")
    for c in ("period_start", "period_end"):
        df[c] = _date(claims[c]) if c in claims else None
    df["counted_by"] = vocab.canonical_source(df["counted_by"]).astype("object")
    df["counted_by"] = df["counted_by"].where(df["counted_by"].notna(), None)
    df["location"] = vocab.canonical_place(df["location"]).astype("object")
    df["location"] = df["location"].where(df["location"].notna(), None)
    df["quote"] = df["quote"].map(lambda q: " ".join(q.split()) if isinstance(q, str) else None)
    interval = df["qualifier"].isin(["range", "vague"])

    def part(col, keep):
        return [
            None if (not k or pd.isna(v)) else int(v) for v, k in zip(df[col], keep, strict=True)
        ]

    df["key"] = list(
        zip(
            df["metric"],
            part("value", ~interval),
            part("low", interval),
            part("high", interval),
            df["qualifier"],
            strict=True,
        )
    )
    return df


def match_claims(gold: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Pair gold and predicted claims one-to-one on their identity.

    Returns one row per gold claim and per unmatched predicted claim: ``gold_row``,
    ``pred_row`` (positions, or missing), ``key``, and for each field in :data:`FIELDS`
    the gold value, the predicted value and whether they agree (``<field>_ok``). Among
    several candidates the one with the same quote is preferred, then the first.
    """
    g, p = normalise(gold).reset_index(drop=True), normalise(predicted).reset_index(drop=True)
    return _matched(g, p)


def match_files(
    gold: dict[str, pd.DataFrame], predicted: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """:func:`match_claims` for many files at once (``{file: table}``, the same files in
    both): each side is normalised in one pass, then the files are matched one by one.

    Examples
    --------
    >>> gold = pd.DataFrame({"metric": ["killed"], "value": ["826"], "qualifier": ["exact"]})
    >>> pairs = match_files({"a": gold, "b": gold}, {"a": gold, "b": gold.iloc[:0]})
    >>> [int(p["pred_row"].notna().sum()) for p in pairs.values()]
    [1, 0]
    """
    g = _normalised_by_file(gold)
    p = _normalised_by_file(predicted)
    return {f: _matched(g[f], p[f]) for f in gold}


def _normalised_by_file(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each file's table :func:`normalise`-d, all files in one pass."""
    if not tables:
        return {}
    sizes = [len(t) for t in tables.values()]
    both = normalise(pd.concat([t.reset_index(drop=True) for t in tables.values()]))
    both = both.reset_index(drop=True)
    starts = [0, *itertools.accumulate(sizes)]
    return {
        f: both.iloc[a:b].reset_index(drop=True)
        for f, a, b in zip(tables, starts[:-1], starts[1:], strict=True)
    }


def _matched(g: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    """The pairs of :func:`match_claims` from normalised gold and predicted claims."""
    free: dict[tuple, list[int]] = {}
    for i, k in enumerate(p["key"]):
        free.setdefault(k, []).append(i)
    rows = []
    for i, k in enumerate(g["key"]):
        cands = free.get(k, [])
        j = None
        if cands:
            same = [c for c in cands if p.at[c, "quote"] == g.at[i, "quote"]]
            j = (same or cands)[0]
            cands.remove(j)
        rows.append((i, j, k))
    used = {j for _, j, _ in rows if j is not None}
    rows += [(None, j, p.at[j, "key"]) for j in range(len(p)) if j not in used]
    out = pd.DataFrame(rows, columns=["gold_row", "pred_row", "key"])
    out["gold_row"] = out["gold_row"].astype("Int64")
    out["pred_row"] = out["pred_row"].astype("Int64")
    for f in FIELDS:
        gv = [g.at[int(i), f] if pd.notna(i) else None for i in out["gold_row"]]
        pv = [p.at[int(j), f] if pd.notna(j) else None for j in out["pred_row"]]
        out[f"gold_{f}"] = gv
        out[f"pred_{f}"] = pv
        out[f"{f}_ok"] = [
            (a == b or (a is None and b is None)) if (pd.notna(i) and pd.notna(j)) else pd.NA
            for a, b, i, j in zip(gv, pv, out["gold_row"], out["pred_row"], strict=True)
        ]
    return out


def score_pairs(pairs: pd.DataFrame, file: str = "all") -> dict:
    """Precision, recall and field accuracies of a :func:`match_claims` table."""
    n_gold = int(pairs["gold_row"].notna().sum())
    n_pred = int(pairs["pred_row"].notna().sum())
    both = pairs["gold_row"].notna() & pairs["pred_row"].notna()
    n_match = int(both.sum())
    out = {
        "file": file,
        "gold": n_gold,
        "predicted": n_pred,
        "matched": n_match,
        "precision": n_match / n_pred if n_pred else float("nan"),
        "recall": n_match / n_gold if n_gold else float("nan"),
    }
    for f in FIELDS:
        ok = pairs.loc[both, f"{f}_ok"].astype("boolean")
        out[f"{f}_acc"] = float(ok.mean()) if n_match else float("nan")
    return out


def score_files(pairs_by_file: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One score row per file and a last row ``all`` pooling them (micro averages).

    Examples
    --------
    >>> gold = pd.DataFrame({"metric": ["killed", "injured"], "value": ["826", "46"],
    ...                      "qualifier": ["exact", "exact"], "period_end": ["2024-12-06"] * 2})
    >>> pred = gold.iloc[:1].assign(period_end="2024-12-05")
    >>> t = score_files({"a": match_claims(gold, pred)})
    >>> t[["file", "precision", "recall", "period_end_acc"]].values.tolist()
    [['a', 1.0, 0.5, 0.0], ['all', 1.0, 0.5, 0.0]]
    """
    rows = [score_pairs(p, f) for f, p in pairs_by_file.items()]
    allp = (
        pd.concat(list(pairs_by_file.values()), ignore_index=True)
        if pairs_by_file
        else match_claims(pd.DataFrame(), pd.DataFrame())
    )
    rows.append(score_pairs(allp, "all"))
    return pd.DataFrame(rows, columns=list(SCORE_COLUMNS))


def score_sets(pairs_by_file: dict[str, pd.DataFrame], set_of: dict[str, str]) -> pd.DataFrame:
    """One score row per set of files (a language, a kind of report) and a last row ``all``.

    Examples
    --------
    >>> gold = pd.DataFrame({"metric": ["killed"], "value": ["826"], "qualifier": ["exact"]})
    >>> p = {"a": match_claims(gold, gold), "b": match_claims(gold, gold.iloc[:0])}
    >>> score_sets(p, {"a": "en", "b": "fr"})[["file", "recall"]].values.tolist()
    [['en', 1.0], ['fr', 0.0], ['all', 0.5]]
    """
    groups: dict[str, list[pd.DataFrame]] = {}
    for f, p in pairs_by_file.items():
        groups.setdefault(set_of[f], []).append(p)
    rows = [
        score_pairs(pd.concat(ps, ignore_index=True), name) for name, ps in sorted(groups.items())
    ]
    rows.append(score_files(pairs_by_file).iloc[-1].to_dict())
    return pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
