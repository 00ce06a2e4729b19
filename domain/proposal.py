"""The Proposal aggregate: one motion and its whole life.

At tabling it copies the electorate and the charter in force, so later changes to the
project never change the rules of this proposal (cf. OpenZeppelin Governor CVE-2022-31198,
where lowering a quorum revived defeated proposals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from cogov.domain import clock
from cogov.domain.actions import parse_action
from cogov.domain.charter import Charter
from cogov.domain.deadlines import check_deadline
from cogov.domain.errors import InvalidInput, NotAnElector, NotAuthorised, NotDue, ProposalNotOpen
from cogov.domain.language import Outcome, Stance
from cogov.domain.project import Project
from cogov.domain.rules import Tally, decide, quorum_met, tally_by_perspective
from cogov.domain.text import clean_name, clean_reason, clean_text


def _stance(value: object) -> Stance:
    if not isinstance(value, str):
        raise InvalidInput(f"stance must be text, not {type(value).__name__}")
    try:
        return Stance(str(value))
    except ValueError:
        raise InvalidInput(
            f"unknown stance {value!r}; expected one of {', '.join(s.value for s in Stance)}"
        ) from None


class Proposal(Aggregate):
    TOPIC = "cogov:Proposal"

    class Event(Aggregate.Event):
        """Every event of a proposal, stamped by the recording application's clock."""

        @staticmethod
        def create_timestamp() -> datetime:
            return clock.now()

    class Created(Event, Aggregate.Created):
        TOPIC = "cogov:Proposal.Created"

    project_id: UUID
    proposer: str
    title: str
    text: str
    area: str
    key: bool
    stage: str
    actions: list[dict[str, Any]]
    closes_at: datetime
    electorate: dict[str, list[str]]
    charter: Charter
    responses: dict[str, str]
    reasons: dict[str, str]
    outcome: str
    amendments: int
    objections_raised: list[str]
    heeded_objectors: list[str]
    withdrawn_objections: int
    cast_by: dict[str, str]  # member -> the proxy who cast their current response
    proxies: dict[str, str]  # member -> the fellow elector they appointed as proxy
    # everyone who took part, in order: the proposer, each respondent and each proxy who cast
    # a response (kept though an amendment clears the responses)
    took_part: list[str]

    @classmethod
    def table(
        cls,
        project: Project,
        *,
        proposer: str,
        title: str,
        text: str,
        area: str,
        key: bool,
        actions: Sequence[Mapping[str, Any]] = (),
        closes_at: datetime | None = None,
        now: datetime,
    ) -> Proposal:
        project.require_member(proposer)
        title = clean_name(title)
        text = clean_text(text, "text")
        if area not in project.areas:
            raise InvalidInput(
                f"unknown decision area '{area}'; expected one of {', '.join(project.areas)}"
            )
        if not isinstance(key, bool):
            raise InvalidInput("key must be true or false")
        if isinstance(actions, str | bytes | Mapping):
            raise InvalidInput("actions must be a list")
        parsed = [parse_action(a) for a in actions]
        for action in parsed:
            project.validate_action(action)
            if project.requires_key_proposal(action) and not key:
                raise InvalidInput(f"action '{action.TYPE}' can only be carried by a key proposal")
        if closes_at is None:
            closes_at = now + timedelta(days=project.charter.response_window_days)
        check_deadline(closes_at, now, "closes_at")
        return cls(
            project_id=project.id,
            proposer=proposer,
            title=title,
            text=text,
            area=area,
            key=key,
            stage=project.stage,
            actions=[a.to_dict() for a in parsed],
            closes_at=closes_at,
            electorate={m: list(p) for m, p in project.active_members().items()},
            charter=project.charter.to_dict(),
            actor=proposer,
        )

    class ProposalTabled(Event, Aggregate.Created):
        TOPIC = "cogov:Proposal.ProposalTabled"
        project_id: UUID
        proposer: str
        title: str
        text: str
        area: str
        key: bool
        stage: str
        actions: list[dict[str, Any]]
        closes_at: datetime
        electorate: dict[str, list[str]]
        charter: dict[str, Any]
        actor: str

    @event(ProposalTabled)
    def __init__(
        self,
        project_id: UUID,
        proposer: str,
        title: str,
        text: str,
        area: str,
        key: bool,
        stage: str,
        actions: list[dict[str, Any]],
        closes_at: datetime,
        electorate: dict[str, list[str]],
        charter: dict[str, Any],
        actor: str,
    ) -> None:
        self.project_id = project_id
        self.proposer = proposer
        self.title = title
        self.text = text
        self.area = area
        self.key = key
        self.stage = stage
        self.actions = actions
        self.closes_at = closes_at
        self.electorate = electorate
        self.charter = Charter.from_dict(charter)
        self.responses = {}
        self.reasons = {}
        self.outcome = Outcome.OPEN.value
        self.amendments = 0
        self.objections_raised = []
        self.heeded_objectors = []
        self.withdrawn_objections = 0
        self.cast_by = {}
        self.proxies = {}
        self.took_part = [proposer]

    # --- queries ----------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN

    def stances(self) -> dict[str, Stance]:
        # stored as their text values, which compare and hash as the Stance members do
        return cast(dict[str, Stance], dict(self.responses))

    def tally(self) -> Tally:
        return Tally.of(self.stances().values())

    def tally_by_perspective(self) -> dict[str, Tally]:
        return tally_by_perspective(self.electorate, self.stances())

    def quorum_met(self) -> bool:
        return quorum_met(len(self.responses), len(self.electorate), self.charter.quorum_fraction)

    def everyone_responded(self) -> bool:
        return len(self.responses) == len(self.electorate)

    def standing_objections(self) -> dict[str, str]:
        return {m: self.reasons.get(m, "") for m, s in self.responses.items() if s == Stance.OBJECT}

    def upheld_objectors(self) -> list[str]:
        """Members whose objection led to an amendment or to the proposal's rejection."""
        upheld = set(self.heeded_objectors)
        if self.outcome == Outcome.REJECTED:
            upheld |= set(self.standing_objections())
        return sorted(upheld)

    def computed_outcome(self) -> Outcome:
        return decide(
            rule=self.charter.rule_for(self.key),
            threshold=self.charter.threshold_fraction,
            quorum=self.charter.quorum_fraction,
            required_perspectives=self.charter.required_perspectives,
            key=self.key,
            electorate=self.electorate,
            responses=self.stances(),
        )

    # --- commands ---------------------------------------------------------------------

    def respond(
        self,
        member_id: str,
        stance: object,
        reason: str | None = None,
        *,
        actor: str,
        now: datetime,
    ) -> None:
        """Record or change a member's stance. The fellow elector a member appointed as proxy
        may cast it for them, but never over a stance the member gave themselves."""
        self._require_responsive(now)
        if member_id not in self.electorate:
            raise NotAnElector(
                f"member {member_id} was not in this proposal's electorate when it was tabled"
            )
        if actor != member_id:
            if self.proxies.get(member_id) != actor:
                raise NotAuthorised(
                    f"member {member_id} has not appointed {actor} as proxy on this proposal"
                )
            if member_id in self.responses and self.cast_by.get(member_id) is None:
                raise NotAuthorised(
                    f"member {member_id} responded themselves; a proxy cannot change that"
                )
        checked = _stance(stance)
        reason = clean_reason(reason)
        if checked == Stance.OBJECT and not reason:
            raise InvalidInput("an objection needs a reason")
        self._response_given(
            member_id=member_id,
            stance=checked.value,
            reason=reason,
            cast_by=actor if actor != member_id else None,
            actor=actor,
        )

    def appoint_proxy(self, proxy: str, *, actor: str, now: datetime) -> None:
        """An elector names a fellow elector to respond for them on this proposal."""
        self._require_responsive(now)
        for who in (actor, proxy):
            if who not in self.electorate:
                raise NotAnElector(f"member {who} is not in this proposal's electorate")
        if proxy == actor:
            raise InvalidInput("a member cannot be their own proxy")
        self._proxy_appointed(member_id=actor, proxy=proxy, actor=actor)

    def amend(self, text: str, *, actor: str, now: datetime) -> None:
        """Amend the text; consents given before are void, objections stay until withdrawn."""
        self._require_responsive(now)
        if actor != self.proposer:
            raise NotAuthorised("only the proposer may amend a proposal")
        text = clean_text(text, "amended text")
        if text == self.text:
            raise InvalidInput("the amended text is the same as the current text")
        voided = sorted(m for m, s in self.responses.items() if s == Stance.CONSENT)
        self._amended(text=text, voided_consents=voided, actor=actor)

    def withdraw_objection(self, member_id: str, *, actor: str, now: datetime) -> None:
        """The objector lifts their objection: they stand aside from then on (still a
        participant, so quorum never drops because someone stopped blocking)."""
        self._require_responsive(now)
        if actor != member_id:
            raise NotAuthorised("only the objector may withdraw their objection")
        if self.responses.get(member_id) != Stance.OBJECT:
            raise InvalidInput(f"member {member_id} has no standing objection")
        # Two events, so that proposals recorded before withdrawals kept participation
        # replay exactly as they were decided (and the log's leaves never change).
        self._objection_withdrawn(member_id=member_id, actor=actor)
        self._response_given(
            member_id=member_id,
            stance=Stance.STAND_ASIDE.value,
            reason=None,
            cast_by=None,
            actor=actor,
        )

    def comment(self, text: str, *, project: Project, actor: str) -> None:
        """Any active member of the project may join the dialogue, elector or not."""
        self._require_open()
        if project.id != self.project_id:
            raise InvalidInput("the proposal belongs to another project")
        project.require_member(actor)
        self._comment_posted(text=clean_text(text, "comment"), actor=actor)

    def withdraw(self, reason: str | None = None, *, actor: str) -> None:
        self._require_open()
        if actor != self.proposer:
            raise NotAuthorised("only the proposer may withdraw a proposal")
        self._withdrawn(reason=clean_reason(reason), actor=actor)

    def close(self, *, actor: str, now: datetime) -> None:
        """Close when everyone has responded, when due, or early by the proposer at quorum."""
        self._require_open()
        due = now >= self.closes_at
        early = actor == self.proposer and self.quorum_met()
        if not (self.everyone_responded() or due or early):
            raise NotDue(
                f"the proposal closes at {self.closes_at.isoformat()}; before then it can be "
                "closed once every elector has responded, or by the proposer once quorum is met"
            )
        self._closed(
            outcome=self.computed_outcome().value,
            tally={p: t.to_dict() for p, t in self.tally_by_perspective().items()},
            reasons=self.standing_objections(),
            actor=actor,
        )

    def _require_open(self) -> None:
        if not self.is_open:
            raise ProposalNotOpen(f"the proposal is {self.outcome}")

    def _require_responsive(self, now: datetime) -> None:
        """Open, and before `closes_at`: what electors say is fixed once it passes."""
        self._require_open()
        if now >= self.closes_at:
            raise ProposalNotOpen(
                f"responses closed at {self.closes_at.isoformat()}; the proposal awaits closing"
            )

    # --- events -----------------------------------------------------------------------

    class ResponseGiven(Event):
        TOPIC = "cogov:Proposal.ResponseGiven"
        member_id: str
        stance: str
        reason: str | None
        cast_by: str | None
        actor: str

    @event(ResponseGiven)
    def _response_given(
        self, member_id: str, stance: str, reason: str | None, cast_by: str | None, actor: str
    ) -> None:
        self.responses[member_id] = stance
        for person in (member_id, cast_by):
            if person is not None and person not in self.took_part:
                self.took_part = [*self.took_part, person]
        if cast_by is None:
            self.cast_by.pop(member_id, None)
        else:
            self.cast_by[member_id] = cast_by
        if reason:
            self.reasons[member_id] = reason
        else:
            self.reasons.pop(member_id, None)
        if stance == Stance.OBJECT:
            self.objections_raised = [*self.objections_raised, member_id]

    class ProxyAppointed(Event):
        TOPIC = "cogov:Proposal.ProxyAppointed"
        member_id: str
        proxy: str
        actor: str

    @event(ProxyAppointed)
    def _proxy_appointed(self, member_id: str, proxy: str, actor: str) -> None:
        self.proxies[member_id] = proxy

    class ProposalAmended(Event):
        TOPIC = "cogov:Proposal.ProposalAmended"
        text: str
        voided_consents: list[str]
        actor: str

    @event(ProposalAmended)
    def _amended(self, text: str, voided_consents: list[str], actor: str) -> None:
        self.text = text
        self.amendments += 1
        standing = [m for m, s in self.responses.items() if s == Stance.OBJECT]
        self.heeded_objectors = sorted({*self.heeded_objectors, *standing})
        for member_id in voided_consents:
            self.responses.pop(member_id, None)
            self.reasons.pop(member_id, None)
            self.cast_by.pop(member_id, None)

    class ObjectionWithdrawn(Event):
        TOPIC = "cogov:Proposal.ObjectionWithdrawn"
        member_id: str
        actor: str

    @event(ObjectionWithdrawn)
    def _objection_withdrawn(self, member_id: str, actor: str) -> None:
        self.withdrawn_objections += 1
        self.responses.pop(member_id, None)
        self.reasons.pop(member_id, None)

    class CommentPosted(Event):
        TOPIC = "cogov:Proposal.CommentPosted"
        text: str
        actor: str

    @event(CommentPosted)
    def _comment_posted(self, text: str, actor: str) -> None:
        pass

    class ProposalWithdrawn(Event):
        TOPIC = "cogov:Proposal.ProposalWithdrawn"
        reason: str | None
        actor: str

    @event(ProposalWithdrawn)
    def _withdrawn(self, reason: str | None, actor: str) -> None:
        self.outcome = Outcome.WITHDRAWN.value

    class ProposalClosed(Event):
        TOPIC = "cogov:Proposal.ProposalClosed"
        outcome: str
        tally: dict[str, dict[str, int]]
        reasons: dict[str, str]
        actor: str

    @event(ProposalClosed)
    def _closed(
        self,
        outcome: str,
        tally: dict[str, dict[str, int]],
        reasons: dict[str, str],
        actor: str,
    ) -> None:
        self.outcome = outcome
