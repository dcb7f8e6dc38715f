"""A simulation with known truth: how well do the literal band and the eventual-toll estimate
recover it under realistic reporting?

:func:`simulate_claims` draws a true daily count of deaths, split into civilians and combatants,
and lets three counters report it the way counters do. Each behaviour of :class:`Reporting` can
be switched off on its own:

* ``bursty``: deaths are overdispersed (negative binomial, size 2) around an offensive's rise and
  fall, with massacre days that multiply the civilian toll 2-6 times; off: Poisson noise.
* ``delay``: every counter documents a death late. A share ``u`` of each day's deaths (``u``
  drawn per counter from ``undercount``, 0-20%) is documented 1 to ``K`` days later, uniformly
  (``K`` drawn per counter from ``catch_up_days``, 5-15): a toll undercounts the latest days
  and catches up.
  Off: every death is documented the day it happens.
* the **Monitor** always reports: tolls "since day 0" of killed, civilians and combatants every
  1-3 days (``monitor_every``), as of the day, published that day or the next; mostly exact,
  some "at least" and "more than".
* ``un_agency``: a UN agency publishes killed and civilians every 4-8 days, as of 1-4 days
  before, rounded to two significant figures, as "more than" (rounded down) or "about".
* ``rights_group``: a rights group publishes civilians killed per calendar month (the first
  month from day 0) 2-6 days after the month ends, and a year's total 10-20 days after the year.
* ``reprints``: each figure is printed by one to three outlets over 0-2 days.
* ``stale_reprints``: a share (``stale_share``, 10%) of the tolls "since day 0" are printed again
  3-8 days later, after newer ones, as if current (dated the day of the reprint).
* ``misprints``: a share (``misprint_share``, 3%) of the printings gets an extra digit.

:func:`evaluate` runs the pipeline (dedupe -> reconcile -> interpolate -> eventual estimates) on
one simulated crisis and scores the combined daily series of the three death metrics against the
truth: the share of days inside the literal band ``[cum_low, cum_high]`` and inside the eventual
interval ``[est_low, est_high]`` (all days, reported days, days between reports, the nowcast),
the median absolute percentage error of ``cum_best``, ``est_best`` and of two naive baselines
(the latest figure of the most prolific counter carried forward; the highest figure so far), and
how far one extra-digit misprint moves ``est_best``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from stats import contract
from stats.estimate.delay import add_eventual_estimates
from stats.interpolate import interpolate
from stats.reconcile import COMBINED, reconcile

START = pd.Timestamp("2024-11-27")
OUTLETS = ("AFP", "Reuters", "AP", "dpa", "EFE", "Anadolu", "Keystone-ATS", "ANSA")
#: The scored series.
METRICS = ("killed", "civilians_killed", "combatants_killed")
#: How the literal pipeline is run before the eventual estimates (as ``stats.pipeline``).
RULE = "conservative"
METHOD = "pchip"
#: The estimates scored, named as in the output of :func:`evaluate`.
ESTIMATES = ("literal", "est", "latest", "highest")


@dataclass(frozen=True)
class Reporting:
    """Which reporting behaviours are simulated, and their ranges (see the module docstring)."""

    bursty: bool = True
    delay: bool = True
    un_agency: bool = True
    rights_group: bool = True
    reprints: bool = True
    stale_reprints: bool = True
    misprints: bool = True
    undercount: tuple[float, float] = (0.0, 0.2)
    catch_up_days: tuple[int, int] = (5, 15)
    monitor_every: tuple[int, int] = (1, 3)
    stale_share: float = 0.10
    misprint_share: float = 0.03
    days: tuple[int, int] = (35, 70)
    nowcast_days: int = 3

    @property
    def behaviours(self) -> tuple[str, ...]:
        """Names of the switchable behaviours."""
        return tuple(f.name for f in dataclasses.fields(self) if f.type in (bool, "bool"))


#: The issue's realistic reporting.
REALISTIC = Reporting()
#: Where the simulated crisis happens (a name outside any vocabulary: no parts or wholes).
PLACE = "simulated country"
#: Every figure literally true: no delay, no reprints, no misprints.
LITERAL = Reporting(delay=False, reprints=False, stale_reprints=False, misprints=False)


def simulate_truth(rng: np.random.Generator, days: int, bursty: bool = True) -> pd.DataFrame:
    """True daily deaths: ``date``, ``civilians``, ``combatants``.

    The intensity rises to a peak in the first half of the offensive and fades; ``bursty``
    makes the counts overdispersed and adds massacre days (civilian toll times 2-6).
    """
    t = np.arange(days)
    peak = rng.uniform(0.15, 0.5) * days
    width = rng.uniform(0.08, 0.2) * days
    intensity = 10 + rng.uniform(60, 140) * np.exp(-0.5 * ((t - peak) / width) ** 2)
    civ_share = rng.uniform(0.15, 0.45)
    if bursty:
        size = 2.0
        burst = np.where(rng.random(days) < 0.08, rng.uniform(2, 6, days), 1.0)
        combatants = rng.negative_binomial(size, size / (size + intensity))
        mu = intensity * civ_share * burst
        civilians = rng.negative_binomial(size, size / (size + mu))
    else:
        combatants = rng.poisson(intensity)
        civilians = rng.poisson(intensity * civ_share)
    return pd.DataFrame(
        {
            "date": START + pd.to_timedelta(t, unit="D"),
            "civilians": civilians,
            "combatants": combatants,
        }
    )


def documented(rng, deaths: np.ndarray, u: float, k: int) -> np.ndarray:
    """``known[d, r]``: deaths of days ``<= d`` that one counter has documented by day ``r``.

    A share ``u`` of each day's deaths is documented 1 to ``k`` days late, uniformly; the rest
    on the day (``u = 0``: all on the day).
    """
    n = len(deaths)
    late = np.zeros((n, n), dtype=np.int64)  # late[s, r]: deaths of day s documented on day r
    delayed = rng.binomial(deaths, u)
    for s in np.flatnonzero(delayed):
        lag = rng.multinomial(delayed[s], np.full(k, 1 / k))
        r = s + 1 + np.arange(k)
        keep = r < n
        late[s, r[keep]] += lag[keep]
    late[np.arange(n), np.arange(n)] += deaths - delayed
    by_day = np.cumsum(late, axis=1)  # deaths of day s documented by day r
    return np.cumsum(by_day, axis=0)


def _sig2(x, down: bool = False) -> np.ndarray:
    """Round to two significant figures (down: to the figure below)."""
    x = np.asarray(x, dtype=float)
    mag = 10 ** np.maximum(np.floor(np.log10(np.maximum(x, 1))) - 1, 0)
    r = np.floor(x / mag) if down else np.round(x / mag)
    return (r * mag).astype(np.int64)


def _extra_digit(rng, value: int) -> int:
    """The number with one digit inserted at a random place (never a leading zero)."""
    s = str(int(value))
    at = int(rng.integers(0, len(s) + 1))
    digit = str(int(rng.integers(1 if at == 0 else 0, 10)))
    return int(s[:at] + digit + s[at:])


def _monitor(rng, known: dict, last: int, reporting: Reporting) -> list[dict]:
    rows, d = [], int(rng.integers(0, 2))
    lo, hi = reporting.monitor_every
    while d <= last:
        pub = d + int(rng.random() < 0.3)
        for metric in METRICS:
            v = int(known[metric][d, min(pub, known[metric].shape[1] - 1)])
            u = rng.random()
            if u < 0.7:
                q, value = "exact", v
            elif u < 0.9:
                q, value = "at_least", v
            else:
                q, value = "more_than", int(np.floor(max(v - 1, 0) / 10) * 10)
            rows.append(_row("Monitor", metric, q, value, 0, d, pub))
        d += int(rng.integers(lo, hi + 1))
    return rows


def _un_agency(rng, known: dict, last: int, n: int) -> list[dict]:
    rows, pub = [], int(rng.integers(3, 9))
    while pub < n:
        d = pub - int(rng.integers(1, 5))
        if d > last:
            break
        if d < 0:
            pub += int(rng.integers(4, 9))
            continue
        for metric in ("killed", "civilians_killed"):
            v = int(known[metric][d, pub])
            if v < 2:
                continue
            if rng.random() < 0.5:
                rows.append(
                    _row("UN agency", metric, "more_than", int(_sig2(v - 1, down=True)), 0, d, pub)
                )
            else:
                rows.append(_row("UN agency", metric, "about", int(_sig2(v)), 0, d, pub))
        pub += int(rng.integers(4, 9))
    return rows


def _rights_group(rng, known: np.ndarray, last: int, n: int) -> list[dict]:
    """Calendar-month totals of civilians killed, and a year's total."""
    rows = []
    dates = START + pd.to_timedelta(np.arange(n), unit="D")
    month_end = np.flatnonzero(dates.is_month_end)
    first = 0
    for e in month_end[month_end <= last]:
        pub = e + int(rng.integers(2, 7))
        if pub < n:
            v = int(known[e, pub] - (known[first - 1, pub] if first > 0 else 0))
            rows.append(_row("Rights group", "civilians_killed", "exact", v, first, e, pub))
        first = e + 1
    year_end = np.flatnonzero(dates.is_year_end)
    for e in year_end[year_end <= last]:
        pub = e + int(rng.integers(10, 21))
        if pub < n:
            jan1 = (pd.Timestamp(year=dates[e].year, month=1, day=1) - START).days
            rows.append(
                _row("Rights group", "civilians_killed", "exact", int(known[e, pub]), jan1, e, pub)
            )
    return rows


