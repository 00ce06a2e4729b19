"""The views store each row as JSON written in one pass (infrastructure/views/rows.py): the
same bytes as encoding the row's `to_dict()`, for every kind of row a real history makes."""

from __future__ import annotations

import json

from cogov.application.views import DecisionRow, JournalRow, MemberRow, PowerRow, ProjectRow
from cogov.infrastructure import open_governance
from cogov.infrastructure.views.rows import dump
from tests.workload import generate


def test_a_row_is_stored_as_its_dict_would_be_encoded() -> None:
    gov = open_governance("memory://")
    pid = generate(gov, 600, members=9)
    gov.catch_up()
    rows: list[DecisionRow | JournalRow | MemberRow | PowerRow | ProjectRow] = [
        *gov.decisions(pid, limit=1000),
        *gov.power_timeline(pid, limit=1000),
        *gov.journal(pid),
        *gov.projects(limit=10),
        *gov.read_models.runner.view.members(str(pid)),
    ]
    kinds = {type(r).__name__ for r in rows}
    assert {"DecisionRow", "PowerRow", "ProjectRow", "MemberRow"} <= kinds
    assert any(getattr(r, "ballots", ()) for r in rows)  # rows holding rows of their own
    for row in rows:
        assert dump(row) == json.dumps(row.to_dict(), separators=(",", ":"))
    gov.close()
