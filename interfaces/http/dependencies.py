"""What every route is given rather than closing over: the `Governance` application, the
caller, the shared parameters (Idempotency-Key, `after`), a command's context, and the
helpers routes share."""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Coroutine, Iterable
from typing import Annotated, Any, ParamSpec, TypeVar

from fastapi import Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cogov.application import Governance
from cogov.application.credentials import Principal
from cogov.application.store import StoreUnavailable
from cogov.application.trail import MAX_POSITION
from cogov.domain import NotFound
from cogov.interfaces.http.access import (
    NO_BEARER,
    acting_member,
    authenticate,
    may_read,
    steward,
)
from cogov.interfaces.http.idempotency import Reply, position, run_once, scope_of
from cogov.interfaces.http.problems import Unauthenticated

P = ParamSpec("P")
T = TypeVar("T")

bearer = HTTPBearer(auto_error=False, description="a member, auditor or admin token")


async def governance(request: Request) -> Governance:
    """The application the app was created with (`create_app` sets it on `app.state`); a
    request that needs it while its store is known to be down is answered 503 at once.
    Async because it does no I/O: FastAPI runs a plain `def` dependency in the thread pool,
    and each such hop cost a request about a fifth of a millisecond of the event loop."""
    gov: Governance = request.app.state.governance
    if not gov.store.available():
        raise StoreUnavailable("the store cannot be reached now; try again shortly")
    return gov


Gov = Annotated[Governance, Depends(governance)]


Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


class Presented:
    """The credentials a request came with, checked when the route first asks who calls,
    in the route's own thread (a worker's, or the event loop for a short read). Checking
    them needs the store, so a dependency that checked them would be a plain `def`, which
    FastAPI runs in the thread pool on its own:
    a second crossing (a worker's wake-up and two hand-overs of the GIL), about a fifth of
    a read's cost under load. A request without a Bearer token is refused at once, before
    its parameters and body are validated; one whose token the store does not know is
    refused when the route asks, so invalid input is a 422 before that. Every route that
    takes a caller asks before it reads anything."""

    def __init__(
        self, gov: Governance, request: Request, credentials: HTTPAuthorizationCredentials
    ) -> None:
        self.gov = gov
        self.request = request
        self.credentials = credentials
        self._principal: Principal | None = None

    @property
    def principal(self) -> Principal:
        """The principal the request acts as (401 if none), checked once. Not a
        functools.cached_property: on Python 3.11 that holds one lock, shared by every
        instance, while it computes, so every token check of the process would queue."""
        if self._principal is None:
            self._principal = self._identify()
        return self._principal

    @property
    def token(self) -> str:
        """The bearer token presented."""
        return self.credentials.credentials.strip()

    def check(self) -> None:
        """Refuse the request (401) unless its token is live: for a route any holder of a
        token may use, which would otherwise never ask who calls."""
        _ = self.principal

    def _identify(self) -> Principal:
        """The token's holder, the instance admin, or a holder repeating their own renewal
        (401 if none of these)."""
        admin_token = self.request.app.state.admin_token
        try:
            return authenticate(self.gov, admin_token, f"Bearer {self.credentials.credentials}")
        except Unauthenticated:
            replaying = self._renewal_retry()
            if replaying is None:
                raise
            return replaying

    def _renewal_retry(self) -> Principal | None:
        """A token that its holder's own renewal superseded may repeat exactly that request
        (same route, same Idempotency-Key), to recover the new token, and nothing else."""
        key = self.request.headers.get("Idempotency-Key")
        if key is None or self.request.method != "POST":
            return None
        principal = self.gov.access.superseded(self.token)
        if principal is None:
            return None
        previous = self.gov.once.previous(scope_of(principal, self.request.url.path, key))
        if previous is None or previous.command != principal.replaying:
            return None
        return principal


async def caller(request: Request, gov: Gov, credentials: Bearer) -> Presented:
    """Who calls, to be checked on first use (made on the event loop: no I/O)."""
    if credentials is None:
        raise Unauthenticated(NO_BEARER)
    return Presented(gov, request, credentials)


Caller = Annotated[Presented, Depends(caller)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="repeat a POST safely: the first response is returned, nothing new recorded",
    ),
]
After = Annotated[
    int | None,
    Query(
        ge=0,
        le=MAX_POSITION,
        description="wait (bounded) until the views include this event position",
    ),
]
Cursor = Annotated[
    int, Query(ge=0, le=MAX_POSITION, description="where to continue: from a page's next link")
]
Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many items")]


