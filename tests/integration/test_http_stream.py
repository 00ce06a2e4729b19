"""GET /projects/{pid}/stream: the project's audit trail as server-sent events, each with
its position as `id`, resumed exactly after `Last-Event-ID` (or `?after=`), never showing
another project's events, refused like every read, and stopped when its client goes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import attrs
import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from cogov.interfaces.http.routes.stream import StreamSettings
from tests.support import free_port

ADMIN = "admin-token-for-tests-0123456789"
# Short streams, read often, in small batches: fast tests that also page through the trail.
QUICK = StreamSettings(
    max_seconds=0.6, poll_seconds=0.05, heartbeat_seconds=0.2, recheck_seconds=0.1, batch=2
)


@attrs.frozen
class Message:
    id: str | None
    event: str | None
    data: str | None
    comments: tuple[str, ...]
    retry: str | None


def messages(lines: Iterable[str]) -> Iterator[Message]:
    """The messages of an event stream (blocks of lines ended by a blank line)."""
    fields: dict[str, str] = {}
    comments: list[str] = []
    for line in lines:
        if line == "":
            if fields or comments:
                yield Message(
                    fields.get("id"),
                    fields.get("event"),
                    fields.get("data"),
                    tuple(comments),
                    fields.get("retry"),
                )
            fields, comments = {}, []
        elif line.startswith(":"):
            comments.append(line[1:].strip())
        else:
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")


def events(lines: Iterable[str]) -> list[Message]:
    return [m for m in messages(lines) if m.id is not None]


@attrs.define
class Team:
    client: TestClient
    gov: Governance
    pid: str
    other_pid: str
    tokens: dict[str, str]
    auditor_id: str

    def headers(self, who: str, **extra: str) -> dict[str, str]:
        token = ADMIN if who == "admin" else self.tokens[who]
        return {"Authorization": f"Bearer {token}"} | extra

    def reflect(self, text: str, who: str = "fay", pid: str | None = None) -> int:
        response = self.client.post(
            f"/projects/{pid or self.pid}/journal/reflections",
            json={"scope": "team", "text": text},
            headers=self.headers(who),
        )
        assert response.status_code == 201, response.text
        position: int = response.json()["position"]
        return position

    def trail_item(self, position: int, who: str) -> dict[str, Any]:
        """The event at `position` as the audit trail shows it to `who`."""
        page = self.client.get(
            f"/projects/{self.pid}/events?cursor={position - 1}&limit=1",
            headers=self.headers(who),
        )
        item: dict[str, Any] = page.json()["items"][0]
        assert item["position"] == position
        return item

    def stream(
        self, who: str, query: str = "", pid: str | None = None, **headers: str
    ) -> list[Message]:
        """A whole (short) stream's events."""
        url = f"/projects/{pid or self.pid}/stream{query}"
        with self.client.stream("GET", url, headers=self.headers(who, **headers)) as response:
            assert response.status_code == 200, response.read()
            return events(response.iter_lines())


def found(client: TestClient) -> Team:
    admin = {"Authorization": f"Bearer {ADMIN}"}

    def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 201, response.text
        answer: dict[str, Any] = response.json()
        return answer

    fay = {"display_name": "Fay", "perspectives": ["researcher"]}
    a = post("/projects", {"title": "A", "founder": fay}, admin)
    b = post("/projects", {"title": "B", "founder": fay}, admin)
    mo = post(
        f"/projects/{a['id']}/members",
        {"display_name": "Mo", "perspectives": ["public"]},
        {"Authorization": f"Bearer {a['founder_token']}"},
    )
    auditor = post(
        f"/projects/{a['id']}/auditors",
        {"name": "Ethics committee", "expires_at": f"{datetime.now(UTC).year + 1}-01-01T00:00:00Z"},
        admin,
    )
    tokens = {
        "fay": a["founder_token"],
        "mo": mo["token"],
        "bo": b["founder_token"],
        "auditor": auditor["token"],
    }
    gov = client.app.state.governance  # type: ignore[attr-defined]
    return Team(client, gov, a["id"], b["id"], tokens, auditor["auditor_id"])


@pytest.fixture
def team() -> Iterator[Team]:
    gov = open_governance("memory://")
    with TestClient(create_app(gov, admin_token=ADMIN, streams=QUICK)) as client:
        yield found(client)
    gov.close()


