"""Benchmark: exact voting power for large electorates, against a fixed small workload.

The goal (the performance issue): exact power for 1,000 electors in 6 perspective classes
under 50 ms. Measured here for majority and supermajority (2/3) with two required
perspectives at 1,000 electors, and with three required perspectives (held in every
combination) at 100 electors, where counting by class used to grow steeply; each game from
a cold cache (a power shift that changes the electorate computes the game afresh); and
with three required perspectives at 1,000 electors of whom 20 hold more than one.

The baseline, measured in the same run and alternating with it in rounds so that machine
noise hits both alike, is the brute-force oracle the tests use: the normalised Banzhaf index
of 12 electors by enumerating all 4,096 coalitions and judging each with `Game.wins`. It is
pure Python of the same kind (rule checks on exact fractions, dictionaries), it does not
change when the exact algorithm does, and 12 is the largest size the oracle is run at for
comparison, so the ratio says how many brute-force games of 12 one exact game costs.
The absolute median in ms is reported beside it, and so is the ratio measured the same way
before the counting by class was rewritten (`BEFORE`).
Run:  .venv/bin/python -m bench.voting_power [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from fractions import Fraction
from functools import partial

import attrs
from rich.console import Console
from rich.table import Table

from cogov.domain import voting
from cogov.domain.language import DecisionRule
from cogov.domain.power import Game, banzhaf, voting_power

CLASSES = [
    ["public"],
    ["researcher"],
    ["practitioner"],
    ["public", "researcher"],
    ["public", "practitioner"],
    ["researcher", "practitioner"],
]
# every combination of the three perspectives, and one outside them
ALL_CLASSES = [*CLASSES, ["public", "researcher", "practitioner"], ["funder"]]
TWO = ("public", "researcher")
THREE = ("public", "researcher", "practitioner")
MAJORITY, SUPERMAJORITY = DecisionRule.MAJORITY, DecisionRule.SUPERMAJORITY


@attrs.frozen
class Case:
    rule: DecisionRule
    required: tuple[str, ...]
    electors: int
    classes: int
    overlapping: int = 0  # if not 0: this many hold two or three, the rest one or none

    @property
    def name(self) -> str:
        spread = f", {self.overlapping} holding more than one" if self.overlapping else ""
        return (
            f"{self.rule.value}, {self.electors} electors in {self.classes} classes{spread}, "
            f"required {' + '.join(self.required)}"
        )

    def electorate(self) -> dict[str, list[str]]:
        if self.overlapping:
            more, one = ALL_CLASSES[3:7], [*ALL_CLASSES[:3], ALL_CLASSES[7]]
            members = {f"o{i}": more[i % 4] for i in range(self.overlapping)}
            rest = range(self.electors - self.overlapping)
            return members | {f"s{i}": one[i % 4] for i in rest}
        pool = CLASSES if self.classes == len(CLASSES) else ALL_CLASSES
        return {f"m{i}": pool[i % len(pool)] for i in range(self.electors)}


CASES = [
    Case(MAJORITY, TWO, 1000, 6),
    Case(SUPERMAJORITY, TWO, 1000, 6),
    Case(MAJORITY, THREE, 100, 8),
    Case(SUPERMAJORITY, THREE, 100, 8),
    Case(MAJORITY, THREE, 1000, 8, overlapping=20),
]
GOAL = {CASES[0]: "< 50 ms", CASES[1]: "< 50 ms"}

# x brute force of 12 electors, measured with this file before counting by class was rewritten
# (medians of 7 interleaved rounds; the baseline then took 97.5 ms, and the four games 151.9,
# 90.5, 4,335.8 and 2,054.7 ms)
BEFORE = {CASES[0]: 1.56, CASES[1]: 0.93, CASES[2]: 44.48, CASES[3]: 21.08}


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
    args = parser.parse_args()
    small = {f"m{i}": CLASSES[i % len(CLASSES)] for i in range(12)}
    runs: list[tuple[str, Callable[[], float]]] = [
        ("baseline", partial(brute_force, Game(MAJORITY, Fraction(2, 3), TWO), small))
    ]
    for case in CASES:
        game = Game(case.rule, Fraction(2, 3), case.required)
        runs.append((case.name, partial(exact, game, case.electorate())))
    timings: dict[str, list[float]] = {name: [] for name, _ in runs}
    for _ in range(args.rounds):
        for name, run in runs:
            timings[name].append(run())
    baseline = statistics.median(timings["baseline"])
    table = Table(title=f"Exact voting power (medians of {args.rounds} interleaved rounds)")
    for column in ("game", "median ms", "x brute force of 12 electors", "before", "goal"):
        table.add_column(column, justify="right")
    table.add_row("brute force, 12 electors (baseline)", f"{baseline * 1000:.1f}", "1.00", "", "")
    for case in CASES:
        median = statistics.median(timings[case.name])
        table.add_row(
            case.name,
            f"{median * 1000:.1f}",
            f"{median / baseline:.2f}",
            f"{BEFORE[case]:.2f}" if case in BEFORE else "",
            GOAL.get(case, ""),
        )
    Console().print(table)


if __name__ == "__main__":
    main()
