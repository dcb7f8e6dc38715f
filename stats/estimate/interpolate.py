"""From reconciled estimates to a daily calendar with intervals.

For every series and counter of an Estimates table (:func:`stats.estimate.reconcile.reconcile`),
:func:`interpolate` returns one row per calendar day from the series start: the cumulative
low / best / high, the daily new low / best / high, whether the day was reported and whether it
is a nowcast (after the last report).

* **The hard band** (``hard_low``, ``hard_high``) is what the evidence and monotonicity allow:
  between two reports of a flow, the true count is at least the earlier report's ``low`` and at
  most the later report's ``high``; after the last report it has no upper limit. Stocks may
  fall, so between reports their band is the hull of the two neighbouring reports (an
  assumption: no excursion between reports) and after the last report it is open.
* **best** comes from the method: ``"linear"`` (straight lines between reports), ``"pchip"``
  (monotone piecewise cubic Hermite, Fritsch and Carlson 1980, the rule of
  ``scipy.interpolate.PchipInterpolator``, for every series at once: never overshoots, so a
  non-decreasing series stays non-decreasing) or ``"state_space"`` (a local linear trend model
  written as a statsmodels ``MLEModel`` with a known, day-specific observation variance taken
  from the reported intervals, fitted by maximum likelihood with the unreported days missing;
  its Kalman-smoothed level is ``best`` and its 90% interval, clipped to the hard band, is
  ``cum_low``/``cum_high``).
* Reported days keep their reconciled values; nowcast days (after the last report up to
  ``end``) continue the last trend, with intervals that widen.

References
----------
Fritsch, F. N. and Carlson, R. E. (1980). Monotone piecewise cubic interpolation. *SIAM J.
Numer. Anal.* 17(2), 238-246. Durbin, J. and Koopman, S. J. (2012). *Time Series Analysis by
State Space Methods*, 2nd ed., Oxford (local linear trend model, chapter 3).
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd

from stats import contract
from stats.choices import INTERPOLATION_METHODS
from stats.days import as_day, check_span
from stats.errors import SchemaError, UserError
from stats.estimate.hierarchy import parts_within_wholes
from stats.estimate.lists import as_of, key_text, optional_text, run_starts, whole_numbers

#: Interpolation methods.
METHODS: dict[str, str] = INTERPOLATION_METHODS
#: Coverage of the state-space interval.
LEVEL = 0.90
#: Columns of the Daily table, in order (from the pandera model).
DAILY_COLUMNS: tuple[str, ...] = contract.DAILY_COLUMNS
NEEDED: tuple[str, ...] = (
    "metric", "location", "subgroup", "counter", "date", "low", "best", "high", "kind",
    "series_start",
)  # fmt: skip
_KEYS = ["metric", "location", "subgroup", "counter"]
_Z = 1.6448536269514722  # standard normal 95th percentile: a two-sided 90% interval


def _days(s) -> np.ndarray:
    v = pd.to_datetime(pd.Series(s)).to_numpy(dtype="datetime64[ns]")
    return v.astype("datetime64[D]").astype(np.int64).astype(float)


def knots_around(g, d, kg, kx) -> tuple[np.ndarray, np.ndarray]:
    """For every calendar day (group *g*, day *d*), the position in the knots (*kg*, *kx*,
    sorted by group and day) of its group's last knot on or before the day and of its first
    knot on or after it (-1 when there is none): the rows ``merge_asof`` by group picks
    (:func:`~stats.estimate.lists.as_of`)."""
    return as_of(kg, kx, g, d, "backward"), as_of(kg, kx, g, d, "forward")


def _check(estimates: pd.DataFrame, method: str) -> None:
    missing = [c for c in NEEDED if c not in estimates.columns]
    if missing:
        raise SchemaError(
            f"estimates table: missing column(s) {', '.join(missing)}; expected an Estimates "
            f"table (stats.reconcile) with {', '.join(NEEDED)}"
        )
    if method not in METHODS:
        raise UserError(f"unknown method {method!r}: expected one of {', '.join(METHODS)}")
    if estimates["best"].isna().any():
        i = int(np.flatnonzero(estimates["best"].isna().to_numpy())[0])
        raise SchemaError(
            f"estimates table, row {i + 1}, column best: missing; every estimate needs a best value"
        )
    dup = estimates.duplicated(_KEYS + ["date"]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise SchemaError(
            f"estimates table, row {i + 1}: a second row for the same series, "
            "counter and date; expected one"
        )


# ---------------------------------------------------------------------------------------------
# PCHIP: the Fritsch-Carlson derivatives of scipy's PchipInterpolator, every series at once
# ---------------------------------------------------------------------------------------------
def _edge_slope(h0, h1, m0, m1) -> np.ndarray:
    """The one-sided three-point derivative at an end knot, kept monotone (as scipy's
    ``PchipInterpolator``): zero when its sign differs from the first slope's, at most three
    times the first slope when the slopes change sign."""
    d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1)
    d = np.where(np.sign(d) != np.sign(m0), 0.0, d)
    return np.where((np.sign(m0) != np.sign(m1)) & (np.abs(d) > 3 * np.abs(m0)), 3 * m0, d)


def pchip_slopes(kg: np.ndarray, kx: np.ndarray, ky: np.ndarray) -> np.ndarray:
    """The derivative at every knot (*kg* sorted group numbers, *kx* increasing within a
    group) of the monotone piecewise cubic Hermite interpolant (Fritsch and Carlson 1980),
    the rule of ``scipy.interpolate.PchipInterpolator``: at an interior knot, zero where the
    slopes on either side differ in sign or one is zero, else their weighted harmonic mean
    (weights ``2h_k + h_{k-1}`` and ``h_k + 2h_{k-1}``); at the ends, :func:`_edge_slope`; a
    group of two knots is a straight line. NaN for a group of one knot."""
    n = len(kx)
    has_next = np.r_[kg[1:] == kg[:-1], False]
    has_prev = np.r_[False, has_next[:-1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(has_next, np.r_[np.diff(kx), np.nan], np.nan)  # knot k to k + 1
        m = np.where(has_next, np.r_[np.diff(ky), np.nan] / h, np.nan)
        h_prev, m_prev = np.r_[np.nan, h[:-1]], np.r_[np.nan, m[:-1]]  # knot k - 1 to k
        w1, w2 = 2 * h + h_prev, h + 2 * h_prev
        harmonic = 1.0 / ((w1 / m_prev + w2 / m) / (w1 + w2))
    flat = (np.sign(m) != np.sign(m_prev)) | (m == 0) | (m_prev == 0)
    slope = np.where(flat, 0.0, harmonic)
    first, last = has_next & ~has_prev, has_prev & ~has_next
    two = first & ~np.r_[has_next[1:], False]  # the group's only interval
    nxt, prv = np.minimum(np.arange(n) + 1, n - 1), np.maximum(np.arange(n) - 1, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        start = _edge_slope(h, h[nxt], m, m[nxt])
        stop = _edge_slope(h_prev, h_prev[prv], m_prev, m_prev[prv])
    slope = np.where(first, np.where(two, m, start), slope)
    slope = np.where(last, np.where(two[prv], m_prev, stop), slope)
    return np.where(has_next | has_prev, slope, np.nan)


def pchip_at(d, left, right, kg, kx, ky) -> np.ndarray:
    """The monotone cubic through each group's knots (*kg*, *kx*, *ky*), as
    :class:`scipy.interpolate.PchipInterpolator` draws it, at the days *d* whose knots before
    and after are *left* and *right* (:func:`knots_around`; -1 for none): NaN outside the
    knots and for a group of one knot. The Hermite cubic of each interval is evaluated for
    every day at once.

    Examples
    --------
    >>> kg, kx, ky = np.array([0, 0]), np.array([0.0, 2]), np.array([0.0, 4])
    >>> g, d = np.array([0, 0, 0]), np.array([0.0, 1, 2])
    >>> pchip_at(d, *knots_around(g, d, kg, kx), kg, kx, ky).tolist()
    [0.0, 2.0, 4.0]
    """
    slope = pchip_slopes(kg, kx, ky)
    ok = (left >= 0) & (right >= 0)
    a, b = np.where(ok, left, 0), np.where(ok, right, 0)
    # the cubic of the interval [x_a, x_b] in powers of s = x - x_a (the coefficients and the
    # order of operations of scipy's CubicHermiteSpline, so that the values are the same)
    h = kx[b] - kx[a]
    with np.errstate(divide="ignore", invalid="ignore"):
        secant = (ky[b] - ky[a]) / h
        t = (slope[a] + slope[b] - 2 * secant) / h
        c0, c1, c2, c3 = t / h, (secant - slope[a]) / h - t, slope[a], ky[a]
    s = d - kx[a]
    y = np.where(h > 0, c3 + c2 * s + c1 * (s * s) + c0 * (s * s * s), ky[a])
    return np.where(ok & ~np.isnan(slope[a]), y, np.nan)


# ---------------------------------------------------------------------------------------------
# the calendar
# ---------------------------------------------------------------------------------------------
def _calendar(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group, day) for every day first[g]..last[g] of every group g."""
    n = np.maximum(last - first + 1, 0).astype(np.int64)
    g = np.repeat(np.arange(len(n)), n)
    offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    return g, first[g] + offset


