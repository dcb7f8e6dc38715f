"""Benchmark ``make report`` end to end (run by ``make bench``; prints a results table).

Target (issue 5): ``make report`` on the shipped data -- raw files to ``index.html`` -- in
under 30 s. Measured twice:

* as the user runs it: ``python -m stats data`` then ``python -m stats report`` in fresh
  processes (interpreter start-up and imports included), into a temporary folder so the
  working tree's ``data/processed`` and ``reports`` are left alone;
* in process, stage by stage (make data, load, numbers, charts, HTML), to see where the time
  goes; plus the ``--known-on`` variant: ``stats data --known-on`` (which reconciles again
  from the claims published by then) and the report of that day.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 30.0
ROOT = Path(__file__).resolve().parent.parent
#: the dataset `make report` builds when none is named (the Makefile's DEFAULT_DATASET)
DATASET = "syria-2024"


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def run(*args: str) -> None:
    r = subprocess.run([sys.executable, "-m", "stats", *args], cwd=ROOT, capture_output=True,
                       text=True)  # fmt: skip
    if r.returncode:
        raise SystemExit(f"python -m stats {' '.join(args)} failed:\n{r.stderr}")


def main() -> None:
    from stats import config, report
    from stats.pipeline import build, build_known_on

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        proc, out = tmp / "processed", tmp / "reports"
        _, t_data = timed(lambda: run("data", "--out", str(proc)))
        _, t_rep = timed(
            lambda: run("report", "--dataset", DATASET, "--processed", str(proc), "--out", str(out))
        )
        rows.append(("make report (fresh processes)", "stats data + stats report", t_data + t_rep,
                     TARGET_S))  # fmt: skip
        rows.append(("  of which stats data", "", t_data, None))
        rows.append(("  of which stats report", "", t_rep, None))

        proc2 = tmp / "processed2"
        _, secs = timed(lambda: build(config.RAW, proc2))
        rows.append(("in process: make data", "checksums, ingest, derive", secs, None))
        t, secs = timed(lambda: report.load_tables(DATASET, None, proc2))
        rows.append(("in process: load tables", f"{len(t.claims)} claims", secs, None))
        numbers, secs = timed(lambda: report.compute_numbers(t))
        rows.append(("in process: numbers", f"{len(numbers['series'])} series", secs, None))
        charts, secs = timed(lambda: report.render_charts(t, numbers))
        rows.append(("in process: charts", f"{len(charts)} PNGs", secs, None))
        page, secs = timed(lambda: report.render_html(numbers, t, charts))
        rows.append(("in process: HTML", f"{len(page) / 1e6:.1f} MB", secs, None))
        _, secs = timed(lambda: build_known_on("2024-12-05", [DATASET], proc2))
        rows.append(("in process: data --known-on 2024-12-05", "reconciles again", secs, None))
        _, secs = timed(lambda: report.build_report(DATASET, "2024-12-05", tmp / "r2", proc2))
        rows.append(("in process: report --known-on 2024-12-05", "", secs, None))

    w = max(len(r[0]) for r in rows)
    print(f"{'step':<{w}}  {'detail':<26} {'seconds':>8} {'target':>7}  ok")
    for name, detail, secs, target in rows:
        ok = "" if target is None else ("yes" if secs <= target else "NO")
        tgt = "" if target is None else f"{target:.0f}"
        print(f"{name:<{w}}  {detail:<26} {secs:>8.2f} {tgt:>7}  {ok}")


if __name__ == "__main__":
    main()
