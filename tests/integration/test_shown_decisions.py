"""A page of decisions with the shown names of whom its rows name, read in one statement,
says on every store what the rows and the directory say when read one after the other:
on any page, under any filter, with erased members and a pen name, and it refuses what
they refuse."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cogov.application import Governance
from cogov.application.directory import NAMESPACE as DIRECTORY
from cogov.domain import NotFound

Page = tuple[list[tuple[Any, int, Any]], bool, dict[str, str | None]]


def apart(gov: Governance, pid: str, limit: int, **filters: Any) -> Page:
    """The same answer read apart and decoded: the rows (one more than the page, to see
    whether another follows), then the names of whom the page's rows name."""
    rows = gov.decisions(pid, limit=limit + 1, **filters)
    page = rows[:limit]
    shown = [(json.loads(json.dumps(r.to_dict())), r.start, r.named) for r in page]
    return shown, len(rows) > limit, gov.names(m for r in page for m in r.named)


def shown(gov: Governance, pid: str, **filters: Any) -> Page:
    """`shown_decisions`, its rows' stored JSON decoded."""
    rows, more, names = gov.shown_decisions(pid, **filters)
    return [(json.loads(s.body), s.began, s.named) for s in rows], more, names


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

    every = shown(gov, pid, limit=100)
    assert every == apart(gov, pid, 100)
    assert len(every[0]) >= 6 and every[1] is False
    names = every[2]
    assert names[rosa] == "Rosa Díaz" and names[pat] == 'P\\at "☂"'
    assert names[gone] == gov.display_name(gone) != 'Gone "quoted"'  # erased

    first = shown(gov, pid, limit=2)
    assert first == apart(gov, pid, 2)
    assert first[1] is True
    after = first[0][-1][1]
    assert shown(gov, pid, cursor=after, limit=2) == apart(gov, pid, 2, cursor=after)
    # only whom the page names: the row after the page names `gone`, the page does not
    last = every[0][-2:]
    before_last = every[0][-3][1]
    page = shown(gov, pid, cursor=before_last, limit=1)
    assert page == apart(gov, pid, 1, cursor=before_last)
    assert page[0] == last[:1] and page[1] is True
    assert gone not in page[2]

    whole = len(every[0])  # a page of exactly `limit` rows says whether any follow
    assert shown(gov, pid, limit=whole) == apart(gov, pid, whole)
    assert shown(gov, pid, limit=whole)[1] is False
    assert shown(gov, pid, limit=whole - 1)[1] is True

    governs = shown(gov, pid, area="governance", limit=100)
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


def test_whom_the_directory_does_not_hold_is_named_none(governance: Governance) -> None:
    gov = governance
    founded = gov.found_project(title="Held", founder_name="F", founder_perspectives=["public"])
    pid, founder = str(founded.project_id), founded.founder_id  # no row names the founder
    pat = gov.admit_member(pid, display_name="Pat", perspectives=["public"], actor=founder)
    gov.table_proposal(pid, title="P", text="T", area="operations", actor=pat.member_id)
    gov.records.delete(DIRECTORY, pat.member_id)
    page = shown(gov, pid)
    assert page == apart(gov, pid, 100)
    assert page[2] == {pat.member_id: None}
