"""The toll the counters will eventually document: a reporting-delay nowcast beside the literal band.

A counter's toll "since day 0" published today is what it has *documented* so far. Deaths are
documented late, so a fresh toll falls short of the toll the counters will eventually document
for the same days, and later figures catch up. :func:`add_eventual_estimates` adds to a Daily
table ``est_low``, ``est_best``, ``est_high`` (an interval for that eventual toll on each day)
and ``level`` (the nominal coverage of the interval).

The method, step by step (details in ``docs/estimates.md``):

1. **Figures.** Each claim on a flow series becomes a figure "documented up to ``period_end``":
   a toll since the series start as stated, or a window (a calendar month) added to the same
   counter's figure for the day before the window starts. A figure printed by several outlets
   counts once, from its first publication.
2. **Misprints and stale reprints** are set aside by the rule of :mod:`stats.estimate.outliers`
   (the one the literal band uses), never by a running maximum: a figure with an extra digit
   is read as the number without it; a figure far above its counter's next figures (or its
   trend) that no other counter backs is left out; a figure below the same counter's earlier
   figure is a stale reprint.
3. **The documented curve** ``D(t)``: on each figure's day, the most any counter has documented
   by then (counters are assumed to undercount, not to overcount), linear between figures.
4. **The backlog** follows Little's law (Little 1961): deaths documented late by ``W`` days on
   average leave ``W * rate`` deaths undocumented at any time, where ``rate`` is the recent
   daily death rate (the slope of ``D`` over :data:`RATE_WINDOW_DAYS`). ``W`` is learned from
   the counters' revisions: a figure published later for the same ``period_end`` than a fresh
   one (a later toll of the same counter, a UN figure as of an earlier day, a month's total)
   shows how many deaths the fresh one lacked, ``W_i = (later - fresh) / rate``. The revisions
   are pooled with a weak prior (:data:`PRIOR_DELAY_DAYS`, :data:`PRIOR_SPREAD_DAYS`, worth
   :data:`PRIOR_WEIGHT` revisions), as in the reporting-triangle nowcasts of Höhle and an der
   Heiden (2014) and McGough et al. (2020), which learn the delay distribution from how counts
   for the same period grow with each new report.
5. **The estimate**: ``est_best = D + W * rate``; after the last figure (the nowcast) the rate
   continues. ``est_low`` is the largest documented lower bound so far (no backlog assumed);
   ``est_high`` is the least, over later figures, of what they state plus the backlog's upper
   quantile at the upper quantile of the rate, growing at that rate in the nowcast. The
   interval is never below the literal band's lower bound (what the same figures state).
6. **Where it stops**: more than :data:`NOWCAST_DAYS` days after a series' last figure the
   counters have stopped reporting it, and the recent rate says nothing of what follows:
   ``est_best`` and ``est_high`` are null there and ``est_low`` is the literal lower bound.

Stocks (``kind == "stock"``) are not documented late in this sense: their ``est_*`` columns are
their literal ``cum_*`` columns.

References
----------
Little, J. D. C. (1961). A proof for the queuing formula L = lambda W. *Operations Research*
9(3), 383-387. Höhle, M. and an der Heiden, M. (2014). Bayesian nowcasting during the STEC O104:H4
outbreak in Germany, 2011. *Biometrics* 70(4), 993-1002. McGough, S. F., Johansson, M. A.,
Lipsitch, M. and Menzies, N. A. (2020). Nowcasting by Bayesian Smoothing: a flexible,
generalizable model for real-time epidemic tracking. *PLoS Comput. Biol.* 16(4), e1007735.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.interpolate import PchipInterpolator
from scipy.stats import norm

from stats.errors import SchemaError
from stats.estimate.hierarchy import parts_within_wholes
from stats.estimate.lists import key_text
from stats.estimate.outliers import SERIES, day_numbers, flag_figures, series_figures

#: Default nominal coverage of ``[est_low, est_high]``.
LEVEL = 0.90
#: Days over which the recent death rate is measured.
RATE_WINDOW_DAYS = 7
#: Prior mean documentation delay (days of deaths not yet documented in a fresh toll).
PRIOR_DELAY_DAYS = 1.0
#: Prior spread of one day's backlog, in days of deaths.
PRIOR_SPREAD_DAYS = 1.2
#: How many revisions the prior is worth.
PRIOR_WEIGHT = 3.0
#: A figure is fresh when published at most this many days after its period ends; a revision is
#: a figure for the same day published at least :data:`REVISION_GAP_DAYS` later.
FRESH_DAYS = 1
REVISION_GAP_DAYS = 2
#: A revision counts for at most this many days of deaths either way (a larger one is a
#: misprint or a different count, not a delay).
MAX_REVISION_DAYS = 7
#: The estimate stops this many days after a series' last figure: beyond, the counters have
#: stopped reporting it and the recent rate says nothing (``est_*`` are null there).
NOWCAST_DAYS = 7
#: Columns added to Daily.
EST_COLUMNS = ("est_low", "est_best", "est_high", "level")
NEEDED_DAILY = (*SERIES, "counter", "date", "cum_low", "cum_best", "cum_high", "kind")
NEEDED_CLAIMS = (
    "claim_id", "metric", "value", "qualifier", "low", "high", "period_start", "period_end",
    "published", "location", "subgroup", "counted_by",
)  # fmt: skip
COMBINED = "combined"


def _check(daily: pd.DataFrame, claims: pd.DataFrame, level: float) -> None:
    for name, df, needed in (("daily", daily, NEEDED_DAILY), ("claims", claims, NEEDED_CLAIMS)):
        missing = [c for c in needed if c not in df.columns]
        if missing:
            raise SchemaError(
                f"{name} table: missing column(s) {', '.join(missing)}; expected a "
                f"{'Daily' if name == 'daily' else 'Claims'} table"
            )
    if not 0 < level < 1:
        raise SchemaError(f"level: {level} is not a coverage between 0 and 1 (such as 0.90)")


@dataclass(frozen=True)
class Figures:
    """The kept figures of one series as arrays, sorted by counter, then day, then publication.

    Built by :meth:`of` from rows of :func:`series_figures`; ``counter`` holds codes into
    ``names``.
    """

    names: np.ndarray
    counter: np.ndarray
    end: np.ndarray
    published: np.ndarray
    age: np.ndarray
    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    scope: np.ndarray

    @classmethod
    def of(cls, df: pd.DataFrame) -> Figures:
        df = df.sort_values(["counter", "end", "published"], kind="stable")
        codes, names = pd.factorize(df["counter"])
        cols = ("end", "published", "age", "value", "low", "high")
        arrays = {c: df[c].to_numpy(dtype=float) for c in cols}
        return cls(np.asarray(names), codes, scope=df["scope"].to_numpy(dtype=str), **arrays)

    def where(self, mask: np.ndarray) -> Figures:
        """The figures where ``mask`` holds."""
        return Figures(self.names, *(getattr(self, f)[mask] for f in _ARRAYS))

    def by_counter(self):
        """``Figures`` of each counter in turn (each sorted by day)."""
        if not len(self.counter):
            return
        cuts = np.flatnonzero(np.diff(self.counter)) + 1
        for part in np.split(np.arange(len(self.counter)), cuts):
            yield self.where(part)


_ARRAYS = ("counter", "end", "published", "age", "value", "low", "high", "scope")


def _envelope(figs: Figures, days: np.ndarray, column: str = "value") -> np.ndarray:
    """On each day, the most any counter has stated by then (0 before any figure)."""
    env = np.zeros(len(days))
    for f in figs.by_counter():
        v = np.maximum.accumulate(getattr(f, column))
        i = np.searchsorted(f.end, days, side="right") - 1
        env = np.maximum(env, np.where(i >= 0, v[np.maximum(i, 0)], 0.0))
    return env


def _rates(curve, days: np.ndarray, start: float, window: int) -> np.ndarray:
    """Slope of ``curve`` over the ``window`` days up to each day (from the series start)."""
    back = np.maximum(days - window, start - 1)
    return (curve(days) - curve(back)) / np.maximum(days - back, 1)


class _Curve:
    """The documented curve ``D`` of one series: the envelope of its figures, monotone cubic
    between their days (Fritsch and Carlson 1980, as ``scipy.interpolate.PchipInterpolator``:
    it never overshoots, so it never falls), 0 the day before the series start, flat after its
    last figure."""

    def __init__(self, figs: Figures, start: float):
        ends = np.unique(figs.end)
        self.start, self.first, self.last = start, ends[0], ends[-1]
        self.xp = np.r_[start - 1, ends]
        self.pchip = PchipInterpolator(self.xp, np.r_[0.0, _envelope(figs, ends)])

    def __call__(self, x):
        return self.pchip(np.clip(x, self.xp[0], self.xp[-1]))

    def rate(self, x, window: int = RATE_WINDOW_DAYS) -> np.ndarray:
        """Slope over the ``window`` days up to each day (the last figure's after it)."""
        return _rates(self, np.minimum(np.asarray(x, dtype=float), self.last), self.start, window)


def revisions(figs: Figures | pd.DataFrame, start: float) -> np.ndarray:
    """How many days of deaths later figures add to the fresh ones, for one series.

    A figure published :data:`REVISION_GAP_DAYS` or more after the day it covers is set
    against the documented curve of the *fresh* figures (published within
    :data:`FRESH_DAYS`) on that day: ``(later - fresh curve) / rate``, clipped to
    :data:`MAX_REVISION_DAYS` either way. Only days inside the fresh figures' span count.
    Empty when there are no such pairs.
    """
    if isinstance(figs, pd.DataFrame):
        figs = Figures.of(figs)
    fresh = figs.where(figs.age <= FRESH_DAYS)
    later = figs.where(figs.age >= REVISION_GAP_DAYS)
    if not len(fresh.end) or not len(later.end):
        return np.empty(0)
    curve = _Curve(fresh, start)
    later = later.where((later.end >= curve.first) & (later.end <= curve.last))
    r = curve.rate(later.end)
    w = (later.value - curve(later.end)) / np.where(r > 0, r, np.nan)
    return np.clip(w[np.isfinite(w)], -MAX_REVISION_DAYS, MAX_REVISION_DAYS)


def learn_delay(w: np.ndarray) -> tuple[float, float]:
    """Mean and spread of the backlog of a fresh figure, in days of deaths.

    Parameters
    ----------
    w
        Revisions (:func:`revisions`), pooled over the series that share the counters.

    Returns
    -------
    mean, spread : float
        The backlog of a fresh figure is ``mean * rate`` deaths, give or take ``spread * rate``:
        the revisions pooled with the prior (mean :data:`PRIOR_DELAY_DAYS`, spread
        :data:`PRIOR_SPREAD_DAYS`, worth :data:`PRIOR_WEIGHT` revisions). The mean is never
        negative (counters are assumed not to overcount).

    Examples
    --------
    With no revisions, the prior; thirty revisions of none pull the mean towards 0:

    >>> [round(x, 2) for x in learn_delay(np.array([]))]
    [1.0, 1.2]
    >>> [round(x, 2) for x in learn_delay(np.zeros(27))]
    [0.1, 0.48]
    """
    n0, n = PRIOR_WEIGHT, len(w)
    mean = (n0 * PRIOR_DELAY_DAYS + w.sum()) / (n0 + n)
    ss = n0 * (PRIOR_SPREAD_DAYS**2 + (PRIOR_DELAY_DAYS - mean) ** 2) + ((w - mean) ** 2).sum()
    return float(max(mean, 0.0)), float(np.sqrt(ss / (n0 + n)))


def _upper_bound(figs: Figures, days: np.ndarray, upper_days: float, rate_high) -> np.ndarray:
    """On each day, the most that the counters reporting after it will document for it.

    A counter's later figure bounds its own eventual toll for earlier days: what it states
    (its upper bound, else its value) plus the backlog's upper quantile. The combined bound is
    the largest over the counters whose figures reach that day; ``-inf`` where none does.
    """
    high = np.full(len(days), -np.inf)
    for f in figs.by_counter():
        stated = np.where(np.isfinite(f.high), f.high, f.value)
        bound = np.minimum.accumulate((stated + upper_days * rate_high(f.end))[::-1])[::-1]
        i = np.searchsorted(f.end, days, side="left")
        n = len(f.end)
        high = np.maximum(high, np.where(i < n, bound[np.minimum(i, n - 1)], -np.inf))
    return high


def eventual_interval(
    figs: Figures, days: np.ndarray, start: float, level: float, delay: tuple[float, float]
):
    """``(low, best, high)`` of the eventually documented toll on sorted ``days``, one series.

    ``figs`` are its kept figures (one counter, or all counters for the combined series),
    ``start`` the series start (day number), ``delay`` the ``(mean, spread)`` of
    :func:`learn_delay`. See the module docstring for the model.
    """
    bounds = figs.where(figs.scope != "part")
    figs = figs.where(figs.scope != "wider")
    curve = _Curve(figs, start)
    mean, spread = delay
    q = (1 + level) / 2
    upper_days = max(mean + norm.ppf(q) * spread, 0.0)
    past = np.arange(start, curve.last + 1)
    short = pd.Series(curve.rate(past, 3))
    window = 3 * RATE_WINDOW_DAYS
    high_rate = np.maximum(
        short.rolling(window, min_periods=1).quantile(q).to_numpy(), curve.rate(past)
    )

    def rate_high(x):
        return high_rate[(np.minimum(x, curve.last) - start).astype(int).clip(0, len(past) - 1)]

    ahead = np.maximum(days - curve.last, 0)
    best = curve(np.minimum(days, curve.last)) + curve.rate(days) * (ahead + mean)
    low = _envelope(figs, days, "low")
    high = _upper_bound(bounds, np.minimum(days, curve.last), upper_days, rate_high)
    high = np.maximum(high, low + upper_days * rate_high(days)) + rate_high(days) * ahead
    best = np.clip(np.maximum.accumulate(best), low, high)
    return low, best, high


def add_eventual_estimates(
    daily: pd.DataFrame, claims: pd.DataFrame, level: float = LEVEL, start=None
) -> pd.DataFrame:
    """Daily with ``est_low``, ``est_best``, ``est_high`` and ``level`` added.

    Parameters
    ----------
    daily
        A Daily table (:func:`stats.interpolate.interpolate`).
    claims
        The Claims table it was derived from (the figures as published, with their
        publication dates: the revisions the delay is learned from).
    level
        Nominal coverage of ``[est_low, est_high]`` (default :data:`LEVEL`, 0.90).
    start
        First day of every series; ``None``: each series' first day in ``daily``.

    Returns
    -------
    DataFrame
        A copy of ``daily`` with the four columns; more than :data:`NOWCAST_DAYS` days
        after a series' last figure, ``est_best`` and ``est_high`` are null and ``est_low``
        is ``cum_low``. ``counter == "combined"`` rows use every counter's figures, a
        counter's rows its own. Series with no usable figure, and stocks, keep their literal
        band (``est_* = cum_*``).

    Notes
    -----
    The estimate is of the toll the counters will eventually document for the days up to each
    date, assuming (1) counters undercount and catch up, never overcount; (2) the number of
    deaths not yet documented is the recent death rate times a mean documentation delay
    (Little's law), the delay being learned from later figures for the same days; (3) in the
    nowcast, deaths go on at the recent rate. It does not mutate its inputs.

    Examples
    --------
    >>> from stats import interpolate, reconcile, validate
    >>> days = ["2024-11-28", "2024-11-29", "2024-11-30", "2024-12-01"]
    >>> raw = pd.DataFrame({"metric": "killed", "value": ["100", "200", "2100", "300"],
    ...     "qualifier": "exact", "counted_by": "SOHR", "period_start": "2024-11-27",
    ...     "period_end": days, "published": days})
    >>> claims = validate(raw)[0]
    >>> daily = add_eventual_estimates(interpolate(reconcile(claims)[0]), claims)
    >>> d = daily[daily["counter"] == "combined"]
    >>> d[["cum_best", "est_low", "est_best"]].astype(int).values.tolist()[-2:]
    [[250, 210, 267], [300, 300, 360]]

    The eventual estimate reads the misprint 2,100 as 210 (a digit too many, between its
    neighbours) and adds a day's backlog of deaths (the prior: no revisions to learn from).
    """
    _check(daily, claims, level)
    out = daily.copy()
    for c in EST_COLUMNS[:3]:
        out[c] = out[f"cum_{c[4:]}"].astype("Float64")
    out["level"] = float(level)
    if out.empty:
        return _typed(out)
    text = pd.DataFrame({c: key_text(out[c]) for c in [*SERIES, "counter"]}, index=out.index)
    day = day_numbers(out["date"])
    flows = (out["kind"] == "flow").to_numpy()
    starts = _flow_starts(text, day, flows, start)
    by_series = kept_figures(claims, starts)
    start_of = starts.set_index(SERIES)["start"]
    delays = _delays(by_series, start_of)
    est = {c: out[c].to_numpy(dtype=float, na_value=np.nan) for c in EST_COLUMNS[:3]}
    cum_low = out["cum_low"].to_numpy(dtype=float, na_value=0.0)
    rows = text[flows].groupby([*SERIES, "counter"], sort=False).indices
    for key, pos in rows.items():
        figs = by_series.get(key[:3])
        if figs is not None and key[3] != COMBINED:
            figs = figs.where(figs.names[figs.counter] == key[3])
        if figs is None or not (figs.scope == "since_start").any():
            continue
        pos = np.flatnonzero(flows)[pos]
        pos = pos[np.argsort(day[pos], kind="stable")]
        s0 = float(start_of.loc[key[:3]])
        _fill(est, pos, figs, day[pos], cum_low[pos], s0, level, delays[key[3]])
    for c, v in est.items():
        out[c] = pd.array(v, dtype="Float64")
    return _typed(parts_within_wholes(out, EST_COLUMNS[:3], open_high=True))


def _flow_starts(text: pd.DataFrame, day: np.ndarray, flows: np.ndarray, start) -> pd.DataFrame:
    """The series (*text*'s :data:`SERIES` columns) of the flow rows and their first day:
    *start*, or each series' first day in Daily when it is ``None``."""
    if start is not None:
        s0 = np.full(len(text), float(day_numbers(pd.Series([start]))[0]))
    else:
        s0 = pd.Series(day).groupby([text[c].to_numpy() for c in SERIES]).transform("min")
    return text[SERIES].assign(start=np.asarray(s0))[flows].drop_duplicates(SERIES)


def _fill(est: dict, pos, figs, days, cum_low, s0: float, level: float, delay) -> None:
    """Set the eventual interval of one series and counter, on its rows *pos* (by day), in
    *est*; more than :data:`NOWCAST_DAYS` after its last figure, only the floor ``cum_low``."""
    low, best, high = eventual_interval(figs, days, s0, level, delay)
    low, best, high = _within_evidence(low, best, high, cum_low)
    beyond = days > figs.end[figs.scope != "wider"].max() + NOWCAST_DAYS
    est["est_low"][pos] = np.where(beyond, cum_low, low)  # the floor still holds
    est["est_best"][pos] = np.where(beyond, np.nan, best)
    est["est_high"][pos] = np.where(beyond, np.nan, high)


def kept_figures(claims: pd.DataFrame, starts: pd.DataFrame) -> dict:
    """The figures of each series (:func:`~stats.estimate.outliers.series_figures`) that the
    estimate uses, as :class:`Figures` by series key: misprints and stale reprints left out,
    figures with an extra digit read without it (:func:`~stats.estimate.outliers.flag_figures`),
    and then once only where they read as another printing of the same figure."""
    figures = series_figures(claims, starts)
    flags = flag_figures(figures)
    scale = (flags["reads_as"] / figures["value"]).where(flags["status"] == "mended", 1.0)
    figures = figures.assign(value=figures["value"] * scale, low=figures["low"] * scale,
                             high=figures["high"] * scale)  # fmt: skip
    figures = figures[flags["status"].isin(["kept", "mended", "wider", "part"])]
    # a mended figure that reads as its counter's printing for the same days is that printing
    # (its first publication): not a revision to learn from
    same = [*SERIES, "counter", "scope", "end", "value", "low", "high"]
    figures = figures[~figures.duplicated(same)]  # sorted by publication within a day
    return _by_series(figures)


def _by_series(figures: pd.DataFrame) -> dict:
    """:class:`Figures` of each series (in order of appearance), by series key: what
    :meth:`Figures.of` gives for each, from one stable sort of all by series, counter, day and
    publication."""
    series = figures.groupby(SERIES, sort=False).ngroup().to_numpy()
    counter = figures["counter"].to_numpy(dtype=object)
    codes, _ = pd.factorize(counter, sort=True)
    cols = ("end", "published", "age", "value", "low", "high")
    arrays = {c: figures[c].to_numpy(dtype=float) for c in cols}
    order = np.lexsort((arrays["published"], arrays["end"], codes, series))
    arrays = {c: v[order] for c, v in arrays.items()}
    counter, series = counter[order], series[order]
    scope = figures["scope"].to_numpy(dtype=str)[order]
    keys = figures[SERIES].to_numpy(dtype=object)[order]
    cuts = np.flatnonzero(np.diff(series)) + 1
    out = {}
    for part in np.split(np.arange(len(series)), cuts):
        own, names = pd.factorize(counter[part])  # in sorted order: sorted by counter
        out[tuple(keys[part[0]])] = Figures(
            np.asarray(names), own, scope=scope[part], **{c: v[part] for c, v in arrays.items()}
        )
    return out


def _within_evidence(low, best, high, cum_low):
    """The interval never below what the evidence states literally (the literal band's lower
    bound, from the same figures: the toll documented is at least the toll stated), and
    ordered."""
    low = np.maximum(low, cum_low)
    best = np.maximum(best, low)
    # a toll never falls, so a bound for a later day bounds every earlier one
    high = np.minimum.accumulate(np.maximum(high, best)[::-1])[::-1]
    return low, best, high


def _delays(by_series: dict, start_of: pd.Series) -> dict:
    """``(mean, spread)`` of the delay for the combined counters and for each counter, each
    learned from the revisions of all its series."""
    pooled: dict[str, list[np.ndarray]] = {COMBINED: []}
    for key, figs in by_series.items():
        figs = figs.where(figs.scope == "since_start")
        s0 = float(start_of.loc[key])
        pooled[COMBINED].append(revisions(figs, s0))
        for own in figs.by_counter():
            pooled.setdefault(own.names[own.counter[0]], []).append(revisions(own, s0))
    return {k: learn_delay(np.concatenate(v)) for k, v in pooled.items()}


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    """Whole counts: low rounded down, best to the nearest, high up (null stays null)."""
    for c, how in (("est_low", np.floor), ("est_best", np.round), ("est_high", np.ceil)):
        v = out[c].astype("Float64")
        out[c] = pd.array(how(v.to_numpy(dtype=float, na_value=np.nan)), dtype="Float64").astype(
            "Int64"
        )
    out["level"] = out["level"].astype(float)
    return out
