"""Every route against every kind of caller, and the safety of every POST."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import attrs
import pytest
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from cogov.interfaces.http.routes.stream import StreamSettings
from tests.support import Clock

ADMIN = "admin-token-for-tests-0123456789"
CALLERS = ["none", "admin", "member", "other_member", "auditor", "expired_auditor"]


@attrs.define
class World:
    client: TestClient
    gov: Governance
    tokens: dict[str, str | None]
    ids: dict[str, str]

    def headers(self, caller: str, **extra: str) -> dict[str, str]:
        token = self.tokens[caller]
        return ({"Authorization": f"Bearer {token}"} if token else {}) | extra


def ok(response: Any, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def world(clock: Clock) -> Iterator[World]:
    gov = open_governance("memory://", clock=clock)
    # an event stream that may be read ends at once, so that its 200 can be seen whole
    streams = StreamSettings(max_seconds=0.05)
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False, streams=streams)) as client:
        admin = {"Authorization": f"Bearer {ADMIN}"}
        a = ok(
            client.post(
                "/projects",
                json={
                    "title": "A",
                    "founder": {"display_name": "Fay", "perspectives": ["researcher"]},
                },
                headers=admin,
            )
        )
        b = ok(
            client.post(
                "/projects",
                json={"title": "B", "founder": {"display_name": "Bo", "perspectives": ["public"]}},
                headers=admin,
            )
        )
        founder = {"Authorization": f"Bearer {a['founder_token']}"}
        member = ok(
            client.post(
                f"/projects/{a['id']}/members",
                json={"display_name": "Mo", "perspectives": ["public"]},
                headers=founder,
            )
        )
        auditor = ok(
            client.post(
                f"/projects/{a['id']}/auditors",
                json={"name": "REC", "expires_at": (clock.now.replace(year=2030)).isoformat()},
                headers=founder,
            )
        )
        expiring = ok(
            client.post(
                f"/projects/{a['id']}/auditors",
                json={"name": "Funder", "expires_at": (clock.now.replace(hour=10)).isoformat()},
                headers=admin,
            )
        )
        ok(client.post(f"/projects/{a['id']}/roles", json={"name": "Helper"}, headers=founder))
        ok(client.post(f"/projects/{a['id']}/roles", json={"name": "Minutes"}, headers=founder))
        founder_id = a["founder_member_id"]
        ok(
            client.post(
                f"/projects/{a['id']}/roles/Minutes/holders",
                json={"member_id": founder_id},
                headers=founder,
            )
        )
        # Fay runs operations alone, by an adopted key proposal Mo (public) agreed to
        delegation = gov.table_proposal(
            a["id"],
            title="Fay runs operations",
            text="Day-to-day running",
            area="operations",
            key=True,
            actions=[{"type": "delegate_area", "area": "operations", "member_ids": [founder_id]}],
            actor=founder_id,
        )
        for elector in (founder_id, member["member_id"]):
            gov.respond(delegation.proposal_id, stance="consent", actor=elector)
        gov.close_proposal(delegation.proposal_id, actor=founder_id)
        issue = gov.raise_ethics_issue(a["id"], title="Data", text="Where kept?", actor=founder_id)
        proposal = ok(
            client.post(
                f"/projects/{a['id']}/proposals",
                json={"title": "Meet online", "text": "Tuesdays", "area": "operations"},
                headers=founder,
            )
        )
        ok(
            client.post(
                f"/proposals/{proposal['id']}/responses",
                json={"stance": "object", "reason": "Evenings suit carers"},
                headers=founder,
            )
        )
        clock.advance(hours=2)  # the funder's access has now expired
        yield World(
            client,
            gov,
            {
                "none": None,
                "admin": ADMIN,
                "member": a["founder_token"],
                "other_member": b["founder_token"],
                "auditor": auditor["token"],
                "expired_auditor": expiring["token"],
            },
            {
                "a": a["id"],
                "member": member["member_id"],
                "founder": a["founder_member_id"],
                "proposal": proposal["id"],
                "auditor": auditor["auditor_id"],
                "issue": issue.issue_id,
            },
        )
    gov.close()


READ = {
    "none": 401,
    "admin": 200,
    "member": 200,
    "other_member": 404,
    "auditor": 200,
    "expired_auditor": 401,
}
WRITE = {
    "none": 401,
    "admin": 403,
    "member": 201,
    "other_member": 404,
    "auditor": 403,
    "expired_auditor": 401,
}
STEWARD = WRITE | {"admin": 201}
REVOKE = STEWARD | {"admin": 200, "member": 200}
# whose am I, and which projects may I see: anyone with a live token, for themselves
ANYONE = READ | {"other_member": 200}
# the log's key and checkpoints: anyone, with or without a token, may verify
EVERYONE = dict.fromkeys(CALLERS, 200)

ROUTES: list[tuple[str, str, dict[str, Any] | None, dict[str, int]]] = [
    ("GET", "/me", None, ANYONE),
    ("GET", "/projects", None, ANYONE),
    ("GET", "/projects/{a}", None, READ),
    ("GET", "/projects/{a}/members", None, READ),
    ("GET", "/projects/{a}/roles", None, READ),
    ("GET", "/projects/{a}/proposals", None, READ),
    (
        "POST",
        "/projects",
        {"title": "C", "founder": {"display_name": "Cy", "perspectives": ["public"]}},
        WRITE | {"admin": 201, "member": 403, "other_member": 403},
    ),
    ("POST", "/projects/{a}/members", {"display_name": "New", "perspectives": ["public"]}, WRITE),
    ("POST", "/projects/{a}/members/{member}/tokens", None, STEWARD),
    ("DELETE", "/projects/{a}/members/{member}/tokens", None, REVOKE),
    (
        "PUT",
        "/projects/{a}/members/{founder}/name",
        {"shown_as": "initials"},
        WRITE | {"member": 200},
    ),
    (
        "POST",
        "/projects/{a}/members/{member}/perspectives",
        {"perspectives": ["public", "practitioner"]},
        WRITE,
    ),
    ("POST", "/projects/{a}/members/{founder}/departure", None, WRITE),
    ("POST", "/projects/{a}/members/{member}/erasure", None, WRITE),
    ("DELETE", "/projects/{a}/auditors/{auditor}", None, REVOKE),
    (
        "POST",
        "/projects/{a}/auditors",
        {"name": "REC 2", "expires_at": "2031-01-01T00:00:00Z"},
        STEWARD,
    ),
    ("POST", "/projects/{a}/roles", {"name": "Scribe"}, WRITE),
    ("POST", "/projects/{a}/roles/Helper/holders", {"member_id": "{member}"}, WRITE),
    ("POST", "/projects/{a}/roles/Minutes/holders/{founder}/relinquishment", None, WRITE),
    (
        "POST",
        "/projects/{a}/direct-decisions",
        {"title": "Book room 4", "text": "For the workshop", "area": "operations"},
        WRITE,
    ),
    ("POST", "/projects/{a}/proposals", {"title": "T", "text": "x", "area": "methods"}, WRITE),
    ("GET", "/proposals/{proposal}", None, READ),
    ("POST", "/proposals/{proposal}/responses", {"stance": "consent"}, WRITE),
    ("POST", "/proposals/{proposal}/proxies", {"member_id": "{member}"}, WRITE),
    ("POST", "/proposals/{proposal}/comments", {"text": "Could we alternate?"}, WRITE),
    ("POST", "/proposals/{proposal}/amendments", {"text": "Alternate evenings"}, WRITE),
    ("POST", "/proposals/{proposal}/objections/withdrawal", None, WRITE),
    ("POST", "/proposals/{proposal}/withdrawal", {"reason": "rethinking"}, WRITE),
    ("POST", "/proposals/{proposal}/closure", None, WRITE),
    ("GET", "/projects/{a}/decisions", None, READ),
    ("GET", "/projects/{a}/power", None, READ),
    ("GET", "/projects/{a}/power/timeline", None, READ),
    ("GET", "/projects/{a}/scorecard", None, READ),
    ("GET", "/projects/{a}/audit-pack", None, READ),
    ("GET", "/projects/{a}/report", None, READ),
    ("GET", "/projects/{a}/events", None, READ),
    ("GET", "/projects/{a}/stream", None, READ),
    ("GET", "/projects/{a}/access-log", None, READ),
    ("GET", "/projects/{a}/journal", None, READ),
    ("GET", "/projects/{a}/accountability", None, READ),
    ("POST", "/projects/{a}/journal/reflections", {"scope": "team", "text": "We learned"}, WRITE),
    (
        "POST",
        "/projects/{a}/journal/recognitions",
        {"member_id": "{member}", "kind": "payment_declined"},
        WRITE,
    ),
    (
        "POST",
        "/projects/{a}/journal/support",
        {"member_id": "{member}", "kind": "training", "text": "Induction"},
        WRITE,
    ),
    (
        "POST",
        "/projects/{a}/journal/dialogue",
        {
            "kind": "meeting",
            "held_at": "2026-03-01T10:00:00Z",
            "attendees": ["{founder}", "{member}"],
            "summary": "Kick-off",
        },
        WRITE,
    ),
    ("POST", "/projects/{a}/journal/ethics-issues", {"title": "Consent", "text": "Long"}, WRITE),
    ("POST", "/projects/{a}/journal/ethics-issues/{issue}/resolution", {"how": "Shorter"}, WRITE),
    (
        "POST",
        "/projects/{a}/journal/ethics-reviews",
        {
            "committee": "REC",
            "reference": "26/NW/1",
            "outcome": "favourable",
            "decided_on": "2026-03-01",
        },
        WRITE,
    ),
    ("POST", "/projects/{a}/journal/interests", {"text": "I advise a charity"}, WRITE),
    ("POST", "/projects/{a}/journal/impacts", {"kind": "practice", "text": "A leaflet"}, WRITE),
    (
        "POST",
        "/projects/{a}/journal/involvement-justifications",
        {"stage": "funding", "reason": "Budget only"},
        WRITE,
    ),
    ("GET", "/audit/key", None, EVERYONE),
    ("GET", "/audit/checkpoint", None, EVERYONE),
    ("GET", "/audit/proofs/inclusion?position=1", None, READ),
    ("GET", "/audit/proofs/consistency?from=1&to=2", None, ANYONE),
]


def fill(template: Any, ids: dict[str, str]) -> Any:
    if isinstance(template, str):
        return template.format(**ids)
    if isinstance(template, dict):
        return {k: fill(v, ids) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, ids) for v in template]
    return template


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "path", "body", "expected"), ROUTES, ids=lambda r: str(r)[:40])
def test_authorization_matrix(
    world: World,
    caller: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    expected: dict[str, int],
) -> None:
    before = world.gov.max_position()
    response = world.client.request(
        method, fill(path, world.ids), json=fill(body, world.ids), headers=world.headers(caller)
    )
    assert response.status_code == expected[caller], response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert {"type", "title", "status", "detail"} <= set(problem)
        assert problem["status"] == response.status_code
        assert world.gov.max_position() == before  # nothing recorded
    if response.status_code == 401:
        assert response.headers["www-authenticate"] == "Bearer"


PUBLIC = {("GET", "/healthz"), ("GET", "/readyz")}  # no token needed: see the next test


def test_the_matrix_covers_every_route_in_the_schema(world: World) -> None:
    """A new route fails here until the matrix says what each kind of caller gets."""
    paths = world.client.get("/openapi.json").json()["paths"]
    documented = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    covered: set[tuple[str, str]] = set()
    for method, path, _, _ in ROUTES:
        matches = {
            (m, template)
            for m, template in documented
            if m == method
            and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path.partition("?")[0])
        }
        assert len(matches) == 1, f"{method} {path} is not one route of the schema"
        covered |= matches
    missing = documented - covered - PUBLIC
    assert not missing, f"routes missing from the matrix: {sorted(missing)}"


def test_health_needs_no_token(world: World) -> None:
    assert world.client.get("/healthz").json() == {"status": "ok"}
    assert world.client.get("/readyz").status_code == 200
    assert "paths" in world.client.get("/openapi.json").json()


def test_without_a_token_malformed_input_is_still_401(world: World) -> None:
    """A request without a Bearer token is refused before its input is read; one with a
    token the store does not know is refused once its input is valid (the token is
    checked when the route asks who calls)."""
    before = world.gov.max_position()
    path = f"/projects/{world.ids['a']}/proposals"
    assert world.client.post(path, json={"title": 1}).status_code == 401
    assert world.client.get(f"{path}?limit=0").status_code == 401
    not_json = world.client.post(
        path, content=b"{not json", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400  # JSON is parsed before anything else
    unknown = {"Authorization": "Bearer cogov_unknown"}
    assert world.client.post(path, json={"title": 1}, headers=unknown).status_code == 422
    valid = {"title": "T", "text": "x", "area": "methods"}
    assert world.client.post(path, json=valid, headers=unknown).status_code == 401
    assert world.gov.max_position() == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [(m, p, b) for m, p, b, expected in ROUTES if expected["none"] == 401],
    ids=lambda r: str(r)[:40],
)
def test_an_unknown_token_is_401_whatever_the_route_names(
    world: World, method: str, path: str, body: dict[str, Any] | None
) -> None:
    """A route asks who calls before it reads anything: with a token the store does not
    know, a resource that does not exist is no different from one that does."""
    nowhere = {name: str(uuid4()) for name in world.ids}
    before = world.gov.max_position()
    response = world.client.request(
        method,
        fill(path, nowhere).replace("position=1", "position=999999"),
        json=fill(body, nowhere),
        headers={"Authorization": "Bearer cogov_unknown"},
    )
    assert response.status_code == 401, response.text
    assert world.gov.max_position() == before


def test_the_actor_comes_from_the_token_never_the_body(world: World) -> None:
    response = world.client.post(
        f"/proposals/{world.ids['proposal']}/responses",
        json={"stance": "consent", "actor": world.ids["member"]},
        headers=world.headers("member"),
    )
    assert response.status_code == 422  # unknown field refused
    response = world.client.post(
        f"/proposals/{world.ids['proposal']}/responses",
        json={"stance": "consent"},
        headers=world.headers("member"),
    )
    last = world.gov.events_after(response.json()["position"] - 1, 1)[0]
    assert last.actor == world.ids["founder"]


def test_a_write_the_charter_does_not_allow_is_403_with_the_reason(world: World) -> None:
    member = world.gov.issue_token(world.ids["a"], world.ids["member"], actor=world.ids["founder"])
    response = world.client.post(
        f"/projects/{world.ids['a']}/members",
        json={"display_name": "X", "perspectives": ["public"]},
        headers={"Authorization": f"Bearer {member.token}"},
    )
    assert response.status_code == 403
    assert "admit_member" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"stance": "veto"}, 422, "stance"),
        ({"stance": "object"}, 422, "reason"),
        ({}, 422, "stance"),
        ({"stance": "consent", "reason": 7}, 422, "reason"),
    ],
)
def test_bad_input_says_which_field_and_records_nothing(
    world: World, body: dict[str, Any], status: int, field: str
) -> None:
    before = world.gov.max_position()
    response = world.client.post(
        f"/proposals/{world.ids['proposal']}/responses", json=body, headers=world.headers("member")
    )
    assert response.status_code == status
    assert field in response.json()["detail"]
    assert world.gov.max_position() == before


def test_oversized_and_malformed_bodies(world: World) -> None:
    before = world.gov.max_position()
    big = world.client.post(
        f"/projects/{world.ids['a']}/proposals",
        content=b'{"title": "' + b"x" * 70_000 + b'"}',
        headers=world.headers("member", **{"content-type": "application/json"}),
    )
    assert big.status_code == 413
    assert big.headers["content-type"] == "application/problem+json"
    bad = world.client.post(
        f"/projects/{world.ids['a']}/proposals",
        content=b"{not json",
        headers=world.headers("member", **{"content-type": "application/json"}),
    )
    assert bad.status_code == 400
    assert world.gov.max_position() == before


def test_idempotency_key_replays_the_first_response_and_refuses_a_different_body(
    world: World,
) -> None:
    url = f"/projects/{world.ids['a']}/proposals"
    body = {"title": "Once", "text": "only once", "area": "methods"}
    headers = world.headers("member", **{"Idempotency-Key": "abc-123"})
    first = world.client.post(url, json=body, headers=headers)
    position = world.gov.max_position()
    again = world.client.post(url, json=body, headers=headers)
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert world.gov.max_position() == position
    other = world.client.post(url, json=body | {"title": "Twice"}, headers=headers)
    assert other.status_code == 422
    assert world.gov.max_position() == position
    # a refusal replays as the same refusal
    refusal = {"title": "", "text": "x", "area": "methods"}
    key = world.headers("member", **{"Idempotency-Key": "bad-1"})
    assert world.client.post(url, json=refusal, headers=key).status_code == 422
    assert world.client.post(url, json=refusal, headers=key).status_code == 422


LISTS = [
    "/projects",
    "/projects/{a}/members",
    "/projects/{a}/roles",
    "/projects/{a}/proposals",
    "/projects/{a}/decisions",
    "/projects/{a}/events",
    "/projects/{a}/power/timeline",
]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_pages_the_same_way_with_limit_and_next(world: World, path: str) -> None:
    """Following `next` from `limit=2` yields the whole list once, in order."""
    for i in range(3):
        world.client.post(
            f"/projects/{world.ids['a']}/proposals",
            json={"title": f"P{i}", "text": "x", "area": "methods"},
            headers=world.headers("member"),
        )
    url: str | None = fill(path, world.ids)
    whole = ok(world.client.get(url, headers=world.headers("admin")), 200)["items"]
    assert whole
    walked: list[Any] = []
    url = f"{url}?limit=2"
    while url:
        page = ok(world.client.get(url, headers=world.headers("admin")), 200)
        assert len(page["items"]) <= 2
        if not path.endswith(("/events", "/timeline")):  # paged by offset: no empty last page
            assert page["items"]
        walked += page["items"]
        url = page["next"]
    assert walked == whole


def test_event_times_are_utc_with_z(world: World) -> None:
    events = world.client.get(
        f"/projects/{world.ids['a']}/events", headers=world.headers("auditor")
    ).json()
    assert all(e["recorded_at"].endswith("Z") for e in events["items"])


def test_nobody_responds_for_another_member_without_being_appointed(world: World) -> None:
    url = f"/proposals/{world.ids['proposal']}/responses"
    on_behalf = {"stance": "consent", "on_behalf_of": world.ids["member"]}
    refused = world.client.post(url, json=on_behalf, headers=world.headers("member"))
    assert refused.status_code == 403
    member_token = world.gov.issue_token(
        world.ids["a"], world.ids["member"], actor=world.ids["member"]
    ).token
    appointed = world.client.post(
        f"/proposals/{world.ids['proposal']}/proxies",
        json={"member_id": world.ids["founder"]},
        headers={"Authorization": f"Bearer {member_token}"},
    )
    assert appointed.status_code == 201
    assert (
        world.client.post(url, json=on_behalf, headers=world.headers("member")).status_code == 201
    )
    cast = world.gov.events_after(world.gov.max_position() - 1, 1)[0]
    assert cast.data["cast_by"] == world.ids["founder"]


def test_tokens_are_never_kept_for_replay(world: World) -> None:
    url = f"/projects/{world.ids['a']}/members"
    headers = world.headers("member", **{"Idempotency-Key": "admit-zoe"})
    body = {"display_name": "Zoe", "perspectives": ["public"]}
    first = world.client.post(url, json=body, headers=headers)
    assert first.status_code == 201
    stored = world.gov.records.get("idempotency", next(iter(_scopes(world))))
    assert stored is not None and "cgv_" not in str(stored)
    again = world.client.post(url, json=body, headers=headers)
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/token_shown_once"
    assert first.json()["member_id"] in again.json()["detail"]


def _scopes(world: World) -> list[str]:
    records = world.gov.records
    keys = getattr(records, "_records", {})
    return [k for (ns, k) in keys if ns == "idempotency"]


def test_a_renewed_token_revokes_the_old_one(world: World) -> None:
    old = world.tokens["member"]
    renewed = world.client.post(
        f"/projects/{world.ids['a']}/members/{world.ids['founder']}/tokens",
        headers=world.headers("member"),
    )
    assert renewed.status_code == 201
    assert (
        world.client.get(
            f"/projects/{world.ids['a']}", headers={"Authorization": f"Bearer {old}"}
        ).status_code
        == 401
    )
    fresh = {"Authorization": f"Bearer {renewed.json()['token']}"}
    assert world.client.get(f"/projects/{world.ids['a']}", headers=fresh).status_code == 200


def test_a_token_revoked_in_the_events_stops_working_even_if_its_hash_remains(
    world: World,
) -> None:
    """The events are the authority: a credential store that lags cannot revive a token."""
    from cogov.application.credentials import token_hash

    old = world.tokens["member"]
    assert old is not None
    record = world.gov.records.get("token", token_hash(old))
    world.gov.issue_token(world.ids["a"], world.ids["founder"], actor=world.ids["founder"])
    assert record is not None
    world.gov.records.put("token", token_hash(old), record)  # as if the store lagged
    response = world.client.get(
        f"/projects/{world.ids['a']}", headers={"Authorization": f"Bearer {old}"}
    )
    assert response.status_code == 401


def test_a_role_allowed_to_admit_gets_the_new_members_token_atomically(clock: Clock) -> None:
    gov = open_governance("memory://", clock=clock)
    founded = gov.found_project(
        title="Coordinated", founder_name="F", founder_perspectives=["researcher"]
    )
    pid, founder = founded.project_id, founded.founder_id
    coordinator = gov.admit_member(
        pid, display_name="C", perspectives=["public"], actor=founder, with_token=True
    )
    gov.define_role(pid, name="Coordinator", actor=founder)
    gov.assign_role(pid, "Coordinator", coordinator.member_id, actor=founder)
    # the team lets Coordinators admit members alone (a charter change is a key decision)
    amended = gov.table_proposal(
        pid,
        title="Coordinators admit members",
        text="Coordinators may admit members without a proposal.",
        area="governance",
        key=True,
        actions=[
            {
                "type": "amend_charter",
                "changes": {"acting_alone": {"admit_member": ["Facilitator", "Coordinator"]}},
            }
        ],
        actor=founder,
    ).proposal_id
    for member in (founder, coordinator.member_id):
        gov.respond(amended, stance="consent", actor=member)
    gov.close_proposal(amended, actor=founder)
    assert gov.project(pid).charter["acting_alone"]["admit_member"] == [
        "Facilitator",
        "Coordinator",
    ]
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        admitted = client.post(
            f"/projects/{founded.project_id}/members",
            json={"display_name": "New", "perspectives": ["public"]},
            headers={"Authorization": f"Bearer {coordinator.token}"},
        )
        assert admitted.status_code == 201, admitted.text
        new = {"Authorization": f"Bearer {admitted.json()['token']}"}
        assert client.get(f"/projects/{founded.project_id}", headers=new).status_code == 200
    gov.close()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/projects/{a}/proposals",
            {
                "title": "T",
                "text": "x",
                "area": "methods",
                "closes_at": "9999-12-31T23:59:59-14:00",
            },
        ),
        ("/projects/{a}/auditors", {"name": "R", "expires_at": "9999-12-31T23:59:59-14:00"}),
        ("/projects/{a}/auditors", {"name": "R", "expires_at": "2200-01-01T00:00:00Z"}),
    ],
)
def test_far_future_times_are_refused(world: World, path: str, body: dict[str, Any]) -> None:
    response = world.client.post(fill(path, world.ids), json=body, headers=world.headers("member"))
    assert response.status_code == 422
    assert (
        world.client.get(
            f"/projects/{world.ids['a']}/events", headers=world.headers("member")
        ).status_code
        == 200
    )
    far = world.client.get(
        f"/projects/{world.ids['a']}/power",
        params={"as_of": "9999-12-31T23:59:59-14:00"},
        headers=world.headers("member"),
    )
    assert far.status_code == 422


def test_a_chunked_body_over_the_limit_is_413(world: World) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    response = world.client.post(
        f"/projects/{world.ids['a']}/proposals",
        content=chunks(),
        headers=world.headers("member", **{"content-type": "application/json"}),
    )
    assert response.status_code == 413


def test_another_projects_proposal_is_simply_unknown(world: World) -> None:
    response = world.client.get(
        f"/proposals/{world.ids['proposal']}", headers=world.headers("other_member")
    )
    assert response.status_code == 404
    assert world.ids["a"] not in response.json()["detail"]
    assert "no proposal" in response.json()["detail"]


def test_an_unexpected_failure_is_a_500_problem(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(world.gov, "project", broken)
    client = TestClient(world.client.app, raise_server_exceptions=False)
    response = client.get(f"/projects/{world.ids['a']}", headers=world.headers("member"))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "disk" not in response.text


def test_a_refusal_that_may_change_is_not_replayed(world: World, clock: Clock) -> None:
    tabled = world.client.post(
        f"/projects/{world.ids['a']}/proposals",
        json={"title": "Later", "text": "x", "area": "methods"},
        headers=world.headers("member"),
    ).json()
    url = f"/proposals/{tabled['id']}/closure"
    key = world.headers("member", **{"Idempotency-Key": "close-later"})
    assert world.client.post(url, headers=key).status_code == 409  # not due yet
    clock.advance(days=8)
    closed = world.client.post(url, headers=key)
    assert closed.status_code == 201
    assert closed.json()["outcome"] == "lapsed"
