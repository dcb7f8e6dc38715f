"""Table contracts (pandera models) and the validation that turns input into Claims + Rejects.

The Claims table is the claim ledger: one row per figure as published. :func:`validate` parses
a table of claims as received (text or typed columns), applies the qualifier rules, checks the
contract with pandera (``lazy=True``, so every problem is collected) and returns the valid rows
with proper dtypes and a Rejects table naming file, row, column, value and reason for every
problem. Nothing is dropped silently: every input row is either valid or has at least one row
in Rejects.

``source_row`` numbers rows as a spreadsheet shows them: the header is row 1, the first data
row is row 2 (a file with an HXL tag row starts its data at row 3).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import extensions
from pandera.typing import Series

from stats import vocab
from stats.errors import SchemaError
from stats.parse import parse_counts, parse_dates

#: Claims columns in contract order.
CLAIMS_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "metric",
    "value",
    "qualifier",
    "low",
    "high",
    "rule",
    "period_start",
    "period_end",
    "published",
    "location",
    "subgroup",
    "counted_by",
    "reported_by",
    "url",
    "quote",
    "source_file",
    "source_row",
    "location_detail",
    "quote_en",
    "note",
)
#: Columns an input table of claims must have.
REQUIRED_INPUT: tuple[str, ...] = ("metric", "value", "qualifier", "period_end", "published")
#: Columns an input table may have besides the contract's (documentation of the curation).
OPTIONAL_INPUT: tuple[str, ...] = ()

REJECTS_COLUMNS: tuple[str, ...] = ("source_file", "source_row", "column", "value", "reason")

_COUNT_COLS = ("value", "low", "high")
_DATE_COLS = ("period_start", "period_end", "published")
_TEXT_COLS = tuple(c for c in CLAIMS_COLUMNS if c not in _COUNT_COLS + _DATE_COLS + ("source_row",))
_NOT_A_COUNT = "not a count: expected a whole number such as 826, 115,000 or 1.1 million"
_ID_FIELDS = (
    "metric",
    "value",
    "qualifier",
    "low",
    "high",
    "period_start",
    "period_end",
    "published",
    "location",
    "subgroup",
    "counted_by",
    "reported_by",
    "url",
    "quote",
)


# ---------------------------------------------------------------------------------------------
# Registered checks (named, reusable; they appear by name in failure cases and rejects)
# ---------------------------------------------------------------------------------------------
def _register(name, **kw):
    def deco(fn):
        if name not in _registered():
            extensions.register_check_method(**kw)(fn)
        return fn

    return deco


def _registered() -> set[str]:
    return set(getattr(pa.Check, "REGISTERED_CUSTOM_CHECKS", {}))


@_register("metric_in_vocabulary")
def metric_in_vocabulary(series: pd.Series) -> pd.Series:
    """The metric is one of :data:`stats.vocab.METRIC_NAMES`."""
    return series.astype("object").isin(vocab.METRIC_NAMES)


@_register("known_qualifier")
def known_qualifier(series: pd.Series) -> pd.Series:
    """The qualifier is one of :data:`stats.vocab.QUALIFIERS`."""
    return series.astype("object").isin(vocab.QUALIFIERS)


@_register("interval_contains_value", check_type="vectorized")
def interval_contains_value(df: pd.DataFrame) -> pd.Series:
    """``low <= value <= high`` and ``low <= high`` wherever they are defined.

    "more than N" and "fewer than N" state an *exclusive* bound: their interval is
    ``[N+1, open]`` and ``[0, N-1]``, so for them the value must sit just outside it
    (``value < low``, ``value > high``).
    """
    lo, v, hi = (df[c].astype("Float64") for c in ("low", "value", "high"))
    q = df["qualifier"].astype("object")
    above, below = q == "more_than", q == "less_than"
    low_ok = ((lo <= v) | (above & (v < lo))).fillna(True)
    high_ok = ((v <= hi) | (below & (v > hi))).fillna(True)
    return (low_ok & high_ok & (lo <= hi).fillna(True)).astype(bool)


@_register("periods_ordered", check_type="vectorized")
def periods_ordered(df: pd.DataFrame) -> pd.Series:
    """``period_start <= period_end <= published`` wherever they are defined."""
    ps, pe, pub = df["period_start"], df["period_end"], df["published"]
    ok = (ps.isna() | pe.isna() | (ps <= pe)) & (pe.isna() | pub.isna() | (pe <= pub))
    return ok.astype(bool)


@_register("qualifier_matches_value", check_type="vectorized")
def qualifier_matches_value(df: pd.DataFrame) -> pd.Series:
    """Ranges and vague terms state ``low`` and ``high`` and no value; the others a value."""
    q = df["qualifier"].astype("object")
    interval = q.isin(["range", "vague"])
    has_bounds = df["low"].notna() & df["high"].notna()
    return (
        (interval & has_bounds & df["value"].isna()) | (~interval & df["value"].notna())
    ).astype(bool)


_REASONS = {
    "metric_in_vocabulary": "unknown metric: expected one of " + ", ".join(vocab.METRIC_NAMES),
    "known_qualifier": "unknown qualifier: expected one of " + ", ".join(vocab.QUALIFIERS),
    "interval_contains_value": "interval out of order: expected low <= value <= high "
    "(value < low for more_than, value > high for less_than)",
    "periods_ordered": "dates out of order: expected period_start <= period_end <= published",
    "qualifier_matches_value": "qualifier does not fit the figures: 'range' and 'vague' need "
    "low and high and no value; other qualifiers need a value",
    "field_uniqueness": "duplicate claim_id: each claim needs its own id",
    "not_nullable": "missing value: this column is required",
    "greater_than_or_equal_to(0)": "negative count: expected a number >= 0",
}


# ---------------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------------
class Claims(pa.DataFrameModel):
    """The claim ledger: one row per figure as published (see DESIGN.md)."""

    claim_id: Series[str] = pa.Field(unique=True, description="stable unique id")
    metric: Series[pa.Category] = pa.Field(metric_in_vocabulary=(), description="what is counted")
    value: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="number as stated")
    qualifier: Series[pa.Category] = pa.Field(known_qualifier=(), description="how it is qualified")
    low: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="lower bound")
    high: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, ge=0, description="upper bound (null = open)"
    )
    rule: Series[str] = pa.Field(nullable=True, description="qualifier rule applied")
    period_start: Series[pa.DateTime] = pa.Field(nullable=True, description="first day covered")
    period_end: Series[pa.DateTime] = pa.Field(description="day the figure is as of")
    published: Series[pa.DateTime] = pa.Field(description="day it was published")
    location: Series[str] = pa.Field(nullable=True, description="place covered")
    subgroup: Series[str] = pa.Field(nullable=True, description="named part of the population")
    counted_by: Series[str] = pa.Field(nullable=True, description="who produced the number")
    reported_by: Series[str] = pa.Field(nullable=True, description="outlet that published it")
    url: Series[str] = pa.Field(nullable=True)
    quote: Series[str] = pa.Field(nullable=True, description="verbatim sentence")
    source_file: Series[str] = pa.Field(description="raw input file")
    source_row: Series[pd.Int64Dtype] = pa.Field(ge=1, description="row in the raw file")
    location_detail: Series[str] = pa.Field(nullable=True)
    quote_en: Series[str] = pa.Field(nullable=True)
    note: Series[str] = pa.Field(nullable=True)

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


def empty_rejects() -> pd.DataFrame:
    """An empty Rejects table with the right dtypes."""
    return pd.DataFrame(
        {
            "source_file": pd.Series([], dtype="str"),
            "source_row": pd.Series([], dtype="Int64"),
            "column": pd.Series([], dtype="str"),
            "value": pd.Series([], dtype="str"),
            "reason": pd.Series([], dtype="str"),
        }
    )


def empty_claims() -> pd.DataFrame:
    """An empty, valid Claims table."""
    return validate(
        pd.DataFrame({c: pd.Series([], dtype="str") for c in REQUIRED_INPUT}), source_file="<empty>"
    )[0]


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------
def claim_ids(df: pd.DataFrame) -> pd.Series:
    """Stable ids for claims without one: ``h`` + 12 hex digits of a SHA-1 of the identifying
    fields (metric, figures, dates, place, counter, outlet, url, quote).

    Examples
    --------
    >>> df = pd.DataFrame({"metric": ["killed"], "value": [826]})
    >>> claim_ids(df).str.len().tolist()
    [13]
    """
    parts = []
    for c in _ID_FIELDS:
        col = df[c] if c in df else pd.Series("", index=df.index)
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            col = col.dt.strftime("%Y-%m-%d")
        parts.append(col.astype("str").where(col.notna(), ""))
    joined = (
        pd.concat(parts, axis=1).agg("\x1f".join, axis=1)
        if len(df)
        else pd.Series([], dtype="str", index=df.index)
    )
    return joined.map(lambda s: "h" + hashlib.sha1(s.encode()).hexdigest()[:12]).astype("str")


def _rejects_frame(source_file, rows, column, value, reason) -> pd.DataFrame:
    n = len(rows)
    return pd.DataFrame(
        {
            "source_file": pd.Series([source_file] * n, dtype="str")
            if isinstance(source_file, str)
            else pd.Series(source_file, dtype="str").reset_index(drop=True),
            "source_row": pd.Series(rows, dtype="Int64").reset_index(drop=True),
            "column": pd.Series(
                [column] * n if isinstance(column, str) or column is None else column, dtype="str"
            ).reset_index(drop=True),
            "value": pd.Series(value, dtype="str").reset_index(drop=True),
            "reason": pd.Series(
                [reason] * n if isinstance(reason, str) else reason, dtype="str"
            ).reset_index(drop=True),
        }
    )


def check_columns(columns, source_file: str, required=REQUIRED_INPUT) -> None:
    """Raise :class:`SchemaError` naming missing or unexpected columns."""
    cols = [str(c) for c in columns]
    missing = [c for c in required if c not in cols]
    known = set(CLAIMS_COLUMNS) | set(OPTIONAL_INPUT)
    unexpected = [c for c in cols if c not in known]
    dup = sorted({c for c in cols if cols.count(c) > 1})
    problems = []
    if missing:
        problems.append("missing column(s) " + ", ".join(repr(c) for c in missing))
    if unexpected:
        problems.append("unexpected column(s) " + ", ".join(repr(c) for c in unexpected))
    if dup:
        problems.append("duplicated column(s) " + ", ".join(repr(c) for c in dup))
    if problems:
        raise SchemaError(
            f"{source_file}: {'; '.join(problems)}. Expected the Claims columns "
            f"({', '.join(CLAIMS_COLUMNS)}), at least {', '.join(required)}; "
            f"found: {', '.join(cols) or '(none)'}"
        )


def validate(
    df: pd.DataFrame, source_file: str = "<table>", first_row: int = 2
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate a table of claims; return ``(valid, rejects)``.

    Parameters
    ----------
    df
        Claims as received: text or typed columns. Must have at least the columns in
        :data:`REQUIRED_INPUT`; may have any of :data:`CLAIMS_COLUMNS`. ``low``/``high``/
        ``rule`` are derived from ``value`` and ``qualifier`` where not stated; counters and
        places are mapped to canonical names; missing ``claim_id`` are hashed.
    source_file
        Name of the input, recorded in ``source_file`` and in rejects.
    first_row
        Row number of the first data row (2 when a header row precedes it).

    Returns
    -------
    valid : DataFrame
        Valid rows as a :class:`Claims` table (dates as datetimes, counts as nullable
        integers, metric and qualifier as categories), in input order.
    rejects : DataFrame
        One row per problem (:class:`Rejects`). ``len(valid) + number of distinct rejected
        rows == len(df)``.

    Raises
    ------
    SchemaError
        When required columns are missing or unknown columns are present.

    Examples
    --------
    >>> raw = pd.DataFrame({"metric": ["killed", "deaths"], "value": ["826", "12"],
    ...                     "qualifier": ["exact", "exact"],
    ...                     "period_end": ["2024-12-06", "2024-12-06"],
    ...                     "published": ["2024-12-06", "2024-12-06"]})
    >>> valid, rejects = validate(raw, "example.csv")
    >>> len(valid), rejects[["source_row", "column", "value"]].values.tolist()
    (1, [[3, 'metric', 'deaths']])
    """
    check_columns(df.columns, source_file)
    n = len(df)
    raw = df.reset_index(drop=True)
    rows = pd.Series(np.arange(first_row, first_row + n), dtype="Int64")
    out = pd.DataFrame(index=raw.index)
    problems: list[pd.DataFrame] = []

    def col(name):
        return raw[name] if name in raw else pd.Series(pd.NA, index=raw.index, dtype="object")

    def raw_text(name):
        c = col(name)
        if pd.api.types.is_datetime64_any_dtype(c.dtype):
            return c.dt.strftime("%Y-%m-%d")
        return c.astype("str").where(c.notna(), "")

    # text columns: strip; flag undecodable bytes (read with errors="replace" -> U+FFFD)
    for name in _TEXT_COLS:
        c = col(name)
        s = c.astype("str").str.strip().where(c.notna())
        s = s.where(s != "")
        bad = s.str.contains("\ufffd", regex=False).fillna(False).astype(bool)
        if bad.any():
            problems.append(
                _rejects_frame(
                    source_file,
                    rows[bad],
                    name,
                    s[bad],
                    "not valid UTF-8: the text has undecodable bytes",
                )
            )
        out[name] = s.astype("str")

    out["metric"] = out["metric"].str.casefold().str.replace(r"[\s-]+", "_", regex=True)
    q = out["qualifier"].str.casefold().str.replace(r"[\s-]+", "_", regex=True)
    out["qualifier"] = q.fillna("exact").where(col("qualifier").notna() | col("value").notna(), q)
    out["counted_by"] = vocab.canonical_source(out["counted_by"]).astype("str")
    out["location"] = vocab.canonical_place(out["location"]).astype("str")

    parsers = [(c, lambda s: parse_counts(s)[:2], _NOT_A_COUNT) for c in _COUNT_COLS] + [
        (c, parse_dates, "not a date: expected YYYY-MM-DD") for c in _DATE_COLS
    ]
    for name, parse, reason in parsers:
        parsed, bad = parse(col(name))
        if bad.any():
            problems.append(
                _rejects_frame(source_file, rows[bad], name, raw_text(name)[bad], reason)
            )
        out[name] = parsed

    stated_rule = out["rule"]
    out = vocab.apply_qualifiers(out)
    out["rule"] = out["rule"].where(out["rule"].notna(), stated_rule)

    ids = out["claim_id"]
    out["claim_id"] = ids.where(ids.notna(), claim_ids(out)).astype("str")
    sf = out["source_file"]
    out["source_file"] = sf.where(sf.notna(), source_file).astype("str")
    given_rows, _bad, _neg = parse_counts(col("source_row"))
    out["source_row"] = given_rows.where(given_rows.notna() & sf.notna(), rows).astype("Int64")

    for name in ("metric", "qualifier"):
        out[name] = out[name].astype("category")
    out = out[list(CLAIMS_COLUMNS)]

    try:
        Claims.validate(out, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems.append(_failure_rejects(exc.failure_cases, out, raw, rows, source_file))

    rejects = pd.concat(problems, ignore_index=True) if problems else empty_rejects()
    # a required cell that failed to parse is reported once, as the parse failure
    parsed_bad = rejects.duplicated(["source_row", "column"], keep=False)
    rejects = rejects[~(parsed_bad & rejects["reason"].str.startswith("missing value"))]
    rejects = (
        rejects.drop_duplicates()
        .sort_values(["source_row", "column"], kind="stable", na_position="first")
        .reset_index(drop=True)
    )
    bad_rows = set(rejects["source_row"].dropna().astype(int))
    keep = ~rows.isin(bad_rows).to_numpy()
    valid = out.loc[keep].reset_index(drop=True)
    valid["metric"] = valid["metric"].astype(pd.CategoricalDtype(vocab.METRIC_NAMES))
    valid["qualifier"] = valid["qualifier"].astype(pd.CategoricalDtype(vocab.QUALIFIERS))
    return Claims.validate(valid), Rejects.validate(rejects)


def _failure_rejects(fc: pd.DataFrame, out, raw, rows, source_file) -> pd.DataFrame:
    """Turn pandera failure cases into Rejects rows."""
    fc = fc.copy()
    frames = []
    # column-level failures with an index: one reject per failing cell
    cell = fc[fc["index"].notna() & (fc["schema_context"] == "Column")]
    # bounds derived from a bad value repeat the value's problem: report the value only
    derived = cell["column"].isin(["low", "high"]) & cell["index"].map(
        lambda i: (
            str(raw.at[int(i), "low"]).strip() in ("", "nan", "<NA>", "None")
            if "low" in raw
            else True
        )
    )
    cell = cell[~derived]
    if len(cell):
        idx = cell["index"].astype(int).to_numpy()
        columns = cell["column"].astype("str").to_numpy()
        checks = cell["check"].astype("str")
        reasons = checks.map(lambda c: _REASONS.get(c, f"failed check {c}"))
        frames.append(
            _rejects_frame(
                source_file,
                rows.iloc[idx].to_numpy(),
                list(columns),
                cell["failure_case"].astype("str").to_numpy(),
                list(reasons),
            )
        )
    # dataframe-level checks: failure cases list the offending rows' cells
    wide = fc[fc["index"].notna() & (fc["schema_context"] == "DataFrameSchema")]
    if len(wide):
        wide = wide.drop_duplicates(["index", "check"])
        idx = wide["index"].astype(int).to_numpy()
        checks = wide["check"].astype("str")
        involved = {
            "interval_contains_value": ("low", "value", "high"),
            "periods_ordered": ("period_start", "period_end", "published"),
            "qualifier_matches_value": ("qualifier", "value", "low", "high"),
        }
        colnames = checks.map(lambda c: ",".join(involved.get(c, ())))
        values = []
        for i, c in zip(idx, checks, strict=True):
            cols = involved.get(c, ())
            parts = []
            for k in cols:
                v = out.at[i, k]
                parts.append(f"{k}={'' if pd.isna(v) else (v.date() if hasattr(v, 'date') else v)}")
            values.append(" ".join(parts))
        frames.append(
            _rejects_frame(
                source_file,
                rows.iloc[idx].to_numpy(),
                list(colnames),
                values,
                list(checks.map(lambda c: _REASONS.get(c, c))),
            )
        )
    # failures without an index (dtype, missing column): whole-table problems
    table = fc[fc["index"].isna()]
    if len(table):
        raise SchemaError(
            f"{source_file}: "
            + "; ".join(f"{r.column}: {r.check} ({r.failure_case})" for r in table.itertuples())
        )
    return pd.concat(frames, ignore_index=True) if frames else empty_rejects()


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

    metric: Series[str] = pa.Field(isin=vocab.METRIC_NAMES)
    location: Series[str] = pa.Field(nullable=True)
    subgroup: Series[str] = pa.Field(nullable=True)
    counter: Series[str]
    date: Series[pa.DateTime]
    low: Series[pd.Int64Dtype] = pa.Field(ge=0)
    best: Series[pd.Int64Dtype] = pa.Field(ge=0)
    high: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0, description="null = no limit")
    n_claims: Series[pd.Int64Dtype] = pa.Field(ge=0)
    n_sources: Series[pd.Int64Dtype] = pa.Field(ge=0)
    claim_ids: Series[str] = pa.Field(description="';'-joined, sorted")
    rule: Series[str]
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
    """One row per calendar day, series and counter (:func:`stats.interpolate.interpolate`)."""

    metric: Series[str] = pa.Field(isin=vocab.METRIC_NAMES)
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
    est_low: Series[pd.Int64Dtype] | None = pa.Field(
        nullable=True, ge=0, description="eventual toll, lower end (stats.estimate.delay)"
    )
    est_best: Series[pd.Int64Dtype] | None = pa.Field(nullable=True, ge=0)
    est_high: Series[pd.Int64Dtype] | None = pa.Field(nullable=True, ge=0)
    level: Series[float] | None = pa.Field(nullable=True, gt=0, lt=1)

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


class Conflicts(pa.DataFrameModel):
    """Evidence that cannot all hold, naming its claims (:func:`stats.reconcile.reconcile`)."""

    conflict_id: Series[str] = pa.Field(unique=True)
    kind: Series[str] = pa.Field(
        isin=[
            "non_monotone",
            "part_exceeds_whole",
            "parts_exceed_whole",
            "disjoint_intervals",
            "place_exceeds_parent",
            "outlier",
        ]
    )
    metric: Series[str] = pa.Field(isin=vocab.METRIC_NAMES)
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


#: Models of other processed tables, by name, for :func:`stats.io.load`.
TABLE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "events": Events,
    "estimates": Estimates,
    "daily": Daily,
    "conflicts": Conflicts,
}