def _row(counter, metric, qualifier, value, start, end, published) -> dict:
    return {
        "metric": metric, "counted_by": counter, "qualifier": qualifier, "value": value,
        "period_start": START + pd.Timedelta(days=int(start)),
        "period_end": START + pd.Timedelta(days=int(end)),
        "published": START + pd.Timedelta(days=int(published)),
    }  # fmt: skip


def _print(rng, figures: pd.DataFrame, n: int, reporting: Reporting) -> pd.DataFrame:
    """Outlets print the figures: reprints over days, stale reprints, misprints."""
    reps = rng.integers(1, 4, size=len(figures))
    raw = figures.loc[np.repeat(figures.index.to_numpy(), reps)].reset_index(drop=True)
    if reporting.reprints:
        raw["published"] += pd.to_timedelta(rng.integers(0, 3, size=len(raw)), unit="D")
    if reporting.stale_reprints:
        since0 = figures["period_start"] <= START
        stale = figures[since0 & (rng.random(len(figures)) < reporting.stale_share)].copy()
        stale["published"] += pd.to_timedelta(rng.integers(3, 9, size=len(stale)), unit="D")
        stale["period_end"] = stale["published"]
        raw = pd.concat([raw, stale], ignore_index=True)
    raw = raw[raw["published"] <= START + pd.Timedelta(days=n - 1)].reset_index(drop=True)
    raw["reported_by"] = rng.choice(OUTLETS, size=len(raw))
    if reporting.misprints:
        hit = np.flatnonzero(rng.random(len(raw)) < reporting.misprint_share)
        raw.loc[hit, "value"] = [_extra_digit(rng, v) for v in raw.loc[hit, "value"]]
    return raw


