"""Response bodies of the HTTP API's reads: one per read shape of the application.

Each mirrors a view row or record of `cogov.application` field for field (a test holds
them to it), adding only what clients need to see in the OpenAPI schema: types, enums and
descriptions.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from cogov.domain.language import Outcome, Stance

Names = dict[str, str | None]
NAMES_FIELD: Any = Field(
    default_factory=dict,
    description="the name each member id in this read is shown by, as the member prefers it "
    '("erased member" once erased; null for ids that name no person, such as `system`)',
)


class MemberOut(BaseModel):
    member_id: str
    display_name: str | None = Field(
        description='as the member prefers; "erased member" once erased'
    )
    perspectives: list[str]
    status: str
    erased: bool
    roles: list[str]
    areas: list[str]


class MemberPage(BaseModel):
    items: list[MemberOut]
    next: str | None = None


class RoleOut(BaseModel):
    name: str
    responsibilities: str
    leadership: bool
    areas: list[str]
    holders: list[str]


class RolePage(BaseModel):
    items: list[RoleOut]
    next: str | None = None
    names: Names = NAMES_FIELD


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


class ProjectSummaryOut(BaseModel):
    project_id: str
    title: str
    stage: str
    founded_at: str
    members: int = Field(description="active members")
    version: int
    position: int = Field(description="the position of the project's latest event")


class ProjectPage(BaseModel):
    items: list[ProjectSummaryOut]
    next: str | None = None


class ResponseOut(BaseModel):
    member_id: str
    stance: Stance
    reason: str | None
    cast_by: str | None = Field(description="the proxy who cast it, when not the member")
    at: str


class HistoryOut(BaseModel):
    at: str
    member_id: str
    act: str = Field(description="`response`, `objection_withdrawn` or `consent_voided`")
    stance: Stance | None = Field(description="the stance from then on")
    reason: str | None
    cast_by: str | None


class AmendmentOut(BaseModel):
    at: str
    text: str
    voided_consents: list[str]


class CommentOut(BaseModel):
    at: str
    author: str
    text: str


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
    tabled_at: str
    closes_at: str
    due: bool = Field(description="open and past closes_at: anyone may close it now")
    closed_at: str | None
    electorate: dict[str, list[str]]
    charter: dict[str, Any]
    proxies: dict[str, str]
    responses: list[ResponseOut] = Field(description="each elector's current stance")
    history: list[HistoryOut] = Field(description="every change of stance, in order")
    amendments: list[AmendmentOut]
    comments: list[CommentOut]
    outcome: Outcome
    quorum_met: bool
    tally: dict[str, dict[str, int]]
    withdrawn_objections: int
    version: int
    names: Names = NAMES_FIELD
    response_count: int = Field(description="electors with a stance now (what quorum counts)")
    hidden_until_close: bool = Field(
        description="open, and the charter hides the results until it closes: responses "
        "and history hold only the caller's own stances, the tally is empty and "
        "withdrawn_objections 0"
    )


class BallotOut(BaseModel):
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
    participants: list[str] = Field(
        description="member ids of who took part: the proposer (or decider), each respondent, "
        "and each proxy who cast a response (a proxy response is both people's part)"
    )
    response_count: int = Field(description="electors with a stance now")
    began: int = Field(
        description="the position of the decision's first event (its tabling, or the direct "
        "decision): the order decisions are listed in, and the decisions page's cursor; 0 on "
        "a row stored before rows kept it, until the views are rebuilt"
    )
    hidden_until_close: bool = Field(
        description="open, and the charter hides the results until it closes: participation, "
        "tally and ballots are empty, the objection counts 0, participants only the proposer"
    )


class ProposalPage(BaseModel):
    items: list[DecisionOut] = Field(description="decision-log rows of proposals only")
    next: str | None = None
    names: Names = NAMES_FIELD


class DecisionPage(BaseModel):
    items: list[DecisionOut]
    next: str | None = None
    names: Names = NAMES_FIELD


class Shares(BaseModel):
    """Each measure's share; null for a measure not computed (see `not_computed`)."""

    voting_power: float | None
    authority: float | None
    influence: float | None


class MemberPowerOut(BaseModel):
    member_id: str
    perspectives: list[str]
    voting_power: float | None
    authority: float | None
    influence: float | None
    roles: list[str]
    areas: list[str]


class PowerOut(BaseModel):
    project_id: str
    as_of: str
    as_of_us: int = Field(
        description="`as_of` as a number: microseconds since 1970-01-01T00:00:00Z"
    )
    stage: str
    position: int
    version: int
    shift: str
    perspectives: dict[str, Shares]
    members: list[MemberPowerOut]
    hhi: dict[str, float | None]
    gini: dict[str, float | None]
    not_computed: dict[str, str] = Field(
        default_factory=dict,
        description="A measure not computed at this power shift, and why: voting power in a "
        "game too large to count exactly. Its shares, HHI and Gini are null.",
    )


class PowerNowOut(PowerOut):
    """One distribution of power, with the names of the members in it."""

    names: Names = NAMES_FIELD


class PowerPage(BaseModel):
    items: list[PowerOut]
    next: str | None = None
    names: Names = NAMES_FIELD


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
    names: Names = NAMES_FIELD


