"""The audit trail: stored events as an auditor reads them, in position order.

Each event is shown with its position, type, aggregate, version, the UTC time it was
recorded, its actor and its data, exactly as stored (nothing recomputed).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper

from cogov.application.records import EventRecord, plain, utc_iso
from cogov.domain import InvalidInput, Journal, Project, Proposal

EVENT_HEADER = ("originator_id", "originator_version", "timestamp", "originator_topic")
MAX_PAGE = 1000
MAX_POSITION = 2**63 - 1  # positions are signed 64-bit integers on every store


def check_page(after: int, limit: int) -> None:
    if not 0 <= after <= MAX_POSITION or not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(
            f"after must be between 0 and {MAX_POSITION} and limit between 1 and {MAX_PAGE}"
        )


class Trail:
    def __init__(self, recorder: ApplicationRecorder, mapper: Mapper[Any]) -> None:
        self.recorder = recorder
        self.mapper = mapper

    def after(self, after: int, limit: int) -> list[EventRecord]:
        """Every stored event after a position, of every project."""
        check_page(after, limit)
        notifications = self.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        return self.records(notifications)

    def at(self, positions: Sequence[int]) -> list[EventRecord]:
        """The events at these positions (ascending), read as few times as sensible."""
        if not positions:
            return []
        span = positions[-1] - positions[0] + 1
        if span <= 10 * len(positions):  # dense: one range read, filtered
            wanted = set(positions)
            notifications = [
                n
                for n in self.recorder.select_notifications(
                    start=positions[0], stop=positions[-1], limit=span
                )
                if n.id in wanted
            ]
        else:  # sparse among other projects' events: read each
            notifications = [
                n for p in positions for n in self.recorder.select_notifications(start=p, limit=1)
            ]
        return self.records(notifications)

    def records(self, notifications: Sequence[Any]) -> list[EventRecord]:
        return [event_record(int(n.id), self.mapper.to_domain_event(n)) for n in notifications]


def event_record(position: int, event: Any) -> EventRecord:
    """An event as the trail shows it: the one rendering that auditors read, export and
    check against the verifiable log."""
    data = {k: plain(v) for k, v in event.__dict__.items() if k not in EVENT_HEADER}
    return EventRecord(
        position=position,
        type=type(event).__name__,
        aggregate_id=event.originator_id,
        version=event.originator_version,
        recorded_at=utc_iso(event.timestamp),
        actor=data.pop("actor", None),
        data=data,
    )


def event_types() -> frozenset[str]:
    """The names of every kind of event the trail can show."""
    return frozenset(
        name
        for aggregate in (Project, Proposal, Journal)
        for name, value in vars(aggregate).items()
        if isinstance(value, type)
        and issubclass(value, aggregate.Event)
        and value is not aggregate.Event
    )


@attrs.frozen
class TrailFilter:
    """Which events of a trail an auditor asked for; an unknown type or a time without a
    zone is refused rather than matching nothing."""

    type: str | None
    member: str | None
    since: str | None  # UTC ISO text, compared as the trail writes it
    until: str | None

    @classmethod
    def of(
        cls,
        *,
        type: str | None,
        member: str | None,
        since: datetime | None,
        until: datetime | None,
    ) -> TrailFilter | None:
        if type is None and member is None and since is None and until is None:
            return None
        if type is not None and type not in event_types():
            known = ", ".join(sorted(event_types()))
            raise InvalidInput(f"unknown event type {type!r}; expected one of {known}")
        for moment in (since, until):
            if moment is not None and moment.tzinfo is None:
                raise InvalidInput("from and to must include a time zone")
        return cls(
            type,
            None if member is None else member.strip().lower(),
            None if since is None else utc_iso(since),
            None if until is None else utc_iso(until),
        )

    def matches(self, record: EventRecord) -> bool:
        if self.type is not None and record.type != self.type:
            return False
        if self.member is not None and self.member not in people_in(record):
            return False
        if self.since is not None and record.recorded_at < self.since:
            return False
        return self.until is None or record.recorded_at < self.until


def people_in(record: EventRecord) -> set[str]:
    """The member (or auditor) ids an event is by or about."""
    data = record.data
    named = {record.actor, data.get("member_id"), data.get("holder"), data.get("proxy")}
    named |= {data.get("founder_id"), data.get("auditor_id"), data.get("proposer")}
    found = {n for n in named if isinstance(n, str)}
    listed = [*(data.get("member_ids") or ()), *(data.get("attendees") or ())]
    return found | {m for m in listed if isinstance(m, str)}
