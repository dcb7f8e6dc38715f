"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

The exact posterior of the population size N from a capture table of k lists, averaged over
every decomposable graphical model of the k lists, as in the R package ``dga`` (Johndrow, Lum &
Ball). Public functions: :func:`decomposable_graphs` and :func:`posterior`.

The model. Each of the N individuals falls in one of the :math:`2^k` capture patterns (the
all-zero one unobserved, with count :math:`n_0 = N - n`). Given a decomposable graph G with
cliques :math:`\\mathcal C` and separators :math:`\\mathcal S` (the edges of a junction tree),
the cell probabilities have a hyper-Dirichlet prior: on the marginal table of every clique
and separator :math:`a`, a Dirichlet with parameter :math:`\\delta\\,2^{k-|a|}` per cell (a
Dirichlet(:math:`\\delta`) on the full table, marginalised). The marginal likelihood of the
completed table then factorises (Dawid & Lauritzen 1993):

.. math:: p(y, n_0 \\mid G) = \\frac{N!}{n_0! \\prod_\\omega y_\\omega!}
          \\frac{\\prod_{C} M_C}{\\prod_{S} M_S}, \\qquad
          M_a = \\frac{\\Gamma(\\delta 2^k)}{\\Gamma(N + \\delta 2^k)}
          \\prod_{c} \\frac{\\Gamma(y^a_c + \\delta 2^{k-|a|})}{\\Gamma(\\delta 2^{k-|a|})},

with :math:`y^a` the marginal table of :math:`a` (its all-zero cell includes :math:`n_0`). With
a prior :math:`p(N)` and equal prior weights on the graphs, the joint posterior of (G, N) is
proportional to :math:`p(N)\\,p(y, n_0 \\mid G)`; it is computed exactly on a grid of
:math:`n_0` and normalised over the grid and all graphs.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln, logsumexp

from stats.mse_posterior import Posterior

__all__ = [
    "MAX_LISTS",
    "Graph",
    "decomposable_graphs",
    "default_grid",
    "log_prior_negative_binomial",
    "posterior",
]

#: Largest number of lists handled (5 lists: 822 decomposable graphs, as in ``dga``).
MAX_LISTS = 5

#: Grid columns evaluated at once (bounds memory: graphs x chunk doubles).
_CHUNK = 4096

#: The default grid has unit steps up to this many unobserved (at most), then relative steps.
UNIT_STEPS = 50_000

#: Relative step of the default grid beyond its unit steps (0.05% of N).
RELATIVE_STEP = 1 / 2000


@dataclass(frozen=True)
class Graph:
    """A decomposable graph on lists ``0 .. k-1``.

    Attributes
    ----------
    edges : tuple of (int, int)
        The edges (i < j).
    cliques : tuple of int
        The maximal cliques, each a bit mask over the lists (bit ``k-1-j`` is list ``j``, as in
        the capture-pattern codes of :func:`stats.mse.tabulate`).
    separators : tuple of int
        The separators of a junction tree (bit masks; 0 for the empty separator between
        disconnected components).
    """

    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]
    separators: tuple[int, ...]


def _bit(j: int, k: int) -> int:
    return 1 << (k - 1 - j)


def _max_cardinality_order(adj: list[int], k: int) -> list[int]:
    """Maximum cardinality search (Tarjan & Yannakakis 1984); ties go to the lowest list."""
    order: list[int] = []
    numbered = 0
    for _ in range(k):
        rest = [v for v in range(k) if not numbered & (1 << v)]
        v = max(rest, key=lambda u: (bin(adj[u] & numbered).count("1"), -u))
        order.append(v)
        numbered |= 1 << v
    return order


