"""A real `cogov serve` killed with SIGKILL in the middle of a load of responses, proposals
and token renewals, on SQLite and PostgreSQL. A new server on the same store is then sent
every request again with the same Idempotency-Key, at once: each command is recorded
exactly once, acknowledged ones replay their first answer, and nobody is locked out."""

from __future__ import annotations

import itertools
import signal
import threading
import time
from collections import Counter
from typing import Any

import attrs
import httpx
import pytest

from cogov import open_governance
from tests.support import start_server

ADMIN = "killed-admin-token-0123456789abcdef"
MEMBERS = 6


@attrs.define
class Sent:
    kind: str
    member: int
    path: str
    body: dict[str, Any]
    key: str
    token: str  # the token the request was sent with
    answer: dict[str, Any] | None = None  # the body of its 201, if one came back


@attrs.define
class Member:
    id: str
    token: str


def load(
    base: str,
    member: int,
    who: Member,
    pid: str,
    proposals: list[str],
    sent: list[Sent],
    lock: threading.Lock,
    stop: threading.Event,
) -> None:
    with httpx.Client(base_url=base, timeout=10) as http:
        for turn in itertools.count():
            if stop.is_set():
                return
            kind = ("respond", "table", "renew")[turn % 3]
            if kind == "respond":
                path = f"/proposals/{proposals[turn % len(proposals)]}/responses"
                body: dict[str, Any] = {"stance": ("consent", "abstain")[turn % 2]}
            elif kind == "table":
                path = f"/projects/{pid}/proposals"
                body = {"title": f"M{member}-{turn}", "text": "T", "area": "operations"}
            else:
                path = f"/projects/{pid}/members/{who.id}/tokens"
                body = {}
            request = Sent(kind, member, path, body, f"m{member}-{turn}", who.token)
            with lock:
                sent.append(request)
            try:
                response = http.post(
                    path,
                    json=body,
                    headers={
                        "Authorization": f"Bearer {who.token}",
                        "Idempotency-Key": request.key,
                    },
                )
            except httpx.TransportError:
                return  # the server was killed: this request's fate is unknown
            if response.status_code != 201:
                return
            request.answer = response.json()
            if kind == "renew":
                who.token = request.answer["token"]


@pytest.mark.timeout(240)
def test_a_killed_server_loses_and_repeats_nothing(shared_store_url: str) -> None:
    store = shared_store_url
    base, proc = start_server(store, ADMIN)
    try:
        with httpx.Client(base_url=base, timeout=10) as http:
            founded = http.post(
                "/projects",
                headers={"Authorization": f"Bearer {ADMIN}"},
                json={
                    "title": "Killed",
                    "founder": {"display_name": "F", "perspectives": ["researcher"]},
                },
            ).json()
            pid = founded["id"]
            founder = {"Authorization": f"Bearer {founded['founder_token']}"}
            members = []
            for i in range(MEMBERS):
                m = http.post(
                    f"/projects/{pid}/members",
                    headers=founder,
                    json={"display_name": f"M{i}", "perspectives": ["public"]},
                ).json()
                members.append(Member(m["member_id"], m["token"]))
            proposals = [
                http.post(
                    f"/projects/{pid}/proposals",
                    headers=founder,
                    json={"title": f"P{i}", "text": "T", "area": "operations"},
                ).json()["id"]
                for i in range(2)
            ]
        first_tokens = [m.token for m in members]
        sent: list[Sent] = []
        lock, stop = threading.Lock(), threading.Event()
        clients = [
            threading.Thread(target=load, args=(base, i, m, pid, proposals, sent, lock, stop))
            for i, m in enumerate(members)
        ]
        for c in clients:
            c.start()
        time.sleep(1.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        stop.set()
        for c in clients:
            c.join(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()

    unanswered = [s for s in sent if s.answer is None]
    assert len(sent) > 30 and unanswered

    base, proc = start_server(store, ADMIN)
    try:
        with httpx.Client(base_url=base, timeout=10) as http:

            def again(s: Sent, token: str) -> None:
                retry = http.post(
                    s.path,
                    json=s.body,
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": s.key},
                )
                assert retry.status_code == 201, (s.kind, retry.text)
                if s.answer is not None:
                    assert retry.headers["Idempotent-Replayed"] == "true"
                    assert retry.json() == s.answer
                else:
                    s.answer = retry.json()

            # a renewal is repeated with the token it was sent with (which it superseded)
            for s in sent:
                if s.kind == "renew":
                    again(s, s.token)
            latest = list(first_tokens)
            for s in sent:
                if s.kind == "renew" and s.answer is not None:
                    latest[s.member] = s.answer["token"]
            # anything else with the member's one live token
            for s in sent:
                if s.kind != "renew":
                    again(s, latest[s.member])
            members = [Member(m.id, token) for m, token in zip(members, latest, strict=True)]
            for m in members:
                mine = {"Authorization": f"Bearer {m.token}"}
                assert http.get(f"/projects/{pid}", headers=mine).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    gov = open_governance(store)
    try:
        types: Counter[str] = Counter()
        position = 0
        while page := gov.events_after(position, 1000):
            types.update(e.type for e in page)
            position = page[-1].position
        kinds = Counter(s.kind for s in sent)
        assert types["ResponseGiven"] == kinds["respond"]
        assert types["ProposalTabled"] == 2 + kinds["table"]
        assert types["TokenIssued"] == 1 + MEMBERS + kinds["renew"]
    finally:
        gov.close()
