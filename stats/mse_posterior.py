"""The posterior distribution of a population size N, as draws or on a grid.

Shared by the Bayesian estimators of :mod:`stats.mse` (:mod:`stats.mse_lcmcr` returns draws
from a Markov chain, :mod:`stats.mse_dga` exact probabilities on a grid of N). Every summary
(median, equal-tailed interval, mean, mode, the Bayes estimate under relative squared error
loss) is defined once here, for both kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Posterior"]


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

    def to_dict(self) -> dict:
        """Plain JSON-serialisable dict: kind, values and (grid) weights and widths."""
        out: dict = {"kind": self.kind, "values": self.values.tolist()}
        if self.weights is not None:
            out["weights"] = self.weights.tolist()
        if self.widths is not None:
            out["widths"] = self.widths.tolist()
        return out
