"""The pandera models: the only definition of each table (columns, order, dtypes, checks).

Column tuples, dtypes and empty tables are derived from these models
(:mod:`stats.contract.tables`); the checks named in ``Field(...)`` and ``Config`` are the
registered checks of :mod:`stats.contract.checks`.
"""

from __future__ import annotations

from typing import Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from stats.contract import checks  # noqa: F401  (registers the checks the models name)
from stats.victims import VictimRecords

#: The roles a Claims field may have (``metadata={"roles": (...)}`` on its ``Field``); the
#: lists of fields with a role are derived with :func:`stats.contract.tables.fields`:
#:
#: * ``identifies``: hashed into the ``claim_id`` of a claim given none;
#: * ``shown``: the figure's own fields, shown to the analyst who reviews a candidate;
#: * ``correctable``: a review decision may correct it;
#: * ``summary``: names a claim in a one-line summary (a candidate's duplicates);
#: * ``count``: a count, read by the one count grammar (:func:`stats.parse.parse_counts`).
ROLES = ("identifies", "shown", "correctable", "summary", "count")


def _roles(*roles: str) -> dict:
    return {"roles": roles}


class Claims(pa.DataFrameModel):
    """The claim ledger: one row per figure as published (see DESIGN.md)."""

    claim_id: Series[str] = pa.Field(
        unique=True, description="stable unique id", metadata=_roles("summary")
    )
    metric: Series[pa.Category] = pa.Field(
        metric_in_vocabulary=(),
        description="what is counted",
        metadata=_roles("identifies", "shown", "correctable", "summary"),
    )
    value: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=0,
        description="number as stated",
        metadata=_roles("identifies", "shown", "correctable", "summary", "count"),
    )
    qualifier: Series[pa.Category] = pa.Field(
        known_qualifier=(),
        description="how it is qualified",
        metadata=_roles("identifies", "shown", "correctable", "summary"),
    )
    low: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=0,
        description="lower bound",
        metadata=_roles("identifies", "shown", "correctable", "count"),
    )
    high: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=0,
        description="upper bound (null = open)",
        metadata=_roles("identifies", "shown", "correctable", "count"),
    )
    rule: Series[str] = pa.Field(nullable=True, description="qualifier rule applied")
    period_start: Series[pa.DateTime] = pa.Field(
        nullable=True,
        description="first day covered",
        metadata=_roles("identifies", "shown", "correctable"),
    )
    period_end: Series[pa.DateTime] = pa.Field(
        description="day the figure is as of",
        metadata=_roles("identifies", "shown", "correctable", "summary"),
    )
    published: Series[pa.DateTime] = pa.Field(
        description="day it was published", metadata=_roles("identifies", "shown")
    )
    location: Series[str] = pa.Field(
        nullable=True,
        description="place covered",
        metadata=_roles("identifies", "shown", "correctable"),
    )
    subgroup: Series[str] = pa.Field(
        nullable=True,
        description="named part of the population",
        metadata=_roles("identifies", "shown", "correctable"),
    )
    counted_by: Series[str] = pa.Field(
        nullable=True,
        description="who produced the number",
        metadata=_roles("identifies", "shown", "correctable", "summary"),
    )
    reported_by: Series[str] = pa.Field(
        nullable=True,
        description="outlet that published it",
        metadata=_roles("identifies", "shown", "correctable", "summary"),
    )
    url: Series[str] = pa.Field(nullable=True, metadata=_roles("identifies"))
    quote: Series[str] = pa.Field(
        nullable=True, description="verbatim sentence", metadata=_roles("identifies", "summary")
    )
    source_file: Series[str] = pa.Field(description="raw input file")
    source_row: Series[pd.Int64Dtype] = pa.Field(ge=1, description="row in the raw file")
    location_detail: Series[str] = pa.Field(nullable=True)
    quote_en: Series[str] = pa.Field(nullable=True)
    note: Series[str] = pa.Field(nullable=True)
    #: how the extractor obtained each inferred field ("counted_by=paragraph;period_end=dateline")
    inferred: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        ordered = True
        interval_contains_value = ()
        periods_ordered = ()
        qualifier_matches_value = ()


class Rejects(pa.DataFrameModel):
    """Input problems: one row per problem, naming file, row, column, offending value, reason."""

    source_file: Series[str]
    source_row: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    column: Series[str] = pa.Field(nullable=True)
    value: Series[str] = pa.Field(nullable=True)
    reason: Series[str]

    class Config:
        strict = True
        ordered = True


class Events(pa.DataFrameModel):
    """Key dates of a conflict (charted as labelled lines): one row per event."""

    dataset: Series[str]
    date: Series[pa.DateTime]
    event: Series[str]
    location: Series[str] = pa.Field(nullable=True)
    source: Series[str] = pa.Field(nullable=True)
    url: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        ordered = True


