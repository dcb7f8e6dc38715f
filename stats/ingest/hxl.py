"""Read any HXL-tagged CSV into Claims, mapping columns by hashtag and attributes (never by
the column titles, which vary from file to file).

HXL (the Humanitarian Exchange Language) puts a row of hashtags such as ``#affected+killed``
under (or instead of) the header. Attributes are unordered and case-insensitive:
``#affected +civilians +killed`` is ``#affected+killed+civilians``.

Count columns: a column whose hashtag and attributes equal a metric's ``hxl`` tag in
:data:`stats.vocab.METRICS` holds that metric's value; the same tag with ``+min`` holds the
lower bound (Claims ``low``) and with ``+max`` the upper bound (``high``). A row gives one
claim per metric with a value or a bound; a row with none is rejected. Other columns:

============================  ===================================================
hashtag                       Claims column
============================  ===================================================
``#meta+id``                  claim_id (``<id>:<metric>`` when a row has several)
``#meta+qualifier``           qualifier (default ``exact``, or ``range`` for bounds
                              without a value)
``#meta+rule``                rule (default: from the qualifier rules)
``#date+start``               period_start
``#date+end`` or ``#date``    period_end
``#date+reported``            published (default: period_end)
``#adm1+name``, ``#adm1+code``  location (p-codes mapped to controlled names);
``#loc+name``, ``#country+name``  else these, in this order
``#loc+detail``               location_detail (else ``#adm2+name / #adm3+name``)
``#meta+subgroup``            subgroup
``#org``                      counted_by (default: ``#meta+source``)
``#meta+source``              reported_by
``#meta+url``                 url
``#description+quote``        quote
``#description+quote+i_en``   quote_en
``#description+note``         note
``#meta+file``, ``#meta+row``  source_file, source_row (provenance kept from an
                              exported ledger; else this file and row)
============================  ===================================================

:func:`stats.export.hxl_table` writes exactly this layout, so that a Claims table exported
to HXL reads back unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from stats import contract, vocab
from stats.disk import read_csv_text, read_head
from stats.errors import SchemaError
from stats.ingest.tabular import (
    Problems,
    RowIngested,
    claims_frame,
    finish,
    join_text,
    part,
    strip,
    undecodable,
)
from stats.parse import parse_counts, parse_dates

#: How far down the HXL standard allows the hashtag row to be.
MAX_TAG_ROW = 25
_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$")
#: Attributes that mark a count column as a bound.
BOUND_ATTRIBUTES = {"min": "low", "max": "high"}

#: Claims column (or a place field) <- hashtags with attributes, preferred first, from
#: ``data/hand/hxl_tags.csv`` (the table the HXL export writes its tags from too).
FIELD_TAGS: dict[str, tuple[str, ...]] = vocab.HXL_READ_TAGS


def normalise_tag(tag: str) -> str | None:
    """A hashtag spec in canonical form (lower case, no spaces, attributes sorted); None when
    it is not a hashtag.

    Examples
    --------
    >>> normalise_tag("#Affected +Killed +civilians")
    '#affected+civilians+killed'
    >>> normalise_tag("Killed") is None
    True
    """
    t = re.sub(r"\s+", "", str(tag)).lower()
    if not _TAG.match(t):
        return None
    head, *attrs = t.split("+")
    return "+".join([head, *sorted(set(attrs))])


_METRIC_BY_TAG = {
    normalise_tag(t): m for m, t in zip(vocab.METRICS["name"], vocab.METRICS["hxl"], strict=True)
}
_FIELD_BY_TAG = {normalise_tag(t): f for f, tags in FIELD_TAGS.items() for t in tags}
_FIELD_RANK = {normalise_tag(t): i for tags in FIELD_TAGS.values() for i, t in enumerate(tags)}


def is_tag_row(record: list[str]) -> bool:
    """True when at least half the non-empty cells (and at least one) are hashtags."""
    cells = [c for c in record if c.strip()]
    tags = [c for c in cells if re.match(r"^#[A-Za-z]", c.strip()) and normalise_tag(c)]
    return bool(tags) and 2 * len(tags) >= len(cells)


def find_tag_row(path: Path | str) -> int | None:
    """Index (0 = the first line) of the hashtag row within the first lines, or None."""
    for i, rec in enumerate(read_head(path, MAX_TAG_ROW + 1)):
        if is_tag_row(rec):
            return i
    return None


def map_columns(tags: list[str]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Map column positions to metrics (value/low/high) and Claims fields by their hashtags.

    Returns ``(metrics, fields)``: ``metrics[metric][role] = column index`` with role
    ``value``, ``low`` or ``high``; ``fields[field] = column index``. The first column
    wins when several carry the same tag.
    """
    metrics: dict[str, dict[str, int]] = {}
    fields: dict[str, int] = {}
    ranks: dict[str, int] = {}
    for j, raw in enumerate(tags):
        t = normalise_tag(raw) if raw else None
        if t is None:
            continue
        head, *attrs = t.split("+")
        bounds = [a for a in attrs if a in BOUND_ATTRIBUTES]
        base = "+".join([head, *[a for a in attrs if a not in BOUND_ATTRIBUTES]])
        metric = _METRIC_BY_TAG.get(base)
        if metric is not None and len(bounds) <= 1:
            role = BOUND_ATTRIBUTES[bounds[0]] if bounds else "value"
            metrics.setdefault(metric, {}).setdefault(role, j)
            continue
        field = _FIELD_BY_TAG.get(t)
        if field is not None and (field not in fields or _FIELD_RANK[t] < ranks[field]):
            fields[field], ranks[field] = j, _FIELD_RANK[t]
    return metrics, fields


