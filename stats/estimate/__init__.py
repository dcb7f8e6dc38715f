"""The statistical core: from claims to estimates and daily series, one step per module.

* :mod:`~stats.estimate.dedupe` -- one figure printed by many outlets counts once; stale
  reprints speak for their first date; :func:`as_known_on`, the one as-of filter;
* :mod:`~stats.estimate.constraints` -- every claim as a constraint on a cumulative count;
* :mod:`~stats.estimate.outliers` -- misprints set aside;
* :mod:`~stats.estimate.windows` -- windows of one counter add up;
* :mod:`~stats.estimate.hierarchy` -- parts never exceed their wholes;
* :mod:`~stats.estimate.per_counter` -- one monotone band and a robust best per counter;
* :mod:`~stats.estimate.combine` -- across counters;
* :mod:`~stats.estimate.conflicts` -- the Conflicts table;
* :mod:`~stats.estimate.reconcile` -- the steps in order;
* :mod:`~stats.estimate.interpolate` -- a daily calendar with intervals.

The core touches no disk and draws nothing.
"""

from stats.estimate.dedupe import as_known_on, dedupe, dedupe_log
from stats.estimate.interpolate import interpolate
from stats.estimate.reconcile import reconcile

__all__ = ["as_known_on", "dedupe", "dedupe_log", "interpolate", "reconcile"]
