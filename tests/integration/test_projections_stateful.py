"""Random governance histories: the views always agree with replaying the aggregates.

After every command, each new power-timeline row must equal the distribution computed by
replaying the Project to that row's version (with influence counted independently from the
event trail), every decision row must equal a recomputation from the Proposal aggregate, and
the scorecard's recognition, reflection schedule and involvement per stage must equal a
recomputation from the audit trail's events.
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from cogov.application import Governance
from cogov.application.decisions import proposal_row
from cogov.application.records import EventRecord
from cogov.domain import GovernanceError, Journal, Project, Proposal
from cogov.domain.power import distribution
from cogov.infrastructure import open_governance
from tests.support import POSTGRES_URL, Clock

PERSPECTIVES = st.lists(
    st.sampled_from(["public", "researcher", "practitioner"]), min_size=1, max_size=2, unique=True
)
STANCES = st.sampled_from(["consent", "object", "abstain", "stand_aside"])
# claims and payments most often, so that claims wait, queue and get paid
RECOGNITIONS = st.sampled_from(
    [
        "payment_claimed",
        "payment_claimed",
        "payment_paid",
        "payment_paid",
        "payment_declined",
        "payment_offered",
        "training",
    ]
)
MONEY = {"payment_offered", "payment_claimed", "payment_paid"}
REFLECT_EVERY = 30
COMPARED = (
    "outcome",
    "jointly_owned",
    "failed_criteria",
    "flags",
    "participation",
    "tally",
    "open_objections",
    "withdrawn_objections",
    "amendments",
    "stage",
    "key",
)


def trail_influence(
    gov: Governance, project_id: str, positions: list[int]
) -> dict[int, dict[str, int]]:
    """Influence units per member at each position, counted straight from the audit trail
    (the objections on a proposal whose results are hidden until close count when it
    closes)."""
    at: dict[int, dict[str, int]] = {}
    wanted = sorted(positions)
    units: dict[str, int] = defaultdict(int)
    of_project: set[Any] = set()
    hidden: dict[Any, list[str]] = {}  # proposal -> objectors not counted until it closes
    stance: dict[tuple[Any, str], str] = {}
    heeded: dict[Any, set[str]] = defaultdict(set)
    proposer: dict[Any, str] = {}
    for e in gov.events_after(0, 1000):
        while wanted and e.position > wanted[0]:
            at[wanted.pop(0)] = dict(units)
        if not wanted:
            break
        aid = e.aggregate_id
        if e.type == "ProposalTabled" and e.data["project_id"] == project_id:
            of_project.add(aid)
            proposer[aid] = e.data["proposer"]
            units[e.data["proposer"]] += 1
            if e.data["charter"].get("results_hidden_until_close"):
                hidden[aid] = []
        elif e.type == "DecisionRecordedDirectly" and str(aid) == project_id:
            units[e.actor or ""] += 1
        elif aid not in of_project:
            continue
        elif e.type == "ResponseGiven":
            member = e.data["member_id"]
            if e.data["stance"] == "object" and stance.get((aid, member)) != "object":
                if aid in hidden:
                    hidden[aid].append(member)
                else:
                    units[member] += 1
            stance[(aid, member)] = e.data["stance"]
        elif e.type == "ObjectionWithdrawn":
            stance.pop((aid, e.data["member_id"]), None)
        elif e.type == "ProposalAmended":
            for (p, m), s in list(stance.items()):
                if p == aid and s == "object":
                    heeded[aid].add(m)
                if p == aid and s == "consent":
                    del stance[(p, m)]
        elif e.type in ("ProposalClosed", "ProposalWithdrawn"):
            for m in hidden.pop(aid, []):
                units[m] += 1
            upheld = set(heeded[aid])
            if e.type == "ProposalClosed" and e.data["outcome"] == "rejected":
                upheld |= {m for (p, m), s in stance.items() if p == aid and s == "object"}
            if e.type == "ProposalClosed" and e.data["outcome"] == "adopted":
                units[proposer[aid]] += 1
            for m in upheld:
                units[m] += 1
    for position in wanted:
        at[position] = dict(units)
    return at


def every_event(gov: Governance) -> Iterator[EventRecord]:
    page = gov.events_after(0, 1000)
    while page:
        yield from page
        page = gov.events_after(page[-1].position, 1000)


def trail_scorecard(
    gov: Governance, project_id: str, now: datetime
) -> tuple[dict[str, tuple[dict[str, int], list[int]]], bool, dict[str, dict[str, int]]]:
    """From the audit trail alone: per member, the kinds of recognition and the positions of
    claims still unpaid (paid in the order made); whether a team reflection is overdue; and
    per stage, how many distinct people of each perspective took part (those who responded
    to a proposal whose results are hidden until close, once it has closed)."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    waiting: dict[str, list[int]] = defaultdict(list)
    founded = last_team = None
    stages: list[tuple[datetime, str]] = []
    of_project: dict[Any, str] = {}  # proposal -> its stage
    hidden: dict[Any, set[str]] = {}  # proposal -> who responded, shown when it closes
    took_part: dict[str, set[str]] = defaultdict(set)
    perspectives: dict[str, list[str]] = {}
    held: list[tuple[datetime, list[str]]] = []
    journal_id = str(Journal.id_for(uuid.UUID(project_id)))
    for e in every_event(gov):
        at = datetime.fromisoformat(e.recorded_at)
        aid, data = e.aggregate_id, e.data
        if e.type == "ProposalTabled" and data["project_id"] == project_id:
            of_project[aid] = data["stage"]
            took_part[data["stage"]].add(data["proposer"])
            if data["charter"].get("results_hidden_until_close"):
                hidden[aid] = set()
        elif e.type == "ResponseGiven" and aid in of_project:
            respondents = {data["member_id"], e.actor or ""}
            if aid in hidden:
                hidden[aid] |= respondents
            else:
                took_part[of_project[aid]].update(respondents)
        elif e.type in ("ProposalClosed", "ProposalWithdrawn") and aid in hidden:
            took_part[of_project[aid]].update(hidden.pop(aid))
        elif str(aid) in (project_id, journal_id):
            if e.type == "ProjectFounded":
                founded = at
                stages.append((at, data["stage"]))
                perspectives[data["founder_id"]] = data["founder_perspectives"]
            elif e.type == "StageEntered":
                stages.append((at, data["stage"]))
            elif e.type in ("MemberAdmitted", "PerspectivesChanged"):
                perspectives[data["member_id"]] = data["perspectives"]
            elif e.type == "DecisionRecordedDirectly":
                took_part[data["stage"]].add(e.actor or "")
            elif e.type == "RecognitionRecorded":
                member, kind = data["member_id"], data["kind"]
                kinds[member][kind] += 1
                if kind == "payment_claimed":
                    waiting[member].append(e.position)
                elif kind == "payment_paid" and waiting[member]:
                    waiting[member].pop(0)
            elif e.type == "ReflectionRecorded":
                took_part[data["stage"]].add(e.actor or "")
                if data["scope"] == "team":
                    last_team = at
            elif e.type == "DialogueRecorded":
                held.append((datetime.fromisoformat(data["held_at"]), data["attendees"]))
    for when, attendees in held:
        then = [s for t, s in stages if t <= when][-1:] or [stages[0][1]]
        took_part[then[0]].update(attendees)
    assert founded is not None
    due = (last_team or founded) + timedelta(days=REFLECT_EVERY)
    involvement: dict[str, dict[str, int]] = {}
    for stage in dict.fromkeys(s for _, s in stages):
        tally: Counter[str] = Counter()
        for person in took_part.get(stage, set()):
            tally.update(perspectives.get(person, ()))
        involvement[stage] = dict(sorted(tally.items()))
    recognition = {m: (dict(k), waiting[m]) for m, k in kinds.items()}
    return recognition, now >= due, involvement


