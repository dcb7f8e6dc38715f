"""A simulation with known truth: how well do dedupe, reconcile and interpolate recover it?

:func:`simulate_claims` draws a true daily count of deaths (civilians and combatants) and of
newly displaced people for a five-week offensive, then lets several counters report it the way
counters do: late, partially, rounded, with qualifiers ("at least", "more than", "about"),
with vague words ("hundreds", "tens of thousands"), for windows ("115,000 displaced this
week"), now and then a stale figure (yesterday's number dated today), each figure printed by
one to three outlets. :func:`evaluate` runs dedupe -> reconcile -> interpolate and scores the
combined daily series against the truth: the share of days on which the true cumulative count
lies in the hard band and in the state-space 90% interval, and the mean absolute error of
``best``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats import contract
from stats.dedupe import dedupe
from stats.interpolate import interpolate
from stats.reconcile import COMBINED, reconcile

START = pd.Timestamp("2024-11-27")
#: Days simulated (the offensive); the last few are after every report (a nowcast).
DAYS = 35
NOWCAST_DAYS = 3
#: Probability that a counter's exact figure is stale (the previous day's count dated today).
STALE = 0.03
OUTLETS = ("AFP", "Reuters", "AP", "dpa", "EFE", "Anadolu", "Keystone-ATS", "ANSA")
METHODS = ("linear", "pchip", "state_space")


def simulate_truth(rng: np.random.Generator, days: int = DAYS) -> pd.DataFrame:
    """True daily counts: ``date``, ``civilians``, ``combatants``, ``displaced``.

    Deaths follow a negative binomial around an intensity that rises to a peak in the first
    fortnight and fades; displacement comes in waves as front lines move.
    """
    t = np.arange(days)
    peak = rng.uniform(6, 12)
    intensity = 10 + rng.uniform(60, 140) * np.exp(-0.5 * ((t - peak) / rng.uniform(3, 6)) ** 2)
    size = 5.0
    combatants = rng.negative_binomial(size, size / (size + intensity))
    civ_share = rng.uniform(0.15, 0.35)
    civilians = rng.negative_binomial(size, size / (size + intensity * civ_share))
    wave = 2000 + rng.uniform(20000, 60000) * np.exp(-0.5 * ((t - peak + 2) / 4.0) ** 2)
    displaced = rng.poisson(wave)
    return pd.DataFrame(
        {
            "date": START + pd.to_timedelta(t, unit="D"),
            "civilians": civilians,
            "combatants": combatants,
            "displaced": displaced,
        }
    )


def _sig2(x: np.ndarray) -> np.ndarray:
    """Round to two significant figures (how "about" figures are given)."""
    x = np.asarray(x, dtype=float)
    mag = 10 ** np.maximum(np.floor(np.log10(np.maximum(x, 1))) - 1, 0)
    return (np.round(x / mag) * mag).astype(np.int64)


def _vague(x: int) -> tuple[str, int, int] | None:
    from stats.vocab import VAGUE_TERMS

    hit = VAGUE_TERMS[(VAGUE_TERMS["low"] <= x) & (VAGUE_TERMS["high"] >= x)]
    hit = hit[
        hit["term"].isin(
            ["dozens", "hundreds", "thousands", "tens of thousands", "hundreds of thousands"]
        )
    ]
    if hit.empty:
        return None
    r = hit.iloc[0]
    return str(r["term"]), int(r["low"]), int(r["high"])


def simulate_claims(seed: int = 0, days: int = DAYS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw a truth and the claims counters publish about it.

    Returns
    -------
    claims : DataFrame
        A valid Claims table (location ``Syria``).
    truth : DataFrame
        ``metric``, ``date``, ``cum``: the true cumulative count per metric and day.

    Examples
    --------
    >>> claims, truth = simulate_claims(seed=1)
    >>> sorted(truth["metric"].unique())
    ['civilians_killed', 'combatants_killed', 'displaced', 'killed']
    >>> bool((claims["published"] >= claims["period_end"]).all())
    True
    """
    rng = np.random.default_rng(seed)
    tr = simulate_truth(rng, days)
    cum = {
        "killed": np.cumsum(tr["civilians"] + tr["combatants"]).to_numpy(),
        "civilians_killed": np.cumsum(tr["civilians"]).to_numpy(),
        "combatants_killed": np.cumsum(tr["combatants"]).to_numpy(),
        "displaced": np.cumsum(tr["displaced"]).to_numpy(),
    }
    last_report = days - 1 - NOWCAST_DAYS
    rows: list[dict] = []

    def add(counter, metric, d, qualifier, value=None, low=None, high=None, start=0, lag=0):
        rows.append(
            {
                "metric": metric,
                "counted_by": counter,
                "qualifier": qualifier,
                "value": value,
                "low": low,
                "high": high,
                "period_start": START + pd.Timedelta(days=start),
                "period_end": START + pd.Timedelta(days=int(d)),
                "published": START + pd.Timedelta(days=int(d) + lag),
            }
        )

    counters = [
        # name, metrics, probability of reporting on a day, max lag, style
        ("Monitor", ("killed", "civilians_killed", "combatants_killed"), 0.6, 1, "exact"),
        ("Network", ("civilians_killed",), 0.3, 3, "exact"),
        ("Civil Defence", ("civilians_killed", "killed"), 0.35, 1, "partial"),
        ("Agency", ("displaced",), 0.5, 2, "rounded"),
        ("Cluster", ("displaced",), 0.25, 3, "window"),
    ]
    for name, metrics, p, max_lag, style in counters:
        report_days = np.flatnonzero(rng.random(last_report + 1) < p)
        for d in report_days:
            lag = int(rng.integers(0, max_lag + 1))
            for metric in metrics:
                true = int(cum[metric][d])
                u = rng.random()
                if style == "exact":
                    stale = d > 0 and rng.random() < STALE
                    shown = int(cum[metric][d - 1]) if stale else true
                    if u < 0.6:
                        add(name, metric, d, "exact", shown, lag=lag)
                    elif u < 0.8:
                        add(name, metric, d, "at_least", shown, lag=lag)
                    elif u < 0.9:
                        floor = int(np.floor(max(shown - 1, 0) / 10) * 10)
                        add(name, metric, d, "more_than", floor, lag=lag)
                    else:
                        add(name, metric, d, "about", int(_sig2(shown)), lag=lag)
                elif style == "partial":
                    seen = int(true * rng.uniform(0.6, 0.95))
                    add(name, metric, d, "at_least", seen, lag=lag)
                elif style == "rounded":
                    if u < 0.75:
                        add(name, metric, d, "about", int(_sig2(true)), lag=lag)
                    elif u < 0.9:
                        floor = int(_sig2(true * 0.8))
                        add(name, metric, d, "more_than", min(floor, true - 1), lag=lag)
                    else:
                        v = _vague(true)
                        if v is None:
                            add(name, metric, d, "about", int(_sig2(true)), lag=lag)
                        else:
                            add(name, metric, d, "vague", None, v[1], v[2], lag=lag)
                else:  # window: "N displaced in the past week"
                    if d < 1:
                        continue
                    w0 = max(d - 6, 1)
                    window = int(cum[metric][d] - cum[metric][w0 - 1])
                    add(name, metric, d, "about", int(_sig2(window)), start=w0, lag=lag)
                    if rng.random() < 0.3:
                        add(name, metric, d, "at_least", int(_sig2(true * 0.7)), lag=lag)
    raw = pd.DataFrame(rows)
    # every figure is printed by one to three outlets, sometimes worded differently
    n_out = rng.integers(1, 4, size=len(raw))
    raw = raw.loc[np.repeat(raw.index.to_numpy(), n_out)].reset_index(drop=True)
    raw["reported_by"] = rng.choice(OUTLETS, size=len(raw))
    reword = (raw["qualifier"] == "at_least") & (rng.random(len(raw)) < 0.3)
    raw.loc[reword, "qualifier"] = "more_than"
    raw.loc[reword, "value"] = raw.loc[reword, "value"].astype(int) - 1
    raw = raw.drop_duplicates(ignore_index=True)
    raw["location"] = "Syria"
    raw["url"] = (
        "https://example.org/" + raw["reported_by"].str.lower() + "/" + raw.index.astype(str)
    )
    raw["quote"] = None
    for c in ("value", "low", "high"):
        raw[c] = pd.array(raw[c].astype("Float64"), dtype="Int64")
    raw["source_row"] = np.arange(2, len(raw) + 2)
    raw["source_file"] = f"simulation-seed-{seed}"
    raw["claim_id"] = [f"S{seed}-{i:05d}" for i in range(len(raw))]
    claims, rejects = contract.validate(raw, source_file=f"simulation-seed-{seed}")
    if len(rejects):
        raise RuntimeError(f"simulated claims rejected: {rejects.head().to_dict('records')}")
    truth = pd.concat(
        [pd.DataFrame({"metric": m, "date": tr["date"], "cum": v}) for m, v in cum.items()],
        ignore_index=True,
    )
    return claims, truth


