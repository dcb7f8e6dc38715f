"""Linked victims -> capture patterns per stratum, with checks that each stratum can be estimated.

After linkage (:mod:`stats.linkage`) each cluster is one person and its *capture pattern* says
which lists recorded them. Multiple systems estimation (:mod:`stats.mse`) needs those patterns
counted per stratum: capture probabilities differ between places and periods (a list strong in
one city is blind in another), and estimating within strata where capture is more alike is
HRDAG's standard remedy for heterogeneity (Ball & Price 2019; Manrique-Vallier, Price & Gohdes
2013). But a stratum must keep enough people, and enough people on several lists, for the
overlaps to say anything: :func:`check_strata` gives each stratum a status.

A cluster's stratum is the most frequent place among its records (ties: the first in
alphabetical order; missing places are ignored) and the period holding the median of its
records' dates of death (each record's date is the middle of its range).

References
----------
Ball, P. and Price, M. (2019). Using statistics to assess lethal violence in civil and
inter-state war. Annual Review of Statistics and Its Application 6, 63-84.
Manrique-Vallier, D., Price, M. E. and Gohdes, A. (2013). Multiple systems estimation
techniques for estimating casualties in armed conflicts. In Seybolt, Aronson and Fischhoff
(eds.), Counting Civilian Casualties, Oxford University Press, 165-182.
Lum, K., Price, M. E. and Banks, D. (2013). Applications of multiple systems estimation in
human rights research. The American Statistician 67(4), 191-200.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stats import mse, vocab
from stats.mse_posterior import Posterior, sum_posteriors

__all__ = [
    "MIN_MULTI",
    "MIN_OBSERVED",
    "SPARSE_PAIR",
    "StrataTotal",
    "capture_patterns",
    "check_strata",
    "cluster_strata",
    "estimate_strata",
    "estimate_total",
    "stratum_table",
]

#: A stratum needs at least this many people observed (on any list) to be estimated.
MIN_OBSERVED = 50
#: ... and at least this many people on two or more lists (the overlaps carry the estimate).
MIN_MULTI = 20
#: Two lists sharing fewer people than this in a stratum make it ``sparse`` (estimated, with a
#: warning: the interaction between them is poorly determined). Same as
#: :data:`stats.mse.SPARSE_OVERLAP`.
SPARSE_PAIR = mse.SPARSE_OVERLAP
UNKNOWN = "unknown"


def cluster_strata(
    clusters: pd.DataFrame, records: pd.DataFrame, period_starts: Sequence[str] | None = None
) -> pd.DataFrame:
    """The place, period and stratum of each cluster.

    Parameters
    ----------
    clusters : DataFrame
        ``list``, ``record_id``, ``cluster_id`` (:attr:`stats.linkage.Linkage.clusters`).
    records : DataFrame
        The :class:`~stats.victims.VictimRecords` that were linked.
    period_starts : sequence of str, optional
        First days of the periods (``YYYY-MM-DD``, increasing); a period runs to the day
        before the next start, the last one without end. ``None``: one period, ``all``.

    Returns
    -------
    DataFrame
        ``cluster_id``, ``place``, ``period`` (the start of its period, ``all``, or
        ``unknown`` for a cluster without a date or dated before the first start) and
        ``stratum`` (``"place period"``). Does not mutate its inputs.

    Examples
    --------
    >>> recs = pd.DataFrame({"list": ["A", "B"], "record_id": ["1", "1"],
    ...     "place": ["Homs", "Homs"], "date_start": pd.to_datetime(["2013-02-01"] * 2),
    ...     "date_end": pd.to_datetime(["2013-02-01", "2013-02-28"])})
    >>> cl = recs[["list", "record_id"]].assign(cluster_id="c1")
    >>> cluster_strata(cl, recs, ["2013-01-01", "2013-07-01"]).to_dict("records")
    [{'cluster_id': 'c1', 'place': 'Homs', 'period': '2013-01-01', 'stratum': 'Homs 2013-01-01'}]
    """
    rec = clusters[["list", "record_id", "cluster_id"]].merge(
        records[["list", "record_id", "place", "date_start", "date_end"]],
        on=["list", "record_id"],
        how="left",
        validate="1:1",
    )
    rec["place"] = vocab.canonical_place(rec["place"])
    counts = rec.dropna(subset=["place"]).groupby(["cluster_id", "place"]).size().reset_index()
    counts = counts.sort_values(["cluster_id", 0, "place"], ascending=[True, False, True])
    place = counts.drop_duplicates("cluster_id").set_index("cluster_id")["place"]
    middle = rec["date_start"] + (rec["date_end"] - rec["date_start"]) / 2
    day = middle.groupby(rec["cluster_id"]).median()
    out = pd.DataFrame({"cluster_id": day.index.astype("str")})
    out["place"] = place.reindex(day.index).fillna(UNKNOWN).to_numpy()
    out["period"] = _periods(day, period_starts)
    out["stratum"] = out["place"] + " " + out["period"]
    return out.astype("str")


def _periods(day: pd.Series, period_starts: Sequence[str] | None) -> np.ndarray:
    if period_starts is None:
        return np.where(day.notna(), "all", UNKNOWN)
    starts = pd.to_datetime(pd.Series(list(period_starts)), format="%Y-%m-%d")
    if not starts.is_monotonic_increasing or starts.duplicated().any():
        raise ValueError(f"period_starts must increase: {list(period_starts)}")
    k = np.searchsorted(starts.to_numpy(), day.to_numpy(dtype="datetime64[ns]"), side="right") - 1
    labels = starts.dt.strftime("%Y-%m-%d").to_numpy()
    return np.where((k >= 0) & day.notna().to_numpy(), labels[np.clip(k, 0, None)], UNKNOWN)


def capture_patterns(
    clusters: pd.DataFrame,
    records: pd.DataFrame,
    period_starts: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Count the people of each stratum by capture pattern (which lists recorded them).

    Parameters
    ----------
    clusters, records, period_starts
        As in :func:`cluster_strata`.

    Returns
    -------
    DataFrame
        ``stratum``, ``place``, ``period``, one 0/1 column per list (sorted by name) and
        ``count``: one row per stratum and observed pattern (absent patterns are zero, as
        :func:`stats.mse.tabulate` reads them). A person recorded twice by one list counts
        once. Does not mutate its inputs.

    Examples
    --------
    >>> recs = pd.DataFrame({"list": ["A", "B", "A"], "record_id": ["1", "1", "2"],
    ...     "place": ["Homs"] * 3, "date_start": pd.to_datetime(["2013-02-01"] * 3)})
    >>> recs["date_end"] = recs["date_start"]
    >>> cl = recs[["list", "record_id"]].assign(cluster_id=["c1", "c1", "c2"])
    >>> capture_patterns(cl, recs)[["stratum", "A", "B", "count"]].to_dict("list")
    {'stratum': ['Homs all', 'Homs all'], 'A': [1, 1], 'B': [0, 1], 'count': [1, 1]}
    """
    lists = sorted(clusters["list"].unique())
    on = pd.crosstab(clusters["cluster_id"], clusters["list"]).reindex(columns=lists) > 0
    strata = cluster_strata(clusters, records, period_starts).set_index("cluster_id")
    people = on.astype("int64").join(strata[["stratum", "place", "period"]])
    keys = ["stratum", "place", "period", *lists]
    out = people.groupby(keys, sort=True).size().rename("count").reset_index()
    return out.astype({c: "int64" for c in lists}).astype({"count": "int64"})


