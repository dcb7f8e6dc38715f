"""Tests for stats.outputs.html: the template, its escaping and links, the formats."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

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


# ---------------------------------------------------------------------------------------------
# Charts a reader can question: each claim marker links to its ledger row, with its hover text
# ---------------------------------------------------------------------------------------------
class _Marks(HTMLParser):
    """The chart marks of a page: (href, title text) of each ``<a>`` inside an ``<svg>``;
    and every ``id`` of the page."""

    def __init__(self):
        super().__init__()
        self.marks: list[tuple[str, str]] = []
        self.ids: list[str] = []
        self._svg = self._a = False
        self._title: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "svg":
            self._svg = True
        elif tag == "a" and self._svg:
            self._a, self._href, self._text = True, a.get("href"), []
        elif tag == "title" and self._a:
            self._title = self._text

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg = False
        elif tag == "title":
            self._title = None
        elif tag == "a" and self._a:
            self.marks.append((self._href, "".join(self._text)))
            self._a = False

    def handle_data(self, data):
        if self._title is not None:
            self._title.append(data)


@pytest.fixture(scope="module")
def charted():
    """The page of the small tables with their real charts."""
    t = report.ReportTables(
        "syria-2024", F.claims(), F.estimates(), F.daily(), F.conflicts(), F.events()
    )
    numbers = report.compute_numbers(t)
    charts = report.render_charts(t, numbers)
    page = html.render_html(numbers, t, charts)
    m = _Marks()
    m.feed(page)
    return t, charts, page, m


def test_every_claim_marker_links_to_its_ledger_row(charted):
    t, charts, _, m = charted
    drawn = {mk["claim_id"] for c in charts for mk in c.marks}
    assert drawn, "the cumulative charts draw the claims"
    assert len(m.marks) == sum(len(c.marks) for c in charts)
    ids = set(m.ids)
    for href, _ in m.marks:
        assert href.startswith("#claim-") and unquote(href[1:]) in ids
    # one row per claim carries the anchor: the conflicts' tables link to it, they do not copy it
    anchors = [i for i in m.ids if i.startswith("claim-")]
    assert sorted(anchors) == sorted(f"claim-{i}" for i in t.claims["claim_id"])
    assert len(m.ids) == len(set(m.ids)), "ids are unique"


def test_marker_hover_text_names_counter_outlet_date_qualifier_and_quote(charted):
    t, _, _, m = charted
    by_id = t.claims.set_index("claim_id")
    for href, title in m.marks:
        c = by_id.loc[unquote(href[len("#claim-") :])]
        assert f"counted by {c['counted_by']}" in title
        assert f"reported by {c['reported_by']}" in title
        assert f"published {html.fmt_date(c['published'])}" in title
        assert str(c["quote"]) in title
        assert str(c["qualifier"]).replace("_", " ") in title.splitlines()[0]


def test_quote_in_marker_title_is_escaped(charted):
    _, _, page, m = charted
    titles = [t for _, t in m.marks if "<script>" in t]
    assert titles, "the claim with a script in its quote is drawn"
    assert "<script" not in page.lower()


def test_marks_sit_in_the_chart_image_coordinates(charted):
    _, charts, page, _ = charted
    c = next(c for c in charts if c.marks)
    assert f"viewBox='0 0 {c.width} {c.height}'" in page
    assert all(0 <= mk["x"] <= c.width and 0 <= mk["y"] <= c.height for mk in c.marks)
