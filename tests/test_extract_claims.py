"""The reader end to end (stats.extract.claims): report text -> Claims.

Known answers come from the annotation specification: the UN/NGO excerpts with their gold
files (tests/data/extract, copied with their URL), the seed article's gold rows (its
claim-bearing sentences as short cases, with context written in our own words), a
paraphrased seed document, and sentences written for these tests in the style of wire
stories and situation reports (a mix of every rule; the rules one by one are in the test
file of their module). Also: the context a paragraph carries, the Claims table it gives,
rejected claims, the publication date and the ``extract`` command.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import P10, PUB, PUB_2025, claims_of

from stats import disk
from stats.cli import main
from stats.contract import CLAIMS_COLUMNS, Claims
from stats.errors import UserError
from stats.extract import extract_claims, extract_raw, read_text_file
from stats.extract.score import match_claims

DATA = Path(__file__).parent / "data" / "extract"


GOLD_DOCS = [
    "01_ocha-nw-flash-update-1",
    "05_snhr-149-civilians-27nov-3dec",
    "06_unhcr-regional-flash-update-1",
    "seed-paraphrase",
]


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


def test_a_huge_count_is_rejected_with_its_reason_not_a_traceback(tmp_path, capsys):
    p = tmp_path / "r.txt"
    p.write_text("DATE: 2024-12-06\n\n99999999999999999999 people were killed, the UN said.\n")
    got = read_text_file(p)
    assert got.claims.empty and got.n_rejected == 1
    r = got.rejects.iloc[0]
    assert r["source_row"] == 3 and "above 10,000,000,000" in r["reason"]
    assert main(["extract", str(p)]) == 0
    assert "line 3: value: not a count: above" in capsys.readouterr().err


def test_a_megabyte_of_digits_is_a_clear_error():
    with pytest.raises(UserError, match="line 1: extracted claim rejected .*above 10,000,000,000"):
        extract_claims("9" * 1_000_000 + " people were killed.", "2024-12-06")


def test_a_table_flattened_into_lines_takes_the_claim_before_it():
    c = extract_claims(
        "At least 30 civilians were killed in the province, SOHR said:\nHama: 12\nHoms 18 civilians\n",
        "2024-12-06",
    )
    got = c[["metric", "value", "location", "counted_by"]].astype(object)
    assert got.where(got.notna(), None).values.tolist() == [
        ["civilians_killed", 30, None, "SOHR"],
        ["civilians_killed", 12, "Hama", "SOHR"],
        ["civilians_killed", 18, "Homs", "SOHR"],
    ]
    assert c["inferred"].iloc[1].endswith("location=table;metric=table")


def test_inferred_says_how_each_field_was_found():
    c = extract_claims(
        "Since 6 March, 30 people were killed in Homs, SOHR said.\n"
        "Among them, 12 children died on Tuesday.",
        PUB_2025,
    )
    assert c["inferred"].tolist()[0] == (
        "counted_by=sentence;period_start=text;period_end=dateline;location=sentence"
    )
    assert "counted_by=paragraph" in c["inferred"].tolist()[1] or (
        "counted_by=document" in c["inferred"].tolist()[1]
    )
