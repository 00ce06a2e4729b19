"""Strict input over HTTP: wrong JSON types, unknown roles, oversized texts and malformed
actions are 422 naming the field, and record nothing; HEAD answers where GET does; ids are
case-insensitive; the API's docs load nothing from the internet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.domain import InvalidInput
from cogov.domain.actions import MAX_GROUND_RULES
from cogov.domain.text import MAX_REASON
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "admin-token-for-input-tests-0123"


class Team:
    def __init__(self, client: TestClient, gov: Governance) -> None:
        self.client = client
        self.gov = gov
        founded = client.post(
            "/projects",
            json={"title": "T", "founder": {"display_name": "F", "perspectives": ["researcher"]}},
            headers={"Authorization": f"Bearer {ADMIN}"},
        ).json()
        self.pid: str = founded["id"]
        self.founder: str = founded["founder_member_id"]
        self.auth = {"Authorization": f"Bearer {founded['founder_token']}"}

    def positions(self) -> int:
        return self.gov.max_position()


@pytest.fixture
def team(clock: Clock) -> Iterator[Team]:
    gov = open_governance("memory://", clock=clock)
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        yield Team(client, gov)
    gov.close()


def refused(team: Team, method: str, url: str, body: Any) -> dict[str, Any]:
    before = team.positions()
    response = team.client.request(method, url, json=body, headers=team.auth)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert team.positions() == before  # nothing recorded
    problem: dict[str, Any] = response.json()
    return problem


def proposal(**extra: Any) -> dict[str, Any]:
    return {"title": "A motion", "text": "Some text", "area": "governance", "key": True} | extra


@pytest.mark.parametrize(
    "action",
    [
        {"type": ["assign_role"], "role": "Facilitator", "member_id": "x"},
        {"type": "no_such_action"},
        {"type": "delegate_area", "area": "budget", "member_ids": "not-a-list"},
        {"type": "define_role", "name": "Lead", "leadership": "yes"},
        {"type": "enter_stage", "stage": 3},
        {"type": "amend_charter", "changes": {"quorum": "0.5"}},
        {"type": "adopt_ground_rules", "rules": ["x" * (MAX_REASON + 1)]},
        {"type": "adopt_ground_rules", "rules": ["Be kind"] * (MAX_GROUND_RULES + 1)},
        {"type": "remove_member", "member_id": "x"},
    ],
)
def test_a_malformed_action_is_refused_naming_it(team: Team, action: dict[str, Any]) -> None:
    problem = refused(team, "POST", f"/projects/{team.pid}/proposals", proposal(actions=[action]))
    assert "actions" in problem["detail"]


@pytest.mark.parametrize("quorum", [False, True, "0.5", None, [0.5]])
def test_a_charter_number_must_be_a_json_number(team: Team, quorum: Any) -> None:
    body = {
        "title": "T",
        "founder": {"display_name": "F", "perspectives": ["researcher"]},
        "charter": {"quorum": quorum, "threshold": 0.75} if quorum is not None else {"quorum": 2},
    }
    response = team.client.post(
        "/projects", json=body, headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert response.status_code == 422, response.text
    assert "quorum" in response.json()["detail"]


@pytest.mark.parametrize(
    "changes",
    [
        {"reflection_every_days": 0},
        {"reflection_every_days": 367},
        {"reflection_every_days": 14.5},
        {"reflection_every_days": "14"},
        {"reflection_every_days": True},
        {"results_hidden_until_close": "true"},
        {"results_hidden_until_close": 1},
    ],
)
def test_the_reflection_schedule_and_hidden_results_take_only_their_own_types(
    team: Team, changes: dict[str, Any]
) -> None:
    field = next(iter(changes))
    body = {
        "title": "T",
        "founder": {"display_name": "F", "perspectives": ["researcher"]},
        "charter": changes,
    }
    before = team.positions()
    response = team.client.post(
        "/projects", json=body, headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"]
    assert team.positions() == before
    amendment = {"type": "amend_charter", "changes": changes}
    problem = refused(
        team, "POST", f"/projects/{team.pid}/proposals", proposal(actions=[amendment])
    )
    assert field in problem["detail"]


def test_the_reflection_schedule_and_hidden_results_are_read_back(team: Team) -> None:
    body = {
        "title": "T",
        "founder": {"display_name": "F", "perspectives": ["researcher"]},
        "charter": {"reflection_every_days": 28, "results_hidden_until_close": True},
    }
    auth = {"Authorization": f"Bearer {ADMIN}"}
    founded = team.client.post("/projects", json=body, headers=auth).json()
    charter = team.client.get(f"/projects/{founded['id']}", headers=auth).json()["charter"]
    assert (charter["reflection_every_days"], charter["results_hidden_until_close"]) == (28, True)
    default = team.client.get(f"/projects/{team.pid}", headers=team.auth).json()["charter"]
    assert (default["reflection_every_days"], default["results_hidden_until_close"]) == (
        None,
        False,
    )


def test_key_and_leadership_must_be_json_booleans(team: Team) -> None:
    refused(team, "POST", f"/projects/{team.pid}/proposals", proposal(key="true"))
    refused(team, "POST", f"/projects/{team.pid}/roles", {"name": "Lead", "leadership": 1})


def test_a_charter_may_not_name_a_role_the_project_does_not_have(team: Team) -> None:
    body = {
        "title": "T",
        "founder": {"display_name": "F", "perspectives": ["researcher"]},
        "charter": {"acting_alone": {"admit_member": ["Gatekeeper"]}},
    }
    founding = team.client.post(
        "/projects", json=body, headers={"Authorization": f"Bearer {ADMIN}"}
    )
    assert founding.status_code == 422
    assert "Gatekeeper" in founding.json()["detail"]
    amendment = {
        "type": "amend_charter",
        "changes": {"acting_alone": {"define_role": ["Gatekeeper"]}},
    }
    problem = refused(
        team, "POST", f"/projects/{team.pid}/proposals", proposal(actions=[amendment])
    )
    assert "define the role first" in problem["detail"]


def test_head_answers_wherever_get_does(team: Team) -> None:
    health = team.client.head("/healthz")
    assert health.status_code == 200
    assert health.content == b""
    project = team.client.head(f"/projects/{team.pid}", headers=team.auth)
    got = team.client.get(f"/projects/{team.pid}", headers=team.auth)
    assert project.status_code == 200
    assert project.content == b""
    assert project.headers["content-length"] == got.headers["content-length"]
    assert team.client.head(f"/projects/{team.pid}").status_code == 401


def test_ids_are_case_insensitive(team: Team) -> None:
    upper = team.pid.upper()
    assert team.client.get(f"/projects/{upper}", headers=team.auth).status_code == 200
    tabled = team.client.post(f"/projects/{upper}/proposals", json=proposal(), headers=team.auth)
    assert tabled.status_code == 201, tabled.text
    proposal_id = tabled.json()["id"].upper()
    responded = team.client.post(
        f"/proposals/{proposal_id}/responses", json={"stance": "consent"}, headers=team.auth
    )
    assert responded.status_code == 201, responded.text
    holder = team.client.post(
        f"/projects/{upper}/roles",
        json={"name": "Helper"},
        headers=team.auth,
    )
    assert holder.status_code == 201
    assigned = team.client.post(
        f"/projects/{upper}/roles/Helper/holders",
        json={"member_id": team.founder.upper()},
        headers=team.auth,
    )
    assert assigned.status_code == 201, assigned.text
    assert "Helper" in next(
        m["roles"]
        for m in team.client.get(f"/projects/{team.pid}", headers=team.auth).json()["members"]
        if m["member_id"] == team.founder
    )


def test_the_api_docs_load_only_from_this_server(team: Team) -> None:
    page = team.client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert sources, page.text
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert "http://" not in page.text
    assert "https://" not in page.text
    for source in sources:
        assert team.client.get(source).status_code == 200, source


@pytest.mark.parametrize(
    "query",
    [
        "events?after=9223372036854775808",
        "events?cursor=9223372036854775808",
        "events?cursor=-1",
        "events?after=-1",
        "power/timeline?cursor=99999999999999999999999",
        "decisions?cursor=1997619954529432351823724806144",
        "decisions?after=9223372036854775808",
        "power?after=9223372036854775808",
    ],
)
def test_a_position_beyond_64_bits_is_invalid_input(team: Team, query: str) -> None:
    response = team.client.get(f"/projects/{team.pid}/{query}", headers=team.auth)
    assert response.status_code == 422, response.text


def test_the_embedding_api_refuses_such_positions_too(team: Team) -> None:
    with pytest.raises(InvalidInput):
        team.gov.power_timeline(team.pid, after_position=2**64)
    with pytest.raises(InvalidInput):
        team.gov.project_events(team.pid, after=2**63)


def test_every_name_in_a_list_has_a_limit(team: Team) -> None:
    refused(
        team,
        "POST",
        f"/projects/{team.pid}/members",
        {"display_name": "N", "perspectives": ["p" * 201]},
    )
    refused(team, "POST", f"/projects/{team.pid}/roles", {"name": "Lead", "areas": ["a" * 201]})


@pytest.mark.parametrize("query", ["outcome=passed", "stage=nowhere", "area=astrology"])
def test_an_unknown_filter_value_is_refused_not_empty(team: Team, query: str) -> None:
    response = team.client.get(f"/projects/{team.pid}/decisions?{query}", headers=team.auth)
    assert response.status_code == 422, response.text


def test_the_embedding_api_refuses_unknown_filters_and_reads_iso_times(team: Team) -> None:
    with pytest.raises(InvalidInput, match="expected one of"):
        team.gov.decisions(team.pid, outcome="passed")
    with pytest.raises(InvalidInput, match="area"):
        team.gov.decisions(team.pid, area="astrology")
    as_text = team.gov.power_as_of(team.pid, "2999-01-01T00:00:00+00:00")
    assert as_text == team.gov.power_as_of(team.pid)
    with pytest.raises(InvalidInput, match="ISO 8601"):
        team.gov.power_as_of(team.pid, "next Tuesday")


def test_an_error_names_a_stage_as_its_users_write_it(team: Team) -> None:
    response = team.client.get(f"/projects/{team.pid}/power?stage=delivery", headers=team.auth)
    assert response.status_code == 404
    assert "'delivery'" in response.json()["detail"]
    assert "Stage." not in response.json()["detail"]


def trail_pages(team: Team, url: str) -> Iterator[dict[str, Any]]:
    """Every page of the trail from `url` on, by its `next` links."""
    next_url: str | None = url
    while next_url:
        response = team.client.get(next_url, headers=team.auth)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        yield page
        next_url = page["next"]


def tabled(team: Team, count: int) -> None:
    for i in range(count):
        response = team.client.post(
            f"/projects/{team.pid}/proposals", json=proposal(title=f"P{i}"), headers=team.auth
        )
        assert response.status_code == 201, response.text


def test_the_trail_pages_with_cursor(team: Team) -> None:
    tabled(team, 4)
    everything = team.client.get(f"/projects/{team.pid}/events?limit=1000", headers=team.auth)
    positions = [e["position"] for e in everything.json()["items"]]
    assert len(positions) > 5

    pages = list(trail_pages(team, f"/projects/{team.pid}/events?limit=2"))
    assert [e["position"] for p in pages for e in p["items"]] == positions  # each once
    for page in pages[:-1]:
        query = parse_qs(urlsplit(page["next"]).query)
        assert query == {"limit": ["2"], "cursor": [str(page["items"][-1]["position"])]}
    assert pages[-1]["next"] is None

    middle = positions[2]
    later = team.client.get(f"/projects/{team.pid}/events?cursor={middle}", headers=team.auth)
    assert [e["position"] for e in later.json()["items"]] == positions[3:]


def test_after_is_still_the_trails_page_parameter_but_deprecated(team: Team) -> None:
    tabled(team, 4)
    url = f"/projects/{team.pid}/events?limit=2"
    by_cursor = [e for p in trail_pages(team, url) for e in p["items"]]
    first = by_cursor[1]["position"]
    old = list(trail_pages(team, f"{url}&after={first}"))
    assert [e for p in old for e in p["items"]] == by_cursor[2:]  # and it does not wait
    for page in old[:-1]:  # from there on, the links name `cursor` alone
        assert set(parse_qs(urlsplit(page["next"]).query)) == {"limit", "cursor"}
    same = team.client.get(f"{url}&after={first}&cursor={first}", headers=team.auth)
    assert same.json()["items"] == by_cursor[2:4]

    operation = team.client.get("/openapi.json").json()["paths"]["/projects/{pid}/events"]
    parameters = {p["name"]: p for p in operation["get"]["parameters"]}
    assert parameters["after"].get("deprecated") is True
    assert not parameters["cursor"].get("deprecated", False)


def test_after_and_cursor_that_differ_are_refused(team: Team) -> None:
    response = team.client.get(f"/projects/{team.pid}/events?after=1&cursor=2", headers=team.auth)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["query.after"]
    assert "`cursor`" in problem["detail"] and "deprecated" in problem["detail"]
