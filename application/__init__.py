"""cogov's application layer: the Governance service that a host platform embeds."""

from cogov.application.credentials import Principal
from cogov.application.directory import DirectoryEntry, MemberDirectory
from cogov.application.governance import Governance
from cogov.application.proposals import ProposalRecord
from cogov.application.reading import ViewNotCaughtUp, ViewsUnavailable
from cogov.application.records import EventRecord, ProjectRecord

__all__ = [
    "DirectoryEntry",
    "EventRecord",
    "Governance",
    "MemberDirectory",
    "Principal",
    "ProjectRecord",
    "ProposalRecord",
    "ViewNotCaughtUp",
    "ViewsUnavailable",
]
