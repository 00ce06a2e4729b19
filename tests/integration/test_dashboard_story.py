"""GET /dashboard/{pid}/decisions/{id}: one decision's story, as its reader may see it:
tabled, each response with its perspective, the amendment, the objection and how it was
resolved, the outcome and what it changed; hidden stances stay hidden; another project's
decision is not found; every value is escaped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "story-admin-token-0123456789abcdef"


@dataclass(frozen=True)
class Team:
    client: TestClient
    gov: Governance
    pid: str
    story: str  # a key proposal with an objection withdrawn after an amendment, adopted
    tokens: dict[str, str]

    def get(self, path: str, who: str = "auditor") -> tuple[int, str]:
        answer = self.client.get(path, headers={"Authorization": f"Bearer {self.tokens[who]}"})
        return answer.status_code, answer.text


@pytest.fixture
def team(clock: Clock) -> Iterator[Team]:
    gov = open_governance("memory://", clock=clock)
    founded = gov.found_project(
        title="Stroke <rehab>", founder_name="Rosa", founder_perspectives=["researcher"]
    )
    pid, rosa = str(founded.project_id), founded.founder_id
    pat = gov.admit_member(pid, display_name="Pat", perspectives=["public"], actor=rosa).member_id
    gov.define_role(pid, name="Peer lead", actor=rosa)
    tabled = gov.table_proposal(
        pid,
        title="Meet <online>",
        text="Tuesdays at six, with captions",
        area="operations",
        key=True,
        actions=[{"type": "assign_role", "role": "Peer lead", "member_id": pat}],
        actor=rosa,
    )
    story = str(tabled.proposal_id)
    clock.advance(hours=1)
    gov.respond(story, stance="consent", actor=rosa)
    clock.advance(hours=1)
    gov.respond(story, stance="object", reason="Evenings clash with <care>", actor=pat)
    clock.advance(hours=1)
    gov.amend_proposal(story, text="Tuesdays at two, with captions", actor=rosa)
    gov.comment(story, text="Two works for me", actor=pat)
    clock.advance(hours=1)
    gov.withdraw_objection(story, actor=pat)
    gov.respond(story, stance="consent", actor=pat)
    gov.respond(story, stance="consent", actor=rosa)
    gov.close_proposal(story, actor=rosa)
    other = gov.found_project(title="Other", founder_name="O", founder_perspectives=["public"])
    tokens = {
        "auditor": gov.add_auditor(
            pid, name="REC", expires_at=clock() + timedelta(days=30), actor=rosa
        ).token,
        "pat": gov.issue_token(pid, pat, actor=rosa).token,
        "other": gov.issue_token(other.project_id, other.founder_id, actor=other.founder_id).token,
    }
    with TestClient(create_app(gov, admin_token=ADMIN)) as client:
        yield Team(client, gov, pid, story, tokens)
    gov.close()


def test_the_story_tells_what_happened_in_order(team: Team) -> None:
    status, page = team.get(f"/dashboard/{team.pid}/decisions/{team.story}")
    assert status == 200
    assert "Meet &lt;online&gt;" in page and "<online>" not in page
    assert "Proposed by Rosa" in page and "Tuesdays at two, with captions" in page
    order = [
        "Tabled by Rosa.",
        "Rosa responded: consent.",
        "Pat responded: object",
        "Amended: ",
        "Pat commented",
        "Pat withdrew their objection.",
        "Pat responded: consent.",
        "Closed: Adopted.",
    ]
    where = [page.index(step) for step in order]
    assert where == sorted(where)
    assert "Evenings clash with &lt;care&gt;" in page
    assert "Resolved: withdrawn on" in page
    assert "Jointly owned" in page
    assert "Assign role" in page
    assert f'href="/dashboard/{team.pid}/events/' in page


def test_stances_by_perspective_are_counted_after_each_response(team: Team) -> None:
    _, page = team.get(f"/dashboard/{team.pid}/decisions/{team.story}")
    table = page[page.index('id="by-perspective"') : page.index('id="objections"')]
    assert "<th" in table and ">public<" in table and ">researcher<" in table
    assert "object 1" in table and "consent 1" in table


def test_the_dashboards_table_links_each_decision_to_its_story(team: Team) -> None:
    _, page = team.get(f"/dashboard/{team.pid}")
    assert f'href="/dashboard/{team.pid}/decisions/{team.story}"' in page


def test_another_projects_reader_or_an_unknown_decision_is_not_found(team: Team) -> None:
    assert team.get(f"/dashboard/{team.pid}/decisions/{team.story}", "other")[0] == 404
    unknown = "00000000-0000-4000-8000-000000000000"
    assert team.get(f"/dashboard/{team.pid}/decisions/{unknown}")[0] == 404
    assert team.get(f"/dashboard/{team.pid}/decisions/not-an-id")[0] == 404
    signed_out = team.client.get(f"/dashboard/{team.pid}/decisions/{team.story}")
    assert signed_out.status_code == 200 and "/sign-in" in signed_out.text
    assert "Meet" not in signed_out.text


def test_stances_hidden_until_close_stay_hidden_in_the_story(clock: Clock) -> None:
    gov = open_governance("memory://", clock=clock)
    founded = gov.found_project(
        title="Hidden",
        founder_name="Rosa",
        founder_perspectives=["researcher"],
        charter={"results_hidden_until_close": True},
    )
    pid, rosa = str(founded.project_id), founded.founder_id
    pat = gov.admit_member(pid, display_name="Pat", perspectives=["public"], actor=rosa).member_id
    proposal = str(
        gov.table_proposal(
            pid, title="Secret ballot", text="...", area="methods", actor=rosa
        ).proposal_id
    )
    gov.respond(proposal, stance="object", reason="Too soon to say", actor=pat)
    auditor = gov.add_auditor(
        pid, name="REC", expires_at=clock() + timedelta(days=30), actor=rosa
    ).token
    with TestClient(create_app(gov, admin_token=ADMIN)) as client:
        page = client.get(
            f"/dashboard/{pid}/decisions/{proposal}",
            headers={"Authorization": f"Bearer {auditor}"},
        ).text
    gov.close()
    assert "Secret ballot" in page
    assert "hidden until the proposal closes" in page
    assert "Too soon to say" not in page and "responded: object" not in page
