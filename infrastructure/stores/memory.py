"""In-memory store, for fast tests and throwaway runs. Its records are applied under the
events' lock, after checking they can all be written, so a command's events and records
change together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory

from cogov.application.access_log import InMemoryAccessLog
from cogov.application.beside import Beside
from cogov.application.keyvalue import InMemoryKeyValues
from cogov.infrastructure.views.memory import MemoryGovernanceView


class MemoryRecorder(POPOApplicationRecorder):
    def __init__(self, records: InMemoryKeyValues) -> None:
        super().__init__()
        self.records = records

    def _insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        beside: Beside | None = kwargs.get("cogov")
        with self._database_lock:
            if beside is not None:
                self.records.check(beside.rows(0))  # fail before anything is written
            ids = super()._insert_events(stored_events, **kwargs)
            if beside is not None and ids:
                self.records.apply(beside.rows(max(ids)))
            return ids


class Factory(POPOFactory):
    _records: InMemoryKeyValues | None = None

    def key_values(self) -> InMemoryKeyValues:
        if self._records is None:
            self._records = InMemoryKeyValues()
        return self._records

    def application_recorder(self) -> ApplicationRecorder:
        return MemoryRecorder(self.key_values())

    def governance_view(self) -> MemoryGovernanceView:
        return MemoryGovernanceView(self.key_values())

    def access_log(self) -> InMemoryAccessLog:
        return InMemoryAccessLog()
