"""The shared vocabulary of co-produced research governance (docs/design.md, section 3)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Stage(StrEnum):
    """Where a project is in its lifecycle, in order."""

    PRIORITY_SETTING = "priority_setting"
    DESIGN = "design"
    FUNDING = "funding"
    ETHICS_REVIEW = "ethics_review"
    DELIVERY = "delivery"
    ANALYSIS = "analysis"
    DISSEMINATION = "dissemination"
    KNOWLEDGE_EXCHANGE = "knowledge_exchange"
    EVALUATION = "evaluation"
    CLOSED = "closed"


STAGES: tuple[str, ...] = tuple(s.value for s in Stage)


class Stance(StrEnum):
    """A member's response to a proposal."""

    CONSENT = "consent"
    OBJECT = "object"
    ABSTAIN = "abstain"
    STAND_ASIDE = "stand_aside"


class DecisionRule(StrEnum):
    CONSENT = "consent"
    CONSENSUS = "consensus"
    MAJORITY = "majority"
    SUPERMAJORITY = "supermajority"


class Outcome(StrEnum):
    OPEN = "open"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"
    REMOVED = "removed"


PUBLIC = "public"
RESEARCHER = "researcher"

DEFAULT_PERSPECTIVES: tuple[str, ...] = (PUBLIC, RESEARCHER, "practitioner", "policy", "industry")

DEFAULT_AREAS: tuple[str, ...] = (
    "research_question",
    "methods",
    "recruitment",
    "budget",
    "ethics",
    "data",
    "dissemination",
    "governance",
    "operations",
)

FACILITATOR = "Facilitator"

# The actor of what cogov does by itself, such as closing a proposal once it is due.
SYSTEM = "system"

# The operator of a cogov instance: not a project member, so it never takes part in
# decisions, but it may found projects, add auditors and issue tokens.
INSTANCE_ADMIN = "instance-admin"


def as_names(values: Iterable[str]) -> tuple[str, ...]:
    """attrs converter: any iterable of names, stored as a tuple (JSON gives back lists)."""
    return tuple(values)


# The furthest ahead a deadline or an expiry may be set.
MAX_HORIZON_DAYS = 5 * 366
