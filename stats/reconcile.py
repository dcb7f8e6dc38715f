"""The public path of :mod:`stats.estimate.reconcile` (claims to estimates and conflicts)."""

from stats.estimate.combine import COMBINED, RULES
from stats.estimate.constraints import claim_constraints
from stats.estimate.reconcile import (
    CONFLICTS_COLUMNS,
    ESTIMATES_COLUMNS,
    empty_conflicts,
    empty_estimates,
    reconcile,
)
from stats.estimate.reconcile import __doc__ as _method

__doc__ = _method
__all__ = [
    "COMBINED", "CONFLICTS_COLUMNS", "ESTIMATES_COLUMNS", "RULES", "claim_constraints",
    "empty_conflicts", "empty_estimates", "reconcile",
]  # fmt: skip
