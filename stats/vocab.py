"""The project's vocabulary, read from the curated tables in ``data/hand/``.

What an analyst curates is data, not Python: CSV files edited and reviewed in a diff, each
checked against a pandera model when read (a broken table stops with its file, row, column
and reason). ``python -m stats vocab`` prints them.

============================  ===========================================================
file                          one row per
============================  ===========================================================
``metrics.csv``               what can be counted: ``kind`` (flow or stock), ``parent`` (the
                              whole it is part of), ``unit``, ``hxl`` hashtag
``qualifier_rules.csv``       qualifier: the ``rule`` written to Claims and the ``low`` and
                              ``high`` formulas (:func:`bound`), typical ``wordings``
``vague_terms.csv``           vague quantity ("dozens") and the bounds it is given
``sources.csv``               counter: canonical ``name``, ``full_name``, ``type``
``source_aliases.csv``        other name under which a counter is cited
``places.csv``                controlled place name, its ``parent`` area and p-code
``place_aliases.csv``         other spelling of a place
``hxl_tags.csv``              HXL hashtag of a non-count column: the order in which the
                              HXL reader prefers it (``read``) and whether the HXL export
                              writes it (``written``)
============================  ===========================================================

Derived here, for the rest of the code: :data:`METRICS`, :data:`METRIC_NAMES`,
:data:`QUALIFIER_RULES`, :data:`QUALIFIERS`, :data:`ABOUT_BAND`, :data:`VAGUE_TERMS`,
:data:`SOURCES`, :data:`PLACES`, :data:`HXL_READ_TAGS`, :data:`HXL_WRITTEN_TAGS`, and the
look-ups :func:`canonical_source`, :func:`canonical_place`, :func:`apply_qualifiers`, ...
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_
from pandera.typing import Series

from stats import config
from stats.contract.rejects import failure_rejects, rejects_frame
from stats.disk import read_csv_text
from stats.errors import SchemaError

#: An HXL hashtag with attributes, in lower case.
HXL_TAG = r"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$"


# ---------------------------------------------------------------------------------------------
# The models of the hand tables
# ---------------------------------------------------------------------------------------------
class _HandTable(pa.DataFrameModel):
    class Config:
        strict = True
        ordered = True
        coerce = True


class MetricTable(_HandTable):
    """``metrics.csv``."""

    name: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z][a-z0-9_]*$")
    kind: Series[str] = pa.Field(isin=["flow", "stock"])
    parent: Series[str] = pa.Field(nullable=True)
    unit: Series[str]
    hxl: Series[str] = pa.Field(unique=True, str_matches=HXL_TAG)
    description: Series[str]


class QualifierRuleTable(_HandTable):
    """``qualifier_rules.csv``."""

    qualifier: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z][a-z_]*$")
    rule: Series[str] = pa.Field(unique=True)
    low: Series[str]
    high: Series[str]
    wordings: Series[str]
    description: Series[str]


class VagueTermTable(_HandTable):
    """``vague_terms.csv``."""

    term: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z]+( [a-z]+)*$")
    low: Series[int] = pa.Field(ge=0)
    high: Series[int] = pa.Field(ge=0)

    @pa.dataframe_check
    def low_below_high(cls, df: pd.DataFrame) -> pd.Series:
        """low <= high."""
        return df["low"] <= df["high"]


class SourceTable(_HandTable):
    """``sources.csv``."""

    name: Series[str] = pa.Field(unique=True)
    full_name: Series[str]
    type: Series[str]


class SourceAliasTable(_HandTable):
    """``source_aliases.csv``."""

    alias: Series[str]
    source: Series[str]


class PlaceTable(_HandTable):
    """``places.csv``."""

    name: Series[str] = pa.Field(unique=True)
    parent: Series[str] = pa.Field(nullable=True)
    pcode: Series[str] = pa.Field(nullable=True, str_matches=r"^[A-Z]{2}[0-9]*$")


class PlaceAliasTable(_HandTable):
    """``place_aliases.csv``."""

    alias: Series[str]
    place: Series[str]


class HxlTagTable(_HandTable):
    """``hxl_tags.csv``."""

    column: Series[str] = pa.Field(str_matches=r"^[a-z][a-z0-9_]*$")
    tag: Series[str] = pa.Field(str_matches=HXL_TAG)
    read: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    written: Series[str] = pa.Field(isin=["yes", "no"])


#: Hand table name (its file is ``data/hand/<name>.csv``) -> its model, in printing order.
HAND_TABLES: dict[str, type[pa.DataFrameModel]] = {
    "metrics": MetricTable,
    "qualifier_rules": QualifierRuleTable,
    "vague_terms": VagueTermTable,
    "sources": SourceTable,
    "source_aliases": SourceAliasTable,
    "places": PlaceTable,
    "place_aliases": PlaceAliasTable,
    "hxl_tags": HxlTagTable,
}


# ---------------------------------------------------------------------------------------------
# Reading and checking
# ---------------------------------------------------------------------------------------------
def _problems(rejects: pd.DataFrame) -> SchemaError:
    """One error naming every problem: file, row, column, value and reason."""
    lines = [
        f"{r.source_file}, row {r.source_row}, column {r.column}: {r.value!r}: {r.reason}"
        for r in rejects.itertuples(index=False)
    ]
    return SchemaError("; ".join(lines))


def _refuse(path: Path, table: pd.DataFrame, bad, column: str, reason: str) -> None:
    """Raise for the rows of a hand table where *bad* holds (a check across tables)."""
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        rows = np.flatnonzero(bad) + 2
        values = table[column].astype("str").to_numpy()[bad]
        raise _problems(rejects_frame(str(path), rows, column, values, reason))


def read_hand_table(name: str, folder: Path | str | None = None) -> pd.DataFrame:
    """Read ``<folder>/<name>.csv`` (``data/hand/`` by default) and check it against its
    model in :data:`HAND_TABLES`.

    Raises
    ------
    SchemaError
        Naming file, row, column, value and reason of every problem.
    """
    path = Path(folder if folder is not None else config.HAND) / f"{name}.csv"
    df = read_csv_text(path)
    try:
        return HAND_TABLES[name].validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        # problems of cells first: a cell that is not a number also fails the table's checks
        fc = exc.failure_cases
        cells = fc[fc["index"].notna()]
        rows = np.arange(2, len(df) + 2)
        raise _problems(failure_rejects(cells if len(cells) else fc, df, rows, str(path))) from None


_FORMULA = re.compile(
    r"^(?:(?P<const>\d+)|N(?P<shift>[+-]\d+)?|(?P<round>floor|ceil)\((?P<factor>\d+(?:\.\d+)?) N\)"
    r"|(?P<open>open)|(?P<stated>A|B|term low|term high))$"
)


def bound(formula: str, values) -> pd.arrays.IntegerArray | None:
    """Evaluate a bound formula of ``qualifier_rules.csv`` for stated values ``N``.

    The formulas: a whole number (``0``); ``N``, ``N+k`` or ``N-k``; ``floor(f N)`` or
    ``ceil(f N)`` for a decimal factor ``f`` (rounded outwards, so that ``floor(0.9 N)`` of
    115,000 is 103,500); ``open`` (no bound: missing); or the bounds the claim states itself
    (``A``, ``B`` for a range, ``term low``, ``term high`` for a vague term), for which nothing
    is computed (``None``). A missing value gives a missing bound.

    Notes
    -----
    The arithmetic is exact on integers: ``f`` is read as the fraction ``p/q`` it writes
    (1.1 = 11/10), and ``floor(f N)`` is ``(N p) // q``, so that ``ceil(1.1 N)`` of 3.7 billion
    is 4,070,000,000 (a float product gives 4,070,000,000.0000005 and a ceiling one above).

    Raises
    ------
    ValueError
        For a formula outside this grammar.

    Examples
    --------
    >>> bound("floor(0.9 N)", pd.array([115000, None], dtype="Int64")).tolist()
    [103500, <NA>]
    >>> bound("ceil(1.1 N)", pd.array([3_700_000_000], dtype="Int64")).tolist()
    [4070000000]
    >>> bound("N+1", pd.array([800], dtype="Int64")).tolist(), bound("A", [1]) is None
    ([801], True)
    """
    m = _FORMULA.match(formula)
    if m is None:
        raise ValueError(
            f"{formula!r} is not a bound formula: expected a whole number, N, N+k, N-k, "
            "floor(f N), ceil(f N), open, or A, B, term low, term high (stated bounds)"
        )
    v = pd.array(values, dtype="Int64", copy=False)
    if m["stated"]:
        return None
    if m["open"]:
        return pd.arrays.IntegerArray(np.zeros(len(v), dtype="int64"), np.ones(len(v), dtype=bool))
    if m["const"]:
        return v * 0 + int(m["const"])
    if m["round"]:
        f = Fraction(m["factor"])
        # N p / q = (N // q) p + (N % q) p / q: exact, and no product larger than the result
        whole, rest = v // f.denominator * f.numerator, v % f.denominator * f.numerator
        if m["round"] == "floor":
            return whole + rest // f.denominator
        return whole - (-rest // f.denominator)
    return v + int(m["shift"] or 0)


def _check_references(t: dict[str, pd.DataFrame], folder: Path) -> None:
    """Checks across tables: every parent, alias target and formula exists or parses."""
    m = t["metrics"]
    _refuse(
        folder / "metrics.csv",
        m,
        m["parent"].notna() & ~m["parent"].isin(m["name"]),
        "parent",
        "unknown parent: expected a metric of this table",
    )
    q = t["qualifier_rules"]
    for col in ("low", "high"):
        ok = q[col].map(lambda f: _FORMULA.match(f) is not None)
        _refuse(
            folder / "qualifier_rules.csv", q, ~ok, col, "not a bound formula (see vocab.bound)"
        )
    a = t["source_aliases"]
    _refuse(
        folder / "source_aliases.csv",
        a,
        ~a["source"].isin(t["sources"]["name"]),
        "source",
        "unknown source: expected a name of sources.csv",
    )
    p = t["places"]
    _refuse(
        folder / "places.csv",
        p,
        p["parent"].notna() & ~p["parent"].isin(p["name"]),
        "parent",
        "unknown parent: expected a place of this table",
    )
    _refuse(
        folder / "places.csv",
        p,
        p["pcode"].notna() & p["pcode"].duplicated(),
        "pcode",
        "duplicate p-code: each place has its own",
    )
    pa_ = t["place_aliases"]
    _refuse(
        folder / "place_aliases.csv",
        pa_,
        ~pa_["place"].isin(p["name"]),
        "place",
        "unknown place: expected a name of places.csv",
    )
    h = t["hxl_tags"]
    written = h["written"] == "yes"
    twice = written & h["column"].where(written).duplicated()
    _refuse(folder / "hxl_tags.csv", h, twice, "column", "written twice: one tag per column")
    read = h["read"].notna()
    order = (h["column"] + " " + h["read"].astype("str")).where(read)
    _refuse(
        folder / "hxl_tags.csv",
        h,
        read & order.duplicated(),
        "read",
        "the same preference twice for one column",
    )


def load(folder: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Every hand table of *folder* (``data/hand/``), read and checked, by name.

    Raises
    ------
    SchemaError
        For the first table with a problem, naming file, row, column and reason.
    """
    folder = Path(folder if folder is not None else config.HAND)
    tables = {name: read_hand_table(name, folder) for name in HAND_TABLES}
    _check_references(tables, folder)
    return tables


