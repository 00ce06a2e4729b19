"""The team's members: admitting them, listing them, how each is named, their tokens,
perspectives, departure and erasure (documented under the `projects` tag)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cogov.application.credentials import unseal
from cogov.application.records import plain
from cogov.interfaces.http import problems, read_shapes, schemas
from cogov.interfaces.http.access import acting_member, may_read
from cogov.interfaces.http.dependencies import Caller, Cmd, Cursor, Gov, Limit, offset_page
from cogov.interfaces.http.idempotency import Outcome
from cogov.interfaces.http.links import NEW_MEMBER

router = APIRouter(tags=["projects"])


@router.post(
    "/projects/{pid}/members",
    status_code=201,
    response_model=schemas.MemberCreated,
    responses=NEW_MEMBER,
)
def admit_member(pid: str, body: schemas.MemberIn, command: Cmd) -> JSONResponse:
    """Admit a member (a Facilitator acting alone, by default); returns their token once."""
    actor = command.member_of(pid)

    def admit() -> object:
        return command.gov.admit_member(
            pid,
            display_name=body.display_name,
            perspectives=body.perspectives,
            actor=actor,
            with_token=True,
        )

    def reply(admitted: Mapping[str, Any]) -> Outcome:
        return 201, {
            "member_id": admitted["member_id"],
            "token": admitted.get("token"),
            "position": admitted["position"],
        }

    return command.run(body, admit, reply)


@router.post(
    "/projects/{pid}/members/{mid}/tokens", status_code=201, response_model=schemas.TokenOut
)
def renew_token(pid: str, mid: str, command: Cmd) -> JSONResponse:
    """A new token for a member (the member or a Facilitator); the old one is revoked.
    A member renewing their own token who lost the answer repeats the request with the same
    Idempotency-Key and the old token, and gets the new token again."""
    actor = command.steward_of(pid)
    presented = command.presented_token

    def reply(issued: Mapping[str, Any]) -> Outcome:
        token = issued.get("token")
        if token is None and "sealed_token" in issued:
            token = unseal(issued["sealed_token"], presented)
        return 201, {"token": token, "position": issued["position"]}

    return command.run(
        {},
        lambda: command.gov.issue_token(pid, mid, actor=actor, sealed_for=presented),
        reply,
    )


@router.get("/projects/{pid}/members", response_model=read_shapes.MemberPage)
def list_members(
    pid: str, request: Request, caller: Caller, gov: Gov, limit: Limit = 100, cursor: Cursor = 0
) -> Any:
    """Everyone who has been on the team, active or not, each by the name they prefer."""
    may_read(caller.principal, pid)
    members = [plain(attrs.asdict(m)) for m in gov.members(pid)]
    return offset_page(request, members, cursor, limit)


@router.put("/projects/{pid}/members/{mid}/name", response_model=schemas.NameOut)
def name_member(pid: str, mid: str, body: schemas.NameIn, caller: Caller, gov: Gov) -> Any:
    """Choose how you are shown: full name, initials or a pen name (the member only). Names
    are kept in the erasable directory, never in the event log."""
    actor = acting_member(caller.principal, pid)
    shown = gov.name_member(
        pid,
        mid,
        shown_as=body.shown_as,
        full_name=body.full_name,
        pen_name=body.pen_name,
        actor=actor,
    )
    return {"member_id": mid, "display_name": shown}


@router.delete("/projects/{pid}/members/{mid}/tokens", response_model=schemas.Position)
def revoke_tokens(pid: str, mid: str, command: Cmd) -> JSONResponse:
    """Revoke a member's token without issuing another (the member, a Facilitator or the
    instance admin); a new one can be issued later with POST on the same path."""
    actor = command.steward_of(pid)
    return command.run(
        {},
        lambda: command.gov.revoke_tokens(pid, mid, actor=actor),
        lambda done: (200, {"position": done["position"]}),
    )


@router.post(
    "/projects/{pid}/members/{mid}/perspectives", status_code=201, response_model=schemas.Position
)
def change_perspectives(
    pid: str, mid: str, body: schemas.PerspectivesIn, command: Cmd
) -> JSONResponse:
    """Set a member's perspectives. A member may drop their own; adding one (to anyone)
    needs a role the charter names under `change_perspectives` (a Facilitator, by default)."""
    actor = command.member_of(pid)
    return command.recorded(
        body, lambda: command.gov.change_perspectives(pid, mid, body.perspectives, actor=actor)
    )


@router.post(
    "/projects/{pid}/members/{mid}/departure", status_code=201, response_model=schemas.Position
)
def leave(pid: str, mid: str, command: Cmd) -> JSONResponse:
    """Leave the project (the member themself; no reason needed). Removing someone else
    needs an adopted key proposal with a `remove_member` action."""
    actor = command.member_of(pid)
    if actor != mid:
        raise problems.Forbidden(
            "only a member can record their own departure; to remove another member, "
            "table a key proposal with a remove_member action"
        )
    return command.recorded({}, lambda: command.gov.leave_project(pid, actor=actor))


@router.post(
    "/projects/{pid}/members/{mid}/erasure", status_code=201, response_model=schemas.Position
)
def erase(pid: str, mid: str, command: Cmd) -> JSONResponse:
    """Wipe a member's personal data from the directory (the member or a Facilitator);
    `MemberErased` is recorded without any, and they are shown as "erased member" from
    then on. The audit trail keeps their id and stays verifiable."""
    actor = command.member_of(pid)
    return command.recorded({}, lambda: command.gov.erase_member(pid, mid, actor=actor))
