"""stats: turn partial, overlapping, qualified and contradictory conflict casualty reports
into honest daily numbers with ranges.

The public API (imported lazily, so ``import stats`` is fast):

* :func:`load` -- a processed table (``claims``, ``rejects``, ``estimates``, ``daily``,
  ``conflicts``, ``events``) from ``data/processed/``, validated;
* :func:`validate` -- ``(valid, rejects)`` for a table of claims;
* :func:`dedupe`, :func:`reconcile`, :func:`interpolate` -- from claims to daily estimates;
* modules :mod:`stats.vocab`, :mod:`stats.schema`, :mod:`stats.mse`, :mod:`stats.plots`,
  :mod:`stats.export`, :mod:`stats.ingest`.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "load": ("stats.io", "load"),
    "validate": ("stats.schema", "validate"),
    "Claims": ("stats.schema", "Claims"),
    "Rejects": ("stats.schema", "Rejects"),
    "dedupe": ("stats.dedupe", "dedupe"),
    "reconcile": ("stats.reconcile", "reconcile"),
    "interpolate": ("stats.interpolate", "interpolate"),
}

_MODULES = ("vocab", "schema", "io", "mse", "plots", "export", "ingest", "report", "simulate")

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        module, attr = _API[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in _MODULES:
        return importlib.import_module(f"stats.{name}")
    raise AttributeError(f"module 'stats' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_API) + list(_MODULES))