class Command:
    """A POST that records something: who calls, on which application, run once per
    Idempotency-Key (every time without one). Access is checked before it runs, so a refused
    caller never takes a key."""

    def __init__(
        self, request: Request, caller: Presented, gov: Governance, key: str | None = None
    ) -> None:
        self.request = request
        self.caller = caller
        self.gov = gov
        self.key = key

    @property
    def principal(self) -> Principal:
        return self.caller.principal

    def member_of(self, project_id: str) -> str:
        """The member acting: the token's holder, in this project, never a body field."""
        return acting_member(self.principal, project_id)

    def member_of_proposal(self, proposal_id: str) -> str:
        return acting_member(
            self.principal, proposal_project(self.gov, self.principal, proposal_id)
        )

    @property
    def presented_token(self) -> str:
        """The bearer token this request came with."""
        return self.caller.token

    def steward_of(self, project_id: str) -> str:
        """For acts the instance admin may also do (tokens, auditors)."""
        return steward(self.principal, project_id)

    def run(self, body: Any, call: Callable[[], object], reply: Reply) -> JSONResponse:
        """Run `call` (a Governance command) once; `reply` turns its result into the
        response, the first time and on every replay."""
        payload = body.model_dump(mode="json") if hasattr(body, "model_dump") else body
        return run_once(
            self.gov.once, self.principal, self.request.url.path, self.key, payload, call, reply
        )

    def recorded(self, body: Any, call: Callable[[], int]) -> JSONResponse:
        """Run a command that answers 201 with the position of its last event."""
        return self.run(body, call, position)


async def command(
    request: Request, caller: Caller, gov: Gov, key: IdempotencyKey = None
) -> Command:
    """A command's context, made on the event loop (no I/O), not in the thread pool as
    FastAPI would run the class itself."""
    return Command(request, caller, gov, key)


Cmd = Annotated[Command, Depends(command)]


def proposal_project(gov: Governance, principal: Principal, proposal_id: str) -> str:
    """The proposal's project, if the caller may see it; else the proposal is unknown."""
    project_id = str(gov.project_of_proposal(proposal_id))
    try:
        may_read(principal, project_id)
    except NotFound:
        raise NotFound(f"no proposal with id {proposal_id}") from None
    return project_id


def page_link(request: Request, items: list[Any], limit: int, **cursor: Any) -> str | None:
    """The `next` link of a page: this request with the cursor moved, if the page is full."""
    if len(items) < limit:
        return None
    return str(request.url.include_query_params(**cursor))


def stored_page(
    items: Iterable[str], following: str | None, names: dict[str, str | None]
) -> Response:
    """A page (`items`, `next`, `names`) written from rows' stored JSON, which is what the
    read shape would encode them as: each row is serialised once, when the projection
    stored it, and passed on without being decoded."""
    return Response(
        '{"items":['
        + ",".join(items)
        + '],"next":'
        + json.dumps(following)
        + ',"names":'
        + json.dumps(names, separators=(",", ":"))
        + "}",
        media_type="application/json",
    )


def offset_page(request: Request, rows: list[Any], cursor: int, limit: int) -> dict[str, Any]:
    """A page of a whole (short) list: `cursor` is how many items came before it."""
    more = cursor + limit < len(rows)
    return {
        "items": rows[cursor : cursor + limit],
        "next": str(request.url.include_query_params(cursor=cursor + limit)) if more else None,
    }


SHORT_PAGE = 100  # the default page: a larger one is read in the thread pool


def short_read(
    *, unless: tuple[str, ...] = ()
) -> Callable[[Callable[P, T]], Callable[P, Coroutine[Any, Any, T]]]:
    """For a route that reads by index and answers a page at most: served on the event loop
    where the store's reads wait on no server (SQLite's file, memory) and the views answer
    at once (followed in the background, no `after` to wait for); otherwise in the thread
    pool, as FastAPI serves a plain `def`. Handing a short read to a worker thread (its
    wake-up and the GIL's hand-overs) costs more than the read itself on SQLite; on
    PostgreSQL each read waits on a round trip to the server, which the loop must not. A
    page above `SHORT_PAGE`, or any parameter in `unless` given (one that makes the read
    long: decoding and judging rows, loading an aggregate), sends it to the pool too. On
    the loop a token check may still bring its project's cached aggregate up to date, a
    read of the few events since, once after each change to the project. The route takes
    `gov` (and may take `after` and `limit`)."""

    def serving(route: Callable[P, T]) -> Callable[P, Coroutine[Any, Any, T]]:
        parameters = inspect.signature(route).parameters
        if "gov" not in parameters:
            raise TypeError(f"{route.__name__} takes no `gov`: short_read cannot see its store")
        if unknown := [name for name in unless if name not in parameters]:
            raise TypeError(f"{route.__name__} takes no {unknown}")

        @functools.wraps(route)
        async def served(*args: P.args, **kwargs: P.kwargs) -> T:
            gov = kwargs["gov"]
            assert isinstance(gov, Governance)
            short = (
                gov.store.local
                and gov.read_models.answer_at_once(kwargs.get("after"))  # type: ignore[arg-type]
                and kwargs.get("limit", SHORT_PAGE) <= SHORT_PAGE  # type: ignore[operator]
                and all(kwargs.get(name) is None for name in unless)
            )
            if short:
                return route(*args, **kwargs)
            return await run_in_threadpool(route, *args, **kwargs)

        return served

    return serving
