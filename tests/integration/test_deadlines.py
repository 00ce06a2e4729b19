"""Deadlines close proposals by themselves: once due, a proposal is closed as `system` with
the outcome its frozen rules give, once, however many processes keep deadlines."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from cogov.application import Governance
from cogov.infrastructure import open_governance
from cogov.interfaces.cli import main
from tests.support import Clock


def team(gov: Governance) -> tuple[Any, str, str]:
    founded = gov.found_project(
        title="Deadlines", founder_name="Rosa", founder_perspectives=["researcher"]
    )
    pam = gov.admit_member(
        founded.project_id, display_name="Pam", perspectives=["public"], actor=founded.founder_id
    ).member_id
    return founded.project_id, founded.founder_id, pam


def table(gov: Governance, project_id: Any, actor: str, clock: Clock, days: float) -> Any:
    return gov.table_proposal(
        project_id,
        title=f"Closes in {days} days",
        text="Text",
        area="operations",
        closes_at=clock() + timedelta(days=days),
        actor=actor,
    ).proposal_id


def closings(gov: Governance) -> list[Any]:
    return [e for e in gov.events_after(0, 1000) if e.type == "ProposalClosed"]


def test_a_due_proposal_is_closed_by_the_system_once(governance: Governance, clock: Clock) -> None:
    project_id, rosa, pam = team(governance)
    soon = table(governance, project_id, rosa, clock, 1)
    later = table(governance, project_id, rosa, clock, 3)
    withdrawn = table(governance, project_id, rosa, clock, 1)
    governance.respond(soon, stance="consent", actor=rosa)
    governance.respond(soon, stance="consent", actor=pam)
    governance.withdraw_proposal(withdrawn, actor=rosa)

    assert governance.close_due() == []  # nothing is due yet
    clock.advance(days=2)
    closed = governance.close_due()

    assert len(closed) == 1
    assert governance.proposal(soon).outcome == "adopted"
    assert governance.proposal(later).outcome == "open"
    [closing] = closings(governance)
    assert closing.aggregate_id == soon
    assert closing.actor == "system"
    assert governance.close_due() == []  # once
    clock.advance(days=2)
    assert len(governance.close_due()) == 1
    assert governance.proposal(later).outcome == "lapsed"  # nobody responded


def test_processes_keeping_deadlines_together_close_each_proposal_once(
    shared_store_url: str, clock: Clock
) -> None:
    a = open_governance(shared_store_url, clock=clock)
    b = open_governance(shared_store_url, clock=clock)
    try:
        project_id, rosa, _ = team(a)
        for _ in range(5):
            table(a, project_id, rosa, clock, 1)
        clock.advance(days=2)
        start = threading.Barrier(2)

        def keep(gov: Governance) -> None:
            start.wait()
            gov.close_due()

        threads = [threading.Thread(target=keep, args=(g,)) for g in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(str(c.aggregate_id) for c in closings(a)) == sorted(
            d.proposal_id for d in a.decisions(project_id)
        )
        assert len(closings(a)) == 5
    finally:
        a.close()
        b.close()


def test_close_due_from_the_command_line(tmp_path: Any, clock: Clock) -> None:
    url = f"sqlite:///{tmp_path}/cogov.db"
    gov = open_governance(url, clock=clock)
    project_id, rosa, _ = team(gov)
    proposal = gov.table_proposal(
        project_id,
        title="Already due by the real clock",
        text="Text",
        area="operations",
        closes_at=clock() + timedelta(seconds=1),
        actor=rosa,
    ).proposal_id
    gov.close()

    assert main(["close-due", "--database-url", url]) == 0  # the real clock: long past

    gov = open_governance(url)
    try:
        assert gov.proposal(proposal).outcome == "lapsed"
    finally:
        gov.close()
