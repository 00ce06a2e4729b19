"""Benchmark: the cost of recording a response, against a bare save of one event.

The bar (docs/design.md): recording a response costs at most 1.25x a bare eventsourcing save of one
event on the same store. Both are measured in the same run, on the same application and
store, alternating in rounds so that machine noise hits both alike.
Run:  .venv/bin/python -m bench.response_cost [--rounds 5] [--ops 200] [--stores ...]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from eventsourcing.domain import Aggregate, event
from rich.console import Console
from rich.table import Table

from bench.scenario import scenario
from bench.stores import store_url
from cogov.application import Governance
from cogov.infrastructure import open_governance

STANCES = ["consent", "abstain", "stand_aside"]


class Tally(Aggregate):
    """The baseline: an aggregate whose save is one event and nothing else."""

    @event("Counted")
    def count(self) -> None:
        pass


def bare_saves(gov: Governance, ops: int) -> float:
    tally = Tally()
    gov.save(tally)
    start = time.perf_counter()
    for _ in range(ops):
        tally.count()
        gov.save(tally)
    return (time.perf_counter() - start) / ops


def responses(gov: Governance, proposal_id: Any, electors: list[str], ops: int) -> float:
    start = time.perf_counter()
    for i in range(ops):
        member = electors[i % len(electors)]
        gov.respond(proposal_id, stance=STANCES[(i // len(electors)) % 3], actor=member)
    return (time.perf_counter() - start) / ops


def measure(url: str, rounds: int, ops: int) -> dict[str, float]:
    gov = open_governance(url)
    try:
        bench = scenario(gov, electors=12)
        electors, proposal = bench.electors, bench.proposals[0]
        bare, respond = [], []
        for _ in range(rounds):
            bare.append(bare_saves(gov, ops))
            respond.append(responses(gov, proposal, electors, ops))
        b, r = statistics.median(bare), statistics.median(respond)
        return {"bare_ms": b * 1000, "respond_ms": r * 1000, "ratio": r / b}
    finally:
        gov.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--stores", nargs="+", default=["memory", "sqlite", "postgres"])
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    for store in args.stores:
        with store_url(store) as url:
            results[store] = measure(url, args.rounds, args.ops)
    table = Table(title="Recording a response vs a bare save of one event (medians)")
    for column in ("store", "bare save ms", "respond ms", "respond / bare (goal <= 1.25)"):
        table.add_column(column, justify="right")
    for store, r in results.items():
        table.add_row(store, f"{r['bare_ms']:.3f}", f"{r['respond_ms']:.3f}", f"{r['ratio']:.2f}")
    Console().print(table)


if __name__ == "__main__":
    main()
