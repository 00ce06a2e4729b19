"""No two API routes answer the same request (a path of one route's own shape, its method):
the order the app includes its routers in then decides nothing but how soon each request
finds its route, so it may follow the traffic. The routers are included without prefixes,
so each route's own pattern is the one matched."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute

from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app

SAMPLE = "0b5e9b5c-6d9e-4a52-8c1e-3f0a2b4c6d8e"  # what a path parameter holds


def routes() -> list[APIRoute]:
    gov = open_governance("memory://")
    try:
        app = create_app(gov, follow=False)
    finally:
        gov.close()

    def flat(found: object) -> Iterator[APIRoute]:
        for route in getattr(found, "routes", []):
            if isinstance(route, APIRoute):
                yield route
            elif hasattr(route, "effective_route_contexts"):  # an included router
                yield from (c.original_route for c in route.effective_route_contexts())
            else:
                yield from flat(route)

    return [r for r in flat(app.router) if isinstance(r, APIRoute)]


ROUTES = routes()


def test_every_resource_is_routed() -> None:
    paths = {r.path for r in ROUTES}
    assert {"/healthz", "/projects/{pid}/power", "/proposals/{proposal_id}/responses"} <= paths
    assert len(ROUTES) > 50


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{sorted(r.methods)} {r.path}")
def test_no_other_route_answers_a_routes_requests(route: APIRoute) -> None:
    """A path made from the route's own (its parameters filled in, and each literal segment
    as it is) matches no other route of the same method."""
    path = re.sub(r"\{[^}]+\}", SAMPLE, route.path)
    methods = route.methods or set()
    others = [
        other.path
        for other in ROUTES
        if other is not route
        and (other.methods or set()) & methods
        and other.path_regex.match(path)
    ]
    assert others == []
