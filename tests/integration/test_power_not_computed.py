"""A key-decision game too large to count exactly: the power row says voting power was not
computed, and why, and everything that reads power (the HTTP view, the scorecard, the report,
the CLI's tables) says so instead of showing a share it does not have."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rich.console import Console

from cogov.application import Governance
from cogov.domain import voting
from cogov.infrastructure import open_governance
from cogov.interfaces.cli.tables import power_tables
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "admin-token-for-power-reach-tests-01"
THREE = ["public", "researcher", "practitioner"]


@pytest.fixture
def beyond_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every game counted by the programme for three perspectives or more is out of reach
    (a real one takes hundreds of electors; the work bound is what decides)."""
    monkeypatch.setattr(voting, "WORK_LIMIT", 0)
    voting._shares_by_kind.cache_clear()


def three_perspective_team(gov: Governance) -> str:
    founded = gov.found_project(
        title="Reach",
        founder_name="Rae",
        founder_perspectives=["researcher"],
        charter={"key_rule": "majority", "required_perspectives": THREE},
    )
    for name, held in [("Pam", ["public"]), ("Nia", ["practitioner"]), ("Ola", ["public"])]:
        gov.admit_member(
            founded.project_id, display_name=name, perspectives=held, actor=founded.founder_id
        )
    return str(founded.project_id)


@pytest.mark.usefixtures("beyond_reach")
def test_the_power_row_says_voting_power_was_not_computed(governance: Governance) -> None:
    pid = three_perspective_team(governance)
    [*_, row] = governance.power_timeline(pid)
    assert set(row.not_computed) == {"voting_power"}
    assert "4 electors" in row.not_computed["voting_power"]
    assert {m.voting_power for m in row.members} == {None}
    assert {shares["voting_power"] for shares in row.perspectives.values()} == {None}
    assert (row.hhi["voting_power"], row.gini["voting_power"]) == (None, None)
    # the other measures are still there, and still shares of the whole
    assert sum(m.authority or 0 for m in row.members) == pytest.approx(1)
    card = {i.code: i for i in governance.scorecard(pid).indicators}
    assert card["sharing_power"].status == "no_evidence"
    assert "not computed" in card["sharing_power"].explanation
    report = governance.report(pid)
    assert "not computed" in report
    assert "voting power not computed in either" in report and "from not computed" not in report
    console = Console(record=True, width=160)
    for table in power_tables(row, {}):
        console.print(table)
    assert "n/a" in console.export_text()  # the CLI's tables: no share made up


def test_the_same_team_within_reach_has_its_voting_power(governance: Governance) -> None:
    voting._shares_by_kind.cache_clear()
    pid = three_perspective_team(governance)
    [*_, row] = governance.power_timeline(pid)
    assert row.not_computed == {}
    assert sum(m.voting_power or 0 for m in row.members) == pytest.approx(1)


@pytest.fixture
def client(database_url: str, clock: Clock, beyond_reach: None) -> Iterator[tuple[TestClient, str]]:
    gov = open_governance(database_url, clock=clock)
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        client.headers["Authorization"] = f"Bearer {ADMIN}"
        yield client, three_perspective_team(gov)
    gov.close()


def test_over_http_the_shares_are_null_and_the_reason_given(
    client: tuple[TestClient, str],
) -> None:
    http, pid = client
    power = http.get(f"/projects/{pid}/power")
    assert power.status_code == 200, power.text
    body = power.json()
    assert "voting_power" in body["not_computed"]
    assert {m["voting_power"] for m in body["members"]} == {None}
    assert body["hhi"]["voting_power"] is None
    assert body["hhi"]["authority"] is not None
    timeline = http.get(f"/projects/{pid}/power/timeline").json()
    assert timeline["items"][-1]["not_computed"] == body["not_computed"]
