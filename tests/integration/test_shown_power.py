"""Power with its members' shown names, read in one statement, says on every store what the
row and the directory say when read one after the other: at any moment, in any stage,
with erased members and a pen name, and refuses what they refuse."""

from __future__ import annotations

import pytest

from cogov.application import Governance
from cogov.application.views import PowerRow
from cogov.domain import InvalidInput, NotFound
from tests.support import Clock


def apart(gov: Governance, body: str) -> tuple[str, dict[str, str | None]]:
    """The same answer read in two statements: the row, then its members' names."""
    return body, gov.names(PowerRow.members_in(body))


def test_shown_power_is_the_row_and_its_names(governance: Governance, clock: Clock) -> None:
    gov = governance
    founded = gov.found_project(
        title="Shown", founder_name="Rosa Díaz", founder_perspectives=["researcher"]
    )
    pid, rosa = str(founded.project_id), founded.founder_id
    clock.advance(hours=1)
    early = clock()
    clock.advance(hours=1)
    pat = gov.admit_member(pid, display_name="Pat", perspectives=["public"], actor=rosa).member_id
    gone = gov.admit_member(
        pid, display_name='Gone "quoted"', perspectives=["public"], actor=rosa
    ).member_id
    gov.erase_member(pid, gone, actor=gone)
    gov.name_member(pid, pat, shown_as="pen_name", pen_name='P\\at "☂"', actor=pat)
    stage = gov.project(pid).stage

    now = gov.shown_power(pid)
    assert now == apart(gov, gov.power_body_as_of(pid))
    assert now[1][rosa] == "Rosa Díaz" and now[1][pat] == 'P\\at "☂"'
    assert now[1][gone] == gov.display_name(gone) != 'Gone "quoted"'  # erased
    assert set(PowerRow.members_in(now[0])) == set(now[1])
    then = gov.shown_power(pid, as_of=early)
    assert then == apart(gov, gov.power_body_as_of(pid, early))
    assert set(then[1]) == {rosa}
    assert gov.shown_power(pid, stage=stage) == apart(gov, gov.power_body_in_stage(pid, stage))


def test_shown_power_refuses_what_the_row_refuses(governance: Governance) -> None:
    gov = governance
    founded = gov.found_project(title="Quiet", founder_name="F", founder_perspectives=["public"])
    pid = str(founded.project_id)
    with pytest.raises(NotFound, match="no project with id"):
        gov.shown_power("00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFound, match="had not been founded"):
        gov.shown_power(pid, as_of="2000-01-01T00:00:00+00:00")
    unentered = next(s for s in ("design", "dissemination") if s != gov.project(pid).stage)
    with pytest.raises(NotFound, match="has not been in stage"):
        gov.shown_power(pid, stage=unentered)
    with pytest.raises(InvalidInput, match="not both"):
        gov.shown_power(pid, stage="design", as_of="2026-01-01T00:00:00+00:00")
    with pytest.raises(InvalidInput):
        gov.shown_power(pid, stage="no such stage")
