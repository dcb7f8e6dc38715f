"""Shared fixtures: small raw folders built in a temporary directory, and small hand-made
Claims, Daily, Estimates, Conflicts and Events tables (contract columns) for the plot, report
and browser tests (``import conftest as F``; ``F.claims()``, ``F.daily()``, ...); the shipped
data built once per session (:func:`shipped`); the extractor's tests' claims of a sentence
(:func:`claims_of`), publication dates and a hand-written PDF (:func:`pdf_bytes`); how
``make test`` shares the tests between its two workers (:func:`pytest_collection_modifyitems`)."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stats.config import RAW
from stats.contract import DAILY_COLUMNS, ESTIMATES_COLUMNS

HEADER = (
    "claim_id,metric,value,qualifier,low,high,period_start,period_end,published,location,"
    "counted_by,reported_by,url,quote"
)
GOOD_ROWS = [
    "A1,killed,826,exact,,,2024-11-27,2024-12-06,2024-12-06,Syria,OSDH,Keystone-ATS,"
    'https://example.org/a,"Since November 27, fighting and bombings have left 826 dead."',
    "A2,civilians_killed,111,exact,,,2024-11-27,2024-12-06,2024-12-06,Syria,the Observatory,"
    'Keystone-ATS,https://example.org/a,"826 dead, including 111 civilians."',
    'A3,displaced,"115,000",exact,,,2024-11-30,2024-12-06,2024-12-06,,UN,Keystone-ATS,'
    'https://example.org/a,"The UN reported 115,000 displaced people in one week."',
    "A4,displaced,,vague,20000,99999,,2024-12-05,2024-12-06,Homs,SOHR,Keystone-ATS,"
    'https://example.org/a,"tens of thousands of residents of Homs were seen fleeing"',
    "A5,idps,1.1 million,about,,,2024-11-27,2024-12-12,2024-12-13,Syria,IDP Task Force,OCHA,"
    'https://example.org/b,"some 1.1 million people have been displaced"',
]


def write_sums(raw: Path) -> None:
    lines = []
    for p in sorted(raw.rglob("*")):
        if p.is_file() and p.name != "SHA256SUMS":
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            lines.append(f"{digest}  {p.relative_to(raw).as_posix()}")
    (raw / "SHA256SUMS").write_text("\n".join(lines) + "\n")


#: The ``dataset.yml`` :func:`make_raw` writes for each dataset folder.
DATASET_YML = "title: A test dataset\nstart: 2024-11-27\ncountry: Syria\n"


@pytest.fixture
def make_raw(tmp_path):
    """Build a raw folder ``tmp/raw/`` from ``{relative name: text or bytes}``, with a
    ``tmp/hand/<dataset>/dataset.yml`` beside it for each dataset folder (unless
    ``hand=False``)."""

    def make(files: dict[str, str | bytes], hand: bool = True) -> Path:
        raw = tmp_path / "raw"
        for name, content in files.items():
            p = raw / name
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")
            if hand and "/" in name:
                yml = tmp_path / "hand" / name.split("/")[0] / "dataset.yml"
                yml.parent.mkdir(parents=True, exist_ok=True)
                yml.write_text(DATASET_YML, encoding="utf-8")
        write_sums(raw)
        return raw

    return make


def claims_csv(rows: list[str], header: str = HEADER) -> str:
    return header + "\n" + "\n".join(rows) + "\n"


# ---------------------------------------------------------------------------------------------
# Small contract tables for the plot, report and browser tests
# ---------------------------------------------------------------------------------------------
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
        df["hard_low"], df["hard_high"], df["kind"] = df["cum_low"], df["cum_high"], "flow"
        return df[list(DAILY_COLUMNS)]

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
    df["counters"] = df["counter"].where(df["counter"] != "combined", "SNHR;SOHR")
    return df[list(ESTIMATES_COLUMNS)]


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


def daily_with_eventual(level: float = 0.9) -> pd.DataFrame:
    """:func:`daily` with the delay model's columns: an interval for the eventual toll, a
    little above the literal band."""
    d = daily()
    best = d["cum_best"].astype("Float64")
    d["est_low"] = d["cum_best"]
    d["est_best"] = (best * 1.2).round().astype("Int64")
    d["est_high"] = (best * 1.5).round().astype("Int64")
    d["level"] = level
    return d


# HTML pages as a reader's tools see them (report and review tests)
class Tags(HTMLParser):
    """Collects the tags, attributes and text of a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Tags:
    p = Tags()
    p.feed(page)
    return p


