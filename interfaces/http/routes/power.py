"""How power was distributed: at a moment or in a stage, and every shift over time."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from cogov.application.views import PowerRow
from cogov.domain import Stage
from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import (
    After,
    Caller,
    Cursor,
    Gov,
    page_link,
    short_read,
    stored_page,
)
from cogov.interfaces.http.fields import AsOf

router = APIRouter(tags=["audit"])


@router.get("/projects/{pid}/power", response_model=read_shapes.PowerNowOut)
@short_read()
def power(
    pid: str,
    caller: Caller,
    gov: Gov,
    as_of: AsOf = None,
    stage: Stage | None = None,
    after: After = None,
) -> Any:
    may_read(caller.principal, pid)
    # the row as the projection stored it (PowerRow.to_dict, which the read shape encodes
    # field for field), with the names beside it: serialised once, when it was stored
    body, names = gov.shown_power(pid, as_of=as_of, stage=stage, after=after)
    return Response(
        body[:-1] + ',"names":' + json.dumps(names, separators=(",", ":")) + "}",
        media_type="application/json",
    )


@router.get("/projects/{pid}/power/timeline", response_model=read_shapes.PowerPage)
@short_read()
def power_timeline(
    pid: str,
    request: Request,
    caller: Caller,
    gov: Gov,
    cursor: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    after: After = None,
) -> Any:
    may_read(caller.principal, pid)
    # the rows as stored, passed on (see `power`); only whom they show is read from them
    rows = gov.stored_power_timeline(pid, after_position=cursor, limit=limit, after=after)
    link = page_link(request, rows, limit, cursor=rows[-1][0] if rows else cursor)
    names = gov.names(m for _, body in rows for m in PowerRow.members_in(body))
    return stored_page((body for _, body in rows), link, names)
