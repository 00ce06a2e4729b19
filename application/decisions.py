"""Decision rows: what an auditor reads about one proposal or one direct decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from cogov.application.records import utc_iso
from cogov.application.views import DecisionRow
from cogov.domain import Outcome, Proposal, Stance
from cogov.domain.rules import (
    AuditStandard,
    audit_direct_decision,
    audit_proposal,
    participation_by_perspective,
)

DEFAULT_STANDARD = AuditStandard()


def _electorate_sizes(electorate: Mapping[str, Sequence[str]]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for perspectives in electorate.values():
        for p in perspectives:
            sizes[p] = sizes.get(p, 0) + 1
    return sizes


def _seconds_between(start: str, end: str | None) -> float | None:
    if end is None:
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


def proposal_row(
    proposal: Proposal,
    *,
    previous: DecisionRow | None,
    at: datetime,
    position: int,
    tabled: datetime | None = None,
    standard: AuditStandard = DEFAULT_STANDARD,
) -> DecisionRow:
    """The row after the proposal's latest event (recorded `at`, at `position`); `tabled`
    is when it was tabled, if that is not in `previous` yet."""
    rule = proposal.charter.rule_for(proposal.key)
    stances = proposal.stances()
    verdict = audit_proposal(
        key=proposal.key,
        outcome=Outcome(proposal.outcome),
        rule=rule,
        threshold=proposal.charter.threshold_fraction,
        electorate=proposal.electorate,
        responses=stances,
        standard=standard,
    )
    tabled_at = previous.tabled_at if previous else utc_iso(tabled or at)
    decided_at = previous.decided_at if previous else None
    if decided_at is None and proposal.outcome != Outcome.OPEN:
        decided_at = utc_iso(at)
    return DecisionRow(
        proposal_id=str(proposal.id),
        project_id=str(proposal.project_id),
        title=proposal.title,
        area=proposal.area,
        key=proposal.key,
        stage=proposal.stage,
        proposer=proposal.proposer,
        proposer_perspectives=proposal.electorate.get(proposal.proposer, ()),
        outcome=proposal.outcome,
        rule=rule.value,
        quorum=proposal.charter.quorum,
        by_proposal=True,
        jointly_owned=None if verdict is None else verdict.jointly_owned,
        failed_criteria=() if verdict is None else verdict.failed_criteria,
        flags=() if verdict is None else verdict.flags,
        electorate=_electorate_sizes(proposal.electorate),
        participation=participation_by_perspective(proposal.electorate, stances),
        tally={p: t.to_dict() for p, t in proposal.tally_by_perspective().items()},
        open_objections=len(proposal.standing_objections()),
        withdrawn_objections=proposal.withdrawn_objections,
        amendments=proposal.amendments,
        tabled_at=tabled_at,
        decided_at=decided_at,
        time_to_decide_s=_seconds_between(tabled_at, decided_at),
        position=position,
        actions=tuple(a["type"] for a in proposal.actions),
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
    decider_perspectives: Sequence[str],
    at: datetime,
    position: int,
    standard: AuditStandard = DEFAULT_STANDARD,
) -> DecisionRow:
    """A decision an area holder took alone: adopted at once, never by proposal."""
    electorate = {decider: decider_perspectives}
    responses = {decider: Stance.CONSENT}
    verdict = audit_direct_decision(
        key=key, decider=decider, decider_perspectives=decider_perspectives, standard=standard
    )
    when = utc_iso(at)
    return DecisionRow(
        proposal_id=decision_id,
        project_id=project_id,
        title=title,
        area=area,
        key=key,
        stage=stage,
        proposer=decider,
        proposer_perspectives=decider_perspectives,
        outcome=Outcome.ADOPTED.value,
        rule="direct",
        quorum=0.0,
        by_proposal=False,
        jointly_owned=None if verdict is None else verdict.jointly_owned,
        failed_criteria=() if verdict is None else verdict.failed_criteria,
        flags=() if verdict is None else verdict.flags,
        electorate=_electorate_sizes(electorate),
        participation=participation_by_perspective(electorate, responses),
        tally={
            p: {s.value: int(s == Stance.CONSENT) for s in Stance} for p in decider_perspectives
        },
        open_objections=0,
        withdrawn_objections=0,
        amendments=0,
        tabled_at=when,
        decided_at=when,
        time_to_decide_s=0.0,
        position=position,
    )
