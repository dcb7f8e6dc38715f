"""A report as the extractor reads it: decoded, HTML stripped, header lines read, split into
paragraphs, and the context one paragraph passes to the next.

Input is UTF-8 text, HTML or (for files under ``texts/`` and ``.pdf`` files) a PDF, read as
text with ``pypdf``. Header lines at the top (``URL:``, ``DATE:``, ``LANG:``, ``TITLE:``,
``NOTE:``...) give the address, the publication date and the language; they are blanked, not
removed, so that line numbers still match the file.
"""

from __future__ import annotations

import html
import io
import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from stats import disk
from stats.errors import UserError
from stats.extract.language import LANGUAGES, Lexicon, detect_language, load_lexicon
from stats.parse import read_date

#: bytes above which a file is refused (the extractor reads several MB a second)
MAX_BYTES = 200_000_000

_HEADER = re.compile(
    r"^(URL|DATE|LANG|NOTE|TITLE|SOURCE|PUBLISHED|AUTHOR):[ \t]*(.*)$", re.IGNORECASE
)
_HTML = re.compile(r"<(?:html|body|p|div|br|span|a|li|h\d|table|!DOCTYPE)\b", re.IGNORECASE)
_NEWLINE = re.compile("\n")
#: Arabic-Indic digits read as digits, typographic apostrophes as "'" (one character for one:
#: positions do not move)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹’", "01234567890123456789'")
#: any of the characters :data:`_DIGITS` replaces (a text without any is read as it is)
_TO_REPLACE = re.compile("[" + re.escape("".join(map(chr, _DIGITS))) + "]")
#: a list marker at the start of a paragraph ("- ", "• ", "3. ")
_LIST_MARKER = re.compile(r"^\s*(?:[-–—•*·▪◦]\s+|\d{1,2}[.)]\s+)?")


def strip_html(text: str) -> str:
    """Text of an HTML document: scripts and styles dropped, block ends and table cells as
    line breaks, tags removed, entities decoded. Plain text comes back unchanged.

    Examples
    --------
    >>> strip_html("<p>At least 12 civilians were killed.</p><p>Next&nbsp;one</p>")
    'At least 12 civilians were killed.\\nNext\\xa0one\\n'
    """
    if not _HTML.search(text):
        return text
    t = re.sub(r"(?is)<(script|style|head|noscript)\b.*?</\1\s*>", " ", text)
    t = re.sub(r"(?is)<!--.*?-->", " ", t)
    t = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|h\d|tr|blockquote|section|article)\s*>", "\n", t)
    t = re.sub(r"(?i)</t[dh]\s*>", " \t ", t)
    t = re.sub(r"(?s)<[^>]{0,2000}>", "", t)
    t = html.unescape(t)
    t = re.sub(r"[ \t]+\n", "\n", t)
    return re.sub(r"\n{3,}", "\n\n", t)


def parse_header(text: str) -> tuple[str, dict[str, str]]:
    """Split header lines (``URL:``, ``DATE:``, ``LANG:``, ``SOURCE:`` (the outlet),
    ``NOTE:``...) from the text.

    Examples
    --------
    >>> body, meta = parse_header("URL: https://x.org/a\\nDATE: 2024-11-28\\n\\nText.")
    >>> meta, body
    ({'url': 'https://x.org/a', 'date': '2024-11-28'}, '\\n\\n\\nText.')
    """
    meta: dict[str, str] = {}
    lines = text.split("\n", 20)
    for i, line in enumerate(lines[:-1] if len(lines) > 20 else lines):
        s = line.strip().lstrip("\ufeff")
        if not s:
            if meta:
                continue
            break
        m = _HEADER.match(s)
        if not m:
            break
        key = m.group(1).lower()
        if key in ("url", "date", "published", "lang", "source"):
            meta["date" if key == "published" else key] = m.group(2).strip()
        lines[i] = ""
    return "\n".join(lines), meta


def parse_published(value: str | date, what: str = "--published") -> date:
    """A publication date from ``YYYY-MM-DD`` (or a date); :class:`UserError` otherwise."""
    return read_date(value, what)


