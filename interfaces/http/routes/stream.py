"""The audit trail as it is recorded: server-sent events for a live page.

Each message is one event of the project's trail, shown exactly as `GET
/projects/{pid}/events` shows it to the same reader (the trail's own reading and
rendering, routes/trail.py), with the event's position as its `id`, so that a browser that
reconnects resumes after the last event it had (`Last-Event-ID`).

The stream polls the views' trail every `poll_seconds` on the event loop, reading the store
in a worker thread, and stops when the client goes away or after `max_seconds` (a browser
then reconnects by itself and resumes). Endpoints elsewhere are plain `def`; this one is an
async generator so that an open stream holds no thread while it waits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio
import attrs
from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.sse import EventSourceResponse, ServerSentEvent

from cogov.application import Governance
from cogov.application.credentials import Principal
from cogov.application.records import EventRecord
from cogov.application.trail import MAX_POSITION
from cogov.domain import InvalidInput
from cogov.interfaces.http import problems
from cogov.interfaces.http.access import authenticate, may_read
from cogov.interfaces.http.access_log import STORE_DOWN
from cogov.interfaces.http.dependencies import Gov, bearer
from cogov.interfaces.http.problems import Unauthenticated
from cogov.interfaces.http.routes.dashboard import COOKIE
from cogov.interfaces.http.routes.trail import shown_events, trail_item

router = APIRouter(tags=["audit"])

KEEP_ALIVE = "keep-alive"  # the comment line sent while nothing happens
RECONNECT_MS = 1000  # told to the browser: reconnect this soon after a stream ends


@attrs.frozen
class StreamSettings:
    """How a stream runs: `create_app(streams=...)` sets them for the app."""

    max_seconds: float = 3600.0  # a stream ends after this long; the browser resumes
    poll_seconds: float = 0.5  # how often the trail is read for new events
    # A `: keep-alive` comment after this long quiet: under the 15 s after which FastAPI
    # would send a `: ping` of its own, so that the comment is always this one.
    heartbeat_seconds: float = 14.0
    recheck_seconds: float = 5.0  # how often the reader's token is checked again
    batch: int = 100  # events read at once


def stream_settings(request: Request) -> StreamSettings:
    settings: StreamSettings = request.app.state.stream
    return settings


@attrs.frozen
class Reader:
    """Who reads a stream, and the token that lets them: it is checked again while the
    stream runs, so a token revoked or expired (or a member who left) ends it."""

    principal: Principal
    token: str


def stream_reader(
    request: Request,
    gov: Gov,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Reader:
    """Who opens a stream: a Bearer token, as on every route, or else the dashboard's
    sign-in cookie (routes/dashboard.py), which a browser's EventSource sends where it
    cannot set a header. The cookie's path is /dashboard, so a browser sends it to
    `/dashboard/{pid}/stream`, the same stream under the dashboard's path."""
    token = credentials.credentials.strip() if credentials else request.cookies.get(COOKIE)
    header = f"Bearer {token}" if token else None
    return Reader(authenticate(gov, request.app.state.admin_token, header), token or "")


def still_reads(gov: Governance, admin_token: str | None, reader: Reader) -> bool:
    """Whether the reader's token still opens what it opened."""
    try:
        principal = authenticate(gov, admin_token, f"Bearer {reader.token}")
    except Unauthenticated:
        return False
    return (principal.kind, principal.subject) == (reader.principal.kind, reader.principal.subject)


LastEventId = Annotated[
    int | None,
    Header(
        alias="Last-Event-ID",
        ge=0,
        le=MAX_POSITION,
        description="resume after this position (a browser sends it when it reconnects)",
    ),
]
ResumeAfter = Annotated[
    int | None,
    Query(
        ge=0,
        le=MAX_POSITION,
        description="resume after this position, for clients that cannot set headers; "
        "Last-Event-ID wins when both are given. Without either: only new events",
    ),
]


@attrs.frozen
class Opening:
    """A stream allowed to start: whose, of which project, from where, and its first
    events (read before it is answered, so an unknown project is a 404, not a stream)."""

    pid: str
    reader: Reader
    after: int
    first: list[EventRecord]


def opening(
    pid: str,
    reader: Annotated[Reader, Depends(stream_reader)],
    gov: Gov,
    settings: Annotated[StreamSettings, Depends(stream_settings)],
    last_event_id: LastEventId = None,
    after: ResumeAfter = None,
) -> Opening:
    may_read(reader.principal, pid)
    head = gov.max_position()
    start = last_event_id if last_event_id is not None else after
    if start is None:
        start = head
    elif start > head:
        raise InvalidInput(f"position {start} has not been recorded; the store is at {head}")
    return Opening(pid, reader, start, read(gov, pid, reader, start, settings.batch))


def read(gov: Governance, pid: str, reader: Reader, after: int, limit: int) -> list[EventRecord]:
    return shown_events(gov, reader.principal, pid, after=after, limit=limit)


def message(record: EventRecord) -> ServerSentEvent:
    return ServerSentEvent(id=str(record.position), event=record.type, data=trail_item(record))


@router.get("/projects/{pid}/stream", response_class=EventSourceResponse)
async def stream(
    request: Request,
    opened: Annotated[Opening, Depends(opening)],
    gov: Gov,
    settings: Annotated[StreamSettings, Depends(stream_settings)],
) -> AsyncIterator[ServerSentEvent]:
    """The project's audit trail as it is recorded, as server-sent events: each event is
    a message with `id:` its position, `event:` its type and `data:` the event exactly as
    `GET /projects/{pid}/events` shows it to the caller. Resumes after `Last-Event-ID` (or
    `after`); without either, only events recorded from now on. A `: keep-alive` comment
    comes after 14 seconds without an event; the stream ends after an hour, or within 5
    seconds of its token being revoked or expiring (the browser reconnects and resumes, or
    is refused)."""
    clock = anyio.current_time
    ends = clock() + settings.max_seconds
    quiet_since = checked_at = clock()
    admin_token = request.app.state.admin_token
    after = opened.after
    records = opened.first
    yield ServerSentEvent(retry=RECONNECT_MS)
    while True:
        for record in records:
            yield message(record)
            after = record.position
            quiet_since = clock()
        if clock() >= ends or await request.is_disconnected():
            return
        if clock() - quiet_since >= settings.heartbeat_seconds:
            yield ServerSentEvent(comment=KEEP_ALIVE)
            quiet_since = clock()
        if len(records) < settings.batch:  # else more may be waiting: read on at once
            await anyio.sleep(max(0.0, min(settings.poll_seconds, ends - clock())))
        try:
            if clock() - checked_at >= settings.recheck_seconds:
                if not await anyio.to_thread.run_sync(still_reads, gov, admin_token, opened.reader):
                    return  # the browser reconnects, and is refused
                checked_at = clock()
            records = await anyio.to_thread.run_sync(
                read, gov, opened.pid, opened.reader, after, settings.batch
            )
        except STORE_DOWN as error:  # end; the browser resumes once the store is back
            problems.log.warning("a stream stopped: the store failed: %s", error)
            gov.store.failed()
            return


# The same stream where the dashboard's sign-in cookie reaches it (its path is /dashboard):
# for the page's live updates. Not part of the JSON API, so not in its schema.
router.add_api_route(
    "/dashboard/{pid}/stream",
    stream,
    methods=["GET"],
    response_class=EventSourceResponse,
    include_in_schema=False,
)
