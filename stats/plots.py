"""Charts of claims and daily estimates (matplotlib, no display needed).

Every function takes the contract tables (``Daily``, ``Claims``, ``Events``) and an optional
``ax`` (or returns a new :class:`~matplotlib.figure.Figure` for multi-panel charts), and
never calls ``show``. Titles carry the metric, the place and "as known on DATE"; the y axis
carries the unit with thousands separators; colours come from the Okabe-Ito palette, which
stays distinguishable under the common forms of colour blindness, and every counter also has
its own marker shape, so nothing depends on colour alone.

Figures are made with :class:`matplotlib.figure.Figure`, not :mod:`matplotlib.pyplot`: no
display or GUI backend is needed (charts render headless), the global backend is left as the
user set it (inline in a notebook), and no figure is kept alive by pyplot's registry.

* :func:`plot_cumulative` -- the best line inside the low-high band, each claim as a marker,
  nowcast days distinct, key events as labelled vertical lines;
* :func:`plot_daily_new` -- daily increments with their intervals;
* :func:`plot_sources` -- each counter's own figures, one panel each on a shared scale;
* :func:`plot_overview` -- small multiples, one panel per metric.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from stats import vocab
from stats.contract import require_columns
from stats.errors import UserError

#: Okabe & Ito (2008) colour-blind-safe palette, black first (kept for the combined estimate).
OKABE_ITO: tuple[str, ...] = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
#: Colours given to counters, in order (yellow last: it is faint on white).
COUNTER_COLOURS: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
)
#: Marker shapes given to counters, in order (cycled together with the colours).
COUNTER_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">")
#: Colour of the combined estimate (line and band).
ESTIMATE_COLOUR = "#333333"
#: Colour of the interval for the toll the counters will eventually document.
EVENTUAL_COLOUR = "#D55E00"
#: Qualifiers whose claim states only a floor (drawn as hollow markers).
OPEN_QUALIFIERS = ("at_least", "more_than")
#: A claim whose period starts more than this many days before the series is not drawn.
LONGER_TOLERANCE_DAYS = 1
#: Event labels in a chart's key are cut to this many characters (the report lists them whole).
EVENT_LABEL_CHARS = 46
#: The daily-new chart's y axis stops at this multiple of the largest bar.
DAILY_TOP_FACTOR = 2.0
#: Prefix of the ``gid`` of a claim's marker: ``claim:<claim_id>`` (see :func:`claim_marks`).
CLAIM_GID = "claim:"
#: Radius of a marker's hover and focus area in the report, in pixels, at least.
MARK_MIN_RADIUS = 6.0
#: Base font size of the charts, in points, chosen for a ~1000 px wide image in the report.
FONT_SIZE = 11

_RC = {
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 2,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE - 1,
    "ytick.labelsize": FONT_SIZE - 1,
    "legend.fontsize": FONT_SIZE - 1,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    # text from data is drawn as written: "US$5 and US$6" is not mathtext
    "text.parse_math": False,
}


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def thousands(x: float, _pos: object = None) -> str:
    """Format a tick value with thousands separators (no decimals for whole numbers).

    Examples
    --------
    >>> thousands(115000.0)
    '115,000'
    >>> thousands(2.5)
    '2.5'
    """
    if not np.isfinite(x):
        return ""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.1f}"


def metric_label(metric: str) -> str:
    """A readable name for a metric.

    Examples
    --------
    >>> metric_label("civilians_killed")
    'Civilians killed'
    >>> metric_label("idps")
    'IDPs'
    """
    if metric == "idps":
        return "IDPs"
    return metric.replace("_", " ").capitalize()


def metric_unit(metric: str) -> str:
    """The unit a metric is counted in (``people`` unless the vocabulary says otherwise).

    Examples
    --------
    >>> metric_unit("vehicles")
    'military vehicles'
    """
    unit = vocab.METRICS["unit"].get(metric)
    return unit if isinstance(unit, str) else "count"


def counter_styles(counters: Iterable[str]) -> dict[str, dict[str, str]]:
    """A stable colour and marker for each counter, the most frequent first (ties by name).

    Pass every claim's counter (repeats included) so that the counters with most figures get
    the clearest colours; the same input always gives the same styles, so a counter looks the
    same in every chart of a report when the report passes one mapping to all of them.

    Examples
    --------
    >>> s = counter_styles(["SOHR", "OCHA", "SOHR"])
    >>> s["SOHR"]["marker"], s["OCHA"]["marker"]
    ('o', 's')
    """
    counts = pd.Series([str(c) for c in counters if isinstance(c, str)], dtype="object")
    counts = counts.value_counts()
    names = sorted(counts.index, key=lambda n: (-counts[n], n))
    return {
        name: {
            "color": COUNTER_COLOURS[i % len(COUNTER_COLOURS)],
            "marker": COUNTER_MARKERS[i % len(COUNTER_MARKERS)],
        }
        for i, name in enumerate(names)
    }


def _as_float(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()


def _same(s: pd.Series, value: object) -> pd.Series:
    """Element-wise equality where a missing value equals a missing value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return s.isna()
    return (s == value).fillna(False).astype(bool)


