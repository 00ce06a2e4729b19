"""The decision filter, applied the same way in memory and in SQL."""

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
