"""Former home of the table contracts, now :mod:`stats.contract`; kept importable for the
modules that still import ``stats.schema`` (the extractor, the disk layer, the simulator).
New code imports :mod:`stats.contract`."""

from __future__ import annotations

from stats.contract import *  # noqa: F403
from stats.contract import __all__  # noqa: F401
