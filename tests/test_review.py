"""The review queue and the review server: candidates, decisions, refusals, escaping, and
one real run on 127.0.0.1 (plus a headless-Chromium run, marked ``browser``)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from stats import candidates, pipeline
from stats.errors import UserError
from stats.review import store
from stats.review.app import card, create_app, local_server
from tests.conftest import write_sums

HEADER = (
    "claim_id,metric,value,qualifier,low,high,period_start,period_end,published,location,"
    "counted_by,reported_by,url,quote\n"
)
CURATED = (
    "S1,civilians_killed,120,at_least,,,2025-04-10,2025-04-14,2025-04-14,El Fasher,SOHR,AFP,"
    'https://example.org/afp,"At least 120 civilians were killed, the SOHR said."\n'
)
PAYLOAD = '<script>alert(1)</script> "><img src=x onerror=alert(2)>'
TEXT = (
    "DATE: 2025-04-14\nURL: https://example.org/r1\n\n"
    "Fighting went on. At least 120 civilians have been killed in El Fasher since April 10, "
    "the Syrian Observatory for Human Rights said.\n"
    "More than 400,000 people have been displaced from Zamzam camp since April 11, "
    "according to the IOM.\n"
    f"The strike {PAYLOAD} killed 7 people in El Fasher on Sunday, the Syrian Observatory "
    "for Human Rights said.\n"
)
CHROMIUM = Path("/usr/bin/chromium")
LOCAL = {"REMOTE_ADDR": "127.0.0.1"}
BASE_URL = "http://127.0.0.1:5000"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A raw folder with a curated claim and a report text, built once for the module."""
    top = tmp_path_factory.mktemp("review")
    raw = top / "raw"
    (raw / "ds" / "texts").mkdir(parents=True)
    (raw / "ds" / "claims.csv").write_text(HEADER + CURATED)
    (raw / "ds" / "texts" / "r1.txt").write_text(TEXT)
    write_sums(raw)
    (top / "hand" / "ds").mkdir(parents=True)
    (top / "hand" / "ds" / "dataset.yml").write_text("title: T\nstart: 2025-04-10\n")
    pipeline.build(raw, top / "processed")
    return top


@pytest.fixture
def built(pristine, tmp_path):
    """The built folders of :func:`pristine`, copied for one test: ``(raw, hand, processed)``."""
    shutil.copytree(pristine, tmp_path, dirs_exist_ok=True)
    return tmp_path / "raw", tmp_path / "hand", tmp_path / "processed"


def queue_of(out):
    return pd.read_csv(out / "ds" / "candidates.csv", dtype=str, keep_default_na=False)


def client_of(out, hand, **kw):
    app = create_app("ds", out, hand, reviewer="tester")
    return app, app.test_client()


def post(client, app, **data):
    data.setdefault("token", app.config["REVIEW"].token)
    return client.post("/d/ds/decide", data=data, environ_base=LOCAL, base_url=BASE_URL)


def test_machine_read_figures_are_candidates_not_claims(built):
    raw, hand, out = built
    q = queue_of(out)
    assert len(q) == 3 and set(q["status"]) == {"pending"}
    ledger = pd.read_csv(out / "ds" / "claims.csv")
    assert ledger["claim_id"].tolist() == ["S1"]
    first = q[q["value"] == "120"].iloc[0]
    assert first["quote"] in first["paragraph"] and first["paragraph"].startswith("Fighting")
    assert first["duplicates"] == "S1"  # the same SOHR figure is in the ledger already
    assert (q.loc[q["value"] != "120", "duplicates"] == "").all()
    record = (out / "ds" / "build.json").read_text()
    assert '"pending": 3' in record


def test_page_shows_queue_with_sentence_highlighted_and_payload_as_text(built):
    raw, hand, out = built
    app, c = client_of(out, hand)
    r = c.get("/d/ds/", environ_base=LOCAL, base_url=BASE_URL)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert "<script>alert" not in html and "<img src=x" not in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    )
    assert re.search(r'<mark class="sentence">At least 120 civilians', html)
    assert "Fighting went on. <mark" in html
    assert "Would duplicate in the ledger" in html and "<strong>S1</strong>" in html


