"""Misprints: figures a counter's own series contradicts and the other counters do not back.

A printing with an extra digit ("8266 killed" for 826) would otherwise set a bound and a best
for good. One rule finds misprints for both estimates of :mod:`stats.estimate`: the literal
band (:func:`stats.reconcile.reconcile` sets such a figure aside as an ``outlier`` conflict
naming the claim: it sets no bound and no best) and the eventual toll
(:mod:`stats.estimate.delay` reads a figure with an extra digit as the number without it, and
leaves other misprints out).

The rule, for the tolls of one counter since the series start (:func:`series_figures`; a
calendar month added to the counter's toll before it counts as one), in order of the day they
cover (:func:`flag_figures`):

1. **An extra digit**: a figure that one deleted digit puts between its counter's figures
   before and after it, where it lies above what the later ones allow or where the reading was
   printed for the same day by another outlet, is *mended* (read as that number).
2. **Too high for what follows**: a toll never falls, so a figure more than
   :data:`MISPRINT_RATIO` times the median of its counter's next figures (two or three of
   them) is a misprint; a counter's last figure (or last but one, above the last), more than
   :data:`TAIL_MISPRINT_RATIO` times what its two previous figures allow (within
   :data:`TREND_DAYS` days: their trend, and at least the upper bound the previous one
   states, as "about 200" or "between 100 and 300" do); a figure more than :data:`MISPRINT_RATIO` times both
   that trend and another printing of its counter for the same day. One figure against one
   other decides nothing, nor does a figure below :data:`MIN_MISPRINT`. Set aside, a
   misprint no longer hides its neighbour: the rule is
   applied again to the figures left (three rounds at most).
3. **Backed by others**: neither holds where the other counters' tolls dated from
   :data:`WINDOW_DAYS` days before to :data:`BACKING_LAG_DAYS` day after the figure have a
   median at least ``1 / MISPRINT_RATIO`` of it (:func:`corroborated`): a surge every counter
   reports is real.
4. A figure below its counter's largest kept toll for an earlier day is a *stale* reprint (it
   speaks for its first publication, see :mod:`stats.estimate.dedupe`).

Stocks (``idps``) may fall, so rule 2 cannot hold for them: a stock figure is an outlier when
it is more than :data:`FACTOR` times away from most neighbouring figures of its own counter
and, where they exist, of the other counters, the larger of the two being
:data:`MIN_MISPRINT` at least (:func:`stock_outliers`). Two figures alone that
disagree are not outliers (neither is more credible); they stay evidence and show as a
conflict of their own kind.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats.estimate.conflicts import conflict_rows, fmt_count, fmt_day
from stats.estimate.lists import each_match, key_text

#: The columns that name a series.
SERIES = ["metric", "location", "subgroup"]
#: A toll this many times the median of its counter's next figures is a misprint (an extra
#: digit multiplies a number by 2 to 11).
MISPRINT_RATIO = 1.8
#: For a counter's last figures (no later ones), the ratio to the trend of its earlier ones.
TAIL_MISPRINT_RATIO = 2.5
#: A toll may exceed a later toll of its counter by this factor (qualifiers, rounding) at most.
LATER_SLACK = 1.25
#: A trend of two figures says nothing about a figure more than this many days after them.
TREND_DAYS = 7
#: Other counters' figures within this many days of a figure back it or contradict it.
WINDOW_DAYS = 3
#: A figure below this is never set aside as a misprint: an extra digit makes a number of two
#: digits at least, and between figures of one digit a factor of two is a difference of a few.
MIN_MISPRINT = 10
#: Other counters' tolls dated at most this many days after a figure can back it: a toll
#: since the start grows, so a later one says what was counted by then, not on the figure's
#: day (early in a crisis three days can double a toll).
BACKING_LAG_DAYS = 1
#: Stocks: how many times larger (or smaller) than its neighbours a figure must be.
FACTOR = 5.0


def day_numbers(s: pd.Series) -> np.ndarray:
    """Datetimes as whole days since 1970 (float, NaN for missing)."""
    v = pd.to_datetime(s).to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = v.astype(np.int64).astype(float)
    out[np.isnat(v)] = np.nan
    return out


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

    def column(name):  # a column a Claims table may leave out: missing throughout
        return claims[name] if name in claims else pd.Series(pd.NA, index=claims.index)

    c = pd.DataFrame(
        {
            "metric": key_text(claims["metric"]),
            "location": key_text(column("location")),
            "subgroup": key_text(column("subgroup")),
            "counter": key_text(column("counted_by")),
            "claim_id": claims["claim_id"].astype("str").to_numpy(),
            "first": day_numbers(column("period_start")),
            "end": day_numbers(claims["period_end"]),
            "published": day_numbers(column("published")),
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
    # by publication, then claim id (figures from dedupe come sorted by id: a stable sort by
    # date alone keeps that order)
    by_id = claims["claim_id"].is_monotonic_increasing
    c = c.sort_values("published" if by_id else ["published", "claim_id"], kind="stable")
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
    """Windows of one counter added to its latest toll before the window starts, in order of
    their start (with days between them, the sum is a lower bound: its high is open)."""
    keys = [*SERIES, "counter"]
    if windows.empty:
        return windows
    cumulative = cumulative.merge(windows[keys].drop_duplicates(), on=keys)  # their tolls only
    cols = ["end", "value", "low", "high", "published"]
    tolls = {k: g[cols].to_numpy(dtype=float) for k, g in cumulative.groupby(keys, sort=False)}
    arrays = windows[["first", *cols]].to_numpy(dtype=float)
    at, sums = [], []  # the windows chained (positions in *windows*) and their sums
    for key, pos in windows.groupby(keys, sort=False).indices.items():
        own = tolls.get(key, np.empty((0, len(cols))))
        # per day, the toll with the highest value (the last of them in order of value)
        known = {t[0]: tuple(t) for t in own[np.argsort(own[:, 1], kind="quicksort")]}
        ws = arrays[pos]
        for i in np.lexsort((ws[:, 5], ws[:, 0])):  # by start, then publication
            first, end, value, low, high, published = ws[i]
            earlier = [e for e in known if e < first]
            if not earlier:
                continue
            b_end, b_value, b_low, b_high, b_published = known[max(earlier)]
            # days between that toll and the window are counted by neither: no upper bound
            gap = b_end < first - 1
            row = (end, b_value + value, b_low + low, np.inf if gap else b_high + high,
                   max(b_published, published))  # fmt: skip
            at.append(pos[i])
            sums.append(row[1:])
            if end not in known or known[end][1] < row[1]:
                known[end] = row
    if not at:
        return windows.iloc[:0]
    chained = windows.iloc[at].copy()
    chained[["value", "low", "high", "published"]] = np.array(sums, dtype=float)
    return chained


def row_median(values: np.ndarray) -> np.ndarray:
    """The median of each row's values that are not NaN (NaN for a row with none): what
    ``np.nanmedian(values, axis=1)`` gives, by one sort of the rows.

    Examples
    --------
    >>> row_median(np.array([[3.0, 1.0, np.nan], [5.0, np.nan, np.nan], [np.nan] * 3])).tolist()
    [2.0, 5.0, nan]
    """
    s = np.sort(values, axis=1)  # NaN last
    k = (~np.isnan(s)).sum(axis=1)
    rows = np.arange(len(s))
    lower = s[rows, np.maximum((k - 1) // 2, 0)]
    upper = s[rows, np.maximum(k // 2, 0)]
    return np.where(k > 0, (lower + upper) / 2, np.nan)


def group_shift(values, key: np.ndarray, k: int) -> np.ndarray:
    """Per group of *key*, the value *k* rows before each row (``k < 0``: after), in row
    order; NaN past the group's ends: what ``groupby(key, sort=False).shift(k)`` gives.

    Examples
    --------
    >>> group_shift([1.0, 2.0, 3.0, 4.0], np.array([0, 1, 0, 0]), 1).tolist()
    [nan, nan, 1.0, 3.0]
    """
    v = np.asarray(values, dtype=float)
    order = np.argsort(key, kind="stable")  # each group's rows together, in row order
    g, s = np.asarray(key)[order], v[order]
    moved = np.full(len(v), np.nan)
    n = abs(k)
    if 0 < n < len(v):
        if k > 0:
            moved[n:] = np.where(g[n:] == g[:-n], s[:-n], np.nan)
        else:
            moved[:-n] = np.where(g[:-n] == g[n:], s[n:], np.nan)
    elif k == 0:
        moved = s
    out = np.empty(len(v))
    out[order] = moved
    return out


def _shifted(values: pd.Series, key: np.ndarray, shifts) -> np.ndarray:
    """Per group, the values *shifts* rows away (one column per shift; NaN past the ends)."""
    return np.column_stack([group_shift(values, key, k) for k in shifts])


def _next_median(logv: pd.Series, key: np.ndarray, n: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the median of the next ``n`` values (NaN for the last) and how many there
    are."""
    nxt = _shifted(logv, key, range(-1, -n - 1, -1))
    return row_median(nxt), (~np.isnan(nxt)).sum(axis=1)


