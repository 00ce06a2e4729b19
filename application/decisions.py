"""Decision rows: what an auditor reads about one proposal or one direct decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from typing import Any

import attrs

from cogov.application.records import utc_iso
from cogov.application.views import Ballot, DecisionRow
from cogov.domain import DecisionRule, Outcome, Proposal, Stance
from cogov.domain.hidden_results import results_hidden
from cogov.domain.rules import (
    AuditStandard,
    JointOwnership,
    audit_direct_decision,
    audit_proposal,
    participation_by_perspective,
)

DEFAULT_STANDARD = AuditStandard()


class RowPredatesBallots(ValueError):
    """A proposal's row stored before rows kept their ballots: it cannot be judged again
    until the views are rebuilt."""


def _verdict(verdict: JointOwnership | None) -> dict[str, Any]:
    """The row's audit fields for `verdict` (None: nothing to judge)."""
    if verdict is None:
        return {"jointly_owned": None, "failed_criteria": (), "flags": ()}
    return {
        "jointly_owned": verdict.jointly_owned,
        "failed_criteria": verdict.failed_criteria,
        "flags": verdict.flags,
    }


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
    tabled: tuple[datetime, int] | None = None,
    standard: AuditStandard = DEFAULT_STANDARD,
) -> DecisionRow:
    """The row after the proposal's latest event (recorded `at`, at `position`); `tabled`
    is when and at which position it was tabled, if that is not in `previous` yet."""
    rule = proposal.charter.rule_for(proposal.key)
    threshold = proposal.charter.threshold_fraction
    stances = proposal.stances()
    verdict = audit_proposal(
        key=proposal.key,
        outcome=Outcome(proposal.outcome),
        rule=rule,
        threshold=threshold,
        electorate=proposal.electorate,
        responses=stances,
        standard=standard,
    )
    tabled_at = previous.tabled_at if previous else utc_iso(tabled[0] if tabled else at)
    decided_at = previous.decided_at if previous else None
    began = previous.start if previous else tabled[1] if tabled else position
    if decided_at is None and proposal.outcome != Outcome.OPEN:
        decided_at = utc_iso(at)
    row = DecisionRow(
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
        **_verdict(verdict),
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
        began=began,
        actions=tuple(a["type"] for a in proposal.actions),
        threshold=str(threshold),
        ballots=tuple(
            Ballot(perspectives, str(stances[member]))
            for member, perspectives in proposal.electorate.items()
            if member in stances
        ),
        participants=tuple(sorted(proposal.took_part)),
        response_count=len(stances),
    )
    return (
        hidden(row, proposal.proposer)
        if results_hidden(proposal.charter, proposal.outcome)
        else row
    )


def hidden(row: DecisionRow, proposer: str) -> DecisionRow:
    """A row whose results are hidden until its proposal closes: what it says of stances
    (participation, tally, ballots, objections, who responded) is emptied, for every
    reader; the response count stays. The row is computed whole again when it closes."""
    return attrs.evolve(
        row,
        participation={},
        tally={},
        open_objections=0,
        withdrawn_objections=0,
        ballots=(),
        participants=(proposer,),
        hidden_until_close=True,
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
        **_verdict(verdict),
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
        began=position,
        ballots=(Ballot(decider_perspectives, Stance.CONSENT.value),),
        participants=(decider,),
    )


def judged(row: DecisionRow, standard: AuditStandard) -> DecisionRow:
    """The row with its joint ownership judged again under `standard`, from the facts the
    row keeps (key, outcome, rule, threshold, ballots): exactly what `proposal_row` or
    `direct_row` would have given under that standard.

    Raises RowPredatesBallots for an adopted key proposal's row stored before rows kept
    their ballots (the views need rebuilding to judge it)."""
    if not row.by_proposal:
        verdict = audit_direct_decision(
            key=row.key,
            decider=row.proposer,
            decider_perspectives=row.proposer_perspectives,
            standard=standard,
        )
        return attrs.evolve(row, **_verdict(verdict))
    outcome = Outcome(row.outcome)
    if not row.key or outcome != Outcome.ADOPTED:
        return attrs.evolve(row, **_verdict(None))  # nothing to judge, under any standard
    if row.threshold is None:
        raise RowPredatesBallots(f"the row of proposal {row.proposal_id} keeps no ballots")
    # The audit reads only who responded; the members' ids do not matter, so each ballot
    # stands for one respondent.
    electorate = {str(i): b.perspectives for i, b in enumerate(row.ballots)}
    responses = {str(i): Stance(b.stance) for i, b in enumerate(row.ballots)}
    verdict = audit_proposal(
        key=row.key,
        outcome=outcome,
        rule=DecisionRule(row.rule),
        threshold=Fraction(row.threshold),
        electorate=electorate,
        responses=responses,
        standard=standard,
    )
    return attrs.evolve(row, **_verdict(verdict))