def test_inferred_flags_are_shown_when_the_extractor_gives_them(built):
    raw, hand, out = built
    q = queue_of(out)
    q["inferred"] = ["period_start, location", "", ""]
    q.to_csv(out / "ds" / "candidates.csv", index=False)
    app, c = client_of(out, hand)
    html = c.get("/d/ds/", environ_base=LOCAL, base_url=BASE_URL).get_data(as_text=True)
    assert "Inferred by the extractor: period_start, location" in html
    assert html.count('<tr class="inferred">') == 2


def test_accept_reject_correct_land_in_decisions_and_survive_the_build(built):
    raw, hand, out = built
    q = queue_of(out)
    ids = dict(zip(q["value"], q["candidate_id"], strict=True))
    app, c = client_of(out, hand)
    assert post(c, app, candidate_id=ids["120"], action="accept").status_code == 303
    r = post(c, app, candidate_id=ids["400000"], action="reject", reason="camp count, not flow")
    assert r.status_code == 303
    r = post(c, app, candidate_id=ids["7"], action="correct", value="8", reason="re-read")
    assert r.status_code == 303
    d = candidates.read_decisions(hand / "ds" / "decisions.csv")
    assert d["action"].tolist() == ["accept", "reject", "correct"]
    assert d["decision_id"].tolist() == ["D1", "D2", "D3"]
    assert d.loc[2, ["field", "value"]].tolist() == ["value", "8"]
    assert set(d["reviewer"]) == {"tester"}
    assert d["decided_at"].str.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()
    summary = pipeline.build(raw, out)
    assert summary.review["ds"] == {
        "candidates": 3, "pending": 0, "accepted": 1, "corrected": 1, "rejected": 1,
    }  # fmt: skip
    ledger = pd.read_csv(out / "ds" / "claims.csv", dtype=str)
    assert sorted(ledger["claim_id"]) == sorted(["S1", ids["120"], ids["7"]])
    fixed = ledger[ledger["claim_id"] == ids["7"]].iloc[0]
    assert (fixed["value"], fixed["low"], fixed["high"]) == ("8", "8", "8")
    assert "corrected (value) in D3 by tester" in fixed["note"]
    assert fixed["source_file"] == "ds/texts/r1.txt"  # provenance kept
    before = {p.name: p.read_bytes() for p in (out / "ds").glob("*.*")}
    pipeline.build(raw, out)
    assert {p.name: p.read_bytes() for p in (out / "ds").glob("*.*")} == before


def test_include_unreviewed_is_separate_and_marked(built):
    raw, hand, out = built
    pipeline.build(raw, out, include_unreviewed=True)
    main = pd.read_csv(out / "ds" / "claims.csv")
    both = pd.read_csv(out / "ds" / "with-unreviewed" / "claims.csv")
    assert len(main) == 1 and len(both) == 4
    assert (both.loc[both["claim_id"] != "S1", "note"] == candidates.UNREVIEWED_NOTE).all()
    assert '"unreviewed_included": 3' in (out / "ds" / "with-unreviewed" / "build.json").read_text()


def test_refusals(built):
    raw, hand, out = built
    app, c = client_of(out, hand)
    cid = queue_of(out)["candidate_id"].iloc[0]
    r = c.get("/d/ds/", environ_base={"REMOTE_ADDR": "192.168.1.9"}, base_url=BASE_URL)
    assert r.status_code == 403 and "answers only 127.0.0.1" in r.get_data(as_text=True)
    r = c.get("/d/ds/", environ_base=LOCAL, base_url="http://evil.example:5000")
    assert r.status_code == 403 and "addressed to 127.0.0.1" in r.get_data(as_text=True)
    for path in ("/d/other/", "/etc/passwd", "/d/ds/static/../../app.py", "/d/ds/../other/"):
        r = c.get(path, environ_base=LOCAL, base_url=BASE_URL)
        assert r.status_code == 404 and "serves only the review of 'ds'" in r.get_data(
            as_text=True
        ), path
    r = post(c, app, candidate_id="no-such-id", action="accept")
    assert r.status_code == 400 and "unknown candidate 'no-such-id'" in r.get_data(as_text=True)
    assert post(c, app, candidate_id=cid, action="accept", token="forged").status_code == 403
    r = post(c, app, candidate_id=cid, action="reject")
    assert r.status_code == 400 and "needs a reason" in r.get_data(as_text=True)
    r = post(c, app, candidate_id=cid, action="correct", qualifier="nonsense")
    assert r.status_code == 400 and "correction refused" in r.get_data(as_text=True)
    r = post(c, app, candidate_id=cid, action="delete")
    assert r.status_code == 400 and "unknown action" in r.get_data(as_text=True)
    assert not (hand / "ds" / "decisions.csv").exists()  # nothing written by any refusal


