"""The decision log: every proposal's outcome and whether it was jointly owned."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from cogov.domain import Outcome, Stage
from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import After, Caller, Cursor, Gov, Limit, offset_page

router = APIRouter(tags=["audit"])


@router.get("/projects/{pid}/decisions", response_model=read_shapes.DecisionPage)
def decisions(
    pid: str,
    request: Request,
    principal: Caller,
    gov: Gov,
    key: bool | None = None,
    stage: Stage | None = None,
    area: str | None = None,
    outcome: Outcome | None = None,
    jointly_owned: bool | None = None,
    required_perspectives: Annotated[
        list[str] | None,
        Query(
            description="judge joint ownership against another audit standard: the "
            "perspectives that must take part and agree, repeated "
            "(`required_perspectives=public&required_perspectives=policy`) or comma-separated "
            "(`required_perspectives=public,policy`); each must be one of the project's "
            "perspectives, and `jointly_owned` then filters on this judgement",
        ),
    ] = None,
    after: After = None,
    limit: Limit = 100,
    cursor: Cursor = 0,
) -> Any:
    """One row per proposal and direct decision, in the order they began. Joint ownership
    is judged against the default audit standard (`public` and `researcher` take part and
    agree), or against the one `required_perspectives` names."""
    may_read(principal, pid)
    rows = gov.decisions(
        pid,
        key=key,
        stage=stage,
        area=area,
        outcome=outcome,
        jointly_owned=jointly_owned,
        required_perspectives=_names(required_perspectives),
        after=after,
    )
    page = offset_page(request, [r.to_dict() for r in rows], cursor, limit)
    page["names"] = gov.names(m for r in page["items"] for m in (r["proposer"], *r["participants"]))
    return page


def _names(values: list[str] | None) -> list[str] | None:
    """Repeated values and comma-separated ones alike, blanks dropped (none left: an empty
    list, which the application refuses)."""
    if values is None:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]
