"""The project most benchmarks record into: a founder, members of one perspective, and
open proposals to respond to."""

from __future__ import annotations

from typing import Any

import attrs

from cogov.application import Governance


@attrs.frozen
class Scenario:
    project_id: Any
    electors: list[str]  # the founder first
    proposals: list[Any]


def scenario(gov: Governance, *, electors: int, proposals: int = 1) -> Scenario:
    founded = gov.found_project(
        title="Bench", founder_name="F", founder_perspectives=["researcher"]
    )
    members = [founded.founder_id] + [
        gov.admit_member(
            founded.project_id,
            display_name=f"M{i}",
            perspectives=["public"],
            actor=founded.founder_id,
        ).member_id
        for i in range(1, electors)
    ]
    tabled = [
        gov.table_proposal(
            founded.project_id, title=f"P{i}", text="x", area="methods", actor=founded.founder_id
        ).proposal_id
        for i in range(proposals)
    ]
    return Scenario(founded.project_id, members, tabled)
