"""The report in a real browser: headless Chromium opens the page, every image decodes, the
console stays clean, and a screenshot is saved under reports/browser/.

Needs the Debian package ``chromium`` (``/usr/bin/chromium``; ``.ci/run`` installs it).
Without it the tests skip with a message, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import conftest as F
import pytest

from stats import config, report

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = config.REPORTS / "browser"
#: Screenshots cover at most this many CSS pixels from the top of the page.
SHOT_HEIGHT = 6000

pytestmark = pytest.mark.browser


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install the Debian package `chromium` to run the test"
    if os.environ.get("CI"):
        pytest.fail(message + " (required under CI)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    _need_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dev dependency
        if os.environ.get("CI"):
            pytest.fail(f"playwright is not installed: {exc}")
        pytest.skip(f"playwright is not installed: {exc}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    t = report.ReportTables(
        "syria-2024", F.claims(), F.estimates(), F.daily(), F.conflicts(), F.events()
    )
    return report.build_report(tables=t, out=tmp_path_factory.mktemp("browser"))


def _check_page(browser, name: str, path: Path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    images = page.evaluate(
        "Array.from(document.images).map(i => ({alt: i.alt, complete: i.complete,"
        " w: i.naturalWidth, h: i.naturalHeight}))"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    # the top of the page (headline, charts): a full screenshot of the long ledger takes ~10 s
    height = min(int(page.evaluate("document.documentElement.scrollHeight")), SHOT_HEIGHT)
    page.screenshot(
        path=str(SHOTS / f"{name}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1200, "height": height},
    )
    page.close()
    assert images, f"{path}: no images"
    broken = [i["alt"] for i in images if not (i["complete"] and i["w"] > 0 and i["h"] > 0)]
    assert not broken, f"{path}: images that did not decode: {broken}"
    assert not problems, f"{path}: " + "; ".join(problems)
    external = [u for u in requests if not u.startswith(("file:", "data:"))]
    assert not external, f"{path}: network requests {external}"


def test_sample_report_in_chromium(browser, sample_report):
    _check_page(browser, "sample", sample_report)
    assert (SHOTS / "sample.png").stat().st_size > 10_000


@pytest.fixture(scope="module")
def shipped_report(tmp_path_factory, shipped) -> Path:
    """The report of the shipped dataset, built from data/raw as `make report` builds it."""
    _summary, processed = shipped
    return report.build_report(
        "syria-2024", processed=processed, out=tmp_path_factory.mktemp("shipped")
    )


def test_shipped_report_in_chromium(browser, shipped_report):
    _check_page(browser, "syria-2024", shipped_report)
    assert (SHOTS / "syria-2024.png").stat().st_size > 10_000


#: A quote that would run script if it were not escaped (in an element and in an attribute).
PAYLOAD = '<script>alert(1)</script> "><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def payload_report(tmp_path_factory) -> Path:
    """The sample report, with the payload in the quote of the claim drawn as c1."""
    claims = F.claims()
    claims.loc[claims["claim_id"] == "c1", "quote"] = "242 killed, " + PAYLOAD
    t = report.ReportTables("syria-2024", claims, F.estimates(), F.daily(), F.conflicts())
    return report.build_report(tables=t, out=tmp_path_factory.mktemp("payload"))


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page, dialogs


def test_hover_on_a_chart_marker_shows_the_claims_quote(browser, payload_report):
    page, dialogs = _open(browser, payload_report)
    mark = page.locator("#chart-cumulative-killed svg.marks a[href='#claim-c1'] circle")
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    assert box, "the marker of c1 is on the cumulative chart"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # the marker drawn in the image is under the hover area (the overlay is aligned)
    import matplotlib.colors
    import matplotlib.image
    import numpy as np

    from stats import plots

    shot = page.screenshot(clip={"x": x - 4, "y": y - 4, "width": 8, "height": 8})
    pixels = matplotlib.image.imread(io.BytesIO(shot), format="png")[..., :3].reshape(-1, 3)
    colour = np.array(
        matplotlib.colors.to_rgb(
            plots.counter_styles(F.claims()["counted_by"].dropna())["SOHR"]["color"]
        )
    )
    assert np.abs(pixels - colour).max(axis=1).min() < 0.15, "SOHR's marker is not under it"
    page.mouse.move(x, y)
    hovered = page.evaluate(
        "() => { const h = Array.from(document.querySelectorAll(':hover')).pop();"
        " return {tag: h.tagName, title: h.closest('a').querySelector('title').textContent,"
        " stroke: getComputedStyle(h).stroke}; }"
    )
    assert hovered["tag"] == "circle" and hovered["stroke"] == "rgb(0, 0, 0)"
    # the title (the native tooltip) names the counter, outlet, date, qualifier and quote
    title = hovered["title"]
    assert "counted by SOHR" in title and "reported by" in title and "28 Nov 2024" in title
    assert "242 killed, " + PAYLOAD in title, "the payload is text in the tooltip"
    page.close()
    assert not dialogs


def test_a_marker_is_reached_by_keyboard_and_leads_to_its_ledger_row(browser, payload_report):
    page, dialogs = _open(browser, payload_report)
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg.marks') !== null"):
            break
    else:
        pytest.fail("no chart marker is reached with Tab")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === {href!r}")
    row = page.evaluate(
        "() => { const r = document.querySelector(':target');"
        " return {tag: r.tagName, text: r.innerText}; }"
    )
    assert row["tag"] == "TR" and href.removeprefix("#claim-") in row["text"]
    page.close()
    assert not dialogs


def test_payload_in_a_quote_shows_as_text(browser, payload_report):
    page, dialogs = _open(browser, payload_report)
    row = page.locator("tr#claim-c1")
    assert PAYLOAD in row.inner_text()
    assert page.evaluate("document.scripts.length") == 0
    srcs = page.evaluate("Array.from(document.images).map(i => i.getAttribute('src'))")
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    page.close()
    assert not dialogs
