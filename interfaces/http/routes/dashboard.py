"""The dashboard: a server-rendered page over the read models, with sign-in by token.

`GET /dashboard/{pid}` answers a signed-in reader (the cookie set by the sign-in form, or an
`Authorization: Bearer` header like every other route) with the page, and anyone else with
the sign-in form (200, not a 401 page). The token is posted, kept in an HttpOnly,
SameSite=Strict cookie (Secure over https) and never written into the page or an address.
The page only reads, so the cookie cannot be made to change anything; the sign-in form
refuses a post from another origin. Not part of the JSON API, so not in its OpenAPI schema.
"""

from __future__ import annotations

from importlib import resources
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from cogov.application import Governance
from cogov.application.credentials import Principal
from cogov.application.trail import event_types
from cogov.application.views import PowerRow
from cogov.domain import GovernanceError, InvalidInput, NotFound
from cogov.domain.hidden_results import HIDDEN_TYPE
from cogov.interfaces.http.access import authenticate, may_read, reader_of
from cogov.interfaces.http.dashboard import (
    OUTCOMES,
    STAGES,
    DashboardInput,
    Filters,
    Moment,
    dashboard_html,
    event_page,
    known,
    parse_day,
    sign_in_page,
    stage_end,
)
from cogov.interfaces.http.dependencies import Gov
from cogov.interfaces.http.problems import Unauthenticated
from cogov.interfaces.http.routes.trail import shown_events
from cogov.interfaces.http.story import StoryInput, named, story_html

router = APIRouter(include_in_schema=False)

COOKIE = "cogov_dashboard"
CHOICES = ("true", "false")
# The page loads only the package's own stylesheet and script (live updates), and the
# script may only reach this site (the page again and the event stream).
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # keeps the Origin the sign-in form checks
    "Cache-Control": "no-store",
}
ASSETS = {
    "dashboard.css": "text/css; charset=utf-8",
    "dashboard.js": "text/javascript; charset=utf-8",
}
RECENT = 50  # events listed as new since the page opened; older ones are in the trail


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _title(gov: Governance, pid: str) -> str:
    try:
        return gov.project(pid).title
    except GovernanceError:
        return "cogov"


def _reader(gov: Governance, request: Request) -> tuple[Principal | None, str | None]:
    """Who is signed in (header first, then the cookie), and why not if a token failed."""
    header = request.headers.get("Authorization")
    token = request.cookies.get(COOKIE)
    if not header and not token:
        return None, None
    try:
        return authenticate(gov, request.app.state.admin_token, header or f"Bearer {token}"), None
    except Unauthenticated:
        return None, "That token is unknown, revoked or expired: sign in again."


@router.get("/dashboard/{pid}", response_class=HTMLResponse)
def dashboard(
    pid: str,
    request: Request,
    gov: Gov,
    as_of: str | None = None,
    as_of_stage: str | None = None,
    since: str | None = None,
    outcome: str | None = None,
    key: str | None = None,
    stage: str | None = None,
    area: str | None = None,
    jointly_owned: str | None = None,
) -> Response:
    principal, problem = _reader(gov, request)
    if principal is None:
        response = _html(sign_in_page(pid, _title(gov, pid), problem))
        if problem:
            response.delete_cookie(COOKIE, path="/dashboard")
        return response
    try:
        may_read(principal, pid)
    except NotFound:
        return _html(sign_in_page(pid, "cogov", "That token does not open this project."), 404)
    moment, notice = parse_day(as_of)
    notices = [notice] if notice else []
    project = gov.project(pid)
    timeline: list[PowerRow] = []
    while batch := gov.power_timeline(
        pid, after_position=timeline[-1].position if timeline else 0, limit=1000
    ):
        timeline.extend(batch)
    stages = list(dict.fromkeys(r.stage for r in timeline))
    if as_of_stage and moment.now:
        at_stage = stage_end(as_of_stage, timeline) if as_of_stage in STAGES else None
        if at_stage is None:
            notices.append("The project has not been in that stage, so this shows now.")
        else:
            moment = at_stage
    filters = Filters(
        outcome=known(outcome or "", OUTCOMES),
        key=known(key or "", CHOICES),
        stage=known(stage or "", STAGES),
        area=known(area or "", project.areas),
        jointly_owned=known(jointly_owned or "", CHOICES),
    )
    try:
        accountability = gov.accountability(pid, moment.end)
    except NotFound:
        notices.append("The project had not been founded by that date, so this shows now.")
        moment, accountability = Moment(), gov.accountability(pid)
    rows = gov.decisions(
        pid,
        outcome=filters.outcome or None,
        key=None if not filters.key else filters.key == "true",
        stage=filters.stage or None,
        area=filters.area or None,
        jointly_owned=None if not filters.jointly_owned else filters.jointly_owned == "true",
    )
    end = moment.end
    if end is not None:
        timeline = [r for r in timeline if moment.covers(r.as_of)]
        rows = [r for r in rows if moment.covers(r.tabled_at)]
    shown = gov.project(pid, version=accountability.version) if end is not None else project
    card = gov.scorecard(pid, as_of=end)
    # where the page's live updates began (set by its script); else the trail's head now
    opened = int(since) if since and since.isdigit() else gov.max_position()
    recent = (
        shown_events(gov, principal, pid, after=opened, limit=RECENT + 1) if end is None else []
    )
    more_recent, recent = len(recent) > RECENT, recent[:RECENT]
    ids = [m.member_id for m in shown.members] + [r.proposer for r in rows]
    ids += accountability.member_ids() + [r.member_id for r in card.recognition]
    ids += [e.actor for e in recent if e.actor]
    page = DashboardInput(
        project=shown,
        moment=moment,
        scorecard=card,
        timeline=timeline,
        decisions=rows,
        accountability=accountability,
        names=gov.names(ids),
        filters=filters,
        reader=_who(gov, principal),
        stages=stages,
        notices=notices,
        since=opened,
        recent=recent,
        more_recent=more_recent,
        event_types=sorted(event_types() | {HIDDEN_TYPE}),
    )
    return _html(dashboard_html(page))


