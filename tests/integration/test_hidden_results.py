"""Results hidden until close, through Governance on every store: while a proposal tabled
under a charter with `results_hidden_until_close` is open, every read path shows a reader
only their own stances and the count (the whole proposal, decision rows, the members'
counts and the influence they give, the trail and its filters, the log's leaves, the audit
pack); once it closes, everything shows as it would without the option."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import attrs
import pytest

from cogov.application import Governance
from cogov.application.audit_pack import verify_pack
from cogov.domain import HiddenUntilClose
from cogov.domain.hidden_results import HIDDEN, HIDDEN_TYPE
from tests.support import Clock


@attrs.define
class Team:
    gov: Governance
    pid: str
    ids: dict[str, str]

    def hidden_proposal(self) -> str:
        tabled = self.gov.table_proposal(
            self.pid,
            title="Pay for preparation time",
            text="Public contributors are paid for reading time.",
            area="budget",
            key=True,
            actor=self.ids["rosa"],
        )
        return str(tabled.proposal_id)

    def member(self, member_id: str) -> Any:
        return next(m for m in self.gov.participation(self.pid) if m.row.member_id == member_id)

    def stances(self, events: list[Any]) -> list[tuple[str, str | None, Any]]:
        return [(e.type, e.actor, e.data.get("stance")) for e in events]


@pytest.fixture
def team(governance: Governance) -> Team:
    founded = governance.found_project(
        title="Pacing together",
        founder_name="Rosa Lind",
        founder_perspectives=["researcher"],
        charter={"results_hidden_until_close": True},
    )
    ids = {"rosa": founded.founder_id}
    for key, perspectives in (("pam", ["public"]), ("nia", ["practitioner"])):
        ids[key] = governance.admit_member(
            founded.project_id,
            display_name=key.title(),
            perspectives=perspectives,
            actor=ids["rosa"],
        ).member_id
    return Team(governance, str(founded.project_id), ids)


def test_the_whole_proposal_shows_each_reader_only_their_own_stance(team: Team) -> None:
    gov, ids = team.gov, team.ids
    proposal = team.hidden_proposal()
    gov.respond(proposal, stance="object", reason="Too little", actor=ids["pam"])
    gov.respond(proposal, stance="consent", actor=ids["nia"])
    gov.amend_proposal(proposal, text="Paid for reading and travel time.", actor=ids["rosa"])

    pam = gov.proposal(proposal, reader=ids["pam"])
    assert pam.hidden_until_close and pam.response_count == 1  # nia's consent was voided
    assert [(r.member_id, r.stance, r.reason) for r in pam.responses] == [
        (ids["pam"], "object", "Too little")
    ]
    assert {h.member_id for h in pam.history} == {ids["pam"]}
    assert pam.tally == {} and pam.withdrawn_objections == 0
    assert [a.voided_consents for a in pam.amendments] == [()]
    nia = gov.proposal(proposal, reader=ids["nia"])
    assert nia.responses == ()  # her consent was voided, and pam's objection is hidden
    assert [(h.member_id, h.act) for h in nia.history] == [
        (ids["nia"], "response"),
        (ids["nia"], "consent_voided"),
    ]
    assert [a.voided_consents for a in nia.amendments] == [(ids["nia"],)]
    for outsider in (None, ids["rosa"]):  # an auditor or the admin; the proposer
        seen = gov.proposal(proposal, reader=outsider)
        assert (seen.responses, seen.history, seen.response_count) == ((), (), 1)

    gov.respond(proposal, stance="consent", actor=ids["nia"])
    gov.respond(proposal, stance="consent", actor=ids["rosa"])
    gov.withdraw_objection(proposal, actor=ids["pam"])
    gov.close_proposal(proposal, actor=ids["rosa"])
    for reader in (None, ids["pam"], ids["nia"]):
        closed = gov.proposal(proposal, reader=reader)
        # no public contributor consented (pam stood aside): rejected
        assert not closed.hidden_until_close and closed.outcome == "rejected"
        assert len(closed.responses) == 3 and closed.withdrawn_objections == 1
        assert closed.tally["public"]["stand_aside"] == 1
        assert closed == gov.proposal(proposal, reader=ids["rosa"])


def test_a_proxy_sees_the_stance_they_cast_and_nothing_after(team: Team) -> None:
    gov, ids = team.gov, team.ids
    proposal = team.hidden_proposal()
    gov.appoint_proxy(proposal, proxy=ids["nia"], actor=ids["pam"])
    gov.respond(proposal, stance="abstain", actor=ids["nia"], member_id=ids["pam"])
    seen = gov.proposal(proposal, reader=ids["nia"])
    assert [(r.member_id, r.cast_by) for r in seen.responses] == [(ids["pam"], ids["nia"])]
    gov.respond(proposal, stance="consent", actor=ids["pam"])  # pam's own, over the proxy's
    assert gov.proposal(proposal, reader=ids["nia"]).responses == ()
    assert len(gov.proposal(proposal, reader=ids["nia"]).history) == 1  # the one she cast


def test_decision_rows_show_only_the_count_until_close(team: Team) -> None:
    gov, ids = team.gov, team.ids
    proposal = team.hidden_proposal()
    gov.respond(proposal, stance="object", reason="Too little", actor=ids["pam"])
    gov.respond(proposal, stance="consent", actor=ids["nia"])
    (row,) = gov.decisions(team.pid)
    assert row.hidden_until_close and row.response_count == 2 and row.outcome == "open"
    assert (row.participation, row.tally, row.ballots) == ({}, {}, ())
    assert (row.open_objections, row.participants) == (0, (ids["rosa"],))
    assert gov.proposals(team.pid, status="open") == [row]
    assert gov.decisions(team.pid, required_perspectives=["public"]) == [row]

    gov.respond(proposal, stance="consent", actor=ids["rosa"])
    gov.close_proposal(proposal, actor=ids["rosa"])
    (row,) = gov.decisions(team.pid)
    assert not row.hidden_until_close and row.outcome == "rejected"
    assert row.tally["public"]["object"] == 1 and row.open_objections == 1
    assert row.participation == {"public": 1, "practitioner": 1, "researcher": 1}


def test_members_counts_and_influence_take_in_responses_when_it_closes(
    team: Team, clock: Clock
) -> None:
    gov, ids = team.gov, team.ids
    proposal = team.hidden_proposal()
    gov.respond(proposal, stance="object", reason="Too little", actor=ids["pam"])
    gov.respond(proposal, stance="consent", actor=ids["nia"])
    assert (team.member(ids["pam"]).row.responses, team.member(ids["pam"]).row.objections) == (
        0,
        0,
    )
    # a power shift while it is open: pam's objection gives her no influence yet
    gov.define_role(team.pid, name="Note Taker", actor=ids["rosa"])
    shift = gov.power_timeline(team.pid)[-1]
    pam_power = next(m for m in shift.members if m.member_id == ids["pam"])
    assert pam_power.influence == 0
    clock.advance(days=8)
    gov.close_proposal(proposal)  # due; two of three responded, one objecting: rejected
    pam = team.member(ids["pam"]).row
    # counted at close: her response and objection, and the objection upheld by rejection
    assert (pam.responses, pam.objections, pam.upheld) == (1, 1, 1)
    assert team.member(ids["nia"]).row.responses == 1
    gov.define_role(team.pid, name="Timekeeper", actor=ids["rosa"])
    pam_power = next(
        m for m in gov.power_timeline(team.pid)[-1].members if m.member_id == ids["pam"]
    )
    assert pam_power.influence is not None
    assert pam_power.influence > 0


def test_the_trail_hides_others_stances_and_its_filters_find_nothing_hidden(team: Team) -> None:
    gov, ids = team.gov, team.ids
    proposal = team.hidden_proposal()
    gov.respond(proposal, stance="object", reason="Too little", actor=ids["pam"])
    gov.respond(proposal, stance="consent", actor=ids["nia"])
    gov.withdraw_objection(proposal, actor=ids["pam"])
    gov.comment(proposal, text="Thank you", actor=ids["nia"])

    def trail(reader: str | None, **filters: Any) -> list[Any]:
        events = gov.project_events(team.pid, limit=1000, reader=reader, **filters)
        return [e for e in events if str(e.aggregate_id) == proposal]

    hidden = (HIDDEN_TYPE, None, None)
    assert team.stances(trail(ids["pam"])) == [
        ("ProposalTabled", ids["rosa"], None),
        ("ResponseGiven", ids["pam"], "object"),
        hidden,
        ("ObjectionWithdrawn", ids["pam"], None),
        ("ResponseGiven", ids["pam"], "stand_aside"),
        ("CommentPosted", ids["nia"], None),
    ]
    for outsider in (None, ids["rosa"]):
        shown = trail(outsider)
        assert team.stances(shown)[1:5] == [hidden] * 4
        assert all(e.data == {HIDDEN: True} for e in shown[1:5])
    assert trail(ids["rosa"], type="ObjectionWithdrawn") == []
    assert trail(ids["rosa"], type="ResponseGiven") == []
    assert len(trail(ids["rosa"], type=HIDDEN_TYPE)) == 4
    assert team.stances(trail(ids["rosa"], member=ids["pam"])) == []
    assert team.stances(trail(ids["nia"], member=ids["nia"])) == [
        ("ResponseGiven", ids["nia"], "consent"),
        ("CommentPosted", ids["nia"], None),
    ]
    # the instance's own reading, for the host and the log, is never redacted
    raw = [e for e in gov.events_after(0, 1000) if str(e.aggregate_id) == proposal]
    assert [e.type for e in raw][1:3] == ["ResponseGiven", "ResponseGiven"]

    gov.respond(proposal, stance="consent", actor=ids["rosa"])
    gov.close_proposal(proposal, actor=ids["rosa"])
    raw = [e for e in gov.events_after(0, 1000) if str(e.aggregate_id) == proposal]
    for reader in (None, ids["rosa"], ids["pam"]):
        assert trail(reader) == raw  # everything, exactly as stored
    assert [e.type for e in raw][1:5] == [
        "ResponseGiven",
        "ResponseGiven",
        "ObjectionWithdrawn",
        "ResponseGiven",
    ]


def test_a_hidden_stance_has_no_leaf_until_close(team: Team) -> None:
    gov, ids = team.gov, team.ids
    proposal = team.hidden_proposal()
    tabled_at = gov.project_events(team.pid, limit=1000)[-1].position
    objected = gov.respond(proposal, stance="object", reason="Too little", actor=ids["pam"])
    amended = gov.amend_proposal(proposal, text="Reading time too", actor=ids["rosa"])
    for reader in (None, ids["rosa"], ids["nia"]):
        with pytest.raises(HiddenUntilClose, match="hidden until it closes"):
            gov.inclusion_proof(objected, reader=reader)
    for reader in (None, ids["pam"]):  # an amendment names whose consents it voided
        with pytest.raises(HiddenUntilClose):
            gov.inclusion_proof(amended, reader=reader)
    own = gov.inclusion_proof(objected, reader=ids["pam"])  # her own stance
    assert own.position == objected
    assert gov.inclusion_proof(tabled_at, reader=None).position == tabled_at
    gov.respond(proposal, stance="consent", actor=ids["rosa"])
    gov.close_proposal(proposal, actor=ids["rosa"])
    assert gov.inclusion_proof(objected, reader=ids["nia"]).leaf == own.leaf
    assert gov.inclusion_proof(amended, reader=None).position == amended


def test_the_audit_pack_holds_back_a_hidden_proposal_until_it_closes(team: Team) -> None:
    gov, ids = team.gov, team.ids
    before = team.hidden_proposal()
    gov.comment(before, text="Before anyone responds", actor=ids["nia"])
    gov.respond(before, stance="object", reason="Too little", actor=ids["pam"])
    gov.comment(before, text="After a response", actor=ids["nia"])
    pack = gov.audit_pack(team.pid)
    verdict = verify_pack(pack)
    assert verdict.ok, verdict.problems
    files = zipfile.ZipFile(io.BytesIO(pack))
    events = files.read("events.jsonl").decode()
    assert "Before anyone responds" in events
    assert "Too little" not in events and "After a response" not in events
    readme = files.read("README.txt").decode()
    assert "Held back:   1 proposal(s)" in readme and before in readme
    assert "Too little" not in files.read("report.html").decode()

    gov.respond(before, stance="consent", actor=ids["rosa"])
    gov.close_proposal(before, actor=ids["rosa"])
    pack = gov.audit_pack(team.pid)
    assert verify_pack(pack).ok
    files = zipfile.ZipFile(io.BytesIO(pack))
    assert "Too little" in files.read("events.jsonl").decode()
    assert "Held back" not in files.read("README.txt").decode()
