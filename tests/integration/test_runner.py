"""Runners racing over the same views still apply every event exactly once."""

from __future__ import annotations

import threading

from application import Governance
from application.runner import ViewRunner
from bench.workload import generate
from tests.views import views_of


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
