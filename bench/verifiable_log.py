"""Benchmark: the verifiable log against what it sits on.

For each store, records a project of N events (default 100,000), then measures in one run:
- appending a leaf (rendering the event as the trail shows it, canonical JSON, SHA-256, the
  tree nodes it completes) beside recording a response, on the same events, in interleaved
  rounds; the bar: under 10% of recording the event;
- inclusion and consistency proofs at that size (the bar: under 5 ms);
- `audit verify` over the whole store, beside the raw read-and-decode rate (the bar: at
  least 20,000 events/s).
Run:  .venv/bin/python -m bench.verifiable_log [--events 100000] [--stores sqlite postgres]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.catch_up import raw_read
from bench.scenario import scenario
from bench.stores import store_url
from cogov.application import Governance, merkle
from cogov.application.verifiable_log import event_leaf
from cogov.infrastructure import open_governance
from tests.workload import generate

STANCES = ["consent", "abstain", "stand_aside"]


def record_round(gov: Governance, proposal: Any, electors: list[str], ops: int) -> float:
    """Seconds per recorded response."""
    start = time.perf_counter()
    for i in range(ops):
        gov.respond(
            proposal, stance=STANCES[(i // len(electors)) % 3], actor=electors[i % len(electors)]
        )
    return (time.perf_counter() - start) / ops


def leaf_round(gov: Governance, ops: int, tree: merkle.MemoryNodes) -> float:
    """Seconds per leaf appended, for the last `ops` stored events: what the projection
    does for each (its tree nodes kept in memory here, written with the views' batch)."""
    head = gov.max_position()
    notifications = gov.recorder.select_notifications(start=head - ops + 1, limit=ops)
    events = [(int(n.id), gov.mapper.to_domain_event(n)) for n in notifications]
    start = time.perf_counter()
    leaves = [merkle.leaf_hash(event_leaf(p, e)) for p, e in events]
    tree.append(leaves)
    return (time.perf_counter() - start) / len(events)


def proof_times(gov: Governance, samples: int) -> tuple[list[float], list[float]]:
    size = gov.verifiable_log.size()
    positions = [e.position for e in gov.events_after(0, 1000)]
    rng = random.Random(1)
    inclusion, consistency = [], []
    for _ in range(samples):
        position = rng.choice(positions)
        start = time.perf_counter()
        gov.inclusion_proof(position)
        inclusion.append((time.perf_counter() - start) * 1000)
        old = rng.randrange(1, size)
        start = time.perf_counter()
        gov.consistency_proof(old, size)
        consistency.append((time.perf_counter() - start) * 1000)
    return inclusion, consistency


def measure(url: str, events: int, rounds: int, ops: int, console: Console) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as keys:
        gov = open_governance(url, signing_key=Path(keys) / "bench.key")
        try:
            return _measure(gov, events, rounds, ops, console)
        finally:
            gov.close()


def _measure(
    gov: Governance, events: int, rounds: int, ops: int, console: Console
) -> dict[str, Any]:
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"recording {events:,} events", total=events)
        generate(gov, events, progress=lambda p: bar.update(task, completed=p))
    bench = scenario(gov, electors=10)
    electors, proposal = bench.electors, bench.proposals[0]
    tree = merkle.MemoryNodes()
    recording, appending = [], []
    for _ in range(rounds):  # interleaved, so machine noise hits both alike
        recording.append(record_round(gov, proposal, electors, ops))
        appending.append(leaf_round(gov, ops, tree))
    gov.catch_up()
    inclusion, consistency = proof_times(gov, 200)
    read_s = raw_read(gov)
    stored = gov.max_position()
    start = time.perf_counter()
    verdict = gov.verify_log()
    verify_s = time.perf_counter() - start
    assert verdict.ok, verdict.problems
    return {
        "events": stored,
        "record_ms": statistics.median(recording) * 1000,
        "leaf_ms": statistics.median(appending) * 1000,
        "leaf_to_record": statistics.median(
            a / r for a, r in zip(appending, recording, strict=True)
        ),
        "inclusion_median_ms": statistics.median(inclusion),
        "inclusion_p95_ms": statistics.quantiles(inclusion, n=20)[-1],
        "consistency_median_ms": statistics.median(consistency),
        "verify_per_s": verdict.events / verify_s,
        "raw_read_per_s": stored / read_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--ops", type=int, default=300)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    console = Console()
    results: dict[str, dict[str, Any]] = {}
    for store in args.stores:
        with store_url(store) as url:
            results[store] = measure(url, args.events, args.rounds, args.ops, console)
    table = Table(title=f"The verifiable log at {args.events:,} events")
    for column in (
        "store",
        "leaf / record",
        "inclusion ms (median, p95)",
        "consistency ms",
        "verify ev/s",
        "raw read ev/s",
    ):
        table.add_column(column, justify="right")
    for store, r in results.items():
        table.add_row(
            store,
            f"{r['leaf_to_record']:.3f} ({r['leaf_ms']:.3f} / {r['record_ms']:.3f} ms)",
            f"{r['inclusion_median_ms']:.2f}, {r['inclusion_p95_ms']:.2f}",
            f"{r['consistency_median_ms']:.2f}",
            f"{r['verify_per_s']:,.0f}",
            f"{r['raw_read_per_s']:,.0f}",
        )
    console.print(table)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
