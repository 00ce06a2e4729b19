"""Changing the key a store is encrypted with: every event, in order, and every record are
copied into a new, empty store under the new key (or none), and its views rebuilt.

A store cannot change its key in place: eventsourcing's cipher knows one key. The copy keeps
each event's aggregate, version, time and data, and the order of the events; positions are
numbered afresh in the new store (PostgreSQL may have left gaps in the old one), and the
records that name a position (each command's row) are renumbered with them.
"""

from __future__ import annotations

from collections.abc import Callable

from cogov.application import Governance
from cogov.application.beside import COMMANDS
from cogov.infrastructure.config import ConfigurationError

Progress = Callable[[int, int], None]  # (events copied, events in all)
BATCH = 500


def copy_store(source: Governance, target: Governance, progress: Progress | None = None) -> int:
    """Copy `source` into the empty `target`; returns the number of events copied."""
    if target.max_position() != 0:
        raise ConfigurationError("the new store must be empty")
    total = source.max_position()
    renumbered: dict[int, int] = {}
    position = 0
    while batch := source.recorder.select_notifications(
        start=position, limit=BATCH, inclusive_of_start=False
    ):
        stored = [target.mapper.to_stored_event(source.mapper.to_domain_event(n)) for n in batch]
        ids = target.recorder.insert_events(stored) or []
        renumbered.update(zip((int(n.id) for n in batch), ids, strict=True))
        position = int(batch[-1].id)
        if progress is not None:
            progress(position, total)
    for namespace, key, value in source.records.items():
        if namespace == COMMANDS and "position" in value:
            target.records.put(
                namespace, key, {**value, "position": renumbered[int(value["position"])]}
            )
        else:
            target.records.put(namespace, key, value)
    target.rebuild_views()
    return len(renumbered)
