"""Benchmark: concurrent recorded responses through the embedding API on PostgreSQL,
against pgbench inserting single rows with the same number of clients, in the same run.

cogov: one process, N threads, each a member giving responses (to 32 proposals spread, or
all to one) as fast as it can for the round's seconds. pgbench: N clients, each inserting
one row per transaction into a scratch table; and the same with the table locked per
insert as eventsourcing locks its events table, for reference. Rounds alternate between
the figures; medians are reported.
Run:  .venv/bin/python -m bench.concurrent_writes [--clients 8] [--seconds 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable

import psycopg
from rich.console import Console
from rich.table import Table

from bench.scenario import scenario
from bench.stores import POSTGRES, store_url
from cogov.application import Governance
from cogov.infrastructure import open_governance

STANCES = ("consent", "abstain", "stand_aside")
PROPOSALS = 32


def responses_per_second(
    gov: Governance, members: list[str], proposals: list[str], seconds: float
) -> float:
    stop = threading.Event()
    counts = [0] * len(members)
    failures: list[BaseException] = []

    def member(i: int) -> None:
        turn = 0
        try:
            while not stop.is_set():
                proposal = proposals[(i + turn) % len(proposals)]
                gov.respond(proposal, stance=STANCES[turn % 3], actor=members[i])
                counts[i] += 1
                turn += 1
        except BaseException as e:  # reported after the round
            failures.append(e)

    threads = [threading.Thread(target=member, args=(i,)) for i in range(len(members))]
    started = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return sum(counts) / (time.perf_counter() - started)


def pgbench(script: str, clients: int, seconds: int) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as f:
        f.write(script)
        f.flush()
        load = ["-c", str(clients), "-j", str(min(clients, 2)), "-T", str(seconds)]
        done = subprocess.run(
            ["pgbench", "-n", *load, "-f", f.name, POSTGRES],
            capture_output=True,
            text=True,
            check=False,
        )
    found = re.search(r"tps = ([0-9.]+)", done.stdout)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"pgbench failed: {done.stdout}{done.stderr}")
    return float(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("pgbench") is None:
        raise SystemExit("bench.concurrent_writes needs pgbench (Debian: postgresql-client)")
    scratch = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{scratch}"')
        conn.execute(f'CREATE TABLE "{scratch}".rows (id BIGSERIAL PRIMARY KEY, v INT)')
    insert = f'INSERT INTO "{scratch}".rows (v) VALUES (1);\n'
    locked = f'BEGIN;\nLOCK TABLE "{scratch}".rows IN EXCLUSIVE MODE;\n{insert}COMMIT;\n'
    figures: dict[str, list[float]] = {}
    try:
        with store_url("postgres") as url:
            gov = open_governance(url)
            try:
                bench = scenario(gov, electors=args.clients, proposals=PROPOSALS)
                members = bench.electors
                proposals = [str(p) for p in bench.proposals]
                for r in range(args.rounds):
                    Console().print(f"round {r + 1} of {args.rounds}", style="dim")
                    runs: dict[str, Callable[[], float]] = {
                        "pgbench INSERT": lambda: pgbench(insert, args.clients, args.seconds),
                        "pgbench LOCK TABLE + INSERT": lambda: pgbench(
                            locked, args.clients, args.seconds
                        ),
                        "cogov responses, 32 proposals": lambda: responses_per_second(
                            gov, members, proposals, args.seconds
                        ),
                        "cogov responses, one proposal": lambda: responses_per_second(
                            gov, members, proposals[:1], args.seconds
                        ),
                    }
                    for name, run in runs.items():
                        figures.setdefault(name, []).append(run())
            finally:
                gov.close()
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{scratch}" CASCADE')
    base = statistics.median(figures["pgbench INSERT"])
    table = Table(
        title=f"Recorded writes at {args.clients} clients on PostgreSQL "
        f"(medians of {args.rounds} rounds of {args.seconds} s)"
    )
    for column in ("figure", "per second", "/ pgbench INSERT (goal for cogov: 0.5)"):
        table.add_column(column, justify="right")
    for name, values in figures.items():
        rate = statistics.median(values)
        table.add_row(name, f"{rate:,.0f}", f"{rate / base:.2f}x")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
