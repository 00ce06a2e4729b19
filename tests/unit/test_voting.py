"""Exact voting power (domain/voting.py) against a brute-force oracle over every coalition."""

from __future__ import annotations

from fractions import Fraction
from itertools import product
from math import comb, prod

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogov.domain.charter import Charter
from cogov.domain.language import DecisionRule, Outcome, Stance
from cogov.domain.power import Game, banzhaf, voting_power
from cogov.domain.rules import Tally, decide, rule_met
from cogov.domain.voting import (
    VotingPowerOutOfReach,
    _pair_count,
    _Rows,
    _tail,
    banzhaf_shares,
    fewest_consents,
)

CATALOGUE = ["public", "researcher", "practitioner", "funder"]
THRESHOLDS = [Fraction(2, 3), Fraction(3, 4), Fraction(1), Fraction("0.5000001"), Fraction(1, 2)]


def oracle(
    rule: DecisionRule,
    threshold: Fraction,
    quorum: Fraction,
    required: tuple[str, ...],
    electorate: dict[str, list[str]],
) -> dict[str, Fraction]:
    """Normalised Banzhaf by enumerating every coalition, each judged by the rules' own
    `decide` as a key decision with its members consenting and everyone else objecting."""

    def wins(coalition: frozenset[str]) -> bool:
        responses = {m: Stance.CONSENT if m in coalition else Stance.OBJECT for m in electorate}
        outcome = decide(
            rule=rule,
            threshold=threshold,
            quorum=quorum,
            required_perspectives=required,
            key=True,
            electorate=electorate,
            responses=responses,
        )
        return outcome == Outcome.ADOPTED

    return banzhaf(list(electorate), wins)


electorates = st.dictionaries(
    st.sampled_from([f"m{i}" for i in range(10)]),
    st.lists(st.sampled_from(CATALOGUE), min_size=1, max_size=3, unique=True),
    min_size=1,
)
thresholds = st.one_of(
    st.sampled_from(THRESHOLDS),
    st.fractions(min_value=Fraction(1, 2), max_value=1, max_denominator=12),
)
quorums = st.fractions(min_value=0, max_value=1, max_denominator=10)
requireds = st.lists(st.sampled_from(CATALOGUE), max_size=3, unique=True).map(tuple)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(list(DecisionRule)), thresholds, quorums, requireds, electorates)
def test_exact_power_equals_the_brute_force_oracle(
    rule: DecisionRule,
    threshold: Fraction,
    quorum: Fraction,
    required: tuple[str, ...],
    electorate: dict[str, list[str]],
) -> None:
    expected = oracle(rule, threshold, quorum, required, electorate)
    assert banzhaf_shares(rule, threshold, required, electorate) == expected
    game = Game(rule, threshold, required)
    assert voting_power(game, electorate) == {m: float(v) for m, v in expected.items()}


twelve = st.dictionaries(
    st.sampled_from([f"m{i}" for i in range(12)]),
    st.lists(st.sampled_from(CATALOGUE), min_size=1, max_size=4, unique=True),
    min_size=10,
)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(list(DecisionRule)), thresholds, requireds, twelve)
def test_exact_power_equals_the_oracle_up_to_twelve_electors(
    rule: DecisionRule,
    threshold: Fraction,
    required: tuple[str, ...],
    electorate: dict[str, list[str]],
) -> None:
    assert banzhaf_shares(rule, threshold, required, electorate) == oracle(
        rule, threshold, Fraction(0), required, electorate
    )


