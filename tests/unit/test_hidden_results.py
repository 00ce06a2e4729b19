"""Results hidden until close: a reader sees only their own stances and the count while a
proposal is open, and everything once it closes; with the option off nothing is hidden.

The property tests run one generated history of a proposal twice, with the same acts by
the same members in the same order but other members' stances and reasons drawn
independently each time: before closing, what the reader sees (the whole proposal, its
events in the trail, its decision row) must be the same both times but for the count of
responses; after closing it must be exactly what is shown without hiding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cogov.application.decisions import proposal_row
from cogov.application.proposals import ProposalRecord, seen_by, whole_proposal
from cogov.application.records import EventRecord
from cogov.application.trail import event_record, held_back, hidden_open
from cogov.application.trail import seen_by as events_seen_by
from cogov.domain import Charter, Outcome, Project, Proposal
from cogov.domain.clock import ticking
from cogov.domain.hidden_results import (
    EVERYTHING,
    HIDDEN,
    HIDDEN_TYPE,
    Sight,
    results_hidden,
    seen_event,
)
from cogov.domain.power import acts_counted, response_acts

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=30)  # past every proposal's closes_at
ELECTORATE = ("ana", "pat", "raj", "sue")  # ana tables every proposal
STANCES = ("consent", "object", "abstain", "stand_aside")


def team(hidden: bool = True) -> Project:
    project = Project.found(
        title="Living well with COPD",
        founder_id="ana",
        founder_perspectives=["researcher"],
        charter=Charter.from_dict({"results_hidden_until_close": hidden}),
    )
    project.admit_member("pat", ["public"], actor="ana")
    project.admit_member("raj", ["practitioner", "researcher"], actor="ana")
    project.admit_member("sue", ["public"], actor="ana")
    return project


# --- the rule itself ---------------------------------------------------------------------


def test_results_are_hidden_only_while_open_and_only_when_the_charter_says_so() -> None:
    on, off = Charter.from_dict({"results_hidden_until_close": True}), Charter()
    assert results_hidden(on, Outcome.OPEN.value)
    for outcome in Outcome:
        assert not results_hidden(off, outcome.value)
        if outcome != Outcome.OPEN:
            assert not results_hidden(on, outcome.value)


def test_a_reader_sees_only_a_stance_they_gave_or_cast_while_hidden() -> None:
    pat = Sight(hidden=True, reader="pat")
    assert pat.sees("pat", None) and pat.sees("sue", "pat")  # their own; cast for sue
    assert not pat.sees("sue", None) and not pat.sees("sue", "raj")
    auditor = Sight(hidden=True, reader=None)
    assert not auditor.sees("pat", None) and not auditor.sees(None)
    assert EVERYTHING.sees("sue") and Sight(hidden=False, reader=None).sees("sue")


def test_an_event_shows_the_marker_instead_of_someone_elses_stance() -> None:
    sight = Sight(hidden=True, reader="pat")
    response = {"member_id": "sue", "stance": "object", "reason": "No", "cast_by": None}
    assert seen_event(sight, "ResponseGiven", "sue", response).data == {HIDDEN: True}
    assert seen_event(sight, "ResponseGiven", "sue", response).type == HIDDEN_TYPE
    assert seen_event(sight, "ResponseGiven", "sue", response).actor is None
    withdrawn = seen_event(sight, "ObjectionWithdrawn", "sue", {"member_id": "sue"})
    assert (withdrawn.type, withdrawn.data) == (HIDDEN_TYPE, {HIDDEN: True})
    own = seen_event(sight, "ResponseGiven", "pat", response | {"member_id": "pat"})
    assert own.type == "ResponseGiven" and own.data["stance"] == "object"
    cast = seen_event(sight, "ResponseGiven", "pat", response | {"cast_by": "pat"})
    assert cast.data["stance"] == "object"  # pat cast it for sue
    amended = seen_event(
        sight, "ProposalAmended", "ana", {"text": "v2", "voided_consents": ["pat", "raj"]}
    )
    assert amended.data == {"text": "v2", "voided_consents": ["pat"], HIDDEN: True}
    comment = seen_event(sight, "CommentPosted", "sue", {"text": "I object!"})
    assert (comment.type, comment.data) == ("CommentPosted", {"text": "I object!"})
    assert seen_event(EVERYTHING, "ResponseGiven", "sue", response).data == response


# --- generated histories -----------------------------------------------------------------

# A step is ("respond", member, proxy or None) or ("amend",) or ("appoint", member, proxy):
# the acts and who does them. Stances and reasons are drawn apart from the steps.
MEMBERS = st.sampled_from(ELECTORATE)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("respond"), MEMBERS, st.none() | MEMBERS),
        st.tuples(st.just("amend")),
        st.tuples(st.just("appoint"), MEMBERS, MEMBERS),
    ),
    max_size=14,
)
CHOICES = st.lists(st.tuples(st.sampled_from(STANCES), st.sampled_from(("a", "b"))), min_size=14)
READERS = st.sampled_from((*ELECTORATE, None))


def history(
    project: Project,
    steps: Sequence[tuple[Any, ...]],
    choices: Sequence[tuple[str, str]],
    reader: str | None,
    mine: Sequence[tuple[str, str]],
) -> Proposal:
    """Run the steps on a new proposal of `project`, every event stamped NOW; a response by
    or cast by `reader` takes its stance from `mine`, anyone else's from `choices` (the
    i-th step's). A step the rules refuse (a proxy over a member's own stance, say) records
    nothing."""
    with ticking(lambda: NOW):
        return _run(project, steps, choices, reader, mine)


def _run(
    project: Project,
    steps: Sequence[tuple[Any, ...]],
    choices: Sequence[tuple[str, str]],
    reader: str | None,
    mine: Sequence[tuple[str, str]],
) -> Proposal:
    proposal = Proposal.table(
        project,
        proposer="ana",
        title="Adopt ground rules",
        text="v0",
        area="governance",
        key=True,
        now=NOW,
    )
    for i, step in enumerate(steps):
        try:
            if step[0] == "respond":
                _, member, proxy = step
                actor = proxy or member
                stance, reason = (mine if reader in (member, actor) else choices)[i]
                proposal.respond(member, stance, f"reason {reason}", actor=actor, now=NOW)
            elif step[0] == "amend":
                proposal.amend(f"v{i + 1}", actor="ana", now=NOW)
            else:
                _, member, proxy = step
                proposal.appoint_proxy(proxy, actor=member, now=NOW)
        except Exception as e:  # a refusal: recorded nothing
            assert type(e).__module__ == "cogov.domain.errors", e
    return proposal


def record_of(proposal: Proposal, events: Sequence[Any]) -> ProposalRecord:
    return whole_proposal(events, now=NOW)


def trail_of(events: Sequence[Any]) -> list[EventRecord]:
    return [event_record(i + 1, e) for i, e in enumerate(events)]


def without_count(record: ProposalRecord) -> dict[str, Any]:
    """The record but for what the count of responses decides (the count, the quorum)."""
    shown = attrs.asdict(record)
    for name in ("id", "response_count", "quorum_met"):
        shown.pop(name)
    return shown


def without_times(records: Sequence[EventRecord]) -> list[tuple[Any, ...]]:
    return [(r.type, r.version, r.actor, r.data) for r in records]


@settings(max_examples=300, deadline=None)
@given(steps=STEPS, theirs=CHOICES, others=CHOICES, mine=CHOICES, reader=READERS)
def test_hidden_results_reveal_nothing_before_close_and_everything_after(
    steps: list[tuple[Any, ...]],
    theirs: list[tuple[str, str]],
    others: list[tuple[str, str]],
    mine: list[tuple[str, str]],
    reader: str | None,
) -> None:
    project = team()
    one = history(project, steps, theirs, reader, mine)
    two = history(project, steps, others, reader, mine)
    events_one, events_two = list(one.collect_events()), list(two.collect_events())
    # the same acts (a proxy may cast for a member whose consent an amendment voided, and
    # not for one who objected: a run where the stances decided that compares nothing)
    assume([type(e) for e in events_one] == [type(e) for e in events_two])
    record_one, record_two = record_of(one, events_one), record_of(two, events_two)
    assert record_one.hidden_until_close and record_two.hidden_until_close
    seen_one, seen_two = seen_by(record_one, reader), seen_by(record_two, reader)

    # before closing: the same whatever the others said, but for the count
    assert without_count(seen_one) == without_count(seen_two)
    assert seen_one.response_count == len(one.responses)
    assert seen_one.tally == {} and seen_one.withdrawn_objections == 0
    assert all(reader in (r.member_id, r.cast_by) for r in seen_one.responses)
    assert all(reader in (h.member_id, h.cast_by) for h in seen_one.history)
    trail_one = events_seen_by(trail_of(events_one), reader, lambda _: True)
    trail_two = events_seen_by(trail_of(events_two), reader, lambda _: True)
    assert without_times(trail_one) == without_times(trail_two)
    row_one, row_two = (
        proposal_row(p, previous=None, at=NOW, position=len(events_one)) for p in (one, two)
    )
    assert attrs.evolve(row_one, proposal_id="", response_count=0) == attrs.evolve(
        row_two, proposal_id="", response_count=0
    )
    assert row_one.response_count == len(one.responses) and row_one.hidden_until_close
    # the pack keeps none of it, and what it keeps is each event as stored
    kept = held_back(trail_of(events_one))
    assert hidden_open(trail_of(events_one)) == [str(one.id)]
    assert all(r.type in ("ProposalTabled", "ProxyAppointed", "ProposalAmended") for r in kept)
    assert [r.version for r in kept] == list(range(1, len(kept) + 1))

    # after closing: everything, exactly as without hiding
    with ticking(lambda: LATER):
        one.close(actor="system", now=LATER)
    events_one += one.collect_events()
    closed = record_of(one, events_one)
    assert not closed.hidden_until_close
    assert seen_by(closed, reader) == closed
    assert events_seen_by(trail_of(events_one), reader, lambda _: False) == trail_of(events_one)
    assert held_back(trail_of(events_one)) == trail_of(events_one)
    unhidden = history(team(hidden=False), steps, theirs, reader, mine)
    with ticking(lambda: LATER):
        unhidden.close(actor="system", now=LATER)
    plain = record_of(unhidden, unhidden.collect_events())
    same = ("responses", "history", "tally", "withdrawn_objections", "outcome", "amendments")
    assert {k: getattr(closed, k) for k in same} == {k: getattr(plain, k) for k in same}
    full_row = proposal_row(one, previous=None, at=LATER, position=len(events_one))
    plain_row = proposal_row(unhidden, previous=None, at=LATER, position=len(events_one))
    assert attrs.evolve(full_row, proposal_id="", project_id="") == attrs.evolve(
        plain_row, proposal_id="", project_id=""
    )


@settings(max_examples=100, deadline=None)
@given(steps=STEPS, theirs=CHOICES, reader=READERS)
def test_without_the_option_nothing_is_ever_hidden(
    steps: list[tuple[Any, ...]], theirs: list[tuple[str, str]], reader: str | None
) -> None:
    proposal = history(team(hidden=False), steps, theirs, reader, theirs)
    events = proposal.collect_events()
    record = record_of(proposal, events)
    assert not record.hidden_until_close
    assert seen_by(record, reader) == record
    trail = trail_of(events)
    assert events_seen_by(trail, reader, lambda _: False) == trail
    assert hidden_open(trail) == [] and held_back(trail) == trail
    assert not proposal_row(proposal, previous=None, at=NOW, position=1).hidden_until_close


@settings(max_examples=100, deadline=None)
@given(steps=STEPS, theirs=CHOICES)
def test_responses_counted_at_close_add_up_to_counting_each_as_it_came(
    steps: list[tuple[Any, ...]], theirs: list[tuple[str, str]]
) -> None:
    proposal = history(team(), steps, theirs, None, theirs)
    events = proposal.collect_events()
    one_by_one: list[tuple[str, str]] = []
    replayed: Any = None
    for event in events:
        before = None
        if isinstance(event, Proposal.ResponseGiven):
            before = replayed.responses.get(event.member_id)
        replayed = event.mutate(replayed)
        if isinstance(event, Proposal.ResponseGiven):
            one_by_one += acts_counted(event, replayed, before)
    assert response_acts(events) == one_by_one
