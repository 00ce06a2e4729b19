"""`Idempotency-Key` on POSTs: a retried request returns the first response and records
nothing new; the same key with a different request is refused.

The key is recorded in the command's own transaction (cogov.application.once), so after a
crash at any point a retry is answered at once: with the first response if the command
committed, by running it if it did not. A response is rebuilt from what the command
recorded (its position and the ids it created), never stored with a token in it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from fastapi.responses import JSONResponse

from cogov.application.credentials import Principal
from cogov.application.once import AlreadyRecorded, Once, Previous
from cogov.application.records import plain
from cogov.domain import GovernanceError, InvalidInput
from cogov.interfaces.http import problems
from cogov.interfaces.http.problems import IdempotencyConflict, TokenShownOnce

Outcome = tuple[int, dict[str, Any]]
Reply = Callable[[Mapping[str, Any]], Outcome]  # a command's result -> status and body
SECRETS = ("token", "founder_token")  # never kept: a token is shown once
REPLAYABLE_ERRORS = (400, 422)  # refusals of the request itself, the same every time


def result_of(value: object) -> dict[str, Any]:
    """A command's return value as the mapping a reply reads: a position, or a record."""
    if isinstance(value, int):
        return {"position": value}
    if attrs.has(type(value)):
        data: dict[str, Any] = plain(attrs.asdict(value))  # type: ignore[arg-type]
        return data
    raise TypeError(f"unexpected command result {value!r}")  # pragma: no cover


def position(result: Mapping[str, Any]) -> Outcome:
    """The reply of a command that answers with where its last event stands."""
    return 201, {"position": result["position"]}


def scope_of(principal: Principal, route: str, key: str) -> str:
    """A key belongs to one caller and one route."""
    return f"{principal.kind}:{principal.subject}:{route}:{key}"


def run_once(
    once: Once,
    principal: Principal,
    route: str,
    key: str | None,
    payload: Any,
    call: Callable[[], object],
    reply: Reply,
) -> JSONResponse:
    if key is None:
        return _respond(*_attempt(lambda: reply(result_of(call()))))
    if not 1 <= len(key) <= 255:
        raise InvalidInput("Idempotency-Key must be 1 to 255 characters")
    scope = scope_of(principal, route, key)
    fingerprint = hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str).encode()
    ).hexdigest()
    previous = once.previous(scope)
    if previous is not None:
        return _replay(previous, fingerprint, reply)
    try:
        with once.first(scope, fingerprint):
            result = call()
    except AlreadyRecorded:  # a request with the same key committed first
        return _replay(_must(once.previous(scope)), fingerprint, reply)
    except GovernanceError as e:
        status, body = problems.for_error(e)
        if status in REPLAYABLE_ERRORS:
            once.refused(scope, fingerprint, status, body)
        elif (previous := once.previous(scope)) is not None:
            return _replay(previous, fingerprint, reply)  # refused because the first committed
        return _respond(status, body)
    return _respond(*reply(result_of(result)))


def _must(previous: Previous | None) -> Previous:
    if previous is None:  # pragma: no cover (the key's row was just seen)
        raise AssertionError("an idempotency key vanished")
    return previous


def _replay(previous: Previous, fingerprint: str, reply: Reply) -> JSONResponse:
    if previous.fingerprint != fingerprint:
        raise IdempotencyConflict(
            "this Idempotency-Key was used with a different request; use a new key"
        )
    if previous.refusal is not None:
        status, problem = previous.refusal
        return _respond(status, dict(problem), replayed=True)
    status, body = reply(previous.result or {})
    if any(k in body and body[k] is None for k in SECRETS):
        shown = {k: v for k, v in body.items() if k not in SECRETS}
        raise TokenShownOnce(
            "the first request with this Idempotency-Key succeeded, and the token it issued "
            "was shown only then; issue a new one with POST "
            "/projects/{pid}/members/{mid}/tokens. First response without the token: "
            + json.dumps(shown)
        )
    return _respond(status, body, replayed=True)


def _attempt(command: Callable[[], Outcome]) -> Outcome:
    try:
        return command()
    except GovernanceError as e:  # a refusal is a response too
        return problems.for_error(e)


def _respond(status: int, body: dict[str, Any], *, replayed: bool = False) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    if status >= 400:
        response = problems.response(status, body)
        response.headers.update(headers)
        return response
    return JSONResponse(body, status_code=status, headers=headers)