def select_series(
    daily: pd.DataFrame,
    metric: str,
    location: str | None = None,
    subgroup: str | None = None,
    counter: str = "combined",
) -> pd.DataFrame:
    """Rows of one series of a Daily (or Estimates) table, sorted by date.

    ``location=None`` picks the series' only location, or the broadest one (the place with
    no parent in :data:`stats.vocab.PLACES`, else the one with most rows); ``subgroup=None``
    means the whole population (missing subgroup).

    Raises
    ------
    UserError
        When the metric or location has no rows for that counter.

    Examples
    --------
    >>> d = pd.DataFrame({"metric": ["killed"] * 2, "location": ["North Kivu", "Goma"],
    ...     "subgroup": [None, None], "counter": ["combined"] * 2,
    ...     "date": pd.to_datetime(["2024-12-01"] * 2)})
    >>> select_series(d, "killed")["location"].tolist()
    ['North Kivu']
    """
    require_columns(daily, ["metric", "location", "counter", "date"], "Daily")
    rows = daily[(daily["metric"] == metric) & (daily["counter"] == counter)]
    if "subgroup" in rows:
        rows = rows[_same(rows["subgroup"], subgroup)]
    if rows.empty:
        raise UserError(f"no rows for metric {metric!r}, counter {counter!r}")
    if location is None:
        location = main_location(rows)
    rows = rows[_same(rows["location"], location)]
    if rows.empty:
        raise UserError(f"no rows for metric {metric!r} in location {location!r}")
    return rows.sort_values("date", kind="stable")


def main_location(rows: pd.DataFrame) -> str | None:
    """The broadest place among the rows: a place of the vocabulary before one outside it;
    then the fewest areas containing it; then the most places it contains; then the most rows
    (then the name, so that the choice is stable).

    Examples
    --------
    >>> main_location(pd.DataFrame({"location": ["Goma", "Goma", "North Kivu"]}))
    'North Kivu'
    >>> main_location(pd.DataFrame({"location": ["Bukavu", "North Kivu"]}))
    'North Kivu'
    """
    locs = rows["location"]
    if locs.isna().all():
        return None
    counts = locs.value_counts()
    known = set(vocab.PLACES["name"])
    order = sorted(
        counts.index,
        key=lambda p: (
            p not in known,
            len(vocab.place_ancestors(p)),
            -len(vocab.place_descendants(p)),
            -counts[p],
            str(p),
        ),
    )
    return str(order[0])


def _series_claims(
    claims: pd.DataFrame | None, metric: str, location: str | None, subgroup: str | None
) -> pd.DataFrame:
    if claims is None or claims.empty:
        return pd.DataFrame()
    require_columns(
        claims, ["metric", "location", "counted_by", "period_end", "low", "high"], "Claims"
    )
    c = claims[(claims["metric"] == metric) & _same(claims["location"], location)]
    if "subgroup" in c:
        c = c[_same(c["subgroup"], subgroup)]
    return c


def _split_longer(c: pd.DataFrame, series_start) -> tuple[pd.DataFrame, int]:
    """Claims that count from the series start or later, and how many count over a longer
    period (e.g. "since 2011", "in 2024"): those bound a different quantity and are not drawn.
    """
    if not len(c) or "period_start" not in c or series_start is None:
        return c, 0
    ps = pd.to_datetime(c["period_start"])
    longer = (ps < pd.Timestamp(series_start) - pd.Timedelta(days=LONGER_TOLERANCE_DAYS)).fillna(
        False
    )
    return c.loc[~longer.to_numpy(dtype=bool)], int(longer.sum())


def _title(metric: str, location: str | None, subgroup: str | None, what: str) -> str:
    where = f" in {location}" if location else ""
    sub = f" ({subgroup})" if isinstance(subgroup, str) and subgroup else ""
    return f"{metric_label(metric)}{sub}{where}: {what}"


def _subtitle(known_on: object, counter: str | None = None) -> str:
    parts = []
    if counter and counter != "combined":
        parts.append(f"figures counted by {counter}")
    if known_on is not None and not (isinstance(known_on, float) and np.isnan(known_on)):
        parts.append(f"as known on {pd.Timestamp(known_on):%d %b %Y}")
    return "; ".join(parts)


def _date_axis(ax: Axes, maxticks: int, fmt: str = "%d %b") -> None:
    """Whole-day ticks (never hours, even for a series of a few days), at most *maxticks*."""
    lo, hi = ax.get_xlim()
    span = max(hi - lo, 1.0)
    if span <= 7 * maxticks:
        step = next(n for n in (1, 2, 3, 7, 14, 28) if span / n <= maxticks)
        locator = (
            mdates.DayLocator(interval=step)
            if step < 7
            else mdates.WeekdayLocator(byweekday=mdates.MO, interval=step // 7)
        )
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt))


def _style_axes(ax: Axes, metric: str, title: str, subtitle: str) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(thousands))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    _date_axis(ax, maxticks=9, fmt="%d %b\n%Y")
    ax.set_ylabel(metric_unit(metric))
    ax.set_ylim(bottom=0)
    ax.set_title(title + (f"\n{subtitle}" if subtitle else ""), loc="left", pad=26)


