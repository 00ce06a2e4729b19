"""The read models' lifecycle: kept by a runner, caught up before a query that must see a
given position, followed in the background by a serving process."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from cogov.application.aggregates import as_uuid
from cogov.application.runner import Progress, ViewRunner
from cogov.application.views import GovernanceView
from cogov.domain import GovernanceError, InvalidInput, NotFound


class ViewsUnavailable(GovernanceError):
    code = "views_unavailable"


class ViewNotCaughtUp(GovernanceError):
    code = "view_not_caught_up"


class ReadModels:
    wait_timeout = 10.0

    def __init__(self, runner: ViewRunner | None, head: Callable[[], int]) -> None:
        self.views = runner
        self.head = head

    @property
    def runner(self) -> ViewRunner:
        if self.views is None:
            raise ViewsUnavailable(
                "this store has no governance views; open it with cogov.open_governance"
            )
        return self.views

    @property
    def view(self) -> GovernanceView:
        return self.runner.view

    def wait_for(self, after: int | None) -> ViewRunner:
        """Bring the views up to `after` (or, with no background runner, up to now)."""
        runner = self.runner
        if after is None and runner.running:
            return runner  # kept up to date in the background: nothing to wait for
        head = self.head()
        if after is not None and after > head:
            raise InvalidInput(f"position {after} has not been recorded; the store is at {head}")
        target = head if after is None else after
        if not runner.wait(target, self.wait_timeout):
            raise ViewNotCaughtUp(
                f"the views have not reached position {target} within {self.wait_timeout}s"
            )
        return runner

    def answer_at_once(self, after: int | None) -> bool:
        """Whether a query reads the views as they are, waiting for nothing: no position to
        wait for, and the views followed in the background (else it catches them up)."""
        return after is None and self.views is not None and self.views.running

    def known_project(self, project_id: UUID | str, after: int | None) -> str:
        """Wait for the views (see wait_for) and check the project is in them."""
        pid = self.project_id(project_id, after)
        self.check_project(pid)
        return pid

    def project_id(self, project_id: UUID | str, after: int | None) -> str:
        """Wait for the views (see wait_for); the project's id, checked as an id only. A
        query that reads by project asks `check_project` only when its answer is empty, so
        that a project that exists costs one read."""
        self.wait_for(after)
        return str(as_uuid(project_id, "project"))

    def check_project(self, pid: str) -> None:
        if not self.view.projects([pid], 0, 1):  # by its primary key
            raise NotFound(f"no project with id {pid}")

    def catch_up(self, progress: Progress | None = None) -> int:
        return self.runner.catch_up(progress)

    def rebuild(self, progress: Progress | None = None) -> int:
        return self.runner.rebuild(progress)

    def follow(self) -> None:
        self.runner.start()

    def notify(self) -> None:
        if self.views is not None:
            self.views.notify()

    def stop(self) -> None:
        if self.views is not None:
            self.views.stop()
