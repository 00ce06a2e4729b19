"""The co-production log over HTTP on every store: members write as themselves, a
Facilitator may record for another member, auditors only read; bad input records nothing;
entries are listed by kind, stage and member, sit in the project's trail and in the log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "admin-token-for-journal-tests-01"


class Team:
    """Rosa (researcher, Facilitator), Pam (public), and an auditor."""

    def __init__(self, client: TestClient, gov: Governance) -> None:
        self.client = client
        self.gov = gov
        founded = self.post(
            "/projects",
            {
                "title": "Moving on",
                "founder": {"display_name": "Rosa", "perspectives": ["researcher"]},
            },
            ADMIN,
        )
        self.pid = founded["id"]
        self.rosa, self.rosa_token = founded["founder_member_id"], founded["founder_token"]
        pam = self.post(
            f"/projects/{self.pid}/members",
            {"display_name": "Pam", "perspectives": ["public"]},
            self.rosa_token,
        )
        self.pam, self.pam_token = pam["member_id"], pam["token"]
        self.auditor_token = self.post(
            f"/projects/{self.pid}/auditors",
            {"name": "REC", "expires_at": "2030-01-01T00:00:00Z"},
            self.rosa_token,
        )["token"]

    def call(self, method: str, path: str, body: Any, token: str) -> Any:
        return self.client.request(
            method, path, json=body, headers={"Authorization": f"Bearer {token}"}
        )

    def post(self, path: str, body: Any, token: str) -> Any:
        response = self.call("POST", path, body, token)
        assert response.status_code == 201, response.text
        return response.json()

    def journal(self, query: str = "") -> list[dict[str, Any]]:
        response = self.call(
            "GET", f"/projects/{self.pid}/journal?{query}", None, self.auditor_token
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


@pytest.fixture
def team(database_url: str, clock: Clock) -> Iterator[Team]:
    gov = open_governance(database_url, clock=clock)
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        yield Team(client, gov)
    gov.close()


def test_members_write_as_themselves_and_a_facilitator_for_others(team: Team) -> None:
    log = f"/projects/{team.pid}/journal"
    paid = {"member_id": team.pam, "kind": "payment_paid", "amount_minor": 7500, "currency": "GBP"}
    team.post(f"{log}/recognitions", paid, team.rosa_token)  # a Facilitator, for Pam
    declined = {"member_id": team.pam, "kind": "payment_declined"}
    team.post(f"{log}/recognitions", declined, team.pam_token)  # no reason asked for
    for_rosa = {"member_id": team.rosa, "kind": "training", "text": "Induction"}
    refused = team.call("POST", f"{log}/support", for_rosa, team.pam_token)
    assert refused.status_code == 403  # Pam is no Facilitator
    reflection = {"scope": "team", "text": "We shared the agenda", "themes": ["power"]}
    assert (
        team.call("POST", f"{log}/reflections", reflection, team.auditor_token).status_code == 403
    )

    entries = team.journal()
    assert [(e["kind"], e["actor"]) for e in entries] == [
        ("recognition", team.rosa),
        ("recognition", team.pam),
    ]
    assert entries[0]["data"] | {} == {
        "member_id": team.pam,
        "kind": "payment_paid",
        "amount_minor": 7500,
        "currency": "GBP",
        "activity": None,
        "note": None,
    }


@pytest.mark.parametrize(
    ("route", "body"),
    [
        (
            "recognitions",
            {"member_id": "{pam}", "kind": "payment_paid", "amount_minor": -1, "currency": "GBP"},
        ),
        (
            "recognitions",
            {"member_id": "{pam}", "kind": "payment_paid", "amount_minor": "75", "currency": "GBP"},
        ),
        (
            "recognitions",
            {"member_id": "{pam}", "kind": "payment_paid", "amount_minor": 75, "currency": "gbp"},
        ),
        ("recognitions", {"member_id": "{pam}", "kind": "payment_paid", "amount_minor": 75}),
        ("recognitions", {"member_id": "{pam}", "kind": "gift"}),
        ("recognitions", {"member_id": "nobody", "kind": "acknowledgement"}),
        (
            "dialogue",
            {"kind": "meeting", "held_at": "2026-03-01T10:00:00Z", "attendees": [], "summary": "x"},
        ),
        (
            "dialogue",
            {
                "kind": "meeting",
                "held_at": "2031-03-01T10:00:00Z",
                "attendees": ["{pam}"],
                "summary": "x",
            },
        ),
        ("reflections", {"scope": "everyone", "text": "x"}),
        ("reflections", {"scope": "team", "text": "x", "stage": "later"}),
        (
            "ethics-reviews",
            {"committee": "REC", "reference": "1", "outcome": "ok", "decided_on": "2026-03-01"},
        ),
        ("involvement-justifications", {"stage": "funding", "reason": ""}),
    ],
)
def test_bad_entries_are_refused_and_nothing_recorded(
    team: Team, route: str, body: dict[str, Any]
) -> None:
    before = team.gov.max_position()
    filled = {
        k: (
            v.format(pam=team.pam)
            if isinstance(v, str)
            else [a.format(pam=team.pam) for a in v]
            if isinstance(v, list)
            else v
        )
        for k, v in body.items()
    }
    response = team.call("POST", f"/projects/{team.pid}/journal/{route}", filled, team.rosa_token)
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert team.gov.max_position() == before


def test_an_ethics_issue_is_raised_then_resolved_once(team: Team) -> None:
    log = f"/projects/{team.pid}/journal"
    raised = team.post(
        f"{log}/ethics-issues", {"title": "Consent", "text": "Forms too long"}, team.pam_token
    )
    team.post(
        f"{log}/ethics-issues/{raised['issue_id']}/resolution",
        {"how": "Shortened"},
        team.rosa_token,
    )
    again = team.call(
        "POST",
        f"{log}/ethics-issues/{raised['issue_id']}/resolution",
        {"how": "Again"},
        team.rosa_token,
    )
    assert again.status_code == 409
    unknown = team.call(
        "POST", f"{log}/ethics-issues/{team.pam}/resolution", {"how": "?"}, team.rosa_token
    )
    assert unknown.status_code == 404
    assert [e["kind"] for e in team.journal()] == ["ethics_issue", "ethics_resolution"]


def test_entries_are_listed_by_kind_stage_and_member_and_are_in_the_trail_and_log(
    team: Team,
) -> None:
    log = f"/projects/{team.pid}/journal"
    team.post(f"{log}/reflections", {"scope": "individual", "text": "I spoke up"}, team.pam_token)
    team.post(
        f"{log}/dialogue",
        {
            "kind": "workshop",
            "held_at": "2026-03-02T08:00:00Z",
            "attendees": [team.pam, team.rosa],
            "summary": "Mapping",
        },
        team.rosa_token,
    )
    team.post(f"{log}/impacts", {"kind": "practice", "text": "A new leaflet"}, team.rosa_token)
    team.post(
        f"{log}/involvement-justifications",
        {"stage": "funding", "reason": "Budget only"},
        team.rosa_token,
    )
    assert [e["kind"] for e in team.journal("kind=dialogue")] == ["dialogue"]
    assert [e["kind"] for e in team.journal(f"member={team.pam}")] == ["reflection", "dialogue"]
    assert [e["kind"] for e in team.journal("stage=funding")] == ["involvement_justification"]
    assert team.call("GET", f"{log}?kind=party", None, team.rosa_token).status_code == 422
    page = team.call("GET", f"{log}?limit=2", None, team.rosa_token).json()
    assert len(page["items"]) == 2 and page["next"] and page["names"][team.pam] == "Pam"
    trail = team.call(
        "GET", f"/projects/{team.pid}/events?type=ImpactRecorded", None, team.auditor_token
    ).json()["items"]
    assert [e["data"]["kind"] for e in trail] == ["practice"]
    assert team.gov.verify_log().ok


@pytest.mark.parametrize(
    ("route", "body"),
    [
        (
            "journal/ethics-reviews",
            {"committee": "R", "reference": "1", "outcome": "favourable", "decided_on": 0},
        ),
        (
            "journal/dialogue",
            {"kind": "meeting", "held_at": 1772442000, "attendees": ["{pam}"], "summary": "x"},
        ),
        ("auditors", {"name": "REC", "expires_at": 1900000000}),
        (
            "journal/ethics-reviews",
            {
                "committee": "R",
                "reference": "1",
                "outcome": "favourable",
                "decided_on": "2026-03-01T00:00:00Z",
            },
        ),
    ],
)
def test_a_bare_number_is_no_date(team: Team, route: str, body: dict[str, Any]) -> None:
    """Read as seconds or days since 1970 by the schema library, and recorded (201)."""
    body = {k: [team.pam] if v == ["{pam}"] else v for k, v in body.items()}
    before = team.gov.max_position()
    response = team.call("POST", f"/projects/{team.pid}/{route}", body, team.rosa_token)
    assert response.status_code == 422, response.text
    assert team.gov.max_position() == before


def test_the_scorecard_over_http_cites_the_journal_entries_that_evidence_it(
    team: Team, clock: Clock
) -> None:
    log = f"/projects/{team.pid}/journal"
    workshop = {
        "kind": "workshop",
        "held_at": clock().isoformat(),
        "attendees": [team.rosa, team.pam],
        "summary": "We drafted the interview guide together",
    }
    met = team.post(f"{log}/dialogue", workshop, team.rosa_token)["position"]
    claim = {
        "member_id": team.pam,
        "kind": "payment_claimed",
        "amount_minor": 5000,
        "currency": "GBP",
    }
    claimed = team.post(f"{log}/recognitions", claim, team.pam_token)["position"]
    declined = team.post(
        f"{log}/recognitions", {"member_id": team.pam, "kind": "payment_declined"}, team.pam_token
    )["position"]
    clock.advance(days=31)
    response = team.call(
        "GET", f"/projects/{team.pid}/scorecard?after={declined}", None, team.auditor_token
    )
    assert response.status_code == 200, response.text
    card = response.json()
    indicators = {i["code"]: i for i in card["indicators"]}
    assert len(indicators) == 15
    assert indicators["relationships"]["status"] == "met"
    assert indicators["relationships"]["evidence"] == [met]
    assert indicators["reciprocity"]["evidence"] == [claimed, declined]
    assert indicators["reciprocity"]["value"]["overdue"] == [team.pam]
    (pam,) = card["recognition"]
    assert pam["member_id"] == team.pam
    assert pam["unpaid_claims"][0]["position"] == claimed and pam["overdue"]
    assert pam["kinds"] == {"payment_claimed": 1, "payment_declined": 1}
    assert card["names"] == {team.pam: "Pam"}
    assert indicators["evaluating_impact"]["status"] == "no_evidence"
    assert card["uk_standards"]["impact"]["silent"] is True
    assert set(card["gripp2_sf"]) == {"aim", "methods", "results", "discussion", "reflections"}
