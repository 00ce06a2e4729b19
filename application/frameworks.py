"""Reporting frameworks answered from the scorecard's indicators: the GRIPP2 short form and
the six UK Standards for Public Involvement.

Each item gathers the indicators that bear on it, so a statement says what the same
evidence says on the scorecard (and cites the same event positions), and says plainly when
the log is silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from cogov.application.scorecard import Indicator

SILENT = "The log is silent on this: nothing has been recorded that bears on it."


@attrs.frozen
class Statement:
    """What the log shows for one reporting item, and the event positions behind it."""

    text: str
    evidence: tuple[int, ...]
    silent: bool
    indicators: tuple[str, ...]  # the scorecard indicators it draws on

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


# GRIPP2 short form (Staniszewska et al., 2017): each item and the indicators that answer it.
GRIPP2_SF: dict[str, tuple[str, ...]] = {
    "aim": ("ground_rules", "sharing_power", "all_perspectives"),
    "methods": ("continuing_dialogue", "joint_ownership", "personal_growth", "reciprocity"),
    "results": ("evaluating_impact", "respecting_knowledge"),
    "discussion": ("joint_ownership", "flexibility", "relationships"),
    "reflections": ("continuous_reflection", "ethical_review"),
}

# UK Standards for Public Involvement (NIHR and partners, 2019).
UK_STANDARDS: dict[str, tuple[str, ...]] = {
    "inclusive_opportunities": ("all_perspectives", "reciprocity"),
    "working_together": ("joint_ownership", "relationships", "ground_rules"),
    "support_and_learning": ("personal_growth",),
    "communications": ("continuing_dialogue", "relationship_building"),
    "impact": ("evaluating_impact",),
    "governance": ("responsibility_accountability", "sharing_power", "ethical_review"),
}


def statement(indicators: Sequence[Indicator], codes: Sequence[str]) -> Statement:
    by_code = {i.code: i for i in indicators}
    drawn = [by_code[c] for c in codes if c in by_code]
    spoken = [i for i in drawn if i.status != "no_evidence"]
    if not spoken:
        return Statement(SILENT, (), True, tuple(codes))
    text = " ".join(i.explanation for i in spoken)
    quiet = [i.principle for i in drawn if i.status == "no_evidence"]
    if quiet:
        text += f" The log is silent on {', '.join(quiet)}."
    evidence = tuple(sorted({p for i in spoken for p in i.evidence}))
    return Statement(text, evidence, False, tuple(codes))


def gripp2_sf(indicators: Sequence[Indicator]) -> dict[str, Statement]:
    return {item: statement(indicators, codes) for item, codes in GRIPP2_SF.items()}


def uk_standards(indicators: Sequence[Indicator]) -> dict[str, Statement]:
    return {item: statement(indicators, codes) for item, codes in UK_STANDARDS.items()}
