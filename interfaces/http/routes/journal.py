"""The co-production log: what a team records beyond its decisions (reflections, dialogue,
recognition and payment, support, ethics, interests, impact, justified gaps). Members write
as themselves; a Facilitator may record for another member; auditors read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from cogov.domain import Stage
from cogov.interfaces.http import read_shapes, schemas
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import (
    After,
    Caller,
    Cmd,
    Cursor,
    Gov,
    Limit,
    offset_page,
)
from cogov.interfaces.http.idempotency import Outcome

router = APIRouter(tags=["journal"])


@router.post(
    "/projects/{pid}/journal/reflections", status_code=201, response_model=schemas.Position
)
def record_reflection(pid: str, body: schemas.ReflectionIn, command: Cmd) -> JSONResponse:
    """An individual or team reflection on a stage (default: the current one)."""
    actor = command.member_of(pid)
    return command.recorded(
        body,
        lambda: command.gov.record_reflection(
            pid,
            scope=body.scope,
            text=body.text,
            themes=body.themes,
            stage=body.stage,
            actor=actor,
        ),
    )


@router.post(
    "/projects/{pid}/journal/recognitions", status_code=201, response_model=schemas.Position
)
def record_recognition(pid: str, body: schemas.RecognitionIn, command: Cmd) -> JSONResponse:
    """Payment offered, declined (no reason needed), claimed or paid; expenses; training;
    co-authorship; acknowledgement. Amounts in minor units with their currency."""
    actor = command.member_of(pid)
    return command.recorded(
        body,
        lambda: command.gov.record_recognition(
            pid,
            member_id=body.member_id,
            kind=body.kind,
            amount_minor=body.amount_minor,
            currency=body.currency,
            activity=body.activity,
            note=body.note,
            actor=actor,
        ),
    )


@router.post("/projects/{pid}/journal/support", status_code=201, response_model=schemas.Position)
def record_support(pid: str, body: schemas.SupportIn, command: Cmd) -> JSONResponse:
    """Training, an adjustment for access, or mentoring given to a member."""
    actor = command.member_of(pid)
    return command.recorded(
        body,
        lambda: command.gov.record_support(
            pid, member_id=body.member_id, kind=body.kind, text=body.text, actor=actor
        ),
    )


@router.post("/projects/{pid}/journal/dialogue", status_code=201, response_model=schemas.Position)
def record_dialogue(pid: str, body: schemas.DialogueIn, command: Cmd) -> JSONResponse:
    """A meeting, workshop or online session that took place: who attended, a summary."""
    actor = command.member_of(pid)
    return command.recorded(
        body,
        lambda: command.gov.record_dialogue(
            pid,
            kind=body.kind,
            held_at=body.held_at,
            attendees=body.attendees,
            summary=body.summary,
            actor=actor,
        ),
    )


@router.post(
    "/projects/{pid}/journal/ethics-issues",
    status_code=201,
    response_model=schemas.EthicsIssueCreated,
)
def raise_ethics_issue(pid: str, body: schemas.EthicsIssueIn, command: Cmd) -> JSONResponse:
    """An ethical issue; it stays open until resolved."""
    actor = command.member_of(pid)

    def reply(raised: Mapping[str, Any]) -> Outcome:
        return 201, {"issue_id": raised["issue_id"], "position": raised["position"]}

    return command.run(
        body,
        lambda: command.gov.raise_ethics_issue(
            pid, title=body.title, text=body.text, stage=body.stage, actor=actor
        ),
        reply,
    )


@router.post(
    "/projects/{pid}/journal/ethics-issues/{iid}/resolution",
    status_code=201,
    response_model=schemas.Position,
)
def resolve_ethics_issue(
    pid: str, iid: str, body: schemas.ResolutionIn, command: Cmd
) -> JSONResponse:
    """How an open ethical issue was resolved."""
    actor = command.member_of(pid)
    return command.recorded(
        body, lambda: command.gov.resolve_ethics_issue(pid, iid, how=body.how, actor=actor)
    )


@router.post(
    "/projects/{pid}/journal/ethics-reviews", status_code=201, response_model=schemas.Position
)
def record_ethics_review(pid: str, body: schemas.EthicsReviewIn, command: Cmd) -> JSONResponse:
    """A research ethics committee's decision: committee, reference, outcome, date."""
    actor = command.member_of(pid)
    return command.recorded(
        body,
        lambda: command.gov.record_ethics_review(
            pid,
            committee=body.committee,
            reference=body.reference,
            outcome=body.outcome,
            decided_on=body.decided_on,
            actor=actor,
        ),
    )


@router.post("/projects/{pid}/journal/interests", status_code=201, response_model=schemas.Position)
def declare_interest(pid: str, body: schemas.InterestIn, command: Cmd) -> JSONResponse:
    """A declared interest: your own, or one a Facilitator records for a member."""
    actor = command.member_of(pid)
    return command.recorded(
        body,
        lambda: command.gov.declare_interest(
            pid, text=body.text, member_id=body.member_id, actor=actor
        ),
    )


@router.post("/projects/{pid}/journal/impacts", status_code=201, response_model=schemas.Position)
def record_impact(pid: str, body: schemas.ImpactIn, command: Cmd) -> JSONResponse:
    """An impact on research, practice, policy, the community or a person."""
    actor = command.member_of(pid)
    return command.recorded(
        body,
        lambda: command.gov.record_impact(
            pid, kind=body.kind, text=body.text, evidence=body.evidence, actor=actor
        ),
    )


@router.post(
    "/projects/{pid}/journal/involvement-justifications",
    status_code=201,
    response_model=schemas.Position,
)
def justify_involvement(pid: str, body: schemas.JustificationIn, command: Cmd) -> JSONResponse:
    """Why a stage had no public involvement: proportionate, and justified."""
    actor = command.member_of(pid)
    return command.recorded(
        body,
        lambda: command.gov.justify_involvement(
            pid, stage=body.stage, reason=body.reason, actor=actor
        ),
    )


@router.get("/projects/{pid}/journal", response_model=read_shapes.JournalPage)
def journal(
    pid: str,
    request: Request,
    caller: Caller,
    gov: Gov,
    kind: Annotated[str | None, Query(description="e.g. reflection, recognition")] = None,
    stage: Stage | None = None,
    member: Annotated[str | None, Query(description="entries by or about this member")] = None,
    limit: Limit = 100,
    cursor: Cursor = 0,
    after: After = None,
) -> Any:
    """The co-production log, in the order recorded."""
    may_read(caller.principal, pid)
    rows = gov.journal(pid, kind=kind, stage=stage, member=member, after=after)
    page = offset_page(request, [r.to_dict() for r in rows], cursor, limit)
    page["names"] = gov.names(
        person for r in page["items"] for person in (r["actor"], *r["members"])
    )
    return page
