"""Every command as a user meets it: ``--help``, an empty file, bad input, a failing disk, Ctrl-C.

A user's mistake is one ``stats: error:`` line and exit 2 (exit 1 for ``validate`` and
``ingest`` when rows are rejected), never a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from stats import cli, config, pipeline
from tests.conftest import DATASET_YML, GOOD_ROWS, HEADER, claims_csv, pdf_bytes

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("stats: error:")]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    """Processed tables of a small dataset ``ds``, built once (tests must not change them)."""
    top = tmp_path_factory.mktemp("top")
    (top / "raw" / "ds").mkdir(parents=True)
    (top / "raw" / "ds" / "claims.csv").write_text(claims_csv(GOOD_ROWS))
    (top / "hand" / "ds").mkdir(parents=True)
    (top / "hand" / "ds" / "dataset.yml").write_text(DATASET_YML)
    out = top / "processed"
    pipeline.build(top / "raw", out, verify=False)
    return out


# ---------------------------------------------------------------------------------------------
# every command: --help and an empty file
# ---------------------------------------------------------------------------------------------
def empty_file_argv(command: str, empty: Path, tmp: Path) -> list[str]:
    """The command run on an empty file, wherever it takes one."""
    out = tmp / "out"
    return {
        "data": ["data", "--raw", empty, "--out", out],
        "validate": ["validate", empty],
        "vocab": ["vocab", "--format", "csv", "places"],
        "extract": ["extract", empty, "--published", "2024-12-06"],
        "score-extract": ["score-extract", empty],
        "ingest": ["ingest", empty, "-o", out / "c.csv"],
        "export": ["export", "--claims", empty, "-o", out, "--tables", "claims"],
        "reconcile": ["reconcile", empty, "--out", out],
        "interpolate": ["interpolate", empty, "--out", out],
        "simulate": ["simulate", "--runs", "0"],
        "mse": ["mse", empty],
        "report": ["report", "--processed", empty, "--out", out],
        "notebooks": ["notebooks", empty, "--out", out],
        "new": ["new", "ds", "--title", "t", "--start", empty, "--raw", out, "--hand", out],
        "review": ["review", "--processed", empty, "--hand", out],
        "diff": ["diff", empty, empty],
        "link": ["link", empty, "-o", out],
        "simulate-lists": ["simulate-lists", "--runs", "0"],
    }[command]


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_help_of_every_command(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m stats {command}")


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_every_command_on_an_empty_file_is_one_line(command, tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, out, err = run(capsys, *empty_file_argv(command, empty, tmp_path))
    assert "Traceback" not in err + out
    if command == "vocab":
        assert code == 0
    else:
        assert code in (1, 2)
        one_line_error(err) if code == 2 else None


def test_help_imports_neither_statsmodels_nor_pandas():
    code = (
        "import sys\n"
        "from stats.cli import COMMANDS, main\n"
        "def helped(argv):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "helped(['--help'])\n"
        "for c in COMMANDS:\n"
        "    helped([c, '--help'])\n"
        "    heavy = {'pandas', 'scipy', 'statsmodels'} & set(sys.modules)\n"
        "    assert not heavy, f'python -m stats {c} --help imports {heavy}'\n"
    )
    got = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert got.returncode == 0, got.stderr


def test_vocab_names_an_unknown_table_in_one_line(capsys):
    from stats.cli import main

    assert main(["vocab", "metric"]) != 0
    err = capsys.readouterr().err
    assert "no curated table 'metric'" in err and "metrics" in err and "Traceback" not in err


def _interrupt(argv: list[str], wait_until_ready, python: tuple = ()) -> tuple[int, str]:
    """Start ``python [PYTHON] -m stats ARGV``, wait for *wait_until_ready(process)* to see it
    reach the moment to interrupt, press Ctrl-C (SIGINT); its exit code and standard error."""
    env = {**os.environ, "STATS_NO_PROGRESS": "1"}
    p = subprocess.Popen(
        [sys.executable, *python, "-m", "stats", *argv],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = wait_until_ready(p)
        p.send_signal(signal.SIGINT)
        _out, err = p.communicate(timeout=120)
    finally:
        p.kill()
        p.wait()
    err = "".join(
        line for line in seen + err.splitlines(True) if not line.startswith("import time:")
    )
    return p.returncode, err


def _imported(module: str):
    """Ready once *module* has been imported: the libraries are still loading (with
    ``python -X importtime``, which reports each import on standard error as it ends)."""

    def wait(p) -> list[str]:
        seen = []
        for line in p.stderr:
            seen.append(line)
            if line.startswith("import time:") and line.split("|")[-1].strip() == module:
                return seen
        raise AssertionError("the command ended before importing " + module + ": " + "".join(seen))

    return wait


def _reading(fifo: Path):
    """Ready once the command has opened *fifo* for reading: it runs and waits for input."""

    def wait(p) -> list[str]:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and p.poll() is None:
            try:  # opening a FIFO to write succeeds only once a reader has it open
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                time.sleep(0.02)
                continue
            # nothing written: the command waits in its first read, in Python (once it is in
            # pyarrow's read of a FIFO, a read interrupted by the signal is retried, not ended)
            wait.fd = fd
            return []
        raise AssertionError(f"the command never opened {fifo}: exit {p.poll()}")

    return wait


def test_ctrl_c_while_the_libraries_load_is_one_line_and_exit_130():
    code, err = _interrupt(
        ["simulate", "--runs", "200"], _imported("numpy"), python=("-X", "importtime")
    )
    assert code == 130, err
    assert "Traceback" not in err
    assert err.strip() == "stats: interrupted"


def test_ctrl_c_while_a_command_runs_is_one_line_and_exit_130(tmp_path):
    fifo = tmp_path / "claims.csv"
    os.mkfifo(fifo)
    ready = _reading(fifo)
    try:
        code, err = _interrupt(["validate", str(fifo)], ready)
    finally:
        if hasattr(ready, "fd"):
            os.close(ready.fd)
    assert code == 130, err
    assert "Traceback" not in err
    assert err.strip() == "stats: interrupted"


# ---------------------------------------------------------------------------------------------
# point 3: nothing written under data/raw
# ---------------------------------------------------------------------------------------------
def test_report_and_notebooks_refuse_to_write_under_raw(processed, tmp_path, monkeypatch, capsys):
    raw = tmp_path / "immutable"
    raw.mkdir()
    monkeypatch.setattr(config, "RAW", raw)
    before = sorted(raw.rglob("*"))
    code, _out, err = run(capsys, "report", "--processed", processed, "--out", raw)
    assert code == 2 and "refusing to write under data/raw" in one_line_error(err)
    code, _out, err = run(capsys, "notebooks", "--out", raw / "nb")
    assert code == 2 and "refusing to write under data/raw" in one_line_error(err)
    assert sorted(raw.rglob("*")) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["link", "{good}", "-o", "{raw}/links"],
        ["reconcile", "{good}", "--out", "{raw}/rec"],
        ["export", "--claims", "{good}", "-o", "{raw}/exp", "--tables", "claims"],
        ["validate", "{good}", "--rejects", "{raw}/rejects.csv"],
        ["ingest", "{good}", "-o", "{tmp}/c.csv", "--rejects", "{raw}/rejects.csv"],
    ],
    ids=["link", "reconcile", "export", "validate", "ingest-rejects"],
)
def test_outputs_under_raw_are_refused_before_anything_is_written(
    argv, tmp_path, monkeypatch, capsys
):
    raw = tmp_path / "immutable"
    raw.mkdir()
    monkeypatch.setattr(config, "RAW", raw)
    good = tmp_path / "good.csv"
    good.write_text(claims_csv(GOOD_ROWS))
    names = {"good": good, "raw": raw, "tmp": tmp_path / "out"}
    code, _out, err = run(capsys, *[a.format(**names) for a in argv])
    assert code == 2 and "refusing to write under data/raw" in one_line_error(err)
    assert list(raw.iterdir()) == [] and not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# point 5: user errors are one line
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{claims}", "--rejects", "{out}/rejects.csv"],
        ["ingest", "{claims}", "-o", "{out}/claims.parquet"],
        ["ingest", "{claims}", "-o", "{out}/claims.hxl.csv"],
        ["reconcile", "{good}", "--out", "{out}"],
        ["interpolate", "{good}", "--out", "{out}"],
        ["export", "--claims", "{claims}", "-o", "{out}", "--tables", "claims"],
        ["data", "--raw", "{raw}", "--out", "{out}"],
        ["report", "--processed", "{processed}", "--out", "{out}", "--dataset", "ds"],
    ],
)
def test_a_full_disk_is_one_line_and_leaves_nothing_behind(
    argv, processed, make_raw, tmp_path, monkeypatch, capsys
):
    claims = tmp_path / "claims.csv"
    claims.write_text(claims_csv(GOOD_ROWS + ["B1,deaths,5,exact,,,,2024-12-06,2024-12-06,,,,,"]))
    good = tmp_path / "good.csv"
    good.write_text(claims_csv(GOOD_ROWS))
    raw = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS)})
    out = tmp_path / "out"
    names = {"claims": claims, "good": good, "out": out, "raw": raw, "processed": processed}

    def full(*_args, **_kw):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    code, _out, err = run(capsys, *[a.format(**names) for a in argv])
    assert code == 2
    assert "No space left on device" in one_line_error(err)
    left = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert left == [], "no partial or temporary file is left"


def test_ingest_user_errors(tmp_path, capsys):
    claims = tmp_path / "claims.csv"
    claims.write_text(claims_csv(GOOD_ROWS))
    code, _out, err = run(capsys, "ingest", claims, "-o", tmp_path)
    assert code == 2 and "is a folder" in one_line_error(err)
    ged = ROOT / "tests" / "data" / "formats" / "ucdp" / "ged251_syria_sample.csv"
    code, _out, err = run(
        capsys, "ingest", ged, "-o", tmp_path / "g.csv", "--published", "2024-02-30"
    )
    assert code == 2 and "--published: '2024-02-30': not a date" in one_line_error(err)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02\x03binary",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        "metric,value\nkilled,3\n".encode("utf-16"),
        b'metric,value,qualifier\n"killed,3,exact\n',
    ],
    ids=["empty", "binary", "png", "utf16", "unbalanced"],
)
def test_interpolate_on_files_that_are_not_csv(content, tmp_path, capsys):
    f = tmp_path / "in.csv"
    f.write_bytes(content)
    code, _out, err = run(capsys, "interpolate", f, "--out", tmp_path / "out")
    assert code == 2
    assert "in.csv" in one_line_error(err)


def test_interpolate_estimates_with_low_above_best(tmp_path, capsys):
    from stats import disk
    from stats.contract import validate
    from stats.dedupe import dedupe
    from stats.reconcile import reconcile

    valid, _ = validate(pd.read_csv(pd.io.common.StringIO(claims_csv(GOOD_ROWS)), dtype=str))
    est, _ = reconcile(dedupe(valid))
    est.loc[0, "low"] = est.loc[0, "best"] + 1
    f = disk.write_csv(est, tmp_path / "estimates.csv")
    code, _out, err = run(capsys, "interpolate", f, "--out", tmp_path / "out")
    assert code == 2 and "estimates.csv: not a valid estimates table" in one_line_error(err)


def test_api_dates_and_tables_are_clear_value_errors(processed):
    import stats

    claims = stats.load("claims", "ds", processed)
    with pytest.raises(ValueError, match="known_on: 'not-a-date': not a date"):
        stats.reconcile(claims, known_on="not-a-date")
    with pytest.raises(ValueError, match="start: 'garbage': not a date"):
        stats.reconcile(claims, start="garbage")
    est, _ = stats.reconcile(claims)
    with pytest.raises(ValueError, match="end: 'garbage': not a date"):
        stats.interpolate(est, end="garbage")
    with pytest.raises(TypeError, match="expected a DataFrame of claims, got list"):
        stats.validate([1, 2, 3])


@pytest.mark.parametrize("table", ["daily.csv", "claims.parquet", "claims.csv"])
def test_truncated_tables_are_one_line(table, processed, tmp_path, capsys):
    import shutil

    import stats
    from stats.errors import UserError

    processed = Path(shutil.copytree(processed, tmp_path / "processed"))
    f = processed / "ds" / table
    data = f.read_bytes()
    f.write_bytes(data[: len(data) * 2 // 3])
    if table == "claims.csv":
        (processed / "ds" / "claims.parquet").unlink()
    name = table.split(".")[0]
    with pytest.raises(UserError, match=table):
        stats.load(name, "ds", processed)
    code, _out, err = run(
        capsys, "report", "--processed", processed, "--out", tmp_path / "r", "--dataset", "ds"
    )
    assert code == 2 and table in one_line_error(err)


# ---------------------------------------------------------------------------------------------
# point 6: whole files or nothing
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["derive_tables", "write_record"])
def test_interrupted_build_leaves_the_previous_outputs(where, make_raw, tmp_path, monkeypatch):
    """Interrupted while deriving the tables or while writing ``build.json`` (which is written
    with the tables it describes), the folder keeps the previous tables with their own record,
    and no staging folder is left."""
    from stats import builds

    raw = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS)})
    out = tmp_path / "processed"
    pipeline.build(raw, out)
    before = {p.name: p.read_bytes() for p in (out / "ds").iterdir() if p.is_file()}
    raw2 = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS[:2])})

    def interrupted(*_args, **_kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline if where == "derive_tables" else builds, where, interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(raw2, out)
    assert {p.name: p.read_bytes() for p in (out / "ds").iterdir() if p.is_file()} == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".ds")] == []
    assert [p.name for p in (out / "ds").iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    "argv, previous",
    [
        (["reconcile", "{good}", "--out", "{out}"], ["estimates.csv", "conflicts.csv"]),
        (["interpolate", "{good}", "--out", "{out}"], ["estimates.csv", "daily.csv"]),
        (
            ["export", "--claims", "{good}", "-o", "{out}", "--tables", "claims"],
            ["claims.hxl.csv", "claims.csv", "datapackage.json"],
        ),
    ],
    ids=["reconcile", "interpolate", "export"],
)
def test_a_write_failing_midway_leaves_the_previous_outputs(
    argv, previous, tmp_path, monkeypatch, capsys
):
    """The files of one run replace the previous run's together, or not at all: a full disk
    at the second file leaves neither a new file beside old ones nor a temporary folder."""
    good = tmp_path / "good.csv"
    good.write_text(claims_csv(GOOD_ROWS))
    out = tmp_path / "out"
    for name in previous:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("from the previous run\n")
    before = sorted(out.rglob("*"))
    replace, calls = os.replace, []

    def full_at_the_second(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", full_at_the_second)
    code, _out, err = run(capsys, *[a.format(good=good, out=out) for a in argv])
    line = one_line_error(err)
    assert code == 2 and "No space left on device" in line and ".staged" not in line
    assert sorted(out.rglob("*")) == before
    assert all((out / n).read_text() == "from the previous run\n" for n in previous)


def test_report_interrupted_leaves_the_previous_report(processed, tmp_path, monkeypatch):
    """Page, numbers and charts are replaced together: Ctrl-C once the new numbers are
    computed (before the charts are drawn) leaves the previous report whole."""
    from stats import report

    folder = tmp_path / "reports" / "ds"
    (folder / "charts").mkdir(parents=True)
    for name in ("index.html", "numbers.json", "charts/overview.png"):
        (folder / name).write_text("from the previous build\n")
    before = sorted(folder.rglob("*"))

    def interrupted(*_args, **_kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "render_charts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        report.build_report("ds", out=folder.parent, processed=processed)
    assert sorted(folder.rglob("*")) == before
    assert {p.read_text() for p in before if p.is_file()} == {"from the previous build\n"}


def test_new_on_a_failing_disk_writes_nothing(make_raw, tmp_path, monkeypatch, capsys):
    raw = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS)})
    hand = tmp_path / "hand"
    before = {p: p.read_bytes() for p in [*raw.rglob("*"), *hand.rglob("*")] if p.is_file()}
    write_text, calls = Path.write_text, []

    def full_at_the_third(self, *args, **kw):
        calls.append(self)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_text(self, *args, **kw)

    monkeypatch.setattr(Path, "write_text", full_at_the_third)
    argv = ["new", "zz", "--title", "Z", "--start", "2025-01-01", "--raw", raw, "--hand", hand]
    code, _out, err = run(capsys, *argv)
    line = one_line_error(err)
    assert code == 2 and "No space left on device" in line and "nothing written" in line
    after = {p: p.read_bytes() for p in [*raw.rglob("*"), *hand.rglob("*")] if p.is_file()}
    assert after == before and not (raw / "zz").exists() and not (hand / "zz").exists()


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    from stats import disk

    f = disk.write_csv(pd.DataFrame({"a": ["old"]}), tmp_path / "t.csv")

    def broken(self, *_a, **_kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", broken)
    with pytest.raises(KeyboardInterrupt):
        disk.write_csv(pd.DataFrame({"a": ["new"]}), f)
    assert f.read_text() == "a\nold\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


# ---------------------------------------------------------------------------------------------
# point 7: shapes that mislead
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("header_too", [False, True])
def test_trailing_comma_on_every_row(header_too, tmp_path, capsys):
    f = tmp_path / "c.csv"
    head = HEADER + ("," if header_too else "")
    f.write_text(head + "\n" + "\n".join(r + "," for r in GOOD_ROWS) + "\n")
    code, _out, err = run(capsys, "validate", f)
    assert code == 0, err
    assert f"{len(GOOD_ROWS)} valid, 0 rejected" in err


def test_duplicate_column_names_are_named(tmp_path, capsys):
    f = tmp_path / "c.csv"
    f.write_text(HEADER + ",value\n" + "\n".join(r + ",1" for r in GOOD_ROWS) + "\n")
    code, _out, err = run(capsys, "validate", f)
    assert code == 2
    assert "duplicate column name(s): 'value' in columns 3, 15" in one_line_error(err)


def test_score_extract_gold_without_columns(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("DATE: 2024-12-06\n\nAt least 12 people were killed.\n")
    (tmp_path / "a.gold.csv").write_text("metric,value\nkilled,12\n")
    code, _out, err = run(capsys, "score-extract", tmp_path)
    assert code == 2 and "a.gold.csv: missing column(s) qualifier" in one_line_error(err)


def test_ingest_exits_1_when_every_row_is_rejected(tmp_path, capsys):
    f = tmp_path / "c.csv"
    f.write_text(claims_csv(["B1,deaths,5,exact,,,,2024-12-06,2024-12-06,,,,,"]))
    code, _out, err = run(capsys, "ingest", f, "-o", tmp_path / "out.csv")
    assert code == 1 and "every row was rejected" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["report", "--known-on", "12/05/2024"], "--known-on: '12/05/2024': not a date"),
        (["report", "--known-on", "9999-12-31"], "--known-on: '9999-12-31': date out of range"),
        (["report", "--known-on", "2100-12-31"], "--known-on: 2100-12-31 is after today"),
        (
            ["reconcile", "{claims}", "--known-on", "12/05/2024"],
            "'12/05/2024': not a date: expected YYYY-MM-DD",
        ),
        (["interpolate", "{claims}", "--end", "2262-01-01"], "'2262-01-01': date out of range"),
        (
            ["interpolate", "{claims}", "--series-start", "1901-01-01", "--end", "2099-01-01"],
            "spans more than 100 years",
        ),
    ],
)
def test_dates_iso_only_and_bounded(argv, message, processed, tmp_path, capsys):
    claims = tmp_path / "claims.csv"
    claims.write_text(claims_csv(GOOD_ROWS))
    argv = [a.format(claims=claims) for a in argv]
    if argv[0] == "report":
        argv += ["--processed", str(processed), "--out", str(tmp_path / "r")]
    else:
        argv += ["--out", str(tmp_path / "out")]
    code, _out, err = run(capsys, *argv)
    assert code == 2 and message in one_line_error(err)
    assert not (tmp_path / "out" / "daily.csv").exists()


def test_unknown_places_and_files_are_in_the_build_summary(make_raw, tmp_path, capsys):
    rows = [GOOD_ROWS[0].replace(",Syria,", ",Alepo,"), *GOOD_ROWS[1:]]
    raw = make_raw(
        {
            "ds/claims.csv": claims_csv(rows),
            "ds/annex.pdf": b"%PDF-1.4\n",
            "ds/table.xlsx": b"PK\x03\x04",
            "ds/other.csv": "a,b\n1,2\n",
            "ds/texts/sitrep.pdf": pdf_bytes(
                ["DATE: 2024-12-06", "", "At least 12 civilians were killed, OCHA said."]
            ),
        }
    )
    code, out, err = run(capsys, "data", "--raw", raw, "--out", tmp_path / "out")
    assert code == 0, err
    assert "'Alepo'; did you mean 'Aleppo'?" in out
    # a PDF under texts/ is report text: read, its figure a candidate for review
    assert re.search(r"ds/texts/sitrep\.pdf +text +1 +1 +0", out), out
    assert "1 of 1 candidates wait for review" in out
    for name in ("annex.pdf", "table.xlsx", "other.csv"):
        assert f"ds/{name}: skipped" in out


# ---------------------------------------------------------------------------------------------
# point 9: newcomer friction
# ---------------------------------------------------------------------------------------------
def test_licence_is_an_spdx_string():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"


def test_validate_and_extract_show_progress_on_a_terminal(tmp_path, monkeypatch, capsys):
    from stats import progress
    from stats.ingest import claims as claims_reader

    monkeypatch.setattr(progress, "progress_enabled", lambda: True)
    monkeypatch.setattr(claims_reader, "CHUNK_ROWS", 2)  # a file of several chunks
    text = tmp_path / "r.txt"
    text.write_text("DATE: 2024-12-06\n\nAt least 12 people were killed in Homs.\n")
    code, _out, err = run(capsys, "extract", text)
    assert code == 0 and "extract:" in err, err
    claims = tmp_path / "c.csv"
    claims.write_text(claims_csv(GOOD_ROWS))
    code, _out, err = run(capsys, "validate", claims)
    assert code == 0 and "validating" in err, err


def test_mse_prints_plain_numbers_and_file_rows(tmp_path, capsys):
    f = tmp_path / "m.csv"
    f.write_text("A,B,count\n1,0,3\n0,1,10.5\n1,1,2\n")
    code, _out, err = run(capsys, "mse", f)
    assert code == 2
    line = one_line_error(err)
    assert "row 3, column 'count': value '10.5': not a count" in line and "np." not in line
    f.write_text("A,B,count\n1,0,3\n0,1,1E3\n1,1,2\n")  # read as in every table: no exponent
    code, _out, err = run(capsys, "mse", f)
    assert code == 2 and "value '1E3': not a count: exponent notation" in one_line_error(err)
