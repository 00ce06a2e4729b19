"""cogov's domain model: the language, aggregates and rules of co-produced governance. No I/O."""

from cogov.domain.authority import Authority
from cogov.domain.charter import Charter
from cogov.domain.errors import (
    Conflict,
    GovernanceError,
    HiddenUntilClose,
    InvalidInput,
    NotAMember,
    NotAnElector,
    NotAuthorised,
    NotDue,
    NotFound,
    ProposalNotOpen,
)
from cogov.domain.journal import (
    DialogueKind,
    EthicsOutcome,
    ImpactKind,
    Journal,
    RecognitionKind,
    ReflectionScope,
    SupportKind,
)
from cogov.domain.language import DecisionRule, MemberStatus, Outcome, Stage, Stance
from cogov.domain.project import Delegation, Member, Project, Role
from cogov.domain.proposal import Proposal

__all__ = [
    "Authority",
    "Charter",
    "Conflict",
    "DecisionRule",
    "Delegation",
    "DialogueKind",
    "EthicsOutcome",
    "GovernanceError",
    "HiddenUntilClose",
    "ImpactKind",
    "InvalidInput",
    "Journal",
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
    "RecognitionKind",
    "ReflectionScope",
    "Role",
    "Stage",
    "Stance",
    "SupportKind",
]