class IndicatorOut(BaseModel):
    code: str = Field(description="e.g. sharing_power, reciprocity, continuous_reflection")
    principle: str = Field(description="the NIHR principle or key feature, or UKRI's")
    value: Any = Field(description="what was measured (see docs/scorecard.md)")
    status: Literal["met", "partial", "not_met", "no_evidence"]
    explanation: str = Field(description="in plain language")
    evidence: list[int] = Field(description="the event positions behind it")


class GapOut(BaseModel):
    stage: str
    justified: bool
    reason: str | None
    evidence: list[int]


class UnpaidClaimOut(BaseModel):
    position: int
    claimed_at: str
    days_waiting: int
    overdue: bool = Field(description="unpaid for more than 30 days")


class RecognitionOut(BaseModel):
    member_id: str
    kinds: dict[str, int] = Field(description="recognition kind -> entries")
    claim_to_payment_days: list[float]
    unpaid_claims: list[UnpaidClaimOut]
    overdue: bool
    evidence: list[int]


class ReflectionScheduleOut(BaseModel):
    every_days: int | None
    last_team: str | None
    due: str | None = Field(description="when the next team reflection falls due")
    overdue: bool = Field(description="true from the moment it falls due")


class StatementOut(BaseModel):
    text: str
    evidence: list[int]
    silent: bool = Field(description="true when nothing in the log bears on it")
    indicators: list[str]


class Gripp2Out(BaseModel):
    aim: StatementOut
    methods: StatementOut
    results: StatementOut
    discussion: StatementOut
    reflections: StatementOut


class UkStandardsOut(BaseModel):
    inclusive_opportunities: StatementOut
    working_together: StatementOut
    support_and_learning: StatementOut
    communications: StatementOut
    impact: StatementOut
    governance: StatementOut


class ScorecardOut(BaseModel):
    project_id: str
    as_of: str
    indicators: list[IndicatorOut]
    involvement: dict[str, dict[str, int]] = Field(
        description="stage -> perspective -> distinct people who took part"
    )
    justified_gaps: dict[str, str | None] = Field(
        description="stage without public involvement -> the reason the log gives"
    )
    gaps: list[GapOut]
    recognition: list[RecognitionOut]
    reflection: ReflectionScheduleOut
    gripp2_sf: Gripp2Out
    uk_standards: UkStandardsOut
    names: Names = NAMES_FIELD


class InclusionOut(BaseModel):
    position: int
    leaf_index: int
    tree_size: int
    leaf: str = Field(description="base64 of the leaf data: the event's RFC 8785 JSON")
    proof: list[str] = Field(description="base64 SHA-256 hashes, from the leaf up")


class AccessRecordOut(BaseModel):
    at: str = Field(description="when the read was answered (UTC, with a Z)")
    kind: Literal["auditor", "admin"]
    reader_id: str = Field(description="the auditor's id, or `instance-admin`")
    route: str = Field(description="the route read, as a template: `/projects/{pid}/decisions`")
    path: str = Field(description="the path requested, with its query string")


class AccessLogPage(BaseModel):
    items: list[AccessRecordOut]
    next: str | None = None
    names: Names = NAMES_FIELD


class JournalOut(BaseModel):
    project_id: str
    position: int
    kind: str = Field(description="reflection, dialogue, recognition, support, ethics_issue, ...")
    stage: str | None
    members: list[str] = Field(description="the members the entry is about")
    recorded_at: str
    actor: str
    data: dict[str, Any]


class JournalPage(BaseModel):
    items: list[JournalOut]
    next: str | None = None
    names: Names = NAMES_FIELD


class AreaHolderOut(BaseModel):
    member_id: str
    through: Literal["delegation", "role"]
    role: str | None = Field(description="the role that carries the area, when through a role")
    until_stage: str | None = Field(description="the stage a delegation lasts until, if any")
    since: int = Field(description="the power shift from which the member has held it")


class AreaAccountabilityOut(BaseModel):
    area: str
    holders: list[AreaHolderOut] = Field(description="none: the team decides it by proposal")


class RoleHolderOut(BaseModel):
    member_id: str
    since: int = Field(description="the power shift from which the member has held it")


class RoleAccountabilityOut(BaseModel):
    name: str
    responsibilities: str
    leadership: bool
    areas: list[str]
    holders: list[RoleHolderOut]


class IssueAccountabilityOut(BaseModel):
    issue_id: str
    title: str
    stage: str | None
    raised_by: str
    raised_at: str
    position: int = Field(description="the position of the issue's raising")
    responsible: list[str] = Field(description="the members responsible for resolving it")
    responsible_as: Literal["ethics_area", "leadership", "team"] = Field(
        description="why: they hold the ethics area; else they hold a leadership role; else "
        "nobody does and the team's active members are"
    )
    accountable: list[str] = Field(
        description="the leadership roles' holders (the team's active members if none)"
    )
    evidence: list[int] = Field(description="the raising and the shifts behind each part")


class AccountabilityOut(BaseModel):
    project_id: str
    as_of: str
    stage: str
    position: int = Field(description="the last power shift at or before as_of")
    version: int = Field(description="the project's version just after that shift")
    areas: list[AreaAccountabilityOut]
    roles: list[RoleAccountabilityOut]
    ethics_issues: list[IssueAccountabilityOut] = Field(description="those open at as_of")
    names: Names = NAMES_FIELD
