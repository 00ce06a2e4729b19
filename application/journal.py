"""The co-production log's commands: a mixin of Governance, so each keeps its one name in
the embedding API while governance.py holds the governance commands.

Each reads the Project (for who may write what) without changing it, and writes only the
project's Journal, which the first entry opens in the same transaction: the log never
contends with governance writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import attrs

from cogov.application.retry import retrying
from cogov.domain import Journal, NotFound, Project

if TYPE_CHECKING:
    from cogov.application.aggregates import Aggregates


@attrs.frozen
class RaisedIssue:
    issue_id: str
    position: int


class JournalCommands:
    clock: Callable[[], datetime]

    @property
    def aggregates(self) -> Aggregates:
        raise NotImplementedError

    def _project(self, project_id: UUID | str) -> Project:
        raise NotImplementedError

    def _journal(self, project: Project, actor: str) -> Journal:
        """The project's journal to write to; opened by its first entry."""
        try:
            return self.aggregates.to_change(Journal.id_for(project.id), Journal, "journal")
        except NotFound:
            return Journal.open(project, actor=actor)

    def _entry(self, project_id: UUID | str, actor: str, write: Callable[..., Any]) -> int:
        project = self._project(project_id)
        journal = self._journal(project, actor)
        write(journal, project)
        return self.aggregates.save(journal)

    @retrying
    def record_reflection(
        self,
        project_id: UUID | str,
        *,
        scope: str,
        text: str,
        themes: Sequence[str] = (),
        stage: str | None = None,
        actor: str,
    ) -> int:
        """A reflection, individual or by the team, on a stage (default: the current one)."""
        return self._entry(
            project_id,
            actor,
            lambda j, p: j.record_reflection(
                scope, text, themes=themes, stage=stage, project=p, actor=actor
            ),
        )

    @retrying
    def record_dialogue(
        self,
        project_id: UUID | str,
        *,
        kind: str,
        held_at: datetime,
        attendees: Sequence[str],
        summary: str,
        actor: str,
    ) -> int:
        """A meeting, workshop or online session that happened, who attended, a summary."""
        now = self.clock()
        return self._entry(
            project_id,
            actor,
            lambda j, p: j.record_dialogue(
                kind, held_at, attendees, summary, project=p, actor=actor, now=now
            ),
        )

    @retrying
    def record_recognition(
        self,
        project_id: UUID | str,
        *,
        member_id: str,
        kind: str,
        amount_minor: int | None = None,
        currency: str | None = None,
        activity: str | None = None,
        note: str | None = None,
        actor: str,
    ) -> int:
        """Payment offered, declined (no reason needed), claimed or paid; expenses;
        training; co-authorship; acknowledgement. Amounts in minor units."""
        return self._entry(
            project_id,
            actor,
            lambda j, p: j.record_recognition(
                member_id,
                kind,
                amount_minor=amount_minor,
                currency=currency,
                activity=activity,
                note=note,
                project=p,
                actor=actor,
            ),
        )

    @retrying
    def record_support(
        self, project_id: UUID | str, *, member_id: str, kind: str, text: str, actor: str
    ) -> int:
        """Training, an adjustment for access, mentoring given to a member."""
        return self._entry(
            project_id,
            actor,
            lambda j, p: j.record_support(member_id, kind, text, project=p, actor=actor),
        )

    @retrying
    def raise_ethics_issue(
        self,
        project_id: UUID | str,
        *,
        title: str,
        text: str,
        stage: str | None = None,
        actor: str,
    ) -> RaisedIssue:
        """An ethical issue raised by a member; it stays open until resolved."""
        issue_id = str(uuid4())
        position = self._entry(
            project_id,
            actor,
            lambda j, p: j.raise_ethics_issue(
                issue_id, title, text, stage=stage, project=p, actor=actor
            ),
        )
        return RaisedIssue(issue_id, position)

    @retrying
    def resolve_ethics_issue(
        self, project_id: UUID | str, issue_id: str, *, how: str, actor: str
    ) -> int:
        return self._entry(
            project_id,
            actor,
            lambda j, p: j.resolve_ethics_issue(issue_id, how, project=p, actor=actor),
        )

    @retrying
    def record_ethics_review(
        self,
        project_id: UUID | str,
        *,
        committee: str,
        reference: str,
        outcome: str,
        decided_on: date | str,
        actor: str,
    ) -> int:
        """A research ethics committee's decision on the project."""
        now = self.clock()
        return self._entry(
            project_id,
            actor,
            lambda j, p: j.record_ethics_review(
                committee, reference, outcome, decided_on, project=p, actor=actor, now=now
            ),
        )

    @retrying
    def declare_interest(
        self, project_id: UUID | str, *, text: str, member_id: str | None = None, actor: str
    ) -> int:
        """An interest a member declares (their own, or one a Facilitator records)."""
        return self._entry(
            project_id,
            actor,
            lambda j, p: j.declare_interest(text, member_id=member_id, project=p, actor=actor),
        )

    @retrying
    def record_impact(
        self,
        project_id: UUID | str,
        *,
        kind: str,
        text: str,
        evidence: str | None = None,
        actor: str,
    ) -> int:
        """An impact on research, practice, policy, the community or a person."""
        return self._entry(
            project_id,
            actor,
            lambda j, p: j.record_impact(kind, text, evidence=evidence, project=p, actor=actor),
        )

    @retrying
    def justify_involvement(
        self, project_id: UUID | str, *, stage: str, reason: str, actor: str
    ) -> int:
        """Why a stage had no public involvement (proportionate and justified)."""
        return self._entry(
            project_id,
            actor,
            lambda j, p: j.justify_involvement(stage, reason, project=p, actor=actor),
        )
