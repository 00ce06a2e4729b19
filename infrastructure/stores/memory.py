"""In-memory store, for fast tests and throwaway runs."""

from __future__ import annotations

from eventsourcing.popo import POPOFactory

from cogov.application.keyvalue import InMemoryKeyValues
from cogov.infrastructure.views.memory import MemoryGovernanceView


class Factory(POPOFactory):
    def key_values(self) -> InMemoryKeyValues:
        return InMemoryKeyValues()

    def governance_view(self) -> MemoryGovernanceView:
        return MemoryGovernanceView()