def read_hxl(path: Path | str, name: str | None = None) -> RowIngested:
    """Read an HXL-tagged CSV into validated Claims.

    Parameters
    ----------
    path
        The CSV file, with a hashtag row as the header or within the first 25 rows.
    name
        How the file is named in ``source_file`` and in rejects (default: the path).

    Returns
    -------
    RowIngested
        Claims, rejects, data rows read (the rows after the hashtag row) and rows accepted.

    Raises
    ------
    SchemaError
        When there is no hashtag row, or no column carries a metric's hashtag.

    Notes
    -----
    Rows are numbered as a spreadsheet shows them (the first line is row 1). A cell written
    by our exports as ``'=...`` (a formula made inert) is read back without the apostrophe.

    References
    ----------
    HXL Standard 1.1, https://hxlstandard.org/standard/1-1final/ (hashtags and attributes;
    dictionary at https://hxlstandard.org/standard/1-1final/dictionary/).
    """
    name = name or str(path)
    t = find_tag_row(path)
    if t is None:
        raise SchemaError(
            f"{name}: no HXL hashtag row (such as #date,#adm1+name,"
            f"#affected+killed) in the first {MAX_TAG_ROW + 1} rows"
        )
    first = read_head(path, 1)[0]
    width = max(len(r) for r in read_head(path, MAX_TAG_ROW + 1))
    cols = [f"c{j}" for j in range(max(width, len(first)))]
    df = read_csv_text(path, name, names=cols)
    tags = [df[c].iloc[t] if pd.notna(df[c].iloc[t]) else "" for c in cols]
    data = df.iloc[t + 1 :].reset_index(drop=True)
    return hxl_to_claims(data, tags, name, first_row=t + 2)


def hxl_to_claims(df: pd.DataFrame, tags: list[str], name: str, first_row: int = 3) -> RowIngested:
    """Turn HXL data rows (text, columns in the order of *tags*) into Claims.

    Does not mutate *df*.
    """
    metrics, fields = map_columns(tags)
    if not metrics:
        expected = ", ".join(vocab.METRICS["hxl"])
        raise SchemaError(
            f"{name}: no count column: expected a hashtag of a metric ({expected}"
            f", optionally +min/+max); found {', '.join(t for t in tags if t)}"
        )
    n = len(df)
    rows = pd.Series(np.arange(first_row, first_row + n), dtype="int64")
    pb = Problems(name, rows)
    title = list(df.columns)

    def col(field):
        j = fields.get(field)
        if j is None:
            return pd.Series(np.nan, index=df.index, dtype="str")
        return _uninert(strip(df[title[j]]))

    used = [title[j] for j in fields.values()] + [
        title[j] for m in metrics.values() for j in m.values()
    ]
    pb.add(undecodable(df, used), None, None, "not valid UTF-8: the row has undecodable bytes")
    dates = _dates(col, tags, fields, pb)
    qual_given = vocab.as_term(col("qualifier"))
    pb.add(
        qual_given.notna() & ~qual_given.isin(vocab.QUALIFIERS),
        tags[fields["qualifier"]] if "qualifier" in fields else "qualifier",
        qual_given,
        "unknown qualifier: expected one of " + ", ".join(vocab.QUALIFIERS),
    )
    figures, n_figs = _figures(df, tags, metrics, pb)
    location, detail = _place(col, fields)
    reported = col("reported_by")
    given_file, given_row = col("source_file"), col("source_row")
    prov_row = parse_counts(given_row).values
    prov = given_file.notna() & prov_row.notna()
    shared = {
        "period_start": dates["period_start"],
        "period_end": dates["period_end"],
        "published": dates["published"].where(dates["published"].notna(), dates["period_end"]),
        "location": location,
        "subgroup": col("subgroup"),
        "counted_by": col("counted_by") if "counted_by" in fields else reported,
        "reported_by": reported,
        "url": col("url"),
        "quote": col("quote"),
        "source_file": given_file.where(prov, name),
        "source_row": prov_row.where(prov, pd.array(rows.to_numpy(), dtype="Int64")),
        "location_detail": detail,
        "quote_en": col("quote_en"),
        "note": col("note"),
    }
    ids = _IdsOf(col("claim_id"), col("rule"), rows, pd.Series(n_figs), Path(name).name)
    parts = []
    for order, (metric, (got, any_fig)) in enumerate(figures.items()):
        sel = np.flatnonzero(pb.ok & any_fig)
        if len(sel):
            c = _metric_claims(metric, got, qual_given, shared, ids, sel)
            parts.append(part(c, rows.iloc[sel], order))
    return finish(parts, pb, n, name, "hxl")


