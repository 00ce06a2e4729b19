"""Decision rules, quorum, adoption and joint ownership: examples and properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogov.domain.language import DecisionRule, Outcome, Stance
from cogov.domain.rules import (
    NOT_BY_PROPOSAL,
    AuditStandard,
    Tally,
    audit_direct_decision,
    audit_proposal,
    decide,
    joint_ownership,
    quorum_met,
    rule_met,
    tally_by_perspective,
)

TWO_THIRDS = Fraction(2, 3)
PERSPECTIVES = ["public", "researcher", "practitioner"]

stances = st.sampled_from(list(Stance))
rules = st.sampled_from(list(DecisionRule))


def t(consent: int = 0, object: int = 0, abstain: int = 0, stand_aside: int = 0) -> Tally:
    return Tally(consent, object, abstain, stand_aside)


@pytest.mark.parametrize(
    ("rule", "tally", "met"),
    [
        (DecisionRule.CONSENT, t(3), True),
        (DecisionRule.CONSENT, t(3, 1), False),
        (DecisionRule.CONSENT, t(1, 0, 5, 5), True),
        (DecisionRule.CONSENT, t(0, 0, 3), False),  # nobody agreed
        (DecisionRule.CONSENSUS, t(3, 0, 0, 2), True),
        (DecisionRule.CONSENSUS, t(3, 0, 1, 0), False),  # an abstention is not agreement
        (DecisionRule.CONSENSUS, t(3, 1), False),
        (DecisionRule.MAJORITY, t(2, 1), True),
        (DecisionRule.MAJORITY, t(2, 2), False),  # strict: a tie is not a majority
        (DecisionRule.MAJORITY, t(1, 0, 9), True),  # abstentions do not count
        (DecisionRule.SUPERMAJORITY, t(2, 1), True),  # exactly 2/3 meets >= 2/3
        (DecisionRule.SUPERMAJORITY, t(3, 2), False),
        (DecisionRule.SUPERMAJORITY, t(0, 0, 2), False),
    ],
)
def test_rule_met_examples(rule: DecisionRule, tally: Tally, met: bool) -> None:
    assert rule_met(rule, tally, TWO_THIRDS) is met


def test_quorum_is_inclusive() -> None:
    assert quorum_met(2, 4, Fraction(1, 2))
    assert not quorum_met(1, 4, Fraction(1, 2))
    assert quorum_met(0, 4, Fraction(0))
    assert not quorum_met(0, 0, Fraction(0))


def test_tally_counts_a_member_in_each_of_their_perspectives() -> None:
    electorate = {"a": ["public", "researcher"], "b": ["researcher"]}
    by = tally_by_perspective(electorate, {"a": Stance.CONSENT, "b": Stance.OBJECT})
    assert by["public"] == t(1)
    assert by["researcher"] == t(1, 1)


@st.composite
def electorates(draw: st.DrawFn) -> dict[str, list[str]]:
    size = draw(st.integers(1, 9))
    return {
        f"m{i}": draw(st.lists(st.sampled_from(PERSPECTIVES), min_size=1, max_size=2, unique=True))
        for i in range(size)
    }


@st.composite
def decisions(draw: st.DrawFn) -> tuple[dict[str, list[str]], dict[str, Stance]]:
    electorate = draw(electorates())
    responders = draw(st.lists(st.sampled_from(sorted(electorate)), unique=True))
    return electorate, {m: draw(stances) for m in responders}


def outcome_of(
    electorate: dict[str, list[str]],
    responses: dict[str, Stance],
    rule: DecisionRule,
    key: bool = True,
    quorum: Fraction = Fraction(1, 2),
) -> Outcome:
    return decide(
        rule=rule,
        threshold=TWO_THIRDS,
        quorum=quorum,
        required_perspectives=["public", "researcher"],
        key=key,
        electorate=electorate,
        responses=responses,
    )


@given(decisions(), rules, st.booleans())
def test_adding_a_consent_never_turns_adoption_into_rejection(
    case: tuple[dict[str, list[str]], dict[str, Stance]], rule: DecisionRule, key: bool
) -> None:
    electorate, responses = case
    before = outcome_of(electorate, responses, rule, key)
    silent = [m for m in electorate if m not in responses]
    for member in silent:
        after = outcome_of(electorate, {**responses, member: Stance.CONSENT}, rule, key)
        if before == Outcome.ADOPTED:
            assert after == Outcome.ADOPTED


@given(decisions(), rules, st.booleans())
def test_turning_an_objection_into_consent_never_hurts(
    case: tuple[dict[str, list[str]], dict[str, Stance]], rule: DecisionRule, key: bool
) -> None:
    electorate, responses = case
    before = outcome_of(electorate, responses, rule, key)
    for member, stance in responses.items():
        if stance == Stance.OBJECT:
            after = outcome_of(electorate, {**responses, member: Stance.CONSENT}, rule, key)
            if before == Outcome.ADOPTED:
                assert after == Outcome.ADOPTED


@given(decisions(), rules)
def test_key_adoption_implies_plain_adoption(
    case: tuple[dict[str, list[str]], dict[str, Stance]], rule: DecisionRule
) -> None:
    electorate, responses = case
    if outcome_of(electorate, responses, rule, key=True) == Outcome.ADOPTED:
        assert outcome_of(electorate, responses, rule, key=False) == Outcome.ADOPTED


@given(decisions(), rules, st.booleans())
def test_below_quorum_always_lapses(
    case: tuple[dict[str, list[str]], dict[str, Stance]], rule: DecisionRule, key: bool
) -> None:
    electorate, responses = case
    outcome = outcome_of(electorate, responses, rule, key, quorum=Fraction(1))
    if len(responses) < len(electorate):
        assert outcome == Outcome.LAPSED
    else:
        assert outcome != Outcome.LAPSED


@given(decisions(), rules)
def test_a_required_perspective_without_participant_fails_joint_ownership(
    case: tuple[dict[str, list[str]], dict[str, Stance]], rule: DecisionRule
) -> None:
    electorate, responses = case
    outcome = outcome_of(electorate, responses, rule)
    verdict = joint_ownership(
        by_proposal=True,
        rule=rule,
        threshold=TWO_THIRDS,
        outcome=outcome,
        electorate=electorate,
        responses=responses,
    )
    for perspective in ("public", "researcher"):
        if not any(perspective in electorate[m] for m in responses):
            assert not verdict.jointly_owned
            assert f"no_{perspective}_participant" in verdict.failed_criteria


@given(decisions(), rules)
def test_an_adopted_key_decision_under_the_default_standard_is_jointly_owned_when_no_objection(
    case: tuple[dict[str, list[str]], dict[str, Stance]], rule: DecisionRule
) -> None:
    """The charter's concurrent approval implies the default standard, bar overruled objections."""
    electorate, responses = case
    outcome = outcome_of(electorate, responses, rule)
    verdict = joint_ownership(
        by_proposal=True,
        rule=rule,
        threshold=TWO_THIRDS,
        outcome=outcome,
        electorate=electorate,
        responses=responses,
    )
    if outcome == Outcome.ADOPTED and Stance.OBJECT not in responses.values():
        assert verdict.jointly_owned, verdict


