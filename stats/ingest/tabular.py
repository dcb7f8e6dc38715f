"""Shared machinery of the event-data readers (ACLED, UCDP, HXL, DTM): row rejects, vectorised
parsing of text columns, and the last step that turns built claims into a validated Claims
table. Files are read by :func:`stats.disk.read_csv_text`, the one CSV reader.

The readers do their own parsing, column by column and vectorised, so that a million-row
export is read in seconds; the result is then checked against the :class:`stats.contract.Claims`
contract with pandera (``lazy=True``). Each input row is either accepted whole (all the claims
made from it) or rejected whole (with one Rejects row per problem), so that
``n_read == n_accepted + n_rejected``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_
import pyarrow.compute as pc

from stats import contract, vocab
from stats.ingest import Ingested


@dataclass(frozen=True)
class RowIngested(Ingested):
    """An :class:`Ingested` whose input rows may each give several claims.

    ``n_accepted`` counts input rows accepted (not claims): an ACLED event gives a killed and,
    where civilians were targeted, a civilians_killed claim.
    """

    n_accepted: int = 0

    @property
    def accounted(self) -> bool:
        """True when every input row is either accepted or rejected (never both)."""
        return self.n_read == self.n_accepted + self.n_rejected


def release_memory() -> None:
    """Hand memory that pyarrow freed back to the system (its allocator keeps it otherwise)."""
    pa_.default_memory_pool().release_unused()


def undecodable(df: pd.DataFrame, columns) -> pd.Series:
    """Rows holding U+FFFD (bytes that were not UTF-8) in any of *columns*.

    Only a table read through the fallback decoder of :func:`stats.disk.read_csv_text` can
    hold them (its ``attrs["replaced_bytes"]`` is set), so the check is skipped for the others.
    """
    bad = pd.Series(False, index=df.index)
    if not df.attrs.get("replaced_bytes"):
        return bad
    for c in columns:
        if c in df:
            bad |= df[c].str.contains("\ufffd", regex=False).fillna(False).astype(bool)
    return bad


# ---------------------------------------------------------------------------------------------
# Parsing helpers (vectorised with pyarrow compute: no Python objects per cell)
# ---------------------------------------------------------------------------------------------
def arrow(s: pd.Series) -> pa_.Array | pa_.ChunkedArray:
    """The column as a pyarrow string array (zero-copy for pandas' pyarrow-backed strings)."""
    if s.dtype != "str":
        s = s.astype("str").where(s.notna())
    to_arrow = getattr(s.array, "__arrow_array__", None)
    return to_arrow() if to_arrow is not None else pa_.array(s)


def text(values, index=None) -> pd.Series:
    """A pandas ``str`` Series from a pyarrow string array."""
    return pd.Series(pd.array(values, dtype="str"), index=index)


def const_text(value: str | None, n: int) -> pd.Series:
    """*n* times the same text (or missing), built from buffers: no Python object per row."""
    if value is None:
        return text(pa_.nulls(n, pa_.large_string()))
    b = value.encode("utf-8")
    offsets = np.arange(n + 1, dtype=np.int64) * len(b)
    return text(pa_.LargeStringArray.from_buffers(n, pa_.py_buffer(offsets), pa_.py_buffer(b * n)))


def choice_text(choices: list[str], codes: np.ndarray) -> pd.Series:
    """``choices[codes]`` as a ``str`` Series."""
    return text(pa_.array(list(choices)).take(pa_.array(np.asarray(codes, dtype="int64"))))


def strip(s: pd.Series) -> pd.Series:
    """Stripped text; empty cells become missing. Returns *s* itself (no copy) when no cell
    starts or ends with a space or a tab (other padding is left alone)."""
    a = arrow(s)
    padded = any(
        pc.any(fn(a, pattern=ch)).as_py()
        for fn in (pc.starts_with, pc.ends_with)
        for ch in (" ", "\t")
    )
    if padded:
        a = pc.utf8_trim_whitespace(a)
    elif s.dtype == "str" and not pc.any(pc.equal(a, "")).as_py():
        return s
    return text(pc.if_else(pc.equal(a, ""), pa_.scalar(None, a.type), a), index=s.index)


def _mask(a) -> np.ndarray:
    return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)


