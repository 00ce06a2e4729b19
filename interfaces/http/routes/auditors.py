"""Read-only, expiring access for an ethics committee or funder."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from cogov.interfaces.http import schemas
from cogov.interfaces.http.access import steward
from cogov.interfaces.http.dependencies import Caller, Gov, IdempotencyKey, once
from cogov.interfaces.http.idempotency import Outcome

router = APIRouter(tags=["audit"])


@router.post("/projects/{pid}/auditors", status_code=201, response_model=schemas.AuditorCreated)
def add_auditor(
    pid: str,
    body: schemas.AuditorIn,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Read-only access to this project for an ethics committee or funder, until expiry."""
    actor = steward(principal, pid)

    def command() -> Outcome:
        issued = gov.add_auditor(pid, name=body.name, expires_at=body.expires_at, actor=actor)
        return 201, {
            "auditor_id": issued.holder,
            "token": issued.token,
            "position": issued.position,
        }

    return once(gov, request, principal, key, body, command)