def evaluate(seed: int = 0, days: int = DAYS, rule: str = "conservative") -> dict:
    """Simulate, reconcile, interpolate and score against the truth.

    Returns a dict: ``seed``, ``claims``, ``figures`` (after dedupe), ``conflicts``,
    ``coverage_hard`` (share of series-days with the truth in the hard band),
    ``coverage_state_space`` (in the state-space 90% interval), ``mae_<method>`` (mean
    absolute error of ``cum_best``), ``mae_killed_<method>`` (the same for the killed series
    alone) and ``mape_<method>`` (the error relative to the truth),
    over the combined series of every metric, every day from the start to the last simulated
    day (the last days being a nowcast).
    """
    claims, truth = simulate_claims(seed, days)
    figures = dedupe(claims)
    est, conf = reconcile(figures, rule=rule)
    est = est[est["counter"] == COMBINED]
    end = START + pd.Timedelta(days=days - 1)
    out = {"seed": seed, "claims": len(claims), "figures": len(figures), "conflicts": len(conf)}
    for method in METHODS:
        daily = interpolate(est, start=START, end=end, method=method)
        m = daily.merge(truth, on=["metric", "date"], how="inner")
        cum = m["cum"].to_numpy(dtype=float)
        best = m["cum_best"].to_numpy(dtype=float)
        out[f"mae_{method}"] = float(np.mean(np.abs(best - cum)))
        k = (m["metric"] == "killed").to_numpy()
        out[f"mae_killed_{method}"] = float(np.mean(np.abs(best[k] - cum[k])))
        out[f"mape_{method}"] = float(np.mean(np.abs(best - cum) / np.maximum(cum, 1)))
        hi = m["cum_high"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)
        lo = m["cum_low"].to_numpy(dtype=float)
        inside = (lo <= cum) & (cum <= hi)
        if method == "linear":
            hl = m["hard_low"].to_numpy(dtype=float)
            hh = m["hard_high"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)
            out["coverage_hard"] = float(np.mean((hl <= cum) & (cum <= hh)))
            out["days"] = len(m)
        if method == "state_space":
            out["coverage_state_space"] = float(np.mean(inside))
    return out


def run_simulations(seeds, days: int = DAYS, rule: str = "conservative") -> pd.DataFrame:
    """:func:`evaluate` for each seed, one row per seed."""
    return pd.DataFrame([evaluate(int(s), days, rule) for s in seeds])
