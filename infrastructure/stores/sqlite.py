"""SQLite store: the embedded default. Events, views and records share one file, so a
command's records commit in its events' transaction."""

from __future__ import annotations

import fcntl
import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import IO, Any

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
)

from cogov.application.beside import Add, Beside, Delete, Put, Write
from cogov.application.keyvalue import Record
from cogov.infrastructure.access_log import SQLiteAccessLog
from cogov.infrastructure.stores.group_commit import GroupCommit, Save, alone, chained, one_by_one
from cogov.infrastructure.views.sqlite import SQLiteGovernanceView, one_statement

SQLITE_MAX_PARAMETERS = 500  # keys per query, well under SQLite's limit on parameters
RECORDS_TABLE = (
    "CREATE TABLE IF NOT EXISTS cogov_records (namespace TEXT NOT NULL,"
    " key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (namespace, key))"
)


def apply(c: SQLiteCursor, writes: Sequence[Write]) -> None:
    for w in writes:
        if isinstance(w, Put):
            c.execute(
                "INSERT INTO cogov_records VALUES (?, ?, ?) ON CONFLICT (namespace, key)"
                " DO UPDATE SET value = excluded.value",
                (w.namespace, w.key, json.dumps(w.value)),
            )
        elif isinstance(w, Add):  # a taken key fails the transaction
            c.execute(
                "INSERT INTO cogov_records VALUES (?, ?, ?)",
                (w.namespace, w.key, json.dumps(w.value)),
            )
        elif isinstance(w, Delete):
            c.execute(
                "DELETE FROM cogov_records WHERE namespace = ? AND key = ?", (w.namespace, w.key)
            )


