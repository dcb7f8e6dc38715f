"""``python -m stats new DATASET --title ... --start YYYY-MM-DD [--country ISO3]``: start a
dataset.

Creates ``data/raw/DATASET/`` (``sources.yml``, an empty ``claims.csv`` and ``events.csv``
with their headers, ``texts/``, a ``README.md`` saying what goes where), adds those files to
``data/raw/SHA256SUMS`` and writes ``data/hand/DATASET/dataset.yml``. Nothing that exists is
overwritten: an existing dataset, a bad name, date or country code is refused with one line.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from stats import config
from stats.errors import UserError

HELP = "Start a dataset: data/raw/DATASET/ (sources.yml, claims.csv, events.csv, texts/) and data/hand/DATASET/"

#: A dataset name: lower-case letters and digits in words joined by single hyphens.
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: An ISO 3166-1 alpha-3 country code.
ISO3 = re.compile(r"[A-Z]{3}")

README = """\
# {name}: {title}

Raw inputs of the dataset, as received: never edited once added (`data/raw/SHA256SUMS` holds
their checksums; after adding a file run `make checksums`, a deliberate, reviewed act).

- `claims.csv` -- figures curated by hand, one row per figure as published (the Claims columns
  of `stats.contract.Claims`; at least metric, value, qualifier, period_end, published). These
  go straight into the ledger. It starts empty for the first figures; once they are in and
  checksummed, later figures go in new files with the same header (`claims-2.csv`).
- `texts/*.txt` -- report text (news, situation reports), UTF-8, one paragraph a line, with a
  `DATE: YYYY-MM-DD` line (and a `URL: ...` line) at the top. The extractor reads figures out
  of them as *candidates*: they join the ledger only once an analyst accepts or corrects them
  in `python -m stats review {name}` (decisions in `data/hand/{name}/decisions.csv`).
- `events.csv` -- key dates (date, event, location, source, url), drawn on the charts.
- `sources.yml` -- where the files came from: origin, url, date retrieved, licence.

The series start ({start}) and the title are in `data/hand/{name}/dataset.yml`.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", help="folder name: lower-case words joined by hyphens")
    parser.add_argument("--title", required=True, help="what the dataset follows, in words")
    parser.add_argument(
        "--start", required=True, metavar="YYYY-MM-DD", help="first day of every series"
    )
    parser.add_argument("--country", default=None, metavar="ISO3", help="e.g. SDN, COD")
    parser.add_argument("--raw", type=Path, default=config.RAW, help=argparse.SUPPRESS)
    parser.add_argument("--hand", type=Path, default=config.HAND, help=argparse.SUPPRESS)


def check_arguments(name: str, title: str, start: str, country: str | None) -> None:
    """Refuse a bad name, title, start date or country code (one line each)."""
    from stats.parse import read_date

    if not NAME.fullmatch(name) or len(name) > 64:
        raise UserError(
            f"dataset name {name!r}: expected lower-case letters and digits in words joined "
            "by hyphens, at most 64 characters (e.g. sudan-el-fasher-2025)"
        )
    if not title.strip():
        raise UserError("--title: expected what the dataset follows, in words")
    read_date(start, "--start")
    if country is not None and not ISO3.fullmatch(country):
        raise UserError(f"--country {country!r}: expected an ISO 3166-1 alpha-3 code (e.g. SDN)")


def raw_files(name: str, title: str, start: str, country: str | None) -> dict[str, str]:
    """The text of each file of a new ``data/raw/<name>/``, by its path in that folder."""
    import yaml

    from stats import contract

    # written by the readers (provenance) and the extractor (how it inferred a field)
    machine = ("source_file", "source_row", "inferred")
    claims = [c for c in contract.CLAIMS_COLUMNS if c not in machine]
    events = [c for c in contract.EVENTS_COLUMNS if c != "dataset"]
    sources = {
        "dataset": name,
        "title": title,
        "country": country,
        "compiled_by": None,
        "licence": None,
        "files": {
            "claims.csv": {"description": None, "origin": None, "url": None, "retrieved": None},
            "events.csv": {"description": "key dates of the crisis", "origin": None},
            "texts/": {"description": "report text read by the extractor", "origin": None},
        },
    }
    head = (
        f"# Origin metadata for data/raw/{name}/: fill in origin, url, date retrieved, licence.\n"
    )
    return {
        "README.md": README.format(name=name, title=title, start=start),
        "claims.csv": ",".join(claims) + "\n",
        "events.csv": ",".join(events) + "\n",
        "sources.yml": head + yaml.safe_dump(sources, sort_keys=False, allow_unicode=True),
    }


