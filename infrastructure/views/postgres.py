"""The views in PostgreSQL, beside the events (schema-qualified, like the events)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier, Literal

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
    "CREATE TABLE IF NOT EXISTS {decisions} ("
    " decision_id TEXT PRIMARY KEY, project_id TEXT NOT NULL, tabled_at TEXT NOT NULL,"
    " position BIGINT NOT NULL, is_key BOOLEAN NOT NULL, stage TEXT NOT NULL,"
    " area TEXT NOT NULL, outcome TEXT NOT NULL, jointly_owned BOOLEAN, body TEXT NOT NULL,"
    " named TEXT)",
    # a table made before `named`: the column is added (once, whoever starts first)
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid ="
    " format('%I.%I', {schema_name}, 'cogov_decisions')::regclass AND attname = 'named'"
    " AND NOT attisdropped) THEN ALTER TABLE {decisions} ADD COLUMN named TEXT; END IF;"
    " EXCEPTION WHEN duplicate_column THEN NULL; END $$",
    # `position` is where a decision began (rows.py): pages are read in that order
    # the order of the views before; two processes starting at once may race to drop it
    "DO $$ BEGIN DROP INDEX IF EXISTS {decisions_by_project};"
    " EXCEPTION WHEN undefined_table OR undefined_object THEN NULL; END $$",
    "CREATE INDEX IF NOT EXISTS cogov_decisions_by_start ON {decisions} (project_id, position)",
    "CREATE TABLE IF NOT EXISTS {power} ("
    " project_id TEXT NOT NULL, position BIGINT NOT NULL, as_of_us BIGINT NOT NULL,"
    " stage TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (project_id, position))",
    "CREATE INDEX IF NOT EXISTS cogov_power_as_of ON {power} (project_id, as_of_us, position)",
    "CREATE INDEX IF NOT EXISTS cogov_power_stage ON {power} (project_id, stage, position)",
    "CREATE TABLE IF NOT EXISTS {trail} ( position BIGINT PRIMARY KEY, project_id TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_trail_by_project ON {trail} (project_id, position)",
    "CREATE TABLE IF NOT EXISTS {deadlines} ("
    " proposal_id TEXT PRIMARY KEY, closes_at_us BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_deadlines_by_time ON {deadlines} (closes_at_us)",
    "CREATE TABLE IF NOT EXISTS {members} ("
    " project_id TEXT NOT NULL, member_id TEXT NOT NULL, body TEXT NOT NULL,"
    " PRIMARY KEY (project_id, member_id))",
    "CREATE TABLE IF NOT EXISTS {projects} ("
    " project_id TEXT PRIMARY KEY, founded_at TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_projects_by_age ON {projects} (founded_at, project_id)",
    "CREATE TABLE IF NOT EXISTS {journal} ("
    " position BIGINT PRIMARY KEY, project_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " stage TEXT, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cogov_journal_by_project ON {journal} (project_id, position)",
    "CREATE TABLE IF NOT EXISTS {log_leaves} ("
    " leaf_index BIGINT PRIMARY KEY, position BIGINT NOT NULL UNIQUE)",
    "CREATE TABLE IF NOT EXISTS {log_nodes} ("
    " level SMALLINT NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL,"
    " PRIMARY KEY (level, idx))",
]


def unretried(method: Any) -> Any:
    """eventsourcing retries each call ten times, waiting up to the pool's timeout each
    time: tens of seconds while the store is down. cogov calls the store once and lets the
    store's status (stores/postgres.py) answer the next requests at once instead."""
    return getattr(method, "__wrapped__", method)


def records_table(datastore: PostgresDatastore) -> Identifier:
    return (
        Identifier(datastore.schema, "cogov_records")
        if datastore.schema
        else Identifier("cogov_records")
    )