def interpolate(
    estimates: pd.DataFrame, start=None, end=None, method: str = "linear"
) -> pd.DataFrame:
    """One row per calendar day, series and counter: cumulative and daily new low/best/high.

    Parameters
    ----------
    estimates
        An Estimates table (:func:`stats.reconcile.reconcile`).
    start
        First calendar day (each series starts at the later of this and its own
        ``series_start``); ``None`` (default): each series' own start, as reconciled from the
        dataset's metadata.
    end
        Last calendar day; days after a series' last report are a nowcast. ``None``: each
        series ends at its last report.
    method
        ``"linear"``, ``"pchip"`` or ``"state_space"`` (:data:`METHODS`).

    Returns
    -------
    DataFrame
        A Daily table (:class:`stats.contract.models.Daily`, which defines its columns; the
        ``est_*`` columns are added by :func:`stats.estimate.delay.add_eventual_estimates`).

    Raises
    ------
    SchemaError
        When columns are missing, a best is missing, or a series has two rows for one day.
    UserError
        For an unknown method.

    Notes
    -----
    A flow's cumulative count is zero the day before its series start and never falls; a
    reported day's values are the reconciled ones. For flows the daily new count is bounded
    by ``max(0, cum_low[d] - cum_high[d-1])`` and ``cum_high[d] - cum_low[d-1]``; for stocks
    only its best (the change in ``cum_best``, which may be negative) is given. ``linear`` and
    ``pchip`` nowcasts continue the last segment's slope with the hard band (no upper limit);
    ``state_space`` forecasts with the model, whose interval widens with the horizon. The
    state-space model assumes the cumulative count follows a local linear trend (a random
    walk with a randomly drifting slope) observed with noise whose variance is fixed from the
    widths of the reported intervals; with fewer than three reports it falls back to straight lines (``"linear"``).

    Examples
    --------
    >>> n = pd.array([100, 400], dtype="Int64")
    >>> est = pd.DataFrame({"metric": "killed", "location": "Goma", "subgroup": [None, None],
    ...     "counter": "SOHR", "date": pd.to_datetime(["2024-11-28", "2024-12-01"]), "low": n,
    ...     "best": n, "high": n, "kind": "flow", "series_start": pd.Timestamp("2024-11-27")})
    >>> d = interpolate(est, method="linear")
    >>> d[["cum_low", "cum_best", "cum_high", "new_best"]].astype(str).values.tolist()
    [['0', '50', '100', '50'], ['100', '100', '100', '50'], ['100', '200', '400', '100'], ['100', '300', '400', '100'], ['400', '400', '400', '100']]
    """
    _check(estimates, method)
    start, end = as_day(start, "start"), as_day(end, "end")
    if estimates.empty:
        return empty_daily()
    if end is not None:
        check_span(min(estimates["date"].min(), estimates["series_start"].min()), end, "end")
    r = _reports(estimates, end)
    g, d = _calendar(r.cal_first.astype(np.int64), r.cal_last.astype(np.int64))
    d = d.astype(float)
    fl = r.flow[g]
    k = _knots(r.gk, r.day, r.best, r.low, r.high, r.flow & (r.s0 - 1 <= r.day[r.heads]), r.s0)
    around = knots_around(g, d, k.g, k.x)
    band = _hard_band(g, d, fl, k, around, r.last_report)
    cum = _cumulative(method, g, d, fl, k, around, band, r)
    out = _calendar_rows(r, g, d, band, *cum)
    # a part's band and best on a day lie within its whole's (same counter and day)
    out = parts_within_wholes(out, ("cum_low", "cum_best", "cum_high"))
    cum = [out[c].to_numpy(dtype=float, na_value=np.nan) for c in ("cum_low", "cum_best")]
    cum.append(out["cum_high"].to_numpy(dtype=float, na_value=np.inf))  # null: open
    out["new_low"], out["new_best"], out["new_high"] = _new_counts(g, fl, d == r.s0[g], *cum)
    if start is not None:
        out = out.loc[d >= _days([pd.Timestamp(start)])[0]]
    if end is not None:
        out = out.loc[out["date"].to_numpy() <= _days([pd.Timestamp(end)])[0]]
    return _daily_frame(out, method)