#: The hand tables as read (``python -m stats vocab`` prints them).
TABLES: dict[str, pd.DataFrame] = load()


# ---------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------
#: One row per metric: ``name``, ``kind`` (flow or stock), ``parent`` (the whole it is part of),
#: ``unit``, ``hxl`` (HXL hashtag with attributes), ``description``; indexed by name.
METRICS = TABLES["metrics"].set_index("name", drop=False)
METRICS.index.name = None

METRIC_NAMES: tuple[str, ...] = tuple(METRICS["name"])


def metric_kind(metrics: pd.Series) -> pd.Series:
    """Map metric names to ``"flow"`` or ``"stock"`` (NaN for unknown names).

    Examples
    --------
    >>> metric_kind(pd.Series(["killed", "idps"])).tolist()
    ['flow', 'stock']
    """
    return pd.Series(metrics, copy=False).map(METRICS["kind"])


def metric_ancestors(metric: str) -> list[str]:
    """The chain of wholes a metric is part of, nearest first.

    Examples
    --------
    >>> metric_ancestors("children_killed")
    ['civilians_killed', 'killed']
    """
    out = []
    parent = METRICS["parent"].get(metric)
    while isinstance(parent, str):
        out.append(parent)
        parent = METRICS["parent"].get(parent)
    return out


