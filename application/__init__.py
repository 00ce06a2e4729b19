"""cogov's application layer: the Governance service that a host platform embeds."""

from cogov.application.directory import DirectoryEntry, MemberDirectory
from cogov.application.governance import Governance
from cogov.application.records import EventRecord, ProjectRecord, ProposalRecord

__all__ = [
    "DirectoryEntry",
    "EventRecord",
    "Governance",
    "MemberDirectory",
    "ProjectRecord",
    "ProposalRecord",
]
