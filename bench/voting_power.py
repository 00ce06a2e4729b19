"""Benchmark: exact voting power for a large electorate, against a fixed small workload.

The goal (the performance issue): exact power for 1,000 electors in 6 perspective classes
under 50 ms. Measured here for majority and supermajority (2/3) with two required
perspectives, from a cold cache each time (a power shift that changes the electorate
computes the game afresh).

The baseline, measured in the same run and alternating with it in rounds so that machine
noise hits both alike, is the brute-force oracle the tests use: the normalised Banzhaf index
of 12 electors by enumerating all 4,096 coalitions and judging each with `Game.wins`. It is
pure Python of the same kind (rule checks on exact fractions, dictionaries), it does not
change when the exact algorithm does, and 12 is the largest size the oracle is run at for
comparison, so the ratio says how many brute-force games of 12 one game of 1,000 costs.
The absolute median in ms is reported beside it.
Run:  .venv/bin/python -m bench.voting_power [--rounds 7] [--electors 1000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from fractions import Fraction
from functools import partial

from rich.console import Console
from rich.table import Table

from cogov.domain import voting
from cogov.domain.language import DecisionRule
from cogov.domain.power import Game, banzhaf, voting_power

REQUIRED = ("public", "researcher")
CLASSES = [
    ["public"],
    ["researcher"],
    ["practitioner"],
    ["public", "researcher"],
    ["public", "practitioner"],
    ["researcher", "practitioner"],
]
RULES = [DecisionRule.MAJORITY, DecisionRule.SUPERMAJORITY]


def electorate(size: int) -> dict[str, list[str]]:
    return {f"m{i}": CLASSES[i % len(CLASSES)] for i in range(size)}


def exact(game: Game, members: dict[str, list[str]]) -> float:
    for cached in (voting._shares_by_kind, voting._row, voting._tail):
        cached.cache_clear()  # cold: every call computes the game afresh
    start = time.perf_counter()
    voting_power(game, members)
    return time.perf_counter() - start


def brute_force(game: Game, members: dict[str, list[str]]) -> float:
    start = time.perf_counter()
    banzhaf(list(members), lambda coalition: game.wins(members, coalition))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--electors", type=int, default=1000)
    args = parser.parse_args()
    large, small = electorate(args.electors), electorate(12)
    games = {rule: Game(rule, Fraction(2, 3), REQUIRED) for rule in RULES}
    runs: list[tuple[str, Callable[[], float]]] = [
        ("baseline", partial(brute_force, games[DecisionRule.MAJORITY], small))
    ]
    runs += [(rule.value, partial(exact, games[rule], large)) for rule in RULES]
    timings: dict[str, list[float]] = {name: [] for name, _ in runs}
    for _ in range(args.rounds):
        for name, run in runs:
            timings[name].append(run())
    baseline = statistics.median(timings["baseline"])
    table = Table(
        title=f"Exact voting power, {args.electors} electors in {len(CLASSES)} classes "
        f"(medians of {args.rounds} interleaved rounds)"
    )
    for column in ("game", "median ms", "x brute force of 12 electors", "goal"):
        table.add_column(column, justify="right")
    table.add_row("brute force, 12 electors (baseline)", f"{baseline * 1000:.1f}", "1.00", "")
    for rule in RULES:
        median = statistics.median(timings[rule.value])
        table.add_row(
            f"{rule.value}, required {' + '.join(REQUIRED)}",
            f"{median * 1000:.1f}",
            f"{median / baseline:.2f}",
            "< 50 ms",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
