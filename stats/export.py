"""Hand the ledger and its derived tables to other tools: HXL-tagged CSV, Parquet and a
Frictionless data package.

HXL CSV (:func:`hxl_table`, :func:`write_hxl_csv`): a header row of titles, then a row of HXL
hashtags, then the data. Counts keep their uncertainty: each metric gets its own columns,
tagged with the metric's hashtag from :data:`stats.vocab.METRICS`; the value (or best
estimate) carries the bare tag, the lower bound ``+min`` and the upper bound ``+max``:

==========  =========================  ==========================  ==========================
table       value / best               low                         high
==========  =========================  ==========================  ==========================
claims      ``value``: ``#affected     ``low``: ``...+min``         ``high``: ``...+max``
            +killed``
estimates   ``best``: tag              ``low``: tag ``+min``        ``high``: tag ``+max``
daily       ``cum_best``: tag;         ``cum_low``: ``+min``;       ``cum_high``: ``+max``;
            ``new_best``: tag ``+new``  ``new_low``: ``+new+min``;  ``new_high``: ``+new+max``;
                                       ``hard_low``:               ``hard_high``:
                                       ``+hard+min``               ``+hard+max``
==========  =========================  ==========================  ==========================

A row fills only the columns of its own metric. The other columns carry the tags in
:data:`COLUMN_TAGS` (qualifier in ``#meta+qualifier``, rule in ``#meta+rule``, ...); columns
unknown there get ``#meta+<name>``. A Claims table written this way reads back unchanged
through :func:`stats.ingest.hxl.read_hxl`.

Every CSV written here has its text cells made inert for spreadsheets (a cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from stats import config, io, schema, vocab
from stats.errors import UserError

#: Column -> HXL hashtag for the columns that are not counts (all tables).
COLUMN_TAGS: dict[str, str] = {
    "claim_id": "#meta+id",
    "metric": "#meta+metric",
    "qualifier": "#meta+qualifier",
    "rule": "#meta+rule",
    "period_start": "#date+start",
    "period_end": "#date+end",
    "published": "#date+reported",
    "location": "#loc+name",
    "subgroup": "#meta+subgroup",
    "counted_by": "#org",
    "reported_by": "#meta+source",
    "url": "#meta+url",
    "quote": "#description+quote",
    "source_file": "#meta+file",
    "source_row": "#meta+row",
    "location_detail": "#loc+detail",
    "quote_en": "#description+quote+i_en",
    "note": "#description+note",
    "counter": "#org",
    "date": "#date",
    "n_claims": "#meta+claims+num",
    "n_outlets": "#meta+sources+num",
    "n_counters": "#meta+counters+num",
    "combine_rule": "#meta+rule+combine",
    "claim_ids": "#meta+claims+list",
    "kind": "#meta+kind",
    "series_start": "#date+start",
    "is_reported": "#meta+reported",
    "is_nowcast": "#meta+nowcast",
    "method": "#meta+method",
    "conflict_id": "#meta+id",
    "counters": "#org+list",
    "detail": "#description",
}

#: Table -> count column -> (attributes added to the metric's tag, title suffix).
COUNT_ROLES: dict[str, dict[str, tuple[str, str]]] = {
    "claims": {"value": ("", ""), "low": ("+min", " low"), "high": ("+max", " high")},
    "estimates": {"best": ("", ""), "low": ("+min", " low"), "high": ("+max", " high")},
    "daily": {
        "cum_best": ("", ""),
        "cum_low": ("+min", " low"),
        "cum_high": ("+max", " high"),
        "new_best": ("+new", " new"),
        "new_low": ("+new+min", " new low"),
        "new_high": ("+new+max", " new high"),
        "hard_low": ("+hard+min", " hard low"),
        "hard_high": ("+hard+max", " hard high"),
    },
}


def table_kind(df: pd.DataFrame) -> str:
    """``claims``, ``estimates``, ``daily`` or ``other``, from the columns of *df*.

    Examples
    --------
    >>> table_kind(pd.DataFrame(columns=["metric", "value", "low", "high"]))
    'claims'
    """
    cols = set(df.columns)
    for kind in ("daily", "estimates", "claims"):
        if set(list(COUNT_ROLES[kind])[:3]) <= cols and "metric" in cols:
            return kind
    return "other"


def _text(s: pd.Series) -> pd.Series:
    """Cells as text: ISO dates, whole numbers without decimals, empty for missing."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.map({True: "true", False: "false"}).fillna("").astype(object)
    if pd.api.types.is_integer_dtype(s.dtype):
        return s.astype("Int64").astype("str").fillna("").astype(object)
    return s.astype("str").fillna("").astype(object)