def _with_rc(fn):
    """Run a plotting function under the module's style, without touching global rcParams."""

    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(_RC):
            return fn(*args, **kwargs)

    wrapper.__name__ = fn.__name__
    wrapper.__qualname__ = fn.__qualname__
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


def _new_axes(ax: Axes | None, figsize=(10.4, 6.2)) -> Axes:
    if ax is not None:
        return ax
    fig = Figure(figsize=figsize, dpi=100, layout="constrained")
    return fig.add_subplot()


def _band(ax: Axes, x, low, high, *, color: str, alpha: float, label: str | None, **kw) -> None:
    """Fill low..high; an unbounded high (NaN) is drawn up to the top of the axes, hatched."""
    low = np.asarray(low, dtype="float64")
    high = np.asarray(high, dtype="float64")
    bounded = ~np.isnan(high) & ~np.isnan(low)
    if bounded.any():
        ax.fill_between(
            x,
            low,
            high,
            where=bounded,
            color=color,
            alpha=alpha,
            linewidth=0,
            label=label,
            interpolate=False,
            step=None,
            **kw,
        )
    open_ = np.isnan(high) & ~np.isnan(low)
    if open_.any():
        top = np.nanmax(np.concatenate([high[bounded], low])) * 1.15 if len(low) else 1.0
        ax.fill_between(
            x,
            low,
            np.where(open_, top, np.nan),
            where=open_,
            facecolor="none",
            edgecolor=color,
            hatch="///",
            alpha=0.5,
            linewidth=0,
            label="no upper bound" if label else None,
        )


def _draw_events(ax: Axes, events: pd.DataFrame | None, x0, x1) -> list:
    """Dotted vertical lines at the events, numbered at the top; returns legend handles
    ("1  29 Nov  Rebels enter Aleppo") for a key below the chart."""
    if events is None or events.empty:
        return []
    require_columns(events, ["date", "event"], "Events")
    ev = events[(events["date"] >= x0) & (events["date"] <= x1)].sort_values("date", kind="stable")
    ev = ev.assign(number=np.arange(1, len(ev) + 1))
    handles = []
    span_days = max((pd.Timestamp(x1) - pd.Timestamp(x0)).days, 1)
    previous, raised = None, False
    for date, g in ev.groupby("date", sort=True):
        ax.axvline(date, color="#666666", linestyle=":", linewidth=1.1, zorder=1)
        # numbers of events a few days apart would touch: lift every other one
        close = previous is not None and (date - previous).days < span_days / 25
        raised = close and not raised
        previous = date
        ax.annotate(
            ",".join(str(n) for n in g["number"]),
            xy=(date, 1),
            xycoords=("data", "axes fraction"),
            xytext=(0, 13 if raised else 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=FONT_SIZE - 1,
            fontweight="bold",
            color="#444444",
        )
    for n, date, text in zip(ev["number"], ev["date"], ev["event"], strict=True):
        label = str(text)
        if len(label) > EVENT_LABEL_CHARS:
            label = label[: EVENT_LABEL_CHARS - 1].rstrip(" ,;") + "…"
        handles.append(Line2D([], [], linestyle="none", label=f"{n}  {date:%d %b}  {label}"))
    return handles


def claim_counter(claims: pd.DataFrame) -> pd.Series:
    """The counter of each claim as :mod:`stats.reconcile` names it: ``counted_by``, else
    ``unattributed (<outlet>)``, else ``unattributed``.

    Examples
    --------
    >>> claim_counter(pd.DataFrame({"counted_by": ["SOHR", None, None],
    ...                             "reported_by": ["AFP", "IBC", None]})).tolist()
    ['SOHR', 'unattributed (IBC)', 'unattributed']
    """
    counted = claims["counted_by"].astype("object")
    outlet = (
        claims["reported_by"].astype("object")
        if "reported_by" in claims
        else pd.Series(None, index=claims.index, dtype="object")
    )
    fallback = ("unattributed (" + outlet.astype("str") + ")").where(outlet.notna(), "unattributed")
    return counted.where(counted.notna(), fallback)


def _claim_points(c: pd.DataFrame, series_start) -> pd.DataFrame:
    """Where each claim is drawn: y at the stated value (else the interval's middle),
    with its interval, and whether it only states a floor (open qualifier or a window
    that starts after the series start)."""
    value = _as_float(c["value"]) if "value" in c else np.full(len(c), np.nan)
    low = _as_float(c["low"])
    high = _as_float(c["high"])
    mid = np.where(np.isnan(high), low, (low + high) / 2)
    y = np.where(np.isnan(value), mid, value)
    floor = np.isnan(high)
    if "qualifier" in c:
        floor |= c["qualifier"].astype("object").isin(OPEN_QUALIFIERS).to_numpy()
    if "period_start" in c and series_start is not None:
        ps = pd.to_datetime(c["period_start"])
        floor |= (ps > pd.Timestamp(series_start)).fillna(False).to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "x": pd.to_datetime(c["period_end"]).to_numpy(),
            "y": y,
            "low": low,
            "high": high,
            "floor": floor,
            "counter": claim_counter(c).to_numpy(),
            "claim_id": c["claim_id"].astype("str").to_numpy()
            if "claim_id" in c
            else np.full(len(c), None),
        }
    )


