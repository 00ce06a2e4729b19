"""Read models (docs/design.md, section 6): their rows, and the port each store's view implements.

Rows are plain JSON-ready records. A store keeps each row as a JSON body beside the few
columns its queries filter or sort on, and writes a batch of row changes together with the
tracking position of the last event applied, in one transaction: every event is applied
exactly once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import attrs
from eventsourcing.persistence import Tracking

from cogov.domain.language import as_names


@attrs.frozen
class Ballot:
    """One response as the joint-ownership audit reads it: the respondent's perspectives (in
    the electorate frozen at tabling) and their stance; who responded is not needed."""

    perspectives: tuple[str, ...] = attrs.field(converter=as_names)
    stance: str


def _ballots(values: Iterable[Any]) -> tuple[Ballot, ...]:
    return tuple(v if isinstance(v, Ballot) else Ballot(**v) for v in values)


@attrs.frozen
class DecisionRow:
    """One proposal or direct decision, as an auditor reads it.

    `threshold` and `ballots` keep what the audit needs to judge the row again under
    another standard without loading the proposal. A row stored before they existed loads
    with their defaults (`threshold` None on a proposal's row) until the views are rebuilt.
    """

    proposal_id: str
    project_id: str
    title: str
    area: str
    key: bool
    stage: str
    proposer: str
    proposer_perspectives: tuple[str, ...] = attrs.field(converter=as_names)
    outcome: str
    rule: str
    quorum: float
    by_proposal: bool
    jointly_owned: bool | None
    failed_criteria: tuple[str, ...] = attrs.field(converter=as_names)
    flags: tuple[str, ...] = attrs.field(converter=as_names)
    electorate: dict[str, int]
    participation: dict[str, int]
    tally: dict[str, dict[str, int]]
    open_objections: int
    withdrawn_objections: int
    amendments: int
    tabled_at: str
    decided_at: str | None
    time_to_decide_s: float | None
    position: int
    actions: tuple[str, ...] = attrs.field(default=(), converter=as_names)
    # the supermajority threshold frozen at tabling, as an exact fraction ("2/3"); None for
    # a direct decision, where no vote was taken
    threshold: str | None = None
    # one per elector who responded (a direct decision: the decider, consenting)
    ballots: tuple[Ballot, ...] = attrs.field(default=(), converter=_ballots)
    # who took part: the proposer (or decider), each respondent, and each proxy who cast a
    # response for someone (a proxy response is both people's part); empty on a row
    # stored before rows kept it, until the views are rebuilt
    participants: tuple[str, ...] = attrs.field(default=(), converter=as_names)
    # open, and its charter hides the results until it closes: participation, tally and
    # ballots are empty, the objection counts 0 and the participants only the proposer, so
    # that everyone reading the row sees only `response_count` (docs/design.md)
    hidden_until_close: bool = False
    # the position of the row's first event (a proposal's tabling, a direct decision's
    # recording): decisions are listed in this order, and a page continues after it. Never
    # changes once written, unlike `position`, the row's latest event. 0 on a row stored
    # before rows kept it, until the views are rebuilt.
    began: int = 0

    # electors with a stance now (a row stored before rows kept it: its ballots)
    response_count: int = attrs.field()

    @response_count.default
    def _responses_in_ballots(self) -> int:
        return len(self.ballots)

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @property
    def start(self) -> int:
        """Where the row began, or its latest position on a row stored before `began`."""
        return self.began or self.position

    @property
    def named(self) -> tuple[str, ...]:
        """Everyone the row names (the proposer and the participants), once each: whose
        names a page of rows is given beside it."""
        return tuple(dict.fromkeys((self.proposer, *self.participants)))


@attrs.frozen
class StoredDecision:
    """A decision row as the views keep it, with what a page needs beside its JSON, so that
    the page is written without decoding the row: where it began, and whom it names
    (`DecisionRow.named`; None on a row stored before the views kept it)."""

    body: str  # the JSON of DecisionRow.to_dict
    began: int
    named: tuple[str, ...] | None


@attrs.frozen
class MemberPower:
    member_id: str
    perspectives: tuple[str, ...] = attrs.field(converter=as_names)
    # None for a measure not computed at this shift (the row's `not_computed` says why)
    voting_power: float | None
    authority: float | None
    influence: float | None
    roles: tuple[str, ...] = attrs.field(converter=as_names)
    areas: tuple[str, ...] = attrs.field(converter=as_names)


def _member_powers(values: Iterable[Any]) -> tuple[MemberPower, ...]:
    return tuple(v if isinstance(v, MemberPower) else MemberPower(**v) for v in values)


@attrs.frozen
class PowerRow:
    """The distribution of power just after one power shift."""

    project_id: str
    position: int
    version: int
    as_of: str
    as_of_us: int
    stage: str
    shift: str
    perspectives: dict[str, dict[str, float | None]]
    members: tuple[MemberPower, ...] = attrs.field(converter=_member_powers)
    hhi: dict[str, float | None]
    gini: dict[str, float | None]
    # measure -> why it is None throughout this row (voting power in a game too large to
    # count exactly); empty on nearly every row
    not_computed: dict[str, str] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @classmethod
    def from_json(cls, body: str) -> PowerRow:
        return cls(**json.loads(body))

    @staticmethod
    def members_in(body: str) -> list[str]:
        """The ids of the members a stored row (the JSON of `to_dict`) shows, in order,
        found without decoding the rest: an answer that passes the row on needs only
        these, for their names, and decoding a row of 32 members cost more than reading
        the row and the names together. It relies on a rule of the row's shape: `member_id`
        is a key of the members' entries alone, and the row's other maps with text values
        (`not_computed`) are keyed by the code's own names, never by a user's; a quote
        inside a string is escaped, so no text within a value can match."""
        return [m if "\\" not in m else json.loads(f'"{m}"') for m in _MEMBER_ID.findall(body)]


_MEMBER_ID = re.compile(r'"member_id"\s*:\s*"((?:[^"\\]|\\.)*)"')


@attrs.frozen
class MemberRow:
    """A member's participation and influence so far (names live in the directory)."""

    project_id: str
    member_id: str
    perspectives: tuple[str, ...] = attrs.field(converter=as_names)
    status: str = "active"
    roles: tuple[str, ...] = attrs.field(default=(), converter=as_names)
    areas: tuple[str, ...] = attrs.field(default=(), converter=as_names)
    tabled: int = 0
    adopted: int = 0
    responses: int = 0
    objections: int = 0
    upheld: int = 0
    comments: int = 0
    direct: int = 0

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class ProjectRow:
    """A project as the list of projects shows it."""

    project_id: str
    title: str
    stage: str
    founded_at: str
    members: int  # active members
    version: int
    position: int  # of its latest event

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class JournalRow:
    """One entry of the co-production log, as the journal list shows it."""

    project_id: str
    position: int
    kind: str  # reflection, dialogue, recognition, support, ethics_issue, ...
    stage: str | None
    members: tuple[str, ...] = attrs.field(converter=as_names)  # whom it is about
    recorded_at: str
    actor: str
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.define
class ViewChanges:
    """Row changes from a batch of events, written with its tracking in one transaction."""

    decisions: dict[str, DecisionRow] = attrs.field(factory=dict)
    power: list[PowerRow] = attrs.field(factory=list)
    members: dict[tuple[str, str], MemberRow] = attrs.field(factory=dict)
    trail: list[tuple[int, str]] = attrs.field(factory=list)  # (position, project id)
    # open proposals' deadlines: proposal id -> closes_at (epoch µs), or None once closed
    deadlines: dict[str, int | None] = attrs.field(factory=dict)
    projects: dict[str, ProjectRow] = attrs.field(factory=dict)
    journal: list[JournalRow] = attrs.field(factory=list)
    # the verifiable log: each event's leaf index, and the tree nodes the leaves completed
    leaves: list[tuple[int, int]] = attrs.field(factory=list)  # (leaf index, position)
    nodes: dict[tuple[int, int], bytes] = attrs.field(factory=dict)  # (level, index) -> hash


@attrs.frozen
class DecisionFilter:
    key: bool | None = None
    stage: str | None = None
    area: str | None = None
    outcome: str | None = None
    jointly_owned: bool | None = None


@attrs.frozen
class NamedBody:
    """A row as stored, with the directory entries of the members it shows, read together:
    member id -> the entry as stored (None for an id the directory does not hold)."""

    body: str
    entries: dict[str, dict[str, Any] | None]


@attrs.frozen
class NamedDecisions:
    """Decision rows as stored, with the directory entries of the members they name, read
    together: member id -> the entry as stored (an id the directory does not hold is
    absent)."""

    rows: list[StoredDecision]
    entries: dict[str, dict[str, Any]]


class GovernanceView(Protocol):
    """What the projection writes and the queries read, on any store."""

    def commit(self, changes: ViewChanges, tracking: Tracking, previous: int) -> None:
        """Write `changes` and `tracking` in one transaction, only if the views are still at
        `previous` (else raise eventsourcing's IntegrityError: another runner got there)."""
        ...

    def position(self, application_name: str) -> int: ...

    def clear(self, application_name: str) -> None: ...

    def decision(self, decision_id: str) -> DecisionRow | None: ...

    def decisions(
        self, project_id: str, where: DecisionFilter, after: int = 0, limit: int | None = None
    ) -> list[DecisionRow]:
        """The matching rows in the order they began (`start`), after `after`, at most
        `limit` (None: all)."""
        ...

    def stored_decisions(
        self, project_id: str, where: DecisionFilter, after: int = 0, limit: int | None = None
    ) -> list[StoredDecision]:
        """The same rows as `decisions`, each as it is stored."""
        ...

    def named_decisions(
        self, project_id: str, where: DecisionFilter, after: int, limit: int, *, directory: str
    ) -> NamedDecisions:
        """`stored_decisions` with the entries the records' `directory` namespace holds for
        the members the rows name, in one statement: one trip to the store instead of two."""
        ...

    def power_as_of(self, project_id: str, as_of_us: int | None) -> str | None:
        """The row of the last power shift at or before `as_of_us` (None: now), as its
        stored JSON (`PowerRow.to_dict`): a read that answers it passes it on unchanged."""
        ...

    def power_in_stage(self, project_id: str, stage: str) -> str | None:
        """The row of the last power shift in `stage`, as its stored JSON."""
        ...

    def named_power(
        self, project_id: str, *, as_of_us: int | None, stage: str | None, directory: str
    ) -> NamedBody | None:
        """The row `power_in_stage` reads (given a `stage`; else `power_as_of`), with the
        entries the records' `directory` namespace holds for its members, in one statement:
        one trip to the store instead of two, the ids found without decoding the row."""
        ...

    def power_timeline(self, project_id: str, after: int, limit: int) -> list[PowerRow]: ...

    def power_bodies(self, project_id: str, after: int, limit: int) -> list[tuple[int, str]]:
        """`power_timeline` as stored: each row's position and the JSON of its `to_dict`."""
        ...

    def members(self, project_id: str) -> list[MemberRow]: ...

    def projects(self, project_ids: list[str] | None, offset: int, limit: int) -> list[ProjectRow]:
        """Projects in the order they were founded: every one, or those in `project_ids`."""
        ...

    def journal(self, project_id: str, kind: str | None, stage: str | None) -> list[JournalRow]:
        """The project's journal entries of a kind or stage (or all), in order."""
        ...

    def project_at(self, position: int) -> str | None:
        """The project of the event at `position` (its own event or its proposal's)."""
        ...

    def log_size(self) -> int:
        """How many leaves the verifiable log holds."""
        ...

    def log_nodes(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        """The stored tree nodes among `keys` ((level, index) of perfect subtrees)."""
        ...

    def log_leaves(self, start: int, limit: int) -> list[tuple[int, int, bytes]]:
        """Leaves from index `start`: (leaf index, event position, leaf hash), in order."""
        ...

    def log_leaf(self, position: int) -> int | None:
        """The leaf index of the event at `position`, if the log holds it."""
        ...

    def due(self, now_us: int, limit: int) -> list[str]:
        """Open proposals whose deadline has passed, the longest overdue first."""
        ...

    def trail(self, project_id: str, after: int, limit: int) -> list[int]:
        """Positions of the project's events (its own and its proposals'), in order."""
        ...