def _cumulative(method: str, g, d, fl, k, around, band, r) -> tuple[np.ndarray, ...]:
    """``cum_low``, ``cum_best``, ``cum_high`` on every calendar row: the method's best within
    the hard band (the state-space model's interval as the band), reported days at their
    reconciled values, and a flow never falling."""
    cur = _best_between(method, g, d, k, around, band, r)
    cum_low, cum_high = band.low.copy(), band.high.copy()
    if method == "state_space":
        cur, cum_low, cum_high = _state_space(g, d, cur, band, k)
    ib = np.maximum(around[0], 0)
    rep = band.reported
    # reported days keep their reconciled values
    cum_low = np.where(rep, k.low[ib], cum_low)
    cum_high = np.where(rep, k.high[ib], cum_high)
    cum_best = np.where(rep, k.y[ib], np.round(np.clip(cur, band.low, band.high)))
    # flows: cumulative never falls, and reported days keep their values
    return _monotone_keeping_reports(g, fl, rep, cum_low, cum_best, cum_high)


def _calendar_rows(r, g, d, band, cum_low, cum_best, cum_high) -> pd.DataFrame:
    """The calendar rows: each group's keys and kind, the day and the cumulative columns."""

    def per_group(col):  # a text column of info, one value per calendar row
        return pd.array(r.info[col].to_numpy(dtype=object), dtype="str").take(g)

    return pd.DataFrame(
        {
            **{col: per_group(col) for col in _KEYS},
            "date": d,
            "cum_low": cum_low,
            "cum_best": cum_best,
            "cum_high": cum_high,
            "is_reported": band.reported,
            "is_nowcast": band.nowcast,
            "hard_low": band.low,
            "hard_high": band.high,
            "kind": per_group("kind"),
        }
    )


