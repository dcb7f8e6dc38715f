"""Read UCDP GED and GED Candidate event files (CSV, the 49-column layout) into Claims.

Each event gives up to three claims:

* ``killed``: UCDP's ``best`` estimate as ``value``, with its ``low`` and ``high`` estimates
  as the interval (``rule = ucdp_low_best_high``). The qualifier is ``exact`` when the three
  agree and ``about`` otherwise: ``range`` would need an empty value (the schema's
  ``qualifier_matches_value``), and UCDP states a best figure.
* ``civilians_killed``: ``deaths_civilians`` (exact; the part of ``best`` that UCDP codes as
  civilians).
* ``combatants_killed``: ``deaths_a + deaths_b`` (exact; deaths on the two sides).

A missing part gives no claim for that part (missing is not zero); a stated 0 is a claim of 0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from stats.disk import read_csv_text, read_head
from stats.errors import SchemaError
from stats.ingest.tabular import (
    Columns,
    Problems,
    RowIngested,
    Stacked,
    categories,
    choice_text,
    finish,
    join_text,
    release_memory,
    undecodable,
)
from stats.parse import parse_counts, parse_dates
from stats.vocab import QUALIFIERS

#: The 49 columns of UCDP GED (codebook version 25.1) and GED Candidate, in order.
GED_COLUMNS: tuple[str, ...] = (
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
)
#: Columns the reader needs.
REQUIRED: tuple[str, ...] = (
    "id",
    "country",
    "adm_1",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "best",
    "high",
    "low",
)
#: Columns the reader uses when present.
USED: tuple[str, ...] = REQUIRED + (
    "adm_2",
    "where_coordinates",
    "source_office",
    "type_of_violence",
)
#: Rule name of the ``killed`` claims (stated best, low and high estimates).
RULE = "ucdp_low_best_high"


def has_ged_header(path: Path | str) -> bool | None:
    """True for a GED file with a header row, False for a headerless one (49 fields, the
    first a number), None for anything else."""
    first = read_head(path, 1)
    if not first:
        return None
    rec = first[0]
    if set(REQUIRED) <= set(rec):
        return True
    if len(rec) == len(GED_COLUMNS) and rec[0].strip().isdigit():
        return False
    return None


def read_ucdp(
    path: Path | str, name: str | None = None, published: str | pd.Timestamp | None = None
) -> RowIngested:
    """Read a UCDP GED or GED Candidate CSV (with or without a header row) into Claims.

    Parameters
    ----------
    path
        The CSV file as released by UCDP.
    name
        How the file is named in ``source_file`` and in rejects (default: the path).
    published
        The release date of the file. UCDP does not date each figure; without this, each
        claim's ``published`` is its ``date_end`` (the earliest it can have been known).

    Returns
    -------
    RowIngested
        Claims, rejects, rows read and rows accepted.

    Notes
    -----
    * Period ``date_start`` .. ``date_end``; ``date_prec`` (1 exact day .. 5 more than a
      month) is kept in ``note``.
    * ``location`` is ``adm_1`` (or the country), mapped to controlled names ("Idlib
      governorate" becomes "Idleb"); ``location_detail`` is ``adm_2 / where_coordinates``.
    * ``counted_by`` is UCDP; ``reported_by`` the ``source_office`` field.
    * ``claim_id`` is ``ucdp:<id>:<metric>``.
    * Rows whose estimates are out of order (not ``low <= best <= high``) are rejected.

    References
    ----------
    Davies, S., Pettersson, T., Sollenberg, M. & Öberg, M. (2025). *UCDP Georeferenced Event
    Dataset Codebook Version 25.1*. Uppsala Conflict Data Program.
    Sundberg, R. & Melander, E. (2013). Introducing the UCDP Georeferenced Event Dataset.
    *Journal of Peace Research* 50(4), 523-532.
    """
    name = name or str(path)
    header = has_ged_header(path)
    if header is None:
        first = read_head(path, 1)
        raise SchemaError(
            f"{name}: not a UCDP GED file: expected the columns {', '.join(GED_COLUMNS)} (with "
            f"or without a header row); found {', '.join(first[0]) if first else '(nothing)'}"
        )
    if header:
        df = read_csv_text(path, name, columns=list(USED))
    else:
        df = read_csv_text(path, name, names=list(GED_COLUMNS), columns=list(USED))
    return ucdp_to_claims(df, name, first_row=2 if header else 1, published=published)


def ucdp_to_claims(
    df: pd.DataFrame, name: str, first_row: int = 2, published: str | pd.Timestamp | None = None
) -> RowIngested:
    """Turn a GED table (text columns as read) into Claims. Does not mutate *df*."""
    missing = [c for c in REQUIRED if c not in df]
    if missing:
        raise SchemaError(
            f"{name}: not a UCDP GED file: missing column(s) "
            f"{', '.join(missing)}; found {', '.join(map(str, df.columns))}"
        )
    n = len(df)
    rows = pd.Series(np.arange(first_row, first_row + n), dtype="int64")
    pb = Problems(name, rows)
    col = Columns(df)
    pb.add(undecodable(df, USED), None, None, "not valid UTF-8: the row has undecodable bytes")
    got = parse_counts(df["id"], limit=2**53)
    ident = got.values
    pb.add(got.bad | ident.isna(), "id", df["id"], "not an event id: expected a whole number")
    dates = _dates(df, col, pb)
    nums = _estimates(df, col, pb)
    pub = dates["date_end"]
    if published is not None:
        pub = pd.Series(pd.Timestamp(published).normalize(), index=df.index)
        pub = pub.astype("datetime64[ns]")
        pb.add(
            (pub < dates["date_end"]).fillna(False),
            "date_end",
            df["date_end"],
            "event ends after the release date given as published",
        )

    release_memory()
    idx = np.flatnonzero(pb.ok)
    lo, best, hi = nums["low"], nums["best"], nums["high"]
    combat, civ = nums["deaths_a"] + nums["deaths_b"], nums["deaths_civilians"]
    sels = [idx, idx[civ.notna().to_numpy()[idx]], idx[combat.notna().to_numpy()[idx]]]
    by = Stacked(("killed", "civilians_killed", "combatants_killed"), sels, n)
    q_exact, q_about = QUALIFIERS.index("exact"), QUALIFIERS.index("about")
    qual = np.full(len(by.parts), q_exact)
    exact = ((lo == best) & (best == hi)).fillna(False).to_numpy()
    qual[: len(idx)] = np.where(exact[idx], q_exact, q_about)
    location = col("adm_1")
    claims = by.claims(
        "ucdp",
        ident,
        rows,
        value=by.per_metric([best, civ, combat]),
        qualifier=categories(QUALIFIERS, qual),
        low=by.per_metric([lo, civ, combat]),
        high=by.per_metric([hi, civ, combat]),
        rule=choice_text([RULE, "exact", "exact"], by.parts),
        period_start=by.take(dates["date_start"]),
        period_end=by.take(dates["date_end"]),
        published=by.take(pub),
        location=by.take(location.where(location.notna(), col("country"))),
        counted_by="UCDP",
        reported_by=by.take(col("source_office")),
        source_file=name,
        location_detail=by.take(join_text([col("adm_2"), col("where_coordinates")])),
        note=by.take(_note(col)),
    )
    return finish([claims], pb, n, name, "ucdp", interleave=False)


def _dates(df: pd.DataFrame, col: Columns, pb: Problems) -> dict[str, pd.Series]:
    """``date_start`` and ``date_end`` parsed, in order, with a known ``date_prec``."""
    dates = {}
    for c in ("date_start", "date_end"):
        parsed = parse_dates(df[c])
        pb.add_parsed(parsed, c, df[c])
        pb.add(parsed.values.isna() & ~parsed.bad, c, df[c], "not a date: expected YYYY-MM-DD")
        dates[c] = parsed.values
    pb.add(
        (dates["date_start"] > dates["date_end"]).fillna(False),
        "date_start,date_end",
        col("date_start") + " > " + col("date_end"),
        "dates out of order: date_start is after date_end",
    )
    prec = col("date_prec")
    pb.add(
        ~prec.isin(["1", "2", "3", "4", "5"]),
        "date_prec",
        prec,
        "not a date precision: expected 1 to 5",
    )
    return dates


def _estimates(df: pd.DataFrame, col: Columns, pb: Problems) -> dict[str, pd.Series]:
    """The death counts by the count grammar; ``low <= best <= high``, all three stated."""
    nums = {}
    for c in ("best", "low", "high", "deaths_a", "deaths_b", "deaths_civilians"):
        parsed = parse_counts(df[c])
        pb.add_parsed(parsed, c, df[c])
        nums[c] = parsed.values
    for c in ("best", "low", "high"):
        pb.add(col(c).isna(), c, df[c], "missing estimate (missing is not zero)")
    lo, best, hi = nums["low"], nums["best"], nums["high"]
    pb.add(
        ((lo > best) | (best > hi)).fillna(False),
        "low,best,high",
        lo.astype("str") + " / " + best.astype("str") + " / " + hi.astype("str"),
        "estimates out of order: expected low <= best <= high",
    )
    return nums


def _note(col: Columns) -> pd.Series:
    """``date_prec N; type_of_violence T`` (what GED says of the event's precision and kind)."""
    prec = col("date_prec")
    note = ("date_prec " + prec.astype("str")).where(prec.notna())
    tv = col("type_of_violence")
    return note.where(tv.isna(), note + "; type_of_violence " + tv)
