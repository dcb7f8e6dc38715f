"""``python -m stats score-extract GOLD_DIR``: precision and recall of the text extractor."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HELP = "Score the text extractor against gold files (X.txt beside X.gold.csv)"

#: Columns of a gold file: a claim's identity (metric, value, qualifier, low, high, counter)
#: and the fields scored on matched claims (:data:`stats.extract.score.FIELDS`).
GOLD_COLUMNS = (
    "metric", "value", "qualifier", "low", "high", "counted_by",
    "period_start", "period_end", "location", "quote",
)  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("gold_dir", type=Path, metavar="GOLD_DIR")
    parser.add_argument(
        "--details", action="store_true", help="also list missed and spurious claims"
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")


def published_for(path: Path, text: str) -> str:
    """Publication date of a gold text: its DATE: line, else a YYYY-MM-DD name prefix."""
    from stats.errors import UserError
    from stats.extract import parse_header

    _body, meta = parse_header(text)
    if "date" in meta:
        return meta["date"]
    m = re.match(r"(\d{4}-\d{2}-\d{2})", path.name)
    if m:
        return m.group(1)
    raise UserError(
        f"{path}: no publication date: add a 'DATE: YYYY-MM-DD' line or name the file "
        "YYYY-MM-DD_..."
    )


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from stats import disk
    from stats.errors import UserError
    from stats.extract import read_text_bytes, read_text_file
    from stats.extract.document import choose_language
    from stats.extract.document import parse_header as header
    from stats.extract.score import match_files, score_files, score_sets

    if not args.gold_dir.is_dir():
        raise UserError(f"{args.gold_dir}: not a directory (expected X.txt beside X.gold.csv)")
    golds = sorted(args.gold_dir.rglob("*.gold.csv"))
    if not golds:
        raise UserError(f"{args.gold_dir}: no *.gold.csv files (expected X.txt beside X.gold.csv)")
    golds_read, predicted, sets = {}, {}, {}
    for g in golds:
        txt = g.with_name(g.name[: -len(".gold.csv")] + ".txt")
        if not txt.exists():
            raise UserError(f"{g}: no text beside it (expected {txt.name})")
        text = read_text_bytes(txt.read_bytes(), str(txt))
        published = published_for(txt, text)
        got = read_text_file(txt, name=txt.name, published=published)
        body, meta = header(text)
        sets[txt.name] = "set " + choose_language(body, meta.get("lang"), txt.name)
        gold = disk.read_csv_text(g)
        missing = [c for c in GOLD_COLUMNS if c not in gold.columns]
        if missing:
            raise UserError(
                f"{g}: missing column(s) {', '.join(missing)}; a gold file has the columns "
                f"{', '.join(GOLD_COLUMNS)}"
            )
        golds_read[txt.name], predicted[txt.name] = gold, got.claims
    pairs = match_files(golds_read, predicted)
    table = pd.concat([score_files(pairs).iloc[:-1], score_sets(pairs, sets)], ignore_index=True)
    if args.json:
        print(json.dumps(table.to_dict("records"), indent=1))
        return 0
    show = table.copy()
    for c in show.columns[4:]:
        show[c] = show[c].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    print(show.to_string(index=False))
    if args.details:
        for name, p in pairs.items():
            miss = p[p["pred_row"].isna()]
            extra = p[p["gold_row"].isna()]
            wrong = p[p["gold_row"].notna() & p["pred_row"].notna()]
            for r in miss.itertuples():
                print(f"{name}: missed   {r.key}", file=sys.stdout)
            for r in extra.itertuples():
                print(f"{name}: spurious {r.key}", file=sys.stdout)
            for f in ("period_start", "period_end", "location"):
                bad = wrong[wrong[f"{f}_ok"] == False]  # noqa: E712
                for r in bad.itertuples():
                    print(
                        f"{name}: {f} {getattr(r, 'pred_' + f)!r} != gold "
                        f"{getattr(r, 'gold_' + f)!r} for {r.key}"
                    )
    return 0
