"""Runners racing over the same views still apply every event exactly once."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from cogov.application import Governance
from cogov.application.projection import GovernanceProjection
from cogov.application.runner import ViewRunner
from cogov.application.views import ViewChanges
from tests.support import views_of
from tests.workload import generate


def test_two_runners_racing_apply_each_event_once(governance: Governance) -> None:
    project_id = generate(governance, 1200)
    runners = [ViewRunner(governance, governance._view(), batch=b) for b in (7, 10, 13)]
    errors: list[BaseException] = []

    def run(r: ViewRunner) -> None:
        try:
            r.catch_up()
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(r,)) for r in runners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert runners[0].position() == governance.max_position()
    raced = views_of(governance, project_id)
    governance.rebuild_views()
    assert views_of(governance, project_id) == raced


def test_reads_wait_for_their_own_writes_with_a_background_runner(governance: Governance) -> None:
    founded = governance.found_project(
        title="Read your writes", founder_name="A", founder_perspectives=["researcher"]
    )
    governance.follow()
    tabled = governance.table_proposal(
        founded.project_id,
        title="T",
        text="x",
        area="methods",
        key=False,
        actor=founded.founder_id,
    )
    rows = governance.decisions(founded.project_id, after=tabled.position)
    assert [r.proposal_id for r in rows] == [str(tabled.proposal_id)]


def test_runners_taking_turns_never_reuse_stale_memory(governance: Governance) -> None:
    founded = governance.found_project(
        title="Turns", founder_name="A", founder_perspectives=["researcher"]
    )
    a = ViewRunner(governance, governance._view())
    b = ViewRunner(governance, governance._view())
    for runner in (a, b, a, b, a):
        governance.table_proposal(
            founded.project_id, title="T", text="x", area="methods", actor=founded.founder_id
        )
        runner.catch_up()
    taken_turns = views_of(governance, founded.project_id)
    governance.rebuild_views()
    assert views_of(governance, founded.project_id) == taken_turns
    tabled = {m["member_id"]: m["tabled"] for m in taken_turns["members"]}
    assert tabled == {founded.founder_id: 5}


def test_a_batch_that_fails_half_way_is_applied_once_later(
    governance: Governance, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id = generate(governance, 300)
    runner = governance.views
    assert runner is not None
    process = runner.projection.process
    calls = {"n": 0}

    def flaky(event: object, position: int) -> None:
        calls["n"] += 1
        if calls["n"] == 150:
            raise OSError("the store went away for a moment")
        process(event, position)

    monkeypatch.setattr(runner.projection, "process", flaky)
    runner.batch = 100
    with contextlib.suppress(OSError):
        runner.catch_up()
    runner.catch_up()
    after_failure = views_of(governance, project_id)
    governance.rebuild_views()
    assert views_of(governance, project_id) == after_failure


def test_the_projection_also_takes_events_one_at_a_time(governance: Governance) -> None:
    """eventsourcing's Projection protocol: process_event(event, tracking), one commit each."""
    project_id = generate(governance, 200)
    governance.rebuild_views()
    batched = views_of(governance, project_id)
    view = governance._view()
    view.clear(governance.name)
    projection = GovernanceProjection(governance.repository, view)
    for n in governance.recorder.select_notifications(start=None, limit=10_000):
        projection.process_event(
            governance.mapper.to_domain_event(n), Tracking(governance.name, int(n.id))
        )
    assert views_of(governance, project_id) == batched


