"""cogov's application layer: the Governance service that a host platform embeds."""

from application.directory import DirectoryEntry, MemberDirectory
from application.governance import Governance
from application.records import EventRecord, ProjectRecord, ProposalRecord

__all__ = [
    "DirectoryEntry",
    "EventRecord",
    "Governance",
    "MemberDirectory",
    "ProjectRecord",
    "ProposalRecord",
]
