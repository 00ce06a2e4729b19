"""The Journal aggregate: the co-production log's entries, who may write them, and replay."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import CanMutateAggregate
from eventsourcing.utils import get_topic
from hypothesis import given
from hypothesis import strategies as st

from cogov.domain import (
    Conflict,
    InvalidInput,
    Journal,
    NotAMember,
    NotAuthorised,
    NotFound,
    Project,
    RecognitionKind,
)
from cogov.domain.journal import (
    AMOUNT_FORBIDDEN,
    AMOUNT_REQUIRED,
    HELD_AT_TOLERANCE,
    MAX_AMOUNT_MINOR,
    MAX_THEMES,
)
from cogov.domain.language import INSTANCE_ADMIN, STAGES, SYSTEM
from cogov.domain.text import MAX_NAME, MAX_REASON

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MET = NOW - timedelta(days=3)


def team() -> Project:
    """ana founds (Facilitator); pat, raj and sue join; lee joins and leaves; aud audits."""
    project = Project.found(
        title="Living well with COPD", founder_id="ana", founder_perspectives=["researcher"]
    )
    for member, perspective in [("pat", "public"), ("raj", "practitioner"), ("sue", "public")]:
        project.admit_member(member, [perspective], actor="ana")
    project.admit_member("lee", ["public"], actor="ana")
    project.leave(actor="lee")
    project.add_auditor("aud", expires_at=NOW + timedelta(days=30), now=NOW, actor="ana")
    return project


def opened(project: Project | None = None) -> tuple[Project, Journal]:
    project = project or team()
    return project, Journal.open(project, actor="ana")


def recognise(journal: Journal, project: Project, **kwargs: object) -> None:
    args: dict[str, object] = {
        "member_id": "pat",
        "kind": "payment_offered",
        "amount_minor": 2500,
        "currency": "GBP",
        "project": project,
        "actor": "ana",
    }
    args.update(kwargs)
    journal.record_recognition(**args)  # type: ignore[arg-type]


def one_of_each(journal: Journal, project: Project) -> str:
    """Every kind of entry once (as ana, the Facilitator); returns the ethics issue's id."""
    issue = str(uuid4())
    journal.record_reflection(
        "team", "Who sets the agenda?", themes=["power"], project=project, actor="ana"
    )
    journal.record_dialogue(
        "workshop",
        MET,
        ["ana", "pat"],
        "Mapped the care pathway",
        project=project,
        actor="ana",
        now=NOW,
    )
    recognise(journal, project)
    journal.record_support(
        "pat", "access_adjustment", "Papers in large print", project=project, actor="ana"
    )
    journal.raise_ethics_issue(
        issue, "Consent in care homes", "Capacity varies", project=project, actor="pat"
    )
    journal.resolve_ethics_issue(issue, "Consultee process", project=project, actor="ana")
    journal.record_ethics_review(
        "South Central REC",
        "26/SC/0001",
        "favourable",
        "2026-02-20",
        project=project,
        actor="ana",
        now=NOW,
    )
    journal.declare_interest("Sits on the charity's board", project=project, actor="raj")
    journal.record_impact(
        "practice", "Clinic letters rewritten", evidence="Audit 2026", project=project, actor="sue"
    )
    journal.justify_involvement("funding", "The call gave five days", project=project, actor="ana")
    return issue


# --- the journal's id and opening ---------------------------------------------------------


def test_a_projects_journal_id_is_fixed_by_the_project_alone() -> None:
    project, journal = opened()
    assert journal.id == Journal.id_for(project.id) == Journal.id_for(project.id)
    assert journal.project_id == project.id
    assert Journal.id_for(uuid4()) != journal.id
    # pinned: a changed namespace would lose every journal already recorded
    pinned = Journal.id_for(UUID("00000000-0000-0000-0000-000000000001"))
    assert pinned == UUID("4de2c70c-627e-5bf3-bfd1-be4da7c28b1d")


def test_opening_records_only_the_project_and_who_opened_it() -> None:
    project, journal = opened()
    (event,) = journal.collect_events()
    assert type(event).__name__ == "JournalOpened"
    assert event.project_id == project.id  # type: ignore[attr-defined]
    assert event.actor == "ana"  # type: ignore[attr-defined]
    assert journal.issues == {} and journal.entries == 0