def _dates(col, tags: list[str], fields: dict, pb: Problems) -> dict[str, pd.Series]:
    """The Claims dates by the date grammar; a row needs ``#date`` (or ``#date+end``)."""
    dates = {}
    for f in contract.DATE_COLUMNS:
        parsed = parse_dates(col(f))
        pb.add_parsed(parsed, tags[fields[f]] if f in fields else f, col(f))
        dates[f] = parsed.values
    pb.add(
        dates["period_end"].isna() & ~col("period_end").notna(),
        "#date",
        None,
        "missing date: expected #date or #date+end",
    )
    return dates


def _place(col, fields: dict) -> tuple[pd.Series, pd.Series]:
    """``(location, location_detail)``: the admin-1 name or p-code's place (``#loc`` when
    neither is tagged), else the country; the detail from ``#adm2``, ``#adm3`` (and
    ``#loc`` under an admin-1) unless it is tagged itself."""
    admin1 = "adm1" in fields or "adm1_code" in fields
    location = col("adm1")
    location = location.where(location.notna(), vocab.canonical_place(col("adm1_code")))
    if not admin1:
        location = location.where(location.notna(), col("loc"))
    location = location.where(location.notna(), col("country"))
    detail = col("location_detail")
    parts = [col("adm2"), col("adm3")] + ([col("loc")] if admin1 else [])
    return location, detail.where(detail.notna(), join_text(parts))


def _figures(df: pd.DataFrame, tags: list[str], metrics: dict, pb: Problems):
    """Per metric, its counts (``value``, ``low``, ``high`` by the count grammar, missing when
    not tagged) and which rows state any; and per row, how many metrics it states (a row
    stating none is a problem)."""
    n, title = len(df), list(df.columns)
    figures = {}
    for metric, roles in metrics.items():
        got = {}
        for role in ("value", "low", "high"):
            got[role] = pd.array([pd.NA] * n, dtype="Int64")
            if role in roles:
                raw = df[title[roles[role]]]
                parsed = parse_counts(raw)
                pb.add_parsed(parsed, tags[roles[role]], raw)
                got[role] = parsed.values
        any_fig = np.zeros(n, dtype=bool)
        for j in roles.values():
            any_fig |= strip(df[title[j]]).notna().to_numpy()
        figures[metric] = (got, any_fig)
    n_figs = np.sum([f[1] for f in figures.values()], axis=0) if figures else np.zeros(n)
    pb.add(
        n_figs == 0,
        ",".join(tags[j] for m in metrics.values() for j in m.values()),
        None,
        "no figure: every count column of the row is empty",
    )
    return figures, n_figs


@dataclass
class _IdsOf:
    """What a claim's id and rule are made of: the ids and rules given, the input rows, how
    many metrics each row states, the file's name."""

    given: pd.Series
    rule: pd.Series
    rows: pd.Series
    n_figs: pd.Series
    base: str


def _metric_claims(metric, got, qual_given, shared: dict, ids: _IdsOf, sel) -> pd.DataFrame:
    """The claims of one metric at the rows *sel*: the qualifier given, else the one the
    stated figures imply (a value: exact; both bounds: range; one bound: at least or at
    most, and that bound is the value), bounds by the qualifier rules; the id given (with
    ``:<metric>`` when the row states several), else ``hxl:<file>:<row>:<metric>``."""

    def take(s):
        return pd.Series(s).iloc[sel].reset_index(drop=True)

    value, low, high = take(got["value"]), take(got["low"]), take(got["high"])
    has_v, has_lo, has_hi = value.notna(), low.notna(), high.notna()
    default = np.select(
        [has_v, has_lo & has_hi, has_lo, has_hi], ["exact", "range", "at_least", "at_most"], "exact"
    )
    q = take(qual_given)
    q = q.where(q.notna(), pd.Series(default, dtype="str"))
    # a lone bound without a qualifier states a floor or a ceiling: it is the value
    lone = (q.isin(["at_least", "at_most"]) & ~has_v & (has_lo ^ has_hi)).to_numpy()
    value = value.where(~lone, low.where(has_lo, high))
    filled = vocab.apply_qualifiers(
        pd.DataFrame({"value": value, "qualifier": q, "low": low, "high": high})
    )
    rule = take(ids.rule)
    cid = take(ids.given)
    several = take(ids.n_figs) > 1
    generated = f"hxl:{ids.base}:" + take(ids.rows).astype("str") + ":" + metric
    cid = cid.where(~several, cid + ":" + metric).where(cid.notna(), generated)
    return claims_frame(
        len(sel),
        claim_id=cid,
        metric=metric,
        value=value,
        qualifier=q,
        low=filled["low"],
        high=filled["high"],
        rule=rule.where(rule.notna(), filled["rule"]),
        **{c: take(v) for c, v in shared.items()},
    )


def _uninert(s: pd.Series) -> pd.Series:
    """Undo the apostrophe our CSV exports put before a formula-like cell."""
    return s.str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True)
