"""A decision row: what an auditor reads about one proposal or direct decision."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Any

import attrs

from domain import Outcome, Proposal, Stance
from domain.language import DecisionRule
from domain.rules import AuditStandard, joint_ownership, participation_by_perspective

# Joint ownership is judged for what was decided: adopted key proposals. A rejected,
# lapsed or withdrawn proposal changed nothing, so its row carries null, like a non-key one.
DECIDED = (Outcome.ADOPTED,)


@attrs.frozen
class DecisionRow:
    proposal_id: str
    project_id: str
    title: str
    area: str
    key: bool
    stage: str
    proposer: str
    outcome: str
    rule: str
    quorum: float
    by_proposal: bool
    jointly_owned: bool | None
    failed_criteria: tuple[str, ...]
    flags: tuple[str, ...]
    participation: dict[str, int]
    tally: dict[str, dict[str, int]]
    open_objections: int
    withdrawn_objections: int
    amendments: int
    tabled_at: datetime | None
    decided_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def proposal_row(
    proposal: Proposal,
    *,
    withdrawn_objections: int = 0,
    tabled_at: datetime | None = None,
    decided_at: datetime | None = None,
    standard: AuditStandard = AuditStandard(),  # noqa: B008 (immutable)
) -> DecisionRow:
    rule = proposal.charter.rule_for(proposal.key)
    stances = proposal.stances()
    verdict = None
    if proposal.key and proposal.outcome in DECIDED:
        verdict = joint_ownership(
            by_proposal=True,
            rule=rule,
            threshold=proposal.charter.threshold_fraction,
            outcome=Outcome(proposal.outcome),
            electorate=proposal.electorate,
            responses=stances,
            standard=standard,
        )
    return DecisionRow(
        proposal_id=str(proposal.id),
        project_id=str(proposal.project_id),
        title=proposal.title,
        area=proposal.area,
        key=proposal.key,
        stage=proposal.stage,
        proposer=proposal.proposer,
        outcome=proposal.outcome,
        rule=rule.value,
        quorum=proposal.charter.quorum,
        by_proposal=True,
        jointly_owned=None if verdict is None else verdict.jointly_owned,
        failed_criteria=() if verdict is None else verdict.failed_criteria,
        flags=() if verdict is None else verdict.flags,
        participation=participation_by_perspective(proposal.electorate, stances),
        tally={p: t.to_dict() for p, t in proposal.tally_by_perspective().items()},
        open_objections=len(proposal.standing_objections()),
        withdrawn_objections=withdrawn_objections,
        amendments=proposal.amendments,
        tabled_at=tabled_at,
        decided_at=decided_at,
    )


def direct_row(
    *,
    decision_id: str,
    project_id: str,
    title: str,
    area: str,
    key: bool,
    stage: str,
    decider: str,
    decider_perspectives: tuple[str, ...],
    decided_at: datetime | None,
    standard: AuditStandard = AuditStandard(),  # noqa: B008 (immutable)
) -> DecisionRow:
    """A decision an area holder took alone: adopted by definition, never by proposal."""
    electorate = {decider: decider_perspectives}
    responses = {decider: Stance.CONSENT}
    verdict = None
    if key:
        verdict = joint_ownership(
            by_proposal=False,
            rule=DecisionRule.CONSENT,
            threshold=Fraction(1),  # no vote was taken
            outcome=Outcome.ADOPTED,
            electorate=electorate,
            responses=responses,
            standard=standard,
        )
    return DecisionRow(
        proposal_id=decision_id,
        project_id=project_id,
        title=title,
        area=area,
        key=key,
        stage=stage,
        proposer=decider,
        outcome=Outcome.ADOPTED.value,
        rule="direct",
        quorum=0.0,
        by_proposal=False,
        jointly_owned=None if verdict is None else verdict.jointly_owned,
        failed_criteria=() if verdict is None else verdict.failed_criteria,
        flags=() if verdict is None else verdict.flags,
        participation=participation_by_perspective(electorate, responses),
        tally={
            p: {s.value: int(s == Stance.CONSENT) for s in Stance} for p in decider_perspectives
        },
        open_objections=0,
        withdrawn_objections=0,
        amendments=0,
        tabled_at=decided_at,
        decided_at=decided_at,
    )
