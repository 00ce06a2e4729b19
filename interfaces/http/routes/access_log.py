"""The access log: who among the auditors and the admin read the project's data, when, and
through which route (recorded by `cogov.interfaces.http.access_log`)."""

from __future__ import annotations

from typing import Any

import attrs
from fastapi import APIRouter, Request

from cogov.application.records import plain
from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import Caller, Cursor, Gov, Limit

router = APIRouter(tags=["audit"])


@router.get("/projects/{pid}/access-log", response_model=read_shapes.AccessLogPage)
def access_log(
    pid: str, request: Request, caller: Caller, gov: Gov, limit: Limit = 100, cursor: Cursor = 0
) -> Any:
    """Every read of this project's data by one of its auditors or the instance admin, in
    time order: when, who (`kind`, `reader_id`), the route and the path requested. Members'
    reads are not logged. Reading this log is itself a read: an auditor's or the admin's is
    logged too. `cursor` is how many entries come before the page."""
    may_read(caller.principal, pid)
    rows = gov.access_log(pid, offset=cursor, limit=limit)
    more = len(rows) == limit and gov.access_log(pid, offset=cursor + limit, limit=1)
    link = str(request.url.include_query_params(cursor=cursor + limit)) if more else None
    items = [{k: v for k, v in plain(attrs.asdict(r)).items() if k != "project_id"} for r in rows]
    return {"items": items, "next": link, "names": gov.names(r.reader_id for r in rows)}
