"""Group commit: saves waiting together commit together; each gets its own outcome."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from cogov.infrastructure.stores.group_commit import GroupCommit


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
