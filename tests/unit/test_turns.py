"""Turns: one command at a time per aggregate, in the order they asked."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from cogov.application import turns as turns_module
from cogov.application.turns import Turns


def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_a_free_turn_is_taken_at_once_and_is_free_again_after() -> None:
    turns = Turns()
    turns.take("p")
    assert turns.queued("p") == 1
    turns.give_up("p")
    assert turns.queued("p") == 0


def test_one_holder_at_a_time_and_every_change_kept() -> None:
    turns, inside, most, total = Turns(), [0], [0], [0]

    def change() -> None:
        for _ in range(200):
            turns.take("p")
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            seen = total[0]
            time.sleep(0)  # let another thread run while the turn is held
            total[0] = seen + 1
            inside[0] -= 1
            turns.give_up("p")

    threads = [threading.Thread(target=change) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert (most[0], total[0], turns.queued("p")) == (1, 1600, 0)


def test_the_turn_passes_in_the_order_commands_asked() -> None:
    turns, order = Turns(), []
    turns.take("p")

    def wait(n: int) -> None:
        turns.take("p")
        order.append(n)
        turns.give_up("p")

    threads = []
    for n in range(6):
        threads.append(threading.Thread(target=wait, args=(n,)))
        threads[-1].start()
        until(lambda: turns.queued("p") == len(threads) + 1)  # the holder and those waiting
    turns.give_up("p")
    for t in threads:
        t.join(timeout=10)
    assert order == list(range(6))
    assert turns.queued("p") == 0


def test_a_newcomer_never_overtakes_a_command_waiting() -> None:
    """Once the holder ends its turn, the turn is the waiting command's, even before that
    command's thread has run again: a newcomer asking at once waits behind it."""
    turns, order = Turns(), []
    turns.take("p")

    def wait() -> None:
        turns.take("p")
        order.append("waiting")
        turns.give_up("p")

    waiting = threading.Thread(target=wait)
    waiting.start()
    until(lambda: turns.queued("p") == 2)
    turns.give_up("p")
    turns.take("p")  # the newcomer, straight after, from the thread that just gave it up
    order.append("newcomer")
    turns.give_up("p")
    waiting.join(timeout=10)
    assert order == ["waiting", "newcomer"]


def test_aggregates_do_not_wait_for_each_other() -> None:
    turns = Turns()
    turns.take("p")
    taken = threading.Event()

    def take_other() -> None:
        turns.take("q")
        taken.set()

    other = threading.Thread(target=take_other)
    other.start()
    assert taken.wait(timeout=5)
    other.join(timeout=5)
    turns.give_up("q")
    turns.give_up("p")
    assert (turns.queued("p"), turns.queued("q")) == (0, 0)


class Interrupted(BaseException):
    pass


def interrupting(monkeypatch: pytest.MonkeyPatch, *, after_handing: bool) -> Turns:
    """Turns whose waits are interrupted (as by KeyboardInterrupt); `after_handing`: only
    once the turn was handed over, else before."""
    turns = Turns()

    class Lock:
        def __init__(self) -> None:
            self.lock = threading.Lock()

        def acquire(self, *args: Any) -> bool:
            if self.lock.locked() and args == ():  # a waiter's blocking wait
                if after_handing:
                    turns.give_up("p")  # the holder hands the turn over: released
                    self.lock.acquire()
                raise Interrupted
            return self.lock.acquire(*args)

        def release(self) -> None:
            self.lock.release()

        def locked(self) -> bool:
            return self.lock.locked()

        def __enter__(self) -> None:
            self.lock.acquire()

        def __exit__(self, *exc: object) -> None:
            self.lock.release()

    monkeypatch.setattr(turns_module, "threading", SimpleNamespace(Lock=Lock))
    return turns


def test_a_wait_interrupted_leaves_the_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    turns = interrupting(monkeypatch, after_handing=False)
    turns.take("p")
    with pytest.raises(Interrupted):
        turns.take("p")
    assert turns.queued("p") == 1
    turns.give_up("p")
    assert turns.queued("p") == 0


def test_a_turn_handed_to_an_interrupted_wait_is_passed_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    turns = interrupting(monkeypatch, after_handing=True)
    turns.take("p")
    with pytest.raises(Interrupted):
        turns.take("p")
    assert turns.queued("p") == 0  # handed over, then given up: nobody is left holding it
