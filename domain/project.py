"""The Project aggregate: who is on the team, who may decide what, and the rules for deciding.

Every change to who can decide what (a power shift) is an event that carries its authority.
Commands check that authority first and refuse a shift the charter does not allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs
from eventsourcing.domain import Aggregate, event

from cogov.domain import clock
from cogov.domain.actions import (
    Action,
    AdmitMember,
    AssignRole,
    DefineRole,
    RelinquishRole,
    parse_action,
)
from cogov.domain.authority import Authority
from cogov.domain.charter import Charter
from cogov.domain.deadlines import check_deadline
from cogov.domain.errors import (
    Conflict,
    GovernanceError,
    InvalidInput,
    NotAMember,
    NotAuthorised,
    NotFound,
)
from cogov.domain.language import (
    DEFAULT_AREAS,
    DEFAULT_PERSPECTIVES,
    FACILITATOR,
    INSTANCE_ADMIN,
    MemberStatus,
    Outcome,
    Stage,
    as_names,
)
from cogov.domain.text import MAX_NAME, clean_name

if TYPE_CHECKING:
    from cogov.domain.proposal import Proposal


@attrs.frozen
class Member:
    perspectives: tuple[str, ...] = attrs.field(converter=as_names)
    status: MemberStatus = attrs.field(default=MemberStatus.ACTIVE, converter=MemberStatus)
    erased: bool = False  # their directory entry (name, contact details) was wiped


@attrs.frozen
class Role:
    name: str
    responsibilities: str = ""
    leadership: bool = False
    areas: tuple[str, ...] = attrs.field(default=(), converter=as_names)
    holders: tuple[str, ...] = attrs.field(default=(), converter=as_names)


@attrs.frozen
class Delegation:
    area: str
    member_ids: tuple[str, ...] = attrs.field(converter=as_names)
    until_stage: str | None = None


def authority_to_act_alone(
    action: str, charter: Charter, roles_held: Iterable[str]
) -> Authority | None:
    """The role that lets a member make `action` alone, if the charter names one they hold."""
    held = set(roles_held)
    for role in charter.roles_acting_alone(action):
        if role in held:
            return Authority.role(role)
    return None


class Project(Aggregate):
    TOPIC = "cogov:Project"

    class Event(Aggregate.Event):
        """Every event of a project, stamped by the recording application's clock."""

        @staticmethod
        def create_timestamp() -> datetime:
            return clock.now()

    class Created(Event, Aggregate.Created):
        TOPIC = "cogov:Project.Created"

    title: str
    stage: str
    perspectives: tuple[str, ...]
    areas: tuple[str, ...]
    charter: Charter
    members: dict[str, Member]
    roles: dict[str, Role]
    delegations: dict[str, Delegation]
    ground_rules: list[str]
    founder_id: str
    auditors: dict[str, datetime]  # auditor id -> access expires at
    tokens: dict[str, str]  # live token id -> holder (member or auditor id)

    # --- founding -----------------------------------------------------------------------

    @classmethod
    def found(
        cls,
        *,
        title: str,
        founder_id: str,
        founder_perspectives: Sequence[str],
        charter: Charter | None = None,
        perspectives: Sequence[str] = DEFAULT_PERSPECTIVES,
        areas: Sequence[str] = DEFAULT_AREAS,
    ) -> Project:
        charter = charter or Charter()
        catalogue = _names(perspectives, "perspectives")
        _names(areas, "areas")
        _check_perspectives(founder_perspectives, catalogue)
        check_charter(charter, catalogue, {FACILITATOR})
        return cls(
            title=clean_name(title),
            founder_id=founder_id,
            founder_perspectives=list(founder_perspectives),
            perspectives=list(perspectives),
            areas=list(areas),
            charter=charter.to_dict(),
            stage=Stage.PRIORITY_SETTING.value,
            actor=founder_id,
            authority=Authority.founding().to_dict(),
        )

    class ProjectFounded(Event, Aggregate.Created):
        TOPIC = "cogov:Project.ProjectFounded"
        title: str
        founder_id: str
        founder_perspectives: list[str]
        perspectives: list[str]
        areas: list[str]
        charter: dict[str, Any]
        stage: str
        actor: str
        authority: dict[str, Any]

    @event(ProjectFounded)
    def __init__(
        self,
        title: str,
        founder_id: str,
        founder_perspectives: list[str],
        perspectives: list[str],
        areas: list[str],
        charter: dict[str, Any],
        stage: str,
        actor: str,
        authority: dict[str, Any],
    ) -> None:
        self.title = title
        self.founder_id = founder_id
        self.stage = stage
        self.perspectives = tuple(perspectives)
        self.areas = tuple(areas)
        self.charter = Charter.from_dict(charter)
        self.members = {founder_id: Member(founder_perspectives)}
        self.roles = {
            FACILITATOR: Role(
                FACILITATOR,
                "Convenes the team, keeps the process fair and open, admits members",
                leadership=True,
                holders=(founder_id,),
            )
        }
        self.delegations = {}
        self.ground_rules = []
        self.auditors = {}
        self.tokens = {}

    # --- queries ------------------------------------------------------------------------

    def is_active(self, member_id: str) -> bool:
        member = self.members.get(member_id)
        return member is not None and member.status == MemberStatus.ACTIVE

    def active_members(self) -> dict[str, tuple[str, ...]]:
        return {m: v.perspectives for m, v in self.members.items() if v.status == "active"}

    def roles_of(self, member_id: str) -> list[str]:
        return [r.name for r in self.roles.values() if member_id in r.holders]

    def areas_of(self, member_id: str) -> list[str]:
        return [d.area for d in self.delegations.values() if member_id in d.member_ids]

    def roles_by_member(self) -> dict[str, list[str]]:
        """`roles_of` for every member who holds a role, in one pass over the roles."""
        return _by_holder((role.name, role.holders) for role in self.roles.values())

    def areas_by_member(self) -> dict[str, list[str]]:
        """`areas_of` for every member delegated an area, in one pass over the delegations."""
        return _by_holder((d.area, d.member_ids) for d in self.delegations.values())

    def require_member(self, member_id: str) -> None:
        if member_id not in self.members:
            raise NotFound(f"member {member_id} is not on project {self.id}")
        if not self.is_active(member_id):
            raise NotAMember(f"member {member_id} is no longer an active member of the project")

    def requires_key_proposal(self, action: Action) -> bool:
        return action.needs_key_proposal(self)

    def is_leadership_role(self, name: str) -> bool:
        role = self.roles.get(name)
        return role is not None and role.leadership

    def check_area(self, area: str) -> None:
        if area not in self.areas:
            raise InvalidInput(
                f"unknown decision area '{area}'; expected one of {', '.join(self.areas)}"
            )

    def check_role(self, role: str) -> None:
        if role not in self.roles:
            raise NotFound(f"role '{role}' is not defined on this project")

    def check_perspectives(self, perspectives: Sequence[str]) -> None:
        _check_perspectives(perspectives, self.perspectives)

    def check_charter(self, charter: Charter) -> None:
        """A charter speaks only of this project's perspectives and defined roles."""
        check_charter(charter, self.perspectives, self.roles)

    def keep_someone(self, member_id: str) -> None:
        """A project always keeps an active member, or nobody could ever act for it again."""
        if list(self.active_members()) == [member_id]:
            raise Conflict(f"member {member_id} is the project's last active member")

    # --- power shifts by a member acting alone --------------------------------------------

    def admit_member(
        self,
        member_id: str,
        perspectives: Sequence[str],
        *,
        actor: str,
        token_id: str | None = None,
    ) -> None:
        """Admit a member; with `token_id`, their first access token is issued with the
        admission itself (the authority that admits them lets them in)."""
        self._act_alone(AdmitMember(member_id, tuple(perspectives)), actor)
        if token_id is not None:
            self._token_issued(
                token_id=token_id, holder=member_id, kind="member", expires_at=None, actor=actor
            )

    def define_role(
        self,
        name: str,
        *,
        responsibilities: str = "",
        leadership: bool = False,
        areas: Sequence[str] = (),
        actor: str,
    ) -> None:
        self._act_alone(DefineRole(name, responsibilities, leadership, tuple(areas)), actor)

    def assign_role(self, role: str, member_id: str, *, actor: str) -> None:
        self._act_alone(AssignRole(role, member_id), actor)

    def relinquish_role(self, role: str, member_id: str, *, actor: str) -> None:
        self._act_alone(RelinquishRole(role, member_id), actor)

    def leave(self, *, actor: str) -> None:
        self.require_member(actor)
        self.keep_someone(actor)
        self._member_left(member_id=actor, actor=actor, authority=Authority.own().to_dict())

    def change_perspectives(
        self, member_id: str, perspectives: Sequence[str], *, actor: str
    ) -> None:
        """A member may drop perspectives of their own; taking on a perspective changes the
        balance of power, so only someone else with authority (a Facilitator, by default)
        may record it, never the member alone."""
        self.require_member(actor)
        self.require_member(member_id)
        _check_perspectives(perspectives, self.perspectives)
        added = set(perspectives) - set(self.members[member_id].perspectives)
        authority: Authority | None
        if actor == member_id and not added:
            authority = Authority.own()
        elif actor == member_id:
            raise NotAuthorised(
                "members cannot give themselves a perspective; a Facilitator may record it"
            )
        else:
            authority = authority_to_act_alone(
                "change_perspectives", self.charter, self.roles_of(actor)
            )
        if authority is None:
            raise NotAuthorised(
                "changing another member's perspectives needs a role the charter names "
                "under 'change_perspectives'"
            )
        self._perspectives_changed(
            member_id=member_id,
            perspectives=list(perspectives),
            actor=actor,
            authority=authority.to_dict(),
        )

    def record_decision(
        self,
        *,
        decision_id: str,
        title: str,
        text: str,
        area: str,
        key: bool,
        actor: str,
    ) -> None:
        """An area holder deciding alone where their delegation or the charter allows."""
        self.require_member(actor)
        title = clean_name(title)
        self.check_area(area)
        if not isinstance(key, bool):
            raise InvalidInput("key must be true or false")
        authority: Authority | None = None
        delegation = self.delegations.get(area)
        if delegation is not None and actor in delegation.member_ids:
            authority = Authority.delegation(area)
        else:
            roles = [r for r in self.roles_of(actor) if area in self.roles[r].areas]
            authority = authority_to_act_alone("record_decision", self.charter, roles)
        if authority is None:
            raise NotAuthorised(
                f"member {actor} holds no delegation for '{area}' and no role the charter "
                "lets decide it alone; table a proposal instead"
            )
        self._decision_recorded_directly(
            decision_id=decision_id,
            title=title,
            text=text,
            area=area,
            key=key,
            stage=self.stage,
            actor=actor,
            authority=authority.to_dict(),
        )

    def check_naming(self, member_id: str, *, actor: str) -> None:
        """Only the member chooses how they are named, while active and not erased (names
        live in the erasable directory: choosing one records no event)."""
        if actor != member_id:
            raise NotAuthorised("only the member may choose how they are named")
        self.require_member(member_id)
        if self.members[member_id].erased:
            raise NotFound(f"member {member_id}'s details were erased")

    def erase_member(self, member_id: str, *, actor: str) -> None:
        """Record that a member's personal data was erased from the directory."""
        if member_id not in self.members:
            raise NotFound(f"member {member_id} is not on project {self.id}")
        if actor != member_id and FACILITATOR not in self.roles_of(actor):
            raise NotAuthorised("only the member or a Facilitator may erase a member's details")
        if self.members[member_id].erased:
            raise Conflict(f"member {member_id}'s details were already erased")
        self._member_erased(member_id=member_id, actor=actor)

    # --- access: auditors and tokens -------------------------------------------------------

    def _require_steward(self, actor: str, what: str) -> None:
        if actor != INSTANCE_ADMIN and FACILITATOR not in self.roles_of(actor):
            raise NotAuthorised(f"only a Facilitator or the instance admin may {what}")

    def add_auditor(
        self, auditor_id: str, *, expires_at: datetime, now: datetime, actor: str
    ) -> None:
        """Give a read-only reader (an ethics committee, a funder) access until `expires_at`."""
        self._require_steward(actor, "add an auditor")
        check_deadline(expires_at, now, "expires_at")
        if auditor_id in self.auditors:
            raise Conflict(f"auditor {auditor_id} already has access")
        self._auditor_added(auditor_id=auditor_id, expires_at=expires_at, actor=actor)

    def revoke_tokens(self, holder: str, *, actor: str) -> None:
        """Revoke a member's token without issuing another (a lost device, say). Members may
        revoke their own; a Facilitator or the instance admin anyone's."""
        if holder not in self.members:
            raise NotFound(f"member {holder} is not on project {self.id}")
        if actor != holder:
            self._require_steward(actor, "revoke another member's token")
        live = [t for t, who in self.tokens.items() if who == holder]
        if not live:
            raise Conflict(f"member {holder} holds no live token")
        for token_id in live:
            self._token_revoked(token_id=token_id, holder=holder, actor=actor)

    def revoke_auditor(self, auditor_id: str, *, actor: str) -> None:
        """End an auditor's access before it expires; their token stops working at once."""
        self._require_steward(actor, "revoke an auditor")
        if auditor_id not in self.auditors:
            raise NotFound(f"no auditor {auditor_id} on project {self.id}")
        for token_id, who in list(self.tokens.items()):
            if who == auditor_id:
                self._token_revoked(token_id=token_id, holder=auditor_id, actor=actor)
        self._auditor_revoked(auditor_id=auditor_id, actor=actor)

    def issue_token(self, token_id: str, holder: str, *, now: datetime, actor: str) -> None:
        """Record a new access token for a member or auditor, revoking the holder's old one.

        Members may renew their own token; a Facilitator or the instance admin may issue any.
        """
        if holder in self.auditors:
            self._require_steward(actor, "issue an auditor's token")
            if self.auditors[holder] <= now:
                raise InvalidInput(f"auditor {holder}'s access expired")
            kind = "auditor"
        else:
            self.require_member(holder)
            if actor != holder:
                self._require_steward(actor, "issue another member's token")
            kind = "member"
        for old, who in list(self.tokens.items()):
            if who == holder:
                self._token_revoked(token_id=old, holder=holder, actor=actor)
        self._token_issued(
            token_id=token_id,
            holder=holder,
            kind=kind,
            expires_at=self.auditors.get(holder),
            actor=actor,
        )

    # --- power shifts by adopted proposal -------------------------------------------------

    def validate_action(self, action: Action) -> None:
        """Refuse an action that could not take effect on the project as it stands."""
        action.check(self)

    def apply_adopted(self, proposal: Proposal, *, actor: str) -> None:
        """Give effect to an adopted proposal's actions, with the proposal as authority.

        An action that can no longer apply (its member left meanwhile, say) is recorded as
        not applied, with the reason, rather than blocking the rest.
        """
        if proposal.project_id != self.id:
            raise InvalidInput("the proposal belongs to another project")
        if proposal.outcome != Outcome.ADOPTED:
            raise InvalidInput("only an adopted proposal's actions take effect")
        authority = Authority.proposal(proposal.id)
        for data in proposal.actions:
            action = parse_action(data)
            try:
                self.validate_action(action)
            except GovernanceError as e:
                self._action_not_applied(
                    proposal_id=str(proposal.id), action=data, reason=e.detail, actor=actor
                )
                continue
            self._trigger(action, actor, authority)

    # --- internals -------------------------------------------------------------------------

    def _act_alone(self, action: Action, actor: str) -> None:
        self.require_member(actor)
        action.check(self)
        authority: Authority | None = None
        if action.on_own_behalf(actor):
            authority = Authority.own()
        elif self.requires_key_proposal(action):
            raise NotAuthorised(
                f"'{action.TYPE}' of a leadership role needs an adopted key proposal"
            )
        else:
            authority = authority_to_act_alone(action.TYPE, self.charter, self.roles_of(actor))
        if authority is None:
            allowed = ", ".join(self.charter.roles_acting_alone(action.TYPE)) or "no role"
            raise NotAuthorised(
                f"'{action.TYPE}' needs an adopted proposal: the charter lets {allowed} do it "
                f"alone, and member {actor} holds none of those roles"
            )
        self._trigger(action, actor, authority)

    def _trigger(self, action: Action, actor: str, authority: Authority) -> None:
        action.take_effect(self, actor, authority)

    def _drop_member_from_power(self, member_id: str) -> None:
        # their tokens stop working too: authentication checks the live tokens here
        self.tokens = {t: h for t, h in self.tokens.items() if h != member_id}
        for name, role in list(self.roles.items()):
            if member_id in role.holders:
                holders = tuple(h for h in role.holders if h != member_id)
                self.roles[name] = attrs.evolve(role, holders=holders)
        for area, delegation in list(self.delegations.items()):
            if member_id in delegation.member_ids:
                rest = tuple(m for m in delegation.member_ids if m != member_id)
                if rest:
                    self.delegations[area] = attrs.evolve(delegation, member_ids=rest)
                else:
                    del self.delegations[area]

    # --- events ----------------------------------------------------------------------------

    class MemberAdmitted(Event):
        TOPIC = "cogov:Project.MemberAdmitted"
        member_id: str
        perspectives: list[str]
        actor: str
        authority: dict[str, Any]

    @event(MemberAdmitted)
    def _member_admitted(
        self, member_id: str, perspectives: list[str], actor: str, authority: dict[str, Any]
    ) -> None:
        self.members[member_id] = Member(perspectives)

    class PerspectivesChanged(Event):
        TOPIC = "cogov:Project.PerspectivesChanged"
        member_id: str
        perspectives: list[str]
        actor: str
        authority: dict[str, Any]

    @event(PerspectivesChanged)
    def _perspectives_changed(
        self, member_id: str, perspectives: list[str], actor: str, authority: dict[str, Any]
    ) -> None:
        self.members[member_id] = attrs.evolve(self.members[member_id], perspectives=perspectives)

    class MemberLeft(Event):
        TOPIC = "cogov:Project.MemberLeft"
        member_id: str
        actor: str
        authority: dict[str, Any]

    @event(MemberLeft)
    def _member_left(self, member_id: str, actor: str, authority: dict[str, Any]) -> None:
        self.members[member_id] = attrs.evolve(self.members[member_id], status=MemberStatus.LEFT)
        self._drop_member_from_power(member_id)

    class MemberRemoved(Event):
        TOPIC = "cogov:Project.MemberRemoved"
        member_id: str
        reason: str
        actor: str
        authority: dict[str, Any]

    @event(MemberRemoved)
    def _member_removed(
        self, member_id: str, reason: str, actor: str, authority: dict[str, Any]
    ) -> None:
        self.members[member_id] = attrs.evolve(self.members[member_id], status=MemberStatus.REMOVED)
        self._drop_member_from_power(member_id)

    class MemberErased(Event):
        TOPIC = "cogov:Project.MemberErased"
        member_id: str
        actor: str

    @event(MemberErased)
    def _member_erased(self, member_id: str, actor: str) -> None:
        self.members[member_id] = attrs.evolve(self.members[member_id], erased=True)

    class RoleDefined(Event):
        TOPIC = "cogov:Project.RoleDefined"
        name: str
        responsibilities: str
        leadership: bool
        areas: list[str]
        actor: str
        authority: dict[str, Any]

    @event(RoleDefined)
    def _role_defined(
        self,
        name: str,
        responsibilities: str,
        leadership: bool,
        areas: list[str],
        actor: str,
        authority: dict[str, Any],
    ) -> None:
        self.roles[name] = Role(name, responsibilities, leadership, areas)

    class RoleAssigned(Event):
        TOPIC = "cogov:Project.RoleAssigned"
        role: str
        member_id: str
        actor: str
        authority: dict[str, Any]

    @event(RoleAssigned)
    def _role_assigned(
        self, role: str, member_id: str, actor: str, authority: dict[str, Any]
    ) -> None:
        current = self.roles[role]
        self.roles[role] = attrs.evolve(current, holders=[*current.holders, member_id])

    class RoleRelinquished(Event):
        TOPIC = "cogov:Project.RoleRelinquished"
        role: str
        member_id: str
        actor: str
        authority: dict[str, Any]

    @event(RoleRelinquished)
    def _role_relinquished(
        self, role: str, member_id: str, actor: str, authority: dict[str, Any]
    ) -> None:
        current = self.roles[role]
        holders = tuple(h for h in current.holders if h != member_id)
        self.roles[role] = attrs.evolve(current, holders=holders)

    class AreaDelegated(Event):
        TOPIC = "cogov:Project.AreaDelegated"
        area: str
        member_ids: list[str]
        until_stage: str | None
        actor: str
        authority: dict[str, Any]

    @event(AreaDelegated)
    def _area_delegated(
        self,
        area: str,
        member_ids: list[str],
        until_stage: str | None,
        actor: str,
        authority: dict[str, Any],
    ) -> None:
        self.delegations[area] = Delegation(area, member_ids, until_stage)

    class DelegationRevoked(Event):
        TOPIC = "cogov:Project.DelegationRevoked"
        area: str
        actor: str
        authority: dict[str, Any]

    @event(DelegationRevoked)
    def _delegation_revoked(self, area: str, actor: str, authority: dict[str, Any]) -> None:
        del self.delegations[area]

    class CharterAmended(Event):
        TOPIC = "cogov:Project.CharterAmended"
        changes: dict[str, Any]
        charter: dict[str, Any]
        actor: str
        authority: dict[str, Any]

    @event(CharterAmended)
    def _charter_amended(
        self,
        changes: dict[str, Any],
        charter: dict[str, Any],
        actor: str,
        authority: dict[str, Any],
    ) -> None:
        self.charter = Charter.from_dict(charter)

    class GroundRulesAdopted(Event):
        TOPIC = "cogov:Project.GroundRulesAdopted"
        rules: list[str]
        actor: str
        authority: dict[str, Any]

    @event(GroundRulesAdopted)
    def _ground_rules_adopted(
        self, rules: list[str], actor: str, authority: dict[str, Any]
    ) -> None:
        self.ground_rules = [*self.ground_rules, *rules]

    class StageEntered(Event):
        TOPIC = "cogov:Project.StageEntered"
        stage: str
        expired_delegations: list[str]
        actor: str
        authority: dict[str, Any]

    @event(StageEntered)
    def _stage_entered(
        self,
        stage: str,
        expired_delegations: list[str],
        actor: str,
        authority: dict[str, Any],
    ) -> None:
        self.stage = stage
        for area in expired_delegations:
            self.delegations.pop(area, None)

    class DecisionRecordedDirectly(Event):
        TOPIC = "cogov:Project.DecisionRecordedDirectly"
        decision_id: str
        title: str
        text: str
        area: str
        key: bool
        stage: str
        actor: str
        authority: dict[str, Any]

    @event(DecisionRecordedDirectly)
    def _decision_recorded_directly(
        self,
        decision_id: str,
        title: str,
        text: str,
        area: str,
        key: bool,
        stage: str,
        actor: str,
        authority: dict[str, Any],
    ) -> None:
        pass

    class AuditorAdded(Event):
        TOPIC = "cogov:Project.AuditorAdded"
        auditor_id: str
        expires_at: datetime
        actor: str

    @event(AuditorAdded)
    def _auditor_added(self, auditor_id: str, expires_at: datetime, actor: str) -> None:
        self.auditors[auditor_id] = expires_at

    class AuditorRevoked(Event):
        TOPIC = "cogov:Project.AuditorRevoked"
        auditor_id: str
        actor: str

    @event(AuditorRevoked)
    def _auditor_revoked(self, auditor_id: str, actor: str) -> None:
        self.auditors.pop(auditor_id, None)

    class TokenIssued(Event):
        TOPIC = "cogov:Project.TokenIssued"
        token_id: str
        holder: str
        kind: str
        expires_at: datetime | None
        actor: str

    @event(TokenIssued)
    def _token_issued(
        self, token_id: str, holder: str, kind: str, expires_at: datetime | None, actor: str
    ) -> None:
        self.tokens[token_id] = holder

    class TokenRevoked(Event):
        TOPIC = "cogov:Project.TokenRevoked"
        token_id: str
        holder: str
        actor: str

    @event(TokenRevoked)
    def _token_revoked(self, token_id: str, holder: str, actor: str) -> None:
        self.tokens.pop(token_id, None)

    class ActionNotApplied(Event):
        TOPIC = "cogov:Project.ActionNotApplied"
        proposal_id: str
        action: dict[str, Any]
        reason: str
        actor: str

    @event(ActionNotApplied)
    def _action_not_applied(
        self, proposal_id: str, action: dict[str, Any], reason: str, actor: str
    ) -> None:
        pass


