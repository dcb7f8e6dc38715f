"""Small hand-made Claims, Daily, Estimates, Conflicts and Events tables (contract columns)
for the plot and report tests. Not a test module: imported by tests/test_plots.py and
tests/test_report.py."""

from __future__ import annotations

import numpy as np
import pandas as pd

from stats.reconcile import ESTIMATES_COLUMNS

START = pd.Timestamp("2024-11-27")

#: (claim_id, metric, value, qualifier, low, high, period_end, published, counted_by, quote, url)
_CLAIMS = [
    (
        "c1",
        "killed",
        242,
        "exact",
        242,
        242,
        "2024-11-28",
        "2024-11-28",
        "SOHR",
        "SOHR said 242 people had been killed.",
        "https://example.org/a",
    ),
    (
        "c2",
        "killed",
        412,
        "more_than",
        413,
        None,
        "2024-11-30",
        "2024-11-30",
        "SOHR",
        "More than 412 people were killed <script>alert(1)</script>",
        "javascript:alert(1)",
    ),
    (
        "c3",
        "killed",
        826,
        "exact",
        826,
        826,
        "2024-12-02",
        "2024-12-02",
        "SOHR",
        "The death toll rose to 826.",
        "https://example.org/c",
    ),
    (
        "c4",
        "killed",
        700,
        "about",
        630,
        770,
        "2024-12-02",
        "2024-12-03",
        "SNHR",
        "About 700 killed, SNHR said.",
        "http://example.org/d",
    ),
    (
        "c5",
        "civilians_killed",
        111,
        "exact",
        111,
        111,
        "2024-12-02",
        "2024-12-02",
        "SOHR",
        "111 civilians were among the dead.",
        None,
    ),
    (
        "c6",
        "civilians_killed",
        81,
        "at_least",
        81,
        None,
        "2024-12-01",
        "2024-12-04",
        "OCHA",
        "At least 81 civilians, OCHA said.",
        "https://example.org/f",
    ),
    (
        "c7",
        "displaced",
        115000,
        "about",
        103500,
        126500,
        "2024-12-03",
        "2024-12-05",
        "OCHA",
        "Some 115,000 people were displaced.",
        "ftp://example.org/g",
    ),
]


def claims() -> pd.DataFrame:
    """Seven claims in the Claims contract layout (a subset of columns that the plots and the
    report read)."""
    cols = [
        "claim_id",
        "metric",
        "value",
        "qualifier",
        "low",
        "high",
        "period_end",
        "published",
        "counted_by",
        "quote",
        "url",
    ]
    df = pd.DataFrame(_CLAIMS, columns=cols)
    for c in ("value", "low", "high"):
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    for c in ("period_end", "published"):
        df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    df["period_start"] = pd.Series([START] * len(df), dtype="datetime64[ns]")
    df["location"] = "Syria"
    df["subgroup"] = pd.Series([None] * len(df), dtype="object")
    df["reported_by"] = "AFP"
    df["rule"] = df["qualifier"]
    df["source_file"] = "syria-2024/claims.csv"
    df["source_row"] = pd.array(range(2, len(df) + 2), dtype="Int64")
    return df


