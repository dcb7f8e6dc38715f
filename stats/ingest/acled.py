"""Read an ACLED export (CSV) into Claims: one ``killed`` claim per event, and a
``civilians_killed`` claim where civilians were targeted.

ACLED codes one fatality figure per event, and where reports differ it codes the *lowest*
reported figure (ACLED Codebook, "Fatalities"). A figure of 12 is therefore a floor, not a best
guess: the claims say ``qualifier = at_least`` and ``rule = acled_lowest_reported``
(``low = fatalities``, ``high`` open).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from stats.disk import read_csv_text
from stats.ingest.tabular import (
    Columns,
    Problems,
    RowIngested,
    Stacked,
    categories,
    finish,
    join_text,
    release_memory,
    undecodable,
)
from stats.parse import parse_counts, parse_dates
from stats.vocab import QUALIFIERS

#: Columns of an ACLED export, in order (ACLED API / Data Export Tool, 2023 onwards).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: Columns the reader needs (older exports lack ``civilian_targeting`` and ``timestamp``).
REQUIRED: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "country",
    "admin1",
    "source",
    "fatalities",
)
#: Columns the reader uses when present.
USED: tuple[str, ...] = REQUIRED + (
    "civilian_targeting",
    "admin2",
    "admin3",
    "location",
    "timestamp",
)
#: Rule name written to the ``rule`` column of ACLED claims.
RULE = "acled_lowest_reported"
#: Event-date formats: the API's ISO dates and the export tool's "27 November 2024".
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y")


def read_acled(path: Path | str, name: str | None = None, keep_notes: bool = False) -> RowIngested:
    """Read an ACLED export CSV into validated Claims.

    Parameters
    ----------
    path
        The CSV file as downloaded (header row, ACLED column names).
    name
        How the file is named in ``source_file`` and in rejects (default: the path).
    keep_notes
        Copy ACLED's event description (``notes``) into the ``note`` column. Off by default:
        the ledger holds figures with their provenance (``source_file``, ``source_row`` lead
        back to the notes), ACLED's terms limit redistributing its text, and a million notes
        double the memory a read needs.

    Returns
    -------
    RowIngested
        Claims, rejects, rows read and rows accepted.

    Notes
    -----
    * Period from ``time_precision``: 1 the day; 2 the week around it (three days either
      side); 3 the calendar month. The period never ends after ``published``.
    * ``published`` is the day of ``timestamp`` (when ACLED last uploaded the event); without
      a timestamp it is the end of the period.
    * ``location`` is ``admin1`` (or the country when it is empty), mapped to the controlled
      names; ``location_detail`` is ``admin2 / admin3 / location``.
    * ``counted_by`` is ACLED; ``reported_by`` the ``source`` field as coded by ACLED.
    * ``claim_id`` is ``acled:<event_id_cnty>:<metric>``.
    * A missing ``fatalities`` is not zero: the row is rejected (it states no figure).

    References
    ----------
    ACLED (2024). *Armed Conflict Location & Event Data Codebook*. https://acleddata.com/
    """
    name = name or str(path)
    df = read_csv_text(path, name, columns=list(USED) + (["notes"] if keep_notes else []))
    check_acled_columns(df.columns, name)
    return acled_to_claims(df, name, keep_notes=keep_notes)


def check_acled_columns(columns, name: str) -> None:
    """Raise :class:`~stats.errors.SchemaError` when a required ACLED column is missing."""
    from stats.errors import SchemaError

    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise SchemaError(
            f"{name}: not an ACLED export: missing column(s) "
            f"{', '.join(missing)}; expected {', '.join(ACLED_COLUMNS)}; found "
            f"{', '.join(map(str, columns))}"
        )


def acled_to_claims(
    df: pd.DataFrame, name: str, first_row: int = 2, keep_notes: bool = False
) -> RowIngested:
    """Turn an ACLED table (text columns as read) into Claims. Does not mutate *df*."""
    if not all(c in df for c in REQUIRED):
        check_acled_columns(df.columns, name)
    n = len(df)
    rows = pd.Series(np.arange(first_row, first_row + n), dtype="int64")
    pb = Problems(name, rows)
    col = Columns(df)
    pb.add(undecodable(df, USED), None, None, "not valid UTF-8: the row has undecodable bytes")
    event = col("event_id_cnty")
    pb.add(event.isna(), "event_id_cnty", event, "missing event id")
    date, fat = _event_date(df, pb), _fatalities(df, pb)
    start, end, published = _period(df, col, pb, date)

    release_memory()
    idx = np.flatnonzero(pb.ok)
    civ = col("civilian_targeting").notna().to_numpy()
    location = col("admin1")
    location = location.where(location.notna(), col("country"))
    # ACLED's notes are free text: kept as written (stripping a million notes costs seconds)
    note = df["notes"] if keep_notes and "notes" in df else None
    by = Stacked(("killed", "civilians_killed"), [idx, idx[civ[idx]]], n)
    k = len(by.parts)
    value = by.take(fat)
    claims = by.claims(
        "acled",
        event,
        rows,
        value=value,
        qualifier=categories(QUALIFIERS, np.full(k, QUALIFIERS.index("at_least"))),
        low=value,
        rule=RULE,
        period_start=by.take(start),
        period_end=by.take(end),
        published=by.take(published),
        location=by.take(location),
        counted_by="ACLED",
        reported_by=by.take(col("source")),
        source_file=name,
        location_detail=by.take(join_text([col("admin2"), col("admin3"), col("location")])),
        note=None if note is None else by.take(note),
    )
    return finish([claims], pb, n, name, "acled", interleave=False)


def _event_date(df: pd.DataFrame, pb: Problems) -> pd.Series:
    """``event_date`` parsed (ISO or the export tool's "27 November 2024"); a missing or bad
    date is a row problem."""
    parsed = parse_dates(df["event_date"], DATE_FORMATS)
    pb.add_parsed(parsed, "event_date", df["event_date"], " (or '27 November 2024')")
    pb.add(parsed.values.isna() & ~parsed.bad, "event_date", df["event_date"], "missing event date")
    return parsed.values


def _fatalities(df: pd.DataFrame, pb: Problems) -> pd.Series:
    """``fatalities`` by the count grammar; a missing figure is a row problem (not zero)."""
    parsed = parse_counts(df["fatalities"])
    pb.add_parsed(parsed, "fatalities", df["fatalities"])
    pb.add(
        parsed.values.isna() & ~parsed.bad,
        "fatalities",
        df["fatalities"],
        "no fatalities figure (missing is not zero)",
    )
    return parsed.values


def _period(df: pd.DataFrame, col: Columns, pb: Problems, date: pd.Series):
    """``(period_start, period_end, published)``: the period from ``time_precision`` (1 the
    day, 2 three days either side, 3 the calendar month), published on the day of
    ``timestamp`` (else the period's end); the period never ends after publication."""
    prec = col("time_precision")
    pb.add(
        ~prec.isin(["1", "2", "3"]),
        "time_precision",
        prec,
        "not a time precision: expected 1 (day), 2 (week) or 3 (month)",
    )
    d = date.to_numpy()
    month = d.astype("datetime64[M]")
    p = prec.to_numpy(dtype=object, na_value="")
    week = np.timedelta64(3, "D")
    start = np.where(p == "2", d - week, np.where(p == "3", month.astype("datetime64[ns]"), d))
    month_end = ((month + 1).astype("datetime64[D]") - np.timedelta64(1, "D")).astype(
        "datetime64[ns]"
    )
    end = np.where(p == "2", d + week, np.where(p == "3", month_end, d))
    start, end = pd.Series(start, index=df.index), pd.Series(end, index=df.index)
    published = _published(df, col, pb)
    published = published.where(published.notna(), end)
    pb.add(
        (published < date).fillna(False),
        "timestamp",
        df.get("timestamp"),
        "published before the event date: the timestamp precedes event_date",
    )
    return start, end.where(~(end > published).fillna(False), published), published


def _published(df: pd.DataFrame, col: Columns, pb: Problems) -> pd.Series:
    """The day of ``timestamp`` (seconds since 1970, or an ISO date); missing without one."""
    if "timestamp" not in df:
        return pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    ts = col("timestamp")
    got = parse_counts(ts, limit=2**53)
    secs, bad_secs = got.values, got.bad
    days = secs.to_numpy(dtype="float64", na_value=np.nan) // 86400
    published = np.where(
        np.isnan(days),
        np.datetime64("NaT"),
        np.nan_to_num(days).astype("int64").astype("datetime64[D]"),
    )
    published = pd.Series(published.astype("datetime64[ns]"), index=df.index)
    if bad_secs.any():
        iso_p = parse_dates(ts[bad_secs])
        published[bad_secs] = iso_p.values
        pb.add(
            bad_secs & iso_p.bad.reindex(df.index, fill_value=False),
            "timestamp",
            ts,
            "not a timestamp: expected seconds since 1970 or YYYY-MM-DD",
        )
    return published
