"""The audit trail: a project's events, and its proposals', in the order recorded."""

from __future__ import annotations

from typing import Annotated, Any

import attrs
from fastapi import APIRouter, Query, Request

from cogov.application.records import plain
from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import Caller, Cursor, Gov, page_link

router = APIRouter(tags=["audit"])


@router.get("/projects/{pid}/events", response_model=read_shapes.EventPage)
def events(
    pid: str,
    request: Request,
    principal: Caller,
    gov: Gov,
    after: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """The project's audit trail: its own events and its proposals', in order."""
    may_read(principal, pid)
    records = gov.project_events(pid, after=after, limit=limit)
    link = page_link(request, records, limit, after=records[-1].position if records else after)
    return {"items": [plain(attrs.asdict(r)) for r in records], "next": link}
