"""Read records the application hands out: plain, immutable, safe to serialise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any
from uuid import UUID

import attrs

from cogov.application.views import MemberRow
from cogov.domain import InvalidInput, Project


@attrs.frozen
class Founded:
    project_id: UUID
    founder_id: str
    position: int
    token: str | None = None  # the founder's first token, if asked for (shown once)


@attrs.frozen
class Admitted:
    member_id: str
    position: int
    token: str | None = None  # the member's first token, if asked for (shown once)


@attrs.frozen
class Tabled:
    proposal_id: UUID
    position: int


@attrs.frozen
class DecidedDirectly:
    decision_id: str
    position: int


@attrs.frozen
class IssuedToken:
    holder: str  # member or auditor id
    token: str  # shown once; only its hash is kept
    token_id: str
    position: int


@attrs.frozen
class MemberRecord:
    member_id: str
    display_name: str | None
    perspectives: tuple[str, ...]
    status: str
    erased: bool
    roles: tuple[str, ...]
    areas: tuple[str, ...]


@attrs.frozen
class RoleRecord:
    name: str
    responsibilities: str
    leadership: bool
    areas: tuple[str, ...]
    holders: tuple[str, ...]


@attrs.frozen
class DelegationRecord:
    area: str
    member_ids: tuple[str, ...]
    until_stage: str | None


@attrs.frozen
class ProjectRecord:
    id: UUID
    title: str
    stage: str
    version: int
    perspectives: tuple[str, ...]
    areas: tuple[str, ...]
    charter: dict[str, Any]
    members: tuple[MemberRecord, ...]
    roles: tuple[RoleRecord, ...]
    delegations: tuple[DelegationRecord, ...]
    ground_rules: tuple[str, ...]


@attrs.frozen
class MemberParticipation:
    """A member's participation row with the name they chose to be shown by."""

    row: MemberRow
    display_name: str | None


@attrs.frozen
class EventRecord:
    """One event of the audit trail, in the shape docs/api.md documents."""

    position: int
    type: str
    aggregate_id: UUID
    version: int
    recorded_at: str
    actor: str | None
    data: dict[str, Any]


def utc_iso(moment: datetime) -> str:
    """UTC ISO 8601 with a `Z` and fixed microseconds, so the text sorts in time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def epoch_us(moment: datetime) -> int:
    """Microseconds since the epoch: an index key that sorts the same on every store."""
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def query_moment(value: datetime | str | None, what: str = "as_of") -> datetime | None:
    """A moment a query names (`as_of`): a datetime or ISO 8601 text, with a time zone and
    within the range the views index; None (meaning now) stays None. Anything else is
    refused, naming `what`."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{what} is not an ISO 8601 time: {value!r}") from None
    if value is None:
        return None
    if value.tzinfo is None:
        raise InvalidInput(f"{what} must include a time zone")
    try:
        epoch_us(value)
    except OverflowError:
        raise InvalidInput(f"{what} is out of range") from None
    return value


def plain(value: Any) -> Any:
    """JSON-ready copy of an event attribute (UUIDs and times as text)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value  # the common case first: every event's every value passes here
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, Enum):
        return value.value
    return value


def project_record(project: Project, name_of: Callable[[str], str | None]) -> ProjectRecord:
    return ProjectRecord(
        id=project.id,
        title=project.title,
        stage=project.stage,
        version=project.version,
        perspectives=tuple(project.perspectives),
        areas=tuple(project.areas),
        charter=project.charter.to_dict(),
        members=tuple(
            MemberRecord(
                member_id=m,
                display_name=name_of(m),
                perspectives=tuple(v.perspectives),
                status=str(v.status),
                erased=v.erased,
                roles=tuple(project.roles_of(m)),
                areas=tuple(project.areas_of(m)),
            )
            for m, v in project.members.items()
        ),
        roles=tuple(
            RoleRecord(r.name, r.responsibilities, r.leadership, r.areas, r.holders)
            for r in project.roles.values()
        ),
        delegations=tuple(
            DelegationRecord(d.area, d.member_ids, d.until_stage)
            for d in project.delegations.values()
        ),
        ground_rules=tuple(project.ground_rules),
    )
