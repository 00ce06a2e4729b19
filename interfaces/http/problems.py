"""RFC 9457 problem+json for every failure, with the rule or field that failed."""

from __future__ import annotations

import logging
import re
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from cogov.application import ViewNotCaughtUp, ViewsUnavailable
from cogov.application.store import StoreUnavailable
from cogov.domain import (
    Conflict,
    GovernanceError,
    HiddenUntilClose,
    InvalidInput,
    NotAMember,
    NotAnElector,
    NotAuthorised,
    NotDue,
    NotFound,
    ProposalNotOpen,
)

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("cogov.http")

STATUS: dict[type[GovernanceError], tuple[int, str]] = {
    InvalidInput: (422, "Invalid input"),
    NotFound: (404, "Not found"),
    NotAMember: (403, "Not an active member"),
    NotAnElector: (403, "Not in the proposal's electorate"),
    NotAuthorised: (403, "Not authorised by the charter"),
    ProposalNotOpen: (409, "Proposal not open"),
    NotDue: (409, "Proposal not due to close"),
    Conflict: (409, "Conflicts with the current state"),
    HiddenUntilClose: (409, "Hidden until the proposal closes"),
    ViewNotCaughtUp: (503, "Views still catching up"),
    ViewsUnavailable: (503, "Views unavailable"),
    StoreUnavailable: (503, "Store unavailable"),
}


class Unauthenticated(GovernanceError):
    code = "unauthenticated"


class ReadOnly(GovernanceError):
    code = "read_only"


class Forbidden(GovernanceError):
    code = "forbidden"


class IdempotencyConflict(GovernanceError):
    code = "idempotency_conflict"


class TokenShownOnce(GovernanceError):
    code = "token_shown_once"


STATUS.update(
    {
        Unauthenticated: (401, "Authentication required"),
        ReadOnly: (403, "Read-only access"),
        Forbidden: (403, "Forbidden"),
        IdempotencyConflict: (422, "Idempotency-Key reused with a different request"),
        TokenShownOnce: (409, "Already done; its token is not shown again"),
    }
)


def problem_body(status: int, title: str, detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": f"/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }


def for_error(error: GovernanceError) -> tuple[int, dict[str, Any]]:
    for cls in type(error).__mro__:
        if cls in STATUS:
            status, title = STATUS[cls]
            return status, problem_body(status, title, error.detail, error.code)
    return 400, problem_body(400, "Refused", error.detail, error.code)


RETRY_AFTER = "1"  # seconds: the store is probed four times a second while it is down


def response(status: int, body: dict[str, Any]) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if status == 503:
        headers["Retry-After"] = RETRY_AFTER
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def store_unreachable() -> JSONResponse:
    body = problem_body(
        503,
        "Store unavailable",
        "the store cannot be reached now; nothing was recorded by this request unless a retry "
        "with the same Idempotency-Key says so. Try again shortly",
        StoreUnavailable.code,
    )
    return response(503, body)


def install(app: FastAPI) -> None:
    @app.exception_handler(GovernanceError)
    async def governance_error(_: Request, error: GovernanceError) -> JSONResponse:
        return response(*for_error(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in error.errors()
        ]
        if any(e.get("type") in ("json_invalid", "value_error.jsondecode") for e in error.errors()):
            body = problem_body(
                400,
                "Malformed JSON",
                "the request body is not valid JSON",
                "malformed_json",
                errors=errors,
            )
            return response(400, body)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return response(
            422, problem_body(422, "Invalid request", detail, "invalid_request", errors=errors)
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(psycopg.OperationalError)
    @app.exception_handler(psycopg.InterfaceError)
    async def unreachable(request: Request, error: Exception) -> JSONResponse:
        log.warning("the store failed: %s", error)
        request.app.state.governance.store.failed()
        return store_unreachable()

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        body = problem_body(
            500, "Internal error", "an unexpected error; it has been logged", "internal_error"
        )
        return response(500, body)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        title = {
            400: "Malformed request body",
            404: "Not found",
            405: "Method not allowed",
        }.get(error.status_code, "Error")
        answer = response(
            error.status_code,
            problem_body(error.status_code, title, str(error.detail), f"http_{error.status_code}"),
        )
        answer.headers.update(error.headers or {})
        if error.status_code == 405:  # RFC 9110: Allow names every method of the path
            answer.headers["Allow"] = ", ".join(allowed_methods(request))
        return answer


def allowed_methods(request: Request) -> list[str]:
    """Every method the API documents at this path (HEAD wherever GET is). Starlette names
    only those of the first route that matches, though GET and POST on one path are
    separate routes."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}/]+\}", "[^/]+", template), request.url.path):
            methods |= {m.upper() for m in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)
