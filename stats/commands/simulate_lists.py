"""``python -m stats simulate-lists --runs N``: linkage and MSE scored on simulated victim lists."""

from __future__ import annotations

import argparse

HELP = "Simulate victim lists with known truth; print linkage precision/recall and MSE error"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="first random seed (0)")
    parser.add_argument(
        "--runs", type=int, default=1, help="number of simulations, seeds N, N+1, ... (1)"
    )
    parser.add_argument("--n", type=int, default=4000, help="victims per simulation (4000)")
    parser.add_argument(
        "--method",
        default="bic",
        help="stats.mse method for each stratum's estimate (bic); lcmcr or dga also sum the "
        "strata's posteriors into the total's interval",
    )


def run(args: argparse.Namespace) -> int:
    from stats.errors import UserError
    from stats.simulate_lists import evaluate_lists

    if args.runs < 1:
        raise UserError(f"--runs: {args.runs} is not a positive number of simulations")
    res = evaluate_lists(range(args.seed, args.seed + args.runs), n=args.n, method=args.method)
    print(res.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if len(res) > 1:
        keys = ["precision", "recall", "covered", "rel_error", "covered_perfect"]
        keys.append("rel_error_perfect")
        keys += [k for k in ("total_covered", "total_covered_perfect") if k in res]
        print("mean   " + "  ".join(f"{k}={res[k].mean():.3f}" for k in keys))
    print(
        "targets: pair precision >= 0.98, recall >= 0.95; covered = share of estimated "
        "strata whose interval holds the true size; total_covered (lcmcr, dga): the total's "
        "interval, strata's posteriors summed, holds the true total; *_perfect: with the true "
        "matches"
    )
    return 0
