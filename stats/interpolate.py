"""The public path of :mod:`stats.estimate.interpolate` (a daily calendar with intervals)."""

from stats.estimate.interpolate import DAILY_COLUMNS, LEVEL, METHODS, empty_daily, interpolate
from stats.estimate.interpolate import __doc__ as _method

__doc__ = _method
__all__ = ["DAILY_COLUMNS", "LEVEL", "METHODS", "empty_daily", "interpolate"]