def test_who_may_open_a_journal() -> None:
    project = team()
    assert Journal.open(project, actor="pat").id == Journal.id_for(project.id)
    assert Journal.open(project, actor=SYSTEM).id == Journal.id_for(project.id)
    with pytest.raises(NotFound):
        Journal.open(project, actor="aud")
    with pytest.raises(NotAMember):
        Journal.open(project, actor="lee")


# --- who may write --------------------------------------------------------------------------

WRITES: dict[str, Callable[[Journal, Project, str], None]] = {
    "reflection": lambda j, p, a: j.record_reflection("individual", "T", project=p, actor=a),
    "dialogue": lambda j, p, a: j.record_dialogue(
        "meeting", MET, ["pat"], "S", project=p, actor=a, now=NOW
    ),
    "recognition": lambda j, p, a: j.record_recognition(a, "acknowledgement", project=p, actor=a),
    "support": lambda j, p, a: j.record_support(a, "mentoring", "T", project=p, actor=a),
    "issue": lambda j, p, a: j.raise_ethics_issue(str(uuid4()), "T", "T", project=p, actor=a),
    "review": lambda j, p, a: j.record_ethics_review(
        "REC", "R1", "not_required", date(2026, 1, 5), project=p, actor=a, now=NOW
    ),
    "interest": lambda j, p, a: j.declare_interest("T", project=p, actor=a),
    "impact": lambda j, p, a: j.record_impact("personal", "T", project=p, actor=a),
    "involvement": lambda j, p, a: j.justify_involvement("design", "T", project=p, actor=a),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
@pytest.mark.parametrize(
    ("actor", "error"),
    [("aud", NotFound), (INSTANCE_ADMIN, NotFound), ("nobody", NotFound), ("lee", NotAMember)],
    ids=["an auditor", "the instance admin", "a stranger", "a member who left"],
)
def test_only_active_members_write_in_the_journal(
    write: Callable[[Journal, Project, str], None], actor: str, error: type[Exception]
) -> None:
    project, journal = opened()
    journal.collect_events()
    with pytest.raises(error):
        write(journal, project, actor)
    assert journal.collect_events() == []
    write(journal, project, "pat")
    assert len(journal.collect_events()) == 1


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_journal_takes_only_its_own_projects_word(
    write: Callable[[Journal, Project, str], None],
) -> None:
    _, journal = opened()
    with pytest.raises(InvalidInput, match="another project"):
        write(journal, team(), "pat")


ABOUT_A_MEMBER: dict[str, Callable[[Journal, Project, str, str], None]] = {
    "recognition": lambda j, p, m, a: j.record_recognition(
        m, "payment_declined", project=p, actor=a
    ),
    "support": lambda j, p, m, a: j.record_support(m, "training", "T", project=p, actor=a),
    "interest": lambda j, p, m, a: j.declare_interest("T", member_id=m, project=p, actor=a),
}


@pytest.mark.parametrize("write", ABOUT_A_MEMBER.values(), ids=ABOUT_A_MEMBER.keys())
def test_members_write_as_themselves_and_a_facilitator_for_anyone(
    write: Callable[[Journal, Project, str, str], None],
) -> None:
    project, journal = opened()
    journal.collect_events()
    with pytest.raises(NotAuthorised, match="Facilitator"):
        write(journal, project, "sue", "pat")
    write(journal, project, "pat", "pat")
    write(journal, project, "sue", "ana")
    write(journal, project, "lee", "ana")  # history about someone who has left
    with pytest.raises(NotFound):
        write(journal, project, "nobody", "ana")
    with pytest.raises(NotFound):
        write(journal, project, "aud", "ana")  # an auditor was never a member
    with pytest.raises(InvalidInput, match="member id"):
        write(journal, project, ["pat"], "ana")  # type: ignore[arg-type]
    events = journal.collect_events()
    assert [(e.member_id, e.actor) for e in events] == [  # type: ignore[attr-defined]
        ("pat", "pat"),
        ("sue", "ana"),
        ("lee", "ana"),
    ]


def test_a_facilitator_who_gives_up_the_role_writes_only_about_themselves() -> None:
    project, journal = opened()
    recognise(journal, project, member_id="sue", actor="ana")
    project.relinquish_role("Facilitator", "ana", actor="ana")
    with pytest.raises(NotAuthorised):
        recognise(journal, project, member_id="sue", actor="ana")
    recognise(journal, project, member_id="ana", actor="ana")


def test_an_interest_is_the_declarers_own_unless_another_is_named() -> None:
    project, journal = opened()
    journal.collect_events()
    journal.declare_interest("Paid adviser to a device maker", project=project, actor="raj")
    (event,) = journal.collect_events()
    assert (event.member_id, event.actor) == ("raj", "raj")  # type: ignore[attr-defined]


# --- reflections ----------------------------------------------------------------------------


def test_a_reflection_is_at_the_projects_stage_unless_another_is_named() -> None:
    project, journal = opened()
    journal.collect_events()
    journal.record_reflection("individual", "  I held back  ", project=project, actor="pat")
    journal.record_reflection(
        "team",
        "T",
        themes=[" power ", "inclusion"],
        stage="design",
        project=project,
        actor="ana",
    )
    first, second = journal.collect_events()
    assert first.stage == "priority_setting" == project.stage  # type: ignore[attr-defined]
    assert first.text == "I held back" and first.themes == []  # type: ignore[attr-defined]
    assert second.stage == "design"  # type: ignore[attr-defined]
    assert second.themes == ["power", "inclusion"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scope": "solo"}, "unknown reflection scope"),
        ({"scope": 1}, "unknown reflection scope"),
        ({"scope": None}, "unknown reflection scope"),
        ({"text": "   "}, "text must not be empty"),
        ({"stage": "astrology"}, "unknown stage"),
        ({"stage": ""}, "unknown stage"),
        ({"themes": "power"}, "list of names"),
        ({"themes": ["power", "power"]}, "duplicates"),
        ({"themes": ["power", " "]}, "theme must not be empty"),
        ({"themes": ["x" * (MAX_NAME + 1)]}, "at most"),
        ({"themes": [f"t{i}" for i in range(MAX_THEMES + 1)]}, "at most 20"),
        ({"themes": [3]}, "theme must not be empty"),
    ],
)
def test_bad_reflections_are_refused(kwargs: dict[str, object], message: str) -> None:
    project, journal = opened()
    args: dict[str, object] = {"scope": "team", "text": "T", "project": project, "actor": "ana"}
    args.update(kwargs)
    with pytest.raises(InvalidInput, match=message):
        journal.record_reflection(**args)  # type: ignore[arg-type]


