"""The HTML report: ``reports/<dataset>/index.html``, ``numbers.json`` and the chart PNGs.

What the analyst hands to an editor or a coordinator: a headline table per metric, the charts,
the conflicts with the claims and quotes behind them, the full claim ledger, and the methods,
generated from the code. Every number the page prints is read from ``numbers.json`` (computed
once, by :func:`compute_numbers`), never typed into prose; a test recomputes them.

Steps, each a function:

1. :func:`load_tables` (disk) -- the processed ledger, events and derived tables of a dataset;
   with ``known_on`` the derived tables are recomputed from the claims published by then
   (:func:`derive_tables`);
2. :func:`compute_numbers` (pure) -- every number of the report, as a JSON-ready dict;
3. :func:`render_charts` (pure) -- the PNG charts, as bytes;
4. :func:`render_html` (pure) -- the page, from the numbers, the text of the ledger and the
   charts (embedded as base64 ``data:`` URIs: the page needs no network);
5. :func:`build_report` (disk) -- all of the above, written under ``reports/<dataset>/``.

Safety: every text that comes from data (quotes, names, urls, event labels) goes through
:func:`html.escape`; links are made only for ``http``/``https`` urls; the page carries a
Content-Security-Policy that forbids scripts and any network request.
"""

from __future__ import annotations

import base64
import html
import inspect
import io
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from stats import config, vocab
from stats.errors import UserError

#: Version of the layout of ``numbers.json``.
NUMBERS_VERSION = 1
#: Charts are drawn at this resolution (dots per inch) and shown at their natural size.
DPI = 100
#: Most cumulative / sources charts drawn (one per headline metric, most-claimed first).
MAX_SERIES_CHARTS = 6
#: Columns of Estimates, Daily and Conflicts the report reads (the contract of issue 4).
ESTIMATES_COLUMNS = (
    "metric",
    "location",
    "subgroup",
    "counter",
    "date",
    "low",
    "best",
    "high",
    "n_claims",
    "n_counters",
    "claim_ids",
)
DAILY_COLUMNS = (
    "metric",
    "location",
    "subgroup",
    "counter",
    "date",
    "cum_low",
    "cum_best",
    "cum_high",
    "new_low",
    "new_best",
    "new_high",
    "is_nowcast",
)
CONFLICTS_COLUMNS = ("conflict_id", "kind", "metric", "location", "date", "claim_ids", "detail")
SERIES = ["metric", "location", "subgroup"]


@dataclass
class ReportTables:
    """The tables a report is made of, already restricted to one dataset and date."""

    dataset: str
    claims: pd.DataFrame
    estimates: pd.DataFrame
    daily: pd.DataFrame
    conflicts: pd.DataFrame
    events: pd.DataFrame = field(default_factory=pd.DataFrame)
    known_on: pd.Timestamp | None = None
    n_claims_total: int | None = None
    #: Origin metadata of the dataset (``data/raw/<dataset>/sources.yml``), if any.
    meta: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------
def safe_url(url: object) -> str | None:
    """The url if it is an absolute ``http`` or ``https`` link, else ``None``.

    Examples
    --------
    >>> safe_url("https://example.org/a?b=1")
    'https://example.org/a?b=1'
    >>> safe_url("javascript:alert(1)") is None, safe_url("//evil.org") is None
    (True, True)
    """
    if not isinstance(url, str):
        return None
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return u
    return None