def dataset_yml(title: str, start: str, country: str | None) -> str:
    """``data/hand/<name>/dataset.yml``: the title, series start and country."""
    import yaml

    meta = {"title": title, "start": start, "country": country}
    text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    # the start as a YAML date, unquoted, as the curated datasets write it
    text = text.replace(f"start: '{start}'", f"start: {start}")
    return "# What the pipeline needs to know about the dataset (reviewed by hand).\n" + text


def add_checksums(raw: Path, paths: list[Path]) -> None:
    """Add *paths* to ``raw/SHA256SUMS`` (``sha256sum`` format, sorted by path), as
    ``make checksums`` would; entries of other files are kept as they are. The file is
    replaced whole (a temporary file renamed over it) or left as it was."""
    from stats import disk

    sums = raw / "SHA256SUMS"
    listed = disk.read_checksums(sums) if sums.exists() else {}
    for p in paths:
        listed[p.relative_to(raw).as_posix()] = disk.sha256(p)
    lines = [f"{digest}  {rel}\n" for rel, digest in sorted(listed.items())]
    tmp = sums.with_name(".SHA256SUMS.tmp")
    try:
        tmp.write_text("".join(lines), encoding="utf-8")
        tmp.replace(sums)
    finally:
        tmp.unlink(missing_ok=True)


def create_dataset(
    name: str, title: str, start: str, country: str | None, raw: Path, hand: Path
) -> list[Path]:
    """Create the raw and hand folders of a new dataset; return the files written.

    All or nothing: when a write fails (a full or read-only disk) or Ctrl-C comes, the two
    folders are removed again and ``SHA256SUMS`` is left as it was (it is updated last).

    Raises
    ------
    UserError
        For a bad argument (:func:`check_arguments`), a dataset that exists already, or a
        write that failed.
    """
    check_arguments(name, title, start, country)
    raw, hand = Path(raw), Path(hand)
    folders = (raw / name, hand / name)
    for folder in folders:
        if folder.exists():
            raise UserError(f"{folder}: the dataset {name!r} exists already (nothing written)")
    made = []  # the folders this call created: removed again if it does not finish
    try:
        for folder in folders:
            folder.mkdir(parents=True)
            made.append(folder)
        (raw / name / "texts").mkdir()
        written = []
        for rel, text in raw_files(name, title, start, country).items():
            path = raw / name / rel
            path.write_text(text, encoding="utf-8")
            written.append(path)
        yml = hand / name / "dataset.yml"
        yml.write_text(dataset_yml(title, start, country), encoding="utf-8")
        add_checksums(raw, written)
    except OSError as exc:
        _remove(made)
        where = exc.filename or raw / name
        raise UserError(
            f"{where}: cannot create the dataset ({exc.strerror or exc}); nothing written"
        ) from exc
    except BaseException:
        _remove(made)
        raise
    return [*written, raw / name / "texts", yml]


def _remove(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace) -> int:
    from stats.pipeline import shown

    written = create_dataset(
        args.dataset, args.title, args.start, args.country, args.raw, args.hand
    )
    print("created: " + ", ".join(shown(p) for p in written))
    print(
        f"next: add figures to {shown(args.raw / args.dataset / 'claims.csv')} or report text "
        f"to {shown(args.raw / args.dataset / 'texts')}/, run `make checksums`, `make data`, "
        f"`python -m stats review {args.dataset}`, `make report DATASET={args.dataset}`"
    )
    return 0
