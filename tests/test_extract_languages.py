"""The extractor in French, Spanish, German, Portuguese and Arabic, and language detection.

Each case is a general rule of the language, written as a short sentence in the style of the
wires (AFP, EFE, dpa, Lusa, Arabic agencies); none is a sentence of the development corpus.
"""

from __future__ import annotations

import pandas as pd
import pytest

from stats import vocab
from stats.errors import UserError
from stats.extract import extract_claims, extract_raw, read_text_file
from stats.extract.language import LANGUAGES, LexiconError, detect_language, load_lexicon

PUB = "2025-03-14"


def claims_of(text: str, lang: str | None = None) -> list[tuple]:
    """(metric, value or (low, high), qualifier, counted_by, period_start) per claim."""
    out = []
    for r in extract_raw(text, PUB, lang=lang).itertuples():
        v = int(r.value) if pd.notna(r.value) else (int(r.low), int(r.high))
        by = None if pd.isna(r.counted_by) else vocab.canonical_source(r.counted_by)
        start = None if pd.isna(r.period_start) else str(r.period_start)
        out.append((r.metric, v, r.qualifier, by, start))
    return out


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
    # "among the dead are ...": the parts of the dead named before them, in every language
    ("pt", "Entre os mortos estão 12 crianças e 7 mulheres.", [("children_killed", 12, "exact", None, None), ("women_killed", 7, "exact", None, None)]),
    ("es", "Entre los muertos hay cinco niños.", [("children_killed", 5, "exact", None, None)]),
    ("fr", "Parmi les morts figurent 9 enfants.", [("children_killed", 9, "exact", None, None)]),
    ("de", "Unter den Toten sind drei Kinder.", [("children_killed", 3, "exact", None, None)]),
    ("de", "Laut UN seien fünf Kinder unter den Opfern.", [("children_killed", 5, "exact", "UN", None)]),
    ("fr", "Le bilan est de 40 martyrs incluant 11 enfants.", [("killed", 40, "exact", None, None), ("children_killed", 11, "exact", None, None)]),
    # a verb of estimating earlier in the clause makes the count "about"
    ("es", "Se estima que un total de 4.120 personas huyeron.", [("displaced", 4120, "about", None, None)]),
    ("fr", "L'ONU estime que 3.000 personnes ont fui.", [("displaced", 3000, "about", "UN", None)]),
    ("en", "The agency estimated an additional 2,300 people fled.", [("displaced", 2300, "about", None, None)]),
    # "N of them children": a part of the count before
    ("es", "Once muertos, cuatro de ellos niños.", [("killed", 11, "exact", None, None), ("children_killed", 4, "exact", None, None)]),
    ("en", "The strike killed 9 people, three of them children.", [("killed", 9, "exact", None, None), ("children_killed", 3, "exact", None, None)]),
    # Arabic: a thousand with its tanween and units after it, the singular after a thousand
    ("ar", "ارتفع عدد النازحين إلى 12 ألفاً و340 نازحاً.", [("displaced", 12340, "exact", None, None)]),
    ("ar", "أدت الحرب إلى مقتل نحو 40 ألف شخص.", [("killed", 40000, "about", None, None)]),
    # Arabic: short vowels inside a verb, the dual of a verb, a count ended by "because of"
    (
        "ar",
        "قالت الوزارة إن مدنيين اثنين استُشهدا وأصيب 9 جراء القصف.",
        [("civilians_killed", 2, "exact", None, None), ("injured", 9, "exact", None, None)],
    ),
    ("ar", "وأفادت المصادر أن شخصا قُتل وجُرح 4 إثر الغارة.", [("killed", 1, "exact", None, None), ("injured", 4, "exact", None, None)]),
    # the other persons and tenses of the verbs of saying name the counter
    ("es", "La OIM reporta que 2.600 personas han huido.", [("displaced", 2600, "exact", "IOM", None)]),
    ("pt", "A ONU diz que 40 civis morreram.", [("civilians_killed", 40, "exact", "UN", None)]),
    ("fr", "L'OIM a signalé que 500 personnes ont fui.", [("displaced", 500, "exact", "IOM", None)]),
    ("de", "Die UN berichten, dass 30 Zivilisten getötet wurden.", [("civilians_killed", 30, "exact", "UN", None)]),
    # "according to" followed by a verb of saying: the verb's subject is the counter
    ("es", "Murieron 12 personas, según informó la ONU.", [("killed", 12, "exact", "UN", None)]),
    ("pt", "Morreram 12 pessoas, segundo informou a ONU.", [("killed", 12, "exact", "UN", None)]),
    ("ar", "قتل 12 شخصا بحسب ما أفادت الأمم المتحدة.", [("killed", 12, "exact", "UN", None)]),
    # "according to a count by": the words of a count or a statement before the counter
    ("pt", "Morreram 1.218 pessoas, segundo uma contagem da AFP.", [("killed", 1218, "exact", "AFP", None)]),
    ("es", "Murieron 90 personas, según un recuento de la ONU.", [("killed", 90, "exact", "UN", None)]),
    # "according to the following breakdown" names no source: the counter stays that of the
    # paragraph before, which ends with a colon and names who published the report
    (
        "ar",
        "وجاء في تفاصيل التقرير الذي نشره المرصد السوري:\nقتل 12 مدنيا وفق التوزيع التالي:",
        [("civilians_killed", 12, "exact", "SOHR", None)],
    ),
    (
        "en",
        "The report published by SOHR reads:\n12 civilians were killed in Hama.",
        [("civilians_killed", 12, "exact", "SOHR", None)],
    ),
    # a count that goes on with a counter's report and states no period starts where that
    # counter's last count since a stated day started
    (
        "pt",
        "A ONU disse que 1.799 pessoas morreram desde 7 de outubro.\nEntre os mortos estão 583 crianças, segundo a organização.",
        [("killed", 1799, "exact", "UN", "2024-10-07"), ("children_killed", 583, "exact", "UN", "2024-10-07")],
    ),
    (
        "en",
        "The UN said 1,799 people had been killed since 7 October.\nIt added that 583 children were among the dead.",
        [("killed", 1799, "exact", "UN", "2024-10-07"), ("children_killed", 583, "exact", "UN", "2024-10-07")],
    ),
    # "since the start of the war" with no date starts on the last day a count ran from
    (
        "es",
        "Desde el 7 de octubre murieron 1.799 personas.\nDesde el inicio de la guerra murieron 583 niños.",
        [("killed", 1799, "exact", None, "2024-10-07"), ("children_killed", 583, "exact", None, "2024-10-07")],
    ),
    (
        "ar",
        "قتل 1799 شخصا منذ 7 أكتوبر.\nقتل 583 طفلا منذ بدء الحرب.",
        [("killed", 1799, "exact", None, "2024-10-07"), ("children_killed", 583, "exact", None, "2024-10-07")],
    ),
    (
        "de",
        "Seit dem 7. Oktober wurden 1.799 Menschen getötet.\nSeit Beginn des Krieges wurden 583 Kinder getötet.",
        [("killed", 1799, "exact", None, "2024-10-07"), ("children_killed", 583, "exact", None, "2024-10-07")],
    ),
    ("en", "Since the start of the war, 583 children were killed.", [("children_killed", 583, "exact", None, None)]),
    # "since April 2023" is the first of the month, not of the year
    ("en", "Since April 2023, 150 people have been killed.", [("killed", 150, "exact", None, "2023-04-01")]),
    ("fr", "Depuis avril 2023, 150 personnes ont été tuées.", [("killed", 150, "exact", None, "2023-04-01")]),
    ("ar", "قتل 150 شخصا منذ أبريل 2023.", [("killed", 150, "exact", None, "2023-04-01")]),
    # an apposition closed by a comma ("most of them women") does not end the clause
    ("en", "More than 9,480 people, most of them women and children, have been killed.", [("killed", 9480, "more_than", None, None)]),
    ("es", "Más de 9.480 habitantes, la mayoría mujeres, han muerto.", [("killed", 9480, "more_than", None, None)]),
    ("de", "Mehr als 200 Menschen, die meisten Zivilisten, wurden getötet.", [("killed", 200, "more_than", None, None)]),
    # Arabic: a verb before its subject ("نزح 7455 شخصا")
    ("ar", "نزح 7,455 شخصاً في يوم واحد.", [("displaced", 7455, "exact", None, None)]),
    ("ar", "عاد 1200 شخص إلى منازلهم.", [("returnees", 1200, "exact", None, None)]),
    # a person counted one ("ein Mensch", "una persona")
    ("de", "In Kiew ist ein Mensch ums Leben gekommen.", [("killed", 1, "exact", None, None)]),
    ("es", "Una persona murió en el ataque.", [("killed", 1, "exact", None, None)]),
    # forced to flee, and "le déplacement d'au moins N"
    ("fr", "Plus de 4 000 personnes ont été forcées de fuir.", [("displaced", 4000, "more_than", None, None)]),
    ("fr", "Les combats ont causé le déplacement d'au moins 3 700 personnes.", [("displaced", 3700, "at_least", None, None)]),
    ("pt", "Mais de 900 pessoas foram obrigadas a fugir.", [("displaced", 900, "more_than", None, None)]),
    # "since late October" is vague: no first day
    ("en", "More than 5,000 people have fled since late October.", [("displaced", 5000, "more_than", None, None)]),
    ("es", "Más de 5.000 personas han huido desde finales de octubre.", [("displaced", 5000, "more_than", None, None)]),
    ("en", "More than 200 people were wounded since early January.", [("injured", 200, "more_than", None, "2025-01-01")]),
    ("fr", "Plus de 200 personnes ont été blessées depuis début janvier.", [("injured", 200, "more_than", None, "2025-01-01")]),
    # a date ending in a year before "to N" is a date, then a count ("... 2023 إلى 68,519")
    ("ar", "ارتفعت الحصيلة منذ 7 أكتوبر 2023 إلى 6,519 شهيدًا و17,382 مصاباً.", [("killed", 6519, "exact", None, "2023-10-07"), ("injured", 17382, "exact", None, "2023-10-07")]),
    # a counter, the place it is of, an apposition, then the verb of saying
    ("pt", "O Ministério da Saúde da Faixa de Gaza, governado pelo Hamas, reportou 40 mortos.", [("killed", 40, "exact", "Gaza Health Ministry", None)]),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_general_rules_of_each_language(lang, text, expected):
    assert claims_of(text, lang) == expected


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
    assert claims_of(text)[0][1] == 12  # the detected language reads it


