"""Reconcile claims into low / best / high estimates per series, counter and date.

The claims are read as constraints on the true cumulative count ``C(d)`` of a *series*
(metric, location, subgroup), counted since the series' start ``s``:

1. a cumulative claim (``period_start`` = ``s``, or unstated) dated ``e`` says
   ``low <= C(e) <= high``;
2. ``C`` never falls (flows): a lower bound at ``e`` holds for every later day, an upper bound
   for every earlier day;
3. a flow counted over a window that starts after ``s`` ("115,000 displaced in one week") is a
   lower bound on ``C`` at the window's end; one counted over a window that starts before ``s``
   (a yearly total) is an upper bound;
4. a part never exceeds its whole from the same counter on the same day (``civilians_killed <=
   killed``; ``civilians + combatants <= killed``; a subgroup <= its metric total), and a place
   never exceeds the places that contain it;
5. first per counter, then combined across counters by a named rule.

Stocks (metric kind ``stock``, e.g. ``idps``) are bounded on the day they describe only: they
may fall, so rule 2 does not apply.

Evidence that cannot all hold becomes a row of the conflicts table, naming its claims; the
estimate then spans the disagreeing evidence (``low`` = the smaller, ``high`` = the larger of
the clashing bounds) rather than silently dropping one side.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from stats import vocab
from stats.contract import ESTIMATES_COLUMNS
from stats.days import as_day
from stats.dedupe import _arrow_text, _sorted_codes, _strictly_increasing
from stats.dedupe import _dense as _group_codes
from stats.errors import SchemaError, UserError

#: Combination rules across counters.
RULES: dict[str, str] = {
    "conservative": "best = the lowest counter's best (the lowest credible figure, as ACLED "
    "codes fatalities)",
    "consensus": "best = the mean of the counters' bests weighted by how many claims each "
    "counter has published so far",
    "highest": "best = the highest counter's best",
}
#: Rounds of part/whole propagation on the monotone bands (chains of parts need several).
MAX_ROUNDS = 4
#: Name of the cross-counter result in the ``counter`` column.
COMBINED = "combined"
#: Rule name of per-counter rows.
PER_COUNTER = "per_counter"
#: A period_start within this many days of the series start counts from the series start.
START_TOLERANCE_DAYS = 0
#: Estimates columns as computed internally (``day`` becomes ``date`` on output).
_ESTIMATE_FIELDS: tuple[str, ...] = tuple("day" if c == "date" else c for c in ESTIMATES_COLUMNS)
NEEDED: tuple[str, ...] = (
    "claim_id", "metric", "value", "qualifier", "low", "high", "period_end", "published",
    "counted_by",
)  # fmt: skip
SERIES: list[str] = ["metric", "location", "subgroup"]
_INF = np.inf


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def _days(s: pd.Series) -> np.ndarray:
    """Datetimes as whole days since 1970 (float, NaN for missing)."""
    v = pd.to_datetime(s).to_numpy(dtype="datetime64[ns]")
    out = v.astype("datetime64[D]").astype(np.int64).astype(float)
    out[np.isnat(v)] = np.nan
    return out


def _to_date(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")


def _text(s: pd.Series) -> np.ndarray:
    return s.astype("str").to_numpy(dtype=object)


def _masked(x: np.ndarray) -> pd.arrays.IntegerArray:
    ok = np.isfinite(x)
    arr = pd.array(np.where(ok, np.round(x), 0).astype(np.int64), dtype="Int64")
    arr[~ok] = pd.NA
    return arr


def _lexsort(keys) -> np.ndarray:
    """``np.lexsort(keys)`` (last key most significant; ties keep the row order), by one
    stable argsort of a mixed-radix int64 key when every key holds whole numbers that fit
    (fast, above all for rows already sorted or made of sorted runs)."""
    keys = [np.asarray(k) for k in keys]
    keys = [k.astype(np.int64) if k.dtype.kind == "b" else k for k in keys]
    n = len(keys[0]) if keys else 0
    key = np.zeros(n, dtype=np.int64)
    room = 1
    for k in reversed(keys):  # most significant first
        if n == 0 or k.dtype.kind not in "biuf":
            return np.lexsort(keys)
        lo, hi = k.min(), k.max()
        if not (np.isfinite(lo) and np.isfinite(hi)):
            return np.lexsort(keys)
        width = int(hi - lo) + 1
        room *= width
        if room >= 2**62 or (k.dtype.kind == "f" and not np.all(k == np.floor(k))):
            return np.lexsort(keys)
        key = key * width + (k - lo).astype(np.int64)
    return np.argsort(key, kind="stable")


def _is_identity(order: np.ndarray) -> bool:
    return bool(np.all(order == np.arange(len(order))))


def _first_per_group(group: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Row positions of the first row of each group when sorted by ``keys`` (first key
    most significant, then the row position) within the group; groups in ascending order.

    Without sorting: per group the smallest first key (``np.minimum.at``), then among the rows
    holding it the smallest next key, and so on, then the smallest position.
    """
    group = np.asarray(group)
    n = len(group)
    keys = [np.asarray(k, dtype=float) for k in keys]
    if n == 0 or group.min() < 0 or any(np.isnan(k).any() for k in keys):
        order = np.lexsort(tuple(reversed((group, *keys))))
        g = group[order]
        first = np.r_[True, g[1:] != g[:-1]]
        return order[first]
    ng = int(group.max()) + 1
    cand = np.ones(n, dtype=bool)
    for i, k in enumerate(keys):
        best = np.full(ng, np.inf)
        if i == 0:
            np.minimum.at(best, group, k)
        else:
            np.minimum.at(best, group[cand], k[cand])
        cand &= k == best[group]
    pos = np.flatnonzero(cand)
    first = np.full(ng, n, dtype=np.intp)
    np.minimum.at(first, group[pos], pos)
    return first[first < n]


def _join_ids(group: np.ndarray, ids: np.ndarray, n: int, sep: str = ";") -> np.ndarray:
    """Per group (0..n-1), the sorted distinct ids joined by *sep*."""
    from stats.dedupe import _join_sorted_unique

    return _join_sorted_unique(group, pd.Series(ids, dtype=object), n, sep)


class _Ids:
    """Claim-id texts referred to by integer codes.

    The bands carry, for their lower and upper bound, the code of the evidence that sets it
    (``id_L``, ``id_H``, ``id_low``, ``id_high``): codes ``0..n-1`` are the constraint rows'
    own claim ids, later codes the ';'-joined lists added on the way (sums of parts), -1 none.
    Text is looked up only for the rows that are output (conflicts).
    """

    def __init__(self, claim_ids: np.ndarray):
        self.text = np.asarray(claim_ids, dtype=object)

    def add(self, texts) -> np.ndarray:
        """Codes of new texts."""
        start = len(self.text)
        self.text = np.concatenate([self.text, np.asarray(texts, dtype=object)])
        return np.arange(start, len(self.text), dtype=np.int64)

    def __call__(self, codes) -> np.ndarray:
        """Texts of *codes* (None for -1)."""
        codes = np.asarray(codes, dtype=np.int64)
        out = self.text[np.maximum(codes, 0)] if len(self.text) else np.full(len(codes), None)
        return np.where(codes < 0, None, out).astype(object)


