"""Who is calling, and what they may reach. Only this layer authenticates."""

from __future__ import annotations

import hmac

from cogov.application import Governance
from cogov.application.credentials import Principal
from cogov.domain import NotFound
from cogov.domain.language import INSTANCE_ADMIN
from cogov.interfaces.http.access_log import noted_read
from cogov.interfaces.http.problems import Forbidden, ReadOnly, Unauthenticated

ADMIN = Principal(kind="admin", subject=INSTANCE_ADMIN)
NO_BEARER = "send 'Authorization: Bearer <token>'"


def authenticate(gov: Governance, admin_token: str | None, authorization: str | None) -> Principal:
    if not authorization:
        raise Unauthenticated(NO_BEARER)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(NO_BEARER)
    token = token.strip()
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        return ADMIN
    principal = gov.authenticate(token)
    if principal is None:
        raise Unauthenticated("the token is unknown, revoked or expired")
    return principal


def may_read(principal: Principal, project_id: str) -> None:
    """Admins read everything; members and auditors their own project. Another project's
    resources answer 404, as if they did not exist. An allowed read is noted for the
    access log, which records it if the answer succeeds (access_log.py)."""
    if principal.kind != "admin" and principal.project_id != project_id:
        raise NotFound(f"no project with id {project_id}")
    noted_read(principal, project_id)


def reader_of(principal: Principal) -> str | None:
    """Whose stances a reader may see while a proposal hides its results until it closes:
    a member's own; an auditor or the admin gives none, so sees none."""
    return principal.subject if principal.kind == "member" else None


def acting_member(principal: Principal, project_id: str) -> str:
    """The member a write acts as: always the token's holder, never a body field."""
    may_read(principal, project_id)
    if principal.kind == "auditor":
        raise ReadOnly("auditors have read-only access")
    if principal.kind == "admin":
        raise Forbidden("the instance admin does not act as a project member")
    return principal.subject


def steward(principal: Principal, project_id: str) -> str:
    """For acts the instance admin may also do (tokens, auditors): the acting id."""
    if principal.kind == "admin":
        return INSTANCE_ADMIN
    return acting_member(principal, project_id)
