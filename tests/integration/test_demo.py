"""The demo story on each store meets what the foundation issue asks of it."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from cogov.application import Governance
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


def test_the_demo_scorecard_shows_its_evidence(database_url: str) -> None:
    clock = DemoClock()
    gov: Governance = open_governance(database_url, clock=clock)
    try:
        result = run_demo(gov, clock)
        card = {i.name: i for i in gov.scorecard(result.project_id).indicators}
        involvement = gov.scorecard(result.project_id).involvement
    finally:
        gov.close()
    not_owned = [d.proposal_id for d in result.decisions if d.jointly_owned is False]
    assert card["joint_ownership"].evidence == tuple(not_owned)
    assert 0 < card["joint_ownership"].value < 1
    assert card["ground_rules"].value is True
    assert card["dialogue"].value["amendments"] >= 1
    assert card["dialogue"].value["comments"] >= 1
    assert card["flexibility"].value == 9  # a charter amendment and eight stage changes
    assert card["reflection"].value is None and card["reflection"].note
    assert {s.stage for s in involvement} >= {"priority_setting", "evaluation"}
    assert not any(s.gap for s in involvement)


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
