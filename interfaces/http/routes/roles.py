"""Roles: their definitions and holders, defining them, assigning and relinquishing them."""

from __future__ import annotations

from typing import Any

import attrs
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cogov.application.records import plain
from cogov.interfaces.http import read_shapes, schemas
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import Caller, Cmd, Cursor, Gov, Limit, offset_page
from cogov.interfaces.http.links import NEW_ROLE

router = APIRouter(tags=["roles"])


@router.get("/projects/{pid}/roles", response_model=read_shapes.RolePage)
def list_roles(
    pid: str, request: Request, caller: Caller, gov: Gov, limit: Limit = 100, cursor: Cursor = 0
) -> Any:
    """Each role's definition (responsibilities, leadership, decision areas) and holders."""
    may_read(caller.principal, pid)
    roles = gov.roles(pid)
    page = offset_page(request, [plain(attrs.asdict(r)) for r in roles], cursor, limit)
    page["names"] = gov.names(m for r in page["items"] for m in r["holders"])
    return page


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


@router.post(
    "/projects/{pid}/roles/{role}/holders/{mid}/relinquishment",
    status_code=201,
    response_model=schemas.Position,
)
def relinquish_role(pid: str, role: str, mid: str, command: Cmd) -> JSONResponse:
    """A holder gives up their own role; a Facilitator may relieve someone of a role that
    is not a leadership role (a leadership role needs a key proposal)."""
    actor = command.member_of(pid)
    return command.recorded({}, lambda: command.gov.relinquish_role(pid, role, mid, actor=actor))
