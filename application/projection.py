"""The governance projection: folds events into the decisions, power timeline and members views.

It replays each aggregate exactly as the repository would (each event's own `mutate`), so a
view row always agrees with the aggregate replayed to the same version. State it has not
seen (after a restart mid-stream) is loaded from the repository at the version just before
the event, and member counters from the members view, which was committed together with the
tracking position the runner resumes from.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.application import Repository
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from cogov.application.decisions import direct_row, proposal_row
from cogov.application.records import epoch_us, utc_iso
from cogov.application.trail import event_record
from cogov.application.verifiable_log import LeafAppender
from cogov.application.views import (
    DecisionRow,
    GovernanceView,
    JournalRow,
    MemberPower,
    MemberRow,
    PowerRow,
    ProjectRow,
    ViewChanges,
)
from cogov.domain import Journal, Project, Proposal
from cogov.domain.power import POWER_SHIFTS, Influence, acts_counted, distribution, response_acts

# Each kind of journal entry, as the journal list names it.
JOURNAL_KINDS: dict[type, str] = {
    Journal.ReflectionRecorded: "reflection",
    Journal.DialogueRecorded: "dialogue",
    Journal.RecognitionRecorded: "recognition",
    Journal.SupportRecorded: "support",
    Journal.EthicsIssueRaised: "ethics_issue",
    Journal.EthicsIssueResolved: "ethics_resolution",
    Journal.EthicsReviewRecorded: "ethics_review",
    Journal.InterestDeclared: "interest",
    Journal.ImpactRecorded: "impact",
    Journal.InvolvementJustified: "involvement_justification",
}
ENTRY_KINDS = frozenset(JOURNAL_KINDS.values())


class _Bounded(OrderedDict[Any, Any]):
    """A least-recently-used map, so a long catch-up never holds every aggregate."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def remember(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


