"""The report page as HTML, from the Jinja2 template ``templates/report.html.j2``.

:func:`render_html` fills the template from ``numbers.json`` (every number the page prints)
and the text of the tables (quotes, names, urls). Autoescape escapes every value from data;
links are made only for ``http``/``https`` urls (:func:`safe_url`); the page carries a
Content-Security-Policy (:data:`CSP`) that forbids scripts and any network request, and its
charts are embedded as ``data:`` URIs, so the page is self-contained.

Each claim's marker on a chart is a link to the claim's row of the ledger table
(``#claim-<id>``) with the claim's counter, outlet, date, qualifier and quote as its hover
text: an inline SVG laid over the chart image, with one ``<a>`` per marker wrapping a
transparent circle and its ``<title>`` (native tooltips, keyboard focus, no script).
"""

from __future__ import annotations

import base64
import importlib
import inspect
import re
from functools import cache
from urllib.parse import quote, urlsplit

import jinja2
import pandas as pd
from markupsafe import Markup

from stats import vocab

#: The page's Content-Security-Policy: no script, no network; images only as data: URIs.
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)


# ---------------------------------------------------------------------------------------------
# Formats (the template's filters)
# ---------------------------------------------------------------------------------------------
def _missing(x: object) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


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


def fmt_count(n: object) -> str:
    """A count with thousands separators; missing is shown as an en dash, never as zero.

    Examples
    --------
    >>> fmt_count(115000), fmt_count(None)
    ('115,000', '–')
    """
    return "–" if _missing(n) else f"{int(n):,}"


def fmt_date(d: object) -> str:
    """``27 Nov 2024`` from an ISO date string or a timestamp; missing as an en dash.

    Examples
    --------
    >>> fmt_date("2024-11-27")
    '27 Nov 2024'
    """
    return "–" if _missing(d) else f"{pd.Timestamp(d):%d %b %Y}"


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
    if _missing(start):
        return fmt_date(end)
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s == e:
        return fmt_date(e)
    head = f"{s:%d %b}" if s.year == e.year else f"{s:%d %b %Y}"
    return f"{head}–{e:%d %b %Y}"


def fmt_figure(n: dict | None) -> str:
    """A claim's figure as printed (from its ``numbers.json`` entry): the value, else its
    interval.

    Examples
    --------
    >>> fmt_figure({"value": None, "low": 20000, "high": 99999})
    '20,000–99,999'
    """
    if not n:
        return "–"
    if n["value"] is not None:
        return fmt_count(n["value"])
    if n["low"] is not None and n["high"] is not None:
        return f"{fmt_count(n['low'])}–{fmt_count(n['high'])}"
    if n["low"] is not None:
        return f"≥ {fmt_count(n['low'])}"
    return "–"


def fmt_interval(n: dict | None) -> str:
    """A claim's interval as printed: ``low–high``, ``low–open``, one number when they agree.

    Examples
    --------
    >>> fmt_interval({"low": 413, "high": None}), fmt_interval({"low": 826, "high": 826})
    ('413–open', '826')
    """
    if not n or n["low"] is None:
        return "–"
    if n["high"] == n["low"]:
        return fmt_count(n["low"])
    hi = "open" if n["high"] is None else fmt_count(n["high"])
    return f"{fmt_count(n['low'])}–{hi}"


def eventual_title(e: dict) -> str:
    """The heading of the eventual-toll column: ``expected eventual toll, 90% interval``.

    Examples
    --------
    >>> eventual_title({"level": 0.9})
    'expected eventual toll, 90% interval (best)'
    """
    level = e.get("level")
    return "expected eventual toll" + (f", {level:.0%} interval" if level else "") + " (best)"


def claim_anchor(claim_id: object) -> str:
    """The ``id`` of a claim's row in the ledger table, ``claim-<claim_id>``, and (with a
    leading ``#``, percent-encoded) the link to it.

    Examples
    --------
    >>> claim_anchor("D001"), "#" + quote(claim_anchor("a b"), safe="")
    ('claim-D001', '#claim-a%20b')
    """
    return f"claim-{claim_id}"


def mark_title(c: dict) -> str:
    """The hover text of a claim's marker on a chart (a row of :func:`_claim_rows`): who
    counted it, the outlet, the date, the qualifier with the figure, and the quote.

    Examples
    --------
    >>> mark_title({"claim_id": "b2", "metric_label": "Killed", "qualifier": "exact",
    ...     "figure": "242", "period": "28 Nov 2024"}).splitlines()[0]
    'Killed: 242 (exact) (claim b2)'
    >>> print(mark_title({"claim_id": "a1", "metric_label": "Killed", "counted_by": "SOHR",
    ...     "reported_by": "AFP", "published": "2024-12-02", "period": "02 Dec 2024",
    ...     "qualifier": "at_least", "figure": "826", "quote": "At least 826 killed."}))
    Killed: at least 826 (claim a1)
    counted by SOHR · reported by AFP · published 02 Dec 2024 · period 02 Dec 2024
    “At least 826 killed.”
    """
    qual = (c.get("qualifier") or "").replace("_", " ")
    figure = (
        f"{c['figure']} ({qual})" if qual in ("exact", "range", "") else f"{qual} {c['figure']}"
    )
    lines = [
        f"{c['metric_label']}: {figure.removesuffix(' ()')} (claim {c['claim_id']})",
        f"counted by {c.get('counted_by') or 'not named'} · reported by "
        f"{c.get('reported_by') or 'not named'} · published {fmt_date(c.get('published'))}"
        f" · period {c['period']}",
    ]
    if c.get("quote"):
        lines.append(f"“{c['quote']}”")
    if c.get("quote_en"):
        lines.append(f"(English: {c['quote_en']})")
    return "\n".join(lines)


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report's templates: autoescape on, missing values
    printed as nothing, the formats above as filters."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("stats.outputs", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=lambda x: "" if _missing(x) else x,
    )
    env.filters.update(
        count=fmt_count,
        day=fmt_date,
        safe_url=safe_url,
        eventual_title=eventual_title,
        anchor=claim_anchor,
        href=lambda i: "#" + quote(claim_anchor(i), safe=""),
        base64=lambda b: base64.b64encode(b).decode("ascii"),
    )
    return env