@pytest.fixture
def team_on_every_store(database_url: str) -> Iterator[Team]:
    gov = open_governance(database_url)
    with TestClient(create_app(gov, admin_token=ADMIN, streams=QUICK)) as client:
        yield found(client)
    gov.close()


def test_an_event_recorded_appears_within_two_seconds_with_its_position_as_id(
    team_on_every_store: Team,
) -> None:
    team = team_on_every_store
    team.reflect("The journal is open before the stream starts")
    # at the default pace (read every 0.5 s), ended after 5 s
    team.client.app.state.stream = StreamSettings(max_seconds=5.0)  # type: ignore[attr-defined]
    recorded: list[tuple[int, float]] = []

    def record_soon() -> None:
        time.sleep(0.3)
        recorded.append((team.reflect("Recorded while the page watches"), time.monotonic()))

    with team.client.stream(
        "GET", f"/projects/{team.pid}/stream", headers=team.headers("mo")
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"
        writer = threading.Thread(target=record_soon)
        writer.start()
        first = next(m for m in messages(response.iter_lines()) if m.id is not None)
        seen_at = time.monotonic()
        writer.join()
    position, at = recorded[0]
    assert first.id == str(position)  # only new events: none from before the stream
    assert first.event == "ReflectionRecorded"
    assert seen_at - at < 2.0
    assert first.data is not None
    assert json.loads(first.data) == team.trail_item(position, "mo")


def test_last_event_id_resumes_exactly_after_that_position(team_on_every_store: Team) -> None:
    team = team_on_every_store
    before = [team.reflect(f"Before the page opened, {n}") for n in range(3)]
    with team.client.stream(
        "GET", f"/projects/{team.pid}/stream?after={before[0]}", headers=team.headers("fay")
    ) as response:
        lines = response.iter_lines()
        got = [next(m for m in messages(lines) if m.id is not None) for _ in range(2)]
    assert [m.id for m in got] == [str(p) for p in before[1:]]
    # the connection dropped; events recorded meanwhile come on reconnection, once each
    meanwhile = [team.reflect(f"While the page was away, {n}") for n in range(5)]
    resumed = team.stream("fay", f"?after={before[0]}", **{"Last-Event-ID": got[-1].id or ""})
    assert [int(m.id or 0) for m in resumed] == meanwhile  # the header wins over `after`
    for message in resumed:
        item = team.trail_item(int(message.id or 0), "fay")
        assert (message.event, message.data) == (item["type"], json.dumps(item))


def test_without_a_position_only_new_events_come_and_after_gives_the_rest(team: Team) -> None:
    first = team.reflect("Old news")
    assert team.stream("fay") == []
    resumed = team.stream("fay", "?after=0")
    assert [m.id for m in resumed][-1] == str(first)
    assert [int(m.id or 0) for m in resumed] == sorted(int(m.id or 0) for m in resumed)
    assert len({m.id for m in resumed}) == len(resumed)


def test_a_stance_hidden_until_close_is_hidden_on_the_stream_as_in_the_trail(team: Team) -> None:
    client, admin = team.client, team.headers("admin")
    founder = {"display_name": "Rosa", "perspectives": ["researcher"]}
    body = {"title": "C", "founder": founder, "charter": {"results_hidden_until_close": True}}
    c = client.post("/projects", json=body, headers=admin).json()
    rosa = {"Authorization": f"Bearer {c['founder_token']}"}
    pam = client.post(
        f"/projects/{c['id']}/members",
        json={"display_name": "Pam", "perspectives": ["public"]},
        headers=rosa,
    ).json()
    start = team.gov.max_position()
    proposal = client.post(
        f"/projects/{c['id']}/proposals",
        json={"title": "Pay for reading time", "text": "At £25 an hour", "area": "budget"},
        headers=rosa,
    ).json()
    mine = client.post(
        f"/proposals/{proposal['id']}/responses",
        json={"stance": "consent"},
        headers={"Authorization": f"Bearer {pam['token']}"},
    ).json()["position"]
    theirs = client.post(
        f"/proposals/{proposal['id']}/responses",
        json={"stance": "object", "reason": "Too little"},
        headers=rosa,
    ).json()["position"]
    team.pid, team.tokens["pam"] = c["id"], pam["token"]
    streamed = {int(m.id or 0): m for m in team.stream("pam", f"?after={start}")}
    assert streamed[mine].event == "ResponseGiven"
    assert streamed[theirs].event == "HiddenUntilClose"
    assert "Too little" not in (streamed[theirs].data or "")
    for position, message in streamed.items():
        assert json.loads(message.data or "") == team.trail_item(position, "pam")


def test_another_projects_events_never_appear(team: Team) -> None:
    elsewhere: list[int] = []
    here: list[int] = []

    def record() -> None:
        for n in range(3):
            elsewhere.append(team.reflect(f"In project B, {n}", who="bo", pid=team.other_pid))
            here.append(team.reflect(f"In project A, {n}"))

    writer = threading.Thread(target=record)
    writer.start()
    streamed = team.stream("admin", "?after=0")  # the admin may read every project
    writer.join()
    ids = {int(m.id or 0) for m in streamed}
    assert set(here) <= ids
    assert not ids & set(elsewhere)
    theirs = {int(m.id or 0) for m in team.stream("bo", "?after=0", pid=team.other_pid)}
    assert set(elsewhere) <= theirs
    assert not theirs & set(here)


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("bo", 404), ("admin", 200), ("auditor", 200)]
)
def test_who_may_open_a_stream(team: Team, who: str | None, status: int) -> None:
    headers = team.headers(who) if who else {}
    response = team.client.get(f"/projects/{team.pid}/stream", headers=headers)
    assert response.status_code == status
    if status != 200:
        assert response.headers["content-type"] == "application/problem+json"


