"""The demo: a realistic co-produced project, from priority setting to evaluation, told as commands.

The story: a team studying recovery from long COVID in a city's community services. Its
members are people living with the condition, carers, researchers, clinicians and a
commissioner; one member is both a carer and a researcher. The team writes its ground
rules, tightens its charter, hands a leadership role to a public contributor, delegates an
area for one stage and takes it back, integrates an objection by amendment, sees proposals
rejected, lapse and withdrawn, and once lets a key matter be decided by one person alone,
which the audit then shows as not jointly owned.

Alongside the decisions the team keeps its co-production journal, at the simulated time each
thing happens: reflections in every stage (a team reflection at least every six weeks, as
its charter asks, and members' own), its meetings, workshops and online sessions, what
public contributors are offered, claim and are paid (one payment declined, expenses,
training, co-authorship, an acknowledgement), the support they get, interests declared, an
ethics committee's favourable opinion with conditions, an ethics issue raised and resolved,
and, late on, the impact the team saw. The survey analysis stage is the one stage without
public involvement: the whole team agrees beforehand that only the named analysts work in
it, and the journal says why.
"""

from __future__ import annotations

from datetime import timedelta

from cogov.application import Governance
from cogov.interfaces.demo.story import (
    DemoClock,
    DemoResult,
    Story,
    holdings_by_stage,
    last_open,
    newest_member,
)

# The charter asks for a team reflection at least this often; the story keeps to it.
REFLECT_EVERY_DAYS = 42
PUBLIC_CONTRIBUTORS = ["ben", "carla", "ellen", "hannah"]


