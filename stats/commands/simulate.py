"""``python -m stats simulate``: score the literal band and the eventual-toll estimate against a
simulated known truth, beside two naive baselines."""

from __future__ import annotations

import argparse

HELP = (
    "Simulate counters reporting a known truth; print coverage and error of the literal band, "
    "the eventual estimate and two naive baselines"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="first random seed (0)")
    parser.add_argument(
        "--runs", type=int, default=1, help="number of crises, seeds N, N+1, ... (1)"
    )
    parser.add_argument(
        "--literal",
        action="store_true",
        help="every figure literally true (no delay, reprints or misprints)",
    )
    parser.add_argument(
        "--without",
        default="",
        metavar="B[,B...]",
        help="switch off behaviours: bursty, delay, un_agency, rights_group, reprints, "
        "stale_reprints, misprints",
    )
    parser.add_argument("--level", type=float, default=0.90, help="interval level (0.90)")
    parser.add_argument("--per-run", action="store_true", help="also print one row per crisis")


def _reporting(args: argparse.Namespace):
    import dataclasses

    from stats.errors import UserError
    from stats.simulate import LITERAL, REALISTIC

    base = LITERAL if args.literal else REALISTIC
    off = [b.strip() for b in args.without.split(",") if b.strip()]
    unknown = [b for b in off if b not in base.behaviours]
    if unknown:
        raise UserError(
            f"--without: unknown behaviour {', '.join(unknown)}; expected some of "
            f"{', '.join(base.behaviours)}"
        )
    return dataclasses.replace(base, **dict.fromkeys(off, False))


def run(args: argparse.Namespace) -> int:
    from stats.errors import UserError
    from stats.simulate import run_simulations, summarise

    if args.runs < 1:
        raise UserError(f"--runs: {args.runs} is not a positive number of simulations")
    if not 0 < args.level < 1:
        raise UserError(f"--level: {args.level} is not a coverage between 0 and 1")
    reporting = _reporting(args)
    res = run_simulations(range(args.seed, args.seed + args.runs), reporting, args.level)
    fmt = {"float_format": lambda x: f"{x:.3f}", "index": False, "na_rep": "-"}
    if args.per_run:
        print(res.to_string(**fmt))
        print()
    on = [b for b in reporting.behaviours if getattr(reporting, b)]
    print(f"{len(res)} crises; behaviours on: {', '.join(on) or 'none'}")
    print(summarise(res).to_string(**fmt))
    print(
        "cover_*: share of series-days (killed, civilians, combatants; combined counter) with "
        "the truth inside [cum_low, cum_high] (literal) or [est_low, est_high] (est); mdape: "
        "median over crises of the median abs. % error of the best; latest: the most prolific "
        "counter's latest figure carried forward; highest: the highest figure so far"
    )
    print(
        f"misprint: one extra digit moves est_best by at most {res['misprint_shift'].max():.1%} "
        f"(median {res['misprint_shift'].median():.1%}); targets: est coverage >= 0.90 "
        "(>= 0.85 per class), est mdape <= 0.7 x latest's, beats latest in >= 80% of crises, "
        "misprint < 5%"
    )
    return 0
