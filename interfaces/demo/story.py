"""The demo's cast and props: simulated time, the helper that plays the team's commands,
what the demo prints, and the tokens `cogov serve --demo` hands out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from cogov.application import Governance, ProjectRecord
from cogov.application.views import DecisionRow
from cogov.domain import NotFound, Stage
from cogov.domain.language import INSTANCE_ADMIN


class DemoClock:
    """Simulated time, so months of deliberation run in seconds (and are stamped so)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: float) -> None:
        self.now += timedelta(days=days)


@attrs.frozen
class StageHolding:
    stage: str
    roles: dict[str, tuple[str, ...]]
    areas: dict[str, tuple[str, ...]]


@attrs.frozen
class DemoResult:
    project_id: str
    members: dict[str, str]  # member id -> display name
    decisions: list[DecisionRow]
    holdings: list[StageHolding]
    project: ProjectRecord


Vote = str | tuple[str, str]  # a stance, or (stance, reason)


class Story:
    def __init__(self, gov: Governance, clock: DemoClock) -> None:
        self.gov = gov
        self.clock = clock
        self.ids: dict[str, str] = {}
        self.project_id: Any = None

    def found(self) -> None:
        founded = self.gov.found_project(
            title="Recovering together: long COVID in community services",
            founder_name="Dr Amara Okafor",
            founder_perspectives=["researcher"],
        )
        self.project_id = founded.project_id
        self.ids["amara"] = founded.founder_id

    def admit(self, key: str, name: str, perspectives: Sequence[str]) -> None:
        admitted = self.gov.admit_member(
            self.project_id, display_name=name, perspectives=perspectives, actor=self.ids["amara"]
        )
        self.ids[key] = admitted.member_id

    def propose(
        self,
        proposer: str,
        title: str,
        text: str,
        area: str,
        *,
        key: bool = True,
        actions: Sequence[Mapping[str, Any]] = (),
        votes: Mapping[str, Vote] = {},
        close: bool = True,
    ) -> Any:
        tabled = self.gov.table_proposal(
            self.project_id,
            title=title,
            text=text,
            area=area,
            key=key,
            actions=actions,
            actor=self.ids[proposer],
        )
        self.vote(tabled.proposal_id, votes)
        if close:
            self.clock.advance(1)
            self.gov.close_proposal(tabled.proposal_id, actor=self.ids[proposer])
        self.clock.advance(6)
        return tabled.proposal_id

    def vote(self, proposal_id: Any, votes: Mapping[str, Vote]) -> None:
        for member, vote in votes.items():
            stance, reason = (vote, None) if isinstance(vote, str) else vote
            self.gov.respond(proposal_id, stance=stance, reason=reason, actor=self.ids[member])

    def everyone(self, stance: str = "consent", *, but: Sequence[str] = ()) -> dict[str, Vote]:
        project = self.gov.project(self.project_id)
        active = {m.member_id for m in project.members if m.status == "active"}
        return {k: stance for k, v in self.ids.items() if v in active and k not in but}

    def enter(self, stage: str, proposer: str = "amara") -> None:
        self.propose(
            proposer,
            f"Move to {stage.replace('_', ' ')}",
            f"The work of the previous stage is done; we enter {stage.replace('_', ' ')}.",
            "governance",
            actions=[{"type": "enter_stage", "stage": stage}],
            votes=self.everyone(),
        )


def holdings_by_stage(gov: Governance, project_id: Any) -> list[StageHolding]:
    """Who held which roles and areas at the end of each stage, from the power timeline."""
    holdings = []
    for stage in Stage:
        try:
            row = gov.power_in_stage(project_id, stage.value)
        except NotFound:
            continue
        roles: dict[str, list[str]] = {}
        areas: dict[str, list[str]] = {}
        for member in row.members:
            for role in member.roles:
                roles.setdefault(role, []).append(member.member_id)
            for area in member.areas:
                areas.setdefault(area, []).append(member.member_id)
        holdings.append(
            StageHolding(
                stage=stage.value,
                roles={r: tuple(ids) for r, ids in roles.items()},
                areas={a: tuple(ids) for a, ids in areas.items()},
            )
        )
    return holdings


def last_open(gov: Governance, story: Story) -> Any:
    open_rows = [d for d in gov.decisions(story.project_id) if d.outcome == "open"]
    return open_rows[-1].proposal_id


def newest_member(gov: Governance, story: Story) -> str:
    known = set(story.ids.values())
    return next(
        m.member_id for m in gov.project(story.project_id).members if m.member_id not in known
    )


@attrs.frozen
class DemoToken:
    name: str
    kind: str
    token: str


def demo_tokens(gov: Governance, project_id: Any) -> list[DemoToken]:
    """Tokens for every demo member and one auditor, issued by the instance admin."""
    tokens = []
    for member in gov.project(project_id).members:
        issued = gov.issue_token(project_id, member.member_id, actor=INSTANCE_ADMIN)
        tokens.append(DemoToken(member.display_name or member.member_id, "member", issued.token))
    auditor = gov.add_auditor(
        project_id,
        name="City Research Ethics Committee",
        expires_at=gov.clock() + timedelta(days=365),
        actor=INSTANCE_ADMIN,
    )
    tokens.append(DemoToken("City Research Ethics Committee", "auditor", auditor.token))
    return tokens
