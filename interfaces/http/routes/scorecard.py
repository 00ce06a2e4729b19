"""The co-production scorecard: indicators, each with its evidence, and public involvement
by stage."""

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
    return gov.scorecard(pid, after=after).to_dict()