def _draw_claims(ax: Axes, pts: pd.DataFrame, styles: dict, size: float = 7) -> list:
    handles = []
    for counter, g in pts.groupby("counter", sort=True):
        st = styles.get(counter) or {"color": "#000000", "marker": "o"}
        ranged = ~np.isnan(g["high"]) & (g["high"] > g["low"])
        if ranged.any():
            r = g[ranged]
            ax.vlines(
                r["x"], r["low"], r["high"], color=st["color"], linewidth=1.2, alpha=0.8, zorder=3
            )
        # one artist per claim, named by its id (gid), so that the report can link each
        # marker to its row of the ledger (claim_marks)
        for x, y, floor, cid in zip(g["x"], g["y"], g["floor"], g["claim_id"], strict=True):
            ax.plot(
                [x],
                [y],
                linestyle="none",
                marker=st["marker"],
                markersize=size,
                markeredgecolor=st["color"],
                markeredgewidth=1.5,
                markerfacecolor="none" if floor else st["color"],
                zorder=4,
                gid=None if cid is None else f"{CLAIM_GID}{cid}",
            )
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=st["marker"],
                color=st["color"],
                markersize=size,
                label=str(counter),
            )
        )
    return handles


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------
@_with_rc
def plot_cumulative(
    daily: pd.DataFrame,
    claims: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    *,
    metric: str = "killed",
    location: str | None = None,
    subgroup: str | None = None,
    counter: str = "combined",
    known_on: object = None,
    styles: dict | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Cumulative count of one series: best line, low-high band, claims, nowcast, events.

    Parameters
    ----------
    daily
        A Daily table (``date``, ``cum_low``, ``cum_best``, ``cum_high``, ``is_nowcast``, ...).
    claims
        The Claims behind it (optional): each becomes a marker at its ``period_end``, shaped
        and coloured by ``counted_by``; a claim stating only a floor ("more than", "at least",
        or a count over a window that starts after the series does) is hollow; a claim with
        an interval gets a vertical bar from low to high.
    events
        Key dates (``date``, ``event``), drawn as labelled dotted vertical lines.
    metric, location, subgroup, counter
        Which series (``location=None``: the broadest place; ``counter="combined"``: the
        cross-counter estimate).
    known_on
        The date the estimate is as known on, printed under the title.
    styles
        Counter -> ``{"color", "marker"}`` (default :func:`counter_styles` of the claims).
    ax
        Axes to draw on (default: a new 10 x 5.2 inch figure).

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    An unbounded high (no upper bound from the evidence) is drawn as a hatched area up to
    the top of the axes instead of a band edge. Where the Daily table has ``est_low``,
    ``est_high`` (and ``est_best``, ``level``) -- the toll the counters will eventually
    document, reporting delay allowed for -- that interval is drawn beside the literal band,
    named in the legend ("expected eventual toll, 90% interval"). Nowcast days (after the last report) are
    drawn dashed over a shaded background. Missing values leave gaps; they are never drawn
    as zero.

    Examples
    --------
    >>> d = pd.DataFrame({"metric": "killed", "location": "Goma", "subgroup": None,
    ...     "counter": "combined", "date": pd.date_range("2024-11-27", periods=3),
    ...     "cum_low": [10, 20, 20], "cum_best": [10, 25, 30], "cum_high": [10, 30, 40],
    ...     "is_nowcast": [False, False, True]})
    >>> ax = plot_cumulative(d)
    >>> ax.get_title(loc="left").splitlines()[0]
    'Killed in Goma: cumulative count'
    """
    s = select_series(daily, metric, location, subgroup, counter)
    require_columns(s, ["cum_low", "cum_best", "cum_high"], "Daily")
    location = s["location"].iloc[0] if s["location"].notna().any() else None
    ax = _new_axes(ax)
    x = pd.to_datetime(s["date"]).to_numpy()
    handles = _draw_cumulative(ax, s, x)
    handles += _draw_eventual(ax, s, x)
    start = s["series_start"].min() if "series_start" in s else x.min()
    claim_handles, c = _draw_series_claims(ax, claims, metric, location, subgroup, start, styles)
    handles += claim_handles
    x0 = min(x.min(), c["period_end"].min()) if len(c) else x.min()
    event_handles = _draw_events(ax, events, x0, x.max())
    kind = vocab.METRICS["kind"].get(metric, "flow")
    what = "cumulative count" if kind == "flow" else "count on each day"
    _style_axes(ax, metric, _title(metric, location, subgroup, what), _subtitle(known_on, counter))
    _place_legends(ax, handles, event_handles)
    return ax


def _nowcast(s: pd.DataFrame) -> np.ndarray:
    """Per row, whether the day is a nowcast (after the series' last report)."""
    if "is_nowcast" not in s:
        return np.zeros(len(s), dtype=bool)
    return s["is_nowcast"].fillna(False).to_numpy(dtype=bool)


def _draw_cumulative(ax: Axes, s: pd.DataFrame, x: np.ndarray) -> list:
    """The best line in its low-high band: solid up to the last reported day, dashed from
    there on over a shaded background; returns the legend handles."""
    low, best, high = (_as_float(s[c]) for c in ("cum_low", "cum_best", "cum_high"))
    nowcast = _nowcast(s)
    last = int(np.flatnonzero(~nowcast)[-1]) if (~nowcast).any() else 0
    solid = slice(0, last + 1)
    handles: list = [
        Line2D([], [], color=ESTIMATE_COLOUR, linewidth=2.2, label="best estimate"),
        Patch(color=ESTIMATE_COLOUR, alpha=0.22, label="low-high range"),
    ]
    if nowcast.any():
        dashed = slice(last, len(s))
        ax.axvspan(x[last], x[-1], color="#eeeeee", zorder=0, linewidth=0)
        _band(
            ax, x[dashed], low[dashed], high[dashed], color=ESTIMATE_COLOUR, alpha=0.10, label=None
        )
        ax.plot(x[dashed], best[dashed], color=ESTIMATE_COLOUR, linestyle=(0, (4, 2)), linewidth=2)
        handles.append(
            Line2D(
                [],
                [],
                color=ESTIMATE_COLOUR,
                linestyle=(0, (4, 2)),
                linewidth=2,
                label="nowcast (after the last report)",
            )
        )
    if not nowcast.all():
        _band(
            ax,
            x[solid],
            low[solid],
            high[solid],
            color=ESTIMATE_COLOUR,
            alpha=0.22,
            label="low-high",
        )
        ax.plot(x[solid], best[solid], color=ESTIMATE_COLOUR, linewidth=2.2)
    if np.isnan(high).any() and (~np.isnan(low) & np.isnan(high)).any():
        handles.append(
            Patch(facecolor="none", edgecolor=ESTIMATE_COLOUR, hatch="///", label="no upper bound")
        )
    return handles


def eventual_label(s: pd.DataFrame) -> str:
    """The words for the eventual-toll band: ``expected eventual toll, 90% interval``.

    Examples
    --------
    >>> eventual_label(pd.DataFrame({"level": [0.9]}))
    'expected eventual toll, 90% interval'
    """
    level = s["level"].dropna() if "level" in s else pd.Series(dtype=float)
    return "expected eventual toll" + (f", {level.iloc[0]:.0%} interval" if len(level) else "")


def _draw_eventual(ax: Axes, s: pd.DataFrame, x: np.ndarray) -> list:
    """The interval for the toll the counters will eventually document (Daily ``est_low``,
    ``est_high``, with ``est_best`` dotted), beside the literal band; nothing when the table
    has no such columns. Returns the legend handles."""
    if not {"est_low", "est_high"} <= set(s.columns) or s["est_low"].isna().all():
        return []
    low, high = _as_float(s["est_low"]), _as_float(s["est_high"])
    _band(ax, x, low, high, color=EVENTUAL_COLOUR, alpha=0.16, label=None)
    handles = [Patch(color=EVENTUAL_COLOUR, alpha=0.3, label=eventual_label(s))]
    if "est_best" in s and s["est_best"].notna().any():
        ax.plot(x, _as_float(s["est_best"]), color=EVENTUAL_COLOUR, linestyle=":", linewidth=1.8)
        handles.append(
            Line2D([], [], color=EVENTUAL_COLOUR, linestyle=":", label="its best estimate")
        )
    return handles


def _draw_series_claims(ax: Axes, claims, metric, location, subgroup, start, styles):
    """The claims of the series as markers (hollow for floors); returns the legend handles
    and the claims drawn (those counted over longer periods are left out, and said so)."""
    handles: list = []
    c, n_longer = _split_longer(_series_claims(claims, metric, location, subgroup), start)
    if len(c):
        pts = _claim_points(c, start)
        styles = styles or counter_styles(pts["counter"])
        handles += _draw_claims(ax, pts, styles)
        if pts["floor"].any():
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="o",
                    markerfacecolor="none",
                    markeredgecolor="#555555",
                    label="floor only (more than…)",
                )
            )
    if n_longer:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                label=f"({n_longer:,} claim{'s' if n_longer > 1 else ''} over longer\n"
                "periods not drawn)",
            )
        )
    return handles, c


