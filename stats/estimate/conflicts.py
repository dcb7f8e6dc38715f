"""The Conflicts table: evidence that cannot all hold, naming its claims.

Every step that finds a contradiction returns rows made by :func:`conflict_rows`;
:func:`conflicts_table` turns them into the Conflicts table (:class:`stats.contract.Conflicts`):
one row per kind, series and set of claims (on the first day it shows), numbered.

Claim ids inside the core are ``;``-joined text (a bound set by a sum carries every claim of
the sum); :func:`split_ids` reads them back as lists.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from stats import contract
from stats.estimate.lists import optional_text

#: The kinds of conflict, with what each means (:data:`stats.contract.CONFLICT_KINDS`).
KINDS: dict[str, str] = contract.CONFLICT_KINDS
COLUMNS = ["kind", "metric", "location", "subgroup", "day", "claim_ids", "counters", "detail"]


def fmt_count(x) -> str:
    """A bound as text: "1,234", or "no limit" for an open one."""
    return f"{int(round(x)):,}" if np.isfinite(x) else "no limit"


@functools.lru_cache(maxsize=4096)  # conflicts name few distinct days, many times
def fmt_day(day) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def split_ids(text) -> list[str]:
    """The claim ids of ``;``-joined text (none for missing)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    return [x for x in str(text).split(";") if x]


def join_ids(*texts) -> str:
    """The sorted distinct claim ids of several ``;``-joined texts, joined by ``;``."""
    return ";".join(sorted({i for t in texts for i in split_ids(t)}))


def conflict_rows(rows: pd.DataFrame, kind: str, claim_ids, counters, detail) -> pd.DataFrame:
    """Conflict rows for the series and days of *rows* (one each): *claim_ids* and *counters*
    are lists (or ``;``-joined text) per row, *detail* one sentence per row."""
    if kind not in KINDS:
        raise ValueError(f"unknown conflict kind {kind!r}")
    if len(rows) == 0:  # nothing found (the Conflicts table leaves empty parts out)
        return pd.DataFrame(columns=COLUMNS)
    as_text = lambda xs: [x if isinstance(x, str) else join_ids(*x) for x in xs]  # noqa: E731
    return pd.DataFrame(
        {
            "kind": kind,
            "metric": rows["metric"].to_numpy(dtype=object),
            "location": rows["location"].to_numpy(dtype=object),
            "subgroup": rows["subgroup"].to_numpy(dtype=object),
            "day": rows["day"].to_numpy(),
            "claim_ids": as_text(claim_ids),
            "counters": as_text(counters),
            "detail": list(detail),
        },
        columns=COLUMNS,
    )


def conflicts_table(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The Conflicts table from the conflict rows of every step: one row per kind, series and
    set of claims (the first day it shows), sorted by series and day, numbered ``K0001``..."""
    c = pd.concat(
        [p for p in parts if len(p)] or [pd.DataFrame(columns=COLUMNS)], ignore_index=True
    )
    out = pd.DataFrame(
        {
            "kind": c["kind"].astype("str"),
            "metric": c["metric"].astype("str"),
            "location": optional_text(c["location"]),
            "subgroup": optional_text(c["subgroup"]),
            "date": pd.to_datetime(c["day"]).astype("datetime64[ns]"),
            "claim_ids": c["claim_ids"].astype("str"),
            "counters": c["counters"].astype("str"),
            "detail": c["detail"].astype("str"),
        }
    )
    key = ["kind", "metric", "location", "subgroup", "claim_ids"]
    out = out.sort_values(key + ["date"], kind="stable", na_position="first")
    out = out.drop_duplicates(key)
    out = out.sort_values(
        ["metric", "location", "subgroup", "date", "kind", "claim_ids"],
        kind="stable",
        na_position="first",
    ).reset_index(drop=True)
    ids = pd.array([f"K{i + 1:04d}" for i in range(len(out))], dtype="str")
    out.insert(0, "conflict_id", ids)
    return out
