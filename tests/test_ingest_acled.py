"""ACLED export -> Claims: fixture in the real layout, known answers, invariants, errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stats import contract
from stats.errors import SchemaError, UserError
from stats.ingest.acled import ACLED_COLUMNS, RULE, acled_to_claims, read_acled

FIXTURE = Path(__file__).parent / "data" / "formats" / "acled" / "acled_syria_sample.csv"


def _row(**kw) -> dict:
    base = dict.fromkeys(ACLED_COLUMNS, "")
    base.update(
        event_id_cnty="SYR1",
        event_date="2024-12-01",
        year="2024",
        time_precision="1",
        country="Syria",
        admin1="Idlib",
        admin2="Idlib",
        location="Saraqab",
        source="SOHR",
        notes="x",
        fatalities="3",
        timestamp="1733443200",
    )
    base.update(kw)
    return base


def _csv(tmp_path, rows, name="a.csv") -> Path:
    p = tmp_path / name
    pd.DataFrame(rows, columns=list(ACLED_COLUMNS)).to_csv(p, index=False)
    return p


@pytest.fixture(scope="module")
def got():
    return read_acled(FIXTURE, name="acled.csv", keep_notes=True)


def test_fixture_accounts_for_every_row(got):
    assert got.n_read == 8
    assert got.accounted
    assert got.n_accepted + got.n_rejected == got.n_read
    assert set(got.claims["source_row"]) & set(got.rejects["source_row"]) == set()
    contract.Claims.validate(got.claims)


def test_lowest_reported_is_a_floor(got):
    c = got.claims
    assert (c["qualifier"] == "at_least").all()
    assert (c["rule"] == RULE).all()
    assert (c["low"] == c["value"]).all() and c["high"].isna().all()
    assert (c["counted_by"] == "ACLED").all()


def test_one_killed_claim_per_event_and_civilians_where_targeted(got):
    c = got.claims
    killed = c[c["metric"] == "killed"]
    assert killed["source_row"].is_unique and len(killed) == got.n_accepted
    civ = c.loc[c["metric"] == "civilians_killed", "claim_id"].tolist()
    assert civ == ["acled:SYR900002:civilians_killed", "acled:SYR900005:civilians_killed"]
    assert c["claim_id"].is_unique


def test_period_from_time_precision(got):
    c = got.claims.set_index("claim_id")
    day = c.loc["acled:SYR900001:killed"]
    assert day["period_start"] == day["period_end"] == pd.Timestamp("2024-11-27")
    week = c.loc["acled:SYR900002:killed"]
    assert (week["period_start"], week["period_end"]) == (
        pd.Timestamp("2024-11-25"),
        pd.Timestamp("2024-12-01"),
    )
    month = c.loc["acled:SYR900004:killed"]
    assert (month["period_start"], month["period_end"]) == (
        pd.Timestamp("2024-11-01"),
        pd.Timestamp("2024-11-30"),
    )
    assert day["published"] == pd.Timestamp("2024-12-03")  # timestamp 1733184000


def test_places_sources_and_text_kept(got):
    c = got.claims.set_index("claim_id")
    assert c.loc["acled:SYR900002:killed", "location"] == "Idleb"  # admin1 "Idlib"
    assert c.loc["acled:SYR900002:killed", "reported_by"] == "Syria Civil Defence; Local Source"
    assert "Ḥārim" in c.loc["acled:SYR900005:killed", "location_detail"]
    assert '"at least"' in c.loc["acled:SYR900001:killed", "note"]
    assert c.loc["acled:SYR900008:killed", "value"] == 0  # a stated zero is kept


def test_rejects_name_row_column_and_reason(got):
    r = got.rejects.set_index("source_row")
    assert r.loc[4, "column"] == "fatalities" and "missing is not zero" in r.loc[4, "reason"]
    assert r.loc[7, "column"] == "event_date" and r.loc[7, "value"] == "2024-13-45"
    assert r.loc[8, "column"] == "fatalities" and r.loc[8, "value"] == "-1"
    assert (got.rejects["source_file"] == "acled.csv").all()


def test_period_never_ends_after_publication_and_export_tool_dates(tmp_path):
    rows = [
        _row(event_date="2024-11-20", time_precision="3", timestamp="1732492800"),
        _row(event_id_cnty="SYR2", event_date="27 November 2024"),
        _row(event_id_cnty="SYR3", timestamp=""),
        _row(event_id_cnty="SYR4", event_date="2024-12-10", timestamp="1733443200"),
        _row(event_id_cnty="SYR5", time_precision="4"),
        _row(event_id_cnty="SYR6", timestamp="soon"),
    ]
    got = read_acled(_csv(tmp_path, rows))
    c = got.claims.set_index("claim_id")
    assert c.loc["acled:SYR1:killed", "period_end"] == pd.Timestamp("2024-11-25")
    assert c.loc["acled:SYR1:killed", "period_start"] == pd.Timestamp("2024-11-01")
    assert c.loc["acled:SYR2:killed", "period_end"] == pd.Timestamp("2024-11-27")
    assert c.loc["acled:SYR3:killed", "published"] == pd.Timestamp("2024-12-01")
    reasons = got.rejects.set_index("source_row")["reason"]
    assert "published before the event date" in reasons[5]
    assert "time precision" in reasons[6]
    assert "not a timestamp" in reasons[7]
    assert got.accounted


def test_undecodable_bytes_reject_only_their_row(tmp_path):
    p = _csv(tmp_path, [_row(), _row(event_id_cnty="SYR2", location="NOTE")])
    p.write_bytes(p.read_bytes().replace(b"NOTE", b"bad \xff byte"))
    got = read_acled(p)
    assert got.n_accepted == 1 and got.n_rejected == 1 and got.accounted
    assert "UTF-8" in got.rejects["reason"].iloc[0]


def test_does_not_mutate_and_notes_off_by_default():
    df = pd.DataFrame([_row()], dtype="str")
    before = df.copy()
    got = acled_to_claims(df, "t.csv")
    pd.testing.assert_frame_equal(df, before)
    assert got.claims["note"].isna().all()
    assert read_acled(FIXTURE).claims["note"].isna().all()


def test_many_rows_vectorised(tmp_path):
    n = 20_000
    rows = pd.DataFrame([_row()] * n)
    rows["event_id_cnty"] = "SYR" + pd.Series(range(n)).astype(str)
    rows.loc[::7, "civilian_targeting"] = "Civilian targeting"
    rows.loc[::1000, "fatalities"] = ""
    p = tmp_path / "big.csv"
    rows.to_csv(p, index=False)
    got = read_acled(p)
    assert got.n_read == n and got.accounted
    assert got.n_rejected == 20
    assert (got.claims["metric"] == "civilians_killed").sum() == len(
        [i for i in range(0, n, 7) if i % 1000]
    )


def test_errors(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("event_id_cnty,event_date\nSYR1,2024-12-01\n")
    with pytest.raises(SchemaError, match="not an ACLED export: missing column.*fatalities"):
        read_acled(p)
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(UserError, match="empty"):
        read_acled(tmp_path / "e.csv")
