"""Simulated capture histories with a known population size, for checking MSE estimators.

Public functions: :func:`simulate_captures`, :func:`check_coverage` (per stratum) and
:func:`check_total_coverage` (the total over strata, as reported). The first draws a population in strata, each person with
a latent visibility (heterogeneous capture) and lists that pass records to one another
(dependent capture), and returns the overlap table of each stratum with the true N. It works
on capture patterns only (who is on which list); names, spelling variants and record linkage
belong to the victim-list simulation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["SCENARIOS", "check_coverage", "check_total_coverage", "simulate_captures"]

#: Simulation scenarios: keyword arguments of :func:`simulate_captures`.
#: ``heterogeneous``: a latent visible class (capture x3), lists independent within a class;
#: ``mild``: the same with capture x2 (how coverage depends on the strength of it);
#: ``dependent``: homogeneous capture, lists 1->2 and 3->4 pass on 30% of their records;
#: ``both``: capture x3 and list dependence together.
SCENARIOS = {
    "heterogeneous": {"visibility": 3.0, "referral": 0.0},
    "mild": {"visibility": 2.0, "referral": 0.0},
    "dependent": {"visibility": 1.0, "referral": 0.3},
    "both": {"visibility": 3.0, "referral": 0.3},
}


def simulate_captures(
    sizes: Sequence[int],
    n_lists: int = 4,
    seed: int | None = None,
    visible_share: float = 0.3,
    visibility: float = 3.0,
    capture: tuple[float, float] = (0.08, 0.3),
    referral: float = 0.3,
) -> tuple[pd.DataFrame, pd.Series]:
    """Capture tables of simulated strata and their true sizes.

    Parameters
    ----------
    sizes : sequence of int
        True population size of each stratum (strata are named ``s1``, ``s2``, ...).
    n_lists : int
        Number of lists (2 or more).
    seed : int, optional
        Seed of numpy's random generator.
    visible_share : float
        Share of each stratum in the "visible" latent class.
    visibility : float
        How much likelier a visible person is to be on each list (capture probability
        multiplied by this, capped at 0.95): heterogeneity of capture.
    capture : (float, float)
        Range of the per-list capture probabilities of the less visible class; drawn
        uniformly, anew for each stratum and list.
    referral : float
        Probability that a person on list ``2m`` is passed on to list ``2m + 1`` (m = 0, 1,
        ...): positive dependence between those pairs of lists.

    Returns
    -------
    table : DataFrame
        Columns ``stratum``, one 0/1 column per list (``L1``, ``L2``, ...) and ``count``: the
        observed capture patterns of each stratum (patterns with no one left out).
    truth : Series
        True N of each stratum, indexed by stratum.

    Examples
    --------
    >>> table, truth = simulate_captures([500, 800], n_lists=3, seed=1)
    >>> list(table.columns)
    ['stratum', 'L1', 'L2', 'L3', 'count']
    >>> truth.to_dict()
    {'s1': 500, 's2': 800}
    >>> bool((table.groupby("stratum")["count"].sum() <= truth).all())
    True
    """
    if n_lists < 2:
        raise ValueError(f"n_lists must be at least 2, got {n_lists}")
    rng = np.random.default_rng(seed)
    names = [f"L{j + 1}" for j in range(n_lists)]
    parts, truth = [], {}
    for s, size in enumerate(sizes):
        stratum = f"s{s + 1}"
        truth[stratum] = int(size)
        base = rng.uniform(capture[0], capture[1], size=n_lists)
        visible = rng.random(size) < visible_share
        probs = np.where(visible[:, None], np.minimum(base * visibility, 0.95), base)
        caught = rng.random((size, n_lists)) < probs
        for j in range(0, n_lists - 1, 2):
            caught[:, j + 1] |= caught[:, j] & (rng.random(size) < referral)
        records = pd.DataFrame(caught.astype(np.int64), columns=names)
        records = records[records.any(axis=1)]
        counts = records.value_counts().rename("count").reset_index()
        counts.insert(0, "stratum", stratum)
        parts.append(counts)
    table = pd.concat(parts, ignore_index=True)
    return table, pd.Series(truth, name="N")


def check_coverage(
    estimator,
    scenario: str,
    seeds: Sequence[int],
    lists: Sequence[int] = (3, 4, 5),
    sizes: Sequence[int] = (500, 2000),
    level: float = 0.95,
) -> pd.DataFrame:
    """Estimate every stratum of simulated tables and compare with the truth.

    Parameters
    ----------
    estimator : callable
        ``estimator(table, seed) -> MSEResult`` for one stratum's capture table (0/1 list
        columns and ``count``), e.g. ``lambda t, s: stats.mse.estimate(t, "dga", level=0.95)``.
    scenario : str
        A key of :data:`SCENARIOS`.
    seeds : sequence of int
        One simulation per seed; seed ``i`` uses ``lists[i % len(lists)]`` lists.
    lists : sequence of int
        Numbers of lists cycled through.
    sizes : sequence of int
        True sizes of the strata of each simulation.
    level : float
        Level of the intervals (reported; the estimator must use it).

    Returns
    -------
    DataFrame
        One row per stratum: seed, lists, stratum, N (truth), observed, estimate, low, high,
        covered (``low <= N <= high``) and rel_error (``estimate / N - 1``).
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {sorted(SCENARIOS)}")
    rows = []
    for i, seed in enumerate(seeds):
        k = lists[i % len(lists)]
        table, truth = simulate_captures(sizes, n_lists=k, seed=seed, **SCENARIOS[scenario])
        for stratum, part in table.groupby("stratum"):
            res = estimator(part.drop(columns="stratum"), seed)
            n_true = int(truth[stratum])
            rows.append(
                {
                    "seed": seed,
                    "lists": k,
                    "stratum": stratum,
                    "N": n_true,
                    "observed": res.observed,
                    "estimate": res.estimate,
                    "low": res.low,
                    "high": res.high,
                    "covered": res.low <= n_true <= res.high,
                    "rel_error": res.estimate / n_true - 1,
                }
            )
    out = pd.DataFrame(rows)
    out.attrs["level"] = level
    return out