# ---------------------------------------------------------------------------------------------
# Qualifiers
# ---------------------------------------------------------------------------------------------
#: One row per qualifier: the ``rule`` name written to Claims, the ``low`` and ``high`` formulas
#: (:func:`bound`), typical ``wordings`` and a ``description``.
QUALIFIER_RULES = TABLES["qualifier_rules"]
QUALIFIERS: tuple[str, ...] = tuple(QUALIFIER_RULES["qualifier"])
_RULE = dict(zip(QUALIFIER_RULES["qualifier"], QUALIFIER_RULES["rule"], strict=True))
#: Relative half-width of the band given to "about N": the factor of its ``high`` formula - 1.
ABOUT_BAND = round(
    float(_FORMULA.match(QUALIFIER_RULES.set_index("qualifier").at["about", "high"])["factor"]) - 1,
    12,
)

#: Vague quantities and the bounds the project gives them (``rule`` ``vague:<term>``).
#: ACLED codes "dozens" as a fixed 12; we keep an interval instead.
VAGUE_TERMS = TABLES["vague_terms"]


def vague_bounds(term: str) -> tuple[int, int]:
    """Bounds of a vague term.

    Examples
    --------
    >>> vague_bounds("Tens of thousands")
    (20000, 99999)
    """
    key = " ".join(term.lower().split())
    hit = VAGUE_TERMS.loc[VAGUE_TERMS["term"] == key]
    if hit.empty:
        raise KeyError(f"unknown vague term {term!r}; known: {', '.join(VAGUE_TERMS['term'])}")
    return int(hit["low"].iloc[0]), int(hit["high"].iloc[0])