def stratum_table(patterns: pd.DataFrame, stratum: str) -> pd.DataFrame:
    """One stratum's patterns in the layout ``python -m stats mse`` reads (lists + count)."""
    if stratum not in set(patterns["stratum"]):
        raise KeyError(
            f"no stratum {stratum!r}; strata: {', '.join(sorted(set(patterns['stratum'])))}"
        )
    rows = patterns.loc[patterns["stratum"] == stratum]
    return rows.drop(columns=["stratum", "place", "period"]).reset_index(drop=True)


def check_strata(patterns: pd.DataFrame) -> pd.DataFrame:
    """Whether each stratum has enough people and overlap to be estimated.

    Returns
    -------
    DataFrame
        Per stratum: ``observed`` (people on any list), ``lists`` (lists with at least one
        person there), ``multi`` (people on two or more lists), ``min_pair`` and ``min_pair_lists``
        (the smallest overlap between two of its lists, and which), ``status`` and ``reason``.

    Notes
    -----
    ``status`` is, in this order of precedence:

    * ``unknown_stratum``: the place or period is unknown (the records said nothing);
    * ``one_list``: fewer than two lists recorded anyone here: no overlap, no estimate;
    * ``too_small``: fewer than :data:`MIN_OBSERVED` people observed;
    * ``no_overlap``: fewer than :data:`MIN_MULTI` people on two or more lists;
    * ``sparse``: two of the lists share fewer than :data:`SPARSE_PAIR` people (estimate
      with care: the models' interaction terms for them are poorly determined);
    * ``ok``.

    Strata that are not ``ok`` or ``sparse`` should be merged with neighbours (coarser
    places or periods) rather than estimated alone.
    """
    lists = [c for c in patterns.columns if c not in ("stratum", "place", "period", "count")]
    rows = []
    for stratum, g in patterns.groupby("stratum", sort=True):
        w = g["count"].to_numpy()
        on = g[lists].to_numpy(dtype=bool)
        present = [k for k, name in enumerate(lists) if (on[:, k] * w).sum() > 0]
        pairs = {
            f"{lists[a]}:{lists[b]}": int((w * (on[:, a] & on[:, b])).sum())
            for a, b in itertools.combinations(present, 2)
        }
        low = min(pairs, key=pairs.get) if pairs else None
        row = {
            "stratum": stratum,
            "place": g["place"].iloc[0],
            "period": g["period"].iloc[0],
            "observed": int(w.sum()),
            "lists": len(present),
            "multi": int(w[on.sum(axis=1) >= 2].sum()),
            "min_pair": pairs[low] if low else 0,
            "min_pair_lists": low,
        }
        row["status"], row["reason"] = _status(row)
        rows.append(row)
    return pd.DataFrame(rows)


