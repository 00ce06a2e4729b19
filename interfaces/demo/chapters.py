"""The demo: a realistic co-produced project, from priority setting to evaluation, told as commands.

The story: a team studying recovery from long COVID in a city's community services. Its
members are people living with the condition, carers, researchers, clinicians and a
commissioner; one member is both a carer and a researcher. The team writes its ground
rules, tightens its charter, hands a leadership role to a public contributor, delegates an
area for one stage and takes it back, integrates an objection by amendment, sees proposals
rejected, lapse and withdrawn, and once lets a key matter be decided by one person alone,
which the audit then shows as not jointly owned.
"""

from __future__ import annotations

from cogov.application import Governance
from cogov.interfaces.demo.story import (
    DemoClock,
    DemoResult,
    Story,
    holdings_by_stage,
    last_open,
    newest_member,
)


def run_demo(gov: Governance, clock: DemoClock) -> DemoResult:
    """Run the story against `gov` and return what the demo prints."""
    s = Story(gov, clock)
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
    gov.close_proposal(last_open(gov, s), actor="system")
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
    s.ids["ian"] = newest_member(gov, s)
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