def simulate_claims(
    seed: int = 0, reporting: Reporting = REALISTIC
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw a truth and the claims counters publish about it.

    Returns
    -------
    claims : DataFrame
        A valid Claims table (location :data:`PLACE`).
    truth : DataFrame
        ``metric``, ``date``, ``cum``: the true cumulative count per metric and day (every
        death is documented in the end, so this is also the toll eventually documented).

    Examples
    --------
    >>> claims, truth = simulate_claims(seed=1)
    >>> sorted(truth["metric"].unique())
    ['civilians_killed', 'combatants_killed', 'killed']
    >>> bool((claims["published"] >= claims["period_end"]).all())
    True
    """
    rng = np.random.default_rng(seed)
    n = int(rng.integers(reporting.days[0], reporting.days[1] + 1))
    tr = simulate_truth(rng, n, reporting.bursty)
    last = n - 1 - reporting.nowcast_days

    def known_by_counter():
        u, k = 0.0, 1
        if reporting.delay:
            u = rng.uniform(*reporting.undercount)
            k = int(rng.integers(reporting.catch_up_days[0], reporting.catch_up_days[1] + 1))
        civ = documented(rng, tr["civilians"].to_numpy(), u, k)
        com = documented(rng, tr["combatants"].to_numpy(), u, k)
        return {"killed": civ + com, "civilians_killed": civ, "combatants_killed": com}

    rows = _monitor(rng, known_by_counter(), last, reporting)
    if reporting.un_agency:
        rows += _un_agency(rng, known_by_counter(), last, n)
    if reporting.rights_group:
        rows += _rights_group(rng, known_by_counter()["civilians_killed"], last, n)
    raw = _print(rng, pd.DataFrame(rows), n, reporting)
    raw["location"] = PLACE
    raw["url"] = (
        "https://example.org/" + raw["reported_by"].str.lower() + "/" + raw.index.astype(str)
    )
    raw["quote"] = None
    raw["value"] = pd.array(raw["value"], dtype="Int64")
    raw["source_row"] = np.arange(2, len(raw) + 2)
    raw["source_file"] = f"simulation-seed-{seed}"
    raw["claim_id"] = [f"S{seed}-{i:05d}" for i in range(len(raw))]
    claims, rejects = contract.validate(raw, source_file=f"simulation-seed-{seed}")
    if len(rejects):
        raise RuntimeError(f"simulated claims rejected: {rejects.head().to_dict('records')}")
    cum = {
        "killed": np.cumsum(tr["civilians"] + tr["combatants"]).to_numpy(),
        "civilians_killed": np.cumsum(tr["civilians"]).to_numpy(),
        "combatants_killed": np.cumsum(tr["combatants"]).to_numpy(),
    }
    truth = pd.concat(
        [pd.DataFrame({"metric": m, "date": tr["date"], "cum": v}) for m, v in cum.items()],
        ignore_index=True,
    )
    return claims, truth


def estimate(claims: pd.DataFrame, end, level: float = 0.90) -> pd.DataFrame:
    """The pipeline's combined daily series with eventual estimates (as ``stats.pipeline``)."""
    # the crisis' first day is known, as a dataset's metadata gives it (never voted from claims:
    # the rights group's annual totals start on 1 January)
    est, _ = reconcile(claims, rule=RULE, start=START)
    daily = interpolate(est[est["counter"] == COMBINED], start=None, end=end, method=METHOD)
    return add_eventual_estimates(daily, claims, level=level, start=START)


def naive_baselines(claims: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Per metric and day: ``latest``, the latest figure of the counter with the most claims
    carried forward, and ``highest``, the highest figure of any counter so far (0 before any).
    """
    out = []
    c = claims.assign(
        metric=claims["metric"].astype("str"), point=claims["value"].fillna(claims["low"])
    )
    for metric, g in c.groupby("metric", sort=True):
        top = g["counted_by"].value_counts().index[0]
        t = g[g["counted_by"] == top].sort_values(["period_end", "published"])
        frame = pd.DataFrame({"date": dates, "metric": metric})
        i = np.searchsorted(t["period_end"].to_numpy(), dates.to_numpy(), side="right") - 1
        frame["latest"] = np.where(i >= 0, t["point"].to_numpy(dtype=float)[np.maximum(i, 0)], 0.0)
        h = g.sort_values("period_end")
        j = np.searchsorted(h["period_end"].to_numpy(), dates.to_numpy(), side="right") - 1
        running = np.maximum.accumulate(h["point"].to_numpy(dtype=float))
        frame["highest"] = np.where(j >= 0, running[np.maximum(j, 0)], 0.0)
        out.append(frame)
    return pd.concat(out, ignore_index=True)


def score_days(claims: pd.DataFrame, truth: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """One row per death metric and day: the truth, the literal band and best, the eventual
    interval and best (of *daily*, :func:`estimate` of *claims*), the two baselines and
    ``day_class`` (reported, between, nowcast)."""
    dates = pd.DatetimeIndex(sorted(truth["date"].unique()))
    d = daily[daily["metric"].isin(METRICS)].merge(truth, on=["metric", "date"], how="inner")
    d = d.merge(naive_baselines(claims, dates), on=["metric", "date"], how="left")
    d["day_class"] = np.where(
        d["is_nowcast"], "nowcast", np.where(d["is_reported"], "reported", "between")
    )
    return d


def _ape(x, truth) -> np.ndarray:
    return np.abs(np.asarray(x, dtype=float) - truth) / np.maximum(truth, 1)


def misprint_shift(
    claims: pd.DataFrame, truth: pd.DataFrame, seed: int, base: pd.DataFrame, level: float = 0.90
) -> float:
    """How far one extra digit in one printing of an exact Monitor toll moves ``est_best``:
    the largest relative change over the killed series' days (*base*: :func:`estimate` of
    *claims*, at *level*)."""
    rng = np.random.default_rng(seed + 10_000)
    end = truth["date"].max()
    pick = claims.index[(claims["counted_by"] == "Monitor") & (claims["qualifier"] == "exact")
                        & (claims["metric"] == "killed") & (claims["value"] >= 10)]  # fmt: skip
    bad = claims.copy()
    j = pick[int(rng.integers(len(pick)))]
    v = _extra_digit(rng, int(bad.at[j, "value"]))
    bad.loc[j, ["value", "low", "high"]] = v
    after = estimate(bad, end, level)
    k = (base["metric"] == "killed").to_numpy()
    a = base["est_best"].to_numpy(dtype=float)[k]
    b = after["est_best"].to_numpy(dtype=float)[k]
    return float(np.max(np.abs(b - a) / np.maximum(a, 1)))


def evaluate(seed: int = 0, reporting: Reporting = REALISTIC, level: float = 0.90,
             check_misprint: bool = True) -> dict:  # fmt: skip
    """Simulate one crisis, run the pipeline and score it against the truth.

    Returns a dict: ``seed``, ``days``, ``claims``; ``cover_literal`` and ``cover_est`` (share
    of series-days with the truth in ``[cum_low, cum_high]`` and ``[est_low, est_high]``),
    ``cover_est_<class>`` for reported days, days between reports and the nowcast;
    ``mdape_<estimate>`` (median absolute percentage error over the series-days) for
    ``literal`` (cum_best), ``est`` (est_best), ``latest`` and ``highest``; and
    ``misprint_shift`` (:func:`misprint_shift`, NaN when not checked).
    """
    claims, truth = simulate_claims(seed, reporting)
    daily = estimate(claims, truth["date"].max(), level)  # once: scored, and misprinted below
    d = score_days(claims, truth, daily)
    y = d["cum"].to_numpy(dtype=float)
    out = {"seed": seed, "days": int(truth["date"].nunique()), "claims": len(claims)}
    lit_hi = d["cum_high"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)
    lit = (d["cum_low"].to_numpy(dtype=float) <= y) & (y <= lit_hi)
    est_hi = d["est_high"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)
    est = (d["est_low"].to_numpy(dtype=float) <= y) & (y <= est_hi)
    out["cover_literal"], out["cover_est"] = float(lit.mean()), float(est.mean())
    for cls in ("reported", "between", "nowcast"):
        m = (d["day_class"] == cls).to_numpy()
        out[f"cover_est_{cls}"] = float(est[m].mean()) if m.any() else np.nan
    for name, col in zip(ESTIMATES, ("cum_best", "est_best", "latest", "highest"), strict=True):
        out[f"mdape_{name}"] = float(np.median(_ape(d[col], y)))
    shift = misprint_shift(claims, truth, seed, daily, level) if check_misprint else np.nan
    out["misprint_shift"] = shift
    return out


def run_simulations(seeds, reporting: Reporting = REALISTIC, level: float = 0.90,
                    check_misprint: bool = True) -> pd.DataFrame:  # fmt: skip
    """:func:`evaluate` for each seed, one row per seed."""
    return pd.DataFrame([evaluate(int(s), reporting, level, check_misprint) for s in seeds])


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per estimate (literal, est, latest, highest): coverage (literal band and eventual
    interval only), median over crises of the median abs. % error, and the share of crises in
    which it beats the latest-figure baseline."""
    rows = []
    for name in ESTIMATES:
        cover = {"literal": "cover_literal", "est": "cover_est"}.get(name)
        rows.append(
            {
                "estimate": name,
                "cover_all": runs[cover].mean() if cover else np.nan,
                **{
                    f"cover_{c}": runs[f"cover_est_{c}"].mean() if name == "est" else np.nan
                    for c in ("reported", "between", "nowcast")
                },  # fmt: skip
                "mdape": runs[f"mdape_{name}"].median(),
                "beats_latest": (runs[f"mdape_{name}"] < runs["mdape_latest"]).mean(),
            }
        )
    return pd.DataFrame(rows)
