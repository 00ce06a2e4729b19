"""Two application instances on one store, as two server workers are: a command never acts on
what the other has since changed, whether that would make it lose a race or be refused."""

from __future__ import annotations

from collections.abc import Iterator

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