class Estimates(pa.DataFrameModel):
    """Reconciled low / best / high per series (metric, location, subgroup), counter and date
    (:func:`stats.reconcile.reconcile`); ``counter`` is ``"combined"`` for the cross-counter
    result."""

    metric: Series[str] = pa.Field(metric_in_vocabulary=())
    location: Series[str] = pa.Field(nullable=True)
    subgroup: Series[str] = pa.Field(nullable=True)
    counter: Series[str]
    date: Series[pa.DateTime]
    low: Series[pd.Int64Dtype] = pa.Field(ge=0)
    best: Series[pd.Int64Dtype] = pa.Field(ge=0)
    high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="null = no limit")
    n_claims: Series[pd.Int64Dtype] = pa.Field(ge=0)
    n_outlets: Series[pd.Int64Dtype] = pa.Field(ge=0, description="distinct outlets")
    n_counters: Series[pd.Int64Dtype] = pa.Field(ge=0, description="counters that reported")
    claim_ids: Series[str] = pa.Field(
        nullable=True,
        description="';'-joined, sorted; null on a combined row with no claims of its own (a "
        "day of a part or whole of the series)",
    )
    combine_rule: Series[str] = pa.Field(
        nullable=True, description="rule of combined rows; null on a counter's own rows"
    )
    kind: Series[str] = pa.Field(isin=["flow", "stock"])
    series_start: Series[pa.DateTime]
    counters: Series[str] = pa.Field(nullable=True, description="';'-joined counters")

    @pa.dataframe_check
    def ordered(cls, df: pd.DataFrame) -> pd.Series:
        """low <= best <= high."""
        hi = df["high"].astype("Float64")
        return ((df["low"] <= df["best"]) & (df["best"] <= hi).fillna(True)).astype(bool)

    class Config:
        strict = True
        ordered = True
        coerce = True


class Daily(pa.DataFrameModel):
    """One row per calendar day, series and counter (:func:`stats.interpolate.interpolate`).

    ``est_low``, ``est_best``, ``est_high`` and ``level`` (optional) are an interval, at
    coverage ``level``, for the toll the counters will eventually document (reporting delay
    allowed for), beside the literal band ``cum_low``-``cum_high``.
    """

    metric: Series[str] = pa.Field(metric_in_vocabulary=())
    location: Series[str] = pa.Field(nullable=True)
    subgroup: Series[str] = pa.Field(nullable=True)
    counter: Series[str]
    date: Series[pa.DateTime]
    cum_low: Series[pd.Int64Dtype] = pa.Field(ge=0)
    cum_best: Series[pd.Int64Dtype] = pa.Field(ge=0)
    cum_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    new_low: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    new_best: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    new_high: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    is_reported: Series[bool]
    is_nowcast: Series[bool]
    method: Series[str]
    hard_low: Series[pd.Int64Dtype] = pa.Field(ge=0)
    hard_high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    kind: Series[str] = pa.Field(isin=["flow", "stock"])
    est_low: Optional[Series[pd.Int64Dtype]] = pa.Field(nullable=True, ge=0)  # noqa: UP045
    est_best: Optional[Series[pd.Int64Dtype]] = pa.Field(nullable=True, ge=0)  # noqa: UP045
    est_high: Optional[Series[pd.Int64Dtype]] = pa.Field(nullable=True, ge=0)  # noqa: UP045
    level: Optional[Series[float]] = pa.Field(nullable=True, gt=0, lt=1)  # noqa: UP045

    @pa.dataframe_check
    def ordered(cls, df: pd.DataFrame) -> pd.Series:
        """cum_low <= cum_best <= cum_high."""
        hi = df["cum_high"].astype("Float64")
        return ((df["cum_low"] <= df["cum_best"]) & (df["cum_best"] <= hi).fillna(True)).astype(
            bool
        )

    @pa.dataframe_check
    def est_ordered(cls, df: pd.DataFrame) -> pd.Series:
        """est_low <= est_best <= est_high where the eventual estimate is present."""
        if "est_best" not in df:
            return pd.Series(True, index=df.index)
        lo, best = df["est_low"].astype("Float64"), df["est_best"].astype("Float64")
        hi = df["est_high"].astype("Float64")
        return ((lo <= best).fillna(True) & (best <= hi).fillna(True)).astype(bool)

    class Config:
        strict = True
        ordered = True
        coerce = True


#: The kinds of conflict and what each means (the one list: the estimators name these).
CONFLICT_KINDS: dict[str, str] = {
    "non_monotone": "a counter's total falls: a lower bound by an earlier day above this "
    "day's upper bound",
    "disjoint_intervals": "one counter gives two figures for one day that cannot both hold, "
    "or two counters' bands on a day do not meet",
    "part_exceeds_whole": "a part's lower bound above its whole's upper bound",
    "parts_exceed_whole": "the child metrics' lower bounds add up to more than the whole's "
    "upper bound",
    "place_exceeds_parent": "a place's lower bound above the upper bound of a place containing it",
    "outlier": "a figure its counter's own series and the other counters contradict by far "
    "(a likely misprint): set aside, it sets no bound and no best",
    "window_exceeds_outer": "a count over a period above another counter's count over a "
    "longer period that contains it",
    "windows_disagree": "a counter's windows of one series cannot all hold (added up, they "
    "would raise one another without end): they are not added up",
}


class Conflicts(pa.DataFrameModel):
    """Evidence that cannot all hold, naming its claims (:func:`stats.reconcile.reconcile`)."""

    conflict_id: Series[str] = pa.Field(unique=True)
    kind: Series[str] = pa.Field(isin=list(CONFLICT_KINDS))
    metric: Series[str] = pa.Field(metric_in_vocabulary=())
    location: Series[str] = pa.Field(nullable=True)
    subgroup: Series[str] = pa.Field(nullable=True)
    date: Series[pa.DateTime]
    claim_ids: Series[str]
    counters: Series[str]
    detail: Series[str]

    class Config:
        strict = True
        ordered = True
        coerce = True


#: Every table of the project by the name it is stored under (``data/processed/<name>.*``).
TABLE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "claims": Claims,
    "rejects": Rejects,
    "events": Events,
    "estimates": Estimates,
    "daily": Daily,
    "conflicts": Conflicts,
    "victims": VictimRecords,
    "victim_rejects": Rejects,
}