def _cliques_if_chordal(adj: list[int], k: int) -> list[int] | None:
    """Maximal cliques (masks over vertex bits) if the graph is chordal, else ``None``.

    In a maximum cardinality search order a graph is chordal iff every vertex's earlier
    neighbours are pairwise adjacent; the sets {v} + earlier neighbours then contain every
    maximal clique.
    """
    seen = 0
    candidates = []
    for v in _max_cardinality_order(adj, k):
        earlier = adj[v] & seen
        for u in range(k):
            if earlier & (1 << u) and (earlier & ~(1 << u)) & ~adj[u]:
                return None
        candidates.append(earlier | (1 << v))
        seen |= 1 << v
    return [c for c in set(candidates) if not any(c != d and c & d == c for d in candidates)]


def _junction_separators(cliques: list[int]) -> list[int]:
    """Separators of a junction tree: a maximum-weight spanning tree of the clique graph."""
    pairs = sorted(
        itertools.combinations(range(len(cliques)), 2),
        key=lambda p: -bin(cliques[p[0]] & cliques[p[1]]).count("1"),
    )
    component = list(range(len(cliques)))
    separators = []
    for a, b in pairs:
        ca, cb = component[a], component[b]
        if ca == cb:
            continue
        separators.append(cliques[a] & cliques[b])
        component = [ca if c == cb else c for c in component]
    return separators


def decomposable_graphs(k: int) -> list[Graph]:
    """Every decomposable (chordal) graph on ``k`` lists, with cliques and separators.

    Parameters
    ----------
    k : int
        Number of lists, 1 to :data:`MAX_LISTS`.

    Returns
    -------
    list of Graph
        In the order of their edge sets (bit order over the list pairs); the empty graph first.

    Examples
    --------
    >>> [len(decomposable_graphs(k)) for k in (2, 3, 4, 5)]
    [2, 8, 61, 822]
    """
    if not 1 <= k <= MAX_LISTS:
        raise ValueError(f"k must be between 1 and {MAX_LISTS}, got {k}")
    return list(_enumerate_graphs(k))


@functools.cache
def _enumerate_graphs(k: int) -> tuple[Graph, ...]:
    pairs = list(itertools.combinations(range(k), 2))
    graphs = []
    for edge_bits in range(2 ** len(pairs)):
        edges = tuple(p for b, p in enumerate(pairs) if edge_bits >> b & 1)
        adj = [0] * k
        for i, j in edges:
            adj[i] |= 1 << j
            adj[j] |= 1 << i
        cliques = _cliques_if_chordal(adj, k)
        if cliques is None:
            continue

        def to_mask(vertex_set: int) -> int:
            return sum(_bit(j, k) for j in range(k) if vertex_set >> j & 1)

        seps = _junction_separators(cliques)
        graphs.append(
            Graph(
                edges,
                tuple(sorted(to_mask(c) for c in cliques)),
                tuple(sorted(to_mask(s) for s in seps)),
            )
        )
    return tuple(graphs)


def _coefficients(graphs: list[Graph], k: int) -> np.ndarray:
    """Matrix (graphs x 2^k subsets): +1 per clique, -1 per separator."""
    coef = np.zeros((len(graphs), 2**k))
    for g, graph in enumerate(graphs):
        for c in graph.cliques:
            coef[g, c] += 1
        for s in graph.separators:
            coef[g, s] -= 1
    return coef


def _marginal_loglik(y: np.ndarray, k: int, delta: float, n0: np.ndarray) -> np.ndarray:
    """log M_a for every subset a of the lists (rows) and every n0 on the grid (columns)."""
    codes = np.arange(2**k)
    total = float(y.sum())
    big_a = delta * 2**k
    rows = np.empty((2**k, len(n0)))
    for mask in range(2**k):
        size = bin(mask).count("1")
        alpha = delta * 2 ** (k - size)
        margin = np.bincount(codes & mask, weights=y, minlength=2**k)[
            codes[(codes & mask) == codes]
        ]
        # margin[0] is the marginal all-zero cell; the unobserved n0 adds to it
        fixed = np.sum(gammaln(margin[1:] + alpha)) - (2**size) * gammaln(alpha)
        rows[mask] = (
            fixed + gammaln(margin[0] + n0 + alpha) + gammaln(big_a) - gammaln(total + n0 + big_a)
        )
    return rows


