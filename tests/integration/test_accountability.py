"""Who is responsible and accountable for what, through Governance on every store: the
project as it stood at the moment asked, its power shifts cited, its open ethics issues."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest

from cogov.application import Governance
from cogov.domain import InvalidInput, NotFound
from tests.support import Clock


@attrs.define
class Story:
    """Rosa (researcher, Facilitator) with Pam (public) and Nia (practitioner): ethics is
    delegated to Pam, Nia raises an issue, the delegation is revoked, the issue is resolved
    and another raised, a day apart each."""

    gov: Governance
    pid: Any
    ids: dict[str, str]
    times: dict[str, datetime]
    positions: dict[str, int]


def adopt(gov: Governance, pid: Any, ids: dict[str, str], action: dict[str, Any]) -> int:
    tabled = gov.table_proposal(
        pid,
        title=action["type"],
        text="as agreed",
        area="ethics",
        key=True,
        actions=[action],
        actor=ids["rosa"],
    )
    for member in ids.values():
        gov.respond(tabled.proposal_id, stance="consent", actor=member)
    return gov.close_proposal(tabled.proposal_id, actor=ids["rosa"])


@pytest.fixture
def story(governance: Governance, clock: Clock) -> Story:
    gov = governance
    times: dict[str, datetime] = {}
    positions: dict[str, int] = {}

    def step(name: str, position: int) -> None:
        times[name], positions[name] = clock.now, position
        clock.advance(days=1)

    founded = gov.found_project(
        title="Moving on after stroke", founder_name="Rosa", founder_perspectives=["researcher"]
    )
    pid = founded.project_id
    ids = {"rosa": founded.founder_id}
    step("founded", founded.position)
    for name, perspective in [("pam", "public"), ("nia", "practitioner")]:
        ids[name] = gov.admit_member(
            pid, display_name=name.title(), perspectives=[perspective], actor=ids["rosa"]
        ).member_id
    step("admitted", gov.max_position())
    step(
        "delegated",
        adopt(
            gov, pid, ids, {"type": "delegate_area", "area": "ethics", "member_ids": [ids["pam"]]}
        ),
    )
    raised = gov.raise_ethics_issue(pid, title="Consent forms", text="Too long", actor=ids["nia"])
    step("raised", raised.position)
    step("revoked", adopt(gov, pid, ids, {"type": "revoke_delegation", "area": "ethics"}))
    step(
        "resolved",
        gov.resolve_ethics_issue(pid, raised.issue_id, how="Shortened", actor=ids["pam"]),
    )
    second = gov.raise_ethics_issue(pid, title="Payment", text="Rates", actor=ids["pam"])
    step("raised_again", second.position)
    ids |= {"i1": raised.issue_id, "i2": second.issue_id}
    return Story(gov, pid, ids, times, positions)


def holders(read: Any, area: str) -> list[tuple[str, str, int]]:
    found = next(a for a in read.areas if a.area == area)
    return [(h.member_id, h.through, h.since) for h in found.holders]


def test_an_issue_open_while_ethics_was_delegated_is_the_delegates(story: Story) -> None:
    gov, ids, at = story.gov, story.ids, story.positions
    read = gov.accountability(story.pid, story.times["raised"])
    assert holders(read, "ethics") == [(ids["pam"], "delegation", at["delegated"])]
    assert read.position == at["delegated"]  # the last power shift by then
    assert read.position == gov.power_as_of(story.pid, story.times["raised"]).position
    facilitator = next(r for r in read.roles if r.name == "Facilitator")
    assert facilitator.leadership
    assert [(h.member_id, h.since) for h in facilitator.holders] == [(ids["rosa"], at["founded"])]
    [issue] = read.ethics_issues
    assert (issue.issue_id, issue.raised_by, issue.position) == (
        ids["i1"],
        ids["nia"],
        at["raised"],
    )
    assert (issue.responsible, issue.responsible_as, issue.accountable) == (
        (ids["pam"],),
        "ethics_area",
        (ids["rosa"],),
    )
    assert issue.evidence == (at["founded"], at["delegated"], at["raised"])


def test_once_revoked_the_leadership_is_responsible_until_it_is_resolved(story: Story) -> None:
    gov, ids = story.gov, story.ids
    read = gov.accountability(story.pid, story.times["revoked"])
    assert holders(read, "ethics") == []
    [issue] = read.ethics_issues
    assert (issue.issue_id, issue.responsible, issue.responsible_as) == (
        ids["i1"],
        (ids["rosa"],),
        "leadership",
    )
    now = gov.accountability(story.pid)
    assert [i.issue_id for i in now.ethics_issues] == [ids["i2"]]
    assert now.position == story.positions["revoked"]


def test_before_the_delegation_nobody_held_ethics_and_nothing_was_open(story: Story) -> None:
    read = story.gov.accountability(story.pid, story.times["admitted"])
    assert holders(read, "ethics") == []
    assert read.ethics_issues == ()
    assert read.stage == "priority_setting"
    assert read.as_of == "2026-03-03T09:00:00.000000Z"


def test_as_of_is_read_as_power_as_of_reads_it(story: Story) -> None:
    gov, pid = story.gov, story.pid
    moment = story.times["raised"]
    assert gov.accountability(pid, moment.isoformat()) == gov.accountability(pid, moment)
    with pytest.raises(NotFound, match="had not been founded"):
        gov.accountability(pid, story.times["founded"] - timedelta(seconds=1))
    with pytest.raises(InvalidInput, match="time zone"):
        gov.accountability(pid, "2026-03-05T09:00:00")
    with pytest.raises(InvalidInput, match="not an ISO 8601 time"):
        gov.accountability(pid, "next Tuesday")
    with pytest.raises(InvalidInput, match="out of range"):
        gov.accountability(pid, "9999-12-31T23:59:59-01:00")
    with pytest.raises(NotFound):
        gov.accountability("7a1c4c8e-3a57-4b43-9e2b-8a3a6a7f0c11")


def test_the_read_is_json_ready_and_names_everyone_it_shows(story: Story) -> None:
    read = story.gov.accountability(story.pid, story.times["raised"])
    body = read.to_dict()
    assert set(body) == {
        "project_id",
        "as_of",
        "stage",
        "position",
        "version",
        "areas",
        "roles",
        "ethics_issues",
    }
    assert set(read.member_ids()) == {story.ids["pam"], story.ids["rosa"], story.ids["nia"]}
    assert story.gov.names(read.member_ids())[story.ids["nia"]] == "Nia"
