"""Reading a report (stats.extract.document): bytes, HTML, PDF, header lines, list markers and
bad input.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import PUB, pdf_bytes

from stats.cli import main
from stats.errors import UserError
from stats.extract import document as T
from stats.extract import extract_claims, read_text_file
from stats.extract.document import read_text_bytes, strip_html


def test_a_pdf_is_read_as_text(tmp_path):
    p = tmp_path / "sitrep.pdf"
    p.write_bytes(
        pdf_bytes(["DATE: 2024-12-06", "", "At least 12 civilians were killed, OCHA said."])
    )
    got = read_text_file(p)
    assert got.claims[["metric", "value", "counted_by"]].values.tolist() == [
        ["civilians_killed", 12, "OCHA"]
    ]


def test_a_broken_or_empty_pdf_is_one_clear_error(tmp_path):
    with pytest.raises(UserError, match="not a readable PDF"):
        read_text_bytes(b"%PDF-1.4\ngarbage", "x.pdf")
    with pytest.raises(UserError, match="holds no text"):
        read_text_bytes(pdf_bytes([]), "x.pdf")


def test_html_tables_become_lines():
    t = strip_html("<table><tr><td>Homs</td><td>12</td></tr></table><p>x</p>")
    assert "Homs" in t and "12" in t and "<" not in t


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02binary", "binary file"),
        (b"caf\xe9 12 people died", "not UTF-8 text \\(byte 0xe9 at offset 3\\)"),
        (b"   \n", "the file is empty"),
        ("12 people died".encode("utf-16"), "UTF-16 text: save it as UTF-8"),
    ],
)
def test_bad_bytes_are_one_clear_line(data, message):
    with pytest.raises(UserError, match=message):
        read_text_bytes(data, "r.txt")


def test_a_damaged_pdf_is_one_line_without_the_readers_warnings(tmp_path):
    import subprocess
    import sys

    p = tmp_path / "b.pdf"
    p.write_bytes(b"%PDF-1.4\n")
    argv = [sys.executable, "-m", "stats", "extract", str(p), "--published", "2024-12-01"]
    got = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    err = got.stderr.strip().splitlines()
    assert got.returncode != 0 and len(err) == 1 and "not a readable PDF" in err[0], err


@pytest.mark.parametrize("bad", ["9999-12-31", "1600-01-01", "2024-02-30"])
def test_bad_date_lines_are_one_clear_line(tmp_path, bad, capsys):
    p = tmp_path / "r.txt"
    p.write_text(f"DATE: {bad}\n\n12 people were killed.\n")
    assert main(["extract", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DATE line" in err and "Traceback" not in err


def test_the_source_header_line_is_the_outlet(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("DATE: 2025-03-14\nSOURCE: Al Jazeera\n\nAt least 12 people were killed.\n")
    got = read_text_file(f).claims
    assert got["reported_by"].tolist() == ["Al Jazeera"]
    assert read_text_file(f, reported_by="AFP").claims["reported_by"].tolist() == ["AFP"]
    text = "SOURCE: Reuters\n\nAt least 12 people were killed."
    assert extract_claims(text, "2025-03-14")["reported_by"].tolist() == ["Reuters"]


def test_list_markers_are_not_part_of_the_quote():
    c = extract_claims("- At least 12 civilians were killed.\n• 30 people were injured.", PUB)
    assert c["quote"].tolist() == ["At least 12 civilians were killed.", "30 people were injured."]


def test_html_is_stripped():
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>At least <b>12</b> civilians "
        "were killed.</p><script>var x = '500 people killed';</script></body></html>"
    )
    c = extract_claims(html, PUB)
    assert c["value"].tolist() == [12]
    assert c["quote"].tolist() == ["At least 12 civilians were killed."]


def test_header_lines_give_url_and_date(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("URL: https://example.org/r\nDATE: 2024-11-30\nNOTE: x\n\n12 people died.\n")
    got = read_text_file(f)
    assert got.claims["url"].tolist() == ["https://example.org/r"]
    assert got.claims["published"].tolist() == [pd.Timestamp("2024-11-30")]
    assert got.claims["source_row"].tolist() == [5]
    over = read_text_file(f, published="2024-12-01", url="https://other.org")
    assert over.claims["url"].tolist() == ["https://other.org"]
    assert over.claims["published"].tolist() == [pd.Timestamp("2024-12-01")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n ", "the file is empty"),
        (b"\x00\x01\x02binary", "binary file"),
        ("12 civilians were killed in Hom\u00e9s.".encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_bad_files(tmp_path, content, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_text_file(f, published=PUB)


def test_missing_file_and_missing_date(tmp_path):
    with pytest.raises(UserError, match="cannot read"):
        read_text_file(tmp_path / "nope.txt", published=PUB)
    f = tmp_path / "nodate.txt"
    f.write_text("12 people died.")
    with pytest.raises(UserError, match="no publication date"):
        read_text_file(f)


def test_bad_date_line(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("DATE: 28 November\n\n12 people died.")
    with pytest.raises(UserError, match="DATE line: '28 November': not a date"):
        read_text_file(f)


def test_too_large_file(tmp_path, monkeypatch):
    monkeypatch.setattr(T, "MAX_BYTES", 100)
    f = tmp_path / "big.txt"
    f.write_text("12 people died. " * 20)
    with pytest.raises(UserError, match="too large"):
        read_text_file(f, published=PUB)


def test_bom_is_dropped(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes("\ufeffDATE: 2024-12-06\n\n12 people died.".encode())
    assert len(read_text_file(f).claims) == 1
