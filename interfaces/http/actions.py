"""Request bodies of the actions a proposal carries: one schema per action type, told apart
by `type`, so a wrong field or type is a 422 naming it and clients see every shape.

They mirror the domain's action classes (cogov.domain.actions) field for field, which still
check everything for embedding hosts; a test holds the two to the same fields. `admit_member`
takes a display name where the domain takes the member id the application allocates.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cogov.domain.actions import MAX_GROUND_RULES
from cogov.domain.charter import MAX_REFLECTION_DAYS
from cogov.domain.language import DecisionRule, Stage
from cogov.domain.text import MAX_REASON, MAX_RESPONSIBILITIES
from cogov.interfaces.http.fields import Flag, MemberId, Name


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def to_action(self) -> dict[str, Any]:
        """The action as the application takes it."""
        return self.model_dump(mode="json", exclude_none=True)


class DefineRoleIn(ActionIn):
    type: Literal["define_role"]
    name: Name
    responsibilities: str = Field("", max_length=MAX_RESPONSIBILITIES)
    leadership: Flag = False
    areas: list[Name] = Field(default_factory=list, max_length=20)


class AssignRoleIn(ActionIn):
    type: Literal["assign_role"]
    role: Name
    member_id: MemberId


class RelinquishRoleIn(ActionIn):
    type: Literal["relinquish_role"]
    role: Name
    member_id: MemberId


class DelegateAreaIn(ActionIn):
    type: Literal["delegate_area"]
    area: Name
    member_ids: list[MemberId] = Field(min_length=1, max_length=50)
    until_stage: Stage | None = None


class RevokeDelegationIn(ActionIn):
    type: Literal["revoke_delegation"]
    area: Name


class AmendCharterIn(ActionIn):
    type: Literal["amend_charter"]
    changes: CharterChangesIn


class AdoptGroundRulesIn(ActionIn):
    type: Literal["adopt_ground_rules"]
    rules: list[Annotated[str, Field(min_length=1, max_length=MAX_REASON)]] = Field(
        min_length=1, max_length=MAX_GROUND_RULES
    )


class AdmitMemberIn(ActionIn):
    type: Literal["admit_member"]
    display_name: Name
    perspectives: list[Name] = Field(min_length=1, max_length=10)


class RemoveMemberIn(ActionIn):
    type: Literal["remove_member"]
    member_id: MemberId
    reason: str = Field(min_length=1, max_length=MAX_REASON)


class EnterStageIn(ActionIn):
    type: Literal["enter_stage"]
    stage: Stage


Action = Annotated[
    DefineRoleIn
    | AssignRoleIn
    | RelinquishRoleIn
    | DelegateAreaIn
    | RevokeDelegationIn
    | AmendCharterIn
    | AdoptGroundRulesIn
    | AdmitMemberIn
    | RemoveMemberIn
    | EnterStageIn,
    Field(discriminator="type"),
]

ACTION_SCHEMAS: tuple[type[ActionIn], ...] = (
    DefineRoleIn,
    AssignRoleIn,
    RelinquishRoleIn,
    DelegateAreaIn,
    RevokeDelegationIn,
    AmendCharterIn,
    AdoptGroundRulesIn,
    AdmitMemberIn,
    RemoveMemberIn,
    EnterStageIn,
)


# --- the charter, in a body or as an amendment ----------------------------------------------


class CharterChangesIn(BaseModel):
    """Charter fields to set; JSON numbers and booleans are never taken from other types."""

    model_config = ConfigDict(extra="forbid")

    key_rule: DecisionRule | None = None
    operational_rule: DecisionRule | None = None
    threshold: float | None = Field(None, gt=0.5, le=1, strict=True)
    quorum: float | None = Field(None, ge=0, le=1, strict=True)
    required_perspectives: list[Name] | None = None
    response_window_days: int | None = Field(None, ge=1, le=365, strict=True)
    acting_alone: dict[str, list[Name]] | None = None
    results_hidden_until_close: bool | None = Field(
        None,
        strict=True,
        description="while a proposal is open, members see only their own stance and the count",
    )
    reflection_every_days: int | None = Field(
        None,
        ge=1,
        le=MAX_REFLECTION_DAYS,
        strict=True,
        description="a team reflection is due this often; null (when given) ends the schedule",
    )

    def changes(self) -> dict[str, Any]:
        """The fields given; null means "leave as is", except for a reflection schedule,
        which null ends."""
        given = self.model_dump(exclude_unset=True)
        return {k: v for k, v in given.items() if v is not None or k in NULLABLE}


NULLABLE = frozenset({"reflection_every_days"})
AmendCharterIn.model_rebuild()
