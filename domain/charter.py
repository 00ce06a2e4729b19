"""The charter: a team's own rules for deciding. Changing it is itself a key decision."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from cogov.domain import actions
from cogov.domain.errors import InvalidInput
from cogov.domain.language import FACILITATOR, PUBLIC, RESEARCHER, DecisionRule

# Acts a charter may let a role do alone: the actions that allow it, and two acts that
# are not proposal actions. Everything else needs an adopted proposal.
ACTING_ALONE_ACTIONS: frozenset[str] = actions.ACTING_ALONE_ACTIONS | {
    "change_perspectives",
    "record_decision",
}
KEY_ONLY_ACTIONS: frozenset[str] = actions.KEY_ONLY_ACTIONS

DEFAULT_ACTING_ALONE: dict[str, tuple[str, ...]] = {
    "admit_member": (FACILITATOR,),
    "define_role": (FACILITATOR,),
    "assign_role": (FACILITATOR,),
    "relinquish_role": (FACILITATOR,),
    "change_perspectives": (FACILITATOR,),
}


MAX_REFLECTION_DAYS = 366  # a team reflection at least once a year, if scheduled at all


@functools.lru_cache(maxsize=1024)  # a few thresholds, read for every vote a projection counts
def _as_fraction(value: float) -> Fraction:
    """Read a stored float as the simple fraction it stands for: the nearest fraction, with a
    denominator up to 10, 100, 1,000 and so on, that reads back as exactly the same float
    (0.666... -> 2/3, 0.75 -> 3/4, 0.5000001 -> 5000001/10000000, never 1/2)."""
    exact, bound = Fraction(value), 1
    while float(candidate := exact.limit_denominator(bound)) != value:
        bound *= 10  # ends at the latest with the float's own binary fraction
    return candidate


def _names(value: object, what: str) -> tuple[str, ...]:
    """A list of non-empty names; a bare string is refused, not split into letters."""
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InvalidInput(f"charter {what} must be a list of names")
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidInput(f"charter {what} must hold non-empty names")
    return tuple(value)


def _acting_alone(value: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise InvalidInput("charter acting_alone must map action types to lists of role names")
    return {str(k): _names(v, f"acting_alone[{k!r}]") for k, v in value.items()}


def _required(value: object) -> tuple[str, ...]:
    return _names(value, "required_perspectives")


@attrs.frozen
class Charter:
    key_rule: DecisionRule = attrs.field(default=DecisionRule.CONSENT, converter=DecisionRule)
    operational_rule: DecisionRule = attrs.field(
        default=DecisionRule.CONSENT, converter=DecisionRule
    )
    threshold: float = 2 / 3
    quorum: float = 0.5
    required_perspectives: tuple[str, ...] = attrs.field(
        default=(PUBLIC, RESEARCHER), converter=_required
    )
    response_window_days: int = 7
    acting_alone: dict[str, tuple[str, ...]] = attrs.field(
        factory=lambda: dict(DEFAULT_ACTING_ALONE), converter=_acting_alone
    )
    # while a proposal is open, members see only their own stance and the count
    results_hidden_until_close: bool = False
    # a team reflection is due this often (days); None: no schedule
    reflection_every_days: int | None = None

    FIELDS = (
        "key_rule",
        "operational_rule",
        "threshold",
        "quorum",
        "required_perspectives",
        "response_window_days",
        "acting_alone",
        "results_hidden_until_close",
        "reflection_every_days",
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Charter:
        """Build a charter from client input; omitted fields take the defaults."""
        return cls().amended(data or {})

    def amended(self, changes: Mapping[str, Any]) -> Charter:
        """A new charter with `changes` applied, validated as a whole."""
        if not isinstance(changes, Mapping):
            raise InvalidInput("charter must be an object")
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise InvalidInput(f"unknown charter field(s): {', '.join(sorted(unknown))}")
        try:
            merged = attrs.evolve(self, **dict(changes))
        except (ValueError, TypeError) as e:
            raise InvalidInput(f"invalid charter: {e}") from None
        merged.validate()
        return merged

    def validate(self) -> None:
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, int | float):
            raise InvalidInput("charter threshold must be a number")
        if not 0.5 < self.threshold <= 1:
            raise InvalidInput("charter threshold must be above 0.5 and at most 1")
        if isinstance(self.quorum, bool) or not isinstance(self.quorum, int | float):
            raise InvalidInput("charter quorum must be a number")
        if not 0 <= self.quorum <= 1:
            raise InvalidInput("charter quorum must be between 0 and 1")
        if isinstance(self.response_window_days, bool) or not isinstance(
            self.response_window_days, int
        ):
            raise InvalidInput("charter response_window_days must be a whole number")
        if not 1 <= self.response_window_days <= 365:
            raise InvalidInput("charter response_window_days must be between 1 and 365")
        if not isinstance(self.results_hidden_until_close, bool):
            raise InvalidInput("charter results_hidden_until_close must be true or false")
        every = self.reflection_every_days
        if every is not None:
            if isinstance(every, bool) or not isinstance(every, int):
                raise InvalidInput("charter reflection_every_days must be a whole number or null")
            if not 1 <= every <= MAX_REFLECTION_DAYS:
                raise InvalidInput(
                    f"charter reflection_every_days must be between 1 and {MAX_REFLECTION_DAYS}"
                )
        if len(set(self.required_perspectives)) != len(self.required_perspectives):
            raise InvalidInput("charter required_perspectives has duplicates")
        if not all(isinstance(p, str) and p for p in self.required_perspectives):
            raise InvalidInput("charter required_perspectives must be non-empty names")
        for action in self.acting_alone:
            if action in KEY_ONLY_ACTIONS:
                raise InvalidInput(f"'{action}' always needs an adopted key proposal")
            if action not in ACTING_ALONE_ACTIONS:
                raise InvalidInput(
                    f"unknown acting_alone action '{action}'; "
                    f"expected one of {', '.join(sorted(ACTING_ALONE_ACTIONS))}"
                )

    @property
    def threshold_fraction(self) -> Fraction:
        return _as_fraction(self.threshold)

    @property
    def quorum_fraction(self) -> Fraction:
        return _as_fraction(self.quorum)

    def rule_for(self, key: bool) -> DecisionRule:
        return self.key_rule if key else self.operational_rule

    def roles_acting_alone(self, action: str) -> tuple[str, ...]:
        return self.acting_alone.get(action, ())

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_rule": self.key_rule.value,
            "operational_rule": self.operational_rule.value,
            "threshold": self.threshold,
            "quorum": self.quorum,
            "required_perspectives": list(self.required_perspectives),
            "response_window_days": self.response_window_days,
            "acting_alone": {k: list(v) for k, v in self.acting_alone.items()},
            "results_hidden_until_close": self.results_hidden_until_close,
            "reflection_every_days": self.reflection_every_days,
        }
