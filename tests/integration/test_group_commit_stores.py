"""Group commit on both SQL stores: a batch is one transaction, and a save that loses its
race (or whose record's key is taken) fails alone while the others commit with their
records; a save built on one still in flight commits only if that one does."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from cogov.application import Governance
from cogov.application.beside import COMMANDS, IDEMPOTENCY, Beside, Delete, Put
from cogov.application.chain import Pending
from cogov.infrastructure import open_governance
from cogov.infrastructure.stores.group_commit import Save
from cogov.infrastructure.stores.postgres import PostgresRecorder
from cogov.infrastructure.stores.sqlite import SQLiteRecorder

Recorder = PostgresRecorder | SQLiteRecorder


@pytest.fixture
def gov(shared_store_url: str) -> Iterator[Governance]:
    governance = open_governance(shared_store_url)
    yield governance
    governance.close()


@pytest.fixture
def recorder(gov: Governance) -> Recorder:
    assert isinstance(gov.recorder, PostgresRecorder | SQLiteRecorder)
    return gov.recorder


def command_rows(recorder: Recorder) -> dict[str, str]:
    """The commands' own rows as the store holds their text."""
    with recorder.datastore.transaction(commit=False) as c:
        if isinstance(recorder, PostgresRecorder):
            table, mark = f'"{recorder.datastore.schema}".cogov_records', "%s"
        else:
            table, mark = "cogov_records", "?"
        c.execute(f"SELECT key, value FROM {table} WHERE namespace = {mark}", (COMMANDS,))
        return {row["key"]: row["value"] for row in c.fetchall()}


def event(originator: uuid.UUID, version: int) -> StoredEvent:
    return StoredEvent(originator_id=originator, originator_version=version, topic="t", state=b"{}")


def test_a_save_that_loses_its_race_fails_alone_and_the_batch_commits(
    gov: Governance, recorder: Recorder
) -> None:
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


