"""Decisions an area holder takes alone, where a delegation or the charter allows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cogov.interfaces.http import schemas
from cogov.interfaces.http.dependencies import Cmd
from cogov.interfaces.http.idempotency import Outcome

router = APIRouter(tags=["decisions"])


@router.post(
    "/projects/{pid}/direct-decisions",
    status_code=201,
    response_model=schemas.DirectDecisionCreated,
)
def record_decision(pid: str, body: schemas.DirectDecisionIn, command: Cmd) -> JSONResponse:
    """Record a decision taken alone by a holder of its decision area. The decision log
    shows it; a key one fails joint ownership with `not_by_proposal`."""
    actor = command.member_of(pid)

    def reply(decided: Mapping[str, Any]) -> Outcome:
        return 201, {"decision_id": decided["decision_id"], "position": decided["position"]}

    return command.run(
        body,
        lambda: command.gov.record_decision(
            pid, title=body.title, text=body.text, area=body.area, key=body.key, actor=actor
        ),
        reply,
    )
