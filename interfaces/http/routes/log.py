"""The verifiable log: its verifier key, signed checkpoints, and proofs, in the formats
transparency-log tools already check (C2SP signed notes, RFC 6962 proofs)."""

from __future__ import annotations

from typing import Annotated, Any

import attrs
from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from cogov.application.trail import MAX_POSITION
from cogov.domain import NotFound
from cogov.interfaces.http import read_shapes, schemas
from cogov.interfaces.http.access import may_read, reader_of
from cogov.interfaces.http.dependencies import Caller, Gov

router = APIRouter(tags=["audit"])

Size = Annotated[int, Query(ge=0, le=MAX_POSITION, description="a tree size (leaves)")]


@router.get("/audit/key", response_class=PlainTextResponse)
def verifier_key(gov: Gov) -> str:
    """The key that checks this log's checkpoints, in signed-note form
    (`<name>+<hex key id>+<base64 key>`). Public: anyone may verify."""
    return gov.verifiable_log.verifier_key() + "\n"


@router.get("/audit/checkpoint", response_class=PlainTextResponse)
def checkpoint(gov: Gov) -> str:
    """A signed C2SP checkpoint of the whole log now: origin, tree size and root, and an
    Ed25519 signature. Keep it: later checkpoints must be consistent with it. Public."""
    return gov.checkpoint()


@router.get("/audit/proofs/inclusion", response_model=read_shapes.InclusionOut)
def inclusion_proof(
    caller: Caller,
    gov: Gov,
    position: Annotated[int, Query(ge=1, le=MAX_POSITION, description="the event's position")],
    tree_size: Annotated[
        int | None, Query(ge=1, le=MAX_POSITION, description="default: the log's size now")
    ] = None,
) -> Any:
    """The RFC 6962 audit path (bottom-up) from the event's leaf to the root of a tree of
    `tree_size` leaves, with the leaf data (the event's canonical JSON, base64). An event
    of a project the caller cannot read is unknown (404). An event that would show a
    stance hidden until its proposal closes (anyone's but the caller's own) is 409
    `hidden_until_close` until then."""
    principal = caller.principal
    project = gov.project_of_event(position)
    if project is None:
        raise NotFound(f"no event at position {position}")
    try:
        may_read(principal, project)
    except NotFound:
        raise NotFound(f"no event at position {position}") from None
    return attrs.asdict(gov.inclusion_proof(position, tree_size, reader=reader_of(principal)))


@router.get("/audit/proofs/consistency", response_model=schemas.ConsistencyOut)
def consistency_proof(
    caller: Caller,
    gov: Gov,
    old: Annotated[int, Query(alias="from", ge=0, le=MAX_POSITION, description="older size")],
    new: Annotated[int, Query(alias="to", ge=0, le=MAX_POSITION, description="newer size")],
) -> Any:
    """The RFC 6962 consistency proof (SUBPROOF order) that the tree of `to` leaves
    extends the tree of `from` leaves. Only hashes: any caller with a token may ask."""
    caller.check()
    proof = gov.consistency_proof(old, new)
    return {"from": proof.old_size, "to": proof.new_size, "proof": list(proof.proof)}
