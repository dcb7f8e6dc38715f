"""Reconcile claims into low / best / high estimates per series, counter and date.

The claims are read as constraints on the true cumulative count ``C(d)`` of a *series*
(metric, location, subgroup), counted since the series start ``s`` (given by the dataset's
metadata, see :func:`stats.estimate.constraints.series_start`). The steps, each a module of
:mod:`stats.estimate`:

1. ``known_on`` keeps the claims published by then, *before* anything merges
   (:func:`~stats.estimate.dedupe.as_known_on`); :func:`~stats.estimate.dedupe.dedupe` merges
   the printings of one figure and matches stale reprints to their first date;
2. every figure becomes a constraint on ``C`` by its role (cumulative since ``s``, a window,
   a wider total, a stock: :mod:`~stats.estimate.constraints`);
3. misprints -- figures their counter's own series contradicts and the other counters do not
   back -- are set aside as ``outlier`` conflicts (:mod:`~stats.estimate.outliers`, the same
   rule the eventual toll of :mod:`~stats.estimate.delay` uses);
4. per counter and day the bounds are intersected; windows of one counter add up and bound
   each other (:mod:`~stats.estimate.windows`); a part never exceeds its whole (same counter
   and day: :mod:`~stats.estimate.hierarchy`); a flow never falls (lower bounds carried
   forward, upper bounds backward); ``best`` is an isotonic fit of the figures, clipped to the
   band (:mod:`~stats.estimate.per_counter`);
5. across counters, on every day any counter reported: the intersection of the counters'
   bands, parts and wholes across counters, and a best picked by a rule
   (:mod:`~stats.estimate.combine`).

Stocks (metric kind ``stock``, e.g. ``idps``) are bounded on the day they describe only: they
may fall. ``low``/``high`` are what the evidence states taken literally (after setting aside
misprints). Evidence that cannot all hold becomes a row of the conflicts table, naming its
claims; the estimate then spans the disagreeing evidence (``low`` = the smaller, ``high`` =
the larger of the clashing bounds) rather than silently dropping one side.

References
----------
ACLED (2023). *ACLED Codebook*, section on fatalities: "the most conservative reports are
used". Ball, P. et al. (2003). *How many Peruvians have died?* AAAS/HRDAG (on why counters'
lists are combined, not averaged). Barlow, R. E. et al. (1972). *Statistical Inference under
Order Restrictions*, Wiley (isotonic regression).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats import contract, vocab
from stats.days import as_day
from stats.errors import SchemaError, UserError
from stats.estimate.combine import RULES, combine
from stats.estimate.conflicts import conflicts_table
from stats.estimate.constraints import SERIES, claim_constraints
from stats.estimate.dedupe import as_known_on, check_claims, dedupe, is_deduplicated
from stats.estimate.hierarchy import ancestor_pairs, apply_part_whole, matching_rows
from stats.estimate.lists import (
    count_distinct,
    join_lists,
    lists_by_group,
    optional_text,
    whole_numbers,
)
from stats.estimate.outliers import find_outliers
from stats.estimate.per_counter import GROUP, HEAD, day_bands, monotone_bands, robust_best
from stats.estimate.windows import add_windows, nested_conflicts, window_claims

#: Rounds of part/whole propagation on the monotone bands (chains of parts need several).
MAX_ROUNDS = 4
#: Columns of the Estimates and Conflicts tables, in order (from the pandera models).
ESTIMATES_COLUMNS: tuple[str, ...] = contract.ESTIMATES_COLUMNS
CONFLICTS_COLUMNS: tuple[str, ...] = contract.CONFLICTS_COLUMNS


def check_rule_and_metrics(claims: pd.DataFrame, rule: str) -> None:
    """Raise for an unknown rule or a metric outside the vocabulary."""
    if rule not in RULES:
        raise UserError(f"unknown rule {rule!r}: expected one of {', '.join(RULES)}")
    metric = claims["metric"].astype("category")  # each distinct name checked once
    known = np.r_[metric.cat.categories.astype("str").isin(vocab.METRIC_NAMES), False]
    unknown = ~known[metric.cat.codes.to_numpy()]  # a missing metric (code -1) is unknown
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise SchemaError(
            f"claims table, row {i + 1} (claim_id {claims['claim_id'].iloc[i]!r}), column "
            f"metric: {claims['metric'].iloc[i]!r} is not in the vocabulary (expected one of "
            f"{', '.join(vocab.METRIC_NAMES)})"
        )


def per_counter_bands(ev: pd.DataFrame, pairs: pd.DataFrame):
    """Per-counter rows with ``low``, ``best``, ``high`` and the conflicts found on the way."""
    b, same_day = day_bands(ev)
    b, loops = add_windows(b, window_claims(ev))
    rows = matching_rows(b, pairs, on=["cid", "day"])  # the same rows in every round below
    b, hier = apply_part_whole(b, pairs, on=["cid", "day"], rows=rows)
    pc, falls = monotone_bands(b)
    pc = part_whole_rounds(pc, pairs, rows)
    pc["best"] = robust_best(pc, GROUP)
    return pc, [same_day, loops, *hier, falls]


def part_whole_rounds(pc: pd.DataFrame, pairs: pd.DataFrame, rows) -> pd.DataFrame:
    """Parts and wholes again on the monotone bands *pc*, until nothing moves (chains of parts
    need several rounds, at most :data:`MAX_ROUNDS`). A round makes monotone again only the
    counter series where a bound moved: the others are already monotone, so unchanged."""
    if rows.empty:  # no part and whole on the same counter and day: nothing moves
        return pc
    band = ["low", "high", "id_low", "id_high"]
    series = pc.groupby(GROUP, sort=False).ngroup().to_numpy()
    for _ in range(MAX_ROUNDS):
        again = pc.assign(L=pc["low"], H=pc["high"], id_L=pc["id_low"], id_H=pc["id_high"])
        again, _ = apply_part_whole(again, pairs, ["cid", "day"], record=False, rows=rows)
        moved = (again["L"] != pc["low"]).to_numpy() | (again["H"] != pc["high"]).to_numpy()
        if not moved.any():
            break
        redo = np.isin(series, series[moved])
        redone, _ = monotone_bands(again.loc[redo, [*HEAD, "day", "L", "H", "id_L", "id_H"]])
        pc = again.assign(**{c: pc[c] for c in band})
        pc.loc[redo, band] = redone[band]
    return pc


def claims_of_day(ev: pd.DataFrame) -> pd.DataFrame:
    """Per (series, day), the claims dated that day of any counter: ``n_claims``,
    ``n_outlets`` (distinct), ``claim_ids`` (``;``-joined, sorted)."""
    by = ev.groupby(["sid", "day"])
    g = by.ngroup()
    out = by.size().rename("n_claims").reset_index()
    out["claim_ids"] = join_lists(lists_by_group(ev["claim_id"], g, len(out)))  # sorted by id
    out["n_outlets"] = count_distinct(ev["outlets"], g)
    return out


def estimates_table(pc: pd.DataFrame, comb: pd.DataFrame, rule: str) -> pd.DataFrame:
    """The Estimates table (:class:`stats.contract.Estimates`): per series, its per-counter
    rows (*pc*, sorted by series, counter and day), then its combined rows (*comb*, sorted by
    series and day)."""
    pc = pc.assign(n_counters=1, counters=pc["counter"], combine_rule=None)
    comb = comb.assign(combine_rule=rule)
    # both come sorted: a stable sort by series alone puts each series' combined rows after
    # its counters' rows
    order = np.argsort(np.r_[pc["sid"].to_numpy(), comb["sid"].to_numpy()], kind="stable")

    def values(c, fill=None):  # the column of both parts, in the table's order
        v = np.r_[pc[c].to_numpy(), comb[c].to_numpy()][order]
        return v if fill is None else np.where(pd.isna(v), fill, v)

    def text(c):
        both = pd.concat([optional_text(pc[c]), optional_text(comb[c])], ignore_index=True)
        return pd.Series(both.array.take(order))

    out = pd.DataFrame(
        {
            "metric": text("metric"),
            "location": text("location"),
            "subgroup": text("subgroup"),
            "counter": text("counter"),
            "date": values("day").astype("datetime64[ns]"),
            "low": whole_numbers(values("low")),
            "best": whole_numbers(values("best")),
            "high": whole_numbers(values("high")),
            "n_claims": whole_numbers(values("n_claims", fill=0.0).astype(float)),
            "n_outlets": whole_numbers(values("n_outlets", fill=0.0).astype(float)),
            "n_counters": whole_numbers(values("n_counters", fill=0.0).astype(float)),
            "claim_ids": text("claim_ids"),
            "combine_rule": text("combine_rule"),
            "kind": text("kind"),
            "series_start": values("series_start").astype("datetime64[ns]"),
            "counters": text("counters"),
        }
    )
    return out[list(ESTIMATES_COLUMNS)]


def empty_estimates() -> pd.DataFrame:
    """An empty Estimates table with the right dtypes."""
    return contract.Estimates.validate(pd.DataFrame(columns=list(ESTIMATES_COLUMNS)))


def empty_conflicts() -> pd.DataFrame:
    """An empty Conflicts table with the right dtypes."""
    return conflicts_table([])


def reconcile(
    claims: pd.DataFrame, known_on=None, rule: str = "median", start=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reconcile claims into low / best / high per series, counter and date, with conflicts.

    Parameters
    ----------
    claims
        A Claims table as published (the ledger; it is deduplicated here, after the as-of
        filter), or figures from :func:`stats.dedupe` when ``known_on`` is not given.
    known_on
        A date: use only claims published on or before it (the estimate as it could have been
        made that day). Needs the claims, not deduplicated figures.
    rule
        How counters' bests are combined (:data:`RULES`): ``"median"`` (default),
        ``"conservative"`` (the lowest), ``"consensus"`` (claim-weighted mean) or
        ``"highest"``. The combined ``low``/``high`` do not depend on the rule.
    start
        The series start (the first day counted), from the dataset's metadata. ``None``: the
        earliest ``period_start`` any claim states (:func:`stats.estimate.constraints.series_start`).

    Returns
    -------
    estimates : DataFrame
        An Estimates table (:class:`stats.contract.models.Estimates`, which defines its
        columns): one row per series, counter and date on which that counter (or, on the
        ``combined`` rows, any counter) published a figure.
    conflicts : DataFrame
        A Conflicts table (:class:`stats.contract.models.Conflicts`): one row per
        contradiction, of a kind of :data:`stats.estimate.conflicts.KINDS`, naming its claims.

    Raises
    ------
    SchemaError
        When columns are missing, a metric is unknown or claim ids repeat.
    UserError
        For an unknown rule, or ``known_on`` with deduplicated figures.

    Notes
    -----
    Assumes that every counter counts the same thing (the same deaths, the same place and
    period), so that true figures from two counters lie in both bands; that a counter's windows
    of one series count the same deaths as its cumulative tolls; and that a toll far above its
    counter's later tolls, which no other counter backs, is a misprint
    (:mod:`stats.estimate.outliers`).

    Examples
    --------
    >>> from stats.contract import validate
    >>> days = ["2024-11-29", "2024-12-01", "2024-12-02"]
    >>> raw = pd.DataFrame({"metric": "killed", "value": ["242", "412", "400"],
    ...     "qualifier": ["at_least", "exact", "exact"], "period_start": "2024-11-27",
    ...     "period_end": days, "published": days, "counted_by": "SOHR", "location": "Goma"})
    >>> est, conf = reconcile(validate(raw)[0])
    >>> est.loc[est["counter"] == "SOHR", ["date", "low", "best", "high"]].astype(str).values.tolist()
    [['2024-11-29', '242', '242', '400'], ['2024-12-01', '400', '406', '412'], ['2024-12-02', '400', '406', '412']]
    >>> conf[["kind", "counters"]].values.tolist()
    [['non_monotone', 'SOHR']]
    """
    check_claims(claims)
    check_rule_and_metrics(claims, rule)
    known_on, start = as_day(known_on, "known_on"), as_day(start, "start")
    claims = as_known_on(claims, known_on)
    figures = claims if is_deduplicated(claims) else dedupe(claims)
    dated = figures["period_end"].notna()
    figures = figures if dated.all() else figures[dated]
    if figures.empty:
        return empty_estimates(), empty_conflicts()
    ev = claim_constraints(figures, start=start).sort_values("claim_id").reset_index(drop=True)
    misprint, outliers = find_outliers(ev, figures)
    if misprint.any():
        ev = ev[~misprint].reset_index(drop=True)
    if ev.empty:
        return empty_estimates(), conflicts_table([outliers])
    pairs = ancestor_pairs(ev.drop_duplicates("sid")[["sid", *SERIES]])
    pc, found = per_counter_bands(ev, pairs)
    comb, across = combine(pc, claims_of_day(ev), pairs, rule)
    nested = nested_conflicts(ev)
    return estimates_table(pc, comb, rule), conflicts_table([outliers, *found, *across, nested])
