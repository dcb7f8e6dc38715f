"""One figure republished by many outlets counts once; a stale reprint speaks for its first date.

A wire figure ("at least 826 killed, according to the Observatory") is printed by dozens of
outlets. In the claim ledger each printing is its own row (who printed it, where, the quote),
but as *evidence* it is one figure. :func:`dedupe` merges the printings of one figure into one
row that keeps every outlet and url; :func:`dedupe_log` says what was merged and why.

Two claims are the same figure when they share the counter (``counted_by``), metric, place,
subgroup, period (start and end) and the stated number (``value``; for ranges and vague terms,
the stated ``low`` and ``high``). The qualifier may differ ("at least 800" in one outlet, "more
than 800" in another is one figure worded twice); the merged interval is then the hull of the
wordings' intervals, so no reading is excluded.

A **stale reprint** is a flow figure printed again, dated later, after its counter had already
published a different figure for the same series and period start ("800 killed" on 1 December,
850 on 2 December, then an outlet prints "800 killed" on 4 December). It is matched to the
figure's first publication: it merges with it and speaks for that date, not for the later one.

:func:`as_known_on` is the one as-of filter: the claims published on or before a day. It is
applied to the *claims*, before they merge (a merged figure's interval may hold wordings
published later).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats import vocab
from stats.errors import SchemaError, UserError
from stats.estimate.lists import join_lists, key_text, lists_by_group, run_starts

#: Columns that identify a figure (besides the stated number and the period end).
FIGURE_KEY: list[str] = ["counted_by", "metric", "location", "subgroup", "period_start"]
#: Columns a claims table needs for :func:`dedupe`.
NEEDED: tuple[str, ...] = (
    "claim_id", "metric", "value", "qualifier", "low", "high", "period_end", "published",
    "counted_by",
)  # fmt: skip
#: Columns dedupe adds to the Claims columns.
ADDED: tuple[str, ...] = ("n_outlets", "merged_ids")
SAME_FIGURE = "same counter, metric, place, subgroup, period, number and qualifier"
SAME_NUMBER = (
    "same counter, metric, place, subgroup, period and number; the qualifier wording differs"
)
STALE = (
    "stale reprint: the number its counter first gave on {first}, printed again after newer figures"
)


def check_claims(claims: pd.DataFrame, needed=NEEDED) -> None:
    """Raise :class:`SchemaError` when columns are missing or claim ids repeat."""
    missing = [c for c in needed if c not in claims.columns]
    if missing:
        raise SchemaError(
            f"claims table: missing column(s) {', '.join(missing)}; expected a Claims table "
            f"(see stats.contract.Claims) with at least {', '.join(needed)}"
        )
    ids = claims["claim_id"]
    if ids.is_monotonic_increasing and not ids.hasnans:  # sorted: a repeat follows its first
        dup = ids.eq(ids.shift())
    else:
        dup = ids.duplicated()
    if dup.any():
        raise SchemaError(
            f"claims table: duplicate claim_id {claims.loc[dup, 'claim_id'].iloc[0]!r}: "
            "each claim needs its own id"
        )


def is_deduplicated(table: pd.DataFrame) -> bool:
    """True for a table of figures made by :func:`dedupe` (it has ``merged_ids``)."""
    return "merged_ids" in table.columns


def as_known_on(claims: pd.DataFrame, known_on) -> pd.DataFrame:
    """The claims published on or before *known_on* (all of them for ``None``).

    The as-of view of the ledger: the estimate as it could have been made that day. It must
    be taken on the claims, before :func:`dedupe` merges printings, so a table of figures is
    refused.

    Raises
    ------
    UserError
        For a table already deduplicated: its merged intervals and dates may include
        printings published after *known_on*.

    Examples
    --------
    >>> c = pd.DataFrame({"claim_id": ["a", "b"],
    ...     "published": pd.to_datetime(["2024-12-01", "2024-12-03"])})
    >>> as_known_on(c, "2024-12-02")["claim_id"].tolist()
    ['a']
    """
    if known_on is None:
        return claims
    if is_deduplicated(claims):
        raise UserError(
            "known_on needs the claims as published, not figures from dedupe(): a merged "
            "figure may hold printings published later; pass the claims (reconcile dedupes "
            "them after the as-of filter)"
        )
    return claims.loc[pd.to_datetime(claims["published"]) <= pd.Timestamp(known_on)]


def _text_key(col: pd.Series) -> pd.Series:
    """A grouping key of a text column: missing as "" (so it groups)."""
    return key_text(col)


def figure_keys(df: pd.DataFrame) -> pd.DataFrame:
    """Per claim, integer codes of what identifies its figure: ``series`` (counter, metric,
    place, subgroup, period start; a claim without a named counter is a series of its own:
    unnamed counters may differ), ``number`` (the stated value, or for ranges and vague terms
    the stated low and high), and ``flow`` (the metric is a flow)."""
    keys = pd.DataFrame(index=df.index)
    for c in FIGURE_KEY:
        col = df[c] if c in df else pd.Series(pd.NA, index=df.index, dtype="str")
        keys[c] = pd.to_datetime(col) if c == "period_start" else _text_key(col)
    keys["solo"] = np.where(df["counted_by"].isna(), np.arange(len(df)), -1)
    value = df["value"].astype("Int64")
    stated = value.notna()
    number = pd.DataFrame(
        {
            "value": value.fillna(-1),
            "stated_low": df["low"].astype("Int64").where(~stated, -1).fillna(-1),
            "stated_high": df["high"].astype("Int64").where(~stated, -1).fillna(-1),
        }
    )
    return pd.DataFrame(
        {
            "series": keys.groupby(list(keys.columns), dropna=False, sort=False).ngroup(),
            "number": number.groupby(list(number.columns), sort=False).ngroup(),
            "flow": keys["metric"].map(vocab.METRICS["kind"]).eq("flow").to_numpy(),
        }
    )


def first_publication_end(end: pd.Series, keys: pd.DataFrame) -> pd.Series:
    """Per claim, the period end it speaks for: its own, or for a stale reprint of a flow
    figure the period end of the figure's first publication.

    Within one counter's series and period start, the figures sorted by period end form runs
    of one number; a claim whose number was first given before the previous run (a different
    number) ended is a stale reprint.
    """
    end = pd.to_datetime(end)
    first_end = end.groupby([keys["series"], keys["number"]]).transform("min")
    later = keys["flow"].to_numpy() & (end > first_end).to_numpy()
    if not later.any():  # no number printed again later
        return end
    # the dated claims sorted by series, end and number; each distinct (series, end, number)
    # once, in that order (a claim without a period end speaks for none and bounds no run)
    dated = np.flatnonzero(end.notna().to_numpy())
    series, number = keys["series"].to_numpy()[dated], keys["number"].to_numpy()[dated]
    e = end.to_numpy()[dated]
    order = np.lexsort((number, e, series))
    s, e, n = series[order], e[order], number[order]
    new = run_starts(s, e, n)
    s, e, n = s[new], e[new], n[new]
    # a run changes where the series or the number does; it ends on its last (latest) end
    run_start = run_starts(s, n)
    run, starts = np.cumsum(run_start) - 1, np.flatnonzero(run_start)
    run_end = e[np.r_[starts[1:] - 1, len(e) - 1]]
    none = np.datetime64("NaT", "ns")
    after_one = np.r_[False, s[starts[1:]] == s[starts[:-1]]]  # the series' earlier run
    prev_run_end = np.where(after_one, np.r_[none, run_end[:-1]], none)
    # back to the claims: each dated claim's distinct row, its run, the run before
    prev = np.full(len(end), none)
    prev[dated[order]] = prev_run_end[run[np.cumsum(new) - 1]]
    stale = later & (prev > first_end.to_numpy())
    return end.where(~stale, first_end)


def _hull_and_wording(df: pd.DataFrame, g: pd.Series, merged: pd.Series) -> pd.DataFrame:
    """Per merged figure (*merged*: per figure, whether it has several printings): the hull
    of its printings' intervals, the most frequent wording (ties: the widest, then by name)
    and its rule (``merged:<rule>+<rule>`` when wordings differ)."""
    rows = merged.to_numpy()[g.to_numpy()]
    d = df.loc[rows, [c for c in ("low", "high", "qualifier", "rule") if c in df]]
    # the wordings as categories in order of their names: the groupings and the tie by name
    # below move codes, not text
    q = d["qualifier"].astype("category")
    q = q.cat.reorder_categories(sorted(q.cat.categories))
    t = pd.DataFrame(
        {
            "g": g[rows],
            "low": d["low"].astype("Int64"),
            "high": d["high"].astype("Int64"),
            "open": d["high"].isna(),
            "q": q,
            "rule": d["rule"].astype("str") if "rule" in d else pd.NA,
        }
    )
    t["width"] = t["high"].astype("Float64").fillna(np.inf) - t["low"].astype("Float64").fillna(0)
    by = t.groupby("g", sort=True)
    out = pd.DataFrame(
        {
            "low": by["low"].min(),
            "high": by["high"].max().mask(by["open"].any()),
            "n_wordings": by["q"].nunique(),
        }
    )
    by_wording = t.groupby(["g", "q"], sort=True)
    words = pd.DataFrame({"n": by_wording.size(), "w": by_wording["width"].max()})
    words = words.reset_index().sort_values(
        ["g", "n", "w", "q"], ascending=[True, False, False, True]
    )
    out["qualifier"] = words.drop_duplicates("g").set_index("g")["q"].astype("str")
    differ = t[t["g"].map(out["n_wordings"]) > 1].dropna(subset=["rule"])
    differ = differ.drop_duplicates(["g", "rule"]).sort_values(["g", "rule"])
    codes = differ.groupby("g").ngroup()
    rules = join_lists(lists_by_group(differ["rule"], codes), "+")
    rules.index = differ["g"].drop_duplicates().to_numpy()
    out["merged_rule"] = ("merged:" + rules).reindex(out.index)
    return out


def _group_figures(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The claims sorted by id, each claim's figure number and the period end it speaks for."""
    check_claims(claims)
    by_id = claims["claim_id"].is_monotonic_increasing  # else sorted (stable)
    df = claims if by_id else claims.sort_values("claim_id", kind="stable")
    df = df.reset_index(drop=True)
    keys = figure_keys(df)
    speaks_for = first_publication_end(df["period_end"], keys)
    # figures numbered in order of their smallest claim id
    g = keys.assign(end=speaks_for).groupby(["series", "number", "end"], sort=False, dropna=False)
    return df, g.ngroup(), speaks_for


