"""Loading and saving aggregates for commands, fast and exactly once.

A command works on a private copy of each aggregate. The copy comes from the aggregates
this process saved last when it has them (no read at all: were one stale, saving would lose
the race and the retry would load it afresh), else from eventsourcing's repository, whose
cache fast-forwards to the store's latest events. Copies are taken container by container,
which is valid because aggregate state keeps only immutable values inside its dicts and
lists (a generic deepcopy of a proposal cost more than recording its response).

Commands in this process that change the same aggregate take turns (turns.py), in the
order they came: an attempt holds the turn of the first aggregate it takes to change until
its save has a place in the store's order of commits (or the attempt ends), so on a busy
proposal the next command starts from the version being saved instead of losing the race,
sleeping and loading again; it builds on that save while it is in flight, and commits only
if that save does (chain.py). An attempt holds at most one turn and waits only while
holding none, so turns cannot deadlock; other writers (processes) still meet as optimistic
races.

Each save carries the writes that must commit with its events (beside.py). When a save
fails, the command's own row says whether it committed after all (a lost COMMIT
acknowledgement): only a save known not to have committed is run again.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, OperationalError

from cogov.application import once
from cogov.application.beside import COMMANDS, IDEMPOTENCY, Beside, Write
from cogov.application.chain import Pending
from cogov.application.keyvalue import KeyValues
from cogov.application.turns import Turns
from cogov.domain import InvalidInput, NotFound

SAVED_CACHE = 1000  # aggregates this process saved last, reused by its next commands

A = TypeVar("A", bound=Aggregate)
HANDED_ON = object()  # an attempt's turn, once handed on to the next command


class Saved(NamedTuple):
    aggregate: Aggregate
    pending: Pending | None  # its save if that was in flight when kept (None: committed)


class LostRace(Exception):
    """Saving the events failed (another writer took the version, or the store was busy), so
    nothing was recorded and the whole command may safely run again."""


def copy_state(aggregate: A) -> A:
    """A copy that shares the immutable values and copies each top-level dict and list."""
    clone: A = object.__new__(type(aggregate))
    for name, value in aggregate.__dict__.items():
        if isinstance(value, dict):
            clone.__dict__[name] = dict(value)
        elif isinstance(value, list):
            clone.__dict__[name] = list(value)
        else:
            clone.__dict__[name] = value
    return clone


def as_uuid(value: UUID | str, what: str) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound(f"no {what} with id {value!r}") from None


class Aggregates:
    """The aggregates of one application, for its commands and queries."""

    def __init__(self, repository: Repository[UUID], save: Any, records: KeyValues) -> None:
        self.repository = repository
        self._save = save  # the application's save(*aggregates, **beside) -> recordings
        self.records = records
        self._saved: OrderedDict[UUID, Saved] = OrderedDict()
        self._lock = threading.Lock()
        self._attempt = threading.local()  # what the current command took from the cache
        self.turns = Turns()

    def get(self, aggregate_id: UUID | str, kind: type[A], what: str) -> A:
        """The aggregate as the store holds it now (a private copy)."""
        return copy_state(self.read(aggregate_id, kind, what))

    def read(
        self, aggregate_id: UUID | str, kind: type[A], what: str, current: int | None = None
    ) -> A:
        """The aggregate as the store holds it now, shared with the repository's cache: to
        look at, never to change (copying a large project costs more than reading it).
        `current`, the version the store was just seen to hold, spares the read that brings
        a cached aggregate up to date when it is that far already."""
        aid = as_uuid(aggregate_id, what)
        if current is not None and self.repository.cache is not None:
            try:
                cached: object = self.repository.cache.get(aid)
            except KeyError:
                cached = None
            if isinstance(cached, kind) and cached.version >= current:
                return cached
        try:
            found: object = self.repository.get(aid, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            raise NotFound(f"no {what} with id {aid}") from None
        if not isinstance(found, kind):
            raise NotFound(f"no {what} with id {aid}")
        return found

    def at_version(self, aggregate_id: UUID, version: int) -> Any:
        return self.repository.get(aggregate_id, version=version)

    def to_change(self, aggregate_id: UUID | str, kind: type[A], what: str) -> A:
        """The aggregate as this process last saved it if it has (no read), its save perhaps
        still in flight, else as stored."""
        aid = as_uuid(aggregate_id, what)
        self._take_turn(aid)
        with self._lock:
            last = self._saved.get(aid)
            if last is not None and isinstance(last.aggregate, kind):
                pending = last.pending
                # `settled` first, once: a store gives its final word before saying so
                final = pending is None or pending.settled
                if final and pending is not None and pending.committed is False:
                    del self._saved[aid]  # its save failed: the store holds something else
                else:
                    self._saved.move_to_end(aid)
                    state = self._attempt.__dict__
                    state.setdefault("cached", []).append(aid)
                    if pending is not None and not final:  # its batch may yet fail
                        state.setdefault("after", []).append(pending)
                    return copy_state(last.aggregate)
        return self.get(aid, kind, what)

    def save(
        self,
        *aggregates: Aggregate,
        created: Mapping[str, Any] | None = None,
        writes: Sequence[Write] = (),
    ) -> int:
        """Record the aggregates' new events, with `writes` and the command's own row, in
        one transaction; the position of the last event. Once the store has the save in its
        order of commits, the next command on these aggregates may start from them."""

        def queued() -> None:
            self._keep(aggregates, pending)
            self._hand_on_turn()

        command_id = self.command_id()
        pending = Pending(command_id, queued)
        beside = Beside(
            command_id=command_id,
            created=dict(created or {}),
            writes=tuple(writes),
            idempotency=once.current.get(),
            pending=pending,
            after=tuple(self._attempt.__dict__.get("after", ())),
        )
        try:
            recordings = self._save(*aggregates, cogov=beside)
        except UnicodeEncodeError:  # a text no check caught: refused, nothing recorded
            self._forget(aggregates, pending)
            raise InvalidInput("the request holds text that is not valid Unicode") from None
        except (IntegrityError, OperationalError) as e:
            self._forget(aggregates, pending)  # the next read must see the store
            done = self.records.get(COMMANDS, beside.command_id)
            if done is not None:
                return int(done["position"])  # it committed; only the acknowledgement was lost
            if beside.idempotency and self.records.get(IDEMPOTENCY, beside.idempotency[0]):
                raise once.AlreadyRecorded(beside.idempotency[0]) from e
            raise LostRace from e
        if not pending.was_queued:  # a store that commits as it saves
            self._keep(aggregates, None)
        if not recordings:
            raise AssertionError("a command recorded no event")  # pragma: no cover
        return int(recordings[-1].notification.id)

    @contextlib.contextmanager
    def command(self) -> Iterator[str]:
        """One command, however many attempts it takes: one id, so its row is found."""
        outer = getattr(self._attempt, "command_id", None)
        self._attempt.command_id = outer or str(uuid4())
        try:
            yield self._attempt.command_id
        finally:
            self._attempt.command_id = outer

    def command_id(self) -> str:
        command_id: str | None = getattr(self._attempt, "command_id", None)
        return command_id or str(uuid4())  # a save outside any command is a command itself

    @contextlib.contextmanager
    def attempt(self) -> Iterator[None]:
        """One run of a command: what it took from the cache is known until it ends, and
        the turn it took (see the module's docstring) is held until then."""
        state = self._attempt.__dict__
        outer = state.get("turn", False)  # False: no attempt around this one
        if outer is False:
            state["turn"] = None  # no turn taken yet; an inner attempt keeps the outer's
        state["depth"] = state.get("depth", 0) + 1
        try:
            yield
        finally:
            state.pop("cached", None)
            state["depth"] -= 1
            if outer is False:
                state.pop("after", None)
            turn = state["turn"]
            if turn is not None and turn is not outer and turn is not HANDED_ON:
                self.turns.give_up(turn)
            state["turn"] = outer

    def _take_turn(self, aggregate_id: UUID) -> None:
        """Within an attempt that holds no turn yet, wait for this aggregate's."""
        state = self._attempt.__dict__
        if state.get("turn", False) is None:
            self.turns.take(aggregate_id)
            state["turn"] = aggregate_id

    def _hand_on_turn(self) -> None:
        """Its save queued, an attempt lets the next command on the aggregate start (an
        inner attempt leaves the turn to the one around it)."""
        state = self._attempt.__dict__
        turn = state.get("turn", False)
        if state.get("depth") == 1 and turn not in (None, False, HANDED_ON):
            self.turns.give_up(turn)
            state["turn"] = HANDED_ON

    def _keep(self, aggregates: Sequence[Aggregate], pending: Pending | None) -> None:
        with self._lock:
            for aggregate in aggregates:
                self._saved[aggregate.id] = Saved(aggregate, pending)
                self._saved.move_to_end(aggregate.id)
            while len(self._saved) > SAVED_CACHE:
                self._saved.popitem(last=False)

    def forget_used(self) -> bool:
        """After a refusal: forget the cached aggregates the command used, so that running it
        again loads what the store holds now. False if it used none."""
        state = self._attempt.__dict__
        used = state.pop("cached", [])
        for pending in state.pop("after", []):  # what they will leave, the store holds then
            pending.wait()  # past the wait, the next attempt depends on it again
        self._forget_ids(used)
        return bool(used)

    def _forget(self, aggregates: Sequence[Aggregate], failed: Pending) -> None:
        self._forget_ids([a.id for a in aggregates], failed)

    def _forget_ids(self, ids: Sequence[UUID], failed: Pending | None = None) -> None:
        """Drop what is kept of these aggregates, unless a later save still in flight keeps
        it now (were that one built on the failed save, it fails too and is dropped then)."""
        with self._lock:
            for aggregate_id in ids:
                kept = self._saved.get(aggregate_id)
                if kept is None:
                    continue
                pending = kept.pending
                if pending is None or pending is failed or pending.settled:
                    del self._saved[aggregate_id]