def by_class_counts(
    rule: DecisionRule,
    threshold: Fraction,
    required: tuple[str, ...],
    classes: list[tuple[frozenset[str], int]],
) -> list[Fraction]:
    """Normalised Banzhaf index per member of each class, by enumerating how many of each
    class consent (not which), each count judged with `rule_met` overall and within each
    required perspective: an oracle for electorates too large to enumerate coalitions of."""
    size = sum(n for _, n in classes)

    def wins(taken: tuple[int, ...]) -> bool:
        groups = [(sum(taken), size)] + [
            (
                sum(k for k, (held, _) in zip(taken, classes, strict=True) if p in held),
                sum(n for held, n in classes if p in held),
            )
            for p in required
        ]
        return all(
            members > 0 and rule_met(rule, Tally(yes, members - yes), threshold)
            for yes, members in groups
        )

    swings = [0] * len(classes)  # over the members of each class
    for taken in product(*(range(n + 1) for _, n in classes)):
        if not wins(taken):
            continue
        ways = prod(comb(n, k) for (_, n), k in zip(classes, taken, strict=True))
        for c, k in enumerate(taken):
            without = (*taken[:c], k - 1, *taken[c + 1 :])
            if k and not wins(without):
                swings[c] += ways * k
    total = sum(swings)
    return [
        Fraction(s, n * total) if total else Fraction(0)
        for s, (_, n) in zip(swings, classes, strict=True)
    ]


kinds_of_members = st.lists(
    st.tuples(st.frozensets(st.sampled_from(CATALOGUE), min_size=1, max_size=4), st.integers(1, 5)),
    min_size=1,
    max_size=6,
    unique_by=lambda c: c[0],
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([DecisionRule.MAJORITY, DecisionRule.SUPERMAJORITY]),
    thresholds,
    st.lists(st.sampled_from(CATALOGUE), max_size=4, unique=True).map(tuple),
    kinds_of_members,
)
def test_exact_power_equals_counting_by_class_up_to_thirty_electors(
    rule: DecisionRule,
    threshold: Fraction,
    required: tuple[str, ...],
    classes: list[tuple[frozenset[str], int]],
) -> None:
    """Up to four required perspectives in up to six classes: both ways of counting (two
    perspectives or fewer, and more) against the oracle at sizes past enumerating coalitions."""
    electorate = {
        f"c{c}m{i}": sorted(held) for c, (held, n) in enumerate(classes) for i in range(n)
    }
    expected = by_class_counts(rule, threshold, required, classes)
    shares = banzhaf_shares(rule, threshold, required, electorate)
    assert [shares[f"c{c}m0"] for c in range(len(classes))] == expected


def pair_count_by_enumeration(
    both: int, only_p: int, only_q: int, free: int, total: int, need_p: int, need_q: int
) -> int:
    return sum(
        comb(both, k) * comb(only_p, i) * comb(only_q, j) * comb(free, f)
        for k, i, j, f in product(*(range(n + 1) for n in (both, only_p, only_q, free)))
        if k + i + j + f >= total and k + i >= need_p and k + j >= need_q
    )


@given(
    st.tuples(*[st.integers(0, 9)] * 4),
    st.integers(-2, 40),
    st.integers(-2, 20),
    st.integers(-2, 20),
)
def test_counting_with_two_perspectives_equals_enumerating_class_counts(
    sizes: tuple[int, int, int, int], total: int, need_p: int, need_q: int
) -> None:
    both, only_p, only_q, free = sizes
    assert _pair_count(both, only_p, only_q, free, total, need_p, need_q) == (
        pair_count_by_enumeration(both, only_p, only_q, free, total, need_p, need_q)
    )


@pytest.mark.parametrize(
    ("sizes", "needs"),
    [
        ((30, 60, 60, 60), (150, 5, 5)),  # a band too wide to make term by term
        ((40, 50, 45, 70), (120, 40, 30)),
        ((0, 70, 70, 70), (105, 36, 36)),
        ((25, 0, 0, 90), (60, 13, 13)),
    ],
)
def test_counting_with_two_perspectives_at_larger_sizes(
    sizes: tuple[int, int, int, int], needs: tuple[int, int, int]
) -> None:
    both, only_p, only_q, free = sizes
    total, need_p, need_q = needs
    expected = sum(
        comb(both, k)
        * comb(only_p, i)
        * sum(
            comb(only_q, j) * _tail(free)(total - k - i - j)
            for j in range(only_q + 1)
            if k + j >= need_q
        )
        for k in range(both + 1)
        for i in range(only_p + 1)
        if k + i >= need_p
    )
    assert _pair_count(both, only_p, only_q, free, total, need_p, need_q) == expected


