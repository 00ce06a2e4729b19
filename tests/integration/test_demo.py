"""The demo story on each store meets what the foundation issue asks of it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from itertools import pairwise

from cogov.application import Governance
from cogov.application.records import utc_iso
from cogov.application.views import JournalRow
from cogov.infrastructure import open_governance
from cogov.interfaces.demo import DemoClock, run_demo


def test_the_demo_tells_the_whole_story(database_url: str) -> None:
    clock = DemoClock()
    gov: Governance = open_governance(database_url, clock=clock)
    try:
        result = run_demo(gov, clock)
        trail = gov.events_after(0, 1000)
    finally:
        gov.close()
    members = result.project.members
    assert len(members) >= 8
    perspectives = {p for m in members for p in m.perspectives}
    assert len(perspectives) >= 3
    assert any(len(m.perspectives) > 1 for m in members)

    proposals = [d for d in result.decisions if d.by_proposal]
    assert len(proposals) >= 20
    outcomes = Counter(d.outcome for d in proposals)
    assert outcomes["rejected"] >= 1
    assert outcomes["lapsed"] >= 1
    assert outcomes["withdrawn"] >= 1

    types = Counter(e.type for e in trail)
    assert types["CharterAmended"] >= 1
    assert types["ProposalAmended"] >= 1 and types["ObjectionWithdrawn"] >= 1
    assert types["AreaDelegated"] >= 1 and types["DelegationRevoked"] >= 1

    leads = [
        e for e in trail if e.type == "RoleAssigned" and e.data["role"] == "Public Contributor Lead"
    ]
    public = {m.member_id for m in members if "public" in m.perspectives}
    assert leads and leads[0].data["member_id"] in public
    assert leads[0].data["authority"]["kind"] == "proposal"

    not_owned = [d for d in result.decisions if d.key and d.jointly_owned is False]
    assert len(not_owned) == 1
    assert "not_by_proposal" in not_owned[0].failed_criteria

    assert [h.stage for h in result.holdings] == [
        "priority_setting",
        "design",
        "funding",
        "ethics_review",
        "delivery",
        "analysis",
        "dissemination",
        "knowledge_exchange",
        "evaluation",
    ]
    assert "operations" in result.holdings[1].areas
    assert "operations" not in result.holdings[4].areas


def test_the_demo_keeps_a_co_production_journal(database_url: str) -> None:
    """The journal holds every kind of entry, at the moments the story reaches them, and
    the demo's scorecard is clean where the journal is its evidence."""
    clock = DemoClock()
    gov: Governance = open_governance(database_url, clock=clock)
    try:
        result = run_demo(gov, clock)
        journal = gov.journal(result.project_id)
        trail = gov.events_after(0, 1000)
        card = gov.scorecard(result.project_id)
        charter = gov.project(result.project_id).charter
    finally:
        gov.close()
    assert len(trail) < 1000  # the whole trail is on this one page
    public = {m.member_id for m in result.project.members if "public" in m.perspectives}
    entered = [h.stage for h in result.holdings]
    assert set(Counter(row.kind for row in journal)) == {
        "reflection",
        "dialogue",
        "recognition",
        "support",
        "ethics_issue",
        "ethics_resolution",
        "ethics_review",
        "interest",
        "impact",
        "involvement_justification",
    }

    def of(kind: str) -> list[JournalRow]:
        return [row for row in journal if row.kind == kind]

    # reciprocity: offered, claimed and paid in pence; one payment declined, with no reason
    recognition = Counter(row.data["kind"] for row in of("recognition"))
    assert recognition["payment_declined"] == 1
    for kind in ("payment_offered", "payment_claimed", "expenses_paid", "training"):
        assert recognition[kind] >= 1, kind
    assert recognition["payment_paid"] == recognition["payment_claimed"]
    assert recognition["co_authorship"] == len(public)
    assert recognition["acknowledgement"] >= 1
    declined = next(r for r in of("recognition") if r.data["kind"] == "payment_declined")
    assert declined.data["note"] is None and declined.actor in public
    money = [r.data for r in of("recognition") if r.data["amount_minor"] is not None]
    assert all(m["currency"] == "GBP" and isinstance(m["amount_minor"], int) for m in money)
    assert {r.data["member_id"] for r in of("recognition")} >= public
    for member in card.recognition:  # every claim paid, each within 30 days
        assert not member.unpaid_claims and all(d <= 30 for d in member.claim_to_payment_days)

    support = {row.data["kind"] for row in of("support")}
    assert support >= {"training", "access_adjustment", "mentoring"}
    assert len(of("interest")) >= 1

    (issue,) = of("ethics_issue")
    (resolution,) = of("ethics_resolution")
    assert resolution.data["issue_id"] == issue.data["issue_id"]
    assert resolution.position > issue.position and resolution.data["how"]
    (review,) = of("ethics_review")
    assert review.data["outcome"] == "favourable_with_conditions"
    assert review.data["committee"] and review.data["reference"]

    # impact, of every kind, only once the findings are being shared
    assert {row.data["kind"] for row in of("impact")} == {
        "research",
        "practice",
        "policy",
        "community",
        "personal",
    }
    entered_at = {e.data["stage"]: e.recorded_at for e in trail if e.type == "StageEntered"}
    assert all(row.recorded_at >= entered_at["dissemination"] for row in of("impact"))

    # reflections in every stage entered; team ones at least as often as the charter asks,
    # from the founding to the end of the story
    assert {row.stage for row in of("reflection")} == set(entered)
    assert charter["reflection_every_days"] == 42
    team = [r.recorded_at for r in of("reflection") if r.data["scope"] == "team"]
    moments = [trail[0].recorded_at, *team, utc_iso(clock())]
    spells = [_at(b) - _at(a) for a, b in pairwise(moments)]
    assert max(spells) < timedelta(days=42)
    assert card.reflection.overdue is False

    # dialogue in every stage, and one stage justified as having no public involvement, in
    # which no public contributor acts, responds, attends or is written about
    (justified,) = of("involvement_justification")
    assert justified.data["stage"] == "analysis" and justified.data["reason"]
    assert [(g.stage, g.justified) for g in card.gaps] == [("analysis", True)]
    assert card.involvement["analysis"].get("public", 0) == 0
    during = [
        e for e in trail if entered_at["analysis"] <= e.recorded_at < entered_at["dissemination"]
    ]
    assert len(during) > 3
    for event in during:
        named = {event.actor, event.data.get("member_id"), *event.data.get("attendees", ())}
        assert not named & public, event
    assert not [d for d in result.decisions if d.stage == "analysis"]

    indicators = {i.code: i for i in card.indicators}
    # the demo leaves nothing out: every indicator has evidence
    assert not [i.code for i in card.indicators if i.status == "no_evidence"]
    assert all(not s.silent for s in [*card.gripp2_sf.values(), *card.uk_standards.values()])
    for code in (
        "reciprocity",
        "relationships",
        "continuing_dialogue",
        "relationship_building",
        "personal_growth",
        "evaluating_impact",
        "continuous_reflection",
        "ethical_review",
        "all_perspectives",
        "ground_rules",
    ):
        assert indicators[code].status == "met", (code, indicators[code].explanation)
    not_owned = [d.position for d in result.decisions if d.jointly_owned is False]
    assert indicators["joint_ownership"].status == "partial"
    assert set(not_owned) <= set(indicators["joint_ownership"].evidence)
    assert indicators["flexibility"].value["plan_changes"] == 9  # a charter amendment, 8 stages


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_demos_trail_is_stamped_in_its_simulated_time() -> None:
    """Events carry the application's clock: the demo's simulated months are months in the
    trail, each proposal closes after its deadline in the same time, and "power as of" a
    date in the middle of the story shows the story's middle."""
    clock = DemoClock()
    started = clock()
    gov: Governance = open_governance("memory://", clock=clock)
    try:
        result = run_demo(gov, clock)
        trail = gov.events_after(0, 1000)
        times = [datetime.fromisoformat(e.recorded_at) for e in trail]
        assert times == sorted(times)
        assert times[0] >= started - timedelta(seconds=1)
        elapsed = clock() - started  # the demo's simulated time
        assert elapsed > timedelta(days=150)
        span = times[-1] - times[0]  # the story ends within a response window of its clock
        assert elapsed - timedelta(days=7) <= span <= elapsed

        lapsed = [d for d in result.decisions if d.outcome == "lapsed"]
        for decision in lapsed:  # closed when due, so at or after its deadline
            proposal = gov.proposal(decision.proposal_id)
            assert decision.decided_at is not None
            assert decision.decided_at >= proposal.closes_at  # both UTC ISO text, fixed width

        middle = times[0] + (times[-1] - times[0]) / 2
        then = gov.power_as_of(result.project_id, middle)
        now = gov.power_as_of(result.project_id)
        assert datetime.fromisoformat(then.as_of) <= middle
        assert then.position < now.position
    finally:
        gov.close()
