"""Simulated capture histories with a known population size, for checking MSE estimators.

Public function: :func:`simulate_captures`. It draws a population in strata, each person with
a latent visibility (heterogeneous capture) and lists that pass records to one another
(dependent capture), and returns the overlap table of each stratum with the true N. It works
on capture patterns only (who is on which list); names, spelling variants and record linkage
belong to the victim-list simulation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["simulate_captures"]


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
