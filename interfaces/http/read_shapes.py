"""Response bodies of the HTTP API's reads: one per read shape of the application.

Each mirrors a view row or record of `cogov.application` field for field (a test holds
them to it), adding only what clients need to see in the OpenAPI schema: types, enums and
descriptions.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass

from cogov.domain.language import Outcome, Stance


class MemberOut(BaseModel):
    member_id: str
    display_name: str | None
    perspectives: list[str]
    status: str
    roles: list[str]
    areas: list[str]


class RoleOut(BaseModel):
    name: str
    responsibilities: str
    leadership: bool
    areas: list[str]
    holders: list[str]


class DelegationOut(BaseModel):
    area: str
    member_ids: list[str]
    until_stage: str | None


class ProjectOut(BaseModel):
    id: str
    title: str
    stage: str
    version: int
    perspectives: list[str]
    areas: list[str]
    charter: dict[str, Any]
    members: list[MemberOut]
    roles: list[RoleOut]
    delegations: list[DelegationOut]
    ground_rules: list[str]


class ResponseOut(BaseModel):
    member_id: str
    stance: str
    reason: str | None


class ProposalOut(BaseModel):
    id: str
    project_id: str
    proposer: str
    title: str
    text: str
    area: str
    key: bool
    stage: str
    actions: list[dict[str, Any]]
    closes_at: str
    electorate: dict[str, list[str]]
    charter: dict[str, Any]
    responses: list[ResponseOut]
    outcome: str
    amendments: int
    quorum_met: bool
    tally: dict[str, dict[str, int]]
    version: int


@dataclass
class BallotOut:
    """One response as the audit reads it (mirrors `cogov.application.views.Ballot`)."""

    perspectives: list[str]
    stance: Stance


class DecisionOut(BaseModel):
    proposal_id: str
    project_id: str
    title: str
    area: str
    key: bool
    stage: str
    proposer: str
    proposer_perspectives: list[str]
    outcome: Outcome
    rule: str
    quorum: float
    by_proposal: bool
    jointly_owned: bool | None = Field(description="null when not key, or nothing was adopted")
    failed_criteria: list[str]
    flags: list[str]
    electorate: dict[str, int]
    participation: dict[str, int]
    tally: dict[str, dict[str, int]]
    open_objections: int
    withdrawn_objections: int
    amendments: int
    tabled_at: str
    decided_at: str | None
    time_to_decide_s: float | None
    position: int
    actions: list[str]
    threshold: str | None = Field(
        description="the supermajority threshold frozen at tabling, as an exact fraction "
        "('2/3'); null for a direct decision"
    )
    ballots: list[BallotOut] = Field(
        description="one per elector who responded: their perspectives and stance (a direct "
        "decision: the decider, consenting); what joint ownership is judged on"
    )


class DecisionPage(BaseModel):
    items: list[DecisionOut]
    next: str | None = None


class Shares(BaseModel):
    voting_power: float
    authority: float
    influence: float


class MemberPowerOut(BaseModel):
    member_id: str
    perspectives: list[str]
    voting_power: float
    authority: float
    influence: float
    roles: list[str]
    areas: list[str]


class PowerOut(BaseModel):
    project_id: str
    as_of: str
    stage: str
    position: int
    version: int
    shift: str
    perspectives: dict[str, Shares]
    members: list[MemberPowerOut]
    hhi: dict[str, float]
    gini: dict[str, float]


class PowerPage(BaseModel):
    items: list[PowerOut]
    next: str | None = None


class EventOut(BaseModel):
    position: int
    type: str
    aggregate_id: str
    version: int
    recorded_at: str
    actor: str | None
    data: dict[str, Any]


class EventPage(BaseModel):
    items: list[EventOut]
    next: str | None = None


class IndicatorOut(BaseModel):
    name: str
    principle: str
    value: Any
    evidence: list[str]
    note: str | None


class InvolvementOut(BaseModel):
    stage: str
    decisions: int
    public_responses: int
    gap: bool


class ScorecardOut(BaseModel):
    project_id: str
    indicators: list[IndicatorOut]
    involvement: list[InvolvementOut]
