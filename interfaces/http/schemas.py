"""Request and response bodies of the HTTP API (docs/api.md), with examples."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from cogov.application.directory import ShownAs
from cogov.domain import (
    DialogueKind,
    EthicsOutcome,
    ImpactKind,
    RecognitionKind,
    ReflectionScope,
    Stage,
    SupportKind,
)
from cogov.domain.language import Stance
from cogov.domain.text import MAX_REASON, MAX_RESPONSIBILITIES
from cogov.interfaces.http.actions import Action, CharterChangesIn
from cogov.interfaces.http.fields import Day, Flag, Instant, MemberId, Name, Reason, Text

# One vocabulary: the API's enumerations are the domain's own.


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


CharterIn = CharterChangesIn


class FounderIn(Body):
    display_name: Name
    perspectives: list[Name] = Field(min_length=1, max_length=10)


class ProjectIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Recovering together: long COVID in community services",
                    "founder": {"display_name": "Dr Amara Okafor", "perspectives": ["researcher"]},
                    "charter": {"quorum": 0.6},
                }
            ]
        },
    )
    title: Name
    founder: FounderIn
    charter: CharterIn | None = None


class ProjectCreated(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "8ecbaf48-f69e-4b08-aa1e-4251357d12dc",
                    "founder_member_id": "b75f0170-4228-4377-9a4b-d340cae2c41f",
                    "founder_token": "cgv_…",
                    "position": 2,
                }
            ]
        }
    )

    id: str
    founder_member_id: str
    founder_token: str = Field(description="shown once; only its hash is kept")
    position: int


class MemberIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"display_name": "Carla Mendes", "perspectives": ["public", "researcher"]}]
        },
    )
    display_name: Name
    perspectives: list[Name] = Field(min_length=1, max_length=10)


class MemberCreated(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "member_id": "196d3fc3-3fef-4379-b306-bb591af9e4f7",
                    "token": "cgv_…",
                    "position": 4,
                }
            ]
        }
    )

    member_id: str
    token: str = Field(description="shown once; only its hash is kept")
    position: int


class TokenOut(BaseModel):
    token: str = Field(description="shown once; the holder's previous token is revoked")
    position: int


class RoleIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Public Contributor Lead",
                    "responsibilities": "Leads public involvement",
                    "leadership": True,
                    "areas": [],
                }
            ]
        },
    )
    name: Name
    responsibilities: str = Field("", max_length=MAX_RESPONSIBILITIES)
    leadership: Flag = False
    areas: list[Name] = Field(default_factory=list, max_length=20)


class HolderIn(Body):
    member_id: MemberId


class PerspectivesIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"perspectives": ["public", "practitioner"]}]},
    )
    perspectives: list[Name] = Field(min_length=1, max_length=10)


class NameIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"shown_as": "pen_name", "pen_name": "Wren"}]},
    )
    shown_as: ShownAs = Field(description="how the member is shown wherever cogov names them")
    full_name: Name | None = Field(None, description="correct the full name kept on file")
    pen_name: Name | None = Field(None, description="needed when shown_as is pen_name")


class NameOut(BaseModel):
    member_id: str
    display_name: str = Field(description="the name shown from now on")


class MeOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "member",
                    "member_id": "b75f0170-4228-4377-9a4b-d340cae2c41f",
                    "project_id": "8ecbaf48-f69e-4b08-aa1e-4251357d12dc",
                    "display_name": "Dr Amara Okafor",
                    "expires_at": None,
                }
            ]
        }
    )
    kind: str = Field(description="`admin`, `member` or `auditor`")
    member_id: str | None = Field(None, description="a member token's member")
    auditor_id: str | None = Field(None, description="an auditor token's auditor")
    project_id: str | None = None
    display_name: str | None = None
    expires_at: str | None = Field(None, description="when an auditor's access ends")


class DirectDecisionIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Recruit through two more GP surgeries",
                    "text": "Recruitment is behind; we add two surgeries in the same area.",
                    "area": "recruitment",
                    "key": False,
                }
            ]
        },
    )
    title: Name
    text: Text
    area: Name
    key: Flag = False


class DirectDecisionCreated(BaseModel):
    decision_id: str
    position: int


class Position(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"position": 6}]})

    position: int = Field(description="the command's last event in the event sequence")


class ProposalIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Ben leads public involvement",
                    "text": "Ben becomes Public Contributor Lead.",
                    "area": "governance",
                    "key": True,
                    "actions": [
                        {
                            "type": "assign_role",
                            "role": "Public Contributor Lead",
                            "member_id": "5b0c...",
                        }
                    ],
                }
            ]
        },
    )
    title: Name
    text: Text
    area: Name
    key: Flag = False
    actions: list[Action] = Field(
        default_factory=list,
        max_length=20,
        description="what takes effect if the proposal is adopted (docs/api.md, section 11)",
    )
    closes_at: Instant | None = Field(None, description="default: the charter's window")


class ProposalCreated(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": "6df0dda9-1d2d-48a1-9597-950dd7d4cb36", "position": 5}]
        }
    )

    id: str
    position: int


class ResponseIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"stance": "consent"},
                {"stance": "object", "reason": "Leaves out people too fatigued to work"},
            ]
        },
    )
    stance: Stance
    reason: Reason | None = None
    on_behalf_of: MemberId | None = Field(
        None, description="respond as the proxy this elector appointed (POST .../proxies)"
    )


class ProxyIn(Body):
    member_id: MemberId = Field(description="a fellow elector")


class AmendmentIn(Body):
    text: Text


class WithdrawalIn(Body):
    reason: Reason | None = None


class CommentIn(Body):
    text: Text


class ClosureOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"position": 9, "outcome": "adopted"}]}
    )

    position: int
    outcome: str


class AuditorIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "North West Research Ethics Committee",
                    "expires_at": "2027-06-30T00:00:00Z",
                }
            ]
        },
    )
    name: Name
    expires_at: Instant


class AuditorCreated(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "auditor_id": "6d3e6721-976b-485a-a315-38a4ae175e0e",
                    "token": "cgv_…",
                    "position": 11,
                }
            ]
        }
    )

    auditor_id: str
    token: str = Field(description="read-only, this project only, until expires_at")
    position: int


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "/problems/invalid_input",
                    "title": "Invalid input",
                    "status": 422,
                    "detail": "an objection needs a reason",
                }
            ]
        }
    )

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


class ConsistencyOut(BaseModel):
    """The contract names the sizes `from` and `to`."""

    model_config = ConfigDict(populate_by_name=True)

    from_: int = Field(alias="from")
    to: int
    proof: list[str] = Field(description="base64 SHA-256 hashes, in RFC 6962 SUBPROOF order")


# --- the co-production log ---------------------------------------------------------------

Stanza = Annotated[str, Field(min_length=1, max_length=MAX_REASON)]  # one reason's length
Amount = Annotated[int, Field(strict=True, ge=0, le=2**53 - 1, description="minor units")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, e.g. GBP")]


class ReflectionIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "scope": "team",
                    "stage": "design",
                    "themes": ["power", "inclusion"],
                    "text": "Public contributors led the choice of outcome measures.",
                }
            ]
        },
    )
    scope: ReflectionScope
    stage: Stage | None = Field(None, description="default: the project's current stage")
    themes: list[Name] = Field(default_factory=list, max_length=20)
    text: Text


class RecognitionIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "member_id": "196d3fc3-3fef-4379-b306-bb591af9e4f7",
                    "kind": "payment_paid",
                    "amount_minor": 7500,
                    "currency": "GBP",
                    "activity": "Design workshop",
                }
            ]
        },
    )
    member_id: MemberId
    kind: RecognitionKind
    amount_minor: Amount | None = None
    currency: Currency | None = None
    activity: Name | None = None
    note: Reason | None = Field(None, description="never needed, a declined payment included")


class SupportIn(Body):
    member_id: MemberId
    kind: SupportKind
    text: Text


class DialogueIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "workshop",
                    "held_at": "2026-03-02T14:00:00Z",
                    "attendees": ["196d3fc3-3fef-4379-b306-bb591af9e4f7"],
                    "summary": "We mapped who is missing from the advisory group.",
                }
            ]
        },
    )
    kind: DialogueKind
    held_at: Instant
    attendees: list[MemberId] = Field(min_length=1, max_length=500)
    summary: Text


class EthicsIssueIn(Body):
    title: Name
    text: Text
    stage: Stage | None = None


class EthicsIssueCreated(BaseModel):
    issue_id: str
    position: int


class ResolutionIn(Body):
    how: Text


class EthicsReviewIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "committee": "North West Research Ethics Committee",
                    "reference": "26/NW/0042",
                    "outcome": "favourable_with_conditions",
                    "decided_on": "2026-05-14",
                }
            ]
        },
    )
    committee: Name
    reference: Name
    outcome: EthicsOutcome
    decided_on: Day


class InterestIn(Body):
    member_id: MemberId | None = Field(None, description="default: your own")
    text: Text


class ImpactIn(Body):
    kind: ImpactKind
    text: Text
    evidence: Text | None = None


class JustificationIn(Body):
    stage: Stage
    reason: Stanza