def _reports(estimates: pd.DataFrame, end) -> SimpleNamespace:
    """The estimates sorted by series, counter and date, as arrays: group number ``gk`` (of
    ``ng``), ``day``, ``low``, ``high`` (inf: open), ``best``; per group ``info`` (keys and
    kind), ``heads`` (its first row), ``s0`` (series start), ``flow``, ``last_report`` and the
    calendar it spans (``cal_first``: the series start for flows; ``cal_last``: the last
    report or *end*)."""
    e = estimates.copy()
    for c in ("location", "subgroup"):
        e[c] = key_text(e[c])
    e = e.sort_values(_KEYS + ["date"], kind="stable").reset_index(drop=True)
    r = SimpleNamespace(gk=e.groupby(_KEYS, sort=False).ngroup().to_numpy(), day=_days(e["date"]))
    r.ng = int(r.gk.max()) + 1
    r.low = pd.array(e["low"], dtype="Int64").to_numpy(dtype=float, na_value=0.0)
    r.high = pd.array(e["high"], dtype="Int64").to_numpy(dtype=float, na_value=np.inf)
    r.best = pd.array(e["best"], dtype="Int64").to_numpy(dtype=float)
    r.heads = run_starts(r.gk)
    r.info = e.loc[r.heads, _KEYS + ["kind"]].reset_index(drop=True)
    r.s0 = _days(e.loc[r.heads, "series_start"])
    r.flow = (r.info["kind"] == "flow").to_numpy()
    first_report = r.day[r.heads]
    r.last_report = pd.Series(r.day).groupby(r.gk).max().to_numpy()
    r.cal_first = np.minimum(np.where(r.flow, r.s0, first_report), first_report)
    r.cal_last = r.last_report.copy()
    if end is not None:
        r.cal_last = np.maximum(r.cal_last, _days([pd.Timestamp(end)])[0])
    return r