def _place_legends(ax: Axes, handles: list, event_handles: list) -> None:
    """The legend beside the data on a chart of its own (inside, top left, on one panel of
    many), and the key of events below."""
    alone = len(ax.get_figure().axes) == 1
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0) if alone else None,
        frameon=not alone,
        framealpha=0.9,
        borderaxespad=0 if alone else 0.5,
        fontsize=None if alone else FONT_SIZE - 2,
    )
    if not event_handles:
        return
    key = {
        "handles": event_handles,
        "frameon": False,
        "ncol": 2 if len(event_handles) > 3 else 1,
        "handlelength": 0,
        "handletextpad": 0,
        "columnspacing": 1.5,
        "title": "Key events",
        "title_fontsize": FONT_SIZE - 1,
        "alignment": "left",
    }
    fig = ax.get_figure()
    if fig.get_layout_engine() is not None and len(fig.axes) == 1:
        # a figure of its own: the key goes below, and the layout makes room for it
        fig.legend(loc="outside lower left", **key)
    else:
        ax.add_artist(legend)
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.14), **key)


@_with_rc
def plot_daily_new(
    daily: pd.DataFrame,
    *,
    metric: str = "killed",
    location: str | None = None,
    subgroup: str | None = None,
    counter: str = "combined",
    known_on: object = None,
    ax: Axes | None = None,
) -> Axes:
    """Daily increments of one series: bars at ``new_best`` with ``new_low``-``new_high`` bars.

    Nowcast days are drawn hatched and lighter. Days with a missing increment leave a gap.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> d = pd.DataFrame({"metric": "killed", "location": "Goma", "subgroup": None,
    ...     "counter": "combined", "date": pd.date_range("2024-11-27", periods=2),
    ...     "new_low": [5, 0], "new_best": [10, 3], "new_high": [12, 9],
    ...     "is_nowcast": [False, True]})
    >>> len(plot_daily_new(d).patches)
    2
    """
    s = select_series(daily, metric, location, subgroup, counter)
    require_columns(s, ["new_low", "new_best", "new_high"], "Daily")
    location = s["location"].iloc[0] if s["location"].notna().any() else None
    ax = _new_axes(ax, figsize=(10, 4.2))
    x = pd.to_datetime(s["date"]).to_numpy()
    low, best, high = (_as_float(s[c]) for c in ("new_low", "new_best", "new_high"))
    nowcast = _nowcast(s)
    width = 0.8
    ax.bar(
        x[~nowcast], best[~nowcast], width=width, color="#0072B2", alpha=0.85, label="best estimate"
    )
    if nowcast.any():
        ax.bar(
            x[nowcast],
            best[nowcast],
            width=width,
            color="#0072B2",
            alpha=0.35,
            hatch="//",
            edgecolor="#0072B2",
            linewidth=0,
            label="nowcast",
        )
    ok = ~np.isnan(low) & ~np.isnan(best)
    hi = np.where(np.isnan(high), best, high)
    ax.errorbar(
        x[ok],
        best[ok],
        yerr=np.vstack([np.clip(best[ok] - low[ok], 0, None), np.clip(hi[ok] - best[ok], 0, None)]),
        fmt="none",
        ecolor="#444444",
        elinewidth=0.9,
        capsize=2,
        label="low-high",
    )
    _style_axes(
        ax, metric, _title(metric, location, subgroup, "new each day"), _subtitle(known_on, counter)
    )
    _cut_tall_intervals(ax, x, best, np.where(ok, hi, np.nan))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, borderaxespad=0)
    return ax


