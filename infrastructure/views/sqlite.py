"""The views in the SQLite file beside the events."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
    Tracking,
)
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from cogov.application.views import (
    DecisionFilter,
    DecisionRow,
    JournalRow,
    MemberRow,
    NamedBody,
    NamedDecisions,
    PowerRow,
    ProjectRow,
    StoredDecision,
    ViewChanges,
)
from cogov.infrastructure.views.query import conditions, power_row
from cogov.infrastructure.views.rows import (
    decision_params,
    journal_params,
    load,
    member_params,
    power_params,
    project_params,
    stored_decision,
)

TABLES = [
    "CREATE TABLE IF NOT EXISTS cogov_decisions ("
    " decision_id TEXT PRIMARY KEY, project_id TEXT NOT NULL, tabled_at TEXT NOT NULL,"
    " position INTEGER NOT NULL, is_key BOOLEAN NOT NULL, stage TEXT NOT NULL,"
    " area TEXT NOT NULL, outcome TEXT NOT NULL, jointly_owned BOOLEAN, body TEXT NOT NULL,"
    " named TEXT)",
    # `position` is where a decision began (rows.py): pages are read in that order
    "DROP INDEX IF EXISTS cogov_decisions_by_project",  # the order of the views before
    "CREATE INDEX IF NOT EXISTS cogov_decisions_by_start ON cogov_decisions (project_id, position)",
    "CREATE TABLE IF NOT EXISTS cogov_power ("
    " project_id TEXT NOT NULL, position INTEGER NOT NULL, as_of_us INTEGER NOT NULL,"
    " stage TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (project_id, position))",
    "CREATE INDEX IF NOT EXISTS cogov_power_as_of ON cogov_power (project_id, as_of_us, position)",
    "CREATE INDEX IF NOT EXISTS cogov_power_stage ON cogov_power (project_id, stage, position)",
    "CREATE TABLE IF NOT EXISTS cogov_trail ("
    " position INTEGER PRIMARY KEY, project_id TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_trail_by_project ON cogov_trail (project_id, position)",
    "CREATE TABLE IF NOT EXISTS cogov_deadlines ("
    " proposal_id TEXT PRIMARY KEY, closes_at_us INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_deadlines_by_time ON cogov_deadlines (closes_at_us)",
    "CREATE TABLE IF NOT EXISTS cogov_members ("
    " project_id TEXT NOT NULL, member_id TEXT NOT NULL, body TEXT NOT NULL,"
    " PRIMARY KEY (project_id, member_id))",
    "CREATE TABLE IF NOT EXISTS cogov_projects ("
    " project_id TEXT PRIMARY KEY, founded_at TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_projects_by_age ON cogov_projects (founded_at, project_id)",
    "CREATE TABLE IF NOT EXISTS cogov_journal ("
    " position INTEGER PRIMARY KEY, project_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " stage TEXT, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_journal_by_project ON cogov_journal (project_id, position)",
    "CREATE TABLE IF NOT EXISTS cogov_log_leaves ("
    " leaf_index INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE)",
    "CREATE TABLE IF NOT EXISTS cogov_log_nodes ("
    " level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY (level, idx))",
]


# sqlite3's errors as eventsourcing's (as its transactions raise them), most specific first
SQLITE_ERRORS: tuple[tuple[type[sqlite3.Error], type[PersistenceError]], ...] = (
    (sqlite3.InterfaceError, InterfaceError),
    (sqlite3.DataError, DataError),
    (sqlite3.OperationalError, OperationalError),
    (sqlite3.IntegrityError, IntegrityError),
    (sqlite3.InternalError, InternalError),
    (sqlite3.ProgrammingError, ProgrammingError),
    (sqlite3.NotSupportedError, NotSupportedError),
    (sqlite3.DatabaseError, DatabaseError),
    (sqlite3.Error, PersistenceError),
)


@contextmanager
def one_statement(datastore: SQLiteDatastore) -> Iterator[sqlite3.Cursor]:
    """A cursor for a read of one statement, outside any transaction: SQLite runs a lone
    statement in a read transaction of its own, so the BEGIN and ROLLBACK eventsourcing puts
    around each read (two more calls into SQLite, each letting go of the GIL and waiting to
    take it back, which under load is most of a read's time) are spared. Its errors are
    eventsourcing's, as a transaction's would be (an unreachable store answers 503)."""
    try:
        with datastore.get_connection(commit=False) as conn, conn.cursor() as cursor:
            yield cursor
    except sqlite3.Error as e:
        raise next(ours for theirs, ours in SQLITE_ERRORS if isinstance(e, theirs))(e) from e


MEMBER = "json_extract(m.value, '$.member_id')"  # of an entry `m` of a row's members


class SQLiteGovernanceView(SQLiteTrackingRecorder):
    """The views in the store's file. Queries read through `readers`, a pool of their own
    (stores/sqlite.py), so that a read never queues behind a write for a connection."""

    def __init__(
        self, datastore: SQLiteDatastore, readers: SQLiteDatastore | None = None, **kwargs: Any
    ) -> None:
        super().__init__(datastore, **kwargs)
        self.readers = readers or datastore

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *TABLES]

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            # a write first, so that this holds the write lock before it looks
            c.execute("UPDATE cogov_decisions SET position = position WHERE 0")
            c.execute("PRAGMA table_info(cogov_decisions)")
            if "named" not in {row[1] for row in c.fetchall()}:  # a table made before it
                c.execute("ALTER TABLE cogov_decisions ADD COLUMN named TEXT")

    def commit(self, changes: ViewChanges, tracking: Tracking, previous: int) -> None:
        name = tracking.application_name
        with self.datastore.transaction(commit=True) as c:
            # Write first, so this transaction holds the write lock before it reads.
            c.execute(
                "UPDATE tracking SET notification_id = notification_id WHERE application_name = ?",
                (name,),
            )
            current = self._max_tracking_id(name, c) or 0
            if current != previous:
                raise IntegrityError(f"views moved from {previous} to {current}")
            self._write(c, changes)
            self._insert_tracking(c, tracking)

    def _write(self, c: SQLiteCursor, changes: ViewChanges) -> None:
        if changes.decisions:
            c.executemany(
                "INSERT INTO cogov_decisions (decision_id, project_id, tabled_at, position,"
                " is_key, stage, area, outcome, jointly_owned, body, named)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (decision_id) DO UPDATE SET"
                " is_key = excluded.is_key, stage = excluded.stage, area = excluded.area,"
                " outcome = excluded.outcome, jointly_owned = excluded.jointly_owned,"
                " body = excluded.body, named = excluded.named",
                [decision_params(r) for r in changes.decisions.values()],
            )
        if changes.power:
            c.executemany(
                "INSERT INTO cogov_power VALUES (?,?,?,?,?)",
                [power_params(r) for r in changes.power],
            )
        if changes.trail:
            c.executemany("INSERT INTO cogov_trail VALUES (?, ?)", changes.trail)
        if changes.deadlines:
            c.executemany(
                "DELETE FROM cogov_deadlines WHERE proposal_id = ?",
                [(p,) for p, t in changes.deadlines.items() if t is None],
            )
            c.executemany(
                "INSERT INTO cogov_deadlines VALUES (?, ?) ON CONFLICT (proposal_id)"
                " DO UPDATE SET closes_at_us = excluded.closes_at_us",
                [(p, t) for p, t in changes.deadlines.items() if t is not None],
            )
        if changes.members:
            c.executemany(
                "INSERT INTO cogov_members VALUES (?,?,?) ON CONFLICT (project_id, member_id)"
                " DO UPDATE SET body = excluded.body",
                [member_params(r) for r in changes.members.values()],
            )
        if changes.projects:
            c.executemany(
                "INSERT INTO cogov_projects VALUES (?,?,?) ON CONFLICT (project_id)"
                " DO UPDATE SET body = excluded.body",
                [project_params(r) for r in changes.projects.values()],
            )
        if changes.journal:
            c.executemany(
                "INSERT INTO cogov_journal VALUES (?,?,?,?,?)",
                [journal_params(r) for r in changes.journal],
            )
        if changes.leaves:
            c.executemany("INSERT INTO cogov_log_leaves VALUES (?, ?)", changes.leaves)
        if changes.nodes:
            c.executemany(
                "INSERT INTO cogov_log_nodes VALUES (?, ?, ?)",
                [(level, index, h) for (level, index), h in changes.nodes.items()],
            )

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0

    def clear(self, application_name: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            for table in (
                "cogov_decisions",
                "cogov_power",
                "cogov_members",
                "cogov_trail",
                "cogov_deadlines",
                "cogov_projects",
                "cogov_log_leaves",
                "cogov_log_nodes",
                "cogov_journal",
            ):
                c.execute(f"DELETE FROM {table}")
            c.execute("DELETE FROM tracking WHERE application_name = ?", (application_name,))

    def _bodies(self, sql: str, params: list[object] | tuple[object, ...]) -> list[str]:
        return [row[0] for row in self._rows(sql, params)]

    def _rows(self, sql: str, params: list[object] | tuple[object, ...]) -> list[Any]:
        with one_statement(self.readers) as c:
            c.execute(sql, params)
            return c.fetchall()

    def decision(self, decision_id: str) -> DecisionRow | None:
        bodies = self._bodies(
            "SELECT body FROM cogov_decisions WHERE decision_id = ?", (decision_id,)
        )
        return load(DecisionRow, bodies[0]) if bodies else None

    def decisions(
        self, project_id: str, where: DecisionFilter, after: int = 0, limit: int | None = None
    ) -> list[DecisionRow]:
        stored = self.stored_decisions(project_id, where, after, limit)
        return [load(DecisionRow, s.body) for s in stored]

    def stored_decisions(
        self, project_id: str, where: DecisionFilter, after: int = 0, limit: int | None = None
    ) -> list[StoredDecision]:
        extra, params = conditions(where, "?")
        sql = (
            "SELECT body, position, named FROM cogov_decisions"
            " WHERE project_id = ? AND position > ?" + extra + " ORDER BY position LIMIT ?"
        )
        rows = self._rows(sql, [project_id, after, *params, -1 if limit is None else limit])
        return [stored_decision(*row) for row in rows]

    def named_decisions(
        self, project_id: str, where: DecisionFilter, after: int, limit: int, *, directory: str
    ) -> NamedDecisions:
        # the page's rows, and first a row of the entries joined as one JSON object (see
        # named_power); the page is read once (MATERIALIZED), by position
        extra, params = conditions(where, "?")
        rows = self._rows(
            "WITH page AS MATERIALIZED (SELECT body, position, named FROM cogov_decisions"
            " WHERE project_id = ? AND position > ?" + extra + " ORDER BY position LIMIT ?)"
            " SELECT NULL, NULL, NULL, (SELECT '{' || group_concat(json_quote(r.key)"
            " || ':' || r.value, ',') || '}' FROM cogov_records r WHERE r.namespace = ?"
            " AND r.key IN (SELECT j.value FROM page, json_each(page.named) j))"
            " UNION ALL SELECT body, position, named, NULL FROM page ORDER BY 2",
            [project_id, after, *params, limit, directory],
        )
        entries = rows[0][3]
        return NamedDecisions(
            [stored_decision(*row[:3]) for row in rows[1:]],
            json.loads(entries) if entries is not None else {},
        )

    def power_as_of(self, project_id: str, as_of_us: int | None) -> str | None:
        return self._power_body(project_id, as_of_us=as_of_us, stage=None)

    def power_in_stage(self, project_id: str, stage: str) -> str | None:
        return self._power_body(project_id, as_of_us=None, stage=stage)

    def _power_body(
        self, project_id: str, *, as_of_us: int | None, stage: str | None
    ) -> str | None:
        where, moment = power_row("?", as_of_us=as_of_us, stage=stage)
        bodies = self._bodies("SELECT body FROM cogov_power WHERE " + where, (project_id, moment))
        return bodies[0] if bodies else None

    def named_power(
        self, project_id: str, *, as_of_us: int | None, stage: str | None, directory: str
    ) -> NamedBody | None:
        # the entries joined as one JSON object, their stored texts as they are (see
        # SQLiteKeyValues.get_many: a row read is a hand-over of the GIL)
        where, moment = power_row("?", as_of_us=as_of_us, stage=stage)
        rows = self._rows(
            "SELECT body, (SELECT '{' || group_concat(json_quote(" + MEMBER + ")"
            " || ':' || coalesce(r.value, 'null'), ',') || '}'"
            " FROM json_each(body, '$.members') m LEFT JOIN cogov_records r"
            " ON r.namespace = ? AND r.key = "
            + MEMBER
            + " WHERE json_type(m.value, '$.member_id') = 'text')"
            " FROM cogov_power WHERE " + where,
            (directory, project_id, moment),
        )
        if not rows:
            return None
        body, entries = rows[0]
        return NamedBody(body, json.loads(entries) if entries is not None else {})

    def power_timeline(self, project_id: str, after: int, limit: int) -> list[PowerRow]:
        return [load(PowerRow, b) for _, b in self.power_bodies(project_id, after, limit)]

    def power_bodies(self, project_id: str, after: int, limit: int) -> list[tuple[int, str]]:
        rows: list[tuple[int, str]] = self._rows(
            "SELECT position, body FROM cogov_power WHERE project_id = ? AND position > ?"
            " ORDER BY position LIMIT ?",
            (project_id, after, limit),
        )
        return rows

    def members(self, project_id: str) -> list[MemberRow]:
        bodies = self._bodies(
            "SELECT body FROM cogov_members WHERE project_id = ? ORDER BY member_id", (project_id,)
        )
        return [load(MemberRow, b) for b in bodies]

    def projects(self, project_ids: list[str] | None, offset: int, limit: int) -> list[ProjectRow]:
        if project_ids is None:
            where, params = "", []
        else:
            where = " WHERE project_id IN (" + ",".join("?" * len(project_ids)) + ")"
            params = list(project_ids)
        sql = (
            "SELECT body FROM cogov_projects"
            + where
            + " ORDER BY founded_at, project_id LIMIT ? OFFSET ?"
        )
        return [load(ProjectRow, b) for b in self._bodies(sql, [*params, limit, offset])]

    def journal(self, project_id: str, kind: str | None, stage: str | None) -> list[JournalRow]:
        sql = "SELECT body FROM cogov_journal WHERE project_id = ?"
        params: list[object] = [project_id]
        if kind is not None:
            sql, params = sql + " AND kind = ?", [*params, kind]
        if stage is not None:
            sql, params = sql + " AND stage = ?", [*params, stage]
        return [load(JournalRow, b) for b in self._bodies(sql + " ORDER BY position", params)]

    def project_at(self, position: int) -> str | None:
        with one_statement(self.readers) as c:
            c.execute("SELECT project_id FROM cogov_trail WHERE position = ?", (position,))
            row = c.fetchone()
            return None if row is None else str(row[0])

    def log_size(self) -> int:
        with one_statement(self.readers) as c:
            c.execute("SELECT MAX(leaf_index) FROM cogov_log_leaves")
            last = c.fetchone()[0]
            return 0 if last is None else int(last) + 1

    def log_nodes(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        found: dict[tuple[int, int], bytes] = {}
        wanted = list(dict.fromkeys(keys))
        with self.readers.transaction(commit=False) as c:
            for i in range(0, len(wanted), 400):  # SQLite's bound on parameters per statement
                chunk = wanted[i : i + 400]
                where = " OR ".join(["(level = ? AND idx = ?)"] * len(chunk))
                c.execute(
                    "SELECT level, idx, hash FROM cogov_log_nodes WHERE " + where,
                    [v for key in chunk for v in key],
                )
                found.update({(r[0], r[1]): bytes(r[2]) for r in c.fetchall()})
        return found

    def log_leaves(self, start: int, limit: int) -> list[tuple[int, int, bytes]]:
        with self.readers.transaction(commit=False) as c:
            c.execute(
                "SELECT leaf_index, position FROM cogov_log_leaves"
                " WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index",
                (start, start + limit),
            )
            leaves = [(int(r[0]), int(r[1])) for r in c.fetchall()]
            c.execute(
                "SELECT idx, hash FROM cogov_log_nodes WHERE level = 0 AND idx >= ? AND idx < ?",
                (start, start + limit),
            )
            hashes = {int(r[0]): bytes(r[1]) for r in c.fetchall()}
        return [(i, p, hashes[i]) for i, p in leaves if i in hashes]

    def log_leaf(self, position: int) -> int | None:
        with one_statement(self.readers) as c:
            c.execute("SELECT leaf_index FROM cogov_log_leaves WHERE position = ?", (position,))
            row = c.fetchone()
            return None if row is None else int(row[0])

    def due(self, now_us: int, limit: int) -> list[str]:
        with one_statement(self.readers) as c:
            c.execute(
                "SELECT proposal_id FROM cogov_deadlines WHERE closes_at_us <= ?"
                " ORDER BY closes_at_us LIMIT ?",
                (now_us, limit),
            )
            return [row[0] for row in c.fetchall()]

    def trail(self, project_id: str, after: int, limit: int) -> list[int]:
        with one_statement(self.readers) as c:
            c.execute(
                "SELECT position FROM cogov_trail WHERE project_id = ? AND position > ?"
                " ORDER BY position LIMIT ?",
                (project_id, after, limit),
            )
            return [row[0] for row in c.fetchall()]
