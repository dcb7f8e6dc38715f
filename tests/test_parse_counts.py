"""The one count grammar (stats.parse.counts): one table of cases, read alone and in columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import reasons

from stats.errors import UserError
from stats.parse import MAX_COUNT, parse_counts, read_count
from stats.parse import counts as C

#: (text, language, value or the reason it is none)
COUNTS = [
    ("826", None, 826),
    ("115,000", None, 115000),
    ("115 000", None, 115000),
    ("115\u00a0000", None, 115000),
    ("115\u202f000", None, 115000),
    ("1.1 million", None, 1100000),
    ("2.5m", None, 2500000),
    ("3k", None, 3000),
    ("3.0", None, 3),
    ("007", None, 7),
    ("0", None, 0),
    ("1.383", "de", 1383),
    ("1.383", "es", 1383),
    ("1.383", "pt", 1383),
    ("1.383", "fr", 1383),
    ("1 383", "fr", 1383),
    ("1,5 million", "fr", 1500000),
    ("1,5 millones", "es", 1500000),
    ("2,5 Millionen", "de", 2500000),
    ("1,2 milhões", "pt", 1200000),
    ("١٢", "ar", 12),
    ("٣٬٥٠٠", "ar", 3500),
    ("1,5", "de", C.FRACTION),
    ("1.383", "en", C.FRACTION),
    ("1.000", None, C.AMBIGUOUS),
    ("12.5", None, C.FRACTION),
    ("1,2,3", None, C.SEPARATORS),
    ("1,5 million", "en", C.SEPARATORS),
    ("12,00", None, C.SEPARATORS),
    ("1e30", None, C.EXPONENT),
    ("1E3", None, C.EXPONENT),
    ("NaN", None, C.NAN),
    ("inf", None, C.INFINITE),
    ("-inf", None, C.INFINITE),
    ("-3", None, C.NEGATIVE),
    ("about 100", None, C.NOT_A_NUMBER),
    ("abc", None, C.NOT_A_NUMBER),
    ("12345678901234567", None, C.TOO_LARGE),
    ("9223372036854775808", None, C.TOO_LARGE),
    ("99999999999999999999", None, C.TOO_LARGE),
    ("10000000001", None, C.TOO_LARGE),
    ("10000000000", None, MAX_COUNT),
    ("3.7 billion", None, 3700000000),
    ("20 billion", None, C.TOO_LARGE),
]


@pytest.mark.parametrize(("text", "lang", "expected"), COUNTS)
def test_count_grammar(text, lang, expected):
    got = read_count(text, lang)
    if isinstance(expected, int):
        assert got == (expected, None)
    else:
        assert got == (None, expected)


def test_a_million_digits_are_read_in_linear_time_and_rejected():
    assert read_count("9" * 1_000_000).reason == C.TOO_LARGE


def test_parse_counts_gives_the_reason_per_cell_and_blank_is_missing():
    texts = [t for t, lang, _e in COUNTS if lang is None]
    p = parse_counts(pd.Series([*texts, "", None, "  "], dtype="str"))
    want = [e for _t, lang, e in COUNTS if lang is None]
    assert p.values.tolist()[: len(texts)] == [e if isinstance(e, int) else pd.NA for e in want]
    assert reasons(p)[: len(texts)] == [None if isinstance(e, int) else e for e in want]
    assert p.values[len(texts) :].isna().all() and not p.bad[len(texts) :].any()
    assert str(p.values.dtype) == "Int64"


def test_parse_counts_of_numbers():
    p = parse_counts(pd.Series([12.0, 12.5, np.inf, 1e30, np.nan, -1.0]))
    assert p.values.tolist()[:1] == [12] and p.values[1:].isna().all()
    assert reasons(p) == [None, C.FRACTION, C.INFINITE, C.TOO_LARGE, None, C.NEGATIVE]
    ints = parse_counts(pd.Series([3, 2**62], dtype="int64"))
    assert ints.values.tolist()[0] == 3 and reasons(ints)[1] == C.TOO_LARGE


def test_cells_of_digits_alone_get_the_value_read_count_gives():
    # read in one vectorised step (the commonest cell); every other cell by read_count
    cells = ["826", "0", "0826", "9999999999", "10000000000", "00000000001", "١٢", " 7", "7 "]
    cells += ["12345678901234567890", "+5", "1,000", "", None]
    p = parse_counts(pd.Series(cells, dtype="str"))
    for cell, value, why in zip(cells, p.values, p.reason, strict=True):
        if cell is None or not cell.strip():
            assert pd.isna(value) and pd.isna(why)
            continue
        want = read_count(cell)
        assert (None if pd.isna(value) else value) == want.value, cell
        assert (None if pd.isna(why) else why) == want.reason, cell
    low = parse_counts(pd.Series(["5", "50"], dtype="str"), limit=10)
    assert low.values.tolist() == [5, pd.NA] and reasons(low)[1] == "not a count: above 10"


def test_parse_counts_limit_for_ids_and_timestamps():
    p = parse_counts(pd.Series(["1733443200", "123456789012"], dtype="str"), limit=2**53)
    assert p.values.tolist() == [1733443200, 123456789012]
    with pytest.raises(ValueError, match="2\\^53"):
        parse_counts(pd.Series(["1"]), limit=2**60)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e30", C.EXPONENT),
        ("NaN", C.NAN),
        ("inf", C.INFINITE),
        ("1,2,3", C.SEPARATORS),
        ("12.5", C.FRACTION),
        ("12345678901234567", C.TOO_LARGE),
        ("9223372036854775808", C.TOO_LARGE),
    ],
)
def test_a_claims_row_is_rejected_with_the_grammars_reason_only(value, reason):
    from stats.contract import validate

    row = {"metric": "killed", "value": value, "qualifier": "exact", "period_end": "2024-12-01",
           "published": "2024-12-02"}  # fmt: skip
    valid, rejects = validate(pd.DataFrame([row], dtype="str"), source_file="c.csv")
    assert valid.empty
    assert rejects[["column", "value", "reason"]].values.tolist() == [["value", value, reason]]


@pytest.mark.parametrize(("count", "reason"), [(np.inf, C.INFINITE), (1e30, C.TOO_LARGE)])
def test_mse_counts_are_read_by_the_grammar(count, reason):
    from stats import mse

    data = pd.DataFrame({"A": [1, 0], "B": [0, 1], "count": [1.0, count]})
    with pytest.raises(UserError, match=f"row 2, column 'count': value .*: {reason[:20]}"):
        mse.estimate(data)


def test_a_column_reads_each_count_as_it_reads_it_alone():
    # each distinct entry is read once: repeats, blanks and missing entries in any order give
    # what the entry gives alone
    texts = [t for t, lang, _e in COUNTS if lang is None] + ["", "  ", None]
    column = pd.Series(texts * 3, dtype="str").sample(frac=1, random_state=1)
    whole = parse_counts(column)
    for text, value, why in zip(column, whole.values, whole.reason, strict=True):
        alone = parse_counts(pd.Series([text], dtype="str"))
        assert value is alone.values.iloc[0] or value == alone.values.iloc[0], text
        assert (pd.isna(why) and pd.isna(alone.reason.iloc[0])) or why == alone.reason.iloc[0]
    assert whole.values.index.equals(column.index) and whole.reason.index.equals(column.index)


def test_numbers_that_compare_equal_read_alike():
    # (distinct entries are found by hashing: 1, 1.0 and True are one entry)
    p = parse_counts(pd.Series([1, 1.0, True, 2.5, None, "3"], dtype=object))
    assert p.values.tolist() == [1, 1, 1, pd.NA, pd.NA, 3]
    assert reasons(p) == [None, None, None, C.FRACTION, None, None]
