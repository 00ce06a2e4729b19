"""Liveness and readiness probes: no token needed, for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cogov.interfaces.http import problems
from cogov.interfaces.http.dependencies import Gov

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="the process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="the store is reachable")
def readyz(gov: Gov) -> JSONResponse:
    try:
        position = gov.max_position()
    except Exception:  # any store failure means not ready; details stay in the log
        problems.log.exception("readiness check failed")
        body = problems.problem_body(
            503, "Store unreachable", "the store did not answer", "not_ready"
        )
        return problems.response(503, body)
    return JSONResponse({"status": "ok", "position": position})
