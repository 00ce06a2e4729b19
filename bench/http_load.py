"""Benchmark: cogov over HTTP against the least the same framework can do, under load.

Two servers run side by side on the same machine and the same kind of store: `cogov serve`
and bench/baseline_app.py under uvicorn (a bare eventsourcing save, constant JSON), each in
its own processes with the same number of workers. wrk (C, so the load generator costs the
machine little) drives each figure at 1, 8 and 32 connections; rounds alternate between
every figure and its baseline so that noise hits both alike, and medians are reported.

Figures and the baseline each is read against (goals from the performance issue):
- recording a response, spread over 32 proposals, and on one hot proposal: the bare save
  (goal: at least 0.9x; one hot proposal: p99 under 100 ms at 32 clients);
- GET power and a page of GET decisions: the constant JSON (goals 0.5x and 0.3x);
- GET /healthz: cogov's own floor, beside the constant JSON.
Run:  .venv/bin/python -m bench.http_load [--stores sqlite postgres] [--clients 1 8 32]
      [--seconds 3] [--rounds 3] [--workers 1]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from rich.console import Console
from rich.table import Table

from bench.stores import store_url
from tests.support import free_port, start_server

ADMIN = "bench-admin-token-0123456789abcdef"
LUA = Path(__file__).with_name("wrk_requests.lua")
STANCES = ("consent", "abstain", "stand_aside")
PERSPECTIVES = ("researcher", "practitioner", "public")
MEMBERS = 32
PROPOSALS = 32


@dataclass(frozen=True)
class Figure:
    name: str
    server: str  # "cogov" or "baseline"
    baseline: str | None = None  # the figure it is read against
    goal: float | None = None  # the least ratio to its baseline


FIGURES = (
    Figure("bare save", "baseline"),
    Figure("constant JSON", "baseline"),
    Figure("respond, 32 proposals", "cogov", "bare save", 0.9),
    Figure("respond, one proposal", "cogov", "bare save", 0.9),
    Figure("GET power", "cogov", "constant JSON", 0.5),
    Figure("GET decisions (100)", "cogov", "constant JSON", 0.3),
    Figure("GET /healthz", "cogov", "constant JSON"),
)


@dataclass(frozen=True)
class Run:
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def baseline_env(store: str, url: str) -> dict[str, str]:
    """eventsourcing's own settings for the same kind of store as `url`."""
    if store == "sqlite":
        path = url.removeprefix("sqlite:///")
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path}
    parts = urlsplit(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "",
        "POSTGRES_PASSWORD": parts.password or "",
        "POSTGRES_SCHEMA": parse_qs(parts.query).get("schema", [""])[0],
    }


@contextlib.contextmanager
def baseline_server(store: str, url: str, workers: int) -> Iterator[str]:
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.baseline_app", str(port), str(workers)],
        env={**os.environ, **baseline_env(store, url)},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/constant", timeout=1).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise SystemExit(f"the baseline server did not start:\n{log.read().decode()}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextlib.contextmanager
