"""The table contracts: the pandera models (the only definition of each table), what is
derived from them (column tuples, dtypes, empty tables), the registered checks with their
reasons, the one conversion of failure cases into Rejects rows, and the validation of
claims as received.

* :mod:`stats.contract.models` -- Claims, Rejects, Events, Estimates, Daily, Conflicts;
* :mod:`stats.contract.tables` -- :func:`columns`, :func:`fields` (by role), :func:`dtypes`, :func:`empty`;
* :mod:`stats.contract.checks` -- registered checks and :data:`CHECKS` (reason, columns);
* :mod:`stats.contract.rejects` -- :func:`failure_rejects`, :func:`rejects_frame`;
* :mod:`stats.contract.validate` -- :func:`validate`, :func:`claim_ids`, :func:`duplicated_ids`.
"""

from __future__ import annotations

from stats.contract.checks import CHECKS, Check, reason
from stats.contract.models import (
    CONFLICT_KINDS,
    TABLE_MODELS,
    Claims,
    Conflicts,
    Daily,
    Estimates,
    Events,
    Rejects,
)
from stats.contract.rejects import failure_rejects, rejects_frame
from stats.contract.tables import categories, columns, dtypes, empty, fields, require_columns
from stats.contract.validate import (
    CLAIMS_COLUMNS,
    CLAIMS_IDS_BY_SORT,
    COUNT_COLUMNS,
    DATE_COLUMNS,
    REQUIRED_INPUT,
    check_columns,
    claim_ids,
    duplicated_ids,
    empty_claims,
    validate,
)
from stats.errors import SchemaError

REJECTS_COLUMNS: tuple[str, ...] = columns(Rejects)
EVENTS_COLUMNS: tuple[str, ...] = columns(Events)
ESTIMATES_COLUMNS: tuple[str, ...] = columns(Estimates)
DAILY_COLUMNS: tuple[str, ...] = columns(Daily)
#: Daily columns a delay model may add (the eventual-toll interval and its coverage).
DAILY_OPTIONAL_COLUMNS: tuple[str, ...] = columns(Daily, optional=True)
CONFLICTS_COLUMNS: tuple[str, ...] = columns(Conflicts)


def empty_rejects():
    """An empty Rejects table with the right dtypes."""
    return empty(Rejects)


__all__ = [
    "CHECKS",
    "CONFLICT_KINDS",
    "CLAIMS_COLUMNS",
    "CLAIMS_IDS_BY_SORT",
    "CONFLICTS_COLUMNS",
    "COUNT_COLUMNS",
    "DATE_COLUMNS",
    "DAILY_COLUMNS",
    "DAILY_OPTIONAL_COLUMNS",
    "ESTIMATES_COLUMNS",
    "EVENTS_COLUMNS",
    "REJECTS_COLUMNS",
    "REQUIRED_INPUT",
    "TABLE_MODELS",
    "Check",
    "Claims",
    "Conflicts",
    "Daily",
    "Estimates",
    "Events",
    "Rejects",
    "SchemaError",
    "categories",
    "check_columns",
    "claim_ids",
    "columns",
    "dtypes",
    "duplicated_ids",
    "empty",
    "fields",
    "empty_claims",
    "empty_rejects",
    "failure_rejects",
    "reason",
    "rejects_frame",
    "require_columns",
    "validate",
]
