"""Benchmark: a project's reads cost the same however many other projects share the store.

For each count of projects, a fresh store holds one measured project (a synthetic history
of `--events` events) among that many others (each founded, with two members and one
proposal); the views catch up, then GET power and a page of GET decisions of the measured
project are timed in process (FastAPI's TestClient: the whole request path, no socket).
The baseline is the same reads in the store that holds the measured project alone,
measured in the same run; rounds alternate between the stores and medians are reported.
Run:  .venv/bin/python -m bench.growth [--projects 1 1000] [--store sqlite] [--events 1000]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
from collections.abc import Iterator

from fastapi.testclient import TestClient
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bench.decision_pages import timed
from bench.stores import store_url
from cogov.application import Governance
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.workload import generate

ADMIN = "bench-admin-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {ADMIN}"}


def other_projects(gov: Governance, count: int, progress: Progress) -> None:
    task = progress.add_task(f"{count:,} other projects", total=count)
    for i in range(count):
        founded = gov.found_project(
            title=f"Other {i}", founder_name="F", founder_perspectives=["researcher"]
        )
        gov.admit_member(
            founded.project_id, display_name="M", perspectives=["public"], actor=founded.founder_id
        )
        gov.table_proposal(
            founded.project_id, title="P", text="T", area="methods", actor=founded.founder_id
        )
        progress.advance(task)


@contextlib.contextmanager
def store_of(projects: int, events: int, store: str) -> Iterator[tuple[TestClient, str]]:
    """A client over a fresh store of `projects` projects, the measured one among them."""
    with store_url(store) as url, Progress(transient=True) as progress:
        gov = open_governance(url)
        try:
            other_projects(gov, (projects - 1) // 2, progress)
            pid = str(generate(gov, events))
            other_projects(gov, projects - 1 - (projects - 1) // 2, progress)
            gov.read_models.catch_up()
            client = TestClient(create_app(gov, admin_token=ADMIN, follow=False))
            with client:
                yield client, pid
        finally:
            gov.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, nargs="+", default=[1, 1000])
    parser.add_argument("--store", default="sqlite", choices=["memory", "sqlite", "postgres"])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    console = Console(width=120)
    reads = ("GET power", "GET decisions (100)")
    figures: dict[tuple[int, str], list[float]] = {}
    with contextlib.ExitStack() as stack:
        stores = {}
        for n in args.projects:
            console.print(f"recording {n:,} projects on {args.store}...")
            stores[n] = stack.enter_context(store_of(n, args.events, args.store))
        for _ in range(args.rounds):
            for n, (client, pid) in stores.items():
                paths = (f"/projects/{pid}/power", f"/projects/{pid}/decisions?limit=100")
                for name, path in zip(reads, paths, strict=True):
                    figures.setdefault((n, name), []).append(timed(client, path, AUTH, args.repeat))
    table = Table(
        title=f"Reads of one project of {args.events:,} events among others "
        f"({args.store}, medians of {args.rounds} rounds)"
    )
    for column in ("projects in the store", *(f"{r} ms" for r in reads), "/ alone (goal: 1)"):
        table.add_column(column, justify="right")
    alone = args.projects[0]
    for n in args.projects:
        ms = [statistics.median(figures[n, r]) for r in reads]
        ratios = [m / statistics.median(figures[alone, r]) for m, r in zip(ms, reads, strict=True)]
        table.add_row(
            f"{n:,}",
            *(f"{m:.2f}" for m in ms),
            " / ".join(f"{x:.2f}x" for x in ratios),
        )
    console.print(table)


if __name__ == "__main__":
    main()
