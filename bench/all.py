"""Run every benchmark and write docs/performance.md: `make bench`.

Each benchmark runs as its own process (so one's caches and threads never touch the
next) and prints its figures beside a baseline measured in the same run, with the ratio;
this collects those tables under a description of the machine. The default sizes finish in
minutes on a 2-core machine; `--full` runs the sizes the benchmarks default to.
Run:  .venv/bin/python -m bench.all [--full] [--only NAME ...] [--out docs/performance.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import psycopg
from rich.console import Console

from bench.stores import POSTGRES

ROOT = Path(__file__).resolve().parents[1]


TWO_WORKERS = ("--workers", "2", "--stores", "postgres", "--only", "respond", "healthz")


@dataclass(frozen=True)
class Benchmark:
    name: str
    what: str  # the figure and its baseline, in a sentence
    quick: tuple[str, ...]  # arguments for the default run
    full: tuple[str, ...] = ()  # arguments for --full (the benchmark's own defaults)
    module: str = ""  # bench.<module> if not bench.<name>

    @property
    def runs(self) -> str:
        return f"bench.{self.module or self.name}"


BENCHMARKS = (
    Benchmark(
        "response_cost",
        "recording a response in process against a bare eventsourcing save of one event on "
        "the same store (bar: at most 1.25x)",
        ("--rounds", "5", "--ops", "200"),
    ),
    Benchmark(
        "decision_pages",
        "a page of 100 decisions over HTTP in process against the same page of a project of "
        "1,000 events (goal: the same at every size, up to 1M events)",
        ("--sizes", "1000", "10000", "1000000", "--rounds", "3", "--repeat", "10"),
        ("--sizes", "1000", "10000", "100000", "1000000", "--rounds", "5", "--repeat", "20"),
    ),
    Benchmark(
        "decision_pages_postgres",
        "the same on PostgreSQL",
        ("--store", "postgres", "--sizes", "1000", "100000", "--rounds", "3", "--repeat", "10"),
        ("--store", "postgres", "--sizes", "1000", "1000000", "--rounds", "5", "--repeat", "20"),
        module="decision_pages",
    ),
    Benchmark(
        "http_load",
        "cogov over HTTP under wrk at 1, 8 and 32 connections against a FastAPI endpoint doing "
        "a bare eventsourcing save and one answering constant JSON, served the same way "
        "(goals: responses 0.9x the bare save, GET power 0.5x and a decisions page 0.3x the "
        "constant JSON)",
        ("--seconds", "2", "--rounds", "3"),
        ("--seconds", "5", "--rounds", "5"),
    ),
    Benchmark(
        "http_load_workers",
        "the same over HTTP with two server processes on PostgreSQL: responses against "
        "cogov's own /healthz, the framework's floor (goal: at least 0.5x at 8 clients)",
        (*TWO_WORKERS, "--seconds", "2", "--rounds", "3"),
        TWO_WORKERS,
        module="http_load",
    ),
    Benchmark(
        "growth",
        "GET power and a page of decisions of one project in a store of 1,000 projects "
        "against the same project alone in its store (goal: the same cost)",
        ("--projects", "1", "1000", "--rounds", "3", "--repeat", "10"),
        ("--projects", "1", "10000", "--rounds", "5", "--repeat", "20"),
    ),
    Benchmark(
        "concurrent_writes",
        "responses recorded by 8 threads through the embedding API on PostgreSQL against "
        "pgbench inserting single rows with 8 clients (goal: at least 0.5x)",
        ("--seconds", "3", "--rounds", "3"),
        ("--seconds", "5", "--rounds", "5"),
    ),
    Benchmark(
        "catch_up",
        "rebuilding the views against reading and decoding the same events raw (goal: at "
        "least 0.5x), and power as of a moment",
        ("--events", "10000"),
    ),
    Benchmark(
        "verifiable_log",
        "appending to and proving from the verifiable log",
        ("--events", "10000", "--rounds", "5", "--ops", "200"),
    ),
    Benchmark(
        "voting_power",
        "exact voting power by classes of member against a brute-force count over every "
        "coalition (goal: 1,000 electors in 6 classes under 50 ms)",
        ("--rounds", "5"),
    ),
)


def machine() -> list[tuple[str, str]]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    with_name = Path("/proc/cpuinfo")
    if with_name.exists():
        for line in with_name.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    try:
        with psycopg.connect(POSTGRES, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            postgres = str(row[0]) if row else "unknown"
    except psycopg.Error:
        postgres = "not reachable (its figures are missing)"
    return [
        ("processor", f"{cpu}, {os.cpu_count()} cores"),
        ("memory", memory),
        ("system", platform.platform()),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", postgres),
        ("eventsourcing", version("eventsourcing")),
    ]


def run(benchmark: Benchmark, full: bool) -> tuple[str, float, int]:
    """The benchmark's printed tables, its seconds and its exit code."""
    arguments = benchmark.full if full else benchmark.quick
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", benchmark.runs, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "110", "NO_COLOR": "1", "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    text = done.stdout if done.returncode == 0 else done.stdout + done.stderr[-2000:]
    return text.strip("\n").rstrip(), time.monotonic() - start, done.returncode


def document(results: list[tuple[Benchmark, str, float, int]], full: bool) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Performance",
        "",
        "Made by `make bench` (`python -m bench.all" + (" --full" if full else "") + "`)",
        f"on {when}. Every figure stands beside a baseline measured in the same run, and",
        "the ratio between them is what to read: these machines are small and shared, so",
        "absolute times move from run to run while ratios hold. Rounds alternate between a",
        "figure and its baseline, and medians are reported. Run it again to check.",
        "",
        "## The machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine()),
        "",
    ]
    for benchmark, text, seconds, code in results:
        arguments = " ".join(benchmark.full if full else benchmark.quick)
        lines += [
            f"## {benchmark.name}",
            "",
            f"{benchmark.what[:1].upper()}{benchmark.what[1:]}. "
            f"`python -m {benchmark.runs} {arguments}`".rstrip()
            + f", {seconds:.0f} s"
            + ("" if code == 0 else f", **failed with exit code {code}**")
            + ".",
            "",
            "```",
            text,
            "```",
            "",
        ]
    lines += [
        "## Larger runs",
        "",
        "`make bench BENCH=--full` takes the benchmarks' own sizes: a page of decisions at 1M",
        "events on PostgreSQL too (about ten minutes to record), growth to 10,000 projects.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the benchmarks' own sizes")
    parser.add_argument("--only", nargs="+", choices=[b.name for b in BENCHMARKS])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args()
    console = Console(stderr=True)
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]
    results = []
    for i, benchmark in enumerate(chosen, 1):
        console.print(f"[{i}/{len(chosen)}] {benchmark.name}: {benchmark.what}")
        text, seconds, code = run(benchmark, args.full)
        console.print(f"      {seconds:.0f} s" + ("" if code == 0 else f", exit code {code}"))
        results.append((benchmark, text, seconds, code))
    args.out.write_text(document(results, args.full), encoding="utf-8")
    console.print(f"wrote {args.out}")
    if any(code for *_, code in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
