"""The scorecard through Governance, on every store: a proxy response is both people's part,
an overdue reflection appears exactly when due, and the evidence positions are events of
the project's trail."""

from __future__ import annotations

from cogov.application import Governance
from tests.support import Clock


def found(gov: Governance, **charter: object) -> tuple[str, str, str, str]:
    """ana (researcher) founds; pat and sue are public contributors."""
    founded = gov.found_project(
        title="Living well with COPD",
        founder_name="Ana",
        founder_perspectives=["researcher"],
        charter=dict(charter),
    )
    pid, ana = str(founded.project_id), founded.founder_id
    pat = gov.admit_member(pid, display_name="Pat", perspectives=["public"], actor=ana).member_id
    sue = gov.admit_member(pid, display_name="Sue", perspectives=["public"], actor=ana).member_id
    return pid, ana, pat, sue


def test_a_proxy_response_counts_both_people_as_taking_part(governance: Governance) -> None:
    pid, ana, pat, sue = found(governance)
    tabled = governance.table_proposal(
        pid, title="Recruit from clinics", text="...", area="methods", key=False, actor=ana
    )
    governance.appoint_proxy(tabled.proposal_id, proxy=sue, actor=pat)
    position = governance.respond(tabled.proposal_id, stance="consent", actor=sue, member_id=pat)
    card = governance.scorecard(pid, after=position)
    (row,) = governance.decisions(pid, after=position)
    assert set(row.participants) == {ana, pat, sue}
    stage = row.stage
    assert card.involvement[stage] == {"public": 2, "researcher": 1}


def test_a_response_cleared_by_an_amendment_still_counts_as_taking_part(
    governance: Governance,
) -> None:
    pid, ana, pat, _ = found(governance)
    tabled = governance.table_proposal(
        pid, title="Recruit", text="...", area="methods", key=False, actor=ana
    )
    governance.respond(tabled.proposal_id, stance="consent", actor=pat)
    position = governance.amend_proposal(tabled.proposal_id, text="... (amended)", actor=ana)
    (row,) = governance.decisions(pid, after=position)
    assert pat in row.participants


def test_an_overdue_reflection_appears_exactly_when_due(
    governance: Governance, clock: Clock
) -> None:
    pid, ana, _, _ = found(governance, reflection_every_days=28)
    position = governance.record_reflection(
        pid, scope="team", text="How power moved", themes=["power"], actor=ana
    )
    clock.advance(days=28, microseconds=-1)
    card = governance.scorecard(pid, after=position)
    assert not card.reflection.overdue
    assert card.indicator("continuous_reflection").status.value == "met"
    clock.advance(microseconds=1)
    card = governance.scorecard(pid, after=position)
    assert card.reflection.overdue
    assert card.indicator("continuous_reflection").status.value == "partial"


def test_every_evidence_position_is_an_event_of_the_projects_trail(
    governance: Governance, clock: Clock
) -> None:
    pid, ana, pat, sue = found(governance)
    governance.record_dialogue(
        pid,
        kind="workshop",
        held_at=clock(),
        attendees=[ana, pat, sue],
        summary="Agreed how we work",
        actor=ana,
    )
    governance.record_recognition(pid, member_id=pat, kind="payment_declined", actor=pat)
    governance.record_recognition(
        pid, member_id=sue, kind="payment_claimed", amount_minor=2500, currency="GBP", actor=sue
    )
    clock.advance(days=31)
    position = governance.record_impact(
        pid, kind="personal", text="Sue now chairs a patient group", actor=sue
    )
    card = governance.scorecard(pid, after=position)
    trail = {e.position for e in governance.events_after(0, 1000)}
    cited = {p for i in card.indicators for p in i.evidence}
    cited |= {
        p for s in [*card.gripp2_sf.values(), *card.uk_standards.values()] for p in s.evidence
    }
    assert cited and cited <= trail
    recognition = {r.member_id: r for r in card.recognition}
    assert not recognition[pat].overdue and recognition[pat].kinds == {"payment_declined": 1}
    assert recognition[sue].overdue
    assert card.indicator("reciprocity").value["overdue"] == [sue]
    assert card.indicator("relationships").status.value == "met"
    assert card.indicator("evaluating_impact").status.value == "partial"


def test_a_scorecard_of_an_earlier_date_judges_the_project_as_it_stood_then(
    governance: Governance, clock: Clock
) -> None:
    """As of a day before a proposal closed and a recognition was recorded, neither is
    evidence and the card is judged at that moment."""
    pid, ana, pat, sue = found(governance)
    tabled = governance.table_proposal(
        pid, title="Recruit from clinics", text="...", area="methods", key=False, actor=ana
    )
    before = governance.respond(tabled.proposal_id, stance="consent", actor=pat)
    clock.advance(days=1)
    then = clock()
    clock.advance(days=1)
    for member in (ana, sue):
        governance.respond(tabled.proposal_id, stance="consent", actor=member)
    closed = governance.close_proposal(tabled.proposal_id)
    position = governance.record_recognition(pid, member_id=pat, kind="payment_declined", actor=pat)
    now = governance.scorecard(pid, after=position)
    earlier = governance.scorecard(pid, as_of=then, after=position)
    cited_now = {p for i in now.indicators for p in i.evidence}
    cited_then = {p for i in earlier.indicators for p in i.evidence}
    assert {closed, position} & cited_now
    assert cited_then and max(cited_then) <= before
    assert [r.member_id for r in now.recognition] == [pat] and earlier.recognition == ()
    assert earlier.as_of < now.as_of
