"""The co-production scorecard, from what the governance views can show so far.

Each indicator names an NIHR principle or feature, gives its value, and lists the evidence
(decision ids or event positions) behind it. Indicators that need the co-production journal
(reflection, recognition and payment, relationships, evaluation of impact) say so and carry
no value until the journal is recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from cogov.application.views import DecisionRow, MemberRow, PowerRow
from cogov.domain.language import PUBLIC, Stage

NEEDS_JOURNAL = "recorded in the co-production journal, which this project has not yet used"


@attrs.frozen
class Indicator:
    name: str
    principle: str
    value: Any
    evidence: tuple[str, ...] = ()
    note: str | None = None


@attrs.frozen
class StageInvolvement:
    stage: str
    decisions: int
    public_responses: int  # responses by members holding the public perspective
    gap: bool


@attrs.frozen
class Scorecard:
    project_id: str
    indicators: tuple[Indicator, ...]
    involvement: tuple[StageInvolvement, ...]

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def scorecard(
    project_id: str,
    decisions: Sequence[DecisionRow],
    timeline: Sequence[PowerRow],
    members: Sequence[MemberRow],
) -> Scorecard:
    power = timeline[-1] if timeline else None
    entered = {row.stage for row in timeline}
    key_adopted = [d for d in decisions if d.key and d.jointly_owned is not None]
    not_owned = [d for d in key_adopted if not d.jointly_owned]
    ground_rules = [
        d for d in decisions if "adopt_ground_rules" in d.actions and d.outcome == "adopted"
    ]
    amended = [d for d in decisions if d.amendments]
    raised = sum(m.objections for m in members)
    upheld = sum(m.upheld for m in members)
    active = [m for m in members if m.status == "active"]
    perspectives = sorted({p for m in active for p in m.perspectives})
    flexibility = [
        d
        for d in decisions
        if d.outcome == "adopted" and {"amend_charter", "enter_stage"} & set(d.actions)
    ]
    indicators = [
        Indicator(
            "joint_ownership",
            "joint ownership of key decisions",
            None if not key_adopted else (len(key_adopted) - len(not_owned)) / len(key_adopted),
            tuple(d.proposal_id for d in not_owned),
            "share of adopted key decisions that were jointly owned; evidence: those that were not",
        ),
        Indicator(
            "sharing_power",
            "sharing of power",
            None
            if power is None
            else {"hhi": power.hhi, "public_share": power.perspectives.get(PUBLIC)},
            () if power is None else (str(power.position),),
            "concentration over perspectives after the latest power shift (lower HHI: more shared)",
        ),
        Indicator(
            "all_perspectives",
            "including all perspectives and skills",
            perspectives,
            tuple(m.member_id for m in active),
        ),
        Indicator(
            "respecting_knowledge",
            "respecting and valuing all knowledge",
            None if not raised else upheld / raised,
            (),
            "share of objections that led to an amendment or a rejection",
        ),
        Indicator(
            "ground_rules",
            "establishing ground rules",
            bool(ground_rules),
            tuple(d.proposal_id for d in ground_rules),
        ),
        Indicator(
            "dialogue",
            "continuous dialogue",
            {
                "comments": sum(m.comments for m in members),
                "amendments": sum(d.amendments for d in decisions),
                "objections_withdrawn": sum(d.withdrawn_objections for d in decisions),
            },
            tuple(d.proposal_id for d in amended),
        ),
        Indicator(
            "flexibility",
            "flexibility",
            len(flexibility),
            tuple(d.proposal_id for d in flexibility),
            "adopted charter amendments and stage changes",
        ),
        *(
            Indicator(name, principle, None, (), NEEDS_JOURNAL)
            for name, principle in (
                ("reciprocity", "reciprocity"),
                ("relationships", "building and maintaining relationships"),
                ("reflection", "continuous reflection"),
                ("evaluation_of_impact", "valuing and evaluating impact"),
            )
        ),
    ]
    involvement = []
    for stage in Stage:
        in_stage = [d for d in decisions if d.stage == stage.value]
        if stage.value not in entered and not in_stage:
            continue  # not reached yet
        public = sum(d.participation.get(PUBLIC, 0) for d in in_stage)
        involvement.append(StageInvolvement(stage.value, len(in_stage), public, public == 0))
    return Scorecard(project_id, tuple(indicators), tuple(involvement))
