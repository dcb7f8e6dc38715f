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

References: Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet
process mixtures. Biometrics 72(4), 1246-1254. Ishwaran, H. and James, L. F. (2001). Gibbs
sampling methods for stick-breaking priors. JASA 96(453), 161-173.

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
    small = shape < 1
    out = np.log(rng.standard_gamma(shape + small))
    if small.any():
        out[small] += np.log(rng.random(int(small.sum()))) / shape[small]
    return out


class _Chains:
    """State of ``C`` independent chains for one capture table, advanced together.

    The arrays have the chain as first axis, so that a sweep of all chains is one set of numpy
    calls (their fixed cost, not the arithmetic, is what a sweep of a small table costs).
    """

    def __init__(self, patterns: np.ndarray, counts: np.ndarray, K: int, a: float, b: float,
                 chains: int, rng: np.random.Generator):  # fmt: skip
        self.x = patterns.astype(float)  # cells x lists
        self.counts = np.broadcast_to(counts.astype(np.int64), (chains, len(counts)))
        self.n = int(counts.sum())
        self.K, self.a, self.b, self.rng = K, a, b, rng
        share = (self.x * counts[:, None]).sum(axis=0) / self.n
        jitter = rng.uniform(0.8, 1.2, size=(chains, self.x.shape[1], K))
        lam = np.clip(share[None, :, None] * jitter, 0.01, 0.99)
        self.log_on, self.log_off = np.log(lam), np.log1p(-lam)  # chains x lists x K
        self.log_pi = np.full((chains, K), -np.log(K))
        self.alpha = np.ones(chains)
        self.n0 = np.zeros(chains, dtype=np.int64)
        self.zero_counts = np.zeros((chains, K), dtype=np.int64)

    def sweep(self) -> None:
        """One Gibbs sweep of every chain, in the order of ``LCMCR``'s ``Update``."""
        rng, K, chains = self.rng, self.K, len(self.n0)
        # classes of the observed, per capture pattern m: Multinomial(count_m, p_m1..p_mK)
        log_missed = self.log_pi + self.log_off.sum(axis=1)  # chains x K
        probs = np.exp(self.x @ (self.log_on - self.log_off) + log_missed[:, None, :])
        per_class = rng.multinomial(self.counts, probs / probs.sum(axis=2, keepdims=True))
        # lambda_jk ~ Beta(1 + on_jk, 1 + off_jk), V_k ~ Beta(1 + n_k, alpha + n_{>k}), drawn
        # as ratios of gammas in one call
        on = self.x.T @ per_class  # chains x lists x K
        total = per_class.sum(axis=1) + self.zero_counts  # chains x K
        later = total.sum(axis=1, keepdims=True) - total.cumsum(axis=1)
        shapes = np.concatenate(
            [(1.0 + on).reshape(chains, -1), (1.0 + total[:, None, :] - on).reshape(chains, -1),
             1.0 + total[:, :-1], self.alpha[:, None] + later[:, :-1]], axis=1,
        )  # fmt: skip
        g = _log_gamma_draws(rng, shapes)
        jk = on[0].size
        g_on, g_off = g[:, :jk].reshape(on.shape), g[:, jk : 2 * jk].reshape(on.shape)
        g_v, g_w = g[:, 2 * jk : 2 * jk + K - 1], g[:, 2 * jk + K - 1 :]
        both = np.logaddexp(g_on, g_off)
        self.log_on, self.log_off = g_on - both, g_off - both
        both = np.logaddexp(g_v, g_w)
        log_1mv = np.cumsum(g_w - both, axis=1)  # log prod_{h<=k} (1 - V_h)
        self.log_pi = np.concatenate([g_v - both, np.zeros((chains, 1))], axis=1)
        self.log_pi[:, 1:] += log_1mv
        # the unobserved: n0 ~ NegBin(n, 1 - p0), their classes, then alpha, chain by chain
        missed = np.exp(self.log_pi + self.log_off.sum(axis=1))
        p0 = missed.sum(axis=1)
        for c in range(chains):
            self.n0[c] = rng.negative_binomial(self.n, max(1.0 - p0[c], 1e-300))
            self.zero_counts[c] = rng.multinomial(self.n0[c], missed[c] / p0[c])
            self.alpha[c] = rng.gamma(self.a + K - 1, 1.0 / (self.b - self.log_pi[c, -1]))


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
        classes used; default 10). ``K=1`` is the independence model (one class, lists
        independent), whose posterior of N is known exactly (a check of the sampler).
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
        Independent chains, each from its own start, each giving ``samples`` draws; they are
        advanced together (one set of numpy calls per sweep), so a few cost little more than
        one, and more than one lets the chains be compared (R-hat).
    seed : int, optional
        Seed of numpy's random generator: the same seed gives the same draws.

    Returns
    -------
    Posterior
        ``kind="samples"``: the draws of N = n + n0, chain after chain
        (``values.reshape(chains, samples)`` separates them).

    Notes
    -----
    Each chain starts at :math:`\\lambda_{jk}` near each list's share of the observed records
    (jittered), equal class weights, :math:`\\alpha = 1`, no unobserved individual; the burn-in
    must forget that start. Assumptions: a closed population, perfect matching, and lists
    independent given the latent class (dependence between lists beyond what shared classes
    produce is not modelled).

    References
    ----------
    Manrique-Vallier, D. (2016). Biometrics 72(4), 1246-1254; Ishwaran, H. and James, L. F.
    (2001). JASA 96(453), 161-173 (titles in the module docstring).

    Examples
    --------
    >>> post = sample_population(np.array([[1, 0], [0, 1], [1, 1]]), np.array([60, 40, 20]),
    ...                          burn_in=200, samples=200, thin=2, seed=1)
    >>> post.kind, len(post.values), bool(post.values.min() >= 120)
    ('samples', 200, True)
    """
    _check_settings(K, a, b, burn_in, samples, thin, chains)
    rng = np.random.default_rng(seed)
    state = _Chains(np.asarray(patterns), np.asarray(counts), int(K), float(a), float(b),
                    int(chains), rng)  # fmt: skip
    for _ in range(burn_in):
        state.sweep()
    draws = np.empty((int(chains), samples), dtype=np.int64)
    for s in range(samples):
        for _ in range(thin):
            state.sweep()
        draws[:, s] = state.n + state.n0
    draws = draws.ravel()
    return Posterior("samples", draws)


def _check_settings(K, a, b, burn_in, samples, thin, chains) -> None:
    """Clear errors for settings that are not whole numbers in range or priors not positive."""
    for name, value, least in (("K", K, 1), ("burn_in", burn_in, 0), ("samples", samples, 1),
                               ("thin", thin, 1), ("chains", chains, 1)):  # fmt: skip
        if not isinstance(value, int | np.integer) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, got {value!r}")
    if not (a > 0 and b > 0):
        raise ValueError(f"a and b must be positive, got a={a!r}, b={b!r}")
