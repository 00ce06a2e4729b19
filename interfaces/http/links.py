"""OpenAPI links from the routes that create something to the routes that use it, so a
client (or a stateful test) can follow a new proposal's id to its responses, a new member's
id to their tokens, a new role's name to its holders."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute


def operation_id(route: APIRoute) -> str:
    """Each operation is known by its handler's name (they are unique in the app)."""
    return route.name


def links(status: int, **targets: dict[str, str]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route whose `status` answer links to operations by id, each with
    its parameters given as runtime expressions."""
    return {
        status: {
            "links": {
                name: {"operationId": name, "parameters": parameters}
                for name, parameters in targets.items()
            }
        }
    }


PROPOSAL = {"proposal_id": "$response.body#/id"}
NEW_PROPOSAL = links(
    201,
    get_proposal=PROPOSAL,
    respond=PROPOSAL,
    appoint_proxy=PROPOSAL,
    amend=PROPOSAL,
    withdraw=PROPOSAL,
    comment=PROPOSAL,
    withdraw_objection=PROPOSAL,
    close=PROPOSAL,
)
NEW_PROJECT = links(
    201,
    get_project={"pid": "$response.body#/id"},
    table_proposal={"pid": "$response.body#/id"},
    renew_token={"pid": "$response.body#/id", "mid": "$response.body#/founder_member_id"},
)
NEW_MEMBER = links(
    201,
    renew_token={"pid": "$request.path.pid", "mid": "$response.body#/member_id"},
    assign_role={"pid": "$request.path.pid", "role": "Facilitator"},
)
NEW_ROLE = links(201, assign_role={"pid": "$request.path.pid", "role": "$request.body#/name"})
