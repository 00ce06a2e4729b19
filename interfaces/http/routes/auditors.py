"""Read-only, expiring access for an ethics committee or funder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cogov.interfaces.http import schemas
from cogov.interfaces.http.dependencies import Cmd
from cogov.interfaces.http.idempotency import Outcome

router = APIRouter(tags=["audit"])


@router.post("/projects/{pid}/auditors", status_code=201, response_model=schemas.AuditorCreated)
def add_auditor(pid: str, body: schemas.AuditorIn, command: Cmd) -> JSONResponse:
    """Read-only access to this project for an ethics committee or funder, until expiry."""
    actor = command.steward_of(pid)

    def reply(issued: Mapping[str, Any]) -> Outcome:
        return 201, {
            "auditor_id": issued["holder"],
            "token": issued.get("token"),
            "position": issued["position"],
        }

    return command.run(
        body,
        lambda: command.gov.add_auditor(
            pid, name=body.name, expires_at=body.expires_at, actor=actor
        ),
        reply,
    )


@router.delete("/projects/{pid}/auditors/{aid}", response_model=schemas.Position)
def revoke_auditor(pid: str, aid: str, command: Cmd) -> JSONResponse:
    """End an auditor's access now (a Facilitator or the instance admin); their token
    stops working at once."""
    actor = command.steward_of(pid)
    return command.run(
        {},
        lambda: command.gov.revoke_auditor(pid, aid, actor=actor),
        lambda done: (200, {"position": done["position"]}),
    )