def _trend_limit(figures: pd.DataFrame, key: np.ndarray) -> np.ndarray:
    """Per group, what the two previous figures allow on a figure's day: their trend, and at
    least the previous figure's own upper bound where it states one ("about 200", "between
    100 and 300": the toll could already be that high). NaN with fewer than two, more than
    :data:`TREND_DAYS` days after the previous one, or when the previous one is 0: a count
    that was nil gives no scale to judge a rise by."""
    v, e = figures["value"].to_numpy(dtype=float), figures["end"].to_numpy(dtype=float)
    v1, v2 = group_shift(v, key, 1), group_shift(v, key, 2)
    e1, e2 = group_shift(e, key, 1), group_shift(e, key, 2)
    slope = np.maximum((v1 - v2) / np.maximum(e1 - e2, 1), 0)
    limit = np.maximum(v1, v1 + slope * (e - e1))
    h1 = group_shift(figures["high"].to_numpy(dtype=float), key, 1)
    limit = np.where(np.isfinite(h1), np.maximum(limit, h1), limit)  # inf: no upper bound
    return np.where((e - e1 <= TREND_DAYS) & (v1 > 0), limit, np.nan)


def one_digit_less(values: np.ndarray) -> np.ndarray:
    """Per value (a whole number), the numbers left when one of its digits is deleted: one
    column per digit from the left, NaN where the value has fewer digits (or one only), and
    where what is left starts with a zero: a number is never printed with a leading zero, so
    300 is no misprint of "00" (10 may be one of 0).

    Examples
    --------
    >>> one_digit_less(np.array([8266.0, 7.0]))[:, :4].tolist()
    [[266.0, 866.0, 826.0, 826.0], [nan, nan, nan, nan]]
    >>> one_digit_less(np.array([300.0, 10.0, 1005.0])).tolist()
    [[nan, 30.0, 30.0, nan], [0.0, 1.0, nan, nan], [nan, 105.0, 105.0, 100.0]]
    """
    v = np.asarray(values, dtype=float)
    n_digits = digits(v)
    out = np.full((len(v), max(int(n_digits.max(initial=0)), 1)), np.nan)
    for j in range(out.shape[1]):  # delete the (j + 1)-th digit from the left
        right = 10.0 ** np.maximum(n_digits - j - 1, 0)  # the digits after it
        reading = np.floor(v / (10 * right)) * right + np.mod(v, right)
        printable = digits(reading) == n_digits - 1  # no leading zero left
        out[:, j] = np.where((j < n_digits) & (n_digits > 1) & printable, reading, np.nan)
    return out


