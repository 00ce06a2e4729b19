"""PostgreSQL store: the production event store and view database."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import psycopg
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from psycopg.sql import SQL, Identifier

from cogov.application.keyvalue import Record
from cogov.infrastructure.views.postgres import PostgresGovernanceView


class PostgresKeyValues:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = Identifier(datastore.schema, "cogov_records")
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} (namespace TEXT NOT NULL, key TEXT NOT NULL,"
                    " value TEXT NOT NULL, PRIMARY KEY (namespace, key))"
                ).format(self.table)
            )

    def get(self, namespace: str, key: str) -> Record | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                SQL("SELECT value FROM {} WHERE namespace = %s AND key = %s").format(self.table),
                (namespace, key),
            )
            row = c.fetchone()
        return json.loads(row["value"]) if row else None

    def put(self, namespace: str, key: str, value: Record) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL(
                    "INSERT INTO {} VALUES (%s, %s, %s) ON CONFLICT (namespace, key)"
                    " DO UPDATE SET value = EXCLUDED.value"
                ).format(self.table),
                (namespace, key, json.dumps(value)),
            )

    def add(self, namespace: str, key: str, value: Record) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL("INSERT INTO {} VALUES (%s, %s, %s) ON CONFLICT DO NOTHING").format(self.table),
                (namespace, key, json.dumps(value)),
            )
            return bool(c.rowcount)

    def delete(self, namespace: str, key: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL("DELETE FROM {} WHERE namespace = %s AND key = %s").format(self.table),
                (namespace, key),
            )


def listen_for_saves(
    datastore: PostgresDatastore, channel: str, notify: Callable[[], None], stop: threading.Event
) -> threading.Thread:
    """Call `notify` whenever another process saves events (eventsourcing NOTIFYs on the
    events table's channel), so a runner in another process follows at once, not at its
    next poll."""

    listening = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                with datastore.get_connection() as conn:
                    conn.execute(SQL("LISTEN {}").format(Identifier(channel)))
                    listening.set()
                    notify()  # catch anything saved before LISTEN took effect
                    while not stop.is_set():
                        for _ in conn.notifies(timeout=0.1, stop_after=1):
                            notify()
            except psycopg.Error:
                stop.wait(1.0)  # the runner still polls meanwhile; try listening again

    thread = threading.Thread(target=listen, name="cogov-listen", daemon=True)
    thread.start()
    listening.wait(timeout=5.0)  # so a save right after this call is not missed
    return thread


class Factory(PostgresFactory):
    def key_values(self) -> PostgresKeyValues:
        return PostgresKeyValues(self.datastore)

    def listen_for_saves(
        self, channel: str, notify: Callable[[], None], stop: threading.Event
    ) -> threading.Thread:
        return listen_for_saves(self.datastore, channel, notify, stop)

    def governance_view(self) -> PostgresGovernanceView:
        view = PostgresGovernanceView(datastore=self.datastore)
        view.create_table()
        return view
