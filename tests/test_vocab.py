import re
from fractions import Fraction
from math import ceil, floor

import pandas as pd
import pytest

from stats import vocab


def test_metric_table_is_consistent():
    m = vocab.METRICS
    assert m["name"].is_unique
    assert set(m["kind"]) <= {"flow", "stock"}
    parents = m["parent"].dropna()
    assert parents.isin(m["name"]).all(), "every parent is itself a metric"
    assert m["hxl"].str.match(r"^#[a-z_]+(\+[a-z_]+)*$").all()
    assert m["hxl"].is_unique


def test_part_whole_chains():
    assert vocab.metric_ancestors("children_killed") == ["civilians_killed", "killed"]
    assert vocab.metric_ancestors("killed") == []
    assert vocab.metric_kind(pd.Series(["idps", "displaced"])).tolist() == ["stock", "flow"]


@pytest.mark.parametrize(
    ("value", "qualifier", "low", "high", "rule"),
    [
        (826, "exact", 826, 826, "exact"),
        (800, "more_than", 801, None, "more_than"),
        (12, "at_least", 12, None, "at_least"),
        (115000, "about", 103500, 126500, "about_10pct"),
        (178000, "at_most", 0, 178000, "at_most"),
        (10, "less_than", 0, 9, "less_than"),
        # exact integer arithmetic: 1.1 x 3.7 billion is 4,070,000,000, not ...001 (float)
        (3_700_000_000, "about", 3_330_000_000, 4_070_000_000, "about_10pct"),
        (9_999_999_999, "about", 8_999_999_999, 10_999_999_999, "about_10pct"),
    ],
)
def test_qualifier_rules(value, qualifier, low, high, rule):
    df = pd.DataFrame(
        {
            "value": pd.array([value], dtype="Int64"),
            "qualifier": [qualifier],
            "low": pd.array([None], dtype="Int64"),
            "high": pd.array([None], dtype="Int64"),
        }
    )
    out = vocab.apply_qualifiers(df)
    assert out["low"].iloc[0] == low
    assert (pd.isna(out["high"].iloc[0]) and high is None) or out["high"].iloc[0] == high
    assert out["rule"].iloc[0] == rule
    assert rule in set(vocab.QUALIFIER_RULES["rule"]) or rule.startswith("vague:")


def test_stated_bounds_keep_their_values_and_name_the_rule():
    df = pd.DataFrame(
        {
            "value": pd.array([None, None, None], dtype="Int64"),
            "qualifier": ["range", "vague", "vague"],
            "low": pd.array([800000, 200, 5], dtype="Int64"),
            "high": pd.array([1000000, 999, 7], dtype="Int64"),
        }
    )
    out = vocab.apply_qualifiers(df)
    assert out["rule"].tolist() == ["range", "vague:hundreds", "stated"]
    assert out["low"].tolist() == [800000, 200, 5]
    assert "rule" not in df


def test_vague_terms():
    assert vocab.vague_bounds("tens of thousands") == (20000, 99999)
    assert vocab.vague_bounds("Dozens") == (24, 99)
    with pytest.raises(KeyError, match="unknown vague term"):
        vocab.vague_bounds("loads")


def test_source_aliases():
    names = pd.Series(
        [
            "OSDH",
            "Syrian Observatory for Human Rights",
            "the Observatory",
            "SOHR/OSDH",
            "Syria Civil Defence",
            "White Helmets",
            "UN OCHA",
            "Some New NGO",
            None,
            "  ",
        ]
    )
    assert vocab.canonical_source(names).tolist()[:8] == [
        "SOHR",
        "SOHR",
        "SOHR",
        "SOHR",
        "White Helmets",
        "White Helmets",
        "OCHA",
        "Some New NGO",
    ]
    assert vocab.canonical_source(names).iloc[8:].isna().all()


def test_places():
    assert vocab.canonical_place("Idlib") == "Idleb"
    assert vocab.canonical_place("SY02") == "Aleppo"
    assert vocab.place_ancestors("Idleb") == ["north-west Syria", "Syria"]
    assert vocab.PLACES["parent"].dropna().isin(vocab.PLACES["name"]).all()


def test_vocab_command_prints_every_table(capsys):
    from stats.cli import main

    assert main(["vocab"]) == 0
    out = capsys.readouterr().out
    for name in vocab.TABLES:
        assert f"## {name}" in out
    assert "about_10pct" in out and "tens of thousands" in out and "OSDH" in out


def test_vocab_command_prints_each_table_as_its_csv(capsys):
    from stats import config
    from stats.cli import main

    for name in vocab.HAND_TABLES:
        assert main(["vocab", name, "--format", "csv"]) == 0
        out = capsys.readouterr().out
        assert out == (config.HAND / f"{name}.csv").read_text(encoding="utf-8"), name


# ---------------------------------------------------------------------------------------------
# the hand tables: every one loads; a broken one names file, row, column and reason
# ---------------------------------------------------------------------------------------------
def test_every_hand_table_loads():
    tables = vocab.load()
    assert list(tables) == list(vocab.HAND_TABLES)
    for name, df in tables.items():
        assert len(df), name


