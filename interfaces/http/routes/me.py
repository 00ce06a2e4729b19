"""Who a token is: the first thing a client asks after being handed one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from cogov.application.records import utc_iso
from cogov.interfaces.http import schemas
from cogov.interfaces.http.dependencies import Caller, Gov

router = APIRouter(tags=["access"])


@router.get("/me", response_model=schemas.MeOut)
def me(caller: Caller, gov: Gov) -> Any:
    """The caller: the instance admin, or a member or auditor with their project and name."""
    principal = caller.principal
    if principal.kind == "admin":
        return {"kind": "admin"}
    holder = "member_id" if principal.kind == "member" else "auditor_id"
    return {
        "kind": principal.kind,
        holder: principal.subject,
        "project_id": principal.project_id,
        "display_name": gov.display_name(principal.subject),
        "expires_at": utc_iso(principal.expires_at) if principal.expires_at else None,
    }
