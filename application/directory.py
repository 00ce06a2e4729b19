"""The erasable member directory: personal data kept out of the immutable event log."""

from __future__ import annotations

import attrs

from application.keyvalue import KeyValues

NAMESPACE = "directory"


@attrs.frozen
class DirectoryEntry:
    display_name: str
    pen_name: str | None = None

    @property
    def shown_name(self) -> str:
        """The name the member chose to be shown by (a pen name, if they gave one)."""
        return self.pen_name or self.display_name


class MemberDirectory:
    def __init__(self, records: KeyValues) -> None:
        self.records = records

    def put(self, member_id: str, entry: DirectoryEntry) -> None:
        self.records.put(NAMESPACE, member_id, attrs.asdict(entry))

    def get(self, member_id: str) -> DirectoryEntry | None:
        value = self.records.get(NAMESPACE, member_id)
        return DirectoryEntry(**value) if value is not None else None

    def erase(self, member_id: str) -> None:
        self.records.delete(NAMESPACE, member_id)
