"""Row bodies as JSON, the same on every store."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from cogov.application.views import DecisionRow, JournalRow, MemberRow, PowerRow, ProjectRow

Row = TypeVar("Row", DecisionRow, JournalRow, MemberRow, PowerRow, ProjectRow)


def dump(row: DecisionRow | JournalRow | MemberRow | PowerRow | ProjectRow) -> str:
    return json.dumps(row.to_dict(), separators=(",", ":"))


def load(cls: type[Row], body: str | dict[str, Any]) -> Row:
    data = json.loads(body) if isinstance(body, str) else body
    return cls(**data)


def decision_params(r: DecisionRow) -> tuple[Any, ...]:
    """A decision row as the values of its table's columns, in order. The `position`
    column holds where the row began, which never changes: no update touches an indexed
    column, so PostgreSQL can update the row in place (HOT)."""
    return (
        r.proposal_id,
        r.project_id,
        r.tabled_at,
        r.start,
        r.key,
        r.stage,
        r.area,
        r.outcome,
        r.jointly_owned,
        dump(r),
    )


def power_params(r: PowerRow) -> tuple[Any, ...]:
    return (r.project_id, r.position, r.as_of_us, r.stage, dump(r))


def member_params(r: MemberRow) -> tuple[Any, ...]:
    return (r.project_id, r.member_id, dump(r))


def project_params(r: ProjectRow) -> tuple[Any, ...]:
    return (r.project_id, r.founded_at, dump(r))


def journal_params(r: JournalRow) -> tuple[Any, ...]:
    return (r.position, r.project_id, r.kind, r.stage, dump(r))