def test_lang_line_overrides_detection_and_quotes_stay_as_written(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("DATE: 2025-03-14\nLANG: ar\n\nأفاد المرصد السوري بمقتل ١٢ مدنيا.\n", "utf-8")
    got = read_text_file(p)
    assert got.claims["value"].tolist() == [12]
    assert got.claims["quote"].iloc[0] == "أفاد المرصد السوري بمقتل ١٢ مدنيا."
    p.write_text("DATE: 2025-03-14\nLANG: xx\n\nText.\n", "utf-8")
    with pytest.raises(UserError, match="language 'xx' has no lexicon"):
        read_text_file(p)


def test_national_counters_are_named_for_their_country():
    assert claims_of("The Lebanese health ministry said 17 people were killed.")[0][3] == (
        "Lebanese Health Ministry"
    )
    got = claims_of("Le ministère libanais de la Santé a indiqué que 17 personnes ont été tuées.")
    assert got[0][3] == "Lebanese Health Ministry"
    # no country named and none the document is about: no name is made up
    assert claims_of("The health ministry said 17 people were killed.")[0][3] is None


def test_inferred_says_how_each_field_was_found():
    c = extract_claims(
        "Since 6 March, 30 people were killed in Homs, SOHR said.\n"
        "Among them, 12 children died on Tuesday.",
        PUB,
    )
    assert c["inferred"].tolist()[0] == (
        "counted_by=sentence;period_start=text;period_end=dateline;location=sentence"
    )
    assert "counted_by=paragraph" in c["inferred"].tolist()[1] or (
        "counted_by=document" in c["inferred"].tolist()[1]
    )


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