class SQLiteRecorder(SQLiteApplicationRecorder):
    """Writes a command's records in the transaction that inserts its events, the saves of
    concurrent commands committed together (group_commit.py): one transaction and one
    commit for the batch, and the writer's connection asked for once a batch, not by every
    thread in turn."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches: GroupCommit[Save, Sequence[int] | None] = GroupCommit(
            chained(self._commit_batch)
        )

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), RECORDS_TABLE]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        beside: Beside | None = kwargs.get("cogov")
        if beside is None or not stored_events:
            return super().insert_events(stored_events, **kwargs)
        pending = beside.pending
        return self.batches.submit(
            Save(stored_events, beside), queued=pending.queued if pending else None
        )

    def _commit_batch(
        self, batch: Sequence[Save]
    ) -> Sequence[Sequence[int] | BaseException | None]:
        """A save alone commits as eventsourcing commits it; in a batch each save has a
        savepoint of its own, so a save that lost its race (or whose record's key is taken)
        fails alone while the others commit, and so does a save built on one that failed."""
        if len(batch) == 1:  # what it builds on was settled by an earlier batch
            return [super().insert_events(batch[0].events, cogov=batch[0].beside)]
        with self.datastore.transaction(commit=True) as c:

            def in_savepoint(save: Save) -> Sequence[int] | BaseException | None:
                c.execute("SAVEPOINT save")
                outcome: Sequence[int] | BaseException | None
                try:
                    outcome = self._insert_events(c, save.events, cogov=save.beside)
                except (sqlite3.IntegrityError, sqlite3.DataError, UnicodeEncodeError) as e:
                    c.execute("ROLLBACK TO save")
                    outcome = alone(e, integrity=sqlite3.IntegrityError, data=sqlite3.DataError)
                c.execute("RELEASE save")
                return outcome

            return one_by_one(batch, in_savepoint)

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        beside: Beside | None = kwargs.get("cogov")
        if beside is not None and ids:
            apply(c, beside.rows(max(ids)))
        return ids


class SQLiteKeyValues:
    def __init__(
        self, datastore: SQLiteDatastore, readers: SQLiteDatastore, events_table: str
    ) -> None:
        self.datastore = datastore
        self.readers = readers
        self.events_table = events_table  # the application's, read beside a record
        with self.datastore.transaction(commit=True) as c:
            c.execute(RECORDS_TABLE)

    def get(self, namespace: str, key: str) -> Record | None:
        with one_statement(self.readers) as c:
            c.execute(
                "SELECT value FROM cogov_records WHERE namespace = ? AND key = ?", (namespace, key)
            )
            row = c.fetchone()
        return json.loads(row[0]) if row else None

    def get_with_version(
        self, namespace: str, key: str, field: str
    ) -> tuple[Record | None, int | None]:
        with one_statement(self.readers) as c:
            c.execute(
                "SELECT r.value, (SELECT MAX(e.originator_version) FROM "
                + self.events_table
                # eventsourcing keeps a UUID id as its 32 hex digits
                + " e WHERE e.originator_id = replace(json_extract(r.value, ?), '-', ''))"
                " FROM cogov_records r"
                " WHERE r.namespace = ? AND r.key = ?",
                ("$." + field, namespace, key),
            )
            row = c.fetchone()
        return (json.loads(row[0]), row[1]) if row else (None, None)

    def get_many(self, namespace: str, keys: Sequence[str]) -> dict[str, Record]:
        """Found as one row, a JSON object SQLite writes from the stored texts as they
        are: Python's sqlite3 lets go of the GIL at every row it steps to, and under load
        each hand-over cost more than its row. Reading the 32 names beside GET power as
        one row took a request's CPU from 2.4 to 1.9 ms at 8 clients."""
        found: dict[str, Record] = {}
        chunks = range(0, len(keys), SQLITE_MAX_PARAMETERS)
        reading = (
            one_statement(self.readers)
            if len(chunks) <= 1
            else self.readers.transaction(commit=False)  # several: one snapshot for all
        )
        with reading as c:
            for start in chunks:
                chunk = list(keys[start : start + SQLITE_MAX_PARAMETERS])
                c.execute(
                    "SELECT '{' || group_concat(json_quote(key) || ':' || value, ',') || '}'"
                    " FROM cogov_records WHERE namespace = ? AND key IN ("
                    + ",".join("?" * len(chunk))
                    + ")",
                    (namespace, *chunk),
                )
                [(text,)] = c.fetchall()  # to the end: the statement is done with
                if text is not None:  # None: no key found
                    found |= json.loads(text)
        return found

    def put(self, namespace: str, key: str, value: Record) -> None:
        with self.datastore.transaction(commit=True) as c:
            apply(c, [Put(namespace, key, value)])

    def add(self, namespace: str, key: str, value: Record) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT INTO cogov_records VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING key",
                (namespace, key, json.dumps(value)),
            )
            return c.fetchone() is not None

    def delete(self, namespace: str, key: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            apply(c, [Delete(namespace, key)])

    def items(self) -> Iterator[tuple[str, str, Record]]:
        with one_statement(self.readers) as c:
            c.execute("SELECT namespace, key, value FROM cogov_records ORDER BY namespace, key")
            rows = c.fetchall()
        for namespace, key, value in rows:
            yield namespace, key, json.loads(value)


class FileLead:
    """The lead over the views, held as an exclusive lock on a file beside the database:
    the system lets it go when the process does. Asked often, it tries the lock at most
    once a `CHECK_EVERY` while another process holds it."""

    CHECK_EVERY = 1.0

    def __init__(self, path: str) -> None:
        self.path = path
        self._file: IO[bytes] | None = None
        self._next_check = 0.0

    def lead(self) -> bool:
        if self._file is not None:
            return True
        now = time.monotonic()
        if now < self._next_check:
            return False
        self._next_check = now + self.CHECK_EVERY
        handle = open(self.path, "ab")  # noqa: SIM115 - held open while leading
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another process leads
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            handle.close()  # and the lock with it


class Factory(SQLiteFactory):
    application_recorder_class = SQLiteRecorder

    @cached_property
    def readers(self) -> SQLiteDatastore:
        """Connections for queries only, to the same file. eventsourcing's pool hands out
        connections in the order asked for, and a writer waiting for the one write lock
        holds that queue, so reads from the shared pool wait behind writes; in WAL mode a
        read needs no lock, so the views' and records' queries take these instead."""
        pool = self.datastore.pool
        if pool.is_sqlite_memory_mode:  # one database per connection: share the writer's
            return self.datastore
        return SQLiteDatastore(pool.db_name, lock_timeout=pool.lock_timeout, pool_size=8)

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        assert isinstance(recorder, SQLiteRecorder)
        self.events_table = recorder.events_table_name  # for the records read beside them
        return recorder

    def key_values(self) -> SQLiteKeyValues:
        return SQLiteKeyValues(self.datastore, self.readers, self.events_table)

    def views_leadership(self) -> FileLead | None:
        pool = self.datastore.pool
        if pool.is_sqlite_memory_mode:  # one process only
            return None
        return FileLead(f"{pool.db_name}.views-lead")

    def governance_view(self) -> SQLiteGovernanceView:
        view = SQLiteGovernanceView(datastore=self.datastore, readers=self.readers)
        view.create_table()
        return view

    def close(self) -> None:
        if "readers" in self.__dict__ and self.readers is not self.datastore:
            self.readers.close()
        super().close()

    def access_log(self) -> SQLiteAccessLog:
        return SQLiteAccessLog(self.datastore)
