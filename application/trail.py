"""The audit trail: stored events as an auditor reads them, in position order.

Each event is shown with its position, type, aggregate, version, the UTC time it was
recorded, its actor and its data, exactly as stored (nothing recomputed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper

from cogov.application.records import EventRecord, plain, utc_iso
from cogov.domain import InvalidInput, Journal, Project, Proposal
from cogov.domain.hidden_results import (
    HIDDEN_TYPE,
    STANCE_EVENTS,
    VOIDING_EVENTS,
    Sight,
    seen_event,
)

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


def may_hide(record: EventRecord) -> bool:
    """Whether the event is of a kind that hiding results until close can redact."""
    return record.type in STANCE_EVENTS or record.type in VOIDING_EVENTS


def seen_record(record: EventRecord, sight: Sight) -> EventRecord:
    """The event as a reader with `sight` of its proposal may see it (hidden_results.py)."""
    seen = seen_event(sight, record.type, record.actor, record.data)
    if (seen.type, seen.actor, seen.data) == (record.type, record.actor, record.data):
        return record
    return attrs.evolve(record, type=seen.type, actor=seen.actor, data=seen.data)


def seen_by(
    records: Iterable[EventRecord], reader: str | None, hidden: Callable[[str], bool]
) -> list[EventRecord]:
    """The events as `reader` (a member's id; None for an auditor or the admin) may see
    them; `hidden(proposal_id)` says whether a proposal's results are hidden now, and is
    asked once per proposal, only about those with an event it could redact."""
    known: dict[str, Sight] = {}
    shown = []
    for record in records:
        if not may_hide(record):
            shown.append(record)
            continue
        aid = str(record.aggregate_id)
        if aid not in known:
            known[aid] = Sight(hidden(aid), reader)
        shown.append(seen_record(record, known[aid]))
    return shown


def hidden_open(events: Iterable[EventRecord]) -> list[str]:
    """The proposals among `events` tabled under a charter that hides results until close
    and not closed or withdrawn among them, in the order tabled."""
    tabled = [
        str(e.aggregate_id)
        for e in events
        if e.type == "ProposalTabled"
        and isinstance(e.data.get("charter"), dict)
        and e.data["charter"].get("results_hidden_until_close") is True
    ]
    ended = {
        str(e.aggregate_id) for e in events if e.type in ("ProposalClosed", "ProposalWithdrawn")
    }
    return [p for p in tabled if p not in ended]


def held_back(events: Sequence[EventRecord]) -> list[EventRecord]:
    """The events without any that would show a stance still hidden: of each proposal in
    `hidden_open`, every event from its first response on. What stays is each aggregate's
    events from version 1 with none missing, each exactly as stored (so that it can be
    checked against the verifiable log); a later read, after the proposal closes, holds
    the rest."""
    hidden = set(hidden_open(events))
    cut: set[str] = set()
    kept = []
    for e in events:
        aid = str(e.aggregate_id)
        if aid in hidden and (aid in cut or e.type in STANCE_EVENTS):
            cut.add(aid)
            continue
        kept.append(e)
    return kept


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
        if type is not None and type not in event_types() | {HIDDEN_TYPE}:
            known = ", ".join(sorted(event_types() | {HIDDEN_TYPE}))
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
