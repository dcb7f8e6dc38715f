"""Sentences of a paragraph (stats.extract.sentences): abbreviations, lowercase starts."""

from __future__ import annotations

from stats.extract.language import load_lexicon
from stats.extract.sentences import split_sentences

EN = load_lexicon("en")


def test_split_sentences_keeps_abbreviations_and_splits_lowercase_starts():
    got = [
        s for _o, s in split_sentences("Mr. Assad left. U.S. forces stayed. sources. in Syria.", EN)
    ]
    assert got == ["Mr. Assad left.", "U.S. forces stayed.", "sources.", "in Syria."]