@given(st.sampled_from(list(DecisionRule)), thresholds, st.integers(0, 40))
def test_fewest_consents_is_where_the_rule_is_first_met(
    rule: DecisionRule, threshold: Fraction, size: int
) -> None:
    met = [k for k in range(size + 1) if rule_met(rule, Tally(k, size - k), threshold)]
    assert fewest_consents(rule, threshold, size) == (met[0] if met else None)
    if met:  # and met from there on: more consents never lose
        assert met == list(range(met[0], size + 1))


def test_a_threshold_just_above_one_half_is_not_one_half() -> None:
    assert fewest_consents(DecisionRule.SUPERMAJORITY, Fraction("0.5000001"), 4) == 3
    assert fewest_consents(DecisionRule.SUPERMAJORITY, Fraction(1, 2), 4) == 2
    electorate = {"a": ["public"], "b": ["public"], "c": ["researcher"], "d": ["researcher"]}
    just_above = banzhaf_shares(
        DecisionRule.SUPERMAJORITY, Fraction("0.5000001"), ("public",), electorate
    )
    half = banzhaf_shares(DecisionRule.SUPERMAJORITY, Fraction(1, 2), ("public",), electorate)
    assert just_above != half
    assert just_above == oracle(
        DecisionRule.SUPERMAJORITY, Fraction("0.5000001"), Fraction(0), ("public",), electorate
    )


@given(
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(-5, 70),
    st.integers(0, 40),
    st.lists(st.integers(-2, 33), min_size=1, max_size=12),
)
def test_rows_made_at_once_or_one_by_one_hold_the_same_counts(
    n: int, free: int, low: int, width: int, asked: list[int]
) -> None:
    """V(y, w) = sum over k >= y of C(n, k) * #{sets of the free electors with >= w - k}."""
    rows = _Rows(n, _tail(free), low, low + width)
    tail = _tail(free)
    for y in asked:
        expected = [
            sum(comb(n, k) * tail(w - k) for k in range(max(y, 0), n + 1))
            for w in range(low, low + width + 1)
        ]
        assert rows.get(y) == expected


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        (2 / 3, Fraction(2, 3)),
        (0.75, Fraction(3, 4)),
        (1.0, Fraction(1)),
        (0.5000001, Fraction("0.5000001")),
        (0.6, Fraction(3, 5)),
        (0.501, Fraction(501, 1000)),
    ],
)
def test_the_charter_threshold_reaches_the_game_as_the_fraction_it_stands_for(
    stored: float, read: Fraction
) -> None:
    charter = Charter(threshold=stored, quorum=stored)
    assert charter.threshold_fraction == read
    assert charter.quorum_fraction == read


@given(st.floats(min_value=0.5, max_value=1, exclude_min=True))
def test_a_charter_threshold_always_reads_back_as_itself(stored: float) -> None:
    assert float(Charter(threshold=stored).threshold_fraction) == stored


KINDS = [
    ["public"],
    ["researcher"],
    ["practitioner"],
    ["public", "researcher"],
    ["public", "practitioner"],
    ["researcher", "practitioner"],
]


@pytest.mark.parametrize("rule", [DecisionRule.CONSENT, DecisionRule.CONSENSUS])
@pytest.mark.parametrize("size", [1, 2, 7, 100, 1000])
def test_consent_and_consensus_give_everyone_an_equal_veto(rule: DecisionRule, size: int) -> None:
    electorate = {f"m{i}": KINDS[i % 6] for i in range(size)}
    shares = banzhaf_shares(rule, Fraction(2, 3), ("public",), electorate)
    assert set(shares.values()) == {Fraction(1, size)}