def test_twenty_themes_is_enough() -> None:
    project, journal = opened()
    themes = [f"theme {i}" for i in range(MAX_THEMES)]
    journal.record_reflection("team", "T", themes=themes, project=project, actor="ana")


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_can_be_named(stage: str) -> None:
    project, journal = opened()
    journal.record_reflection("team", "T", stage=stage, project=project, actor="ana")
    journal.justify_involvement(stage, "R", project=project, actor="ana")


# --- dialogue -------------------------------------------------------------------------------


def dialogue(journal: Journal, project: Project, **kwargs: object) -> None:
    args: dict[str, object] = {
        "kind": "meeting",
        "held_at": MET,
        "attendees": ["ana", "pat"],
        "summary": "Agreed the interview guide",
        "project": project,
        "actor": "pat",
        "now": NOW,
    }
    args.update(kwargs)
    journal.record_dialogue(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"kind": "party"}, InvalidInput, "unknown dialogue kind"),
        ({"held_at": NOW + HELD_AT_TOLERANCE + timedelta(seconds=1)}, InvalidInput, "future"),
        ({"held_at": NOW + timedelta(days=7)}, InvalidInput, "future"),
        ({"held_at": datetime(2026, 3, 1, 9, 0)}, InvalidInput, "time zone"),
        ({"held_at": "2026-03-01T09:00:00Z"}, InvalidInput, "date and time"),
        ({"held_at": date(2026, 3, 1)}, InvalidInput, "date and time"),
        ({"attendees": []}, InvalidInput, "at least one"),
        ({"attendees": ["pat", "ana", "pat"]}, InvalidInput, "duplicates"),
        ({"attendees": "pat"}, InvalidInput, "list of member ids"),
        ({"attendees": ["pat", "nobody"]}, NotFound, "nobody"),
        ({"attendees": ["pat", "aud"]}, NotFound, "aud"),
        ({"attendees": ["pat", None]}, InvalidInput, "attendee must be a member id"),
        ({"summary": ""}, InvalidInput, "summary must not be empty"),
    ],
)
def test_bad_dialogues_are_refused(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    project, journal = opened()
    journal.collect_events()
    with pytest.raises(error, match=message):
        dialogue(journal, project, **kwargs)
    assert journal.collect_events() == []


def test_a_dialogue_names_its_attendees_by_id_and_keeps_its_time() -> None:
    project, journal = opened()
    journal.collect_events()
    held_at = datetime(2026, 3, 1, 18, 30, tzinfo=timezone(timedelta(hours=1)))
    dialogue(journal, project, held_at=held_at, attendees=["pat", "lee", "ana"], actor="sue")
    dialogue(journal, project, held_at=NOW + HELD_AT_TOLERANCE)  # clocks disagree a little
    event = journal.collect_events()[0]
    assert event.attendees == ["pat", "lee", "ana"]  # type: ignore[attr-defined]
    assert event.held_at == held_at and event.kind == "meeting"  # type: ignore[attr-defined]
    assert event.actor == "sue"  # type: ignore[attr-defined]


# --- recognition ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "bonus"}, "unknown recognition kind"),
        ({"kind": "PAYMENT_PAID"}, "unknown recognition kind"),
        ({"amount_minor": -1}, "negative"),
        ({"amount_minor": MAX_AMOUNT_MINOR + 1}, "at most"),
        ({"amount_minor": 25.0}, "whole number"),
        ({"amount_minor": "2500"}, "whole number"),
        ({"amount_minor": True}, "whole number"),
        ({"amount_minor": None}, "currency needs an amount"),
        ({"currency": None}, "amount needs a currency"),
        ({"currency": "gbp"}, "ISO 4217"),
        ({"currency": "GB"}, "ISO 4217"),
        ({"currency": "GBPS"}, "ISO 4217"),
        ({"currency": "£££"}, "ISO 4217"),
        ({"currency": "ÉUR"}, "ISO 4217"),
        ({"currency": "GBP\n"}, "ISO 4217"),
        ({"currency": 826}, "ISO 4217"),
        ({"amount_minor": None, "currency": None}, "needs an amount"),
        ({"kind": "payment_paid", "amount_minor": None, "currency": None}, "needs an amount"),
        ({"kind": "expenses_paid", "amount_minor": None, "currency": None}, "needs an amount"),
        ({"kind": "co_authorship"}, "takes no amount"),
        ({"kind": "acknowledgement"}, "takes no amount"),
        ({"note": "x" * (MAX_REASON + 1)}, "note must be at most"),
        ({"activity": "x" * (MAX_NAME + 1)}, "activity must be at most"),
    ],
)
def test_bad_recognitions_are_refused(kwargs: dict[str, object], message: str) -> None:
    project, journal = opened()
    journal.collect_events()
    with pytest.raises(InvalidInput, match=message):
        recognise(journal, project, **kwargs)
    assert journal.collect_events() == []


