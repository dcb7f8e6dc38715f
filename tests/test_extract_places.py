"""Where a count is (stats.extract.places): a place name and the words that join its parts."""

from __future__ import annotations

import pytest

from stats.extract import extract_raw


@pytest.mark.parametrize(
    ("lang", "sentence", "place"),
    [
        ("en", "At least 12 civilians were killed in eastern Democratic Republic of the Congo.",
         "eastern Democratic Republic of the Congo"),
        ("en", "Forty fishermen were killed in the Gulf of Aden.", "Gulf of Aden"),
        ("pt", "Morreram 30 pessoas na Faixa de Gaza.", "Faixa de Gaza"),
    ],
)  # fmt: skip
def test_a_place_name_goes_on_after_of_the(lang, sentence, place):
    """Words that join the parts of one name ("of the", "de") do not cut it short."""
    assert extract_raw(sentence, "2025-03-14", lang=lang)["location"].tolist() == [place]