@router.get("/dashboard/{pid}/decisions/{decision_id}", response_class=HTMLResponse)
def dashboard_decision(pid: str, decision_id: str, request: Request, gov: Gov) -> Response:
    """One decision's story, as this reader may see it (stances hidden until a proposal
    closes stay hidden)."""
    principal, problem = _reader(gov, request)
    if principal is None:
        return _html(sign_in_page(pid, _title(gov, pid), problem))
    try:
        may_read(principal, pid)
        row = gov.decision(decision_id)
        if row.project_id != pid:
            raise NotFound(f"no decision with id {decision_id}")
        seen = reader_of(principal)
        proposal = gov.proposal(decision_id, reader=seen) if row.by_proposal else None
    except NotFound:
        return _html(sign_in_page(pid, "cogov", "This project has no such decision for you."), 404)
    project = gov.project(pid)
    story = StoryInput(
        pid=pid,
        project_title=project.title,
        perspectives=project.perspectives,
        row=row,
        proposal=proposal,
        names=gov.names(named(row, proposal)),
        reader=_who(gov, principal),
    )
    return _html(story_html(story))


@router.get("/dashboard/{pid}/events/{position}", response_class=HTMLResponse)
def dashboard_event(pid: str, position: int, request: Request, gov: Gov) -> Response:
    """One event of the project's trail, as this reader may see it."""
    principal, problem = _reader(gov, request)
    if principal is None:
        return _html(sign_in_page(pid, _title(gov, pid), problem))
    try:
        may_read(principal, pid)
        found = shown_events(gov, principal, pid, after=max(position - 1, 0), limit=1)
    except (NotFound, InvalidInput):
        found = []
    if not found or found[0].position != position:
        return _html(
            sign_in_page(pid, "cogov", "This project has no event at that position for you."),
            404,
        )
    record = found[0]
    title = _title(gov, pid)
    names = gov.names([record.actor, *_ids_in(record.data)] if record.actor else [])
    return _html(event_page(pid, title, record, names, _who(gov, principal)))


def _ids_in(data: dict[str, object]) -> list[str]:
    """The member ids an event's data names directly (to show them by name)."""
    return [v for k, v in data.items() if isinstance(v, str) and k.endswith(("member_id", "_by"))]


def _who(gov: Governance, principal: Principal) -> str:
    if principal.kind == "admin":
        return "the instance administrator"
    name = gov.display_name(principal.subject) or "someone not named"
    return f"{name} (auditor)" if principal.kind == "auditor" else name


def _same_origin(request: Request) -> bool:
    """A form posted from a page of this site (or by a client that sends no Origin)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == request.headers.get("Host", "")


@router.post("/dashboard/{pid}/sign-in", response_class=HTMLResponse)
async def sign_in(pid: str, request: Request, gov: Gov) -> Response:
    """Takes `token` from a form, sets the cookie and returns to the page (303)."""
    if not _same_origin(request):
        return _html(sign_in_page(pid, "cogov", "Sign in from this site's own form."), 403)
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0].strip()
    title = await run_in_threadpool(_title, gov, pid)
    if not token:
        return _html(sign_in_page(pid, title, "Enter your token to sign in."), 401)
    try:
        principal = await run_in_threadpool(
            authenticate, gov, request.app.state.admin_token, f"Bearer {token}"
        )
        may_read(principal, pid)
    except (Unauthenticated, NotFound):
        return _html(
            sign_in_page(
                pid, title, "That token is unknown, revoked, expired or for another project."
            ),
            401,
        )
    response = RedirectResponse(f"/dashboard/{pid}", status_code=303, headers=HEADERS)
    response.set_cookie(
        COOKIE,
        token,
        path="/dashboard",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/dashboard/{pid}/sign-out")
def sign_out(pid: str) -> Response:
    response = RedirectResponse(f"/dashboard/{pid}", status_code=303, headers=HEADERS)
    response.delete_cookie(COOKIE, path="/dashboard", httponly=True, samesite="strict")
    return response


@router.get("/dashboard-assets/{name}")
def asset(name: str) -> Response:
    """The dashboard's own stylesheet, shipped with the package."""
    if name not in ASSETS:
        raise NotFound(f"no dashboard asset named {name!r}")
    body = resources.files("cogov.interfaces.http").joinpath("static", name).read_bytes()
    return Response(
        body,
        media_type=ASSETS[name],
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "max-age=3600"},
    )
