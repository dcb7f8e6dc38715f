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
2. **Misprints and stale reprints** are set aside by rules on the counter's own series, never by
   a running maximum: a figure more than :data:`MISPRINT_RATIO` times the median of the same
   counter's next figures (or, for a counter's last figures, of what its trend allows) is a
   misprint; a figure below the same counter's earlier figure is a stale reprint.
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
   quantile at the upper quantile of the rate, growing at that rate in the nowcast.

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

#: Default nominal coverage of ``[est_low, est_high]``.
LEVEL = 0.90
#: A figure this many times the median of its counter's next figures is a misprint.
MISPRINT_RATIO = 1.8
#: For a counter's last figures (no later ones), the ratio to the trend of its earlier ones.
TAIL_MISPRINT_RATIO = 2.5
#: A toll may exceed a later toll of its counter by this factor (qualifiers, rounding) at most.
LATER_SLACK = 1.25
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
#: Columns added to Daily.
EST_COLUMNS = ("est_low", "est_best", "est_high", "level")
SERIES = ["metric", "location", "subgroup"]
NEEDED_DAILY = (*SERIES, "counter", "date", "cum_low", "cum_best", "cum_high", "kind")
NEEDED_CLAIMS = (
    "claim_id", "metric", "value", "qualifier", "low", "high", "period_start", "period_end",
    "published", "location", "subgroup", "counted_by",
)  # fmt: skip
COMBINED = "combined"


def _day_numbers(s: pd.Series) -> np.ndarray:
    """Datetimes as whole days since 1970 (float, NaN for missing)."""
    v = pd.to_datetime(s).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = v.astype(np.int64).astype(float)
    out[np.isnat(v)] = np.nan
    return out


def _text(s: pd.Series) -> pd.Series:
    return s.astype("str").fillna("")


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


def series_figures(claims: pd.DataFrame, starts: pd.DataFrame) -> pd.DataFrame:
    """One row per figure (counter, series, day documented up to, value), before any cleaning.

    Parameters
    ----------
    claims
        A Claims table.
    starts
        ``metric``, ``location``, ``subgroup`` (text, ``""`` for missing) and ``start`` (day
        number): the first day of each series.

    Returns
    -------
    DataFrame
        ``metric``, ``location``, ``subgroup``, ``counter``, ``claim_id``, ``end``, ``published``,
        ``age`` (days from ``end`` to publication), ``value`` (the point the claim states:
        its value, else its lower bound), ``low``, ``high`` (``inf`` when unbounded) and
        ``scope``: ``"since_start"`` for a toll since the series start (stated so, or with no
        start) or a window added to the same counter's toll for the day before it starts;
        ``"part"`` for a window with no such toll (a lower bound only); ``"wider"`` for a
        figure from before the series start (a year's total, a war's toll), which covers
        more than the series (an upper bound only).
    """
    c = pd.DataFrame(
        {
            "metric": _text(claims["metric"]),
            "location": _text(claims["location"]),
            "subgroup": _text(claims["subgroup"]),
            "counter": _text(claims["counted_by"]),
            "claim_id": claims["claim_id"].astype("str").to_numpy(),
            "first": _day_numbers(claims["period_start"]),
            "end": _day_numbers(claims["period_end"]),
            "published": _day_numbers(claims["published"]),
            "low": pd.array(claims["low"], dtype="Int64").to_numpy(dtype=float, na_value=0.0),
            "high": pd.array(claims["high"], dtype="Int64").to_numpy(dtype=float, na_value=np.inf),
            "value": pd.array(claims["value"], dtype="Int64").to_numpy(
                dtype=float, na_value=np.nan
            ),
        }
    )
    c = c.merge(starts, on=SERIES, how="inner")
    c = c[c["end"] >= c["start"]]
    c["value"] = c["value"].fillna(c["low"])
    c = c.sort_values(["published", "claim_id"], kind="stable")
    c = c.drop_duplicates([*SERIES, "counter", "first", "end", "value"], keep="first")
    since_start = c["first"].isna() | (c["first"] == c["start"])
    windows = c[c["first"] > c["start"]]
    chained = _chain_windows(windows, c[since_start])
    parts = windows[~windows["claim_id"].isin(chained["claim_id"])]
    figures = pd.concat(
        [
            c[since_start].assign(scope="since_start"),
            chained.assign(scope="since_start"),
            c[c["first"] < c["start"]].assign(scope="wider"),
            parts.assign(scope="part"),
        ]
    )
    figures["age"] = figures["published"] - figures["end"]
    cols = [*SERIES, "counter", "claim_id", "end", "published", "age", "value", "low", "high",
            "scope"]  # fmt: skip
    return (
        figures[cols].sort_values([*SERIES, "counter", "end", "published"]).reset_index(drop=True)
    )