def _computed_bounds(q: pd.Series, v: pd.arrays.IntegerArray) -> tuple:
    """Per row, ``low`` and ``high`` (Int64) by its qualifier's formulas, and its rule as an
    index into the list of rules returned with them (0: none, where the qualifier's bounds are
    stated by the claim, or it is unknown)."""
    n = len(v)
    low, high = np.zeros(n, dtype="int64"), np.zeros(n, dtype="int64")
    low_na, high_na = np.ones(n, dtype=bool), np.ones(n, dtype=bool)
    rule, rules = np.zeros(n, dtype="int64"), [None]
    codes, seen = pd.factorize(q)  # the qualifiers compared once each, not once per row
    for r in QUALIFIER_RULES.itertuples(index=False):
        m = np.flatnonzero(codes == (seen.get_loc(r.qualifier) if r.qualifier in seen else -2))
        lo, hi = bound(r.low, v[m]), bound(r.high, v[m])  # the qualifier's rows only
        if lo is None or hi is None or not len(m):
            continue
        low[m], low_na[m] = lo.to_numpy(dtype="int64", na_value=0), lo.isna()
        high[m], high_na[m] = hi.to_numpy(dtype="int64", na_value=0), hi.isna()
        rule[m] = len(rules)
        rules.append(r.rule)
    integers = pd.arrays.IntegerArray
    return integers(low, low_na), integers(high, high_na), rule, rules


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Equal, or both missing (nullable integers)."""
    return ((a == b).fillna(False) | (a.isna() & b.isna())).to_numpy(dtype=bool)


def _stated_rule(q, lg, hg, low_calc, high_calc, rule_calc) -> np.ndarray:
    """Rule of rows whose bounds are stated: the range rule; the qualifier's rule when they
    equal what it gives; a vague term's rule when they are that term's bounds; else
    ``stated``."""
    same = _same(lg, low_calc) & _same(hg, high_calc)
    vt = VAGUE_TERMS.assign(
        rule=VAGUE_TERMS["term"].map(lambda t: _RULE["vague"].replace("<term>", t))
    ).drop_duplicates(["low", "high"])
    term_rule = (
        pd.DataFrame({"low": lg, "high": hg})
        .merge(
            vt[["low", "high", "rule"]].astype({"low": "Int64", "high": "Int64"}),
            on=["low", "high"],
            how="left",
        )["rule"]
        .to_numpy(dtype=object)
    )
    return np.where(
        q == "range",
        _RULE["range"],
        np.where(
            same & (rule_calc != ""),
            rule_calc,
            np.where(pd.notna(term_rule) & (q == "vague"), term_rule, "stated"),
        ),
    )


def apply_qualifiers(claims: pd.DataFrame) -> pd.DataFrame:
    """Fill ``low``, ``high`` and ``rule`` from ``value`` and ``qualifier`` by the rules of
    ``qualifier_rules.csv`` (each formula evaluated by :func:`bound`, in exact integers).

    Rows whose ``low``/``high`` are already stated keep them (ranges and vague terms always
    state them); their rule is the qualifier's rule when the stated bounds equal what the rule
    gives, ``vague:<term>`` when they match a vague term, else ``stated``. Does not mutate the
    input.

    Examples
    --------
    >>> df = pd.DataFrame({"value": pd.array([800, 115000, None], dtype="Int64"),
    ...                    "qualifier": ["more_than", "about", "vague"],
    ...                    "low": pd.array([None, None, 20000], dtype="Int64"),
    ...                    "high": pd.array([None, None, 99999], dtype="Int64")})
    >>> apply_qualifiers(df)[["low", "high", "rule"]].to_dict("list")
    {'low': [801, 103500, 20000], 'high': [None, 126500, 99999], 'rule': ['more_than', 'about_10pct', 'vague:tens of thousands']}
    """
    out = claims.copy()
    q = out["qualifier"]
    value = pd.array(out["value"], dtype="Int64", copy=False)
    low_calc, high_calc, rule, rules = _computed_bounds(q, value)

    def given(name):
        if name not in out:
            return pd.Series(pd.NA, index=range(len(out)), dtype="Int64")
        return pd.Series(pd.array(out[name], dtype="Int64", copy=False))

    lg, hg = given("low"), given("high")
    stated = (lg.notna() | hg.notna()).to_numpy()
    i = np.flatnonzero(stated)  # the rule of stated bounds, for those rows only
    if len(i):
        part = [pd.Series(x[i]) for x in (lg.array, hg.array, low_calc, high_calc)]
        calc = np.array([r or "" for r in rules], dtype=object)[rule[i]]
        own = _stated_rule(q.iloc[i].astype("object").to_numpy(), *part, calc)
        codes, named = pd.factorize(own)
        rule[i] = len(rules) + codes
        rules = [*rules, *named]
    out["low"] = lg.where(stated, pd.Series(low_calc)).array
    out["high"] = hg.where(stated, pd.Series(high_calc)).array
    out["rule"] = pd.array(pa_.array(rules, pa_.large_string()).take(pa_.array(rule)), dtype="str")
    return out


# ---------------------------------------------------------------------------------------------
# Sources (who counts)
# ---------------------------------------------------------------------------------------------
def _joined_aliases(aliases: pd.DataFrame, key: str, names: pd.Series) -> pd.Series:
    """Each name's aliases, ``|``-joined in file order (as the extractor's lexicon reads them)."""
    by = aliases.groupby(key, sort=False)["alias"].agg("|".join)
    return names.map(by).fillna("").astype("str")


#: One row per source: ``name`` (canonical), ``full_name``, ``type``, ``aliases``
#: (``|``-joined, from ``source_aliases.csv``).
SOURCES = TABLES["sources"].assign(
    aliases=_joined_aliases(TABLES["source_aliases"], "source", TABLES["sources"]["name"])
)


def _norm(s: pd.Series) -> pd.Series:
    return (
        s.astype("str")
        .str.casefold()
        .str.replace(r"[\s\u00a0]+", " ", regex=True)
        .str.strip()
        .str.replace(r"^the ", "", regex=True)
    )


def _alias_table() -> pd.Series:
    """Normalised name -> canonical source: each source's name, full name, then aliases."""
    rows = []
    for r in SOURCES.itertuples(index=False):
        for a in [r.name, r.full_name, *filter(None, r.aliases.split("|"))]:
            rows.append((a, r.name))
    t = pd.DataFrame(rows, columns=["alias", "name"])
    t["key"] = _norm(t["alias"])
    return t.drop_duplicates("key").set_index("key")["name"]


