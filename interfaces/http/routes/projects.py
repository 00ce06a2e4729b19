"""Founding a project and reading it back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cogov.application.records import plain
from cogov.interfaces.http import problems, read_shapes, schemas
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import After, Caller, Cmd, Cursor, Gov, Limit
from cogov.interfaces.http.idempotency import Outcome
from cogov.interfaces.http.links import NEW_PROJECT

router = APIRouter(tags=["projects"])


@router.post(
    "/projects", status_code=201, response_model=schemas.ProjectCreated, responses=NEW_PROJECT
)
def found_project(body: schemas.ProjectIn, command: Cmd) -> JSONResponse:
    """Found a project (instance admin only); the founder holds the Facilitator role."""
    if command.principal.kind != "admin":
        raise problems.Forbidden("only the instance admin may found projects")

    def found() -> object:
        return command.gov.found_project(
            title=body.title,
            founder_name=body.founder.display_name,
            founder_perspectives=body.founder.perspectives,
            charter=body.charter.changes() if body.charter else None,
            with_token=True,
        )

    def reply(founded: Mapping[str, Any]) -> Outcome:
        return 201, {
            "id": founded["project_id"],
            "founder_member_id": founded["founder_id"],
            "founder_token": founded.get("token"),
            "position": founded["position"],
        }

    return command.run(body, found, reply)


@router.get("/projects", response_model=read_shapes.ProjectPage)
def list_projects(
    request: Request,
    caller: Caller,
    gov: Gov,
    limit: Limit = 100,
    cursor: Cursor = 0,
    after: After = None,
) -> Any:
    """The instance admin sees every project; a member or auditor the one they belong to."""
    mine = None if caller.principal.kind == "admin" else [caller.principal.project_id or ""]
    rows = gov.projects(mine, offset=cursor, limit=limit, after=after)
    more = len(rows) == limit and gov.projects(mine, offset=cursor + limit, limit=1)
    link = str(request.url.include_query_params(cursor=cursor + limit)) if more else None
    return {"items": [r.to_dict() for r in rows], "next": link}


@router.get("/projects/{pid}", response_model=read_shapes.ProjectOut)
def get_project(pid: str, caller: Caller, gov: Gov) -> Any:
    may_read(caller.principal, pid)
    return plain(attrs.asdict(gov.project(pid)))
