"""Who is responsible and accountable for what at a moment, as a pure function of the
project at that moment, the power timeline and the journal's ethics entries: holdings cite
the shift they began with, and the time cut applies to areas, roles and issues alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cogov.application.accountability import Accountability, accountability
from cogov.application.records import ProjectRecord, epoch_us, project_record, utc_iso
from cogov.application.views import JournalRow, MemberPower, PowerRow
from cogov.domain import Project
from cogov.domain.actions import Action, AssignRole, DelegateArea, RevokeDelegation
from cogov.domain.authority import Authority

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class History:
    """A project whose every step is one day after the last, kept as the queries would see
    it: a power row and the project's record after each power shift, and journal rows."""

    def __init__(self) -> None:
        self.project = Project.found(
            title="Living well with COPD", founder_id="ana", founder_perspectives=["researcher"]
        )
        self.now = START
        self.position = 0
        self.states: list[tuple[datetime, ProjectRecord]] = []
        self.timeline: list[PowerRow] = []
        self.journal: list[JournalRow] = []
        self._shifted()

    def _tick(self) -> datetime:
        self.now += timedelta(days=1)
        self.position += 1
        return self.now

    def _shifted(self) -> int:
        at = self._tick()
        p = self.project
        self.timeline.append(
            PowerRow(
                project_id="p1",
                position=self.position,
                version=p.version,
                as_of=utc_iso(at),
                as_of_us=epoch_us(at),
                stage=p.stage,
                shift="x",
                perspectives={},
                members=tuple(
                    MemberPower(m, v, 0.0, 0.0, 0.0, tuple(p.roles_of(m)), tuple(p.areas_of(m)))
                    for m, v in p.active_members().items()
                ),
                hhi={},
                gini={},
            )
        )
        self.states.append((at, project_record(p, lambda _: None)))
        return self.position

    def act(self, change: Callable[[Project], Any]) -> int:
        """A power shift; the position of its row."""
        change(self.project)
        return self._shifted()

    def adopt(self, action: Action) -> int:
        """An action taking effect as an adopted key proposal's would."""
        return self.act(lambda p: p._trigger(action, "ana", Authority.proposal("p1")))

    def entry(self, kind: str, actor: str, **data: Any) -> int:
        at = self._tick()
        self.journal.append(
            JournalRow("p1", self.position, kind, data.get("stage"), (), utc_iso(at), actor, data)
        )
        return self.position

    def raise_issue(self, issue_id: str, actor: str = "pat") -> int:
        return self.entry(
            "ethics_issue", actor, issue_id=issue_id, title=f"Issue {issue_id}", stage="design"
        )

    def resolve(self, issue_id: str, actor: str = "ana") -> int:
        return self.entry("ethics_resolution", actor, issue_id=issue_id, how="Talked it over")

    def time_of(self, position: int) -> datetime:
        return START + timedelta(days=position)

    def at(self, moment: datetime | None) -> Accountability:
        """As the query answers it: the project after the last shift at or before `moment`."""
        project = [s for at, s in self.states if moment is None or at <= moment][-1]
        return accountability(
            project, self.timeline, self.journal, as_of=moment, now=self.now + timedelta(hours=1)
        )


def team() -> History:
    history = History()
    history.act(lambda p: p.admit_member("pat", ["public"], actor="ana"))
    history.act(lambda p: p.admit_member("raj", ["practitioner"], actor="ana"))
    return history


def area(read: Accountability, name: str) -> list[tuple[str, str, str | None, int]]:
    found = next(a for a in read.areas if a.area == name)
    return [(h.member_id, h.through, h.role, h.since) for h in found.holders]


def role(read: Accountability, name: str) -> dict[str, Any]:
    found = next(r for r in read.roles if r.name == name)
    return {
        "leadership": found.leadership,
        "holders": [(h.member_id, h.since) for h in found.holders],
    }


def test_every_area_and_role_is_listed_with_who_holds_it_since_when() -> None:
    history = team()
    defined = history.act(lambda p: p.define_role("Data Steward", areas=["data"], actor="ana"))
    assigned = history.adopt(AssignRole("Data Steward", "raj"))
    delegated = history.adopt(DelegateArea("recruitment", ("pat", "raj"), "delivery"))
    read = history.at(None)
    assert [a.area for a in read.areas] == list(history.project.areas)
    assert area(read, "recruitment") == [
        ("pat", "delegation", None, delegated),
        ("raj", "delegation", None, delegated),
    ]
    recruitment = next(a for a in read.areas if a.area == "recruitment")
    assert {h.until_stage for h in recruitment.holders} == {"delivery"}
    assert area(read, "data") == [("raj", "role", "Data Steward", assigned)]
    assert area(read, "methods") == []  # nobody holds it: the team decides by proposal
    assert role(read, "Facilitator") == {"leadership": True, "holders": [("ana", 1)]}
    assert role(read, "Data Steward") == {"leadership": False, "holders": [("raj", assigned)]}
    assert assigned > defined
    assert (read.position, read.version) == (delegated, history.project.version)
    assert read.stage == "priority_setting"
    assert read.as_of == utc_iso(history.now + timedelta(hours=1))  # now, when not asked


