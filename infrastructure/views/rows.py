"""Row bodies as JSON, the same on every store."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from application.views import DecisionRow, MemberRow, PowerRow

Row = TypeVar("Row", DecisionRow, MemberRow, PowerRow)


def dump(row: DecisionRow | MemberRow | PowerRow) -> str:
    return json.dumps(row.to_dict(), separators=(",", ":"))


def load(cls: type[Row], body: str | dict[str, Any]) -> Row:
    data = json.loads(body) if isinstance(body, str) else body
    return cls(**data)