def _join_in_order(group: np.ndarray, values, n: int, sep: str = ";") -> pd.Series:
    """Per group (0..n-1), its values joined by *sep* in their order of appearance (for values
    already distinct and sorted within each group), as ``str`` text (null for none)."""
    from stats.dedupe import _join_in_order as join

    return pd.Series(pd.array(join(group, values, n, sep), dtype="str"))


def _check(claims: pd.DataFrame, rule: str) -> None:
    missing = [c for c in NEEDED if c not in claims.columns]
    if missing:
        raise SchemaError(
            f"claims table: missing column(s) {', '.join(missing)}; expected a Claims table "
            f"(see stats.contract.Claims) with at least {', '.join(NEEDED)}"
        )
    if rule not in RULES:
        raise UserError(f"unknown rule {rule!r}: expected one of {', '.join(RULES)}")
    codes, uniques = pd.factorize(claims["metric"], use_na_sentinel=True)
    bad = ~pd.Index(np.asarray(uniques, dtype=object)).isin(vocab.METRIC_NAMES)
    unknown = (codes < 0) | np.append(bad, False)[codes]
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise SchemaError(
            f"claims table, row {i + 1} (claim_id {claims['claim_id'].iloc[i]!r}), column "
            f"metric: {claims['metric'].iloc[i]!r} is not in the vocabulary (expected one of "
            f"{', '.join(vocab.METRIC_NAMES)})"
        )
    if not _strictly_increasing(claims["claim_id"]) and claims["claim_id"].duplicated().any():
        dup = claims.loc[claims["claim_id"].duplicated(), "claim_id"].iloc[0]
        raise SchemaError(f"claims table: duplicate claim_id {dup!r}: each claim needs its own id")


