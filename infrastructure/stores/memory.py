"""In-memory store, for fast tests and throwaway runs."""

from __future__ import annotations

from eventsourcing.popo import POPOFactory

from application.directory import InMemoryMemberDirectory
from infrastructure.views.memory import MemoryGovernanceView


class Factory(POPOFactory):
    def member_directory(self) -> InMemoryMemberDirectory:
        return InMemoryMemberDirectory()

    def governance_view(self) -> MemoryGovernanceView:
        return MemoryGovernanceView()
