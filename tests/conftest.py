"""Shared fixtures: small raw folders built in a temporary directory."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

HEADER = (
    "claim_id,metric,value,qualifier,low,high,period_start,period_end,published,location,"
    "counted_by,reported_by,url,quote"
)
GOOD_ROWS = [
    "A1,killed,826,exact,,,2024-11-27,2024-12-06,2024-12-06,Syria,OSDH,Keystone-ATS,"
    'https://example.org/a,"Since November 27, fighting and bombings have left 826 dead."',
    "A2,civilians_killed,111,exact,,,2024-11-27,2024-12-06,2024-12-06,Syria,the Observatory,"
    'Keystone-ATS,https://example.org/a,"826 dead, including 111 civilians."',
    'A3,displaced,"115,000",exact,,,2024-11-30,2024-12-06,2024-12-06,,UN,Keystone-ATS,'
    'https://example.org/a,"The UN reported 115,000 displaced people in one week."',
    "A4,displaced,,vague,20000,99999,,2024-12-05,2024-12-06,Homs,SOHR,Keystone-ATS,"
    'https://example.org/a,"tens of thousands of residents of Homs were seen fleeing"',
    "A5,idps,1.1 million,about,,,2024-11-27,2024-12-12,2024-12-13,Syria,IDP Task Force,OCHA,"
    'https://example.org/b,"some 1.1 million people have been displaced"',
]


def write_sums(raw: Path) -> None:
    lines = []
    for p in sorted(raw.rglob("*")):
        if p.is_file() and p.name != "SHA256SUMS":
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            lines.append(f"{digest}  {p.relative_to(raw).as_posix()}")
    (raw / "SHA256SUMS").write_text("\n".join(lines) + "\n")


#: The ``dataset.yml`` :func:`make_raw` writes for each dataset folder.
DATASET_YML = "title: A test dataset\nstart: 2024-11-27\ncountry: Syria\n"


@pytest.fixture
def make_raw(tmp_path):
    """Build a raw folder ``tmp/raw/`` from ``{relative name: text or bytes}``, with a
    ``tmp/hand/<dataset>/dataset.yml`` beside it for each dataset folder (unless
    ``hand=False``)."""

    def make(files: dict[str, str | bytes], hand: bool = True) -> Path:
        raw = tmp_path / "raw"
        for name, content in files.items():
            p = raw / name
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")
            if hand and "/" in name:
                yml = tmp_path / "hand" / name.split("/")[0] / "dataset.yml"
                yml.parent.mkdir(parents=True, exist_ok=True)
                yml.write_text(DATASET_YML, encoding="utf-8")
        write_sums(raw)
        return raw

    return make


def claims_csv(rows: list[str], header: str = HEADER) -> str:
    return header + "\n" + "\n".join(rows) + "\n"
