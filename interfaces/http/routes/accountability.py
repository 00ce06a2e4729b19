"""Who is responsible and accountable for what (UKRI's "clear responsibility and
accountability"): each decision area, role and open ethics issue, at any moment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import After, Caller, Gov
from cogov.interfaces.http.fields import AsOf

router = APIRouter(tags=["audit"])


@router.get("/projects/{pid}/accountability", response_model=read_shapes.AccountabilityOut)
def accountability(
    pid: str,
    caller: Caller,
    gov: Gov,
    as_of: AsOf = None,
    after: After = None,
) -> Any:
    """Who held each decision area and role, and who was responsible and accountable for
    each ethics issue still open, at `as_of` (default now), citing the events' positions."""
    may_read(caller.principal, pid)
    read = gov.accountability(pid, as_of, after=after)
    return {**read.to_dict(), "names": gov.names(read.member_ids())}
