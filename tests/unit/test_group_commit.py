"""Group commit: saves waiting together commit together; each gets its own outcome, and a
save built on one still in flight commits only if that one does."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest
from eventsourcing.persistence import IntegrityError

from cogov.application.beside import Beside
from cogov.application.chain import Pending
from cogov.infrastructure.stores.group_commit import (
    BROKEN,
    GroupCommit,
    Save,
    chained,
    one_by_one,
)


class Refused(Exception):
    pass


class Store:
    """Commits batches, slowly enough for others to queue behind the first."""

    def __init__(self, *, fail_batch: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.fail_batch = fail_batch
        self.first = threading.Event()

    def commit(self, batch: Sequence[int]) -> Sequence[int | BaseException]:
        self.batches.append(list(batch))
        if len(self.batches) == 1:
            self.first.set()
            time.sleep(0.2)  # the others arrive meanwhile
        if self.fail_batch and len(self.batches) > 1:
            raise Refused("the store went away")
        return [Refused(f"{w} is odd") if w % 2 else w * 10 for w in batch]


def run_all(group: GroupCommit[int, int], store: Store, works: list[int]) -> dict[int, object]:
    outcomes: dict[int, object] = {}

    def submit(work: int) -> None:
        try:
            outcomes[work] = group.submit(work)
        except Refused as e:
            outcomes[work] = e

    first = threading.Thread(target=submit, args=(works[0],))
    first.start()
    store.first.wait(5)
    others = [threading.Thread(target=submit, args=(w,)) for w in works[1:]]
    for t in others:
        t.start()
    for t in [first, *others]:
        t.join(10)
    return outcomes


def test_a_lone_save_commits_at_once_in_a_batch_of_its_own() -> None:
    store = Store()
    group: GroupCommit[int, int] = GroupCommit(store.commit)
    started = time.monotonic()
    assert group.submit(4) == 40
    assert store.batches == [[4]]
    assert time.monotonic() - started < 1.0


def test_saves_that_wait_together_commit_in_one_batch_each_with_its_own_outcome() -> None:
    store = Store()
    group: GroupCommit[int, int] = GroupCommit(store.commit)
    outcomes = run_all(group, store, [0, 2, 4, 5, 6, 8])
    assert store.batches[0] == [0]
    assert sorted(store.batches[1]) == [2, 4, 5, 6, 8]  # all five behind the first, at once
    assert len(store.batches) == 2
    assert {w: o for w, o in outcomes.items() if not isinstance(o, Exception)} == {
        0: 0,
        2: 20,
        4: 40,
        6: 60,
        8: 80,
    }
    assert str(outcomes[5]) == "5 is odd"  # only its own save failed


def test_a_batch_is_never_larger_than_most() -> None:
    store = Store()
    group: GroupCommit[int, int] = GroupCommit(store.commit, most=2)
    outcomes = run_all(group, store, [0, 2, 4, 6, 8])
    assert all(len(b) <= 2 for b in store.batches)
    assert sorted(w for b in store.batches for w in b) == [0, 2, 4, 6, 8]
    assert outcomes == {0: 0, 2: 20, 4: 40, 6: 60, 8: 80}


def test_a_batch_that_fails_whole_fails_every_save_in_it_each_with_its_own_exception() -> None:
    store = Store(fail_batch=True)
    group: GroupCommit[int, int] = GroupCommit(store.commit)
    outcomes = run_all(group, store, [0, 2, 4, 6])
    assert outcomes[0] == 0
    failed = [outcomes[w] for w in (2, 4, 6)]
    assert all(isinstance(e, Refused) and str(e) == "the store went away" for e in failed)
    assert len({id(e) for e in failed}) == 3


def test_a_failure_reaches_the_caller_not_another_thread() -> None:
    store = Store()
    group: GroupCommit[int, int] = GroupCommit(store.commit)
    with pytest.raises(Refused, match="3 is odd"):
        group.submit(3)
    assert group.submit(2) == 20


def save(name: str, *, after: tuple[Pending, ...] = ()) -> Save:
    return Save([], Beside(command_id=name, pending=Pending(name), after=after))


def pending(s: Save) -> Pending:
    assert s.beside.pending is not None
    return s.beside.pending


def test_a_save_built_on_one_that_failed_fails_unsent_and_so_do_those_built_on_it() -> None:
    failed = Pending("failed")
    failed.settle(False)
    broken = save("broken", after=(failed,))
    on_broken = save("on broken", after=(pending(broken),))
    alone = save("alone")
    sent: list[str] = []

    def commit(batch: Sequence[Save]) -> list[str]:
        sent.extend(s.beside.command_id for s in batch)
        return ["ok" for _ in batch]

    outcomes = chained(commit)([broken, on_broken, alone])
    assert sent == ["alone"]
    assert [str(o) for o in outcomes] == [BROKEN, BROKEN, "ok"]
    assert all(isinstance(o, IntegrityError) for o in outcomes[:2])
    assert [pending(s).committed for s in (broken, on_broken, alone)] == [False, False, True]
    assert all(pending(s).wait(0) for s in (broken, on_broken, alone))  # settled for good


def test_a_save_built_on_one_that_committed_is_sent() -> None:
    committed = Pending("committed")
    committed.settle(True)
    after = save("after", after=(committed,))
    assert chained(lambda batch: ["ok" for _ in batch])([after]) == ["ok"]
    assert pending(after).committed is True


def test_every_save_of_a_batch_that_fails_whole_is_settled_as_failed() -> None:
    first, second = save("first"), save("second")

    def commit(batch: Sequence[Save]) -> list[str]:
        one_by_one(batch, lambda s: "ok")  # as a store does within the transaction
        assert not pending(first).wait(0)  # not yet for good
        raise Refused("COMMIT failed")

    with pytest.raises(Refused):
        chained(commit)([first, second])
    assert [pending(s).committed for s in (first, second)] == [False, False]
    assert pending(first).wait(0) and pending(second).wait(0)


def test_a_save_is_said_queued_before_it_commits_behind_the_batch_in_progress() -> None:
    store = Store()
    group: GroupCommit[int, int] = GroupCommit(store.commit)
    told: list[tuple[int, int]] = []  # (work, batches committed when it was queued)
    first = threading.Thread(target=group.submit, args=(0,))
    first.start()
    assert store.first.wait(5)
    group.submit(2, queued=lambda: told.append((2, len(store.batches))))
    first.join(5)
    assert told == [(2, 1)]  # while the first batch was still committing
    assert store.batches == [[0], [2]]
