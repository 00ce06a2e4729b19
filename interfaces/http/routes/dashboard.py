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
from cogov.application.views import PowerRow
from cogov.domain import GovernanceError, NotFound
from cogov.interfaces.http.access import authenticate, may_read
from cogov.interfaces.http.dashboard import (
    OUTCOMES,
    STAGES,
    DashboardInput,
    Filters,
    dashboard_html,
    known,
    parse_day,
    sign_in_page,
)
from cogov.interfaces.http.dependencies import Gov
from cogov.interfaces.http.problems import Unauthenticated

router = APIRouter(include_in_schema=False)

COOKIE = "cogov_dashboard"
CHOICES = ("true", "false")
# The page holds no script and loads only the package's stylesheet.
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # keeps the Origin the sign-in form checks
    "Cache-Control": "no-store",
}
ASSETS = {"dashboard.css": "text/css; charset=utf-8"}


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
        moment, accountability = parse_day(None)[0], gov.accountability(pid)
    rows = gov.decisions(
        pid,
        outcome=filters.outcome or None,
        key=None if not filters.key else filters.key == "true",
        stage=filters.stage or None,
        area=filters.area or None,
        jointly_owned=None if not filters.jointly_owned else filters.jointly_owned == "true",
    )
    timeline: list[PowerRow] = []
    while batch := gov.power_timeline(
        pid, after_position=timeline[-1].position if timeline else 0, limit=1000
    ):
        timeline.extend(batch)
    end = moment.end
    if end is not None:
        timeline = [r for r in timeline if moment.covers(r.as_of)]
        rows = [r for r in rows if moment.covers(r.tabled_at)]
    shown = gov.project(pid, version=accountability.version) if end is not None else project
    ids = [m.member_id for m in shown.members] + [r.proposer for r in rows]
    ids += accountability.member_ids()
    page = DashboardInput(
        project=shown,
        moment=moment,
        scorecard=gov.scorecard(pid),
        timeline=timeline,
        decisions=rows,
        accountability=accountability,
        names=gov.names(ids),
        filters=filters,
        reader=_who(gov, principal),
        notices=notices,
    )
    return _html(dashboard_html(page))


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
