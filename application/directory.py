"""The erasable member directory: personal data kept out of the immutable event log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import uuid4

import attrs

from cogov.application.beside import Delete, Put, Write
from cogov.application.keyvalue import KeyValues
from cogov.domain import InvalidInput
from cogov.domain.text import clean_name

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

    def entries(self, names: Mapping[str, str]) -> list[Write]:
        """Writes of new entries, to commit with the events that name their members."""
        return [Put(NAMESPACE, m, attrs.asdict(DirectoryEntry(n))) for m, n in names.items()]

    def erasure(self, member_id: str) -> Delete:
        return Delete(NAMESPACE, member_id)

    def unadmitted(
        self, actions: Sequence[Mapping[str, Any]], *, admitted: set[str]
    ) -> list[Delete]:
        """Names given for admissions that did not happen leave the directory."""
        return [
            Delete(NAMESPACE, action["member_id"])
            for action in actions
            if action["type"] == "admit_member" and action["member_id"] not in admitted
        ]


def clean_display_name(value: object) -> str:
    return clean_name(value, "display_name")


def allocate_admissions(
    actions: Sequence[Mapping[str, Any]],
) -> tuple[list[Mapping[str, Any]], dict[str, str]]:
    """Swap each admission's display name for a fresh member id: names stay out of events."""
    if isinstance(actions, str | bytes | Mapping):
        raise InvalidInput("actions must be a list")
    allocated: list[Mapping[str, Any]] = []
    names: dict[str, str] = {}
    for action in actions:
        if isinstance(action, Mapping) and action.get("type") == "admit_member":
            member_id = str(uuid4())
            names[member_id] = clean_display_name(action.get("display_name"))
            allocated.append(
                {
                    "type": "admit_member",
                    "member_id": member_id,
                    "perspectives": action.get("perspectives"),
                }
            )
        else:
            allocated.append(action)
    return allocated, names