class Columns:
    """The text columns of a table as read, stripped once on first use; a column the table
    lacks is all missing. ``cols = Columns(df); cols("admin1")``."""

    def __init__(self, df: pd.DataFrame):
        self.df, self.cache = df, {}

    def __call__(self, c: str) -> pd.Series:
        if c not in self.cache:
            df = self.df
            self.cache[c] = (
                strip(df[c]) if c in df else const_text(None, len(df)).set_axis(df.index)
            )
        return self.cache[c]


@dataclass
class Stacked:
    """Claims of several metrics from the rows of one table, one block per metric: the input
    positions of each metric's claims (*selections*, each in row order) among *n* rows."""

    metrics: tuple[str, ...]
    selections: list[np.ndarray]
    n: int

    @property
    def parts(self) -> np.ndarray:
        """Per claim, the index of its metric (its block)."""
        return np.concatenate([np.full(len(sel), k) for k, sel in enumerate(self.selections)])

    def take(self, s: pd.Series) -> pd.Series:
        """*s* (one value per input row) at every claim."""
        return stack(s, self.selections, self.n)

    def per_metric(self, columns: list[pd.Series]):
        """One column per metric (in the order of :attr:`metrics`), each taken at its block."""
        blocks = [c.iloc[sel] for c, sel in zip(columns, self.selections, strict=True)]
        return pd.concat(blocks, ignore_index=True).array

    def claims(self, prefix: str, ident: pd.Series, rows: pd.Series, **cols) -> pd.DataFrame:
        """The claims frame: ``claim_id`` ``<prefix>:<ident>:<metric>``, ``metric``,
        ``source_row`` and the given columns, tagged with their rows and parts for
        :func:`finish`."""
        prt = self.parts
        metric_codes = np.array([vocab.METRIC_NAMES.index(m) for m in self.metrics])
        src_rows = self.take(rows).to_numpy()
        claims = claims_frame(
            len(prt),
            claim_id=prefix
            + ":"
            + self.take(ident).astype("str")
            + ":"
            + choice_text(self.metrics, prt),
            metric=categories(vocab.METRIC_NAMES, metric_codes[prt]),
            source_row=src_rows,
            **cols,
        )
        return part(claims, src_rows, prt)


def join_text(parts: list[pd.Series], sep: str = " / ") -> pd.Series:
    """Join text columns row by row, skipping missing parts; missing when all are missing."""
    arrays = [pc.cast(arrow(p), pa_.large_string()) for p in parts]
    sep_ = pa_.scalar(sep, pa_.large_string())
    joined = arrays[0]
    for a in arrays[1:]:
        both = pc.binary_join_element_wise(joined, a, sep_)  # null when either is null
        joined = pc.coalesce(both, joined, a)
    return text(joined, index=parts[0].index)


# ---------------------------------------------------------------------------------------------
# Rejects
# ---------------------------------------------------------------------------------------------
def rejects_for(
    source_file: str,
    rows: pd.Series,
    mask: pd.Series,
    column: str | None,
    values: pd.Series | None,
    reason: str,
) -> pd.DataFrame:
    """Rejects rows for the input rows where *mask* is true."""
    m = np.asarray(mask, dtype=bool)
    k = int(m.sum())
    vals = (
        values[m].astype("str").where(values[m].notna()).to_numpy(dtype=object)
        if values is not None
        else [None] * k
    )
    return pd.DataFrame(
        {
            "source_file": pd.Series([source_file] * k, dtype="str"),
            "source_row": pd.array(np.asarray(rows)[m], dtype="Int64"),
            "column": pd.Series([column] * k, dtype="str"),
            "value": pd.Series(vals, dtype="str"),
            "reason": pd.Series([reason] * k, dtype="str"),
        }
    )


