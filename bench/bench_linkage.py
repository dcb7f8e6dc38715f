"""Benchmark stats.linkage on 5 simulated lists of about 100,000 records each (``make bench``).

Target (issue 15): linkage of 5 lists x 100,000 records in <= 60 s and <= 4 GB. The lists are
simulated (:mod:`stats.simulate_lists`: 14 places, the 12 quarters of 2012-2014, the four default lists and a
fifth) and written to a temporary Parquet file; the linkage runs in a child process, so that
its peak memory (resident set size, DuckDB included) is measured alone, with its CPU time
(all threads), which other jobs on the machine do not inflate as they do the wall time. Pass ``--people N`` for
another population size (default 290,000, which gives about 100,000 records per list).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's stats, in the child as in this process
PLACES = tuple((f"Governorate {i + 1}", f"محافظة {i + 1}") for i in range(14))
#: The quarters of 2012-2014: 290,000 victims in 14 places over three years, about as dense as
#: the documented killings of Syria's war then (191,369 killings from March 2011 to April 2014
#: in the integrated records of five sources: Price, Gohdes & Ball, HRDAG for OHCHR, 2014).
PERIODS = tuple(
    (f"{year}-{first}", f"{year}-{last}")
    for year in (2012, 2013, 2014)
    for first, last in (
        ("01-01", "03-31"),
        ("04-01", "06-30"),
        ("07-01", "09-30"),
        ("10-01", "12-31"),
    )
)


def simulate(people: int, path: Path) -> dict:
    from stats.simulate_lists import DEFAULT_LISTS, ListStyle, simulate_lists

    committee = ListStyle("committee", (0.20, 0.60), article=3, abd=4, spelling=0.5)
    sim = simulate_lists(7, people, DEFAULT_LISTS + (committee,), PLACES, PERIODS)
    sim.records.to_parquet(path)
    sim.truth.to_parquet(path.with_suffix(".truth.parquet"))
    return sim.records.groupby("list").size().to_dict()


def link(path: Path) -> None:
    """Child process: read the records, link them, print time, memory and scores as JSON."""
    import pandas as pd

    from stats.linkage import link_records, score_pairs

    records = pd.read_parquet(path)
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = link_records(records)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime  # all threads
    peak = after.ru_maxrss / 1024**2  # KiB -> GiB
    score = score_pairs(result.clusters, pd.read_parquet(path.with_suffix(".truth.parquet")))
    out = {
        "records": len(records),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "load_average": os.getloadavg()[0],
        "peak_gib": peak,
        "pairs": len(result.pairs),
    }
    print(json.dumps(out | {k: score[k] for k in ("precision", "recall")}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=290_000)
    parser.add_argument("--link", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.link is not None:
        link(args.link)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.parquet"
        per_list = simulate(args.people, path)
        child = subprocess.run(
            [sys.executable, __file__, "--link", str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env=os.environ | {"PYTHONPATH": str(ROOT)},  # this checkout's stats, not another
        )
    res = json.loads(child.stdout.strip().splitlines()[-1])
    lists = ", ".join(f"{k} {v:,}" for k, v in per_list.items())
    print(f"{'benchmark':<34} {'seconds':>8} {'target':>7} {'peak GiB':>9} {'target':>7}")
    print(
        f"{'linkage ' + format(res['records'], ',') + ' records':<34} {res['seconds']:>8.1f} "
        f"{60:>7} {res['peak_gib']:>9.2f} {4:>7}"
    )
    print(
        f"CPU time {res['cpu_seconds']:.1f} s (all threads; wall time exceeds it when other jobs "
        f"share the cores: load average {res['load_average']:.1f} at the end)"
    )
    print(f"lists: {lists}; scored pairs kept {res['pairs']:,}")
    print(f"pair precision {res['precision']:.4f}, recall {res['recall']:.4f}")


if __name__ == "__main__":
    main()