# ---------------------------------------------------------------------------------------------
# Template data
# ---------------------------------------------------------------------------------------------
def _text(x: object) -> str | None:
    return None if _missing(x) else str(x)


def doc_text(module: str) -> str:
    """A module's docstring (its statement of the method) for reading: reST roles and double
    backquotes dropped."""
    doc = inspect.getdoc(importlib.import_module(module)) or ""
    return (
        re.sub(r":(?:func|mod|data|class|meth):`~?([^`]+)`", r"\1", doc).replace("``", "").strip()
    )


def _claim_rows(claims: pd.DataFrame, ledger: dict, label) -> list[dict]:
    """One dict per claim: its text and, from ``numbers.json``, its figure and interval."""
    rows = []
    for r in claims.to_dict("records"):
        n = ledger.get(str(r["claim_id"]))
        rows.append(
            {
                "claim_id": str(r["claim_id"]),
                "metric_label": label(str(r["metric"])),
                **{
                    k: _text(r.get(k))
                    for k in ("subgroup", "location", "counted_by", "reported_by", "qualifier")
                },
                **{k: _text(r.get(k)) for k in ("quote", "quote_en", "url")},
                "published": r.get("published"),
                "period": fmt_period(r.get("period_start"), r.get("period_end")),
                "figure": fmt_figure(n),
                "interval": fmt_interval(n),
            }
        )
    return rows


def _about(meta: dict) -> list[str]:
    """Sentences on the dataset from its origin metadata: what the ledger holds, its licence."""
    files = meta.get("files") if isinstance(meta.get("files"), dict) else {}
    claims = files.get("claims.csv") if isinstance(files.get("claims.csv"), dict) else {}
    desc = claims.get("description")
    parts = []
    if isinstance(desc, str) and desc.strip():
        parts.append(" ".join(desc.split()))
    if isinstance(meta.get("licence"), str):
        parts.append(f"Licence of the compilation: {meta['licence']}.")
    return parts


def chart_data(charts: list, ledger: list[dict]) -> list[dict]:
    """The charts as the template shows them: each claim mark with the hover text of its
    claim (:func:`mark_title`); marks of claims not in the ledger are left out."""
    rows = {c["claim_id"]: c for c in ledger}
    return [
        {
            "name": c.name,
            "caption": c.caption,
            "png": c.png,
            "width": c.width,
            "height": c.height,
            "marks": [
                {**m, "title": mark_title(rows[m["claim_id"]])}
                for m in c.marks
                if m["claim_id"] in rows
            ],
        }
        for c in charts
    ]


def page_data(numbers: dict, t, charts: list) -> dict:
    """Everything the template prints: the numbers as read back from ``numbers.json``, the
    text of the tables (*t*, a :class:`stats.report.ReportTables`), the charts, and the
    methods (the qualifier table, the rules and the modules' statements of their method)."""
    from stats.plots import metric_label as label
    from stats.reconcile import RULES

    n = numbers
    by_id = t.claims.set_index(t.claims["claim_id"].astype("str"))
    ledger = t.claims.sort_values(
        ["metric", "period_end", "published", "claim_id"], kind="stable"
    ).reset_index(drop=True)
    conflicts = []
    for c in n["conflicts"]:
        ids = [i for i in c["claim_ids"] if i in by_id.index]
        rows = by_id.loc[ids].reset_index(drop=True) if ids else t.claims.iloc[0:0]
        conflicts.append(
            {
                **c,
                "metric_label": label(c["metric"]),
                "claims": _claim_rows(rows, n["ledger"], label),
            }
        )
    ledger_rows = _claim_rows(ledger, n["ledger"], label)
    comb = t.estimates[t.estimates["counter"] == "combined"]
    events = t.events.sort_values("date", kind="stable") if len(t.events) else t.events
    return {
        "n": n,
        "tot": n["totals"],
        "title": f"{n['dataset']}: conflict casualty and displacement figures",
        "known": n["known_on"] or n["as_of"],
        "csp": Markup(CSP),
        "about": _about(t.meta),
        "others": [s for s in n["series"] if s not in n["headline"]],
        "charts": chart_data(charts, ledger_rows),
        "events": [
            {k: _text(v) if k != "date" else v for k, v in e.items()}
            for e in events.to_dict("records")
        ],
        "conflicts": conflicts,
        "ledger": ledger_rows,
        "qualifier_rules": vocab.QUALIFIER_RULES.to_dict("records"),
        "rules_in_force": sorted(set(comb["combine_rule"].dropna().astype("str"))),
        "rules": list(RULES.items()),
        "reconcile_doc": doc_text("stats.reconcile"),
        "methods": sorted(set(t.daily["method"].dropna().astype("str")))
        if "method" in t.daily
        else [],
        "interpolate_doc": doc_text("stats.interpolate"),
        "version": _version(),
    }


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("stats")
    except PackageNotFoundError:
        return "unknown"


def render_html(numbers: dict, t, charts: list) -> str:
    """The report page. All numbers come from *numbers* (the content of ``numbers.json``);
    the tables provide only text (quotes, names, urls), all of it escaped."""
    return environment().get_template("report.html.j2").render(page_data(numbers, t, charts))