def cogov_server(url: str, workers: int) -> Iterator[str]:
    base, proc = start_server(url, ADMIN, workers=workers)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def seed(base: str) -> dict[str, list[str]]:
    """A project of 32 members and 33 open proposals; the requests of each cogov figure, as
    lines of METHOD, PATH, TOKEN and BODY."""
    with httpx.Client(base_url=base, timeout=30) as http:
        founded = http.post(
            "/projects",
            json={
                "title": "Bench",
                "founder": {"display_name": "F", "perspectives": ["researcher"]},
            },
            headers={"Authorization": f"Bearer {ADMIN}"},
        ).json()
        pid, founder = founded["id"], founded["founder_token"]
        tokens = [founder] + [
            http.post(
                f"/projects/{pid}/members",
                json={"display_name": f"M{i}", "perspectives": [PERSPECTIVES[i % 3]]},
                headers={"Authorization": f"Bearer {founder}"},
            ).json()["token"]
            for i in range(1, MEMBERS)
        ]
        proposals = [
            http.post(
                f"/projects/{pid}/proposals",
                json={"title": f"P{i}", "text": "T", "area": "operations"},
                headers={"Authorization": f"Bearer {founder}"},
            ).json()["id"]
            for i in range(PROPOSALS + 1)
        ]
    hot, spread = proposals[0], proposals[1:]

    def respond(member: int, proposal: str, turn: int) -> str:
        body = json.dumps({"stance": STANCES[turn % 3]})
        return f"POST\t/proposals/{proposal}/responses\t{tokens[member]}\t{body}"

    n = MEMBERS * PROPOSALS
    return {
        "respond, 32 proposals": [
            respond(k % MEMBERS, spread[(k + k // MEMBERS) % PROPOSALS], k // n)
            for k in range(3 * n)
        ],
        "respond, one proposal": [respond(k % MEMBERS, hot, k // MEMBERS) for k in range(96)],
        "GET power": [f"GET\t/projects/{pid}/power\t{founder}\t"],
        "GET decisions (100)": [f"GET\t/projects/{pid}/decisions?limit=100\t{founder}\t"],
        "GET /healthz": ["GET\t/healthz\t\t"],
        "bare save": ["POST\t/save\t\t"],
        "constant JSON": ["GET\t/constant\t\t"],
    }


def wrk(base: str, requests: Path, clients: int, seconds: int) -> Run:
    load = ["-c", str(clients), "-t", str(min(clients, 2)), "-d", f"{seconds}s", "--timeout", "10s"]
    done = subprocess.run(
        ["wrk", *load, "-s", str(LUA), base, "--", str(requests)],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"wrk failed: {done.stdout}{done.stderr}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return Run(
        per_second=found["requests"] / (found["duration_us"] / 1e6),
        p50_ms=found["p50_us"] / 1000,
        p99_ms=found["p99_us"] / 1000,
        errors=found["non_2xx"] + found["socket_errors"],
    )


def measure(
    store: str,
    clients: list[int],
    seconds: int,
    rounds: int,
    workers: int,
    figures: Sequence[Figure],
    console: Console,
) -> dict[tuple[str, int], list[Run]]:
    runs: dict[tuple[str, int], list[Run]] = {}
    with (
        store_url(store) as cogov_url,
        store_url(store) as bare_url,
        cogov_server(cogov_url, workers) as cogov,
        baseline_server(store, bare_url, workers) as baseline,
        tempfile.TemporaryDirectory() as tmp,
    ):
        files: dict[str, Path] = {}
        for name, lines in seed(cogov).items():
            files[name] = Path(tmp) / f"{len(files)}.tsv"
            files[name].write_text("\n".join(lines) + "\n")
        bases = {"cogov": cogov, "baseline": baseline}
        for r in range(rounds):
            console.print(f"{store}: round {r + 1} of {rounds}", style="dim")
            for c in clients:
                for f in figures:
                    run = wrk(bases[f.server], files[f.name], c, seconds)
                    runs.setdefault((f.name, c), []).append(run)
    return runs


def table(
    store: str,
    runs: dict[tuple[str, int], list[Run]],
    clients: list[int],
    workers: int,
    figures: Sequence[Figure],
) -> Table:
    t = Table(title=f"cogov over HTTP against its baselines ({store}, {workers} worker(s))")
    for column in ("figure", "clients", "req/s", "p50 ms", "p99 ms", "errors", "baseline req/s"):
        t.add_column(column, justify="right")
    t.add_column("ratio (goal)", justify="right")
    t.add_column("/ healthz", justify="right")
    for f in figures:
        for c in clients:
            got = runs[(f.name, c)]
            rate = statistics.median(r.per_second for r in got)
            row = [
                f.name,
                str(c),
                f"{rate:,.0f}",
                f"{statistics.median(r.p50_ms for r in got):.1f}",
                f"{statistics.median(r.p99_ms for r in got):.1f}",
                str(sum(r.errors for r in got)),
            ]
            if f.baseline is None or (f.baseline, c) not in runs:
                row += ["", ""]
            else:
                base = statistics.median(r.per_second for r in runs[(f.baseline, c)])
                goal = f" ({f.goal})" if f.goal else ""
                row += [f"{base:,.0f}", f"{rate / base:.2f}x{goal}"]
            floor = runs.get(("GET /healthz", c))
            if floor and f.name != "GET /healthz":
                row.append(f"{rate / statistics.median(r.per_second for r in floor):.2f}x")
            else:
                row.append("")
            t.add_row(*row)
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--clients", nargs="+", type=int, default=[1, 8, 32])
    parser.add_argument("--seconds", type=int, default=3, help="each figure, each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="processes of each server")
    parser.add_argument(
        "--only", nargs="+", default=[], help="figures whose names contain one of these"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench.http_load needs wrk (Debian: apt-get install wrk; `make bench`)")
    console = Console(width=140)
    chosen = [f for f in FIGURES if not args.only or any(o in f.name for o in args.only)]
    needed = {f.baseline for f in chosen}
    figures = [f for f in FIGURES if f in chosen or f.name in needed]  # baselines too
    for store in args.stores:
        runs = measure(
            store, args.clients, args.seconds, args.rounds, args.workers, figures, console
        )
        console.print(table(store, runs, args.clients, args.workers, figures))
    console.print(
        "errors: answers other than 2xx and socket errors (a refused command counts); "
        "ratio: cogov's req/s over its baseline's at the same number of clients"
    )


if __name__ == "__main__":
    main()
