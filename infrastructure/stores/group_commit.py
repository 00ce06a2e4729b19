"""Group commit: the saves of concurrent commands committed together, one transaction for
many, so the events table's lock and the commit's flush are paid once per batch.

There is no writer thread: whichever waiting thread gets the writer's turn commits every
save waiting at that moment (up to `most`), its own among them; the others find theirs
done when their turn comes, or commit the next batch. One save waits for no one: a thread
alone commits at once.

Saves commit in the order they were queued, which is what lets a command build on a save
still in flight (application/chain.py): `chained` fails a save whose predecessor failed,
and settles each save for the saves that follow it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import attrs
from eventsourcing.persistence import DataError, IntegrityError, StoredEvent

from cogov.application.beside import Beside

W = TypeVar("W")  # one save's work
R = TypeVar("R")  # its result


@attrs.frozen
class Save:
    """One command's events and what it writes beside them: a store's unit of work."""

    events: Sequence[StoredEvent]
    beside: Beside


class _Waiting(Generic[W, R]):
    __slots__ = ("done", "outcome", "work")

    def __init__(self, work: W) -> None:
        self.work = work
        self.done = False
        self.outcome: R | BaseException | None = None


class GroupCommit(Generic[W, R]):
    def __init__(
        self,
        commit: Callable[[Sequence[W]], Sequence[R | BaseException]],
        *,
        most: int = 64,
    ) -> None:
        """`commit` commits a batch in one transaction and gives each save its outcome in
        order (a save that failed alone, as its exception); an exception it raises fails
        every save of the batch."""
        self.commit = commit
        self.most = most
        self._queue = threading.Lock()
        self._writer = threading.Lock()
        self._waiting: list[_Waiting[W, R]] = []

    def submit(self, work: W, *, queued: Callable[[], None] | None = None) -> R:
        """Commit `work` with whatever else is waiting; its result, or its exception.
        `queued` is called once the work has its place in the order of commits."""
        mine: _Waiting[W, R] = _Waiting(work)
        with self._queue:
            self._waiting.append(mine)
        if queued is not None:
            queued()
        while not mine.done:
            with self._writer:
                if mine.done:
                    break
                with self._queue:
                    batch = self._waiting[: self.most]
                    del self._waiting[: self.most]
                self._commit(batch)
        if isinstance(mine.outcome, BaseException):
            raise mine.outcome
        return mine.outcome  # type: ignore[return-value]  # done, and not an exception

    def _commit(self, batch: list[_Waiting[W, R]]) -> None:
        try:
            outcomes: Sequence[R | BaseException] = self.commit([w.work for w in batch])
        except BaseException as e:  # nothing of the batch committed
            outcomes = [e] + [_another(e) for _ in batch[1:]]
        for waiting, outcome in zip(batch, outcomes, strict=True):
            waiting.outcome = outcome
            waiting.done = True


BROKEN = "it builds on a save that failed"


def chained(
    commit: Callable[[Sequence[Save]], Sequence[R | BaseException]],
) -> Callable[[Sequence[Save]], Sequence[R | BaseException]]:
    """`commit` for saves that may build on saves in flight: one whose predecessor failed
    fails without being sent, and each save is settled once its batch is, so the saves
    that build on it know. A save built on another of the same batch is for `commit` to
    check (it follows its predecessor there)."""

    def run(batch: Sequence[Save]) -> Sequence[R | BaseException]:
        outcomes: list[R | BaseException | None] = [None] * len(batch)
        sent: list[int] = []
        for i, save in enumerate(batch):
            if save.beside.builds_on_failed():
                outcomes[i] = IntegrityError(BROKEN)
                _settle(save, False)
            else:
                sent.append(i)
        try:
            got = commit([batch[i] for i in sent]) if sent else []
        except BaseException:
            for i in sent:
                _settle(batch[i], False)
            raise
        for i, outcome in zip(sent, got, strict=True):
            outcomes[i] = outcome
            _settle(batch[i], not isinstance(outcome, BaseException))
        return outcomes  # type: ignore[return-value]  # every place is filled

    return run


def one_by_one(
    batch: Sequence[Save], commit: Callable[[Save], R | BaseException]
) -> list[R | BaseException]:
    """A batch's saves in turn within its transaction, each committed by `commit` (in a
    savepoint of its own): one built on a save of the batch that failed fails unsent, and
    each is settled provisionally, for the saves after it."""
    outcomes: list[R | BaseException] = []
    for save in batch:
        outcome = IntegrityError(BROKEN) if save.beside.builds_on_failed() else commit(save)
        _settle(save, not isinstance(outcome, BaseException), final=False)
        outcomes.append(outcome)
    return outcomes


def _settle(save: Save, committed: bool, *, final: bool = True) -> None:
    if save.beside.pending is not None:
        save.beside.pending.settle(committed, final=final)


def _another(e: BaseException) -> BaseException:
    """The same failure as a fresh exception, so that each thread raises its own."""
    try:
        other = type(e)(*e.args)
    except Exception:  # an exception that cannot be made again from its args
        return e
    other.__cause__ = e.__cause__
    return other


def alone(e: BaseException, *, integrity: type[Exception], data: type[Exception]) -> BaseException:
    """A failure of one save in a batch, as eventsourcing would have raised it: the
    driver's `integrity` and `data` errors as eventsourcing's, anything else as it is."""
    if isinstance(e, integrity):
        failure: BaseException = IntegrityError(str(e))
    elif isinstance(e, data):
        failure = DataError(str(e))
    else:
        return e
    failure.__cause__ = e
    return failure
