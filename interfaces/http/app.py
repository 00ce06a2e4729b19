"""The HTTP API (docs/api.md), assembled: the routes live in `routes/`, one
router per resource, and what they share in `dependencies`. Endpoints are plain `def`:
the library is sync."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from cogov.application import Governance
from cogov.infrastructure import open_governance
from cogov.infrastructure.config import Settings
from cogov.interfaces.http import problems, schemas
from cogov.interfaces.http.access_log import AccessLogging
from cogov.interfaces.http.limits import BodySizeLimit
from cogov.interfaces.http.links import operation_id
from cogov.interfaces.http.requests import CanonicalIds, HeadAsGet
from cogov.interfaces.http.routes import (
    access_log,
    accountability,
    audit_pack,
    auditors,
    dashboard,
    decisions,
    direct_decisions,
    docs,
    health,
    journal,
    log,
    me,
    members,
    power,
    projects,
    proposals,
    report,
    roles,
    scorecard,
    stream,
    trail,
)
from cogov.interfaces.http.routes.stream import StreamSettings

PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": description,
        "content": {problems.MEDIA_TYPE: {"schema": schemas.Problem.model_json_schema()}},
    }
    for status, description in {
        401: "no token, or an unknown, revoked or expired one",
        403: "the charter or the token's kind does not allow it",
        404: "no such resource in the caller's project",
        409: "conflicts with the current state",
        413: "request body too large",
        422: "invalid input (which field, which rule)",
        400: "malformed JSON",
        405: "method not allowed",
        503: "the views could not catch up in time, or the store is unreachable",
    }.items()
}


def create_app(
    gov: Governance,
    *,
    admin_token: str | None = None,
    max_body_bytes: int = 64 * 1024,
    follow: bool = True,
    owns_governance: bool = False,
    keep_deadlines: float | None = None,
    streams: StreamSettings | None = None,
    owns_process: bool = False,
) -> FastAPI:
    """The app over `gov`; with `keep_deadlines`, proposals close by themselves within that
    many seconds of their deadline. `streams` sets how event streams run (how long each
    lasts at most, how often it reads the trail). `owns_process`: the app is the process's
    only tenant (`cogov serve`), so it may tune the process's garbage collector."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if follow:
            gov.follow()
        if keep_deadlines is not None:
            gov.keep_deadlines(keep_deadlines)
        if owns_process:
            # Everything made so far (modules, routes, schemas) lives as long as the process:
            # out of the collector's reach, a full collection no longer pauses a request for
            # tens of milliseconds scanning it (p99 of a decisions page 48 -> 7 ms).
            gc.collect()
            gc.freeze()
        yield
        gov.deadlines.stop()
        if owns_governance:
            gov.close()

    app = FastAPI(
        title="cogov",
        version="0.1.0",
        description="Event-sourced decision governance for co-produced research: proposals, "
        "responses, roles and power shifts as immutable events, with read models that audit "
        "joint ownership of key decisions and replay how power was distributed.",
        lifespan=lifespan,
        responses=PROBLEMS,
        generate_unique_id_function=operation_id,
        docs_url=None,  # served by routes/docs.py from the package, not from a CDN
        redoc_url=None,
    )
    problems.install(app)
    app.add_middleware(AccessLogging)  # innermost: sees each answer's status before it goes
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_middleware(CanonicalIds)
    app.add_middleware(HeadAsGet)

    app.state.governance = gov
    app.state.admin_token = admin_token
    app.state.stream = streams or StreamSettings()

    # FastAPI tries each router's routes in turn, every request paying for every route
    # before its own (tens of microseconds for the tenth router); no two routes answer the
    # same request (tests/unit/test_routes.py), so the busiest come first
    app.include_router(health.router)
    app.include_router(power.router)
    app.include_router(decisions.router)
    app.include_router(proposals.router)
    app.include_router(me.router)
    app.include_router(projects.router)
    app.include_router(members.router)
    app.include_router(auditors.router)
    app.include_router(roles.router)
    app.include_router(direct_decisions.router)
    app.include_router(scorecard.router)
    app.include_router(audit_pack.router)
    app.include_router(report.router)
    app.include_router(trail.router)
    app.include_router(stream.router)
    app.include_router(journal.router)
    app.include_router(access_log.router)
    app.include_router(log.router)
    app.include_router(accountability.router)
    app.include_router(dashboard.router)
    docs.install(app)
    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory cogov.interfaces.http.app:app_from_env` (one app per worker)."""
    settings = Settings.from_env(os.environ)
    gov = open_governance(settings.database_url)
    return create_app(
        gov,
        admin_token=settings.admin_token,
        max_body_bytes=settings.max_body_bytes,
        owns_governance=True,
        keep_deadlines=1.0,
        owns_process=True,
    )