def test_a_runner_reads_nothing_back_to_apply_more_events(
    governance: Governance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Following the store, it remembers where it committed and the peaks of the log's
    tree, and a proposal tabled in a batch has no row to read back; per batch it reads the
    new events and commits, nothing else."""
    founded = governance.found_project(
        title="Lean", founder_name="A", founder_perspectives=["researcher"]
    )
    runner = ViewRunner(governance, governance._view())
    runner.catch_up()
    reads: list[str] = []

    def counted(owner: object, name: str) -> None:
        original = getattr(owner, name)

        def counting(*args: object, **kwargs: object) -> object:
            if threading.current_thread().name == "cogov-views":  # the runner's own thread
                reads.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counting)

    for name in ("position", "log_size", "log_nodes", "decision"):
        counted(runner.view, name)
    counted(governance.recorder, "max_notification_id")
    runner.start()
    try:
        for _ in range(5):
            governance.table_proposal(
                founded.project_id, title="T", text="x", area="methods", actor=founded.founder_id
            )
            runner.notify()
            assert runner.wait(governance.max_position())
    finally:
        runner.stop()
    assert reads == []


def test_catching_up_ends_while_events_keep_coming(governance: Governance) -> None:
    """Without a progress bar it reads no head, yet a full batch makes it read the head
    once and stop there: a steady stream of events cannot hold it."""
    founded = governance.found_project(
        title="Stream", founder_name="A", founder_perspectives=["researcher"]
    )
    runner = ViewRunner(governance, governance._view(), batch=3)
    runner.catch_up()
    select = governance.recorder.select_notifications
    batches = {"n": 0}

    def table(count: int) -> None:
        for _ in range(count):
            governance.table_proposal(
                founded.project_id, title="T", text="x", area="methods", actor=founded.founder_id
            )

    def more_each_time(*args: Any, **kwargs: Any) -> Any:
        batches["n"] += 1
        assert batches["n"] < 50, "catching up never ended"
        table(3)  # as many new events as a batch takes, every time the runner reads
        return select(*args, **kwargs)

    table(3)

    governance.recorder.select_notifications = more_each_time  # type: ignore[method-assign]
    try:
        reached = runner.catch_up()
    finally:
        del governance.recorder.select_notifications
    assert reached < governance.max_position()  # it stopped where the store was
    runner.catch_up()  # and the rest comes with the next call
    assert runner.position() == governance.max_position()


def test_a_runner_that_does_not_lead_starts_from_where_the_views_are(
    governance: Governance,
) -> None:
    """Asked to catch up (say, by a process that does not keep the views), it reads the
    views' position first, so it never works through events another runner applied."""
    founded = governance.found_project(
        title="Behind", founder_name="A", founder_perspectives=["researcher"]
    )
    here = ViewRunner(governance, governance._view())
    other = ViewRunner(governance, governance._view())
    here.catch_up()
    for _ in range(4):
        governance.table_proposal(
            founded.project_id, title="T", text="x", area="methods", actor=founded.founder_id
        )
    other.catch_up()
    applied: list[int] = []
    process = here.projection.process

    def noting(event: object, position: int) -> None:
        applied.append(position)
        process(event, position)

    here.projection.process = noting  # type: ignore[method-assign]
    assert here.catch_up() == governance.max_position()
    assert applied == []


def test_the_log_stays_whole_when_runners_take_turns_an_event_at_a_time(
    governance: Governance,
) -> None:
    """Each runner keeps the peaks of the tree it last committed; a turn by another makes
    them stale, and a checkpoint signed after every turn must extend the one before."""
    founded = governance.found_project(
        title="Log turns", founder_name="A", founder_perspectives=["researcher"]
    )
    a = ViewRunner(governance, governance._view())
    b = ViewRunner(governance, governance._view())
    for runner in (a, a, b, a, b, b, a, b, a, a, b):
        governance.table_proposal(
            founded.project_id, title="T", text="x", area="methods", actor=founded.founder_id
        )
        runner.catch_up()
        governance.checkpoint()  # refused if the tree is not an extension of the last one
    verdict = governance.verify_log()
    assert verdict.ok, verdict.problems
    assert verdict.events == governance.max_position()


def test_a_following_runner_applies_a_burst_in_one_batch_but_a_lone_event_at_once(
    governance: Governance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paced: after a batch, the next waits until `pace` has passed since it began, so the
    events of a burst share a batch; an event after a quiet spell waits for nothing."""
    founded = governance.found_project(
        title="Paced", founder_name="A", founder_perspectives=["researcher"]
    )
    # woken by notify() only, so that the pace alone decides when a batch starts
    runner = ViewRunner(governance, governance._view(), pace=2.0, poll_interval=30)
    runner.catch_up()
    commits: list[int] = []
    commit = runner.view.commit

    def counted(changes: Any, tracking: Tracking, previous: int) -> None:
        commit(changes, tracking, previous)
        commits.append(tracking.notification_id)

    monkeypatch.setattr(runner.view, "commit", counted)

    def table() -> int:
        position = governance.table_proposal(
            founded.project_id, title="T", text="x", area="methods", actor=founded.founder_id
        ).position
        runner.notify()
        return position

    runner.start()
    try:
        time.sleep(2.1)  # quiet for longer than the pace
        lone = table()
        assert runner.wait(lone, timeout=1.0)  # at once, not after the pace
        burst = [table() for _ in range(4)]
        time.sleep(0.2)
        assert runner.position() == lone  # the burst waits for the pace...
        assert runner.wait(burst[-1], timeout=5)
    finally:
        runner.stop()
    assert commits == [lone, burst[-1]]  # ...and is applied in one batch


def test_a_commit_is_refused_where_the_views_moved_and_writes_nothing(
    governance: Governance,
) -> None:
    """The views' commit checks where they are in its own transaction: a batch made for
    another position is refused whole (eventsourcing's IntegrityError, which tells the
    runner another got there first), and so is a position committed already."""
    gov = governance
    gov.found_project(title="Moved", founder_name="F", founder_perspectives=["public"])
    gov.catch_up()
    view, name = gov.read_models.runner.view, gov.name
    at = view.position(name)
    changes = ViewChanges(trail=[(at + 1, "elsewhere")])
    with pytest.raises(IntegrityError):
        view.commit(changes, Tracking(name, at + 1), at - 1)
    assert view.position(name) == at
    assert view.trail("elsewhere", 0, 10) == []
    view.commit(changes, Tracking(name, at + 1), at)
    assert view.position(name) == at + 1
    assert view.trail("elsewhere", 0, 10) == [at + 1]
    with pytest.raises(IntegrityError):  # the same position again, the check passing
        view.commit(ViewChanges(trail=[(at + 2, "again")]), Tracking(name, at + 1), at + 1)
    assert view.trail("again", 0, 10) == []
    assert view.position(name) == at + 1
