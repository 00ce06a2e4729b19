"""The HTTP API served by a real uvicorn process, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support import serving

ADMIN = "e2e-admin-token-0123456789abcdef"
RESPONDERS = 50


@pytest.fixture
def server(shared_store_url: str) -> Iterator[str]:
    with serving(shared_store_url, ADMIN) as base:
        yield base


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.timeout(300)
def test_fifty_members_responding_at_once_are_all_recorded_once(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as http:
        project = http.post(
            "/projects",
            json={
                "title": "Many voices",
                "founder": {"display_name": "F", "perspectives": ["researcher"]},
            },
            headers=bearer(ADMIN),
        ).json()
        tokens = [project["founder_token"]]
        for i in range(RESPONDERS - 1):
            admitted = http.post(
                f"/projects/{project['id']}/members",
                json={
                    "display_name": f"M{i}",
                    "perspectives": ["public" if i % 2 else "researcher"],
                },
                headers=bearer(project["founder_token"]),
            )
            assert admitted.status_code == 201, admitted.text
            tokens.append(admitted.json()["token"])
        proposal = http.post(
            f"/projects/{project['id']}/proposals",
            json={
                "title": "All at once",
                "text": "Everyone responds",
                "area": "governance",
                "key": True,
            },
            headers=bearer(project["founder_token"]),
        ).json()

    start = threading.Barrier(RESPONDERS)
    statuses: list[int] = []

    def respond(token: str) -> None:
        with httpx.Client(base_url=server, timeout=120) as client:
            start.wait()
            r = client.post(
                f"/proposals/{proposal['id']}/responses",
                json={"stance": "consent"},
                headers=bearer(token),
            )
            statuses.append(r.status_code)

    threads = [threading.Thread(target=respond, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [201] * RESPONDERS

    with httpx.Client(base_url=server, timeout=60) as http:
        record = http.get(f"/proposals/{proposal['id']}", headers=bearer(ADMIN)).json()
        assert len(record["responses"]) == RESPONDERS
        given: Counter[str] = Counter()
        after = 0
        while True:
            page = http.get(
                f"/projects/{project['id']}/events",
                params={"after": after, "limit": 1000},
                headers=bearer(ADMIN),
            ).json()
            for e in page["items"]:
                if e["type"] == "ResponseGiven":
                    given[e["data"]["member_id"]] += 1
            if not page["next"]:
                break
            after = page["items"][-1]["position"]
        assert len(given) == RESPONDERS and set(given.values()) == {1}


def test_retries_with_one_idempotency_key_record_once(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as http:
        project = http.post(
            "/projects",
            json={"title": "Retries", "founder": {"display_name": "F", "perspectives": ["public"]}},
            headers=bearer(ADMIN) | {"Idempotency-Key": "found-1"},
        )
        again = http.post(
            "/projects",
            json={"title": "Retries", "founder": {"display_name": "F", "perspectives": ["public"]}},
            headers=bearer(ADMIN) | {"Idempotency-Key": "found-1"},
        )
        assert project.status_code == 201
        assert again.status_code == 409  # done once; its token is never shown again
        pid = project.json()["id"]
        assert pid in again.json()["detail"]
        token = project.json()["founder_token"]
        body = {"title": "Once", "text": "Just once", "area": "methods"}
        results: list[Any] = []

        def post() -> None:
            with httpx.Client(base_url=server, timeout=60) as client:
                results.append(
                    client.post(
                        f"/projects/{pid}/proposals",
                        json=body,
                        headers=bearer(token) | {"Idempotency-Key": "table-1"},
                    )
                )

        threads = [threading.Thread(target=post) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for _ in range(3):
            post()
        created = {r.json()["id"] for r in results if r.status_code == 201}
        assert len(created) == 1
        assert {r.status_code for r in results} <= {201, 409}
        decisions = http.get(f"/projects/{pid}/decisions", headers=bearer(token)).json()
        assert [d["title"] for d in decisions["items"]] == ["Once"]


def test_the_server_answers_problems_and_reads_its_own_writes(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as http:
        assert http.get("/projects/x").status_code == 401
        assert http.get("/readyz").json()["status"] == "ok"
        project = http.post(
            "/projects",
            json={"title": "RYW", "founder": {"display_name": "F", "perspectives": ["public"]}},
            headers=bearer(ADMIN),
        ).json()
        token = project["founder_token"]
        tabled = http.post(
            f"/projects/{project['id']}/proposals",
            json={"title": "T", "text": "x", "area": "methods"},
            headers=bearer(token),
        ).json()
        rows = http.get(
            f"/projects/{project['id']}/decisions",
            params={"after": tabled["position"]},
            headers=bearer(token),
        ).json()["items"]
        assert [r["proposal_id"] for r in rows] == [tabled["id"]]
        power = http.get(f"/projects/{project['id']}/power", headers=bearer(token)).json()
        assert power["members"][0]["roles"] == ["Facilitator"]


@pytest.mark.timeout(120)
def test_the_server_closes_a_due_proposal_by_itself(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as http:
        project = http.post(
            "/projects",
            json={"title": "Due", "founder": {"display_name": "F", "perspectives": ["researcher"]}},
            headers=bearer(ADMIN),
        ).json()
        founder = bearer(project["founder_token"])
        closes_at = datetime.now(UTC) + timedelta(seconds=2)
        tabled = http.post(
            f"/projects/{project['id']}/proposals",
            json={
                "title": "Closes soon",
                "text": "Nobody needs to close this by hand",
                "area": "operations",
                "closes_at": closes_at.isoformat(),
            },
            headers=founder,
        )
        assert tabled.status_code == 201, tabled.text
        proposal = tabled.json()["id"]
        while True:
            outcome = http.get(f"/proposals/{proposal}", headers=founder).json()["outcome"]
            if outcome != "open":
                break
            assert datetime.now(UTC) < closes_at + timedelta(seconds=5), "not closed in time"
            time.sleep(0.2)
        assert outcome == "lapsed"  # nobody responded
        closed_within = datetime.now(UTC) - closes_at
        assert closed_within < timedelta(seconds=5)
        trail = http.get(f"/projects/{project['id']}/events", headers=founder).json()["items"]
        closings = [e for e in trail if e["type"] == "ProposalClosed"]
        assert [c["actor"] for c in closings] == ["system"]
