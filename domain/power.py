"""The power model: formal voting power, authority held, influence exercised, concentration.

Voting power is each elector's normalised Banzhaf index in the yes/no game of the key-decision
rule in force: every elector consents or objects, and a coalition wins when the proposal
would be adopted with its members consenting and everyone else objecting (the threshold and
concurrent approval of required perspectives apply; with everyone responding, any quorum up
to 1 is met). It is computed exactly at any size (domain/voting.py): members with the same
required perspectives are interchangeable in that game, so coalitions are counted by how
many of each kind they hold rather than one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from fractions import Fraction
from itertools import combinations, permutations
from typing import Any

import attrs

from cogov.domain.language import DecisionRule, Outcome, Stance
from cogov.domain.project import Project
from cogov.domain.proposal import Proposal
from cogov.domain.rules import Tally, rule_met
from cogov.domain.voting import VotingPowerOutOfReach, banzhaf_shares

# --- generic simple games (reference implementations, used for test vectors) -------------


def banzhaf(players: Sequence[str], wins: Callable[[frozenset[str]], bool]) -> dict[str, Fraction]:
    """Normalised Banzhaf index by enumerating every coalition (small games only)."""
    swings = dict.fromkeys(players, 0)
    for size in range(len(players) + 1):
        for coalition in combinations(players, size):
            members = frozenset(coalition)
            if not wins(members):
                continue
            for player in coalition:
                if not wins(members - {player}):
                    swings[player] += 1
    total = sum(swings.values())
    return {p: Fraction(s, total) if total else Fraction(0) for p, s in swings.items()}


def shapley_shubik(
    players: Sequence[str], wins: Callable[[frozenset[str]], bool]
) -> dict[str, Fraction]:
    """Shapley-Shubik index by enumerating every ordering (small games only)."""
    pivots = dict.fromkeys(players, 0)
    orders = 0
    for order in permutations(players):
        orders += 1
        coalition: set[str] = set()
        for player in order:
            coalition.add(player)
            if wins(frozenset(coalition)):
                pivots[player] += 1
                break
    return {p: Fraction(c, orders) for p, c in pivots.items()}


def weighted_game(weights: Mapping[str, int], quota: int) -> Callable[[frozenset[str]], bool]:
    return lambda coalition: sum(weights[p] for p in coalition) >= quota


# --- the key-decision game ---------------------------------------------------------------


@attrs.frozen
class Game:
    """The yes/no voting game of a charter's key-decision rule."""

    rule: DecisionRule
    threshold: Fraction
    required_perspectives: tuple[str, ...]

    def wins(self, electorate: Mapping[str, Collection[str]], coalition: Collection[str]) -> bool:
        """Would a proposal pass with `coalition` consenting and every other elector objecting?"""
        yes = set(coalition)
        overall = Tally(consent=len(yes), object=len(electorate) - len(yes))
        if not rule_met(self.rule, overall, self.threshold):
            return False
        for perspective in self.required_perspectives:
            holders = [m for m, ps in electorate.items() if perspective in ps]
            if not holders:
                return False
            agree = sum(1 for m in holders if m in yes)
            if not rule_met(self.rule, Tally(agree, len(holders) - agree), self.threshold):
                return False
        return True


def voting_power(game: Game, electorate: Mapping[str, Collection[str]]) -> dict[str, float]:
    """Each elector's normalised Banzhaf index, computed exactly (zero for all when no
    coalition can win)."""
    shares = banzhaf_shares(game.rule, game.threshold, game.required_perspectives, electorate)
    return {member: float(share) for member, share in shares.items()}


# --- shares and concentration ------------------------------------------------------------


def perspective_shares(
    member_values: Mapping[str, float], perspectives: Mapping[str, Sequence[str]]
) -> dict[str, float]:
    """Shares by perspective: each member's value split evenly across their perspectives."""
    totals: dict[str, float] = {}
    for member, value in member_values.items():
        held = perspectives.get(member) or ()
        for perspective in held:
            totals[perspective] = totals.get(perspective, 0.0) + value / len(held)
    grand = sum(totals.values())
    return {p: (v / grand if grand else 0.0) for p, v in totals.items()}


