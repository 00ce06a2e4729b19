"""JSON transcodings for the value objects held in aggregate state, so snapshots round-trip."""

from __future__ import annotations

from typing import Any

import attrs
from eventsourcing.persistence import Transcoding

from cogov.domain import Charter, Delegation, Member, Role


class AttrsAsDict(Transcoding):
    """Encodes an attrs value object as its fields; its converters restore tuples and enums."""

    def __init__(self, cls: type[Any], name: str) -> None:
        self.type = cls
        self.name = name

    def encode(self, obj: Any) -> dict[str, Any]:
        return attrs.asdict(obj, recurse=False)

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


VALUE_OBJECTS: tuple[AttrsAsDict, ...] = (
    AttrsAsDict(Charter, "cogov_charter"),
    AttrsAsDict(Member, "cogov_member"),
    AttrsAsDict(Role, "cogov_role"),
    AttrsAsDict(Delegation, "cogov_delegation"),
)
