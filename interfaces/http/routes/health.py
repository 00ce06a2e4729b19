"""Liveness and readiness probes: no token needed, for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from cogov.interfaces.http import problems
from cogov.interfaces.http.dependencies import Gov

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="the process is up")
async def healthz() -> dict[str, str]:
    """Never touches the store, and runs on the event loop: it answers even while every
    worker thread waits on a store that is down."""
    return {"status": "ok"}


@router.get("/readyz", summary="the store is reachable")
def readyz(gov: Gov) -> JSONResponse:
    """503 at once while the store is known to be down (the Gov dependency), or when it
    does not answer now."""
    try:
        position = gov.max_position()
    except Exception:  # any store failure means not ready; details stay in the log
        problems.log.exception("readiness check failed")
        gov.store.failed()
        return problems.store_unreachable()
    return JSONResponse({"status": "ok", "position": position})
