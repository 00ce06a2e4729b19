"""GET /projects/{pid}/accountability on every store: who holds each area and role and who
answers for each open ethics issue, at a moment (ISO 8601 with a zone, else 422; before
founding, 404), with names; auditors' and the admin's reads go into the access log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from fastapi.testclient import TestClient

from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "admin-token-for-accountability-1"


@attrs.define
class Team:
    """Fay (researcher, Facilitator) gives Mo (public) the Ethics Lead role, which carries
    the ethics area; Mo then raises an ethics issue."""

    client: TestClient
    pid: str
    fay: str
    mo: str
    tokens: dict[str, str]
    positions: dict[str, int]
    issue_id: str
    auditor_id: str

    def get(self, query: str = "", who: str = "auditor", method: str = "GET") -> Any:
        return self.client.request(
            method,
            f"/projects/{self.pid}/accountability{query}",
            headers={"Authorization": f"Bearer {self.tokens[who]}"},
        )


def ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def team(database_url: str, clock: Clock) -> Iterator[Team]:
    gov = open_governance(database_url, clock=clock)
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        founder = {"display_name": "Fay", "perspectives": ["researcher"]}
        admin = {"Authorization": f"Bearer {ADMIN}"}
        a = ok(client.post("/projects", json={"title": "A", "founder": founder}, headers=admin))
        pid, fay = a["id"], {"Authorization": f"Bearer {a['founder_token']}"}
        clock.advance(days=1)
        mo = ok(
            client.post(
                f"/projects/{pid}/members",
                json={"display_name": "Mo", "perspectives": ["public"]},
                headers=fay,
            )
        )
        auditor = ok(
            client.post(
                f"/projects/{pid}/auditors",
                json={"name": "REC", "expires_at": "2030-01-01T00:00:00Z"},
                headers=fay,
            )
        )
        clock.advance(days=1)
        role = {"name": "Ethics Lead", "areas": ["ethics"]}
        ok(client.post(f"/projects/{pid}/roles", json=role, headers=fay))
        assigned = ok(
            client.post(
                f"/projects/{pid}/roles/Ethics%20Lead/holders",
                json={"member_id": mo["member_id"]},
                headers=fay,
            )
        )
        clock.advance(days=1)
        raised = ok(
            client.post(
                f"/projects/{pid}/journal/ethics-issues",
                json={"title": "Consent", "text": "The form is long"},
                headers={"Authorization": f"Bearer {mo['token']}"},
            )
        )
        yield Team(
            client,
            pid,
            a["founder_member_id"],
            mo["member_id"],
            {"member": a["founder_token"], "auditor": auditor["token"], "admin": ADMIN},
            {"assigned": assigned["position"], "raised": raised["position"]},
            raised["issue_id"],
            auditor["auditor_id"],
        )
    gov.close()


def test_who_holds_what_and_who_answers_for_an_open_issue(team: Team) -> None:
    body = ok(team.get(f"?after={team.positions['raised']}"), 200)
    assert body["project_id"] == team.pid
    assert body["position"] == team.positions["assigned"]
    ethics = next(a for a in body["areas"] if a["area"] == "ethics")
    assert ethics["holders"] == [
        {
            "member_id": team.mo,
            "through": "role",
            "role": "Ethics Lead",
            "until_stage": None,
            "since": team.positions["assigned"],
        }
    ]
    facilitator = next(r for r in body["roles"] if r["name"] == "Facilitator")
    assert facilitator["leadership"] is True
    assert facilitator["holders"] == [{"member_id": team.fay, "since": 1}]
    [issue] = body["ethics_issues"]
    assert issue["issue_id"] == team.issue_id
    assert issue["position"] == team.positions["raised"]
    assert (issue["raised_by"], issue["responsible"], issue["accountable"]) == (
        team.mo,
        [team.mo],
        [team.fay],
    )
    assert issue["responsible_as"] == "ethics_area"
    assert issue["evidence"] == [1, team.positions["assigned"], team.positions["raised"]]
    assert body["names"] == {team.fay: "Fay", team.mo: "Mo"}


def test_as_of_gives_the_project_as_it_stood(team: Team) -> None:
    before_role = ok(team.get("?as_of=2026-03-03T12:00:00Z"), 200)
    assert before_role["as_of"] == "2026-03-03T12:00:00.000000Z"
    assert [r["name"] for r in before_role["roles"]] == ["Facilitator"]
    assert all(a["holders"] == [] for a in before_role["areas"])
    assert before_role["ethics_issues"] == []
    assert before_role["names"] == {team.fay: "Fay"}
    same = ok(team.get("?as_of=2026-03-03T13:00:00%2B01:00"), 200)
    assert same["position"] == before_role["position"]


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        ("2026-03-02T08:59:59Z", 404),  # before founding
        ("2026-03-03T12:00:00", 422),  # no zone
        ("soon", 422),
        ("0.5", 422),  # never seconds since 1970
        ("9999-12-31T23:59:59-01:00", 422),  # out of range
    ],
)
def test_a_moment_without_a_zone_or_before_founding_is_refused(
    team: Team, as_of: str, status: int
) -> None:
    response = team.get(f"?as_of={as_of}")
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_auditors_and_the_admins_reads_are_logged_and_members_are_not(team: Team) -> None:
    for who in ("member", "auditor", "admin"):
        assert team.get("?as_of=2026-03-05T00:00:00Z", who).status_code == 200
    assert team.get(who="auditor", method="HEAD").status_code == 200
    member = {"Authorization": f"Bearer {team.tokens['member']}"}
    log = ok(team.client.get(f"/projects/{team.pid}/access-log", headers=member), 200)
    assert [(e["kind"], e["route"]) for e in log["items"]] == [
        ("auditor", "/projects/{pid}/accountability"),
        ("admin", "/projects/{pid}/accountability"),
        ("auditor", "/projects/{pid}/accountability"),
    ]
    assert log["items"][0]["reader_id"] == team.auditor_id
    assert log["items"][0]["path"].endswith("/accountability?as_of=2026-03-05T00:00:00Z")


def test_the_scorecard_answers_as_of_a_moment_too(team: Team) -> None:
    """The scorecard takes the same `as_of`: the ethics issue raised on day 3 is not
    evidence on day 2, and a moment before founding is a 404."""
    url = f"/projects/{team.pid}/scorecard"
    auth = {"Authorization": f"Bearer {team.tokens['auditor']}"}
    now = ok(team.client.get(f"{url}?after={team.positions['raised']}", headers=auth), 200)
    then = ok(team.client.get(f"{url}?as_of=2026-03-03T12:00:00Z", headers=auth), 200)
    assert then["as_of"] == "2026-03-03T12:00:00.000000Z"

    def cited(card: dict[str, Any]) -> set[int]:
        return {p for i in card["indicators"] for p in i["evidence"]}

    assert team.positions["raised"] in cited(now)
    assert cited(then) and max(cited(then)) < team.positions["raised"]
    early = team.client.get(f"{url}?as_of=2026-03-02T08:59:59Z", headers=auth)
    assert early.status_code == 404, early.text
    assert team.client.get(f"{url}?as_of=soon", headers=auth).status_code == 422
