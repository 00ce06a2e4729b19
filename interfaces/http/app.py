"""The HTTP API (DESIGN sections 6 and 7). Endpoints are plain `def`: the library is sync."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

import attrs
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cogov.application import Governance
from cogov.application.credentials import Principal
from cogov.application.records import plain
from cogov.domain import InvalidInput, NotFound, Stage
from cogov.infrastructure import open_governance
from cogov.infrastructure.config import Settings
from cogov.interfaces.http import problems, schemas
from cogov.interfaces.http.access import acting_member, authenticate, may_read, steward
from cogov.interfaces.http.idempotency import Outcome, run_once
from cogov.interfaces.http.limits import BodySizeLimit

bearer = HTTPBearer(auto_error=False, description="a member, auditor or admin token")
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": description,
        "content": {problems.MEDIA_TYPE: {"schema": schemas.Problem.model_json_schema()}},
    }
    for status, description in {
        401: "no token, or an unknown, revoked or expired one",
        403: "the charter or the token's kind does not allow it",
        404: "no such resource in the caller's project",
        409: "conflicts with the current state",
        413: "request body too large",
        422: "invalid input (which field, which rule)",
        400: "malformed JSON",
        405: "method not allowed",
        503: "the views could not catch up in time, or the store is unreachable",
    }.items()
}
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
    Query(ge=0, description="wait (bounded) until the views include this event position"),
]


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The principal a request acts as (401 if none)."""
    header = f"Bearer {credentials.credentials}" if credentials else None
    return authenticate(request.app.state.governance, request.app.state.admin_token, header)


Caller = Annotated[Principal, Depends(caller)]


