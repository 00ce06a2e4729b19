"""A projection runner killed mid-stream and restarted leaves the views equal to a rebuild."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cogov.application import Governance
from cogov.infrastructure import open_governance
from tests.support import views_of
from tests.workload import generate

SCRIPT = Path(sys.executable).with_name("cogov")
EVENTS = 4000


def runner(url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(SCRIPT),
            "projections",
            "run",
            "--database-url",
            url,
            "--batch",
            "20",
            "--interval",
            "0.05",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ,
    )


def wait_for(gov: Governance, reached: Any, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        position = gov._view().position(gov.name)
        if reached(position):
            return position
        time.sleep(0.005)
    raise AssertionError(f"views stuck at {gov._view().position(gov.name)}")


@pytest.mark.timeout(240)
def test_killed_runner_resumes_exactly_once(shared_store_url: str) -> None:
    store_url = shared_store_url
    gov = open_governance(store_url)
    try:
        project_id = generate(gov, EVENTS)
        head = gov.max_position()

        first = runner(store_url)
        try:
            killed_at = wait_for(gov, lambda p: p >= 200)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        assert wait_for(gov, lambda p: True) < head, "the runner finished before it was killed"

        second = runner(store_url)
        try:
            wait_for(gov, lambda p: p >= head)
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=30) == 0, second.stderr.read() if second.stderr else ""

        resumed = views_of(gov, project_id)
        assert resumed["position"] == head
        gov.rebuild_views()
        assert views_of(gov, project_id) == resumed
        assert killed_at >= 200
    finally:
        gov.close()


@pytest.mark.postgres
@pytest.mark.timeout(120)
def test_a_separate_runner_on_postgres_is_woken_by_notify_not_polling(postgres_url: str) -> None:
    gov = open_governance(postgres_url)
    proc = subprocess.Popen(
        [str(SCRIPT), "projections", "run", "--database-url", postgres_url, "--interval", "30"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        founded = gov.found_project(
            title="Follow", founder_name="A", founder_perspectives=["researcher"]
        )
        wait_for(gov, lambda p: p >= founded.position, timeout=30)  # the runner is up
        tabled = gov.table_proposal(
            founded.project_id, title="T", text="x", area="methods", actor=founded.founder_id
        )
        start = time.monotonic()
        wait_for(gov, lambda p: p >= tabled.position, timeout=10)
        assert time.monotonic() - start < 5  # far sooner than the 30 s poll
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        gov.close()
