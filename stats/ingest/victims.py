"""Read a list of named victims (CSV) into a validated :class:`~stats.victims.VictimRecords`.

The input is one CSV per list, one row per victim record, with a header row:

=============  =========  ==================================================================
column         required   written as
=============  =========  ==================================================================
record_id      yes        the list's own id of the record (unique within the list)
name           yes        the name as written, any script
list           no         the list's name (default: the file name without ``.csv``)
sex            no         ``m``/``male``/``f``/``female`` (any case), ``ذكر``/``أنثى``;
                          ``u``, ``unknown`` and empty are missing
age            no         ``34``, an age group ``30-39``, or open-ended ``60+``
date           no         ``YYYY-MM-DD``, or a month ``YYYY-MM`` or a year ``YYYY`` (a range)
date_start,    no         the first and last possible day of death (same forms); where
date_end                  missing, ``date`` fills them
place          no         the place of death as recorded
(any other)    no         kept in ``fields`` as a JSON object
=============  =========  ==================================================================

Every row is accepted or rejected (with one Rejects row per problem naming file, row, column,
value and reason): ``n_read == len(records) + n_rejected``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from stats.disk import read_csv_text
from stats.errors import SchemaError
from stats.ingest.tabular import Problems, strip, undecodable
from stats.parse import parse_dates
from stats.victims import MAX_AGE, VICTIM_COLUMNS, VictimRecords

#: Columns a victim list must have.
REQUIRED: tuple[str, ...] = ("record_id", "name")
#: Columns read into VictimRecords columns (the others go to ``fields``).
KNOWN: tuple[str, ...] = REQUIRED + (
    "list",
    "sex",
    "age",
    "date",
    "date_start",
    "date_end",
    "place",
)

_SEX = {
    "m": "male",
    "male": "male",
    "man": "male",
    "ذكر": "male",
    "f": "female",
    "female": "female",
    "woman": "female",
    "أنثى": "female",
    "انثى": "female",
    "u": None,
    "unknown": None,
}
_AGE = r"^(?P<low>\d{1,3})(?:\.0+)?(?:\s*(?P<plus>\+)|\s*[-–]\s*(?P<high>\d{1,3}))?$"
_DATE_FORMS = "expected YYYY-MM-DD, a month YYYY-MM or a year YYYY"


@dataclass(frozen=True)
class VictimsIngested:
    """What :func:`read_victims` made of one list."""

    records: pd.DataFrame
    rejects: pd.DataFrame
    n_read: int
    source_file: str
    layout: str = "victims"

    @property
    def n_accepted(self) -> int:
        """Rows accepted (one record each)."""
        return len(self.records)

    @property
    def n_rejected(self) -> int:
        """Distinct input rows with at least one problem."""
        return int(self.rejects["source_row"].dropna().nunique())

    @property
    def accounted(self) -> bool:
        """True when every input row is either accepted or rejected."""
        return self.n_read == len(self.records) + self.n_rejected


def read_victims(
    path: Path | str, name: str | None = None, list_name: str | None = None
) -> VictimsIngested:
    """Read one victim list into VictimRecords and Rejects.

    Parameters
    ----------
    path
        The CSV file (UTF-8, header row; the columns in the module docstring).
    name
        How the file is named in ``source_file`` and in rejects (default: the path).
    list_name
        The list's name where the file has no ``list`` column (default: the file's stem).

    Returns
    -------
    VictimsIngested
        Records, rejects and rows read.

    Raises
    ------
    SchemaError
        When ``record_id`` or ``name`` is missing from the header.
    """
    name = name or str(path)
    df = read_csv_text(path, name)
    missing = [c for c in REQUIRED if c not in df]
    if missing:
        raise SchemaError(
            f"{name}: not a victim list: missing column(s) {', '.join(missing)}; expected "
            f"{', '.join(REQUIRED)} and any of {', '.join(KNOWN[2:])}; found "
            f"{', '.join(map(str, df.columns))}"
        )
    return victims_from_table(df, name, list_name or Path(path).stem)


def victims_from_table(
    df: pd.DataFrame, name: str, list_name: str, first_row: int = 2
) -> VictimsIngested:
    """Turn a victim list read as text columns into VictimRecords. Does not mutate *df*."""
    rows = pd.Series(np.arange(first_row, first_row + len(df)), dtype="int64")
    pb = Problems(name, rows)
    pb.add(
        undecodable(df, df.columns), None, None, "not valid UTF-8: the row has undecodable bytes"
    )

    def col(c):
        return strip(df[c]) if c in df else pd.Series(pd.NA, index=df.index, dtype="str")

    for c in REQUIRED:
        pb.add(col(c).isna(), c, col(c), f"missing {c}: every record needs one")
    sex = _parse_sex(col("sex"), pb)
    age_low, age_high = _parse_age(col("age"), pb)
    date_start, date_end = _parse_dates(col, pb)
    lists = col("list").fillna(list_name)
    key = lists + "\x1f" + col("record_id").fillna("")
    dup = key.duplicated(keep=False) & col("record_id").notna()
    pb.add(dup, "record_id", col("record_id"), "duplicate record_id within the list")
    records = pd.DataFrame(
        {
            "list": lists,
            "record_id": col("record_id"),
            "name": col("name"),
            "sex": sex,
            "age_low": age_low,
            "age_high": age_high,
            "date_start": date_start,
            "date_end": date_end,
            "place": col("place"),
            "fields": _free_fields(df),
            "source_file": pd.Series(name, index=df.index, dtype="str"),
            "source_row": pd.array(rows, dtype="Int64"),
        }
    )
    records = records.loc[pb.ok, list(VICTIM_COLUMNS)].reset_index(drop=True)
    records = VictimRecords.validate(records, lazy=True)
    rejects = pb.table().sort_values(["source_row", "column"], kind="stable")
    return VictimsIngested(records, rejects.reset_index(drop=True), len(df), name)


def _parse_sex(s: pd.Series, pb: Problems) -> pd.Series:
    key = s.str.casefold()
    known = key.isin(list(_SEX)) | key.isna()
    pb.add(~known, "sex", s, "unknown sex: expected m, male, f, female, u or unknown")
    return key.map(_SEX).astype("str")


def _parse_age(s: pd.Series, pb: Problems) -> tuple[pd.Series, pd.Series]:
    m = s.str.extract(_AGE)
    low = pd.to_numeric(m["low"]).astype("Int64")
    high = pd.to_numeric(m["high"]).astype("Int64").where(m["high"].notna(), low)
    high = high.where(m["plus"].isna(), pd.NA)
    bad = s.notna() & (low.isna() | (low > MAX_AGE) | (high > MAX_AGE) | (low > high)).fillna(False)
    pb.add(bad, "age", s, f"not an age: expected 34, 30-39 or 60+ (ages 0 to {MAX_AGE})")
    return low.where(~bad), high.where(~bad)


def _parse_date_range(s: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Days, months (``YYYY-MM``) and years (``YYYY``) as (first day, last day, bad mask)."""
    parsed = parse_dates(s)
    day, bad_day = parsed.values, parsed.bad
    month = s.str.fullmatch(r"\d{4}-\d{2}").fillna(False).astype(bool)
    year = s.str.fullmatch(r"\d{4}").fillna(False).astype(bool)
    start = day.copy()
    end = day.copy()
    m_start = pd.to_datetime(s.where(month) + "-01", format="%Y-%m-%d", errors="coerce")
    y_start = pd.to_datetime(s.where(year) + "-01-01", format="%Y-%m-%d", errors="coerce")
    start = start.fillna(m_start).fillna(y_start)
    end = end.fillna(m_start + pd.offsets.MonthEnd(0)).fillna(y_start + pd.offsets.YearEnd(0))
    bad = s.notna() & start.isna()
    return (
        start.astype("datetime64[ns]"),
        end.astype("datetime64[ns]"),
        bad | (bad_day & ~(month | year)),
    )


