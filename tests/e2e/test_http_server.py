"""The HTTP API served by a real uvicorn process, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support import serving

ADMIN = "e2e-admin-token-0123456789abcdef"
RESPONDERS = 50
ATTEMPTS = 20


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
        cursor = 0
        while True:
            page = http.get(
                f"/projects/{project['id']}/events",
                params={"cursor": cursor, "limit": 1000},
                headers=bearer(ADMIN),
            ).json()
            for e in page["items"]:
                if e["type"] == "ResponseGiven":
                    given[e["data"]["member_id"]] += 1
            if not page["next"]:
                break
            cursor = page["items"][-1]["position"]
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


@pytest.mark.parametrize("length", ["declared", "chunked"])
def test_a_body_over_the_limit_sent_whole_is_answered_413_not_reset(
    server: str, length: str
) -> None:
    # urllib sends the whole body before it reads the answer: a server that answers and
    # closes while the body is still arriving resets the connection, and the client sees that
    # instead of the 413. Under a few MB the socket buffers can hide it; at 8 MiB they cannot.
    body = b"x" * (8 * 1024 * 1024)
    outcomes: list[object] = []
    for _ in range(ATTEMPTS):
        request = urllib.request.Request(
            f"{server}/projects",
            # an iterable of unknown length goes chunked
            data=body if length == "declared" else iter([body[:65536]] * 128),
            method="POST",
            headers=bearer(ADMIN) | {"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                outcomes.append(response.status)
        except urllib.error.HTTPError as refused:
            problem = json.loads(refused.read())
            outcomes.append(
                (
                    refused.code,
                    refused.headers["Content-Type"],
                    refused.headers["Connection"],
                    problem["type"],
                )
            )
        except OSError as e:  # a reset or broken pipe: what the fix is for
            outcomes.append(repr(e))
    answer = (413, "application/problem+json", "close", "/problems/body_too_large")
    assert outcomes == [answer] * ATTEMPTS


OVER_THE_LIMIT = {
    "declared": b"Content-Length: 200000\r\n\r\n" + b"x" * 200_000,
    # the client waits for "100 Continue" before it sends: it must get the 413 instead
    "expecting": b"Content-Length: 200000\r\nExpect: 100-continue\r\n\r\n",
    "chunked": b"Transfer-Encoding: chunked\r\n\r\n"
    + (b"10000\r\n" + b"x" * 0x10000 + b"\r\n") * 4
    + b"0\r\n\r\n",
}


@pytest.mark.parametrize("sent", OVER_THE_LIMIT)
def test_a_keep_alive_connection_is_closed_after_a_413(server: str, sent: str) -> None:
    """The rest of a body over the limit may be left unread, so the server must not wait on
    that connection for another request: `Connection: close`, and it closes."""
    address = urlsplit(server)
    with socket.create_connection((address.hostname, address.port), timeout=2) as conn:
        conn.sendall(
            b"POST /projects HTTP/1.1\r\nHost: cogov\r\n"
            + f"Authorization: Bearer {ADMIN}\r\nContent-Type: application/json\r\n".encode()
            + OVER_THE_LIMIT[sent]
        )
        answer = b""
        while chunk := conn.recv(65536):  # a timeout here: the server kept it open
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode().lower().split("\r\n")
    assert lines[0] == "http/1.1 413 request entity too large"
    assert "connection: close" in lines[1:]
    assert "content-type: application/problem+json" in lines[1:]
    assert json.loads(body)["type"] == "/problems/body_too_large"
