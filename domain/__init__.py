"""cogov's domain model: the language, aggregates and rules of co-produced governance. No I/O."""

from domain.authority import Authority
from domain.charter import Charter
from domain.errors import (
    Conflict,
    GovernanceError,
    InvalidInput,
    NotAMember,
    NotAnElector,
    NotAuthorised,
    NotDue,
    NotFound,
    ProposalNotOpen,
)
from domain.language import DecisionRule, MemberStatus, Outcome, Stage, Stance
from domain.project import Delegation, Member, Project, Role
from domain.proposal import Proposal

__all__ = [
    "Authority",
    "Charter",
    "Conflict",
    "DecisionRule",
    "Delegation",
    "GovernanceError",
    "InvalidInput",
    "Member",
    "MemberStatus",
    "NotAMember",
    "NotAnElector",
    "NotAuthorised",
    "NotDue",
    "NotFound",
    "Outcome",
    "Project",
    "Proposal",
    "ProposalNotOpen",
    "Role",
    "Stage",
    "Stance",
]