def _chain_windows(windows: pd.DataFrame, cumulative: pd.DataFrame) -> pd.DataFrame:
    """Windows of one counter added to its toll for the day before, in order of their start."""
    keys = [*SERIES, "counter"]
    by_key = {k: g for k, g in cumulative.groupby(keys, sort=False)}
    out = []
    for key, ws in windows.groupby(keys, sort=False):
        own = by_key.get(key)
        known = {} if own is None else own.sort_values("value").groupby("end").tail(1)
        known = {} if own is None else {r.end: r for r in known.itertuples(index=False)}
        for w in ws.sort_values(["first", "published"]).itertuples(index=False):
            before = known.get(w.first - 1)
            if before is None:
                continue
            row = w._replace(
                value=before.value + w.value,
                low=before.low + w.low,
                high=before.high + w.high,
                published=max(before.published, w.published),
            )
            out.append(row)
            if w.end not in known or known[w.end].value < row.value:
                known[w.end] = row
    return pd.DataFrame(out, columns=windows.columns) if out else windows.iloc[:0]


def _next_median(logv: pd.Series, key: np.ndarray, n: int = 3) -> np.ndarray:
    """Per group, the median of the next ``n`` values (NaN for the last)."""
    g = logv.groupby(key, sort=False)
    nxt = np.column_stack([g.shift(-i).to_numpy(dtype=float) for i in range(1, n + 1)])
    out = np.full(len(logv), np.nan)
    some = ~np.isnan(nxt).all(axis=1)
    out[some] = np.nanmedian(nxt[some], axis=1)
    return out


def _trend_limit(value: pd.Series, end: pd.Series, key: np.ndarray) -> np.ndarray:
    """Per group, what the two previous figures' trend allows on a figure's day (NaN with
    fewer than two, or more than :data:`RATE_WINDOW_DAYS` days after the previous one)."""
    g = pd.DataFrame({"v": value, "e": end}).groupby(key, sort=False)
    v1, v2 = g["v"].shift(1), g["v"].shift(2)
    e1, e2 = g["e"].shift(1), g["e"].shift(2)
    slope = ((v1 - v2) / (e1 - e2).clip(lower=1)).clip(lower=0)
    limit = np.maximum(v1, v1 + slope * (end - e1))
    return limit.where(end - e1 <= RATE_WINDOW_DAYS).to_numpy(dtype=float)


def _one_digit_less(value: float) -> list[int]:
    """The numbers left when one digit of ``value`` is deleted."""
    s = str(int(value))
    return [int(s[:i] + s[i + 1 :]) for i in range(len(s))] if len(s) > 1 else []


