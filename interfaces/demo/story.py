"""The demo's cast and props: simulated time, the helper that plays the team's commands
(governance and the co-production journal), what the demo prints, and the tokens
`cogov serve --demo` hands out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from cogov.application import Governance, ProjectRecord
from cogov.application.views import DecisionRow
from cogov.domain import NotFound, Stage
from cogov.domain.language import INSTANCE_ADMIN

# What the demo team pays public contributors for their time, in pence: £25 an hour, a
# usual hourly rate for public involvement in UK health research.
HOURLY_RATE_MINOR = 2_500
CURRENCY = "GBP"
# A payday pays the claims made at least this many days before (finance needs a week to
# process a claim); the story holds a payday often enough that every claim is paid well
# within the 30 days after which the scorecard flags it.
PAY_AFTER_DAYS = 7


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


@attrs.frozen
class Claim:
    """A payment a member has claimed and not yet been paid."""

    member: str
    amount_minor: int
    activity: str
    at: datetime


class Story:
    def __init__(self, gov: Governance, clock: DemoClock) -> None:
        self.gov = gov
        self.clock = clock
        self.ids: dict[str, str] = {}
        self.project_id: Any = None
        self.facilitator = "amara"  # records entries about other members
        self.claims: list[Claim] = []  # unpaid, in the order made

    def found(self, charter: Mapping[str, Any] | None = None) -> None:
        founded = self.gov.found_project(
            title="Recovering together: long COVID in community services",
            founder_name="Dr Amara Okafor",
            founder_perspectives=["researcher"],
            charter=charter,
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

    # --- the co-production journal ----------------------------------------------------------
    # Members write entries about themselves; the Facilitator records those about others.

    def reflect(self, who: str, text: str, *themes: str, team: bool = False) -> None:
        """A reflection on the current stage: `who`'s own, or one the team made together
        and `who` wrote up."""
        self.gov.record_reflection(
            self.project_id,
            scope="team" if team else "individual",
            text=text,
            themes=themes,
            actor=self.ids[who],
        )

    def meet(
        self, kind: str, attendees: Sequence[str], summary: str, *, hours_ago: int = 3
    ) -> None:
        """A meeting, workshop or online session held earlier today, its notes written up by
        the first attendee."""
        self.gov.record_dialogue(
            self.project_id,
            kind=kind,
            held_at=self.clock() - timedelta(hours=hours_ago),
            attendees=[self.ids[a] for a in attendees],
            summary=summary,
            actor=self.ids[attendees[0]],
        )

    def _recognise(self, member: str, kind: str, actor: str, **details: Any) -> None:
        self.gov.record_recognition(
            self.project_id, member_id=self.ids[member], kind=kind, actor=self.ids[actor], **details
        )

    def offer(self, members: Sequence[str], hours: float, activity: str) -> None:
        """The Facilitator offers each member payment for an activity at the hourly rate."""
        for member in members:
            self._recognise(
                member,
                "payment_offered",
                self.facilitator,
                amount_minor=round(hours * HOURLY_RATE_MINOR),
                currency=CURRENCY,
                activity=activity,
            )

    def decline(self, member: str, hours: float, activity: str) -> None:
        """A member turns a payment down; no reason is asked for or given."""
        self._recognise(
            member,
            "payment_declined",
            member,
            amount_minor=round(hours * HOURLY_RATE_MINOR),
            currency=CURRENCY,
            activity=activity,
        )

    def claim(self, members: Sequence[str], hours: float, activity: str) -> None:
        """Each member claims the payment for an activity; paid on a later payday."""
        amount = round(hours * HOURLY_RATE_MINOR)
        for member in members:
            self._recognise(
                member,
                "payment_claimed",
                member,
                amount_minor=amount,
                currency=CURRENCY,
                activity=activity,
            )
            self.claims.append(Claim(member, amount, activity, self.clock()))

    def payday(self) -> None:
        """The Facilitator records the payment of every claim made at least PAY_AFTER_DAYS
        ago, in the order claimed."""
        due = self.clock() - timedelta(days=PAY_AFTER_DAYS)
        for claim in [c for c in self.claims if c.at <= due]:
            self._recognise(
                claim.member,
                "payment_paid",
                self.facilitator,
                amount_minor=claim.amount_minor,
                currency=CURRENCY,
                activity=claim.activity,
            )
        self.claims = [c for c in self.claims if c.at > due]

    def expenses(self, member: str, amount_minor: int, activity: str, note: str) -> None:
        self._recognise(
            member,
            "expenses_paid",
            self.facilitator,
            amount_minor=amount_minor,
            currency=CURRENCY,
            activity=activity,
            note=note,
        )

    def recognise(
        self,
        members: Sequence[str],
        kind: str,
        activity: str,
        *,
        amount_minor: int | None = None,
        note: str | None = None,
    ) -> None:
        """Training, co-authorship or acknowledgement for each member, by the Facilitator."""
        for member in members:
            self._recognise(
                member,
                kind,
                self.facilitator,
                amount_minor=amount_minor,
                currency=None if amount_minor is None else CURRENCY,
                activity=activity,
                note=note,
            )

    def support(self, member: str, kind: str, text: str) -> None:
        self.gov.record_support(
            self.project_id,
            member_id=self.ids[member],
            kind=kind,
            text=text,
            actor=self.ids[self.facilitator],
        )

    def declare(self, member: str, text: str) -> None:
        """A member declares an interest of their own."""
        self.gov.declare_interest(self.project_id, text=text, actor=self.ids[member])

    def impact(self, who: str, kind: str, text: str, evidence: str) -> None:
        self.gov.record_impact(
            self.project_id, kind=kind, text=text, evidence=evidence, actor=self.ids[who]
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
