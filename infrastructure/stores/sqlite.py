"""SQLite store: the embedded default. Events, views and records share one file."""

from __future__ import annotations

import json

from eventsourcing.sqlite import SQLiteDatastore, SQLiteFactory

from cogov.application.keyvalue import Record
from cogov.infrastructure.views.sqlite import SQLiteGovernanceView


class SQLiteKeyValues:
    def __init__(self, datastore: SQLiteDatastore) -> None:
        self.datastore = datastore
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS cogov_records (namespace TEXT NOT NULL,"
                " key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (namespace, key))"
            )

    def get(self, namespace: str, key: str) -> Record | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT value FROM cogov_records WHERE namespace = ? AND key = ?", (namespace, key)
            )
            row = c.fetchone()
        return json.loads(row[0]) if row else None

    def put(self, namespace: str, key: str, value: Record) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT INTO cogov_records VALUES (?, ?, ?) ON CONFLICT (namespace, key)"
                " DO UPDATE SET value = excluded.value",
                (namespace, key, json.dumps(value)),
            )

    def add(self, namespace: str, key: str, value: Record) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT INTO cogov_records VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING key",
                (namespace, key, json.dumps(value)),
            )
            return c.fetchone() is not None

    def delete(self, namespace: str, key: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DELETE FROM cogov_records WHERE namespace = ? AND key = ?", (namespace, key))


class Factory(SQLiteFactory):
    def key_values(self) -> SQLiteKeyValues:
        return SQLiteKeyValues(self.datastore)

    def governance_view(self) -> SQLiteGovernanceView:
        view = SQLiteGovernanceView(datastore=self.datastore)
        view.create_table()
        return view