def test_money_kinds_need_an_amount_and_not_money_kinds_take_none() -> None:
    assert {k.value for k in AMOUNT_REQUIRED} == {
        "payment_offered",
        "payment_claimed",
        "payment_paid",
        "expenses_paid",
    }
    assert {k.value for k in AMOUNT_FORBIDDEN} == {"co_authorship", "acknowledgement"}
    project, journal = opened()
    for kind in set(RecognitionKind) - AMOUNT_REQUIRED:
        recognise(journal, project, kind=kind.value, amount_minor=None, currency=None)
    for kind in set(RecognitionKind) - AMOUNT_FORBIDDEN:
        recognise(journal, project, kind=kind.value, amount_minor=0, currency="EUR")


def test_a_payment_may_be_declined_without_a_reason() -> None:
    project, journal = opened()
    journal.collect_events()
    journal.record_recognition("pat", "payment_declined", project=project, actor="pat")
    journal.record_recognition(
        "pat",
        "payment_declined",
        amount_minor=2500,
        currency="GBP",
        note="   ",
        project=project,
        actor="pat",
    )
    first, second = journal.collect_events()
    assert first.kind == "payment_declined"  # type: ignore[attr-defined]
    for e in (first, second):
        assert e.note is None and e.activity is None  # type: ignore[attr-defined]
    assert (first.amount_minor, first.currency) == (None, None)  # type: ignore[attr-defined]
    assert (second.amount_minor, second.currency) == (2500, "GBP")  # type: ignore[attr-defined]


