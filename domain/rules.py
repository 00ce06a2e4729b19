"""Decision rules, quorum, adoption and the joint-ownership audit, as pure functions.

Conventions (documented in docs/rules.md): every comparison is inclusive (`>=`) except
`majority`, which is strict (consents > objections); under every rule at least one
consent is needed, so a proposal that nobody agreed to is never adopted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

import attrs

from cogov.domain.language import PUBLIC, RESEARCHER, DecisionRule, Outcome, Stance, as_names


@attrs.frozen
class Tally:
    consent: int = 0
    object: int = 0
    abstain: int = 0
    stand_aside: int = 0

    @classmethod
    def of(cls, stances: Iterable[Stance]) -> Tally:
        counts: Counter[str] = Counter(stances)  # Stance members and their text count alike
        return cls(counts["consent"], counts["object"], counts["abstain"], counts["stand_aside"])

    @property
    def participants(self) -> int:
        return self.consent + self.object + self.abstain + self.stand_aside

    def to_dict(self) -> dict[str, int]:
        return {s.value: getattr(self, s.value) for s in Stance}


def rule_met(rule: DecisionRule, tally: Tally, threshold: Fraction = Fraction(2, 3)) -> bool:
    """Whether the responses in `tally` meet `rule`."""
    if tally.consent == 0:
        return False
    if rule == DecisionRule.CONSENT:
        return tally.object == 0
    if rule == DecisionRule.CONSENSUS:
        return tally.object == 0 and tally.abstain == 0
    if rule == DecisionRule.MAJORITY:
        return tally.consent > tally.object
    # supermajority: consents / (consents + objections) >= threshold
    return Fraction(tally.consent, tally.consent + tally.object) >= threshold


def quorum_met(responded: int, electorate_size: int, quorum: Fraction) -> bool:
    if electorate_size == 0:
        return False
    return Fraction(responded, electorate_size) >= quorum


def tally_by_perspective(
    electorate: Mapping[str, Sequence[str]], responses: Mapping[str, Stance]
) -> dict[str, Tally]:
    """Tally per perspective; a member with several perspectives counts in each."""
    stances: dict[str, list[Stance]] = {}
    for member, perspectives in electorate.items():
        for perspective in perspectives:
            bucket = stances.setdefault(perspective, [])
            if member in responses:
                bucket.append(responses[member])
    return {p: Tally.of(s) for p, s in stances.items()}


def participation_by_perspective(
    electorate: Mapping[str, Sequence[str]], responses: Mapping[str, Stance]
) -> dict[str, int]:
    return {p: t.participants for p, t in tally_by_perspective(electorate, responses).items()}


def decide(
    *,
    rule: DecisionRule,
    threshold: Fraction,
    quorum: Fraction,
    required_perspectives: Sequence[str],
    key: bool,
    electorate: Mapping[str, Sequence[str]],
    responses: Mapping[str, Stance],
) -> Outcome:
    """The outcome of a closed proposal: computed by the rules frozen at tabling, never chosen.

    Below quorum it lapses. A key decision also needs concurrent approval: the rule met
    within each required perspective, each with at least one participant.
    """
    counted = {m: s for m, s in responses.items() if m in electorate}
    if not quorum_met(len(counted), len(electorate), quorum):
        return Outcome.LAPSED
    if not rule_met(rule, Tally.of(counted.values()), threshold):
        return Outcome.REJECTED
    if key:
        by_perspective = tally_by_perspective(electorate, counted)
        for perspective in required_perspectives:
            tally = by_perspective.get(perspective, Tally())
            if tally.participants == 0 or not rule_met(rule, tally, threshold):
                return Outcome.REJECTED
    return Outcome.ADOPTED


# --- joint ownership -------------------------------------------------------------------

NOT_BY_PROPOSAL = "not_by_proposal"
OBJECTION_OVERRULED = "objection_overruled"
ONLY_DUAL_PERSPECTIVE_MEMBERS = "only_dual_perspective_members"


def no_participant(perspective: str) -> str:
    return f"no_{perspective}_participant"


def did_not_agree(perspective: str) -> str:
    return f"{perspective}_did_not_agree"


@attrs.frozen
class AuditStandard:
    """What an auditor counts as joint ownership; independent of the team's own charter."""

    required_perspectives: tuple[str, ...] = attrs.field(
        default=(PUBLIC, RESEARCHER), converter=as_names
    )


@attrs.frozen
class JointOwnership:
    jointly_owned: bool
    failed_criteria: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


def joint_ownership(
    *,
    by_proposal: bool,
    rule: DecisionRule,
    threshold: Fraction,
    outcome: Outcome,
    electorate: Mapping[str, Sequence[str]],
    responses: Mapping[str, Stance],
    standard: AuditStandard = AuditStandard(),
) -> JointOwnership:
    """Judge a key decision against an audit standard, naming every failed criterion.

    For a direct decision, `electorate` and `responses` hold just the member who decided.
    """
    failed: list[str] = []
    if not by_proposal:
        failed.append(NOT_BY_PROPOSAL)
    counted = {m: s for m, s in responses.items() if m in electorate}
    by_perspective = tally_by_perspective(electorate, counted)
    for perspective in standard.required_perspectives:
        tally = by_perspective.get(perspective, Tally())
        if tally.participants == 0:
            failed.append(no_participant(perspective))
        elif by_proposal and not rule_met(rule, tally, threshold):
            failed.append(did_not_agree(perspective))
    if outcome == Outcome.ADOPTED and any(s == Stance.OBJECT for s in counted.values()):
        failed.append(OBJECTION_OVERRULED)

    flags: list[str] = []
    required = set(standard.required_perspectives)
    for perspective in standard.required_perspectives:
        takers = [m for m in counted if perspective in electorate[m]]
        if takers and all(len(required & set(electorate[m])) > 1 for m in takers):
            flags.append(ONLY_DUAL_PERSPECTIVE_MEMBERS)
            break
    return JointOwnership(not failed, tuple(failed), tuple(flags))


def audit_proposal(
    *,
    key: bool,
    outcome: Outcome,
    rule: DecisionRule,
    threshold: Fraction,
    electorate: Mapping[str, Sequence[str]],
    responses: Mapping[str, Stance],
    standard: AuditStandard = AuditStandard(),
) -> JointOwnership | None:
    """The audit of a proposal's decision, or None when there is nothing to judge: it was
    not key, or it adopted nothing (a rejected, lapsed or withdrawn proposal decided
    nothing, so calling it "not jointly owned" would mislead)."""
    if not key or outcome != Outcome.ADOPTED:
        return None
    return joint_ownership(
        by_proposal=True,
        rule=rule,
        threshold=threshold,
        outcome=outcome,
        electorate=electorate,
        responses=responses,
        standard=standard,
    )


def audit_direct_decision(
    *,
    key: bool,
    decider: str,
    decider_perspectives: Sequence[str],
    standard: AuditStandard = AuditStandard(),
) -> JointOwnership | None:
    """The audit of a decision an area holder took alone (None when not key): never by
    proposal, and only the decider's own perspectives took part."""
    if not key:
        return None
    return joint_ownership(
        by_proposal=False,
        rule=DecisionRule.CONSENT,
        threshold=Fraction(1),  # no vote was taken
        outcome=Outcome.ADOPTED,
        electorate={decider: decider_perspectives},
        responses={decider: Stance.CONSENT},
        standard=standard,
    )
