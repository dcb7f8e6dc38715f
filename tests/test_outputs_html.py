"""Tests for stats.outputs.html: the template, its escaping and links, the formats."""

from __future__ import annotations

import conftest as F
import pytest
from conftest import parse

from stats import report
from stats.outputs import html


@pytest.fixture(scope="module")
def built():
    """The page of the small tables, with one chart (a tiny PNG)."""
    t = report.ReportTables(
        "syria-2024", F.claims(), F.estimates(), F.daily(), F.conflicts(), F.events()
    )
    numbers = report.compute_numbers(t)
    png = bytes.fromhex("89504e470d0a1a0a")
    page = html.render_html(numbers, t, [report.Chart("overview", "Overview <b>x</b>", png)])
    return None, page, numbers


def test_script_in_quote_shows_as_text(built):
    _, page, _ = built
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "More than 412 people were killed <script>alert(1)</script>" in "".join(parse(page).text)


def test_html_in_conflict_detail_is_escaped(built):
    _, page, _ = built
    assert "&lt;b&gt;for the same day&lt;/b&gt;" in page


def test_only_http_links_and_no_network(built):
    _, page, _ = built
    tags = parse(page).tags
    hrefs = [a["href"] for t, a in tags if "href" in a]
    assert hrefs, "the ledger should link its sources"
    assert all(h.startswith(("https://", "http://", "#")) for h in hrefs)
    assert not any(h.startswith(("javascript:", "ftp:")) for h in hrefs)
    srcs = [a["src"] for t, a in tags if "src" in a]
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not [t for t, a in tags if t in ("script", "iframe", "object", "embed", "link")]
    csp = [a for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/x", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<b>", False),
        ("ftp://example.org", False),
        ("//example.org", False),
        ("example.org", False),
        (None, False),
        ("http://[::1", False),
    ],
)
def test_safe_url(url, ok):
    assert (html.safe_url(url) is not None) is ok


def test_the_page_is_one_self_contained_document(built):
    _, page, _ = built
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</body></html>\n")
    assert page.count("<html") == 1 and "<style>" in page
    assert "Overview &lt;b&gt;x&lt;/b&gt;" in page, "captions are escaped too"


def test_missing_values_print_as_nothing_or_a_dash(built):
    _, page, _ = built
    assert "None" not in page and ">nan<" not in page
    assert html.fmt_count(None) == "–" and html.fmt_date(float("nan")) == "–"


@pytest.mark.parametrize(
    ("n", "figure", "interval"),
    [
        ({"value": 826, "low": 826, "high": 826}, "826", "826"),
        ({"value": 412, "low": 413, "high": None}, "412", "413–open"),
        ({"value": None, "low": 20000, "high": 99999}, "20,000–99,999", "20,000–99,999"),
        ({"value": None, "low": 5, "high": None}, "≥ 5", "5–open"),
        (None, "–", "–"),
    ],
)
def test_figure_and_interval(n, figure, interval):
    assert (html.fmt_figure(n), html.fmt_interval(n)) == (figure, interval)


def test_the_template_is_package_data():
    from importlib.resources import files

    templates = files("stats.outputs") / "templates"
    assert (templates / "report.html.j2").is_file() and (templates / "report.css").is_file()
