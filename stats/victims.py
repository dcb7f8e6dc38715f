"""The VictimRecords table: one row per named victim as one list records them.

Organisations that document deaths one by one (a ministry, a human-rights group, a hospital,
a martyrs' page) keep *lists of named victims*. Before the lists can be matched
(:mod:`stats.linkage`) and the undocumented total estimated (:mod:`stats.mse`), each is read
into this one table: the :class:`VictimRecords` pandera model is its only definition. The
reader is :func:`stats.ingest.victims.read_victims`.

Ages and dates are kept as intervals, since lists state them so: an age group ("30-39") is
``age_low=30, age_high=39``, an exact age has both equal; a date of death known to the month
is the range of that month (``date_start``, ``date_end``).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

__all__ = ["SEXES", "VICTIM_COLUMNS", "VictimRecords", "empty_victims"]

#: Values of ``sex`` (missing: not recorded).
SEXES: tuple[str, ...] = ("female", "male")
#: Oldest age accepted.
MAX_AGE = 120


class VictimRecords(pa.DataFrameModel):
    """Named victims as recorded, one row per record of a list.

    ``(list, record_id)`` is unique. Missing is never zero: an unrecorded age, sex, date or
    place is missing, not a default.
    """

    list: Series[str] = pa.Field(description="the list (organisation or source) recording it")
    record_id: Series[str] = pa.Field(description="the record's id within its list")
    name: Series[str] = pa.Field(description="the name as written, in any script")
    sex: Series[str] = pa.Field(nullable=True, isin=SEXES, description="female or male")
    age_low: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, le=MAX_AGE, description="youngest age stated (the age if exact)"
    )
    age_high: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, le=MAX_AGE, description="oldest age stated (missing: open-ended)"
    )
    date_start: Series[pa.DateTime] = pa.Field(nullable=True, description="first possible day")
    date_end: Series[pa.DateTime] = pa.Field(nullable=True, description="last possible day")
    place: Series[str] = pa.Field(nullable=True, description="place of death as recorded")
    fields: Series[str] = pa.Field(
        nullable=True, description="the list's other columns, as a JSON object (sorted keys)"
    )
    source_file: Series[str] = pa.Field(description="raw input file")
    source_row: Series[pd.Int64Dtype] = pa.Field(ge=1, description="row in the raw file")

    class Config:
        strict = True
        ordered = True
        unique = ["list", "record_id"]

    @pa.dataframe_check
    def ages_ordered(cls, df: pd.DataFrame) -> pd.Series:
        """``age_low <= age_high`` where both are stated."""
        return (df["age_low"] <= df["age_high"]).fillna(True).astype(bool)

    @pa.dataframe_check
    def dates_ordered(cls, df: pd.DataFrame) -> pd.Series:
        """``date_start <= date_end`` where both are stated."""
        s, e = df["date_start"], df["date_end"]
        return (s.isna() | e.isna() | (s <= e)).astype(bool)


#: VictimRecords columns in contract order.
VICTIM_COLUMNS: tuple[str, ...] = tuple(VictimRecords.to_schema().columns)


def empty_victims() -> pd.DataFrame:
    """An empty, valid VictimRecords table."""
    kinds = {"age_low": "Int64", "age_high": "Int64", "source_row": "Int64"}
    kinds |= {"date_start": "datetime64[ns]", "date_end": "datetime64[ns]"}
    frame = pd.DataFrame({c: pd.Series([], dtype=kinds.get(c, "str")) for c in VICTIM_COLUMNS})
    return VictimRecords.validate(frame)
