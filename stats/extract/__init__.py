"""Report text -> Claims, in English, French, Spanish, German, Portuguese and Arabic.

One job per module: :mod:`~stats.extract.document` (decode, HTML, PDF, header lines,
paragraphs), :mod:`~stats.extract.language` (the lexicons, language detection),
:mod:`~stats.extract.sentences`, :mod:`~stats.extract.quantities`,
:mod:`~stats.extract.periods`, :mod:`~stats.extract.mentions` (metric cue words),
:mod:`~stats.extract.attribution`, :mod:`~stats.extract.places`,
:mod:`~stats.extract.claims` (the walk over a document) and :mod:`~stats.extract.score`.
Word lists are data: ``stats/extract/lexicon/<lang>.yml``.
"""

from stats.extract.claims import extract_claims, extract_raw, read_text_file
from stats.extract.document import parse_header, parse_published, read_text_bytes

__all__ = [
    "extract_claims",
    "extract_raw",
    "parse_header",
    "parse_published",
    "read_text_bytes",
    "read_text_file",
]
