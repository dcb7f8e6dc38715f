"""Simulated capture histories with a known population size, for checking MSE estimators.

Public functions: :func:`simulate_captures`, :func:`check_coverage` (per stratum) and
:func:`check_total_coverage` (the total over strata, as reported); and, to check the Bayesian
samplers themselves, :func:`draw_from_prior` (a table drawn from the prior of ``lcmcr`` or
``dga``) and :func:`check_calibration` (simulation-based calibration: over tables drawn from
a model's own prior, the 95% intervals must hold the true N 95% of the time). The first draws a population in strata, each person with
a latent visibility (heterogeneous capture) and lists that pass records to one another
(dependent capture), and returns the overlap table of each stratum with the true N. It works
on capture patterns only (who is on which list); names, spelling variants and record linkage
belong to the victim-list simulation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "CALIBRATION_RANGE",
    "SCENARIOS",
    "check_calibration",
    "check_coverage",
    "check_total_coverage",
    "draw_from_prior",
    "simulate_captures",
]

#: Simulation scenarios: keyword arguments of :func:`simulate_captures`.
#: ``heterogeneous``: a latent visible class (capture x3), lists independent within a class;
#: ``mild``: the same with capture x2 (how coverage depends on the strength of it);
#: ``dependent``: homogeneous capture, lists 1->2 and 3->4 pass on 30% of their records;
#: ``both``: capture x3 and list dependence together;
#: ``identified``: the latent-class model of ``heterogeneous`` with capture 0.3-0.45 (x2 for
#: the visible): a check of lcmcr where its model holds and the lists see most people.
SCENARIOS = {
    "heterogeneous": {"visibility": 3.0, "referral": 0.0},
    "mild": {"visibility": 2.0, "referral": 0.0},
    "dependent": {"visibility": 1.0, "referral": 0.3},
    "both": {"visibility": 3.0, "referral": 0.3},
    "identified": {"visibility": 2.0, "referral": 0.0, "capture": (0.3, 0.45)},
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


#: Range of N of the calibration tables: N is drawn with p(N) proportional to 1/N in it.
CALIBRATION_RANGE = (1000, 10000)


def draw_from_prior(
    method: str,
    n_lists: int,
    rng: np.random.Generator,
    n_range: tuple[int, int] = CALIBRATION_RANGE,
) -> tuple[pd.DataFrame, int]:
    """A capture table drawn from the prior of ``lcmcr`` or ``dga`` (default settings).

    N is drawn with :math:`p(N) \\propto 1/N` on ``n_range`` (the estimators' prior, made
    proper by the range). ``lcmcr``: :math:`\\alpha \\sim \\mathrm{Gamma}(a, b)`, the
    truncated stick-breaking weights of K classes, :math:`\\lambda_{jk} \\sim
    \\mathrm{Beta}(1, 1)`, each person's class and lists (:data:`stats.mse_lcmcr.DEFAULTS`).
    ``dga``: a decomposable graph uniformly among all, cell probabilities from its
    hyper-Dirichlet prior with :math:`\\delta = 2^{-k}` (a Dirichlet on the first clique's table,
    then on each next clique's new lists given its separator, in a perfect order), N people
    over the cells.

    Returns
    -------
    table : DataFrame
        One 0/1 column per list (``L1``, ...) and ``count``, the observed patterns.
    N : int
        The true population size.

    Examples
    --------
    >>> table, n = draw_from_prior("dga", 3, np.random.default_rng(1))
    >>> list(table.columns), bool(table["count"].sum() <= n)
    (['L1', 'L2', 'L3', 'count'], True)
    """
    values = np.arange(n_range[0], n_range[1] + 1)
    n_true = int(rng.choice(values, p=(1.0 / values) / (1.0 / values).sum()))
    if method == "lcmcr":
        caught = _draw_latent_classes(rng, n_lists, n_true)
    elif method == "dga":
        codes = rng.choice(2**n_lists, size=n_true, p=_draw_hyper_dirichlet(rng, n_lists))
        bits = (codes[:, None] >> np.arange(n_lists - 1, -1, -1)[None, :]) & 1
        caught = bits.astype(bool)  # bit k-1-j is list j, as in stats.mse_dga
    else:
        raise ValueError(f"method must be 'lcmcr' or 'dga', got {method!r}")
    names = [f"L{j + 1}" for j in range(n_lists)]
    records = pd.DataFrame(caught.astype(np.int64), columns=names)
    records = records[records.any(axis=1)]
    return records.value_counts().rename("count").reset_index(), n_true


def _draw_latent_classes(rng: np.random.Generator, n_lists: int, n: int) -> np.ndarray:
    from stats.mse_lcmcr import DEFAULTS

    K, a, b = DEFAULTS["K"], DEFAULTS["a"], DEFAULTS["b"]
    alpha = rng.gamma(a, 1.0 / b)
    v = np.r_[rng.beta(1.0, alpha, size=K - 1), 1.0]
    pi = v * np.r_[1.0, np.cumprod(1.0 - v[:-1])]
    lam = rng.beta(1.0, 1.0, size=(n_lists, K))
    z = rng.choice(K, size=n, p=pi / pi.sum())
    return rng.random((n, n_lists)) < lam[:, z].T


def _draw_hyper_dirichlet(rng: np.random.Generator, k: int) -> np.ndarray:
    """Cell probabilities (by pattern code) from dga's prior: a uniform decomposable graph,
    then its hyper-Dirichlet (delta = 2^-k per cell of the full table)."""
    from stats.mse_dga import decomposable_graphs

    graphs = decomposable_graphs(k)
    graph = graphs[rng.integers(len(graphs))]
    codes = np.arange(2**k)
    log_p = np.zeros(2**k)
    seen = 0
    for clique in _perfect_order(list(graph.cliques)):
        sep, new = clique & seen, clique & ~seen
        shape = 2.0 ** -bin(clique).count("1")  # delta 2^(k - |C|) with delta = 2^-k
        for s_cell in np.unique(codes & sep):
            in_s = (codes & sep) == s_cell
            cells, where = np.unique(codes[in_s] & new, return_inverse=True)
            w = rng.dirichlet(np.full(len(cells), shape))
            log_p[in_s] += np.log(np.maximum(w, 1e-300))[where]
        seen |= clique
    p = np.exp(log_p)
    return p / p.sum()


def _perfect_order(cliques: list[int]) -> list[int]:
    """The cliques in an order with the running intersection property (each clique meets the
    earlier ones inside one of them), found by search (at most 5 lists)."""
    import itertools

    for order in itertools.permutations(cliques):
        seen, ok = 0, True
        for i, c in enumerate(order):
            sep = c & seen
            ok = i == 0 or any(sep & d == sep for d in order[:i])
            if not ok:
                break
            seen |= c
        if ok:
            return list(order)
    raise ValueError("the cliques have no perfect order (the graph is not decomposable)")


def check_calibration(
    method: str,
    seeds: Sequence[int],
    lists: Sequence[int] = (3, 4, 5),
    level: float = 0.95,
    n_range: tuple[int, int] = CALIBRATION_RANGE,
    **options,
) -> pd.DataFrame:
    """Simulation-based calibration: intervals over tables drawn from the method's prior.

    Where the data are drawn from the prior of the model and the posterior is computed
    exactly, the posterior's equal-tailed interval at ``level`` holds the true N in a share
    ``level`` of the tables, and the rank of the true N in the posterior is uniform (Cook,
    Gelman & Rubin 2006; Talts et al. 2018): a check of the sampler, whatever the data.

    Parameters
    ----------
    method : {"lcmcr", "dga"}
        ``dga``: the exact grid posterior under the prior of the draws (:math:`1/N` on
        ``n_range``), so the check is exact. ``lcmcr``: the sampler's own prior :math:`1/N`
        on all N >= n (it has no other), equal to the draws' where the posterior lies within
        ``n_range`` (reported as ``inside``).
    seeds : sequence of int
        One table per seed; seed ``i`` uses ``lists[i % len(lists)]`` lists.
    lists : sequence of int
        Numbers of lists cycled through.
    level : float
        Level of the intervals.
    n_range : (int, int)
        Range of N of the draws.
    **options
        ``lcmcr``: the chain's ``burn_in``, ``samples``, ``thin`` (K and the priors are the
        defaults, as in the draws).

    Returns
    -------
    DataFrame
        One row per table: seed, lists, N, observed, low, high, covered, rank (the posterior
        probability below the true N, plus a uniform share of the probability at it) and
        inside (posterior probability within ``n_range``).
    """
    from stats.mse_dga import posterior as dga_posterior
    from stats.mse_lcmcr import sample_population

    rows = []
    for i, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        k = lists[i % len(lists)]
        table, n_true = draw_from_prior(method, k, rng, n_range)
        patterns = table.drop(columns="count").to_numpy()
        observed = int(table["count"].sum())
        if method == "dga":
            y = np.zeros(2**k, dtype=np.int64)
            y[patterns @ (1 << np.arange(k - 1, -1, -1))] = table["count"].to_numpy()
            post = dga_posterior(
                y, k, n_missing=np.arange(0, n_range[1] - observed + 1),
                log_prior=lambda n: np.where(n >= n_range[0], -np.log(n), -np.inf),
            )[0]  # fmt: skip
        else:
            post = sample_population(patterns, table["count"].to_numpy(), seed=seed, **options)
        low, high = post.interval(level)
        rows.append(
            {"seed": seed, "lists": k, "N": n_true, "observed": observed, "low": low,
             "high": high, "covered": low <= n_true <= high,
             "rank": _rank(post, n_true, rng),
             "inside": _probability(post, lambda v: (v >= n_range[0]) & (v <= n_range[1]))}
        )  # fmt: skip
    return pd.DataFrame(rows)


def _probability(post, event) -> float:
    if post.kind == "samples":
        return float(event(post.values).mean())
    return float(post.weights[event(post.values)].sum() / post.weights.sum())


def _rank(post, n_true: int, rng: np.random.Generator) -> float:
    below = _probability(post, lambda v: v < n_true)
    return below + rng.random() * _probability(post, lambda v: v == n_true)
