"""The HTML report: ``reports/<dataset>/index.html``, ``numbers.json`` and the chart PNGs.

What the analyst hands to an editor or a coordinator: a headline table per metric, the charts,
the conflicts with the claims and quotes behind them, the full claim ledger, and the methods,
generated from the code. Every number the page prints is read from ``numbers.json`` (computed
once, by :func:`compute_numbers`), never typed into prose; a test recomputes them.

Steps, each a function:

1. :func:`load_tables` (disk) -- the processed ledger, events and derived tables of a dataset
   (``data/processed/<dataset>/``); with ``known_on`` the derived tables written for that day
   by ``python -m stats data --known-on`` (the report never reruns the pipeline);
2. :func:`compute_numbers` (pure) -- every number of the report, as a JSON-ready dict;
3. :func:`render_charts` (pure) -- the PNG charts, as bytes;
4. :func:`render_html` (pure; :mod:`stats.outputs.html`) -- the page, from the Jinja2
   template ``stats/outputs/templates/report.html.j2``, the numbers, the text of the ledger
   and the charts (embedded as base64 ``data:`` URIs: the page needs no network);
5. :func:`build_report` (disk) -- all of the above, written under ``reports/<dataset>/``.

Safety: every text that comes from data (quotes, names, urls, event labels) is escaped by the
template's autoescape; links are made only for ``http``/``https`` urls; the page carries a
Content-Security-Policy that forbids scripts and any network request.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from stats import config, disk, vocab
from stats.contract import (
    CONFLICTS_COLUMNS,
    DAILY_COLUMNS,
    DAILY_OPTIONAL_COLUMNS,
    ESTIMATES_COLUMNS,
    require_columns,
)
from stats.datasets import known_on_folder, processed_datasets, processed_folder
from stats.errors import UserError
from stats.outputs.html import CSP, fmt_count, fmt_date, fmt_period, render_html, safe_url

__all__ = [
    "CSP",
    "ReportTables",
    "build_report",
    "compute_numbers",
    "fmt_count",
    "fmt_date",
    "fmt_period",
    "load_tables",
    "numbers_json",
    "read_meta",
    "render_charts",
    "render_html",
    "restrict",
    "safe_url",
]

#: Version of the layout of ``numbers.json``.
NUMBERS_VERSION = 1
#: Charts are drawn at this resolution (dots per inch) and shown at their natural size.
DPI = 100
#: Most cumulative / sources charts drawn (one per headline metric, most-claimed first).
MAX_SERIES_CHARTS = 6
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
    #: The review queue's counts (:func:`review_numbers`), if the build recorded them.
    review: dict | None = None
    #: What changed since the previous build (:func:`stats.diff.what_changed`), if kept.
    changes: dict | None = None


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------
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


def _with_subgroup(df: pd.DataFrame) -> pd.DataFrame:
    if "subgroup" not in df:
        df = df.assign(subgroup=pd.Series(pd.NA, index=df.index, dtype="object"))
    return df


# ---------------------------------------------------------------------------------------------
# 1. Tables
# ---------------------------------------------------------------------------------------------
def restrict(
    claims: pd.DataFrame, events: pd.DataFrame | None, known_on=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Claims published on or before ``known_on``, and the events up to that day (all of
    them without ``known_on``). Does not mutate the inputs.

    Examples
    --------
    >>> c = pd.DataFrame({"published": pd.to_datetime(["2024-12-01", "2024-12-09"])})
    >>> len(restrict(c, None)[0]), len(restrict(c, None, "2024-12-05")[0])
    (2, 1)
    """
    keep = pd.Series(True, index=claims.index)
    if known_on is not None:
        keep &= claims["published"] <= pd.Timestamp(known_on)
    ev = events if events is not None else pd.DataFrame(columns=["dataset", "date", "event"])
    ekeep = pd.Series(True, index=ev.index)
    if known_on is not None and len(ev):
        ekeep &= ev["date"] <= pd.Timestamp(known_on)
    return claims.loc[keep].reset_index(drop=True), ev.loc[ekeep].reset_index(drop=True)


def read_meta(dataset: str, raw: Path | None = None) -> dict:
    """The dataset's origin metadata (``data/raw/<dataset>/sources.yml``); ``{}`` if absent
    or unreadable (the report then just says less about its source)."""
    import yaml

    path = Path(raw if raw is not None else config.RAW) / dataset / "sources.yml"
    try:
        meta = disk.read_yaml(path)
    except (OSError, yaml.YAMLError):
        return {}
    return meta if isinstance(meta, dict) else {}