_ALIASES = _alias_table()


def as_term(s: pd.Series) -> pd.Series:
    """Vocabulary terms as written (a metric, a qualifier): case folded, runs of spaces and
    hyphens as ``_``.

    Examples
    --------
    >>> as_term(pd.Series(["At least", "more-than", None])).tolist()
    ['at_least', 'more_than', nan]
    """
    return s.str.casefold().str.replace(r"[\s-]+", "_", regex=True)


def per_distinct(rule, names: pd.Series) -> pd.Series:
    """*rule* applied once to each distinct name (a column of a million rows names a few
    hundred counters or places), the result in the rows' order."""
    s = pd.Series(names, copy=False)
    codes, uniques = pd.factorize(s)
    done = rule(pd.Series(uniques, dtype=s.dtype if len(uniques) else "str")).to_numpy()
    return pd.Series(pd.array(done, dtype="str").take(codes, allow_fill=True), index=s.index)


def canonical_source(names: pd.Series | str) -> pd.Series | str:
    """Canonical name of a counter or outlet; unknown names come back stripped, unchanged.

    Examples
    --------
    >>> canonical_source("UN mission in the DRC")
    'MONUSCO'
    >>> canonical_source(pd.Series(["Mission de l'ONU en RDC", "Some NGO", None])).tolist()
    ['MONUSCO', 'Some NGO', nan]
    """
    if isinstance(names, str):
        return str(canonical_source(pd.Series([names])).iloc[0])
    return per_distinct(_canonical_sources, names)


