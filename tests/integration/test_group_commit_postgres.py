"""Group commit on PostgreSQL: a batch is one transaction, each save in a savepoint, so a
save that loses its race fails alone and the others commit with their records."""

from __future__ import annotations

import uuid

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from cogov.application.beside import COMMANDS, Beside
from cogov.infrastructure import open_governance
from cogov.infrastructure.stores.postgres import PostgresRecorder, Save

pytestmark = pytest.mark.postgres


def event(originator: uuid.UUID, version: int) -> StoredEvent:
    return StoredEvent(originator_id=originator, originator_version=version, topic="t", state=b"{}")


def test_a_save_that_loses_its_race_fails_alone_and_the_batch_commits(postgres_url: str) -> None:
    gov = open_governance(postgres_url)
    try:
        recorder = gov.recorder
        assert isinstance(recorder, PostgresRecorder)
        first, second = uuid.uuid4(), uuid.uuid4()
        outcomes = recorder._commit_batch(
            [
                Save([event(first, 1), event(first, 2)], Beside(command_id="won")),
                Save([event(first, 2)], Beside(command_id="lost")),  # version 2 is taken
                Save([event(second, 1)], Beside(command_id="after")),
            ]
        )
        won, lost, after = outcomes
        assert isinstance(lost, IntegrityError)
        assert isinstance(won, list) and isinstance(after, list)
        assert len(won) == 2 and len(after) == 1 and max(won) < after[0]
        assert [e.originator_version for e in recorder.select_events(first)] == [1, 2]
        assert [e.originator_version for e in recorder.select_events(second)] == [1]
        assert gov.records.get(COMMANDS, "won") == {"position": max(won)}
        assert gov.records.get(COMMANDS, "after") == {"position": after[0]}
        assert gov.records.get(COMMANDS, "lost") is None
    finally:
        gov.close()