def esc(value: object) -> str:
    """Text for HTML: escaped; missing values become an empty string.

    Examples
    --------
    >>> esc('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    >>> esc(None)
    ''
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def fmt_count(n: object) -> str:
    """A count with thousands separators; missing is shown as an en dash, never as zero.

    Examples
    --------
    >>> fmt_count(115000), fmt_count(None)
    ('115,000', '–')
    """
    if n is None or (not isinstance(n, str) and pd.isna(n)):
        return "–"
    return f"{int(n):,}"


def fmt_date(d: object) -> str:
    """``27 Nov 2024`` from an ISO date string or a timestamp; missing as an en dash.

    Examples
    --------
    >>> fmt_date("2024-11-27")
    '27 Nov 2024'
    """
    if d is None or (not isinstance(d, str) and pd.isna(d)):
        return "–"
    return f"{pd.Timestamp(d):%d %b %Y}"


def fmt_period(start: object, end: object) -> str:
    """A period in few characters: ``27 Nov–02 Dec 2024``; just the end when the start is
    unknown.

    Examples
    --------
    >>> fmt_period("2024-11-27", "2024-12-02"), fmt_period(None, "2024-12-02")
    ('27 Nov–02 Dec 2024', '02 Dec 2024')
    >>> fmt_period("2011-03-15", "2024-12-06")
    '15 Mar 2011–06 Dec 2024'
    """
    if start is None or (not isinstance(start, str) and pd.isna(start)):
        return fmt_date(end)
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s == e:
        return fmt_date(e)
    head = f"{s:%d %b}" if s.year == e.year else f"{s:%d %b %Y}"
    return f"{head}–{e:%d %b %Y}"


def _iso(d: object) -> str | None:
    if d is None or (not isinstance(d, str) and pd.isna(d)):
        return None
    return f"{pd.Timestamp(d):%Y-%m-%d}"


def _int(x: object) -> int | None:
    if x is None or pd.isna(x):
        return None
    return int(x)


def _ids(s: pd.Series) -> pd.Series:
    """Split ``;``-joined claim ids into lists."""
    return (
        s.fillna("")
        .astype("str")
        .str.split(";")
        .map(lambda xs: [x.strip() for x in xs if x.strip()])
    )


def _key(df: pd.DataFrame) -> pd.Series:
    """One string per series (metric, location, subgroup), missing parts as empty strings."""
    parts = [df[c].astype("object").where(df[c].notna(), "").astype("str") for c in SERIES]
    return parts[0] + "|" + parts[1] + "|" + parts[2]


def _require(df: pd.DataFrame, columns, table: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise UserError(
            f"{table} table: missing column(s) {', '.join(missing)}; expected the {table} "
            "contract columns (see stats/schema.py; rebuild with `make data`)"
        )


def _with_subgroup(df: pd.DataFrame) -> pd.DataFrame:
    if "subgroup" not in df:
        df = df.assign(subgroup=pd.Series(pd.NA, index=df.index, dtype="object"))
    return df


# ---------------------------------------------------------------------------------------------
# 1. Tables
# ---------------------------------------------------------------------------------------------
def restrict(
    claims: pd.DataFrame, events: pd.DataFrame | None, dataset: str, known_on=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claims of one dataset (``source_file`` under ``<dataset>/``) published on or before
    ``known_on``, and that dataset's events up to that day. Does not mutate the inputs.

    Examples
    --------
    >>> c = pd.DataFrame({"source_file": ["a/claims.csv", "b/claims.csv", "a/claims.csv"],
    ...                   "published": pd.to_datetime(["2024-12-01", "2024-12-01",
    ...                                                "2024-12-09"])})
    >>> len(restrict(c, None, "a")[0]), len(restrict(c, None, "a", "2024-12-05")[0])
    (2, 1)
    """
    keep = claims["source_file"].astype("str").str.startswith(f"{dataset}/")
    if known_on is not None:
        keep &= claims["published"] <= pd.Timestamp(known_on)
    ev = events if events is not None else pd.DataFrame(columns=["dataset", "date", "event"])
    ekeep = ev["dataset"] == dataset if "dataset" in ev else pd.Series(True, index=ev.index)
    if known_on is not None and len(ev):
        ekeep &= ev["date"] <= pd.Timestamp(known_on)
    return claims.loc[keep].reset_index(drop=True), ev.loc[ekeep].reset_index(drop=True)


