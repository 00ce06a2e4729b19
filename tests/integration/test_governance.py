"""The Governance application on each store: commands, refusals that record nothing, trail."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from eventsourcing.persistence import IntegrityError

from cogov.application import Governance
from cogov.domain import (
    Conflict,
    GovernanceError,
    InvalidInput,
    NotAMember,
    NotAnElector,
    NotAuthorised,
    NotFound,
    Project,
    ProposalNotOpen,
)
from cogov.infrastructure import open_governance
from tests.support import Clock


@attrs.define
class Team:
    gov: Governance
    project_id: Any
    ids: dict[str, str]


@pytest.fixture
def team(governance: Governance) -> Team:
    founded = governance.found_project(
        title="Co-designing stroke rehabilitation",
        founder_name="Rosa Lind",
        founder_perspectives=["researcher"],
    )
    ids = {"rosa": founded.founder_id}
    for key, name, perspectives in [
        ("pam", "Pam Ode", ["public"]),
        ("carl", "Carl Nye", ["public", "researcher"]),
        ("nia", "Nia Tate", ["practitioner"]),
    ]:
        ids[key] = governance.admit_member(
            founded.project_id, display_name=name, perspectives=perspectives, actor=ids["rosa"]
        ).member_id
    return Team(governance, founded.project_id, ids)


def table(team: Team, proposer: str = "rosa", **kwargs: Any) -> Any:
    args: dict[str, Any] = {
        "title": "Weekly online meetings",
        "text": "We meet online every Tuesday at 6pm so working members can join.",
        "area": "operations",
        "key": True,
    }
    args.update(kwargs)
    return team.gov.table_proposal(team.project_id, actor=team.ids[proposer], **args).proposal_id


def everyone_consents(team: Team, proposal_id: Any) -> None:
    for member in team.ids.values():
        team.gov.respond(proposal_id, stance="consent", actor=member)


def test_positions_increase_and_the_trail_has_the_contract_shape(team: Team) -> None:
    pid = table(team)
    position = team.gov.respond(pid, stance="consent", actor=team.ids["pam"])
    assert position == team.gov.max_position()
    trail = team.gov.events_after(0, limit=100)
    assert [e.position for e in trail] == sorted(e.position for e in trail)
    assert trail[0].type == "ProjectFounded"
    assert trail[-1].type == "ResponseGiven"
    assert trail[-1].actor == team.ids["pam"]
    assert trail[-1].recorded_at.endswith("Z")
    assert trail[-1].aggregate_id == pid
    assert trail[-1].data["stance"] == "consent"
    json.dumps([attrs.asdict(e) | {"aggregate_id": str(e.aggregate_id)} for e in trail])


def test_an_adopted_key_proposal_shifts_power_with_the_proposal_as_authority(team: Team) -> None:
    gov = team.gov
    gov.define_role(
        team.project_id, name="Public Contributor Lead", leadership=True, actor=team.ids["rosa"]
    )
    pid = table(
        team,
        title="Pam leads public involvement",
        area="governance",
        actions=[
            {
                "type": "assign_role",
                "role": "Public Contributor Lead",
                "member_id": team.ids["pam"],
            },
            {"type": "amend_charter", "changes": {"quorum": 0.75}},
            {"type": "admit_member", "display_name": "Omar Vale", "perspectives": ["public"]},
            {"type": "enter_stage", "stage": "design"},
        ],
    )
    everyone_consents(team, pid)
    position = gov.close_proposal(pid, actor=team.ids["rosa"])
    assert gov.proposal(pid).outcome == "adopted"
    project = gov.project(team.project_id)
    lead = next(r for r in project.roles if r.name == "Public Contributor Lead")
    assert lead.holders == (team.ids["pam"],)
    assert project.charter["quorum"] == 0.75
    assert project.stage == "design"
    assert "Omar Vale" in {m.display_name for m in project.members}
    shifts = [e for e in gov.events_after(0, 1000) if "authority" in e.data]
    applied = shifts[-4:]
    assert [e.type for e in applied] == [
        "RoleAssigned",
        "CharterAmended",
        "MemberAdmitted",
        "StageEntered",
    ]
    assert all(e.data["authority"] == {"kind": "proposal", "ref": str(pid)} for e in applied)
    assert applied[-1].position == position


def test_objection_integrated_by_amendment(team: Team) -> None:
    gov = team.gov
    pid = table(team)
    gov.respond(pid, stance="consent", actor=team.ids["rosa"])
    gov.respond(pid, stance="object", reason="6pm clashes with care duties", actor=team.ids["pam"])
    gov.comment(pid, text="Could we alternate times?", actor=team.ids["nia"])
    gov.amend_proposal(
        pid,
        text="We meet online, alternating Tuesday 6pm and Thursday 11am.",
        actor=team.ids["rosa"],
    )
    assert [r.member_id for r in gov.proposal(pid).responses] == [team.ids["pam"]]
    gov.withdraw_objection(pid, actor=team.ids["pam"])
    everyone_consents(team, pid)
    gov.close_proposal(pid, actor=team.ids["nia"])
    record = gov.proposal(pid)
    assert record.outcome == "adopted"
    assert [a.text for a in record.amendments] == [
        "We meet online, alternating Tuesday 6pm and Thursday 11am."
    ]


def test_a_member_acting_beyond_their_authority_is_refused(team: Team) -> None:
    with pytest.raises(NotAuthorised):
        team.gov.admit_member(
            team.project_id, display_name="X", perspectives=["public"], actor=team.ids["pam"]
        )


BadCommand = Callable[[Team, Any], object]

BAD_COMMANDS: dict[str, tuple[BadCommand, type[GovernanceError]]] = {
    "unknown member proposing": (
        lambda t, p: t.gov.table_proposal(
            t.project_id, title="T", text="x", area="methods", actor="nobody"
        ),
        NotFound,
    ),
    "unknown project": (
        lambda t, p: t.gov.admit_member(
            "4b1c0e1e-0000-4000-8000-000000000000",
            display_name="X",
            perspectives=["public"],
            actor=t.ids["rosa"],
        ),
        NotFound,
    ),
    "malformed project id": (lambda t, p: t.gov.project("not-a-uuid"), NotFound),
    "non-member responding": (
        lambda t, p: t.gov.respond(p, stance="consent", actor="stranger"),
        NotAnElector,
    ),
    "objection without a reason": (
        lambda t, p: t.gov.respond(p, stance="object", actor=t.ids["pam"]),
        InvalidInput,
    ),
    "unknown stance": (
        lambda t, p: t.gov.respond(p, stance="veto", actor=t.ids["pam"]),
        InvalidInput,
    ),
    "empty title": (lambda t, p: table(t, title="   "), InvalidInput),
    "empty display name": (
        lambda t, p: t.gov.admit_member(
            t.project_id, display_name=" ", perspectives=["public"], actor=t.ids["rosa"]
        ),
        InvalidInput,
    ),
    "unknown perspective": (
        lambda t, p: t.gov.admit_member(
            t.project_id, display_name="Y", perspectives=["astrologer"], actor=t.ids["rosa"]
        ),
        InvalidInput,
    ),
    "power shift without authority": (
        lambda t, p: t.gov.define_role(t.project_id, name="Chair", actor=t.ids["nia"]),
        NotAuthorised,
    ),
    "leadership role without a proposal": (
        lambda t, p: t.gov.assign_role(
            t.project_id, "Facilitator", t.ids["pam"], actor=t.ids["rosa"]
        ),
        NotAuthorised,
    ),
    "charter change in a non-key proposal": (
        lambda t, p: table(
            t, key=False, actions=[{"type": "amend_charter", "changes": {"quorum": 0.9}}]
        ),
        InvalidInput,
    ),
    "bad charter at founding": (
        lambda t, p: t.gov.found_project(
            title="X", founder_name="Y", founder_perspectives=["public"], charter={"quorum": 2}
        ),
        InvalidInput,
    ),
    "duplicate role": (
        lambda t, p: t.gov.define_role(t.project_id, name="Facilitator", actor=t.ids["rosa"]),
        Conflict,
    ),
    "amending someone else's proposal": (
        lambda t, p: t.gov.amend_proposal(p, text="Mine now", actor=t.ids["pam"]),
        NotAuthorised,
    ),
    "closing before it is due": (
        lambda t, p: t.gov.close_proposal(p, actor=t.ids["pam"]),
        GovernanceError,
    ),
    "comment by a non-member": (
        lambda t, p: t.gov.comment(p, text="hello", actor="stranger"),
        NotFound,
    ),
    "admission with no name in a proposal": (
        lambda t, p: table(t, actions=[{"type": "admit_member", "perspectives": ["public"]}]),
        InvalidInput,
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_COMMANDS))
def test_bad_input_gets_a_specific_error_and_records_nothing(team: Team, case: str) -> None:
    proposal_id = table(team)
    command, error = BAD_COMMANDS[case]
    before = team.gov.max_position()
    with pytest.raises(error):
        command(team, proposal_id)
    assert team.gov.max_position() == before


def test_responding_after_closing_is_refused_and_records_nothing(team: Team) -> None:
    pid = table(team)
    everyone_consents(team, pid)
    team.gov.close_proposal(pid, actor=team.ids["pam"])
    before = team.gov.max_position()
    with pytest.raises(ProposalNotOpen):
        team.gov.respond(pid, stance="object", reason="too late", actor=team.ids["pam"])
    assert team.gov.max_position() == before


def test_a_proposal_lapses_below_quorum_once_due(team: Team, clock: Clock) -> None:
    pid = table(team, key=False)
    team.gov.respond(pid, stance="consent", actor=team.ids["rosa"])
    clock.advance(days=8)
    team.gov.close_proposal(pid)
    assert team.gov.proposal(pid).outcome == "lapsed"


def test_a_member_who_left_is_not_an_elector_of_later_proposals(team: Team) -> None:
    team.gov.leave_project(team.project_id, actor=team.ids["nia"])
    pid = table(team)
    with pytest.raises(NotAnElector):
        team.gov.respond(pid, stance="consent", actor=team.ids["nia"])
    with pytest.raises(NotAMember):
        team.gov.leave_project(team.project_id, actor=team.ids["nia"])


def test_erasure_wipes_the_directory_and_keeps_names_out_of_events(team: Team) -> None:
    gov = team.gov
    pid = table(
        team,
        actions=[{"type": "admit_member", "display_name": "Zoe Quill", "perspectives": ["public"]}],
    )
    everyone_consents(team, pid)
    gov.close_proposal(pid, actor=team.ids["rosa"])
    assert gov.display_name(team.ids["pam"]) == "Pam Ode"
    gov.erase_member(team.project_id, team.ids["pam"], actor=team.ids["pam"])
    assert gov.display_name(team.ids["pam"]) == "erased member"
    assert "Pam Ode" not in json.dumps(list(gov.records.items()))  # the entry itself is wiped
    pam = next(m for m in gov.members(team.project_id) if m.member_id == team.ids["pam"])
    assert (pam.display_name, pam.erased) == ("erased member", True)
    trail = json.dumps([e.data for e in gov.events_after(0, 1000)])
    for name in ("Rosa Lind", "Pam Ode", "Carl Nye", "Nia Tate", "Zoe Quill"):
        assert name not in trail
    assert gov.events_after(0, 1000)[-1].type == "MemberErased"


def test_direct_decision_by_a_delegated_area_holder(team: Team) -> None:
    gov = team.gov
    pid = table(
        team,
        title="Nia runs recruitment",
        area="recruitment",
        actions=[{"type": "delegate_area", "area": "recruitment", "member_ids": [team.ids["nia"]]}],
    )
    everyone_consents(team, pid)
    gov.close_proposal(pid, actor=team.ids["rosa"])
    gov.record_decision(
        team.project_id,
        title="Recruit at the stroke club",
        text="...",
        area="recruitment",
        key=True,
        actor=team.ids["nia"],
    )
    rows = gov.decisions(team.project_id)
    direct = rows[-1]
    assert not direct.by_proposal
    assert direct.jointly_owned is False
    assert direct.failed_criteria == (
        "not_by_proposal",
        "no_public_participant",
        "no_researcher_participant",
    )
    with pytest.raises(NotAuthorised):
        gov.record_decision(
            team.project_id, title="X", text="...", area="budget", actor=team.ids["nia"]
        )


def test_snapshots_and_a_fresh_application_see_the_same_state(
    team: Team, database_url: str, clock: Clock
) -> None:
    gov = team.gov
    for i in range(60):  # 120 project events: past the snapshot interval of 100
        gov.define_role(team.project_id, name=f"Helper {i}", actor=team.ids["rosa"])
        gov.assign_role(team.project_id, f"Helper {i}", team.ids["pam"], actor=team.ids["rosa"])
    assert gov.snapshots is not None
    assert list(gov.snapshots.get(team.project_id))
    state = gov.project(team.project_id)
    assert gov.project(team.project_id, version=5).version == 5
    if database_url == "memory://":
        return
    fresh = open_governance(database_url, clock=clock)
    try:
        assert fresh.project(team.project_id) == state
    finally:
        fresh.close()


def test_names_given_for_admissions_that_did_not_happen_are_erased(team: Team) -> None:
    gov = team.gov
    pid = table(
        team,
        actions=[
            {"type": "admit_member", "display_name": "Zoe Private", "perspectives": ["public"]}
        ],
    )
    admitted_id = gov.proposal(pid).actions[0]["member_id"]
    assert gov.display_name(admitted_id) == "Zoe Private"
    gov.withdraw_proposal(pid, actor=team.ids["rosa"])
    assert gov.display_name(admitted_id) is None


def test_a_lost_race_for_a_snapshot_does_not_repeat_the_command(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the events are recorded, a failing snapshot must not make the command run again."""
    gov = team.gov
    assert gov.snapshots is not None

    def taken_already(*_: object, **__: object) -> None:
        raise IntegrityError("another process stored this snapshot first")

    monkeypatch.setattr(gov.snapshots, "put", taken_already)
    monkeypatch.setattr(gov, "snapshotting_intervals", {Project: 1})
    before = gov.max_position()
    gov.define_role(team.project_id, name="Scribe", actor=team.ids["rosa"])
    assert gov.max_position() == before + 1
    assert [r.name for r in gov.project(team.project_id).roles].count("Scribe") == 1


@pytest.mark.parametrize(
    "command",
    [
        lambda t: t.gov.found_project(
            title="Plan \ud800", founder_name="Ann", founder_perspectives=["public"]
        ),
        lambda t: t.gov.admit_member(
            t.project_id, display_name="Ann \udfff", perspectives=["public"], actor=t.ids["rosa"]
        ),
        lambda t: t.gov.admit_member(
            t.project_id, display_name="Ann", perspectives=["pub\ud800lic"], actor=t.ids["rosa"]
        ),
        lambda t: t.gov.define_role(t.project_id, name="Lead \ud83d", actor=t.ids["rosa"]),
    ],
)
def test_text_with_a_lone_surrogate_is_refused_and_nothing_recorded(
    team: Team, command: Callable[[Team], object]
) -> None:
    """A lone surrogate half is not a character: no event could be stored with one (the
    store failed with a UnicodeEncodeError, a server error) and no leaf written."""
    before = team.gov.max_position()
    with pytest.raises(InvalidInput):
        command(team)
    assert team.gov.max_position() == before
    team.gov.catch_up()  # the views and the log go on
