"""The read-model queries of the Governance application: decisions, power and the scorecard,
answered from the views (a mixin, so that Governance keeps one name for each query)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

import attrs

from cogov.application.decisions import RowPredatesBallots, judged
from cogov.application.directory import NAMESPACE as DIRECTORY
from cogov.application.directory import shown_names
from cogov.application.projection import ENTRY_KINDS
from cogov.application.reading import ViewsUnavailable
from cogov.application.records import (
    MemberParticipation,
    ProjectRecord,
    epoch_us,
    query_moment,
)
from cogov.application.scorecard import Evidence, Scorecard, scorecard
from cogov.application.trail import check_page
from cogov.application.views import (
    DecisionFilter,
    DecisionRow,
    GovernanceView,
    JournalRow,
    MemberRow,
    PowerRow,
    ProjectRow,
    StoredDecision,
)
from cogov.domain import InvalidInput, NotFound, Outcome, Project, Stage
from cogov.domain.rules import AuditStandard

if TYPE_CHECKING:
    from cogov.application.reading import ReadModels


JUDGED_BATCH = 500  # rows read at once when decisions are judged under another standard


class ReadModelQueries:
    read_models: ReadModels
    clock: Callable[[], datetime]

    def _project(self, project_id: UUID | str) -> Project:
        raise NotImplementedError

    if TYPE_CHECKING:  # from AccountabilityQueries, beside this in Governance

        def project_then(self, pid: str, moment: datetime | None) -> ProjectRecord: ...

    def display_name(self, member_id: str) -> str | None:
        raise NotImplementedError

    def _view(self) -> GovernanceView:
        return self.read_models.view

    def _known_project(self, project_id: UUID | str, after: int | None) -> str:
        return self.read_models.known_project(project_id, after)

    def decisions(
        self,
        project_id: UUID | str,
        *,
        key: bool | None = None,
        stage: str | None = None,
        area: str | None = None,
        outcome: str | None = None,
        jointly_owned: bool | None = None,
        required_perspectives: Sequence[str] | None = None,
        after: int | None = None,
        cursor: int = 0,
        limit: int | None = None,
    ) -> list[DecisionRow]:
        """The project's proposals and direct decisions, in the order they began: those
        that began after position `cursor`, at most `limit` (None: all); a page continues
        from its last row's `start`. A filter value that cannot match (an unknown stage,
        outcome or area) is refused, not empty.

        Joint ownership is judged against the default audit standard, or, given
        `required_perspectives` (some of the project's perspectives, each once), against
        that standard instead; `jointly_owned` then filters on that judgement."""
        pid, where = self._decision_filter(project_id, key, stage, area, outcome, after)
        if required_perspectives is None:
            where = attrs.evolve(where, jointly_owned=jointly_owned)
            rows = self._view().decisions(pid, where, cursor, limit)
            if not rows:
                self.read_models.check_project(pid)
            return rows
        if isinstance(required_perspectives, str):
            raise InvalidInput("required_perspectives must be a list of perspectives, not one text")
        required = tuple(required_perspectives)
        if not required:
            raise InvalidInput("required_perspectives needs at least one perspective")
        known = self._project(pid).perspectives
        for perspective in required:
            if perspective not in known:
                raise InvalidInput(
                    f"unknown perspective {perspective!r} in required_perspectives; "
                    f"expected some of {', '.join(known)}"
                )
        repeated = sorted({p for p in required if required.count(p) > 1})
        if repeated:
            raise InvalidInput(f"required_perspectives names {', '.join(repeated)} more than once")
        standard = AuditStandard(required_perspectives=required)
        found: list[DecisionRow] = []
        # judged here, not in the store: read on in batches until the page is full
        while limit is None or len(found) < limit:
            batch = self._view().decisions(pid, where, cursor, JUDGED_BATCH)
            try:
                rows = [judged(row, standard) for row in batch]
            except RowPredatesBallots as e:
                raise ViewsUnavailable(
                    f"{e}: rebuild the views (cogov projections rebuild) to judge decisions "
                    "under another standard"
                ) from None
            found += [r for r in rows if jointly_owned is None or r.jointly_owned is jointly_owned]
            if len(batch) < JUDGED_BATCH:
                break
            cursor = batch[-1].start
        return found if limit is None else found[:limit]

    def decision(self, decision_id: UUID | str, *, after: int | None = None) -> DecisionRow:
        """One decision's row: a proposal's, or a direct decision's."""
        self.read_models.wait_for(after)
        row = self._view().decision(str(decision_id))
        if row is None:
            raise NotFound(f"no decision with id {decision_id}")
        return row

    def shown_decisions(
        self,
        project_id: UUID | str,
        *,
        key: bool | None = None,
        stage: str | None = None,
        area: str | None = None,
        outcome: str | None = None,
        jointly_owned: bool | None = None,
        after: int | None = None,
        cursor: int = 0,
        limit: int = 100,
    ) -> tuple[list[StoredDecision], bool, dict[str, str | None]]:
        """A page of the rows `decisions` gives under the default audit standard (at most
        `limit`), as stored: each the JSON of `DecisionRow.to_dict`, for an answer that
        passes them on unchanged (decoding a row into attrs and encoding it again costs many
        times reading it). With it, whether more rows follow and the shown name of each
        member the page's rows name, read together: one trip to the store for all of it, as
        `GET /projects/{pid}/decisions` answers."""
        pid, where = self._decision_filter(project_id, key, stage, area, outcome, after)
        where = attrs.evolve(where, jointly_owned=jointly_owned)
        named = self._view().named_decisions(pid, where, cursor, limit + 1, directory=DIRECTORY)
        if not named.rows:
            self.read_models.check_project(pid)
        page = named.rows[:limit]
        ids = dict.fromkeys(m for s in page for m in s.named or ())
        return page, len(named.rows) > limit, shown_names({m: named.entries.get(m) for m in ids})

    def _decision_filter(
        self,
        project_id: UUID | str,
        key: bool | None,
        stage: str | None,
        area: str | None,
        outcome: str | None,
        after: int | None,
    ) -> tuple[str, DecisionFilter]:
        """The project and the filter, each value checked: one that cannot match (an
        unknown stage, outcome or area) is refused, not an empty answer. Whether the project
        exists is left to the caller (asked only when the answer is empty)."""
        pid = self.read_models.project_id(project_id, after)
        stage = None if stage is None else _known(Stage, stage, "stage")
        outcome = None if outcome is None else _known(Outcome, outcome, "outcome")
        if area is not None and area not in self._project(pid).areas:
            raise InvalidInput(f"unknown decision area '{area}' in this project")
        return pid, DecisionFilter(key, stage, area, outcome, None)

    def power_as_of(
        self,
        project_id: UUID | str,
        as_of: datetime | str | None = None,
        *,
        after: int | None = None,
    ) -> PowerRow:
        """The distribution of power after the last power shift at or before `as_of` (a
        datetime, or ISO 8601 text, with a time zone; default now)."""
        return PowerRow.from_json(self.power_body_as_of(project_id, as_of, after=after))

    def power_in_stage(
        self, project_id: UUID | str, stage: str, *, after: int | None = None
    ) -> PowerRow:
        """The distribution of power at the end of `stage` (or now, if it is the current one)."""
        return PowerRow.from_json(self.power_body_in_stage(project_id, stage, after=after))

    def power_body_as_of(
        self,
        project_id: UUID | str,
        as_of: datetime | str | None = None,
        *,
        after: int | None = None,
    ) -> str:
        """`power_as_of` as stored, the JSON of `PowerRow.to_dict`, for an answer that
        passes it on (decoding it into attrs and back costs many times reading it)."""
        pid = self.read_models.project_id(project_id, after)
        as_of = query_moment(as_of)
        body = self._view().power_as_of(pid, None if as_of is None else epoch_us(as_of))
        if body is None:
            raise self._no_power(pid, as_of=as_of)
        return body

    def power_body_in_stage(
        self, project_id: UUID | str, stage: str, *, after: int | None = None
    ) -> str:
        """`power_in_stage` as stored (see `power_body_as_of`)."""
        pid = self.read_models.project_id(project_id, after)
        name = _known(Stage, stage, "stage")
        body = self._view().power_in_stage(pid, name)
        if body is None:
            raise self._no_power(pid, stage=name)
        return body

    def shown_power(
        self,
        project_id: UUID | str,
        *,
        as_of: datetime | str | None = None,
        stage: str | None = None,
        after: int | None = None,
    ) -> tuple[str, dict[str, str | None]]:
        """`power_body_in_stage` (given a stage) or `power_body_as_of`, with the shown name
        of each member the row shows, read together: one trip to the store for both."""
        if stage is not None and as_of is not None:
            raise InvalidInput("give as_of or stage, not both")
        pid = self.read_models.project_id(project_id, after)
        name = None if stage is None else _known(Stage, stage, "stage")
        moment = query_moment(as_of)
        named = self._view().named_power(
            pid,
            as_of_us=None if moment is None else epoch_us(moment),
            stage=name,
            directory=DIRECTORY,
        )
        if named is None:
            raise self._no_power(pid, as_of=moment, stage=name)
        return named.body, shown_names(named.entries)

    def _no_power(
        self, pid: str, *, as_of: datetime | None = None, stage: str | None = None
    ) -> NotFound:
        """Why a project has no power row to show (NotFound too if it does not exist)."""
        self.read_models.check_project(pid)
        if stage is not None:
            return NotFound(f"project {pid} has not been in stage '{stage}'")
        return NotFound(f"project {pid} had not been founded at {as_of}")

    def power_timeline(
        self,
        project_id: UUID | str,
        *,
        after_position: int = 0,
        limit: int = 100,
        after: int | None = None,
    ) -> list[PowerRow]:
        """One row per power shift, in order, after `after_position`."""
        check_page(after_position, limit)
        pid = self._known_project(project_id, after)
        return self._view().power_timeline(pid, after_position, limit)

    def stored_power_timeline(
        self,
        project_id: UUID | str,
        *,
        after_position: int = 0,
        limit: int = 100,
        after: int | None = None,
    ) -> list[tuple[int, str]]:
        """`power_timeline` as stored: each row's position and the JSON of `PowerRow.to_dict`,
        for an answer that passes the rows on (decoding a page of them and encoding it again
        cost most of the answer)."""
        check_page(after_position, limit)
        pid = self._known_project(project_id, after)
        return self._view().power_bodies(pid, after_position, limit)

    def participation(
        self, project_id: UUID | str, *, after: int | None = None
    ) -> list[MemberParticipation]:
        """Each member's participation and influence, with their chosen display name."""
        pid = self._known_project(project_id, after)
        return [
            MemberParticipation(row=r, display_name=self.display_name(r.member_id))
            for r in self._view().members(pid)
        ]

    def scorecard(
        self,
        project_id: UUID | str,
        *,
        as_of: datetime | None = None,
        after: int | None = None,
    ) -> Scorecard:
        """Indicators for the NIHR principles and features and UKRI's responsibility and
        ethical review, each with its status and evidence, judged now or at `as_of`
        (overdue reflections and unpaid claims depend on when the card is read). An `as_of`
        in the past judges the project as it stood then (`Evidence.as_it_stood`)."""
        pid = self._known_project(project_id, after)
        view = self._view()
        project = self._project(pid)
        timeline: list[PowerRow] = []
        while batch := view.power_timeline(pid, timeline[-1].position if timeline else 0, 1000):
            timeline.extend(batch)
        evidence = Evidence(
            project_id=pid,
            now=as_of or self.clock(),
            stage=project.stage,
            required_perspectives=project.charter.required_perspectives,
            reflection_every_days=project.charter.reflection_every_days,
            members=tuple(view.members(pid)),
            decisions=tuple(view.decisions(pid, DecisionFilter())),
            timeline=tuple(timeline),
            journal=tuple(view.journal(pid, None, None)),
        )
        if as_of is not None and as_of < self.clock():
            then = self.project_then(pid, as_of)
            rows = {m.member_id: m for m in evidence.members}
            members = [
                attrs.evolve(
                    rows.get(m.member_id) or MemberRow(pid, m.member_id, m.perspectives),
                    perspectives=m.perspectives,
                    status=m.status,
                    roles=m.roles,
                    areas=m.areas,
                )
                for m in then.members
            ]
            evidence = evidence.as_it_stood(as_of, members, then.stage)
        return scorecard(evidence)

    def projects(
        self,
        project_ids: Sequence[str] | None = None,
        *,
        offset: int = 0,
        limit: int = 100,
        after: int | None = None,
    ) -> list[ProjectRow]:
        """Projects in the order they were founded: every one, or just `project_ids`."""
        check_page(offset, limit)
        self.read_models.wait_for(after)
        ids = None if project_ids is None else [str(p) for p in project_ids]
        return self._view().projects(ids, offset, limit)

    def proposals(
        self,
        project_id: UUID | str,
        *,
        status: str | None = None,
        stage: str | None = None,
        key: bool | None = None,
        after: int | None = None,
    ) -> list[DecisionRow]:
        """The project's proposals (not its direct decisions) as decision rows, in the order
        they were tabled; `status` is `open` or `closed` (any outcome but open)."""
        if status not in (None, "open", "closed"):
            raise InvalidInput(f"unknown status {status!r}; expected one of open, closed")
        pid = self._known_project(project_id, after)
        stage = None if stage is None else _known(Stage, stage, "stage")
        outcome = Outcome.OPEN.value if status == "open" else None
        rows = self._view().decisions(pid, DecisionFilter(key=key, stage=stage, outcome=outcome))
        return [
            r for r in rows if r.by_proposal and (status != "closed" or r.outcome != Outcome.OPEN)
        ]

    def journal(
        self,
        project_id: UUID | str,
        *,
        kind: str | None = None,
        stage: str | None = None,
        member: str | None = None,
        after: int | None = None,
    ) -> list[JournalRow]:
        """The co-production log's entries, in the order recorded: of one kind, about one
        stage, or about one member (the member an entry names, or an attendee)."""
        pid = self._known_project(project_id, after)
        if kind is not None and kind not in ENTRY_KINDS:
            known = ", ".join(sorted(ENTRY_KINDS))
            raise InvalidInput(f"unknown journal kind {kind!r}; expected one of {known}")
        stage = None if stage is None else _known(Stage, stage, "stage")
        rows = self._view().journal(pid, kind, stage)
        if member is None:
            return rows
        who = member.strip().lower()
        return [r for r in rows if who in r.members or r.actor == who]


def _known(kind: type[StrEnum], value: str, what: str) -> str:
    """The text of one of `kind`'s values, or a refusal naming those it may be."""
    try:
        return str(kind(value).value)
    except ValueError:
        known = ", ".join(k.value for k in kind)
        raise InvalidInput(f"unknown {what} {str(value)!r}; expected one of {known}") from None
