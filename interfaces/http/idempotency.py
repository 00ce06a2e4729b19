"""`Idempotency-Key` on POSTs: a retried request returns the first response and records
nothing new; the same key with a different request is refused."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse

from application.credentials import Principal
from application.keyvalue import KeyValues
from domain import GovernanceError, InvalidInput
from interfaces.http import problems
from interfaces.http.problems import IdempotencyConflict, InProgress

NAMESPACE = "idempotency"
Outcome = tuple[int, dict[str, Any]]


def run_once(
    records: KeyValues,
    principal: Principal,
    route: str,
    key: str | None,
    payload: Any,
    command: Callable[[], Outcome],
) -> JSONResponse:
    if key is None:
        return _respond(*_attempt(command))
    if not 1 <= len(key) <= 255:
        raise InvalidInput("Idempotency-Key must be 1 to 255 characters")
    scope = f"{principal.kind}:{principal.subject}:{route}:{key}"
    fingerprint = hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str).encode()
    ).hexdigest()
    if not records.add(NAMESPACE, scope, {"fingerprint": fingerprint, "state": "pending"}):
        first = records.get(NAMESPACE, scope) or {}
        if first.get("fingerprint") != fingerprint:
            raise IdempotencyConflict(
                "this Idempotency-Key was used with a different request; use a new key"
            )
        if first.get("state") != "done":
            raise InProgress("the first request with this Idempotency-Key has not finished")
        return _respond(first["status"], first["body"], replayed=True)
    try:
        status, body = _attempt(command)
    except BaseException:
        records.delete(NAMESPACE, scope)  # failed outright: the client may retry
        raise
    records.put(
        NAMESPACE,
        scope,
        {"fingerprint": fingerprint, "state": "done", "status": status, "body": body},
    )
    return _respond(status, body)


def _attempt(command: Callable[[], Outcome]) -> Outcome:
    try:
        return command()
    except GovernanceError as e:  # a refusal is a response too, and replays as one
        return problems.for_error(e)


def _respond(status: int, body: dict[str, Any], *, replayed: bool = False) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    if status >= 400:
        response = problems.response(status, body)
        response.headers.update(headers)
        return response
    return JSONResponse(body, status_code=status, headers=headers)