def _hard_band(g, d, fl, k: SimpleNamespace, around, last_report) -> SimpleNamespace:
    """What the evidence and monotonicity allow on every calendar day (group *g*, day *d*):
    ``low``, ``high`` (inf: open), whether the day is ``reported`` (a knot that is a report)
    and whether it is a ``nowcast`` (after the group's last report)."""
    ib, ia = around
    has_b, has_a = ib >= 0, ia >= 0
    ib, ia = np.maximum(ib, 0), np.maximum(ia, 0)
    reported = has_b & (k.x[ib] == d) & k.rep[ib]
    lo_prev = np.where(has_b, k.low[ib], 0.0)
    hi_next = np.where(has_a, k.high[ia], np.inf)
    lo_next = np.where(has_a, k.low[ia], np.nan)
    hi_prev = np.where(has_b & k.rep[ib], k.high[ib], np.nan)
    # flows: the earlier report's low, the later report's high; stocks: the neighbours' hull
    low = np.where(fl, lo_prev, np.fmin(np.where(has_b & k.rep[ib], lo_prev, np.nan), lo_next))
    high = np.where(fl, hi_next, np.fmax(hi_prev, np.where(has_a, hi_next, np.nan)))
    nowcast = d > last_report[g]
    low = np.where(~fl & nowcast, 0.0, np.nan_to_num(low, nan=0.0))
    high = np.where(nowcast, np.inf, np.where(np.isnan(high), np.inf, high))
    return SimpleNamespace(low=low, high=high, reported=reported, nowcast=nowcast)


def _best_between(method, g, d, k, around, band, r) -> np.ndarray:
    """The best before clipping: a knot's value on its day; between knots, the method's
    curve (straight lines; ``pchip`` and ``state_space`` start from ``pchip``'s or the
    lines); in the nowcast, the last segment's slope continued; before the first knot, the
    first knot's value."""
    ib, ia = around
    has_b, has_a = ib >= 0, ia >= 0
    ib, ia = np.maximum(ib, 0), np.maximum(ia, 0)
    inside = has_b & has_a & (k.x[ia] > k.x[ib])
    if method == "pchip":
        curve = pchip_at(d, *around, k.g, k.x, k.y)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (d - k.x[ib]) / (k.x[ia] - k.x[ib])
            curve = k.y[ib] + (k.y[ia] - k.y[ib]) * t
    last_x, last_y, first_y, slope = _last_segment(k.g, k.x, k.y, k.rep, r.flow, r.ng)
    later = np.where(band.nowcast, last_y[g] + slope[g] * (d - last_x[g]), first_y[g])
    on_knot = band.reported | (has_b & (k.x[ib] == d))
    return np.where(on_knot, k.y[ib], np.where(inside, curve, later))


def _knots(gk, day, best, low, high, anchored, s0):
    """The knots of every group, sorted by group and day: its reports, plus (start - 1, 0)
    for *anchored* groups (flows); a report dated the day before the start replaces the
    anchor. Returns ``g`` (group), ``x`` (day), ``y`` (best), ``low``, ``high`` and ``rep``
    (whether the knot is a report)."""
    na = int(anchored.sum())
    kg = np.r_[gk, np.flatnonzero(anchored)]
    kx = np.r_[day, s0[anchored] - 1]
    ky = np.r_[best, np.zeros(na)]
    kl = np.r_[low, np.zeros(na)]
    kh = np.r_[high, np.zeros(na)]
    krep = np.r_[np.ones(len(day), bool), np.zeros(na, bool)]
    o = np.lexsort((~krep, kx, kg))
    kg, kx, ky, kl, kh, krep = kg[o], kx[o], ky[o], kl[o], kh[o], krep[o]
    keep = run_starts(kg, kx)
    return SimpleNamespace(
        g=kg[keep], x=kx[keep], y=ky[keep], low=kl[keep], high=kh[keep], rep=krep[keep]
    )


def _last_segment(kg, kx, ky, krep, flow, ng):
    """Per group, for the nowcast: the last knot's day and best, the first knot's best, and
    the slope of the last segment between two reports (0 for stocks and for a group with one
    report, which is held flat; never negative)."""
    lastk = np.r_[kg[1:] != kg[:-1], True]
    seg_slope = np.zeros(ng)
    two = lastk & np.r_[False, (kg[1:] == kg[:-1]) & krep[:-1]]
    li = np.flatnonzero(two)
    seg_slope[kg[li]] = (ky[li] - ky[li - 1]) / (kx[li] - kx[li - 1])
    last_y, last_x = np.zeros(ng), np.zeros(ng)
    last_y[kg[lastk]] = ky[lastk]
    last_x[kg[lastk]] = kx[lastk]
    first_y = pd.Series(ky).groupby(kg).first().reindex(range(ng)).to_numpy()
    return last_x, last_y, first_y, np.where(flow, np.maximum(seg_slope, 0.0), 0.0)