def review_numbers(folder: Path) -> dict | None:
    """The review queue of a build (``build.json``): candidates, ``pending`` (waiting for
    review), accepted, corrected, rejected, and ``unreviewed_included`` (pending candidates
    let into this build's estimates by ``--include-unreviewed``; 0 otherwise)."""
    from stats.builds import RECORD, read_record

    if not (folder / RECORD).is_file():
        return None
    counts = read_record(folder).get("counts", {})
    return {**counts.get("review", {}), "unreviewed_included": counts.get("unreviewed_included", 0)}


def load_tables(
    dataset: str | None = None,
    known_on=None,
    processed: Path | str | None = None,
    include_unreviewed: bool = False,
) -> ReportTables:
    """Read what a report needs from ``data/processed/<dataset>/`` (built by ``make data``);
    the report never reruns the pipeline.

    Without ``known_on`` the dataset's Estimates, Daily and Conflicts are used as written by
    ``make data``; with it, those written for that day by ``python -m stats data --known-on``
    (``as-known-on-YYYY-MM-DD/``), with the claims and events published by then. With
    ``include_unreviewed`` the tables of ``python -m stats data --include-unreviewed``
    (``with-unreviewed/``: the candidates no analyst has reviewed let in, marked as such).

    Raises
    ------
    UserError
        When the processed tables are missing or the dataset has no claims by that date.
    """

    folder = processed_folder(dataset, processed)
    dataset = folder.name
    if not folder.is_dir():
        built = processed_datasets(folder.parent)
        raise UserError(
            f"{folder}: no processed tables of dataset {dataset!r}; run `make data` first"
            + (f" (built: {', '.join(built)})" if built else "")
        )
    from stats.diff import what_changed
    from stats.pipeline import UNREVIEWED_FOLDER

    reviewed = folder
    if include_unreviewed:
        if known_on is not None:
            raise UserError("--include-unreviewed and --known-on: choose one")
        folder = folder / UNREVIEWED_FOLDER
        if not folder.is_dir():
            raise UserError(
                f"{folder}: not built; run `python -m stats data --include-unreviewed` first"
            )
    everything = disk.load("claims", folder)
    claims, events = restrict(everything, disk.load("events", folder), known_on)
    if everything.empty:
        raise UserError(
            f"{folder}: the ledger of {dataset!r} has no claims yet: add figures to "
            f"data/raw/{dataset}/claims.csv, or report text to texts/ and review it "
            f"(`python -m stats review {dataset}`), then `make data`"
        )
    if claims.empty:
        raise UserError(
            f"--known-on {_iso(known_on)}: no claim of {dataset!r} was published by "
            f"then (the first was published on {_iso(everything['published'].min())})"
        )
    derived = folder if known_on is None else known_on_folder(folder, known_on)
    if not derived.is_dir():
        raise UserError(
            f"{derived}: the tables as known on {_iso(known_on)} are not built; run "
            f"`python -m stats data --known-on {_iso(known_on)}` first "
            f"(or `make report KNOWN_ON={_iso(known_on)}`)"
        )
    return ReportTables(
        dataset,
        claims,
        *(disk.load(name, derived) for name in ("estimates", "daily", "conflicts")),
        events,
        pd.Timestamp(known_on) if known_on is not None else None,
        n_claims_total=len(everything),
        meta=read_meta(dataset),
        review=review_numbers(folder),
        changes=what_changed(reviewed) if known_on is None else None,
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
    require_columns(est, ESTIMATES_COLUMNS, "Estimates")
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


def _with_eventual(series: list[dict], daily: pd.DataFrame) -> list[dict]:
    """Each series row with ``eventual``: the interval for the toll the counters will
    eventually document on the row's day (Daily ``est_low``, ``est_best``, ``est_high`` at
    coverage ``level``), where the Daily table has those columns; the rows unchanged if not."""
    if not set(DAILY_OPTIONAL_COLUMNS) <= set(daily.columns):
        return series
    d = _with_subgroup(daily)
    keys = zip(_key(d), d["counter"].astype("str"), d["date"].map(_iso), strict=True)
    found = dict(zip(keys, d[list(DAILY_OPTIONAL_COLUMNS)].itertuples(index=False), strict=True))
    for s in series:
        key = "|".join(s[c] or "" for c in SERIES)
        e = found.get((key, s["counter"], s["date"]))
        if e is not None and not pd.isna(e.est_low):
            s["eventual"] = {
                "low": _int(e.est_low),
                "best": _int(e.est_best),
                "high": _int(e.est_high),
                "level": None if pd.isna(e.level) else float(e.level),
            }
    return series


def _metric_label(metric: str) -> str:
    from stats.plots import metric_label

    return metric_label(metric)


def _unit(metric: str) -> str:
    from stats.plots import metric_unit

    return metric_unit(metric)


def _headline(series: list[dict]) -> list[dict]:
    """Per metric, the series of the whole population at the broadest place
    (:func:`stats.plots.main_location`) when that place contains every other place of the
    vocabulary reported for the metric; when none does (sibling cities, two countries: Goma
    and Bukavu, Rwanda and Burundi), at the place with the most claims."""
    from stats.plots import main_location

    out = []
    for metric in _metric_order({s["metric"] for s in series}):
        cands = [s for s in series if s["metric"] == metric and s["subgroup"] is None]
        if not cands:
            continue
        loc = main_location(pd.DataFrame({"location": [s["location"] for s in cands]}))
        known = {s["location"] for s in cands} & set(vocab.PLACES["name"])
        if loc is not None and known <= {loc, *vocab.place_descendants(loc)}:
            out.append(next(s for s in cands if s["location"] == loc))
        else:
            out.append(max(cands, key=lambda s: (s["n_claims"], s["location"] == loc)))
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
    require_columns(conflicts, CONFLICTS_COLUMNS, "Conflicts")
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
    estimate at the broadest place, claims and counters behind it, last report date, and
    ``eventual`` -- the interval for the toll the counters will eventually document -- where
    the Daily table has one),
    ``series`` (the same for every series), ``conflicts`` (with their claim ids),
    ``conflicts_by_kind``, ``ledger`` (value/low/high of every claim, by id), ``methods``
    (qualifier-rule constants), ``review`` (the review queue: ``pending`` candidates wait;
    ``unreviewed_included`` of them are in these estimates; null when not recorded) and
    ``what_changed`` (:func:`stats.diff.what_changed`; null without a previous build).

    Examples
    --------
    >>> claims = pd.DataFrame({"claim_id": ["a", "b"], "metric": "killed",
    ...     "location": "Goma", "subgroup": None, "value": pd.array([242, 826], dtype="Int64"),
    ...     "low": pd.array([242, 826], dtype="Int64"), "high": pd.array([242, 826], dtype="Int64"),
    ...     "counted_by": ["SOHR", "SNHR"], "reported_by": "AFP",
    ...     "published": pd.to_datetime(["2024-11-28", "2024-12-02"]),
    ...     "period_end": pd.to_datetime(["2024-11-28", "2024-12-02"])})
    >>> est = pd.DataFrame({"metric": "killed", "location": "Goma", "subgroup": None,
    ...     "counter": "combined", "date": pd.to_datetime(["2024-11-28", "2024-12-02"]),
    ...     "low": [242, 826], "best": [242, 826], "high": [242, 826], "n_claims": [1, 1],
    ...     "n_outlets": [1, 1], "n_counters": [1, 1], "claim_ids": ["a", "b"],
    ...     "combine_rule": "conservative", "kind": "flow",
    ...     "series_start": pd.Timestamp("2024-11-27"), "counters": None})
    >>> n = compute_numbers(ReportTables("demo", claims, est, pd.DataFrame(), pd.DataFrame()))
    >>> h = n["headline"][0]
    >>> h["metric"], h["date"], h["best"], h["n_claims"], h["n_counters"]
    ('killed', '2024-12-02', 826, 2, 2)
    """
    claims = t.claims
    series = _with_eventual(_series_rows(t), t.daily)
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
        "review": t.review,
        "what_changed": t.changes,
    }


# ---------------------------------------------------------------------------------------------
# 3. Charts
# ---------------------------------------------------------------------------------------------
@dataclass
class Chart:
    """One chart of the report: an id, a caption (alt text), the PNG bytes, its size in
    pixels, and where each claim's marker is on it (:func:`stats.plots.claim_marks`: the
    page links each to the claim's row of the ledger)."""

    name: str
    caption: str
    png: bytes
    width: int = 0
    height: int = 0
    marks: list[dict] = field(default_factory=list)


