"""The erasable member directory: personal data kept out of the immutable event log.

Each member chooses how they are shown: by full name, by initials, or by a pen name.
Erasure replaces the entry with a marker that holds no personal data, so every read can say
"erased member" rather than pretend the member never existed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any
from uuid import uuid4

import attrs

from cogov.application.beside import Delete, Put, Write
from cogov.application.keyvalue import KeyValues
from cogov.domain import InvalidInput
from cogov.domain.text import clean_name

NAMESPACE = "directory"
ERASED_NAME = "erased member"


class ShownAs(StrEnum):
    """How a member prefers to be named wherever cogov shows them."""

    FULL_NAME = "full_name"
    INITIALS = "initials"
    PEN_NAME = "pen_name"


@attrs.frozen
class DirectoryEntry:
    display_name: str  # the member's full name, as given
    pen_name: str | None = None
    shown_as: ShownAs = attrs.field(default=ShownAs.FULL_NAME, converter=ShownAs)
    erased: bool = False

    @property
    def shown_name(self) -> str:
        """The name the member chose to be shown by."""
        return shown_name_of(self.display_name, self.pen_name, self.shown_as, self.erased)

    def to_dict(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "shown_as": self.shown_as.value}


ERASED = DirectoryEntry(display_name="", erased=True)


def shown_name_of(display_name: str, pen_name: str | None, shown_as: str, erased: bool) -> str:
    """The name a member is shown by, from their entry's fields."""
    if erased:
        return ERASED_NAME
    if shown_as == ShownAs.PEN_NAME and pen_name:
        return pen_name
    if shown_as == ShownAs.INITIALS:
        return initials(display_name)
    return display_name


def _shown(entry: Mapping[str, Any]) -> str:
    """`DirectoryEntry(**entry).shown_name`, without making the entry (a page names many)."""
    return shown_name_of(
        entry["display_name"],
        entry.get("pen_name"),
        entry.get("shown_as", ShownAs.FULL_NAME),
        entry.get("erased", False),
    )


def shown_names(entries: Mapping[str, Mapping[str, Any] | None]) -> dict[str, str | None]:
    """Each member's shown name, from their entry as stored (None: no entry)."""
    return {m: None if entry is None else _shown(entry) for m, entry in entries.items()}


def initials(full_name: str) -> str:
    """'Ada King Lovelace' -> 'A. K. L.'; a name without letters is kept as it is."""
    letters = [word[0].upper() + "." for word in full_name.split() if word[0].isalnum()]
    return " ".join(letters) or full_name


class MemberDirectory:
    def __init__(self, records: KeyValues) -> None:
        self.records = records

    def put(self, member_id: str, entry: DirectoryEntry) -> None:
        self.records.put(NAMESPACE, member_id, entry.to_dict())

    def get(self, member_id: str) -> DirectoryEntry | None:
        value = self.records.get(NAMESPACE, member_id)
        return DirectoryEntry(**value) if value is not None else None

    def erase(self, member_id: str) -> None:
        self.records.delete(NAMESPACE, member_id)

    def entries(self, names: Mapping[str, str]) -> list[Write]:
        """Writes of new entries, to commit with the events that name their members."""
        return [Put(NAMESPACE, m, DirectoryEntry(n).to_dict()) for m, n in names.items()]

    def erasure(self, member_id: str) -> Put:
        """Wipe the entry, leaving only the mark that it was erased."""
        return Put(NAMESPACE, member_id, ERASED.to_dict())

    def shown_name(self, member_id: str) -> str | None:
        entry = self.get(member_id)
        return entry.shown_name if entry else None

    def names(self, member_ids: Iterable[str]) -> dict[str, str | None]:
        """Each id's shown name (None for ids the directory never held, such as `system`),
        read at once."""
        ids = list(dict.fromkeys(member_ids))
        found = self.records.get_many(NAMESPACE, ids)
        return shown_names({m: found.get(m) for m in ids})

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