# ---------------------------------------------------------------------------------------------
# step 1: every claim as a constraint row
# ---------------------------------------------------------------------------------------------
def _point(c: pd.DataFrame, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The figure a claim suggests as a best value (NaN when it suggests none)."""
    codes, uniques = pd.factorize(c["qualifier"], use_na_sentinel=True)
    uq = np.append(np.asarray(pd.Series(uniques, dtype=object).astype("str"), dtype=object), None)
    codes = np.where(codes < 0, len(uq) - 1, codes)

    def isin(names):
        return np.isin(uq, names)[codes]

    v = pd.array(c["value"], dtype="Int64").to_numpy(dtype=float, na_value=np.nan)
    mid = np.where(np.isfinite(hi), (lo + hi) / 2, np.nan)
    geo = np.where(np.isfinite(hi), np.sqrt(np.maximum(lo, 1) * np.maximum(hi, 1)), np.nan)
    return np.select(
        [
            isin(["exact", "about"]),
            isin(["at_least", "more_than"]),
            isin(["at_most", "less_than"]),
            isin(["range"]),
            isin(["vague"]),
        ],
        [v, lo, np.full(len(v), np.nan), mid, geo],
        default=np.where(np.isfinite(v), v, mid),
    )


def _series_start(key: np.ndarray, ps: np.ndarray, pe: np.ndarray, start) -> np.ndarray:
    """Per row, its series' start day.

    *start* when given. Otherwise the ledger's most common stated period_start ``G`` (ties:
    the earliest) -- the day counting began for most figures -- for every series with a figure
    counted from ``G`` or earlier (or with no stated start); for a series whose figures all
    start later, its earliest stated start; for a series with no stated start at all, its
    earliest period_end.
    """
    if start is not None:
        return np.full(len(key), float(_days(pd.Series([pd.Timestamp(start)]))[0]))
    stated = ps[~np.isnan(ps)]
    if len(stated) == 0:
        return pd.Series(pe).groupby(key).transform("min").to_numpy(dtype=float)
    vals, counts = np.unique(stated, return_counts=True)
    G = vals[np.argmax(counts)]
    t = pd.DataFrame({"k": key, "ps": ps, "pe": pe})
    by = t.groupby("k")
    earliest = by["ps"].transform("min").to_numpy(dtype=float)
    any_null = pd.Series(np.isnan(ps)).groupby(key).transform("any").to_numpy(dtype=bool)
    first_end = by["pe"].transform("min").to_numpy(dtype=float)
    from_g = any_null | (earliest <= G + START_TOLERANCE_DAYS)
    return np.where(from_g, G, np.where(np.isnan(earliest), first_end, earliest))


def claim_constraints(claims: pd.DataFrame, start=None) -> pd.DataFrame:
    """One row per claim: the bounds it puts on its series' cumulative count.

    Columns: ``claim_id``, ``metric``, ``location``, ``subgroup``, ``counter``, ``kind``,
    ``sid`` and ``cid`` (series and counter codes, in sorted order), ``day`` (period_end, days since 1970), ``series_start`` (days), ``lo``, ``hi`` (inf when
    open), ``point`` (the figure suggested as best, NaN when none), ``role`` (cumulative,
    window_lower_bound, wider_upper_bound, stock), ``outlet``.

    Examples
    --------
    >>> from stats.contract import validate
    >>> raw = pd.DataFrame({"metric": ["displaced", "displaced"], "value": ["1000", "115000"],
    ...     "qualifier": ["exact", "about"], "period_start": ["2024-11-27", "2024-12-01"],
    ...     "period_end": ["2024-11-30", "2024-12-07"], "published": ["2024-12-08"] * 2,
    ...     "counted_by": ["OCHA", "OCHA"]})
    >>> claim_constraints(validate(raw)[0])[["role", "lo", "hi"]].values.tolist()
    [['cumulative', 1000.0, 1000.0], ['window_lower_bound', 103500.0, inf]]
    """
    c = claims
    n = len(c)

    def text(name) -> pd.Series:
        if name not in c:
            return pd.Series("", index=c.index, dtype="str")
        col = c[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype("str")
        return col.astype("str").fillna("")

    def coded(series: pd.Series) -> pd.Categorical:
        """Categorical with sorted categories (codes in sorted order of the values)."""
        codes, uniques = pd.factorize(series, sort=True)
        return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))

    def coded_text(name) -> pd.Categorical:
        """``coded(text(name))``; from the categories for a categorical without missing."""
        col = c[name] if name in c else None
        if col is None or not isinstance(col.dtype, pd.CategoricalDtype) or col.isna().any():
            return coded(text(name))
        from stats.dedupe import _codes

        codes = _codes(col)
        cats = col.cat.categories.astype("str").to_numpy(dtype=object)
        present = np.flatnonzero(np.bincount(col.cat.codes.to_numpy(), minlength=len(cats)))
        names = np.sort(cats[present])
        return pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype=object))

    metric = coded_text("metric")
    loc = coded(text("location"))
    sub = coded(text("subgroup"))
    outlet = (
        c["reported_by"] if "reported_by" in c else pd.Series(pd.NA, index=c.index, dtype="str")
    )
    counted = c["counted_by"].astype("str")
    if counted.isna().any():
        outlet_s = outlet.astype("str")
        fallback = ("unattributed (" + outlet_s + ")").where(outlet_s.notna(), "unattributed")
        counted = counted.where(counted.notna(), fallback)
    counter = coded(counted)
    kind_of = vocab.METRICS["kind"].reindex(list(metric.categories)).to_numpy(dtype=object)
    kind_dtype = pd.CategoricalDtype(["flow", "stock"])
    kind_code = pd.Categorical(kind_of, dtype=kind_dtype).codes
    kind = pd.Categorical.from_codes(kind_code[metric.codes], dtype=kind_dtype)
    lo = pd.array(c["low"], dtype="Int64").to_numpy(dtype=float, na_value=np.nan)
    hi = pd.array(c["high"], dtype="Int64").to_numpy(dtype=float, na_value=np.inf)
    lo = np.where(np.isnan(lo), 0.0, lo)
    pe = _days(c["period_end"])
    ps = _days(c["period_start"]) if "period_start" in c else np.full(n, np.nan)
    skey = _group_codes(metric.codes, loc.codes, sub.codes)
    cid = np.asarray(counter.codes, dtype=np.int64)
    s0 = _series_start(skey, ps, pe, start)
    point = _point(c, lo, hi)
    flow = np.asarray(kind.codes == 0)
    cumulative = np.isnan(ps) | (np.abs(ps - s0) <= START_TOLERANCE_DAYS)
    window = flow & ~cumulative & (ps > s0)
    wider = flow & ~cumulative & (ps < s0)
    # the role as codes into the sorted role names, then a categorical of the roles present
    names = np.array(["cumulative", "stock", "wider_upper_bound", "window_lower_bound"])
    rcode = np.where(~flow, 1, np.where(window, 3, np.where(wider, 2, 0)))
    present = np.flatnonzero(np.bincount(rcode, minlength=len(names)))
    renum = np.zeros(len(names), dtype=np.int64)
    renum[present] = np.arange(len(present))
    role = pd.Categorical.from_codes(
        renum[rcode], dtype=pd.CategoricalDtype(pd.Categorical(names[present]).categories)
    )
    lo2 = np.where(wider, 0.0, lo)
    hi2 = np.where(window, _INF, hi)
    point = np.where(window | wider, np.nan, point)
    return pd.DataFrame(
        {
            "claim_id": pd.Series(_text(c["claim_id"]), dtype=object),
            "metric": metric,
            "location": loc,
            "subgroup": sub,
            "counter": counter,
            "kind": kind,
            "flow": flow,
            "sid": skey,
            "cid": cid,
            "day": pe,
            "series_start": s0,
            "lo": lo2,
            "hi": hi2,
            "point": point,
            "role": role,
            "outlet": pd.Series(outlet, dtype="str").reset_index(drop=True),
        }
    )


# ---------------------------------------------------------------------------------------------
# step 2: per counter and day
# ---------------------------------------------------------------------------------------------


def _per_day(ev: pd.DataFrame, ev_ids=None) -> tuple[pd.DataFrame, np.ndarray]:
    """Aggregate constraint rows to one row per (series, counter, day). *ev_ids*: ``ev``'s
    claim ids as text (pyarrow), when already at hand."""
    g = _group_codes(ev["sid"].to_numpy(), ev["cid"].to_numpy(), ev["day"].to_numpy())
    n = int(g.max()) + 1 if len(g) else 0
    ids = ev["claim_id"].to_numpy(dtype=object)
    rank = np.arange(len(ids))  # ev is sorted by claim_id
    first = _first_per_group(g, np.zeros(len(g)))
    pd_ = (
        ev[
            [
                "metric",
                "location",
                "subgroup",
                "counter",
                "kind",
                "flow",
                "sid",
                "cid",
                "day",
                "series_start",
            ]
        ]
        .iloc[first]
        .reset_index(drop=True)
    )
    i_lo = _first_per_group(g, -ev["lo"].to_numpy(), rank)
    i_hi = _first_per_group(g, ev["hi"].to_numpy(), rank)
    pd_["L"] = ev["lo"].to_numpy()[i_lo]
    pd_["H"] = ev["hi"].to_numpy()[i_hi]
    pd_["id_L"] = i_lo.astype(np.int64)  # codes of _Ids: ev's rows
    pd_["id_H"] = i_hi.astype(np.int64)
    P = np.full(n, np.nan)  # the largest point of the day (NaN when none)
    np.fmax.at(P, g, ev["point"].to_numpy(dtype=float))
    pd_["P"] = P
    pd_["n_claims"] = np.bincount(g, minlength=n)
    pd_["claim_ids"] = _join_in_order(g, ev_ids if ev_ids is not None else ids, n)
    codes, uniques = pd.factorize(ev["outlet"], use_na_sentinel=True)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    parts = u.str.split("; ").explode()  # merged figures list their outlets joined by "; "
    part_codes = pd.factorize(parts)[0]
    # each row's outlets: the parts of its outlet text (parts listed by outlet, in order)
    per = np.bincount(parts.index.to_numpy(dtype=np.int64), minlength=len(u))
    first_part = np.zeros(len(u), dtype=np.int64)
    np.cumsum(per[:-1], out=first_part[1:])
    ok = codes >= 0
    reps = per[codes[ok]]
    row_g = np.repeat(g[ok].astype(np.int64), reps)
    within = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    p = part_codes[np.repeat(first_part[codes[ok]], reps) + within]
    k = int(part_codes.max()) + 2 if len(part_codes) else 1
    pair = pd.unique(row_g * k + p)
    pd_["n_sources"] = np.bincount(pair // k, minlength=n)
    return pd_, g


def _conflict_frame(kind, rows: pd.DataFrame, claim_ids, counters, detail) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": kind,
            "metric": rows["metric"].to_numpy(dtype=object),
            "location": rows["location"].to_numpy(dtype=object),
            "subgroup": rows["subgroup"].to_numpy(dtype=object),
            "day": rows["day"].to_numpy(),
            "claim_ids": claim_ids,
            "counters": counters,
            "detail": detail,
        }
    )


def _fmt(x) -> pd.Series:
    x = pd.Series(np.asarray(x, dtype=float))
    return x.map(lambda v: "no limit" if not np.isfinite(v) else f"{int(round(v)):,}")


def _day_text(days) -> pd.Series:
    return pd.Series(_to_date(np.asarray(days))).dt.strftime("%Y-%m-%d")


def _sorted_ids(*cols) -> np.ndarray:
    """Per row, the distinct ids of all *cols* (each a ';'-joined list), sorted, joined."""
    n = len(cols[0]) if cols else 0
    if n == 0:
        return np.array([], dtype=object)
    rows = np.tile(np.arange(n), len(cols))
    vals = np.concatenate([np.asarray(c, dtype=object) for c in cols])
    t = pd.DataFrame({"g": rows, "v": pd.Series(vals, dtype=object)}).dropna()
    t = t.assign(v=t["v"].astype(str).str.split(";")).explode("v")
    return _join_ids(t["g"].to_numpy(), t["v"].to_numpy(dtype=object), n)


def _same_day_conflicts(pdd: pd.DataFrame, idt: _Ids) -> pd.DataFrame:
    bad = pdd["L"].to_numpy() > pdd["H"].to_numpy()
    r = pdd.loc[bad]
    id_L, id_H = idt(r["id_L"]), idt(r["id_H"])
    detail = (
        r["counter"].astype(str).to_numpy()
        + " gave figures that cannot both hold on "
        + _day_text(r["day"]).to_numpy()
        + ": at least "
        + _fmt(r["L"]).to_numpy()
        + " ("
        + id_L
        + ") and at most "
        + _fmt(r["H"]).to_numpy()
        + " ("
        + id_H
        + ")"
    )
    return _conflict_frame(
        "disjoint_intervals",
        r,
        _sorted_ids(id_L, id_H),
        r["counter"].to_numpy(dtype=object),
        detail,
    )


# ---------------------------------------------------------------------------------------------
# step 3: parts and wholes, places and their parents (same counter, same day)
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _vocab_pairs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(metric, ancestor metric, direct parent?) and (place, ancestor place) from the
    vocabulary (small tables, built once)."""
    m_rows = [
        (m, a, i == 0) for m in vocab.METRIC_NAMES for i, a in enumerate(vocab.metric_ancestors(m))
    ]
    ma = pd.DataFrame(m_rows, columns=["metric", "w_metric", "direct"])
    p_rows = [(p, a) for p in vocab.PLACES["name"] for a in vocab.place_ancestors(p)]
    pa_ = pd.DataFrame(p_rows, columns=["location", "w_location"])
    return ma, pa_


