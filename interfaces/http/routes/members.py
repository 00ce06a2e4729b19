"""Admitting members and renewing their tokens (documented under the `projects` tag)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cogov.application.credentials import unseal
from cogov.interfaces.http import schemas
from cogov.interfaces.http.dependencies import Cmd
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
