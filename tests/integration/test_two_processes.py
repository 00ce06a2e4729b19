"""Two application instances on one store, as two server workers are: a command never acts on
what the other has since changed, whether that would make it lose a race or be refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from cogov.application import Governance
from cogov.infrastructure import open_governance
from tests.support import Clock


@pytest.fixture
def two(shared_store_url: str, clock: Clock) -> Iterator[tuple[Governance, Governance]]:
    url = shared_store_url
    a, b = open_governance(url, clock=clock), open_governance(url, clock=clock)
    yield a, b
    a.close()
    b.close()


def test_a_command_sees_what_another_process_saved(two: tuple[Governance, Governance]) -> None:
    a, b = two
    founded = a.found_project(title="Two", founder_name="F", founder_perspectives=["researcher"])
    a.define_role(founded.project_id, name="Scribe", actor=founded.founder_id)  # a caches it
    admitted = b.admit_member(
        founded.project_id, display_name="M", perspectives=["public"], actor=founded.founder_id
    )
    # a's cached project has no such member: refused on stale state, then run afresh
    a.assign_role(founded.project_id, "Scribe", admitted.member_id, actor=founded.founder_id)
    # and a change on a stale version loses the race, then runs afresh
    b.define_role(founded.project_id, name="Reader", actor=founded.founder_id)
    a.define_role(founded.project_id, name="Host", actor=founded.founder_id)
    roles = {r.name: r.holders for r in b.project(founded.project_id).roles}
    assert roles["Scribe"] == (admitted.member_id,)
    assert {"Reader", "Host"} <= set(roles)
    types = [e.type for e in a.events_after(0, 100)]
    assert types.count("RoleDefined") == 3 and types.count("RoleAssigned") == 1


def test_a_refusal_that_still_holds_on_fresh_state_is_kept(
    two: tuple[Governance, Governance],
) -> None:
    from cogov.domain import Conflict

    a, _ = two
    founded = a.found_project(title="Two", founder_name="F", founder_perspectives=["researcher"])
    a.define_role(founded.project_id, name="Scribe", actor=founded.founder_id)
    before = a.max_position()
    with pytest.raises(Conflict):
        a.define_role(founded.project_id, name="Scribe", actor=founded.founder_id)
    assert a.max_position() == before


def test_one_process_keeps_the_views_and_another_takes_over_when_it_goes(
    shared_store_url: str, clock: Clock
) -> None:
    """Both follow the store; one leads and applies the events, both read them; when the
    leader stops, the other leads within a few seconds and the views keep up."""
    a, b = open_governance(shared_store_url, clock=clock), open_governance(shared_store_url)
    try:
        a.follow()
        b.follow()
        founded = b.found_project(title="Lead", founder_name="F", founder_perspectives=["public"])
        position = b.max_position()
        for gov in (a, b):
            gov.read_models.wait_for(position)
            assert gov.project(founded.project_id).title == "Lead"
        leaders = [gov for gov in (a, b) if gov.read_models.runner.leads()]
        assert len(leaders) == 1
        leader = leaders[0]
        other = b if leader is a else a
        applied = catch_ups(other)
        for i in range(3):
            leader.define_role(founded.project_id, name=f"R{i}", actor=founded.founder_id)
        other.read_models.wait_for(leader.max_position())
        assert {"R0", "R1", "R2"} <= {r.name for r in other.project(founded.project_id).roles}
        assert applied == [], "the follower applied events itself"

        leader.close()
        deadline = time.monotonic() + 10
        while not other.read_models.runner.leads():
            assert time.monotonic() < deadline, "nobody took the lead"
            time.sleep(0.1)
        other.define_role(founded.project_id, name="After", actor=founded.founder_id)
        other.read_models.wait_for(other.max_position())
        assert "After" in {r.name for r in other.project(founded.project_id).roles}
    finally:
        a.close()
        b.close()


def catch_ups(gov: Governance) -> list[int]:
    """Records each catch-up of `gov`'s runner that found events to apply."""
    runner = gov.read_models.runner
    applied: list[int] = []
    catch_up = runner.catch_up

    def recorded(progress: Any = None) -> int:
        before = runner.view.position(runner.name)
        reached = catch_up(progress)
        if reached > before:
            applied.append(reached)
        return reached

    runner.catch_up = recorded  # type: ignore[method-assign]
    return applied
