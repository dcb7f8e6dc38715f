"""Readers that turn inputs into Claims: one module per input format.

Each reader returns an :class:`Ingested`: the valid Claims, the Rejects, and the number of
input rows read, so that ``n_read == len(claims) + rejected rows`` can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Ingested:
    """What a reader made of one input."""

    claims: pd.DataFrame
    rejects: pd.DataFrame
    n_read: int
    source_file: str
    layout: str

    @property
    def n_rejected(self) -> int:
        """Distinct input rows with at least one problem."""
        return int(self.rejects["source_row"].dropna().nunique())

    @property
    def accounted(self) -> bool:
        """True when every input row is either accepted or rejected."""
        return self.n_read == len(self.claims) + self.n_rejected
