"""The decision log: every proposal's outcome and whether it was jointly owned."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from cogov.domain import Outcome, Stage
from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.access import may_read
from cogov.interfaces.http.dependencies import (
    After,
    Caller,
    Cursor,
    Gov,
    Limit,
    short_read,
    stored_page,
)

router = APIRouter(tags=["audit"])


@router.get("/projects/{pid}/decisions", response_model=read_shapes.DecisionPage)
@short_read(unless=("area", "required_perspectives"))  # both read the project aggregate
def decisions(
    pid: str,
    request: Request,
    caller: Caller,
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
    agree), or against the one `required_perspectives` names. A page is read from the
    store by where its rows began (`cursor`: continue after that position), so a page costs
    the same however many decisions came before it."""
    may_read(caller.principal, pid)
    filters: dict[str, Any] = dict(
        key=key, stage=stage, area=area, outcome=outcome, jointly_owned=jointly_owned
    )
    page = limit + 1  # one row more than the page: whether another follows
    if required_perspectives is None:
        stored, more, names = gov.shown_decisions(
            pid, **filters, after=after, cursor=cursor, limit=limit
        )
        if all(s.named is not None for s in stored):
            # the rows as stored, passed on (see `stored_page`), with whom they name
            following = _next(request, stored[-1].began) if more else None
            return stored_page((s.body for s in stored), following, names)
        # a row stored before the views kept whom it names (and perhaps before rows kept
        # `began`): decoded, so that it shows every field
    rows = gov.decisions(
        pid,
        **filters,
        required_perspectives=_names(required_perspectives),
        after=after,
        cursor=cursor,
        limit=page,
    )
    shown = rows[:limit]
    return {
        "items": [r.to_dict() for r in shown],
        "next": _next(request, rows[limit - 1].start) if len(rows) > limit else None,
        "names": gov.names(m for r in shown for m in r.named),
    }


def _next(request: Request, began: int) -> str:
    return str(request.url.include_query_params(cursor=began))


def _names(values: list[str] | None) -> list[str] | None:
    """Repeated values and comma-separated ones alike, blanks dropped (none left: an empty
    list, which the application refuses)."""
    if values is None:
        return None
    return [name.strip() for value in values for name in value.split(",") if name.strip()]
