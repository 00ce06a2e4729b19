"""The Journal aggregate: a project's co-production log.

Governance records who decided what; the journal records how the team worked together
while it did: reflections on power and inclusion, the meetings where the dialogue went on,
what each contributor got back for their time (payments offered, claimed, paid or declined,
expenses, training, co-authorship), the support they were given, the ethics issues raised
and how each was resolved, the ethics reviews, declared interests, the impact the team saw,
and why a stage went ahead without public involvement. Evidence, in short, that a project
was co-produced, kept as it happened rather than reconstructed at the end.

One journal per project, apart from the Project aggregate so that writing in it never
contends with governance writes. Its id is derived from the project's (`Journal.id_for`),
so a command finds a project's journal without a look-up.

The journal is opened explicitly (`Journal.open`, event JournalOpened) rather than by its
first entry. Every entry is then an ordinary event of one shape, whichever comes first, and
the only creation event carries nothing but the project and who opened it. An application
that wants journals to appear lazily opens one in the same save as the first entry; two
writers racing to open the same journal collide on its first version, as any two writers do,
and the loser runs again and finds it open.

Members are named by id only: no event holds a name or contact details. Rules that need the
project (who is a member, who is a Facilitator) are checked against the Project each command
is given: the actor must be an active member; an entry about another member needs the
Facilitator role (members write as themselves, a Facilitator may record for anyone); every
member mentioned must be or have been on the project, since history about someone who has
left is still history. The aggregate keeps only what its rules need (the ethics issues and
whether each is resolved, and a count of entries); the record itself is the events.

Money is an integer count of the currency's minor units (pence, cents) with its ISO 4217
code in upper case; never a float.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from cogov.domain import clock
from cogov.domain.errors import Conflict, InvalidInput, NotAuthorised, NotFound
from cogov.domain.language import FACILITATOR, STAGES, SYSTEM
from cogov.domain.project import Project
from cogov.domain.text import clean_name, clean_reason, clean_text

# Fixed forever: changing it would lose every existing journal.
JOURNAL_NAMESPACE = UUID("71847ecf-b73c-436c-b5d2-62139f929ed1")

MAX_THEMES = 20
# The largest amount every JSON reader holds exactly (the log's canonical JSON among them).
MAX_AMOUNT_MINOR = 2**53 - 1
# How far past the recording clock a meeting's time may lie (clocks disagree a little).
HELD_AT_TOLERANCE = timedelta(minutes=5)
# Themes a team might start from; any short name will do.
SUGGESTED_THEMES: tuple[str, ...] = (
    "power",
    "inclusion",
    "accessibility",
    "relationships",
    "trust",
    "tension",
    "learning",
    "reciprocity",
)

_CURRENCY = re.compile(r"[A-Z]{3}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ReflectionScope(StrEnum):
    """Whose reflection: one member's own, or the team's together."""

    INDIVIDUAL = "individual"
    TEAM = "team"


class DialogueKind(StrEnum):
    MEETING = "meeting"
    WORKSHOP = "workshop"
    ONLINE = "online"
    OTHER = "other"


class RecognitionKind(StrEnum):
    """What a contributor got back, or was offered, for their part in the project."""

    PAYMENT_OFFERED = "payment_offered"
    PAYMENT_DECLINED = "payment_declined"
    PAYMENT_CLAIMED = "payment_claimed"
    PAYMENT_PAID = "payment_paid"
    EXPENSES_PAID = "expenses_paid"
    TRAINING = "training"
    CO_AUTHORSHIP = "co_authorship"
    ACKNOWLEDGEMENT = "acknowledgement"
    OTHER = "other"


# Money changing hands has an amount; declining may name the sum turned down or not; training
# or something else may have a value; co-authorship and acknowledgement are not money.
AMOUNT_REQUIRED: frozenset[RecognitionKind] = frozenset(
    {
        RecognitionKind.PAYMENT_OFFERED,
        RecognitionKind.PAYMENT_CLAIMED,
        RecognitionKind.PAYMENT_PAID,
        RecognitionKind.EXPENSES_PAID,
    }
)
AMOUNT_FORBIDDEN: frozenset[RecognitionKind] = frozenset(
    {RecognitionKind.CO_AUTHORSHIP, RecognitionKind.ACKNOWLEDGEMENT}
)


class SupportKind(StrEnum):
    TRAINING = "training"
    ACCESS_ADJUSTMENT = "access_adjustment"
    MENTORING = "mentoring"
    OTHER = "other"


class EthicsOutcome(StrEnum):
    """A research ethics committee's opinion."""

    FAVOURABLE = "favourable"
    FAVOURABLE_WITH_CONDITIONS = "favourable_with_conditions"
    FURTHER_INFORMATION = "further_information"
    UNFAVOURABLE = "unfavourable"
    NOT_REQUIRED = "not_required"


