"""The power model: reference vectors (docs/rules.md) and properties of the key-decision game."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogov.domain.language import DecisionRule
from cogov.domain.power import (
    Game,
    authority_units,
    banzhaf,
    gini,
    hhi,
    perspective_shares,
    shapley_shubik,
    voting_power,
    weighted_game,
)

PERSPECTIVES = ["public", "researcher", "practitioner"]
REQUIRED = ("public", "researcher")


def test_banzhaf_reference_vector_8_6_4_2() -> None:
    weights = {"a": 8, "b": 6, "c": 4, "d": 2}
    assert banzhaf(list(weights), weighted_game(weights, 12)) == {
        "a": Fraction(5, 12),
        "b": Fraction(1, 4),
        "c": Fraction(1, 4),
        "d": Fraction(1, 12),
    }


def test_banzhaf_and_shapley_shubik_reference_vector_50_49_1() -> None:
    weights = {"a": 50, "b": 49, "c": 1}
    game = weighted_game(weights, 51)
    assert banzhaf(list(weights), game) == {
        "a": Fraction(3, 5),
        "b": Fraction(1, 5),
        "c": Fraction(1, 5),
    }
    assert shapley_shubik(list(weights), game) == {
        "a": Fraction(2, 3),
        "b": Fraction(1, 6),
        "c": Fraction(1, 6),
    }


def test_gini_and_hhi_reference_values() -> None:
    assert gini([1, 0, 0, 0]) == pytest.approx(0.75)
    assert hhi([0.25] * 4) == pytest.approx(2500)
    assert gini([3, 3, 3]) == pytest.approx(0)
    assert hhi([1.0]) == pytest.approx(10_000)


electorates = st.dictionaries(
    st.sampled_from([f"m{i}" for i in range(9)]),
    st.lists(st.sampled_from(PERSPECTIVES), min_size=1, max_size=2, unique=True),
    min_size=1,
)
games = st.builds(
    Game,
    rule=st.sampled_from(list(DecisionRule)),
    threshold=st.sampled_from([Fraction(2, 3), Fraction(3, 4), Fraction(1)]),
    required_perspectives=st.sampled_from([(), ("public",), REQUIRED]),
)


@given(games, electorates)
def test_kind_counting_equals_brute_force_enumeration(
    game: Game, electorate: dict[str, list[str]]
) -> None:
    fast = voting_power(game, electorate)
    slow = banzhaf(list(electorate), lambda c: game.wins(electorate, c))
    assert fast == {m: float(v) for m, v in slow.items()}


@given(games, electorates)
def test_shares_sum_to_one_or_nobody_can_win(game: Game, electorate: dict[str, list[str]]) -> None:
    power = voting_power(game, electorate)
    total = sum(power.values())
    can_win = game.wins(electorate, set(electorate))
    assert total == pytest.approx(1.0 if can_win else 0.0)


@given(games, electorates)
def test_symmetric_members_get_equal_shares(game: Game, electorate: dict[str, list[str]]) -> None:
    power = voting_power(game, electorate)
    for a, held_a in electorate.items():
        for b, held_b in electorate.items():
            if sorted(held_a) == sorted(held_b):
                assert power[a] == pytest.approx(power[b])


def test_a_dummy_voter_gets_nothing() -> None:
    """Under majority with concurrent approval, an outsider to the required perspectives still
    counts in the overall majority; under a weighted game a zero-weight voter is a dummy."""
    weights = {"a": 3, "b": 1, "dummy": 0}
    assert banzhaf(list(weights), weighted_game(weights, 3))["dummy"] == 0


def test_consent_gives_everyone_an_equal_veto() -> None:
    electorate = {"a": ["public"], "b": ["researcher"], "c": ["practitioner"], "d": ["public"]}
    power = voting_power(Game(DecisionRule.CONSENT, Fraction(2, 3), REQUIRED), electorate)
    assert set(power.values()) == {0.25}


@given(st.integers(2, 8))
def test_a_required_perspective_with_one_member_gives_that_member_a_veto(n: int) -> None:
    electorate = {f"r{i}": ["researcher"] for i in range(n)} | {"p": ["public"]}
    game = Game(DecisionRule.MAJORITY, Fraction(2, 3), REQUIRED)
    everyone = set(electorate)
    assert game.wins(electorate, everyone)
    assert not game.wins(electorate, everyone - {"p"})
    power = voting_power(game, electorate)
    assert power["p"] >= max(power.values()) - 1e-12


def test_a_large_electorate_is_computed_exactly() -> None:
    kinds = [["public"], ["researcher"], ["public", "researcher"], ["practitioner"]]
    electorate = {f"m{i}": kinds[i % 4] for i in range(160)}
    game = Game(DecisionRule.MAJORITY, Fraction(2, 3), REQUIRED)
    power = voting_power(game, electorate)
    assert sum(power.values()) == pytest.approx(1.0)
    # symmetric kinds: public-only and researcher-only members hold exactly equal power
    assert power["m0"] == power["m1"]
    assert power["m2"] > power["m0"] > power["m3"] > 0


def test_perspective_shares_split_a_member_across_their_perspectives() -> None:
    shares = perspective_shares(
        {"a": 0.5, "b": 0.5}, {"a": ["public", "researcher"], "b": ["researcher"]}
    )
    assert shares == pytest.approx({"public": 0.25, "researcher": 0.75})


def test_authority_units() -> None:
    assert authority_units([(True, []), (False, ["budget", "ethics"])], delegated_areas=1) == 6
