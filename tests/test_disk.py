import pandas as pd
import pytest

from stats import disk
from stats.errors import ChecksumError, UserError
from tests.conftest import GOOD_ROWS, claims_csv


def test_bom_is_dropped(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf" + claims_csv(GOOD_ROWS[:1]).encode())
    df = disk.read_csv_text(p)
    assert df.columns[0] == "claim_id"


def test_non_utf8_bytes_are_kept_for_row_level_rejection(tmp_path):
    p = tmp_path / "latin1.csv"
    p.write_bytes(
        claims_csv(GOOD_ROWS[:1] + [GOOD_ROWS[1].replace("Keystone", "K\xe9ystone")]).encode(
            "latin-1"
        )
    )
    df = disk.read_csv_text(p)
    assert "\ufffd" in df.loc[1, "reported_by"]


@pytest.mark.parametrize("content", [b"", b"   \n\n"])
def test_empty_file_is_a_clear_error(tmp_path, content):
    p = tmp_path / "empty.csv"
    p.write_bytes(content)
    with pytest.raises(UserError, match="empty.csv: the file is empty"):
        disk.read_csv_text(p)


def test_binary_file_is_a_clear_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"\x00\x01\x02PK")
    with pytest.raises(UserError, match="binary file"):
        disk.read_csv_text(p)


def test_neutralise_formulas_only_touches_text():
    df = pd.DataFrame(
        {"q": ["=1+1", "+cmd", "-x", "@SUM(A1)", "fine", None], "n": [1, -2, 3, 4, 5, 6]}
    )
    out = disk.neutralise_formulas(df)
    assert out["q"].tolist()[:5] == ["'=1+1", "'+cmd", "'-x", "'@SUM(A1)", "fine"]
    assert pd.isna(out["q"].iloc[5])
    assert out["n"].tolist() == [1, -2, 3, 4, 5, 6]
    assert df["q"].iloc[0] == "=1+1", "input not mutated"


def test_refuses_to_write_under_raw(monkeypatch, tmp_path):
    monkeypatch.setattr(disk.config, "RAW", tmp_path / "raw")
    with pytest.raises(UserError, match="refusing to write under data/raw"):
        disk.write_csv(pd.DataFrame({"a": [1]}), tmp_path / "raw" / "x.csv")


def test_checksums_name_changed_missing_and_unlisted_files(make_raw):
    raw = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS), "ds/other.csv": "a\n1\n"})
    assert len(disk.verify_checksums(raw)) == 2
    (raw / "ds" / "claims.csv").write_text(claims_csv(GOOD_ROWS[:2]))
    (raw / "ds" / "new.csv").write_text("x\n")
    (raw / "ds" / "other.csv").unlink()
    with pytest.raises(ChecksumError) as err:
        disk.verify_checksums(raw)
    msg = str(err.value)
    assert f"{raw}/ds/claims.csv: changed" in msg
    assert "ds/other.csv: listed in SHA256SUMS but missing" in msg
    assert "ds/new.csv: not in SHA256SUMS" in msg


def test_load_unknown_table_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="run `make data` first"):
        disk.load("claims", processed=tmp_path)


def test_load_reads_csv_with_an_all_empty_text_column(tmp_path):
    from stats.contract import validate
    from tests.conftest import GOOD_ROWS, claims_csv

    src = tmp_path / "in.csv"
    src.write_text(claims_csv(GOOD_ROWS))
    valid, _ = validate(disk.read_csv_text(src), "in.csv")
    assert valid["note"].isna().all()
    disk.write_csv(valid, tmp_path / "claims.csv")
    back = disk.load("claims", processed=tmp_path)
    assert back["note"].isna().all()
    assert back["value"].tolist() == valid["value"].tolist()
    assert back["published"].tolist() == valid["published"].tolist()


