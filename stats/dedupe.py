"""The public path of :mod:`stats.estimate.dedupe` (one figure, many outlets, counts once)."""

from stats.estimate.dedupe import __doc__ as _method
from stats.estimate.dedupe import as_known_on, dedupe, dedupe_log

__doc__ = _method
__all__ = ["as_known_on", "dedupe", "dedupe_log"]