def _parse_dates(col, pb: Problems) -> tuple[pd.Series, pd.Series]:
    parsed = {}
    for c in ("date", "date_start", "date_end"):
        start, end, bad = _parse_date_range(col(c))
        pb.add(bad, c, col(c), f"not a date: {_DATE_FORMS}")
        parsed[c] = (start.where(~bad), end.where(~bad))
    start = parsed["date_start"][0].fillna(parsed["date"][0])
    end = parsed["date_end"][1].fillna(parsed["date"][1])
    disordered = (start > end).fillna(False).astype(bool)
    values = start.dt.strftime("%Y-%m-%d") + " > " + end.dt.strftime("%Y-%m-%d")
    pb.add(disordered, "date_start,date_end", values, "dates out of order: expected start <= end")
    return start, end


def _free_fields(df: pd.DataFrame) -> pd.Series:
    """The columns not read into VictimRecords, as one JSON object per row (missing if none)."""
    extra = sorted(c for c in df.columns if c not in KNOWN)
    if not extra:
        return pd.Series(pd.NA, index=df.index, dtype="str")
    values = df[extra].astype("object").where(df[extra].notna(), None)
    text = [
        json.dumps(
            {k: v for k, v in zip(extra, row, strict=True) if v is not None}, ensure_ascii=False
        )
        for row in values.itertuples(index=False, name=None)
    ]
    return pd.Series(text, index=df.index, dtype="str").where(lambda t: t != "{}")
