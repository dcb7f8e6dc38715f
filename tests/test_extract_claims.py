"""Tests for the text extractor in English (stats.extract: claims, quantities, periods, mentions).

Known answers come from the annotation specification: the UN/NGO excerpts with their gold
files (tests/data/extract, copied with their URL), the seed article's gold rows (its
claim-bearing sentences as short cases, with context written in our own words), a
paraphrased seed document, and sentences written for these tests in the style of wire
stories and situation reports.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from stats import disk, vocab
from stats.cli import main
from stats.contract import CLAIMS_COLUMNS, Claims
from stats.errors import UserError
from stats.extract import document as T
from stats.extract import extract_claims, extract_raw, read_text_file
from stats.extract import quantities as Q
from stats.extract.language import load_lexicon
from stats.extract.periods import find_periods, parse_date, period_start
from stats.extract.score import match_claims
from stats.extract.sentences import split_sentences

DATA = Path(__file__).parent / "data" / "extract"
GOLD_DOCS = [
    "01_ocha-nw-flash-update-1",
    "05_snhr-149-civilians-27nov-3dec",
    "06_unhcr-regional-flash-update-1",
    "seed-paraphrase",
]
PUB = "2024-12-06"
EN = load_lexicon("en")


def number_value(text):
    return Q.number_value(text, EN)


def words_to_int(text):
    return Q.words_value(text, EN)


def read_quantity_of(text):
    """The quantity of a text with the qualifier before it, as the extractor reads it."""
    p = Q.patterns(EN)
    m = p.core.search(text)
    qb = p.qual_before.search(text, 0, m.start())
    return Q.read_quantity(m, EN, qb.group("qual") if qb else "")


def claims_of(text: str, published: str = PUB) -> list[tuple]:
    """(metric, value or (low, high), qualifier, counted_by, start, end, location) per claim.

    Reads the claims before schema validation (fast); names are canonicalised as
    validation does."""
    c = extract_raw(text, published)
    out = []
    for r in c.itertuples():
        v = int(r.value) if pd.notna(r.value) else (int(r.low), int(r.high))
        out.append(
            (
                r.metric,
                v,
                r.qualifier,
                None if pd.isna(r.counted_by) else vocab.canonical_source(r.counted_by),
                None if pd.isna(r.period_start) else str(r.period_start),
                str(r.period_end),
                None if pd.isna(r.location) else vocab.canonical_place(r.location),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Gold documents: every claim, every field
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", GOLD_DOCS)
def test_gold_document_claims_exactly(stem):
    got = read_text_file(DATA / f"{stem}.txt")
    gold = disk.read_csv_text(DATA / f"{stem}.gold.csv")
    pairs = match_claims(gold, got.claims)
    missed = pairs[pairs["pred_row"].isna()]["key"].tolist()
    spurious = pairs[pairs["gold_row"].isna()]["key"].tolist()
    assert missed == [] and spurious == []
    for f in ("period_start", "period_end", "location", "quote"):
        wrong = pairs[~pairs[f"{f}_ok"].astype(bool)]
        assert wrong.empty, (f, wrong[[f"gold_{f}", f"pred_{f}"]].values.tolist())


def test_gold_document_metadata_and_accounting():
    got = read_text_file(DATA / "01_ocha-nw-flash-update-1.txt", name="ocha.txt")
    c = got.claims
    assert got.layout == "text" and got.accounted and got.n_read == len(c) == 11
    assert (c["url"].str.startswith("https://reliefweb.int/")).all()
    assert (c["published"] == pd.Timestamp("2024-11-28")).all()
    assert (c["source_file"] == "ocha.txt").all()
    # source_row is the line of the file the claim was read from
    lines = (DATA / "01_ocha-nw-flash-update-1.txt").read_text().split("\n")
    for r in c.itertuples():
        assert r.quote in lines[r.source_row - 1]
    Claims.validate(c)


# ---------------------------------------------------------------------------------------------
# The seed article: its claim-bearing sentences as short cases (gold rows copied), with the
# context a sentence needs written in our own words
# ---------------------------------------------------------------------------------------------
SEED_ROWS = disk.read_csv_text(DATA / "seed-keystone-ats-2024-12-06.gold-rows.csv")
SEED_CONTEXT = {
    "The hostilities left": "The insurgents opened their offensive on November 27. ",
    "Furthermore": "The OSDH reported strikes on a bridge.\n",
    "-The hostilities": "Fighting goes on in Syria.\n",
}


@pytest.mark.parametrize("i", range(len(SEED_ROWS)))
def test_seed_article_sentences(i):
    row = SEED_ROWS.iloc[i]
    quote = row["quote"]
    before = next((v for k, v in SEED_CONTEXT.items() if quote.startswith(k)), "")
    c = extract_claims(before + quote, PUB)
    c = c[c["quote"] == quote.removeprefix("- ")]
    value = None if pd.isna(row["value"]) else int(row["value"])
    hit = c[(c["metric"] == row["metric"]) & (c["qualifier"] == row["qualifier"])]
    hit = hit[hit["value"].isna()] if value is None else hit[hit["value"] == value]
    assert len(hit) == 1, c[["metric", "value", "qualifier"]].values.tolist()
    h = hit.iloc[0]
    if row["qualifier"] in ("range", "vague"):
        assert (h["low"], h["high"]) == (int(row["low"]), int(row["high"]))
    assert (None if pd.isna(h["counted_by"]) else h["counted_by"]) == (
        None if pd.isna(row["counted_by"]) else row["counted_by"]
    )
    ps = None if pd.isna(h["period_start"]) else str(h["period_start"].date())
    assert ps == (None if pd.isna(row["period_start"]) else row["period_start"])
    assert str(h["period_end"].date()) == row["period_end"]
    loc = None if pd.isna(h["location"]) else h["location"]
    assert loc == (None if pd.isna(row["location"]) else row["location"])


# ---------------------------------------------------------------------------------------------
# Sentences in the style of wire stories and situation reports
# ---------------------------------------------------------------------------------------------
POSITIVE = [
    (
        "The death toll rose to 300, the Observatory said.",
        [("killed", 300, "exact", "SOHR", None, PUB, None)],
    ),
    (
        "At least 20 people were wounded in the strike on Idlib city.",
        [("injured", 20, "at_least", None, None, PUB, "Idleb")],
    ),
    (
        "Some 48,500 people have fled their homes since Wednesday, OCHA said.",
        [("displaced", 48500, "about", "OCHA", "2024-12-04", PUB, None)],
    ),
    (
        "The bombing left 12 dead and 30 wounded in Ariha.",
        [
            ("killed", 12, "exact", None, None, PUB, "Ariha"),
            ("injured", 30, "exact", None, None, PUB, "Ariha"),
        ],
    ),
    (
        "Twenty-five people were killed, among them seven children, according to the White "
        "Helmets.",
        [
            ("killed", 25, "exact", "White Helmets", None, PUB, None),
            ("children_killed", 7, "exact", "White Helmets", None, PUB, None),
        ],
    ),
    (
        "More than 1,000 detainees were released from Saydnaya prison on Sunday, the rebels said.",
        [("prisoners_released", 1000, "more_than", "rebels", None, "2024-12-01", "Saydnaya")],
    ),
    (
        "Nearly 1.1 million people have been displaced since 27 November, according to OCHA.",
        [("displaced", 1100000, "about", "OCHA", "2024-11-27", PUB, None)],
    ),
    (
        "About 2.5m Syrians remain displaced inside the country, the IOM said.",
        [("idps", 2500000, "about", "IOM", None, PUB, None)],
    ),
    (
        "UNHCR said some 30,000 refugees had crossed into Lebanon in the past 24 hours.",
        [("refugees", 30000, "about", "UNHCR", PUB, PUB, "Lebanon")],
    ),
    (
        "Over 500 people have returned to their homes in Hama since Sunday.",
        [("returnees", 500, "more_than", None, "2024-12-01", PUB, "Hama")],
    ),
    (
        "Dozens of civilians were killed in Russian air strikes on Idlib, rescuers said.",
        [("civilians_killed", (24, 99), "vague", None, None, PUB, "Idleb")],
    ),
    (
        "The attack killed a dozen soldiers, a war monitor said.",
        [("combatants_killed", 12, "about", None, None, PUB, None)],
    ),
    (
        "Two hundred fighters died in the battle for Hama, the Britain-based monitor said.",
        [("combatants_killed", 200, "exact", "SOHR", None, PUB, "Hama")],
    ),
    (
        "Forty civilians were among the dead.",
        [("civilians_killed", 40, "exact", None, None, PUB, None)],
    ),
    (
        "Up to 5,000 people are sheltering in mosques and schools in Homs.",
        [("idps", 5000, "at_most", None, None, PUB, "Homs")],
    ),
    (
        "Fewer than 100 people crossed the border into Turkey on Monday.",
        [("refugees", 100, "less_than", None, None, "2024-12-02", "Turkey")],
    ),
    (
        "Between 20 and 30 civilians were killed in the market attack.",
        [("civilians_killed", (20, 30), "range", None, None, PUB, None)],
    ),
    (
        "The strike wounded 15 people, including three women.",
        [
            ("injured", 15, "exact", None, None, PUB, None),
            ("women_injured", 3, "exact", None, None, PUB, None),
        ],
    ),
    (
        "An estimated 400,000 people have fled their homes in one week, the WFP said.",
        [("displaced", 400000, "about", "WFP", "2024-11-30", PUB, None)],
    ),
    (
        "Eight members of the security forces were killed in the ambush.",
        [("combatants_killed", 8, "exact", None, None, PUB, None)],
    ),
    (
        "Half a million people have been killed since the war began in 2011.",
        [("killed", 500000, "about", None, "2011-01-01", PUB, None)],
    ),
    (
        "A 10-year-old boy was killed by shelling in Saraqib on Tuesday.",
        [("children_killed", 1, "exact", None, None, "2024-12-03", "Saraqib")],
    ),
    (
        "More than 100 people were injured and 20 killed, according to local health authorities.",
        [
            ("injured", 100, "more_than", "local health authorities", None, PUB, None),
            ("killed", 20, "exact", "local health authorities", None, PUB, None),
        ],
    ),
    (
        "The UN refugee agency said 7,600 people returned from Lebanon through the Jdeidet "
        "Yabous crossing as of 5 December.",
        [("returnees", 7600, "exact", "UNHCR", None, "2024-12-05", "Jdeidet Yabous")],
    ),
    (
        "Clashes left more than 180 fighters dead, in addition to about 20 civilians, "
        "according to the Syrian Observatory for Human Rights.",
        [
            ("combatants_killed", 180, "more_than", "SOHR", None, PUB, None),
            ("civilians_killed", 20, "about", "SOHR", None, PUB, None),
        ],
    ),
    (
        "At least 360 soldiers on the rebel side and at least 230 soldiers in the government "
        "forces have been killed.",
        [
            ("combatants_killed", 360, "at_least", None, None, PUB, None),
            ("combatants_killed", 230, "at_least", None, None, PUB, None),
        ],
    ),
    (
        "Since Wednesday, 89 people were killed, among them 52 fighters, while 20,000 people "
        "have fled, OCHA said.",
        [
            ("killed", 89, "exact", "OCHA", "2024-12-04", PUB, None),
            ("combatants_killed", 52, "exact", "OCHA", "2024-12-04", PUB, None),
            ("displaced", 20000, "exact", "OCHA", "2024-12-04", PUB, None),
        ],
    ),
    (
        "The death toll rose to 311 -- 183 rebels, 100 soldiers and 28 civilians.",
        [
            ("killed", 311, "exact", None, None, PUB, None),
            ("combatants_killed", 183, "exact", None, None, PUB, None),
            ("combatants_killed", 100, "exact", None, None, PUB, None),
            ("civilians_killed", 28, "exact", None, None, PUB, None),
        ],
    ),
    (
        "In December 2024, 503 civilians were killed in Syria, including 96 children.",
        [
            ("civilians_killed", 503, "exact", None, "2024-12-01", PUB, "Syria"),
            ("children_killed", 96, "exact", None, "2024-12-01", PUB, "Syria"),
        ],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), POSITIVE)
def test_positive_sentences(sentence, expected):
    assert claims_of(sentence) == expected


NEGATIVE = [
    "Mohammed Jomaa, 25, said he fled Aleppo in 2016.",
    "Homs is about forty kilometres south of Hama, Syria's fourth city.",
    "Aleppo is Syria's second city.",
    "About 70 percent of those killed were civilians.",
    "Nearly 50 communities were affected by the shelling.",
    "Some 30 NGOs suspended operations in Idlib.",
    "The UN appealed for $10 million in emergency aid.",
    "Aid agencies sent 20 trucks of food across the border.",
    "At least 24 health facilities have suspended services.",
    "The offensive began 40 years after the Hama massacre.",
    "The rebels seized 21 villages in the western countryside of Aleppo.",
    "Fighters launched 300 rockets over three days.",
    "About 50 people lost their lives or got injured in the attack.",
    "The strikes caused 45 casualties.",
    "Israel said it had carried out 480 strikes in 48 hours.",
    "Hama was the scene of a massacre in 1982, and the army retook Aleppo in 2016.",
    "On 27 November 2024, the offensive started; on 8 December, Damascus fell.",
    "The report was published on 04.12.2024 at 10.30, page 3.",
    "Hundreds of families returned to Aleppo, the UN said.",
    "Syrians fled en masse on Thursday from the city of Homs.",
    "Nearly half of the displaced are children.",
    "Two months of war with Israel weakened the group.",
]


@pytest.mark.parametrize("sentence", NEGATIVE)
def test_negative_sentences(sentence):
    assert claims_of(sentence) == []


# ---------------------------------------------------------------------------------------------
# Context: counters, periods and places carried over
# ---------------------------------------------------------------------------------------------
def test_counter_named_earlier_and_referred_back():
    text = (
        "The Syrian Observatory for Human Rights said fighting continued.\n"
        "Separately, the monitor said 40 fighters were killed near Hama.\n"
        "The group later said 12 civilians died in Idlib."
    )
    got = claims_of(text)
    assert [(m, c) for m, _v, _q, c, *_ in got] == [
        ("combatants_killed", "SOHR"),
        ("civilians_killed", "SOHR"),
    ]


def test_unnamed_source_is_no_counter_and_plain_mention_is_not_attribution():
    got = claims_of(
        "UNHCR is assessing movements. Several thousand Syrians have crossed back into Syria. "
        "The strikes killed 30 people, according to an NGO."
    )
    assert [c for _m, _v, _q, c, *_ in got] == [None, None]


def test_perpetrator_is_not_the_counter():
    got = claims_of("Syrian Democratic Forces (SDF) killed 27 civilians, SNHR said.")
    assert got[0][3] == "SNHR"


def test_colon_carries_context_to_the_next_paragraph():
    text = (
        "The report covers the period between November 27, 2024, and December 3, 2024.\n"
        "SNHR says 149 civilians were killed in northwestern Syria in this period, "
        "distributed as follows:\n\n"
        "The regime killed 105 civilians. Lastly, four civilians were killed by unknown parties."
    )
    got = claims_of(text)
    assert [g[1] for g in got] == [149, 105, 4]
    assert {(g[3], g[4], g[5], g[6]) for g in got} == {
        ("SNHR", "2024-11-27", "2024-12-03", "north-west Syria")
    }


def test_period_and_place_carry_within_a_paragraph_only():
    text = (
        "Shelling hit 50 communities across Idleb and western Aleppo on 27 and 28 November. "
        "At least ten civilians were killed.\n"
        "Separately, 14 people were injured."
    )
    got = claims_of(text, "2024-11-28")
    assert got == [
        ("civilians_killed", 10, "at_least", None, "2024-11-27", "2024-11-28",
         "Idleb and western Aleppo"),
        ("injured", 14, "exact", None, None, "2024-11-28", None),
    ]  # fmt: skip


def test_anaphora_keeps_the_counter_of_the_previous_sentence():
    text = "The UN said 826 people were killed since November 27. Of these, 111 were civilians."
    text += " Of this total, 222 fighters died around Hama."
    got = claims_of(text)
    # the counter and the period of the total carry over to the part
    assert got[-1] == ("combatants_killed", 222, "exact", "UN", "2024-11-27", PUB, "Hama")


def test_document_published_by_a_counter_is_its_counter():
    c = extract_claims(
        "At least 12 civilians were killed on Monday.", PUB, url="https://snhr.org/blog/x"
    )
    assert c["counted_by"].tolist() == ["SNHR"]


# ---------------------------------------------------------------------------------------------
# Numbers, qualifiers, vague terms
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("115,000", 115000),
        ("1.1 million", 1100000),
        ("2.5m", 2500000),
        ("3k", 3000),
        ("826", 826),
        ("forty", 40),
        ("forty-four", 44),
        ("two hundred", 200),
        ("a dozen", 12),
        ("half a million", 500000),
        ("one million", 1000000),
        ("twelve thousand five hundred", 12500),
        ("12.5", None),
        ("many", None),
    ],
)
def test_number_values(text, value):
    assert number_value(text) == value


def test_words_to_int_rejects_non_numbers():
    assert words_to_int("a") is None and words_to_int("people") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("more than 800", (800, "more_than", None, None)),
        ("over 150,000", (150000, "more_than", None, None)),
        ("at least 12", (12, "at_least", None, None)),
        ("nearly 14,000", (14000, "about", None, None)),
        ("almost 300", (300, "about", None, None)),
        ("around 50", (50, "about", None, None)),
        ("some 3,000", (3000, "about", None, None)),
        ("an estimated 400,000", (400000, "about", None, None)),
        ("approximately 200", (200, "about", None, None)),
        ("up to 5,000", (5000, "at_most", None, None)),
        ("fewer than 100", (100, "less_than", None, None)),
        ("between 800,000 and one million", (None, "range", 800000, 1000000)),
        ("5,000 to 6,000 people", (None, "range", 5000, 6000)),
        ("dozens", (None, "vague", 24, 99)),
        ("hundreds", (None, "vague", 200, 999)),
        ("thousands", (None, "vague", 2000, 9999)),
        ("tens of thousands", (None, "vague", 20000, 99999)),
        ("hundreds of thousands", (None, "vague", 200000, 999999)),
        ("several thousand", (None, "vague", 2000, 9999)),
        ("half a million", (500000, "about", None, None)),
    ],
)
def test_quantities_and_qualifiers(text, expected):
    assert read_quantity_of(text)[:4] == expected


def test_reversed_range_is_not_read():
    assert read_quantity_of("between 30 and 20") is None


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------
def test_parse_dates_relative_to_publication():
    p = date(2024, 12, 6)  # a Friday
    assert parse_date("Tuesday", p, EN) == date(2024, 12, 3)
    assert parse_date("Friday", p, EN) == p
    assert parse_date("last Friday", p, EN) == date(2024, 11, 29)
    assert parse_date("November 27", p, EN) == date(2024, 11, 27)
    assert parse_date("27th November", p, EN) == date(2024, 11, 27)
    assert parse_date("28.11.2024", p, EN) == date(2024, 11, 28)
    assert parse_date("yesterday", p, EN) == date(2024, 12, 5)
    # a date well after publication belongs to the year before
    assert parse_date("20 December", date(2025, 1, 2), EN) == date(2024, 12, 20)


@pytest.mark.parametrize(
    ("phrase", "published", "start", "end"),
    [
        ("since November 27", "2024-12-06", "2024-11-27", "2024-12-06"),
        ("since Tuesday", "2024-12-06", "2024-12-03", "2024-12-06"),
        ("in one week", "2024-12-06", "2024-11-30", "2024-12-06"),
        ("in the last week", "2024-12-06", "2024-11-30", "2024-12-06"),
        ("over the past 7 days", "2024-12-06", "2024-11-30", "2024-12-06"),
        ("in three days", "2024-11-28", "2024-11-26", "2024-11-28"),
        ("from 26 to 28 November", "2024-11-30", "2024-11-26", "2024-11-28"),
        ("since 2011", "2024-12-06", "2011-01-01", "2024-12-06"),
        ("as of 28 November", "2024-11-30", None, "2024-11-28"),
        ("for one month as of 31 December", "2025-01-02", "2024-12-01", "2024-12-31"),
        ("in late November", "2024-12-06", None, "2024-12-06"),
        ("to date", "2024-12-06", None, "2024-12-06"),
        ("in the last few days", "2024-12-06", None, "2024-12-06"),
    ],
)
def test_period_phrases(phrase, published, start, end):
    got = claims_of(f"At least 40 civilians were killed {phrase}.", published)
    assert got[0][4:6] == (start, end)


def test_period_start_of_a_span():
    assert period_start(date(2024, 11, 28), 3, None) == date(2024, 11, 26)
    assert period_start(date(2024, 3, 31), None, 1) == date(2024, 3, 1)
    assert period_start(date(2024, 3, 5), None, None) is None


def test_find_periods_kinds():
    p = date(2024, 12, 6)
    kinds = [x.kind for x in find_periods("Since 27 November and as of 3 December", p, EN)]
    assert kinds == ["since", "asof"]
    assert find_periods("no dates at all", p, EN) == []


# ---------------------------------------------------------------------------------------------
# Sentences and input handling
# ---------------------------------------------------------------------------------------------
def test_split_sentences_keeps_abbreviations_and_splits_lowercase_starts():
    got = [
        s for _o, s in split_sentences("Mr. Assad left. U.S. forces stayed. sources. in Syria.", EN)
    ]
    assert got == ["Mr. Assad left.", "U.S. forces stayed.", "sources.", "in Syria."]


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


def test_output_is_a_valid_claims_table_with_ordered_periods():
    text = (DATA / "05_snhr-149-civilians-27nov-3dec.txt").read_text()
    c = extract_claims(text, "2024-12-04", reported_by="SNHR", url="https://snhr.org/x")
    Claims.validate(c)
    assert list(c.columns) == list(CLAIMS_COLUMNS)
    assert c["claim_id"].is_unique
    assert ((c["period_start"].isna()) | (c["period_start"] <= c["period_end"])).all()
    assert (c["period_end"] <= c["published"]).all()
    assert c["quote"].map(lambda q: q in text).all()
    assert (c["reported_by"] == "SNHR").all()


def test_no_claims_gives_an_empty_valid_table():
    c = extract_claims("Nothing to count here.", PUB)
    assert c.empty and list(c.columns) == list(CLAIMS_COLUMNS)
    assert extract_raw("", PUB).empty


@pytest.mark.parametrize(
    "bad", ["2024-13-01", "06/12/2024", "yesterday", "", "9999-12-31", "1600-01-01", "2924-01-05"]
)
def test_bad_published_date(bad):
    with pytest.raises(UserError, match="not a date|date out of range"):
        extract_claims("12 people died.", bad)


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


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------
def test_cli_extract_csv(capsys):
    code = main(["extract", str(DATA / "06_unhcr-regional-flash-update-1.txt")])
    out = capsys.readouterr()
    assert code == 0
    assert out.out.splitlines()[0] == ",".join(CLAIMS_COLUMNS)
    assert len(out.out.splitlines()) == 4
    assert "3 claims" in out.err


def test_cli_extract_json_and_options(tmp_path, capsys):
    import json

    f = tmp_path / "r.txt"
    f.write_text("At least 12 civilians were killed, the UN said.")
    code = main(
        ["extract", str(f), "--published", PUB, "--reported-by", "AFP", "--url", "https://x.org",
         "--format", "json"]
    )  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    assert rows[0]["value"] == 12 and rows[0]["counted_by"] == "UN"
    assert rows[0]["reported_by"] == "AFP" and rows[0]["published"] == PUB


def test_cli_extract_errors_are_one_line(tmp_path, capsys):
    f = tmp_path / "r.txt"
    f.write_text("12 people died.")
    assert main(["extract", str(f), "--published", "12/06/2024"]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("stats: error: --published: '12/06/2024': not a date")
        and "Traceback" not in err
    )
    f.write_bytes(b"\xff\xfe\x00\x00")
    assert main(["extract", str(f), "--published", PUB]) == 2
    assert "UTF-16 text: save it as UTF-8" in capsys.readouterr().err
    f.write_bytes(b"\x00\x01binary")
    assert main(["extract", str(f), "--published", PUB]) == 2
    assert "binary file" in capsys.readouterr().err


def test_cli_extract_no_claims_message(tmp_path, capsys):
    f = tmp_path / "r.txt"
    f.write_text("Nothing to count here.")
    assert main(["extract", str(f), "--published", PUB]) == 0
    out = capsys.readouterr()
    assert "no counts of people found" in out.err
    assert out.out.splitlines() == [",".join(CLAIMS_COLUMNS)]


P10 = "2024-12-10"  # a Tuesday
MORE = [
    (
        "Shelling killed at least 10 people in Saraqib.",
        [("killed", 10, "at_least", None, None, P10, "Saraqib")],
    ),
    (
        "The number of displaced people has reached 1.1 million, OCHA said.",
        [("displaced", 1100000, "exact", "OCHA", None, P10, None)],
    ),
    (
        "The airstrike hit a residential building, leaving 30 people dead.",
        [("killed", 30, "exact", None, None, P10, None)],
    ),
    (
        "Two children were among those killed.",
        [("children_killed", 2, "exact", None, None, P10, None)],
    ),
    (
        "The attack claimed the lives of 40 people, including a woman and her three children.",
        [
            ("killed", 40, "exact", None, None, P10, None),
            ("women_killed", 1, "exact", None, None, P10, None),
            ("children_killed", 3, "exact", None, None, P10, None),
        ],
    ),
    (
        "More than 300,000 people have fled to Lebanon since September.",
        [("refugees", 300000, "more_than", None, "2024-09-01", P10, "Lebanon")],
    ),
    (
        "A child and two women were killed when a shell hit their home in Ariha.",
        [
            ("children_killed", 1, "exact", None, None, P10, "Ariha"),
            ("women_killed", 2, "exact", None, None, P10, "Ariha"),
        ],
    ),
    (
        "Some 1,500 prisoners were freed from Sednaya, a rebel commander said.",
        [("prisoners_released", 1500, "about", None, None, P10, "Sednaya")],
    ),
    (
        "Of the 12,000 people displaced last week, 4,000 have since returned.",
        [("returnees", 4000, "exact", None, None, P10, None)],
    ),
    (
        "At least seven people, including a journalist, died in the strike, medics said.",
        [
            ("killed", 7, "at_least", "local health authorities", None, P10, None),
            ("civilians_killed", 1, "exact", "local health authorities", None, P10, None),
        ],
    ),
    (
        "An airstrike on a hospital in Idlib killed five people, including two medical workers.",
        [
            ("killed", 5, "exact", None, None, P10, "Idleb"),
            ("civilians_killed", 2, "exact", None, None, P10, "Idleb"),
        ],
    ),
    (
        "IOM reports that 640,000 individuals remain displaced in north-west Syria, while 200,000 "
        "have returned to their areas of origin in the past week.",
        [
            ("idps", 640000, "exact", "IOM", None, P10, "north-west Syria"),
            ("returnees", 200000, "exact", "IOM", "2024-12-04", P10, "north-west Syria"),
        ],
    ),
    (
        "SOHR: 12 members of regime forces killed in ambush in Deir Ezzor desert.",
        [("combatants_killed", 12, "exact", "SOHR", None, P10, "Deir-ez-Zor")],
    ),
    (
        "According to SOHR sources, the death toll of the Israeli strikes has risen to 14 people.",
        [("killed", 14, "exact", "SOHR", None, P10, None)],
    ),
    (
        "The Syrian Observatory for Human Rights, a monitor with sources inside Syria, said at "
        "least 910 people had been killed.",
        [("killed", 910, "at_least", "SOHR", None, P10, None)],
    ),
    (
        "Some 7,600 Syrians crossed back from Lebanon through the Masnaa border crossing on "
        "Monday.",
        [("returnees", 7600, "about", None, None, "2024-12-09", "Masnaa")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), MORE)
def test_more_wire_and_sitrep_sentences(sentence, expected):
    assert claims_of(sentence, P10) == expected


def test_read_by_make_data(make_raw):
    """A report dropped in data/raw/<dataset>/texts/ is read by the pipeline."""
    from stats.pipeline import ingest_file

    raw = make_raw({"ds/texts/r.txt": "DATE: 2024-12-06\n\nThe UN reported 115,000 displaced."})
    got = ingest_file(raw / "ds/texts/r.txt", raw)
    assert got.layout == "text" and got.source_file == "ds/texts/r.txt"
    assert got.claims[["metric", "value"]].values.tolist() == [["displaced", 115000]]


def test_repeated_sentences_keep_distinct_ids(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("DATE: 2024-12-06\n\n12 people died in Homs.\n12 people died in Homs.\n")
    got = read_text_file(f)
    assert got.accounted and got.rejects.empty and len(got.claims) == 2
    assert got.claims["claim_id"].is_unique
    assert got.claims["source_row"].tolist() == [3, 4]


@pytest.mark.parametrize(
    ("sentence", "counter"),
    [
        ("SOHR activists have documented the death of 7 civilians in Deraa.", "SOHR"),
        ("According to a new toll by the Observatory, 300 people were killed.", "SOHR"),
        ("The hostilities left more than 800 dead, according to an NGO.", None),
        ("The Britain-based war monitor said 40 soldiers died.", "SOHR"),
        ("The Observatory's director Rami Abdel Rahman said 50 fighters were killed.", "SOHR"),
        ("The UN Deputy Regional Humanitarian Coordinator, David Carden, said 12 children died.",
         "UN"),
        ("According to the latest figures from OCHA, 48,500 people have been displaced.", "OCHA"),
        ("The United Nations Office for Humanitarian Affairs (OCHA) said 48,500 people fled.",
         "OCHA"),
        ("More than 100 people died, SOHR said, while OCHA said 20,000 people had fled.", "SOHR"),
        ("Activists said 20 people were killed in Idlib.", None),
    ],
)  # fmt: skip
def test_attribution_wordings(sentence, counter):
    assert claims_of(sentence, P10)[0][3] == counter


def test_killed_and_injured_counts_each_their_own():
    got = claims_of(
        "On 3 December, airstrikes on Idleb city killed nine civilians and injured 25 others.",
        "2024-12-05",
    )
    assert got == [
        ("civilians_killed", 9, "exact", None, None, "2024-12-03", "Idleb"),
        ("injured", 25, "exact", None, None, "2024-12-03", "Idleb"),
    ]
    assert claims_of("The shelling killed or injured 30 people.") == []


def test_organisation_unknown_to_the_vocabulary_is_named_as_written():
    got = claims_of("At least 81 civilians have been killed, according to the Health Cluster.")
    assert got[0][3] == "Health Cluster"


AID_CONTEXT = [
    "WFP has reached 120,000 people with ready-to-eat meals since 29 November.",
    "Some 16.7 million people need humanitarian assistance in Syria in 2024.",
    "Partners distributed 3,000 shelter kits and 12,000 blankets to families in Idleb.",
    "UNICEF said 4,000 children were vaccinated in the past week.",
    "Around 1,500 patients were evacuated from the National Hospital in Hama.",
    "The UN has appealed for $4 billion for 2025, of which 30 per cent is funded.",
    "The convoy of 14 trucks crossed through Bab al-Hawa carrying aid for 25,000 people.",
    "Two million people have been without electricity since Monday.",
    "About 40,000 students missed school as 120 schools closed.",
    "At least 300 people attended the funeral of the five victims in Azaz.",
    "The population of Idleb is estimated at 4 million people, half of them displaced.",
]


@pytest.mark.parametrize("sentence", AID_CONTEXT)
def test_aid_and_population_figures_are_not_claims(sentence):
    assert claims_of(sentence) == []


def test_counts_in_words_without_digits():
    got = claims_of("Thirteen civilians and fifteen soldiers were killed; ninety others fled.")
    assert [(m, v) for m, v, *_ in got] == [
        ("civilians_killed", 13),
        ("combatants_killed", 15),
        ("displaced", 90),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Among the dead were 12 children.", [("children_killed", 12)]),
        ("The dead include six women.", [("women_killed", 6)]),
        ("The attack killed 12 and wounded 30, rescuers said.", [("killed", 12), ("injured", 30)]),
        ("The bodies of 15 people were found in a mass grave.", [("killed", 15)]),
        ("Shelling hit Saraqib, killing at least 12, including 5 children.",
         [("killed", 12), ("children_killed", 5)]),
        ("The clashes resulted in the deaths of 22 soldiers and the wounding of another 40.",
         [("combatants_killed", 22), ("injured", 40)]),
        ("He was wounded 3 times.", []),
    ],
)  # fmt: skip
def test_bare_counts_after_their_verb(sentence, expected):
    assert [(m, v) for m, v, *_ in claims_of(sentence)] == expected


def test_refugees_hosted_are_not_a_crossing():
    assert claims_of("Turkey hosts some 3 million Syrian refugees.") == []
    assert claims_of("Over 100,000 refugees have arrived in Lebanon.")[0][:3] == (
        "refugees",
        100000,
        "more_than",
    )


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


def test_over_the_past_days_is_a_period_not_a_qualifier():
    got = extract_raw("40 people were killed over the past 3 days.", "2025-03-14", lang="en")
    assert got[["metric", "value", "qualifier"]].values.tolist() == [["killed", 40, "exact"]]
    assert str(got["period_start"].iloc[0]) == "2025-03-12"
