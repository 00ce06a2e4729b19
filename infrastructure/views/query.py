"""The queries' conditions written once for every store: the decision filter, applied the
same way in memory and in SQL, and the choice of a power row."""

from __future__ import annotations

from typing import Any

from cogov.application.views import DecisionFilter, DecisionRow

FILTER_COLUMNS = ("key", "stage", "area", "outcome", "jointly_owned")
SQL_COLUMNS = {"key": "is_key", "jointly_owned": "jointly_owned"}


def matches(row: DecisionRow, where: DecisionFilter) -> bool:
    return all(
        getattr(where, c) is None or getattr(row, c) == getattr(where, c) for c in FILTER_COLUMNS
    )


def conditions(where: DecisionFilter, placeholder: str) -> tuple[str, list[Any]]:
    """SQL conditions for the filter's set fields (column names are fixed, not input)."""
    clauses: list[str] = []
    params: list[Any] = []
    for column in FILTER_COLUMNS:
        value = getattr(where, column)
        if value is not None:
            clauses.append(f" AND {SQL_COLUMNS.get(column, column)} = {placeholder}")
            params.append(value)
    return "".join(clauses), params


def power_row(placeholder: str, *, as_of_us: int | None, stage: str | None) -> tuple[str, Any]:
    """The SQL that picks a project's power row (after WHERE, the project's id its first
    parameter), and its second parameter: the last shift in `stage` if one is given, else
    the last at or before `as_of_us` (None: now)."""
    if stage is not None:
        return f"project_id = {placeholder} AND stage = {placeholder}{LAST_IN_STAGE}", stage
    moment = as_of_us if as_of_us is not None else 2**62  # now: after every shift
    return f"project_id = {placeholder} AND as_of_us <= {placeholder}{LAST_BY_TIME}", moment


LAST_IN_STAGE = " ORDER BY position DESC LIMIT 1"
LAST_BY_TIME = " ORDER BY as_of_us DESC, position DESC LIMIT 1"
