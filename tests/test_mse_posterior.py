"""Posteriors of N (stats.mse_posterior): summed over strata draw by draw.

Reference values: tests/data/mse/README.md; settings and figures: docs/mse.md.
"""

from __future__ import annotations

import numpy as np
import pytest

from stats.mse_posterior import Posterior, sum_posteriors


def test_sum_posteriors_adds_draw_by_draw_and_samples_grids():
    a = Posterior("samples", np.arange(100, 200))
    total = sum_posteriors([a, a], seed=1)
    assert np.array_equal(total.values, 2 * np.arange(100, 200))  # whole chains, in order
    grid = Posterior("grid", np.array([10.0, 20.0]), np.array([0.25, 0.75]))
    draws = sum_posteriors([grid, a], size=4000, seed=1).values
    assert set(np.unique(draws)) <= set(np.arange(110, 220))
    assert abs(np.mean(sum_posteriors([grid], size=4000, seed=2).values == 20) - 0.75) < 0.03
    with pytest.raises(ValueError, match="at least one posterior"):
        sum_posteriors([])
