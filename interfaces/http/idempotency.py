"""`Idempotency-Key` on POSTs: a retried request returns the first response and records
nothing new; the same key with a different request is refused."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse

from cogov.application.credentials import Principal
from cogov.application.keyvalue import KeyValues
from cogov.domain import GovernanceError, InvalidInput
from cogov.interfaces.http import problems
from cogov.interfaces.http.problems import IdempotencyConflict, InProgress, TokenShownOnce

NAMESPACE = "idempotency"
Outcome = tuple[int, dict[str, Any]]
SECRETS = ("token", "founder_token")  # never kept: a token is shown once
REPLAYABLE_ERRORS = (400, 422)  # refusals of the request itself, the same every time
LEASE_SECONDS = 120.0  # a first request not finished by then is taken to have died


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
    pending = {"fingerprint": fingerprint, "state": "pending", "started": time.time()}
    while not records.add(NAMESPACE, scope, pending):
        first = records.get(NAMESPACE, scope)
        if first is None:
            continue  # it was just released: try to take the key again
        if first.get("fingerprint") != fingerprint:
            raise IdempotencyConflict(
                "this Idempotency-Key was used with a different request; use a new key"
            )
        if first.get("state") == "done":
            return _replay(first)
        if time.time() - float(first.get("started", 0)) < LEASE_SECONDS:
            raise InProgress("the first request with this Idempotency-Key has not finished")
        records.delete(NAMESPACE, scope)  # its process died: this retry takes over
    try:
        status, body = _attempt(command)
    except BaseException:
        records.delete(NAMESPACE, scope)  # failed outright: the client may retry
        raise
    if status < 300 or status in REPLAYABLE_ERRORS:
        kept = {k: ("<shown once>" if k in SECRETS else v) for k, v in body.items()}
        records.put(
            NAMESPACE,
            scope,
            {
                "fingerprint": fingerprint,
                "state": "done",
                "status": status,
                "body": kept,
                "secret": kept != body,
            },
        )
    else:  # a refusal that may not hold later (not due yet, a conflict): let a retry run
        records.delete(NAMESPACE, scope)
    return _respond(status, body)


def _replay(first: dict[str, Any]) -> JSONResponse:
    if first.get("secret"):
        raise TokenShownOnce(
            "the first request with this Idempotency-Key succeeded, and the token it issued "
            "was shown only then; issue a new one with POST "
            "/projects/{pid}/members/{mid}/tokens. First response without the token: "
            + json.dumps(first["body"])
        )
    return _respond(first["status"], first["body"], replayed=True)


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