@pytest.mark.parametrize("rule", list(DecisionRule))
def test_a_required_perspective_nobody_holds_leaves_no_power(rule: DecisionRule) -> None:
    electorate = {f"m{i}": KINDS[i % 3] for i in range(30)}
    shares = banzhaf_shares(rule, Fraction(2, 3), ("public", "funder"), electorate)
    assert set(shares.values()) == {Fraction(0)}


@pytest.mark.parametrize("rule", [DecisionRule.MAJORITY, DecisionRule.SUPERMAJORITY])
def test_a_thousand_electors_in_six_kinds(rule: DecisionRule) -> None:
    """Exact at a size no enumeration of coalitions reaches: the shares sum to exactly 1 and
    members whose positions mirror each other (public-only and researcher-only, and so on)
    hold exactly equal power."""
    electorate = {f"m{i}": KINDS[i % 6] for i in range(1000)}
    shares = banzhaf_shares(rule, Fraction(2, 3), ("public", "researcher"), electorate)
    assert sum(shares.values()) == 1
    assert shares["m0"] == shares["m1"]  # public / researcher
    assert shares["m4"] == shares["m5"]  # public+practitioner / researcher+practitioner
    assert shares["m0"] == shares["m4"]  # practitioner is not required: it changes nothing
    assert shares["m3"] > shares["m0"] > shares["m2"] > 0


@pytest.mark.parametrize("rule", [DecisionRule.MAJORITY, DecisionRule.SUPERMAJORITY])
def test_a_hundred_electors_with_three_required_perspectives(rule: DecisionRule) -> None:
    """Three required perspectives held in every combination (and one outside them): exact,
    summing to 1, and equal for members whose positions mirror each other."""
    kinds = [*KINDS, ["public", "researcher", "practitioner"], ["funder"]]
    electorate = {f"m{i}": kinds[i % 8] for i in range(96)}
    required = ("public", "researcher", "practitioner")
    shares = banzhaf_shares(rule, Fraction(2, 3), required, electorate)
    assert sum(shares.values()) == 1
    assert shares["m0"] == shares["m1"] == shares["m2"]  # one perspective each
    assert shares["m3"] == shares["m4"] == shares["m5"]  # two each
    assert shares["m6"] > shares["m3"] > shares["m0"] > shares["m7"] > 0


def test_a_thousand_electors_with_three_required_perspectives_and_a_few_holding_more() -> None:
    """The usual shape of a large team: nearly everyone holds one of the required
    perspectives (or none), a few hold two or all three. Exact, summing to 1, mirrored
    members equal, and the more perspectives a member holds the more say they have."""
    three = ["public", "researcher", "practitioner"]
    overlapping = [*KINDS[3:], three]  # the four ways of holding more than one
    electorate = {f"o{i}": overlapping[i % 4] for i in range(20)}
    singles = [*KINDS[:3], ["funder"]]
    electorate |= {f"s{i}": singles[i % 4] for i in range(980)}
    shares = banzhaf_shares(DecisionRule.MAJORITY, Fraction(2, 3), tuple(three), electorate)
    assert sum(shares.values()) == 1
    assert shares["s0"] == shares["s1"] == shares["s2"] > shares["s3"] > 0
    assert shares["o0"] == shares["o1"] == shares["o2"]  # two perspectives each
    assert shares["o3"] > shares["o0"] > shares["s0"]


def test_a_game_beyond_the_work_bound_is_refused_before_it_is_counted() -> None:
    """A thousand electors spread over every combination of three required perspectives:
    the programme's states would number in the millions (tens of gigabytes). It is refused
    at once, saying why, rather than taking the process down."""
    kinds = [*KINDS, ["public", "researcher", "practitioner"], ["funder"]]
    electorate = {f"m{i}": kinds[i % 8] for i in range(1000)}
    with pytest.raises(VotingPowerOutOfReach, match="1000 electors holding 3 required"):
        banzhaf_shares(
            DecisionRule.MAJORITY,
            Fraction(2, 3),
            ("public", "researcher", "practitioner"),
            electorate,
        )
