"""Which reads go into the access log, decided in one place.

The design contract: access by auditors and the admin to a project's reads is logged (who,
when, which route) and readable at `GET /projects/{pid}/access-log`. Two things are known
at different points of a request, and each is taken where it is known:

- which project a request reads, and for whom: `may_read` (access.py) is the check every
  read of a project's data passes, whatever route it comes by (`/projects/{pid}/...`,
  a proposal through `proposal_project`, an inclusion proof through its event's project).
  Once it allows a read it notes the caller and the project with `noted_read`. It is a
  plain check, shared by routes and commands, with no request in hand, so the note lives in
  a context variable that `AccessLogging` sets for the request; the route's worker thread
  runs in a copy of the request's context and so fills the same note.
- whether the read succeeded: only the finished answer says so. `AccessLogging`, a small
  ASGI middleware inside HeadAsGet (so a HEAD arrives as its GET), holds back the answer's
  status line; if it is 2xx and the note names a project read by an auditor or the instance
  admin, it records one entry per project noted (`Governance.record_access`: the
  application's clock, the reader's kind and id, the route's template such as
  `/projects/{pid}/decisions`, and the path with its query string) and only then lets the
  answer go.

This middleware is the one place that decides: routes do nothing for it, and a new route
that reads a project's data is logged as soon as it checks access the way every read must.
Refused reads (401, 403, 404, 422) are not logged, and neither are members' reads (the
contract names auditors and the admin). A read of the access log itself is a read like any
other. Losing an access record silently would be worse for an audit than a failed read, so
if the store cannot record the entry, the read fails as any store failure does: 503 (500
for an unexpected error), with nothing of the answer sent.
"""

from __future__ import annotations

from contextvars import ContextVar

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cogov.application import Governance
from cogov.application.credentials import Principal
from cogov.interfaces.http import problems

LOGGED_KINDS = ("auditor", "admin")  # whose reads are logged: not members'
READS = ("GET", "HEAD")
# what the app's problem handlers answer 503 for: the store cannot be reached
STORE_DOWN = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


class Reads:
    """The projects one request was allowed to read, and by whom."""

    def __init__(self) -> None:
        self.readers: dict[str, Principal] = {}

    def logged(self) -> list[tuple[str, Principal]]:
        return [(p, who) for p, who in self.readers.items() if who.kind in LOGGED_KINDS]


_reads: ContextVar[Reads | None] = ContextVar("cogov_reads", default=None)


def noted_read(principal: Principal, project_id: str) -> None:
    """`principal` may read `project_id` in this request (a no-op outside one)."""
    reads = _reads.get()
    if reads is not None:
        reads.readers[project_id] = principal


class AccessLogging:
    """Record a successful read by an auditor or the admin before its answer is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in READS:
            await self.app(scope, receive, send)
            return
        reads = Reads()
        token = _reads.set(reads)
        replaced = False  # the answer failed to be logged: drop the rest of the route's

        async def logging_send(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            if (
                message["type"] == "http.response.start"
                and 200 <= message["status"] < 300
                and reads.logged()
            ):
                failure = await run_in_threadpool(record, scope, reads)
                if failure is not None:
                    replaced = True
                    await failure(scope, receive, send)
                    return
            await send(message)

        try:
            await self.app(scope, receive, logging_send)
        finally:
            _reads.reset(token)


def record(scope: Scope, reads: Reads) -> Response | None:
    """Log each read noted; the answer to send instead if the store could not."""
    gov: Governance = scope["app"].state.governance
    route: str = getattr(scope.get("route"), "path", None) or scope["path"]  # its template
    query = scope.get("query_string", b"").decode("latin-1")
    path = f"{scope['path']}?{query}" if query else scope["path"]
    try:
        for project_id, reader in reads.logged():
            gov.record_access(
                project_id, kind=reader.kind, reader_id=reader.subject, route=route, path=path
            )
    except STORE_DOWN as error:
        problems.log.warning("the store failed to log a read: %s", error)
        gov.store.failed()
        return problems.store_unreachable()
    except Exception:  # a read that cannot be logged is not answered
        problems.log.exception("could not log a read")
        body = problems.problem_body(
            500, "Internal error", "an unexpected error; it has been logged", "internal_error"
        )
        return problems.response(500, body)
    return None