def _status(row: dict) -> tuple[str, str]:
    if UNKNOWN in (row["place"], row["period"]):
        return "unknown_stratum", "place or period of death unknown"
    if row["lists"] < 2:
        return "one_list", f"only {row['lists']} list(s) recorded anyone here"
    if row["observed"] < MIN_OBSERVED:
        return "too_small", f"{row['observed']} people observed (< {MIN_OBSERVED})"
    if row["multi"] < MIN_MULTI:
        return "no_overlap", f"{row['multi']} people on two or more lists (< {MIN_MULTI})"
    if row["min_pair"] < SPARSE_PAIR:
        return "sparse", f"lists {row['min_pair_lists']} share {row['min_pair']} (< {SPARSE_PAIR})"
    return "ok", ""


def estimate_strata(patterns: pd.DataFrame, **options) -> pd.DataFrame:
    """Estimate each stratum whose status is ``ok`` or ``sparse`` with :func:`stats.mse.estimate`.

    Parameters
    ----------
    patterns : DataFrame
        From :func:`capture_patterns`.
    **options
        Passed to :func:`stats.mse.estimate` (``method``, ``level``, ...).

    Returns
    -------
    DataFrame
        :func:`check_strata` plus ``estimate``, ``low``, ``high``, ``model`` and
        ``mse_status`` (missing for strata not estimated).
    """
    return _strata_table(*_fit_strata(patterns, options))


