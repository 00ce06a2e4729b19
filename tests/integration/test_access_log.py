"""The access log on every store: each successful read of a project's data by one of its
auditors or the admin is recorded (who, when, which route and path) before it is answered;
members' reads and refused reads are not; the log pages like every list, is readable by the
project's callers only, survives a rebuild of the views, and a read it cannot record fails."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.application.access_log import AccessRecord
from cogov.domain import NotFound
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "admin-token-for-tests-0123456789"


@attrs.define
class Team:
    client: TestClient
    gov: Governance
    pid: str
    other_pid: str
    proposal: str
    auditor_id: str
    tokens: dict[str, str]

    def get(self, path: str, who: str, method: str = "GET") -> Any:
        token = ADMIN if who == "admin" else self.tokens.get(who)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.request(method, path.format(pid=self.pid), headers=headers)

    def log(self) -> list[dict[str, Any]]:
        """The whole access log, as the team sees it (a member's read is not logged)."""
        page = self.get("/projects/{pid}/access-log?limit=1000", "member")
        assert page.status_code == 200, page.text
        items: list[dict[str, Any]] = page.json()["items"]
        return items


def ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def start(gov: Governance, clock: Clock) -> Iterator[Team]:
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        admin = {"Authorization": f"Bearer {ADMIN}"}
        founder = {"display_name": "Fay", "perspectives": ["researcher"]}
        a = ok(client.post("/projects", json={"title": "A", "founder": founder}, headers=admin))
        b = ok(client.post("/projects", json={"title": "B", "founder": founder}, headers=admin))
        fay = {"Authorization": f"Bearer {a['founder_token']}"}
        later = clock.now.replace(year=clock.now.year + 1).isoformat()
        auditor = ok(
            client.post(
                f"/projects/{a['id']}/auditors",
                json={"name": "Ethics committee", "expires_at": later},
                headers=fay,
            )
        )
        outsider = ok(
            client.post(
                f"/projects/{b['id']}/auditors",
                json={"name": "Funder of B", "expires_at": later},
                headers=admin,
            )
        )
        proposal = ok(
            client.post(
                f"/projects/{a['id']}/proposals",
                json={"title": "Meet online", "text": "Tuesdays", "area": "operations"},
                headers=fay,
            )
        )
        yield Team(
            client,
            gov,
            a["id"],
            b["id"],
            proposal["id"],
            auditor["auditor_id"],
            {
                "member": a["founder_token"],
                "auditor": auditor["token"],
                "other_auditor": outsider["token"],
            },
        )


@pytest.fixture
def team(database_url: str, clock: Clock) -> Iterator[Team]:
    gov = open_governance(database_url, clock=clock)
    yield from start(gov, clock)
    gov.close()


def test_auditors_and_the_admins_reads_are_recorded_with_who_when_and_route(
    team: Team, clock: Clock
) -> None:
    reads = [
        (
            "auditor",
            "GET",
            "/projects/{pid}/decisions?key=true&limit=5",
            "/projects/{pid}/decisions",
        ),
        ("auditor", "HEAD", "/projects/{pid}/members", "/projects/{pid}/members"),
        ("auditor", "GET", f"/proposals/{team.proposal}", "/proposals/{proposal_id}"),
        ("auditor", "GET", "/audit/proofs/inclusion?position=1", "/audit/proofs/inclusion"),
        ("admin", "GET", "/projects/{pid}/events", "/projects/{pid}/events"),
        ("admin", "GET", "/projects/{pid}", "/projects/{pid}"),
    ]
    times = []
    for who, method, path, _ in reads:
        clock.advance(minutes=1)
        times.append(clock.now)
        assert team.get(path, who, method).status_code == 200
    logged = team.log()
    assert [(e["kind"], e["reader_id"], e["route"], e["path"]) for e in logged] == [
        (
            who,
            team.auditor_id if who == "auditor" else "instance-admin",
            route,
            path.format(pid=team.pid),
        )
        for who, _, path, route in reads
    ]
    assert [e["at"] for e in logged] == [
        t.isoformat(timespec="microseconds").replace("+00:00", "Z") for t in times
    ]
    # the embedding API reads the same log, with each entry's project
    entries = team.gov.access_log(team.pid)
    assert [e.at for e in entries] == times
    assert {e.project_id for e in entries} == {team.pid}
    assert team.gov.access_log(team.other_pid) == []


def test_the_page_names_each_reader(team: Team) -> None:
    team.get("/projects/{pid}/scorecard", "auditor")
    team.get("/projects/{pid}/roles", "admin")
    page = ok(team.get("/projects/{pid}/access-log", "member"), 200)
    assert page["names"] == {team.auditor_id: "Ethics committee", "instance-admin": None}
    assert page["next"] is None


def test_members_reads_are_not_recorded(team: Team) -> None:
    for path in (
        "/projects/{pid}/decisions",
        "/projects/{pid}/events",
        f"/proposals/{team.proposal}",
    ):
        assert team.get(path, "member").status_code == 200
    assert team.log() == []


def test_refused_reads_are_not_recorded(team: Team) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    refused = [
        ("other_auditor", "/projects/{pid}/decisions", 404),  # another project's auditor
        ("nobody", "/projects/{pid}/decisions", 401),
        ("auditor", f"/proposals/{unknown}", 404),
        ("admin", f"/projects/{unknown}/members", 404),
        ("auditor", "/projects/{pid}/decisions?stage=nowhere", 422),
        ("auditor", "/audit/proofs/inclusion?position=999", 404),
    ]
    for who, path, status in refused:
        assert team.get(path, who).status_code == status, path
    # a write refused to an auditor is no read either
    denied = team.client.post(
        f"/projects/{team.pid}/proposals",
        json={"title": "T", "text": "x", "area": "methods"},
        headers={"Authorization": f"Bearer {team.tokens['auditor']}"},
    )
    assert denied.status_code == 403
    assert team.log() == []
    # nor does another project's read land in this project's log
    assert team.get(f"/projects/{team.other_pid}/members", "other_auditor").status_code == 200
    assert team.log() == []
    assert [e.route for e in team.gov.access_log(team.other_pid)] == ["/projects/{pid}/members"]


def test_reading_the_access_log_is_itself_a_logged_read(team: Team) -> None:
    first = ok(team.get("/projects/{pid}/access-log", "auditor"), 200)
    assert first["items"] == []  # the read being answered is recorded as it is answered
    second = ok(team.get("/projects/{pid}/access-log?limit=10", "auditor"), 200)
    assert [(e["reader_id"], e["route"], e["path"]) for e in second["items"]] == [
        (team.auditor_id, "/projects/{pid}/access-log", f"/projects/{team.pid}/access-log")
    ]
    assert len(team.log()) == 2


def test_who_may_read_the_access_log(team: Team) -> None:
    assert team.get("/projects/{pid}/access-log", "member").status_code == 200
    assert team.get("/projects/{pid}/access-log", "auditor").status_code == 200
    assert team.get("/projects/{pid}/access-log", "admin").status_code == 200
    outsider = team.get("/projects/{pid}/access-log", "other_auditor")
    assert outsider.status_code == 404
    assert outsider.headers["content-type"] == "application/problem+json"
    nobody = team.get("/projects/{pid}/access-log", "nobody")
    assert nobody.status_code == 401
    unknown = team.get("/projects/00000000-0000-4000-8000-000000000000/access-log", "admin")
    assert unknown.status_code == 404


def test_the_access_log_pages_by_offset(team: Team, clock: Clock) -> None:
    for _ in range(5):
        clock.advance(seconds=1)
        team.get("/projects/{pid}/power", "auditor")
    whole = team.log()
    assert len(whole) == 5
    walked: list[dict[str, Any]] = []
    url: str | None = "/projects/{pid}/access-log?limit=2"
    while url:
        page = ok(team.get(url, "member"), 200)
        assert 1 <= len(page["items"]) <= 2  # no empty last page
        walked += page["items"]
        url = page["next"]
    assert walked == whole
    assert team.gov.access_log(team.pid, offset=3, limit=10) == team.gov.access_log(team.pid)[3:]
    for bad in ("limit=0", "limit=1001", "cursor=-1"):
        assert team.get(f"/projects/{{pid}}/access-log?{bad}", "member").status_code == 422


def test_an_id_in_any_spelling_is_logged_under_the_project(team: Team) -> None:
    assert team.get(f"/projects/{team.pid.upper()}/roles", "admin").status_code == 200
    assert team.get(f"/projects/{team.pid.replace('-', '')}/roles", "admin").status_code == 200
    assert [e.project_id for e in team.gov.access_log(team.pid)] == [team.pid, team.pid]


def test_the_embedding_api_refuses_an_unknown_project(team: Team) -> None:
    with pytest.raises(NotFound):
        team.gov.access_log("00000000-0000-4000-8000-000000000000")


def test_a_read_that_cannot_be_logged_fails(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    """Losing an access record silently is worse for an audit than a failed read."""
    failures: list[bool] = []
    monkeypatch.setattr(team.gov.store, "failed", lambda: failures.append(True))

    def unreachable(_: AccessRecord) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(team.gov.read_log, "record", unreachable)
    response = team.get("/projects/{pid}/decisions", "auditor")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    assert response.json()["type"] == "/problems/store_unavailable"
    assert failures == [True]
    # a member's read records nothing, so it is answered as ever
    assert team.get("/projects/{pid}/decisions", "member").status_code == 200

    def broken(_: AccessRecord) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(team.gov.read_log, "record", broken)
    response = team.get("/projects/{pid}/decisions", "admin")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "disk" not in response.text


def test_the_log_outlives_the_process_and_a_rebuild_of_the_views(
    shared_store_url: str, clock: Clock
) -> None:
    gov = open_governance(shared_store_url, clock=clock)
    for team in start(gov, clock):
        team.get("/projects/{pid}/decisions", "auditor")
        team.get("/projects/{pid}/power/timeline", "admin")
        pid = team.pid
    gov.close()
    reopened = open_governance(shared_store_url, clock=clock)
    try:
        reopened.rebuild_views()
        assert [e.route for e in reopened.access_log(pid)] == [
            "/projects/{pid}/decisions",
            "/projects/{pid}/power/timeline",
        ]
    finally:
        reopened.close()