class PostgresGovernanceView(PostgresTrackingRecorder):
    max_tracking_id = unretried(PostgresTrackingRecorder.max_tracking_id)
    has_tracking_id = unretried(PostgresTrackingRecorder.has_tracking_id)
    insert_tracking = unretried(PostgresTrackingRecorder.insert_tracking)

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, tracking_table_name="cogov_tracking", **kwargs)
        schema = datastore.schema
        self.tables = {
            name: Identifier(schema, f"cogov_{name}")
            for name in (
                "decisions",
                "power",
                "members",
                "trail",
                "deadlines",
                "projects",
                "log_leaves",
                "log_nodes",
                "journal",
            )
        }
        self.records = records_table(datastore)  # the application's, for names beside a row
        self._lock_key = f"cogov views {schema}"
        dropped = Identifier(schema, "cogov_decisions_by_project")  # an index of before
        self.sql_create_statements.extend(
            SQL(t).format(**self.tables, decisions_by_project=dropped, schema_name=Literal(schema))
            for t in TABLES
        )

    def _sql(self, text: str) -> Composed:
        return SQL(text).format(**self.tables)

    def commit(self, changes: ViewChanges, tracking: Tracking, previous: int) -> None:
        name = tracking.application_name
        with self.datastore.transaction(commit=True) as c:
            # Serialise commits to these views, then check nobody else moved them.
            c.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self._lock_key,))
            current = self._max_tracking_id(name, c) or 0
            if current != previous:
                raise IntegrityError(f"views moved from {previous} to {current}")
            self._write(c, changes)
            self._insert_tracking(c, tracking)

    def _write(self, c: Cursor[DictRow], changes: ViewChanges) -> None:
        if changes.decisions:
            c.executemany(
                self._sql(
                    "INSERT INTO {decisions} (decision_id, project_id, tabled_at, position,"
                    " is_key, stage, area, outcome, jointly_owned, body, named)"
                    " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                    " ON CONFLICT (decision_id) DO UPDATE SET"
                    " is_key = excluded.is_key, stage = excluded.stage, area = excluded.area,"
                    " outcome = excluded.outcome, jointly_owned = excluded.jointly_owned,"
                    " body = excluded.body, named = excluded.named"
                ),
                [decision_params(r) for r in changes.decisions.values()],
            )
        if changes.power:
            c.executemany(
                self._sql("INSERT INTO {power} VALUES (%s,%s,%s,%s,%s)"),
                [power_params(r) for r in changes.power],
            )
        if changes.trail:
            c.executemany(self._sql("INSERT INTO {trail} VALUES (%s, %s)"), changes.trail)
        closed = [(p,) for p, t in changes.deadlines.items() if t is None]
        if closed:
            c.executemany(self._sql("DELETE FROM {deadlines} WHERE proposal_id = %s"), closed)
        opened = [(p, t) for p, t in changes.deadlines.items() if t is not None]
        if opened:
            c.executemany(
                self._sql(
                    "INSERT INTO {deadlines} VALUES (%s, %s) ON CONFLICT (proposal_id)"
                    " DO UPDATE SET closes_at_us = excluded.closes_at_us"
                ),
                opened,
            )
        if changes.members:
            c.executemany(
                self._sql(
                    "INSERT INTO {members} VALUES (%s,%s,%s) ON CONFLICT (project_id, member_id)"
                    " DO UPDATE SET body = excluded.body"
                ),
                [member_params(r) for r in changes.members.values()],
            )
        if changes.projects:
            c.executemany(
                self._sql(
                    "INSERT INTO {projects} VALUES (%s,%s,%s) ON CONFLICT (project_id)"
                    " DO UPDATE SET body = excluded.body"
                ),
                [project_params(r) for r in changes.projects.values()],
            )
        if changes.journal:
            c.executemany(
                self._sql("INSERT INTO {journal} VALUES (%s,%s,%s,%s,%s)"),
                [journal_params(r) for r in changes.journal],
            )
        if changes.leaves:
            c.executemany(self._sql("INSERT INTO {log_leaves} VALUES (%s, %s)"), changes.leaves)
        if changes.nodes:
            c.executemany(
                self._sql("INSERT INTO {log_nodes} VALUES (%s, %s, %s)"),
                [(level, index, h) for (level, index), h in changes.nodes.items()],
            )

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0

    def clear(self, application_name: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self._lock_key,))
            for table in self.tables.values():
                c.execute(SQL("DELETE FROM {}").format(table))
            c.execute(
                SQL("DELETE FROM {} WHERE application_name = %s").format(
                    Identifier(self.datastore.schema, self.tracking_table_name)
                ),
                (application_name,),
            )

    # A read of one statement runs on the pool's autocommit connection as it is: wrapping it
    # in BEGIN and ROLLBACK would cost two more round trips and isolate nothing more.

    def _bodies(self, sql: Composed, params: list[Any] | tuple[Any, ...]) -> list[str]:
        return [row["body"] for row in self._rows(sql, params)]

    def _rows(self, sql: Composed, params: list[Any] | tuple[Any, ...]) -> list[DictRow]:
        with self.datastore.cursor() as c:
            c.execute(sql, params)
            return c.fetchall()

    def decision(self, decision_id: str) -> DecisionRow | None:
        bodies = self._bodies(
            self._sql("SELECT body FROM {decisions} WHERE decision_id = %s"), (decision_id,)
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
        extra, params = conditions(where, "%s")
        sql = self._sql(
            "SELECT body, position, named FROM {decisions}"
            " WHERE project_id = %s AND position > %s" + extra + " ORDER BY position LIMIT %s"
        )
        return [
            stored_decision(r["body"], r["position"], r["named"])
            for r in self._rows(sql, [project_id, after, *params, limit])
        ]

    def named_decisions(
        self, project_id: str, where: DecisionFilter, after: int, limit: int, *, directory: str
    ) -> NamedDecisions:
        # the page's rows, and first a row of the entries joined as one JSON object (see
        # named_power); the page is read once (MATERIALIZED), by position. The ids as an
        # array (= ANY): the planner then looks each up by key, where from `IN (SELECT ...)`
        # it would guess their number and might read every entry of the directory instead
        extra, params = conditions(where, "%s")
        sql = SQL(
            "WITH page AS MATERIALIZED (SELECT body, position, named FROM {decisions}"
            " WHERE project_id = %s AND position > %s" + extra + " ORDER BY position LIMIT %s)"
            " SELECT NULL::text AS body, NULL::bigint AS position, NULL::text AS named,"
            " (SELECT '{{' || string_agg(to_json(r.key)::text || ':' || r.value, ',') || '}}'"
            " FROM {records} r WHERE r.namespace = %s AND r.key = ANY (ARRAY("
            " SELECT DISTINCT json_array_elements_text(named::json) FROM page))) AS entries"
            " UNION ALL SELECT body, position, named, NULL FROM page"
            " ORDER BY position NULLS FIRST"
        ).format(records=self.records, **self.tables)
        rows = self._rows(sql, [project_id, after, *params, limit, directory])
        entries = rows[0]["entries"]
        return NamedDecisions(
            [stored_decision(r["body"], r["position"], r["named"]) for r in rows[1:]],
            json.loads(entries) if entries is not None else {},
        )

    def power_as_of(self, project_id: str, as_of_us: int | None) -> str | None:
        return self._power_body(project_id, as_of_us=as_of_us, stage=None)

    def power_in_stage(self, project_id: str, stage: str) -> str | None:
        return self._power_body(project_id, as_of_us=None, stage=stage)

    def _power_body(
        self, project_id: str, *, as_of_us: int | None, stage: str | None
    ) -> str | None:
        where, moment = power_row("%s", as_of_us=as_of_us, stage=stage)
        bodies = self._bodies(
            self._sql("SELECT body FROM {power} WHERE " + where), (project_id, moment)
        )
        return bodies[0] if bodies else None

    def named_power(
        self, project_id: str, *, as_of_us: int | None, stage: str | None, directory: str
    ) -> NamedBody | None:
        # the entries joined as one JSON object, their stored texts as they are, in the
        # order the row shows its members
        where, moment = power_row("%s", as_of_us=as_of_us, stage=stage)
        rows = self._rows(
            SQL(
                "SELECT body, (SELECT '{{' || string_agg(to_json(m.member ->> 'member_id')::text"
                " || ':' || coalesce(r.value, 'null'), ',' ORDER BY m.place) || '}}'"
                " FROM json_array_elements(body::json -> 'members')"
                " WITH ORDINALITY AS m(member, place) LEFT JOIN {records} r"
                " ON r.namespace = %s AND r.key = m.member ->> 'member_id'"
                " WHERE json_typeof(m.member -> 'member_id') = 'string') AS entries"
                " FROM {power} WHERE " + where
            ).format(records=self.records, **self.tables),
            (directory, project_id, moment),
        )
        if not rows:
            return None
        entries = rows[0]["entries"]
        return NamedBody(rows[0]["body"], json.loads(entries) if entries is not None else {})

    def power_timeline(self, project_id: str, after: int, limit: int) -> list[PowerRow]:
        return [load(PowerRow, b) for _, b in self.power_bodies(project_id, after, limit)]

    def power_bodies(self, project_id: str, after: int, limit: int) -> list[tuple[int, str]]:
        rows = self._rows(
            self._sql(
                "SELECT position, body FROM {power} WHERE project_id = %s AND position > %s"
                " ORDER BY position LIMIT %s"
            ),
            (project_id, after, limit),
        )
        return [(r["position"], r["body"]) for r in rows]

    def members(self, project_id: str) -> list[MemberRow]:
        bodies = self._bodies(
            self._sql("SELECT body FROM {members} WHERE project_id = %s ORDER BY member_id"),
            (project_id,),
        )
        return [load(MemberRow, b) for b in bodies]

    def projects(self, project_ids: list[str] | None, offset: int, limit: int) -> list[ProjectRow]:
        where = "" if project_ids is None else " WHERE project_id = ANY(%s)"
        params: list[Any] = [] if project_ids is None else [list(project_ids)]
        sql = self._sql(
            "SELECT body FROM {projects}" + where + " ORDER BY founded_at, project_id"
            " LIMIT %s OFFSET %s"
        )
        return [load(ProjectRow, b) for b in self._bodies(sql, [*params, limit, offset])]

    def journal(self, project_id: str, kind: str | None, stage: str | None) -> list[JournalRow]:
        sql = "SELECT body FROM {journal} WHERE project_id = %s"
        params: list[Any] = [project_id]
        if kind is not None:
            sql, params = sql + " AND kind = %s", [*params, kind]
        if stage is not None:
            sql, params = sql + " AND stage = %s", [*params, stage]
        bodies = self._bodies(self._sql(sql + " ORDER BY position"), params)
        return [load(JournalRow, b) for b in bodies]

    def project_at(self, position: int) -> str | None:
        with self.datastore.cursor() as c:
            c.execute(self._sql("SELECT project_id FROM {trail} WHERE position = %s"), (position,))
            row = c.fetchone()
            return None if row is None else str(row["project_id"])

    def log_size(self) -> int:
        with self.datastore.cursor() as c:
            c.execute(self._sql("SELECT MAX(leaf_index) AS last FROM {log_leaves}"))
            row = c.fetchone()
            last = None if row is None else row["last"]
            return 0 if last is None else int(last) + 1

    def log_nodes(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        with self.datastore.cursor() as c:
            c.execute(
                self._sql(
                    "SELECT n.level, n.idx, n.hash FROM {log_nodes} n"
                    " JOIN unnest(%s::smallint[], %s::bigint[]) AS k(level, idx)"
                    " ON n.level = k.level AND n.idx = k.idx"
                ),
                ([k[0] for k in wanted], [k[1] for k in wanted]),
            )
            return {(r["level"], r["idx"]): bytes(r["hash"]) for r in c.fetchall()}

    def log_leaves(self, start: int, limit: int) -> list[tuple[int, int, bytes]]:
        # two range scans on primary keys, joined here: a join in SQL may scan every node
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                self._sql(
                    "SELECT leaf_index, position FROM {log_leaves}"
                    " WHERE leaf_index >= %s AND leaf_index < %s ORDER BY leaf_index"
                ),
                (start, start + limit),
            )
            leaves = [(int(r["leaf_index"]), int(r["position"])) for r in c.fetchall()]
            c.execute(
                self._sql(
                    "SELECT idx, hash FROM {log_nodes} WHERE level = 0 AND idx >= %s AND idx < %s"
                ),
                (start, start + limit),
            )
            hashes = {int(r["idx"]): bytes(r["hash"]) for r in c.fetchall()}
        return [(i, p, hashes[i]) for i, p in leaves if i in hashes]

    def log_leaf(self, position: int) -> int | None:
        with self.datastore.cursor() as c:
            c.execute(
                self._sql("SELECT leaf_index FROM {log_leaves} WHERE position = %s"), (position,)
            )
            row = c.fetchone()
            return None if row is None else int(row["leaf_index"])

    def due(self, now_us: int, limit: int) -> list[str]:
        with self.datastore.cursor() as c:
            c.execute(
                self._sql(
                    "SELECT proposal_id FROM {deadlines} WHERE closes_at_us <= %s"
                    " ORDER BY closes_at_us LIMIT %s"
                ),
                (now_us, limit),
            )
            return [row["proposal_id"] for row in c.fetchall()]

    def trail(self, project_id: str, after: int, limit: int) -> list[int]:
        with self.datastore.cursor() as c:
            c.execute(
                self._sql(
                    "SELECT position FROM {trail} WHERE project_id = %s AND position > %s"
                    " ORDER BY position LIMIT %s"
                ),
                (project_id, after, limit),
            )
            return [row["position"] for row in c.fetchall()]
