"""The audit trail: a project's events, and its proposals', in the order recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import attrs
from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError

from cogov.application import Governance
from cogov.application.credentials import Principal
from cogov.application.records import EventRecord, plain
from cogov.application.trail import MAX_POSITION, people_in
from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.access import may_read, reader_of
from cogov.interfaces.http.dependencies import Caller, Cursor, Gov, Limit
from cogov.interfaces.http.fields import Moment

router = APIRouter(tags=["audit"])

# This page parameter's first name. Elsewhere `after` waits for the views to catch up to a
# position; here it only ever meant `cursor`, and still does, for the clients that use it.
OldCursor = Annotated[
    int | None,
    Query(
        ge=0,
        le=MAX_POSITION,
        deprecated=True,
        description="the former name of `cursor`, still accepted; use `cursor`",
    ),
]


@router.get("/projects/{pid}/events", response_model=read_shapes.EventPage)
def events(
    pid: str,
    request: Request,
    caller: Caller,
    gov: Gov,
    cursor: Cursor = 0,
    limit: Limit = 100,
    after: OldCursor = None,
    type: Annotated[str | None, Query(description="only events of this type")] = None,
    member: Annotated[
        str | None, Query(description="only events by this member, or about them")
    ] = None,
    since: Annotated[
        Moment | None, Query(alias="from", description="recorded at or after (with zone)")
    ] = None,
    until: Annotated[
        Moment | None, Query(alias="to", description="recorded before (with zone)")
    ] = None,
) -> Any:
    """The project's audit trail: its own events and its proposals', in order. `cursor`
    is the position to continue after (0, the default: from the start). Filters keep the
    events of one type, by or about one member (its actor or `member_id`), or recorded in
    [`from`, `to`). While a proposal's charter hides its results until it closes, each
    stance on it but the caller's own shows as a `HiddenUntilClose` event with no actor
    and data `{"hidden_until_close": true}` (an amendment names only the caller among the
    consents it voided); once it closes, every event shows as stored."""
    if after is not None:
        if "cursor" in request.query_params and after != cursor:
            raise RequestValidationError(
                [
                    {
                        "type": "value_error",
                        "loc": ("query", "after"),
                        "msg": f"`after` ({after}) is the deprecated name of `cursor`, "
                        f"which says {cursor}: give only `cursor`",
                    }
                ]
            )
        cursor = after
    may_read(caller.principal, pid)
    records = shown_events(
        gov,
        caller.principal,
        pid,
        after=cursor,
        limit=limit,
        type=type,
        member=member,
        since=since,
        until=until,
    )
    link = None
    if len(records) == limit:  # a full page: there may be more
        url = request.url.remove_query_params("after")
        link = str(url.include_query_params(cursor=records[-1].position))
    people = sorted({person for r in records for person in people_in(r)})
    items = [trail_item(r) for r in records]
    return {"items": items, "next": link, "names": gov.names(people)}


def shown_events(
    gov: Governance,
    principal: Principal,
    pid: str,
    *,
    after: int,
    limit: int,
    type: str | None = None,
    member: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[EventRecord]:
    """The project's trail after a position as `principal` may see it: the stream
    (routes/stream.py) reads the trail through this too, so both show a reader the same.
    Access is the caller's to check."""
    return gov.project_events(
        pid,
        after=after,
        limit=limit,
        type=type,
        member=member,
        since=since,
        until=until,
        reader=reader_of(principal),
    )


def trail_item(record: EventRecord) -> dict[str, Any]:
    """One event as the trail shows it, in a page or in a stream's message."""
    item: dict[str, Any] = plain(attrs.asdict(record))
    return item
