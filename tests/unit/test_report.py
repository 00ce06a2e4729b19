"""The report builder: every section, every value escaped, statements citing their events,
an erased member shown only as "erased member", and markup that parses back cleanly; the
co-production log's answers with their positions, silence said plainly when the log is
empty, and a declined payment never shown as a failing."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from uuid import UUID, uuid4

import pytest

from cogov.application.notes import Checkpoint
from cogov.application.records import EventRecord, MemberRecord, ProjectRecord, epoch_us
from cogov.application.report import (
    EXCERPT,
    ReportInput,
    css_string,
    el,
    esc,
    excerpt,
    money,
    ranges,
    report_html,
    share_change,
    stacked_bars,
)
from cogov.application.scorecard import Evidence, scorecard
from cogov.application.views import DecisionRow, JournalRow, MemberPower, MemberRow, PowerRow
from cogov.domain import Journal

ROSA, PAM, EVE = "a1" * 16, "b2" * 16, "c3" * 16
PROJECT = UUID("0f0e0d0c-0b0a-4908-8706-050403020100")
JOURNAL = Journal.id_for(PROJECT)
PROPOSAL = uuid4()
DIRECT = "d4" * 16
ISSUE = "5e5e5e5e-5e5e-4e5e-8e5e-5e5e5e5e5e5e"
HOSTILE = "<script>alert(\"x\")</script> & 'co'"
SECTIONS = (
    "about",
    "summary",
    "people",
    "activity",
    "influence",
    "power",
    "joint",
    "decisions",
    "log",
    "gripp2",
    "standards",
    "hra",
    "checking",
    "events",
)


def event(position: int, type: str, actor: str, data: dict[str, Any], **kw: Any) -> EventRecord:
    return EventRecord(
        position=position,
        type=type,
        aggregate_id=kw.get("aggregate", PROJECT),
        version=kw.get("version", position),
        recorded_at=f"2026-03-{position:02d}T10:00:00.000000Z",
        actor=actor,
        data=data,
    )


def decision(**kw: Any) -> DecisionRow:
    fields: dict[str, Any] = {
        "proposal_id": str(PROPOSAL),
        "project_id": str(PROJECT),
        "title": "<b>Meet</b> online",
        "area": "methods",
        "key": True,
        "stage": "priority_setting",
        "proposer": PAM,
        "proposer_perspectives": ["public"],
        "outcome": "adopted",
        "rule": "consent",
        "quorum": 0.5,
        "by_proposal": True,
        "jointly_owned": True,
        "failed_criteria": [],
        "flags": [],
        "electorate": {"public": 2, "researcher": 1},
        "participation": {"public": 2, "researcher": 1},
        "tally": {},
        "open_objections": 0,
        "withdrawn_objections": 1,
        "amendments": 1,
        "tabled_at": "2026-03-04T10:00:00.000000Z",
        "decided_at": "2026-03-09T10:00:00.000000Z",
        "time_to_decide_s": 432000.0,
        "position": 9,
    }
    return DecisionRow(**(fields | kw))


def moment(position: int) -> str:
    return f"2026-03-{position:02d}T10:00:00.000000Z"


def power(position: int, stage: str, public: float) -> PowerRow:
    shares: dict[str, float | None] = {
        "voting_power": public,
        "authority": 0.0,
        "influence": public,
    }
    other: dict[str, float | None] = {
        "voting_power": 1 - public,
        "authority": 1.0,
        "influence": 1 - public,
    }
    return PowerRow(
        project_id=str(PROJECT),
        position=position,
        version=position,
        as_of=moment(position),
        as_of_us=epoch_us(datetime.fromisoformat(moment(position))),
        stage=stage,
        shift="StageEntered",
        perspectives={"public": shares, "researcher": other},
        members=[MemberPower(ROSA, ["researcher"], 0.5, 1.0, 0.5, ["Facilitator"], [])],
        hhi={"voting_power": 5000.0, "authority": 10000.0, "influence": 5000.0},
        gini={"voting_power": 0.0, "authority": 0.5, "influence": 0.0},
    )


# The co-production log: (position, kind, event type, actor, data), recorded in March 2026.
LOG: list[tuple[int, str, str, str, dict[str, Any]]] = [
    (
        14,
        "reflection",
        "ReflectionRecorded",
        ROSA,
        {
            "scope": "team",
            "stage": "priority_setting",
            "themes": ["power"],
            "text": "We <listen> more than we did",
        },
    ),
    (
        15,
        "dialogue",
        "DialogueRecorded",
        PAM,
        {
            "kind": "workshop",
            "held_at": moment(5),
            "attendees": [ROSA, PAM, EVE],
            "summary": "Sorted <questions> into themes",
        },
    ),
    (16, "recognition", "RecognitionRecorded", PAM, {"member_id": PAM, "kind": "payment_declined"}),
    (
        17,
        "recognition",
        "RecognitionRecorded",
        ROSA,
        {"member_id": EVE, "kind": "payment_claimed", "amount_minor": 2500, "currency": "GBP"},
    ),
    (
        18,
        "recognition",
        "RecognitionRecorded",
        ROSA,
        {"member_id": EVE, "kind": "payment_paid", "amount_minor": 2500, "currency": "GBP"},
    ),
    (
        19,
        "support",
        "SupportRecorded",
        ROSA,
        {"member_id": PAM, "kind": "access_adjustment", "text": "Papers in <large> print"},
    ),
    (
        20,
        "ethics_review",
        "EthicsReviewRecorded",
        ROSA,
        {
            "committee": "City <REC>",
            "reference": "26/CR/1",
            "outcome": "favourable_with_conditions",
            "decided_on": "2026-03-19",
        },
    ),
    (
        21,
        "ethics_issue",
        "EthicsIssueRaised",
        PAM,
        {
            "issue_id": ISSUE,
            "title": "Distress <protocol>",
            "text": "x",
            "stage": "priority_setting",
        },
    ),
    (22, "ethics_resolution", "EthicsIssueResolved", ROSA, {"issue_id": ISSUE, "how": "Agreed"}),
    (23, "interest", "InterestDeclared", ROSA, {"member_id": ROSA, "text": "Advises a <firm>"}),
    (
        24,
        "impact",
        "ImpactRecorded",
        PAM,
        {"kind": "research", "text": "Survey <rewritten>", "evidence": None},
    ),
    (
        25,
        "involvement_justification",
        "InvolvementJustified",
        ROSA,
        {"stage": "design", "reason": "Booking <rooms> only"},
    ),
]


def journal_rows() -> list[JournalRow]:
    return [
        JournalRow(
            project_id=str(PROJECT),
            position=position,
            kind=kind,
            stage=data.get("stage"),
            members=tuple(m for m in [data.get("member_id"), *data.get("attendees", ())] if m),
            recorded_at=moment(position),
            actor=actor,
            data=data,
        )
        for position, kind, _, actor, data in LOG
    ]


def journal_events() -> list[EventRecord]:
    opened = event(13, "JournalOpened", ROSA, {"project_id": str(PROJECT)}, aggregate=JOURNAL)
    return [opened] + [
        event(position, type, actor, data, aggregate=JOURNAL, version=position - 12)
        for position, _, type, actor, data in LOG
    ]


def given(names: dict[str, str | None] | None = None, *, log: bool = True) -> ReportInput:
    proposal = {"aggregate": PROPOSAL}
    events = [
        event(
            1,
            "ProjectFounded",
            ROSA,
            {
                "title": HOSTILE,
                "founder_id": ROSA,
                "founder_perspectives": ["researcher"],
                "stage": "priority_setting",
            },
        ),
        event(2, "MemberAdmitted", ROSA, {"member_id": PAM, "perspectives": ["public"]}),
        event(3, "MemberAdmitted", ROSA, {"member_id": EVE, "perspectives": ["public"]}),
        event(
            4,
            "ProposalTabled",
            PAM,
            {
                "proposer": PAM,
                "title": "<b>Meet</b> online",
                "key": True,
                "area": "methods",
                "stage": "priority_setting",
            },
            version=1,
            **proposal,
        ),
        event(
            5,
            "ResponseGiven",
            EVE,
            {"member_id": EVE, "stance": "object", "reason": "Evenings <suit> carers"},
            version=2,
            **proposal,
        ),
        event(6, "ProposalAmended", PAM, {"text": "Alternate"}, version=3, **proposal),
        event(7, "ObjectionWithdrawn", EVE, {"member_id": EVE}, version=4, **proposal),
        event(
            8,
            "ResponseGiven",
            ROSA,
            {"member_id": ROSA, "stance": "consent"},
            version=5,
            **proposal,
        ),
        event(9, "ProposalClosed", ROSA, {"outcome": "adopted"}, version=6, **proposal),
        event(
            10,
            "StageEntered",
            ROSA,
            {"stage": "design", "authority": {"kind": "proposal", "ref": str(PROPOSAL)}},
        ),
        event(
            11,
            "DecisionRecordedDirectly",
            ROSA,
            {"decision_id": DIRECT, "title": "Book room 4", "area": "methods", "key": True},
        ),
        event(12, "MemberErased", ROSA, {"member_id": EVE}),
        *(journal_events() if log else ()),
    ]
    members = (
        MemberRecord(ROSA, "Rosa", ("researcher",), "active", False, ("Facilitator",), ()),
        MemberRecord(PAM, "Pam", ("public",), "active", False, (), ()),
        MemberRecord(EVE, "erased member", ("public",), "active", True, (), ()),
    )
    project = ProjectRecord(
        id=PROJECT,
        title=HOSTILE,
        stage="design",
        version=8,
        perspectives=("public", "researcher"),
        areas=("methods",),
        charter={
            "key_rule": "consent",
            "operational_rule": "consent",
            "required_perspectives": ["public", "researcher"],
        },
        members=members,
        roles=(),
        delegations=(),
        ground_rules=(),
    )
    direct = decision(
        proposal_id=DIRECT,
        title="Book room 4",
        stage="design",
        proposer=ROSA,
        proposer_perspectives=["researcher"],
        by_proposal=False,
        jointly_owned=False,
        failed_criteria=["not_by_proposal", "no_public_participant"],
        participation={"researcher": 1},
        electorate={"researcher": 1},
        position=11,
    )
    timeline = [power(3, "priority_setting", 0.6), power(10, "design", 0.4)]
    participation = [
        MemberRow(str(PROJECT), ROSA, ["researcher"], roles=["Facilitator"]),
        MemberRow(str(PROJECT), PAM, ["public"]),
        MemberRow(str(PROJECT), EVE, ["public"]),
    ]
    decisions = [decision(), direct]
    journal = journal_rows() if log else []
    now = datetime(2026, 3, 30, 10, tzinfo=UTC)
    card = scorecard(
        Evidence(
            project_id=str(PROJECT),
            now=now,
            stage="design",
            required_perspectives=("public", "researcher"),
            reflection_every_days=None,
            members=tuple(participation),
            decisions=tuple(decisions),
            timeline=tuple(timeline),
            journal=tuple(journal),
        )
    )
    return ReportInput(
        project=project,
        events=events,
        decisions=decisions,
        stage_power=timeline,
        timeline=timeline,
        participation=participation,
        names=names or {ROSA: "Rosa", PAM: "Pam <i>", EVE: "Eve Secret"},
        checkpoint=Checkpoint('example.org/log"1', 40, bytes(range(32))),
        generated_at="2026-03-30T10:00:00.000000Z",
        scorecard=card,
        journal=journal,
    )


class Tags(HTMLParser):
    """Every element closed in order (void elements aside)."""

    VOID = {"meta", "br", "col", "line", "rect"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID and (not self.stack or self.stack[-1] != tag):
            return
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


@pytest.fixture(scope="module")
def page() -> str:
    return report_html(given())


def test_every_section_is_there_with_its_heading(page: str) -> None:
    for anchor in SECTIONS:
        assert f'<section id="{anchor}" aria-labelledby="{anchor}-title">' in page
        assert f'<h2 id="{anchor}-title">' in page
        assert f'href="#{anchor}"' in page
    for heading in (
        "Who was involved",
        "What they did, when and how often",
        "How their input changed the research",
        "How power moved across stages",
        "Key decisions that were not jointly owned, and why",
        "The co-production log and scorecard",
        "GRIPP2 short form",
        "UK Standards for Public Involvement",
        "The HRA&#x27;s public involvement questions",
    ):
        assert heading in page


def test_the_markup_is_well_formed_and_accessible(page: str) -> None:
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    parser = Tags()
    parser.feed(page.removeprefix("<!DOCTYPE html>\n"))
    parser.close()
    assert parser.stack == []
    tags = [t for t, _ in parser.seen]
    assert "script" not in tags and "img" not in tags  # no script, nothing loaded
    headers = [a for t, a in parser.seen if t == "th"]
    assert headers and all(a.get("scope") in ("col", "row") for a in headers)
    charts = [a for t, a in parser.seen if t == "svg"]
    assert len(charts) == 3
    for chart in charts:
        assert chart["role"] == "img"
        title, desc = str(chart["aria-labelledby"]).split()
        assert f'<title id="{title}">' in page and f'<desc id="{desc}">' in page
    # each chart has its data in a table beside it
    assert page.count('<div class="pair"><svg') == 3
    for label in ("Voting power", "Authority held", "Influence exercised"):
        assert f"<caption>{label} by perspective (share of the whole)</caption>" in page


def test_every_value_is_escaped(page: str) -> None:
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;" in page
    assert "<b>Meet</b>" not in page and "&lt;b&gt;Meet&lt;/b&gt; online" in page
    assert "Pam <i>" not in page and "Pam &lt;i&gt;" in page
    assert "Evenings &lt;suit&gt; carers" in page
    assert "example.org/log&quot;1" in page and 'example.org/log"1' not in page
    # the footer's CSS string cannot be ended by the title's quotes
    footer = page.split("@bottom-left { content: ", 1)[1].split(";", 1)[0]
    assert footer.startswith('"') and footer.endswith('"') and '"' not in footer[1:-1]


def test_statements_cite_their_events_and_the_checkpoint(page: str) -> None:
    assert page.count('class="source"') == len(SECTIONS)
    assert "checkpoint example.org/log&quot;1, tree size 40" in page
    # the decision taken alone, not jointly owned, cites its own event
    joint = page.split('<section id="joint"', 1)[1].split("</section>", 1)[0]
    assert "Book room 4" in joint and "(position 11)" in joint
    assert "decided by one person alone" in joint
    assert "nobody with the public perspective took part" in joint
    # the proposal changed by amendment cites the objection, amendment and withdrawal
    influence = page.split('<section id="influence"', 1)[1].split("</section>", 1)[0]
    for position in ("(position 5)", "(position 6)", "(position 7)", "(positions 4, 9)"):
        assert position in influence
    power = page.split('<section id="power"', 1)[1].split("</section>", 1)[0]
    assert "(position 3)" in power and "(position 10)" in power
    assert "60%" in power and "40%" in power
    for framework in ("gripp2", "standards", "hra"):
        body = section(page, framework)
        assert '<th scope="col">Where the log is silent</th>' in body and "(position" in body
    assert "Not yet recorded" not in page  # the log now answers what it records


def section(page: str, anchor: str) -> str:
    return page.split(f'<section id="{anchor}"', 1)[1].split("</section>", 1)[0]


def row(body: str, *needles: str) -> str:
    """The one table row (or list item) of `body` holding every needle."""
    found = [
        part.split(end, 1)[0]
        for tag, end in (("<tr>", "</tr>"), ("<li>", "</li>"))
        for part in body.split(tag)[1:]
        if all(n in part.split(end, 1)[0] for n in needles)
    ]
    assert len(found) == 1, (needles, found)
    return found[0]


def test_the_log_is_counted_and_cited(page: str) -> None:
    about = section(page, "about")
    assert "The co-production log holds 12 entries" in about
    assert "(positions 14\N{EN DASH}25)" in about
    assert (
        "1 reflection, 1 meeting, workshop or online session, 3 recognition and payment entries"
        in about
    )
    assert "Of the co-production scorecard&#x27;s 15 indicators" in section(page, "summary")


def test_what_each_member_did_counts_the_log_too(page: str) -> None:
    pam = row(section(page, "activity"), "Pam &lt;i&gt;", "(positions 15, 21)")
    cells = pam.split("</th>", 1)[1]
    # one meeting attended, no reflection of her own, one ethics issue raised
    assert cells.startswith('<td class="num">1</td><td class="num">0</td><td class="num">1</td>')


def test_the_log_section_shows_the_scorecard_and_the_entries(page: str) -> None:
    log = section(page, "log")
    assert "<caption>The co-production scorecard</caption>" in log
    assert log.count('<tr><th scope="row">') >= 15
    ethics = row(log, "Ethical reflection and review")
    assert "<strong>Met</strong>" in ethics and "(positions 20\N{EN DASH}22)" in ethics
    assert "favourable with conditions" in ethics
    dialogue = row(log, "Continuing dialogue")
    assert "<strong>Partly met</strong>" in dialogue and "not during design" in dialogue
    # reflections per stage, and the team's own words quoted and escaped
    assert "(position 14)" in row(log, "Priority setting", "power")
    assert "We &lt;listen&gt; more than we did" in log
    # the workshop, who took part (an erased member only as such), and what happened
    workshop = row(log, "Sorted &lt;questions&gt; into themes")
    assert "3: Rosa, Pam &lt;i&gt;, erased member" in workshop and "(position 15)" in workshop
    assert "Eve Secret" not in log
    # the committee's opinion, the issue raised and how it was resolved, declared interests
    assert "favourable, with conditions" in row(log, "City &lt;REC&gt;", "(position 20)")
    issue = row(log, "Distress &lt;protocol&gt;")
    assert "Resolved 22 Mar 2026: Agreed" in issue and "(positions 21\N{EN DASH}22)" in issue
    assert "1 resolved, 0 still open" in log
    assert "(position 23)" in row(log, "Advises a &lt;firm&gt;")
    # involvement in distinct people per stage; design's gap and the reason recorded for it
    design = row(log, '<th scope="row">Design</th>', "Booking")
    assert "none; the team recorded why: \N{LEFT DOUBLE QUOTATION MARK}Booking &lt;rooms" in design
    assert "(positions 11, 25)" in design  # the stage's decision and the justification
    assert "Papers in &lt;large&gt; print" in row(log, "access adjustment")
    assert "1 impact of involvement: on the research, each in the team&#x27;s words" in log
    impact = row(section(page, "influence"), "Impact on the research")
    assert "Survey &lt;rewritten&gt;." in impact and "(position 24)" in impact


def test_the_frameworks_answer_from_the_log(page: str) -> None:
    gripp2 = section(page, "gripp2")
    reflections = row(gripp2, "5. Reflections")
    assert "Continuous reflection (partly met)" in reflections
    assert "(position 14)" in reflections and "(positions 20\N{EN DASH}22)" in reflections
    assert "The governance record holds decisions, not reflections" not in reflections
    methods = row(gripp2, "2. Methods")
    assert "Reciprocity (met)" in methods and "(positions 16\N{EN DASH}18)" in methods
    assert "took part in 1 of the 2 stages reached, none in design (section 7)" in methods
    # nothing the item draws on is silent here, and cogov keeps no record of recruitment
    assert "Nowhere" in methods and "how members were recruited" in methods
    standards = section(page, "standards")
    support = row(standards, "Support and learning")
    assert "access adjustment" in support and "(position 19)" in support
    hra = section(page, "hra")
    changed = row(hra, "How has involvement changed the research?")
    assert "Survey &lt;rewritten&gt;" in changed and "(position 24)" in changed
    gaps = row(hra, "Where the public were not involved, why not?")
    assert "Booking &lt;rooms&gt; only" in gaps and "25)" in gaps
    assert "Nowhere: every gap has a recorded reason" in gaps
    paid = row(hra, "How were public contributors paid and supported?")
    assert "\N{POUND SIGN}25.00" in paid and "a median of 1 day after" in paid
    assert "(positions 16\N{EN DASH}18)" in paid and "(position 19)" in paid
    parts = row(hra, "In which parts")
    assert "Priority setting: 2 people with the public perspective" in parts
    assert "Design: no one with the public perspective; the team recorded why" in parts


FAILING = ("overdue", "over 30 days", "not met", "fail", "unpaid", "waiting", "missing")


def test_a_declined_payment_is_not_a_failing(page: str) -> None:
    log = section(page, "log")
    declined = row(log, "Pam &lt;i&gt;", "payment declined")
    assert "(position 16)" in declined
    assert not any(word in declined.lower() for word in FAILING), declined
    assert "<strong>Met</strong>" in row(log, "Reciprocity")
    assert "needs no reason" in log and "never counts against anyone" in log
    paid = row(section(page, "hra"), "How were public contributors paid")
    assert "1 member chose to decline a payment, which needs no reason" in paid
    assert "recorded that Pam &lt;i&gt; declined a payment" in row(section(page, "events"), ">16<")


def test_silence_is_said_plainly_when_the_log_is_empty() -> None:
    empty = given(log=False)
    page = report_html(empty)
    assert "The co-production log has no entries yet." in section(page, "about")
    assert "<strong>The log is silent</strong>: no meeting" in section(page, "activity")
    log = section(page, "log")
    quiet = [i for i in empty.scorecard.indicators if i.status == "no_evidence"]
    assert len(quiet) >= 7 and log.count("<strong>Log silent</strong>") == len(quiet)
    lead = '<p class="not-recorded"><strong>The log is silent</strong>: '
    notes = [part.split("</p>", 1)[0] for part in log.split(lead)[1:]]
    assert len(notes) == 8
    for said in (
        "no reflection has been recorded",
        "no meeting, workshop or other exchange",
        "no payment or other recognition has been recorded",
        "no impact of involvement is recorded",
        "no ethics committee&#x27;s opinion is recorded",
        "no member has declared an interest",
    ):
        assert any(said in note for note in notes), said
    assert "none, and no reason recorded" in row(log, '<th scope="row">Design</th>')
    reflections = row(section(page, "gripp2"), "5. Reflections")
    assert "The log is silent on this: nothing has been recorded that bears on it." in reflections
    methods = row(section(page, "gripp2"), "2. Methods")
    assert "The log holds nothing yet on continuing dialogue" in methods
    hra = section(page, "hra")
    assert "No reason is recorded for design." in row(hra, "why not?")
    assert "The log holds no payment or other recognition" in row(hra, "paid and supported")
    assert "Not yet recorded" not in page


def test_an_erased_member_is_only_ever_an_erased_member(page: str) -> None:
    assert "Eve Secret" not in page
    people = page.split('<section id="people"', 1)[1].split("</section>", 1)[0]
    assert "erased member" in people
    assert "erased member objected" in page


def test_small_helpers() -> None:
    assert ranges([12, 3, 5, 6, 7, 7]) == "3, 5\N{EN DASH}7, 12"
    assert esc("<a href='x'>") == "&lt;a href=&#x27;x&#x27;&gt;"
    assert el("td", "<x>", class_='a"b') == '<td class="a&quot;b">&lt;x&gt;</td>'
    assert css_string('a"b\\c\n') == '"a\\000022b\\00005cc\\00000a"'
    assert money(2_350, "GBP") == "\N{POUND SIGN}23.50"
    assert money(1_234, "JPY") == "JPY 1,234" and money(5, "KWD") == "KWD 0.005"
    assert money(2**53 - 1, "USD") == "USD 90,071,992,547,409.91"  # exact, never a float
    chart = stacked_bars("c", "T<", "D&", [("S", {"public": 0.0})], [("public", "#000")])
    assert "none held" in chart and "T&lt;" in chart and "D&amp;" in chart


def test_long_log_texts_are_cut_at_a_word_and_say_where_the_whole_is() -> None:
    short = "We shared the agenda."
    assert excerpt(short) == short
    long = "word " * 1_000
    cut = excerpt(long)
    assert len(cut) < EXCERPT + 60 and cut.endswith("(cut; the whole text is in journal.csv)")
    assert cut.startswith("word word") and "wor " not in cut


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (0.25, 0.5, "voting power from 25% to 50%"),
        (None, 0.3, "voting power 30% at the last (not computed at the first)"),
        (0.3, None, "voting power 30% at the first (not computed at the last)"),
        (None, None, "voting power not computed in either"),
        (0, 0, "voting power from 0% to 0%"),
    ],
)
def test_a_share_that_was_not_computed_is_said_plainly(
    before: float | None, after: float | None, said: str
) -> None:
    assert share_change("voting power", before, after) == said
