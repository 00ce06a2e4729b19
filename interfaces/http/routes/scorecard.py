"""The co-production scorecard: an indicator for each principle, with its status and
evidence; involvement per stage; recognition; the reporting frameworks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import After, Caller, Gov
from cogov.interfaces.http.fields import AsOf

router = APIRouter(tags=["audit"])


@router.get("/projects/{pid}/scorecard", response_model=read_shapes.ScorecardOut)
def scorecard(
    pid: str,
    caller: Caller,
    gov: Gov,
    as_of: AsOf = None,
    after: After = None,
) -> Any:
    """The card judged now, or as the project stood at `as_of`."""
    may_read(caller.principal, pid)
    card = gov.scorecard(pid, as_of=as_of, after=after)
    return {**card.to_dict(), "names": gov.names(r.member_id for r in card.recognition)}