def _new_counts(g, fl, at_start, cum_low, cum_best, cum_high):
    """Daily new low / best / high from the cumulative ones (flows: zero the day before the
    start; the new count's bounds from the neighbouring days' bands; stocks: best only)."""
    first_row = run_starts(g)
    zero = first_row & at_start & fl

    def prev(a):
        return np.where(zero, 0.0, np.where(first_row, np.nan, np.r_[np.nan, a[:-1]]))

    pb, pl, ph = prev(cum_best), prev(cum_low), prev(cum_high)
    new_low = np.where(fl, np.maximum(cum_low - ph, 0.0), np.nan)
    new_low = np.where(np.isnan(ph) | ~fl, np.nan, new_low)
    return new_low, cum_best - pb, np.where(fl, cum_high - pl, np.nan)


def _cummax(g, x):
    return pd.Series(x).groupby(g).cummax().to_numpy()


def _rev_cummin(g, x):
    return pd.Series(x[::-1]).groupby(g[::-1]).cummin().to_numpy()[::-1]


def _monotone_keeping_reports(g, fl, rep, low, best, high):
    """Non-decreasing low/best/high for flows, equal to the reported values on reported days.

    ``low``: the running maximum, capped by the next reported low (reported lows are
    non-decreasing, so on a reported day the two agree); ``high``: the running minimum from
    the end, floored by the last reported high; ``best``: the running maximum capped by the
    next reported best, then clipped to the band.
    """
    l1 = _cummax(g, low)
    cap = _rev_cummin(g, np.where(rep, low, np.inf))
    lo = np.where(fl, np.minimum(l1, cap), low)
    h1 = _rev_cummin(g, high)
    floor = _cummax(g, np.where(rep, high, -np.inf))
    hi = np.where(fl, np.maximum(h1, floor), high)
    b1 = _cummax(g, best)
    bcap = _rev_cummin(g, np.where(rep, best, np.inf))
    b = np.where(fl, np.minimum(b1, bcap), best)
    return lo, np.clip(b, lo, hi), hi