@given(
    amount=st.integers(min_value=0, max_value=MAX_AMOUNT_MINOR),
    currency=st.from_regex(r"\A[A-Z]{3}\Z"),
    kind=st.sampled_from(sorted(set(RecognitionKind) - AMOUNT_FORBIDDEN)),
)
def test_any_amount_in_minor_units_is_kept_exactly(
    amount: int, currency: str, kind: RecognitionKind
) -> None:
    project, journal = opened()
    journal.collect_events()
    recognise(journal, project, kind=kind, amount_minor=amount, currency=currency, activity="Panel")
    (event,) = journal.collect_events()
    assert type(event.amount_minor) is int  # type: ignore[attr-defined]
    assert event.amount_minor == amount and event.currency == currency  # type: ignore[attr-defined]
    assert event.kind == kind.value and event.activity == "Panel"  # type: ignore[attr-defined]


@given(currency=st.text(max_size=5).filter(lambda c: not (len(c) == 3 and c.isupper())))
def test_only_three_upper_case_letters_are_a_currency(currency: str) -> None:
    project, journal = opened()
    with pytest.raises(InvalidInput, match="ISO 4217"):
        recognise(journal, project, currency=currency)


@given(amount=st.integers(max_value=-1))
def test_no_amount_is_negative(amount: int) -> None:
    project, journal = opened()
    with pytest.raises(InvalidInput, match="negative"):
        recognise(journal, project, amount_minor=amount)


# --- support, interests, impact, involvement ------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda j, p: j.record_support("pat", "coaching", "T", project=p, actor="ana"), "kind"),
        (lambda j, p: j.record_support("pat", "training", " ", project=p, actor="ana"), "text"),
        (lambda j, p: j.declare_interest("", project=p, actor="pat"), "text"),
        (lambda j, p: j.record_impact("fame", "T", project=p, actor="pat"), "impact kind"),
        (lambda j, p: j.record_impact("policy", "", project=p, actor="pat"), "text"),
        (
            lambda j, p: j.record_impact("policy", "T", evidence=7, project=p, actor="pat"),
            "evidence",
        ),
        (lambda j, p: j.justify_involvement("later", "R", project=p, actor="pat"), "stage"),
        (lambda j, p: j.justify_involvement("design", " ", project=p, actor="pat"), "reason"),
    ],
)
def test_bad_entries_are_refused(call: Callable[[Journal, Project], None], message: str) -> None:
    project, journal = opened()
    journal.collect_events()
    with pytest.raises(InvalidInput, match=message):
        call(journal, project)
    assert journal.collect_events() == []


def test_impact_evidence_is_optional() -> None:
    project, journal = opened()
    journal.collect_events()
    journal.record_impact("community", "A peer group formed", project=project, actor="pat")
    journal.record_impact("research", "T", evidence="  ", project=project, actor="pat")
    journal.record_impact("policy", "T", evidence=" Minutes ", project=project, actor="pat")
    assert [e.evidence for e in journal.collect_events()] == [  # type: ignore[attr-defined]
        None,
        None,
        "Minutes",
    ]


# --- ethics ---------------------------------------------------------------------------------


def test_an_ethics_issue_is_raised_once_and_resolved_once() -> None:
    project, journal = opened()
    issue = str(uuid4())
    with pytest.raises(NotFound):
        journal.resolve_ethics_issue(issue, "H", project=project, actor="ana")
    journal.raise_ethics_issue(issue, "Distress", "Interviews", project=project, actor="pat")
    assert journal.open_issues() == [issue] and journal.resolved_issues() == []
    with pytest.raises(Conflict, match="already raised"):
        journal.raise_ethics_issue(issue, "Again", "T", project=project, actor="sue")
    journal.resolve_ethics_issue(issue.upper(), "A support line", project=project, actor="sue")
    assert journal.open_issues() == [] and journal.resolved_issues() == [issue]
    with pytest.raises(Conflict, match="already resolved"):
        journal.resolve_ethics_issue(issue, "H", project=project, actor="ana")
    with pytest.raises(Conflict, match="already raised"):
        journal.raise_ethics_issue(issue, "Again", "T", project=project, actor="sue")
    raised, resolved = journal.collect_events()[1:]
    assert raised.stage == project.stage  # type: ignore[attr-defined]
    assert resolved.issue_id == issue and resolved.how == "A support line"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"issue_id": "issue-1"}, "UUID"),
        ({"issue_id": 7}, "UUID"),
        ({"title": ""}, "title must not be empty"),
        ({"title": "x" * (MAX_NAME + 1)}, "title must be at most"),
        ({"text": " "}, "text must not be empty"),
        ({"stage": "pilot"}, "unknown stage"),
    ],
)
def test_bad_ethics_issues_are_refused(kwargs: dict[str, object], message: str) -> None:
    project, journal = opened()
    args: dict[str, object] = {
        "issue_id": str(uuid4()),
        "title": "T",
        "text": "T",
        "stage": "delivery",
        "project": project,
        "actor": "pat",
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput, match=message):
        journal.raise_ethics_issue(**args)  # type: ignore[arg-type]
    assert journal.issues == {}