def _names(values: Sequence[str], what: str) -> tuple[str, ...]:
    if isinstance(values, str) or not values:
        raise InvalidInput(f"{what} must be a non-empty list")
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise InvalidInput(f"{what} must be non-empty names")
    if any(len(v) > MAX_NAME for v in values):
        raise InvalidInput(f"{what} must be names of at most {MAX_NAME} characters")
    if len(set(values)) != len(values):
        raise InvalidInput(f"{what} has duplicates")
    return tuple(values)


def _check_perspectives(perspectives: Sequence[str], catalogue: Sequence[str]) -> None:
    _names(perspectives, "perspectives")
    unknown = [p for p in perspectives if p not in catalogue]
    if unknown:
        raise InvalidInput(
            f"unknown perspective(s) {', '.join(unknown)}; expected some of {', '.join(catalogue)}"
        )


def check_charter(charter: Charter, perspectives: Iterable[str], roles: Iterable[str]) -> None:
    unknown = set(charter.required_perspectives) - set(perspectives)
    if unknown:
        raise InvalidInput(
            f"charter requires perspective(s) not in the catalogue: {', '.join(sorted(unknown))}"
        )
    named = {role for holders in charter.acting_alone.values() for role in holders}
    undefined = named - set(roles)
    if undefined:
        # a role that does not exist yet would silently gain power once someone defines it
        raise InvalidInput(
            f"charter acting_alone names role(s) not defined on this project: "
            f"{', '.join(sorted(undefined))}; define the role first"
        )


def _by_holder(held: Iterable[tuple[str, Iterable[str]]]) -> dict[str, list[str]]:
    """Each holder's names, in the order given."""
    by_holder: dict[str, list[str]] = {}
    for name, holders in held:
        for holder in holders:
            by_holder.setdefault(holder, []).append(name)
    return by_holder
