"""Row bodies as JSON, the same on every store."""

from __future__ import annotations

import json
from typing import Any, TypeVar

import attrs

from cogov.application.views import (
    DecisionRow,
    JournalRow,
    MemberRow,
    PowerRow,
    ProjectRow,
    StoredDecision,
)

Row = TypeVar("Row", DecisionRow, JournalRow, MemberRow, PowerRow, ProjectRow)


def dump(row: DecisionRow | JournalRow | MemberRow | PowerRow | ProjectRow) -> str:
    """The row as `json.dumps(row.to_dict())` writes it, made in one pass: each attrs
    instance (the row, its ballots, its members' power) is opened as the encoder meets it,
    instead of first copying the whole row into dicts (the views write a row per change)."""
    return _encoder.encode(row)


_FIELDS: dict[type, tuple[str, ...]] = {}  # attrs class -> its fields' names, in order


def _open(value: Any) -> dict[str, Any]:
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is None:
        if not attrs.has(kind):
            raise TypeError(f"{kind.__name__} is not a row's value")
        names = _FIELDS[kind] = tuple(a.name for a in attrs.fields(kind))
    return {name: getattr(value, name) for name in names}


_encoder = json.JSONEncoder(separators=(",", ":"), default=_open)


def load(cls: type[Row], body: str | dict[str, Any]) -> Row:
    data = json.loads(body) if isinstance(body, str) else body
    return cls(**data)


def decision_params(r: DecisionRow) -> tuple[Any, ...]:
    """A decision row as the values of its table's columns, in order. The `position`
    column holds where the row began, which never changes: no update touches an indexed
    column, so PostgreSQL can update the row in place (HOT). `named` (a JSON list, added to
    tables made before it) is whom the row names, for a page's names."""
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
        json.dumps(r.named, separators=(",", ":")),
    )


def stored_decision(body: str, began: int, named: str | None) -> StoredDecision:
    """A decision row read back with its `position` and `named` columns."""
    return StoredDecision(body, began, None if named is None else tuple(json.loads(named)))


def power_params(r: PowerRow) -> tuple[Any, ...]:
    return (r.project_id, r.position, r.as_of_us, r.stage, dump(r))


def member_params(r: MemberRow) -> tuple[Any, ...]:
    return (r.project_id, r.member_id, dump(r))


def project_params(r: ProjectRow) -> tuple[Any, ...]:
    return (r.project_id, r.founded_at, dump(r))


def journal_params(r: JournalRow) -> tuple[Any, ...]:
    return (r.position, r.project_id, r.kind, r.stage, dump(r))