class ImpactKind(StrEnum):
    RESEARCH = "research"
    PRACTICE = "practice"
    POLICY = "policy"
    COMMUNITY = "community"
    PERSONAL = "personal"


class IssueStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


E = TypeVar("E", bound=StrEnum)


def _choice(kinds: type[E], value: object, what: str) -> E:
    if isinstance(value, str):
        try:
            return kinds(value)
        except ValueError:
            pass
    raise InvalidInput(
        f"unknown {what} {value!r}; expected one of {', '.join(k.value for k in kinds)}"
    )


def _stage(value: object) -> str:
    if not isinstance(value, str) or value not in STAGES:
        raise InvalidInput(f"unknown stage {value!r}; expected one of {', '.join(STAGES)}")
    return value


def _optional_name(value: object, what: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return clean_name(value, what)


def _optional_text(value: object, what: str) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return clean_text(value, what)


def _themes(values: object) -> list[str]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise InvalidInput("themes must be a list of names")
    if len(values) > MAX_THEMES:
        raise InvalidInput(f"themes must be at most {MAX_THEMES}")
    themes = [clean_name(v, "theme") for v in values]
    if len(set(themes)) != len(themes):
        raise InvalidInput("themes has duplicates")
    return themes


def _amount(amount_minor: object, currency: object) -> tuple[int | None, str | None]:
    if amount_minor is None and currency is None:
        return None, None
    if amount_minor is None:
        raise InvalidInput("a currency needs an amount")
    if currency is None:
        raise InvalidInput("an amount needs a currency")
    if type(amount_minor) is not int:
        raise InvalidInput("amount_minor must be a whole number of the currency's minor units")
    if amount_minor < 0:
        raise InvalidInput("amount_minor must not be negative")
    if amount_minor > MAX_AMOUNT_MINOR:
        raise InvalidInput(f"amount_minor must be at most {MAX_AMOUNT_MINOR}")
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
        raise InvalidInput("currency must be an ISO 4217 code of three upper-case letters")
    return amount_minor, currency


def _held_at(held_at: object, now: datetime) -> datetime:
    if not isinstance(held_at, datetime):
        raise InvalidInput("held_at must be a date and time")
    if held_at.tzinfo is None or held_at.utcoffset() is None:
        raise InvalidInput("held_at must include a time zone")
    try:
        held_at.astimezone(UTC)
    except OverflowError:
        raise InvalidInput("held_at is out of range") from None
    if held_at > now + HELD_AT_TOLERANCE:
        raise InvalidInput("held_at must not be in the future")
    return held_at


def _decided_on(value: object, now: datetime) -> str:
    if isinstance(value, datetime):
        raise InvalidInput("decided_on must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise InvalidInput("decided_on must be a date written YYYY-MM-DD")
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"decided_on {value!r} is not a date") from None
    if not isinstance(value, date):
        raise InvalidInput("decided_on must be a date written YYYY-MM-DD")
    # the recording clock's date in UTC may lag the committee's by a day
    if value > now.astimezone(UTC).date() + timedelta(days=1):
        raise InvalidInput("decided_on must not be in the future")
    return value.isoformat()


def _issue_id(value: object) -> str:
    if isinstance(value, str):
        try:
            return str(UUID(value))
        except ValueError:
            pass
    raise InvalidInput(f"issue_id must be a UUID, not {value!r}")


def _member_id(value: object, project: Project, what: str = "member_id") -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{what} must be a member id")
    if value not in project.members:
        raise NotFound(f"member {value} is not and never was on project {project.id}")
    return value


def _attendees(values: object, project: Project) -> list[str]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise InvalidInput("attendees must be a list of member ids")
    if not values:
        raise InvalidInput("attendees must name at least one member")
    attendees = [_member_id(v, project, "attendee") for v in values]
    if len(set(attendees)) != len(attendees):
        raise InvalidInput("attendees has duplicates")
    return attendees


class Journal(Aggregate):
    TOPIC = "cogov:Journal"

    class Event(Aggregate.Event):
        """Every event of a journal, stamped by the recording application's clock."""

        @staticmethod
        def create_timestamp() -> datetime:
            return clock.now()

    class Created(Event, Aggregate.Created):
        TOPIC = "cogov:Journal.Created"

    project_id: UUID
    issues: dict[str, str]  # ethics issue id -> IssueStatus value
    entries: int  # entries recorded since opening

    @staticmethod
    def id_for(project_id: UUID) -> UUID:
        """The id of a project's journal, the same on every call and in every process."""
        return uuid5(JOURNAL_NAMESPACE, str(project_id))

    @staticmethod
    def create_id(project_id: UUID) -> UUID:
        return Journal.id_for(project_id)

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def open(cls, project: Project, *, actor: str) -> Journal:
        """Open the project's journal: an active member, or cogov itself (SYSTEM) when it
        opens journals for projects founded before they existed."""
        if actor != SYSTEM:
            project.require_member(actor)
        return cls(project_id=project.id, actor=actor)

    class JournalOpened(Event, Aggregate.Created):
        TOPIC = "cogov:Journal.JournalOpened"
        project_id: UUID
        actor: str

    @event(JournalOpened)
    def __init__(self, project_id: UUID, actor: str) -> None:
        self.project_id = project_id
        self.issues = {}
        self.entries = 0

    # --- queries ----------------------------------------------------------------------

    def open_issues(self) -> list[str]:
        return [i for i, s in self.issues.items() if s == IssueStatus.OPEN]

    def resolved_issues(self) -> list[str]:
        return [i for i, s in self.issues.items() if s == IssueStatus.RESOLVED]

    # --- commands ---------------------------------------------------------------------

    def record_reflection(
        self,
        scope: object,
        text: str,
        *,
        themes: Sequence[str] = (),
        stage: str | None = None,
        project: Project,
        actor: str,
    ) -> None:
        """A member's own reflection, or one the team made together; at the project's
        current stage unless another is named."""
        self._require_writer(project, actor)
        self._reflection_recorded(
            scope=_choice(ReflectionScope, scope, "reflection scope").value,
            stage=_stage(project.stage if stage is None else stage),
            themes=_themes(themes),
            text=clean_text(text, "text"),
            actor=actor,
        )

    def record_dialogue(
        self,
        kind: object,
        held_at: datetime,
        attendees: Sequence[str],
        summary: str,
        *,
        project: Project,
        actor: str,
        now: datetime,
    ) -> None:
        """A meeting, workshop or other exchange that happened, and who took part. Any
        active member may record it, as the one who took the notes."""
        self._require_writer(project, actor)
        self._dialogue_recorded(
            kind=_choice(DialogueKind, kind, "dialogue kind").value,
            held_at=_held_at(held_at, now),
            attendees=_attendees(attendees, project),
            summary=clean_text(summary, "summary"),
            actor=actor,
        )

    def record_recognition(
        self,
        member_id: str,
        kind: object,
        *,
        amount_minor: int | None = None,
        currency: str | None = None,
        activity: str | None = None,
        note: str | None = None,
        project: Project,
        actor: str,
    ) -> None:
        """What a member got back for their contribution, or was offered.

        Payments offered, claimed and paid, and expenses paid, need an amount; co-authorship
        and acknowledgement take none; the others may have one. A declined payment needs no
        reason: the note is always optional.
        """
        self._require_writer(project, actor)
        self._require_about(project, actor, member_id)
        checked = _choice(RecognitionKind, kind, "recognition kind")
        amount, code = _amount(amount_minor, currency)
        if amount is None and checked in AMOUNT_REQUIRED:
            raise InvalidInput(f"{checked.value} needs an amount and a currency")
        if amount is not None and checked in AMOUNT_FORBIDDEN:
            raise InvalidInput(f"{checked.value} is not money and takes no amount")
        self._recognition_recorded(
            member_id=member_id,
            kind=checked.value,
            amount_minor=amount,
            currency=code,
            activity=_optional_name(activity, "activity"),
            note=clean_reason(note, "note"),
            actor=actor,
        )

    def record_support(
        self,
        member_id: str,
        kind: object,
        text: str,
        *,
        project: Project,
        actor: str,
    ) -> None:
        """Training, an access adjustment, mentoring or other support a member was given."""
        self._require_writer(project, actor)
        self._require_about(project, actor, member_id)
        self._support_recorded(
            member_id=member_id,
            kind=_choice(SupportKind, kind, "support kind").value,
            text=clean_text(text, "text"),
            actor=actor,
        )

    def raise_ethics_issue(
        self,
        issue_id: str,
        title: str,
        text: str,
        *,
        stage: str | None = None,
        project: Project,
        actor: str,
    ) -> None:
        """Any active member may raise an ethics issue (the caller allocates its id); at the
        project's current stage unless another is named."""
        self._require_writer(project, actor)
        issue_id = _issue_id(issue_id)
        if issue_id in self.issues:
            raise Conflict(f"ethics issue {issue_id} was already raised")
        self._ethics_issue_raised(
            issue_id=issue_id,
            title=clean_name(title, "title"),
            text=clean_text(text, "text"),
            stage=_stage(project.stage if stage is None else stage),
            actor=actor,
        )

    def resolve_ethics_issue(
        self, issue_id: str, how: str, *, project: Project, actor: str
    ) -> None:
        """Any active member may record how an open issue was resolved, once."""
        self._require_writer(project, actor)
        issue_id = _issue_id(issue_id)
        status = self.issues.get(issue_id)
        if status is None:
            raise NotFound(f"no ethics issue {issue_id} in this journal")
        if status == IssueStatus.RESOLVED:
            raise Conflict(f"ethics issue {issue_id} was already resolved")
        self._ethics_issue_resolved(issue_id=issue_id, how=clean_text(how, "how"), actor=actor)

    def record_ethics_review(
        self,
        committee: str,
        reference: str,
        outcome: object,
        decided_on: date | str,
        *,
        project: Project,
        actor: str,
        now: datetime,
    ) -> None:
        """A research ethics committee's opinion on the project, by its reference."""
        self._require_writer(project, actor)
        self._ethics_review_recorded(
            committee=clean_name(committee, "committee"),
            reference=clean_name(reference, "reference"),
            outcome=_choice(EthicsOutcome, outcome, "ethics review outcome").value,
            decided_on=_decided_on(decided_on, now),
            actor=actor,
        )

    def declare_interest(
        self,
        text: str,
        *,
        member_id: str | None = None,
        project: Project,
        actor: str,
    ) -> None:
        """An interest a member declares: their own (the default), or another member's
        recorded by a Facilitator. The journal records it; it judges nothing."""
        member = actor if member_id is None else member_id
        self._require_writer(project, actor)
        self._require_about(project, actor, member)
        self._interest_declared(member_id=member, text=clean_text(text, "text"), actor=actor)

    def record_impact(
        self,
        kind: object,
        text: str,
        *,
        evidence: str | None = None,
        project: Project,
        actor: str,
    ) -> None:
        """An impact the team saw, on research, practice, policy, a community or a person."""
        self._require_writer(project, actor)
        self._impact_recorded(
            kind=_choice(ImpactKind, kind, "impact kind").value,
            text=clean_text(text, "text"),
            evidence=_optional_text(evidence, "evidence"),
            actor=actor,
        )

    def justify_involvement(self, stage: str, reason: str, *, project: Project, actor: str) -> None:
        """Why a stage went ahead without public involvement."""
        self._require_writer(project, actor)
        self._involvement_justified(
            stage=_stage(stage), reason=clean_text(reason, "reason"), actor=actor
        )

    # --- internals --------------------------------------------------------------------

    def _require_writer(self, project: Project, actor: str) -> None:
        """The project is this journal's and the actor an active member of it."""
        if Journal.id_for(project.id) != self.id:
            raise InvalidInput("the journal belongs to another project")
        project.require_member(actor)

    @staticmethod
    def _require_about(project: Project, actor: str, member_id: object) -> None:
        """An entry about a member names someone who is or was on the project, and one about
        another member than the actor is written by a Facilitator."""
        _member_id(member_id, project)
        if member_id != actor and FACILITATOR not in project.roles_of(actor):
            raise NotAuthorised(
                "members record entries about themselves; only a Facilitator may record one "
                "about another member"
            )

    # --- events -----------------------------------------------------------------------

    class ReflectionRecorded(Event):
        TOPIC = "cogov:Journal.ReflectionRecorded"
        scope: str
        stage: str
        themes: list[str]
        text: str
        actor: str

    @event(ReflectionRecorded)
    def _reflection_recorded(
        self, scope: str, stage: str, themes: list[str], text: str, actor: str
    ) -> None:
        self.entries += 1

    class DialogueRecorded(Event):
        TOPIC = "cogov:Journal.DialogueRecorded"
        kind: str
        held_at: datetime
        attendees: list[str]
        summary: str
        actor: str

    @event(DialogueRecorded)
    def _dialogue_recorded(
        self, kind: str, held_at: datetime, attendees: list[str], summary: str, actor: str
    ) -> None:
        self.entries += 1

    class RecognitionRecorded(Event):
        TOPIC = "cogov:Journal.RecognitionRecorded"
        member_id: str
        kind: str
        amount_minor: int | None
        currency: str | None
        activity: str | None
        note: str | None
        actor: str

    @event(RecognitionRecorded)
    def _recognition_recorded(
        self,
        member_id: str,
        kind: str,
        amount_minor: int | None,
        currency: str | None,
        activity: str | None,
        note: str | None,
        actor: str,
    ) -> None:
        self.entries += 1

    class SupportRecorded(Event):
        TOPIC = "cogov:Journal.SupportRecorded"
        member_id: str
        kind: str
        text: str
        actor: str

    @event(SupportRecorded)
    def _support_recorded(self, member_id: str, kind: str, text: str, actor: str) -> None:
        self.entries += 1

    class EthicsIssueRaised(Event):
        TOPIC = "cogov:Journal.EthicsIssueRaised"
        issue_id: str
        title: str
        text: str
        stage: str
        actor: str

    @event(EthicsIssueRaised)
    def _ethics_issue_raised(
        self, issue_id: str, title: str, text: str, stage: str, actor: str
    ) -> None:
        self.issues[issue_id] = IssueStatus.OPEN.value
        self.entries += 1

    class EthicsIssueResolved(Event):
        TOPIC = "cogov:Journal.EthicsIssueResolved"
        issue_id: str
        how: str
        actor: str

    @event(EthicsIssueResolved)
    def _ethics_issue_resolved(self, issue_id: str, how: str, actor: str) -> None:
        self.issues[issue_id] = IssueStatus.RESOLVED.value
        self.entries += 1

    class EthicsReviewRecorded(Event):
        TOPIC = "cogov:Journal.EthicsReviewRecorded"
        committee: str
        reference: str
        outcome: str
        decided_on: str
        actor: str

    @event(EthicsReviewRecorded)
    def _ethics_review_recorded(
        self, committee: str, reference: str, outcome: str, decided_on: str, actor: str
    ) -> None:
        self.entries += 1

    class InterestDeclared(Event):
        TOPIC = "cogov:Journal.InterestDeclared"
        member_id: str
        text: str
        actor: str

    @event(InterestDeclared)
    def _interest_declared(self, member_id: str, text: str, actor: str) -> None:
        self.entries += 1

    class ImpactRecorded(Event):
        TOPIC = "cogov:Journal.ImpactRecorded"
        kind: str
        text: str
        evidence: str | None
        actor: str

    @event(ImpactRecorded)
    def _impact_recorded(self, kind: str, text: str, evidence: str | None, actor: str) -> None:
        self.entries += 1

    class InvolvementJustified(Event):
        TOPIC = "cogov:Journal.InvolvementJustified"
        stage: str
        reason: str
        actor: str

    @event(InvolvementJustified)
    def _involvement_justified(self, stage: str, reason: str, actor: str) -> None:
        self.entries += 1