def posterior(
    y: np.ndarray,
    k: int,
    delta: float | None = None,
    n_missing: np.ndarray | None = None,
    log_prior: Callable[[np.ndarray], np.ndarray] | None = None,
    graphs: list[Graph] | None = None,
) -> tuple[Posterior, list[Graph], np.ndarray]:
    """Exact model-averaged posterior of N over all decomposable graphs.

    Parameters
    ----------
    y : ndarray
        Counts of the :math:`2^k` capture patterns indexed by pattern code (bit ``k-1-j`` set
        when on list ``j``; :func:`stats.mse.tabulate` order); ``y[0]`` is ignored.
    k : int
        Number of lists, 1 to :data:`MAX_LISTS`.
    delta : float, optional
        Hyper-Dirichlet parameter per cell of the full table (default :math:`2^{-k}`, one prior
        observation in all).
    n_missing : ndarray, optional
        Increasing grid of values of the unobserved count :math:`n_0 = N - n` (default: see
        :func:`default_grid`). On a grid of consecutive integers every value's posterior
        probability is exact; where the grid skips values, each value stands for the integers
        of its cell (half-way to its neighbours) and gets its probability times the cell's
        width (the midpoint rule).
    log_prior : callable, optional
        Log prior of N (up to a constant), applied to the array of N values. Default
        :math:`-\\log N` (the prior :math:`p(N) \\propto 1/N`).
    graphs : list of Graph, optional
        Average over these graphs only (default: every decomposable graph on k lists); one
        graph gives that model's own posterior of N.

    Returns
    -------
    posterior : Posterior
        The posterior of N on the grid ``n + n_missing``.
    graphs : list of Graph
        The graphs averaged over (default: :func:`decomposable_graphs` order).
    model_weights : ndarray
        Posterior probability of each graph.

    Notes
    -----
    Equal prior weight on every graph. The posterior is normalised over the grid: mass beyond
    its end is not counted, so the grid must reach far enough (see :func:`default_grid`).

    References
    ----------
    Madigan, D. and York, J. C. (1997). Bayesian methods for estimation of the size of a
    closed population. Biometrika 84(1), 19-31.
    Dawid, A. P. and Lauritzen, S. L. (1993). Hyper Markov laws in the statistical analysis of
    decomposable graphical models. Annals of Statistics 21(3), 1272-1317.
    Johndrow, J., Lum, K. and Ball, P. (2015). dga: Capture-recapture estimation using
    Bayesian model averaging. R package version 1.2.
    """
    y = np.asarray(y, dtype=float).copy()
    y[0] = 0.0
    delta = 2.0**-k if delta is None else float(delta)
    n = float(y.sum())
    if n_missing is None:
        n_missing = default_grid(y, k, delta, log_prior, graphs)
    n0 = np.asarray(n_missing, dtype=float)
    log_prior = log_prior or (lambda big_n: -np.log(big_n))
    graphs = decomposable_graphs(k) if graphs is None else list(graphs)
    log_width = np.log(_cell_widths(n0))
    rows, cols = _log_posterior_margins(y, k, delta, n0, log_prior, graphs, log_width)
    log_total = logsumexp(cols)
    grid = Posterior("grid", n + n0, np.exp(cols - log_total), np.exp(log_width))
    return grid, graphs, np.exp(rows - log_total)