def _canonical_sources(s: pd.Series) -> pd.Series:
    present = s.notna() & (s.astype("str").str.strip() != "")
    mapped = _norm(s.where(present, "")).map(_ALIASES)
    stripped = s.astype("str").str.strip().str.replace(r"\s+", " ", regex=True)
    out = mapped.where(mapped.notna(), stripped)
    return out.where(present, np.nan)


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------
#: Controlled place names: ``name``, ``parent`` (the area containing it), ``pcode`` (OCHA
#: admin-1 p-code), ``aliases`` (``|``-joined, from ``place_aliases.csv``). A figure for a
#: place never exceeds that of its parent.
PLACES = TABLES["places"].assign(
    aliases=_joined_aliases(TABLES["place_aliases"], "place", TABLES["places"]["name"])
)


def _place_table() -> pd.Series:
    """Normalised spelling -> controlled name: each place's name, aliases, then p-code."""
    rows = []
    for r in PLACES.itertuples(index=False):
        pcode = [r.pcode] if isinstance(r.pcode, str) else []
        for a in [r.name, *filter(None, r.aliases.split("|")), *pcode]:
            rows.append((re.sub(r"\s+", " ", a.casefold()).strip(), r.name))
    return (
        pd.DataFrame(rows, columns=["key", "name"]).drop_duplicates("key").set_index("key")["name"]
    )


_PLACE_ALIASES = _place_table()
#: Place -> the area containing it (NaN for the broadest).
_PARENT: dict[str, object] = dict(zip(PLACES["name"], PLACES["parent"], strict=True))


def canonical_place(names: pd.Series | str) -> pd.Series | str:
    """Controlled place name; unknown places come back stripped, unchanged.

    Examples
    --------
    >>> canonical_place("Idlib")
    'Idleb'
    """
    if isinstance(names, str):
        return str(canonical_place(pd.Series([names])).iloc[0])
    return per_distinct(_canonical_places, names)


def _canonical_places(s: pd.Series) -> pd.Series:
    present = s.notna() & (s.astype("str").str.strip() != "")
    key = s.where(present, "").astype("str").str.casefold().str.replace(r"\s+", " ", regex=True)
    mapped = key.str.strip().map(_PLACE_ALIASES)
    stripped = s.astype("str").str.strip()
    return mapped.where(mapped.notna(), stripped).where(present, np.nan)


def place_ancestors(place: str) -> list[str]:
    """Areas that contain *place*, nearest first.

    Examples
    --------
    >>> place_ancestors("Goma")
    ['North Kivu', 'eastern DR Congo', 'DR Congo']
    """
    out = []
    p = _PARENT.get(place)
    while isinstance(p, str):
        out.append(p)
        p = _PARENT.get(p)
    return out


def place_descendants(place: str) -> list[str]:
    """Places that *place* contains, at any depth, in vocabulary order.

    Examples
    --------
    >>> place_descendants("South Kivu")
    ['Bukavu', 'Kalehe', 'Minova']
    """
    return [p for p in PLACES["name"] if place in place_ancestors(p)]


# ---------------------------------------------------------------------------------------------
# HXL hashtags of the non-count columns (one table for the reader and the export)
# ---------------------------------------------------------------------------------------------
_HXL = TABLES["hxl_tags"]
_READ = _HXL[_HXL["read"].notna()].sort_values(["read"], kind="stable")
#: Column -> the hashtags the HXL reader takes it from, preferred first.
HXL_READ_TAGS: dict[str, tuple[str, ...]] = {
    c: tuple(_READ.loc[_READ["column"] == c, "tag"])
    for c in pd.unique(_HXL.loc[_HXL["read"].notna(), "column"])
}
#: Column -> the hashtag the HXL export writes over it.
HXL_WRITTEN_TAGS: dict[str, str] = dict(
    zip(*(_HXL.loc[_HXL["written"] == "yes", c] for c in ("column", "tag")), strict=True)
)