def _ancestor_pairs(series: pd.DataFrame) -> pd.DataFrame:
    """(part series, whole series, axis) for every series and each of its present ancestors;
    ``direct`` marks the immediate metric or subgroup parent (for sums of parts)."""
    ma, pa_ = _vocab_pairs()
    s = series[["sid", "metric", "location", "subgroup"]]
    frames = []
    # metric ancestors of a metric total (no subgroup)
    t = s[s["subgroup"] == ""].merge(ma, on="metric")
    frames.append(
        pd.DataFrame(
            {
                "sid": t["sid"],
                "metric": t["w_metric"],
                "location": t["location"],
                "subgroup": "",
                "axis": "metric",
                "direct": t["direct"],
            }
        )
    )
    # a subgroup is part of its metric's total and of that metric's ancestors
    t = s[s["subgroup"] != ""]
    frames.append(
        pd.DataFrame(
            {
                "sid": t["sid"],
                "metric": t["metric"],
                "location": t["location"],
                "subgroup": "",
                "axis": "subgroup",
                "direct": True,
            }
        )
    )
    t2 = t.merge(ma, on="metric")
    frames.append(
        pd.DataFrame(
            {
                "sid": t2["sid"],
                "metric": t2["w_metric"],
                "location": t2["location"],
                "subgroup": "",
                "axis": "metric",
                "direct": False,
            }
        )
    )
    # places
    t = s.merge(pa_, on="location")
    frames.append(
        pd.DataFrame(
            {
                "sid": t["sid"],
                "metric": t["metric"],
                "location": t["w_location"],
                "subgroup": t["subgroup"],
                "axis": "place",
                "direct": False,
            }
        )
    )
    pairs = pd.concat(frames, ignore_index=True).merge(
        s.rename(columns={"sid": "wid"}), on=["metric", "location", "subgroup"]
    )
    return pairs[["sid", "wid", "axis", "direct"]].reset_index(drop=True)


def _what(metric, subgroup, location) -> np.ndarray:
    m = np.asarray(metric, dtype=object).astype(str)
    sg = np.asarray(subgroup, dtype=object).astype(str)
    loc = np.asarray(location, dtype=object).astype(str)
    return (
        m
        + np.where(sg != "", " (" + sg + ")", "")
        + " in "
        + np.where(loc != "", loc, "(no place)")
    ).astype(object)


def _part_whole_rows(pdd: pd.DataFrame):
    """Row pairs (part, whole) of the same counter and day, with the pair's axis (metric,
    subgroup or place) and whether the whole is the part's direct parent metric."""
    empty = (np.zeros(0, np.int64),) * 2 + (np.zeros(0, object), np.zeros(0, bool))
    series = pdd.drop_duplicates("sid")[["sid", *SERIES]].reset_index(drop=True)
    pairs = _ancestor_pairs(series)
    if pairs.empty or pdd.empty:
        return empty
    sid, cid = pdd["sid"].to_numpy(), pdd["cid"].to_numpy()
    day = pdd["day"].to_numpy()
    # a row's key: (series, counter, day); rows are unique on it
    nc = int(cid.max()) + 1
    d0 = float(day.min())
    span = float(day.max() - d0 + 1)
    key = (sid * nc + cid) * span + (day - d0)
    korder = np.argsort(key, kind="stable")
    skey = key[korder]
    # every (part row, ancestor series) pair
    pairs = pairs.sort_values(["sid", "wid"], kind="stable")
    psid = pairs["sid"].to_numpy()
    n_series = int(max(sid.max(), psid.max())) + 1
    cnt = np.bincount(psid, minlength=n_series)
    first = np.r_[0, np.cumsum(cnt)[:-1]]
    reps = cnt[sid]
    part = np.repeat(np.arange(len(pdd)), reps)
    off = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    pi = first[sid[part]] + off
    wid = pairs["wid"].to_numpy()[pi]
    axis = pairs["axis"].to_numpy(dtype=object)[pi]
    direct = pairs["direct"].to_numpy(dtype=bool)[pi]
    wkey = (wid * nc + cid[part]) * span + (day[part] - d0)
    pos = np.clip(np.searchsorted(skey, wkey), 0, len(skey) - 1)
    hit = skey[pos] == wkey
    return part[hit], korder[pos[hit]], axis[hit], direct[hit]