def _log_posterior_margins(y, k, delta, n0, log_prior, graphs, log_width):
    """Unnormalised log posterior of (graph, n0), summed over n0 (rows) and graphs (columns).

    log p(graph, n0 | y) = log marginal likelihood of the completed table under the graph
    + log multinomial coefficient of n0 among N + log prior(N) + log cell width; computed in
    chunks of the grid so that the graphs x grid array stays small.
    """
    n = float(y.sum())
    coef = _coefficients(graphs, k)
    const = -np.sum(gammaln(y[1:] + 1))
    row_parts, col_parts = [], []
    for start in range(0, len(n0), _CHUNK):
        part = n0[start : start + _CHUNK]
        logml = coef @ _marginal_loglik(y, k, delta, part)
        shared = gammaln(n + part + 1) - gammaln(part + 1) + const + log_prior(n + part)
        shared += log_width[start : start + _CHUNK]
        logpost = logml + shared[None, :]
        top = logpost.max()
        scaled = np.exp(logpost - top)  # one exp per (graph, n0); sums below in log scale
        with np.errstate(divide="ignore"):
            row_parts.append(np.log(scaled.sum(axis=1)) + top)
            col_parts.append(np.log(scaled.sum(axis=0)) + top)
    return logsumexp(np.column_stack(row_parts), axis=1), np.concatenate(col_parts)


def _cell_widths(values: np.ndarray) -> np.ndarray:
    """Width of the cell each grid value stands for (1 on consecutive integers)."""
    edges = np.r_[values[0] - 0.5, (values[1:] + values[:-1]) / 2, values[-1] + 0.5]
    return np.diff(edges)


def _grid(
    unit_top: int, top: int, unit_step: int = 1, relative_step: float = RELATIVE_STEP
) -> np.ndarray:
    """0 .. unit_top by ``unit_step``, then steps of ``relative_step`` (relative) to ``top``."""
    unit = np.arange(0, min(unit_top, top) + 1, unit_step, dtype=float)
    if top <= unit_top:
        return unit
    count = math.ceil(math.log(top / unit_top) / math.log1p(relative_step))
    far = np.round(unit_top * (1 + relative_step) ** np.arange(1, count + 1))
    far = np.unique(np.minimum(far, top))
    return np.r_[unit[unit < unit_top], float(unit_top), far[far > unit_top]]


def default_grid(
    y: np.ndarray,
    k: int,
    delta: float,
    log_prior: Callable[[np.ndarray], np.ndarray] | None = None,
    graphs: list[Graph] | None = None,
    tail: float = 1e-4,
    max_top: int = 10**9,
) -> np.ndarray:
    """A grid of the unobserved count reaching far enough for the posterior.

    Unit steps 0, 1, ..., U with :math:`U = \\min(\\max(4n, 1000), 50\\,000)`, then steps of
    0.05% up to a top M. M starts at U and doubles until the posterior probability of
    (M/2, M] is below ``tail`` (for the heavy, about :math:`n_0^{-2}` tails of the saturated
    models, that is also about the mass beyond M) or M reaches ``max_top``. The search runs on
    a coarser grid (about 2,000 values up to U, 1% steps beyond); the grid returned is the
    fine one.
    """
    n = float(np.sum(y) - y[0])
    unit_top = int(min(max(4 * n, 1000), UNIT_STEPS))
    coarse_step = max(1, unit_top // 2000)
    top = unit_top
    while True:
        coarse = _grid(unit_top, top, coarse_step, relative_step=0.01)
        post, _, _ = posterior(y, k, delta, coarse, log_prior, graphs)
        upper = float(post.weights[coarse > top / 2].sum())
        if upper < tail or top >= max_top:
            return _grid(unit_top, top)
        top *= 2


def log_prior_negative_binomial(a: float, b: float) -> Callable[[np.ndarray], np.ndarray]:
    """Log of the negative binomial prior on N of Madigan & York's examples (mean a*b).

    :math:`\\log p(N) = N \\log b - (N + a)\\log(1 + b) + \\log\\Gamma(N + a) -
    \\log\\Gamma(N + 1) - \\log\\Gamma(a)`, as in the tests of the R package ``dga``.
    """

    def log_prior(big_n: np.ndarray) -> np.ndarray:
        big_n = np.asarray(big_n, dtype=float)
        return (
            big_n * math.log(b)
            - (big_n + a) * math.log(1 + b)
            + gammaln(big_n + a)
            - gammaln(big_n + 1)
            - math.lgamma(a)
        )

    return log_prior
