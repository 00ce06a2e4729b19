"""A command on a busy aggregate starts from the state a save still committing will leave,
and commits only if that save does (application/chain.py)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cogov.application import Governance
from cogov.infrastructure import open_governance
from cogov.infrastructure.stores.postgres import PostgresRecorder
from cogov.infrastructure.stores.sqlite import SQLiteRecorder
from tests.support import Clock, busy_proposal


@pytest.fixture
def two(shared_store_url: str, clock: Clock) -> Iterator[tuple[Governance, Governance]]:
    """Two application instances on one store, as two server workers are."""
    a, b = (open_governance(shared_store_url, clock=clock) for _ in range(2))
    yield a, b
    a.close()
    b.close()


class HeldCommit:
    """The first batch committed after `hold()` waits, before it reaches the store, until
    `release()`; what the test does meanwhile happens while that save is in flight."""

    def __init__(self, gov: Governance, monkeypatch: pytest.MonkeyPatch) -> None:
        assert isinstance(gov.recorder, SQLiteRecorder | PostgresRecorder)
        self.batches = gov.recorder.batches
        self.committing = threading.Event()
        self._released = threading.Event()
        self._held = False
        commit = self.batches.commit

        def held(batch: Any) -> Any:
            if self._held:
                self._held = False
                self.committing.set()
                assert self._released.wait(10)
            return commit(batch)

        monkeypatch.setattr(self.batches, "commit", held)

    def hold(self) -> None:
        self._held = True

    def release(self) -> None:
        self._released.set()

    def wait_until_queued(self, saves: int) -> None:
        deadline = time.monotonic() + 5
        while len(self.batches._waiting) < saves:
            assert time.monotonic() < deadline, "no save queued behind the one in flight"
            time.sleep(0.005)


def in_thread(act: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    done: list[object] = []

    def run() -> None:
        try:
            done.append(act())
        except BaseException as e:  # reported to the test
            done.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done


def versions(gov: Governance, proposal_id: str) -> list[int]:
    return [e.version for e in gov.events_after(0, 1000) if str(e.aggregate_id) == proposal_id]


def test_the_next_command_starts_while_the_save_before_it_commits(
    two: tuple[Governance, Governance], monkeypatch: pytest.MonkeyPatch
) -> None:
    gov, _ = two
    proposal_id, (first, second) = busy_proposal(gov, 2)
    commit = HeldCommit(gov, monkeypatch)
    commit.hold()
    one, got_one = in_thread(lambda: gov.respond(proposal_id, stance="consent", actor=first))
    assert commit.committing.wait(5)
    other, got_other = in_thread(lambda: gov.respond(proposal_id, stance="abstain", actor=second))
    commit.wait_until_queued(1)  # it had its turn, and built on the save in flight
    commit.release()
    one.join(10)
    other.join(10)
    assert all(isinstance(p, int) for p in got_one + got_other), (got_one, got_other)
    assert got_one[0] < got_other[0]  # type: ignore[operator]
    stances = {r.member_id: r.stance for r in gov.proposal(proposal_id).responses}
    assert stances == {first: "consent", second: "abstain"}
    assert versions(gov, proposal_id) == [1, 2, 3]


def test_a_command_built_on_a_save_that_lost_its_race_runs_again_on_what_is_stored(
    two: tuple[Governance, Governance], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one response's save is in flight, another process records a response on the
    same proposal. The save in flight loses its race, and the response built on it must
    fail with it (its version is free, but the state it answers was never stored); both
    then run again on what the store holds."""
    gov, other_process = two
    proposal_id, (first, second, third) = busy_proposal(gov, 3)
    failed: Counter[str] = Counter()
    save = gov.aggregates._save

    def counted(*aggregates: object, **kwargs: Any) -> object:
        try:
            return save(*aggregates, **kwargs)
        except Exception:
            failed[kwargs["cogov"].command_id] += 1
            raise

    monkeypatch.setattr(gov.aggregates, "_save", counted)
    commit = HeldCommit(gov, monkeypatch)
    commit.hold()
    one, got_one = in_thread(lambda: gov.respond(proposal_id, stance="consent", actor=first))
    assert commit.committing.wait(5)
    two_, got_two = in_thread(lambda: gov.respond(proposal_id, stance="abstain", actor=second))
    commit.wait_until_queued(1)
    other_process.respond(proposal_id, stance="stand_aside", actor=third)
    commit.release()
    one.join(10)
    two_.join(10)
    assert all(isinstance(p, int) for p in got_one + got_two), (got_one, got_two)
    assert sorted(failed.values()) == [1, 1]  # each failed once, then committed
    stances = {r.member_id: r.stance for r in gov.proposal(proposal_id).responses}
    assert stances == {first: "consent", second: "abstain", third: "stand_aside"}
    assert versions(gov, proposal_id) == [1, 2, 3, 4]
    given = Counter(
        e.data["member_id"]
        for e in gov.events_after(0, 1000)
        if e.type == "ResponseGiven" and str(e.aggregate_id) == proposal_id
    )
    assert given == Counter({first: 1, second: 1, third: 1})


