"""Exactly once under faults, on every store: a command whose COMMIT acknowledgement was lost
is not run again; a failure inside the transaction leaves nothing of the command; tokens
and their events change together; an Idempotency-Key is answered from what committed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

from cogov.application import Governance, retry
from cogov.application.beside import Beside
from cogov.application.credentials import seal, unseal
from cogov.domain import Proposal
from cogov.interfaces.http import idempotency
from cogov.interfaces.http.app import create_app

ADMIN = "admin-token-for-exactly-once-tests"


def founded_team(gov: Governance) -> tuple[Any, str, str]:
    founded = gov.found_project(
        title="Exactly once", founder_name="Rosa", founder_perspectives=["researcher"]
    )
    pam = gov.admit_member(
        founded.project_id, display_name="Pam", perspectives=["public"], actor=founded.founder_id
    ).member_id
    return founded.project_id, founded.founder_id, pam


def table(gov: Governance, project_id: Any, actor: str) -> Any:
    return gov.table_proposal(
        project_id, title="Meet online", text="Tuesdays", area="operations", actor=actor
    ).proposal_id


def event_types(gov: Governance) -> list[str]:
    return [e.type for e in gov.events_after(0, 1000)]


def lose_acknowledgements(gov: Governance, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every insert commits, then reports a dropped connection, as a lost COMMIT
    acknowledgement does. Returns the list the committed notification ids go to."""
    real = gov.recorder.insert_events
    committed: list[int] = []

    def insert_then_lose(stored_events: Sequence[Any], **kwargs: Any) -> Any:
        ids = real(stored_events, **kwargs)
        committed.extend(ids or [])
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(gov.recorder, "insert_events", insert_then_lose)
    return committed


