"""Actions a proposal carries; they take effect only if the proposal is adopted.

Each action type is one class that knows everything about itself: how it is parsed from
client input, what the charter lets a role do with it alone, when it needs a key proposal,
whether it can apply to the project as it stands, and which event records it. Adding an
action type touches only this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from cogov.domain.authority import Authority
from cogov.domain.errors import Conflict, InvalidInput
from cogov.domain.language import STAGES
from cogov.domain.text import MAX_REASON, MAX_RESPONSIBILITIES, clean_name

if TYPE_CHECKING:
    from cogov.domain.project import Project

MAX_GROUND_RULES = 50  # in one adoption


def _text(data: Mapping[str, Any], field: str, *, action: str) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"action '{action}' needs a non-empty '{field}'")
    return value.strip()


def _texts(data: Mapping[str, Any], field: str, *, action: str) -> tuple[str, ...]:
    value = data.get(field)
    if (
        not isinstance(value, list | tuple)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise InvalidInput(f"action '{action}' needs '{field}' as a non-empty list of text")
    return tuple(v.strip() for v in value)


class BaseAction:
    """What every action declares; the defaults suit an action only a proposal can take."""

    TYPE: ClassVar[str]
    KEY_ONLY: ClassVar[bool] = False  # always needs an adopted key proposal
    MAY_ACT_ALONE: ClassVar[bool] = False  # a charter may let a role take it alone

    def needs_key_proposal(self, project: Project) -> bool:
        return self.KEY_ONLY

    def on_own_behalf(self, actor: str) -> bool:
        """Whether the actor acts only on their own membership or role (needs no authority)."""
        return False

    def check(self, project: Project) -> None:
        """Refuse the action if it could not take effect on the project as it stands."""

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.TYPE}
        for name, value in attrs.asdict(self, recurse=False).items():  # type: ignore[arg-type]
            data[name] = list(value) if isinstance(value, tuple) else value
        return data


@attrs.frozen
class DefineRole(BaseAction):
    TYPE: ClassVar[str] = "define_role"
    MAY_ACT_ALONE: ClassVar[bool] = True
    name: str
    responsibilities: str = ""
    leadership: bool = False
    areas: tuple[str, ...] = ()

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> DefineRole:
        responsibilities = d.get("responsibilities", "")
        leadership = d.get("leadership", False)
        areas = d.get("areas", [])
        if not isinstance(responsibilities, str):
            raise InvalidInput("action 'define_role' has non-text 'responsibilities'")
        if len(responsibilities) > MAX_RESPONSIBILITIES:
            raise InvalidInput(
                f"action 'define_role' has 'responsibilities' over {MAX_RESPONSIBILITIES} "
                "characters"
            )
        if not isinstance(leadership, bool):
            raise InvalidInput("action 'define_role' needs 'leadership' as true or false")
        if not isinstance(areas, list | tuple) or not all(isinstance(a, str) for a in areas):
            raise InvalidInput("action 'define_role' needs 'areas' as a list of text")
        return cls(_text(d, "name", action=cls.TYPE), responsibilities, leadership, tuple(areas))

    def check(self, project: Project) -> None:
        clean_name(self.name, "role name")
        if self.name in project.roles:
            raise Conflict(f"role '{self.name}' is already defined")
        for area in self.areas:
            project.check_area(area)

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        project._role_defined(
            name=self.name,
            responsibilities=self.responsibilities,
            leadership=self.leadership,
            areas=list(self.areas),
            actor=actor,
            authority=authority.to_dict(),
        )


@attrs.frozen
class AssignRole(BaseAction):
    TYPE: ClassVar[str] = "assign_role"
    MAY_ACT_ALONE: ClassVar[bool] = True
    role: str
    member_id: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> AssignRole:
        return cls(_text(d, "role", action=cls.TYPE), _text(d, "member_id", action=cls.TYPE))

    def needs_key_proposal(self, project: Project) -> bool:
        return project.is_leadership_role(self.role)

    def check(self, project: Project) -> None:
        project.check_role(self.role)
        project.require_member(self.member_id)
        if self.member_id in project.roles[self.role].holders:
            raise Conflict(f"member {self.member_id} already holds '{self.role}'")

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        project._role_assigned(
            role=self.role, member_id=self.member_id, actor=actor, authority=authority.to_dict()
        )


@attrs.frozen
class RelinquishRole(BaseAction):
    TYPE: ClassVar[str] = "relinquish_role"
    MAY_ACT_ALONE: ClassVar[bool] = True
    role: str
    member_id: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> RelinquishRole:
        return cls(_text(d, "role", action=cls.TYPE), _text(d, "member_id", action=cls.TYPE))

    def needs_key_proposal(self, project: Project) -> bool:
        return project.is_leadership_role(self.role)

    def on_own_behalf(self, actor: str) -> bool:
        return self.member_id == actor  # anyone may give up a role of their own

    def check(self, project: Project) -> None:
        project.check_role(self.role)
        if self.member_id not in project.roles[self.role].holders:
            raise Conflict(f"member {self.member_id} does not hold '{self.role}'")

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        project._role_relinquished(
            role=self.role, member_id=self.member_id, actor=actor, authority=authority.to_dict()
        )


@attrs.frozen
class DelegateArea(BaseAction):
    TYPE: ClassVar[str] = "delegate_area"
    KEY_ONLY: ClassVar[bool] = True
    area: str
    member_ids: tuple[str, ...]
    until_stage: str | None = None

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> DelegateArea:
        until = d.get("until_stage")
        if until is not None and not isinstance(until, str):
            raise InvalidInput("action 'delegate_area' has a non-text 'until_stage'")
        return cls(
            _text(d, "area", action=cls.TYPE), _texts(d, "member_ids", action=cls.TYPE), until
        )

    def check(self, project: Project) -> None:
        project.check_area(self.area)
        if self.area in project.delegations:
            raise Conflict(f"area '{self.area}' is already delegated; revoke it first")
        for member_id in self.member_ids:
            project.require_member(member_id)
        if self.until_stage is not None:
            if self.until_stage not in STAGES:
                raise InvalidInput(f"unknown stage '{self.until_stage}'")
            if STAGES.index(self.until_stage) < STAGES.index(project.stage):
                raise InvalidInput(
                    f"stage '{self.until_stage}' has already passed; a delegation must "
                    "last at least until the current stage"
                )

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        project._area_delegated(
            area=self.area,
            member_ids=list(self.member_ids),
            until_stage=self.until_stage,
            actor=actor,
            authority=authority.to_dict(),
        )


@attrs.frozen
class RevokeDelegation(BaseAction):
    TYPE: ClassVar[str] = "revoke_delegation"
    KEY_ONLY: ClassVar[bool] = True
    area: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> RevokeDelegation:
        return cls(_text(d, "area", action=cls.TYPE))

    def check(self, project: Project) -> None:
        if self.area not in project.delegations:
            raise Conflict(f"area '{self.area}' is not delegated")

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        project._delegation_revoked(area=self.area, actor=actor, authority=authority.to_dict())


@attrs.frozen
class AmendCharter(BaseAction):
    TYPE: ClassVar[str] = "amend_charter"
    KEY_ONLY: ClassVar[bool] = True
    changes: dict[str, Any]

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> AmendCharter:
        changes = d.get("changes")
        if not isinstance(changes, Mapping) or not changes:
            raise InvalidInput("action 'amend_charter' needs 'changes' as a non-empty object")
        return cls(dict(changes))

    def check(self, project: Project) -> None:
        project.check_charter(project.charter.amended(self.changes))

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        project._charter_amended(
            changes=self.to_dict()["changes"],
            charter=project.charter.amended(self.changes).to_dict(),
            actor=actor,
            authority=authority.to_dict(),
        )


@attrs.frozen
class AdoptGroundRules(BaseAction):
    TYPE: ClassVar[str] = "adopt_ground_rules"
    rules: tuple[str, ...]

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> AdoptGroundRules:
        rules = _texts(d, "rules", action=cls.TYPE)
        if len(rules) > MAX_GROUND_RULES:
            raise InvalidInput(f"action '{cls.TYPE}' adopts at most {MAX_GROUND_RULES} rules")
        if any(len(rule) > MAX_REASON for rule in rules):
            raise InvalidInput(f"each ground rule must be at most {MAX_REASON} characters")
        return cls(rules)

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        project._ground_rules_adopted(
            rules=list(self.rules), actor=actor, authority=authority.to_dict()
        )


@attrs.frozen
class AdmitMember(BaseAction):
    """Admits a member. The display name never reaches the domain: the application keeps it
    in the erasable member directory and passes the member id it allocated."""

    TYPE: ClassVar[str] = "admit_member"
    MAY_ACT_ALONE: ClassVar[bool] = True
    member_id: str
    perspectives: tuple[str, ...]

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> AdmitMember:
        return cls(
            _text(d, "member_id", action=cls.TYPE), _texts(d, "perspectives", action=cls.TYPE)
        )

    def check(self, project: Project) -> None:
        if self.member_id in project.members:
            raise Conflict(f"member {self.member_id} is already on the project")
        project.check_perspectives(self.perspectives)

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        project._member_admitted(
            member_id=self.member_id,
            perspectives=list(self.perspectives),
            actor=actor,
            authority=authority.to_dict(),
        )


@attrs.frozen
class RemoveMember(BaseAction):
    TYPE: ClassVar[str] = "remove_member"
    KEY_ONLY: ClassVar[bool] = True
    member_id: str
    reason: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> RemoveMember:
        return cls(_text(d, "member_id", action=cls.TYPE), _text(d, "reason", action=cls.TYPE))

    def check(self, project: Project) -> None:
        project.require_member(self.member_id)
        project.keep_someone(self.member_id)

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        project._member_removed(
            member_id=self.member_id,
            reason=self.reason,
            actor=actor,
            authority=authority.to_dict(),
        )


@attrs.frozen
class EnterStage(BaseAction):
    TYPE: ClassVar[str] = "enter_stage"
    stage: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> EnterStage:
        return cls(_text(d, "stage", action=cls.TYPE))

    def check(self, project: Project) -> None:
        if self.stage not in STAGES:
            raise InvalidInput(f"unknown stage '{self.stage}'; expected one of {', '.join(STAGES)}")
        if self.stage == project.stage:
            raise Conflict(f"the project is already in stage '{self.stage}'")

    def take_effect(self, project: Project, actor: str, authority: Authority) -> None:
        # delegations granted until an earlier stage end as the project moves past it
        expired = [
            d.area
            for d in project.delegations.values()
            if d.until_stage is not None and STAGES.index(self.stage) > STAGES.index(d.until_stage)
        ]
        project._stage_entered(
            stage=self.stage,
            expired_delegations=expired,
            actor=actor,
            authority=authority.to_dict(),
        )


Action = (
    DefineRole
    | AssignRole
    | RelinquishRole
    | DelegateArea
    | RevokeDelegation
    | AmendCharter
    | AdoptGroundRules
    | AdmitMember
    | RemoveMember
    | EnterStage
)

ACTION_TYPES: dict[str, type[Action]] = {
    cls.TYPE: cls
    for cls in (
        DefineRole,
        AssignRole,
        RelinquishRole,
        DelegateArea,
        RevokeDelegation,
        AmendCharter,
        AdoptGroundRules,
        AdmitMember,
        RemoveMember,
        EnterStage,
    )
}

# Power shifts that always need an adopted key proposal, whatever the charter says.
KEY_ONLY_ACTIONS = frozenset(t for t, cls in ACTION_TYPES.items() if cls.KEY_ONLY)
# Actions a charter may let a role take alone.
ACTING_ALONE_ACTIONS = frozenset(t for t, cls in ACTION_TYPES.items() if cls.MAY_ACT_ALONE)


def parse_action(data: object) -> Action:
    if not isinstance(data, Mapping):
        raise InvalidInput("each action must be an object with a 'type'")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in ACTION_TYPES:
        raise InvalidInput(
            f"unknown action type {kind!r}; expected one of {', '.join(sorted(ACTION_TYPES))}"
        )
    return ACTION_TYPES[kind].parse(data)
