"""Recognise the layout of an input CSV from its first rows and read it with the right reader.

Layouts, checked in this order:

* ``hxl``: a row of HXL hashtags as the header or within the first 25 rows;
* ``acled``: a header with ACLED's columns (:data:`stats.ingest.acled.REQUIRED`);
* ``ucdp``: a header with UCDP GED's columns, or 49 fields without a header, the first a
  number (some GED Candidate releases);
* ``dtm``: a header with the DTM API's fields (:data:`stats.ingest.dtm.REQUIRED`);
* ``claims``: a header with the Claims input columns (:data:`stats.contract.REQUIRED_INPUT`);
* ``victims``: a list of named victims, a header with ``record_id`` and ``name``
  (:data:`stats.ingest.victims.REQUIRED`); read into VictimRecords, not Claims.
"""

from __future__ import annotations

from pathlib import Path

from stats import contract
from stats.disk import read_head
from stats.errors import SchemaError
from stats.ingest import Ingested, acled, dtm, hxl, ucdp, victims

#: Layout name -> the columns that identify it (what a user's file must have).
LAYOUTS: dict[str, tuple[str, ...]] = {
    "hxl": ("a hashtag row such as #date,#adm1+name,#affected+killed",),
    "acled": acled.REQUIRED,
    "ucdp": ucdp.REQUIRED,
    "dtm": dtm.REQUIRED,
    "claims": contract.REQUIRED_INPUT,
    "victims": victims.REQUIRED,
}


def detect_layout(path: Path | str, name: str | None = None) -> str:
    """Name the layout of a CSV file: ``hxl``, ``acled``, ``ucdp``, ``dtm``, ``claims`` or
    ``victims``.

    Raises
    ------
    SchemaError
        When the file is in none of them: the message lists each layout's expected columns
        and the header found.
    UserError
        When the file is empty or binary.
    """
    name = name or str(path)
    records = read_head(path, hxl.MAX_TAG_ROW + 1)
    if not records:
        from stats.errors import UserError

        raise UserError(f"{name}: the file is empty (expected a header row and data rows)")
    if any(hxl.is_tag_row(r) for r in records):
        return "hxl"
    header = set(records[0])
    for layout in ("acled", "ucdp", "dtm", "claims", "victims"):
        if set(LAYOUTS[layout]) <= header:
            return layout
    if ucdp.has_ged_header(path) is False:
        return "ucdp"
    expected = "; ".join(f"{k}: {', '.join(v)}" for k, v in LAYOUTS.items())
    raise SchemaError(
        f"{name}: not in a known layout. Expected one of -- {expected} (ucdp also as "
        f"{len(ucdp.GED_COLUMNS)} fields without a header row). Found the header: "
        f"{', '.join(records[0])}"
    )


def read_any(
    path: Path | str, name: str | None = None, layout: str | None = None, **options
) -> Ingested | victims.VictimsIngested:
    """Read a CSV in any known layout into Claims (detecting the layout unless given); a
    victim list into VictimRecords (a :class:`~stats.ingest.victims.VictimsIngested`).

    Parameters
    ----------
    path
        The input file.
    name
        How the file is named in ``source_file`` and in rejects (default: the path).
    layout
        ``acled``, ``ucdp``, ``hxl``, ``dtm``, ``claims`` or ``victims``; detected when None.
    **options
        Passed to the layout's reader (e.g. ``published=`` for :func:`~stats.ingest.ucdp.
        read_ucdp`, ``keep_notes=`` for :func:`~stats.ingest.acled.read_acled`).

    Returns
    -------
    Ingested
        Claims, rejects, rows read (and, for the event formats, rows accepted).
    """
    name = name or str(path)
    layout = layout or detect_layout(path, name)
    if layout == "claims":
        from stats.ingest.claims import read_claims_csv

        if options:
            raise SchemaError(
                f"{name}: option(s) {', '.join(options)} do not apply to the claims layout"
            )
        return read_claims_csv(path, name=name)
    readers = {
        "acled": acled.read_acled,
        "ucdp": ucdp.read_ucdp,
        "hxl": hxl.read_hxl,
        "dtm": dtm.read_dtm,
        "victims": victims.read_victims,
    }
    if layout not in readers:
        raise SchemaError(f"unknown layout {layout!r}: expected one of {', '.join(LAYOUTS)}")
    try:
        return readers[layout](path, name=name, **options)
    except TypeError as exc:
        if "unexpected keyword" not in str(exc):
            raise
        raise SchemaError(
            f"{name}: option(s) {', '.join(options)} do not apply to the {layout} layout"
        ) from exc