def _to_date(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")


def _daily_frame(out: pd.DataFrame, method: str) -> pd.DataFrame:
    out = out.reset_index(drop=True)
    res = pd.DataFrame(
        {
            "metric": out["metric"].astype("str"),
            "location": optional_text(out["location"]),
            "subgroup": optional_text(out["subgroup"]),
            "counter": out["counter"].astype("str"),
            "date": pd.Series(_to_date(out["date"].to_numpy(dtype=float)), dtype="datetime64[ns]"),
        }
    )
    for c in (
        "cum_low",
        "cum_best",
        "cum_high",
        "new_low",
        "new_best",
        "new_high",
        "hard_low",
        "hard_high",
    ):
        v = out[c].to_numpy(dtype=float)
        if c in ("cum_low", "hard_low", "new_low"):
            v = np.floor(v + 1e-9)
        elif c in ("cum_high", "hard_high", "new_high"):
            v = np.ceil(v - 1e-9)
        res[c] = whole_numbers(v)
    res["is_reported"] = out["is_reported"].astype(bool)
    res["is_nowcast"] = out["is_nowcast"].astype(bool)
    res["method"] = pd.array([method], dtype="str").take(np.zeros(len(out), dtype=np.intp))
    res["kind"] = out["kind"].astype("str")
    return res[list(DAILY_COLUMNS)]


def empty_daily() -> pd.DataFrame:
    """An empty Daily table with the right dtypes."""
    cols = {c: [] for c in DAILY_COLUMNS}
    df = pd.DataFrame(cols)
    df["date"] = df["date"].astype("float")
    return _daily_frame(df.assign(is_reported=[], is_nowcast=[]), "linear")


# ---------------------------------------------------------------------------------------------
# state space: a local linear trend per series
# ---------------------------------------------------------------------------------------------
def _state_space(g, d, cur, band: SimpleNamespace, k: SimpleNamespace):
    """Kalman-smoothed level and its 90% interval per group, clipped to the hard band."""
    hard_low, hard_high = band.low, band.high
    kg, kx, ky, kl, kh, krep = k.g, k.x, k.y, k.low, k.high, k.rep
    best = cur.astype(float).copy()
    lo = hard_low.astype(float).copy()
    hi = hard_high.astype(float).copy()
    starts = np.flatnonzero(run_starts(g))
    ends = np.r_[starts[1:], len(g)]
    kstarts = np.flatnonzero(run_starts(kg))
    kends = np.r_[kstarts[1:], len(kg)]
    kmap = dict(
        zip(kg[kstarts].tolist(), zip(kstarts.tolist(), kends.tolist(), strict=True), strict=True)
    )
    for a, b in zip(starts, ends, strict=True):
        ka, kb = kmap[int(g[a])]
        fit = _fit_local_linear_trend(
            d[a:b], kx[ka:kb], ky[ka:kb], kl[ka:kb], kh[ka:kb], krep[ka:kb]
        )
        if fit is None:
            continue
        level, sd = fit
        best[a:b] = level
        lo[a:b] = np.maximum(level - _Z * sd, hard_low[a:b])
        hi[a:b] = np.minimum(level + _Z * sd, hard_high[a:b])
        # where the model and the hard band do not meet, keep the hard band
        bad = lo[a:b] > hi[a:b]
        lo[a:b][bad] = hard_low[a:b][bad]
        hi[a:b][bad] = hard_high[a:b][bad]
    return best, lo, hi


def _llt_model():
    """A local linear trend model with a known, time-varying observation variance."""
    from statsmodels.tsa.statespace.mlemodel import MLEModel

    class LocalLinearTrend(MLEModel):
        def __init__(self, endog, obs_var):
            super().__init__(endog, k_states=2, k_posdef=2, initialization="diffuse")
            self["design"] = np.array([[1.0, 0.0]])
            self["transition"] = np.array([[1.0, 1.0], [0.0, 1.0]])
            self["selection"] = np.eye(2)
            self["obs_cov"] = obs_var.reshape(1, 1, -1)

        @property
        def param_names(self):
            return ["sigma2.level", "sigma2.trend"]

        @property
        def start_params(self):
            y = self.endog[:, 0]
            ok = np.isfinite(y)
            v = np.var(np.diff(y[ok])) if ok.sum() > 2 else 1.0
            return np.array([max(v, 1e-4), max(v, 1e-4) / 10])

        def transform_params(self, unconstrained):
            return unconstrained**2

        def untransform_params(self, constrained):
            return constrained**0.5

        def update(self, params, **kwargs):
            params = super().update(params, **kwargs)
            self["state_cov"] = np.diag(params)

    return LocalLinearTrend


def _fit_local_linear_trend(days, kx, ky, kl, kh, krep):
    """Smoothed level and its standard deviation on *days*; None when too little data.

    Each report is observed at the middle of its reconciled interval with the interval read
    as a 90% one (sd = width / 3.29, at least 1% of the level); a report with no upper limit
    is observed at its best with an sd of half its value; the anchor (zero the day before a
    flow starts) is exact.
    """
    if krep.sum() < 3:
        return None
    x0 = min(days.min(), kx.min())
    n = int(max(days.max(), kx.max()) - x0 + 1)
    scale = max(float(np.nanmax(np.abs(np.r_[ky, kl[np.isfinite(kl)]]))), 1.0)
    centre = np.where(np.isfinite(kh), (kl + kh) / 2, ky)
    sd = np.where(np.isfinite(kh), (kh - kl) / (2 * _Z), 0.5 * np.maximum(ky, 1.0))
    sd = np.maximum(sd, 0.01 * np.maximum(centre, 1.0))
    sd = np.where(krep, sd, 1e-3)
    y = np.full(n, np.nan)
    var = np.full(n, 1.0)
    idx = (kx - x0).astype(int)
    y[idx] = centre / scale
    var[idx] = (sd / scale) ** 2
    model = _llt_model()(y, var)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = model.fit(disp=False, maxiter=200)
    except (np.linalg.LinAlgError, ValueError):
        return None
    level = res.smoothed_state[0] * scale
    v = np.maximum(res.smoothed_state_cov[0, 0], 0.0) * scale**2
    at = (days - x0).astype(int)
    return level[at], np.sqrt(v[at])
