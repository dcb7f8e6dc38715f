"""Latent-class capture-recapture with a Dirichlet process prior (Manrique-Vallier 2016).

A Gibbs sampler for the truncated stick-breaking latent-class model of the R package ``LCMCR``
(Manrique-Vallier). Public function: :func:`sample_population`.

The model. Each of the N individuals belongs to one of K latent classes; within class k it is
on list j independently with probability :math:`\\lambda_{jk}`:

.. math::
    z_i \\sim \\mathrm{Categorical}(\\pi), \\qquad
    x_{ij} \\mid z_i = k \\sim \\mathrm{Bernoulli}(\\lambda_{jk}), \\qquad
    \\lambda_{jk} \\sim \\mathrm{Beta}(1, 1),

    \\pi_k = V_k \\prod_{h<k} (1 - V_h), \\quad V_k \\sim \\mathrm{Beta}(1, \\alpha)
    \\ (k < K), \\quad V_K = 1, \\qquad \\alpha \\sim \\mathrm{Gamma}(a, b),

and :math:`p(N) \\propto 1/N`. Heterogeneity of capture (some victims more likely to be on
every list) is what the classes absorb; with K large the truncation is immaterial and the
number of classes in use is learnt from the data.

The sampler (one sweep, in the order of ``LCMCR``): class counts of every observed capture
pattern given the parameters (multinomial, per pattern rather than per individual); the
:math:`\\lambda_{jk}` from their Beta full conditionals, counting the unobserved individuals
as on no list; the stick-breaking weights; the unobserved count
:math:`n_0 \\sim \\mathrm{NegBin}(n, 1 - p_0)`, :math:`p_0 = \\sum_k \\pi_k \\prod_j (1 -
\\lambda_{jk})` (the full conditional under :math:`p(N) \\propto 1/N`); the classes of the
unobserved; then :math:`\\alpha \\sim \\mathrm{Gamma}(a + K - 1, b - \\log \\pi_K)`.
"""

from __future__ import annotations

import numpy as np

from stats.mse_posterior import Posterior

__all__ = ["DEFAULTS", "sample_population"]

#: Default settings (K, a, b as in the R package LCMCR's examples and ``lcmCR``).
DEFAULTS = {
    "K": 10,
    "a": 0.25,
    "b": 0.25,
    "burn_in": 10_000,
    "samples": 2_000,
    "thin": 10,
    "chains": 1,
}


def _log_gamma_draws(rng: np.random.Generator, shape: np.ndarray) -> np.ndarray:
    """log of Gamma(shape, 1) draws, exact also for tiny shapes (no underflow to log 0).

    For shape < 1 uses :math:`G_a = G_{a+1} U^{1/a}` (Marsaglia & Tsang 2000).
    """
    shape = np.asarray(shape, dtype=float)
    small = shape < 1
    boosted = np.where(small, shape + 1, shape)
    out = np.log(rng.standard_gamma(boosted))
    u = rng.random(shape.shape)
    return np.where(small, out + np.log(u) / np.where(small, shape, 1.0), out)


def _stick_breaking(rng: np.random.Generator, counts: np.ndarray, alpha: float) -> np.ndarray:
    """log class weights: V_k ~ Beta(1 + n_k, alpha + sum_{h>k} n_h), k < K; V_K = 1."""
    later = np.cumsum(counts[::-1])[::-1] - counts  # sum over h > k
    g1, g2 = _log_gamma_draws(rng, np.concatenate([1.0 + counts[:-1], alpha + later[:-1]])).reshape(
        2, -1
    )
    total = np.logaddexp(g1, g2)
    log_v, log_1mv = g1 - total, g2 - total
    prefix = np.concatenate([[0.0], np.cumsum(log_1mv)])
    return np.concatenate([log_v + prefix[:-1], [prefix[-1]]])