def _hierarchy(
    pdd: pd.DataFrame, idt: _Ids, record: bool = True, rows=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply part <= whole and place <= parent on the same counter and day (and, with
    *record*, list the evidence that breaks them). *idt*: the id codes' texts. *rows*:
    :func:`_part_whole_rows` of *pdd*, when already known."""
    part, whole, axis, direct = rows if rows is not None else _part_whole_rows(pdd)
    if len(part) == 0:
        return pdd, pd.DataFrame()
    pdd = pdd.copy(deep=False)
    day = pdd["day"].to_numpy()
    L, H = pdd["L"].to_numpy(dtype=float).copy(), pdd["H"].to_numpy(dtype=float).copy()
    idL = pdd["id_L"].to_numpy(dtype=np.int64)
    idH = pdd["id_H"].to_numpy(dtype=np.int64)
    conflicts = []
    if len(part):
        bad = L[part] > H[whole]
        if record and bad.any():
            p, w = part[bad], whole[bad]
            kind = np.where(axis[bad] == "place", "place_exceeds_parent", "part_exceeds_whole")
            r = pdd.iloc[p]
            rw = pdd.iloc[w]
            detail = (
                r["counter"].to_numpy(dtype=object)
                + " on "
                + _day_text(day[p]).to_numpy()
                + ": "
                + _what(r["metric"], r["subgroup"], r["location"])
                + " is at least "
                + _fmt(L[p]).to_numpy()
                + " ("
                + idt(idL[p])
                + "), more than "
                + _what(rw["metric"], rw["subgroup"], rw["location"])
                + " at most "
                + _fmt(H[w]).to_numpy()
                + " ("
                + idt(idH[w])
                + ")"
            )
            conflicts.append(
                _conflict_frame(
                    kind,
                    rw,
                    _sorted_ids(idt(idL[p]), idt(idH[w])),
                    r["counter"].to_numpy(dtype=object),
                    detail,
                )
            )
        # sums of the direct child metrics (disjoint by the vocabulary: civilians and
        # combatants; children and women). Subgroups may overlap (HTS fighters are among the
        # opposition fighters), so they are not summed.
        dm = direct & (axis == "metric")
        S = pd.Series(L[part[dm]]).groupby(whole[dm])
        sums = pd.DataFrame({"S": S.sum(), "k": S.size(), "mx": S.max()})
        sums = sums[sums["k"] >= 2]
        if len(sums):
            wr = sums.index.to_numpy()
            sub = np.isin(whole, wr) & dm
            joined = _join_ids(whole[sub], idt(idL[part[sub]]), len(pdd))[wr]
            jcode = idt.add(joined)
            Ssum = sums["S"].to_numpy()
            bad = (Ssum > H[wr]) & (sums["mx"].to_numpy() <= H[wr])
            if record and bad.any():
                w = wr[bad]
                r = pdd.iloc[w]
                detail = (
                    r["counter"].to_numpy(dtype=object)
                    + " on "
                    + _day_text(day[w]).to_numpy()
                    + ": the parts of "
                    + r["metric"].to_numpy(dtype=object)
                    + " add up to at least "
                    + _fmt(Ssum[bad]).to_numpy()
                    + " ("
                    + joined[bad]
                    + "), more than the whole, at most "
                    + _fmt(H[w]).to_numpy()
                    + " ("
                    + idt(idH[w])
                    + ")"
                )
                conflicts.append(
                    _conflict_frame(
                        "parts_exceed_whole",
                        r,
                        _sorted_ids(joined[bad], idt(idH[w])),
                        r["counter"].to_numpy(dtype=object),
                        detail,
                    )
                )
        # propagate: a whole's low is at least each part's low (and the sum of its child
        # metrics' lows); a part's high is at most its whole's high
        Lp, Hw_ = L[part], H[whole]
        iu = _first_per_group(whole, -Lp, part)
        up_w, up_p = whole[iu], part[iu]
        dn = _first_per_group(part, Hw_, whole)
        dn_p, dn_w = part[dn], whole[dn]
        newL, newH = L.copy(), H.copy()
        newidL, newidH = idL.copy(), idH.copy()
        raise_l = L[up_p] > newL[up_w]
        newL[up_w[raise_l]] = L[up_p[raise_l]]
        newidL[up_w[raise_l]] = idL[up_p[raise_l]]
        lower_h = H[dn_w] < newH[dn_p]
        newH[dn_p[lower_h]] = H[dn_w[lower_h]]
        newidH[dn_p[lower_h]] = idH[dn_w[lower_h]]
        if len(sums):
            raise_s = Ssum > newL[wr]
            newL[wr[raise_s]] = Ssum[raise_s]
            newidL[wr[raise_s]] = jcode[raise_s]
        pdd["L"], pdd["H"] = newL, newH
        pdd["id_L"], pdd["id_H"] = newidL, newidH
    out = pd.concat(conflicts, ignore_index=True) if conflicts else pd.DataFrame()
    return pdd, out


# ---------------------------------------------------------------------------------------------
# step 4: monotone per counter, resolve, best
# ---------------------------------------------------------------------------------------------
def _monotone(pdd: pd.DataFrame, idt: _Ids, g=None, flow=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Carry lower bounds forward and upper bounds backward per series and counter (flows).
    *idt*: the id codes' texts. *g* and *flow*: the group numbers and flow flags of *pdd*'s
    rows when it is already sorted by series, counter and day."""
    if g is None:
        order = _lexsort((pdd["day"].to_numpy(), pdd["cid"].to_numpy(), pdd["sid"].to_numpy()))
        pdd = pdd.iloc[order] if not _is_identity(order) else pdd.copy(deep=False)
        pdd = pdd.reset_index(drop=True)
        g = _group_codes(pdd["sid"].to_numpy(), pdd["cid"].to_numpy())
        flow = pdd["flow"].to_numpy(dtype=bool)
    else:
        pdd = pdd.copy(deep=False)
    L = pdd["L"].to_numpy(dtype=float)
    H = pdd["H"].to_numpy(dtype=float)
    pos = np.arange(len(pdd), dtype=float)
    Lm = pd.Series(L).groupby(g).cummax().to_numpy()
    Hm = pd.Series(H[::-1]).groupby(g[::-1]).cummin().to_numpy()[::-1]
    Lm = np.where(flow, Lm, L)
    Hm = np.where(flow, Hm, H)
    # the row holding the running max lower bound, and the earliest row holding the min high
    at_max = pd.Series(np.where(L >= Lm, pos, np.nan)).groupby(g).ffill().to_numpy()
    at_min = (
        pd.Series(np.where(H <= Hm, pos, np.nan)[::-1]).groupby(g[::-1]).ffill().to_numpy()[::-1]
    )
    src_L = np.where(flow, at_max, pos).astype(int)
    src_H = np.where(flow, at_min, pos).astype(int)
    # a counter's total falling: an earlier lower bound above this day's upper bound
    first = np.r_[True, g[1:] != g[:-1]]
    prev_Lm = np.where(first, -np.inf, np.r_[-np.inf, Lm[:-1]])
    prev_src = np.where(first, 0, np.r_[0, src_L[:-1]]).astype(int)
    bad = flow & (H < prev_Lm)
    conflicts = pd.DataFrame()
    if bad.any():
        r = pdd.loc[bad]
        ps = prev_src[bad]
        idp = idt(pdd["id_L"].to_numpy()[ps])
        id_H = idt(r["id_H"])
        detail = (
            r["counter"].to_numpy()
            + ": at least "
            + _fmt(prev_Lm[bad]).to_numpy()
            + " by "
            + _day_text(pdd["day"].to_numpy()[ps]).to_numpy()
            + " ("
            + idp
            + ") but at most "
            + _fmt(r["H"]).to_numpy()
            + " on "
            + _day_text(r["day"]).to_numpy()
            + " ("
            + id_H
            + "): a cumulative count cannot fall"
        )
        conflicts = _conflict_frame(
            "non_monotone",
            r,
            _sorted_ids(idp, id_H),
            r["counter"].to_numpy(dtype=object),
            detail,
        )
    low = np.minimum(Lm, Hm)
    high = np.maximum(Lm, Hm)
    P = pdd["P"].to_numpy(dtype=float)
    Pc = pd.Series(P).groupby(g).cummax().groupby(g).ffill().to_numpy()
    Pc = np.where(flow, Pc, P)
    fallback = np.where(np.isfinite(high), np.where(flow, low, (low + high) / 2), low)
    best = np.clip(np.where(np.isnan(Pc), fallback, Pc), low, high)
    pdd["low"], pdd["best"], pdd["high"] = low, best, high
    pdd["id_low"] = pdd["id_L"].to_numpy()[src_L]
    pdd["id_high"] = pdd["id_H"].to_numpy()[src_H]
    return pdd, conflicts


def _finish_best(g: np.ndarray, flow: np.ndarray, best: np.ndarray, low, high) -> np.ndarray:
    """Rounded best, non-decreasing within flow groups, inside [low, high]."""
    b = np.round(best)
    bm = pd.Series(b).groupby(g).cummax().to_numpy()
    b = np.where(flow, bm, b)
    return np.clip(b, low, high)


# ---------------------------------------------------------------------------------------------
# step 5: across counters
# ---------------------------------------------------------------------------------------------
def _combine(
    pc: pd.DataFrame, ev: pd.DataFrame, rule: str, idt: _Ids, ev_ids=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Combine per-counter rows into one ``combined`` row per series and day. *idt*: the id
    codes' texts; *ev_ids*: ``ev``'s claim ids as text (pyarrow), when already at hand."""
    scid = _group_codes(pc["sid"].to_numpy(), pc["cid"].to_numpy())
    order = _lexsort((pc["day"].to_numpy(), scid))
    if not _is_identity(order):
        pc = pc.iloc[order].reset_index(drop=True)
        scid = scid[order]
    sid, cnt, day = pc["sid"].to_numpy(), pc["cid"].to_numpy(), pc["day"].to_numpy()
    # the grid: every (series, day) on which some counter reported
    gi_e = _group_codes(sid, day)
    ng = int(gi_e.max()) + 1
    gfirst = _first_per_group(gi_e, np.zeros(len(gi_e)))
    gsid, gday = sid[gfirst], day[gfirst]
    scf = _first_per_group(scid, np.zeros(len(scid)))
    q = pd.DataFrame({"gi": np.arange(ng), "sid": gsid, "day": gday}).merge(
        pd.DataFrame({"sid": sid[scf], "scid": scid[scf], "cid": cnt[scf]}), on="sid"
    )  # every counter of the series on every day of the series
    qsc, qday, gq = q["scid"].to_numpy(), q["day"].to_numpy(), q["gi"].to_numpy()
    d0 = float(np.nanmin(day))
    span = float(np.nanmax(day) - d0 + 2)
    ekey = scid * span + (day - d0)
    qkey = qsc * span + (qday - d0)
    n = len(pc)
    flow_e = pc["flow"].to_numpy(dtype=bool)
    # latest row of the counter on or before the day, earliest on or after
    ib = np.searchsorted(ekey, qkey, side="right") - 1
    ia = np.searchsorted(ekey, qkey, side="left")
    ok_b = (ib >= 0) & (scid[np.clip(ib, 0, n - 1)] == qsc)
    ok_a = (ia < n) & (scid[np.clip(ia, 0, n - 1)] == qsc)
    ib, ia = np.clip(ib, 0, n - 1), np.clip(ia, 0, n - 1)
    same = ok_b & (day[ib] == qday)
    flow_q = flow_e[gfirst][gq]  # the series' kind
    use_b = np.where(flow_q, ok_b, same)
    use_a = np.where(flow_q, ok_a, same)
    Lq = np.where(use_b, pc["low"].to_numpy()[ib], 0.0)
    Bq = np.where(use_b, pc["best"].to_numpy()[ib], np.nan)
    Hq = np.where(use_a, pc["high"].to_numpy()[ia], _INF)
    ncum = pd.Series(pc["n_claims"].to_numpy()).groupby(scid).cumsum().to_numpy()
    Wq = np.where(use_b, ncum[ib], 0.0)
    idLq = np.where(use_b, pc["id_low"].to_numpy()[ib], -1)
    idHq = np.where(use_a, pc["id_high"].to_numpy()[ia], -1)
    counter_q = pc["counter"].to_numpy(dtype=object)[np.where(use_b, ib, ia)]
    counter_q = np.where(use_b | use_a, counter_q, None)
    rank = q["cid"].to_numpy()
    iL = _first_per_group(gq, -Lq, rank)
    iH = _first_per_group(gq, Hq, rank)
    maxL, minH = Lq[iL], Hq[iH]
    low, high = np.minimum(maxL, minH), np.maximum(maxL, minH)
    bs = pd.Series(Bq)
    if rule == "conservative":
        best = bs.groupby(gq).min().to_numpy()
    elif rule == "highest":
        best = bs.groupby(gq).max().to_numpy()
    else:
        w = np.where(np.isnan(Bq), 0.0, Wq)
        num = pd.Series(np.nan_to_num(Bq) * w).groupby(gq).sum().to_numpy()
        den = pd.Series(w).groupby(gq).sum().to_numpy()
        best = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    # evidence of the day itself: the claims dated that day, of any counter
    e_key = ev["sid"].to_numpy() * span + (ev["day"].to_numpy() - d0)
    e_gi = np.searchsorted(gsid * span + (gday - d0), e_key)
    head = pc[["metric", "location", "subgroup", "kind"]].iloc[gfirst].reset_index(drop=True)
    comb = pd.DataFrame(
        {
            "metric": head["metric"],
            "location": head["location"],
            "subgroup": head["subgroup"],
            "counter": COMBINED,
            "kind": head["kind"],
            "sid": gsid,
            "cid": -1,
            "series_start": pc["series_start"].to_numpy()[gfirst],
            "day": gday,
            "low": low,
            "high": high,
            "n_claims": np.bincount(e_gi, minlength=ng),
            "n_sources": np.bincount(gi_e, minlength=ng),
            "claim_ids": _join_in_order(e_gi, ev_ids if ev_ids is not None else ev["claim_id"], ng),
            "counters": _join_in_order(gi_e, pc["counter"].astype("str"), ng),
        }
    )
    flow = (comb["kind"] == "flow").to_numpy()
    fallback = np.where(np.isfinite(high), np.where(flow, low, (low + high) / 2), low)
    carried = pd.Series(best).groupby(gsid).ffill().to_numpy()
    best = np.where(np.isnan(best), np.where(flow, carried, np.nan), best)
    best = np.where(np.isnan(best), fallback, best)
    comb["best"] = _finish_best(gsid, flow, np.clip(best, low, high), low, high)
    # counters whose evidence does not meet
    bad = maxL > minH
    conflicts = pd.DataFrame()
    if bad.any():
        r = comb.loc[bad]
        cL = counter_q[iL][bad].astype(str)
        cH = counter_q[iH][bad].astype(str)
        iLb, iHb = idt(idLq[iL][bad]), idt(idHq[iH][bad])
        detail = (
            cL
            + " puts at least "
            + _fmt(maxL[bad]).to_numpy()
            + " ("
            + iLb.astype(str)
            + ") where "
            + cH
            + " puts at most "
            + _fmt(minH[bad]).to_numpy()
            + " ("
            + iHb.astype(str)
            + ") on "
            + _day_text(r["day"]).to_numpy()
        )
        counters = np.where(cL < cH, cL + ";" + cH, cH + ";" + cL).astype(object)
        conflicts = _conflict_frame(
            "disjoint_intervals", r, _sorted_ids(iLb, iHb), counters, detail
        )
    return comb, conflicts


# ---------------------------------------------------------------------------------------------
# public
# ---------------------------------------------------------------------------------------------
def empty_estimates() -> pd.DataFrame:
    """An empty Estimates table with the right dtypes."""
    return _estimates_frame(pd.DataFrame(columns=list(_ESTIMATE_FIELDS)))


def empty_conflicts() -> pd.DataFrame:
    """An empty Conflicts table with the right dtypes."""
    return _conflicts_frame(
        pd.DataFrame(
            columns=[
                "kind",
                "metric",
                "location",
                "subgroup",
                "day",
                "claim_ids",
                "counters",
                "detail",
            ]
        )
    )


def _const_text(value: str, n: int) -> pd.Series:
    """*n* times *value* as ``str`` text."""
    return pd.Series(pd.array([value], dtype="str").take(np.zeros(n, dtype=np.intp)))


def _is_text(s) -> bool:
    return isinstance(s, pd.Series) and s.dtype == "str" and s.dtype.storage == "pyarrow"


def _opt_text(s) -> pd.Series:
    """Text with "" as missing, as the ``str`` dtype (via factorize: few distinct values)."""
    if _is_text(s):
        s = s.reset_index(drop=True)
        return s.where(~np.asarray(s.array == "", dtype=bool))
    a = np.asarray(s, dtype=object).copy()
    a[pd.isna(a)] = None
    a[a == ""] = None
    codes, uniques = pd.factorize(a, use_na_sentinel=True)
    return pd.Series(
        pd.array(np.asarray(uniques, dtype=object), dtype="str").take(codes, allow_fill=True)
    )


def _text_col(s) -> pd.Series:
    """Text as the ``str`` dtype."""
    if _is_text(s):
        return s.reset_index(drop=True)
    return pd.Series(pd.array(np.asarray(s, dtype=object), dtype="str"))


def _estimates_frame(e: pd.DataFrame) -> pd.DataFrame:
    e = e.reset_index(drop=True)
    if "sid" in e and len(e):
        # text columns from the small tables of series and counters (fast for many rows)
        sid = e["sid"].to_numpy()
        u_sid, inv = _sorted_codes(sid)
        first = np.full(len(u_sid), len(sid), dtype=np.int64)  # each series' first row
        np.minimum.at(first, inv, np.arange(len(sid)))
        head = e.iloc[first].set_index("sid")

        def by_series(col):
            return _opt_text(head[col].to_numpy(dtype=object)).array.take(inv.reshape(-1))

        ccodes, cnames = pd.factorize(e["cid"].to_numpy())
        # codes number the counters in order of appearance: a row whose code is new is first
        new = np.ones(len(ccodes), dtype=bool)
        new[1:] = ccodes[1:] > np.maximum.accumulate(ccodes)[:-1]
        names = e["counter"].iloc[np.flatnonzero(new)].to_numpy(dtype=object)
        text = {
            "metric": by_series("metric"),
            "location": by_series("location"),
            "subgroup": by_series("subgroup"),
            "counter": _opt_text(names).array.take(ccodes),
            "kind": by_series("kind"),
        }
    else:
        text = {c: _opt_text(e[c]) for c in ("metric", "location", "subgroup", "counter", "kind")}
    return pd.DataFrame(
        {
            "metric": text["metric"],
            "location": text["location"],
            "subgroup": text["subgroup"],
            "counter": text["counter"],
            "date": pd.Series(_to_date(e["day"].to_numpy(dtype=float)), dtype="datetime64[ns]"),
            "low": _masked(e["low"].to_numpy(dtype=float)),
            "best": _masked(e["best"].to_numpy(dtype=float)),
            "high": _masked(e["high"].to_numpy(dtype=float)),
            "n_claims": pd.array(e["n_claims"].to_numpy(dtype=float), dtype="Int64"),
            "n_sources": pd.array(e["n_sources"].to_numpy(dtype=float), dtype="Int64"),
            "claim_ids": _text_col(e["claim_ids"]),
            "rule": _opt_text(e["rule"]),
            "kind": text["kind"],
            "series_start": pd.Series(
                _to_date(e["series_start"].to_numpy(dtype=float)), dtype="datetime64[ns]"
            ),
            "counters": _opt_text(e["counters"]),
        }
    )


def _conflicts_frame(c: pd.DataFrame) -> pd.DataFrame:
    c = c.reset_index(drop=True)
    out = pd.DataFrame(
        {
            "kind": c["kind"].astype("str"),
            "metric": c["metric"].astype("str"),
            "location": _opt_text(c["location"]),
            "subgroup": _opt_text(c["subgroup"]),
            "date": pd.Series(_to_date(c["day"].to_numpy(dtype=float)), dtype="datetime64[ns]"),
            "claim_ids": c["claim_ids"].astype("str"),
            "counters": c["counters"].astype("str"),
            "detail": c["detail"].astype("str"),
        }
    )
    # one row per kind, series and set of claims (the first day it shows)
    out = out.sort_values(
        ["kind", "metric", "location", "subgroup", "claim_ids", "date"],
        kind="stable",
        na_position="first",
    )
    out = out.drop_duplicates(["kind", "metric", "location", "subgroup", "claim_ids"])
    out = out.sort_values(
        ["metric", "location", "subgroup", "date", "kind", "claim_ids"],
        kind="stable",
        na_position="first",
    ).reset_index(drop=True)
    out.insert(0, "conflict_id", pd.array([f"K{i + 1:04d}" for i in range(len(out))], dtype="str"))
    return out


def reconcile(
    claims: pd.DataFrame,
    known_on=None,
    rule: str = "conservative",
    start=None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reconcile claims into low / best / high per series, counter and date, with conflicts.

    Parameters
    ----------
    claims
        A Claims table, ideally deduplicated first (:func:`stats.dedupe.dedupe`): duplicates
        do not change the bounds but count as separate claims in ``n_claims``.
    known_on
        A date: use only claims published on or before it (the estimate as it could have been
        made that day).
    rule
        How counters are combined (:data:`RULES`): ``"conservative"`` (the lowest counter's
        best), ``"consensus"`` (claim-weighted mean of the counters' bests) or ``"highest"``.
        The combined ``low``/``high`` do not depend on the rule.
    start
        Start day of every series; default: per series, its most common stated
        ``period_start`` (ties: the earliest).

    Returns
    -------
    estimates : DataFrame
        One row per series (metric, location, subgroup), counter and date on which that counter
        (or, for ``counter == "combined"``, any counter) published a figure: ``low``, ``best``,
        ``high`` (null = no upper limit), ``n_claims``, ``n_sources`` (distinct outlets; for
        combined rows, distinct counters), ``claim_ids``, ``rule``, ``kind``,
        ``series_start``, ``counters``.
    conflicts : DataFrame
        One row per contradiction: ``conflict_id``, ``kind`` (``non_monotone``,
        ``part_exceeds_whole``, ``parts_exceed_whole``, ``disjoint_intervals``,
        ``place_exceeds_parent``), the series, ``date``, ``claim_ids``, ``counters`` and a
        one-sentence ``detail``.

    Raises
    ------
    SchemaError
        When columns are missing, a metric is unknown or claim ids repeat.
    UserError
        For an unknown rule.
    ArgumentError
        (a ``ValueError``) when ``known_on`` or ``start`` is not a ``YYYY-MM-DD`` date.

    Notes
    -----
    Per counter: the bounds of the claims of one day are intersected (their tightest lower and
    upper bounds); parts raise the lower bound of their whole and wholes cap their parts (same
    counter and day; the child metrics of one whole -- civilians and combatants, children and
    women -- are disjoint, so their lower bounds add up; subgroups may overlap and are bounded
    one by one); then for flows the lower
    bound is carried forward (running maximum) and the upper bound backward (running minimum
    from the end). Where bounds cross, the evidence conflicts: the row spans the clash
    (``low`` = the smaller, ``high`` = the larger of the two bounds) and a conflict is
    recorded. ``best`` is the running maximum of the figures the claims state (exact and
    "about" values, the floor of "at least", the middle of a range, the geometric middle of a
    vague term), clipped to ``[low, high]``.

    Across counters, on every day any counter reported: each counter's band as of that day
    (its last lower bound on or before, its next upper bound on or after -- for stocks, that
    day's only); ``low``/``high`` are the intersection of the counters' bands when they meet
    and span the gap when they do not (a ``disjoint_intervals`` conflict). The rule picks
    ``best`` from the counters' bests, then clips it to ``[low, high]``. Assumes that every
    counter counts the same thing (the same deaths, the same place and period), so that true
    figures from two counters lie in both bands.

    References
    ----------
    ACLED (2023). *ACLED Codebook*, section on fatalities: "the most conservative reports
    are used". Ball, P. et al. (2003). *How many Peruvians have died?* AAAS/HRDAG (on why
    counters' lists are combined, not averaged).

    Examples
    --------
    >>> from stats.contract import validate
    >>> raw = pd.DataFrame({"metric": ["killed"] * 3, "value": ["242", "412", "400"],
    ...     "qualifier": ["at_least", "exact", "exact"],
    ...     "period_start": ["2024-11-27"] * 3,
    ...     "period_end": ["2024-11-29", "2024-12-01", "2024-12-02"],
    ...     "published": ["2024-11-29", "2024-12-01", "2024-12-02"],
    ...     "counted_by": ["SOHR"] * 3, "location": ["Syria"] * 3})
    >>> est, conf = reconcile(validate(raw)[0])
    >>> est.loc[est["counter"] == "SOHR", ["date", "low", "best", "high"]].astype(str).values.tolist()
    [['2024-11-29', '242', '242', '400'], ['2024-12-01', '400', '412', '412'], ['2024-12-02', '400', '412', '412']]
    >>> conf[["kind", "counters"]].values.tolist()
    [['non_monotone', 'SOHR']]
    """
    _check(claims, rule)
    known_on, start = as_day(known_on, "known_on"), as_day(start, "start")
    c = claims
    if known_on is not None:
        c = c.loc[pd.to_datetime(c["published"]) <= pd.Timestamp(known_on)]
    c = c.loc[c["period_end"].notna()]
    if c.empty:
        return empty_estimates(), empty_conflicts()
    ev = claim_constraints(c, start=start)
    if _strictly_increasing(c["claim_id"]):  # already sorted (as dedupe leaves it)
        ev_ids = _arrow_text(c["claim_id"])
    else:
        ev = ev.sort_values(["claim_id"], kind="stable").reset_index(drop=True)
        ev_ids = _arrow_text(ev["claim_id"])
    idt = _Ids(ev["claim_id"].to_numpy(dtype=object))
    pdd, _ = _per_day(ev, ev_ids)
    conflicts = [_same_day_conflicts(pdd, idt)]
    pdd, hc = _hierarchy(pdd, idt)
    conflicts.append(hc)
    pc, mc = _monotone(pdd, idt)
    conflicts.append(mc)
    # parts and wholes again on the monotone bands, until nothing moves (chains of parts)
    rows = None
    g_pc = _group_codes(pc["sid"].to_numpy(), pc["cid"].to_numpy())
    flow_pc = pc["flow"].to_numpy(dtype=bool)
    for _ in range(MAX_ROUNDS):
        again = pc.drop(columns=["L", "H", "id_L", "id_H"]).rename(
            columns={"low": "L", "high": "H", "id_low": "id_L", "id_high": "id_H"}
        )
        rows = rows if rows is not None else _part_whole_rows(again)
        again, _ = _hierarchy(again, idt, record=False, rows=rows)
        if np.array_equal(again["L"].to_numpy(), pc["low"].to_numpy()) and np.array_equal(
            again["H"].to_numpy(), pc["high"].to_numpy()
        ):
            break  # the bands already hold every part/whole constraint
        pc, _ = _monotone(again, idt, g=g_pc, flow=flow_pc)
    g = g_pc
    pc["best"] = _finish_best(
        g,
        flow_pc,
        pc["best"].to_numpy(),
        pc["low"].to_numpy(),
        pc["high"].to_numpy(),
    )
    comb, cc = _combine(pc, ev, rule, idt, ev_ids)
    conflicts.append(cc)
    pc = pc.assign(rule=_const_text(PER_COUNTER, len(pc)), counters=pc["counter"].astype("str"))
    comb = comb.assign(rule=_const_text(rule, len(comb)))
    cols = list(_ESTIMATE_FIELDS)
    est = pd.concat([pc[cols + ["sid", "cid"]], comb[cols + ["sid", "cid"]]], ignore_index=True)
    combined = (est["cid"] < 0).to_numpy()
    order = _lexsort(
        (est["day"].to_numpy(), est["cid"].to_numpy(), combined, est["sid"].to_numpy())
    )
    est = est.iloc[order]
    return _estimates_frame(est), _finish_conflicts(conflicts)


def _finish_conflicts(conflicts: list[pd.DataFrame]) -> pd.DataFrame:
    conf = [x for x in conflicts if len(x)]
    return _conflicts_frame(pd.concat(conf, ignore_index=True)) if conf else empty_conflicts()