class Problems:
    """Collects row problems of one input file; each problem rejects its row."""

    def __init__(self, source_file: str, rows: pd.Series):
        self.source_file = source_file
        self.rows = rows
        self.frames: list[pd.DataFrame] = []
        self.bad = np.zeros(len(rows), dtype=bool)

    def add_parsed(self, parsed, column: str | None, values, expected: str = "") -> None:
        """Reject the entries a parser of :mod:`stats.parse` could not read, each with its
        reason (and ``expected``, the reader's word for what the column holds)."""
        for reason in parsed.reason.dropna().unique():
            self.add(parsed.reason == reason, column, values, reason + expected)

    def add(self, mask, column: str | None, values, reason: str) -> None:
        m = np.asarray(mask, dtype=bool)
        if m.any():
            self.frames.append(rejects_for(self.source_file, self.rows, m, column, values, reason))
            self.bad |= m

    @property
    def ok(self) -> np.ndarray:
        return ~self.bad

    def table(self) -> pd.DataFrame:
        if not self.frames:
            return contract.empty_rejects()
        return pd.concat(self.frames, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------------------------
#: Claims columns of nullable integers and of dates (from the model's dtypes).
_INT_COLS = tuple(
    c for c, col in contract.Claims.to_schema().columns.items() if str(col.dtype) == "Int64"
)


def claims_frame(n: int, **cols) -> pd.DataFrame:
    """A Claims-shaped frame of *n* rows from the given columns (scalars broadcast); the
    columns not given are missing. Columns get the contract's dtypes."""
    out = {}
    for c in contract.CLAIMS_COLUMNS:
        v = cols.get(c)
        if c in _INT_COLS:
            if v is None:
                s = pd.arrays.IntegerArray(np.zeros(n, "int64"), np.ones(n, dtype=bool))
            elif np.isscalar(v):
                s = pd.arrays.IntegerArray(np.full(n, v, "int64"), np.zeros(n, dtype=bool))
            else:
                s = pd.array(
                    np.asarray(v) if not isinstance(v, pd.Series) else v.array, dtype="Int64"
                )
        elif c in contract.DATE_COLUMNS:
            if v is None:
                s = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
            else:
                s = pd.Series(v).reset_index(drop=True).astype("datetime64[ns]")
        elif isinstance(v, pd.Categorical):
            s = pd.Series(v)
        elif v is None or isinstance(v, str):
            s = const_text(v, n)
        elif isinstance(v, pa_.Array | pa_.ChunkedArray):
            s = text(v)
        else:
            vv = pd.Series(v).reset_index(drop=True)
            s = vv if vv.dtype == "str" else vv.astype("str").where(vv.notna())
        out[c] = s
    return pd.DataFrame(out, copy=False)


def finish(
    parts: list[pd.DataFrame],
    problems: Problems,
    n_read: int,
    source_file: str,
    layout: str,
    interleave: bool = True,
) -> RowIngested:
    """Assemble claims made from the accepted rows, validate them, and account for every row.

    Parameters
    ----------
    parts
        Claims frames (from :func:`claims_frame`), each with a private ``_row`` column: the
        input row number (as in Rejects) the claim comes from.
    problems
        The row problems found while parsing; claims from those rows are dropped.
    n_read
        Input rows read.
    source_file, layout
        Recorded in the result.
    interleave
        Order the claims by input row (then by part); False keeps the order given (the big
        event readers give one block per metric, each in row order, to avoid copying).

    Notes
    -----
    Place names are mapped to the controlled vocabulary; a claim failing the Claims contract
    rejects its whole input row (with the check's name in the reason).
    """
    claims = _assembled(parts, problems, interleave)
    claims["location"] = vocab.canonical_place(claims["location"])
    claims["counted_by"] = vocab.canonical_source(claims["counted_by"])
    rejects = [problems.table()]
    claims = _known_terms(claims, rejects, source_file)
    row_of = claims.pop("_row").astype("int64").to_numpy()
    claims = claims.drop(columns="_part")
    claims, row_of = _unique_ids(claims, row_of, rejects, source_file)
    release_memory()
    claims, row_of = _contract_kept(claims, row_of, rejects, source_file)
    rejects = pd.concat(rejects, ignore_index=True)
    rejects = rejects.sort_values(["source_row", "column"], kind="stable").reset_index(drop=True)
    rejects = contract.Rejects.validate(rejects)
    return RowIngested(
        claims, rejects, int(n_read), source_file, layout, n_accepted=int(pd.unique(row_of).size)
    )


def _assembled(parts: list[pd.DataFrame], problems: Problems, interleave: bool) -> pd.DataFrame:
    """The parts as one frame, without the claims of rows with problems, ordered by input
    row (then part) when *interleave*."""
    if len(parts) == 1:
        claims = parts[0]
    elif parts:
        claims = pd.concat(parts, ignore_index=True)
    else:
        claims = claims_frame(0)
        claims["_row"] = np.zeros(0, dtype="int64")
        claims["_part"] = np.zeros(0, dtype="int64")
    bad_rows = np.asarray(problems.rows)[problems.bad]
    keep = ~np.isin(claims["_row"].to_numpy(), bad_rows)
    if not keep.all():
        claims = claims.loc[keep].reset_index(drop=True)
    if interleave:
        order = np.lexsort((claims["_part"].to_numpy(), claims["_row"].to_numpy()))
        if not (order == np.arange(len(order))).all():
            claims = claims.take(order).reset_index(drop=True)
    return claims


def _known_terms(claims: pd.DataFrame, rejects: list, source_file: str) -> pd.DataFrame:
    """Claims whose metric and qualifier are terms of the vocabulary, as categories; the
    input rows of the others are rejected (appended to *rejects*) with the check's reason."""
    for c, names in (("metric", vocab.METRIC_NAMES), ("qualifier", vocab.QUALIFIERS)):
        s = claims[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            continue
        unknown = (~s.isin(names) & s.notna()).to_numpy()
        if unknown.any():
            check = "metric_in_vocabulary" if c == "metric" else "known_qualifier"
            rows = claims["_row"].to_numpy()
            why = contract.reason(check, c)
            rejects.append(rejects_for(source_file, rows, unknown, c, s, why))
            claims = claims.loc[~np.isin(rows, rows[unknown])].reset_index(drop=True)
    claims["metric"] = claims["metric"].astype(pd.CategoricalDtype(vocab.METRIC_NAMES))
    claims["qualifier"] = claims["qualifier"].astype(pd.CategoricalDtype(vocab.QUALIFIERS))
    return claims


def _unique_ids(claims: pd.DataFrame, row_of: np.ndarray, rejects: list, source_file: str):
    """Claims without the input rows whose claim ids repeat (every copy rejected)."""
    dup = contract.duplicated_ids(claims["claim_id"])
    if not dup.any():
        return claims, row_of
    why = contract.reason("field_uniqueness", "claim_id")
    rejects.append(rejects_for(source_file, row_of, dup, "claim_id", claims["claim_id"], why))
    drop = np.isin(row_of, row_of[dup])
    return claims.loc[~drop].reset_index(drop=True), row_of[~drop]


def _contract_kept(claims: pd.DataFrame, row_of: np.ndarray, rejects: list, source_file: str):
    """Claims that meet the Claims contract; the input rows of the others are rejected with
    the failed check's reason (pandera failure cases, :func:`stats.contract.failure_rejects`)."""
    try:
        return contract.CLAIMS_IDS_BY_SORT.validate(claims, lazy=True, inplace=True), row_of
    except pa.errors.SchemaErrors as exc:
        extra = contract.failure_rejects(exc.failure_cases, claims, row_of, source_file)
    rejects.append(extra)
    drop = np.isin(row_of, extra["source_row"].to_numpy(dtype="int64"))
    return contract.Claims.validate(claims.loc[~drop].reset_index(drop=True)), row_of[~drop]


def part(claims: pd.DataFrame, rows, order) -> pd.DataFrame:
    """Tag a claims frame (in place) with its input rows and each claim's place among the
    claims of its row; returns it."""
    claims["_row"] = np.asarray(rows, dtype="int64")
    claims["_part"] = order
    return claims


def stack(s: pd.Series, selections: list[np.ndarray], n: int) -> pd.Series:
    """``s`` at each selection of input positions, one block after the other (a selection of
    every position in order is used as is: no copy; text blocks are chained, not copied)."""
    blocks = [
        s if len(sel) == n and (n == 0 or sel[-1] == n - 1) else s.iloc[sel] for sel in selections
    ]
    if s.dtype == "str":
        chunks = [c for b in blocks for c in pc.cast(arrow(b), pa_.large_string()).chunks]
        return text(pa_.chunked_array(chunks, type=pa_.large_string()))
    return pd.concat(blocks, ignore_index=True)


def categories(names: tuple[str, ...], codes: np.ndarray) -> pd.Categorical:
    """A categorical over *names* from integer codes."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype="int64"), categories=list(names))
