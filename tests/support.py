"""Helpers the tests share: a hand-moved clock, the PostgreSQL test server, view dumps.

Fixtures live in conftest.py; anything a test module imports by name lives here.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg

from cogov.application import Governance
from cogov.application.views import DecisionFilter

POSTGRES_URL = os.environ.get("COGOV_TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

_postgres_problem: list[str | None] = []


def postgres_available() -> str | None:
    """None when the test server answers, else why not (checked once per run)."""
    if not _postgres_problem:
        try:
            with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _postgres_problem.append(None)
        except psycopg.Error as e:
            _postgres_problem.append(f"PostgreSQL at {POSTGRES_URL} unreachable: {e}")
    return _postgres_problem[0]


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def views_of(gov: Governance, project_id: Any) -> dict[str, Any]:
    """Everything the views hold about one project, for comparing two states."""
    view = gov._view()
    pid = str(project_id)
    return {
        "position": view.position(gov.name),
        "decisions": [r.to_dict() for r in view.decisions(pid, DecisionFilter())],
        "power": [r.to_dict() for r in view.power_timeline(pid, 0, 100_000)],
        "members": sorted((r.to_dict() for r in view.members(pid)), key=lambda r: r["member_id"]),
    }


def busy_proposal(gov: Governance, members: int) -> tuple[str, list[str]]:
    """A project of `members` (the founder first) and one proposal open to them all."""
    founded = gov.found_project(title="Busy", founder_name="F", founder_perspectives=["public"])
    ids = [founded.founder_id] + [
        gov.admit_member(
            founded.project_id,
            display_name=f"M{i}",
            perspectives=["public"],
            actor=founded.founder_id,
        ).member_id
        for i in range(members - 1)
    ]
    proposal = gov.table_proposal(
        founded.project_id, title="Busy", text="T", area="governance", actor=founded.founder_id
    )
    return str(proposal.proposal_id), ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(
    url: str, admin_token: str, *, workers: int = 1
) -> tuple[str, subprocess.Popen[bytes]]:
    """`cogov serve` on `url` in a process of its own, once it answers; its base URL."""
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads fills at 64 KiB (an outage test
    # logs that much) and would then block every thread of the server that logs.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("cogov")),
            "serve",
            "--database-url",
            url,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env={**os.environ, "COGOV_ADMIN_TOKEN": admin_token},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return base, proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.seek(0)
            raise AssertionError(log.read().decode() or "no server")
        time.sleep(0.1)


@contextmanager
def serving(url: str, admin_token: str, *, workers: int = 1) -> Iterator[str]:
    """`cogov serve` on `url` until the block ends (then SIGTERM)."""
    base, proc = start_server(url, admin_token, workers=workers)
    try:
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
