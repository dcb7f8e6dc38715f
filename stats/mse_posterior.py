"""The posterior distribution of a population size N, as draws or on a grid.

Shared by the Bayesian estimators of :mod:`stats.mse` (:mod:`stats.mse_lcmcr` returns draws
from a Markov chain, :mod:`stats.mse_dga` exact probabilities on a grid of N). Every summary
(median, equal-tailed interval, mean, mode, the Bayes estimate under relative squared error
loss) is defined once here, for both kinds, and so is the posterior of a total over strata
(:func:`sum_posteriors`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Posterior", "sum_posteriors"]


@dataclass(frozen=True)
class Posterior:
    """Posterior of the population size N.

    Attributes
    ----------
    kind : {"samples", "grid"}
        ``"samples"``: ``values`` are Monte Carlo draws of N (``weights`` is ``None``).
        ``"grid"``: ``values`` are increasing values of N and ``weights`` their posterior
        probabilities (summing to one over the grid).
    values : ndarray
        Draws of N, or the grid of N.
    weights : ndarray or None
        Posterior probabilities of the grid values.
    widths : ndarray or None
        Grid: how many integers each value stands for (``None``: one each, consecutive
        integers). Where the grid skips values, ``weights`` are the probabilities of the
        cells and ``weights / widths`` the probability of each integer in them.

    Examples
    --------
    >>> post = Posterior("grid", np.array([10, 11, 12, 13]), np.array([0.1, 0.4, 0.3, 0.2]))
    >>> post.median(), post.interval(0.5), post.mode()
    (11.0, (11.0, 12.0), 11.0)
    >>> Posterior("samples", np.array([3, 1, 2, 5, 4]), None).median()
    3.0
    """

    kind: str
    values: np.ndarray
    weights: np.ndarray | None = None
    widths: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("samples", "grid"):
            raise ValueError(f"kind must be 'samples' or 'grid', got {self.kind!r}")
        if self.kind == "grid":
            if self.weights is None or len(self.weights) != len(self.values):
                raise ValueError("a grid posterior needs one weight per grid value")
            if np.any(np.diff(self.values) <= 0):
                raise ValueError("grid values must be increasing")

    def quantile(self, q: float | np.ndarray) -> float | np.ndarray:
        """Posterior quantile(s) of N.

        Draws: the sample quantile (numpy's default linear interpolation). Grid: the smallest
        grid value whose cumulative probability reaches ``q`` (the quantile of a discrete
        distribution, as ``dga``'s summaries take it).
        """
        q = np.asarray(q, dtype=float)
        if self.kind == "samples":
            out = np.quantile(self.values.astype(float), q)
        else:
            cdf = np.cumsum(self.weights)
            idx = np.searchsorted(cdf, q * cdf[-1] - 1e-12, side="left")
            out = self.values[np.minimum(idx, len(self.values) - 1)].astype(float)
        return float(out) if out.ndim == 0 else out

    def median(self) -> float:
        """Posterior median of N."""
        return self.quantile(0.5)

    def interval(self, level: float) -> tuple[float, float]:
        """Equal-tailed credible interval: the (1 - level)/2 and (1 + level)/2 quantiles."""
        low, high = self.quantile(np.array([(1 - level) / 2, (1 + level) / 2]))
        return float(low), float(high)

    def _expect(self, f: np.ndarray) -> float:
        if self.kind == "samples":
            return float(np.mean(f))
        return float(np.sum(self.weights * f) / np.sum(self.weights))

    def mean(self) -> float:
        """Posterior mean of N."""
        return self._expect(self.values.astype(float))

    def mode(self) -> float:
        """Most probable value of N (grid), or the most frequent draw (samples)."""
        if self.kind == "grid":
            density = self.weights if self.widths is None else self.weights / self.widths
            return float(self.values[int(np.argmax(density))])
        vals, counts = np.unique(self.values, return_counts=True)
        return float(vals[int(np.argmax(counts))])

    def bayes_estimate(self) -> float:
        """Bayes estimate under relative squared error loss, E[1/N] / E[1/N^2].

        The estimate Madigan & York (1997) report (the loss ``(N - n)^2 / N^2``).
        """
        inv = 1.0 / self.values.astype(float)
        return self._expect(inv) / self._expect(inv**2)

    def draws(self, size: int, seed: int | None = None) -> np.ndarray:
        """``size`` draws of N from this posterior.

        Samples: the draws themselves, in order, when there are ``size`` of them (so that a
        chain's draws stay whole), else drawn from them with replacement. Grid: a cell drawn
        with its probability, then an integer uniformly within it (the value itself for cells
        of width one).
        """
        rng = np.random.default_rng(seed)
        if self.kind == "samples":
            if len(self.values) == size:
                return self.values.astype(np.int64)
            return rng.choice(self.values, size=size).astype(np.int64)
        cell = rng.choice(len(self.values), size=size, p=self.weights / self.weights.sum())
        value = self.values[cell].astype(float)
        if self.widths is not None:
            width = self.widths[cell]
            value = value + np.floor(rng.random(size) * width) - np.floor(width / 2)
        return np.round(value).astype(np.int64)

    def to_dict(self) -> dict:
        """Plain JSON-serialisable dict: kind, values and (grid) weights and widths."""
        out: dict = {"kind": self.kind, "values": self.values.tolist()}
        if self.weights is not None:
            out["weights"] = self.weights.tolist()
        if self.widths is not None:
            out["widths"] = self.widths.tolist()
        return out


def sum_posteriors(
    posteriors: Sequence[Posterior], size: int | None = None, seed: int | None = None
) -> Posterior:
    """Posterior of the total of independent strata: draw by draw sums.

    Parameters
    ----------
    posteriors : sequence of Posterior
        One per stratum, estimated separately (so independent given the data).
    size : int, optional
        Draws of the total (default: the largest number of draws among the posteriors of
        kind ``samples``, or 4,000 when all are grids).
    seed : int, optional
        Seed of the draws taken from grids or resampled from draws.

    Returns
    -------
    Posterior
        ``kind="samples"``: ``size`` draws of the sum.

    Notes
    -----
    Draw *i* of the total is the sum of draw *i* of each stratum: since the strata's
    posteriors are independent, that is a draw from the posterior of the sum, the way HRDAG
    sums per-stratum LCMCR draws (e.g. the ``verdata`` package). Summing the strata's
    medians and interval ends instead gives an interval too wide (the strata's extremes
    do not happen together) and a median that is not the total's.

    Examples
    --------
    >>> a = Posterior("samples", np.array([10, 12, 11, 13]))
    >>> b = Posterior("samples", np.array([5, 5, 6, 4]))
    >>> sum_posteriors([a, b]).values.tolist()
    [15, 17, 17, 17]
    """
    if not posteriors:
        raise ValueError("sum_posteriors needs at least one posterior")
    if size is None:
        lengths = [len(p.values) for p in posteriors if p.kind == "samples"]
        size = max(lengths) if lengths else 4_000
    rng = np.random.default_rng(seed)
    seeds = rng.integers(2**63, size=len(posteriors))
    total = sum(p.draws(size, int(s)) for p, s in zip(posteriors, seeds, strict=True))
    return Posterior("samples", np.asarray(total, dtype=np.int64))