def check_total_coverage(
    scenario: str,
    seeds: Sequence[int],
    lists: Sequence[int] = (3, 4, 5),
    sizes: Sequence[int] = (500, 2000),
    level: float = 0.95,
    **options,
) -> pd.DataFrame:
    """Estimate the total of simulated strata as it is reported, and compare with the truth.

    Each simulation's strata go through :func:`stats.capture.estimate_total`: the checks of
    :func:`stats.capture.check_strata`, each estimable stratum estimated alone, the strata's
    posterior draws summed into the total's.

    Parameters
    ----------
    scenario : str
        A key of :data:`SCENARIOS`.
    seeds : sequence of int
        One simulation per seed; seed ``i`` uses ``lists[i % len(lists)]`` lists and seeds
        the samplers.
    lists, sizes
        As in :func:`check_coverage`.
    level : float
        Level of the intervals.
    **options
        ``method`` (``lcmcr`` or ``dga``) and its options (:func:`stats.mse.estimate`).

    Returns
    -------
    DataFrame
        One row per simulation: seed, lists, N (true total), observed, strata (estimated),
        strata_covered (strata whose own interval holds their true N), estimate, low, high,
        covered and rel_error of the total.
    """
    from stats.capture import estimate_total

    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {sorted(SCENARIOS)}")
    rows = []
    for i, seed in enumerate(seeds):
        k = lists[i % len(lists)]
        table, truth = simulate_captures(sizes, n_lists=k, seed=seed, **SCENARIOS[scenario])
        patterns = table.assign(place=table["stratum"], period="all")
        total = estimate_total(patterns, level=level, seed=seed, **options)
        strata = total.strata.dropna(subset=["estimate"])
        n_stratum = truth.reindex(strata["stratum"]).to_numpy()
        n_true = int(truth.sum())
        rows.append(
            {
                "seed": seed,
                "lists": k,
                "N": n_true,
                "observed": int(table["count"].sum()),
                "strata": len(strata),
                "strata_covered": int(
                    ((strata["low"] <= n_stratum) & (n_stratum <= strata["high"])).sum()
                ),
                "estimate": total.estimate,
                "low": total.low,
                "high": total.high,
                "covered": total.low <= n_true <= total.high,
                "rel_error": total.estimate / n_true - 1,
            }
        )
    return pd.DataFrame(rows)
