"""Defining roles and assigning them to members."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cogov.interfaces.http import schemas
from cogov.interfaces.http.dependencies import Cmd
from cogov.interfaces.http.links import NEW_ROLE

router = APIRouter(tags=["roles"])


@router.post(
    "/projects/{pid}/roles", status_code=201, response_model=schemas.Position, responses=NEW_ROLE
)
def define_role(pid: str, body: schemas.RoleIn, command: Cmd) -> JSONResponse:
    actor = command.member_of(pid)
    return command.recorded(
        body,
        lambda: command.gov.define_role(
            pid,
            name=body.name,
            responsibilities=body.responsibilities,
            leadership=body.leadership,
            areas=body.areas,
            actor=actor,
        ),
    )


@router.post(
    "/projects/{pid}/roles/{role}/holders", status_code=201, response_model=schemas.Position
)
def assign_role(pid: str, role: str, body: schemas.HolderIn, command: Cmd) -> JSONResponse:
    """Assign a role that is not a leadership role (leadership needs a key proposal)."""
    actor = command.member_of(pid)
    return command.recorded(
        body, lambda: command.gov.assign_role(pid, role, body.member_id, actor=actor)
    )
