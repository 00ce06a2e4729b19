"""SQLite store: the embedded default. Events, views and the directory share one file."""

from __future__ import annotations

from eventsourcing.sqlite import SQLiteDatastore, SQLiteFactory

from application.directory import DirectoryEntry
from infrastructure.views.sqlite import SQLiteGovernanceView


class SQLiteMemberDirectory:
    def __init__(self, datastore: SQLiteDatastore) -> None:
        self.datastore = datastore
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS member_directory ("
                " member_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, pen_name TEXT)"
            )

    def put(self, member_id: str, entry: DirectoryEntry) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT OR REPLACE INTO member_directory VALUES (?, ?, ?)",
                (member_id, entry.display_name, entry.pen_name),
            )

    def get(self, member_id: str) -> DirectoryEntry | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT display_name, pen_name FROM member_directory WHERE member_id = ?",
                (member_id,),
            )
            row = c.fetchone()
        return DirectoryEntry(row[0], row[1]) if row else None

    def erase(self, member_id: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DELETE FROM member_directory WHERE member_id = ?", (member_id,))


class Factory(SQLiteFactory):
    def member_directory(self) -> SQLiteMemberDirectory:
        return SQLiteMemberDirectory(self.datastore)

    def governance_view(self) -> SQLiteGovernanceView:
        view = SQLiteGovernanceView(datastore=self.datastore)
        view.create_table()
        return view