def create_app(
    gov: Governance,
    *,
    admin_token: str | None = None,
    max_body_bytes: int = 64 * 1024,
    follow: bool = True,
    owns_governance: bool = False,
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if follow:
            gov.follow()
        yield
        if owns_governance:
            gov.close()

    app = FastAPI(
        title="cogov",
        version="0.1.0",
        description="Event-sourced decision governance for co-produced research: proposals, "
        "responses, roles and power shifts as immutable events, with read models that audit "
        "joint ownership of key decisions and replay how power was distributed.",
        lifespan=lifespan,
        responses=PROBLEMS,
    )
    problems.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)

    app.state.governance = gov
    app.state.admin_token = admin_token

    def once(
        request: Request,
        principal: Principal,
        key: str | None,
        body: Any,
        command: Callable[[], Outcome],
    ) -> JSONResponse:
        payload = body.model_dump(mode="json") if hasattr(body, "model_dump") else body
        return run_once(gov.records, principal, request.url.path, key, payload, command)

    def proposal_project(principal: Principal, proposal_id: str) -> str:
        """The proposal's project, if the caller may see it; else the proposal is unknown."""
        project_id = str(gov.proposal(proposal_id).project_id)
        try:
            may_read(principal, project_id)
        except NotFound:
            raise NotFound(f"no proposal with id {proposal_id}") from None
        return project_id

    def page_link(request: Request, items: list[Any], limit: int, **cursor: Any) -> str | None:
        if len(items) < limit:
            return None
        return str(request.url.include_query_params(**cursor))

    # --- health ---------------------------------------------------------------------------

    @app.get("/healthz", tags=["health"], summary="the process is up")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], summary="the store is reachable")
    def readyz() -> JSONResponse:
        try:
            position = gov.max_position()
        except Exception:  # any store failure means not ready; details stay in the log
            problems.log.exception("readiness check failed")
            body = problems.problem_body(
                503, "Store unreachable", "the store did not answer", "not_ready"
            )
            return problems.response(503, body)
        return JSONResponse({"status": "ok", "position": position})

    # --- projects and members --------------------------------------------------------------

    @app.post(
        "/projects", status_code=201, response_model=schemas.ProjectCreated, tags=["projects"]
    )
    def found_project(
        body: schemas.ProjectIn, request: Request, principal: Caller, key: IdempotencyKey = None
    ) -> JSONResponse:
        """Found a project (instance admin only); the founder holds the Facilitator role."""
        if principal.kind != "admin":
            raise problems.Forbidden("only the instance admin may found projects")

        def command() -> Outcome:
            founded = gov.found_project(
                title=body.title,
                founder_name=body.founder.display_name,
                founder_perspectives=body.founder.perspectives,
                charter=body.charter.changes() if body.charter else None,
                with_token=True,
            )
            return 201, {
                "id": str(founded.project_id),
                "founder_member_id": founded.founder_id,
                "founder_token": founded.token,
                "position": founded.position,
            }

        return once(request, principal, key, body, command)

    @app.get("/projects/{pid}", response_model=schemas.ProjectOut, tags=["projects"])
    def get_project(pid: str, principal: Caller) -> Any:
        may_read(principal, pid)
        return plain(attrs.asdict(gov.project(pid)))

    @app.post(
        "/projects/{pid}/members",
        status_code=201,
        response_model=schemas.MemberCreated,
        tags=["projects"],
    )
    def admit_member(
        pid: str,
        body: schemas.MemberIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        """Admit a member (a Facilitator acting alone, by default); returns their token once."""
        actor = acting_member(principal, pid)

        def command() -> Outcome:
            admitted = gov.admit_member(
                pid,
                display_name=body.display_name,
                perspectives=body.perspectives,
                actor=actor,
                with_token=True,
            )
            return 201, {
                "member_id": admitted.member_id,
                "token": admitted.token,
                "position": admitted.position,
            }

        return once(request, principal, key, body, command)

    @app.post(
        "/projects/{pid}/members/{mid}/tokens",
        status_code=201,
        response_model=schemas.TokenOut,
        tags=["projects"],
    )
    def renew_token(
        pid: str, mid: str, request: Request, principal: Caller, key: IdempotencyKey = None
    ) -> JSONResponse:
        """A new token for a member (the member or a Facilitator); the old one is revoked."""
        actor = steward(principal, pid)

        def command() -> Outcome:
            issued = gov.issue_token(pid, mid, actor=actor)
            return 201, {"token": issued.token, "position": issued.position}

        return once(request, principal, key, {}, command)

    @app.post(
        "/projects/{pid}/auditors",
        status_code=201,
        response_model=schemas.AuditorCreated,
        tags=["audit"],
    )
    def add_auditor(
        pid: str,
        body: schemas.AuditorIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        """Read-only access to this project for an ethics committee or funder, until expiry."""
        actor = steward(principal, pid)

        def command() -> Outcome:
            issued = gov.add_auditor(pid, name=body.name, expires_at=body.expires_at, actor=actor)
            return 201, {
                "auditor_id": issued.holder,
                "token": issued.token,
                "position": issued.position,
            }

        return once(request, principal, key, body, command)

    # --- roles ---------------------------------------------------------------------------------

    @app.post(
        "/projects/{pid}/roles", status_code=201, response_model=schemas.Position, tags=["roles"]
    )
    def define_role(
        pid: str,
        body: schemas.RoleIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        actor = acting_member(principal, pid)

        def command() -> Outcome:
            position = gov.define_role(
                pid,
                name=body.name,
                responsibilities=body.responsibilities,
                leadership=body.leadership,
                areas=body.areas,
                actor=actor,
            )
            return 201, {"position": position}

        return once(request, principal, key, body, command)

    @app.post(
        "/projects/{pid}/roles/{role}/holders",
        status_code=201,
        response_model=schemas.Position,
        tags=["roles"],
    )
    def assign_role(
        pid: str,
        role: str,
        body: schemas.HolderIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        """Assign a role that is not a leadership role (leadership needs a key proposal)."""
        actor = acting_member(principal, pid)

        def command() -> Outcome:
            return 201, {"position": gov.assign_role(pid, role, body.member_id, actor=actor)}

        return once(request, principal, key, body, command)

    # --- proposals -----------------------------------------------------------------------------

    @app.post(
        "/projects/{pid}/proposals",
        status_code=201,
        response_model=schemas.ProposalCreated,
        tags=["proposals"],
    )
    def table_proposal(
        pid: str,
        body: schemas.ProposalIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        actor = acting_member(principal, pid)

        def command() -> Outcome:
            tabled = gov.table_proposal(
                pid,
                title=body.title,
                text=body.text,
                area=body.area,
                key=body.key,
                actions=body.actions,
                closes_at=body.closes_at,
                actor=actor,
            )
            return 201, {"id": str(tabled.proposal_id), "position": tabled.position}

        return once(request, principal, key, body, command)

    @app.get("/proposals/{proposal_id}", response_model=schemas.ProposalOut, tags=["proposals"])
    def get_proposal(proposal_id: str, principal: Caller) -> Any:
        proposal_project(principal, proposal_id)
        return plain(attrs.asdict(gov.proposal(proposal_id)))

    def on_proposal(
        proposal_id: str,
        request: Request,
        principal: Principal,
        key: str | None,
        body: Any,
        run: Callable[[str], int],
    ) -> JSONResponse:
        actor = acting_member(principal, proposal_project(principal, proposal_id))
        return once(request, principal, key, body, lambda: (201, {"position": run(actor)}))

    def proposal_post(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        return app.post(
            f"/proposals/{{proposal_id}}/{path}",
            status_code=201,
            response_model=schemas.Position,
            tags=["proposals"],
        )

    @proposal_post("responses")
    def respond(
        proposal_id: str,
        body: schemas.ResponseIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        """Consent, object (with a reason), abstain or stand aside; changeable until closing.
        `on_behalf_of` casts it as proxy for a fellow elector (recorded as `cast_by`)."""
        return on_proposal(
            proposal_id,
            request,
            principal,
            key,
            body,
            lambda actor: gov.respond(
                proposal_id,
                stance=body.stance,
                reason=body.reason,
                actor=actor,
                member_id=body.on_behalf_of,
            ),
        )

    @proposal_post("proxies")
    def appoint_proxy(
        proposal_id: str,
        body: schemas.ProxyIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        """Name a fellow elector to respond for you on this proposal (`on_behalf_of`); they
        can never replace a stance you gave yourself."""
        return on_proposal(
            proposal_id,
            request,
            principal,
            key,
            body,
            lambda actor: gov.appoint_proxy(proposal_id, proxy=body.member_id, actor=actor),
        )

    @proposal_post("amendments")
    def amend(
        proposal_id: str,
        body: schemas.AmendmentIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        """Amend the text (proposer only); consents given before are void."""
        return on_proposal(
            proposal_id,
            request,
            principal,
            key,
            body,
            lambda actor: gov.amend_proposal(proposal_id, text=body.text, actor=actor),
        )

    @proposal_post("withdrawal")
    def withdraw(
        proposal_id: str,
        body: schemas.WithdrawalIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        """Withdraw an open proposal (proposer only)."""
        return on_proposal(
            proposal_id,
            request,
            principal,
            key,
            body,
            lambda actor: gov.withdraw_proposal(proposal_id, reason=body.reason, actor=actor),
        )

    @proposal_post("comments")
    def comment(
        proposal_id: str,
        body: schemas.CommentIn,
        request: Request,
        principal: Caller,
        key: IdempotencyKey = None,
    ) -> JSONResponse:
        """Add to the dialogue on a proposal."""
        return on_proposal(
            proposal_id,
            request,
            principal,
            key,
            body,
            lambda actor: gov.comment(proposal_id, text=body.text, actor=actor),
        )

    @proposal_post("objections/withdrawal")
    def withdraw_objection(
        proposal_id: str, request: Request, principal: Caller, key: IdempotencyKey = None
    ) -> JSONResponse:
        """Withdraw your own standing objection."""
        return on_proposal(
            proposal_id,
            request,
            principal,
            key,
            {},
            lambda actor: gov.withdraw_objection(proposal_id, actor=actor),
        )

    @app.post(
        "/proposals/{proposal_id}/closure",
        status_code=201,
        response_model=schemas.ClosureOut,
        tags=["proposals"],
    )
    def close(
        proposal_id: str, request: Request, principal: Caller, key: IdempotencyKey = None
    ) -> JSONResponse:
        """Close once every elector has responded, when due, or early by the proposer once
        quorum is met. The outcome is computed by the frozen rules; adopted actions apply."""
        actor = acting_member(principal, proposal_project(principal, proposal_id))

        def command() -> Outcome:
            closed = gov.close_proposal(proposal_id, actor=actor)
            return 201, {"position": closed, "outcome": gov.proposal(proposal_id).outcome}

        return once(request, principal, key, {}, command)

    # --- read models -----------------------------------------------------------------------------

    @app.get("/projects/{pid}/decisions", response_model=schemas.DecisionPage, tags=["audit"])
    def decisions(
        pid: str,
        request: Request,
        principal: Caller,
        key: bool | None = None,
        stage: Stage | None = None,
        area: str | None = None,
        outcome: str | None = None,
        jointly_owned: bool | None = None,
        after: After = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        cursor: Annotated[int, Query(ge=0, description="from a previous page's next link")] = 0,
    ) -> Any:
        may_read(principal, pid)
        rows = gov.decisions(
            pid,
            key=key,
            stage=stage,
            area=area,
            outcome=outcome,
            jointly_owned=jointly_owned,
            after=after,
        )
        items = rows[cursor : cursor + limit]
        more = cursor + limit < len(rows)
        return {
            "items": [r.to_dict() for r in items],
            "next": str(request.url.include_query_params(cursor=cursor + limit)) if more else None,
        }

    @app.get("/projects/{pid}/power", response_model=schemas.PowerOut, tags=["audit"])
    def power(
        pid: str,
        principal: Caller,
        as_of: Annotated[datetime | None, Query(description="ISO 8601 time with zone")] = None,
        stage: Stage | None = None,
        after: After = None,
    ) -> Any:
        may_read(principal, pid)
        if stage is not None and as_of is not None:
            raise InvalidInput("give as_of or stage, not both")
        if stage is not None:
            return gov.power_in_stage(pid, stage, after=after).to_dict()
        return gov.power_as_of(pid, as_of, after=after).to_dict()

    @app.get("/projects/{pid}/power/timeline", response_model=schemas.PowerPage, tags=["audit"])
    def power_timeline(
        pid: str,
        request: Request,
        principal: Caller,
        cursor: Annotated[int, Query(ge=0, description="position to continue after")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        after: After = None,
    ) -> Any:
        may_read(principal, pid)
        rows = gov.power_timeline(pid, after_position=cursor, limit=limit, after=after)
        link = page_link(request, rows, limit, cursor=rows[-1].position if rows else cursor)
        return {"items": [r.to_dict() for r in rows], "next": link}

    @app.get("/projects/{pid}/scorecard", response_model=schemas.ScorecardOut, tags=["audit"])
    def scorecard(pid: str, principal: Caller, after: After = None) -> Any:
        may_read(principal, pid)
        return gov.scorecard(pid, after=after).to_dict()

    @app.get("/projects/{pid}/events", response_model=schemas.EventPage, tags=["audit"])
    def events(
        pid: str,
        request: Request,
        principal: Caller,
        after: Annotated[int, Query(ge=0, description="position to continue after")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Any:
        """The project's audit trail: its own events and its proposals', in order."""
        may_read(principal, pid)
        records = gov.project_events(pid, after=after, limit=limit)
        link = page_link(request, records, limit, after=records[-1].position if records else after)
        return {"items": [plain(attrs.asdict(r)) for r in records], "next": link}

    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory cogov.interfaces.http.app:app_from_env` (one app per worker)."""
    settings = Settings.from_env(os.environ)
    gov = open_governance(settings.database_url)
    return create_app(
        gov,
        admin_token=settings.admin_token,
        max_body_bytes=settings.max_body_bytes,
        owns_governance=True,
    )
