"""Commands run once per idempotency key: a retry gets the first outcome, nothing recorded
again.

The key's row commits in the command's own transaction (beside.py), so a crash leaves
either both or neither, and a retry after any crash is answered at once from what was
recorded. Two first requests racing with one key both run; the one that commits second
fails on the key and is answered with the first one's outcome.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from cogov.application.beside import COMMANDS, IDEMPOTENCY
from cogov.application.keyvalue import KeyValues

# (scope, fingerprint) of the request the running command serves, if it has a key
current: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "cogov_idempotency", default=None
)


class AlreadyRecorded(Exception):
    """Another request with the same key recorded its command first."""


@attrs.frozen
class Previous:
    """What the first request with a key left: the command's result, or a refusal."""

    fingerprint: str
    result: Mapping[str, Any] | None = None  # {"position", and the ids it created}
    command: str | None = None  # the command that recorded the result
    refusal: tuple[int, Mapping[str, Any]] | None = None  # (status, problem body)


class Once:
    def __init__(self, records: KeyValues) -> None:
        self.records = records

    def previous(self, scope: str) -> Previous | None:
        first = self.records.get(IDEMPOTENCY, scope)
        if first is None:
            return None
        if "command" in first:
            result = self.records.get(COMMANDS, first["command"])
            return Previous(first["fingerprint"], result=result or {}, command=first["command"])
        return Previous(first["fingerprint"], refusal=(first["status"], first["body"]))

    @contextlib.contextmanager
    def first(self, scope: str, fingerprint: str) -> Iterator[None]:
        """Commands run inside record this key with their events."""
        token = current.set((scope, fingerprint))
        try:
            yield
        finally:
            current.reset(token)

    def refused(self, scope: str, fingerprint: str, status: int, body: Mapping[str, Any]) -> None:
        """Keep a refusal of the request itself (it recorded nothing), to replay it."""
        self.records.add(
            IDEMPOTENCY, scope, {"fingerprint": fingerprint, "status": status, "body": dict(body)}
        )