def _strata_table(checks: pd.DataFrame, results: list) -> pd.DataFrame:
    """The checks with each stratum's estimate, interval, model and status."""
    rows = [
        {"estimate": np.nan, "low": np.nan, "high": np.nan}
        if res is None
        else {
            "estimate": res.estimate,
            "low": res.low,
            "high": res.high,
            "model": " + ".join(res.model) or "main effects",
            "mse_status": res.status,
        }
        for res in results
    ]
    out = pd.concat([checks, pd.DataFrame(rows, index=checks.index)], axis=1)
    return out.astype({"estimate": "float64", "low": "float64", "high": "float64"})


@dataclass(frozen=True)
class StrataTotal:
    """The total over strata of :func:`estimate_total`.

    Attributes
    ----------
    estimate, low, high : float
        Posterior median and equal-tailed interval of the total at ``level``.
    level : float
        Level of the interval.
    strata : DataFrame
        :func:`estimate_strata`'s table (each stratum's check and estimate).
    observed_elsewhere : int
        People observed in strata that were not estimated (added to every draw as they are:
        a floor, not an estimate, for those strata).
    posterior : Posterior
        Draws of the total.
    """

    estimate: float
    low: float
    high: float
    level: float
    strata: pd.DataFrame
    observed_elsewhere: int
    posterior: Posterior


def estimate_total(
    patterns: pd.DataFrame, level: float = 0.95, seed: int | None = None, **options
) -> StrataTotal:
    """Estimate the strata with a Bayesian method and sum their posteriors into the total.

    Parameters
    ----------
    patterns : DataFrame
        From :func:`capture_patterns`.
    level : float
        Level of the strata's and the total's intervals.
    seed : int, optional
        Seed of the strata's samplers (stratum *i* gets ``seed + i``) and of the draws.
    **options
        ``method`` (``lcmcr`` or ``dga``) and its options, passed to
        :func:`stats.mse.estimate`.

    Returns
    -------
    StrataTotal

    Notes
    -----
    Each stratum with status ``ok`` or ``sparse`` (:func:`check_strata`) is estimated alone;
    the total's draws are the sums of the strata's draws (:func:`stats.mse_posterior.
    sum_posteriors`), plus the people observed in the strata that are not estimated. This is
    how HRDAG reports a total: estimates within strata where capture is alike, summed
    (Ball & Price 2019). Strata must be chosen before looking at the estimates.

    Examples
    --------
    >>> from stats.mse_simulate import simulate_captures
    >>> table, truth = simulate_captures([300, 400], n_lists=3, seed=1, referral=0.0)
    >>> patterns = table.assign(place=table["stratum"], period="all")
    >>> total = estimate_total(patterns, method="dga", seed=1)
    >>> bool(table["count"].sum() <= total.low <= total.estimate <= total.high)
    True
    >>> list(total.strata["status"])
    ['ok', 'ok']
    """
    if options.get("method") not in mse.BAYES_METHODS:
        raise ValueError(
            f"estimate_total sums posteriors: method must be one of {mse.BAYES_METHODS}, "
            f"got {options.get('method')!r}"
        )
    checks, results = _fit_strata(patterns, {**options, "level": level}, seed)
    estimated = [res is not None and res.posterior is not None for res in results]
    done = [res.posterior for res, ok in zip(results, estimated, strict=True) if ok]
    elsewhere = int(checks.loc[[not ok for ok in estimated], "observed"].sum())
    if not done:
        raise ValueError("no stratum can be estimated (see check_strata)")
    post = sum_posteriors(done, seed=seed)
    post = Posterior("samples", post.values + elsewhere)
    low, high = post.interval(level)
    return StrataTotal(
        post.median(), low, high, level, _strata_table(checks, results),
        elsewhere, post,
    )  # fmt: skip


def _fit_strata(patterns: pd.DataFrame, options: dict, seed: int | None = None):
    """:func:`check_strata` and the MSEResult of each stratum (``None`` where not estimated)."""
    checks = check_strata(patterns)
    results = []
    for i, row in enumerate(checks.itertuples(index=False)):
        if row.status not in ("ok", "sparse"):
            results.append(None)
            continue
        extra = {} if seed is None else {"seed": seed + i}
        results.append(mse.estimate(stratum_table(patterns, row.stratum), **options, **extra))
    return checks, results