def _cut_tall_intervals(ax: Axes, x, best, high) -> None:
    """Long gaps between reports give daily intervals far above the bars: cut the axis at
    :data:`DAILY_TOP_FACTOR` times the largest bar and mark the intervals that run off it."""
    top_best = np.nanmax(best) if np.isfinite(best).any() else 0.0
    top = max(top_best * DAILY_TOP_FACTOR, 1.0)
    off = high > top
    if off.any():
        ax.set_ylim(0, top)
        ax.plot(
            x[off],
            np.full(int(off.sum()), top),
            linestyle="none",
            marker="^",
            color="#444444",
            markersize=5,
            clip_on=False,
            zorder=5,
            label="interval runs above the chart",
        )


@_with_rc
def plot_sources(
    daily: pd.DataFrame,
    claims: pd.DataFrame | None = None,
    *,
    metric: str = "killed",
    location: str | None = None,
    subgroup: str | None = None,
    known_on: object = None,
    styles: dict | None = None,
    ncols: int = 3,
) -> Figure:
    """Each counter's own figures over time, one panel per counter on a shared scale.

    Every panel shows the counter's own reconciled band and best line (its ``Daily`` rows,
    when the table has them), its claims as markers (hollow for floors), and the combined
    best estimate as a thin grey line for reference, so disagreements between counters show
    as panels that sit above or below the same grey line.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> d = pd.DataFrame({"metric": "killed", "location": "Goma", "subgroup": None,
    ...     "counter": ["combined", "SOHR"], "date": pd.to_datetime(["2024-12-01"] * 2),
    ...     "cum_low": [10, 10], "cum_best": [10, 10], "cum_high": [10, 10]})
    >>> len(plot_sources(d).axes)
    1
    """
    rows, location = _series_rows(daily, metric, location, subgroup)
    combined = rows[rows["counter"] == "combined"].sort_values("date")
    start = (
        combined["series_start"].min()
        if "series_start" in combined and len(combined)
        else (rows["date"].min() if len(rows) else None)
    )
    c, n_longer = _split_longer(_series_claims(claims, metric, location, subgroup), start)
    counters = sorted(
        set(rows.loc[rows["counter"] != "combined", "counter"].dropna())
        | set(claim_counter(c) if len(c) else [])
    )
    if not counters:
        raise UserError(f"no counter's own figures for metric {metric!r} in {location!r}")
    styles = styles or counter_styles(counters)
    n = len(counters)
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(min(3.6 * ncols, 10.4), 3.0 * nrows + 1.0), dpi=100, layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    pts = _claim_points(c, start) if len(c) else None
    for ax, counter in zip(axes, counters, strict=False):
        own = rows[rows["counter"] == counter].sort_values("date")
        _draw_counter_panel(ax, counter, own, combined, pts, styles)
    # one y scale for all panels, from all their data (set once, after every panel is drawn)
    axes[0].autoscale_view()
    axes[0].set_ylim(bottom=0)
    for ax in axes[:n]:
        _date_axis(ax, maxticks=5)
    for ax in axes[n:]:
        ax.set_visible(False)
    for ax in axes[::ncols]:
        ax.set_ylabel(metric_unit(metric))
    sub = _subtitle(known_on)
    fig.suptitle(
        _title(metric, location, subgroup, "each counter's own figures")
        + (f", {sub}" if sub else "")
        + "\ngrey line: combined best estimate; hollow markers: floors only"
        + (f"\n{n_longer:,} claim(s) counted over longer periods not drawn" if n_longer else ""),
        x=0.01,
        ha="left",
        fontsize=FONT_SIZE + 2,
    )
    return fig


