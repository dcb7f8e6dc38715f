"""``python -m stats mse FILE.csv``: multiple systems estimation from a capture table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from stats.errors import UserError

HELP = "Estimate the number of victims no list recorded (multiple systems estimation)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from stats.choices import MSE_BAYES_METHODS, MSE_LOGLINEAR_METHODS

    parser.add_argument(
        "file",
        type=Path,
        help="CSV: one 0/1 column per list plus `count` (aggregated patterns), "
        "or one boolean column per list and one row per matched victim (records)",
    )
    parser.add_argument(
        "--lists",
        type=lambda text: [c.strip() for c in text.split(",") if c.strip()],
        default=None,
        help="comma-separated list columns (default: every column except `count`)",
    )
    parser.add_argument(
        "--method",
        choices=MSE_LOGLINEAR_METHODS + MSE_BAYES_METHODS,
        default="bic",
        help="model choice (bic); lcmcr and dga are Bayesian (posterior median and interval)",
    )
    parser.add_argument(
        "--max-order",
        type=_order,
        default=2,
        help="highest interaction order for bic/aic; 'all' for every order (2)",
    )
    parser.add_argument("--level", type=float, default=0.95, help="confidence level (0.95)")
    parser.add_argument(
        "--bootstrap", type=int, default=0, help="parametric bootstrap replicates (0: none)"
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="random seed of the bootstrap or the lcmcr sampler"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--posterior",
        action="store_true",
        help="lcmcr/dga with --json: include the posterior draws (lcmcr) or grid (dga) of N",
    )
    bayes = parser.add_argument_group("lcmcr and dga options (defaults as in LCMCR and dga)")
    for flag, key, kind, text in _BAYES_FLAGS:
        bayes.add_argument(flag, dest=key, type=kind, default=None, help=text)


#: CLI flag, option of :func:`stats.mse.estimate`, type, help.
_BAYES_FLAGS = (
    ("--classes", "K", int, "lcmcr: latent classes K (10)"),
    ("--a-alpha", "a", float, "lcmcr: shape of the Gamma prior of the concentration (0.25)"),
    ("--b-alpha", "b", float, "lcmcr: rate of the Gamma prior of the concentration (0.25)"),
    ("--burn-in", "burn_in", int, "lcmcr: sweeps discarded first (10000)"),
    ("--samples", "samples", int, "lcmcr: draws of N kept (2000)"),
    ("--thin", "thin", int, "lcmcr: sweeps between kept draws (10)"),
    ("--chains", "chains", int, "lcmcr: independent chains, compared by R-hat (1)"),
    ("--delta", "delta", float, "dga: hyper-Dirichlet parameter (1/2^k)"),
    ("--max-missing", "max_missing", int, "dga: grid of the unobserved count 0..M (automatic)"),
)


def _order(text: str) -> int | None:
    if text.lower() in {"all", "none"}:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a whole number or 'all', got {text!r}") from exc


def _read(path: Path):
    """The capture table as written: ``count`` as text (read by the one count grammar, as
    in every other table), ``True``/``False`` columns as booleans, other numbers as numbers,
    rows labelled as the file numbers them (the header is row 1)."""
    import pandas as pd

    from stats import disk

    if not path.is_file():
        raise UserError(f"{path}: no such file")
    data = disk.read_csv_text(path)
    for c in data.columns.drop("count", errors="ignore"):
        s = data[c].str.strip().str.casefold()
        if s.notna().any() and s.dropna().isin(["true", "false"]).all():
            data[c] = s.map({"true": True, "false": False}).where(s.notna())
        else:
            numbers = pd.to_numeric(s, errors="coerce")
            data[c] = numbers.where(s.isna() | numbers.notna(), data[c])
    data.index = pd.RangeIndex(2, 2 + len(data))
    return data


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def run(args: argparse.Namespace) -> int:
    from stats.mse import BAYES_METHODS, estimate

    data = _read(args.file)
    options = {key: getattr(args, key) for _, key, _, _ in _BAYES_FLAGS}
    options = {key: value for key, value in options.items() if value is not None}
    if args.posterior and args.method not in BAYES_METHODS:
        raise UserError(f"--posterior applies to {' and '.join(BAYES_METHODS)} only")
    try:
        res = estimate(
            data,
            method=args.method,
            max_order=args.max_order,
            level=args.level,
            bootstrap=args.bootstrap,
            seed=args.seed,
            lists=args.lists,
            **options,
        )
    except UserError as exc:
        raise UserError(f"{args.file}: {exc}") from exc
    print(f"{args.file}: {len(data)} rows read", file=sys.stderr)
    if args.json:
        print(json.dumps(res.to_dict(posterior=args.posterior)))
        return 0
    model = " + ".join(res.model) if res.model else "main effects only"
    print(f"lists     {', '.join(res.lists)}")
    print(f"observed  {res.observed:,}")
    if res.method == "lcmcr":
        print(f"method    lcmcr; {res.settings['K']} latent classes")
    elif res.method == "dga":
        print(f"method    dga; most probable graph: {model} ({res.model_weights[0][1]:.0%})")
    else:
        print(f"method    {res.method}; model: {model}")
    if res.estimate is None:
        print(f"estimate  none ({res.status})")
    else:
        high = "unbounded" if res.high is None else _fmt(res.high)
        print(
            f"estimate  {_fmt(res.estimate)}  "
            f"({res.level:.0%} {res.interval} interval {_fmt(res.low)} to {high})"
        )
    for note in res.warnings:
        print(f"warning   {note}")
    return 0