def derive_tables(
    claims: pd.DataFrame, known_on=None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Estimates, Daily and Conflicts from a ledger as known on a date (dedupe, reconcile,
    interpolate, with the pipeline's defaults).

    The daily calendar runs to ``known_on`` (days after the last report are a nowcast), or to
    the last day any claim was published.
    """
    from stats.pipeline import derive_tables as derive

    return derive(claims, known_on=known_on)


def _restrict_derived(df: pd.DataFrame, ids: set[str], id_col: str = "claim_ids") -> pd.DataFrame:
    """Rows whose claim ids all belong to the dataset (so other datasets' rows drop out)."""
    if df.empty or id_col not in df:
        return df
    lists = _ids(df[id_col])
    keep = lists.map(lambda xs: bool(xs) and all(x in ids for x in xs))
    return df.loc[keep.to_numpy(dtype=bool)].reset_index(drop=True)


def read_meta(dataset: str, raw: Path | None = None) -> dict:
    """The dataset's origin metadata (``data/raw/<dataset>/sources.yml``); ``{}`` if absent
    or unreadable (the report then just says less about its source)."""
    import yaml

    path = Path(raw if raw is not None else config.RAW) / dataset / "sources.yml"
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _about(meta: dict) -> str:
    """A paragraph on the dataset from its metadata: what the ledger holds and its licence."""
    files = meta.get("files") if isinstance(meta.get("files"), dict) else {}
    claims = files.get("claims.csv") if isinstance(files.get("claims.csv"), dict) else {}
    desc = claims.get("description")
    parts = []
    if isinstance(desc, str) and desc.strip():
        parts.append(esc(" ".join(desc.split())))
    if isinstance(meta.get("licence"), str):
        parts.append(f"Licence of the compilation: {esc(meta['licence'])}.")
    return f"<p class=note>{' '.join(parts)}</p>" if parts else ""


def load_tables(
    dataset: str = "syria-2024", known_on=None, processed: Path | str | None = None
) -> ReportTables:
    """Read what a report needs from ``data/processed`` (built by ``make data``).

    Without ``known_on`` the processed Estimates, Daily and Conflicts are used as written by
    ``make data``; with it they are recomputed from the claims published by that day.

    Raises
    ------
    UserError
        When the processed tables are missing or the dataset has no claims by that date.
    """
    from stats import io as sio

    processed = Path(processed) if processed is not None else config.PROCESSED
    all_claims = sio.load("claims", processed)
    try:
        events = sio.load("events", processed)
    except UserError:
        events = None
    everything, _ = restrict(all_claims, None, dataset)
    if everything.empty:
        raise UserError(
            f"{processed}/claims: no claims of dataset {dataset!r} (source_file "
            f"under {dataset}/); known datasets: "
            f"{', '.join(sorted(all_claims['source_file'].str.split('/').str[0].unique()))}"
        )
    claims, events = restrict(all_claims, events, dataset, known_on)
    if claims.empty:
        first = everything["published"].min()
        raise UserError(
            f"--known-on {_iso(known_on)}: no claim of {dataset!r} was published by "
            f"then (the first was published on {_iso(first)})"
        )
    if known_on is None:
        estimates = sio.load("estimates", processed)
        daily = sio.load("daily", processed)
        conflicts = sio.load("conflicts", processed)
        ids = set(claims["claim_id"].astype("str"))
        estimates = _restrict_derived(estimates, ids)
        conflicts = _restrict_derived(conflicts, ids)
        keys = set(_key(_with_subgroup(estimates)))
        daily = _with_subgroup(daily)
        daily = daily.loc[_key(daily).isin(keys).to_numpy()].reset_index(drop=True)
    else:
        estimates, daily, conflicts = derive_tables(claims, known_on=known_on)
    return ReportTables(
        dataset,
        claims,
        estimates,
        daily,
        conflicts,
        events if events is not None else pd.DataFrame(),
        pd.Timestamp(known_on) if known_on is not None else None,
        n_claims_total=len(everything),
        meta=read_meta(dataset),
    )


# ---------------------------------------------------------------------------------------------
# 2. Numbers
# ---------------------------------------------------------------------------------------------
def _metric_order(metrics) -> list[str]:
    present = set(metrics)
    return [m for m in vocab.METRIC_NAMES if m in present] + sorted(
        present - set(vocab.METRIC_NAMES)
    )


def _series_rows(t: ReportTables) -> list[dict]:
    """One dict per series: its latest combined estimate and the claims behind it."""
    est = _with_subgroup(t.estimates)
    if est.empty:
        return []
    _require(est, ESTIMATES_COLUMNS, "Estimates")
    est = est.assign(series_key=_key(est).to_numpy())
    # the claims behind each series: every claim id on any of its rows, any counter
    ids = (
        est[["series_key", "claim_ids"]].assign(claim_id=_ids(est["claim_ids"])).explode("claim_id")
    )
    ids = ids.dropna(subset=["claim_id"]).drop_duplicates(["series_key", "claim_id"])
    c = t.claims[["claim_id", "counted_by", "published", "period_end"]].astype({"claim_id": "str"})
    ids = ids.merge(c, on="claim_id", how="left")
    per = ids.groupby("series_key").agg(
        n_claims=("claim_id", "nunique"),
        n_counters=("counted_by", "nunique"),
        last_published=("published", "max"),
    )
    combined = est[est["counter"] == "combined"]
    # series with no combined rows fall back to their single counter
    lone = est[~est["series_key"].isin(set(combined["series_key"]))]
    latest = pd.concat([combined, lone]).sort_values(["series_key", "date"], kind="stable")
    latest = latest.groupby("series_key", sort=False).tail(1)
    first = (
        est.sort_values("date", kind="stable").groupby("series_key").head(1).set_index("series_key")
    )
    rows = []
    for r in latest.itertuples(index=False):
        k = r.series_key
        p = per.loc[k] if k in per.index else None
        metric = str(r.metric)
        rows.append(
            {
                "metric": metric,
                "metric_label": _metric_label(metric),
                "unit": _unit(metric),
                "kind": str(vocab.METRICS["kind"].get(metric, "flow")),
                "location": None if pd.isna(r.location) else str(r.location),
                "subgroup": None if pd.isna(r.subgroup) else str(r.subgroup),
                "counter": str(r.counter),
                "date": _iso(r.date),
                "first_date": _iso(first.loc[k, "date"]),
                "low": _int(r.low),
                "best": _int(r.best),
                "high": _int(r.high),
                "high_open": bool(pd.isna(r.high)),
                "n_claims": int(p["n_claims"]) if p is not None else 0,
                "n_counters": int(p["n_counters"]) if p is not None else 0,
                "last_published": _iso(p["last_published"]) if p is not None else None,
                "rule": None
                if "combine_rule" not in latest or pd.isna(getattr(r, "combine_rule", None))
                else str(r.combine_rule),
            }
        )
    order = {m: i for i, m in enumerate(_metric_order({r["metric"] for r in rows}))}
    rows.sort(
        key=lambda r: (
            order[r["metric"]],
            r["subgroup"] is not None,
            len(vocab.place_ancestors(r["location"] or "")),
            r["location"] or "",
            r["subgroup"] or "",
        )
    )
    return rows


def _metric_label(metric: str) -> str:
    from stats.plots import metric_label

    return metric_label(metric)


def _unit(metric: str) -> str:
    from stats.plots import metric_unit

    return metric_unit(metric)


def _headline(series: list[dict]) -> list[dict]:
    """Per metric, the series of the broadest place for the whole population."""
    from stats.plots import main_location

    out = []
    for metric in _metric_order({s["metric"] for s in series}):
        cands = [s for s in series if s["metric"] == metric and s["subgroup"] is None]
        if not cands:
            continue
        loc = main_location(pd.DataFrame({"location": [s["location"] for s in cands]}))
        pick = [s for s in cands if s["location"] == loc] or cands
        out.append(pick[0])
    return out


def _ledger_numbers(claims: pd.DataFrame) -> dict[str, dict]:
    c = claims
    value = pd.array(c["value"], dtype="Int64")
    low = pd.array(c["low"], dtype="Int64")
    high = pd.array(c["high"], dtype="Int64")
    return {
        str(i): {"value": _int(v), "low": _int(lo), "high": _int(hi)}
        for i, v, lo, hi in zip(c["claim_id"], value, low, high, strict=True)
    }


def _conflict_numbers(conflicts: pd.DataFrame) -> list[dict]:
    if conflicts is None or conflicts.empty:
        return []
    _require(conflicts, CONFLICTS_COLUMNS, "Conflicts")
    cf = _with_subgroup(conflicts).sort_values(["metric", "date", "conflict_id"], kind="stable")
    return [
        {
            "conflict_id": str(r.conflict_id),
            "kind": str(r.kind),
            "metric": str(r.metric),
            "location": None if pd.isna(r.location) else str(r.location),
            "subgroup": None if pd.isna(r.subgroup) else str(r.subgroup),
            "date": _iso(r.date),
            "claim_ids": [x for x in str(r.claim_ids).split(";") if x],
            "n_claims": len([x for x in str(r.claim_ids).split(";") if x]),
            "detail": None if pd.isna(r.detail) else str(r.detail),
        }
        for r in cf.itertuples(index=False)
    ]


def _methods_numbers() -> dict:
    return {
        "about_band": vocab.ABOUT_BAND,
        "about_band_percent": int(round(vocab.ABOUT_BAND * 100)),
        "vague_terms": [
            {"term": str(t), "low": int(lo), "high": int(hi)}
            for t, lo, hi in vocab.VAGUE_TERMS[["term", "low", "high"]].itertuples(index=False)
        ],
    }


def compute_numbers(t: ReportTables) -> dict:
    """Every number the report prints, as a JSON-ready dict (deterministic: no clock time).

    Keys: ``dataset``, ``known_on`` (ISO date or null), ``as_of`` (the last publication date
    of a claim included), ``totals`` (claims, counters, outlets, series, conflicts, claims
    left out by ``known_on``), ``headline`` (per metric: latest low/best/high of the combined
    estimate at the broadest place, claims and counters behind it, last report date),
    ``series`` (the same for every series), ``conflicts`` (with their claim ids),
    ``conflicts_by_kind``, ``ledger`` (value/low/high of every claim, by id) and ``methods``
    (qualifier-rule constants).

    Examples
    --------
    >>> claims = pd.DataFrame({"claim_id": ["a", "b"], "metric": "killed",
    ...     "location": "Syria", "subgroup": None, "value": pd.array([242, 826], dtype="Int64"),
    ...     "low": pd.array([242, 826], dtype="Int64"), "high": pd.array([242, 826], dtype="Int64"),
    ...     "counted_by": ["SOHR", "SNHR"], "reported_by": "AFP",
    ...     "published": pd.to_datetime(["2024-11-28", "2024-12-02"]),
    ...     "period_end": pd.to_datetime(["2024-11-28", "2024-12-02"])})
    >>> est = pd.DataFrame({"metric": "killed", "location": "Syria", "subgroup": None,
    ...     "counter": "combined", "date": pd.to_datetime(["2024-11-28", "2024-12-02"]),
    ...     "low": [242, 826], "best": [242, 826], "high": [242, 826], "n_claims": [1, 1],
    ...     "n_counters": [1, 1], "claim_ids": ["a", "b"]})
    >>> n = compute_numbers(ReportTables("demo", claims, est, pd.DataFrame(), pd.DataFrame()))
    >>> h = n["headline"][0]
    >>> h["metric"], h["date"], h["best"], h["n_claims"], h["n_counters"]
    ('killed', '2024-12-02', 826, 2, 2)
    """
    claims = t.claims
    series = _series_rows(t)
    conflicts = _conflict_numbers(t.conflicts)
    kinds = pd.Series([c["kind"] for c in conflicts], dtype="object").value_counts()
    reported = claims["reported_by"] if "reported_by" in claims else pd.Series(dtype="object")
    total = t.n_claims_total if t.n_claims_total is not None else len(claims)
    return {
        "version": NUMBERS_VERSION,
        "dataset": t.dataset,
        "known_on": _iso(t.known_on),
        "as_of": _iso(claims["published"].max()) if len(claims) else None,
        "first_period_end": _iso(claims["period_end"].min()) if len(claims) else None,
        "totals": {
            "claims": int(len(claims)),
            "claims_left_out": int(total - len(claims)),
            "counters": int(claims["counted_by"].nunique()),
            "outlets": int(reported.nunique()),
            "metrics": int(claims["metric"].nunique()),
            "series": len(series),
            "conflicts": len(conflicts),
            "events": int(len(t.events)),
        },
        "headline": _headline(series),
        "series": series,
        "conflicts_by_kind": {str(k): int(v) for k, v in sorted(kinds.items())},
        "conflicts": conflicts,
        "ledger": _ledger_numbers(claims),
        "methods": _methods_numbers(),
    }


# ---------------------------------------------------------------------------------------------
# 3. Charts
# ---------------------------------------------------------------------------------------------
@dataclass
class Chart:
    """One chart of the report: an id, a caption (alt text) and the PNG bytes."""

    name: str
    caption: str
    png: bytes


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def render_charts(t: ReportTables, numbers: dict) -> list[Chart]:
    """The report's charts: the overview, then per headline metric (most claims first, up to
    :data:`MAX_SERIES_CHARTS`) the cumulative chart, each counter's figures (when more than
    one counter reported) and the daily increments."""
    from stats import plots

    daily = _with_subgroup(t.daily)
    if daily.empty:
        return []
    _require(daily, DAILY_COLUMNS, "Daily")
    known = numbers["known_on"] or numbers["as_of"]
    claims = t.claims
    styles = plots.counter_styles(claims["counted_by"].dropna())
    charts = [
        Chart(
            "overview",
            "Overview: the combined cumulative estimate of each metric "
            "(broadest place), with its low-high range",
            _png(plots.plot_overview(daily, known_on=known)),
        )
    ]
    heads = sorted(numbers["headline"], key=lambda h: -h["n_claims"])[:MAX_SERIES_CHARTS]
    heads = sorted(
        heads, key=lambda h: [x["metric"] for x in numbers["headline"]].index(h["metric"])
    )
    for h in heads:
        m, loc = h["metric"], h["location"]
        what = f"{h['metric_label']} in {loc}" if loc else h["metric_label"]
        ax = plots.plot_cumulative(
            daily,
            claims,
            t.events,
            metric=m,
            location=loc,
            counter=h["counter"],
            known_on=known,
            styles=styles,
        )
        charts.append(
            Chart(
                f"cumulative-{m}",
                f"{what}: cumulative estimate with the claims behind it and key events",
                _png(ax.figure),
            )
        )
        if h["n_counters"] > 1:
            fig = plots.plot_sources(
                daily, claims, metric=m, location=loc, known_on=known, styles=styles
            )
            charts.append(Chart(f"sources-{m}", f"{what}: each counter's own figures", _png(fig)))
        if h["kind"] == "flow" and m in ("killed", "displaced"):
            ax = plots.plot_daily_new(
                daily, metric=m, location=loc, counter=h["counter"], known_on=known
            )
            charts.append(Chart(f"daily-{m}", f"{what}: new each day", _png(ax.figure)))
    return charts


# ---------------------------------------------------------------------------------------------
# 4. HTML
# ---------------------------------------------------------------------------------------------
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 margin:0 auto;max-width:1060px;padding:1.2rem 1.5rem 4rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2.4rem;border-bottom:2px solid #ddd;
 padding-bottom:.2rem}h3{margin-top:1.6rem}
.sub{color:#555;margin-top:0}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.6rem 0}
th,td{border-bottom:1px solid #e3e3e3;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f5f5f5;position:sticky;top:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.best{font-weight:700}td.d{white-space:nowrap}
figure{margin:1.2rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9rem}
blockquote{margin:.2rem 0;padding:.1rem .6rem;border-left:3px solid #ccc;color:#333}
.en{color:#555;font-style:italic}
.conflict{border:1px solid #e0c080;background:#fffaf0;padding:.5rem .8rem;margin:.8rem 0;
 border-radius:4px}
.kind{display:inline-block;font-size:.8rem;background:#E69F00;color:#000;padding:0 .4rem;
 border-radius:3px;margin-right:.4rem}
.claims td{font-size:.84rem}.claims td.q{width:48%}.claims blockquote{font-size:.84rem}
.wide{overflow-x:auto}
.note{color:#555;font-size:.9rem}
nav a{margin-right:1rem}
code{background:#f3f3f3;padding:0 .2rem}
pre.doc{white-space:pre-wrap;font-size:.85rem;background:#f8f8f8;padding:.6rem .8rem;
 border-left:3px solid #ddd}
"""

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)


def _figure(n: dict | None, claim_id: str) -> str:
    """A claim's figure as printed: the value, else its interval (from numbers.json)."""
    if not n:
        return "–"
    if n["value"] is not None:
        return fmt_count(n["value"])
    if n["low"] is not None and n["high"] is not None:
        return f"{fmt_count(n['low'])}–{fmt_count(n['high'])}"
    if n["low"] is not None:
        return f"≥ {fmt_count(n['low'])}"
    return "–"


def _interval(n: dict | None) -> str:
    if not n or n["low"] is None:
        return "–"
    if n["high"] == n["low"]:
        return fmt_count(n["low"])
    hi = "open" if n["high"] is None else fmt_count(n["high"])
    return f"{fmt_count(n['low'])}–{hi}"


def _link(url: object, text: str = "link") -> str:
    u = safe_url(url)
    if u is None:
        return esc(url) if isinstance(url, str) else ""
    return f'<a href="{esc(u)}" rel="noopener noreferrer">{esc(text)}</a>'


def _quote(row: pd.Series) -> str:
    q = row.get("quote")
    out = f"<blockquote>{esc(q)}</blockquote>" if isinstance(q, str) and q else ""
    en = row.get("quote_en")
    if isinstance(en, str) and en:
        out += f'<div class="en">{esc(en)}</div>'
    return out


def _series_label(s: dict) -> str:
    loc = f" — {esc(s['location'])}" if s["location"] else ""
    sub = f" ({esc(s['subgroup'])})" if s["subgroup"] else ""
    return f"{esc(s['metric_label'])}{sub}{loc}"


def _series_table(rows: list[dict], caption: str) -> str:
    head = (
        "<tr><th>metric</th><th>unit</th><th>as of</th><th class=n>low</th>"
        "<th class=n>best</th><th class=n>high</th><th class=n>counters</th>"
        "<th class=n>claims</th><th>last report published</th></tr>"
    )
    body = []
    for s in rows:
        high = "no upper bound" if s["high_open"] else fmt_count(s["high"])
        body.append(
            f"<tr><td>{_series_label(s)}</td><td>{esc(s['unit'])}</td>"
            f"<td class=d>{fmt_date(s['date'])}</td><td class=n>{fmt_count(s['low'])}</td>"
            f"<td class='n best'>{fmt_count(s['best'])}</td><td class=n>{high}</td>"
            f"<td class=n>{fmt_count(s['n_counters'])}</td>"
            f"<td class=n>{fmt_count(s['n_claims'])}</td>"
            f"<td class=d>{fmt_date(s['last_published'])}</td></tr>"
        )
    return (
        f"<table><caption class=note>{esc(caption)}</caption><thead>{head}</thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _claim_rows(claims: pd.DataFrame, ledger: dict, with_metric: bool = True) -> str:
    out = []
    for _, r in claims.iterrows():
        cid = str(r["claim_id"])
        n = ledger.get(cid)
        metric = (
            f"<td>{esc(_metric_label(str(r['metric'])))}"
            + (f" ({esc(r.get('subgroup'))})" if isinstance(r.get("subgroup"), str) else "")
            + f"<br><span class=note>{esc(r.get('location'))}</span></td>"
            if with_metric
            else ""
        )
        period = fmt_period(r.get("period_start"), r.get("period_end"))
        counter = esc(r.get("counted_by")) or "<i>not named</i>"
        out.append(
            f"<tr id='claim-{esc(cid)}'><td>{esc(cid)}</td>{metric}"
            f"<td><b>{counter}</b><br><span class=note>{esc(r.get('reported_by'))}</span></td>"
            f"<td class=d>{fmt_date(r.get('published'))}<br>"
            f"<span class=note>{period}</span></td>"
            f"<td class=n><b>{_figure(n, cid)}</b><br><span class=note>"
            f"{esc(r.get('qualifier'))}<br>{_interval(n)}</span></td>"
            f"<td class=q>{_quote(r)}</td><td>{_link(r.get('url'))}</td></tr>"
        )
    return "".join(out)


def _claims_table(claims: pd.DataFrame, ledger: dict, cls: str = "") -> str:
    head = (
        "<tr><th>claim</th><th>what, where</th><th>counted by<br>reported by</th>"
        "<th>published<br>period</th><th class=n>figure<br>qualifier, interval</th>"
        "<th>quote</th><th>source</th></tr>"
    )
    return (
        f"<div class=wide><table class='claims {cls}'><thead>{head}</thead><tbody>"
        f"{_claim_rows(claims, ledger)}</tbody></table></div>"
    )


def _methods_html(numbers: dict, daily: pd.DataFrame, estimates: pd.DataFrame) -> str:
    m = numbers["methods"]
    q = vocab.QUALIFIER_RULES
    rows = "".join(
        f"<tr><td>{esc(r.qualifier)}</td><td><code>{esc(r.rule)}</code></td>"
        f"<td>{esc(r.low)}</td><td>{esc(r.high)}</td><td>{esc(r.wordings)}</td>"
        f"<td>{esc(r.description)}</td></tr>"
        for r in q.itertuples(index=False)
    )
    vague = "".join(
        f"<tr><td>{esc(v['term'])}</td><td class=n>{fmt_count(v['low'])}</td>"
        f"<td class=n>{fmt_count(v['high'])}</td></tr>"
        for v in m["vague_terms"]
    )
    comb = estimates[estimates["counter"] == "combined"] if "counter" in estimates else estimates
    rec_rules = (
        sorted(set(comb["combine_rule"].dropna().astype("str"))) if "combine_rule" in comb else []
    )
    methods = sorted(set(daily["method"].dropna().astype("str"))) if "method" in daily else []
    rec_doc = _doc("stats.reconcile")
    rule_docs = _rule_docs(rec_rules)
    int_doc = _doc("stats.interpolate")
    return f"""
<h3>Qualifiers: from a stated figure to an interval</h3>
<p>Each claim's qualifier turns its figure <i>N</i> into an interval [low, high] by the rule
below (the rule's name is in the ledger's <code>rule</code> column). "About" is a band of plus
or minus {m["about_band_percent"]}% around <i>N</i>; an open high means no upper bound.</p>
<table><thead><tr><th>qualifier</th><th>rule</th><th>low</th><th>high</th><th>wordings</th>
<th>meaning</th></tr></thead><tbody>{rows}</tbody></table>
<h3>Vague quantities</h3>
<table style="width:auto"><thead><tr><th>term</th><th class=n>low</th><th class=n>high</th>
</tr></thead><tbody>{vague}</tbody></table>
<h3>Reconciliation</h3>
<p>Rule(s) in force: {", ".join(f"<code>{esc(r)}</code>" for r in rec_rules) or "–"}.</p>
{rule_docs}
{rec_doc}
<h3>Daily series</h3>
<p>Interpolation method(s): {", ".join(f"<code>{esc(x)}</code>" for x in methods) or "–"}.</p>
{int_doc}
"""


def _doc(module: str) -> str:
    """A module's docstring (its statement of the method), as preformatted text; reST roles
    and double backquotes are dropped for reading."""
    import importlib
    import re

    try:
        doc = inspect.getdoc(importlib.import_module(module)) or ""
    except ImportError:
        return ""
    doc = re.sub(r":(?:func|mod|data|class|meth):`~?([^`]+)`", r"\1", doc).replace("``", "")
    return f"<pre class=doc>{esc(doc.strip())}</pre>" if doc else ""


def _rule_docs(rules: list[str]) -> str:
    """Descriptions of the reconciliation rules, from ``stats.reconcile.RULES`` if it exists."""
    try:
        from stats import reconcile as rec
    except ImportError:
        return ""
    table = getattr(rec, "RULES", None)
    if table is None:
        return ""
    items = []
    if isinstance(table, pd.DataFrame):
        name_col = "rule" if "rule" in table else table.columns[0]
        desc_col = "description" if "description" in table else table.columns[-1]
        items = [(str(a), str(b)) for a, b in zip(table[name_col], table[desc_col], strict=True)]
    elif isinstance(table, dict):
        for k, v in table.items():
            text = v if isinstance(v, str) else (inspect.getdoc(v) or "").split("\n\n")[0]
            items.append((str(k), text))
    if not items:
        return ""
    li = "".join(
        f"<li><code>{esc(k)}</code>{' (in force)' if k in rules else ''}: {esc(v)}</li>"
        for k, v in items
    )
    return f"<ul>{li}</ul>"


def render_html(numbers: dict, t: ReportTables, charts: list[Chart]) -> str:
    """The report page. All numbers come from *numbers* (the content of ``numbers.json``);
    the tables provide only text (quotes, names, urls), all of it escaped."""
    n = numbers
    tot = n["totals"]
    known = n["known_on"] or n["as_of"]
    title = f"{n['dataset']}: conflict casualty and displacement figures"
    ledger = n["ledger"]
    claims = t.claims.sort_values(
        ["metric", "period_end", "published", "claim_id"], kind="stable"
    ).reset_index(drop=True)
    by_id = t.claims.set_index(t.claims["claim_id"].astype("str"))

    known_note = (
        f"This report is built as it could have been made on <b>{fmt_date(n['known_on'])}</b>: "
        f"it uses the {fmt_count(tot['claims'])} claims published by then and leaves out "
        f"{fmt_count(tot['claims_left_out'])} published later."
        if n["known_on"]
        else f"All {fmt_count(tot['claims'])} claims in the ledger, the last published on "
        f"{fmt_date(n['as_of'])}."
    )
    figs = "".join(
        f"<figure id='chart-{esc(c.name)}'><img alt='{esc(c.caption)}' "
        f"src='data:image/png;base64,{base64.b64encode(c.png).decode('ascii')}'>"
        f"<figcaption>{esc(c.caption)}</figcaption></figure>"
        for c in charts
    )
    conflicts = []
    for c in n["conflicts"]:
        ids = [i for i in c["claim_ids"] if i in by_id.index]
        rows = by_id.loc[ids].reset_index(drop=True) if ids else t.claims.iloc[0:0]
        detail = esc(c.get("detail"))
        where = f" — {esc(c['location'])}" if c["location"] else ""
        conflicts.append(
            f"<div class=conflict id='conflict-{esc(c['conflict_id'])}'>"
            f"<p><span class=kind>{esc(c['kind'].replace('_', ' '))}</span>"
            f"<b>{esc(_metric_label(c['metric']))}{where}</b>, {fmt_date(c['date'])}: "
            f"{detail} <span class=note>({fmt_count(c['n_claims'])} claims)</span></p>"
            f"{_claims_table(rows, ledger)}</div>"
        )
    kinds = ", ".join(
        f"{esc(k.replace('_', ' '))}: {fmt_count(v)}" for k, v in n["conflicts_by_kind"].items()
    )
    others = [s for s in n["series"] if s not in n["headline"]]
    events = ""
    if len(t.events):
        ev = t.events.sort_values("date", kind="stable")
        events = (
            "<ol>"
            + "".join(
                f"<li>{fmt_date(r.date)}: {esc(r.event)}"
                + (
                    f" ({_link(getattr(r, 'url', None), str(getattr(r, 'source', None) or 'source'))})"
                    if safe_url(getattr(r, "url", None))
                    else ""
                )
                + "</li>"
                for r in ev.itertuples(index=False)
            )
            + "</ol>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} (as known on {fmt_date(known)})</title>
<style>{CSS}</style></head>
<body>
<h1>{esc(title)}</h1>
<p class=sub>As known on {fmt_date(known)} · {fmt_count(tot["claims"])} claims from
{fmt_count(tot["counters"])} counters, reported by {fmt_count(tot["outlets"])} outlets ·
{fmt_count(tot["conflicts"])} conflicts between figures</p>
<nav><a href="#headline">Headline</a><a href="#charts">Charts</a><a href="#conflicts">Conflicts</a>
<a href="#ledger">Ledger</a><a href="#methods">Methods</a></nav>
<p class=note>{known_note} Every figure below traces back to the claims in the ledger; the
numbers are also in <code>numbers.json</code> next to this page. Missing figures are shown as
"–", never as zero.</p>
{_about(t.meta)}
<h2 id="headline">Headline figures</h2>
<p class=note>Latest reconciled estimate across counters, per metric, for the broadest place
reported and the whole population. "low" and "high" bound what the evidence allows; "best" is
the reconciled middle.</p>
{_series_table(n["headline"], "Per metric: the latest combined estimate")}
<details><summary>All {fmt_count(len(n["series"]))} series (places and subgroups)</summary>
{_series_table(others, "Every other series (place, subgroup)")}</details>

<h2 id="charts">Charts</h2>
{figs or "<p>No daily series to chart.</p>"}
<h3>Key events</h3>{events or "<p>–</p>"}

<h2 id="conflicts">Conflicts between figures</h2>
<p class=note>Evidence that cannot all hold at once, kept visible rather than averaged away
({kinds or "none"}).</p>
{"".join(conflicts) or "<p>No conflicts found.</p>"}

<h2 id="ledger">The claim ledger</h2>
<p class=note>Every figure as published: who counted it, who reported it, when, the qualifier,
the interval the qualifier implies, and the verbatim quote (with an English translation where the
original is in another language).</p>
{_claims_table(claims, ledger, cls="ledger")}

<h2 id="methods">Methods</h2>
{_methods_html(n, t.daily, t.estimates)}
<p class=note>Generated by <code>python -m stats report</code> (stats {esc(_version())}).</p>
</body></html>
"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("stats")
    except PackageNotFoundError:
        return "unknown"


# ---------------------------------------------------------------------------------------------
# 5. Build
# ---------------------------------------------------------------------------------------------
def _json_default(o):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def numbers_json(numbers: dict) -> str:
    """``numbers.json`` text: sorted keys, two-space indent, a final newline."""
    return (
        json.dumps(numbers, indent=2, ensure_ascii=False, sort_keys=True, default=_json_default)
        + "\n"
    )


def build_report(
    dataset: str = "syria-2024",
    known_on=None,
    out: Path | str | None = None,
    processed: Path | str | None = None,
    tables: ReportTables | None = None,
) -> Path:
    """Write ``<out>/<dataset>/index.html``, ``numbers.json`` and ``charts/*.png``; return the
    path of ``index.html``. ``out`` defaults to ``reports/``; with ``known_on`` the folder is
    ``<dataset>-as-known-on-<DATE>`` so the full report is not overwritten.

    The page is rendered from ``numbers.json`` as read back from disk, so what the page prints
    is exactly what the file holds.
    """
    known = pd.Timestamp(known_on) if known_on is not None else None
    t = tables if tables is not None else load_tables(dataset, known, processed)
    if tables is not None and known is not None and t.known_on is None:
        t = replace(t, known_on=known)
    out = Path(out) if out is not None else config.REPORTS
    folder = out / (dataset if known is None else f"{dataset}-as-known-on-{known:%Y-%m-%d}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "numbers.json").write_text(numbers_json(compute_numbers(t)), encoding="utf-8")
    numbers = json.loads((folder / "numbers.json").read_text(encoding="utf-8"))
    charts = render_charts(t, numbers)
    (folder / "charts").mkdir(exist_ok=True)
    for old in (folder / "charts").glob("*.png"):
        old.unlink()
    for c in charts:
        (folder / "charts" / f"{c.name}.png").write_bytes(c.png)
    page = folder / "index.html"
    page.write_text(render_html(numbers, t, charts), encoding="utf-8")
    return page
