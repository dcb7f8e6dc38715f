"""Validation: a table of claims as received becomes Claims + Rejects.

:func:`validate` parses a table of claims as received (text or typed columns), applies the
qualifier rules, checks the contract with pandera (``lazy=True``, so every problem is
collected) and returns the valid rows with proper dtypes and a Rejects table naming file, row,
column, value and reason for every problem. Nothing is dropped silently: every input row is
either valid or has at least one row in Rejects.

``source_row`` numbers rows as a spreadsheet shows them: the header is row 1, the first data
row is row 2 (a file with an HXL tag row starts its data at row 3).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_
import pyarrow.compute as pc

from stats import vocab
from stats.contract.checks import CHECKS, reason
from stats.contract.models import Claims, Rejects
from stats.contract.rejects import failure_rejects, rejects_frame
from stats.contract.tables import categories, columns, empty, fields
from stats.errors import SchemaError
from stats.parse import parse_counts, parse_dates

#: Claims columns in contract order.
CLAIMS_COLUMNS: tuple[str, ...] = columns(Claims)
#: Columns an input table of claims must have.
REQUIRED_INPUT: tuple[str, ...] = ("metric", "value", "qualifier", "period_end", "published")

#: Claims columns holding counts (role ``count``) and dates (datetime dtype), in order.
COUNT_COLUMNS: tuple[str, ...] = fields(Claims, "count")
DATE_COLUMNS: tuple[str, ...] = tuple(
    c
    for c, col in Claims.to_schema().columns.items()
    if pd.api.types.is_datetime64_any_dtype(col.dtype.type)
)
_TEXT_COLS = tuple(
    c for c in CLAIMS_COLUMNS if c not in COUNT_COLUMNS + DATE_COLUMNS + ("source_row",)
)
#: row checks whose failure follows from a cell that did not parse
_DERIVED_CHECKS = ("qualifier_matches_value", "interval_contains_value", "periods_ordered")
#: The fields a claim's hashed id is made of (role ``identifies`` in the model).
_ID_FIELDS: tuple[str, ...] = fields(Claims, "identifies")


def empty_claims() -> pd.DataFrame:
    """An empty, valid Claims table."""
    return Claims.validate(empty(Claims))


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
    joined = parts[0].str.cat(parts[1:], sep="\x1f")
    return joined.map(lambda s: "h" + hashlib.sha1(s.encode()).hexdigest()[:12]).astype("str")


def check_columns(columns, source_file: str, required=REQUIRED_INPUT) -> None:
    """Raise :class:`SchemaError` naming missing or unexpected columns."""
    cols = [str(c) for c in columns]
    missing = [c for c in required if c not in cols]
    known = set(CLAIMS_COLUMNS)
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
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"validate: expected a DataFrame of claims, got {type(df).__name__}")
    check_columns(df.columns, source_file)
    raw = df.reset_index(drop=True)
    rows = pd.Series(np.arange(first_row, first_row + len(df)), dtype="Int64")
    problems: list[pd.DataFrame] = []
    out = _parsed(raw, rows, source_file, problems)
    repeated = duplicated_ids(out["claim_id"])
    if repeated.any():
        why = reason("field_uniqueness", "claim_id")
        ids = out["claim_id"][repeated]
        problems.append(rejects_frame(source_file, rows[repeated], "claim_id", ids, why))
    try:
        CLAIMS_IDS_BY_SORT.validate(out, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = _derived_dropped(exc.failure_cases, raw)
        problems.append(failure_rejects(fc, out, rows, source_file))
    if not problems:  # every row passed: the empty table is valid by construction
        valid = out.reset_index(drop=True)
        rejects = empty(Rejects)
    else:
        rejects = Rejects.validate(_merged(problems))
        keep = ~rows.isin(set(rejects["source_row"].dropna().astype(int))).to_numpy()
        valid = (out if keep.all() else out.loc[keep]).reset_index(drop=True)  # no text copy
    for name, cats in categories().items():  # (the rows kept passed every check above)
        valid[name] = valid[name].astype(pd.CategoricalDtype(cats))
    return valid, rejects


#: The Claims model with the uniqueness of ``claim_id`` left to :func:`duplicated_ids` (the
#: same rule, by sorting: pandas' ``duplicated`` on a million strings costs ~250 MB).
CLAIMS_IDS_BY_SORT = Claims.to_schema().update_column("claim_id", unique=False)


def duplicated_ids(ids: pd.Series) -> np.ndarray:
    """Mask of the ids that occur more than once (every occurrence).

    Sorts instead of hashing: a hash table of a million strings costs ~250 MB, the sort ~10 MB.

    Examples
    --------
    >>> duplicated_ids(pd.Series(["a", "b", "a", "c"], dtype="str")).tolist()
    [True, False, True, False]
    """
    a = _arrow(ids)
    n = len(a)
    if n < 2:
        return np.zeros(n, dtype=bool)
    order = pc.sort_indices(a)
    ordered = a.take(order)
    same = np.asarray(pc.fill_null(pc.equal(ordered[1:], ordered[:-1]), False), dtype=bool)
    dup_sorted = np.zeros(n, dtype=bool)
    dup_sorted[1:] |= same
    dup_sorted[:-1] |= same
    out = np.zeros(n, dtype=bool)
    out[np.asarray(order)] = dup_sorted
    return out


def _arrow(s: pd.Series) -> pa_.Array | pa_.ChunkedArray:
    """The column as a pyarrow string array (zero-copy for pandas' ``str`` columns)."""
    if s.dtype != "str":
        s = s.astype("str").where(s.notna())
    return pa_.array(s, pa_.large_string(), from_pandas=True)


def _complete(raw: pd.DataFrame) -> pd.DataFrame:
    """The table with every Claims column: those it lacks are one column of missing text,
    shared (not one copy per column)."""
    absent = [c for c in CLAIMS_COLUMNS if c not in raw]
    if not absent:
        return raw
    missing = pd.Series(pd.array(pa_.nulls(len(raw), pa_.large_string()), dtype="str"), raw.index)
    return raw.assign(**dict.fromkeys(absent, missing))


def _as_received(raw: pd.DataFrame, name: str) -> pd.Series:
    """A column's cells as text, as a reject quotes them (dates as ``YYYY-MM-DD``)."""
    c = raw[name]
    if pd.api.types.is_datetime64_any_dtype(c.dtype):
        return c.dt.strftime("%Y-%m-%d")
    return c.astype("str").where(c.notna(), "")


def _stripped(c: pd.Series) -> pd.Series:
    """Text stripped, blank as missing; the column as given when nothing changes (so that a
    large file's text is not copied: whether anything changes is found
    :data:`TEXT_PIECE_ROWS` rows at a time)."""
    s = c.astype("str")
    a = _arrow(s)
    pieces = (a.slice(i, TEXT_PIECE_ROWS) for i in range(0, len(a), TEXT_PIECE_ROWS))
    if not any(_changed(p) for p in pieces):
        return s
    t = s.str.strip()
    return t.where(t != "")


#: Rows of text stripped at a time to find whether a column changes.
TEXT_PIECE_ROWS = 65_536


def _changed(a: pa_.Array | pa_.ChunkedArray) -> bool:
    """Whether stripping changes any cell or leaves one blank."""
    t = pc.utf8_trim_whitespace(a)
    return not t.equals(a) or pc.any(pc.equal(t, "")).as_py() is True


def _terms(s: pd.Series) -> pd.Series:
    """Vocabulary terms as written (a metric, a qualifier): stripped, then
    :func:`stats.vocab.as_term`, once per distinct cell."""
    return vocab.per_distinct(lambda u: vocab.as_term(_stripped(u)), s)


#: Text columns mapped to a vocabulary's term or a canonical name (stripped there), each
#: distinct cell once; the other text columns are :func:`_stripped`.
_NAMED = {
    "metric": _terms,
    "qualifier": _terms,
    # (looked up when called: stats.vocab imports this package)
    "counted_by": lambda s: vocab.canonical_source(s),
    "location": lambda s: vocab.canonical_place(s),
}


def _undecodable(c: pd.Series, rows, source_file: str, problems: list) -> None:
    """Reject the cells holding undecodable bytes, quoted stripped: a file read with
    ``errors="replace"`` has U+FFFD in their place (a table read by
    :func:`stats.disk.read_csv_text` says in ``attrs["replaced_bytes"]`` whether any byte was
    replaced)."""
    if not pc.any(pc.match_substring(_arrow(c), "\ufffd")).as_py():
        return
    bad = c.astype("str").str.contains("\ufffd", regex=False).fillna(False).astype(bool)
    if bad.any():
        why = "not valid UTF-8: the text has undecodable bytes"
        problems.append(rejects_frame(source_file, rows[bad], c.name, _stripped(c[bad]), why))


def _parsed(raw: pd.DataFrame, rows: pd.Series, source_file: str, problems: list) -> pd.DataFrame:
    """The Claims columns parsed from the table as received: text stripped (undecodable
    bytes rejected), names made canonical, counts and dates parsed (a cell that is neither is
    rejected), the qualifier rules applied, ids and provenance filled in. Rejects are appended
    to *problems*."""
    replaced = raw.attrs.get("replaced_bytes", True)  # (see _undecodable)
    raw = _complete(raw)
    cols: dict[str, pd.Series] = {}  # (one frame made at the end: a column set costs ~1 ms)
    for name in _TEXT_COLS:
        cols[name] = _NAMED.get(name, _stripped)(raw[name])
        if replaced:
            _undecodable(raw[name], rows, source_file, problems)
    stated = raw["qualifier"].notna() | raw["value"].notna()
    cols["qualifier"] = cols["qualifier"].fillna("exact").where(stated, cols["qualifier"])

    parsers = [(c, parse_counts) for c in COUNT_COLUMNS] + [(c, parse_dates) for c in DATE_COLUMNS]
    for name, parse in parsers:
        parsed = parse(raw[name])
        bad = parsed.bad
        if bad.any():
            problems.append(
                rejects_frame(
                    source_file,
                    rows[bad],
                    name,
                    _as_received(raw, name)[bad],
                    list(parsed.reason[bad]),
                )
            )
        cols[name] = parsed.values
    out = pd.DataFrame(cols, index=raw.index)

    bounds = vocab.apply_qualifiers(out[["value", "qualifier", "low", "high"]])
    out["low"], out["high"] = bounds["low"], bounds["high"]
    out["rule"] = bounds["rule"].where(bounds["rule"].notna(), out["rule"])

    ids = out["claim_id"]
    if ids.isna().any():  # hashed only where not given (a million hashes take seconds)
        ids = ids.copy()
        ids[ids.isna()] = claim_ids(out.loc[ids.isna()])
    out["claim_id"] = ids.astype("str")
    sf = out["source_file"]
    out["source_file"] = sf.where(sf.notna(), source_file).astype("str")
    given_rows = parse_counts(raw["source_row"]).values
    out["source_row"] = given_rows.where(given_rows.notna() & sf.notna(), rows).astype("Int64")
    for name in ("metric", "qualifier"):
        out[name] = out[name].astype("category")
    return out[list(CLAIMS_COLUMNS)]


def _merged(problems: list[pd.DataFrame]) -> pd.DataFrame:
    """One Rejects table of every problem, by row and column; a required cell that failed to
    parse is reported once, as the parse failure."""
    rejects = pd.concat(problems, ignore_index=True) if problems else empty(Rejects)
    parsed_bad = rejects.duplicated(["source_row", "column"], keep=False)
    rejects = rejects[~(parsed_bad & rejects["reason"].str.startswith("missing value"))]
    # a cell that did not parse is the real reason: checks of the row that read it as missing
    # (the qualifier does not fit, the interval) would only repeat it
    parse_failed = rejects["column"].isin(COUNT_COLUMNS + DATE_COLUMNS) & ~rejects["reason"].isin(
        [reason(k, c) for k in CHECKS for c in COUNT_COLUMNS + DATE_COLUMNS]
    )
    failed_rows = set(rejects.loc[parse_failed, "source_row"].dropna().astype(int))
    derived = rejects["reason"].isin([reason(k) for k in _DERIVED_CHECKS])
    rejects = rejects[~(derived & rejects["source_row"].isin(failed_rows))]
    return (
        rejects.drop_duplicates()
        .sort_values(["source_row", "column"], kind="stable", na_position="first")
        .reset_index(drop=True)
    )


def _derived_dropped(fc: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    """Failure cases without those of bounds derived from a bad value (not stated in *raw*):
    they repeat the value's problem, which is reported alone."""
    if "low" not in raw:
        stated = pd.Series(False, index=raw.index)
    else:
        stated = ~raw["low"].astype("str").str.strip().isin(["", "nan", "<NA>", "None"])
    cell = fc["index"].notna() & (fc["schema_context"] == "Column")
    on_bound = cell & fc["column"].isin(["low", "high"])
    idx = fc["index"].where(on_bound, 0).astype("int64")
    derived = on_bound & ~stated.to_numpy()[idx.to_numpy()]
    return fc[~derived.to_numpy()]
