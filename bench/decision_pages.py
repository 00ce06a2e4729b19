"""Benchmark: a page of decisions costs a page, however long the project's history.

For each size (events in one project), records a synthetic project on a fresh store, then
times `GET /projects/{pid}/decisions?limit=100` in process (FastAPI's TestClient, so the
whole request path but no socket): the first page, and the last page reached by following
`next`. The baseline is the first page of the smallest project, measured in the same run;
`GET /healthz` on the same client is shown beside it as the framework's floor. Rounds
alternate between sizes and the medians are reported.
Run:  .venv/bin/python -m bench.decision_pages [--sizes 1000 10000] [--store sqlite]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Iterator

from fastapi.testclient import TestClient
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.stores import store_url
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.workload import generate

ADMIN = "bench-admin-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {ADMIN}"}


@contextlib.contextmanager
def project_of(events: int, store: str, console: Console) -> Iterator[tuple[TestClient, str]]:
    """A client over a fresh store holding one project of at least `events` events."""
    with store_url(store) as url:
        gov = open_governance(url)
        try:
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(f"recording {events:,} events on {store}", total=events)
                pid = str(generate(gov, events, progress=lambda p: bar.update(task, completed=p)))
                views = bar.add_task("bringing the views up to date", total=gov.max_position())
                gov.catch_up(progress=lambda p, _: bar.update(views, completed=p))
            client = TestClient(create_app(gov, admin_token=ADMIN, follow=False))
            with client:
                yield client, pid
        finally:
            gov.close()


def last_page(client: TestClient, pid: str) -> str:
    """The address of the last page, by following `next` from the first."""
    url = f"/projects/{pid}/decisions?limit=100"
    while True:
        nxt = client.get(url, headers=AUTH).json()["next"]
        if nxt is None:
            return url
        url = nxt.removeprefix("http://testserver")


def timed(client: TestClient, path: str, headers: dict[str, str], repeat: int) -> float:
    """The median of `repeat` GETs of `path`, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        answer.raise_for_status()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--store", default="sqlite", choices=["memory", "sqlite", "postgres"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    console = Console()
    figures: dict[int, dict[str, list[float]]] = {
        n: {"first": [], "last": [], "healthz": []} for n in args.sizes
    }
    with contextlib.ExitStack() as stack:
        projects = {}
        for n in args.sizes:
            client, pid = stack.enter_context(project_of(n, args.store, console))
            projects[n] = (client, pid, last_page(client, pid))
        for _ in range(args.rounds):
            for n, (client, pid, last) in projects.items():
                first = f"/projects/{pid}/decisions?limit=100"
                for name, path, headers in (
                    ("first", first, AUTH),
                    ("last", last, AUTH),
                    ("healthz", "/healthz", {}),
                ):
                    figures[n][name].append(timed(client, path, headers, args.repeat))
    base = statistics.median(figures[args.sizes[0]]["first"])
    table = Table(title=f"A page of 100 decisions ({args.store}, medians of {args.rounds} rounds)")
    for column in ("events", "first page ms", "last page ms", "healthz ms", "last / baseline"):
        table.add_column(column, justify="right")
    for n in args.sizes:
        first_ms, last_ms, health_ms = (
            statistics.median(figures[n][k]) for k in ("first", "last", "healthz")
        )
        table.add_row(
            f"{n:,}",
            f"{first_ms:.1f}",
            f"{last_ms:.1f}",
            f"{health_ms:.2f}",
            f"{last_ms / base:.2f}x",
        )
    console.print(table)
    console.print(f"baseline: the first page at {args.sizes[0]:,} events, {base:.1f} ms")


if __name__ == "__main__":
    main()
