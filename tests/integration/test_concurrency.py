"""Many members responding to one proposal at once: every response recorded exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest

from cogov.application import Governance
from tests.support import busy_proposal

RESPONDERS = 20


def all_at_once(act: Callable[[str], None], members: list[str]) -> list[BaseException]:
    """Each member acts in a thread of its own, all released together; what they raised."""
    start = threading.Barrier(len(members))
    errors: list[BaseException] = []

    def run(member: str) -> None:
        try:
            start.wait()
            act(member)
        except BaseException as e:  # reported to the test, with the others
            errors.append(e)

    threads = [threading.Thread(target=run, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


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
    positions: list[int] = []

    def respond(member: str) -> None:
        positions.append(gov.respond(proposal_id, stance="consent", actor=member))

    assert all_at_once(respond, members) == []
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


@pytest.mark.timeout(120)
def test_commands_on_one_aggregate_in_one_process_take_turns_and_never_lose_a_race(
    governance: Governance,
) -> None:
    """Each starts from the version the one before it saved: no save fails, none retries."""
    gov = governance
    proposal_id, members = busy_proposal(gov, 8)
    saves, failed = Counter[str](), Counter[str]()
    save = gov.aggregates._save

    def counted(*aggregates: object, **kwargs: object) -> object:
        saves["all"] += 1
        try:
            return save(*aggregates, **kwargs)
        except Exception:
            failed["all"] += 1
            raise

    gov.aggregates._save = counted

    def respond(member: str) -> None:
        for turn in range(10):
            stance = ("consent", "abstain", "stand_aside")[turn % 3]
            gov.respond(proposal_id, stance=stance, actor=member)

    assert all_at_once(respond, members) == []
    assert (saves["all"], failed["all"]) == (80, 0)
    assert len(gov.proposal(proposal_id).responses) == len(members)
