"""Tests for stats.extract.score and the score-extract command."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from stats.cli import main
from stats.extract.score import (
    FIELDS,
    SCORE_COLUMNS,
    match_claims,
    normalise,
    score_files,
    score_sets,
)

DATA = Path(__file__).parent / "data" / "extract"


def gold_table(rows):
    cols = ["metric", "value", "qualifier", "low", "high", "counted_by", "period_start",
            "period_end", "location", "quote"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols, dtype="object")


GOLD = gold_table(
    [
        ["killed", "826", "exact", "", "", "OSDH", "2024-11-27", "2024-12-06", "", "q1"],
        ["civilians_killed", "111", "exact", "", "", "SOHR", "2024-11-27", "2024-12-06", "", "q1"],
        ["displaced", "", "vague", "20000", "99999", "", "", "2024-12-05", "Homs", "q2"],
        ["displaced", "", "range", "800000", "1000000", "", "", "2024-12-09", "Syria", "q3"],
    ]
)


def test_normalise_key_uses_bounds_only_for_intervals_and_canonical_names():
    n = normalise(GOLD)
    assert n["key"].tolist() == [
        ("killed", 826, None, None, "exact"),
        ("civilians_killed", 111, None, None, "exact"),
        ("displaced", None, 20000, 99999, "vague"),
        ("displaced", None, 800000, 1000000, "range"),
    ]
    assert n["counted_by"].tolist()[:2] == ["SOHR", "SOHR"]
    assert n["period_start"].tolist()[2] is None
    assert GOLD["counted_by"].tolist()[0] == "OSDH"  # input not mutated


def test_perfect_prediction():
    t = score_files({"a": match_claims(GOLD, GOLD.copy())})
    assert list(t.columns) == list(SCORE_COLUMNS)
    row = t.iloc[-1]
    assert (row["precision"], row["recall"]) == (1.0, 1.0)
    assert all(row[f"{f}_acc"] == 1.0 for f in FIELDS)


def test_misses_spurious_and_field_errors():
    pred = GOLD.iloc[[0, 2]].copy()
    pred.loc[0, "period_start"] = ""  # wrong field, same identity
    pred.loc[2, "qualifier"] = "about"  # different identity: spurious + missed
    pred.loc[2, "value"] = "50000"
    pairs = match_claims(GOLD, pred)
    assert int(pairs["gold_row"].notna().sum()) == 4
    assert int((pairs["gold_row"].notna() & pairs["pred_row"].notna()).sum()) == 1
    assert int(pairs["gold_row"].isna().sum()) == 1
    s = score_files({"a": pairs}).iloc[0]
    assert (s["gold"], s["predicted"], s["matched"]) == (4, 2, 1)
    assert s["precision"] == 0.5 and s["recall"] == 0.25
    assert s["period_start_acc"] == 0.0 and s["period_end_acc"] == 1.0


def test_matching_is_one_to_one():
    pairs = match_claims(GOLD.iloc[[0]], pd.concat([GOLD.iloc[[0]]] * 3, ignore_index=True))
    s = score_files({"a": pairs}).iloc[0]
    assert (s["matched"], s["predicted"], s["precision"]) == (1, 3, pytest.approx(1 / 3))


def test_totals_pool_the_files():
    a = match_claims(GOLD, GOLD)
    b = match_claims(GOLD.iloc[:1], GOLD.iloc[:0])
    t = score_files({"a": a, "b": b})
    assert t["file"].tolist() == ["a", "b", "all"]
    assert t.iloc[-1]["recall"] == pytest.approx(4 / 5)
    assert pd.isna(t.iloc[1]["precision"])


def test_cli_scores_the_test_gold_files(capsys, tmp_path):
    """The UN excerpts and the seed (the files at the top of the folder): the targets hold."""
    for f in DATA.glob("*.*"):
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    assert main(["score-extract", str(tmp_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    total = rows[-1]
    assert total["file"] == "all" and total["gold"] == 82
    assert total["precision"] >= 0.95 and total["recall"] >= 0.90
    assert [r["file"] for r in rows][-2:] == ["set en", "all"]  # each set, then the total
    one = tmp_path / "one"  # the text view, on one file
    one.mkdir()
    for f in DATA.glob("seed-paraphrase.*"):
        (one / f.name).write_bytes(f.read_bytes())
    assert main(["score-extract", str(one), "--details"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out.splitlines()[0] and "seed-paraphrase.txt" in out


def test_cli_scores_the_whole_development_corpus(capsys):
    """Every set of the development corpus (news and agency excerpts in six languages).

    The issue's targets (precision 0.95, recall 0.90, counted_by 0.90, period_start 0.90) are
    not reached yet on it: these floors sit just under what was measured (precision 0.94,
    recall 0.86, counted_by 0.81, period_start 0.87 over 464 gold claims) so that a
    regression fails; raise them as the extractor improves.
    """
    assert main(["score-extract", str(DATA), "--json"]) == 0
    rows = {r["file"]: r for r in json.loads(capsys.readouterr().out)}
    assert {"set en", "set fr", "set es", "set de", "set pt", "set ar"} <= set(rows)
    gold = sum(len(pd.read_csv(g)) for g in DATA.rglob("*.gold.csv"))
    assert rows["all"]["gold"] == gold
    assert rows["all"]["precision"] >= 0.93 and rows["all"]["recall"] >= 0.85
    assert rows["all"]["counted_by_acc"] >= 0.80 and rows["all"]["period_start_acc"] >= 0.86


def test_cli_reads_date_from_file_name(tmp_path, capsys):
    (tmp_path / "2024-12-06_x.txt").write_text("The UN said 12 people died.")
    (tmp_path / "2024-12-06_x.gold.csv").write_text(
        "metric,value,qualifier,low,high,counted_by,period_start,period_end,location,quote\n"
        "killed,12,exact,,,UN,,2024-12-06,,The UN said 12 people died.\n"
    )
    assert main(["score-extract", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[-1]["recall"] == 1.0


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "no \\*.gold.csv files"),
        ({"a.gold.csv": "metric,value\n"}, "no text beside it"),
        ({"a.gold.csv": "metric,value\n", "a.txt": "12 died."}, "no publication date"),
    ],
)
def test_cli_errors(tmp_path, capsys, files, message):
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    assert main(["score-extract", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stats: error:")
    import re

    assert re.search(message, err)


def test_cli_not_a_directory(tmp_path, capsys):
    assert main(["score-extract", str(tmp_path / "nope")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_counter_is_a_field_not_part_of_the_identity():
    pred = GOLD.copy()
    pred.loc[0, "counted_by"] = "UN"
    row = score_files({"a": match_claims(GOLD, pred)}).iloc[-1]
    assert (row["precision"], row["recall"]) == (1.0, 1.0)
    assert row["counted_by_acc"] == 0.75


def test_score_sets_pools_the_files_of_each_set():
    p = {"a": match_claims(GOLD, GOLD), "b": match_claims(GOLD, GOLD.iloc[:0])}
    t = score_sets(p, {"a": "set en", "b": "set fr"})
    assert t["file"].tolist() == ["set en", "set fr", "all"]
    assert t["recall"].tolist() == [1.0, 0.0, 0.5]