def hhi(shares: Iterable[float]) -> float:
    """Herfindahl-Hirschman index, 0-10,000, over shares that sum to 1 (or all zero)."""
    return sum((100 * s) ** 2 for s in shares)


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values: 0 is equal, (n-1)/n is one holds everything."""
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return 0.0
    ordered = sorted(values)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return max(0.0, (2 * weighted) / (n * total) - (n + 1) / n)  # no -0.0 from rounding


def normalise(values: Mapping[str, float]) -> dict[str, float]:
    total = sum(values.values())
    return {k: (v / total if total else 0.0) for k, v in values.items()}


# --- authority and influence ------------------------------------------------------------

LEADERSHIP_WEIGHT = 2  # a leadership role counts as much as two other roles


def authority_units(roles: Iterable[tuple[bool, Sequence[str]]], delegated_areas: int) -> float:
    """Authority a member holds: roles (leadership double), each role's decision areas,
    and each area delegated to them."""
    units = float(delegated_areas)
    for leadership, areas in roles:
        units += (LEADERSHIP_WEIGHT if leadership else 1) + len(areas)
    return units


# What a member did, counted per member: the influence they exercised (tabled, adopted,
# objections, upheld, direct) and how they took part (responses, comments).
TABLED = "tabled"
ADOPTED = "adopted"
RESPONSES = "responses"
OBJECTIONS = "objections"
UPHELD = "upheld"
COMMENTS = "comments"
DIRECT = "direct"


def acts_counted(
    event: object, after: Project | Proposal, previous_stance: str | None = None
) -> list[tuple[str, str]]:
    """(member, act) pairs that `event` adds to the counts: `after` is its aggregate with
    the event applied; `previous_stance` the responder's stance just before a response.

    An objection counts once until the objector changes stance; an objection is upheld
    when it led to an amendment or to the proposal's rejection.
    """
    match event:
        case Proposal.ProposalTabled():
            return [(after.proposer, TABLED)] if isinstance(after, Proposal) else []
        case Proposal.ResponseGiven(member_id=member, stance=stance):
            acts = [(member, RESPONSES)]
            if stance == Stance.OBJECT and previous_stance != Stance.OBJECT:
                acts.append((member, OBJECTIONS))
            return acts
        case Proposal.CommentPosted(actor=actor):
            return [(actor, COMMENTS)]
        case Proposal.ProposalClosed() | Proposal.ProposalWithdrawn():
            assert isinstance(after, Proposal)
            acts = [(after.proposer, ADOPTED)] if after.outcome == Outcome.ADOPTED else []
            return acts + [(objector, UPHELD) for objector in after.upheld_objectors()]
        case Project.DecisionRecordedDirectly(actor=actor):
            return [(actor, DIRECT)]
    return []


def response_acts(events: Iterable[object]) -> list[tuple[str, str]]:
    """The acts a proposal's responses add to the counts, in order, exactly as
    `acts_counted` counts them one event at a time: for a proposal whose results are hidden
    until it closes, whose responses are counted all at once when it closes (or is
    withdrawn), so that no count shows a stance while it is hidden."""
    proposal: Any = None
    acts: list[tuple[str, str]] = []
    for event in events:
        if isinstance(event, Proposal.ResponseGiven):
            acts += acts_counted(event, proposal, proposal.responses.get(event.member_id))
        if isinstance(event, Proposal.Event):
            proposal = event.mutate(proposal)
    return acts


@attrs.frozen
class Influence:
    """Influence a member has exercised so far."""

    tabled: int = 0
    adopted: int = 0
    objections: int = 0
    upheld: int = 0
    direct: int = 0

    @property
    def units(self) -> int:
        return self.tabled + self.adopted + self.objections + self.upheld + self.direct


# --- the distribution after a power shift -------------------------------------------------

MEASURES = ("voting_power", "authority", "influence")

# Changes to who can decide what: after each, the distribution is computed again.
POWER_SHIFTS: tuple[type[Project.Event], ...] = (
    Project.ProjectFounded,
    Project.MemberAdmitted,
    Project.PerspectivesChanged,
    Project.MemberLeft,
    Project.MemberRemoved,
    Project.RoleDefined,
    Project.RoleAssigned,
    Project.RoleRelinquished,
    Project.AreaDelegated,
    Project.DelegationRevoked,
    Project.CharterAmended,
    Project.StageEntered,
)


@attrs.frozen
class Distribution:
    """How power was distributed among a project's active members at one moment.

    A measure that could not be computed (voting power in a game too large to count
    exactly, `VotingPowerOutOfReach`) is None throughout, and `not_computed` says why."""

    members: dict[str, dict[str, float | None]]  # member -> measure -> share of the whole
    perspectives: dict[str, dict[str, float | None]]  # perspective -> measure -> share
    hhi: dict[str, float | None]  # measure -> HHI over perspectives
    gini: dict[str, float | None]  # measure -> Gini over members
    not_computed: dict[str, str] = attrs.field(factory=dict)  # measure -> why


def distribution(project: Project, influence: Mapping[str, float]) -> Distribution:
    """Voting power, authority and influence shares, by member and perspective."""
    active = project.active_members()
    charter = project.charter
    game = Game(charter.key_rule, charter.threshold_fraction, charter.required_perspectives)
    roles, areas = project.roles_by_member(), project.areas_by_member()
    raw: dict[str, dict[str, float]] = {
        "authority": {
            m: authority_units(
                [(project.roles[r].leadership, project.roles[r].areas) for r in roles.get(m, ())],
                len(areas.get(m, ())),
            )
            for m in active
        },
        "influence": {m: float(influence.get(m, 0)) for m in active},
    }
    not_computed: dict[str, str] = {}
    try:
        raw["voting_power"] = voting_power(game, active)
    except VotingPowerOutOfReach as beyond:
        not_computed["voting_power"] = str(beyond)
    measured = [measure for measure in MEASURES if measure in raw]
    shares = {measure: normalise(raw[measure]) for measure in measured}
    by_perspective = {measure: perspective_shares(shares[measure], active) for measure in measured}
    perspectives = sorted({p for ps in active.values() for p in ps})

    return Distribution(
        members={
            m: {measure: shares[measure][m] if measure in raw else None for measure in MEASURES}
            for m in active
        },
        perspectives={
            p: {
                measure: by_perspective[measure].get(p, 0.0) if measure in raw else None
                for measure in MEASURES
            }
            for p in perspectives
        },
        hhi={
            measure: hhi(by_perspective[measure].values()) if measure in raw else None
            for measure in MEASURES
        },
        gini={
            measure: gini(list(raw[measure].values())) if measure in raw else None
            for measure in MEASURES
        },
        not_computed=not_computed,
    )
