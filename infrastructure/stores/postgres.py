"""PostgreSQL store: the production event store and view database."""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from psycopg.sql import SQL, Identifier

from application.directory import DirectoryEntry
from infrastructure.views.postgres import PostgresGovernanceView


class PostgresMemberDirectory:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = Identifier(datastore.schema, "member_directory")
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {} ("
                    " member_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, pen_name TEXT)"
                ).format(self.table)
            )

    def put(self, member_id: str, entry: DirectoryEntry) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                SQL(
                    "INSERT INTO {} VALUES (%s, %s, %s) ON CONFLICT (member_id) DO UPDATE"
                    " SET display_name = EXCLUDED.display_name, pen_name = EXCLUDED.pen_name"
                ).format(self.table),
                (member_id, entry.display_name, entry.pen_name),
            )

    def get(self, member_id: str) -> DirectoryEntry | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                SQL("SELECT display_name, pen_name FROM {} WHERE member_id = %s").format(
                    self.table
                ),
                (member_id,),
            )
            row = c.fetchone()
        return DirectoryEntry(row["display_name"], row["pen_name"]) if row else None

    def erase(self, member_id: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(SQL("DELETE FROM {} WHERE member_id = %s").format(self.table), (member_id,))


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
    def member_directory(self) -> PostgresMemberDirectory:
        return PostgresMemberDirectory(self.datastore)

    def listen_for_saves(
        self, channel: str, notify: Callable[[], None], stop: threading.Event
    ) -> threading.Thread:
        return listen_for_saves(self.datastore, channel, notify, stop)

    def governance_view(self) -> PostgresGovernanceView:
        view = PostgresGovernanceView(datastore=self.datastore)
        view.create_table()
        return view
