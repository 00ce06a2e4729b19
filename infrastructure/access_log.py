"""The access log in the store's own database, in a table `cogov_access_log` beside the
events (schema-qualified on PostgreSQL, like the events). The memory store keeps it in
memory (`cogov.application.access_log.InMemoryAccessLog`).

Each log creates its table when opened. The table is not a view: `cogov projections
rebuild` never touches it. Rows are only ever inserted. Times are kept as microseconds
since the epoch (UTC), so they sort the same on every store; rows with equal times keep the
order they were recorded in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg.sql import SQL, Composed, Identifier

from cogov.application.access_log import AccessRecord
from cogov.application.records import epoch_us

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SQLITE_TABLE = [
    "CREATE TABLE IF NOT EXISTS cogov_access_log ("
    " seq INTEGER PRIMARY KEY, project_id TEXT NOT NULL, at_us INTEGER NOT NULL,"
    " kind TEXT NOT NULL, reader_id TEXT NOT NULL, route TEXT NOT NULL, path TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_access_log_by_project"
    " ON cogov_access_log (project_id, at_us, seq)",
]

POSTGRES_TABLE = [
    "CREATE TABLE IF NOT EXISTS {table} ("
    " seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, project_id TEXT NOT NULL,"
    " at_us BIGINT NOT NULL, kind TEXT NOT NULL, reader_id TEXT NOT NULL,"
    " route TEXT NOT NULL, path TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_access_log_by_project ON {table} (project_id, at_us, seq)",
]

COLUMNS = "project_id, at_us, kind, reader_id, route, path"


def _params(entry: AccessRecord) -> tuple[str, int, str, str, str, str]:
    return (
        entry.project_id,
        epoch_us(entry.at),
        entry.kind,
        entry.reader_id,
        entry.route,
        entry.path,
    )


def _entry(row: Any) -> AccessRecord:
    """A row of either store (sqlite3.Row or psycopg's dict row: both read by name)."""
    return AccessRecord(
        project_id=row["project_id"],
        at=EPOCH + timedelta(microseconds=row["at_us"]),
        kind=row["kind"],
        reader_id=row["reader_id"],
        route=row["route"],
        path=row["path"],
    )


class SQLiteAccessLog:
    def __init__(self, datastore: SQLiteDatastore) -> None:
        self.datastore = datastore
        with self.datastore.transaction(commit=True) as c:
            for statement in SQLITE_TABLE:
                c.execute(statement)

    def record(self, entry: AccessRecord) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO cogov_access_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                _params(entry),
            )

    def entries(self, project_id: str, offset: int, limit: int) -> list[AccessRecord]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT {COLUMNS} FROM cogov_access_log WHERE project_id = ?"
                " ORDER BY at_us, seq LIMIT ? OFFSET ?",
                (project_id, limit, offset),
            )
            rows = c.fetchall()
        return [_entry(row) for row in rows]


class PostgresAccessLog:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        name = "cogov_access_log"
        self.table = Identifier(datastore.schema, name) if datastore.schema else Identifier(name)
        with self.datastore.transaction(commit=True) as c:
            for statement in POSTGRES_TABLE:
                c.execute(self._sql(statement))

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(table=self.table)

    def record(self, entry: AccessRecord) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(f"INSERT INTO {{table}} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)"),
                _params(entry),
            )

    def entries(self, project_id: str, offset: int, limit: int) -> list[AccessRecord]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                self._sql(
                    f"SELECT {COLUMNS} FROM {{table}} WHERE project_id = %s"
                    " ORDER BY at_us, seq LIMIT %s OFFSET %s"
                ),
                (project_id, limit, offset),
            )
            rows = c.fetchall()
        return [_entry(row) for row in rows]