def test_saves_that_wait_together_commit_together_each_with_its_own_position(
    gov: Governance, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through `insert_events`, as commands save: the saves that arrive while a batch
    commits are the next batch, and each gets its own events' positions."""
    batches: list[int] = []
    first = threading.Event()
    commit = recorder.batches.commit

    def slow_first(batch: Any) -> Any:
        batches.append(len(batch))
        if len(batches) == 1:
            first.set()
            time.sleep(0.3)  # the others arrive meanwhile
        return commit(batch)

    monkeypatch.setattr(recorder.batches, "commit", slow_first)
    positions: dict[str, Any] = {}

    def save(name: str) -> None:
        events = [event(uuid.uuid4(), 1), event(uuid.uuid4(), 1)]
        positions[name] = recorder.insert_events(events, cogov=Beside(command_id=name))

    threads = [threading.Thread(target=save, args=("c0",))]
    threads[0].start()
    assert first.wait(5)
    threads += [threading.Thread(target=save, args=(f"c{n}",)) for n in range(1, 6)]
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join(10)
    assert batches == [1, 5]
    assert sorted(p for ids in positions.values() for p in ids) == list(range(1, 13))
    for name, ids in positions.items():
        assert gov.records.get(COMMANDS, name) == {"position": max(ids)}


def test_a_save_partly_taken_records_none_of_its_events(
    gov: Governance, recorder: Recorder
) -> None:
    first = uuid.uuid4()
    outcomes = recorder._commit_batch(
        [
            Save([event(first, 1), event(first, 2)], Beside(command_id="won")),
            Save([event(first, 2), event(first, 3)], Beside(command_id="lost")),
        ]
    )
    assert isinstance(outcomes[1], IntegrityError)
    assert [e.originator_version for e in recorder.select_events(first)] == [1, 2]
    assert gov.records.get(COMMANDS, "lost") is None


def test_a_save_that_loses_its_race_on_one_of_two_aggregates_records_neither(
    gov: Governance, recorder: Recorder
) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    won, lost = recorder._commit_batch(
        [
            Save([event(second, 1)], Beside(command_id="won")),
            Save([event(first, 1), event(second, 1)], Beside(command_id="lost")),
        ]
    )
    assert isinstance(won, list) and isinstance(lost, IntegrityError)
    assert recorder.select_events(first) == []
    assert gov.records.get(COMMANDS, "lost") is None


def test_a_save_whose_record_is_taken_fails_alone(gov: Governance, recorder: Recorder) -> None:
    """The key of a record a save adds is taken: only that save fails, whatever the batch."""
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    (before,) = recorder._commit_batch([Save([event(first, 1)], Beside(command_id="taken"))])
    assert isinstance(before, list)
    again, fresh = recorder._commit_batch(
        [
            Save([event(second, 1)], Beside(command_id="taken")),
            Save([event(third, 1)], Beside(command_id="fresh")),
        ]
    )
    assert isinstance(again, IntegrityError)
    assert isinstance(fresh, list)
    assert recorder.select_events(second) == []
    assert [e.originator_version for e in recorder.select_events(third)] == [1]
    assert gov.records.get(COMMANDS, "taken") == {"position": before[0]}
    assert gov.records.get(COMMANDS, "fresh") == {"position": fresh[0]}
    with pytest.raises(IntegrityError):  # alone in its batch
        recorder.insert_events([event(second, 1)], cogov=Beside(command_id="taken"))
    assert recorder.select_events(second) == []


def test_a_lone_save_that_loses_its_race_fails_and_records_nothing(
    gov: Governance, recorder: Recorder
) -> None:
    first = uuid.uuid4()
    recorder._commit_batch([Save([event(first, 1)], Beside(command_id="won"))])
    with pytest.raises(IntegrityError):
        recorder.insert_events([event(first, 1)], cogov=Beside(command_id="lost"))
    assert len(recorder.select_events(first)) == 1
    assert gov.records.get(COMMANDS, "lost") is None


def test_the_records_of_a_save_that_loses_its_race_are_not_written(
    gov: Governance, recorder: Recorder
) -> None:
    first = uuid.uuid4()
    gov.records.put("kept", "k0", {"v": 0})
    won, lost = recorder._commit_batch(
        [
            Save(
                [event(first, 1)],
                Beside(
                    command_id="won",
                    created={"proposal": "p1"},
                    writes=(Put("kept", "k1", {"v": 1}),),
                    idempotency=("scope-won", "fp"),
                ),
            ),
            Save(
                [event(first, 1)],
                Beside(
                    command_id="lost",
                    writes=(Put("kept", "k2", {"v": 2}), Delete("kept", "k0")),
                    idempotency=("scope-lost", "fp"),
                ),
            ),
        ]
    )
    assert isinstance(won, list) and isinstance(lost, IntegrityError)
    assert gov.records.get(COMMANDS, "won") == {"position": won[0], "proposal": "p1"}
    assert gov.records.get("kept", "k1") == {"v": 1}
    assert gov.records.get(IDEMPOTENCY, "scope-won") == {"fingerprint": "fp", "command": "won"}
    assert gov.records.get("kept", "k0") == {"v": 0}
    assert gov.records.get("kept", "k2") is None
    assert gov.records.get(IDEMPOTENCY, "scope-lost") is None


def test_a_command_run_again_after_it_committed_writes_no_records_again(
    gov: Governance, recorder: Recorder
) -> None:
    """An attempt whose commit landed although its acknowledgement was lost, then the same
    command run again on state read before it landed: the second save loses its race, and
    finding the command's row from the first attempt does not let its records through."""
    first, second = uuid.uuid4(), uuid.uuid4()
    recorder._commit_batch([Save([event(first, 1)], Beside(command_id="c1"))])
    again = Beside(command_id="c1", writes=(Put("kept", "k1", {"v": 1}),))
    lost, other = recorder._commit_batch(
        [Save([event(first, 1)], again), Save([event(second, 1)], Beside(command_id="c2"))]
    )
    assert isinstance(lost, IntegrityError) and isinstance(other, list)
    with pytest.raises(IntegrityError):
        recorder.insert_events([event(first, 1)], cogov=again)
    assert gov.records.get("kept", "k1") is None


def test_the_command_row_is_written_as_python_writes_it(
    recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    """Whatever the ids it created hold (a NUL, a lone surrogate, a large float), and with
    no ids at all; and a batch sent again in savepoints leaves no warning in the log."""
    created = {"h": "a\x00b", "s": "\ud800", "n": 1e20, "é": "ü"}
    (odd,) = recorder._commit_batch(
        [Save([event(uuid.uuid4(), 1)], Beside(command_id="odd", created=created))]
    )
    plain, taken = recorder._commit_batch(
        [
            Save([event(uuid.uuid4(), 1)], Beside(command_id="plain")),
            Save([event(uuid.uuid4(), 1)], Beside(command_id="odd")),  # its row is taken
        ]
    )
    assert isinstance(odd, list) and isinstance(plain, list)
    assert isinstance(taken, IntegrityError)
    assert command_rows(recorder) == {
        "odd": json.dumps({"position": odd[0], **created}),
        "plain": json.dumps({"position": plain[0]}),
    }
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_failure_early_in_a_long_batch_leaves_the_connections_clean(
    recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    """The rest of the batch commits, and every connection goes back to the pool out of any
    transaction (the pool would warn of one that did not). On PostgreSQL the failure
    reaches this process while the batch is still being sent, and the batch is sent again
    in savepoints."""
    recorder._commit_batch([Save([event(uuid.uuid4(), 1)], Beside(command_id="taken"))])
    batch = [Save([event(uuid.uuid4(), 1)], Beside(command_id="taken"))] + [
        Save([event(uuid.uuid4(), 1)], Beside(command_id=f"c{i}")) for i in range(200)
    ]
    outcomes = recorder._commit_batch(batch)
    assert isinstance(outcomes[0], IntegrityError)
    assert all(isinstance(o, list) for o in outcomes[1:])
    for _ in range(3):  # every connection of the pool in turn
        (ids,) = recorder._commit_batch(
            [Save([event(uuid.uuid4(), 1)], Beside(command_id=str(uuid.uuid4())))]
        )
        assert isinstance(ids, list)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.postgres
def test_a_batch_reaches_the_server_in_one_round_trip(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BEGIN, the table's lock, every save and COMMIT are sent before any result is waited
    for: the lock is never held while the server waits for this process (psycopg's
    transaction() would wait three times)."""
    from psycopg import _pipeline_base  # a sync is where the process waits for the server

    syncs: list[None] = []
    real = _pipeline_base.BasePipeline._enqueue_sync

    def counted(self: Any) -> None:
        syncs.append(None)
        real(self)

    monkeypatch.setattr(_pipeline_base.BasePipeline, "_enqueue_sync", counted)
    gov = open_governance(postgres_url)
    assert isinstance(gov.recorder, PostgresRecorder)
    try:
        outcomes = gov.recorder._commit_batch(
            [Save([event(uuid.uuid4(), 1)], Beside(command_id=f"c{i}")) for i in range(3)]
        )
    finally:
        gov.close()
    assert all(isinstance(o, list) for o in outcomes)
    assert len(syncs) == 1


def chain(name: str, events: list[StoredEvent], *after: Pending) -> Save:
    """A save of a command that may build on saves still in flight."""
    return Save(events, Beside(command_id=name, pending=Pending(name), after=after))


def settled(save: Save) -> bool | None:
    assert save.beside.pending is not None
    return save.beside.pending.committed


@pytest.mark.parametrize("sent_again", [False, True], ids=["batch", "batch sent again"])
def test_a_save_built_on_one_that_lost_its_race_fails_with_it(
    gov: Governance, recorder: Recorder, sent_again: bool
) -> None:
    """Another writer took version 1 first. The save of version 1 fails, and so must the
    one built on it, although version 2 is free: it would answer a state never stored.
    `sent_again`: a record's key taken in the batch makes PostgreSQL send it again in
    savepoints."""
    aggregate = uuid.uuid4()
    recorder._commit_batch([Save([event(aggregate, 1)], Beside(command_id="other writer"))])
    first = chain("first", [event(aggregate, 1)])
    assert first.beside.pending is not None
    second = chain("second", [event(aggregate, 2)], first.beside.pending)
    taken = [Save([event(uuid.uuid4(), 1)], Beside(command_id="other writer"))]
    outcomes = recorder.batches.commit([*(taken if sent_again else []), first, second])
    assert all(isinstance(o, IntegrityError) for o in outcomes)
    assert [e.originator_version for e in recorder.select_events(aggregate)] == [1]
    assert gov.records.get(COMMANDS, "first") is None
    assert gov.records.get(COMMANDS, "second") is None
    assert (settled(first), settled(second)) == (False, False)


@pytest.mark.parametrize("sent_again", [False, True], ids=["batch", "batch sent again"])
def test_saves_built_one_on_another_commit_together_in_order(
    gov: Governance, recorder: Recorder, sent_again: bool
) -> None:
    aggregate = uuid.uuid4()
    first = chain("first", [event(aggregate, 1)])
    assert first.beside.pending is not None
    second = chain("second", [event(aggregate, 2)], first.beside.pending)
    assert second.beside.pending is not None
    third = chain("third", [event(aggregate, 3)], second.beside.pending)
    recorder._commit_batch([Save([event(uuid.uuid4(), 1)], Beside(command_id="taken"))])
    taken = [Save([event(uuid.uuid4(), 1)], Beside(command_id="taken"))]
    outcomes = recorder.batches.commit([*(taken if sent_again else []), first, second, third])
    positions = [o[0] for o in outcomes[-3:] if isinstance(o, list)]
    assert len(positions) == 3 and positions == sorted(positions)
    assert [e.originator_version for e in recorder.select_events(aggregate)] == [1, 2, 3]
    assert gov.records.get(COMMANDS, "third") == {"position": positions[2]}
    assert (settled(first), settled(second), settled(third)) == (True, True, True)


def test_a_save_built_on_one_that_failed_in_an_earlier_batch_is_not_sent(
    gov: Governance, recorder: Recorder
) -> None:
    aggregate = uuid.uuid4()
    recorder._commit_batch([Save([event(aggregate, 1)], Beside(command_id="other writer"))])
    first = chain("first", [event(aggregate, 1)])
    assert first.beside.pending is not None
    with pytest.raises(IntegrityError):
        recorder.insert_events(first.events, cogov=first.beside)
    second = chain("second", [event(aggregate, 2)], first.beside.pending)
    with pytest.raises(IntegrityError, match="builds on a save that failed"):
        recorder.insert_events(second.events, cogov=second.beside)
    assert [e.originator_version for e in recorder.select_events(aggregate)] == [1]
    assert gov.records.get(COMMANDS, "second") is None


@pytest.mark.parametrize("sent_again", [False, True], ids=["batch", "batch sent again"])
def test_a_save_built_on_one_that_lost_to_a_save_of_the_same_batch_fails_with_it(
    gov: Governance, recorder: Recorder, sent_again: bool
) -> None:
    """Version 1 is taken earlier in the same transaction, by a save the second does not
    build on: what stands at version 1 is not what the second answers."""
    aggregate = uuid.uuid4()
    recorder._commit_batch([Save([event(uuid.uuid4(), 1)], Beside(command_id="taken"))])
    winner = chain("winner", [event(aggregate, 1)])
    first = chain("first", [event(aggregate, 1)])
    assert first.beside.pending is not None
    second = chain("second", [event(aggregate, 2)], first.beside.pending)
    taken = [Save([event(uuid.uuid4(), 1)], Beside(command_id="taken"))]
    outcomes = recorder.batches.commit([*(taken if sent_again else []), winner, first, second])
    assert isinstance(outcomes[-3], list)
    assert isinstance(outcomes[-2], IntegrityError) and isinstance(outcomes[-1], IntegrityError)
    assert [e.originator_version for e in recorder.select_events(aggregate)] == [1]
    assert gov.records.get(COMMANDS, "second") is None
    assert (settled(winner), settled(first), settled(second)) == (True, False, False)


@pytest.mark.parametrize("one_fails", [False, True], ids=["both commit", "one fails"])
def test_a_save_built_on_two_saves_of_its_batch_needs_both(
    gov: Governance, recorder: Recorder, one_fails: bool
) -> None:
    x, y = uuid.uuid4(), uuid.uuid4()
    if one_fails:
        recorder._commit_batch([Save([event(y, 1)], Beside(command_id="other writer"))])
    on_x, on_y = chain("on x", [event(x, 1)]), chain("on y", [event(y, 1)])
    assert on_x.beside.pending is not None and on_y.beside.pending is not None
    both = chain(
        "both",
        [event(x, 2), event(y, 2)],
        on_x.beside.pending,
        on_y.beside.pending,
    )
    outcomes = recorder.batches.commit([on_x, on_y, both])
    assert isinstance(outcomes[0], list)
    assert isinstance(outcomes[1], IntegrityError) is one_fails
    assert isinstance(outcomes[2], IntegrityError) is one_fails
    assert [e.originator_version for e in recorder.select_events(x)] == [1] + (
        [] if one_fails else [2]
    )


def test_a_save_built_twice_on_one_save_of_its_batch_commits(
    gov: Governance, recorder: Recorder
) -> None:
    """Built on two aggregates that one save of the batch wrote: that save is needed once."""
    x, y = uuid.uuid4(), uuid.uuid4()
    first = chain("first", [event(x, 1), event(y, 1)])
    assert first.beside.pending is not None
    both = chain(
        "both",
        [event(x, 2), event(y, 2)],
        first.beside.pending,
        first.beside.pending,
    )
    outcomes = recorder.batches.commit([first, both])
    assert all(isinstance(o, list) for o in outcomes)
    assert [e.originator_version for e in recorder.select_events(y)] == [1, 2]
