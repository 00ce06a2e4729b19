"""A realistic co-produced project, from priority setting to evaluation, told as commands.

The story: a team studying recovery from long COVID in a city's community services. Its
members are people living with the condition, carers, researchers, clinicians and a
commissioner; one member is both a carer and a researcher. The team writes its ground
rules, tightens its charter, hands a leadership role to a public contributor, delegates an
area for one stage and takes it back, integrates an objection by amendment, sees proposals
rejected, lapse and withdrawn, and once lets a key matter be decided by one person alone,
which the audit then shows as not jointly owned.
"""

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
    """Simulated time, so a year of deliberation runs in seconds."""

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


class _Story:
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


def run_demo(gov: Governance, clock: DemoClock) -> DemoResult:
    """Run the story against `gov` and return what the demo prints."""
    s = _Story(gov, clock)
    s.found()
    for key, name, perspectives in [
        ("ben", "Ben Hughes", ["public"]),
        ("carla", "Carla Mendes", ["public", "researcher"]),
        ("dev", "Dr Dev Patel", ["practitioner"]),
        ("ellen", "Ellen Price", ["public"]),
        ("farid", "Farid Haddad", ["researcher"]),
        ("grace", "Grace Lin", ["practitioner"]),
        ("hannah", "Hannah Osei", ["public"]),
    ]:
        s.admit(key, name, perspectives)
    amara = s.ids["amara"]
    gov.define_role(
        s.project_id,
        name="Public Contributor Lead",
        responsibilities="Leads public involvement and speaks for it in the steering group",
        leadership=True,
        actor=amara,
    )
    gov.define_role(
        s.project_id,
        name="Principal Investigator",
        responsibilities="Accountable to the funder for the conduct of the study",
        leadership=True,
        areas=["budget", "ethics"],
        actor=amara,
    )
    gov.define_role(
        s.project_id,
        name="Impact Evaluator",
        responsibilities="Gathers evidence of how involvement changed the research",
        actor=amara,
    )
    gov.assign_role(s.project_id, "Impact Evaluator", s.ids["farid"], actor=amara)

    # --- priority setting ----------------------------------------------------------------
    s.propose(
        "amara",
        "Adopt our ground rules",
        "How we work together: plain language, paid time, anyone may pause a meeting.",
        "governance",
        actions=[
            {
                "type": "adopt_ground_rules",
                "rules": [
                    "We use plain language and explain every acronym",
                    "Public contributors are paid for their time at NIHR rates",
                    "Anyone may pause a meeting to ask for clarity or a break",
                ],
            }
        ],
        votes=s.everyone(),
    )
    s.propose(
        "carla",
        "Raise quorum and lengthen the response window",
        "Key decisions need 60% of us to take part, and ten days to respond.",
        "governance",
        actions=[{"type": "amend_charter", "changes": {"quorum": 0.6, "response_window_days": 10}}],
        votes=s.everyone(),
    )
    question = s.propose(
        "farid",
        "Research question: what helps people return to work?",
        "We ask which community services help people with long COVID return to work.",
        "research_question",
        votes={
            "amara": "consent",
            "farid": "consent",
            "dev": "consent",
            "ben": ("object", "Return to work leaves out those too fatigued to work at all"),
        },
        close=False,
    )
    gov.comment(
        question,
        text="Could we ask about daily life as well as work?",
        actor=s.ids["ellen"],
    )
    gov.amend_proposal(
        question,
        text="We ask which community services help people with long COVID manage fatigue "
        "and return to the daily activities that matter to them, including work.",
        actor=s.ids["farid"],
    )
    gov.withdraw_objection(question, actor=s.ids["ben"])
    s.vote(question, s.everyone())
    gov.close_proposal(question, actor=s.ids["farid"])
    clock.advance(7)
    s.propose(
        "amara",
        "Ben leads public involvement",
        "Ben becomes Public Contributor Lead and joins the steering group.",
        "governance",
        actions=[
            {"type": "assign_role", "role": "Public Contributor Lead", "member_id": s.ids["ben"]}
        ],
        votes=s.everyone(),
    )
    s.enter("design")

    # --- design ----------------------------------------------------------------------------
    s.propose(
        "farid",
        "Mixed methods design",
        "A survey of service users and interviews co-led by public contributors.",
        "methods",
        votes=s.everyone(),
    )
    s.propose(
        "amara",
        "Dev and Grace run operations from design onwards",
        "Dev and Grace may settle day-to-day operations alone until the team takes it back.",
        "operations",
        actions=[
            {
                "type": "delegate_area",
                "area": "operations",
                "member_ids": [s.ids["dev"], s.ids["grace"]],
            }
        ],
        votes=s.everyone(),
    )
    gov.record_decision(
        s.project_id,
        title="Pilot interview rooms booked at the community hub",
        text="Accessible rooms with step-free access, Tuesdays and Thursdays.",
        area="operations",
        actor=s.ids["grace"],
    )
    s.propose(
        "ben",
        "Pay and expenses policy",
        "Payment within 14 days; travel and care costs reimbursed; payment can be declined.",
        "budget",
        key=False,
        votes=s.everyone(),
    )
    s.enter("funding")

    # --- funding -----------------------------------------------------------------------------
    s.propose(
        "amara",
        "Ring-fence 12% of the budget for involvement",
        "Involvement costs (payments, training, accessible venues) are protected.",
        "budget",
        votes=s.everyone(),
    )
    s.propose(
        "carla",
        "Dr Okafor is Principal Investigator",
        "Amara holds the Principal Investigator role for the funding application and the study.",
        "governance",
        actions=[{"type": "assign_role", "role": "Principal Investigator", "member_id": amara}],
        votes=s.everyone(),
    )
    s.propose(
        "hannah",
        "Monthly newsletter in print",
        "A printed newsletter for members without internet access.",
        "dissemination",
        key=False,
        votes={"hannah": "consent", "ellen": "consent"},
        close=False,
    )
    clock.advance(11)  # nobody else responds in time
    gov.close_proposal(_last_open(gov, s), actor="system")
    s.enter("ethics_review")

    # --- ethics review -------------------------------------------------------------------------
    s.propose(
        "carla",
        "Consent form in plain language",
        "The participant information sheet is rewritten with public contributors.",
        "ethics",
        votes=s.everyone(),
    )
    s.propose(
        "ben",
        "Invite the city's commissioner",
        "Ian Brooks from the commissioning team joins to bring the policy perspective.",
        "governance",
        actions=[
            {"type": "admit_member", "display_name": "Ian Brooks", "perspectives": ["policy"]}
        ],
        votes=s.everyone(),
    )
    s.enter("delivery")

    # --- delivery ------------------------------------------------------------------------------
    s.ids["ian"] = _newest_member(gov, s)
    s.propose(
        "dev",
        "Recruit through GP surgeries only",
        "Recruitment runs through GP surgeries to reach people quickly.",
        "recruitment",
        votes={
            **s.everyone(but=["hannah", "ellen"]),
            "hannah": ("object", "Many people with long COVID are not registered or not seen"),
            "ellen": ("object", "Carers' groups and community centres must be included"),
        },
    )
    gov.record_decision(
        s.project_id,
        title="Move all interviews online",
        text="To save time, every interview takes place by video call.",
        area="operations",
        key=True,
        actor=s.ids["dev"],
    )
    s.propose(
        "ben",
        "Take operations back to the whole team",
        "Operations decisions return to the team after interviews were moved online alone.",
        "operations",
        actions=[{"type": "revoke_delegation", "area": "operations"}],
        votes=s.everyone(),
    )
    s.propose(
        "grace",
        "Offer interviews in person or online",
        "Each participant chooses how to be interviewed.",
        "methods",
        votes=s.everyone(),
    )
    s.enter("analysis")

    # --- analysis ---------------------------------------------------------------------------
    s.propose(
        "farid",
        "Reflexive thematic analysis with public co-analysts",
        "Transcripts are coded by pairs of a researcher and a public contributor.",
        "methods",
        votes={
            "farid": "consent",
            "amara": "consent",
            "carla": "consent",
            "dev": "consent",
            "grace": "consent",
            "ian": "abstain",
        },
    )
    s.enter("dissemination")

    # --- dissemination ------------------------------------------------------------------------
    s.propose(
        "hannah",
        "Public contributors are co-authors",
        "Everyone who shaped the analysis is offered co-authorship.",
        "dissemination",
        votes=s.everyone(),
    )
    press = s.propose(
        "dev",
        "Press release before peer review",
        "Announce early findings to the local press.",
        "dissemination",
        key=False,
        close=False,
    )
    gov.withdraw_proposal(press, reason="Better after peer review", actor=s.ids["dev"])
    s.enter("knowledge_exchange")

    # --- knowledge exchange and evaluation --------------------------------------------------------
    s.propose(
        "ian",
        "Briefing for commissioners",
        "A two-page briefing co-written with public contributors.",
        "dissemination",
        votes=s.everyone(),
    )
    s.enter("evaluation", proposer="ben")
    s.propose(
        "farid",
        "Evaluate the impact of involvement",
        "We record how public contributors changed the question, the methods and the outputs.",
        "governance",
        votes=s.everyone(),
    )

    names = {mid: gov.display_name(mid) or mid for mid in s.ids.values()}
    return DemoResult(
        project_id=str(s.project_id),
        members=names,
        decisions=gov.decisions(s.project_id),
        holdings=holdings_by_stage(gov, s.project_id),
        project=gov.project(s.project_id),
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


def _last_open(gov: Governance, story: _Story) -> Any:
    open_rows = [d for d in gov.decisions(story.project_id) if d.outcome == "open"]
    return open_rows[-1].proposal_id


def _newest_member(gov: Governance, story: _Story) -> str:
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