def test_a_write_killed_midway_loses_no_earlier_decision(built, monkeypatch):
    raw, hand, out = built
    path = hand / "ds" / "decisions.csv"
    cid = queue_of(out)["candidate_id"].iloc[0]
    store.append_decision(path, store.new_decision(store.candidates.read_decisions(path), cid,
                                                   "accept", "a"))  # fmt: skip
    before = path.read_bytes()

    def killed(fd):
        raise KeyboardInterrupt("killed during fsync")

    monkeypatch.setattr(os, "fsync", killed)
    rows = store.new_decision(candidates.read_decisions(path), cid, "reject", "b", "why")
    with pytest.raises(KeyboardInterrupt):
        store.append_decision(path, rows)
    assert path.read_bytes() == before
    # no temporary file left behind
    assert sorted(p.name for p in path.parent.iterdir()) == ["dataset.yml", "decisions.csv"]


def test_decisions_for_unknown_candidates_are_rejects_and_bad_files_one_line(built):
    raw, hand, out = built
    path = hand / "ds" / "decisions.csv"
    path.write_text(
        ",".join(candidates.DECISION_COLUMNS) + "\nD1,gone,accept,,,,a,2026-12-01T10:00:00Z\n"
    )
    pipeline.build(raw, out)
    rej = pd.read_csv(out / "ds" / "rejects.csv")
    row = rej[rej["source_file"] == "data/hand/ds/decisions.csv"].iloc[0]
    assert (row["source_row"], row["column"], row["value"]) == (2, "candidate_id", "gone")
    path.write_text(
        ",".join(candidates.DECISION_COLUMNS) + "\nD1,x,reject,,,,a,2026-12-01T10:00:00Z\n"
    )
    with pytest.raises(
        UserError, match=r"decisions.csv, row 2, column reason: a rejection needs a reason"
    ):
        pipeline.build(raw, out)


def request(url, data=None):
    body = urllib.parse.urlencode(data).encode() if data else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body)) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture
def running(built):
    """The review server on 127.0.0.1, on a free port, in a thread."""
    raw, hand, out = built
    app = create_app("ds", out, hand, reviewer="tester")
    server = local_server(app, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}/d/ds/", built
    server.shutdown()
    server.server_close()
    thread.join()


