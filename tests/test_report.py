"""Tests for stats.report and the ``report`` command: numbers, escaping, links, known_on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import conftest as F
import pandas as pd
import pytest
from conftest import parse

from stats import report
from stats.cli import main
from stats.errors import UserError


@pytest.fixture
def tables():
    return report.ReportTables(
        "syria-2024", F.claims(), F.estimates(), F.daily(), F.conflicts(), F.events()
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    t = report.ReportTables(
        "syria-2024", F.claims(), F.estimates(), F.daily(), F.conflicts(), F.events()
    )
    page = report.build_report(tables=t, out=tmp_path_factory.mktemp("built"))
    return (
        page,
        page.read_text(encoding="utf-8"),
        json.loads((page.parent / "numbers.json").read_text(encoding="utf-8")),
    )


# ---------------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------------
def test_headline_agrees_with_a_fresh_computation(tables):
    n = report.compute_numbers(tables)
    est = F.estimates()
    comb = est[est["counter"] == "combined"].sort_values("date")
    latest = comb.groupby("metric").tail(1).set_index("metric")
    assert [h["metric"] for h in n["headline"]] == ["killed", "civilians_killed", "displaced"]
    for h in n["headline"]:
        r = latest.loc[h["metric"]]
        assert (h["low"], h["best"], h["high"]) == (
            int(r["low"]),
            int(r["best"]),
            None if pd.isna(r["high"]) else int(r["high"]),
        )
        assert h["date"] == f"{r['date']:%Y-%m-%d}"
        ids = set(";".join(est.loc[est["metric"] == h["metric"], "claim_ids"]).split(";"))
        behind = F.claims().set_index("claim_id").loc[sorted(ids)]
        assert h["n_claims"] == len(ids)
        assert h["n_counters"] == behind["counted_by"].nunique()
        assert h["last_published"] == f"{behind['published'].max():%Y-%m-%d}"


def test_headline_is_the_broadest_place(tables):
    # injured only in Homs (5) and north-west Syria (126): both lie in Syria, but north-west
    # Syria contains other places, so its series is the headline (not the first name)
    est = F.estimates()
    inj = est[est["metric"] == "displaced"].copy()
    inj = pd.concat(
        [
            inj.assign(location="Homs", best=pd.array([5], dtype="Int64")),
            inj.assign(location="north-west Syria", best=pd.array([126], dtype="Int64")),
        ]
    )
    inj = inj.assign(metric="injured", low=inj["best"], high=inj["best"])
    t = report.ReportTables("syria-2024", F.claims(), pd.concat([est, inj]), F.daily(),
                            F.conflicts())  # fmt: skip
    h = {x["metric"]: x for x in report.compute_numbers(t)["headline"]}["injured"]
    assert (h["location"], h["best"]) == ("north-west Syria", 126)


def test_headline_of_sibling_places_is_the_most_claimed(tables):
    # Kalehe is "broader" than Goma (it contains Minova) but does not contain Goma: the
    # headline is then the place with most claims, not the one the hierarchy ranks first
    est = F.estimates()
    base = est[est["metric"] == "displaced"].copy()
    inj = pd.concat(
        [
            base.assign(location="Kalehe", best=pd.array([25], dtype="Int64"), claim_ids="c4"),
            base.assign(location="Goma", best=pd.array([2880], dtype="Int64"), claim_ids="c1;c2"),
        ]
    )
    inj = inj.assign(metric="injured", low=inj["best"], high=inj["best"])
    t = report.ReportTables("drc-2025", F.claims(), pd.concat([est, inj]), F.daily(),
                            F.conflicts())  # fmt: skip
    n = report.compute_numbers(t)
    h = {x["metric"]: x for x in n["headline"]}["injured"]
    assert (h["location"], h["best"]) == ("Goma", 2880)
    assert {x["metric"]: x for x in n["headline"]}["killed"]["location"] == "Syria"


def test_eventual_toll_is_in_numbers_and_on_the_page(tmp_path):
    t = report.ReportTables(
        "syria-2024", F.claims(), F.estimates(), F.daily_with_eventual(), F.conflicts()
    )
    page = report.build_report(tables=t, out=tmp_path)
    n = json.loads((page.parent / "numbers.json").read_text(encoding="utf-8"))
    h = {x["metric"]: x for x in n["headline"]}["killed"]
    d = F.daily_with_eventual()
    row = d[(d.metric == "killed") & (d.counter == "combined") & (d.date == h["date"])].iloc[0]
    assert h["eventual"] == {"low": int(row.est_low), "best": int(row.est_best),
                             "high": int(row.est_high), "level": 0.9}  # fmt: skip
    html = page.read_text(encoding="utf-8")
    assert "expected eventual toll, 90% interval (best)" in html
    e = h["eventual"]
    assert f"{e['low']:,}–{e['high']:,} ({e['best']:,})" in html


def test_without_eventual_columns_numbers_have_no_eventual(tables):
    n = report.compute_numbers(tables)
    assert all("eventual" not in s for s in n["series"])


def test_totals_and_ledger(tables):
    n = report.compute_numbers(tables)
    c = F.claims()
    assert n["totals"]["claims"] == len(c)
    assert n["totals"]["counters"] == c["counted_by"].nunique()
    assert n["totals"]["conflicts"] == 1
    assert n["conflicts_by_kind"] == {"disjoint_intervals": 1}
    assert n["ledger"]["c2"] == {"value": 412, "low": 413, "high": None}
    assert n["as_of"] == f"{c['published'].max():%Y-%m-%d}"
    assert n["known_on"] is None


def test_open_high_is_null_not_zero(tables):
    est = F.estimates()
    est = est[~((est["metric"] == "civilians_killed") & (est["date"] == "2024-12-02"))]
    t = report.ReportTables("syria-2024", F.claims(), est, F.daily(), F.conflicts())
    h = {x["metric"]: x for x in report.compute_numbers(t)["headline"]}["civilians_killed"]
    assert h["high"] is None and h["high_open"] is True


def test_numbers_do_not_mutate_inputs(tables):
    before = [df.copy() for df in (tables.claims, tables.estimates, tables.conflicts)]
    report.compute_numbers(tables)
    for a, b in zip((tables.claims, tables.estimates, tables.conflicts), before, strict=True):
        pd.testing.assert_frame_equal(a, b)


def test_page_prints_the_numbers_of_numbers_json(built, tables):
    numbers = json.loads(json.dumps(built[2]))
    numbers["headline"][0]["best"] = 123456789
    numbers["totals"]["claims"] = 98765
    page = report.render_html(numbers, tables, [])
    assert "123,456,789" in page and "98,765" in page


def test_headline_numbers_on_page(built):
    _, page, numbers = built
    for h in numbers["headline"]:
        assert f"{h['best']:,}" in page


def test_build_is_deterministic(tables, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "MAX_SERIES_CHARTS", 1)
    a = report.build_report(tables=tables, out=tmp_path / "a")
    b = report.build_report(tables=tables, out=tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()
    assert (a.parent / "numbers.json").read_bytes() == (b.parent / "numbers.json").read_bytes()


# ---------------------------------------------------------------------------------------------
# safety
# ---------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------
# page contents
# ---------------------------------------------------------------------------------------------
def test_page_sections_and_charts(built):
    page_path, page, _ = built
    for section in ("headline", "charts", "conflicts", "ledger", "methods"):
        assert f'id="{section}"' in page
    imgs = [a for t, a in parse(page).tags if t == "img"]
    pngs = sorted((page_path.parent / "charts").glob("*.png"))
    assert len(imgs) == len(pngs) >= 4
    assert all(a.get("alt") for a in imgs)
    # every claim is in the ledger, with its quote
    for cid in F.claims()["claim_id"]:
        assert f"id='claim-{cid}'" in page
    # methods come from the vocabulary
    assert "about_10pct" in page and "tens of thousands" in page


def test_conflict_lists_its_claims_and_quotes(built):
    _, page, _ = built
    block = page.split("id='conflict-k1'")[1].split("</div>")[0]
    assert "The death toll rose to 826." in block and "About 700 killed, SNHR said." in block


# ---------------------------------------------------------------------------------------------
# known_on and errors
# ---------------------------------------------------------------------------------------------
def test_restrict_known_on_drops_later_claims_and_events():
    c, e = report.restrict(F.claims(), F.events(), "2024-12-01")
    assert set(c["claim_id"]) == {"c1", "c2"}
    assert (c["published"] <= "2024-12-01").all()
    assert list(e["event"]) == ["Rebels enter Aleppo"]
    assert len(report.restrict(F.claims(), F.events())[0]) == len(F.claims())


def test_missing_estimates_column_raises(tables):
    t = report.ReportTables(
        "syria-2024", F.claims(), F.estimates().drop(columns="best"), F.daily(), F.conflicts()
    )
    with pytest.raises(UserError, match="Estimates table: missing column.*best"):
        report.compute_numbers(t)


def test_missing_conflicts_column_raises():
    t = report.ReportTables(
        "syria-2024", F.claims(), F.estimates(), F.daily(), F.conflicts().drop(columns="claim_ids")
    )
    with pytest.raises(UserError, match="Conflicts table: missing column.*claim_ids"):
        report.compute_numbers(t)


# ---------------------------------------------------------------------------------------------
# end to end: the shipped raw data -> make data -> report
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def processed(tmp_path_factory, shipped):
    """The shipped raw data through ``make data``, copied into a folder of this module's own
    (the known-on tables are written beside it)."""
    out = tmp_path_factory.mktemp("processed")
    shutil.copytree(shipped[1], out, dirs_exist_ok=True)
    return out


@pytest.fixture(scope="module")
def known_on_day(processed):
    """The derived tables of 3 December 2024 (``python -m stats data --known-on``)."""
    from stats.pipeline import build_known_on

    build_known_on("2024-12-03", ["syria-2024"], processed)
    return "2024-12-03"


@pytest.fixture
def few_charts(monkeypatch):
    """Draw one series chart per report: these tests are about numbers, not pictures."""
    monkeypatch.setattr(report, "MAX_SERIES_CHARTS", 1)


def _fresh(processed: Path, known_on=None) -> pd.DataFrame:
    """Latest combined estimate per series, computed again from the claims."""
    import stats
    from stats.datasets import read_dataset
    from stats.pipeline import DERIVE_RULE
    from stats.reconcile import reconcile

    claims = stats.load("claims", "syria-2024", processed)
    if known_on is not None:
        claims = claims[claims["published"] <= pd.Timestamp(known_on)]
    start = read_dataset("syria-2024").start
    est, _conf = reconcile(
        claims.reset_index(drop=True), known_on=known_on, rule=DERIVE_RULE, start=start
    )
    est = est[est["counter"] == "combined"].sort_values("date", kind="stable")
    return est.groupby(["metric", "location", "subgroup"], dropna=False).tail(1)


def _check_against_fresh(numbers: dict, fresh: pd.DataFrame) -> None:
    assert len(numbers["series"]) == len(fresh)
    for h in numbers["headline"] + numbers["series"]:
        r = fresh[
            (fresh["metric"] == h["metric"])
            & (fresh["location"].fillna("") == (h["location"] or ""))
            & (fresh["subgroup"].fillna("") == (h["subgroup"] or ""))
        ]
        assert len(r) == 1, h
        r = r.iloc[0]
        assert h["date"] == f"{r['date']:%Y-%m-%d}"
        assert (h["low"], h["best"]) == (int(r["low"]), int(r["best"]))
        assert h["high"] == (None if pd.isna(r["high"]) else int(r["high"]))


def test_numbers_json_agrees_with_fresh_computation(processed, tmp_path, few_charts):
    import stats

    page = report.build_report("syria-2024", out=tmp_path, processed=processed)
    numbers = json.loads((page.parent / "numbers.json").read_text(encoding="utf-8"))
    assert numbers["headline"]
    _check_against_fresh(numbers, _fresh(processed))
    claims = stats.load("claims", "syria-2024", processed)
    assert numbers["totals"]["claims"] == len(claims) == len(numbers["ledger"])
    assert numbers["totals"]["conflicts"] == len(stats.load("conflicts", "syria-2024", processed))
    assert numbers["as_of"] == f"{claims['published'].max():%Y-%m-%d}"


def test_known_on_changes_what_is_included(processed, known_on_day, tmp_path, few_charts):
    import stats

    day = known_on_day
    full = report.build_report("syria-2024", out=tmp_path, processed=processed)
    early = report.build_report("syria-2024", known_on=day, out=tmp_path, processed=processed)
    assert early.parent != full.parent
    nf = json.loads((full.parent / "numbers.json").read_text())
    ne = json.loads((early.parent / "numbers.json").read_text())
    claims = stats.load("claims", "syria-2024", processed)
    by_then = claims.loc[claims["published"] <= day, "claim_id"]
    assert ne["known_on"] == day
    assert set(ne["ledger"]) == set(by_then) < set(nf["ledger"])
    assert ne["totals"]["claims_left_out"] == len(claims) - len(by_then)
    assert all(s["date"] <= day and s["last_published"] <= day for s in ne["series"])
    assert ne["headline"] != nf["headline"]
    _check_against_fresh(ne, _fresh(processed, day))
    page = early.read_text()
    later = claims.loc[claims["published"] > day, "claim_id"]
    assert not any(f"id='claim-{c}'" in page for c in later)
    assert "As known on 03 Dec 2024" in page


def test_cli_report(processed, known_on_day, tmp_path, capsys, few_charts):
    args = ["report", "--processed", str(processed), "--out", str(tmp_path)]
    # two datasets are shipped: the report names its own, and says which there are if not
    assert main([*args, "--known-on", known_on_day]) == 2
    err = capsys.readouterr().err
    assert "several datasets (drc-2025, syria-2024): name one" in err
    args += ["--dataset", "syria-2024"]
    assert main([*args, "--known-on", known_on_day]) == 0
    assert (tmp_path / f"syria-2024-as-known-on-{known_on_day}" / "index.html").exists()
    assert "numbers.json" in capsys.readouterr().out
    assert main([*args, "--known-on", "2024-11-30"]) == 2
    err = capsys.readouterr().err
    assert "as-known-on-2024-11-30: the tables as known on 2024-11-30 are not built" in err
    assert "python -m stats data --known-on 2024-11-30" in err


def test_report_never_reruns_the_pipeline(processed, tmp_path, monkeypatch, few_charts):
    import importlib

    def refuse(*args, **kwargs):
        raise AssertionError("the report reran the pipeline")

    for module, name in (("pipeline", "derive_tables"), ("pipeline", "build"),
                         ("reconcile", "reconcile"), ("dedupe", "dedupe"),
                         ("interpolate", "interpolate")):  # fmt: skip
        monkeypatch.setattr(importlib.import_module(f"stats.{module}"), name, refuse)
    assert report.build_report("syria-2024", out=tmp_path, processed=processed).exists()


def test_known_on_before_first_claim_raises(processed):
    with pytest.raises(UserError, match="no claim of 'syria-2024' was published by then"):
        report.load_tables("syria-2024", "2024-01-01", processed)


def test_unknown_dataset_raises(processed):
    with pytest.raises(UserError, match="no processed tables of dataset 'gaza-2023'.*syria-2024"):
        report.load_tables("gaza-2023", None, processed)


def test_cli_bad_date(capsys):
    assert main(["report", "--known-on", "yesterday-ish"]) == 2
    assert "--known-on: 'yesterday-ish': not a date" in capsys.readouterr().err


def test_cli_missing_processed(tmp_path, capsys):
    assert main(["report", "--processed", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    assert "run `make data` first" in capsys.readouterr().err


def test_dataset_metadata_is_read_and_escaped(tables, tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "sources.yml").write_text(
        "licence: CC-BY-4.0\nfiles:\n  claims.csv:\n    description: Figures <i>as published</i>\n"
    )
    meta = report.read_meta("demo", tmp_path)
    assert meta["licence"] == "CC-BY-4.0"
    t = report.ReportTables("demo", F.claims(), F.estimates(), F.daily(), F.conflicts(), meta=meta)
    page = report.render_html(report.compute_numbers(t), t, [])
    assert "Figures &lt;i&gt;as published&lt;/i&gt;" in page and "CC-BY-4.0" in page
    assert report.read_meta("nowhere", tmp_path) == {}


def test_methods_list_the_reconciliation_rules_and_mark_the_one_in_force(built):
    import html as h

    from stats.reconcile import RULES

    _page, page, _numbers = built
    for name, text in RULES.items():
        assert f"<li><code>{name}</code>" in page and text in h.unescape(page)
    assert "<li><code>conservative</code> (in force):" in page
