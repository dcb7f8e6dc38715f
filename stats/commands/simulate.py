"""``python -m stats simulate --seed N``: score the pipeline against a simulated known truth."""

from __future__ import annotations

import argparse

HELP = "Simulate counters reporting a known truth; print band coverage and error of best"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=0, help="first random seed (0)")
    parser.add_argument(
        "--runs", type=int, default=1, help="number of simulations, seeds N, N+1, ... (1)"
    )
    parser.add_argument(
        "--rule",
        default="conservative",
        choices=["conservative", "consensus", "highest"],
        help="how counters are combined (conservative)",
    )


def run(args: argparse.Namespace) -> int:
    from stats.errors import UserError
    from stats.simulate import run_simulations

    if args.runs < 1:
        raise UserError(f"--runs: {args.runs} is not a positive number of simulations")
    res = run_simulations(range(args.seed, args.seed + args.runs), rule=args.rule)
    cols = {
        "seed": "seed", "claims": "claims", "figures": "figures", "conflicts": "conflicts",
        "coverage_hard": "cover hard", "coverage_state_space": "cover ss90",
        "mape_linear": "MAPE lin", "mape_pchip": "MAPE pchip", "mape_state_space": "MAPE ss",
        "mae_killed_linear": "MAE killed lin", "mae_killed_pchip": "MAE killed pchip",
        "mae_killed_state_space": "MAE killed ss",
    }  # fmt: skip
    table = res[list(cols)].rename(columns=cols)
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if len(res) > 1:
        mean = res[list(cols)[1:]].mean()
        print("mean   " + "  ".join(f"{cols[k]}={v:.3f}" for k, v in mean.items()))
    print(
        f"days scored per run: {int(res['days'].iloc[0])} (4 series x days, combined "
        "counter; last 3 days a nowcast); targets: coverage >= 0.90"
    )
    return 0
