"""``python -m stats extract FILE... --published YYYY-MM-DD``: claims read from report text."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "Read counts of people from report text (en, fr, es, de, pt, ar; text, HTML, PDF) as Claims"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="UTF-8 text, HTML or PDF; 'URL:', 'DATE:' and 'LANG:' lines at the top give url, date, language",
    )
    parser.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="publication date (default: the file's DATE: line; required without one)",
    )
    parser.add_argument(
        "--lang",
        choices=("en", "fr", "es", "de", "pt", "ar"),
        help="language of the text (default: the file's LANG: line, else detected)",
    )
    parser.add_argument("--reported-by", metavar="NAME", help="outlet that published the text")
    parser.add_argument("--url", help="address of the text (default: the file's URL: line)")
    parser.add_argument(
        "--format", choices=("csv", "json"), default="csv", help="output format (csv)"
    )


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from stats import disk
    from stats.contract import empty_claims
    from stats.extract import parse_published, read_text_file

    published = parse_published(args.published) if args.published else None
    tables, rejects = [], []
    for path in args.files:
        got = read_text_file(
            path, published=published, reported_by=args.reported_by, url=args.url, lang=args.lang
        )
        tables.append(got.claims)
        rejects.append(got.rejects)
        msg = f"{got.source_file}: {len(got.claims)} claims"
        if got.n_rejected:
            msg += f", {got.n_rejected} rejected"
        if not len(got.claims) and not got.n_rejected:
            msg += " (no counts of people found)"
        print(msg, file=sys.stderr)
        for r in got.rejects.itertuples(index=False):
            print(f"{r.source_file}, line {r.source_row}: {r.column}: {r.reason}", file=sys.stderr)
    claims = pd.concat(tables, ignore_index=True) if tables else empty_claims()
    if args.format == "json":
        out = claims.copy()
        for c in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[c].dtype):
                out[c] = out[c].dt.strftime("%Y-%m-%d")
        records = [
            {
                k: (
                    None
                    if pd.isna(v)
                    else (
                        int(v)
                        if hasattr(v, "__int__") and k in ("value", "low", "high", "source_row")
                        else str(v)
                    )
                )
                for k, v in row.items()
            }
            for row in out.to_dict("records")
        ]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.buffer.write(disk.to_csv_bytes(claims))
    return 0