def test_a_refusal_on_state_in_flight_is_checked_again_once_that_state_is_stored(
    two: tuple[Governance, Governance], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A response built on a withdrawal still in flight is refused. Before running it again
    on what the store holds, the command waits for the withdrawal to commit: it is refused
    again without trying to record a response that would lose its race."""
    from cogov.domain import ProposalNotOpen

    gov, _ = two
    proposal_id, (founder, member) = busy_proposal(gov, 2)
    saves: list[str] = []
    save = gov.aggregates._save

    def counted(*aggregates: object, **kwargs: Any) -> object:
        saves.append(kwargs["cogov"].command_id)
        return save(*aggregates, **kwargs)

    refused = threading.Event()
    forget_used = gov.aggregates.forget_used

    def noted() -> bool:
        refused.set()
        return forget_used()

    monkeypatch.setattr(gov.aggregates, "_save", counted)
    monkeypatch.setattr(gov.aggregates, "forget_used", noted)
    commit = HeldCommit(gov, monkeypatch)
    commit.hold()
    one, got_one = in_thread(lambda: gov.withdraw_proposal(proposal_id, actor=founder))
    assert commit.committing.wait(5)
    other, got_other = in_thread(lambda: gov.respond(proposal_id, stance="consent", actor=member))
    assert refused.wait(5)
    time.sleep(0.2)  # were it not waiting, it would run again now, on what the store holds
    commit.release()
    one.join(10)
    other.join(10)
    assert isinstance(got_one[0], int)
    assert isinstance(got_other[0], ProposalNotOpen)
    assert len(saves) == 1  # the withdrawal's only


@pytest.mark.parametrize("committed", [None, True], ids=["queued", "committed in its batch"])
def test_a_save_counts_as_in_flight_until_its_batch_has_committed(
    two: tuple[Governance, Governance], committed: bool | None
) -> None:
    """Within its batch's transaction a save may already be said to have committed, and the
    transaction may still fail: a command building on it must still depend on it."""
    from cogov.application.chain import Pending
    from cogov.domain import Proposal

    gov, _ = two
    proposal_id, _ = busy_proposal(gov, 1)
    aggregates = gov.aggregates
    in_flight = Pending("in flight")
    if committed is not None:
        in_flight.settle(committed, final=False)
    aggregates._keep([aggregates.get(proposal_id, Proposal, "proposal")], in_flight)
    with aggregates.attempt():
        aggregates.to_change(proposal_id, Proposal, "proposal")
        followed = aggregates._attempt.__dict__.get("after", [])
    assert followed == [in_flight]
    in_flight.settle(True)  # for good
    with aggregates.attempt():
        aggregates.to_change(proposal_id, Proposal, "proposal")
        assert aggregates._attempt.__dict__.get("after", []) == []


def test_a_failed_save_leaves_the_state_of_a_later_save_in_flight_kept(
    two: tuple[Governance, Governance],
) -> None:
    """Its own state, or state whose save has settled, is dropped; a later save still in
    flight keeps its own (were it built on the failed one, it fails and is dropped then)."""
    from cogov.application.chain import Pending
    from cogov.domain import Proposal

    gov, _ = two
    proposal_id, _ = busy_proposal(gov, 1)
    aggregates = gov.aggregates
    proposal = aggregates.get(proposal_id, Proposal, "proposal")
    failed, later = Pending("failed"), Pending("later")
    failed.settle(False)
    aggregates._keep([proposal], later)
    aggregates._forget([proposal], failed)
    assert aggregates._saved[proposal.id].pending is later
    aggregates._keep([proposal], failed)
    aggregates._forget([proposal], failed)
    assert proposal.id not in aggregates._saved