def test_resolving_needs_an_account_of_how() -> None:
    project, journal = opened()
    issue = str(uuid4())
    journal.raise_ethics_issue(issue, "T", "T", stage="delivery", project=project, actor="pat")
    with pytest.raises(InvalidInput, match="how"):
        journal.resolve_ethics_issue(issue, "  ", project=project, actor="pat")
    with pytest.raises(InvalidInput, match="UUID"):
        journal.resolve_ethics_issue("x", "H", project=project, actor="pat")
    assert journal.open_issues() == [issue]


@pytest.mark.parametrize(
    ("decided_on", "stored"),
    [("2026-02-20", "2026-02-20"), (date(2025, 12, 1), "2025-12-01"), ("2026-03-03", "2026-03-03")],
)
def test_an_ethics_review_keeps_its_date_as_iso_text(decided_on: object, stored: str) -> None:
    project, journal = opened()
    journal.collect_events()
    journal.record_ethics_review(
        " Wales REC 3 ",
        "26/WA/0042",
        "favourable_with_conditions",
        decided_on,  # type: ignore[arg-type]
        project=project,
        actor="ana",
        now=NOW,
    )
    (event,) = journal.collect_events()
    assert event.decided_on == stored  # type: ignore[attr-defined]
    assert event.committee == "Wales REC 3"  # type: ignore[attr-defined]
    assert event.outcome == "favourable_with_conditions"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"outcome": "approved"}, "unknown ethics review outcome"),
        ({"committee": ""}, "committee must not be empty"),
        ({"reference": " "}, "reference must not be empty"),
        ({"decided_on": "20260220"}, "YYYY-MM-DD"),
        ({"decided_on": "2026-W08-5"}, "YYYY-MM-DD"),
        ({"decided_on": "2026-02-30"}, "not a date"),
        ({"decided_on": "2026-03-04"}, "future"),
        ({"decided_on": NOW}, "not a date and time"),
        ({"decided_on": 20260220}, "YYYY-MM-DD"),
    ],
)
def test_bad_ethics_reviews_are_refused(kwargs: dict[str, object], message: str) -> None:
    project, journal = opened()
    args: dict[str, object] = {
        "committee": "REC",
        "reference": "R",
        "outcome": "favourable",
        "decided_on": "2026-02-20",
        "project": project,
        "actor": "ana",
        "now": NOW,
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput, match=message):
        journal.record_ethics_review(**args)  # type: ignore[arg-type]


# --- the record itself ----------------------------------------------------------------------

TOPICS = {
    "JournalOpened": "cogov:Journal.JournalOpened",
    "ReflectionRecorded": "cogov:Journal.ReflectionRecorded",
    "DialogueRecorded": "cogov:Journal.DialogueRecorded",
    "RecognitionRecorded": "cogov:Journal.RecognitionRecorded",
    "SupportRecorded": "cogov:Journal.SupportRecorded",
    "EthicsIssueRaised": "cogov:Journal.EthicsIssueRaised",
    "EthicsIssueResolved": "cogov:Journal.EthicsIssueResolved",
    "EthicsReviewRecorded": "cogov:Journal.EthicsReviewRecorded",
    "InterestDeclared": "cogov:Journal.InterestDeclared",
    "ImpactRecorded": "cogov:Journal.ImpactRecorded",
    "InvolvementJustified": "cogov:Journal.InvolvementJustified",
}

# The contract the application, the routes and the projections build on.
FIELDS = {
    "JournalOpened": {"project_id", "actor"},
    "ReflectionRecorded": {"scope", "stage", "themes", "text", "actor"},
    "DialogueRecorded": {"kind", "held_at", "attendees", "summary", "actor"},
    "RecognitionRecorded": {
        "member_id",
        "kind",
        "amount_minor",
        "currency",
        "activity",
        "note",
        "actor",
    },
    "SupportRecorded": {"member_id", "kind", "text", "actor"},
    "EthicsIssueRaised": {"issue_id", "title", "text", "stage", "actor"},
    "EthicsIssueResolved": {"issue_id", "how", "actor"},
    "EthicsReviewRecorded": {"committee", "reference", "outcome", "decided_on", "actor"},
    "InterestDeclared": {"member_id", "text", "actor"},
    "ImpactRecorded": {"kind", "text", "evidence", "actor"},
    "InvolvementJustified": {"stage", "reason", "actor"},
}
ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic"}