def _series_rows(daily: pd.DataFrame, metric: str, location, subgroup):
    """Every counter's rows of one series, and its location (the broadest when not given)."""
    require_columns(daily, ["metric", "location", "counter", "date", "cum_best"], "Daily")
    rows = daily[daily["metric"] == metric]
    if "subgroup" in rows:
        rows = rows[_same(rows["subgroup"], subgroup)]
    if rows.empty:
        raise UserError(f"no rows for metric {metric!r}")
    if location is None:
        location = main_location(rows)
    return rows[_same(rows["location"], location)], location


def _draw_counter_panel(ax: Axes, counter, own, combined, pts, styles) -> None:
    """One counter's panel: the combined best (grey), the counter's own band and best line
    (reported days), and its claims."""
    st = styles.get(counter, {"color": "#000000", "marker": "o"})
    if len(combined):
        ax.plot(
            combined["date"],
            _as_float(combined["cum_best"]),
            color="#999999",
            linewidth=1.2,
            zorder=2,
        )
    if len(own):
        own = own[~_nowcast(own)]
        if "cum_low" in own and "cum_high" in own:
            _band(
                ax,
                own["date"].to_numpy(),
                _as_float(own["cum_low"]),
                _as_float(own["cum_high"]),
                color=st["color"],
                alpha=0.18,
                label=None,
            )
        ax.plot(own["date"], _as_float(own["cum_best"]), color=st["color"], linewidth=1.8, zorder=3)
    if pts is not None:
        mine = pts[pts["counter"] == counter]
        if len(mine):
            _draw_claims(ax, mine, styles, size=6)
    ax.set_title(
        str(counter), loc="left", fontsize=FONT_SIZE + 1, color=st["color"], fontweight="bold"
    )
    ax.yaxis.set_major_formatter(FuncFormatter(thousands))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))


@_with_rc
def plot_overview(
    daily: pd.DataFrame,
    *,
    metrics: Sequence[str] | None = None,
    location: str | None = None,
    known_on: object = None,
    ncols: int = 3,
) -> Figure:
    """Small multiples: the combined cumulative estimate of each metric, one panel each.

    ``metrics=None`` takes every metric with combined rows, in the vocabulary's order; each
    panel has its own y scale (the counts differ by orders of magnitude) and its own
    location (``location=None``: the broadest place of that metric).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> d = pd.DataFrame({"metric": ["killed", "displaced"], "location": "Goma",
    ...     "subgroup": None, "counter": "combined",
    ...     "date": pd.to_datetime(["2024-12-01"] * 2), "cum_low": [1, 2],
    ...     "cum_best": [1, 2], "cum_high": [1, 2]})
    >>> [a.get_title(loc="left") for a in plot_overview(d).axes]
    ['Killed in Goma', 'Displaced in Goma']
    """
    require_columns(daily, ["metric", "location", "counter", "date", "cum_best"], "Daily")
    comb = daily[daily["counter"] == "combined"]
    if "subgroup" in comb:
        comb = comb[comb["subgroup"].isna()]
    present = set(comb["metric"].dropna())
    if metrics is None:
        metrics = [m for m in vocab.METRIC_NAMES if m in present] + sorted(
            present - set(vocab.METRIC_NAMES)
        )
    metrics = [m for m in metrics if m in present]
    if not metrics:
        raise UserError("no combined series to draw in the overview")
    n = len(metrics)
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(min(3.6 * ncols, 10.4), 2.7 * nrows + 0.8), dpi=100, layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False).ravel()
    for ax, metric in zip(axes, metrics, strict=False):
        _draw_overview_panel(ax, select_series(comb, metric, location), metric)
    for ax in axes[:n]:
        _date_axis(ax, maxticks=6)
    for ax in axes[n:]:
        ax.set_visible(False)
    sub = _subtitle(known_on)
    fig.suptitle(
        "Overview: combined best estimate (line) and low-high range (band), cumulative"
        + (f"\n{sub}" if sub else ""),
        x=0.01,
        ha="left",
        fontsize=FONT_SIZE + 2,
    )
    return fig