def read_text_bytes(data: bytes, name: str) -> str:
    """Decode a report: a PDF as its text, else strictly UTF-8 (BOM allowed);
    :class:`UserError` for binary, empty or non-UTF-8 input, naming the first bad byte."""
    if len(data) > MAX_BYTES:
        raise UserError(
            f"{name}: {len(data) / 1e6:.0f} MB is too large (limit {MAX_BYTES // 1_000_000} MB)"
        )
    if data[:5] == b"%PDF-":
        return read_pdf_bytes(data, name)
    disk.check_text(data, name, content="report text", kind="UTF-8 text, HTML or a PDF")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the report as UTF-8"
        ) from None


def read_pdf_bytes(data: bytes, name: str) -> str:
    """The text of a PDF (``pypdf``), pages as paragraphs; :class:`UserError` when the file
    is no readable PDF or holds no text (a scanned image)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    log = logging.getLogger("pypdf")  # its warnings on a damaged file would print beside
    level = log.level  # the one line that says so
    log.setLevel(logging.ERROR)
    try:
        pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UserError(f"{name}: not a readable PDF ({exc})") from None
    finally:
        log.setLevel(level)
    text = "\n\n".join(pages)
    if not text.strip():
        raise UserError(f"{name}: the PDF holds no text (a scanned image?): expected text")
    return text


def read_document_file(path: Path | str, name: str | None = None) -> tuple[str, dict[str, str]]:
    """Body (header lines blanked, HTML stripped) and header of a report file."""
    path = Path(path)
    name = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from exc
    return parse_header(strip_html(read_text_bytes(data, name)))


def choose_language(body: str, given: str | None, name: str) -> str:
    """The language of a document: ``given`` (a ``LANG:`` line or ``--lang``) or detected."""
    if given:
        lang = given.strip().lower()[:2]
        if lang not in LANGUAGES:
            raise UserError(
                f"{name}: language {given!r} has no lexicon: expected one of "
                + ", ".join(LANGUAGES)
            )
        return lang
    return detect_language(body)


@dataclass(slots=True)
class Context:
    """What carries from one sentence to the next, and from one paragraph to the next."""

    periods: list = field(default_factory=list)
    location: str | None = None
    counter: str | None = None
    has_counter: bool = False
    inherited: bool = False
    kill_class: str = "people"


def _blank_prefixes(text: str, lex: Lexicon) -> str:
    """Blank the letters a language writes attached to a number (Arabic "و" in "و124", "الـ"
    in "الـ24"), one space for one letter, so that the number reads as a word of its own."""
    prefixes = [str(p) for p in lex.data.get("digit_prefixes", [])]
    if not prefixes:
        return text
    rx = re.compile(
        "(?:" + "|".join(map(re.escape, sorted(prefixes, key=len, reverse=True))) + r")(?=\d)"
    )
    return rx.sub(lambda m: " " * len(m.group(0)), text)


class Document:
    """One report: its text, publication date, address and language.

    ``text`` is the body as written (quotes come from it); ``scan`` is the same text with
    Arabic-Indic digits as ASCII digits, position for position (patterns read it).
    """

    def __init__(self, body: str, published: date, url: str | None, lang: str):
        self.text = body
        self.lex: Lexicon = load_lexicon(lang)
        scan = body.translate(_DIGITS) if _TO_REPLACE.search(body) else body
        self.scan = _blank_prefixes(scan, self.lex)
        self.published = published
        self.url = url
        self.lang = lang
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(body)]
        self.cache: dict = {}

    def line_of(self, pos: int) -> int:
        """The line (0-based) a position is on."""
        return bisect_right(self.line_starts, pos) - 1

    def paragraph(self, line: int) -> tuple[int, str]:
        """``(offset, text)`` of a line, without its list marker."""
        a = self.line_starts[line]
        b = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        raw = self.scan[a:b].rstrip("\r")
        mk = _LIST_MARKER.match(raw)
        return a + mk.end(), raw[mk.end() :]

    def quote(self, a: int, b: int) -> str:
        """The text as written between two positions."""
        return self.text[a:b]

    def previous_line(self, line: int) -> int | None:
        """The last line with text before ``line``, or ``None``."""
        j = line - 1
        while j >= 0:
            if self.scan[self.line_starts[j] : self.line_starts[j + 1]].strip():
                return j
            j -= 1
        return None

    def ends_with_colon(self, line: int) -> bool:
        """Whether a line ends with a colon (it introduces the lines after it)."""
        return self.paragraph(line)[1].rstrip().endswith(":")