def test_majority_outvoting_every_public_contributor_is_not_jointly_owned() -> None:
    electorate = {"r1": ["researcher"], "r2": ["researcher"], "r3": ["researcher"], "p": ["public"]}
    responses = {
        "r1": Stance.CONSENT,
        "r2": Stance.CONSENT,
        "r3": Stance.CONSENT,
        "p": Stance.OBJECT,
    }
    outcome = decide(
        rule=DecisionRule.MAJORITY,
        threshold=TWO_THIRDS,
        quorum=Fraction(1, 2),
        required_perspectives=[],  # a weak charter: no concurrent approval
        key=True,
        electorate=electorate,
        responses=responses,
    )
    assert outcome == Outcome.ADOPTED
    verdict = joint_ownership(
        by_proposal=True,
        rule=DecisionRule.MAJORITY,
        threshold=TWO_THIRDS,
        outcome=outcome,
        electorate=electorate,
        responses=responses,
    )
    assert not verdict.jointly_owned
    assert verdict.failed_criteria == ("public_did_not_agree", "objection_overruled")


def test_a_direct_decision_is_not_by_proposal() -> None:
    verdict = joint_ownership(
        by_proposal=False,
        rule=DecisionRule.CONSENT,
        threshold=TWO_THIRDS,
        outcome=Outcome.ADOPTED,
        electorate={"r": ["researcher"]},
        responses={"r": Stance.CONSENT},
    )
    assert verdict.failed_criteria == ("not_by_proposal", "no_public_participant")


def test_joint_ownership_resting_only_on_dual_perspective_members_is_flagged() -> None:
    electorate = {"cr": ["public", "researcher"], "r": ["researcher"]}
    verdict = joint_ownership(
        by_proposal=True,
        rule=DecisionRule.CONSENT,
        threshold=TWO_THIRDS,
        outcome=Outcome.ADOPTED,
        electorate=electorate,
        responses={"cr": Stance.CONSENT, "r": Stance.CONSENT},
    )
    assert verdict.jointly_owned
    assert verdict.flags == ("only_dual_perspective_members",)


def test_an_auditor_may_require_other_perspectives() -> None:
    verdict = joint_ownership(
        by_proposal=True,
        rule=DecisionRule.CONSENT,
        threshold=TWO_THIRDS,
        outcome=Outcome.ADOPTED,
        electorate={"p": ["public"], "r": ["researcher"]},
        responses={"p": Stance.CONSENT, "r": Stance.CONSENT},
        standard=AuditStandard(("public", "researcher", "practitioner")),
    )
    assert verdict.failed_criteria == ("no_practitioner_participant",)


@given(decisions(), rules, st.booleans(), st.sampled_from(list(Outcome)))
def test_only_an_adopted_key_proposal_is_judged_for_joint_ownership(
    decision: tuple[dict[str, list[str]], dict[str, Stance]],
    rule: DecisionRule,
    key: bool,
    outcome: Outcome,
) -> None:
    electorate, responses = decision
    verdict = audit_proposal(
        key=key,
        outcome=outcome,
        rule=rule,
        threshold=TWO_THIRDS,
        electorate=electorate,
        responses=responses,
    )
    if key and outcome == Outcome.ADOPTED:
        assert verdict == joint_ownership(
            by_proposal=True,
            rule=rule,
            threshold=TWO_THIRDS,
            outcome=outcome,
            electorate=electorate,
            responses=responses,
        )
    else:
        assert verdict is None


@given(st.lists(st.sampled_from(PERSPECTIVES), min_size=1, unique=True))
def test_a_key_direct_decision_never_counts_as_jointly_owned(perspectives: list[str]) -> None:
    verdict = audit_direct_decision(key=True, decider="ana", decider_perspectives=perspectives)
    assert verdict is not None
    assert not verdict.jointly_owned
    assert NOT_BY_PROPOSAL in verdict.failed_criteria
    assert (
        audit_direct_decision(key=False, decider="ana", decider_perspectives=perspectives) is None
    )
