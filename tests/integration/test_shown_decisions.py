"""A page of decisions with the shown names of whom its rows name, read in one statement,
says on every store what the rows and the directory say when read one after the other:
on any page, under any filter, with erased members and a pen name, and it refuses what
they refuse."""

from __future__ import annotations

from typing import Any

import pytest

from cogov.application import Governance
from cogov.application.views import StoredDecision
from cogov.domain import NotFound


def apart(
    gov: Governance, pid: str, limit: int, **filters: Any
) -> tuple[list[StoredDecision], bool, dict[str, str | None]]:
    """The same answer read in two statements: the rows (one more than the page, to see
    whether another follows), then the names of whom the page's rows name."""
    rows = gov.stored_decisions(pid, limit=limit + 1, **filters)
    page = rows[:limit]
    return page, len(rows) > limit, gov.names(m for s in page for m in s.named or ())


def test_shown_decisions_are_the_rows_and_their_names(governance: Governance) -> None:
    gov = governance
    founded = gov.found_project(
        title="Shown", founder_name="Rosa Díaz", founder_perspectives=["researcher"]
    )
    pid, rosa = str(founded.project_id), founded.founder_id
    pat = gov.admit_member(pid, display_name="Pat", perspectives=["public"], actor=rosa).member_id
    gone = gov.admit_member(
        pid, display_name='Gone "quoted"', perspectives=["public"], actor=rosa
    ).member_id
    for n, (proposer, area) in enumerate([(rosa, "operations"), (pat, "governance")] * 3):
        proposal = gov.table_proposal(
            pid, title=f"P{n}", text="T", area=area, actor=proposer
        ).proposal_id
        gov.respond(proposal, stance="consent", actor=gone if n == 5 else pat)
    gov.erase_member(pid, gone, actor=gone)
    gov.name_member(pid, pat, shown_as="pen_name", pen_name='P\\at "☂"', actor=pat)

    every = gov.shown_decisions(pid, limit=100)
    assert every == apart(gov, pid, 100)
    assert len(every[0]) >= 6 and every[1] is False
    names = every[2]
    assert names[rosa] == "Rosa Díaz" and names[pat] == 'P\\at "☂"'
    assert names[gone] == gov.display_name(gone) != 'Gone "quoted"'  # erased

    first = gov.shown_decisions(pid, limit=2)
    assert first == apart(gov, pid, 2)
    assert first[1] is True
    after = first[0][-1].began
    assert gov.shown_decisions(pid, cursor=after, limit=2) == apart(gov, pid, 2, cursor=after)
    # only whom the page names: the row after the page names `gone`, the page does not
    last = every[0][-2:]
    before_last = every[0][-3].began
    page = gov.shown_decisions(pid, cursor=before_last, limit=1)
    assert page == apart(gov, pid, 1, cursor=before_last)
    assert page[0] == last[:1] and page[1] is True
    assert gone not in page[2]

    governs = gov.shown_decisions(pid, area="governance", limit=100)
    assert governs == apart(gov, pid, 100, area="governance")
    assert len(governs[0]) == 3


def test_shown_decisions_refuse_what_the_rows_refuse(governance: Governance) -> None:
    gov = governance
    founded = gov.found_project(title="Quiet", founder_name="F", founder_perspectives=["public"])
    pid = str(founded.project_id)
    page = gov.shown_decisions(pid)
    assert page == ([], False, {})
    with pytest.raises(NotFound, match="no project with id"):
        gov.shown_decisions("00000000-0000-4000-8000-000000000000")