def test_an_area_revoked_before_as_of_is_not_listed() -> None:
    history = team()
    delegated = history.adopt(DelegateArea("budget", ("pat",)))
    revoked = history.adopt(RevokeDelegation("budget"))
    while_held = history.at(history.time_of(delegated))
    assert area(while_held, "budget") == [("pat", "delegation", None, delegated)]
    after = history.at(history.time_of(revoked))
    assert area(after, "budget") == []
    assert after.position == revoked
    assert "pat" not in after.member_ids()


def test_a_holding_broken_and_given_again_is_cited_from_its_new_start() -> None:
    history = team()
    history.adopt(DelegateArea("budget", ("pat",)))
    history.adopt(RevokeDelegation("budget"))
    again = history.adopt(DelegateArea("budget", ("pat",)))
    history.act(lambda p: p.admit_member("sue", ["public"], actor="ana"))  # an unrelated shift
    assert area(history.at(None), "budget") == [("pat", "delegation", None, again)]


def test_a_member_who_left_holds_nothing_from_then_on() -> None:
    history = team()
    history.act(lambda p: p.define_role("Scribe", actor="ana"))
    history.adopt(AssignRole("Scribe", "raj"))
    left = history.act(lambda p: p.leave(actor="raj"))
    assert role(history.at(history.time_of(left - 1)), "Scribe")["holders"] == [("raj", left - 1)]
    assert role(history.at(history.time_of(left)), "Scribe")["holders"] == []


def test_a_role_defined_after_as_of_is_not_listed() -> None:
    history = team()
    before = history.time_of(history.position)
    history.act(lambda p: p.define_role("Scribe", actor="ana"))
    assert [r.name for r in history.at(before).roles] == ["Facilitator"]
    assert [r.name for r in history.at(None).roles] == ["Facilitator", "Scribe"]


def test_an_issue_resolved_after_as_of_is_open_at_as_of() -> None:
    history = team()
    raised = history.raise_issue("i1")
    resolved = history.resolve("i1")
    open_then = history.at(history.time_of(resolved) - timedelta(seconds=1))
    assert [(i.issue_id, i.position, i.raised_by) for i in open_then.ethics_issues] == [
        ("i1", raised, "pat")
    ]
    issue = open_then.ethics_issues[0]
    assert (issue.title, issue.stage, issue.raised_at) == (
        "Issue i1",
        "design",
        utc_iso(history.time_of(raised)),
    )


def test_an_issue_resolved_before_as_of_is_not_listed() -> None:
    history = team()
    history.raise_issue("i1")
    resolved = history.resolve("i1")
    still_open = history.raise_issue("i2")
    assert [i.issue_id for i in history.at(history.time_of(resolved)).ethics_issues] == []
    assert [i.issue_id for i in history.at(None).ethics_issues] == ["i2"]
    assert history.at(None).ethics_issues[0].position == still_open


def test_an_issue_raised_after_as_of_is_not_listed() -> None:
    history = team()
    raised = history.raise_issue("i1")
    assert history.at(history.time_of(raised - 1)).ethics_issues == ()


def test_the_leadership_is_responsible_for_an_issue_when_nobody_holds_ethics() -> None:
    history = team()
    history.raise_issue("i1")
    issue = history.at(None).ethics_issues[0]
    assert (issue.responsible, issue.responsible_as, issue.accountable) == (
        ("ana",),
        "leadership",
        ("ana",),
    )
    assert issue.evidence == (1, issue.position)  # ana's Facilitator role since founding


def test_the_holders_of_ethics_are_responsible_and_the_leadership_accountable() -> None:
    history = team()
    history.act(lambda p: p.define_role("Ethics Lead", areas=["ethics"], actor="ana"))
    by_role = history.adopt(AssignRole("Ethics Lead", "raj"))
    delegated = history.adopt(DelegateArea("ethics", ("pat",)))
    history.raise_issue("i1", actor="raj")
    issue = history.at(None).ethics_issues[0]
    assert issue.raised_by == "raj"
    assert (issue.responsible, issue.responsible_as, issue.accountable) == (
        ("pat", "raj"),
        "ethics_area",
        ("ana",),
    )
    assert issue.evidence == (1, by_role, delegated, issue.position)


def test_the_team_answers_for_an_issue_when_nobody_leads() -> None:
    history = team()
    history.act(lambda p: p.leave(actor="ana"))  # the only Facilitator leaves
    history.raise_issue("i1")
    issue = history.at(None).ethics_issues[0]
    assert (issue.responsible, issue.responsible_as, issue.accountable) == (
        ("pat", "raj"),
        "team",
        ("pat", "raj"),
    )
    assert issue.evidence == (issue.position,)


def test_each_member_shown_is_named_once() -> None:
    history = team()
    history.adopt(DelegateArea("ethics", ("pat",)))
    history.raise_issue("i1", actor="raj")
    assert history.at(None).member_ids() == ["pat", "ana", "raj"]


def test_a_project_with_no_shift_up_to_it_is_refused() -> None:
    history = team()
    with pytest.raises(ValueError, match="no power shift"):
        accountability(history.states[-1][1], [], [], as_of=None, now=START)
