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
