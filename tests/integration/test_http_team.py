"""What a real team does over HTTP at ordinary moments: find their way (who am I, which
projects, who is on the team, which roles, which proposals), read a whole proposal, and run
every command: leaving, perspectives, relinquishing, direct decisions, erasure, revoking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "admin-token-for-team-tests-01234"


class Team:
    """Rosa (researcher, founder and Facilitator), Pam (public), Nia (practitioner)."""

    def __init__(self, client: TestClient, gov: Governance, clock: Clock) -> None:
        self.client = client
        self.gov = gov
        self.clock = clock
        self.tokens: dict[str, str] = {"admin": ADMIN}
        founded = self.ok(
            "POST",
            "/projects",
            {
                "title": "Moving on",
                "founder": {"display_name": "Rosa Lind", "perspectives": ["researcher"]},
            },
            ADMIN,
        )
        self.pid: str = founded["id"]
        self.ids = {"rosa": founded["founder_member_id"]}
        self.tokens["rosa"] = founded["founder_token"]
        for name, full, perspective in (
            ("pam", "Pam Ode", "public"),
            ("nia", "Nia Tate", "practitioner"),
        ):
            admitted = self.ok(
                "POST",
                f"/projects/{self.pid}/members",
                {"display_name": full, "perspectives": [perspective]},
            )
            self.ids[name] = admitted["member_id"]
            self.tokens[name] = admitted["token"]

    def call(self, method: str, path: str, body: Any = None, who: str = "rosa") -> Any:
        token = self.tokens.get(who, who)
        return self.client.request(
            method, path, json=body, headers={"Authorization": f"Bearer {token}"}
        )

    def ok(self, method: str, path: str, body: Any = None, who: str = "rosa") -> Any:
        response = self.call(method, path, body, who)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def table(self, **extra: Any) -> str:
        body = {"title": "Meet online", "text": "Tuesdays at 6pm", "area": "operations"} | extra
        proposal: str = self.ok("POST", f"/projects/{self.pid}/proposals", body)["id"]
        return proposal


@pytest.fixture
def team(database_url: str, clock: Clock) -> Iterator[Team]:
    gov = open_governance(database_url, clock=clock)
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        yield Team(client, gov, clock)
    gov.close()


def test_me_says_who_each_token_is(team: Team) -> None:
    assert team.ok("GET", "/me", who="admin") == {
        "kind": "admin",
        "member_id": None,
        "auditor_id": None,
        "project_id": None,
        "display_name": None,
        "expires_at": None,
    }
    me = team.ok("GET", "/me", who="pam")
    assert me | {"expires_at": None} == {
        "kind": "member",
        "member_id": team.ids["pam"],
        "auditor_id": None,
        "project_id": team.pid,
        "display_name": "Pam Ode",
        "expires_at": None,
    }
    auditor = team.ok(
        "POST",
        f"/projects/{team.pid}/auditors",
        {"name": "REC", "expires_at": "2030-01-01T00:00:00Z"},
    )
    seen = team.ok("GET", "/me", who=auditor["token"])
    assert (seen["kind"], seen["auditor_id"], seen["member_id"]) == (
        "auditor",
        auditor["auditor_id"],
        None,
    )
    assert (seen["kind"], seen["display_name"], seen["expires_at"]) == (
        "auditor",
        "REC",
        "2030-01-01T00:00:00.000000Z",
    )


def test_projects_admin_sees_all_members_their_own(team: Team) -> None:
    team.clock.advance(minutes=1)  # listed in the order founded
    other = team.ok(
        "POST",
        "/projects",
        {"title": "Elsewhere", "founder": {"display_name": "Bo", "perspectives": ["public"]}},
        ADMIN,
    )
    every = team.ok("GET", "/projects", who="admin")["items"]
    assert [p["project_id"] for p in every] == [team.pid, other["id"]]
    assert every[0] | {"version": 0, "position": 0} == {
        "project_id": team.pid,
        "title": "Moving on",
        "stage": "priority_setting",
        "founded_at": "2026-03-02T09:00:00.000000Z",
        "members": 3,
        "version": 0,
        "position": 0,
    }
    assert [p["project_id"] for p in team.ok("GET", "/projects", who="pam")["items"]] == [team.pid]


def test_members_are_shown_as_they_prefer_and_as_erased_once_erased(team: Team) -> None:
    members = team.ok("GET", f"/projects/{team.pid}/members")["items"]
    assert {m["display_name"] for m in members} == {"Rosa Lind", "Pam Ode", "Nia Tate"}
    path = f"/projects/{team.pid}/members/{team.ids['pam']}/name"
    assert team.ok("PUT", path, {"shown_as": "initials"}, who="pam")["display_name"] == "P. O."
    assert team.call("PUT", path, {"shown_as": "pen_name"}, who="pam").status_code == 422
    named = team.ok("PUT", path, {"shown_as": "pen_name", "pen_name": "Wren"}, who="pam")
    assert named["display_name"] == "Wren"
    assert team.call("PUT", path, {"shown_as": "initials"}, who="rosa").status_code == 403

    proposal = team.table()
    team.ok("POST", f"/proposals/{proposal}/responses", {"stance": "consent"}, who="pam")
    assert team.ok("GET", f"/proposals/{proposal}")["names"][team.ids["pam"]] == "Wren"

    before = team.gov.max_position()
    team.ok("POST", f"/projects/{team.pid}/members/{team.ids['pam']}/erasure", who="pam")
    assert team.gov.events_after(before, 1)[0].type == "MemberErased"
    assert team.gov.events_after(before, 1)[0].data == {"member_id": team.ids["pam"]}
    pam = next(
        m
        for m in team.ok("GET", f"/projects/{team.pid}/members")["items"]
        if m["member_id"] == team.ids["pam"]
    )
    assert (pam["display_name"], pam["erased"]) == ("erased member", True)
    assert team.ok("GET", f"/proposals/{proposal}")["names"][team.ids["pam"]] == "erased member"
    for listing in ("proposals", "decisions"):
        page = team.ok("GET", f"/projects/{team.pid}/{listing}")
        # the proposer, and pam, who took part by responding
        assert page["names"] == {team.ids["rosa"]: "Rosa Lind", team.ids["pam"]: "erased member"}
    trail = team.ok("GET", f"/projects/{team.pid}/events")
    assert trail["names"][team.ids["pam"]] == "erased member"  # the event lines stay as they were
    assert trail["names"][team.ids["rosa"]] == "Rosa Lind"
    power = team.ok("GET", f"/projects/{team.pid}/power")
    assert power["names"][team.ids["pam"]] == "erased member"
    again = team.call("POST", f"/projects/{team.pid}/members/{team.ids['pam']}/erasure", who="pam")
    assert again.status_code == 409


def test_the_whole_proposal_with_every_stance_reason_proxy_and_time(team: Team) -> None:
    proposal = team.table(key=False)
    t0 = team.clock.now
    team.ok("POST", f"/proposals/{proposal}/proxies", {"member_id": team.ids["rosa"]}, who="nia")
    team.ok(
        "POST",
        f"/proposals/{proposal}/responses",
        {"stance": "consent", "reason": "Evenings work for me", "on_behalf_of": team.ids["nia"]},
    )
    team.clock.advance(hours=1)
    team.ok(
        "POST",
        f"/proposals/{proposal}/responses",
        {"stance": "object", "reason": "6pm clashes with care duties"},
        who="pam",
    )
    team.ok("POST", f"/proposals/{proposal}/comments", {"text": "Could we alternate?"}, who="pam")
    team.clock.advance(hours=1)
    team.ok(
        "POST", f"/proposals/{proposal}/amendments", {"text": "Alternate Tuesdays and Thursdays"}
    )
    team.ok("POST", f"/proposals/{proposal}/objections/withdrawal", who="pam")
    team.ok(
        "POST",
        f"/proposals/{proposal}/responses",
        {"stance": "stand_aside", "reason": "Fine by me"},
        who="rosa",
    )

    whole = team.ok("GET", f"/proposals/{proposal}")
    assert whole["text"] == "Alternate Tuesdays and Thursdays"
    assert whole["tabled_at"] == "2026-03-02T09:00:00.000000Z"
    assert whole["due"] is False and whole["closed_at"] is None
    assert whole["proxies"] == {team.ids["nia"]: team.ids["rosa"]}
    stances = {r["member_id"]: (r["stance"], r["reason"], r["cast_by"]) for r in whole["responses"]}
    assert stances == {
        team.ids["pam"]: ("stand_aside", None, None),  # withdrew the objection, still took part
        team.ids["rosa"]: ("stand_aside", "Fine by me", None),
    }
    acts = [(h["member_id"], h["act"], h["stance"], h["cast_by"]) for h in whole["history"]]
    assert acts == [
        (team.ids["nia"], "response", "consent", team.ids["rosa"]),
        (team.ids["pam"], "response", "object", None),
        (team.ids["nia"], "consent_voided", None, None),
        (team.ids["pam"], "objection_withdrawn", None, None),
        (team.ids["pam"], "response", "stand_aside", None),
        (team.ids["rosa"], "response", "stand_aside", None),
    ]
    assert whole["history"][0]["reason"] == "Evenings work for me"
    assert whole["history"][0]["at"] == t0.isoformat().replace("+00:00", ".000000Z")
    assert [a["voided_consents"] for a in whole["amendments"]] == [[team.ids["nia"]]]
    assert [(c["author"], c["text"]) for c in whole["comments"]] == [
        (team.ids["pam"], "Could we alternate?")
    ]
    assert set(whole["names"]) == set(team.ids.values())

    team.clock.advance(days=8)  # past closes_at: due, for anyone (or the server) to close
    assert team.ok("GET", f"/proposals/{proposal}")["due"] is True
    team.ok("POST", f"/proposals/{proposal}/closure", who="nia")
    closed = team.ok("GET", f"/proposals/{proposal}")
    assert (closed["due"], closed["outcome"]) == (False, "rejected")  # nobody consents now
    assert closed["closed_at"] is not None


def test_a_withdrawn_objection_still_counts_for_quorum(team: Team) -> None:
    proposal = team.table(key=False)
    reason = {"stance": "object", "reason": "Too late"}
    team.ok("POST", f"/proposals/{proposal}/responses", reason, who="pam")
    team.ok("POST", f"/proposals/{proposal}/responses", {"stance": "consent"}, who="nia")
    team.ok("POST", f"/proposals/{proposal}/objections/withdrawal", who="pam")
    team.clock.advance(days=8)
    assert team.ok("POST", f"/proposals/{proposal}/closure", who="nia")["outcome"] == "adopted"
    row = team.ok("GET", f"/projects/{team.pid}/decisions")["items"][-1]
    assert (row["participation"]["public"], row["withdrawn_objections"]) == (1, 1)


def test_proposals_are_listed_and_filtered(team: Team) -> None:
    first = team.table(key=True)
    second = team.table(key=False)
    team.ok("POST", f"/proposals/{second}/withdrawal", {"reason": "not now"})
    listed = team.ok("GET", f"/projects/{team.pid}/proposals")
    assert [p["proposal_id"] for p in listed["items"]] == [first, second]
    open_ = team.ok("GET", f"/projects/{team.pid}/proposals?status=open")["items"]
    assert [p["proposal_id"] for p in open_] == [first]
    closed = team.ok("GET", f"/projects/{team.pid}/proposals?status=closed")["items"]
    assert [p["proposal_id"] for p in closed] == [second]
    keyed = team.ok("GET", f"/projects/{team.pid}/proposals?key=false")["items"]
    assert [p["proposal_id"] for p in keyed] == [second]
    assert team.ok("GET", f"/projects/{team.pid}/proposals?stage=design")["items"] == []
    for bad in ("status=passed", "stage=later"):
        assert team.call("GET", f"/projects/{team.pid}/proposals?{bad}").status_code == 422


def test_a_direct_decision_is_logged_and_fails_joint_ownership_when_key(team: Team) -> None:
    delegate = team.table(
        key=True,
        title="Rosa decides recruitment",
        area="recruitment",
        actions=[
            {"type": "delegate_area", "area": "recruitment", "member_ids": [team.ids["rosa"]]}
        ],
    )
    for who in ("rosa", "pam", "nia"):
        team.ok("POST", f"/proposals/{delegate}/responses", {"stance": "consent"}, who=who)
    team.ok("POST", f"/proposals/{delegate}/closure")
    body = {
        "title": "Add two GP surgeries",
        "text": "Recruitment is behind",
        "area": "recruitment",
        "key": True,
    }
    refused = team.call("POST", f"/projects/{team.pid}/direct-decisions", body, who="pam")
    assert refused.status_code == 403
    decided = team.ok("POST", f"/projects/{team.pid}/direct-decisions", body)
    rows = team.ok("GET", f"/projects/{team.pid}/decisions?after={decided['position']}")["items"]
    row = next(r for r in rows if r["proposal_id"] == decided["decision_id"])
    assert (row["by_proposal"], row["jointly_owned"]) == (False, False)
    assert "not_by_proposal" in row["failed_criteria"]
    listed = team.ok("GET", f"/projects/{team.pid}/proposals")["items"]
    assert decided["decision_id"] not in {p["proposal_id"] for p in listed}


def test_leaving_perspectives_and_relinquishing(team: Team) -> None:
    members = f"/projects/{team.pid}/members"
    assert (
        team.call("POST", f"{members}/{team.ids['pam']}/departure", who="rosa").status_code == 403
    )
    team.ok(
        "POST",
        f"{members}/{team.ids['nia']}/perspectives",
        {"perspectives": ["practitioner", "public"]},
    )
    refused = team.call(
        "POST",
        f"{members}/{team.ids['pam']}/perspectives",
        {"perspectives": ["public", "researcher"]},
        who="pam",
    )
    assert refused.status_code == 403  # nobody gives themselves a perspective
    team.ok(
        "POST", f"/projects/{team.pid}/roles", {"name": "Scribe", "responsibilities": "Minutes"}
    )
    team.ok("POST", f"/projects/{team.pid}/roles/Scribe/holders", {"member_id": team.ids["pam"]})
    team.ok(
        "POST",
        f"/projects/{team.pid}/roles/Scribe/holders/{team.ids['pam']}/relinquishment",
        who="pam",
    )
    roles = team.ok("GET", f"/projects/{team.pid}/roles")
    scribe = next(r for r in roles["items"] if r["name"] == "Scribe")
    assert scribe["holders"] == []
    assert roles["names"] == {team.ids["rosa"]: "Rosa Lind"}  # the Facilitator
    team.ok("POST", f"{members}/{team.ids['nia']}/departure", who="nia")
    listed = {m["member_id"]: m for m in team.ok("GET", members)["items"]}
    assert listed[team.ids["nia"]]["status"] == "left"
    assert listed[team.ids["nia"]]["perspectives"] == ["practitioner", "public"]
    assert team.call("GET", "/me", who="nia").status_code == 401  # a member who left


def test_revoking_a_member_token_and_an_auditor(team: Team) -> None:
    members = f"/projects/{team.pid}/members"
    assert team.call("DELETE", f"{members}/{team.ids['pam']}/tokens", who="nia").status_code == 403
    team.ok("DELETE", f"{members}/{team.ids['pam']}/tokens", who="pam")
    assert team.call("GET", "/me", who="pam").status_code == 401
    assert team.call("DELETE", f"{members}/{team.ids['pam']}/tokens").status_code == 409
    fresh = team.ok("POST", f"{members}/{team.ids['pam']}/tokens")["token"]
    assert team.ok("GET", "/me", who=fresh)["member_id"] == team.ids["pam"]

    auditor = team.ok(
        "POST",
        f"/projects/{team.pid}/auditors",
        {"name": "REC", "expires_at": "2030-01-01T00:00:00Z"},
    )
    assert team.call("GET", "/me", who=auditor["token"]).status_code == 200
    team.ok("DELETE", f"/projects/{team.pid}/auditors/{auditor['auditor_id']}", who="admin")
    assert team.call("GET", "/me", who=auditor["token"]).status_code == 401
    again = team.call("DELETE", f"/projects/{team.pid}/auditors/{auditor['auditor_id']}")
    assert again.status_code == 404
    renewed = team.call("POST", f"{members}/{auditor['auditor_id']}/tokens")
    assert renewed.status_code == 404  # a revoked auditor gets no new token


def test_a_wrong_method_is_405_naming_every_method_of_the_path(team: Team) -> None:
    for path, allowed in [
        ("/projects", "GET, HEAD, POST"),
        (f"/projects/{team.pid}/members/{team.ids['pam']}/tokens", "DELETE, POST"),
        (f"/projects/{team.pid}/roles", "GET, HEAD, POST"),
    ]:
        response = team.call("PATCH", path)
        assert response.status_code == 405
        assert response.headers["allow"] == allowed


def test_the_trail_filters_by_type_member_and_time(team: Team) -> None:
    proposal = team.table(key=False)
    team.clock.advance(days=1)
    middle = team.clock.now
    team.ok("POST", f"/proposals/{proposal}/responses", {"stance": "consent"}, who="pam")
    team.ok("POST", f"/proposals/{proposal}/responses", {"stance": "consent"}, who="nia")
    team.clock.advance(days=1)
    team.ok("POST", f"/proposals/{proposal}/comments", {"text": "Thanks all"}, who="pam")
    trail = f"/projects/{team.pid}/events"

    def walk(query: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        url: str | None = f"{trail}?limit=1&{query}"
        while url:
            page = team.ok("GET", url)
            items += page["items"]
            url = page["next"]
        return items

    responses = walk("type=ResponseGiven")
    assert [e["data"]["member_id"] for e in responses] == [team.ids["pam"], team.ids["nia"]]
    by_pam = walk(f"member={team.ids['pam']}")
    assert {e["type"] for e in by_pam} == {
        "MemberAdmitted",
        "TokenIssued",
        "ResponseGiven",
        "CommentPosted",
    }
    since, until = (t.isoformat().replace("+", "%2B") for t in (middle, middle.replace(hour=23)))
    window = walk(f"from={since}&to={until}")
    assert [e["type"] for e in window] == ["ResponseGiven", "ResponseGiven"]
    assert team.call("GET", f"{trail}?type=Nonsense").status_code == 422
    assert team.call("GET", f"{trail}?from=2026-03-02T09:00:00").status_code == 422


@pytest.mark.parametrize("query", ["to=0.5", "from=1700000000", "as_of=12"])
def test_a_bare_number_is_not_a_time(team: Team, query: str) -> None:
    """A number would be read as seconds since 1970 by the schema library: refused."""
    route = "power" if query.startswith("as_of") else "events"
    response = team.call("GET", f"/projects/{team.pid}/{route}?{query}")
    assert response.status_code == 422, response.text
