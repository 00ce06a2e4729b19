"""Judging a decision row again under another audit standard, from the facts the row keeps:
it must say exactly what the row would have said had it been projected under that standard."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogov.application.decisions import (
    DEFAULT_STANDARD,
    RowPredatesBallots,
    direct_row,
    judged,
    proposal_row,
)
from cogov.application.views import Ballot, DecisionRow
from cogov.domain import Charter, DecisionRule, Project, Proposal, Stance
from cogov.domain.rules import AuditStandard

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PERSPECTIVES = ["public", "researcher", "practitioner", "policy"]

perspective_sets = st.lists(st.sampled_from(PERSPECTIVES), min_size=1, max_size=2, unique=True)
standards = st.lists(st.sampled_from(PERSPECTIVES), min_size=1, max_size=3, unique=True).map(
    lambda required: AuditStandard(required_perspectives=required)
)
# consents are likelier, so that many drawn proposals are adopted and so judged
stances = st.sampled_from(
    [*[Stance.CONSENT] * 3, Stance.OBJECT, Stance.ABSTAIN, Stance.STAND_ASIDE]
)


@st.composite
def charters(draw: st.DrawFn) -> Charter:
    return Charter.from_dict(
        {
            "key_rule": draw(st.sampled_from(list(DecisionRule))),
            "operational_rule": draw(st.sampled_from(list(DecisionRule))),
            "threshold": draw(st.sampled_from([0.6, 2 / 3, 0.75, 1])),
            "quorum": draw(st.sampled_from([0, 0.5, 1])),
            "required_perspectives": draw(
                st.lists(st.sampled_from(PERSPECTIVES), max_size=2, unique=True)
            ),
        }
    )


@st.composite
def proposals(draw: st.DrawFn) -> Proposal:
    """A proposal tabled under a drawn charter to a drawn electorate, some of whom respond;
    usually closed (by then adopted, rejected or lapsed), sometimes left open."""
    project = Project.found(
        title="Drawn",
        founder_id="m0",
        founder_perspectives=draw(perspective_sets),
        charter=draw(charters()),
        perspectives=PERSPECTIVES,
    )
    for i in range(1, draw(st.integers(1, 7))):
        project.admit_member(f"m{i}", draw(perspective_sets), actor="m0")
    proposal = Proposal.table(
        project,
        proposer="m0",
        title="T",
        text="x",
        area="methods",
        key=draw(st.booleans()),
        now=NOW,
    )
    for member in draw(st.lists(st.sampled_from(sorted(proposal.electorate)), unique=True)):
        stance = draw(stances)
        reason = "a reason" if stance == Stance.OBJECT else None
        proposal.respond(member, stance, reason, actor=member, now=NOW)
    if draw(st.integers(0, 4)):
        proposal.close(actor="system", now=proposal.closes_at)
    return proposal


def row_of(proposal: Proposal, standard: AuditStandard = DEFAULT_STANDARD) -> DecisionRow:
    return proposal_row(
        proposal, previous=None, at=NOW + timedelta(days=8), position=9, standard=standard
    )


def stored(row: DecisionRow) -> DecisionRow:
    """The row after a trip through its store's JSON body."""
    return DecisionRow(**json.loads(json.dumps(row.to_dict())))


@given(proposals(), standards)
def test_a_proposal_judged_again_says_what_projecting_it_under_that_standard_says(
    proposal: Proposal, standard: AuditStandard
) -> None:
    row = row_of(proposal)
    assert judged(row, DEFAULT_STANDARD) == row
    assert judged(row, standard) == row_of(proposal, standard)
    assert judged(stored(row), standard) == row_of(proposal, standard)


@given(proposals())
def test_a_row_keeps_one_ballot_per_respondent_and_its_exact_threshold(proposal: Proposal) -> None:
    row = stored(row_of(proposal))
    stances = proposal.stances()
    assert row.ballots == tuple(
        Ballot(tuple(p), str(stances[m])) for m, p in proposal.electorate.items() if m in stances
    )
    assert row.threshold is not None
    assert row.threshold == str(proposal.charter.threshold_fraction)


