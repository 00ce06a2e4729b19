"""Proposals and everything done to one: tabling, responses, proxies, amendments,
withdrawal, dialogue and closure. Every act on a proposal is a POST under it."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

import attrs
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from cogov.application.records import plain
from cogov.domain import Stage
from cogov.interfaces.http import read_shapes, schemas
from cogov.interfaces.http.access import may_read, reader_of
from cogov.interfaces.http.dependencies import (
    After,
    Caller,
    Cmd,
    Cursor,
    Gov,
    Limit,
    offset_page,
    proposal_project,
)
from cogov.interfaces.http.idempotency import Outcome
from cogov.interfaces.http.links import NEW_PROPOSAL

router = APIRouter(tags=["proposals"])


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@router.post(
    "/projects/{pid}/proposals",
    status_code=201,
    response_model=schemas.ProposalCreated,
    responses=NEW_PROPOSAL,
)
def table_proposal(pid: str, body: schemas.ProposalIn, command: Cmd) -> JSONResponse:
    actor = command.member_of(pid)

    def table() -> object:
        return command.gov.table_proposal(
            pid,
            title=body.title,
            text=body.text,
            area=body.area,
            key=body.key,
            actions=[action.to_action() for action in body.actions],
            closes_at=body.closes_at,
            actor=actor,
        )

    def reply(tabled: Mapping[str, Any]) -> Outcome:
        return 201, {"id": tabled["proposal_id"], "position": tabled["position"]}

    return command.run(body, table, reply)


@router.get("/projects/{pid}/proposals", response_model=read_shapes.ProposalPage)
def list_proposals(
    pid: str,
    request: Request,
    caller: Caller,
    gov: Gov,
    status: Annotated[Status | None, Query(description="open, or closed (any outcome)")] = None,
    stage: Stage | None = None,
    key: bool | None = None,
    limit: Limit = 100,
    cursor: Cursor = 0,
    after: After = None,
) -> Any:
    """The project's proposals, in the order they were tabled, as decision-log rows."""
    may_read(caller.principal, pid)
    rows = gov.proposals(pid, status=status, stage=stage, key=key, after=after)
    page = offset_page(request, [r.to_dict() for r in rows], cursor, limit)
    page["names"] = gov.names(m for r in rows[cursor : cursor + limit] for m in r.named)
    return page


@router.get("/proposals/{proposal_id}", response_model=read_shapes.ProposalOut)
def get_proposal(proposal_id: str, caller: Caller, gov: Gov) -> Any:
    """The whole proposal: each elector's current stance with its reason and who cast it,
    every change of stance with its time, amendments, comments, and whether it is due.
    While its charter hides the results until it closes, a member sees only the stances
    they gave or cast and `response_count`; an auditor or the admin only the count."""
    proposal_project(gov, caller.principal, proposal_id)
    return plain(attrs.asdict(gov.proposal(proposal_id, reader=reader_of(caller.principal))))


@router.post("/proposals/{proposal_id}/responses", status_code=201, response_model=schemas.Position)
def respond(proposal_id: str, body: schemas.ResponseIn, command: Cmd) -> JSONResponse:
    """Consent, object (with a reason), abstain or stand aside; changeable until closing.
    `on_behalf_of` casts it as proxy for a fellow elector (recorded as `cast_by`)."""
    actor = command.member_of_proposal(proposal_id)
    return command.recorded(
        body,
        lambda: command.gov.respond(
            proposal_id,
            stance=body.stance,
            reason=body.reason,
            actor=actor,
            member_id=body.on_behalf_of,
        ),
    )


@router.post("/proposals/{proposal_id}/proxies", status_code=201, response_model=schemas.Position)
def appoint_proxy(proposal_id: str, body: schemas.ProxyIn, command: Cmd) -> JSONResponse:
    """Name a fellow elector to respond for you on this proposal (`on_behalf_of`); they
    can never replace a stance you gave yourself."""
    actor = command.member_of_proposal(proposal_id)
    return command.recorded(
        body, lambda: command.gov.appoint_proxy(proposal_id, proxy=body.member_id, actor=actor)
    )


@router.post(
    "/proposals/{proposal_id}/amendments", status_code=201, response_model=schemas.Position
)
def amend(proposal_id: str, body: schemas.AmendmentIn, command: Cmd) -> JSONResponse:
    """Amend the text (proposer only); consents given before are void."""
    actor = command.member_of_proposal(proposal_id)
    return command.recorded(
        body, lambda: command.gov.amend_proposal(proposal_id, text=body.text, actor=actor)
    )


@router.post(
    "/proposals/{proposal_id}/withdrawal", status_code=201, response_model=schemas.Position
)
def withdraw(proposal_id: str, body: schemas.WithdrawalIn, command: Cmd) -> JSONResponse:
    """Withdraw an open proposal (proposer only)."""
    actor = command.member_of_proposal(proposal_id)
    return command.recorded(
        body, lambda: command.gov.withdraw_proposal(proposal_id, reason=body.reason, actor=actor)
    )


@router.post("/proposals/{proposal_id}/comments", status_code=201, response_model=schemas.Position)
def comment(proposal_id: str, body: schemas.CommentIn, command: Cmd) -> JSONResponse:
    """Add to the dialogue on a proposal."""
    actor = command.member_of_proposal(proposal_id)
    return command.recorded(
        body, lambda: command.gov.comment(proposal_id, text=body.text, actor=actor)
    )


@router.post(
    "/proposals/{proposal_id}/objections/withdrawal",
    status_code=201,
    response_model=schemas.Position,
)
def withdraw_objection(proposal_id: str, command: Cmd) -> JSONResponse:
    """Withdraw your own standing objection."""
    actor = command.member_of_proposal(proposal_id)
    return command.recorded({}, lambda: command.gov.withdraw_objection(proposal_id, actor=actor))


@router.post("/proposals/{proposal_id}/closure", status_code=201, response_model=schemas.ClosureOut)
def close(proposal_id: str, command: Cmd) -> JSONResponse:
    """Close once every elector has responded, when due, or early by the proposer once
    quorum is met. The outcome is computed by the frozen rules; adopted actions apply."""
    actor = command.member_of_proposal(proposal_id)

    def reply(closed: Mapping[str, Any]) -> Outcome:
        # a closed proposal's outcome never changes, so a replay reads the same one
        outcome = command.gov.outcome_of(proposal_id)
        return 201, {"position": closed["position"], "outcome": outcome}

    return command.run({}, lambda: command.gov.close_proposal(proposal_id, actor=actor), reply)
