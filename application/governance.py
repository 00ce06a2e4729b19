"""The Governance application: the commands a team issues and the queries it asks.

Each command loads the aggregates it needs, lets the domain decide, and saves the new
events in one transaction. It returns the position of its last event in the event sequence
(inside a record, for commands that create something), so a client can later read its own
writes. A command that loses an optimistic-concurrency race is retried from scratch, so
concurrent commands never lose an event.

This module is longer than most on purpose: it is the embedding facade, one short method
per command a host calls, and those names are a contract. Everything else lives beside it:
the read-model queries (queries.py), loading and saving aggregates (aggregates.py,
retry.py), authentication (access.py), the trail (trail.py), the views' lifecycle
(reading.py, runner.py), deadlines (deadlines.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import attrs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, OperationalError

from cogov.application import audit_pack
from cogov.application.access import Access
from cogov.application.access_log import AccessLog, AccessRecord, InMemoryAccessLog
from cogov.application.accountability import AccountabilityQueries
from cogov.application.aggregates import Aggregates, as_uuid
from cogov.application.beside import Write
from cogov.application.credentials import Principal, new_token, seal
from cogov.application.deadlines import DeadlineKeeper
from cogov.application.directory import (
    DirectoryEntry,
    MemberDirectory,
    ShownAs,
    allocate_admissions,
    clean_display_name,
)
from cogov.application.journal import JournalCommands
from cogov.application.keyvalue import InMemoryKeyValues, KeyValues
from cogov.application.once import Once
from cogov.application.proposals import ProposalRecord, seen_by, whole_proposal
from cogov.application.queries import ReadModelQueries
from cogov.application.reading import ReadModels
from cogov.application.records import (
    Admitted,
    DecidedDirectly,
    EventRecord,
    Founded,
    IssuedToken,
    MemberRecord,
    ProjectRecord,
    RoleRecord,
    Tabled,
    epoch_us,
    project_record,
)
from cogov.application.report import PdfUnavailable, report_html
from cogov.application.retry import retrying
from cogov.application.runner import Progress, ViewRunner
from cogov.application.store import AlwaysAvailable, StoreStatus
from cogov.application.trail import Trail, TrailFilter, check_page, may_hide, seen_record
from cogov.application.trail import seen_by as events_seen_by
from cogov.application.transcodings import VALUE_OBJECTS
from cogov.application.verifiable_log import (
    ConsistencyProof,
    InclusionProof,
    VerifiableLog,
    event_leaf,
)
from cogov.application.verification import Verdict, verify
from cogov.application.views import DecisionFilter
from cogov.domain import (
    Charter,
    InvalidInput,
    Journal,
    NotDue,
    NotFound,
    Outcome,
    Project,
    Proposal,
    ProposalNotOpen,
)
from cogov.domain.clock import utc_now
from cogov.domain.errors import HiddenUntilClose
from cogov.domain.hidden_results import Sight, results_hidden
from cogov.domain.language import DEFAULT_AREAS, DEFAULT_PERSPECTIVES, SYSTEM
from cogov.domain.text import clean_name

PROPOSALS_REMEMBERED = 10_000  # proposal -> project, forgotten all at once past this


class Governance(JournalCommands, ReadModelQueries, AccountabilityQueries, Application[UUID]):
    """cogov's application service. Embed it through `cogov.open_governance`."""

    name = "Governance"
    snapshotting_intervals = {Project: 100, Proposal: 100, Journal: 100}

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        signing_key: Callable[[], Ed25519PrivateKey] | None = None,
        log_origin: str | None = None,
        render_pdf: Callable[[str], bytes] | None = None,
    ) -> None:
        """`signing_key` gives the key that signs the log's checkpoints (loaded when first
        needed); without one, a key that lives as long as this process does. `render_pdf`
        prints the report's HTML as a PDF (the infrastructure gives one)."""
        super().__init__(env)
        self.clock = clock
        self.render_pdf = render_pdf
        # what a store adds beside the events: erasable records, views, save notifications
        make_records = getattr(self.factory, "key_values", None)
        self.records: KeyValues = make_records() if make_records else InMemoryKeyValues()
        # who read which project (auditors and the admin, over HTTP): never a view, never rebuilt
        make_access_log = getattr(self.factory, "access_log", None)
        self.read_log: AccessLog = make_access_log() if make_access_log else InMemoryAccessLog()
        self.directory = MemberDirectory(self.records)
        self._aggregates = Aggregates(self.repository, self.save, self.records)
        self._proposal_projects: dict[UUID, UUID] = {}
        self.once = Once(self.records)
        self.access = Access(self.records, self._aggregates, clock)
        self.trail = Trail(self.recorder, self.mapper)
        make_status = getattr(self.factory, "store_status", None)
        self.store: StoreStatus = make_status() if make_status else AlwaysAvailable()
        make_view = getattr(self.factory, "governance_view", None)
        runner = None
        if make_view is not None:
            listen = getattr(self.factory, "listen_for_saves", None)
            channel = getattr(self.recorder, "channel_name", None)
            wake = (lambda n, s: listen(channel, n, s)) if listen and channel else None
            make_lead = getattr(self.factory, "views_leadership", None)
            runner = ViewRunner(
                self,
                make_view(),
                wake_source=wake,
                leadership=make_lead() if make_lead else None,
            )
        self.views: ViewRunner | None = runner
        self.read_models = ReadModels(runner, self.max_position)
        self.deadlines = DeadlineKeeper(self.close_due)
        self.verifiable_log = VerifiableLog(
            self._view,
            self.records,
            self._event_at,
            signing_key or _process_key(),
            log_origin,
        )

    @property
    def aggregates(self) -> Aggregates:
        return self._aggregates

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in VALUE_OBJECTS:
            transcoder.register(transcoding)

    def _take_snapshots(self, processing_event: Any) -> None:
        """A snapshot is only a shortcut for loading: once the events are recorded, failing
        to store one (another process took the same snapshot) must not fail the command."""
        with contextlib.suppress(IntegrityError, OperationalError):
            super()._take_snapshots(processing_event)

    def _notify(self, recordings: Any) -> None:
        super()._notify(recordings)
        self.read_models.notify()

    def _project(self, project_id: UUID | str) -> Project:
        return self._aggregates.get(project_id, Project, "project")

    def _project_to_change(self, project_id: UUID | str) -> Project:
        return self._aggregates.to_change(project_id, Project, "project")

    def _proposal_to_change(self, proposal_id: UUID | str) -> Proposal:
        return self._aggregates.to_change(proposal_id, Proposal, "proposal")

    def _save(
        self,
        *aggregates: Project | Proposal,
        created: Mapping[str, str] | None = None,
        writes: Sequence[Write] = (),
    ) -> int:
        return self._aggregates.save(*aggregates, created=created, writes=writes)

    # --- project commands ------------------------------------------------------------------

    @retrying
    def found_project(
        self,
        *,
        title: str,
        founder_name: str,
        founder_perspectives: Sequence[str],
        charter: Mapping[str, Any] | None = None,
        perspectives: Sequence[str] = DEFAULT_PERSPECTIVES,
        areas: Sequence[str] = DEFAULT_AREAS,
        with_token: bool = False,
    ) -> Founded:
        """Found a project; the founder holds the Facilitator role from the start. With
        `with_token`, the founder's first access token is issued in the same transaction."""
        name = clean_display_name(founder_name)
        founder_id = str(uuid4())
        project = Project.found(
            title=title,
            founder_id=founder_id,
            founder_perspectives=list(founder_perspectives),
            charter=Charter.from_dict(charter),
            perspectives=list(perspectives),
            areas=list(areas),
        )
        writes = self.directory.entries({founder_id: name})
        token, token_id = new_token()
        if with_token:
            project.issue_token(token_id, founder_id, now=self.clock(), actor=founder_id)
            writes += self.access.token_writes(project, token, token_id, founder_id)
        created = {"project_id": str(project.id), "founder_id": founder_id}
        position = self._save(project, created=created, writes=writes)
        return Founded(project.id, founder_id, position, token if with_token else None)

    @retrying
    def admit_member(
        self,
        project_id: UUID | str,
        *,
        display_name: str,
        perspectives: Sequence[str],
        actor: str,
        with_token: bool = False,
    ) -> Admitted:
        """Admit a member; with `with_token`, their first access token is issued with the
        admission, in the same transaction."""
        name = clean_display_name(display_name)
        member_id = str(uuid4())
        project = self._project_to_change(project_id)
        token, token_id = new_token()
        project.admit_member(
            member_id, list(perspectives), actor=actor, token_id=token_id if with_token else None
        )
        writes = self.directory.entries({member_id: name})
        if with_token:
            writes += self.access.token_writes(project, token, token_id, member_id)
        position = self._save(project, created={"member_id": member_id}, writes=writes)
        return Admitted(member_id, position, token if with_token else None)

    @retrying
    def change_perspectives(
        self, project_id: UUID | str, member_id: str, perspectives: Sequence[str], *, actor: str
    ) -> int:
        project = self._project_to_change(project_id)
        project.change_perspectives(member_id, list(perspectives), actor=actor)
        return self._save(project)

    @retrying
    def leave_project(self, project_id: UUID | str, *, actor: str) -> int:
        project = self._project_to_change(project_id)
        project.leave(actor=actor)
        return self._save(project)

    @retrying
    def define_role(
        self,
        project_id: UUID | str,
        *,
        name: str,
        responsibilities: str = "",
        leadership: bool = False,
        areas: Sequence[str] = (),
        actor: str,
    ) -> int:
        project = self._project_to_change(project_id)
        project.define_role(
            name,
            responsibilities=responsibilities,
            leadership=leadership,
            areas=list(areas),
            actor=actor,
        )
        return self._save(project)

    @retrying
    def assign_role(self, project_id: UUID | str, role: str, member_id: str, *, actor: str) -> int:
        project = self._project_to_change(project_id)
        project.assign_role(role, member_id, actor=actor)
        return self._save(project)

    @retrying
    def relinquish_role(
        self, project_id: UUID | str, role: str, member_id: str, *, actor: str
    ) -> int:
        project = self._project_to_change(project_id)
        project.relinquish_role(role, member_id, actor=actor)
        return self._save(project)

    @retrying
    def record_decision(
        self,
        project_id: UUID | str,
        *,
        title: str,
        text: str,
        area: str,
        key: bool = False,
        actor: str,
    ) -> DecidedDirectly:
        """An area holder deciding alone, where a delegation or the charter allows it."""
        project = self._project_to_change(project_id)
        decision_id = str(uuid4())
        project.record_decision(
            decision_id=decision_id, title=title, text=text, area=area, key=key, actor=actor
        )
        return DecidedDirectly(
            decision_id, self._save(project, created={"decision_id": decision_id})
        )

    @retrying
    def erase_member(self, project_id: UUID | str, member_id: str, *, actor: str) -> int:
        """Wipe a member's personal data; the audit trail keeps only their id."""
        project = self._project_to_change(project_id)
        project.erase_member(member_id, actor=actor)
        return self._save(project, writes=[self.directory.erasure(member_id)])

    def name_member(
        self,
        project_id: UUID | str,
        member_id: str,
        *,
        shown_as: str,
        full_name: str | None = None,
        pen_name: str | None = None,
        actor: str,
    ) -> str:
        """A member chooses how cogov shows them: by full name, initials or a pen name (and
        may correct their full name). Personal data, so it is kept in the erasable directory,
        never in an event; returns the name shown from now on."""
        self._project(project_id).check_naming(member_id, actor=actor)
        entry = self.directory.get(member_id)
        if entry is None or entry.erased:
            raise NotFound(f"member {member_id}'s details were erased")
        try:
            how = ShownAs(shown_as)
        except ValueError:
            known = ", ".join(s.value for s in ShownAs)
            raise InvalidInput(f"unknown shown_as {shown_as!r}; expected one of {known}") from None
        name = entry.display_name if full_name is None else clean_display_name(full_name)
        pen = entry.pen_name if pen_name is None else clean_name(pen_name, "pen_name")
        if how == ShownAs.PEN_NAME and not pen:
            raise InvalidInput("shown_as pen_name needs a pen_name")
        updated = DirectoryEntry(display_name=name, pen_name=pen, shown_as=how)
        self.directory.put(member_id, updated)
        return updated.shown_name

    # --- access ------------------------------------------------------------------------------

    @retrying
    def issue_token(
        self,
        project_id: UUID | str,
        holder: str,
        *,
        actor: str,
        sealed_for: str | None = None,
    ) -> IssuedToken:
        """A new bearer token for a member or auditor; their previous one is revoked.
        The token is returned once and kept only as a hash.

        `sealed_for` is the token the request came with: when the holder renews their own,
        the new token is kept sealed under it, so a retry of this command presenting it
        recovers the new token even if the first answer was lost (credentials.py)."""
        project = self._project_to_change(project_id)
        token, token_id = new_token()
        project.issue_token(token_id, holder, now=self.clock(), actor=actor)
        created = {"holder": holder, "token_id": token_id}
        old_token = sealed_for if actor == holder else None  # only a self-renewal seals
        if old_token is not None:
            created["sealed_token"] = seal(token, old_token)
        writes = self.access.token_writes(
            project,
            token,
            token_id,
            holder,
            superseded_by=self._aggregates.command_id() if old_token is not None else None,
        )
        position = self._save(project, created=created, writes=writes)
        return IssuedToken(holder, token, token_id, position)

    @retrying
    def add_auditor(
        self, project_id: UUID | str, *, name: str, expires_at: datetime, actor: str
    ) -> IssuedToken:
        """Read-only access for an ethics committee or funder, until `expires_at`."""
        label = clean_display_name(name)
        project = self._project_to_change(project_id)
        auditor_id = str(uuid4())
        token, token_id = new_token()
        now = self.clock()
        project.add_auditor(auditor_id, expires_at=expires_at, now=now, actor=actor)
        project.issue_token(token_id, auditor_id, now=now, actor=actor)
        writes = self.directory.entries({auditor_id: label})
        writes += self.access.token_writes(project, token, token_id, auditor_id)
        created = {"holder": auditor_id, "token_id": token_id}
        position = self._save(project, created=created, writes=writes)
        return IssuedToken(auditor_id, token, token_id, position)

    @retrying
    def revoke_tokens(self, project_id: UUID | str, holder: str, *, actor: str) -> int:
        """Revoke a member's token without a replacement; a new one can be issued later."""
        project = self._project_to_change(project_id)
        project.revoke_tokens(holder, actor=actor)
        return self._save(project)

    @retrying
    def revoke_auditor(self, project_id: UUID | str, auditor_id: str, *, actor: str) -> int:
        """End an auditor's access now, before it expires."""
        project = self._project_to_change(project_id)
        project.revoke_auditor(auditor_id, actor=actor)
        return self._save(project)

    def authenticate(self, token: str) -> Principal | None:
        """Who holds this token, if it is live (see Access.authenticate)."""
        return self.access.authenticate(token)

    # --- proposal commands -------------------------------------------------------------------

    @retrying
    def table_proposal(
        self,
        project_id: UUID | str,
        *,
        title: str,
        text: str,
        area: str,
        key: bool = False,
        actions: Sequence[Mapping[str, Any]] = (),
        closes_at: datetime | None = None,
        actor: str,
    ) -> Tabled:
        project = self._project(project_id)
        actions, names = allocate_admissions(actions)
        proposal = Proposal.table(
            project,
            proposer=actor,
            title=title,
            text=text,
            area=area,
            key=key,
            actions=actions,
            closes_at=closes_at,
            now=self.clock(),
        )
        writes = self.directory.entries(names)
        created = {"proposal_id": str(proposal.id)}
        return Tabled(proposal.id, self._save(proposal, created=created, writes=writes))

    @retrying
    def respond(
        self,
        proposal_id: UUID | str,
        *,
        stance: str,
        reason: str | None = None,
        actor: str,
        member_id: str | None = None,
    ) -> int:
        """Give or change a stance. `member_id` differs from `actor` only for a proxy."""
        proposal = self._proposal_to_change(proposal_id)
        proposal.respond(member_id or actor, stance, reason, actor=actor, now=self.clock())
        return self._save(proposal)

    @retrying
    def appoint_proxy(self, proposal_id: UUID | str, *, proxy: str, actor: str) -> int:
        """Name a fellow elector to respond for you on this proposal."""
        proposal = self._proposal_to_change(proposal_id)
        proposal.appoint_proxy(proxy, actor=actor, now=self.clock())
        return self._save(proposal)

    @retrying
    def amend_proposal(self, proposal_id: UUID | str, *, text: str, actor: str) -> int:
        proposal = self._proposal_to_change(proposal_id)
        proposal.amend(text, actor=actor, now=self.clock())
        return self._save(proposal)

    @retrying
    def withdraw_objection(self, proposal_id: UUID | str, *, actor: str) -> int:
        proposal = self._proposal_to_change(proposal_id)
        proposal.withdraw_objection(actor, actor=actor, now=self.clock())
        return self._save(proposal)

    @retrying
    def comment(self, proposal_id: UUID | str, *, text: str, actor: str) -> int:
        proposal = self._proposal_to_change(proposal_id)
        proposal.comment(text, project=self._project(proposal.project_id), actor=actor)
        return self._save(proposal)

    @retrying
    def withdraw_proposal(
        self, proposal_id: UUID | str, *, reason: str | None = None, actor: str
    ) -> int:
        proposal = self._proposal_to_change(proposal_id)
        proposal.withdraw(reason, actor=actor)
        unadmitted = self.directory.unadmitted(proposal.actions, admitted=set())
        return self._save(proposal, writes=unadmitted)

    def close_due(self, *, limit: int = 100) -> list[int]:
        """Close proposals whose deadline has passed (as `system`); the positions of the
        closings. Safe to run in several processes at once: each proposal closes once."""
        if not self.read_models.runner.running:
            self.catch_up()
        now_us = epoch_us(self.clock())
        closed = []
        for proposal_id in self._view().due(now_us, limit):
            try:
                closed.append(self.close_proposal(proposal_id, actor=SYSTEM))
            except (ProposalNotOpen, NotDue):
                continue  # another process closed it, or its deadline moved on
        return closed

    @retrying
    def close_proposal(self, proposal_id: UUID | str, *, actor: str = SYSTEM) -> int:
        """Close a proposal; if adopted, its actions take effect in the same transaction."""
        proposal = self._proposal_to_change(proposal_id)
        proposal.close(actor=actor, now=self.clock())
        if proposal.outcome == Outcome.ADOPTED and proposal.actions:
            project = self._project_to_change(proposal.project_id)
            project.apply_adopted(proposal, actor=actor)
            unadmitted = self.directory.unadmitted(proposal.actions, admitted=set(project.members))
            return self._save(proposal, project, writes=unadmitted)
        unadmitted = self.directory.unadmitted(proposal.actions, admitted=set())
        return self._save(proposal, writes=unadmitted)

    # --- queries -------------------------------------------------------------------------

    def project(self, project_id: UUID | str, *, version: int | None = None) -> ProjectRecord:
        project = self._project(project_id)
        if version is not None:
            project = self._aggregates.at_version(project.id, version)
        return project_record(project, self.display_name)

    def proposal(self, proposal_id: UUID | str, *, reader: str | None = None) -> ProposalRecord:
        """The whole proposal: current stances, every response with its time, amendments,
        comments, whether it is due; with the name each member id is shown by. While its
        charter hides the results until it closes, `reader` (a member's id; None for an
        auditor or the admin) sees only the stances they gave or cast, and the count."""
        aid = as_uuid(proposal_id, "proposal")
        events = [e for e in self.repository.event_store.get(aid) if isinstance(e, Proposal.Event)]
        if not events or not isinstance(events[0], Proposal.ProposalTabled):
            raise NotFound(f"no proposal with id {proposal_id}")
        record = seen_by(whole_proposal(events, now=self.clock()), reader)
        return attrs.evolve(record, names=self.directory.names(sorted(record.member_ids())))

    def results_hidden(self, proposal_id: UUID | str) -> bool:
        """Whether a proposal's stances are hidden now: its charter hides the results until
        it closes, and it is open."""
        proposal = self._aggregates.get(proposal_id, Proposal, "proposal")
        return results_hidden(proposal.charter, proposal.outcome)

    def project_of_proposal(self, proposal_id: UUID | str) -> UUID:
        """Which project a proposal belongs to: fixed when it is tabled, so remembered (every
        request about a proposal asks, to check the caller may see it)."""
        pid = as_uuid(proposal_id, "proposal")
        project_id = self._proposal_projects.get(pid)
        if project_id is None:
            project_id = self._aggregates.read(pid, Proposal, "proposal").project_id
            if len(self._proposal_projects) >= PROPOSALS_REMEMBERED:
                self._proposal_projects.clear()
            self._proposal_projects[pid] = project_id
        return project_id

    def outcome_of(self, proposal_id: UUID | str) -> str:
        """A proposal's outcome so far (`open` until it closes)."""
        return self._aggregates.get(proposal_id, Proposal, "proposal").outcome

    def members(self, project_id: UUID | str) -> list[MemberRecord]:
        """Everyone who has been on the project, with the name each is shown by."""
        return list(self.project(project_id).members)

    def roles(self, project_id: UUID | str) -> list[RoleRecord]:
        """The project's role definitions and who holds each."""
        return list(self.project(project_id).roles)

    def catch_up(self, progress: Progress | None = None) -> int:
        """Bring the views up to the store now; returns the position reached."""
        return self.read_models.catch_up(progress)

    def rebuild_views(self, progress: Progress | None = None) -> int:
        """Drop the views and rebuild them from every stored event."""
        return self.read_models.rebuild(progress)

    def follow(self) -> None:
        """Keep the views following this application's saves in a background thread."""
        self.read_models.follow()

    def keep_deadlines(self, every: float = 1.0) -> None:
        """Close proposals by themselves within `every` seconds of their deadline."""
        self.deadlines.every = every
        self.deadlines.start()

    def close(self) -> None:
        self.deadlines.stop()
        self.read_models.stop()
        self.store.close()
        super().close()

    def display_name(self, member_id: str) -> str | None:
        """The name a member (or auditor) is shown by; "erased member" once erased."""
        return self.directory.shown_name(member_id)

    def names(self, member_ids: Iterable[str]) -> dict[str, str | None]:
        """The shown name of each id (None for ids that name no person, like `system`)."""
        return self.directory.names(member_ids)

    def events_after(self, after: int = 0, limit: int = 100) -> list[EventRecord]:
        """The audit trail of the whole instance: stored events after a position, in order."""
        return self.trail.after(after, limit)

    def project_events(
        self,
        project_id: UUID | str,
        *,
        after: int = 0,
        limit: int = 100,
        type: str | None = None,
        member: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        reader: str | None = None,
    ) -> list[EventRecord]:
        """A project's audit trail (its own events and its proposals'), after a position;
        only events of one `type`, by or about one `member` (actor or `member_id`), or
        recorded in [`since`, `until`), if asked. While a proposal's charter hides its
        results until it closes, a stance that is not `reader`'s own (a member's id; None
        for an auditor or the admin) shows as a `HiddenUntilClose` event, and the filters
        see it so (domain/hidden_results.py)."""
        check_page(after, limit)
        pid = self._known_project(project_id, None)
        wanted = TrailFilter.of(type=type, member=member, since=since, until=until)
        if wanted is None:
            return self._seen(pid, self.trail.at(self._view().trail(pid, after, limit)), reader)
        found: list[EventRecord] = []
        while len(found) < limit and (positions := self._view().trail(pid, after, 1000)):
            seen = self._seen(pid, self.trail.at(positions), reader)
            found += [r for r in seen if wanted.matches(r)]
            after = positions[-1]
        return found[:limit]

    def _seen(self, pid: str, records: list[EventRecord], reader: str | None) -> list[EventRecord]:
        """The project's events as `reader` may see them. A proposal the views hold closed is
        closed for good; only those the views hold open (few) are asked of their aggregates,
        which are never behind the store."""
        if not any(may_hide(r) for r in records):
            return records
        still_open = {
            row.proposal_id
            for row in self._view().decisions(pid, DecisionFilter(outcome=Outcome.OPEN.value))
        }
        return events_seen_by(
            records, reader, lambda aid: aid in still_open and self.results_hidden(aid)
        )

    def record_access(
        self, project_id: UUID | str, *, kind: str, reader_id: str, route: str, path: str
    ) -> AccessRecord:
        """Log a read of the project's data, stamped with this application's clock; raises
        if the store cannot keep it (a read must not go unrecorded)."""
        entry = AccessRecord(
            project_id=str(as_uuid(project_id, "project")),  # one spelling per project
            at=self.clock(),
            kind=kind,
            reader_id=reader_id,
            route=route,
            path=path,
        )
        self.read_log.record(entry)
        return entry

    def access_log(
        self, project_id: UUID | str, *, offset: int = 0, limit: int = 100
    ) -> list[AccessRecord]:
        """Who read the project, in time order: `limit` entries after the first `offset`."""
        check_page(offset, limit)
        pid = self._known_project(project_id, None)
        return self.read_log.entries(pid, offset, limit)

    def _event_at(self, position: int) -> EventRecord | None:
        found = self.trail.after(position - 1, 1) if position > 0 else []
        return found[0] if found and found[0].position == position else None

    def project_of_event(self, position: int) -> str | None:
        """The project an event belongs to (its own, or its proposal's), per the views."""
        self.read_models.wait_for(position if position <= self.max_position() else None)
        return self._view().project_at(position)

    def inclusion_proof(
        self, position: int, tree_size: int | None = None, *, reader: str | None = None
    ) -> InclusionProof:
        """The audit path from the event's leaf to the root of a tree of `tree_size` leaves
        (waiting, bounded, for the log to take in an event just recorded), with the leaf.
        Raises HiddenUntilClose for an event whose leaf would show a stance `reader` may
        not see yet (see `project_events`)."""
        self.read_models.wait_for(position if position <= self.max_position() else None)
        self._check_leaf_shown(position, reader)
        return self.verifiable_log.inclusion(position, tree_size)

    def _check_leaf_shown(self, position: int, reader: str | None) -> None:
        event = self._event_at(position)
        if event is None or not may_hide(event):
            return
        sight = Sight(self.results_hidden(event.aggregate_id), reader)
        if seen_record(event, sight) != event:
            raise HiddenUntilClose(
                f"the event at position {position} shows a stance on proposal "
                f"{event.aggregate_id}, whose results are hidden until it closes; its leaf "
                "and proof are given once it closes"
            )

    def consistency_proof(self, old_size: int, new_size: int) -> ConsistencyProof:
        """The proof that the tree of `new_size` leaves extends the one of `old_size`."""
        self.read_models.wait_for(None)
        return self.verifiable_log.consistency(old_size, new_size)

    def checkpoint(self) -> str:
        """A signed C2SP checkpoint of the whole log, including every event recorded before
        the call (the log is waited for, bounded)."""
        self.read_models.wait_for(self.max_position())
        first = self.trail.after(0, 1)
        return self.verifiable_log.checkpoint(first[0].position if first else None)

    def verify_log(
        self,
        *,
        checkpoint: str | None = None,
        key: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Verdict:
        """Recompute every leaf from the stored events and check them against the log the
        views keep and, if given, a checkpoint an auditor kept (and the log's key)."""
        self.catch_up()
        view = self._view()
        return verify(
            self._every_leaf(),
            view.log_leaves,
            stored_size=view.log_size(),
            checkpoint=checkpoint,
            key=key,
            progress=progress,
        )

    def report(self, project_id: UUID | str) -> str:
        """The report for a research ethics committee, as one accessible HTML page drawn
        from a fresh signed checkpoint, each statement citing its events' positions."""
        return report_html(audit_pack.snapshot(self, project_id).report)

    def report_pdf(self, project_id: UUID | str) -> bytes:
        """The same report as a tagged PDF."""
        if self.render_pdf is None:
            raise PdfUnavailable("this cogov has no PDF renderer; open it with open_governance")
        return self.render_pdf(self.report(project_id))

    def audit_pack(
        self,
        project_id: UUID | str,
        *,
        since_size: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> bytes:
        """The audit pack (a zip) of a project at a fresh signed checkpoint: every event with
        its inclusion proof, the views' tables, the report, and, given the size of an
        earlier checkpoint, the proof that the log extends it (application/audit_pack.py).
        `progress(done, total)` follows the proofs, then the report."""
        return audit_pack.build(
            self, project_id, since_size=since_size, render_pdf=self.render_pdf, progress=progress
        )

    def _every_leaf(self) -> Iterator[tuple[int, bytes]]:
        """Every stored event's position and leaf data, in order, read straight from the
        store (the views are what is being checked)."""
        after = 0
        while page := self.recorder.select_notifications(
            start=after, limit=1000, inclusive_of_start=False
        ):
            for n in page:
                yield int(n.id), event_leaf(int(n.id), self.mapper.to_domain_event(n))
            after = int(page[-1].id)

    def max_position(self) -> int:
        return int(self.recorder.max_notification_id() or 0)


def _process_key() -> Callable[[], Ed25519PrivateKey]:
    key = Ed25519PrivateKey.generate()
    return lambda: key
