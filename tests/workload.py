"""A synthetic but lawful governance history of any length, for benchmarks and soak tests.

Every event comes from the domain's own commands, as in live use; each proposal's life
(tabling, responses, closing, actions) is saved in one transaction to generate quickly.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from cogov.application import Governance
from cogov.domain import Project, Proposal

PERSPECTIVES = [["public"], ["researcher"], ["practitioner"], ["public", "researcher"], ["policy"]]
STANCES = ["consent"] * 12 + ["abstain", "stand_aside", "object"]


def generate(
    gov: Governance,
    events: int,
    *,
    members: int = 16,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
) -> Any:
    """Record at least `events` events in one new project; return its id."""
    rng = random.Random(seed)
    founded = gov.found_project(
        title="Synthetic project", founder_name="Founder", founder_perspectives=["researcher"]
    )
    pid = founded.project_id
    founder = founded.founder_id
    ids = [founder]
    for i in range(members - 1):
        ids.append(
            gov.admit_member(
                pid, display_name=f"Member {i}", perspectives=PERSPECTIVES[i % 5], actor=founder
            ).member_id
        )
    gov.define_role(pid, name="Helper", actor=founder)
    gov.define_role(pid, name="Lead", leadership=True, areas=["budget"], actor=founder)
    now = gov.clock()
    n = 0
    while gov.max_position() < events:
        n += 1
        project: object = gov.repository.get(pid)
        assert isinstance(project, Project)
        actions: list[dict[str, Any]] = []
        if n % 5 == 0:
            target = rng.choice(ids)
            holders = project.roles["Lead"].holders
            actions = [
                {"type": "relinquish_role", "role": "Lead", "member_id": holders[0]}
                if holders
                else {"type": "assign_role", "role": "Lead", "member_id": target}
            ]
        elif n % 7 == 0:
            actions = [{"type": "amend_charter", "changes": {"quorum": rng.choice([0.5, 0.6])}}]
        proposer = rng.choice(ids)
        proposal = Proposal.table(
            project,
            proposer=proposer,
            title=f"Motion {n}",
            text="Synthetic motion",
            area="governance",
            key=True,
            actions=actions,
            closes_at=now + timedelta(days=7),
            now=now,
        )
        for member in ids:
            stance = rng.choice(STANCES)
            proposal.respond(member, stance, "a reason", actor=member, now=now)
        proposal.close(actor=proposer, now=now)
        if proposal.outcome == "adopted" and proposal.actions:
            project.apply_adopted(proposal, actor=proposer)
            gov.save(proposal, project)
        else:
            gov.save(proposal)
        if progress is not None:
            progress(gov.max_position())
    return pid


def fixed_clock() -> datetime:
    return datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