def _draw_overview_panel(ax: Axes, s: pd.DataFrame, metric: str) -> None:
    """One metric's panel of the overview: band, best line (dashed when a nowcast), the
    eventual-toll interval where there is one, and the last reported best as a label."""
    loc = s["location"].iloc[0]
    x = s["date"].to_numpy()
    low, best, high = (_as_float(s[c]) for c in ("cum_low", "cum_best", "cum_high"))
    nowcast = _nowcast(s)
    _band(ax, x, low, high, color="#0072B2", alpha=0.2, label=None)
    ax.plot(x, np.where(nowcast, np.nan, best), color="#0072B2", linewidth=2)
    if nowcast.any():
        first = max(int(np.argmax(nowcast)) - 1, 0)
        ax.plot(x[first:], best[first:], color="#0072B2", linewidth=2, linestyle=(0, (3, 2)))
    if _draw_eventual(ax, s, x):
        ax.legend(handles=[Patch(color=EVENTUAL_COLOUR, alpha=0.3, label=eventual_label(s))],
                  loc="upper left", fontsize=FONT_SIZE - 3, frameon=False)  # fmt: skip
    # label the last reported best (the headline figure), not the nowcast's end
    last = np.flatnonzero(~np.isnan(best) & ~nowcast)
    if len(last):
        i = last[-1]
        ax.annotate(
            thousands(round(best[i])),
            xy=(x[i], best[i]),
            xytext=(-4, 6),
            textcoords="offset points",
            ha="right",
            fontsize=FONT_SIZE - 1,
            fontweight="bold",
            color="#0072B2",
        )
    ax.set_title(
        _panel_title(metric, loc),
        loc="left",
        fontsize=FONT_SIZE + 1,
    )
    ax.yaxis.set_major_formatter(FuncFormatter(thousands))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(metric_unit(metric))


def _panel_title(metric: str, location: object) -> str:
    """``Killed in Goma``; long titles break before "in" so they fit a small panel."""
    label = metric_label(metric)
    if not isinstance(location, str):
        return label
    sep = "\n" if len(label) + len(location) > 26 else " "
    return f"{label}{sep}in {location}"


def claim_marks(fig: Figure, dpi: float | None = None) -> pd.DataFrame:
    """Where each claim's marker is on the figure as last drawn, in pixels of the image
    saved at *dpi* (default the figure's): ``claim_id``, ``x`` and ``y`` (from the top
    left corner, as in an image or SVG) and ``r`` (the radius of the marker, at least
    :data:`MARK_MIN_RADIUS`). Markers outside their axes (cut off by the view) are left out.

    Draw or save the figure first (``savefig`` lays it out): positions are read from its
    layout, so the marks fall on the markers of the image saved.

    Examples
    --------
    >>> d = pd.DataFrame({"metric": "killed", "location": "Goma", "subgroup": None,
    ...     "counter": "combined", "date": pd.date_range("2024-11-27", periods=3),
    ...     "cum_low": [10, 20, 20], "cum_best": [10, 25, 30], "cum_high": [10, 30, 40]})
    >>> c = pd.DataFrame({"claim_id": ["a1"], "metric": "killed", "location": "Goma",
    ...     "value": [25], "low": [25], "high": [25], "counted_by": "SOHR",
    ...     "period_end": pd.to_datetime(["2024-11-28"])})
    >>> fig = plot_cumulative(d, c).figure
    >>> fig.draw_without_rendering()
    >>> m = claim_marks(fig)
    >>> m["claim_id"].tolist(), bool(0 < m["x"][0] < fig.bbox.width)
    (['a1'], True)
    """
    scale = (dpi or fig.dpi) / fig.dpi
    height = fig.bbox.height
    rows = []
    for ax in fig.axes:
        box = ax.bbox
        for line in ax.get_lines():
            gid = line.get_gid()
            if not (isinstance(gid, str) and gid.startswith(CLAIM_GID)):
                continue
            xy = np.column_stack([mdates.date2num(line.get_xdata()), line.get_ydata()])
            px, py = ax.transData.transform(xy.astype("float64"))[0]
            if not (np.isfinite(px) and np.isfinite(py) and box.contains(px, py)):
                continue
            r = max(line.get_markersize() * fig.dpi / 72 / 2 + 2, MARK_MIN_RADIUS)
            rows.append((gid[len(CLAIM_GID) :], px * scale, (height - py) * scale, r * scale))
    return pd.DataFrame(rows, columns=["claim_id", "x", "y", "r"])


def figure_of(obj: Axes | Figure) -> Figure:
    """The figure an Axes belongs to (or the figure itself)."""
    return obj if isinstance(obj, Figure) else obj.get_figure()