def test_real_server_on_a_free_port(running):
    app, url, (raw, hand, out) = running
    assert not url.endswith(":0/d/ds/")
    status, html = request(url)
    assert status == 200 and "&lt;script&gt;" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    ids = dict(zip(queue_of(out)["value"], queue_of(out)["candidate_id"], strict=True))
    decide = url + "decide"
    assert (
        request(decide, {"token": token, "candidate_id": ids["120"], "action": "accept"})[0] == 200
    )
    assert request(decide, {"token": token, "candidate_id": ids["400000"], "action": "reject",
                            "reason": "stock"})[0] == 200  # fmt: skip
    assert request(decide, {"token": token, "candidate_id": ids["7"], "action": "correct",
                            "value": "9"})[0] == 200  # fmt: skip
    assert request(decide, {"token": token, "candidate_id": "nope", "action": "accept"})[0] == 400
    assert request(url.replace("/d/ds/", "/d/other/"))[0] == 404
    pipeline.build(raw, out)
    q = queue_of(out).set_index("candidate_id")
    assert q.loc[[ids["120"], ids["400000"], ids["7"]], "status"].tolist() == [
        "accepted", "rejected", "corrected",
    ]  # fmt: skip
    ledger = pd.read_csv(out / "ds" / "claims.csv", dtype=str).set_index("claim_id")
    assert ledger.loc[ids["7"], "value"] == "9"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (the Debian package; skipped without it, except under CI)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install the Debian package `chromium`"
        if os.environ.get("CI"):
            pytest.fail(message + " (required under CI)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield b
        b.close()


@pytest.mark.browser
def test_review_page_in_chromium_with_keyboard(running, browser):
    app, url, (raw, hand, out) = running
    page = browser.new_page()
    problems = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    page.goto(url)
    marks = page.locator("mark.sentence").all_inner_texts()
    assert any(PAYLOAD in m for m in marks)  # the payload is text, run as nothing
    assert page.locator("img").count() == 0
    first = page.locator("article.current").get_attribute("data-id")
    page.keyboard.press("a")  # accept the current candidate
    page.wait_for_load_state()
    page.wait_for_selector(f'article[data-id="{first}"] .badge.status-accepted')
    page.keyboard.press("j")
    page.keyboard.press("k")
    current = page.locator("article.current").get_attribute("data-id")
    page.keyboard.press("r")
    page.keyboard.type("not a count of people")
    page.keyboard.press("Enter")
    page.wait_for_selector(f'article[data-id="{current}"] .badge.status-rejected')
    # a correction through the page's own form: the third candidate's value
    third = next(
        i
        for i in page.locator("article").evaluate_all("els => els.map(e => e.dataset.id)")
        if i not in (first, current)
    )
    box = page.locator(f'article[data-id="{third}"] details.correct')
    box.locator("summary").click()
    box.locator('input[name="value"]').fill("9")
    box.locator('input[name="reason"]').fill("re-read in the browser")
    box.locator('button[type="submit"]').click()
    page.wait_for_load_state()
    page.wait_for_selector(f'article[data-id="{third}"] .badge.status-corrected')
    page.close()
    d = candidates.read_decisions(hand / "ds" / "decisions.csv")
    assert d[["candidate_id", "action"]].values.tolist()[:2] == [
        [first, "accept"], [current, "reject"],
    ]  # fmt: skip
    assert d["reason"].iloc[1] == "not a count of people"
    fix = d[d["candidate_id"] == third]
    assert set(fix["action"]) == {"correct"}
    assert fix.loc[fix["field"] == "value", "value"].tolist() == ["9"]
    assert problems == []
    pipeline.build(raw, out)
    q = queue_of(out).set_index("candidate_id")
    assert q.loc[[first, current, third], "status"].tolist() == [
        "accepted",
        "rejected",
        "corrected",
    ]
    ledger = pd.read_csv(out / "ds" / "claims.csv", dtype=str).set_index("claim_id")
    assert ledger.loc[third, "value"] == "9"


def test_digest_of_decisions_is_stable_across_reads(built):
    raw, hand, out = built
    path = hand / "ds" / "decisions.csv"
    cid = queue_of(out)["candidate_id"].iloc[0]
    store.append_decision(path, store.new_decision(candidates.read_decisions(path), cid,
                                                   "reject", "a", "=HYPERLINK(1)"))  # fmt: skip
    first = hashlib.sha256(path.read_bytes()).hexdigest()
    store.append_decision(path, store.new_decision(candidates.read_decisions(path), cid,
                                                   "accept", "a"))  # fmt: skip
    lines = path.read_text().splitlines()
    assert hashlib.sha256(("\n".join(lines[:2]) + "\n").encode()).hexdigest() == first


def test_only_web_links_are_links(built):
    raw, hand, out = built
    row = queue_of(out).iloc[0].copy()
    row["url"] = "javascript:alert(1)"
    shown = card(row, pd.DataFrame({"claim_id": []}))
    assert shown["link"] is None and shown["url"] == "javascript:alert(1)"
