"""The access log: who read a project's data, when, and through which route.

Ethics committees and the team need to see who has read a project, not only who changed
it. Each read by an auditor or the instance admin is one `AccessRecord`, kept beside the
events in a table of its own. It records reads, not events: it is no view, no rebuild
clears it, and nothing in it is ever changed or deleted.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Protocol

import attrs


@attrs.frozen
class AccessRecord:
    """One read: of which project, when (the application's clock), by whom (`kind` and
    `reader_id`: an auditor's id, or `instance-admin`), through which route (its template)
    and path (as requested, with its query string)."""

    project_id: str
    at: datetime
    kind: str
    reader_id: str
    route: str
    path: str


class AccessLog(Protocol):
    def record(self, entry: AccessRecord) -> None:
        """Keep `entry`; raises if the store cannot (a read must not go unrecorded)."""

    def entries(self, project_id: str, offset: int, limit: int) -> list[AccessRecord]:
        """The project's reads in time order (in the order recorded, for equal times)."""
        ...


class InMemoryAccessLog:
    """For the memory store, and for stores without an access log of their own."""

    def __init__(self) -> None:
        self._entries: dict[str, list[AccessRecord]] = {}
        self._lock = threading.Lock()

    def record(self, entry: AccessRecord) -> None:
        with self._lock:
            self._entries.setdefault(entry.project_id, []).append(entry)

    def entries(self, project_id: str, offset: int, limit: int) -> list[AccessRecord]:
        with self._lock:
            recorded = list(self._entries.get(project_id, ()))
        ordered = sorted(recorded, key=lambda e: e.at)  # stable: equal times keep their order
        return ordered[offset : offset + limit]
