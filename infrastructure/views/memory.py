"""The views in memory, for tests and throwaway runs."""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.popo import POPOTrackingRecorder

from cogov.application.keyvalue import KeyValues
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
from cogov.infrastructure.views.query import matches
from cogov.infrastructure.views.rows import dump


class MemoryGovernanceView(POPOTrackingRecorder):
    def __init__(self, records: KeyValues) -> None:
        super().__init__()
        self.records = records  # the application's, for the names beside a row
        self._decisions: dict[str, DecisionRow] = {}
        self._power: dict[str, list[PowerRow]] = {}
        self._members: dict[str, dict[str, MemberRow]] = {}
        self._trail: dict[str, list[int]] = {}
        self._deadlines: dict[str, int] = {}
        self._projects: dict[str, ProjectRow] = {}
        self._journal: dict[str, list[JournalRow]] = {}
        self._leaves: dict[int, int] = {}  # position -> leaf index
        self._nodes: dict[tuple[int, int], bytes] = {}

    def commit(self, changes: ViewChanges, tracking: Tracking, previous: int) -> None:
        with self._database_lock:
            current = self._max_tracking_ids[tracking.application_name] or 0
            if current != previous:
                raise IntegrityError(f"views moved from {previous} to {current}")
            self._assert_tracking_uniqueness(tracking)
            self._decisions.update(changes.decisions)
            for row in changes.power:
                self._power.setdefault(row.project_id, []).append(row)
            for (project_id, member_id), member in changes.members.items():
                self._members.setdefault(project_id, {})[member_id] = member
            for position, project_id in changes.trail:
                self._trail.setdefault(project_id, []).append(position)
            for proposal_id, closes_at_us in changes.deadlines.items():
                if closes_at_us is None:
                    self._deadlines.pop(proposal_id, None)
                else:
                    self._deadlines[proposal_id] = closes_at_us
            self._projects.update(changes.projects)
            for entry in changes.journal:
                self._journal.setdefault(entry.project_id, []).append(entry)
            for leaf, position in changes.leaves:
                self._leaves[position] = leaf
            self._nodes.update(changes.nodes)
            self._insert_tracking(tracking)

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0

    def clear(self, application_name: str) -> None:
        with self._database_lock:
            self._decisions.clear()
            self._power.clear()
            self._members.clear()
            self._trail.clear()
            self._deadlines.clear()
            self._projects.clear()
            self._journal.clear()
            self._leaves.clear()
            self._nodes.clear()
            self._max_tracking_ids.pop(application_name, None)

    def decision(self, decision_id: str) -> DecisionRow | None:
        return self._decisions.get(decision_id)

    def decisions(
        self, project_id: str, where: DecisionFilter, after: int = 0, limit: int | None = None
    ) -> list[DecisionRow]:
        with self._database_lock:
            rows = [r for r in self._decisions.values() if r.project_id == project_id]
        found = sorted(
            (r for r in rows if r.start > after and matches(r, where)), key=lambda r: r.start
        )
        return found if limit is None else found[:limit]

    def stored_decisions(
        self, project_id: str, where: DecisionFilter, after: int = 0, limit: int | None = None
    ) -> list[StoredDecision]:
        rows = self.decisions(project_id, where, after, limit)
        return [StoredDecision(dump(r), r.start, r.named) for r in rows]

    def named_decisions(
        self, project_id: str, where: DecisionFilter, after: int, limit: int, *, directory: str
    ) -> NamedDecisions:
        rows = self.stored_decisions(project_id, where, after, limit)
        ids = list(dict.fromkeys(m for r in rows for m in r.named or ()))
        return NamedDecisions(rows, self.records.get_many(directory, ids))

    def power_as_of(self, project_id: str, as_of_us: int | None) -> str | None:
        with self._database_lock:
            rows = [
                r
                for r in self._power.get(project_id, [])
                if as_of_us is None or r.as_of_us <= as_of_us
            ]
        found = max(rows, key=lambda r: (r.as_of_us, r.position), default=None)
        return None if found is None else dump(found)

    def power_in_stage(self, project_id: str, stage: str) -> str | None:
        with self._database_lock:
            rows = [r for r in self._power.get(project_id, []) if r.stage == stage]
        found = max(rows, key=lambda r: r.position, default=None)
        return None if found is None else dump(found)

    def named_power(
        self, project_id: str, *, as_of_us: int | None, stage: str | None, directory: str
    ) -> NamedBody | None:
        body = (
            self.power_in_stage(project_id, stage)
            if stage is not None
            else self.power_as_of(project_id, as_of_us)
        )
        if body is None:
            return None
        ids = list(dict.fromkeys(PowerRow.members_in(body)))
        found = self.records.get_many(directory, ids)
        return NamedBody(body, {m: found.get(m) for m in ids})

    def power_timeline(self, project_id: str, after: int, limit: int) -> list[PowerRow]:
        with self._database_lock:
            rows = [r for r in self._power.get(project_id, []) if r.position > after]
        return sorted(rows, key=lambda r: r.position)[:limit]

    def power_bodies(self, project_id: str, after: int, limit: int) -> list[tuple[int, str]]:
        return [(r.position, dump(r)) for r in self.power_timeline(project_id, after, limit)]

    def members(self, project_id: str) -> list[MemberRow]:
        with self._database_lock:
            return list(self._members.get(project_id, {}).values())

    def projects(self, project_ids: list[str] | None, offset: int, limit: int) -> list[ProjectRow]:
        with self._database_lock:
            rows = [
                r
                for r in self._projects.values()
                if project_ids is None or r.project_id in project_ids
            ]
        rows.sort(key=lambda r: (r.founded_at, r.project_id))
        return rows[offset : offset + limit]

    def journal(self, project_id: str, kind: str | None, stage: str | None) -> list[JournalRow]:
        with self._database_lock:
            rows = list(self._journal.get(project_id, []))
        return [
            r
            for r in rows
            if (kind is None or r.kind == kind) and (stage is None or r.stage == stage)
        ]

    def project_at(self, position: int) -> str | None:
        with self._database_lock:
            for project_id, positions in self._trail.items():
                if position in positions:
                    return project_id
        return None

    def log_size(self) -> int:
        with self._database_lock:
            return len(self._leaves)

    def log_nodes(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        with self._database_lock:
            return {k: self._nodes[k] for k in keys if k in self._nodes}

    def log_leaves(self, start: int, limit: int) -> list[tuple[int, int, bytes]]:
        with self._database_lock:
            by_index = {i: p for p, i in self._leaves.items()}
            return [
                (i, by_index[i], self._nodes[(0, i)])
                for i in range(start, min(start + limit, len(by_index)))
            ]

    def log_leaf(self, position: int) -> int | None:
        with self._database_lock:
            return self._leaves.get(position)

    def due(self, now_us: int, limit: int) -> list[str]:
        with self._database_lock:
            due = sorted((t, p) for p, t in self._deadlines.items() if t <= now_us)
        return [p for _, p in due[:limit]]

    def trail(self, project_id: str, after: int, limit: int) -> list[int]:
        with self._database_lock:
            return [p for p in self._trail.get(project_id, []) if p > after][:limit]