def _neighbours(value: pd.Series, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per group, 0.8 times the median of the three figures before each figure (0 if none)
    and :data:`LATER_SLACK` times the median of the three after it (NaN if none): where a
    toll since the start should lie. Medians, so that one stale reprint or misprint among
    the neighbours does not move the bounds."""
    g = value.groupby(key, sort=False)

    def median(*shifts):
        near = np.column_stack([g.shift(k).to_numpy(dtype=float) for k in shifts])
        out = np.full(len(near), np.nan)
        some = ~np.isnan(near).all(axis=1)
        out[some] = np.nanmedian(near[some], axis=1)
        return out

    return np.nan_to_num(0.8 * median(1, 2, 3), nan=0.0), LATER_SLACK * median(-1, -2, -3)


def _extra_digit(figures: pd.DataFrame, key: np.ndarray, mode: str = "any") -> np.ndarray:
    """What each figure reads as with one digit deleted, where that mends it (else NaN).

    A figure is read as an extra digit when deleting one digit puts it between its neighbours
    (:func:`_neighbours`) and either it lies above :data:`LATER_SLACK` times the median of its
    counter's next three figures (impossible for a cumulative count) or the reading was
    printed for the same day by another outlet; of several readings, one printed so, else one
    between the adjacent figures, nearest their midpoint. ``mode``: ``"strict"`` only where
    the adjacent figures agree (lie in order between the medians), ``"printed"`` only readings
    printed for the same day, ``"any"`` all.
    """
    value = figures["value"]
    lower, upper = _neighbours(value, key)
    v = value.to_numpy(dtype=float)
    end = figures["end"].to_numpy()
    g = value.groupby(key, sort=False)
    prev = np.nan_to_num(g.shift(1).to_numpy(dtype=float), nan=0.0)
    nxt = np.nan_to_num(g.shift(-1).to_numpy(dtype=float), nan=np.inf)
    day = [key, end]
    siblings = (value.groupby(day).transform("nunique") > 1).to_numpy()
    out = np.full(len(v), np.nan)
    for i in np.flatnonzero((v > upper) | siblings):
        fits = [
            c for c in _one_digit_less(v[i]) if lower[i] <= c <= np.nan_to_num(upper[i], nan=np.inf)
        ]
        printed = set(v[(key == key[i]) & (end == end[i])])
        if not (v[i] > upper[i] or printed & set(fits)) or not fits:
            continue
        lo, hi = prev[i], nxt[i]  # the adjacent figures: a mended toll belongs between them
        if mode == "printed" and not printed & set(fits):
            continue
        if not lower[i] <= lo <= hi <= np.nan_to_num(upper[i], nan=np.inf):
            if mode == "strict":
                continue
            lo, hi = lower[i] / 0.8, upper[i] / LATER_SLACK  # they disagree: the medians
        mid = (lo + np.nan_to_num(hi, posinf=lo, nan=lo)) / 2
        out[i] = min(fits, key=lambda c: (c not in printed, not lo <= c <= hi, abs(c - mid)))
    return out


def flag_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """``status`` of each figure of :func:`series_figures` and what a mended one ``reads_as``.

    ``status`` is ``"kept"``, ``"mended"`` (an extra digit deleted: ``reads_as`` holds the
    number it is read as), ``"misprint"`` (set aside) or ``"stale"`` for each toll since the
    series start; other figures keep their ``scope`` (``"part"``, ``"wider"``).

    Notes
    -----
    First a figure is mended where one deleted digit makes it agree with its counter (see
    ``_extra_digit``). A toll since the series start never falls, so a figure far above its
    counter's *next*
    figures is a misprint: more than :data:`MISPRINT_RATIO` times their median (an extra digit
    multiplies a number by 2 to 11). A counter's last figure has no next figures; it is a
    misprint when above :data:`TAIL_MISPRINT_RATIO` times what the trend of the two before it
    allows, unless it follows them by more than :data:`RATE_WINDOW_DAYS` days (a trend says
    little that far ahead). Then a figure below the largest kept figure of the same counter for an earlier day
    is a stale reprint: it was already counted on its first day.
    """
    status = figures["scope"].copy()
    reads_as = pd.Series(np.nan, index=figures.index)
    figures = since = figures[figures["scope"] == "since_start"]
    key = figures.groupby([*SERIES, "counter"], sort=False).ngroup().to_numpy()
    mend = np.full(len(figures), np.nan)
    for mode in ("strict", "printed", "strict", "any"):  # surest readings first: each one
        value = figures["value"].where(np.isnan(mend), mend)  # mends a neighbour of the next
        again = _extra_digit(figures.assign(value=value), key, mode)
        mend = np.where(np.isnan(mend), again, mend)
    mended = ~np.isnan(mend)
    value = figures["value"].where(~mended, mend)
    logv = np.log(value.clip(lower=1))
    nxt = _next_median(logv, key)
    trend = _trend_limit(value, figures["end"], key)
    misprint = ~mended & (
        (logv.to_numpy() - nxt > np.log(MISPRINT_RATIO))
        | (
            np.isnan(nxt)
            & (value.to_numpy() > TAIL_MISPRINT_RATIO * np.nan_to_num(trend, nan=np.inf))
        )
    )
    kept = figures[~misprint]
    day_max = value[~misprint].groupby([key[~misprint], kept["end"]], sort=True).max()
    earlier = day_max.groupby(level=0).cummax().groupby(level=0).shift(1)
    prev = earlier.reindex(pd.MultiIndex.from_arrays([key, figures["end"]])).to_numpy(dtype=float)
    stale = ~misprint & (value.to_numpy() < np.nan_to_num(prev, nan=-np.inf))
    status.loc[since.index] = np.where(
        misprint, "misprint", np.where(stale, "stale", np.where(mended, "mended", "kept"))
    )
    reads_as.loc[since.index] = mend
    return pd.DataFrame({"status": status, "reads_as": reads_as})


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
        A copy of ``daily`` with the four columns; ``est_high`` is never null. ``counter ==
        "combined"`` rows use every counter's figures, a counter's rows its own. Series with
        no usable figure, and stocks, keep their literal band (``est_* = cum_*``).

    Notes
    -----
    The estimate is of the toll the counters will eventually document for the days up to each
    date, assuming (1) counters undercount and catch up, never overcount; (2) the number of
    deaths not yet documented is the recent death rate times a mean documentation delay
    (Little's law), the delay being learned from later figures for the same days; (3) in the
    nowcast, deaths go on at the recent rate. It does not mutate its inputs.

    Examples
    --------
    >>> from stats.interpolate import interpolate
    >>> from stats.reconcile import reconcile
    >>> from stats.contract import validate
    >>> raw = pd.DataFrame({"metric": ["killed"] * 4, "value": ["100", "200", "2100", "300"],
    ...     "qualifier": ["exact"] * 4, "counted_by": ["SOHR"] * 4,
    ...     "period_start": ["2024-11-27"] * 4,
    ...     "period_end": ["2024-11-28", "2024-11-29", "2024-11-30", "2024-12-01"],
    ...     "published": ["2024-11-28", "2024-11-29", "2024-11-30", "2024-12-01"]})
    >>> claims, _ = validate(raw)
    >>> est, _ = reconcile(claims)
    >>> daily = add_eventual_estimates(interpolate(est, start=None), claims)
    >>> d = daily[daily["counter"] == "combined"]
    >>> d[["cum_best", "est_low", "est_best"]].astype(int).values.tolist()[-2:]
    [[250, 210, 267], [300, 300, 360]]

    The eventual estimate reads the misprint 2,100 as 210 (one digit too many, between its
    neighbours) and adds the backlog of a day's deaths (the prior, with no revisions to learn
    from).
    """
    _check(daily, claims, level)
    out = daily.copy()
    for c in EST_COLUMNS[:3]:
        out[c] = out[f"cum_{c[4:]}"].astype("Float64")
    out["level"] = float(level)
    if out.empty:
        return _typed(out)
    text = pd.DataFrame({c: _text(out[c]) for c in [*SERIES, "counter"]}, index=out.index)
    day = _day_numbers(out["date"])
    flows = (out["kind"] == "flow").to_numpy()
    first = pd.Series(day).groupby([text[c].to_numpy() for c in SERIES]).transform("min")
    s0 = (
        np.full(len(out), float(_day_numbers(pd.Series([start]))[0]))
        if start is not None
        else first.to_numpy()
    )
    starts = text[SERIES].assign(start=s0)[flows].drop_duplicates(SERIES)
    figures = series_figures(claims, starts)
    flags = flag_figures(figures)
    scale = (flags["reads_as"] / figures["value"]).where(flags["status"] == "mended", 1.0)
    figures = figures.assign(value=figures["value"] * scale, low=figures["low"] * scale,
                             high=figures["high"] * scale)  # fmt: skip
    figures = figures[flags["status"].isin(["kept", "mended", "wider", "part"])]
    by_series = {k: Figures.of(g) for k, g in figures.groupby(SERIES, sort=False)}
    start_of = starts.set_index(SERIES)["start"]
    delays = _delays(by_series, start_of)
    est = {c: out[c].to_numpy(dtype=float, na_value=np.nan) for c in EST_COLUMNS[:3]}
    for key, pos in text[flows].groupby([*SERIES, "counter"], sort=False).indices.items():
        figs = by_series.get(key[:3])
        if figs is not None and key[3] != COMBINED:
            figs = figs.where(figs.names[figs.counter] == key[3])
        if figs is None or not (figs.scope == "since_start").any():
            continue
        pos = np.flatnonzero(flows)[pos]
        pos = pos[np.argsort(day[pos], kind="stable")]
        s0 = float(start_of.loc[key[:3]])
        low, best, high = eventual_interval(figs, day[pos], s0, level, delays[key[3]])
        est["est_low"][pos], est["est_best"][pos], est["est_high"][pos] = low, best, high
    for c, v in est.items():
        out[c] = pd.array(v, dtype="Float64")
    return _typed(out)


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
