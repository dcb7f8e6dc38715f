"""Read IOM Displacement Tracking Matrix (DTM) admin-level rows into ``idps`` stock claims.

The DTM API (v2) returns one row per operation, admin area, round and displacement reason with
``numPresentIdpInd``: the number of internally displaced persons present in the area at the
time of the round. That is a *stock* (people displaced as of a date), so every row becomes one
``idps`` claim with ``period_end = published = reportingDate`` and no period start.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from stats import vocab
from stats.disk import read_csv_text
from stats.errors import SchemaError
from stats.ingest.tabular import (
    Columns,
    Problems,
    RowIngested,
    claims_frame,
    finish,
    part,
    undecodable,
)
from stats.parse import parse_counts, parse_dates

#: Fields of the DTM API's admin-0/1/2 endpoints this reader knows (the first eight are the
#: admin-1 layout; admin-0 files lack admin1*; admin-2 files add admin2*).
DTM_COLUMNS: tuple[str, ...] = (
    "admin0Name",
    "admin0Pcode",
    "admin1Name",
    "admin1Pcode",
    "numPresentIdpInd",
    "reportingDate",
    "roundNumber",
    "assessmentType",
    "admin2Name",
    "admin2Pcode",
    "id",
    "operation",
    "displacementReason",
    "yearReportingDate",
    "monthReportingDate",
)
#: Columns the reader needs.
REQUIRED: tuple[str, ...] = ("admin0Name", "numPresentIdpInd", "reportingDate")


def read_dtm(path: Path | str, name: str | None = None) -> RowIngested:
    """Read a DTM admin-level CSV (as saved from the DTM API or HDX) into ``idps`` claims.

    Parameters
    ----------
    path
        The CSV file (header row with the API's field names).
    name
        How the file is named in ``source_file`` and in rejects (default: the path).

    Returns
    -------
    RowIngested
        Claims, rejects, rows read and rows accepted.

    Notes
    -----
    * ``location``: the admin-1 area (its p-code is mapped to the controlled place names first,
      then its name), or the country for admin-0 rows; ``location_detail`` the admin-2 name.
    * ``subgroup``: the ``displacementReason`` (e.g. "Conflict") when the file has one, since
      the DTM splits an area's IDPs by reason: the rows are parts, not competing counts.
    * ``counted_by`` is IOM; ``reported_by`` is "IOM DTM"; ``note`` records the round and the
      assessment type.
    * ``claim_id`` is ``dtm:`` plus the API's ``id`` when present, else the area p-code (or
      name), the date, the round and the reason.
    * A missing ``numPresentIdpInd`` is not zero: the row is rejected.

    References
    ----------
    IOM Displacement Tracking Matrix, DTM API v2 (https://dtm.iom.int/data-and-analysis/dtm-api),
    fields of the ``IdpAdmin0Data``/``IdpAdmin1Data``/``IdpAdmin2Data`` endpoints.
    """
    name = name or str(path)
    df = read_csv_text(path, name, columns=list(DTM_COLUMNS))
    return dtm_to_claims(df, name)


def dtm_to_claims(df: pd.DataFrame, name: str, first_row: int = 2) -> RowIngested:
    """Turn a DTM table (text columns as read) into Claims. Does not mutate *df*."""
    missing = [c for c in REQUIRED if c not in df]
    if missing:
        raise SchemaError(
            f"{name}: not a DTM file: missing column(s) {', '.join(missing)}; "
            f"expected {', '.join(DTM_COLUMNS[:8])}; found "
            f"{', '.join(map(str, df.columns))}"
        )
    n = len(df)
    rows = pd.Series(np.arange(first_row, first_row + n), dtype="int64")
    pb = Problems(name, rows)
    col = Columns(df)
    pb.add(
        undecodable(df, DTM_COLUMNS), None, None, "not valid UTF-8: the row has undecodable bytes"
    )
    parsed = parse_counts(df["numPresentIdpInd"])
    value, bad = parsed.values, parsed.bad
    pb.add_parsed(parsed, "numPresentIdpInd", df["numPresentIdpInd"])
    pb.add(
        value.isna() & ~bad,
        "numPresentIdpInd",
        df["numPresentIdpInd"],
        "no IDP figure (missing is not zero)",
    )
    parsed = parse_dates(df["reportingDate"])
    date = parsed.values
    pb.add_parsed(parsed, "reportingDate", df["reportingDate"])
    pb.add(
        date.isna() & ~parsed.bad,
        "reportingDate",
        df["reportingDate"],
        "not a date: expected YYYY-MM-DD (a time after it is ignored)",
    )
    key = _record_key(df, col, date)
    pb.add(key.isna(), "id", df.get("id"), "missing record id")

    sel = np.flatnonzero(pb.ok)

    def take(s):
        return s.iloc[sel].reset_index(drop=True)

    v = take(value)
    c = claims_frame(
        len(sel),
        claim_id=("dtm:" + take(key)),
        metric="idps",
        value=v,
        qualifier="exact",
        low=v,
        high=v,
        rule="exact",
        period_end=take(date),
        published=take(date),
        location=take(_location(col)),
        subgroup=take(col("displacementReason")),
        counted_by="IOM",
        reported_by="IOM DTM",
        source_file=name,
        source_row=rows.iloc[sel].to_numpy(),
        location_detail=take(col("admin2Name")),
        note=take(_note(col)),
    )
    return finish([part(c, rows.iloc[sel], 0)], pb, n, name, "dtm")


def _location(col: Columns) -> pd.Series:
    """The place of the admin-1 p-code when the vocabulary knows it, else the admin-1 name,
    else the country."""
    pcode_place = vocab.canonical_place(col("admin1Pcode"))
    known = pcode_place.notna() & (pcode_place != col("admin1Pcode"))
    location = pcode_place.where(known, col("admin1Name"))
    return location.where(location.notna(), col("admin0Name"))


def _note(col: Columns) -> pd.Series:
    """``round N; <assessment type>``."""
    rnd = col("roundNumber")
    note = ("round " + rnd).where(rnd.notna())
    at = col("assessmentType")
    return note.where(at.isna(), note.fillna("").str.cat(at, sep="; ").str.lstrip("; "))


def _record_key(df: pd.DataFrame, col: Columns, date: pd.Series) -> pd.Series:
    """The record's ``id``, or (files without one) ``area:date:r<round>[:reason]`` from the
    finest area code or name given."""
    if "id" in df:
        return col("id")
    area = (
        col("admin2Pcode")
        .fillna(col("admin1Pcode"))
        .fillna(col("admin0Pcode"))
        .fillna(col("admin2Name").fillna(col("admin1Name")).fillna(col("admin0Name")))
    )
    key = (
        area.fillna("")
        + ":"
        + date.dt.strftime("%Y-%m-%d").fillna("")
        + ":r"
        + col("roundNumber").fillna("")
    )
    reason = col("displacementReason")
    return key.where(reason.isna(), key + ":" + reason)
