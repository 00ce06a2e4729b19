"""PostgreSQL store: the production event store and view database. A command's records
commit in the transaction that inserts its events."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import ApplicationRecorder, DataError, IntegrityError, StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
)
from psycopg import Cursor
from psycopg.pq import TransactionStatus
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composable, Composed, Identifier

from cogov.application.beside import COMMANDS, Add, Beside, Delete, Put, Write
from cogov.application.keyvalue import Record
from cogov.infrastructure.access_log import PostgresAccessLog
from cogov.infrastructure.stores.group_commit import GroupCommit, Save, alone, chained, one_by_one
from cogov.infrastructure.views.postgres import (
    PostgresGovernanceView,
    records_table,
    unretried,
)

log = logging.getLogger("cogov.store")
VERSION_TAKEN = "an event's version was taken by a save committed before it"
BEGIN, COMMIT, ROLLBACK = SQL("BEGIN"), SQL("COMMIT"), SQL("ROLLBACK")
POSITION = '{"position": '  # how a command row's text starts, its position next


def create_records(table: Identifier) -> Composed:
    return SQL(
        "CREATE TABLE IF NOT EXISTS {} (namespace TEXT NOT NULL, key TEXT NOT NULL,"
        " value TEXT NOT NULL, PRIMARY KEY (namespace, key))"
    ).format(table)


def apply(c: Cursor[DictRow], table: Identifier, writes: Sequence[Write]) -> None:
    for statement, params in statements(table, writes):
        c.execute(statement, params)


def statements(
    table: Identifier, writes: Sequence[Write], *, if_saved_by: str | None = None
) -> list[tuple[Composed, tuple[str, ...]]]:
    """`writes` as statements and their parameters. With `if_saved_by`, each writes only if
    this transaction wrote that command's own row (it does when it inserts the command's
    events; a row that an earlier attempt of the command committed does not count): send
    those with prepare=False, planned afresh each time, since a plan kept from when the
    table was small would look the row up by scanning the table."""
    guard: Composable = SQL("")
    guarded: tuple[str, ...] = ()
    if if_saved_by is not None:
        guard = SQL(
            " AND EXISTS (SELECT 1 FROM {} WHERE namespace = %s AND key = %s"
            " AND xmin = pg_current_xact_id()::xid)"
        ).format(table)
        guarded = (COMMANDS, if_saved_by)
    made: list[tuple[Composed, tuple[str, ...]]] = []
    for w in writes:
        if isinstance(w, Put):
            sql = SQL(
                "INSERT INTO {} SELECT %s, %s, %s WHERE true{} ON CONFLICT (namespace, key)"
                " DO UPDATE SET value = EXCLUDED.value"
            )
            made.append((sql.format(table, guard), (w.namespace, w.key, json.dumps(w.value))))
        elif isinstance(w, Add):  # a taken key fails the transaction
            sql = SQL("INSERT INTO {} SELECT %s, %s, %s WHERE true{}")
            made.append((sql.format(table, guard), (w.namespace, w.key, json.dumps(w.value))))
        elif isinstance(w, Delete):
            sql = SQL("DELETE FROM {} WHERE namespace = %s AND key = %s{}")
            made.append((sql.format(table, guard), (w.namespace, w.key)))
    return [(sql, params + guarded) for sql, params in made]


def own_connection(datastore: PostgresDatastore) -> psycopg.Connection[Any]:
    """A connection outside the pool, with the pool's settings (for a probe or a lock held
    as long as the connection lives); raises at once if the store does not answer."""
    pool_kwargs = datastore.pool.kwargs
    given = pool_kwargs() if callable(pool_kwargs) else pool_kwargs or {}
    kwargs = {k: v for k, v in given.items() if k != "row_factory"}
    return psycopg.connect(connect_timeout=1, autocommit=True, **kwargs)


class AdvisoryLead:
    """The lead over the views, held as a session advisory lock on a connection of its own:
    the server lets it go when the process or its connection does. Asked often, it asks the
    server at most once a `CHECK_EVERY` (to take a free lead, or to see its connection is
    alive). Two leaders for a moment would still be safe (the views refuse a batch already
    applied); one lead only saves the others the work."""

    CHECK_EVERY = 1.0

    def __init__(self, datastore: PostgresDatastore, key: str) -> None:
        self.datastore = datastore
        self.key = key
        self._conn: psycopg.Connection[Any] | None = None
        self._leading = False
        self._next_check = 0.0

    def lead(self) -> bool:
        now = time.monotonic()
        if now < self._next_check:
            return self._leading
        self._next_check = now + self.CHECK_EVERY
        try:
            if self._conn is None:
                self._conn = own_connection(self.datastore)
            if self._leading:
                self._conn.execute("SELECT 1")
            else:
                row = self._conn.execute(
                    "SELECT pg_try_advisory_lock(hashtext(%s))", (self.key,)
                ).fetchone()
                self._leading = bool(row and row[0])
        except psycopg.Error:  # the store went away, and the lock with the connection
            self.release()
        return self._leading

    def release(self) -> None:
        conn, self._conn, self._leading = self._conn, None, False
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                conn.close()


class PostgresStatus:
    """Down from the first failure seen until a fresh connection answers; a prober checks
    every quarter of a second meanwhile, and empties the pool of the dead connections a
    restarted server left behind before saying the store is back."""

    PROBE_EVERY = 0.25
    local = False  # every read is a round trip to the server

    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self._down = threading.Event()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._prober: threading.Thread | None = None

    def available(self) -> bool:
        return not self._down.is_set()

    def failed(self) -> None:
        with self._lock:
            self._down.set()
            if self._prober is None or not self._prober.is_alive():
                self._prober = threading.Thread(
                    target=self._probe, name="cogov-store-probe", daemon=True
                )
                self._prober.start()

    def close(self) -> None:
        self._closed.set()

    def _probe(self) -> None:
        while self._down.is_set() and not self._closed.wait(self.PROBE_EVERY):
            try:
                with own_connection(self.datastore) as conn:
                    conn.execute("SELECT 1")
                self.datastore.pool.check()  # drop connections the outage broke
            except Exception:  # still down: any failure to connect means the same
                continue
            self._down.clear()


class PostgresRecorder(PostgresApplicationRecorder):
    """Writes a command's records in the transaction that inserts its events, the saves of
    concurrent commands committed together (group_commit.py).

    eventsourcing's own insert lets the transaction commit when Python code after the
    insert raises, and retries a failed one itself. Here any failure rolls the whole
    transaction back and is reported at once: whether a command whose acknowledgement was
    lost committed is decided by looking it up (application/aggregates.py), never by
    inserting again.
    """

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.records = records_table(datastore)
        self.sql_create_statements.append(create_records(self.records))
        self.batches: GroupCommit[Save, Sequence[int]] = GroupCommit(chained(self._commit_batch))
        schema, table = Identifier(datastore.schema), Identifier(self.events_table_name)
        # A save's events and its own row in one statement. ON CONFLICT lets a save that lost
        # its race insert nothing instead of failing the batch; a save that lost it for some
        # of its events only (it spans aggregates) writes its row without a value, which the
        # table refuses, so the batch is sent again in savepoints. A save built on others of
        # the batch (application/chain.py) inserts only if this transaction wrote their
        # commands' rows, which a save writes only when every one of its events went in:
        # where one of them lost its race, another save's event holds its version.
        save = SQL(
            "WITH inserted AS (INSERT INTO {schema}.{table}"
            " (originator_id, originator_version, topic, state)"
            " SELECT originator_id, originator_version, topic, state"
            " FROM unnest(%s::{schema}.{stored_event}[]) WITH ORDINALITY"
            " AS n (originator_id, originator_version, topic, state, place){guard}"
            " ORDER BY place ON CONFLICT DO NOTHING RETURNING notification_id),"
            " counted AS (SELECT COUNT(*) AS n, MAX(notification_id) AS last FROM inserted),"
            " command AS (INSERT INTO {records} (namespace, key, value) SELECT %s, %s,"
            " CASE WHEN n = %s THEN %s::text || last || %s END"
            " FROM counted WHERE n > 0)"
            " SELECT notification_id FROM inserted ORDER BY notification_id"
        )
        guard = SQL(
            " WHERE (SELECT COUNT(*) FROM {records} p WHERE p.namespace = %s"
            " AND p.key = ANY(%s::text[]) AND p.xmin = pg_current_xact_id()::xid) = %s"
        ).format(records=self.records)
        names = {
            "schema": schema,
            "table": table,
            "stored_event": Identifier(self.stored_event_type_name),
            "records": self.records,
        }
        self.save_statement = save.format(guard=SQL(""), **names)
        self.save_after_statement = save.format(guard=guard, **names)

    select_events = unretried(PostgresApplicationRecorder.select_events)
    select_notifications = unretried(PostgresApplicationRecorder.select_notifications)
    max_notification_id = unretried(PostgresApplicationRecorder.max_notification_id)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        beside: Beside | None = kwargs.get("cogov")
        if beside is None or not stored_events:
            insert = unretried(PostgresApplicationRecorder.insert_events)
            inserted: Sequence[int] | None = insert(self, stored_events, **kwargs)
            return inserted
        pending = beside.pending
        return self.batches.submit(
            Save(stored_events, beside), queued=pending.queued if pending else None
        )

    def _commit_batch(self, batch: Sequence[Save]) -> Sequence[Sequence[int] | BaseException]:
        """One transaction for the batch, sent in one round trip: the table locked once, each
        save's events inserted if their versions are free and its records written if they
        were, and COMMIT. A save that loses its race fails alone. Anything else a save could
        fail on (a record's key taken, a value refused) fails the transaction: a save alone
        raises it, a batch is sent again with each save in a savepoint of its own."""
        try:
            return self._commit_pipelined(batch)
        except (IntegrityError, DataError, UnicodeEncodeError):
            if len(batch) == 1:
                raise
            return self._commit_each(batch)

    def _commit_pipelined(self, batch: Sequence[Save]) -> Sequence[Sequence[int] | BaseException]:
        """BEGIN, the statements and COMMIT go out together and their results come back at one
        sync, so the server never waits for a result to reach this process while it holds
        the lock: with several processes on one store, that wait (a turn on the GIL
        included) would hold the other processes' writers too. psycopg's transaction()
        syncs on entering and leaving its block, so it is not used here. Each statement and
        its parameters are made before the lock; what remains under it is sending them."""
        sends = [self._save_statements(save) for save in batch]
        failure: BaseException | None = None
        with self.datastore.get_connection() as conn:
            try:
                with conn.pipeline(), conn.cursor() as curs:  # its end is the one sync
                    curs.execute(BEGIN)
                    self._lock_table(curs)
                    self._notify_channel(curs)
                    inserts = []
                    for (insert, params, prepare), others in sends:
                        inserts.append(conn.cursor())
                        inserts[-1].execute(insert, params, prepare=prepare)
                        for statement, values in others:
                            curs.execute(statement, values, prepare=False)
                    curs.execute(COMMIT)
            except Exception as e:  # the first failure: the server skipped the rest, COMMIT too
                failure = e
                if conn.info.transaction_status != TransactionStatus.IDLE:
                    with contextlib.suppress(psycopg.Error):  # a broken connection is dropped
                        conn.execute(ROLLBACK)
            if failure is not None:
                raise failure  # inside the connection's block, which gives eventsourcing's errors
            outcomes: list[Sequence[int] | BaseException] = []
            for cursor in inserts:
                with cursor:
                    ids = [row["notification_id"] for row in cursor.fetchall()]
                outcomes.append(ids or IntegrityError(VERSION_TAKEN))
        return outcomes

    def _save_statements(
        self, save: Save
    ) -> tuple[
        tuple[Composed, tuple[Any, ...], bool | None], list[tuple[Composed, tuple[str, ...]]]
    ]:
        """A save's statements: its events with the command's own row if none of their
        versions is taken (their cursor gives the events' notification ids, or no row), then
        its other records if that row was written. A save built on others of the batch is
        sent with prepare=False, as guarded records are (see `statements`)."""
        beside = save.beside
        events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in save.events
        ]
        row = beside.command_row(0)  # as every store writes it; the server puts the position in
        text = json.dumps(row.value)
        if not text.startswith(POSITION + "0"):
            raise ValueError(f"a command's row starts with its position: {text[:40]}")
        rest = text[len(POSITION) + 1 :]
        before = beside.unsettled()  # ahead of it in this batch
        command = (row.namespace, row.key, len(events), POSITION, rest)
        insert: tuple[Composed, tuple[Any, ...], bool | None] = (
            (self.save_after_statement, (events, COMMANDS, before, len(before), *command), False)
            if before
            else (self.save_statement, (events, *command), None)
        )
        return (
            insert,
            statements(self.records, beside.other_rows(), if_saved_by=beside.command_id),
        )

    def _commit_each(self, batch: Sequence[Save]) -> Sequence[Sequence[int] | BaseException]:
        """The batch again, each save in a savepoint, so that one failing fails alone."""
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._lock_table(curs)
            self._notify_channel(curs)

            def in_savepoint(save: Save) -> Sequence[int] | BaseException:
                try:
                    with conn.transaction():  # a savepoint
                        PostgresAggregateRecorder._insert_stored_events(self, curs, save.events)
                        ids = self._fetch_ids_after_insert_events(curs, save.events) or []
                        apply(curs, self.records, save.beside.rows(max(ids, default=0)))
                except (psycopg.IntegrityError, psycopg.DataError, UnicodeEncodeError) as e:
                    return alone(e, integrity=psycopg.IntegrityError, data=psycopg.DataError)
                return ids

            return one_by_one(batch, in_savepoint)


class PostgresKeyValues:
    def __init__(self, datastore: PostgresDatastore, events_table: str) -> None:
        self.datastore = datastore
        self.table = records_table(datastore)
        self.events = (
            Identifier(datastore.schema, events_table)
            if datastore.schema
            else Identifier(events_table)
        )
        with self.datastore.transaction(commit=True) as c:
            c.execute(create_records(self.table))

    def get(self, namespace: str, key: str) -> Record | None:
        with self.datastore.cursor() as c:  # one statement: no BEGIN, no ROLLBACK
            c.execute(
                SQL("SELECT value FROM {} WHERE namespace = %s AND key = %s").format(self.table),
                (namespace, key),
            )
            row = c.fetchone()
        return json.loads(row["value"]) if row else None

    def get_with_version(
        self, namespace: str, key: str, field: str
    ) -> tuple[Record | None, int | None]:
        with self.datastore.cursor() as c:  # one statement: no BEGIN, no ROLLBACK
            c.execute(
                SQL(
                    "SELECT r.value, (SELECT MAX(e.originator_version) FROM {} e"
                    " WHERE e.originator_id = (r.value::json ->> %s)::uuid) AS version"
                    " FROM {} r WHERE r.namespace = %s AND r.key = %s"
                ).format(self.events, self.table),
                (field, namespace, key),
            )
            row = c.fetchone()
        return (json.loads(row["value"]), row["version"]) if row else (None, None)

    def get_many(self, namespace: str, keys: Sequence[str]) -> dict[str, Record]:
        if not keys:
            return {}
        with self.datastore.cursor() as c:  # one statement: no BEGIN, no ROLLBACK
            c.execute(
                SQL("SELECT key, value FROM {} WHERE namespace = %s AND key = ANY(%s)").format(
                    self.table
                ),
                (namespace, list(keys)),
            )
            rows = c.fetchall()
        return {row["key"]: json.loads(row["value"]) for row in rows}

    def put(self, namespace: str, key: str, value: Record) -> None:
        with self.datastore.transaction(commit=True) as c:
            apply(c, self.table, [Put(namespace, key, value)])

    def add(self, namespace: str, key: str, value: Record) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL("INSERT INTO {} VALUES (%s, %s, %s) ON CONFLICT DO NOTHING").format(self.table),
                (namespace, key, json.dumps(value)),
            )
            return bool(c.rowcount)

    def delete(self, namespace: str, key: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            apply(c, self.table, [Delete(namespace, key)])

    def items(self) -> Iterator[tuple[str, str, Record]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                SQL("SELECT namespace, key, value FROM {} ORDER BY namespace, key").format(
                    self.table
                )
            )
            rows = c.fetchall()
        for row in rows:
            yield row["namespace"], row["key"], json.loads(row["value"])


def listen_for_saves(
    datastore: PostgresDatastore, channel: str, notify: Callable[[], None], stop: threading.Event
) -> threading.Thread:
    """Call `notify` whenever another process saves events (eventsourcing NOTIFYs on the
    events table's channel), so a runner in another process follows at once, not at its
    next poll."""

    listening = threading.Event()

    def listen() -> None:
        pause = 0.25
        while not stop.is_set():
            try:
                with datastore.get_connection() as conn:
                    conn.execute(SQL("LISTEN {}").format(Identifier(channel)))
                    listening.set()
                    notify()  # catch anything saved before LISTEN took effect
                    while not stop.is_set():
                        for _ in conn.notifies(timeout=0.1, stop_after=1):
                            notify()
            except Exception:  # the store went away (the runner still polls meanwhile)
                log.warning("lost the store's notifications; listening again in %.1fs", pause)
                stop.wait(pause)
                pause = min(pause * 2, 5.0)
            else:
                pause = 0.25

    thread = threading.Thread(target=listen, name="cogov-listen", daemon=True)
    thread.start()
    listening.wait(timeout=5.0)  # so a save right after this call is not missed
    return thread


class SnapshotRecorder(PostgresAggregateRecorder):
    insert_events = unretried(PostgresAggregateRecorder.insert_events)
    select_events = unretried(PostgresAggregateRecorder.select_events)


class Factory(PostgresFactory):
    aggregate_recorder_class = SnapshotRecorder
    application_recorder_class = PostgresRecorder

    # How long the pool keeps retrying one connection before it gives the slot up (its
    # default is 5 minutes). Retries back off 1, 2, 4 s, ..., so after an outage a slot could
    # stay empty for seconds after the server answers again while requests waited for it;
    # a slot given up is opened afresh, at once, by the next request that needs it.
    RECONNECT_WITHIN = 0.5

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.datastore.pool.reconnect_timeout = self.RECONNECT_WITHIN

    def store_status(self) -> PostgresStatus:
        return PostgresStatus(self.datastore)

    def views_leadership(self) -> AdvisoryLead:
        return AdvisoryLead(self.datastore, f"cogov views lead {self.datastore.schema}")

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        assert isinstance(recorder, PostgresRecorder)
        self.events_table = recorder.events_table_name  # for the records read beside them
        return recorder

    def key_values(self) -> PostgresKeyValues:
        return PostgresKeyValues(self.datastore, self.events_table)

    def listen_for_saves(
        self, channel: str, notify: Callable[[], None], stop: threading.Event
    ) -> threading.Thread:
        return listen_for_saves(self.datastore, channel, notify, stop)

    def governance_view(self) -> PostgresGovernanceView:
        view = PostgresGovernanceView(datastore=self.datastore)
        view.create_table()
        return view

    def access_log(self) -> PostgresAccessLog:
        return PostgresAccessLog(self.datastore)
