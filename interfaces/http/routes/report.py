"""The report for a research ethics committee, as an accessible web page or a tagged PDF."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from cogov.application.aggregates import as_uuid
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import Caller, Gov

router = APIRouter(tags=["audit"])

REPORT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the report: HTML, or with format=pdf a tagged PDF",
        "content": {
            "text/html": {"schema": {"type": "string"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
# The page holds no script and loads nothing: say so to the browser as well.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


@router.get("/projects/{pid}/report", response_class=Response, responses=REPORT)
def report(
    pid: str,
    caller: Caller,
    gov: Gov,
    format: Annotated[Literal["html", "pdf"], Query(description="html (default) or pdf")] = "html",
) -> Response:
    """Who was involved and with what lived experience, what they did, how their input
    changed the research, how power moved across stages (charts with their data), key
    decisions not jointly owned and why, the GRIPP2 short form, the UK Standards for Public
    Involvement and the HRA's questions, each statement citing the events behind it."""
    may_read(caller.principal, pid)
    if format == "pdf":
        name = f"cogov-report-{as_uuid(pid, 'project')}.pdf"
        return Response(
            gov.report_pdf(pid),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}"'},
        )
    return Response(
        gov.report(pid),
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff"},
    )