def _sorted_lists(values: pd.Series, g: pd.Series, n: int) -> pd.Series:
    """Per figure ``0..n-1``, the sorted distinct non-missing values as a list (empty when
    none); *values* may be lists already (figures of figures)."""
    t = pd.DataFrame({"g": g, "v": values})
    if not isinstance(values.dtype, pd.StringDtype):  # lists of outlets: one row per item
        t = t.explode("v")
    t = t.assign(v=t["v"].astype("str")).dropna().drop_duplicates().sort_values(["g", "v"])
    return lists_by_group(t["v"], t["g"], n)


def dedupe(claims: pd.DataFrame, return_log: bool = False):
    """Merge the printings of one figure into one row; stale reprints into their first date.

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
        outlets that printed it) and ``merged_ids`` (the sorted list of claim ids merged into
        it). ``claim_id`` is the smallest merged id; ``reported_by`` and ``url`` are the sorted
        lists of every outlet and url; ``published`` is the earliest publication;
        ``period_end`` is the first publication's (a stale reprint speaks for it);
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
    figure is one piece of evidence, not several; and that a counter does not go back to an
    earlier number of a cumulative toll after publishing a newer one, so such a printing is a
    stale reprint (flows only: a stock such as the displaced in camps may fall back). Figures
    from different counters never merge, and a figure without a named counter merges with
    nothing (unnamed counters may differ). Does not mutate the input; the result does not
    depend on the order of the rows.

    Examples
    --------
    >>> from stats.contract import validate
    >>> raw = pd.DataFrame({"metric": "killed", "value": "826", "period_end": "2024-12-06",
    ...     "qualifier": ["at_least", "more_than", "exact"], "counted_by": ["SOHR", "OSDH", "SNHR"],
    ...     "published": ["2024-12-06", "2024-12-07", "2024-12-06"],
    ...     "reported_by": ["AFP", "Keystone-ATS", "AFP"]})
    >>> out = dedupe(validate(raw, "example.csv")[0])
    >>> cols = ["counted_by", "low", "high", "reported_by", "n_outlets"]
    >>> out.sort_values("counted_by")[cols].to_dict("records")
    [{'counted_by': 'SNHR', 'low': 826, 'high': 826, 'reported_by': ['AFP'], 'n_outlets': 1}, {'counted_by': 'SOHR', 'low': 826, 'high': None, 'reported_by': ['AFP', 'Keystone-ATS'], 'n_outlets': 2}]
    """
    df, g, speaks_for = _group_figures(claims)
    first = ~g.duplicated()
    out = df.loc[first].set_index(g[first]).sort_index()
    by = df.groupby(g, sort=True)
    out["period_end"] = speaks_for.groupby(g).min()
    out["published"] = by["published"].min()
    out["merged_ids"] = lists_by_group(df["claim_id"], g, len(out)).array  # df is sorted by id
    for c in ("reported_by", "url"):
        if c in df:
            out[c] = _sorted_lists(df[c], g, len(out)).array
    n_outlets = out["reported_by"].list.len() if "reported_by" in out else 0
    out["n_outlets"] = pd.Series(n_outlets, index=out.index).astype("Int64")
    merged = by.size() > 1
    if merged.any():
        _set_hull_and_wording(out, _hull_and_wording(df, g, merged))
    cols = list(dict.fromkeys([c for c in claims.columns if c in out.columns] + list(ADDED)))
    out = out[cols].reset_index(drop=True)
    for c in ("metric", "qualifier", "low", "high", "period_end"):
        if c in claims:
            out[c] = out[c].astype(claims[c].dtype)
    if return_log:
        return out, _log(df, g, speaks_for)
    return out


