"""Proposals and everything done to one: tabling, responses, proxies, amendments,
withdrawal, dialogue and closure. Every act on a proposal is a POST under it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cogov.application import Governance
from cogov.application.credentials import Principal
from cogov.application.records import plain
from cogov.interfaces.http import read_shapes, schemas
from cogov.interfaces.http.access import acting_member
from cogov.interfaces.http.dependencies import (
    Caller,
    Gov,
    IdempotencyKey,
    once,
    proposal_project,
)
from cogov.interfaces.http.idempotency import Outcome

router = APIRouter(tags=["proposals"])


def on_proposal(
    gov: Governance,
    proposal_id: str,
    request: Request,
    principal: Principal,
    key: str | None,
    body: Any,
    run: Callable[[str], int],
) -> JSONResponse:
    """Run `run(actor)` as the calling member of the proposal's project; 201 and position."""
    actor = acting_member(principal, proposal_project(gov, principal, proposal_id))
    return once(gov, request, principal, key, body, lambda: (201, {"position": run(actor)}))


@router.post("/projects/{pid}/proposals", status_code=201, response_model=schemas.ProposalCreated)
def table_proposal(
    pid: str,
    body: schemas.ProposalIn,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: IdempotencyKey = None,
) -> JSONResponse:
    actor = acting_member(principal, pid)

    def command() -> Outcome:
        tabled = gov.table_proposal(
            pid,
            title=body.title,
            text=body.text,
            area=body.area,
            key=body.key,
            actions=body.actions,
            closes_at=body.closes_at,
            actor=actor,
        )
        return 201, {"id": str(tabled.proposal_id), "position": tabled.position}

    return once(gov, request, principal, key, body, command)


@router.get("/proposals/{proposal_id}", response_model=read_shapes.ProposalOut)
def get_proposal(proposal_id: str, principal: Caller, gov: Gov) -> Any:
    proposal_project(gov, principal, proposal_id)
    return plain(attrs.asdict(gov.proposal(proposal_id)))


@router.post("/proposals/{proposal_id}/responses", status_code=201, response_model=schemas.Position)
def respond(
    proposal_id: str,
    body: schemas.ResponseIn,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Consent, object (with a reason), abstain or stand aside; changeable until closing.
    `on_behalf_of` casts it as proxy for a fellow elector (recorded as `cast_by`)."""
    return on_proposal(
        gov,
        proposal_id,
        request,
        principal,
        key,
        body,
        lambda actor: gov.respond(
            proposal_id,
            stance=body.stance,
            reason=body.reason,
            actor=actor,
            member_id=body.on_behalf_of,
        ),
    )


@router.post("/proposals/{proposal_id}/proxies", status_code=201, response_model=schemas.Position)
def appoint_proxy(
    proposal_id: str,
    body: schemas.ProxyIn,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Name a fellow elector to respond for you on this proposal (`on_behalf_of`); they
    can never replace a stance you gave yourself."""
    return on_proposal(
        gov,
        proposal_id,
        request,
        principal,
        key,
        body,
        lambda actor: gov.appoint_proxy(proposal_id, proxy=body.member_id, actor=actor),
    )


@router.post(
    "/proposals/{proposal_id}/amendments", status_code=201, response_model=schemas.Position
)
def amend(
    proposal_id: str,
    body: schemas.AmendmentIn,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Amend the text (proposer only); consents given before are void."""
    return on_proposal(
        gov,
        proposal_id,
        request,
        principal,
        key,
        body,
        lambda actor: gov.amend_proposal(proposal_id, text=body.text, actor=actor),
    )


@router.post(
    "/proposals/{proposal_id}/withdrawal", status_code=201, response_model=schemas.Position
)
def withdraw(
    proposal_id: str,
    body: schemas.WithdrawalIn,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Withdraw an open proposal (proposer only)."""
    return on_proposal(
        gov,
        proposal_id,
        request,
        principal,
        key,
        body,
        lambda actor: gov.withdraw_proposal(proposal_id, reason=body.reason, actor=actor),
    )


@router.post("/proposals/{proposal_id}/comments", status_code=201, response_model=schemas.Position)
def comment(
    proposal_id: str,
    body: schemas.CommentIn,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Add to the dialogue on a proposal."""
    return on_proposal(
        gov,
        proposal_id,
        request,
        principal,
        key,
        body,
        lambda actor: gov.comment(proposal_id, text=body.text, actor=actor),
    )


@router.post(
    "/proposals/{proposal_id}/objections/withdrawal",
    status_code=201,
    response_model=schemas.Position,
)
def withdraw_objection(
    proposal_id: str, request: Request, principal: Caller, gov: Gov, key: IdempotencyKey = None
) -> JSONResponse:
    """Withdraw your own standing objection."""
    return on_proposal(
        gov,
        proposal_id,
        request,
        principal,
        key,
        {},
        lambda actor: gov.withdraw_objection(proposal_id, actor=actor),
    )


@router.post("/proposals/{proposal_id}/closure", status_code=201, response_model=schemas.ClosureOut)
def close(
    proposal_id: str, request: Request, principal: Caller, gov: Gov, key: IdempotencyKey = None
) -> JSONResponse:
    """Close once every elector has responded, when due, or early by the proposer once
    quorum is met. The outcome is computed by the frozen rules; adopted actions apply."""
    actor = acting_member(principal, proposal_project(gov, principal, proposal_id))

    def command() -> Outcome:
        closed = gov.close_proposal(proposal_id, actor=actor)
        return 201, {"position": closed, "outcome": gov.proposal(proposal_id).outcome}

    return once(gov, request, principal, key, {}, command)