def _chart(name: str, caption: str, fig) -> Chart:
    """Save *fig* as PNG (at :data:`DPI`) and read where its claims' markers fell."""
    from stats.plots import claim_marks

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    marks = claim_marks(fig, DPI).round({"x": 1, "y": 1, "r": 1})
    w, h = (round(v * DPI / fig.dpi) for v in fig.bbox.size)
    return Chart(name, caption, buf.getvalue(), w, h, marks.to_dict("records"))


def charted_series(numbers: dict) -> list[dict]:
    """The series charted one by one: per headline metric, its whole-population series with
    the most claims (the headline's place on a tie: the broadest place may hold one claim
    while a city holds most), for the :data:`MAX_SERIES_CHARTS` metrics with most claims,
    in the headline's order."""
    order = [h["metric"] for h in numbers["headline"]]
    picks = []
    for h in numbers["headline"]:
        same = [s for s in numbers["series"] if s["metric"] == h["metric"] and not s["subgroup"]]
        picks.append(max(same or [h], key=lambda s: (s["n_claims"], s is h)))
    top = sorted(picks, key=lambda s: -s["n_claims"])[:MAX_SERIES_CHARTS]
    return sorted(top, key=lambda s: order.index(s["metric"]))


def render_charts(t: ReportTables, numbers: dict) -> list[Chart]:
    """The report's charts: the overview, then per charted series (:func:`charted_series`)
    the cumulative chart, each counter's figures (when more than one counter reported) and
    the daily increments."""
    from stats import plots

    daily = _with_subgroup(t.daily)
    if daily.empty:
        return []
    require_columns(daily, DAILY_COLUMNS, "Daily")
    known = numbers["known_on"] or numbers["as_of"]
    claims = t.claims
    styles = plots.counter_styles(claims["counted_by"].dropna())
    charts = [
        _chart(
            "overview",
            "Overview: the combined cumulative estimate of each metric "
            "(broadest place), with its low-high range",
            plots.plot_overview(daily, known_on=known),
        )
    ]
    for h in charted_series(numbers):
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
            _chart(
                f"cumulative-{m}",
                f"{what}: cumulative estimate with the claims behind it and key events",
                ax.figure,
            )
        )
        if h["n_counters"] > 1:
            fig = plots.plot_sources(
                daily, claims, metric=m, location=loc, known_on=known, styles=styles
            )
            charts.append(_chart(f"sources-{m}", f"{what}: each counter's own figures", fig))
        if h["kind"] == "flow" and m in ("killed", "displaced"):
            ax = plots.plot_daily_new(
                daily, metric=m, location=loc, counter=h["counter"], known_on=known
            )
            charts.append(_chart(f"daily-{m}", f"{what}: new each day", ax.figure))
    return charts


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
    dataset: str | None = None,
    known_on=None,
    out: Path | str | None = None,
    processed: Path | str | None = None,
    tables: ReportTables | None = None,
    include_unreviewed: bool = False,
) -> Path:
    """Write ``<out>/<dataset>/index.html``, ``numbers.json`` and ``charts/*.png``; return the
    path of ``index.html``. ``out`` defaults to ``reports/``; with ``known_on`` the folder is
    ``<dataset>-as-known-on-<DATE>`` so the full report is not overwritten, with
    ``include_unreviewed`` ``<dataset>-with-unreviewed``.

    The page is rendered from ``numbers.json`` as read back from disk, so what the page prints
    is exactly what the file holds. The three replace the previous report together
    (:func:`stats.disk.staged_folder`): a failed or interrupted build leaves it as it was.
    """
    known = pd.Timestamp(known_on) if known_on is not None else None
    t = tables if tables is not None else load_tables(dataset, known, processed, include_unreviewed)
    if tables is not None and known is not None and t.known_on is None:
        t = replace(t, known_on=known)
    out = Path(out) if out is not None else config.REPORTS
    folder = out / (t.dataset if known is None else f"{t.dataset}-as-known-on-{known:%Y-%m-%d}")
    if include_unreviewed:
        folder = out / f"{t.dataset}-with-unreviewed"
    # the page, its numbers and its charts replace the previous report together, or not at all
    with disk.staged_folder(folder) as stage:
        disk.write_text(numbers_json(compute_numbers(t)), stage / "numbers.json")
        numbers = json.loads((stage / "numbers.json").read_text(encoding="utf-8"))
        charts = render_charts(t, numbers)
        (stage / "charts").mkdir()  # replaces the previous charts, even with none to draw
        for c in charts:
            disk.write_bytes(c.png, stage / "charts" / f"{c.name}.png")
        disk.write_text(render_html(numbers, t, charts), stage / "index.html")
    return folder.resolve() / "index.html"