def test_the_dashboards_sign_in_cookie_opens_the_stream_under_the_dashboards_path(
    team: Team,
) -> None:
    """A browser's EventSource cannot set a header; it sends the dashboard's cookie, whose
    path is /dashboard, to /dashboard/{pid}/stream."""
    signed_in = team.client.post(
        f"/dashboard/{team.pid}/sign-in",
        data={"token": team.tokens["mo"]},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303  # the client now holds the cookie, as a browser would
    before = team.reflect("Before the page opened")
    with team.client.stream("GET", f"/dashboard/{team.pid}/stream?after={before - 1}") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        got = events(response.iter_lines())
    assert [m.id for m in got] == [str(before)]
    assert team.client.get(f"/projects/{team.pid}/stream").status_code == 401  # not sent there
    team.client.cookies.clear()
    assert team.client.get(f"/dashboard/{team.pid}/stream").status_code == 401
    wrong = {"Cookie": "cogov_dashboard=cgv_not-a-token"}
    assert team.client.get(f"/dashboard/{team.pid}/stream", headers=wrong).status_code == 401
    theirs = {"Cookie": f"cogov_dashboard={team.tokens['bo']}"}
    assert team.client.get(f"/dashboard/{team.pid}/stream", headers=theirs).status_code == 404


def test_an_unknown_project_or_position_is_refused_before_streaming(team: Team) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    admin = team.headers("admin")
    assert team.client.get(f"/projects/{unknown}/stream", headers=admin).status_code == 404
    for headers, query in [
        ({"Last-Event-ID": "seven"}, ""),
        ({"Last-Event-ID": "-1"}, ""),
        ({}, "?after=999999"),
    ]:
        response = team.client.get(f"/projects/{team.pid}/stream{query}", headers=admin | headers)
        assert response.status_code == 422, response.text


def test_a_quiet_stream_sends_keep_alive_comments_and_ends_by_itself(team: Team) -> None:
    start = time.monotonic()
    with team.client.stream(
        "GET", f"/projects/{team.pid}/stream", headers=team.headers("fay")
    ) as response:
        sent = list(messages(response.iter_lines()))
    assert time.monotonic() - start < QUICK.max_seconds + 1.0
    assert sent[0].retry is not None  # how soon the browser reconnects
    assert sum(m.comments == ("keep-alive",) for m in sent) >= 2


def test_an_auditors_stream_is_in_the_access_log(team: Team) -> None:
    team.stream("auditor")
    log = team.client.get(f"/projects/{team.pid}/access-log", headers=team.headers("fay"))
    routes = [entry["route"] for entry in log.json()["items"]]
    assert routes == ["/projects/{pid}/stream"]


def test_a_revoked_token_ends_its_stream(team: Team) -> None:
    team.client.app.state.stream = attrs.evolve(QUICK, max_seconds=20.0)  # type: ignore[attr-defined]

    def revoke() -> None:
        time.sleep(0.3)
        response = team.client.delete(
            f"/projects/{team.pid}/auditors/{team.auditor_id}", headers=team.headers("admin")
        )
        assert response.status_code == 200, response.text

    start = time.monotonic()
    with team.client.stream(
        "GET", f"/projects/{team.pid}/stream", headers=team.headers("auditor")
    ) as response:
        assert response.status_code == 200
        revoker = threading.Thread(target=revoke)
        revoker.start()
        sent = list(messages(response.iter_lines()))
        revoker.join()
    assert time.monotonic() - start < 3.0  # not the 20 s it was allowed
    assert sent[0].retry is not None  # it had begun
    refused = team.client.get(f"/projects/{team.pid}/stream", headers=team.headers("auditor"))
    assert refused.status_code == 401


@contextmanager
def live_server(gov: Governance, settings: StreamSettings) -> Iterator[str]:
    """A real uvicorn server for `gov` on a free port, stopped on the way out."""
    app = create_app(gov, admin_token=ADMIN, streams=settings)
    server = uvicorn.Server(uvicorn.Config(app, port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert not thread.is_alive()


def counting_reads(gov: Governance) -> list[float]:
    """When the trail was read for a stream, from now on."""
    reads: list[float] = []
    project_events = gov.project_events

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(time.monotonic())
        return project_events(*args, **kwargs)

    gov.project_events = counted  # type: ignore[method-assign]
    return reads


def test_the_stream_stops_reading_when_its_client_disconnects() -> None:
    """Against a real server: once the client goes, the stream no longer reads the trail
    (no poll left running), well before its lifetime would end it."""
    gov = open_governance("memory://")
    reads = counting_reads(gov)
    settings = StreamSettings(max_seconds=60.0, poll_seconds=0.05, heartbeat_seconds=0.2)
    try:
        with live_server(gov, settings) as base, httpx.Client(base_url=base, timeout=5) as client:
            team = found_over(client)
            with client.stream(
                "GET", f"/projects/{team[0]}/stream", headers={"Authorization": team[1]}
            ) as response:
                assert response.status_code == 200
                quiet = [m for _, m in zip(range(2), messages(response.iter_lines()), strict=False)]
                assert quiet[-1].comments == ("keep-alive",)
                assert len(reads) > 2  # it polls while connected
            gone = time.monotonic()
            time.sleep(0.5)
            assert [t for t in reads if t > gone + 0.2] == []  # nothing read since
    finally:
        gov.close()


def test_head_on_a_stream_answers_its_headers_at_once_and_stops_it() -> None:
    """HEAD is answered as GET would be, headers only: for a stream that runs for a
    minute, at once, and the stream behind it stops reading."""
    gov = open_governance("memory://")
    reads = counting_reads(gov)
    settings = StreamSettings(max_seconds=60.0, poll_seconds=0.05, heartbeat_seconds=0.2)
    try:
        with live_server(gov, settings) as base, httpx.Client(base_url=base, timeout=5) as client:
            pid, authorization = found_over(client)
            for path in (f"/projects/{pid}/stream", f"/dashboard/{pid}/stream"):
                began = time.monotonic()
                head = client.head(path, headers={"Authorization": authorization})
                assert time.monotonic() - began < 2.0
                assert head.status_code == 200
                assert head.headers["content-type"].startswith("text/event-stream")
                assert head.content == b""
            answered = time.monotonic()
            time.sleep(0.5)
            assert [t for t in reads if t > answered + 0.2] == []
            assert client.head(f"/projects/{pid}/stream").status_code == 401
    finally:
        gov.close()


def found_over(client: httpx.Client) -> tuple[str, str]:
    """A project founded over HTTP: its id and its founder's Authorization header."""
    founded = client.post(
        "/projects",
        json={"title": "Live", "founder": {"display_name": "Fay", "perspectives": ["public"]}},
        headers={"Authorization": f"Bearer {ADMIN}"},
    ).json()
    return founded["id"], f"Bearer {founded['founder_token']}"