def daily(end: str = "2024-12-08") -> pd.DataFrame:
    """A Daily table: killed (combined, SOHR, SNHR), civilians_killed and displaced
    (combined), with nowcast days after the last report."""
    dates = pd.date_range(START, end, freq="D")
    frames = []

    def series(metric, counter, points, last_report):
        t = (dates - START).days.to_numpy().astype(float)
        px = [(pd.Timestamp(d) - START).days for d, _ in points]
        py = [v for _, v in points]
        best = np.interp(t, px, py)
        nowcast = dates > pd.Timestamp(last_report)
        grow = np.where(nowcast, (dates - pd.Timestamp(last_report)).days * 0.05, 0.0)
        low = np.floor(best * (0.9 - 0 * grow))
        high = np.ceil(best * (1.1 + grow))
        high = np.where(t == 0, np.nan, high) if metric == "civilians_killed" else high
        best = np.round(best)
        df = pd.DataFrame(
            {
                "metric": metric,
                "location": "Syria",
                "subgroup": None,
                "counter": counter,
                "date": dates,
                "cum_low": pd.array(low, dtype="Float64").astype("Int64"),
                "cum_best": pd.array(best, dtype="Float64").astype("Int64"),
                "cum_high": pd.array(np.where(np.isnan(high), None, high), dtype="Float64").astype(
                    "Int64"
                ),
                "is_reported": dates.isin(pd.to_datetime([d for d, _ in points])),
                "is_nowcast": nowcast,
                "method": "linear",
            }
        )
        for k in ("low", "best", "high"):
            cum = df[f"cum_{k}"].astype("Float64")
            df[f"new_{k}"] = cum.diff().fillna(cum).clip(lower=0).round().astype("Int64")
        return df

    frames.append(
        series(
            "killed",
            "combined",
            [
                ("2024-11-27", 0),
                ("2024-11-28", 242),
                ("2024-11-30", 413),
                ("2024-12-02", 826),
                ("2024-12-08", 1100),
            ],
            "2024-12-02",
        )
    )
    frames.append(
        series(
            "killed",
            "SOHR",
            [
                ("2024-11-27", 0),
                ("2024-11-28", 242),
                ("2024-11-30", 413),
                ("2024-12-02", 826),
                ("2024-12-08", 1100),
            ],
            "2024-12-02",
        )
    )
    frames.append(
        series(
            "killed",
            "SNHR",
            [("2024-11-27", 0), ("2024-12-02", 700), ("2024-12-08", 900)],
            "2024-12-02",
        )
    )
    frames.append(
        series(
            "civilians_killed",
            "combined",
            [("2024-11-27", 0), ("2024-12-02", 111), ("2024-12-08", 150)],
            "2024-12-02",
        )
    )
    frames.append(
        series(
            "displaced",
            "combined",
            [("2024-11-27", 0), ("2024-12-03", 115000), ("2024-12-08", 140000)],
            "2024-12-03",
        )
    )
    out = pd.concat(frames, ignore_index=True)
    out["subgroup"] = out["subgroup"].astype("object")
    return out


def events() -> pd.DataFrame:
    """Two key dates."""
    return pd.DataFrame(
        {
            "dataset": "syria-2024",
            "date": pd.to_datetime(["2024-11-30", "2024-12-08"]).astype("datetime64[ns]"),
            "event": ["Rebels enter Aleppo", "Damascus falls; Assad leaves"],
            "location": ["Aleppo", "Damascus"],
            "source": ["AFP", "AFP"],
            "url": [None, None],
        }
    )


#: (metric, counter, date, low, best, high, claim_ids)
_ESTIMATES = [
    ("killed", "SOHR", "2024-11-28", 242, 242, 242, "c1"),
    ("killed", "SOHR", "2024-11-30", 413, 413, None, "c2"),
    ("killed", "SOHR", "2024-12-02", 826, 826, 826, "c3"),
    ("killed", "SNHR", "2024-12-02", 630, 700, 770, "c4"),
    ("killed", "combined", "2024-11-28", 242, 242, 242, "c1"),
    ("killed", "combined", "2024-11-30", 413, 413, None, "c2"),
    ("killed", "combined", "2024-12-02", 630, 826, 826, "c3;c4"),
    ("civilians_killed", "combined", "2024-12-01", 81, 81, None, "c6"),
    ("civilians_killed", "combined", "2024-12-02", 111, 111, 111, "c5;c6"),
    ("displaced", "combined", "2024-12-03", 103500, 115000, 126500, "c7"),
]


def estimates() -> pd.DataFrame:
    """An Estimates table for the claims above."""
    df = pd.DataFrame(
        _ESTIMATES, columns=["metric", "counter", "date", "low", "best", "high", "claim_ids"]
    )
    df.insert(1, "location", "Syria")
    df.insert(2, "subgroup", pd.Series([None] * len(df), dtype="object"))
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    for c in ("low", "best", "high"):
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    df["n_claims"] = pd.array(df["claim_ids"].str.count(";") + 1, dtype="Int64")
    df["n_outlets"] = df["n_claims"]
    df["n_counters"] = 1
    df["combine_rule"] = "conservative"
    df["kind"] = "flow"
    df["series_start"] = START
    # the Estimates contract without the optional `counters` column
    return df[[c for c in ESTIMATES_COLUMNS if c != "counters"]]


def conflicts() -> pd.DataFrame:
    """One conflict: SNHR's and SOHR's killed figures of 2 December do not meet."""
    return pd.DataFrame(
        {
            "conflict_id": ["k1"],
            "kind": ["disjoint_intervals"],
            "metric": ["killed"],
            "location": ["Syria"],
            "subgroup": pd.Series([None], dtype="object"),
            "date": pd.to_datetime(["2024-12-02"]).astype("datetime64[ns]"),
            "claim_ids": ["c3;c4"],
            "counters": ["SNHR;SOHR"],
            "detail": ["SOHR's 826 lies above SNHR's 630-770 <b>for the same day</b>."],
        }
    )
