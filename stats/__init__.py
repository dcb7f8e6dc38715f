"""stats: turn partial, overlapping, qualified and contradictory conflict casualty reports
into honest daily numbers with ranges.

The public API:

* :func:`load` -- a processed table (``claims``, ``rejects``, ``estimates``, ``daily``,
  ``conflicts``, ``events``) from ``data/processed/``, validated;
* :func:`validate` -- ``(valid, rejects)`` for a table of claims;
* :func:`dedupe`, :func:`reconcile`, :func:`interpolate` -- from claims to daily estimates;
* modules :mod:`stats.vocab`, :mod:`stats.schema`, :mod:`stats.mse`, :mod:`stats.plots`,
  :mod:`stats.export`, :mod:`stats.ingest`, and for named victim lists :mod:`stats.victims`,
  :mod:`stats.names`, :mod:`stats.linkage`, :mod:`stats.capture`,
  :mod:`stats.simulate_lists` (the heavier ones are imported on first use).

The functions that share a name with their module (``dedupe``, ``reconcile``,
``interpolate``) are imported here eagerly, so that ``stats.reconcile`` is always the function,
whatever is imported later.
"""

from __future__ import annotations

import importlib

from stats.dedupe import dedupe
from stats.interpolate import interpolate
from stats.io import load
from stats.reconcile import reconcile
from stats.schema import Claims, Rejects, validate

__version__ = "0.1.0"

_MODULES = (
    "vocab", "schema", "io", "mse", "plots", "export", "ingest", "report", "simulate",
    "victims", "names", "linkage", "capture", "simulate_lists",
)  # fmt: skip

__all__ = ["Claims", "Rejects", "dedupe", "interpolate", "load", "reconcile", "validate"]


def __getattr__(name: str):
    if name in _MODULES:
        return importlib.import_module(f"stats.{name}")
    raise AttributeError(f"module 'stats' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_MODULES))