class GovernanceProjection(Projection[Any]):
    """eventsourcing's Projection over the governance view. The runner feeds it batches and
    commits their changes with the batch's tracking; `process_event` serves one event."""

    name = "GovernanceViews"

    def __init__(self, repository: Repository[UUID], view: GovernanceView, cache: int = 5000):
        super().__init__(view)
        self.repository = repository
        self.cache = cache
        self.reset()

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Apply one event and commit it with its tracking (the library's protocol)."""
        previous = self.view.position(tracking.application_name)
        self.process(domain_event, tracking.notification_id)
        self.view.commit(self.take_changes(), tracking, previous)

    def reset(self) -> None:
        """Forget everything not committed (after a failed commit, say)."""
        self.projects: _Bounded = _Bounded(self.cache)
        self.proposals: _Bounded = _Bounded(self.cache)
        self.journals: _Bounded = _Bounded(self.cache)
        self.rows: _Bounded = _Bounded(self.cache)
        self.member_rows: _Bounded = _Bounded(self.cache)
        self.pending = ViewChanges()
        self.leaves = LeafAppender(self.view)
        # proposals changed in this batch -> (position, time) of their latest event; their
        # rows are computed once per batch, not once per event
        self.dirty: dict[UUID, tuple[int, datetime]] = {}
        # proposals tabled in this batch -> (time, position) of their tabling
        self.tabled: dict[UUID, tuple[datetime, int]] = {}

    def take_changes(self) -> ViewChanges:
        for proposal_id, (position, at) in self.dirty.items():
            proposal = self.proposals.get(proposal_id)
            if proposal is None:  # evicted within the batch: replay it
                proposal = self.repository.get(proposal_id)
            tabled = self.tabled.get(proposal_id)
            self._save_row(
                proposal_row(
                    proposal,
                    # tabled in this batch: no row of it can be stored yet, so none is read
                    previous=None if tabled else self._row(str(proposal_id)),
                    at=at,
                    position=position,
                    tabled=tabled,
                )
            )
        self.dirty.clear()
        self.tabled.clear()
        self.leaves.take(self.pending)
        changes, self.pending = self.pending, ViewChanges()
        return changes

    # --- dispatch ---------------------------------------------------------------------

    def process(self, event: Any, position: int) -> None:
        self.leaves.add(position, event)  # every event, whatever its kind
        match event:
            case Project.Event():
                self._project_event(event, position)
            case Proposal.Event():
                self._proposal_event(event, position)
            case Journal.Event():
                self._journal_event(event, position)

    # --- projects ---------------------------------------------------------------------

    def _project_event(self, event: Project.Event, position: int) -> None:
        project = self._fold(self.projects, event)
        assert isinstance(project, Project)
        pid = str(project.id)
        self.pending.trail.append((position, pid))
        self._count(pid, acts_counted(event, project))
        match event:
            case Project.DecisionRecordedDirectly():
                self._save_row(
                    direct_row(
                        decision_id=event.decision_id,
                        project_id=pid,
                        title=event.title,
                        area=event.area,
                        key=event.key,
                        stage=event.stage,
                        decider=event.actor,
                        decider_perspectives=project.members[event.actor].perspectives,
                        at=event.timestamp,
                        position=position,
                    )
                )
        rows = self._members(pid)
        roles, areas = project.roles_by_member(), project.areas_by_member()
        for member_id, member in project.members.items():
            # what a project event can change of a member's row; compared before anything is
            # made, since most events change one member (or none) of many
            held = {
                "perspectives": tuple(member.perspectives),
                "status": str(member.status),
                "roles": tuple(roles.get(member_id, ())),
                "areas": tuple(areas.get(member_id, ())),
            }
            row = rows.get(member_id)
            if row is None or any(getattr(row, name) != value for name, value in held.items()):
                self._save_member(pid, member_id, **held)
        self.pending.projects[pid] = ProjectRow(
            project_id=pid,
            title=project.title,
            stage=project.stage,
            founded_at=utc_iso(project.created_on),
            members=len(project.active_members()),
            version=project.version,
            position=position,
        )
        if isinstance(event, POWER_SHIFTS):
            self.pending.power.append(
                self._power_row(project, type(event).__name__, event.timestamp, position)
            )

    def _power_row(self, project: Project, kind: str, at: datetime, position: int) -> PowerRow:
        pid = str(project.id)
        rows = self._members(pid)
        roles, areas = project.roles_by_member(), project.areas_by_member()
        shares = distribution(
            project,
            {
                m: Influence(r.tabled, r.adopted, r.objections, r.upheld, r.direct).units
                for m, r in rows.items()
            },
        )
        return PowerRow(
            project_id=pid,
            position=position,
            version=project.version,
            as_of=utc_iso(at),
            as_of_us=epoch_us(at),
            stage=project.stage,
            shift=kind,
            perspectives=shares.perspectives,
            members=tuple(
                MemberPower(
                    member_id=m,
                    perspectives=project.members[m].perspectives,
                    voting_power=s["voting_power"],
                    authority=s["authority"],
                    influence=s["influence"],
                    roles=tuple(roles.get(m, ())),
                    areas=tuple(areas.get(m, ())),
                )
                for m, s in shares.members.items()
            ),
            hhi=shares.hhi,
            gini=shares.gini,
            not_computed=shares.not_computed,
        )

    # --- proposals --------------------------------------------------------------------

    def _proposal_event(self, event: Proposal.Event, position: int) -> None:
        previous_stance = None
        match event:
            case Proposal.ResponseGiven(member_id=member_id):
                before = self._fold(self.proposals, event, apply=False)
                previous_stance = before.responses.get(member_id)
            case Proposal.ProposalTabled():
                self.tabled[event.originator_id] = (event.timestamp, position)
                self.pending.deadlines[str(event.originator_id)] = epoch_us(event.closes_at)
            case Proposal.ProposalClosed() | Proposal.ProposalWithdrawn():
                self.pending.deadlines[str(event.originator_id)] = None
        proposal = self._fold(self.proposals, event)
        assert isinstance(proposal, Proposal)
        pid = str(proposal.project_id)
        self.pending.trail.append((position, pid))
        acts = acts_counted(event, proposal, previous_stance)
        if proposal.charter.results_hidden_until_close:
            # the members' counts (and the influence they give) would show stances: its
            # responses are counted when it closes, all at once
            match event:
                case Proposal.ResponseGiven():
                    acts = []
                case Proposal.ProposalClosed() | Proposal.ProposalWithdrawn():
                    events = self.repository.event_store.get(
                        proposal.id, lte=event.originator_version
                    )
                    acts = response_acts(events) + acts
        self._count(pid, acts)
        self.dirty[proposal.id] = (position, event.timestamp)

    # --- the co-production log ------------------------------------------------------------

    def _journal_event(self, event: Journal.Event, position: int) -> None:
        journal = self._fold(self.journals, event)
        assert isinstance(journal, Journal)
        pid = str(journal.project_id)
        self.pending.trail.append((position, pid))
        kind = JOURNAL_KINDS.get(type(event))
        if kind is None:  # the opening: no entry of its own
            return
        record = event_record(position, event)
        about = [record.data.get("member_id"), *(record.data.get("attendees") or ())]
        self.pending.journal.append(
            JournalRow(
                project_id=pid,
                position=position,
                kind=kind,
                stage=record.data.get("stage"),
                members=tuple(m for m in about if isinstance(m, str)),
                recorded_at=record.recorded_at,
                actor=record.actor or "",
                data=record.data,
            )
        )

    # --- state ------------------------------------------------------------------------

    def _fold(self, cache: _Bounded, event: Any, *, apply: bool = True) -> Any:
        """The aggregate after `event` (or just before it), folded onto cached state or
        replayed from the repository."""
        aggregate_id = event.originator_id
        version = event.originator_version
        current = cache.get(aggregate_id)
        if version == 1:
            current = None
        elif current is None or current.version != version - 1:
            current = self.repository.get(aggregate_id, version=version - 1)
            cache.remember(aggregate_id, current)
        if not apply:
            return current
        folded = event.mutate(current)
        cache.remember(aggregate_id, folded)
        return folded

    def _members(self, project_id: str) -> dict[str, MemberRow]:
        rows: dict[str, MemberRow] | None = self.member_rows.get(project_id)
        if rows is None:
            rows = {r.member_id: r for r in self.view.members(project_id)}
            for (pid, member_id), row in self.pending.members.items():  # not committed yet
                if pid == project_id:
                    rows[member_id] = row
            self.member_rows.remember(project_id, rows)
        return rows

    def _save_member(self, project_id: str, member_id: str, **changes: Any) -> None:
        rows = self._members(project_id)
        current = rows.get(member_id)
        updated = attrs.evolve(current or MemberRow(project_id, member_id, ()), **changes)
        if updated != current:
            rows[member_id] = updated
            self.pending.members[(project_id, member_id)] = updated

    def _count(self, project_id: str, acts: list[tuple[str, str]]) -> None:
        rows = self._members(project_id)
        for member_id, act in acts:
            if member_id in rows:
                bumped = {act: getattr(rows[member_id], act) + 1}
                self._save_member(project_id, member_id, **bumped)

    def _row(self, decision_id: str) -> DecisionRow | None:
        row: DecisionRow | None = self.rows.get(decision_id) or self.pending.decisions.get(
            decision_id
        )
        if row is None:
            row = self.view.decision(decision_id)
        return row

    def _save_row(self, row: DecisionRow) -> None:
        self.rows.remember(row.proposal_id, row)
        self.pending.decisions[row.proposal_id] = row
