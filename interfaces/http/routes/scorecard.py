"""The co-production scorecard: an indicator for each principle, with its status and
evidence; involvement per stage; recognition; the reporting frameworks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import After, Caller, Gov

router = APIRouter(tags=["audit"])


@router.get("/projects/{pid}/scorecard", response_model=read_shapes.ScorecardOut)
def scorecard(pid: str, principal: Caller, gov: Gov, after: After = None) -> Any:
    may_read(principal, pid)
    card = gov.scorecard(pid, after=after)
    return {**card.to_dict(), "names": gov.names(r.member_id for r in card.recognition)}
