"""stats: turn partial, overlapping, qualified and contradictory conflict casualty reports
into honest daily numbers with ranges.

The public API:

* :func:`load` -- a processed table (``claims``, ``rejects``, ``estimates``, ``daily``,
  ``conflicts``, ``events``) of a dataset from ``data/processed/<dataset>/``, validated;
* :func:`validate` -- ``(valid, rejects)`` for a table of claims;
* :func:`dedupe`, :func:`reconcile`, :func:`interpolate` -- from claims to daily estimates;
* modules :mod:`stats.vocab`, :mod:`stats.contract`, :mod:`stats.mse`, :mod:`stats.plots`,
  :mod:`stats.export`, :mod:`stats.ingest`, :mod:`stats.datasets`, and for named victim lists
  :mod:`stats.victims`, :mod:`stats.names`, :mod:`stats.linkage`, :mod:`stats.capture`,
  :mod:`stats.simulate_lists` (the heavier ones are imported on first use).

Everything is imported on first use, so that ``import stats`` (and ``python -m stats
--help``) stays quick. The functions that share a name with their module (``dedupe``,
``reconcile``, ``interpolate``) are properties of the package: ``stats.reconcile`` is always
the function, whatever is imported later (importing :mod:`stats.reconcile` would otherwise
replace it with the module).
"""

from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_PUBLIC = {
    "Claims": "stats.contract",
    "Rejects": "stats.contract",
    "dedupe": "stats.dedupe",
    "interpolate": "stats.interpolate",
    "load": "stats.datasets",
    "reconcile": "stats.reconcile",
    "validate": "stats.contract",
}

_MODULES = (
    "vocab", "contract", "datasets", "disk", "mse", "plots", "export", "ingest", "report",
    "simulate", "victims", "names", "linkage", "capture", "simulate_lists",
)  # fmt: skip

__all__ = sorted(_PUBLIC)


def _public(name: str, module: str) -> property:
    def get(_package):
        return getattr(importlib.import_module(module), name)

    def ignore_submodule(_package, value):
        # the import system sets ``stats.<name> = <submodule>`` after importing it: keep the
        # function (anything else is a mistake)
        if not isinstance(value, types.ModuleType):
            raise AttributeError(f"stats.{name} is read-only")

    return property(get, ignore_submodule, doc=f"``{module}.{name}``")


class _Package(types.ModuleType):
    """The ``stats`` module, with the public functions as properties (see above)."""


for _name, _module in _PUBLIC.items():
    setattr(_Package, _name, _public(_name, _module))
sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name in _MODULES:
        return importlib.import_module(f"stats.{name}")
    raise AttributeError(f"module 'stats' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_MODULES) + list(_PUBLIC))