@given(perspective_sets, st.booleans(), standards)
def test_a_direct_decision_judged_again_says_what_projecting_it_under_that_standard_says(
    perspectives: list[str], key: bool, standard: AuditStandard
) -> None:
    def row(under: AuditStandard) -> DecisionRow:
        return direct_row(
            decision_id="d",
            project_id="p",
            title="T",
            area="recruitment",
            key=key,
            stage="design",
            decider="m1",
            decider_perspectives=perspectives,
            at=NOW,
            position=3,
            standard=under,
        )

    assert row(DEFAULT_STANDARD).ballots == (Ballot(perspectives, "consent"),)
    assert row(DEFAULT_STANDARD).threshold is None
    assert judged(row(DEFAULT_STANDARD), DEFAULT_STANDARD) == row(DEFAULT_STANDARD)
    assert judged(stored(row(DEFAULT_STANDARD)), standard) == row(standard)


def example() -> DecisionRow:
    """An adopted key proposal: a researcher and a public contributor consented."""
    project = Project.found(
        title="Example",
        founder_id="r",
        founder_perspectives=["researcher"],
        perspectives=PERSPECTIVES,
    )
    project.admit_member("p", ["public"], actor="r")
    proposal = Proposal.table(
        project, proposer="r", title="T", text="x", area="methods", key=True, now=NOW
    )
    for member in ("r", "p"):
        proposal.respond(member, Stance.CONSENT, actor=member, now=NOW)
    proposal.close(actor="r", now=NOW)
    return row_of(proposal)


def test_another_standard_can_find_a_jointly_owned_decision_wanting() -> None:
    row = example()
    assert row.jointly_owned is True
    assert row.threshold == "2/3"
    again = judged(row, AuditStandard(required_perspectives=("public", "practitioner")))
    assert again.jointly_owned is False
    assert again.failed_criteria == ("no_practitioner_participant",)
    assert attrs.evolve(again, jointly_owned=True, failed_criteria=()) == row


def test_the_threshold_frozen_at_tabling_judges_each_required_perspective() -> None:
    """A supermajority of 3/4: two consents to one objection (2/3) is not agreement."""
    charter = Charter.from_dict(
        {"key_rule": "supermajority", "threshold": 0.75, "required_perspectives": ["researcher"]}
    )
    project = Project.found(
        title="Example",
        founder_id="r0",
        founder_perspectives=["researcher"],
        charter=charter,
        perspectives=PERSPECTIVES,
    )
    for member, perspective in [("r1", "researcher"), ("r2", "researcher"), ("r3", "public")]:
        project.admit_member(member, [perspective], actor="r0")
    for member in ("c1", "c2", "c3"):
        project.admit_member(member, ["practitioner"], actor="r0")
    proposal = Proposal.table(
        project, proposer="r0", title="T", text="x", area="methods", key=True, now=NOW
    )
    for member in ("r0", "r1", "r2", "r3", "c1", "c2"):
        proposal.respond(member, Stance.CONSENT, actor=member, now=NOW)
    proposal.respond("c3", Stance.OBJECT, "not yet", actor="c3", now=NOW)
    proposal.close(actor="r0", now=NOW)
    row = stored(row_of(proposal))
    assert (row.outcome, row.threshold) == ("adopted", "3/4")
    again = judged(row, AuditStandard(required_perspectives=("researcher", "practitioner")))
    assert again.failed_criteria == ("practitioner_did_not_agree", "objection_overruled")
    assert again == row_of(
        proposal, AuditStandard(required_perspectives=("researcher", "practitioner"))
    )


def test_a_row_stored_before_ballots_loads_but_is_not_judged_from_nothing() -> None:
    body = example().to_dict()
    del body["threshold"], body["ballots"]
    old = DecisionRow(**json.loads(json.dumps(body)))
    assert old.threshold is None
    assert old.ballots == ()
    with pytest.raises(RowPredatesBallots):
        judged(old, DEFAULT_STANDARD)
    # a row with nothing to judge needs no ballots
    rejected = attrs.evolve(old, outcome="rejected", jointly_owned=None, failed_criteria=())
    assert judged(rejected, AuditStandard(required_perspectives=("policy",))) == rejected