class GovernanceHistory(RuleBasedStateMachine):
    open_store: Callable[[Clock], tuple[Governance, Callable[[], None]]]

    def __init__(self) -> None:
        super().__init__()
        self.clock = Clock()
        self.gov, self.cleanup = type(self).open_store(self.clock)
        self.proposals: list[Any] = []
        self.members: list[str] = []  # in order of admission: ids are random, order is not
        self.checked_position = 0
        self.names = itertools.count()

    def teardown(self) -> None:
        self.gov.close()
        self.cleanup()

    @initialize(perspectives=PERSPECTIVES, hidden=st.booleans())
    def found(self, perspectives: list[str], hidden: bool) -> None:
        founded = self.gov.found_project(
            title="Random history",
            founder_name="F",
            founder_perspectives=perspectives,
            charter={"reflection_every_days": REFLECT_EVERY, "results_hidden_until_close": hidden},
        )
        self.project_id = founded.project_id
        self.founder = founded.founder_id
        self.members.append(self.founder)
        self.gov.define_role(
            self.project_id, name="Lead", leadership=True, areas=["budget"], actor=self.founder
        )
        self.gov.define_role(self.project_id, name="Helper", actor=self.founder)

    def project(self) -> Project:
        p: object = self.gov.repository.get(self.project_id)
        assert isinstance(p, Project)
        return p

    def in_order(self, ids: object) -> list[str]:
        wanted = set(ids)  # type: ignore[call-overload]
        return [m for m in self.known() if m in wanted]

    def known(self) -> list[str]:
        for member in self.project().members:  # admitted by adopted proposals too
            if member not in self.members:
                self.members.append(member)
        return self.members

    def active(self) -> list[str]:
        return self.in_order(self.project().active_members())

    def attempt(self, command: Callable[[], object]) -> None:
        # a refusal is a fine outcome; the invariant checks nothing was half-done
        with contextlib.suppress(GovernanceError):
            command()

    @rule(perspectives=PERSPECTIVES)
    def admit(self, perspectives: list[str]) -> None:
        self.attempt(
            lambda: self.gov.admit_member(
                self.project_id,
                display_name=f"M{next(self.names)}",
                perspectives=perspectives,
                actor=self.founder,
            )
        )

    @rule(data=st.data(), key=st.booleans())
    def table(self, data: st.DataObject, key: bool) -> None:
        members = self.active()
        if not members:
            return
        proposer = data.draw(st.sampled_from(members))
        target = data.draw(st.sampled_from(members))
        action: list[dict[str, Any]] = data.draw(
            st.sampled_from(
                [
                    [],
                    [{"type": "assign_role", "role": "Lead", "member_id": target}],
                    [{"type": "assign_role", "role": "Helper", "member_id": target}],
                    [{"type": "amend_charter", "changes": {"key_rule": "majority"}}],
                    [{"type": "amend_charter", "changes": {"quorum": 0.75}}],
                    [{"type": "amend_charter", "changes": {"results_hidden_until_close": True}}],
                    [{"type": "amend_charter", "changes": {"results_hidden_until_close": False}}],
                    [{"type": "delegate_area", "area": "budget", "member_ids": [target]}],
                    [{"type": "revoke_delegation", "area": "budget"}],
                    [{"type": "enter_stage", "stage": "design"}],
                    [{"type": "admit_member", "display_name": "New", "perspectives": ["public"]}],
                    [{"type": "remove_member", "member_id": target, "reason": "asked to"}],
                ]
            )
        )

        def command() -> None:
            tabled = self.gov.table_proposal(
                self.project_id,
                title="A motion",
                text="Some text",
                area="governance",
                key=key,
                actions=action,
                actor=proposer,
            )
            self.proposals.append(tabled.proposal_id)

        self.attempt(command)

    @rule(data=st.data(), stance=STANCES)
    def respond(self, data: st.DataObject, stance: str) -> None:
        if not self.proposals:
            return
        pid = data.draw(st.sampled_from(self.proposals))
        proposal = self.gov.proposal(pid)
        member = data.draw(st.sampled_from(self.in_order(proposal.electorate)))
        self.attempt(lambda: self.gov.respond(pid, stance=stance, reason="because", actor=member))

    @rule(data=st.data(), wait=st.booleans())
    def close(self, data: st.DataObject, wait: bool) -> None:
        if not self.proposals:
            return
        pid = data.draw(st.sampled_from(self.proposals))
        if wait:
            self.clock.advance(days=8)
        proposer = self.gov.proposal(pid).proposer
        self.attempt(lambda: self.gov.close_proposal(pid, actor=proposer))

    @rule(data=st.data())
    def amend_or_withdraw(self, data: st.DataObject) -> None:
        if not self.proposals:
            return
        pid = data.draw(st.sampled_from(self.proposals))
        record = self.gov.proposal(pid)
        stances: dict[str, str] = self.gov.repository.get(pid).responses  # even if hidden
        objectors = self.in_order(m for m, s in stances.items() if s == "object")
        choice = data.draw(st.sampled_from(["amend", "withdraw_objection", "withdraw"]))
        if choice == "amend":
            self.attempt(
                lambda: self.gov.amend_proposal(
                    pid, text=f"{record.text} (amended)", actor=record.proposer
                )
            )
        elif choice == "withdraw_objection" and objectors:
            self.attempt(lambda: self.gov.withdraw_objection(pid, actor=objectors[0]))
        elif choice == "withdraw":
            self.attempt(lambda: self.gov.withdraw_proposal(pid, actor=record.proposer))

    @rule(data=st.data())
    def act_alone(self, data: st.DataObject) -> None:
        members = self.active()
        if not members:
            return
        member = data.draw(st.sampled_from(members))
        choice = data.draw(st.sampled_from(["helper", "leave", "decide", "relinquish"]))
        if choice == "helper":
            self.attempt(
                lambda: self.gov.assign_role(self.project_id, "Helper", member, actor=self.founder)
            )
        elif choice == "leave" and member != self.founder:
            self.attempt(lambda: self.gov.leave_project(self.project_id, actor=member))
        elif choice == "decide":
            self.attempt(
                lambda: self.gov.record_decision(
                    self.project_id,
                    title="Alone",
                    text="...",
                    area="budget",
                    key=True,
                    actor=member,
                )
            )
        elif choice == "relinquish":
            self.attempt(
                lambda: self.gov.relinquish_role(self.project_id, "Helper", member, actor=member)
            )

    @rule(data=st.data(), kind=RECOGNITIONS)
    def recognise(self, data: st.DataObject, kind: str) -> None:
        member = data.draw(st.sampled_from(self.known()[:2]))
        money = kind in MONEY
        self.attempt(
            lambda: self.gov.record_recognition(
                self.project_id,
                member_id=member,
                kind=kind,
                amount_minor=2500 if money else None,
                currency="GBP" if money else None,
                actor=self.founder,
            )
        )

    @rule(data=st.data(), team=st.booleans())
    def reflect(self, data: st.DataObject, team: bool) -> None:
        members = self.active()
        if not members:
            return
        member = data.draw(st.sampled_from(members))
        self.attempt(
            lambda: self.gov.record_reflection(
                self.project_id,
                scope="team" if team else "individual",
                text="How we worked",
                themes=["power"],
                actor=member,
            )
        )

    @rule(data=st.data(), hours_ago=st.integers(0, 24 * 20))
    def meet(self, data: st.DataObject, hours_ago: int) -> None:
        members = self.active()
        if not members:
            return
        attendees = data.draw(st.lists(st.sampled_from(members), min_size=1, unique=True))
        self.attempt(
            lambda: self.gov.record_dialogue(
                self.project_id,
                kind="meeting",
                held_at=self.clock() - timedelta(hours=hours_ago),
                attendees=attendees,
                summary="We met",
                actor=self.founder,
            )
        )

    @rule(days=st.integers(1, 20))
    def wait(self, days: int) -> None:
        self.clock.advance(days=days)

    @invariant()
    def scorecard_agrees_with_the_trail(self) -> None:
        self.gov.catch_up()
        card = self.gov.scorecard(self.project_id)
        recognition, overdue, involvement = trail_scorecard(
            self.gov, str(self.project_id), self.clock()
        )
        assert {
            r.member_id: (r.kinds, [c.position for c in r.unpaid_claims]) for r in card.recognition
        } == recognition
        assert card.reflection.overdue is overdue
        assert card.involvement == involvement

    @invariant()
    def views_agree_with_replay(self) -> None:
        gov = self.gov
        gov.catch_up()
        pid = str(self.project_id)
        rows = gov.power_timeline(self.project_id, after_position=self.checked_position, limit=1000)
        influence = trail_influence(gov, pid, [r.position for r in rows])
        for row in rows:
            replayed: object = gov.repository.get(self.project_id, version=row.version)
            assert isinstance(replayed, Project)
            expected = distribution(replayed, influence[row.position])
            assert row.stage == replayed.stage
            assert {
                p: pytest.approx(v) for p, v in expected.perspectives.items()
            } == row.perspectives
            assert expected.hhi == pytest.approx(row.hhi)
            assert expected.gini == pytest.approx(row.gini)
            for member in row.members:
                shares = expected.members[member.member_id]
                assert member.voting_power == pytest.approx(shares["voting_power"])
                assert member.authority == pytest.approx(shares["authority"])
                assert member.influence == pytest.approx(shares["influence"])
                assert list(member.roles) == replayed.roles_of(member.member_id)
                assert list(member.areas) == replayed.areas_of(member.member_id)
            assert {m.member_id for m in row.members} == set(replayed.active_members())
            self.checked_position = row.position
        for decision in gov.decisions(self.project_id):
            if not decision.by_proposal:
                continue
            proposal: object = gov.repository.get(uuid.UUID(decision.proposal_id))
            assert isinstance(proposal, Proposal)
            fresh = proposal_row(
                proposal, previous=decision, at=self.clock(), position=decision.position
            )
            assert {f: getattr(decision, f) for f in COMPARED} == {
                f: getattr(fresh, f) for f in COMPARED
            }


def _memory(clock: Clock) -> tuple[Governance, Callable[[], None]]:
    return open_governance("memory://", clock=clock), lambda: None


@pytest.mark.parametrize(
    "store", ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_random_histories_keep_views_equal_to_replay(
    store: str, tmp_path: Any, request: pytest.FixtureRequest
) -> None:
    if store == "postgres":
        request.getfixturevalue("postgres_url")  # skips, or fails under CI, without a server

    def open_store(clock: Clock) -> tuple[Governance, Callable[[], None]]:
        if store == "memory":
            return _memory(clock)
        if store == "sqlite":
            path = tmp_path / f"{uuid.uuid4().hex}.db"
            return open_governance(f"sqlite:///{path}", clock=clock), path.unlink
        schema = f"h_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')

        def drop() -> None:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

        return open_governance(f"{POSTGRES_URL}?schema={schema}", clock=clock), drop

    machine: Any = type("History", (GovernanceHistory,), {"open_store": staticmethod(open_store)})
    machine.TestCase.settings = settings(
        max_examples=20 if store != "memory" else 60,
        stateful_step_count=30,
        deadline=None,
    )
    machine.TestCase().runTest()