def test_a_lost_acknowledgement_does_not_record_a_response_twice(
    governance: Governance, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id, rosa, pam = founded_team(governance)
    proposal_id = table(governance, project_id, rosa)
    before = event_types(governance)
    committed = lose_acknowledgements(governance, monkeypatch)

    position = governance.respond(proposal_id, stance="consent", actor=pam)

    monkeypatch.undo()
    assert committed == [position]
    assert event_types(governance) == [*before, "ResponseGiven"]
    proposal: object = governance.repository.get(proposal_id)
    assert isinstance(proposal, Proposal)
    assert proposal.responses == {pam: "consent"}


def test_a_lost_acknowledgement_does_not_table_a_second_proposal(
    governance: Governance, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id, rosa, _ = founded_team(governance)
    before = event_types(governance)
    committed = lose_acknowledgements(governance, monkeypatch)

    proposal_id = table(governance, project_id, rosa)

    monkeypatch.undo()
    assert len(committed) == 1
    assert event_types(governance) == [*before, "ProposalTabled"]
    assert [d.proposal_id for d in governance.decisions(project_id)] == [str(proposal_id)]


@pytest.fixture
def impatient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands give up on a store that keeps failing within a fraction of a second."""
    monkeypatch.setattr(retry, "RETRY_FOR_SECONDS", 0.3)


def fail_inside_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """The records a command writes beside its events fail after its events were inserted
    (in memory: before, as its whole write is checked first)."""

    def failing(self: Beside) -> list[Any]:
        raise OperationalError("the store failed in the middle of the transaction")

    monkeypatch.setattr(Beside, "other_rows", failing)  # every store asks, after the events


@pytest.mark.usefixtures("impatient")
def test_a_failure_inside_the_transaction_leaves_nothing_of_the_command(
    governance: Governance, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id, rosa, _ = founded_team(governance)
    before = event_types(governance)
    fail_inside_transaction(monkeypatch)

    with pytest.raises(OperationalError):
        governance.admit_member(
            project_id, display_name="Ned", perspectives=["public"], actor=rosa, with_token=True
        )

    monkeypatch.undo()
    assert event_types(governance) == before
    members = governance.project(project_id).members
    assert [m.display_name for m in members] == ["Rosa", "Pam"]


@pytest.mark.usefixtures("impatient")
def test_a_failed_token_renewal_leaves_the_old_token_working(
    governance: Governance, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id, _, pam = founded_team(governance)
    old = governance.issue_token(project_id, pam, actor=pam).token
    fail_inside_transaction(monkeypatch)

    with pytest.raises(OperationalError):
        governance.issue_token(project_id, pam, actor=pam)

    monkeypatch.undo()
    principal = governance.authenticate(old)
    assert principal is not None
    assert principal.subject == pam
    assert event_types(governance).count("TokenIssued") == 1


def test_a_renewal_whose_acknowledgement_was_lost_still_gives_a_working_token(
    governance: Governance, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id, _, pam = founded_team(governance)
    old = governance.issue_token(project_id, pam, actor=pam).token
    lose_acknowledgements(governance, monkeypatch)

    new = governance.issue_token(project_id, pam, actor=pam).token

    monkeypatch.undo()
    assert governance.authenticate(old) is None
    principal = governance.authenticate(new)
    assert principal is not None
    assert principal.subject == pam


# --- Idempotency-Key over HTTP ---------------------------------------------------------------


@pytest.fixture
def client(governance: Governance) -> Iterator[TestClient]:
    with TestClient(
        create_app(governance, admin_token=ADMIN, follow=False), raise_server_exceptions=False
    ) as c:
        yield c


def lose_the_next_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next command commits, then the process dies before it answers (a 500 here)."""
    real: Callable[[object], dict[str, Any]] = idempotency.result_of
    crashes = iter([True])

    def crash_once(value: object) -> dict[str, Any]:
        if next(crashes, False):
            raise RuntimeError("the process died after the commit")
        return real(value)

    monkeypatch.setattr(idempotency, "result_of", crash_once)


def member_headers(gov: Governance, project_id: Any, member: str, key: str) -> dict[str, str]:
    token = gov.issue_token(project_id, member, actor=member).token
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": key}


def test_a_retry_after_a_crash_between_commit_and_response_replays_at_once(
    governance: Governance, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id, rosa, pam = founded_team(governance)
    proposal_id = table(governance, project_id, rosa)
    headers = member_headers(governance, project_id, pam, "respond-1")
    lose_the_next_answer(monkeypatch)
    url = f"/proposals/{proposal_id}/responses"

    first = client.post(url, json={"stance": "consent"}, headers=headers)
    retried = client.post(url, json={"stance": "consent"}, headers=headers)

    assert first.status_code == 500
    assert retried.status_code == 201, retried.text
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert event_types(governance).count("ResponseGiven") == 1
    assert retried.json()["position"] == governance.max_position()


def test_two_first_requests_with_one_key_record_once_and_answer_alike(
    governance: Governance, client: TestClient
) -> None:
    project_id, _, pam = founded_team(governance)
    headers = member_headers(governance, project_id, pam, "table-1")
    body = {"title": "Meet online", "text": "Tuesdays", "area": "operations"}
    answers: list[Any] = []
    start = threading.Barrier(4)

    def post() -> None:
        start.wait()
        answers.append(client.post(f"/projects/{project_id}/proposals", json=body, headers=headers))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert event_types(governance).count("ProposalTabled") == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 3


def test_a_renewal_whose_answer_was_lost_is_recovered_with_the_old_token(
    governance: Governance, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id, _, pam = founded_team(governance)
    old = governance.issue_token(project_id, pam, actor=pam).token
    headers = {"Authorization": f"Bearer {old}", "Idempotency-Key": "renew-1"}
    url = f"/projects/{project_id}/members/{pam}/tokens"
    lose_the_next_answer(monkeypatch)

    lost = client.post(url, headers=headers)
    retried = client.post(url, headers=headers)

    assert lost.status_code == 500
    assert retried.status_code == 201, retried.text
    new = retried.json()["token"]
    assert new.startswith("cgv_")
    assert event_types(governance).count("TokenIssued") == 2  # the first, and one renewal
    as_new = {"Authorization": f"Bearer {new}"}
    as_old = {"Authorization": f"Bearer {old}"}
    assert client.get(f"/projects/{project_id}", headers=as_new).status_code == 200
    # the old token recovers that renewal and does nothing else
    assert client.get(f"/projects/{project_id}", headers=as_old).status_code == 401
    other_key = as_old | {"Idempotency-Key": "renew-2"}
    assert client.post(url, headers=other_key).status_code == 401
    assert client.post(url, headers=headers).json()["token"] == new


def test_a_token_sealed_for_one_holder_opens_for_no_other() -> None:
    sealed = seal("cgv_new", "cgv_old")
    assert unseal(sealed, "cgv_old") == "cgv_new"
    assert unseal(sealed, "cgv_other") is None
    assert "cgv_new" not in sealed
