"""Results hidden until close over HTTP, end to end: while a proposal tabled under a charter
with `results_hidden_until_close` is open, each route that could show a stance shows a
member only their own and the count, and an auditor or the admin only the count; the log
refuses a hidden leaf with 409; once the proposal closes, every route shows everything."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "admin-token-for-hidden-results-tests"


class Team:
    """Rosa (researcher, Facilitator), Pam (public), Nia (practitioner), and an auditor,
    under a charter that hides results until close."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.tokens = {"admin": ADMIN}
        founded = self.ok(
            "POST",
            "/projects",
            {
                "title": "Pacing together",
                "founder": {"display_name": "Rosa Lind", "perspectives": ["researcher"]},
                "charter": {"results_hidden_until_close": True},
            },
            "admin",
        )
        self.pid: str = founded["id"]
        self.ids = {"rosa": founded["founder_member_id"]}
        self.tokens["rosa"] = founded["founder_token"]
        for name, perspective in (("pam", "public"), ("nia", "practitioner")):
            admitted = self.ok(
                "POST",
                f"/projects/{self.pid}/members",
                {"display_name": name.title(), "perspectives": [perspective]},
            )
            self.ids[name] = admitted["member_id"]
            self.tokens[name] = admitted["token"]
        auditor = self.ok(
            "POST",
            f"/projects/{self.pid}/auditors",
            {"name": "Ethics committee", "expires_at": "2030-01-01T00:00:00Z"},
        )
        self.tokens["auditor"] = auditor["token"]

    def call(self, method: str, path: str, body: Any = None, who: str = "rosa") -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.request(method, path, json=body, headers=headers)

    def ok(self, method: str, path: str, body: Any = None, who: str = "rosa") -> Any:
        response = self.call(method, path, body, who)
        assert response.status_code in (200, 201), response.text
        if response.headers["content-type"].startswith("application/json"):
            return response.json()
        return response.content

    def trail(self, who: str, proposal: str, **query: str) -> list[dict[str, Any]]:
        params = "&".join(f"{k}={v}" for k, v in query.items())
        page = self.ok("GET", f"/projects/{self.pid}/events?limit=1000&{params}", who=who)
        return [e for e in page["items"] if e["aggregate_id"] == proposal]


@pytest.fixture
def team(clock: Clock) -> Iterator[Team]:
    gov = open_governance("memory://", clock=clock)
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        yield Team(client)
    gov.close()