class _Chain:
    """State of the sampler for one capture table (patterns x lists, counts per pattern)."""

    def __init__(self, patterns: np.ndarray, counts: np.ndarray, K: int, a: float, b: float,
                 rng: np.random.Generator):  # fmt: skip
        self.x = patterns.astype(float)
        self.counts = counts.astype(np.int64)
        self.n = int(self.counts.sum())
        self.K, self.a, self.b, self.rng = K, a, b, rng
        share = (self.x * self.counts[:, None]).sum(axis=0) / self.n
        jitter = rng.uniform(0.8, 1.2, size=(self.x.shape[1], K))
        self.lam = np.clip(share[:, None] * jitter, 0.01, 0.99)
        self.log_pi = np.full(K, -np.log(K))
        self.alpha = 1.0
        self.n0 = 0
        self.zero_counts = np.zeros(K, dtype=np.int64)

    def sweep(self) -> None:
        rng = self.rng
        log_lam, log_off = np.log(self.lam), np.log1p(-self.lam)
        logp = self.x @ log_lam + (1 - self.x) @ log_off + self.log_pi  # patterns x K
        probs = np.exp(logp - logp.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        per_class = rng.multinomial(self.counts, probs)  # patterns x K
        on = self.x.T @ per_class  # lists x K
        class_total = per_class.sum(axis=0) + self.zero_counts
        off = class_total[None, :] - on
        self.lam = rng.beta(1.0 + on, 1.0 + off)
        self.log_pi = _stick_breaking(rng, class_total, self.alpha)
        log_missed = self.log_pi + np.log1p(-self.lam).sum(axis=0)
        p0 = float(np.exp(log_missed).sum())
        self.n0 = int(rng.negative_binomial(self.n, max(1.0 - p0, 1e-300)))
        self.zero_counts = rng.multinomial(self.n0, np.exp(log_missed) / p0)
        self.alpha = rng.gamma(self.a + self.K - 1, 1.0 / (self.b - self.log_pi[-1]))


def sample_population(
    patterns: np.ndarray,
    counts: np.ndarray,
    K: int = DEFAULTS["K"],
    a: float = DEFAULTS["a"],
    b: float = DEFAULTS["b"],
    burn_in: int = DEFAULTS["burn_in"],
    samples: int = DEFAULTS["samples"],
    thin: int = DEFAULTS["thin"],
    chains: int = DEFAULTS["chains"],
    seed: int | None = None,
) -> Posterior:
    """Draw from the posterior of N under the latent-class model (Gibbs sampler).

    Parameters
    ----------
    patterns : ndarray of 0/1, shape (cells, lists)
        The observed capture patterns (none all-zero).
    counts : ndarray of int, shape (cells,)
        Individuals with each pattern.
    K : int
        Number of latent classes of the truncated stick-breaking prior (an upper bound on the
        classes used; default 10).
    a, b : float
        Shape and rate of the Gamma prior on the concentration :math:`\\alpha` (default 0.25,
        0.25, as ``LCMCR``).
    burn_in : int
        Sweeps discarded before the first kept draw.
    samples : int
        Number of draws of N returned.
    thin : int
        Sweeps between kept draws (``burn_in + samples * thin`` sweeps per chain).
    chains : int
        Independent chains, each from its own start and random stream, each giving
        ``samples`` draws; more than one lets the chains be compared (R-hat).
    seed : int, optional
        Seed of numpy's random generator (chain c uses the c-th stream spawned from it): the
        same seed gives the same draws.

    Returns
    -------
    Posterior
        ``kind="samples"``: the draws of N = n + n0, chain after chain
        (``values.reshape(chains, samples)`` separates them).

    Notes
    -----
    Starts at :math:`\\lambda_{jk}` near each list's share of the observed records (jittered to
    break the symmetry between classes), equal class weights, :math:`\\alpha = 1`, no
    unobserved individual; the burn-in must be long enough to forget that start. Cost per sweep
    grows with cells x K x lists, not with the number of individuals. Assumptions: a closed
    population, perfect matching, and lists independent given the latent class (dependence
    between lists beyond what shared classes produce is not modelled).

    References
    ----------
    Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet process
    mixtures. Biometrics 72(4), 1246-1254.
    Ishwaran, H. and James, L. F. (2001). Gibbs sampling methods for stick-breaking priors.
    JASA 96(453), 161-173.

    Examples
    --------
    >>> post = sample_population(np.array([[1, 0], [0, 1], [1, 1]]), np.array([60, 40, 20]),
    ...                          burn_in=200, samples=200, thin=2, seed=1)
    >>> post.kind, len(post.values), bool(post.values.min() >= 120)
    ('samples', 200, True)
    """
    for name, value, least in (("K", K, 2), ("burn_in", burn_in, 0), ("samples", samples, 1),
                               ("thin", thin, 1), ("chains", chains, 1)):  # fmt: skip
        if not isinstance(value, int | np.integer) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, got {value!r}")
    if not (a > 0 and b > 0):
        raise ValueError(f"a and b must be positive, got a={a!r}, b={b!r}")
    streams = np.random.SeedSequence(seed).spawn(int(chains))
    draws = np.concatenate(
        [_run_chain(patterns, counts, K, a, b, burn_in, samples, thin, rng) for rng in streams]
    )
    return Posterior("samples", draws)


def _run_chain(patterns, counts, K, a, b, burn_in, samples, thin, stream) -> np.ndarray:
    chain = _Chain(np.asarray(patterns), np.asarray(counts), int(K), float(a), float(b),
                   np.random.default_rng(stream))  # fmt: skip
    for _ in range(burn_in):
        chain.sweep()
    draws = np.empty(samples, dtype=np.int64)
    for s in range(samples):
        for _ in range(thin):
            chain.sweep()
        draws[s] = chain.n + chain.n0
    return draws