@pytest.fixture
def hand(tmp_path):
    import shutil

    from stats import config

    folder = tmp_path / "hand"
    shutil.copytree(config.HAND, folder)
    return folder


def _break(folder, name: str, old: str, new: str) -> None:
    p = folder / f"{name}.csv"
    text = p.read_text(encoding="utf-8")
    assert old in text, (name, old)
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "where"),
    [
        ("metrics", "injured,flow,,", "injured,flux,,", r"metrics.csv, row 7, column kind: 'flux'"),
        ("metrics", "civilians_killed,flow,killed", "civilians_killed,flow,kiled", "row 3, column parent"),
        ("metrics", "#affected+killed+f,", "#affected+killed,", "row 6, column hxl"),
        ("qualifier_rules", "more_than,more_than,N+1", "more_than,more_than,N plus 1", "row 4, column low: 'N plus 1': not a bound formula"),
        ("vague_terms", "dozens,24,99", "dozens,24,lots", "vague_terms.csv, row 5, column high"),
        ("vague_terms", "dozens,24,99", "dozens,99,24", "vague_terms.csv, row 5"),
        ("sources", "SNHR,Syrian Network", "SOHR,Syrian Network", "sources.csv, row 3, column name: 'SOHR': duplicate name"),
        ("source_aliases", "OSDH,SOHR", "OSDH,SOHRR", "source_aliases.csv, row 2, column source: 'SOHRR': unknown source"),
        ("places", "Idleb,north-west Syria,SY07", "Idleb,north-west Syria,SY02", "places.csv, row 13, column pcode: 'SY02'"),
        ("place_aliases", "Idlib,Idleb", "Idlib,Idlebb", "column place: 'Idlebb': unknown place"),
        ("hxl_tags", "url,#meta+url,1,yes", "url,#meta+url,1,maybe", "hxl_tags.csv, row 25, column written: 'maybe'"),
        ("hxl_tags", "counter,#org,,yes", "quote,#org,,yes", "column column: 'quote': written twice"),
    ],
)  # fmt: skip
def test_a_broken_hand_table_names_file_row_and_reason(hand, name, old, new, where):
    from stats.errors import SchemaError

    _break(hand, name, old, new)
    with pytest.raises(SchemaError, match=re.escape(where)):
        vocab.load(hand)


def test_a_hand_table_with_a_missing_column_is_refused(hand):
    from stats.errors import SchemaError

    p = hand / "vague_terms.csv"
    p.write_text("term,low\ndozens,24\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"vague_terms.csv: .*column_in_dataframe \(high\)"):
        vocab.load(hand)


@pytest.mark.parametrize(
    ("formula", "n", "expected"),
    [("0", 5, 0), ("N", 5, 5), ("N+1", 5, 6), ("N-1", 5, 4), ("floor(0.9 N)", 115000, 103500),
     ("ceil(1.1 N)", 115000, 126500), ("open", 5, None)],
)  # fmt: skip
def test_bound_formulas(formula, n, expected):
    got = vocab.bound(formula, pd.array([n, None], dtype="Int64"))
    assert (expected is None and pd.isna(got[0])) or got[0] == expected
    assert pd.isna(got[1]), "a missing value has no bound"
    assert vocab.bound("term low", pd.array([1], dtype="Int64")) is None
    with pytest.raises(ValueError, match="not a bound formula"):
        vocab.bound("2N", pd.array([1], dtype="Int64"))


@pytest.mark.parametrize("n", [3_700_000_000, 10**10, 7, 115_000, 2**40 + 3])
def test_bounds_are_exact_integers(n):
    # floor(f N) and ceil(f N) in exact arithmetic, never through a float product
    v = pd.array([n], dtype="Int64")
    assert vocab.bound("floor(0.9 N)", v)[0] == floor(Fraction(9, 10) * n)
    assert vocab.bound("ceil(1.1 N)", v)[0] == ceil(Fraction(11, 10) * n)


def test_the_qualifier_table_drives_apply_qualifiers(hand, monkeypatch):
    # a wider band for "about" in the table is what apply_qualifiers applies
    _break(hand, "qualifier_rules", "floor(0.9 N),ceil(1.1 N)", "floor(0.8 N),ceil(1.2 N)")
    rules = vocab.load(hand)["qualifier_rules"]
    monkeypatch.setattr(vocab, "QUALIFIER_RULES", rules)
    df = pd.DataFrame({"value": pd.array([1000], dtype="Int64"), "qualifier": ["about"]})
    out = vocab.apply_qualifiers(df)
    assert (out["low"].iloc[0], out["high"].iloc[0], out["rule"].iloc[0]) == (
        800,
        1200,
        "about_10pct",
    )


def test_one_hxl_table_for_reader_and_export():
    from stats import export
    from stats.ingest import hxl

    assert hxl.FIELD_TAGS is vocab.HXL_READ_TAGS
    assert export.COLUMN_TAGS is vocab.HXL_WRITTEN_TAGS
    for column, tag in vocab.HXL_WRITTEN_TAGS.items():
        if column in vocab.HXL_READ_TAGS:
            assert hxl.normalise_tag(tag) == hxl.normalise_tag(vocab.HXL_READ_TAGS[column][0])
