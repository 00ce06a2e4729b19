"""Benchmark: how fast the views catch up, and how fast "power as of T" answers.

For each store, records a project of N events (default 100,000), then measures in one run:
- the raw read rate: the store's recorder selecting every notification and decoding it into
  domain events, which is the floor any projection pays;
- the rebuild rate: dropping the views and applying every event again;
- "power as of T" at random times across the project's life (median and 95th percentile).

Rates are reported beside their baseline as a ratio, because these machines are noisy.
Run:  .venv/bin/python -m bench.catch_up [--events 100000] [--stores sqlite postgres]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.stores import store_url
from cogov.application import Governance
from cogov.infrastructure import open_governance
from tests.workload import generate


def raw_read(gov: Governance, batch: int = 1000) -> float:
    """Seconds to select and decode every stored event."""
    start = time.perf_counter()
    position = 0
    while True:
        notifications = gov.recorder.select_notifications(
            start=position, limit=batch, inclusive_of_start=False
        )
        for n in notifications:
            gov.mapper.to_domain_event(n)
        if len(notifications) < batch:
            break
        position = int(notifications[-1].id)
    return time.perf_counter() - start


def power_queries(gov: Governance, project_id: Any, samples: int = 200) -> list[float]:
    rows = gov.power_timeline(project_id, limit=1000)
    first = datetime.fromisoformat(rows[0].as_of)
    last = datetime.fromisoformat(gov.power_timeline(project_id, limit=1)[0].as_of)
    last = max(last, datetime.now(UTC))
    rng = random.Random(1)
    timings = []
    for _ in range(samples):
        moment = first + (last - first) * rng.random()
        start = time.perf_counter()
        gov.power_as_of(project_id, moment)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def measure(url: str, events: int, console: Console) -> dict[str, Any]:
    gov = open_governance(url)
    try:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(f"recording {events:,} events", total=events)
            project_id = generate(gov, events, progress=lambda p: bar.update(task, completed=p))
        stored = gov.max_position()
        read_s = raw_read(gov)
        start = time.perf_counter()
        gov.rebuild_views()
        rebuild_s = time.perf_counter() - start
        timings = power_queries(gov, project_id)
        return {
            "events": stored,
            "raw_read_per_s": stored / read_s,
            "rebuild_per_s": stored / rebuild_s,
            "rebuild_to_raw_read": read_s / rebuild_s,
            "power_as_of_median_ms": statistics.median(timings),
            "power_as_of_p95_ms": statistics.quantiles(timings, n=20)[-1],
        }
    finally:
        gov.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    console = Console()
    results: dict[str, dict[str, Any]] = {}
    for store in args.stores:
        with store_url(store) as url:
            results[store] = measure(url, args.events, console)
    table = Table(title=f"View catch-up and power queries ({args.events:,} events)")
    for column in (
        "store",
        "raw read ev/s",
        "rebuild ev/s",
        "rebuild / raw read",
        "power as of T median ms",
        "p95 ms",
    ):
        table.add_column(column, justify="right")
    for store, r in results.items():
        table.add_row(
            store,
            f"{r['raw_read_per_s']:,.0f}",
            f"{r['rebuild_per_s']:,.0f}",
            f"{r['rebuild_to_raw_read']:.2f}",
            f"{r['power_as_of_median_ms']:.2f}",
            f"{r['power_as_of_p95_ms']:.2f}",
        )
    console.print(table)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
