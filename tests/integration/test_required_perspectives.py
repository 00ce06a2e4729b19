"""An auditor's own standard of joint ownership: `required_perspectives` on the decisions
query, through the application and over HTTP, on every store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from fastapi.testclient import TestClient

from cogov.application import Governance, ViewsUnavailable
from cogov.domain import InvalidInput
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "admin-token-for-standard-tests-0123"
OTHER = "public,practitioner"


@attrs.define
class Adopted:
    """A key proposal adopted with a researcher and a public contributor taking part; the
    project's practitioner stayed silent."""

    gov: Governance
    project_id: str
    proposal_id: str


def adopt(gov: Governance) -> Adopted:
    founded = gov.found_project(
        title="Standards", founder_name="Rae", founder_perspectives=["researcher"]
    )
    rae = founded.founder_id
    pam = gov.admit_member(
        founded.project_id, display_name="Pam", perspectives=["public"], actor=rae
    ).member_id
    gov.admit_member(
        founded.project_id, display_name="Nia", perspectives=["practitioner"], actor=rae
    )
    pid = gov.table_proposal(
        founded.project_id,
        title="Meet online",
        text="Tuesdays at 6pm",
        area="operations",
        key=True,
        actor=rae,
    ).proposal_id
    gov.respond(pid, stance="consent", actor=rae)
    gov.respond(pid, stance="consent", actor=pam)
    gov.close_proposal(pid, actor=rae)
    return Adopted(gov, str(founded.project_id), str(pid))


@pytest.fixture
def adopted(governance: Governance) -> Adopted:
    return adopt(governance)


def test_the_decisions_query_judges_under_the_standard_it_is_given(adopted: Adopted) -> None:
    gov, pid = adopted.gov, adopted.project_id
    [row] = gov.decisions(pid)
    assert (row.outcome, row.jointly_owned, row.failed_criteria) == ("adopted", True, ())
    [again] = gov.decisions(pid, required_perspectives=["public", "practitioner"])
    assert again.jointly_owned is False
    assert again.failed_criteria == ("no_practitioner_participant",)
    assert again.proposal_id == row.proposal_id
    # the default standard, named, says what the stored row says
    assert gov.decisions(pid, required_perspectives=["public", "researcher"]) == [row]


def test_jointly_owned_filters_on_the_judgement_under_the_standard_given(
    adopted: Adopted,
) -> None:
    gov, pid = adopted.gov, adopted.project_id
    other = ["public", "practitioner"]
    assert gov.decisions(pid, jointly_owned=False) == []
    assert [
        r.proposal_id for r in gov.decisions(pid, jointly_owned=False, required_perspectives=other)
    ] == [adopted.proposal_id]
    assert gov.decisions(pid, jointly_owned=True, required_perspectives=other) == []


@pytest.mark.parametrize(
    ("required", "says"),
    [
        (["public", "clinician"], "unknown perspective 'clinician'"),
        (["public", "public"], "public more than once"),
        ([], "at least one"),
        ("public", "not one text"),
    ],
)
def test_a_standard_that_cannot_be_judged_is_refused(
    adopted: Adopted, required: Any, says: str
) -> None:
    with pytest.raises(InvalidInput, match=says):
        adopted.gov.decisions(adopted.project_id, required_perspectives=required)


def test_rows_stored_before_ballots_ask_for_a_rebuild_rather_than_misjudge(
    adopted: Adopted, monkeypatch: pytest.MonkeyPatch
) -> None:
    gov, pid = adopted.gov, adopted.project_id
    [row] = gov.decisions(pid)
    old = attrs.evolve(row, threshold=None, ballots=())
    monkeypatch.setattr(gov._view(), "decisions", lambda *_: [old])
    with pytest.raises(ViewsUnavailable, match="projections rebuild"):
        gov.decisions(pid, required_perspectives=["public"])
    assert gov.decisions(pid) == [old]  # the default standard needs no ballots


# --- over HTTP --------------------------------------------------------------------------


@pytest.fixture
def client(database_url: str, clock: Clock) -> Iterator[tuple[TestClient, Adopted]]:
    gov = open_governance(database_url, clock=clock)
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        yield client, adopt(gov)
    gov.close()


def decisions(client: TestClient, pid: str, query: str) -> Any:
    return client.get(
        f"/projects/{pid}/decisions?{query}", headers={"Authorization": f"Bearer {ADMIN}"}
    )


def test_an_auditor_passes_another_standard_in_the_query(
    client: tuple[TestClient, Adopted],
) -> None:
    http, adopted = client
    pid = adopted.project_id
    [row] = decisions(http, pid, "").json()["items"]
    assert (row["jointly_owned"], row["failed_criteria"]) == (True, [])
    assert row["threshold"] == "2/3"
    assert sorted(row["ballots"], key=lambda b: b["perspectives"]) == [
        {"perspectives": ["public"], "stance": "consent"},
        {"perspectives": ["researcher"], "stance": "consent"},
    ]
    comma = decisions(http, pid, f"required_perspectives={OTHER}")
    repeated = decisions(
        http, pid, "required_perspectives=public&required_perspectives=+practitioner"
    )
    for response in (comma, repeated):
        assert response.status_code == 200, response.text
        [again] = response.json()["items"]
        assert again["jointly_owned"] is False
        assert again["failed_criteria"] == ["no_practitioner_participant"]
        assert again["ballots"] == row["ballots"]


def test_jointly_owned_false_filters_on_the_standard_passed_over_http(
    client: tuple[TestClient, Adopted],
) -> None:
    http, adopted = client
    pid = adopted.project_id
    assert decisions(http, pid, "jointly_owned=false").json()["items"] == []
    items = decisions(http, pid, f"jointly_owned=false&required_perspectives={OTHER}").json()[
        "items"
    ]
    assert [r["proposal_id"] for r in items] == [adopted.proposal_id]
    items = decisions(http, pid, f"jointly_owned=true&required_perspectives={OTHER}").json()[
        "items"
    ]
    assert items == []


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("required_perspectives=public,clinician", "unknown perspective 'clinician'"),
        ("required_perspectives=public&required_perspectives=public", "more than once"),
        ("required_perspectives=,", "at least one"),
    ],
)
def test_an_unknown_or_empty_standard_is_a_problem_naming_the_known_perspectives(
    client: tuple[TestClient, Adopted], query: str, says: str
) -> None:
    http, adopted = client
    response = decisions(http, adopted.project_id, query)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/invalid_input"
    assert says in problem["detail"]
    if "unknown" in says:
        assert "public, researcher, practitioner" in problem["detail"]