def _set_hull_and_wording(out: pd.DataFrame, h: pd.DataFrame) -> None:
    """Give the merged figures of *out* (one row per figure) their hull ``low``/``high`` and,
    where the printings' wordings differ, the chosen wording and ``merged:`` rule of *h*."""
    out.loc[h.index, "low"] = h["low"]
    out["high"] = pd.array(out["high"], dtype="Int64")
    out.loc[h.index, "high"] = h["high"]
    differ = h["merged_rule"].notna().reindex(out.index, fill_value=False)
    h = h.reindex(out.index)
    qual = out["qualifier"].astype("str").where(~differ, h["qualifier"])
    out["qualifier"] = pd.Categorical(qual, categories=vocab.QUALIFIERS)
    if "rule" in out:
        out["rule"] = out["rule"].astype("str").where(~differ, h["merged_rule"])


def _log(df: pd.DataFrame, g: pd.Series, speaks_for: pd.Series) -> pd.DataFrame:
    """One row per claim that merged with another, with the id it merged into and why."""
    size = g.map(g.value_counts())
    d = df.loc[size > 1]
    gm = g[size > 1]
    kept = df.groupby(g)["claim_id"].first()
    n_wordings = df.groupby(g)["qualifier"].nunique()
    stale = speaks_for != pd.to_datetime(df["period_end"])
    reason = pd.Series(
        np.where(n_wordings[gm].to_numpy() > 1, SAME_NUMBER, SAME_FIGURE), index=d.index
    )
    first_day = speaks_for[d.index].dt.strftime("%Y-%m-%d")
    reason = reason.where(~stale[d.index], first_day.map(lambda day: STALE.format(first=day)))
    col = lambda c: d[c].astype("str") if c in d else pd.Series(pd.NA, index=d.index, dtype="str")  # noqa: E731
    log = pd.DataFrame(
        {
            "kept_id": pd.array(kept[gm].to_numpy(), dtype="str"),
            "claim_id": d["claim_id"].astype("str").to_numpy(),
            "counted_by": col("counted_by").to_numpy(),
            "metric": d["metric"].astype("str").to_numpy(),
            "location": col("location").to_numpy(),
            "period_end": pd.to_datetime(d["period_end"]).to_numpy(),
            "value": pd.array(d["value"], dtype="Int64"),
            "qualifier": d["qualifier"].astype("str").to_numpy(),
            "reported_by": col("reported_by").to_numpy(),
            "n_merged": pd.array(size[d.index].to_numpy(), dtype="Int64"),
            "reason": pd.array(reason.to_numpy(), dtype="str"),
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
