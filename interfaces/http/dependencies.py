"""What every route is given rather than closing over: the `Governance` application, the
caller, the shared parameters (Idempotency-Key, `after`), and the helpers routes share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cogov.application import Governance
from cogov.application.credentials import Principal
from cogov.domain import NotFound
from cogov.interfaces.http.access import authenticate, may_read
from cogov.interfaces.http.idempotency import Outcome, run_once

bearer = HTTPBearer(auto_error=False, description="a member, auditor or admin token")


def governance(request: Request) -> Governance:
    """The application the app was created with (`create_app` sets it on `app.state`)."""
    gov: Governance = request.app.state.governance
    return gov


Gov = Annotated[Governance, Depends(governance)]


def caller(
    request: Request,
    gov: Gov,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The principal a request acts as (401 if none)."""
    header = f"Bearer {credentials.credentials}" if credentials else None
    return authenticate(gov, request.app.state.admin_token, header)


Caller = Annotated[Principal, Depends(caller)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="repeat a POST safely: the first response is returned, nothing new recorded",
    ),
]
After = Annotated[
    int | None,
    Query(ge=0, description="wait (bounded) until the views include this event position"),
]


def once(
    gov: Governance,
    request: Request,
    principal: Principal,
    key: str | None,
    body: Any,
    command: Callable[[], Outcome],
) -> JSONResponse:
    """Run a command once per Idempotency-Key (every time without one)."""
    payload = body.model_dump(mode="json") if hasattr(body, "model_dump") else body
    return run_once(gov.records, principal, request.url.path, key, payload, command)


def proposal_project(gov: Governance, principal: Principal, proposal_id: str) -> str:
    """The proposal's project, if the caller may see it; else the proposal is unknown."""
    project_id = str(gov.proposal(proposal_id).project_id)
    try:
        may_read(principal, project_id)
    except NotFound:
        raise NotFound(f"no proposal with id {proposal_id}") from None
    return project_id


def page_link(request: Request, items: list[Any], limit: int, **cursor: Any) -> str | None:
    """The `next` link of a page: this request with the cursor moved, if the page is full."""
    if len(items) < limit:
        return None
    return str(request.url.include_query_params(**cursor))