def digits(values: np.ndarray) -> np.ndarray:
    """How many digits each whole number is printed with (0 has one; NaN: 1)."""
    return np.floor(np.log10(np.maximum(np.nan_to_num(values), 1))).astype(int) + 1


def day_key(key: np.ndarray, end: np.ndarray) -> np.ndarray:
    """One integer per group of *key* and day number *end* (a counter series' day)."""
    return np.asarray(key).astype(np.int64) * 1_000_000 + np.asarray(end).astype(np.int64)


def day_extremes(values: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the smallest and the largest of *values* of its *day* (:func:`day_key`; NaN
    left out): what ``groupby(day).transform("min")`` (and ``"max"``) give."""
    _, at = np.unique(day, return_inverse=True)
    least, most = np.full(at.max(initial=-1) + 1, np.nan), np.full(at.max(initial=-1) + 1, np.nan)
    np.fmin.at(least, at, values)
    np.fmax.at(most, at, values)
    return least[at], most[at]


def _neighbours(value: pd.Series, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per group, 0.8 times the median of the three figures before each figure (0 if none)
    and :data:`LATER_SLACK` times the median of the three after it (NaN if none): where a
    toll since the start should lie. Medians, so that one stale reprint or misprint among
    the neighbours does not move the bounds."""
    before = row_median(_shifted(value, key, (1, 2, 3)))
    after = row_median(_shifted(value, key, (-1, -2, -3)))
    return np.nan_to_num(0.8 * before, nan=0.0), LATER_SLACK * after


def _extra_digit(figures: pd.DataFrame, key: np.ndarray, mode: str = "any") -> np.ndarray:
    """What each figure reads as with one digit deleted, where that mends it (else NaN).

    A figure is read as an extra digit when deleting one digit puts it between its neighbours
    (:func:`_neighbours`) and either it lies above :data:`LATER_SLACK` times the median of its
    counter's next three figures (impossible for a cumulative count; for its counter's last
    figure, :data:`LATER_SLACK` times what the trend of the two before allows, where it lies
    :data:`TAIL_MISPRINT_RATIO` times above it), with at least two other figures of its
    counter to judge by; or it lies above :data:`LATER_SLACK` times the very
    next figure and the reading between the adjacent figures (with two others to judge by:
    an early toll that grows fast has later figures near its misprint); or the reading was
    printed for the same day by another outlet; of several readings, one printed so, else one
    between the adjacent figures, nearest their midpoint. ``mode``: ``"strict"`` only where
    the adjacent figures agree (lie in order between the medians), ``"printed"`` only readings
    printed for the same day, ``"any"`` all.
    """
    value = figures["value"]
    lower, upper = _neighbours(value, key)
    v = value.to_numpy(dtype=float)
    # a counter's last figure: what the trend of the two before it allows, where it lies far
    # above that (rule 2)
    trend = _trend_limit(figures, key)
    last = np.isnan(upper) & (v > TAIL_MISPRINT_RATIO * trend)
    upper = np.where(last, LATER_SLACK * trend, upper)
    end = figures["end"].to_numpy()
    prev = np.nan_to_num(group_shift(v, key, 1), nan=0.0)
    nxt = np.nan_to_num(group_shift(v, key, -1), nan=np.inf)
    same_day = day_key(key, end)
    least, most = day_extremes(v, same_day)
    siblings = least < most  # another value printed for the counter's day
    size = np.bincount(key)[key]  # figures of the counter series
    # the values printed for each counter's day: rows sorted by (counter series, day)
    order = np.argsort(same_day, kind="stable")
    sorted_days = same_day[order]
    out = np.full(len(v), np.nan)
    above_next = v > LATER_SLACK * nxt
    # only a figure above what follows it, or with another printing that day, can be mended:
    # the readings of those, and which fall between the neighbours
    ask = np.flatnonzero((v > upper) | siblings | above_next)
    readings = one_digit_less(v[ask])
    cap = np.nan_to_num(upper[ask], nan=np.inf)[:, None]
    fit = (readings >= lower[ask, None]) & (readings <= cap)
    for a in np.flatnonzero(fit.any(axis=1)):
        i = ask[a]
        fits = [int(c) for c in dict.fromkeys(readings[a][fit[a]])]
        between = any(prev[i] <= c <= nxt[i] for c in fits)
        a, b = (
            np.searchsorted(sorted_days, same_day[i], side="left"),
            np.searchsorted(sorted_days, same_day[i], side="right"),
        )
        printed = set(v[order[a:b]])
        # above what later figures allow, with two or more others to judge by; or printed
        judged = size[i] >= 3 and (v[i] > upper[i] or (above_next[i] and between))
        if not (judged or printed & set(fits)):
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


def near_pairs(
    left: pd.DataFrame, right: pd.DataFrame, on: str, day: str, suffix: str, after=WINDOW_DAYS
):
    """Every (left row, right row) of the same *on* whose right *day* (whole days) is at most
    :data:`WINDOW_DAYS` before the left one and at most *after* days after it; *right*'s other
    columns carry *suffix*."""
    lags = np.arange(-WINDOW_DAYS, after + 1)
    # each left row once per lag, matched to the right rows of its *on* dated that many days
    # later (one integer per *on* and day)
    rows = np.repeat(np.arange(len(left)), len(lags))
    near = left[day].to_numpy(dtype=np.int64)[rows] + np.tile(lags, len(left))
    at = right[day].to_numpy(dtype=np.int64)
    first = min(near.min(initial=0), at.min(initial=0))
    span = max(near.max(initial=0), at.max(initial=0)) - first + 1
    key = left[on].to_numpy(dtype=np.int64)[rows] * span + near - first
    i, j = each_match(key, right[on].to_numpy(dtype=np.int64) * span + at - first)
    m = {c: left[c].array.take(rows[i]) for c in left.columns}  # one frame, built once
    for c in right.columns.drop([on, day]):
        m[c + suffix if c in m else c] = right[c].array.take(j)
    return pd.DataFrame(m)


def corroborated(
    figures: pd.DataFrame, value: pd.Series, usable: np.ndarray, ask: np.ndarray
) -> np.ndarray:
    """Per toll since the start (rows of :func:`series_figures`, with ``series`` and
    ``counter`` as numbers, :func:`numbered`) where *ask*, whether other counters back its
    printed value (False elsewhere): the median of their tolls dated from
    :data:`WINDOW_DAYS` days before it to :data:`BACKING_LAG_DAYS` after it is at least
    ``1 / MISPRINT_RATIO`` of it (False where no other counter reported that near).
    The others' tolls are *value* (as mended) where *usable* (not a misprint of their own
    counter's series): one counter's misprint never backs another's."""
    if not ask.any():
        return np.zeros(len(figures), dtype=bool)
    f = figures[["end", "value", "counter", "series"]].assign(read=value.to_numpy())
    f = f.rename_axis("i").reset_index()
    m = near_pairs(f[ask], f[usable], on="series", day="end", suffix="_o", after=BACKING_LAG_DAYS)
    p = m.loc[m["counter"] != m["counter_o"], ["i", "value", "read_o"]]
    others = p.groupby("i")["read_o"].median()
    backed = p.groupby("i")["value"].first() <= MISPRINT_RATIO * others
    return backed.reindex(figures.index, fill_value=False).to_numpy()


def _too_high(figures: pd.DataFrame, key: np.ndarray) -> np.ndarray:
    """Rule 2 of the module docstring on one counter series' tolls (sorted by day): above
    :data:`MISPRINT_RATIO` times the median of the next two or three; a last figure (or last
    but one, above the last) above :data:`TAIL_MISPRINT_RATIO` times the trend; or above
    :data:`MISPRINT_RATIO` times both the trend and another printing for the same day."""
    value = figures["value"]
    logv = np.log(value.clip(lower=1))
    nxt, n_next = _next_median(logv, key)
    trend = np.nan_to_num(_trend_limit(figures, key), nan=np.inf)
    v = value.to_numpy(dtype=float)
    above_next = logv.to_numpy() - nxt > np.log(MISPRINT_RATIO)
    above_trend = v > TAIL_MISPRINT_RATIO * trend
    day_least, _ = day_extremes(v, day_key(key, figures["end"].to_numpy()))
    twin_lower = (v > MISPRINT_RATIO * day_least) & (v > MISPRINT_RATIO * trend)
    # one figure against one later figure decides nothing alone: the trend must agree
    high = (above_next & (n_next >= 2)) | (above_trend & ((n_next == 0) | above_next)) | twin_lower
    return high & (v >= MIN_MISPRINT)


def _mend_unmasked(figures: pd.DataFrame, key: np.ndarray, misprint: np.ndarray, mend):
    """*mend* with the misprints that an extra digit explains once their counter's other
    misprints are set aside (a misprint beside another hides the trend it is judged by)."""
    mend = mend.copy()
    rows = pd.Series(np.arange(len(key))).groupby(key).indices
    for i in np.flatnonzero(misprint):
        own = rows[key[i]]
        own = own[~misprint[own] | (own == i)]
        reading = _extra_digit(figures.iloc[own], key[own])[np.flatnonzero(own == i)[0]]
        mend[i] = reading
    return mend


def numbered(figures: pd.DataFrame) -> pd.DataFrame:
    """``end``, ``value`` and ``high`` of rows of :func:`series_figures`, with their ``series`` and
    ``counter`` as numbers (in order of appearance): the rules below move numbers, not text."""
    return pd.DataFrame(
        {
            "end": figures["end"],
            "value": figures["value"],
            "high": figures["high"],
            "series": figures.groupby(SERIES, sort=False).ngroup(),
            "counter": figures.groupby("counter", sort=False).ngroup(),
        }
    )


def _as_read(figures: pd.DataFrame, mend: np.ndarray) -> pd.DataFrame:
    """*figures* with each mended one read as its reading (its value and its upper bound)."""
    mended = ~np.isnan(mend)
    return figures.assign(
        value=figures["value"].where(~mended, mend), high=np.where(mended, mend, figures["high"])
    )


def flag_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """``status`` of each figure of :func:`series_figures` and what a mended one ``reads_as``.

    ``status`` is ``"kept"``, ``"mended"`` (an extra digit deleted: ``reads_as`` holds the
    number it is read as), ``"misprint"`` (set aside) or ``"stale"`` for each toll since the
    series start; other figures keep their ``scope`` (``"part"``, ``"wider"``).

    Notes
    -----
    The rules are those of the module docstring, in order: an extra digit is mended first
    (``_extra_digit``), then a toll too high for its counter's next figures or its trend is a
    misprint, unless other counters back it (:func:`corroborated`); then a figure below the
    largest kept figure of the same counter for an earlier day is a stale reprint: it was
    already counted on its first day.
    """
    status = figures["scope"].copy()
    reads_as = pd.Series(np.nan, index=figures.index)
    figures = since = numbered(figures[figures["scope"] == "since_start"])
    key = figures.groupby(["series", "counter"], sort=False).ngroup().to_numpy()
    mend = np.full(len(figures), np.nan)
    n_mended = {}  # per mode, how many figures were mended when it last ran
    for mode in ("strict", "printed", "strict", "any"):  # surest readings first: each one
        if n_mended.get(mode) == np.count_nonzero(~np.isnan(mend)):
            continue  # nothing mended since this mode last ran: it would find nothing new
        n_mended[mode] = np.count_nonzero(~np.isnan(mend))
        again = _extra_digit(_as_read(figures, mend), key, mode)  # with the readings so far
        mend = np.where(np.isnan(mend), again, mend)
    mended = ~np.isnan(mend)
    misprint = np.zeros(len(figures), dtype=bool)
    for _ in range(3):  # a misprint set aside unmasks its neighbour (two in a row)
        found = _too_high(_as_read(figures, mend)[~misprint], key[~misprint])
        if not found.any():
            break
        misprint[np.flatnonzero(~misprint)[found]] = True
    misprint &= ~mended
    mend = _mend_unmasked(_as_read(figures, mend), key, misprint, mend)
    mended = ~np.isnan(mend)
    value = figures["value"].where(~mended, mend)
    misprint &= ~mended
    # what the other counters said near that day overrules the counter's own series
    backed = corroborated(figures, value, usable=~misprint, ask=mended | misprint)
    mended, misprint = mended & ~backed, misprint & ~backed
    mend = np.where(backed, np.nan, mend)
    value = figures["value"].where(~mended, mend)
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


def neighbour_pairs(ev: pd.DataFrame) -> pd.DataFrame:
    """(figure, neighbour) pairs: same series, dated within :data:`WINDOW_DAYS` days, both
    suggesting a value. Columns: ``i`` and ``j`` (row labels of *ev*), ``own`` (same counter),
    ``far`` (the neighbour contradicts the figure by far)."""
    f = ev.loc[ev["point"].notna(), ["sid", "cid", "day", "lo", "hi", "point"]]
    f = f.rename_axis("i").reset_index()
    f["day"] = f["day"].to_numpy().astype("datetime64[D]").astype(np.int64)  # whole days
    p = near_pairs(f, f, on="sid", day="day", suffix="_j")
    p = p[p["i"] != p["i_j"]]
    far = (p["lo"] > FACTOR * p["point_j"]) | (p["hi"] * FACTOR < p["point_j"])
    far &= np.maximum(p["point"], p["point_j"]) >= MIN_MISPRINT  # 0 beside 2 is not far
    return pd.DataFrame({"i": p["i"], "j": p["i_j"], "own": p["cid"] == p["cid_j"], "far": far})


def stock_outliers(ev: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """Which stock rows of the constraint table *ev* are outliers, and their conflict rows
    (see the module docstring)."""
    flagged = pd.Series(False, index=ev.index)
    pairs = neighbour_pairs(ev[ev["role"] == "stock"])
    if pairs.empty:
        return flagged, conflict_rows(ev.iloc[:0], "outlier", [], [], [])
    votes = pairs.groupby(["i", "own"])["far"].agg(["size", "sum"]).unstack("own", fill_value=0)
    n_own = votes.get(("size", True), 0)
    far_own = votes.get(("sum", True), 0)
    n_other = votes.get(("size", False), 0)
    far_other = votes.get(("sum", False), 0)
    out = (
        (n_own >= 1)
        & (n_own + n_other >= 2)
        & (2 * far_own > n_own)
        & ((n_other == 0) | (2 * far_other > n_other))
    )
    hit = out[out].index
    flagged.loc[hit] = True
    r = ev.loc[hit, ["metric", "location", "subgroup", "counter", "claim_id", "day", "point"]]
    med = (
        pairs[pairs["i"].isin(hit)]
        .merge(ev[["point"]], left_on="j", right_index=True)
        .groupby(["i", "own"])["point"]
        .median()
        .unstack("own")
    )
    own_med = med.get(True, pd.Series(np.nan, index=hit)).reindex(hit)
    other_med = med.get(False, pd.Series(np.nan, index=hit)).reindex(hit)
    detail = [
        f"{row.counter}'s {fmt_count(row.point)} {row.metric} ({row.claim_id}) on {fmt_day(row.day)} "
        f"is more than {FACTOR:g} times away from most figures of the series within "
        f"{WINDOW_DAYS} days (its counter's: median {fmt_count(a)}"
        + (f"; other counters': median {fmt_count(b)}" if np.isfinite(b) else "")
        + "): set aside as a likely misprint; it sets no bound and no best"
        for row, a, b in zip(r.itertuples(), own_med, other_med, strict=True)
    ]
    ids = [[x] for x in r["claim_id"]]
    conflicts = conflict_rows(r, "outlier", ids, [[x] for x in r["counter"]], detail)
    return flagged, conflicts


def _toll_detail(row) -> str:
    what = f"{row.counter}'s {fmt_count(row.value)} {row.metric} ({row.claim_id}) on {fmt_day(row.day)}"
    if np.isfinite(row.reads_as):
        why = (
            f"reads as {fmt_count(row.reads_as)} with one digit less, which fits its counter's "
            "figures before and after it"
        )
    else:
        why = (
            f"is more than {MISPRINT_RATIO:g} times what its counter's later figures (or, for its "
            "last, the trend of its earlier ones) allow, and no other counter backs it"
        )
    return f"{what} {why}: set aside as a likely misprint; it sets no bound and no best"


def find_outliers(ev: pd.DataFrame, claims: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """Which constraint rows are misprints or outliers, and their ``outlier`` conflict rows.

    Parameters
    ----------
    ev
        The constraint table (:func:`stats.estimate.constraints.claim_constraints`).
    claims
        The figures *ev* was built from (deduplicated claims).

    Returns
    -------
    flagged : Series
        Boolean, aligned with *ev*: True for a row set aside (a toll :func:`flag_figures`
        finds mended or a misprint, a stock outlier of :func:`stock_outliers`).
    conflicts : DataFrame
        One ``outlier`` conflict row per flagged claim (see
        :func:`stats.estimate.conflicts.conflict_rows`).
    """
    stocks, stock_conflicts = stock_outliers(ev)
    flows = ev[ev["kind"] == "flow"]
    starts = pd.DataFrame({c: key_text(flows[c]) for c in SERIES}).drop_duplicates()
    starts["start"] = day_numbers(pd.Series(ev["series_start"].iloc[:1]))[0] if len(ev) else 0.0
    figures = series_figures(claims, starts)
    figures = figures.join(flag_figures(figures))
    # a printing read with a digit less is a misprint, even when the reading is a stale one
    bad = figures[figures["status"].isin(["mended", "misprint"]) | figures["reads_as"].notna()]
    hit = ev["claim_id"].isin(bad["claim_id"])
    if bad.empty:
        return stocks | hit, stock_conflicts
    rows = ev.loc[hit, ["claim_id", *SERIES, "counter", "day"]].merge(
        bad[["claim_id", "value", "status", "reads_as"]].drop_duplicates("claim_id"), on="claim_id"
    )
    rows = rows.sort_values("claim_id", kind="stable")
    detail = [_toll_detail(r) for r in rows.itertuples(index=False)]
    tolls = conflict_rows(
        rows, "outlier", [[x] for x in rows["claim_id"]], [[x] for x in rows["counter"]], detail
    )
    return stocks | hit, pd.concat([stock_conflicts, tolls], ignore_index=True)
