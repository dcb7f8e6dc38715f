"""Tests for stats.datasets: dataset.yml, the processed folder of a dataset, load."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import DATASET_YML, GOOD_ROWS, claims_csv

import stats
from stats import config, datasets, pipeline
from stats.errors import UserError


def _hand(tmp_path, text: str, name: str = "ds"):
    p = tmp_path / "hand" / name / "dataset.yml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return tmp_path / "hand"


def test_the_shipped_datasets_are_described():
    assert {"drc-2025", "syria-2024"} <= set(datasets.dataset_names(config.HAND))
    d = datasets.read_dataset("drc-2025")
    assert (d.title, d.start, d.country) == (
        "Eastern DR Congo: M23 offensive, 2025",
        pd.Timestamp("2025-01-23"),
        "COD",
    )


def test_the_syria_dataset_is_described():
    assert "syria-2024" in datasets.dataset_names(config.HAND)
    d = datasets.read_dataset("syria-2024")
    assert d.start == pd.Timestamp("2024-11-27")
    assert d.country == "Syria" and d.title


def test_read_dataset(tmp_path):
    d = datasets.read_dataset("ds", _hand(tmp_path, DATASET_YML))
    assert (d.name, d.start, d.country) == ("ds", pd.Timestamp("2024-11-27"), "Syria")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x\nstart: 27/11/2024\ncountry: Syria\n", r"start: expected a date \(YYYY-MM-DD\)"),
        ("title: x\ncountry: Syria\n", "start: expected a date"),
        ("start: 2024-11-27\ncountry: Syria\n", "title: expected text, found None"),
        ("- a list\n", "expected the keys title, start, country"),
        ("title: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_dataset_yml_names_file_and_key(tmp_path, text, message):
    with pytest.raises(UserError, match=message) as exc:
        datasets.read_dataset("ds", _hand(tmp_path, text))
    assert "ds/dataset.yml" in str(exc.value)


def test_a_missing_dataset_yml(tmp_path):
    with pytest.raises(UserError, match=r"nope/dataset.yml: cannot read"):
        datasets.read_dataset("nope", tmp_path)


def test_processed_folder_and_load(make_raw, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(UserError, match="no processed dataset; run `make data` first"):
        datasets.processed_folder(processed=out)
    pipeline.build(make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS)}), out)
    assert datasets.processed_datasets(out) == ["ds"]
    assert datasets.processed_folder(processed=out) == out / "ds"
    assert datasets.processed_folder("other", out) == out / "other"
    claims = stats.load("claims", processed=out)
    assert len(claims) == len(GOOD_ROWS) and claims is not None
    with pytest.raises(UserError, match="run `make data` first"):
        stats.load("claims", dataset="other", processed=out)


def test_load_without_a_dataset_names_the_datasets_built(make_raw, tmp_path):
    out = tmp_path / "out"
    raw = make_raw(
        {"ds/claims.csv": claims_csv(GOOD_ROWS), "other/claims.csv": claims_csv(GOOD_ROWS)}
    )
    pipeline.build(raw, out)
    with pytest.raises(UserError) as e:
        stats.load("claims", processed=out)
    message = str(e.value)
    assert "several datasets (ds, other): name one (dataset=...)" in message
    assert "\n" not in message
    assert len(stats.load("claims", dataset="other", processed=out)) == len(GOOD_ROWS)


def test_known_on_folder():
    assert datasets.known_on_folder(config.PROCESSED / "ds", "2024-12-05").name == (
        "as-known-on-2024-12-05"
    )
