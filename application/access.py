"""Who holds a token: the credential store finds it by hash, the project's events decide
whether it is still live.

The events are the authority: a token revoked there (renewed, or its holder gone) stops
working even if the credential store lags behind them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cogov.application.aggregates import Aggregates
from cogov.application.beside import Write
from cogov.application.credentials import Credentials, Kind, Principal
from cogov.application.keyvalue import KeyValues
from cogov.domain import NotFound, Project


class Access:
    def __init__(
        self, records: KeyValues, aggregates: Aggregates, clock: Callable[[], datetime]
    ) -> None:
        self.credentials = Credentials(records)
        self.aggregates = aggregates
        self.clock = clock

    def authenticate(self, token: str) -> Principal | None:
        """The holder of a live token: known by its hash, not expired, and still the
        holder's live token in the project's events."""
        principal, version = self.credentials.principal(token, self.clock())
        if principal is None or principal.project_id is None:
            return None
        try:
            project = self.aggregates.read(principal.project_id, Project, "project", version)
        except NotFound:
            return None
        if project.tokens.get(principal.token_id or "") != principal.subject:
            return None
        return principal

    def token_writes(
        self,
        project: Project,
        token: str,
        token_id: str,
        holder: str,
        *,
        superseded_by: str | None = None,
    ) -> list[Write]:
        """The writes that keep a token whose issue `project` is about to record."""
        kind: Kind = "auditor" if holder in project.auditors else "member"
        return self.credentials.writes(
            token,
            Principal(kind, holder, str(project.id), token_id, project.auditors.get(holder)),
            superseded_by=superseded_by,
        )

    def superseded(self, token: str) -> Principal | None:
        """Who held a token their own renewal superseded: they may only repeat it."""
        return self.credentials.superseded(token)
