"""Many members responding to one proposal at once: every response recorded exactly once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from cogov.application import Governance

RESPONDERS = 20


@pytest.mark.timeout(120)
def test_simultaneous_responses_are_all_recorded_exactly_once(governance: Governance) -> None:
    gov = governance
    founded = gov.found_project(
        title="Concurrency", founder_name="F", founder_perspectives=["researcher"]
    )
    members = [founded.founder_id] + [
        gov.admit_member(
            founded.project_id,
            display_name=f"M{i}",
            perspectives=["public" if i % 2 else "researcher"],
            actor=founded.founder_id,
        ).member_id
        for i in range(RESPONDERS - 1)
    ]
    proposal_id = gov.table_proposal(
        founded.project_id,
        title="Everyone at once",
        text="All respond together.",
        area="governance",
        key=True,
        actor=founded.founder_id,
    ).proposal_id
    start = threading.Barrier(RESPONDERS)
    errors: list[BaseException] = []
    positions: list[int] = []

    def respond(member: str) -> None:
        try:
            start.wait()
            positions.append(gov.respond(proposal_id, stance="consent", actor=member))
        except BaseException as e:  # reported below, with the others
            errors.append(e)

    threads = [threading.Thread(target=respond, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(set(positions)) == RESPONDERS
    record = gov.proposal(proposal_id)
    assert {r.member_id for r in record.responses} == set(members)
    given = Counter(
        e.data["member_id"]
        for e in gov.events_after(0, 1000)
        if e.type == "ResponseGiven" and e.aggregate_id == proposal_id
    )
    assert given == Counter({m: 1 for m in members})
    assert record.version == RESPONDERS + 1