def run_demo(gov: Governance, clock: DemoClock) -> DemoResult:
    """Run the story against `gov` and return what the demo prints."""
    s = Story(gov, clock)
    s.found(charter={"reflection_every_days": REFLECT_EVERY_DAYS})
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
    s.declare("dev", "I am a partner at a GP practice in the city that could become a study site.")
    s.declare(
        "grace",
        "I manage the community long COVID rehabilitation service whose users the study "
        "would survey and interview.",
    )
    s.declare("farid", "I advise, unpaid, a university spin-out building a fatigue-tracking app.")
    s.support(
        "ellen",
        "access_adjustment",
        "Meetings last two hours at most with a break every hour; papers arrive a week ahead "
        "in large print; joining by phone is always possible; taxis are booked and paid for.",
    )
    s.support(
        "hannah",
        "access_adjustment",
        "Online sessions have live captions and cameras may stay off; papers are posted to "
        "members without internet access; care cover is paid for meetings in person.",
    )
    s.offer(PUBLIC_CONTRIBUTORS, 3, "Priority-setting workshop")
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
    s.meet(
        "workshop",
        ["amara", "ben", "carla", "dev", "ellen", "farid", "grace", "hannah"],
        "Priority-setting workshop at the community hub. Eighteen questions from a survey of "
        "local support groups were sorted into themes; public contributors put fatigue and "
        "daily life first, clinicians return to work. Both go forward to the team.",
    )
    s.decline("ellen", 3, "Priority-setting workshop")
    s.claim(["ben", "carla", "hannah"], 3, "Priority-setting workshop")
    s.expenses("ellen", 2_350, "Priority-setting workshop", "Taxi to the hub and back")
    s.expenses("hannah", 4_200, "Priority-setting workshop", "Care cover for the afternoon")
    s.propose(
        "carla",
        "Raise quorum and lengthen the response window",
        "Key decisions need 60% of us to take part, and ten days to respond.",
        "governance",
        actions=[{"type": "amend_charter", "changes": {"quorum": 0.6, "response_window_days": 10}}],
        votes=s.everyone(),
    )
    s.payday()
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
    s.reflect(
        "ben",
        "Objecting to the first research question felt risky: it was the researchers' "
        "question and I was new. It was heard, the question changed, and I withdrew my "
        "objection. The question is now ours as well as theirs.",
        "power",
        "tension",
    )
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
    s.reflect(
        "amara",
        "First team reflection. Researchers spoke for most of the workshop; we agreed a round "
        "where everyone speaks before open discussion, and papers in plain language a week "
        "ahead. Public contributors said the objection to the research question showed them "
        "the team would change its mind.",
        "power",
        "inclusion",
        team=True,
    )
    s.enter("design")

    # --- design ----------------------------------------------------------------------------
    s.meet(
        "online",
        ["farid", "amara", "ben", "carla", "dev", "ellen", "grace", "hannah"],
        "Online design session on the survey and the interviews. Public contributors "
        "rewrote the survey's fatigue questions and asked for interviews to be co-led.",
    )
    s.support(
        "ben",
        "mentoring",
        "Monthly mentoring with the project lead on chairing meetings and speaking for "
        "public contributors in the steering group.",
    )
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
    s.reflect(
        "carla",
        "Being both a carer and a researcher on this team, I notice which hat people expect "
        "me to wear. In the design session I spoke as a carer and was heard as a researcher; "
        "I will say which I am speaking as.",
        "relationships",
        "power",
    )
    s.propose(
        "ben",
        "Pay and expenses policy",
        "Payment within 14 days; travel and care costs reimbursed; payment can be declined.",
        "budget",
        key=False,
        votes=s.everyone(),
    )
    s.reflect(
        "ben",
        "Team reflection on the design. The methods are stronger for the survey questions "
        "public contributors rewrote. Handing day-to-day operations to two clinicians was "
        "quick to agree; we should watch whether it stays day-to-day.",
        "learning",
        "trust",
        team=True,
    )
    s.enter("funding")

    # --- funding -----------------------------------------------------------------------------
    s.offer(["ben", "carla"], 4, "Plain-English summary of the funding application")
    s.propose(
        "amara",
        "Ring-fence 12% of the budget for involvement",
        "Involvement costs (payments, training, accessible venues) are protected.",
        "budget",
        votes=s.everyone(),
    )
    s.meet(
        "meeting",
        ["amara", "ben", "carla", "farid", "grace", "hannah"],
        "Steering group on the funding application. Two public contributors drafted the "
        "plain-English summary; the involvement budget was costed line by line with them.",
    )
    s.claim(["ben", "carla"], 4, "Plain-English summary of the funding application")
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
    s.payday()
    clock.advance(11)  # nobody else responds in time
    gov.close_proposal(last_open(gov, s), actor="system")
    s.reflect(
        "hannah",
        "Only two of us answered the proposal for a printed newsletter and it lapsed. Members "
        "without internet access miss what happens online between meetings, and the rest of "
        "the team did not notice.",
        "inclusion",
        "accessibility",
    )
    s.reflect(
        "carla",
        "Team reflection after the newsletter lapsed. Silence is not consent: we now read "
        "open proposals aloud at each meeting and post them to members offline.",
        "inclusion",
        "learning",
        team=True,
    )
    s.enter("ethics_review")

    # --- ethics review -------------------------------------------------------------------------
    s.meet(
        "workshop",
        ["carla", "amara", "ellen", "farid", "hannah"],
        "Workshop rewriting the participant information sheet and consent form: shorter "
        "sentences, what taking part costs in energy, and that people may stop at any time.",
    )
    s.propose(
        "carla",
        "Consent form in plain language",
        "The participant information sheet is rewritten with public contributors.",
        "ethics",
        votes=s.everyone(),
    )
    s.gov.record_ethics_review(
        s.project_id,
        committee="City Research Ethics Committee",
        reference=f"{clock().year % 100:02d}/CR/0417",
        outcome="favourable_with_conditions",
        decided_on=(clock() - timedelta(days=3)).date(),
        actor=amara,
    )
    s.reflect(
        "farid",
        "Team reflection on the ethics committee's opinion. Its conditions (a distress "
        "protocol, and naming who may see the survey data) were things public contributors "
        "had raised at the workshop; next time we write them in before submitting.",
        "learning",
        "trust",
        team=True,
    )
    for interviewer in ("ben", "hannah"):
        s.support(
            interviewer,
            "training",
            "Co-interviewer training: two half-days on qualitative interviewing, consent and "
            "the distress protocol, run by the university.",
        )
    s.recognise(
        ["carla"],
        "training",
        "Qualitative analysis short course",
        amount_minor=24_000,
        note="The project pays the course fee",
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
    s.declare(
        "ian",
        "My team commissions the community long COVID service; I will say so whenever the "
        "study touches its contract.",
    )
    s.support(
        "ian",
        "training",
        "Induction: the ground rules, the charter and how the team decides, with the Public "
        "Contributor Lead.",
    )
    s.offer(["ben", "hannah"], 12, "Co-interviewing: six interviews with preparation and debrief")
    s.reflect(
        "ellen",
        "I was asked whether I want to co-interview and said no without having to explain. "
        "Being able to say no is part of feeling I belong here.",
        "inclusion",
        "relationships",
    )
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
    online_only = s.gov.raise_ethics_issue(
        s.project_id,
        title="Online-only interviews shut people out",
        text="Interviews were moved online without the team. People without a device, data "
        "or the energy for a video call cannot take part, and consent over video is harder "
        "to check. Who is left out is an ethical question, not an operational one.",
        actor=s.ids["ellen"],
    )
    s.meet(
        "meeting",
        ["ben", "amara", "carla", "dev", "ellen", "farid", "grace", "hannah", "ian"],
        "Steering group after the rejected GP-only recruitment and the move online: "
        "recruitment widens to carers' groups and community centres, and the team will "
        "decide on taking operations back.",
    )
    s.propose(
        "ben",
        "Take operations back to the whole team",
        "Operations decisions return to the team after interviews were moved online alone.",
        "operations",
        actions=[{"type": "revoke_delegation", "area": "operations"}],
        votes=s.everyone(),
    )
    s.reflect(
        "grace",
        "Team reflection on the interviews moved online. A decision made to save time took "
        "a choice away from participants and from the team; the delegated area had grown "
        "beyond day-to-day. Taking it back was uncomfortable and right.",
        "tension",
        "power",
        team=True,
    )
    s.claim(["ben", "hannah"], 6, "Co-interviewing: first three interviews")
    s.propose(
        "grace",
        "Offer interviews in person or online",
        "Each participant chooses how to be interviewed.",
        "methods",
        votes=s.everyone(),
    )
    s.gov.resolve_ethics_issue(
        s.project_id,
        online_only.issue_id,
        how="The team adopted the proposal that each participant chooses an interview in "
        "person or online; the project lends tablets with data and pays travel, and the "
        "distress protocol covers both.",
        actor=s.ids["grace"],
    )
    s.payday()
    s.offer(["carla"], 8, "Co-analysis of interview transcripts")
    s.propose(
        "farid",
        "Reflexive thematic analysis with public co-analysts",
        "As the interviews finish, transcripts are coded by pairs of a researcher and a "
        "public contributor, so the interview analysis is done within delivery.",
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
    s.claim(["ben", "hannah"], 6, "Co-interviewing: last three interviews")
    s.claim(["carla"], 8, "Co-analysis of interview transcripts")
    s.meet(
        "online",
        ["carla", "amara", "ben", "farid", "hannah"],
        "Co-analysis session: the coding pairs compared themes across the interviews. "
        "Fatigue that comes back after a good day runs through every account.",
    )
    clock.advance(7)  # the last transcripts are coded
    s.payday()
    s.reflect(
        "amara",
        "Team reflection at the end of delivery. Public contributors will step back from the "
        "survey analysis, which only the named analysts may do; we agreed what they get in "
        "return: the analysts keep a list of the questions the results raise, and everyone "
        "reads the results together first at a workshop.",
        "inclusion",
        "trust",
        team=True,
    )
    # The team agrees now, with everyone taking part, that the survey analysis is done by
    # the named analysts alone and that the project moves on when it is finished.
    survey = gov.table_proposal(
        s.project_id,
        title="Survey analysis by the named analysts, then dissemination",
        text="The statistical analysis of the survey is done by the two analysts the data "
        "agreement names; when their report is ready the project moves to dissemination, "
        "which opens with a workshop where everyone interprets the results together.",
        area="methods",
        key=True,
        actions=[{"type": "enter_stage", "stage": "dissemination"}],
        closes_at=clock() + timedelta(days=42),
        actor=s.ids["farid"],
    ).proposal_id
    s.vote(survey, s.everyone())
    s.enter("analysis")

    # --- analysis: no public involvement, as agreed ------------------------------------------
    gov.justify_involvement(
        s.project_id,
        stage="analysis",
        reason="This stage is the statistical analysis of the pseudonymised survey data. The "
        "data agreement lets only the two named university analysts see the data, and the "
        "whole team agreed in delivery that public contributors' time is better spent on the "
        "interview co-analysis, already done, and on interpreting the results together at "
        "the start of dissemination.",
        actor=amara,
    )
    s.meet(
        "online",
        ["farid", "amara"],
        "Analysts' meeting: survey data cleaned and weighted; models of fatigue and return to "
        "daily activities agreed as planned.",
    )
    s.reflect(
        "farid",
        "Working without public contributors for a few weeks makes the analysis feel narrow. "
        "We are keeping a list of questions the results raise for the interpretation workshop "
        "rather than answering them ourselves.",
        "learning",
        "power",
    )
    clock.advance(14)
    s.reflect(
        "amara",
        "The survey results are ready. Two of them surprised us and need the public "
        "contributors' reading before we say what they mean.",
        "learning",
    )
    gov.close_proposal(survey, actor=s.ids["farid"])
    clock.advance(6)

    # --- dissemination ------------------------------------------------------------------------
    s.offer(["ben", "carla", "hannah"], 3, "Interpretation workshop")
    s.meet(
        "workshop",
        ["amara", "ben", "carla", "dev", "ellen", "farid", "grace", "hannah", "ian"],
        "Interpretation workshop: the survey results and the interview themes read together. "
        "Public contributors explained a result the analysts had read the wrong way round.",
    )
    s.reflect(
        "hannah",
        "Team reflection at the interpretation workshop. The findings changed when read with "
        "lived experience; the analysts said so first. We worried about being left out of "
        "the analysis stage and were not: our questions had been kept for us.",
        "learning",
        "power",
        team=True,
    )
    s.claim(["ben", "carla", "hannah"], 3, "Interpretation workshop")
    s.propose(
        "hannah",
        "Public contributors are co-authors",
        "Everyone who shaped the analysis is offered co-authorship.",
        "dissemination",
        votes=s.everyone(),
    )
    s.recognise(
        PUBLIC_CONTRIBUTORS,
        "co_authorship",
        "Paper on recovery from long COVID in community services",
    )
    s.impact(
        "farid",
        "research",
        "Public contributors widened the question from return to work to the daily activities "
        "that matter, and their reading of the survey reversed one headline finding.",
        "The amended research question and the interpretation workshop notes in this journal",
    )
    s.payday()
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
    s.meet(
        "meeting",
        ["ian", "amara", "ben", "ellen", "grace", "hannah"],
        "Briefing for the city's commissioners, presented by a public contributor and the "
        "commissioner on the team; questions on peer support and flexible appointments.",
    )
    s.recognise(["ellen"], "acknowledgement", "Briefing for commissioners", note="Chose its quotes")
    s.impact(
        "grace",
        "practice",
        "The community rehabilitation service now offers every appointment in person or by "
        "video, and paces sessions around fatigue, as the interviews showed people need.",
        "The service's change notice to its users",
    )
    s.reflect(
        "ben",
        "Team reflection on sharing the findings. Public contributors presented to the "
        "commissioners as equals; next time we should bring them in at the planning of "
        "the briefing, not only its writing.",
        "power",
        "relationships",
        team=True,
    )
    s.enter("evaluation", proposer="ben")
    s.impact(
        "ian",
        "policy",
        "Commissioners funded a twelve-month peer-support pilot for people with long COVID, "
        "citing the team's briefing.",
        "Commissioning board minutes",
    )
    s.propose(
        "farid",
        "Evaluate the impact of involvement",
        "We record how public contributors changed the question, the methods and the outputs.",
        "governance",
        votes=s.everyone(),
    )
    s.impact(
        "ben",
        "community",
        "Two carers' groups reached during recruitment now run their own long COVID "
        "peer-support sessions.",
        "The groups' programmes for the coming season",
    )
    s.impact(
        "hannah",
        "personal",
        "Co-interviewing and its training gave me the confidence to take a paid "
        "co-researcher post on another study.",
        "My own account",
    )
    s.meet(
        "meeting",
        ["farid", "amara", "ben", "carla", "dev", "ellen", "grace", "hannah", "ian"],
        "Closing evaluation meeting: what involvement changed in the question, the methods, "
        "the findings and the team's members, and what the team would keep next time.",
    )
    s.reflect(
        "farid",
        "Team reflection at the close. Power was shared most where the charter made it "
        "routine and least where one person could act alone; the journal showed us both.",
        "power",
        "learning",
        team=True,
    )

    names = {mid: gov.display_name(mid) or mid for mid in s.ids.values()}
    return DemoResult(
        project_id=str(s.project_id),
        members=names,
        decisions=gov.decisions(s.project_id),
        holdings=holdings_by_stage(gov, s.project_id),
        project=gov.project(s.project_id),
    )
