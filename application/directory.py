"""The erasable member directory: personal data kept out of the immutable event log."""

from __future__ import annotations

import threading
from typing import Protocol

import attrs


@attrs.frozen
class DirectoryEntry:
    display_name: str
    pen_name: str | None = None

    @property
    def shown_name(self) -> str:
        """The name the member chose to be shown by (a pen name, if they gave one)."""
        return self.pen_name or self.display_name


class MemberDirectory(Protocol):
    def put(self, member_id: str, entry: DirectoryEntry) -> None: ...

    def get(self, member_id: str) -> DirectoryEntry | None: ...

    def erase(self, member_id: str) -> None: ...


class InMemoryMemberDirectory:
    def __init__(self) -> None:
        self._entries: dict[str, DirectoryEntry] = {}
        self._lock = threading.Lock()

    def put(self, member_id: str, entry: DirectoryEntry) -> None:
        with self._lock:
            self._entries[member_id] = entry

    def get(self, member_id: str) -> DirectoryEntry | None:
        return self._entries.get(member_id)

    def erase(self, member_id: str) -> None:
        with self._lock:
            self._entries.pop(member_id, None)
