"""Writes that commit with a command's events or not at all.

Beside its events, every command records a row of its own: its id, the position of its
last event and the ids it created. A command whose COMMIT acknowledgement was lost is then
settled by looking that row up, never by running it again. The same transaction writes the
Idempotency-Key that names the command, and the records kept beside the events that the
command changes (token hashes, directory entries), so no fault leaves one without the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from cogov.application.chain import Pending

COMMANDS = "command"  # command id -> {"position": last event, and the ids it created}
IDEMPOTENCY = "idempotency"  # scope -> {"fingerprint", "command"} or a replayable refusal


@attrs.frozen
class Put:
    """Insert or replace a record."""

    namespace: str
    key: str
    value: Mapping[str, Any]


@attrs.frozen
class Add:
    """Insert a record; the whole transaction fails if the key is taken."""

    namespace: str
    key: str
    value: Mapping[str, Any]


@attrs.frozen
class Delete:
    namespace: str
    key: str


Write = Put | Add | Delete


@attrs.frozen
class Beside:
    """What a command writes beside its events, in their transaction."""

    command_id: str
    created: Mapping[str, Any] = attrs.field(factory=dict)
    writes: tuple[Write, ...] = ()
    idempotency: tuple[str, str] | None = None  # (scope, request fingerprint)
    pending: Pending | None = None  # this save, for the saves that build on it (chain.py)
    after: tuple[Pending, ...] = ()  # the saves in flight it builds on: it needs them

    def builds_on_failed(self) -> bool:
        """A save it builds on failed: it must fail too, whatever its versions."""
        return any(p.committed is False for p in self.after)

    def unsettled(self) -> list[str]:
        """The commands whose saves it builds on that are still to commit: in the same
        transaction, ahead of it (a store commits saves in the order they were queued)."""
        return sorted({p.command_id for p in self.after if not p.settled})

    def rows(self, position: int) -> list[Write]:
        """Every write, once `position` (the command's last event) is known."""
        return [self.command_row(position), *self.other_rows()]

    def command_row(self, position: int) -> Add:
        """The command's own row, which settles whether it committed."""
        return Add(COMMANDS, self.command_id, {"position": position, **self.created})

    def other_rows(self) -> list[Write]:
        """Every write but the command's own row: none of them needs the position."""
        rows: list[Write] = list(self.writes)
        if self.idempotency is not None:
            scope, fingerprint = self.idempotency
            rows.append(
                Add(IDEMPOTENCY, scope, {"fingerprint": fingerprint, "command": self.command_id})
            )
        return rows