def _is_text(s: pd.Series) -> bool:
    return (
        pd.api.types.is_string_dtype(s.dtype)
        or s.dtype == object
        or isinstance(s.dtype, pd.CategoricalDtype)
    )


def hxl_table(df: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """*df* laid out for HXL: text cells, titles as columns, the hashtag row as first row.

    Parameters
    ----------
    df
        A Claims, Estimates or Daily table (or any table; counts are spread by metric only
        for those three).
    kind
        ``claims``, ``estimates``, ``daily``; guessed from the columns when None.

    Returns
    -------
    DataFrame
        All cells text; row 0 holds the hashtags. Text cells are made inert for spreadsheets.
        Does not mutate *df*.

    Examples
    --------
    >>> c = pd.DataFrame({"claim_id": ["a"], "metric": ["killed"],
    ...                   "value": pd.array([12], dtype="Int64"), "qualifier": ["at_least"],
    ...                   "low": pd.array([12], dtype="Int64"),
    ...                   "high": pd.array([None], dtype="Int64")})
    >>> hxl_table(c).values.tolist()
    [['#meta+id', '#meta+metric', '#affected+killed', '#affected+killed+min', '#affected+killed+max', '#meta+qualifier'], ['a', 'killed', '12', '12', '', 'at_least']]
    """
    kind = kind or table_kind(df)
    roles = COUNT_ROLES.get(kind, {})
    data = df.reset_index(drop=True)
    cols: dict[str, pd.Series] = {}
    tags: dict[str, str] = {}
    first_count = next((c for c in data.columns if c in roles), None)
    for c in data.columns:
        if c in roles:
            if c != first_count:
                continue
            metric = data["metric"].astype("str")
            present = [m for m in vocab.METRIC_NAMES if (metric == m).any()]
            unknown = sorted(set(metric.dropna()) - set(vocab.METRIC_NAMES))
            if unknown:
                raise UserError(
                    f"cannot tag metric(s) {', '.join(unknown)} in HXL: not in "
                    "the vocabulary (stats.vocab.METRICS)"
                )
            for m in present:
                base = vocab.METRICS.at[m, "hxl"]
                mine = (metric == m).to_numpy()
                for count, (attrs, suffix) in roles.items():
                    if count not in data:
                        continue
                    title = m + suffix
                    cols[title] = _text(data[count]).where(mine, "")
                    tags[title] = base + attrs
            continue
        s = data[c]
        cols[c] = _text(io.neutralise_formulas(s.to_frame())[c] if _is_text(s) else s)
        tags[c] = COLUMN_TAGS.get(c, "#meta+" + _attr(c))
    body = pd.DataFrame(cols, index=data.index)
    head = pd.DataFrame([tags], columns=list(cols))
    return pd.concat([head, body], ignore_index=True)


def _attr(name: str) -> str:
    a = re.sub(r"[^a-z0-9_]", "_", str(name).lower())
    return a if re.match(r"^[a-z]", a) else "x" + a


def to_hxl_csv_bytes(df: pd.DataFrame, kind: str | None = None) -> bytes:
    """Deterministic HXL CSV bytes (``\\n`` line ends, UTF-8) of :func:`hxl_table`."""
    return hxl_table(df, kind).to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_hxl_csv(df: pd.DataFrame, path: Path | str, kind: str | None = None) -> Path:
    """Write *df* as HXL-tagged CSV (see :func:`hxl_table`); never under ``data/raw``."""
    path = _target(path)
    path.write_bytes(to_hxl_csv_bytes(df, kind))
    return path


def _target(path: Path | str) -> Path:
    path = Path(path).resolve()
    raw = config.RAW.resolve()
    if path == raw or raw in path.parents:
        raise UserError(f"{path}: refusing to write under data/raw (raw data is immutable)")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------------------------------------
# Frictionless data package
# ---------------------------------------------------------------------------------------------
def _model(name: str):
    models = {"claims": schema.Claims, "rejects": schema.Rejects}
    models.update(getattr(schema, "TABLE_MODELS", {}))
    return models.get(name)


def table_schema(df: pd.DataFrame, name: str) -> dict:
    """A Frictionless Table Schema for *df*: field types from the dtypes, descriptions and
    ``required`` from the table's pandera model where there is one, enums for categories.

    Examples
    --------
    >>> table_schema(pd.DataFrame({"n": pd.array([1], dtype="Int64")}), "x")["fields"]
    [{'name': 'n', 'type': 'integer'}]
    """
    model = _model(name)
    columns = model.to_schema().columns if model is not None else {}
    fields = []
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_bool_dtype(s.dtype):
            t = "boolean"
        elif pd.api.types.is_integer_dtype(s.dtype):
            t = "integer"
        elif pd.api.types.is_float_dtype(s.dtype):
            t = "number"
        elif pd.api.types.is_datetime64_any_dtype(s.dtype):
            t = "date"
        else:
            t = "string"
        f: dict = {"name": str(c), "type": t}
        col = columns.get(c)
        constraints: dict = {}
        if col is not None:
            if col.description:
                f["description"] = col.description
            if not col.nullable:
                constraints["required"] = True
            if col.unique:
                constraints["unique"] = True
        if isinstance(s.dtype, pd.CategoricalDtype):
            constraints["enum"] = [str(x) for x in s.cat.categories]
        if t == "integer" and c in ("value", "low", "high", "source_row"):
            constraints["minimum"] = 1 if c == "source_row" else 0
        if constraints:
            f["constraints"] = constraints
        fields.append(f)
    out: dict = {"fields": fields, "missingValues": [""]}
    if name == "claims" and "claim_id" in df:
        out["primaryKey"] = ["claim_id"]
    return out


def write_datapackage(
    tables: dict[str, pd.DataFrame],
    folder: Path | str,
    name: str = "stats-ledger",
    title: str | None = None,
) -> Path:
    """Write each table as ``<name>.csv`` and a ``datapackage.json`` describing all of them.

    Returns the path of ``datapackage.json``. The CSVs are those of :func:`stats.io.write_csv`
    (ISO dates, formula-safe text); the descriptor follows the Frictionless Data Package and
    Tabular Data Resource specifications (v1).

    References
    ----------
    Frictionless Data, *Data Package* and *Table Schema* specifications,
    https://specs.frictionlessdata.io/
    """
    folder = _target(Path(folder) / "datapackage.json").parent
    resources = []
    for tname, df in tables.items():
        io.write_csv(df, folder / f"{tname}.csv")
        resources.append(
            {
                "name": tname,
                "path": f"{tname}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(df, tname),
            }
        )
    pkg = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title or "Conflict casualty claims and estimates (stats toolkit)",
        "resources": resources,
    }
    path = folder / "datapackage.json"
    path.write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


#: Export formats: ``hxl`` (``<table>.hxl.csv``), ``parquet`` (``<table>.parquet``),
#: ``datapackage`` (``datapackage.json`` + ``<table>.csv``).
FORMATS: tuple[str, ...] = ("hxl", "parquet", "datapackage")


def export_tables(
    tables: dict[str, pd.DataFrame], folder: Path | str, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """Write *tables* into *folder* in each of *formats*; return the files written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UserError(
            f"unknown export format(s) {', '.join(unknown)}: expected {', '.join(FORMATS)}"
        )
    folder = Path(folder)
    out = []
    for tname, df in tables.items():
        if "hxl" in formats:
            out.append(write_hxl_csv(df, folder / f"{tname}.hxl.csv"))
        if "parquet" in formats:
            out.append(io.write_parquet(df, _target(folder / f"{tname}.parquet")))
    if "datapackage" in formats:
        pkg = write_datapackage(tables, folder)
        out += [folder / f"{t}.csv" for t in tables] + [pkg]
    return [Path(p) for p in out]
