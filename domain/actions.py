"""Actions a proposal carries; they take effect only if the proposal is adopted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from cogov.domain.errors import InvalidInput


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


@attrs.frozen
class DefineRole:
    TYPE: ClassVar[str] = "define_role"
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
        if not isinstance(leadership, bool):
            raise InvalidInput("action 'define_role' needs 'leadership' as true or false")
        if not isinstance(areas, list | tuple) or not all(isinstance(a, str) for a in areas):
            raise InvalidInput("action 'define_role' needs 'areas' as a list of text")
        return cls(_text(d, "name", action=cls.TYPE), responsibilities, leadership, tuple(areas))


@attrs.frozen
class AssignRole:
    TYPE: ClassVar[str] = "assign_role"
    role: str
    member_id: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> AssignRole:
        return cls(_text(d, "role", action=cls.TYPE), _text(d, "member_id", action=cls.TYPE))


@attrs.frozen
class RelinquishRole:
    TYPE: ClassVar[str] = "relinquish_role"
    role: str
    member_id: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> RelinquishRole:
        return cls(_text(d, "role", action=cls.TYPE), _text(d, "member_id", action=cls.TYPE))


@attrs.frozen
class DelegateArea:
    TYPE: ClassVar[str] = "delegate_area"
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


@attrs.frozen
class RevokeDelegation:
    TYPE: ClassVar[str] = "revoke_delegation"
    area: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> RevokeDelegation:
        return cls(_text(d, "area", action=cls.TYPE))


@attrs.frozen
class AmendCharter:
    TYPE: ClassVar[str] = "amend_charter"
    changes: dict[str, Any]

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> AmendCharter:
        changes = d.get("changes")
        if not isinstance(changes, Mapping) or not changes:
            raise InvalidInput("action 'amend_charter' needs 'changes' as a non-empty object")
        return cls(dict(changes))


@attrs.frozen
class AdoptGroundRules:
    TYPE: ClassVar[str] = "adopt_ground_rules"
    rules: tuple[str, ...]

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> AdoptGroundRules:
        return cls(_texts(d, "rules", action=cls.TYPE))


@attrs.frozen
class AdmitMember:
    """Admits a member. The display name never reaches the domain: the application keeps it
    in the erasable member directory and passes the member id it allocated."""

    TYPE: ClassVar[str] = "admit_member"
    member_id: str
    perspectives: tuple[str, ...]

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> AdmitMember:
        return cls(
            _text(d, "member_id", action=cls.TYPE), _texts(d, "perspectives", action=cls.TYPE)
        )


@attrs.frozen
class RemoveMember:
    TYPE: ClassVar[str] = "remove_member"
    member_id: str
    reason: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> RemoveMember:
        return cls(_text(d, "member_id", action=cls.TYPE), _text(d, "reason", action=cls.TYPE))


@attrs.frozen
class EnterStage:
    TYPE: ClassVar[str] = "enter_stage"
    stage: str

    @classmethod
    def parse(cls, d: Mapping[str, Any]) -> EnterStage:
        return cls(_text(d, "stage", action=cls.TYPE))


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

ACTION_TYPES: dict[str, Any] = {
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


def parse_action(data: object) -> Action:
    if not isinstance(data, Mapping):
        raise InvalidInput("each action must be an object with a 'type'")
    kind = data.get("type")
    if kind not in ACTION_TYPES:
        raise InvalidInput(
            f"unknown action type {kind!r}; expected one of {', '.join(sorted(ACTION_TYPES))}"
        )
    action: Action = ACTION_TYPES[kind].parse(data)
    return action


def action_to_dict(action: Action) -> dict[str, Any]:
    data: dict[str, Any] = {"type": action.TYPE}
    for name, value in attrs.asdict(action, recurse=False).items():
        data[name] = list(value) if isinstance(value, tuple) else value
    return data