def test_read_csv_text_keeps_text_and_fallback_for_bad_bytes(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes(b" x ,y\n007,\n1,\xff\n")
    df = disk.read_csv_text(p, "a.csv")
    assert list(df.columns) == ["x", "y"]
    assert df["x"].tolist() == ["007", "1"] and pd.isna(df["y"][0])
    assert df.attrs.get("replaced_bytes") and "\ufffd" in df["y"][1]


def test_utf16_and_duplicate_names_are_clear_errors(tmp_path):
    p = tmp_path / "u.csv"
    p.write_bytes("a,b\n1,2\n".encode("utf-16"))
    with pytest.raises(UserError, match="UTF-16 text: save it as UTF-8"):
        disk.read_csv_text(p)
    p.write_text("a,b,a\n1,2,3\n")
    with pytest.raises(UserError, match="duplicate column name\\(s\\): 'a' in columns 1, 3"):
        disk.read_csv_text(p)


@pytest.mark.parametrize("header_comma", ["", ","])
def test_a_trailing_comma_drops_an_empty_last_column(tmp_path, header_comma):
    p = tmp_path / "t.csv"
    p.write_text(f"a,b{header_comma}\n1,x,\n2,,\n")
    df = disk.read_csv_text(p)
    assert list(df.columns) == ["a", "b"] and df["a"].tolist() == ["1", "2"]
    p.write_text(f"a,b{header_comma}\n1,x,\n2,,oops\n")
    with pytest.raises(UserError, match="values beyond the 2 named columns"):
        disk.read_csv_text(p)


def test_writes_are_whole_files_with_the_usual_permissions(tmp_path):
    import os

    p = disk.write_csv(pd.DataFrame({"a": ["=E1", "-2+3"]}), tmp_path / "sub" / "t.csv")
    assert p.read_text() == "a\n=E1\n-2+3\n", "processed CSVs keep text as it is"
    assert disk.write_csv(pd.DataFrame({"a": ["=E1"]}), p, spreadsheet=True).read_text() == (
        "a\n'=E1\n"
    )
    assert os.stat(p).st_mode & 0o777 == 0o666 & ~_umask()
    assert [x.name for x in p.parent.iterdir()] == ["t.csv"], "no temporary file left"
    with pytest.raises(UserError, match="is a folder"):
        disk.write_csv(pd.DataFrame({"a": [1]}), tmp_path)


def _umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_folder_under_raw_is_named_as_given_and_not_created(monkeypatch, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setattr(disk.config, "RAW", raw)
    with pytest.raises(UserError, match=f"^{raw / 'nb'}: refusing to write under data/raw"):
        disk.writable_folder(raw / "nb")
    assert disk.writable_folder(tmp_path / "a" / "b", create=False) == tmp_path / "a" / "b"
    assert list(raw.iterdir()) == [] and not (tmp_path / "a").exists()
    (tmp_path / "f").write_text("x")
    with pytest.raises(UserError, match="is a file"):
        disk.writable_folder(tmp_path / "f")


def test_staged_folder_replaces_files_and_folders_together_or_not_at_all(tmp_path):
    out = tmp_path / "out"
    (out / "charts").mkdir(parents=True)
    (out / "charts" / "old.png").write_text("old")
    (out / "notes.txt").write_text("kept")
    with pytest.raises(KeyboardInterrupt), disk.staged_folder(out) as stage:
        disk.write_text("new", stage / "index.html")
        raise KeyboardInterrupt
    assert sorted(p.name for p in out.rglob("*")) == ["charts", "notes.txt", "old.png"]
    with disk.staged_folder(out) as stage:
        disk.write_text("new", stage / "index.html")
        disk.write_text("new", stage / "charts" / "new.png")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "charts", "charts/new.png", "index.html", "notes.txt"
    ]  # fmt: skip


def test_checksum_problems_are_named_from_the_repository(make_raw, tmp_path, monkeypatch):
    raw = make_raw({"ds/claims.csv": claims_csv(GOOD_ROWS)})
    (raw / "ds" / "claims.csv").write_text(claims_csv(GOOD_ROWS[:2]))
    monkeypatch.setattr(disk.config, "ROOT", tmp_path)
    with pytest.raises(ChecksumError, match="^raw/ds/claims.csv: changed"):
        disk.verify_checksums(raw)
