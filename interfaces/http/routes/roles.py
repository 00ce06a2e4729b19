"""Defining roles and assigning them to members."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cogov.interfaces.http import schemas
from cogov.interfaces.http.access import acting_member
from cogov.interfaces.http.dependencies import Caller, Gov, IdempotencyKey, once
from cogov.interfaces.http.idempotency import Outcome

router = APIRouter(tags=["roles"])


@router.post("/projects/{pid}/roles", status_code=201, response_model=schemas.Position)
def define_role(
    pid: str,
    body: schemas.RoleIn,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: IdempotencyKey = None,
) -> JSONResponse:
    actor = acting_member(principal, pid)

    def command() -> Outcome:
        position = gov.define_role(
            pid,
            name=body.name,
            responsibilities=body.responsibilities,
            leadership=body.leadership,
            areas=body.areas,
            actor=actor,
        )
        return 201, {"position": position}

    return once(gov, request, principal, key, body, command)


@router.post(
    "/projects/{pid}/roles/{role}/holders", status_code=201, response_model=schemas.Position
)
def assign_role(
    pid: str,
    role: str,
    body: schemas.HolderIn,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Assign a role that is not a leadership role (leadership needs a key proposal)."""
    actor = acting_member(principal, pid)

    def command() -> Outcome:
        return 201, {"position": gov.assign_role(pid, role, body.member_id, actor=actor)}

    return once(gov, request, principal, key, body, command)