# ---------------------------------------------------------------------------------------------
# two builds of one dataset (stats.builds records them, stats.diff compares them)
# ---------------------------------------------------------------------------------------------
A1, A2, A3 = GOOD_ROWS[:3]
A2_FIXED = A2.replace("A2,civilians_killed,111", "A2,civilians_killed,112")
A6 = (
    "A6,killed,900,exact,,,2024-11-27,2024-12-05,2024-12-05,Syria,SOHR,AFP,"
    'https://example.org/c,"900 people have been killed since November 27."'
)


def make_build_raw(tmp_path, name, rows):
    raw = tmp_path / name
    (raw / "ds").mkdir(parents=True)
    (raw / "ds" / "claims.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    write_sums(raw)
    hand = tmp_path / "hand" / "ds"
    hand.mkdir(parents=True, exist_ok=True)
    (hand / "dataset.yml").write_text("title: T\nstart: 2024-11-27\n")
    return raw


def digests(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def two_builds(tmp_path_factory):
    """Two builds of dataset ``ds`` into one folder: A1-A3, then A1, A2 corrected, A6:
    ``(tmp, processed folder, second raw folder, digests of the first build)``."""
    from stats import pipeline

    tmp = tmp_path_factory.mktemp("diff")
    out = tmp / "processed"
    pipeline.build(make_build_raw(tmp, "raw1", [A1, A2, A3]), out, hand=tmp / "hand")
    first = digests(out / "ds")
    raw2 = make_build_raw(tmp, "raw2", [A1, A2_FIXED, A6])
    pipeline.build(raw2, out, hand=tmp / "hand")
    return tmp, out, raw2, first


# ---------------------------------------------------------------------------------------------
# the shipped data, built once
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """The shipped raw data (``data/raw``) built as ``make data`` builds it, once per session:
    ``(build summary, processed folder)``. Read it only; a test that writes copies it."""
    from stats import config, pipeline

    if not (config.RAW / "syria-2024" / "claims.csv").exists():
        pytest.skip("the shipped dataset data/raw/syria-2024 is not there")
    out = tmp_path_factory.mktemp("shipped")
    return pipeline.build(config.RAW, out), out


# ---------------------------------------------------------------------------------------------
# sharing the tests between workers (``make test``: pytest -n 2 --dist loadgroup)
# ---------------------------------------------------------------------------------------------
#: Files that use the one build of the shipped data (:func:`shipped`): they run on one worker.
SHIPPED_FILES = ("test_browser.py", "test_readme.py", "test_report.py", "test_shipped_dataset.py")
#: Single tests elsewhere that use it too (``file::test[id]``), run on the same worker.
SHIPPED_TESTS = ("test_notebooks.py::test_notebook_executes[01-syria-2024-overview]",)
#: Files whose tests share no costly fixture: their tests are spread one by one.
SPREAD_FILES = (
    "test_datasets.py",
    "test_dedupe.py",
    "test_delay.py",
    "test_extract_claims.py",
    "test_extract_score.py",
    "test_notebooks.py",
    "test_pipeline.py",
    "test_reconcile.py",
    "test_reconcile_ledgers.py",
    "test_simulate.py",
)
#: The slowest files (``pytest --durations``), started first so that no long one starts last.
SLOW_FIRST = (
    "test_report.py",  # and the other SHIPPED_FILES
    "test_reconcile.py",
    "test_delay.py",
    "test_notebooks.py",
    "test_review.py",
    "test_simulate.py",
    "test_extract_score.py",
    "test_pipeline.py",
    "test_mse_simulate.py",
    "test_mse_lcmcr.py",
    "test_mse_dga.py",
    "test_cli.py",
    "test_mse.py",
)


def pytest_xdist_make_scheduler(config, log):
    """``make test`` (``-n 2 --dist loadgroup``) shares the tests by these groups: the tests of
    a file on one worker (its module fixtures are built once), those of :data:`SHIPPED_FILES`
    all on one, those of :data:`SPREAD_FILES` one by one wherever a worker is free. (xdist's
    own ``xdist_group`` marks do not group under pytest 9: it renames node ids, which pytest 9
    no longer reads.)"""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByFile(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::")[0]
            name = path.rsplit("/", 1)[-1]
            if name in SHIPPED_FILES or nodeid.rsplit("/", 1)[-1] in SHIPPED_TESTS:
                return "shipped"
            return nodeid if name in SPREAD_FILES else path

    return ByFile(config, log)


def pytest_collection_modifyitems(config, items):
    """Under ``-n`` (in xdist's workers): the files of :data:`SLOW_FIRST` first, in its order
    (``--no-loadscope-reorder`` keeps it)."""
    if not hasattr(config, "workerinput"):
        return
    rank = {name: k for k, name in enumerate(SLOW_FIRST)}
    first = rank[SLOW_FIRST[0]]
    items.sort(
        key=lambda it: first if it.path.name in SHIPPED_FILES else rank.get(it.path.name, len(rank))
    )


def reasons(parsed) -> list:
    """The reasons of a :mod:`stats.parse` result, ``None`` where a cell was read."""
    return [None if pd.isna(r) else r for r in parsed.reason]


#: A valid Claims row as received (text), for the contract's tests.
CLAIM_ROW = {
    "claim_id": "X1",
    "metric": "killed",
    "value": "826",
    "qualifier": "exact",
    "period_start": "2024-11-27",
    "period_end": "2024-12-06",
    "published": "2024-12-06",
    "counted_by": "OSDH",
}


def claim_frame(*overrides: dict) -> pd.DataFrame:
    """Claims rows as text: :data:`CLAIM_ROW` with each override, ids X0, X1, ..."""
    rows = []
    for i, o in enumerate(overrides):
        row = {**CLAIM_ROW, "claim_id": f"X{i}", **o}
        rows.append(row)
    return pd.DataFrame(rows, dtype="str")


#: Reference tables of the MSE tests (tests/data/mse/README.md says where each comes from).
MSE_REFERENCE = Path(__file__).parent / "data" / "mse"
#: Short lcmcr chains for tests (the defaults are longer; see docs/mse.md).
QUICK_CHAIN = {"burn_in": 1000, "samples": 500, "thin": 4}


def mse_table(name: str) -> pd.DataFrame:
    """A published capture table shipped in ``data/raw/mse/``."""
    return pd.read_csv(RAW / "mse" / name)


def counts_by_code(table: pd.DataFrame) -> np.ndarray:
    """Counts of all 2^k patterns by code (index 0 = unobserved), from a capture table."""
    from stats import mse

    return np.r_[0.0, mse.tabulate(table)["count"].to_numpy(dtype=float)]


# ---------------------------------------------------------------------------------------------
# the extractor's reports and sentences (tests/test_extract_*.py)
# ---------------------------------------------------------------------------------------------
#: The publication date of the seed article (Friday 6 December 2024), and that of the
#: sentences written for the rules of each language (Friday 14 March 2025).
PUB, PUB_2025 = "2024-12-06", "2025-03-14"
#: A Tuesday, the publication date of more wire and situation-report sentences.
P10 = "2024-12-10"


def claims_of(text: str, published: str = PUB, lang: str | None = None) -> list[tuple]:
    """(metric, value or (low, high), qualifier, counted_by, period_start, period_end,
    location) per claim the extractor reads in ``text``.

    Reads the claims before schema validation (fast); names are canonicalised as validation
    does."""
    from stats import vocab
    from stats.extract import extract_raw

    out = []
    for r in extract_raw(text, published, lang=lang).itertuples():
        v = int(r.value) if pd.notna(r.value) else (int(r.low), int(r.high))
        out.append(
            (
                r.metric,
                v,
                r.qualifier,
                None if pd.isna(r.counted_by) else vocab.canonical_source(r.counted_by),
                None if pd.isna(r.period_start) else str(r.period_start),
                str(r.period_end),
                None if pd.isna(r.location) else vocab.canonical_place(r.location),
            )
        )
    return out


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF showing ``lines`` in Helvetica (written by hand: no PDF writer needed)."""
    text = (
        "BT /F1 11 Tf 40 800 Td 14 TL "
        + " ".join(
            "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for s in lines
        )
        + " ET"
    )
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
