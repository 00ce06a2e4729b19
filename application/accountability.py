"""Who is responsible and accountable for what, at any moment (UKRI's "clear responsibility
and accountability"): for each decision area, who holds it and how; for each role, who holds
it and whether it leads; for each ethics issue still open, who raised it, who is responsible
for resolving it and who answers for it. Every holding cites the position of the power shift
from which its holder has held it without a break.

`accountability` is a pure function of the project as it stood at the moment, the power
timeline up to it and the journal's ethics entries; `AccountabilityQueries` is the query, a
mixin of Governance so that it keeps one name in the embedding API.

Responsibility for an open ethics issue: the journal records who raised an issue, never who
is to resolve it, so the rule is the project's own structure at that moment, in order:

1. `ethics_area`: the holders of the `ethics` decision area (members it is delegated to,
   and holders of roles that carry it), if the project has that area and anyone holds it;
2. `leadership`: otherwise the holders of the leadership roles (the Facilitator among them);
3. `team`: otherwise, nobody being named, every active member.

Accountable for every issue are the holders of the leadership roles (the team's active
members when nobody holds one): they answer for the team's conduct whoever resolves it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import attrs

from cogov.application.records import (
    ProjectRecord,
    epoch_us,
    project_record,
    query_moment,
    utc_iso,
)
from cogov.application.views import JournalRow, PowerRow
from cogov.domain import NotFound

if TYPE_CHECKING:
    from cogov.application.aggregates import Aggregates
    from cogov.application.reading import ReadModels

ETHICS_AREA = "ethics"
# how a member holds an area
DELEGATION, ROLE = "delegation", "role"
# why the members responsible for an ethics issue are (see the module's docstring)
ETHICS_HOLDERS, LEADERSHIP, TEAM = "ethics_area", "leadership", "team"
# the journal's kinds for an issue raised and an issue resolved
RAISED, RESOLVED = "ethics_issue", "ethics_resolution"


@attrs.frozen
class AreaHolder:
    """One member's hold on a decision area: by delegation (until a stage, perhaps) or by a
    role that carries the area, held since the power shift at `since`."""

    member_id: str
    through: str  # "delegation" or "role"
    role: str | None
    until_stage: str | None
    since: int


@attrs.frozen
class AreaAccountability:
    area: str
    holders: tuple[AreaHolder, ...]  # none: the team decides it by proposal


@attrs.frozen
class RoleHolder:
    member_id: str
    since: int


@attrs.frozen
class RoleAccountability:
    name: str
    responsibilities: str
    leadership: bool
    areas: tuple[str, ...]
    holders: tuple[RoleHolder, ...]


@attrs.frozen
class IssueAccountability:
    """An ethics issue open at the moment asked, and who is to resolve it."""

    issue_id: str
    title: str
    stage: str | None
    raised_by: str
    raised_at: str
    position: int  # of the issue's raising
    responsible: tuple[str, ...]
    responsible_as: str  # "ethics_area", "leadership" or "team"
    accountable: tuple[str, ...]
    evidence: tuple[int, ...]  # the raising, and the shifts that gave each person their part


@attrs.frozen
class Accountability:
    project_id: str
    as_of: str
    stage: str
    position: int  # the last power shift at or before `as_of`: the state described follows it
    version: int  # the project's version just after that shift
    areas: tuple[AreaAccountability, ...]
    roles: tuple[RoleAccountability, ...]
    ethics_issues: tuple[IssueAccountability, ...]

    def member_ids(self) -> list[str]:
        """Every member id the read shows, each once, in order of first appearance."""
        ids = [h.member_id for a in self.areas for h in a.holders]
        ids += [h.member_id for r in self.roles for h in r.holders]
        for issue in self.ethics_issues:
            ids += [issue.raised_by, *issue.responsible, *issue.accountable]
        return list(dict.fromkeys(ids))

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def accountability(
    project: ProjectRecord,
    timeline: Sequence[PowerRow],
    journal: Iterable[JournalRow],
    *,
    as_of: datetime | None,
    now: datetime,
) -> Accountability:
    """Who was responsible and accountable for what at `as_of` (None: now, after every
    event recorded).

    `project` is the project just after the last power shift at or before `as_of`, and
    `timeline` its power rows in order; rows after that shift (by version) are ignored.
    `journal` holds the project's ethics issues and resolutions, of any time: those recorded
    after `as_of` are ignored, so an issue resolved later is still open then."""
    rows = [r for r in timeline if r.version <= project.version]
    if not rows:
        raise ValueError("the timeline holds no power shift up to the project given")
    shift = rows[-1]
    since = _held_since(rows)

    def since_of(member_id: str, what: tuple[str, str]) -> int:
        return since.get((member_id, what), shift.position)

    roles = tuple(
        RoleAccountability(
            name=r.name,
            responsibilities=r.responsibilities,
            leadership=r.leadership,
            areas=tuple(r.areas),
            holders=tuple(RoleHolder(m, since_of(m, (ROLE, r.name))) for m in r.holders),
        )
        for r in project.roles
    )
    delegations = {d.area: d for d in project.delegations}
    areas: list[AreaAccountability] = []
    for area in project.areas:
        holders: list[AreaHolder] = []
        if (delegation := delegations.get(area)) is not None:
            until = delegation.until_stage
            holders += [
                AreaHolder(m, DELEGATION, None, until, since_of(m, (DELEGATION, area)))
                for m in delegation.member_ids
            ]
        holders += [
            AreaHolder(m, ROLE, r.name, None, since_of(m, (ROLE, r.name)))
            for r in project.roles
            if area in r.areas
            for m in r.holders
        ]
        areas.append(AreaAccountability(area, tuple(holders)))
    issues = _open_issues(journal, as_of)
    answer = _answerable(project, areas, roles, since_of)
    return Accountability(
        project_id=str(project.id),
        as_of=utc_iso(as_of or now),
        stage=shift.stage,
        position=shift.position,
        version=shift.version,
        areas=tuple(areas),
        roles=roles,
        ethics_issues=tuple(answer(row) for row in issues),
    )


def _held_since(rows: Sequence[PowerRow]) -> dict[tuple[str, tuple[str, str]], int]:
    """For each (member, role or delegated area) held after the last row, the position of
    the row from which the member has held it without a break."""
    since: dict[tuple[str, tuple[str, str]], int] = {}
    for row in rows:
        held = {
            (m.member_id, what)
            for m in row.members
            for what in [*((ROLE, r) for r in m.roles), *((DELEGATION, a) for a in m.areas)]
        }
        since = {key: since.get(key, row.position) for key in held}
    return since


def _open_issues(journal: Iterable[JournalRow], as_of: datetime | None) -> list[JournalRow]:
    """The issues raised and not resolved by `as_of` (every one recorded, if None)."""
    entries = [
        r
        for r in journal
        if r.kind in (RAISED, RESOLVED)
        and (as_of is None or datetime.fromisoformat(r.recorded_at) <= as_of)
    ]
    resolved = {r.data.get("issue_id") for r in entries if r.kind == RESOLVED}
    raised = [r for r in entries if r.kind == RAISED and r.data.get("issue_id") not in resolved]
    return sorted(raised, key=lambda r: r.position)


def _answerable(
    project: ProjectRecord,
    areas: Sequence[AreaAccountability],
    roles: Sequence[RoleAccountability],
    since_of: Callable[[str, tuple[str, str]], int],
) -> Callable[[JournalRow], IssueAccountability]:
    """Who is responsible for an open issue and who accountable (the module's rule), with
    the positions that evidence it."""
    ethics = next((a for a in areas if a.area == ETHICS_AREA), None)
    leaders = [(h.member_id, h.since) for r in roles if r.leadership for h in r.holders]
    active = [m.member_id for m in project.members if m.status == "active"]
    accountable = _unique(m for m, _ in leaders) or tuple(active)
    basis = [since for _, since in leaders]
    if ethics is not None and ethics.holders:
        responsible, why = _unique(h.member_id for h in ethics.holders), ETHICS_HOLDERS
        basis += [h.since for h in ethics.holders]
    elif leaders:
        responsible, why = accountable, LEADERSHIP
    else:
        responsible, why = tuple(active), TEAM

    def answer(row: JournalRow) -> IssueAccountability:
        stage = row.data.get("stage")
        return IssueAccountability(
            issue_id=str(row.data.get("issue_id")),
            title=str(row.data.get("title", "")),
            stage=stage if isinstance(stage, str) else None,
            raised_by=row.actor,
            raised_at=row.recorded_at,
            position=row.position,
            responsible=responsible,
            responsible_as=why,
            accountable=accountable,
            evidence=tuple(sorted({row.position, *basis})),
        )

    return answer


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _no_name(_: str) -> None:
    return None


class AccountabilityQueries:
    """`Governance.accountability`, answered from the views and the project's events."""

    read_models: ReadModels
    clock: Callable[[], datetime]

    if TYPE_CHECKING:

        @property
        def aggregates(self) -> Aggregates: ...

    def accountability(
        self,
        project_id: UUID | str,
        as_of: datetime | str | None = None,
        *,
        after: int | None = None,
    ) -> Accountability:
        """Who was responsible and accountable for each decision area, role and open ethics
        issue at `as_of` (a datetime, or ISO 8601 text, with a time zone; default now)."""
        pid = self.read_models.known_project(project_id, after)
        moment = query_moment(as_of)
        view = self.read_models.view
        project = self.project_then(pid, moment)
        timeline: list[PowerRow] = []
        while batch := view.power_timeline(pid, timeline[-1].position if timeline else 0, 1000):
            timeline += [r for r in batch if r.version <= project.version]
            if batch[-1].version >= project.version:
                break
        journal = view.journal(pid, RAISED, None) + view.journal(pid, RESOLVED, None)
        return accountability(project, timeline, journal, as_of=moment, now=self.clock())

    def project_then(self, pid: str, moment: datetime | None) -> ProjectRecord:
        """The project just after its last power shift at or before `moment` (None: now),
        without names (they live in the directory)."""
        shift = self.read_models.view.power_as_of(pid, None if moment is None else epoch_us(moment))
        if shift is None:
            raise NotFound(f"project {pid} had not been founded at {moment}")
        version = PowerRow.from_json(shift).version
        return project_record(self.aggregates.at_version(UUID(pid), version), _no_name)
