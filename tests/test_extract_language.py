"""The lexicons and the language of a document (stats.extract.language), and the general rules
of each language read end to end (French, Spanish, German, Portuguese, Arabic).

Each case is a general rule of the language, written as a short sentence in the style of the
wires (AFP, EFE, dpa, Lusa, Arabic agencies); none is a sentence of the development corpus.
"""

from __future__ import annotations

import pytest
from conftest import PUB_2025, claims_of

from stats.errors import UserError
from stats.extract import read_text_file
from stats.extract.language import LANGUAGES, LexiconError, detect_language, load_lexicon

CASES = [
    # French: thousands with a point, "dont" for parts, "selon", a qualifier after the noun
    (
        "fr",
        "Au moins 1.383 civils, dont 120 enfants, ont été tués depuis le 6 mars, selon l'ONU.",
        [
            ("civilians_killed", 1383, "at_least", "UN", "2025-03-06"),
            ("children_killed", 120, "exact", "UN", "2025-03-06"),
        ],
    ),
    ("fr", "Quinze soldats au moins ont été tués.", [("combatants_killed", 15, "at_least", None, None)]),
    ("fr", "Une quinzaine de personnes ont été blessées.", [("injured", 15, "about", None, None)]),
    ("fr", "Des dizaines de milliers de personnes ont fui.", [("displaced", (20000, 99999), "vague", None, None)]),
    ("fr", "Plus de 300 000 personnes sont déplacées internes.", [("idps", 300000, "more_than", None, None)]),
    # Spanish: "según", "murieron" before the count, "9 mil 480"
    (
        "es",
        "Desde el 6 de marzo murieron 532 mujeres y 157 niños, según la ONU.",
        [
            ("women_killed", 532, "exact", "UN", "2025-03-06"),
            ("children_killed", 157, "exact", "UN", "2025-03-06"),
        ],
    ),
    ("es", "Más de 9 mil 480 personas han muerto.", [("killed", 9480, "more_than", None, None)]),
    ("es", "Decenas de personas resultaron heridas.", [("injured", (24, 99), "vague", None, None)]),
    ("es", "Al menos 1,5 millones de personas han huido.", [("displaced", 1500000, "at_least", None, None)]),
    # German: ordinals with a point, "seit", "laut", "Dutzende", compound number words
    (
        "de",
        "Seit dem 6. März wurden laut UN mindestens 23 Zivilisten getötet.",
        [("civilians_killed", 23, "at_least", "UN", "2025-03-06")],
    ),
    ("de", "Dutzende Menschen wurden verletzt.", [("injured", (24, 99), "vague", None, None)]),
    ("de", "Dreiundzwanzig Menschen kamen ums Leben.", [("killed", 23, "exact", None, None)]),
    ("de", "Rund 2,5 Millionen Menschen sind auf der Flucht.", [("displaced", 2500000, "about", None, None)]),
    # Portuguese: "segundo", "pelo menos", "centenas"
    (
        "pt",
        "Pelo menos 15 pessoas morreram desde 6 de março, segundo a ONU.",
        [("killed", 15, "at_least", "UN", "2025-03-06")],
    ),
    ("pt", "Centenas de pessoas ficaram feridas.", [("injured", (200, 999), "vague", None, None)]),
    # Arabic: Arabic-Indic digits, the dual, a count of one after its cue word, "وفق"
    ("ar", "أفاد المرصد السوري بمقتل ١٢ مدنيا منذ ٦ مارس.", [("civilians_killed", 12, "exact", "SOHR", "2025-03-06")]),
    ("ar", "مقتل شخصين وإصابة 11 آخرين.", [("killed", 2, "exact", None, None), ("injured", 11, "exact", None, None)]),
    ("ar", "قتيل وجريحان في غارة.", [("killed", 1, "exact", None, None), ("injured", 2, "exact", None, None)]),
    ("es", "Más de mil 400 personas murieron.", [("killed", 1400, "more_than", None, None)]),
    ("de", "Rund 9.000 Menschen sind in den Tschad geflohen.", [("refugees", 9000, "about", None, None)]),
    ("de", "Rund 9.000 Menschen sind in der Türkei geflohen.", [("displaced", 9000, "about", None, None)]),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_general_rules_of_each_language(lang, text, expected):
    assert [c[:5] for c in claims_of(text, PUB_2025, lang)] == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Au moins 12 civils ont été tués dans la ville, selon l'ONU.", "fr"),
        ("Al menos 12 civiles murieron en la ciudad, según la ONU.", "es"),
        ("Mindestens 12 Zivilisten wurden in der Stadt getötet, teilte die UN mit.", "de"),
        ("Pelo menos 12 civis morreram na cidade, segundo a ONU.", "pt"),
        ("قتل 12 مدنيا في المدينة وفق الأمم المتحدة.", "ar"),
        ("At least 12 civilians were killed in the city, the UN said.", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang
    assert claims_of(text, PUB_2025)[0][1] == 12  # the detected language reads it


def test_lang_line_overrides_detection_and_quotes_stay_as_written(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("DATE: 2025-03-14\nLANG: ar\n\nأفاد المرصد السوري بمقتل ١٢ مدنيا.\n", "utf-8")
    got = read_text_file(p)
    assert got.claims["value"].tolist() == [12]
    assert got.claims["quote"].iloc[0] == "أفاد المرصد السوري بمقتل ١٢ مدنيا."
    p.write_text("DATE: 2025-03-14\nLANG: xx\n\nText.\n", "utf-8")
    with pytest.raises(UserError, match="language 'xx' has no lexicon"):
        read_text_file(p)


def test_every_lexicon_loads_with_the_same_keys():
    keys = set(load_lexicon("en").data)
    for lang in LANGUAGES:
        lex = load_lexicon(lang)
        # (optional keys, a language's own: without qualifiers_after every qualifier may
        # follow the noun)
        assert set(lex.data) >= keys - {"stock_adjectives", "qualifiers_after"}, lang


def test_a_lexicon_word_yaml_reads_as_a_boolean_is_refused(tmp_path, monkeypatch):
    from stats.extract import language

    (tmp_path / "en.yml").write_text("language: en\nstopwords: [the, on]\n", "utf-8")
    monkeypatch.setattr(language, "_DIR", tmp_path)
    language.load_lexicon.cache_clear()
    try:
        with pytest.raises(LexiconError, match="stopwords: True is not text"):
            language.load_lexicon("en")
    finally:
        language.load_lexicon.cache_clear()
