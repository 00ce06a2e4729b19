"""Project and Proposal aggregates: authority, freezing at tabling, and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cogov.domain import (
    Charter,
    Conflict,
    InvalidInput,
    NotAMember,
    NotAnElector,
    NotAuthorised,
    NotDue,
    NotFound,
    Outcome,
    Project,
    Proposal,
    ProposalNotOpen,
)
from cogov.domain.actions import MAX_GROUND_RULES, DelegateArea, EnterStage, RemoveMember
from cogov.domain.authority import Authority
from cogov.domain.text import MAX_REASON

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def team() -> Project:
    project = Project.found(
        title="Living well with COPD", founder_id="ana", founder_perspectives=["researcher"]
    )
    project.admit_member("pat", ["public"], actor="ana")
    project.admit_member("raj", ["practitioner", "researcher"], actor="ana")
    project.admit_member("sue", ["public"], actor="ana")
    return project


def table(project: Project, **kwargs: object) -> Proposal:
    args: dict[str, object] = {
        "proposer": "ana",
        "title": "Adopt ground rules",
        "text": "We listen, we share, we pay for time.",
        "area": "governance",
        "key": True,
        "now": NOW,
    }
    args.update(kwargs)
    return Proposal.table(project, **args)  # type: ignore[arg-type]


def test_the_founder_holds_the_facilitator_role_by_founding() -> None:
    project = team()
    assert project.roles_of("ana") == ["Facilitator"]
    founded = project.collect_events()[0]
    assert type(founded).__name__ == "ProjectFounded"
    assert founded.authority == {"kind": "founding", "ref": None}  # type: ignore[attr-defined]


def test_facilitator_admits_alone_but_others_cannot() -> None:
    project = team()
    with pytest.raises(NotAuthorised, match="admit_member"):
        project.admit_member("zed", ["public"], actor="pat")
    assert "zed" not in project.members


def test_a_leadership_role_needs_an_adopted_key_proposal() -> None:
    project = team()
    project.define_role("Public Contributor Lead", leadership=True, actor="ana")
    with pytest.raises(NotAuthorised, match="leadership"):
        project.assign_role("Public Contributor Lead", "pat", actor="ana")
    project.define_role("Note Taker", actor="ana")
    project.assign_role("Note Taker", "sue", actor="ana")
    assert project.roles["Note Taker"].holders == ("sue",)


def test_a_member_may_relinquish_their_own_role_and_leave() -> None:
    project = team()
    project.define_role("Note Taker", actor="ana")
    project.assign_role("Note Taker", "sue", actor="ana")
    project.relinquish_role("Note Taker", "sue", actor="sue")
    project.leave(actor="pat")
    assert project.members["pat"].status == "left"
    with pytest.raises(NotAMember):
        project.leave(actor="pat")


def test_charter_cannot_let_a_role_amend_the_charter_alone() -> None:
    with pytest.raises(InvalidInput, match="key proposal"):
        Charter.from_dict({"acting_alone": {"amend_charter": ["Facilitator"]}})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quorum": 1.5}, "quorum"),
        ({"key_rule": "dictator"}, "invalid charter"),
        ({"threshold": 0.4}, "threshold"),
        ({"colour": "red"}, "unknown charter field"),
        ({"response_window_days": 0}, "response_window_days"),
        ({"reflection_every_days": 0}, "reflection_every_days"),
        ({"reflection_every_days": 367}, "reflection_every_days"),
        ({"reflection_every_days": 14.5}, "reflection_every_days"),
        ({"reflection_every_days": True}, "reflection_every_days"),
        ({"results_hidden_until_close": "yes"}, "results_hidden_until_close"),
        ({"results_hidden_until_close": 1}, "results_hidden_until_close"),
    ],
)
def test_bad_charters_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Charter.from_dict(changes)


def test_the_reflection_schedule_and_hidden_results_are_off_unless_chosen() -> None:
    charter = Charter.from_dict({})
    assert charter.reflection_every_days is None and charter.results_hidden_until_close is False
    chosen = charter.amended({"reflection_every_days": 42, "results_hidden_until_close": True})
    assert chosen.to_dict()["reflection_every_days"] == 42
    assert Charter.from_dict(chosen.to_dict()) == chosen
    # a charter recorded before the options existed reads with them off
    old = {k: v for k, v in chosen.to_dict().items() if k in ("quorum", "key_rule")}
    assert Charter.from_dict(old).reflection_every_days is None
    assert chosen.amended({"reflection_every_days": None}).reflection_every_days is None


def test_a_proposal_freezes_electorate_and_charter() -> None:
    project = team()
    proposal = table(project)
    project.admit_member("new", ["public"], actor="ana")
    assert "new" not in proposal.electorate
    with pytest.raises(NotAnElector):
        proposal.respond("new", "consent", actor="new", now=NOW)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"title": "  "}, InvalidInput),
        ({"area": "astrology"}, InvalidInput),
        ({"proposer": "nobody"}, NotFound),
        (
            {"actions": [{"type": "amend_charter", "changes": {"quorum": 0.6}}], "key": False},
            InvalidInput,
        ),
        ({"actions": [{"type": "launch_rocket"}]}, InvalidInput),
        ({"actions": [{"type": "assign_role", "role": "Pilot", "member_id": "pat"}]}, NotFound),
        ({"closes_at": NOW - timedelta(days=1)}, InvalidInput),
    ],
)
def test_bad_proposals_are_refused(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        table(team(), **kwargs)


def test_responding_rules() -> None:
    proposal = table(team())
    with pytest.raises(InvalidInput, match="reason"):
        proposal.respond("pat", "object", actor="pat", now=NOW)
    with pytest.raises(InvalidInput, match="unknown stance"):
        proposal.respond("pat", "maybe", actor="pat", now=NOW)
    with pytest.raises(NotAuthorised, match="proxy"):
        proposal.respond("pat", "consent", actor="outsider", now=NOW)
    with pytest.raises(NotAuthorised, match="not appointed"):
        proposal.respond("pat", "consent", actor="sue", now=NOW)
    proposal.appoint_proxy("sue", actor="pat", now=NOW)
    proposal.respond("pat", "consent", actor="sue", now=NOW)  # the proxy pat appointed
    assert proposal.responses["pat"] == "consent"
    assert proposal.cast_by == {"pat": "sue"}


def test_amendment_voids_consents_and_keeps_objections() -> None:
    proposal = table(team())
    proposal.respond("pat", "consent", actor="pat", now=NOW)
    proposal.respond("sue", "object", "Pay rates are missing", actor="sue", now=NOW)
    proposal.amend("We listen, we share, we pay for time at NIHR rates.", actor="ana", now=NOW)
    assert "pat" not in proposal.responses
    assert proposal.responses["sue"] == "object"
    proposal.withdraw_objection("sue", actor="sue", now=NOW)
    assert proposal.responses["sue"] == "stand_aside"  # no longer blocking, still took part
    assert proposal.standing_objections() == {}


def test_withdrawing_an_objection_keeps_the_member_counted_for_quorum() -> None:
    proposal = table(team(), key=False)  # four electors; quorum one half
    proposal.respond("sue", "object", "Pay rates are missing", actor="sue", now=NOW)
    proposal.respond("pat", "consent", actor="pat", now=NOW)
    assert proposal.quorum_met()
    proposal.withdraw_objection("sue", actor="sue", now=NOW)
    assert proposal.quorum_met()  # sue still took part
    proposal.close(actor="ana", now=NOW + timedelta(days=30))
    assert proposal.outcome == Outcome.ADOPTED


def test_consents_and_stand_asides_keep_their_reasons() -> None:
    proposal = table(team())
    proposal.respond("pat", "consent", "It pays for our time", actor="pat", now=NOW)
    proposal.respond("sue", "stand_aside", "I cannot attend evenings", actor="sue", now=NOW)
    assert proposal.reasons == {"pat": "It pays for our time", "sue": "I cannot attend evenings"}


def test_closing_rules_and_outcome() -> None:
    proposal = table(team())
    proposal.respond("pat", "consent", actor="pat", now=NOW)
    with pytest.raises(NotDue):
        proposal.close(actor="pat", now=NOW)
    proposal.respond("ana", "consent", actor="ana", now=NOW)
    proposal.close(actor="ana", now=NOW)  # the proposer, once quorum is met
    assert proposal.outcome == Outcome.ADOPTED
    with pytest.raises(ProposalNotOpen):
        proposal.respond("sue", "consent", actor="sue", now=NOW)


def test_below_quorum_at_the_deadline_lapses() -> None:
    proposal = table(team())
    proposal.respond("pat", "consent", actor="pat", now=NOW)
    later = NOW + timedelta(days=8)
    with pytest.raises(ProposalNotOpen, match="responses closed"):
        proposal.respond("sue", "consent", actor="sue", now=later)
    proposal.close(actor="system", now=later)
    assert proposal.outcome == Outcome.LAPSED


def test_adopted_actions_take_effect_with_the_proposal_as_authority() -> None:
    project = team()
    project.define_role("Public Contributor Lead", leadership=True, actor="ana")
    proposal = table(
        project,
        actions=[{"type": "assign_role", "role": "Public Contributor Lead", "member_id": "pat"}],
    )
    for member in ("ana", "pat", "raj", "sue"):
        proposal.respond(member, "consent", actor=member, now=NOW)
    proposal.close(actor="ana", now=NOW)
    project.apply_adopted(proposal, actor="ana")
    assert "pat" in project.roles["Public Contributor Lead"].holders
    assigned = project.collect_events()[-1]
    assert assigned.authority == {"kind": "proposal", "ref": str(proposal.id)}  # type: ignore[attr-defined]


def test_an_action_that_no_longer_applies_is_recorded_not_applied() -> None:
    project = team()
    project.define_role("Public Contributor Lead", leadership=True, actor="ana")
    proposal = table(
        project,
        actions=[{"type": "assign_role", "role": "Public Contributor Lead", "member_id": "pat"}],
    )
    for member in ("ana", "pat", "raj", "sue"):
        proposal.respond(member, "consent", actor=member, now=NOW)
    proposal.close(actor="ana", now=NOW)
    project.leave(actor="pat")
    project.apply_adopted(proposal, actor="ana")
    last = project.collect_events()[-1]
    assert type(last).__name__ == "ActionNotApplied"
    assert "pat" not in project.roles["Public Contributor Lead"].holders


def test_a_rejected_proposal_changes_nothing() -> None:
    project = team()
    proposal = table(project, actions=[{"type": "enter_stage", "stage": "design"}])
    proposal.respond("pat", "object", "Too early", actor="pat", now=NOW)
    proposal.respond("ana", "consent", actor="ana", now=NOW)
    proposal.close(actor="ana", now=NOW)
    assert proposal.outcome == Outcome.REJECTED
    with pytest.raises(InvalidInput, match="adopted"):
        project.apply_adopted(proposal, actor="ana")
    assert project.stage == "priority_setting"


def test_delegations_for_one_stage_expire_when_a_later_stage_begins() -> None:
    project = team()
    # as an adopted key proposal would
    project._trigger(
        DelegateArea("recruitment", ("pat",), "design"), "ana", Authority.proposal("p1")
    )
    project.record_decision(
        decision_id="d1",
        title="Use GP surgeries",
        text="...",
        area="recruitment",
        key=False,
        actor="pat",
    )
    with pytest.raises(NotAuthorised):
        project.record_decision(
            decision_id="d2", title="x", text="...", area="recruitment", key=False, actor="sue"
        )
    with pytest.raises(Conflict):
        project.validate_action(EnterStage("priority_setting"))
    project._trigger(EnterStage("funding"), "ana", Authority.proposal("p2"))
    assert "recruitment" not in project.delegations


@given(
    later_changes=st.lists(
        st.sampled_from(["quorum", "rule", "admit", "leave"]), min_size=1, max_size=4
    ),
    stances=st.lists(
        st.sampled_from(["consent", "object", "abstain", "stand_aside"]), min_size=4, max_size=4
    ),
)
def test_outcome_never_depends_on_project_changes_after_tabling(
    later_changes: list[str], stances: list[str]
) -> None:
    def run(change: bool) -> str:
        project = team()
        proposal = table(project, text="Recruit through carers' groups")
        if change:
            for i, what in enumerate(later_changes):
                if what == "quorum":
                    project._charter_amended(
                        changes={"quorum": 1.0},
                        charter=project.charter.amended({"quorum": 1.0}).to_dict(),
                        actor="ana",
                        authority={"kind": "proposal", "ref": "x"},
                    )
                elif what == "rule":
                    project._charter_amended(
                        changes={"key_rule": "majority"},
                        charter=project.charter.amended({"key_rule": "majority"}).to_dict(),
                        actor="ana",
                        authority={"kind": "proposal", "ref": "x"},
                    )
                elif what == "admit":
                    project.admit_member(f"late{i}", ["public"], actor="ana")
                elif what == "leave" and project.is_active("sue"):
                    project.leave(actor="sue")
        for member, stance in zip(("ana", "pat", "raj", "sue"), stances, strict=True):
            proposal.respond(member, stance, "a reason", actor=member, now=NOW)
        proposal.close(actor="ana", now=NOW)
        return proposal.outcome

    assert run(change=False) == run(change=True)


def test_a_proxy_never_replaces_a_members_own_stance() -> None:
    proposal = table(team())
    proposal.appoint_proxy("ana", actor="pat", now=NOW)
    proposal.appoint_proxy("raj", actor="sue", now=NOW)
    proposal.respond("pat", "object", "Too fast", actor="pat", now=NOW)
    with pytest.raises(NotAuthorised, match="proxy"):
        proposal.respond("pat", "consent", actor="ana", now=NOW)
    proposal.respond("sue", "consent", actor="raj", now=NOW)  # sue had not responded
    proposal.respond("sue", "abstain", actor="raj", now=NOW)  # the same proxy may change it
    proposal.respond("sue", "object", "I disagree", actor="sue", now=NOW)  # and sue may too
    assert proposal.cast_by == {}
    assert proposal.responses == {"pat": "object", "sue": "object"}


def test_nobody_gives_themselves_a_perspective() -> None:
    project = team()
    with pytest.raises(NotAuthorised, match="themselves"):
        project.change_perspectives("ana", ["researcher", "public"], actor="ana")
    project.change_perspectives("raj", ["practitioner"], actor="raj")  # dropping one is fine
    project.change_perspectives("sue", ["public", "practitioner"], actor="ana")  # Facilitator
    with pytest.raises(NotAuthorised):
        project.change_perspectives("pat", ["public", "researcher"], actor="sue")
    assert project.members["sue"].perspectives == ("public", "practitioner")


def test_amending_or_withdrawing_objections_stops_at_the_deadline() -> None:
    proposal = table(team())
    proposal.respond("sue", "object", "No", actor="sue", now=NOW)
    later = NOW + timedelta(days=8)
    with pytest.raises(ProposalNotOpen):
        proposal.amend("Something else entirely", actor="ana", now=later)
    with pytest.raises(ProposalNotOpen):
        proposal.withdraw_objection("sue", actor="sue", now=later)


@pytest.mark.parametrize(
    "changes",
    [
        {"acting_alone": {"admit_member": "Facilitator"}},
        {"acting_alone": ["admit_member"]},
        {"required_perspectives": "public"},
        {"required_perspectives": ["public", ""]},
    ],
)
def test_charter_lists_must_be_lists_of_names(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidInput, match="charter"):
        Charter.from_dict(changes)


def test_a_delegation_cannot_end_in_a_stage_already_passed() -> None:
    project = team()
    project._trigger(EnterStage("delivery"), "ana", Authority.proposal("p"))
    with pytest.raises(InvalidInput, match="already passed"):
        project.validate_action(DelegateArea("recruitment", ("pat",), "design"))


def test_the_last_active_member_cannot_leave_or_be_removed() -> None:
    project = Project.found(title="Solo", founder_id="ana", founder_perspectives=["researcher"])
    with pytest.raises(Conflict, match="last active member"):
        project.leave(actor="ana")
    with pytest.raises(Conflict, match="last active member"):
        project.validate_action(RemoveMember("ana", "no one left"))
    project.admit_member("pat", ["public"], actor="ana")
    project.leave(actor="ana")
    assert list(project.active_members()) == ["pat"]


def test_a_copy_from_the_aggregate_cache_never_shares_mutable_state() -> None:
    import copy

    project = team()
    proposal = table(project)
    proposal.respond("pat", "object", "Too soon", actor="pat", now=NOW)
    for original in (project, proposal):
        original.collect_events()
    before = {id(o): copy.copy(vars(o)) for o in (project, proposal)}
    project_copy, proposal_copy = copy.deepcopy(project), copy.deepcopy(proposal)
    project_copy.admit_member("zed", ["public"], actor="ana")
    project_copy.define_role("Scribe", actor="ana")
    project_copy.leave(actor="pat")
    proposal_copy.respond("sue", "consent", actor="sue", now=NOW)
    proposal_copy.amend("New text", actor="ana", now=NOW)
    proposal_copy.withdraw_objection("pat", actor="pat", now=NOW)
    for original in (project, proposal):
        assert vars(original) == before[id(original)]
    assert "zed" in project_copy.members and "zed" not in project.members
    assert proposal.responses == {"pat": "object"}


def test_a_charter_names_only_roles_the_project_has() -> None:
    with pytest.raises(InvalidInput, match="Gatekeeper"):
        Project.found(
            title="T",
            founder_id="ana",
            founder_perspectives=["researcher"],
            charter=Charter.from_dict({"acting_alone": {"admit_member": ["Gatekeeper"]}}),
        )
    project = team()
    amendment = {"type": "amend_charter", "changes": {"acting_alone": {"define_role": ["Lead"]}}}
    with pytest.raises(InvalidInput, match="define the role first"):
        table(project, actions=[amendment])
    project.define_role("Lead", actor="ana")
    assert table(project, actions=[amendment]).actions == [amendment]


@pytest.mark.parametrize(
    "rules",
    [["x" * (MAX_REASON + 1)], ["Be kind"] * (MAX_GROUND_RULES + 1)],
    ids=["a rule too long", "too many rules"],
)
def test_ground_rules_have_limits(rules: list[str]) -> None:
    with pytest.raises(InvalidInput, match=r"ground rule|at most"):
        table(team(), actions=[{"type": "adopt_ground_rules", "rules": rules}])


@pytest.mark.parametrize("kind", [["assign_role"], {"t": 1}, 3, None])
def test_an_action_type_that_is_not_a_name_is_refused(kind: object) -> None:
    with pytest.raises(InvalidInput, match="unknown action type"):
        table(team(), actions=[{"type": kind}])


def test_names_in_lists_have_limits_too() -> None:
    with pytest.raises(InvalidInput, match="at most"):
        Project.found(title="T", founder_id="ana", founder_perspectives=["x" * 201])
    with pytest.raises(InvalidInput, match="at most"):
        Project.found(
            title="T",
            founder_id="ana",
            founder_perspectives=["public"],
            perspectives=["public", "y" * 201],
        )
