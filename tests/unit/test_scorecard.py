"""The scorecard's rules as pure functions of the views: each indicator's bar, reciprocity's
claims and the reflection schedule, with properties the guidance asks for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cogov.application.frameworks import GRIPP2_SF, UK_STANDARDS
from cogov.application.records import epoch_us, utc_iso
from cogov.application.scorecard import (
    RULES,
    Evidence,
    Scorecard,
    Status,
    involvement,
    reflection_schedule,
    scorecard,
)
from cogov.application.views import DecisionRow, JournalRow, MemberRow, PowerRow

PID = "p1"
FOUNDED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
RANK = {Status.NOT_MET: 0, Status.NO_EVIDENCE: 0, Status.PARTIAL: 1, Status.MET: 2}
MEMBERS = {"ana": ("researcher",), "pat": ("public",), "raj": ("practitioner",), "sue": ("public",)}


def member(member_id: str, roles: Sequence[str] = ("Member",)) -> MemberRow:
    return MemberRow(PID, member_id, MEMBERS[member_id], roles=tuple(roles))


def power(position: int, stage: str, at: datetime, shift: str = "MemberAdmitted") -> PowerRow:
    return PowerRow(
        project_id=PID,
        position=position,
        version=position,
        as_of=utc_iso(at),
        as_of_us=epoch_us(at),
        stage=stage,
        shift=shift,
        perspectives={
            "public": {"voting_power": 0.5, "authority": 0.2, "influence": 0.0},
            "researcher": {"voting_power": 0.5, "authority": 0.8, "influence": 0.0},
        },
        members=(),
        hhi={"voting_power": 5000.0},
        gini={},
    )


def entry(
    position: int, entry_kind: str, at: datetime, /, actor: str = "ana", **data: Any
) -> JournalRow:
    about = [data.get("member_id"), *data.get("attendees", ())]
    return JournalRow(
        project_id=PID,
        position=position,
        kind=entry_kind,
        stage=data.get("stage"),
        members=tuple(m for m in about if isinstance(m, str)),
        recorded_at=utc_iso(at),
        actor=actor,
        data=data,
    )


def decision(position: int, stage: str, proposer: str, participants: Sequence[str]) -> DecisionRow:
    return DecisionRow(
        proposal_id=f"d{position}",
        project_id=PID,
        title="t",
        area="research",
        key=True,
        stage=stage,
        proposer=proposer,
        proposer_perspectives=MEMBERS[proposer],
        outcome="adopted",
        rule="consent",
        quorum=0.5,
        by_proposal=True,
        jointly_owned=True,
        failed_criteria=(),
        flags=(),
        electorate={},
        participation={},
        tally={},
        open_objections=0,
        withdrawn_objections=0,
        amendments=0,
        tabled_at=utc_iso(FOUNDED),
        decided_at=utc_iso(FOUNDED),
        time_to_decide_s=0.0,
        position=position,
        participants=tuple(participants),
    )


def evidence(
    *,
    now: datetime,
    journal: Sequence[JournalRow] = (),
    decisions: Sequence[DecisionRow] = (),
    timeline: Sequence[PowerRow] | None = None,
    every: int | None = None,
    members: Sequence[str] = ("ana", "pat", "raj", "sue"),
) -> Evidence:
    return Evidence(
        project_id=PID,
        now=now,
        stage=(timeline or [power(1, "design", FOUNDED)])[-1].stage,
        required_perspectives=("public", "researcher"),
        reflection_every_days=every,
        members=tuple(member(m) for m in members),
        decisions=tuple(decisions),
        timeline=tuple(timeline if timeline is not None else [power(1, "design", FOUNDED)]),
        journal=tuple(journal),
    )


def statuses(card: Scorecard) -> dict[str, Status]:
    return {i.code: i.status for i in card.indicators}


def test_every_principle_and_feature_has_one_indicator() -> None:
    card = scorecard(evidence(now=FOUNDED))
    codes = [i.code for i in card.indicators]
    assert len(codes) == len(set(codes)) == len(RULES) == 15
    assert set(codes) >= {
        "sharing_power",
        "all_perspectives",
        "respecting_knowledge",
        "reciprocity",
        "relationships",
        "ground_rules",
        "continuing_dialogue",
        "joint_ownership",
        "relationship_building",
        "personal_growth",
        "flexibility",
        "evaluating_impact",
        "continuous_reflection",
        "responsibility_accountability",
        "ethical_review",
    }
    for indicator in card.indicators:
        assert indicator.explanation
    # the frameworks draw only on indicators that exist
    for codes_drawn in [*GRIPP2_SF.values(), *UK_STANDARDS.values()]:
        assert set(codes_drawn) <= set(codes)


def test_a_silent_log_is_no_evidence_not_a_failure() -> None:
    card = scorecard(evidence(now=FOUNDED + timedelta(days=1)))
    for code in (
        "reciprocity",
        "relationships",
        "continuing_dialogue",
        "personal_growth",
        "evaluating_impact",
        "continuous_reflection",
        "ethical_review",
        "ground_rules",
    ):
        assert card.indicator(code).status is Status.NO_EVIDENCE, code
        assert card.indicator(code).evidence == ()
    assert all(s.silent for s in card.uk_standards.values() if s.indicators == ("personal_growth",))


# --- reciprocity ----------------------------------------------------------------------------

KINDS = st.sampled_from(
    [
        "payment_offered",
        "payment_claimed",
        "payment_paid",
        "expenses_paid",
        "training",
        "acknowledgement",
    ]
)


@st.composite
def recognitions(draw: st.DrawFn) -> list[JournalRow]:
    steps = draw(
        st.lists(
            st.tuples(st.sampled_from(["pat", "sue", "raj"]), KINDS, st.integers(0, 20)),
            max_size=12,
        )
    )
    at = FOUNDED
    rows = []
    for position, (who, kind, days) in enumerate(steps, start=10):
        at += timedelta(days=days)
        rows.append(entry(position, "recognition", at, member_id=who, kind=kind))
    return rows


@given(recognitions(), st.sampled_from(["pat", "sue", "raj"]), st.data())
def test_a_declined_payment_never_lowers_a_members_standing(
    rows: list[JournalRow], who: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(rows)), label="declined at")
    when = FOUNDED if at == 0 else datetime.fromisoformat(rows[at - 1].recorded_at)
    declined = entry(5, "recognition", when, member_id=who, kind="payment_declined")
    now = FOUNDED + timedelta(days=300)
    before = scorecard(evidence(now=now, journal=rows))
    after = scorecard(evidence(now=now, journal=[*rows[:at], declined, *rows[at:]]))
    for code, status in statuses(before).items():
        assert RANK[statuses(after)[code]] >= RANK[status], code
    mine = {r.member_id: r for r in after.recognition}[who]
    earlier = {r.member_id: r for r in before.recognition}.get(who)
    if earlier is not None:
        assert mine.unpaid_claims == earlier.unpaid_claims
        assert mine.claim_to_payment_days == earlier.claim_to_payment_days
        assert mine.overdue == earlier.overdue
        assert all(mine.kinds[k] >= n for k, n in earlier.kinds.items())
    r_before = before.indicator("reciprocity").value
    r_after = after.indicator("reciprocity").value
    assert r_after["public_recognised"] >= r_before["public_recognised"]
    assert set(r_after["overdue"]) == set(r_before["overdue"])


def test_claims_are_paid_in_order_and_flagged_after_thirty_days() -> None:
    claim1 = entry(10, "recognition", FOUNDED, member_id="pat", kind="payment_claimed")
    claim2 = entry(
        11, "recognition", FOUNDED + timedelta(days=1), member_id="pat", kind="payment_claimed"
    )
    paid = entry(
        12, "recognition", FOUNDED + timedelta(days=12), member_id="pat", kind="payment_paid"
    )
    rows = [claim1, claim2, paid]
    on_day_31 = FOUNDED + timedelta(days=31)
    (card,) = scorecard(evidence(now=on_day_31, journal=rows)).recognition
    assert card.claim_to_payment_days == (12.0,)
    assert [c.position for c in card.unpaid_claims] == [11]
    assert card.unpaid_claims[0].days_waiting == 30 and not card.overdue  # 30 days: not yet
    later = scorecard(evidence(now=on_day_31 + timedelta(seconds=1), journal=rows))
    assert later.recognition[0].overdue
    assert later.indicator("reciprocity").value["overdue"] == ["pat"]
    assert later.indicator("reciprocity").status is Status.PARTIAL


# --- reflection -----------------------------------------------------------------------------


@given(
    st.integers(1, 90),
    st.lists(st.integers(0, 200), max_size=5),
    st.integers(-3, 3),
)
def test_an_overdue_reflection_is_flagged_exactly_when_due(
    every: int, gaps_days: list[int], offset_us: int
) -> None:
    at = FOUNDED
    rows = []
    for position, days in enumerate(gaps_days, start=10):
        at += timedelta(days=days)
        rows.append(entry(position, "reflection", at, scope="team", stage="design"))
    due = at + timedelta(days=every)
    now = due + timedelta(microseconds=offset_us)
    schedule = reflection_schedule(evidence(now=now, journal=rows, every=every))
    assert schedule.overdue is (offset_us >= 0)
    assert schedule.due == utc_iso(due)
    status = (
        scorecard(evidence(now=now, journal=rows, every=every))
        .indicator("continuous_reflection")
        .status
    )
    assert status is not Status.MET or offset_us < 0


def test_individual_reflections_do_not_reset_the_team_schedule() -> None:
    rows = [
        entry(
            10,
            "reflection",
            FOUNDED + timedelta(days=10),
            actor="pat",
            scope="individual",
            stage="design",
        )
    ]
    schedule = reflection_schedule(
        evidence(now=FOUNDED + timedelta(days=14), journal=rows, every=14)
    )
    assert schedule.overdue and schedule.due == utc_iso(FOUNDED + timedelta(days=14))


def test_without_a_schedule_nothing_is_ever_overdue() -> None:
    schedule = reflection_schedule(evidence(now=FOUNDED + timedelta(days=5000)))
    assert not schedule.overdue and schedule.due is None


# --- involvement ----------------------------------------------------------------------------


def test_involvement_counts_distinct_people_per_stage_and_names_justified_gaps() -> None:
    timeline = [
        power(1, "design", FOUNDED),
        power(5, "analysis", FOUNDED + timedelta(days=40), shift="StageEntered"),
    ]
    decisions = [
        decision(2, "design", "ana", ["ana", "pat", "raj"]),
        decision(3, "design", "pat", ["ana", "pat", "sue"]),  # pat counted once
        decision(6, "analysis", "ana", ["ana", "raj"]),
    ]
    meeting = entry(
        4,
        "dialogue",
        FOUNDED + timedelta(days=2),
        attendees=["sue", "raj"],
        held_at=utc_iso(FOUNDED + timedelta(days=1)),
    )
    ev = evidence(
        now=FOUNDED + timedelta(days=50), decisions=decisions, journal=[meeting], timeline=timeline
    )
    assert involvement(ev) == {
        "design": {"practitioner": 1, "public": 2, "researcher": 1},
        "analysis": {"practitioner": 1, "researcher": 1},
    }
    card = scorecard(ev)
    assert [(g.stage, g.justified) for g in card.gaps] == [("analysis", False)]
    assert card.indicator("all_perspectives").status is Status.PARTIAL
    why = entry(
        7,
        "involvement_justification",
        FOUNDED + timedelta(days=45),
        stage="analysis",
        reason="statistical analysis by the trial statistician",
    )
    card = scorecard(
        evidence(
            now=FOUNDED + timedelta(days=50),
            decisions=decisions,
            journal=[meeting, why],
            timeline=timeline,
        )
    )
    assert card.justified_gaps == {"analysis": "statistical analysis by the trial statistician"}
    assert card.indicator("all_perspectives").status is Status.MET
    assert 7 in card.indicator("all_perspectives").evidence


def test_a_proxy_counts_as_taking_part_alongside_the_member() -> None:
    # the row's participants come from the proposal: the member and the proxy who cast
    ev = evidence(now=FOUNDED, decisions=[decision(2, "design", "ana", ["ana", "sue", "pat"])])
    assert involvement(ev)["design"]["public"] == 2


def test_a_dialogue_belongs_to_the_stage_it_was_held_in() -> None:
    timeline = [
        power(1, "design", FOUNDED),
        power(5, "analysis", FOUNDED + timedelta(days=40), shift="StageEntered"),
    ]
    # recorded after the stage changed, but held before it
    late_note = entry(
        6,
        "dialogue",
        FOUNDED + timedelta(days=41),
        attendees=["pat"],
        held_at=utc_iso(FOUNDED + timedelta(days=39)),
    )
    ev = evidence(now=FOUNDED + timedelta(days=41), journal=[late_note], timeline=timeline)
    assert involvement(ev) == {"design": {"public": 1}, "analysis": {}}
    assert scorecard(ev).indicator("continuing_dialogue").value["stages_without"] == ["analysis"]


# --- the other bars -------------------------------------------------------------------------


def test_impact_is_met_with_impact_on_people_and_on_the_research() -> None:
    research = entry(10, "impact", FOUNDED, kind="research", text="x")
    personal = entry(11, "impact", FOUNDED, kind="personal", text="y")
    assert (
        scorecard(evidence(now=FOUNDED, journal=[research])).indicator("evaluating_impact").status
        is Status.PARTIAL
    )
    met = scorecard(evidence(now=FOUNDED, journal=[research, personal])).indicator(
        "evaluating_impact"
    )
    assert met.status is Status.MET and met.evidence == (10, 11)


def test_ethical_review_needs_a_favourable_opinion_and_no_open_issue() -> None:
    review = entry(
        10,
        "ethics_review",
        FOUNDED,
        outcome="favourable_with_conditions",
        committee="c",
        reference="r",
    )
    issue = entry(11, "ethics_issue", FOUNDED, issue_id="i1", title="t", text="x", stage="design")
    resolved = entry(12, "ethics_resolution", FOUNDED, issue_id="i1", how="h")

    def status(*rows: JournalRow) -> Status:
        return scorecard(evidence(now=FOUNDED, journal=rows)).indicator("ethical_review").status

    assert status(review) is Status.MET
    assert status(review, issue) is Status.PARTIAL
    assert status(review, issue, resolved) is Status.MET
    assert status(issue) is Status.PARTIAL
    unfavourable = entry(
        13, "ethics_review", FOUNDED, outcome="unfavourable", committee="c", reference="r"
    )
    assert status(unfavourable) is Status.NOT_MET


def test_relationship_building_measures_the_longest_quiet_spell_until_now() -> None:
    meet = entry(10, "dialogue", FOUNDED, attendees=["pat"], held_at=utc_iso(FOUNDED))
    ind = scorecard(evidence(now=FOUNDED + timedelta(days=90), journal=[meet])).indicator(
        "relationship_building"
    )
    assert ind.status is Status.MET
    ind = scorecard(evidence(now=FOUNDED + timedelta(days=91), journal=[meet])).indicator(
        "relationship_building"
    )
    assert ind.status is Status.PARTIAL and ind.value["longest_gap_days"] == 91


def test_every_statement_cites_the_evidence_of_the_indicators_it_draws_on() -> None:
    rows = [
        entry(10, "impact", FOUNDED, kind="research", text="x"),
        entry(11, "support", FOUNDED, member_id="pat", kind="training", text="t"),
    ]
    card = scorecard(evidence(now=FOUNDED, journal=rows))
    assert card.uk_standards["impact"].evidence == (10,)
    assert card.uk_standards["support_and_learning"].evidence == (11,)
    assert not card.uk_standards["impact"].silent
    body = card.to_dict()
    assert set(body["gripp2_sf"]) == {"aim", "methods", "results", "discussion", "reflections"}
    assert set(body["uk_standards"]) == set(UK_STANDARDS)
    assert body["indicators"][0]["status"] in {"met", "partial", "not_met", "no_evidence"}