def test_every_route_shows_only_the_readers_own_stance_and_the_count_until_close(
    team: Team,
) -> None:
    ids = team.ids
    proposal = team.ok(
        "POST",
        f"/projects/{team.pid}/proposals",
        {"title": "Pay for reading time", "text": "At the usual rate", "area": "budget"},
    )["id"]
    objected = team.ok(
        "POST",
        f"/proposals/{proposal}/responses",
        {"stance": "object", "reason": "Travel time too"},
        "pam",
    )["position"]
    consented = team.ok("POST", f"/proposals/{proposal}/responses", {"stance": "consent"}, "nia")[
        "position"
    ]

    # the whole proposal
    pam = team.ok("GET", f"/proposals/{proposal}", who="pam")
    assert (pam["hidden_until_close"], pam["response_count"], pam["tally"]) == (True, 2, {})
    assert [(r["member_id"], r["stance"], r["reason"]) for r in pam["responses"]] == [
        (ids["pam"], "object", "Travel time too")
    ]
    assert [h["member_id"] for h in pam["history"]] == [ids["pam"]]
    for who in ("rosa", "auditor", "admin"):
        seen = team.ok("GET", f"/proposals/{proposal}", who=who)
        assert (seen["responses"], seen["history"], seen["response_count"]) == ([], [], 2)

    # decision rows
    for listing in ("decisions", "proposals?status=open"):
        page = team.ok("GET", f"/projects/{team.pid}/{listing}", who="auditor")
        (row,) = page["items"]
        assert (row["hidden_until_close"], row["response_count"]) == (True, 2)
        assert (row["tally"], row["participation"], row["ballots"]) == ({}, {}, [])
        assert (row["open_objections"], row["participants"]) == (0, [ids["rosa"]])
        assert set(page["names"]) == {ids["rosa"]}

    # the trail
    shown = [(e["type"], e["actor"], e["data"]) for e in team.trail("nia", proposal)]
    assert shown[1] == ("HiddenUntilClose", None, {"hidden_until_close": True})
    assert shown[2][:2] == ("ResponseGiven", ids["nia"])
    assert team.trail("auditor", proposal, type="ResponseGiven") == []
    assert len(team.trail("auditor", proposal, type="HiddenUntilClose")) == 2
    assert team.trail("rosa", proposal, member=ids["pam"]) == []

    # the log: a hidden leaf is refused, one's own is given
    refused = team.call("GET", f"/audit/proofs/inclusion?position={objected}", who="nia")
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/hidden_until_close"
    for who in ("auditor", "admin", "rosa"):
        path = f"/audit/proofs/inclusion?position={consented}"
        assert team.call("GET", path, who=who).status_code == 409
    own = team.ok("GET", f"/audit/proofs/inclusion?position={objected}", who="pam")
    assert own["position"] == objected

    # the audit pack and the report
    pack = zipfile.ZipFile(io.BytesIO(team.ok("GET", f"/projects/{team.pid}/audit-pack")))
    assert b"Travel time too" not in pack.read("events.jsonl")
    assert proposal in pack.read("README.txt").decode()
    report = team.ok("GET", f"/projects/{team.pid}/report", who="auditor")
    assert b"Travel time too" not in report

    # once it closes, everything
    team.ok("POST", f"/proposals/{proposal}/responses", {"stance": "consent"}, "rosa")
    team.ok("POST", f"/proposals/{proposal}/closure")
    for who in ("auditor", "admin", "nia"):
        closed = team.ok("GET", f"/proposals/{proposal}", who=who)
        assert not closed["hidden_until_close"] and closed["outcome"] == "rejected"
        assert {r["stance"] for r in closed["responses"]} == {"object", "consent"}
        assert closed["tally"]["public"]["object"] == 1
        (row,) = team.ok("GET", f"/projects/{team.pid}/decisions", who=who)["items"]
        assert not row["hidden_until_close"] and row["open_objections"] == 1
        assert [e["type"] for e in team.trail(who, proposal)][1:3] == ["ResponseGiven"] * 2
        leaf = team.ok("GET", f"/audit/proofs/inclusion?position={objected}", who=who)
        assert leaf["leaf"] == own["leaf"]
    pack = zipfile.ZipFile(io.BytesIO(team.ok("GET", f"/projects/{team.pid}/audit-pack")))
    assert b"Travel time too" in pack.read("events.jsonl")


def test_without_the_option_every_reader_sees_every_stance_while_open(team: Team) -> None:
    charter = team.ok("GET", f"/projects/{team.pid}")["charter"]
    assert charter["results_hidden_until_close"] is True
    founded = team.ok(
        "POST",
        "/projects",
        {"title": "Open book", "founder": {"display_name": "Ola", "perspectives": ["public"]}},
        "admin",
    )
    team.tokens["ola"] = founded["founder_token"]
    proposal = team.ok(
        "POST",
        f"/projects/{founded['id']}/proposals",
        {"title": "Meet monthly", "text": "First Monday", "area": "operations"},
        "ola",
    )["id"]
    team.ok("POST", f"/proposals/{proposal}/responses", {"stance": "consent"}, "ola")
    seen = team.ok("GET", f"/proposals/{proposal}", who="admin")
    assert not seen["hidden_until_close"] and [r["stance"] for r in seen["responses"]] == [
        "consent"
    ]