def test_event_topics_are_pinned() -> None:
    assert get_topic(Journal) == "cogov:Journal"
    for name, topic in TOPICS.items():
        assert get_topic(getattr(Journal, name)) == topic
    project, journal = opened()
    one_of_each(journal, project)
    recorded = {type(e).__name__: get_topic(type(e)) for e in journal.collect_events()}
    assert recorded == TOPICS


def test_events_carry_their_fields_an_actor_and_no_personal_data() -> None:
    project, journal = opened()
    one_of_each(journal, project)
    events = journal.collect_events()
    member_ids = set(project.members)
    for e in events:
        fields = set(vars(e)) - ENVELOPE
        assert fields == FIELDS[type(e).__name__]
        assert e.actor in member_ids  # type: ignore[attr-defined]
        for field in ("member_id", "attendees"):
            value = getattr(e, field, None)
            for member in [value] if isinstance(value, str) else value or []:
                assert member in member_ids
    # no field anywhere could hold a name or contact details
    every_field = set().union(*FIELDS.values())
    assert not {f for f in every_field if any(w in f for w in ("name", "email", "phone"))}
    for name in TOPICS:
        declared = {f.name for f in dataclasses.fields(getattr(Journal, name))}
        assert declared - ENVELOPE == FIELDS[name]


def test_rebuilding_from_the_events_gives_the_same_journal() -> None:
    project, journal = opened()
    issue = one_of_each(journal, project)
    other = str(uuid4())
    journal.raise_ethics_issue(other, "Data", "Who keeps the tapes", project=project, actor="ana")
    assert journal.issues == {issue: "resolved", other: "open"}
    assert journal.entries == 11
    rebuilt = replay(journal.collect_events())
    assert state(rebuilt) == state(journal)
    assert rebuilt.open_issues() == [other] and rebuilt.resolved_issues() == [issue]


def replay(events: Sequence[CanMutateAggregate[UUID]]) -> Journal:
    rebuilt: Journal | None = None
    for e in events:
        rebuilt = e.mutate(rebuilt)
    assert isinstance(rebuilt, Journal)
    return rebuilt


def state(journal: Journal) -> dict[str, object]:
    return {k: v for k, v in vars(journal).items() if k != "_pending_events"}


ENTRIES = st.sampled_from(["issue", "resolve", "reflection", "recognition", "dialogue"])


@given(steps=st.lists(ENTRIES, max_size=25))
def test_any_history_replays_to_the_same_state(steps: list[str]) -> None:
    project, journal = opened()
    for step in steps:
        if step == "issue":
            journal.raise_ethics_issue(str(uuid4()), "T", "T", project=project, actor="pat")
        elif step == "resolve" and journal.open_issues():
            issue = journal.open_issues()[0]
            journal.resolve_ethics_issue(issue, "H", project=project, actor="sue")
        else:
            WRITES[step if step != "resolve" else "impact"](journal, project, "pat")
    rebuilt = replay(journal.collect_events())
    assert state(rebuilt) == state(journal)
    assert rebuilt.version == 1 + len(steps)


def test_state_holds_only_immutable_values_inside_its_dicts() -> None:
    """The application copies an aggregate container by container; that is only valid when
    nothing mutable sits inside a top-level dict or list."""
    project, journal = opened()
    one_of_each(journal, project)
    journal.collect_events()
    before = copy.deepcopy(state(journal))
    clone: Journal = object.__new__(Journal)
    for name, value in vars(journal).items():
        clone.__dict__[name] = type(value)(value) if isinstance(value, dict | list) else value
    clone.raise_ethics_issue(str(uuid4()), "T", "T", project=project, actor="pat")
    clone.resolve_ethics_issue(clone.open_issues()[0], "H", project=project, actor="pat")
    assert state(journal) == before
    assert len(clone.issues) == len(journal.issues) + 1
    for value in vars(journal).values():
        if isinstance(value, dict):
            assert all(isinstance(v, str) for v in value.values())
