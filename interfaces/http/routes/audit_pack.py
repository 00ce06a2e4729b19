"""The audit pack: one zip a research ethics committee can check with no server."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from cogov.application.aggregates import as_uuid
from cogov.application.trail import MAX_POSITION
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import Caller, Gov

router = APIRouter(tags=["audit"])

ZIP: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the audit pack (a zip; its README.txt says how to check each file)",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.get("/projects/{pid}/audit-pack", response_class=Response, responses=ZIP)
def audit_pack(
    pid: str,
    caller: Caller,
    gov: Gov,
    since_size: Annotated[
        int | None,
        Query(
            ge=0,
            le=MAX_POSITION,
            description="the tree size of a checkpoint you kept (from an earlier pack): adds "
            "consistency.json, the proof that today's log extends it",
        ),
    ] = None,
) -> Response:
    """The project's audit pack at a fresh signed checkpoint: events.jsonl (each line a
    leaf of the log), proofs.jsonl (an inclusion proof per line), decisions.csv,
    power_timeline.csv, journal.csv, scorecard.json, checkpoint.txt, key.txt,
    consistency.json (with `since_size`), report.html, report.pdf and README.txt."""
    may_read(caller.principal, pid)
    data = gov.audit_pack(pid, since_size=since_size)
    name = f"cogov-audit-pack-{as_uuid(pid, 'project')}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
