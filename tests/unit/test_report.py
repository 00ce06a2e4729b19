"""The report builder: every section, every value escaped, statements citing their events,
an erased member shown only as "erased member", and markup that parses back cleanly."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from uuid import UUID, uuid4

import pytest

from cogov.application.notes import Checkpoint
from cogov.application.records import EventRecord, MemberRecord, ProjectRecord
from cogov.application.report import (
    ReportInput,
    css_string,
    el,
    esc,
    ranges,
    report_html,
    stacked_bars,
)
from cogov.application.views import DecisionRow, MemberPower, MemberRow, PowerRow

ROSA, PAM, EVE = "a1" * 16, "b2" * 16, "c3" * 16
PROJECT = UUID("0f0e0d0c-0b0a-4908-8706-050403020100")
PROPOSAL = uuid4()
DIRECT = "d4" * 16
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


def power(position: int, stage: str, public: float) -> PowerRow:
    shares = {"voting_power": public, "authority": 0.0, "influence": public}
    other = {"voting_power": 1 - public, "authority": 1.0, "influence": 1 - public}
    return PowerRow(
        project_id=str(PROJECT),
        position=position,
        version=position,
        as_of=f"2026-03-{position:02d}T10:00:00.000000Z",
        as_of_us=position,
        stage=stage,
        shift="StageEntered",
        perspectives={"public": shares, "researcher": other},
        members=[MemberPower(ROSA, ["researcher"], 0.5, 1.0, 0.5, ["Facilitator"], [])],
        hhi={"voting_power": 5000.0, "authority": 10000.0, "influence": 5000.0},
        gini={"voting_power": 0.0, "authority": 0.5, "influence": 0.0},
    )


def given(names: dict[str, str | None] | None = None) -> ReportInput:
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
    return ReportInput(
        project=project,
        events=events,
        decisions=[decision(), direct],
        stage_power=[power(3, "priority_setting", 0.6), power(10, "design", 0.4)],
        timeline=[power(3, "priority_setting", 0.6), power(10, "design", 0.4)],
        participation=[MemberRow(str(PROJECT), ROSA, ["researcher"])],
        names=names or {ROSA: "Rosa", PAM: "Pam <i>", EVE: "Eve Secret"},
        checkpoint=Checkpoint('example.org/log"1', 40, bytes(range(32))),
        generated_at="2026-03-20T10:00:00.000000Z",
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
        body = page.split(f'<section id="{framework}"', 1)[1].split("</section>", 1)[0]
        assert "Not yet recorded" in body and "(position" in body


def test_the_journal_is_said_to_be_empty(page: str) -> None:
    about = page.split('<section id="about"', 1)[1].split("</section>", 1)[0]
    assert "The journal has no entries yet." in about


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
    chart = stacked_bars("c", "T<", "D&", [("S", {"public": 0.0})], [("public", "#000")])
    assert "none held" in chart and "T&lt;" in chart and "D&amp;" in chart
