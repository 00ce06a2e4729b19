"""The report for a research ethics committee: an accessible HTML page, charts included.

Who was involved and with what lived experience, what they did, when and how often, how
their input changed the research, how power moved across stages, which key decisions were
not jointly owned and why, and the GRIPP2 short form, the UK Standards for Public
Involvement and the HRA's public involvement questions answered from the record. Every
statement cites the positions of the events behind it and the checkpoint it was drawn from,
so a reader can check each one against `events.jsonl` in the audit pack.

Pure: the caller gathers the facts (audit_pack.py), this module only writes text. Every
value goes through `esc` (or `el`, which escapes its children and attributes): markup is only
ever a `Safe` built here. Charts are SVG written by hand (no script), each with its data in a
table beside it; a PDF renderer (infrastructure) prints the same page.
"""

from __future__ import annotations

import base64
import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from cogov.application.directory import ERASED_NAME
from cogov.application.notes import Checkpoint
from cogov.application.records import EventRecord, ProjectRecord
from cogov.application.views import DecisionRow, MemberRow, PowerRow
from cogov.domain import GovernanceError, Journal
from cogov.domain.language import INSTANCE_ADMIN, PUBLIC, SYSTEM, Stage

NOT_YET = "Not yet recorded"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MEASURES = (
    (
        "voting_power",
        "Voting power",
        "how likely each perspective's members were to swing a key decision under the rule "
        "in force (their share of the Banzhaf index)",
    ),
    (
        "authority",
        "Authority held",
        "roles held (a leadership role counts double), the decision areas they carry, and "
        "areas delegated",
    ),
    (
        "influence",
        "Influence exercised",
        "proposals tabled and adopted, objections raised and upheld, and decisions taken "
        "directly, counted up to that point",
    ),
)
# Okabe-Ito hues, darkened so that white text on each passes WCAG AA (4.5:1 or more).
PALETTE = ("#0060A0", "#B34700", "#00775A", "#A0527D", "#8C6D00", "#4D4D4D")
PERSPECTIVE_NOTES = {
    PUBLIC: "patients, carers, service users, community members",
    "researcher": "academic or clinical researchers",
    "practitioner": "health or care professionals",
    "policy": "commissioners and policy makers",
    "industry": "industry partners",
}
ACTORS = {INSTANCE_ADMIN: "the instance administrator", SYSTEM: "cogov, automatically"}
STANCES = {
    "consent": "consented to",
    "object": "objected to",
    "abstain": "abstained on",
    "stand_aside": "stood aside on",
}


class PdfUnavailable(GovernanceError):
    """This cogov cannot print PDFs (no renderer, or its system libraries are missing)."""

    code = "pdf_unavailable"


@attrs.frozen
class ReportInput:
    """What the report is drawn from: the project's trail up to one checkpoint, and the
    views at that same point."""

    project: ProjectRecord
    events: Sequence[EventRecord]  # the project's trail, in position order
    decisions: Sequence[DecisionRow]
    stage_power: Sequence[PowerRow]  # the power at the end of each stage reached, in order
    timeline: Sequence[PowerRow]  # every power shift
    participation: Sequence[MemberRow]
    names: Mapping[str, str | None]  # the shown name of every id the events name
    checkpoint: Checkpoint
    generated_at: str


# --- markup -----------------------------------------------------------------------------


class Safe(str):
    """Markup built here, every value in it already escaped."""

    __slots__ = ()


def esc(value: object) -> Safe:
    """A value as HTML/XML text: escaped unless it is markup built here."""
    if isinstance(value, Safe):
        return value
    return Safe(html.escape(str(value), quote=True))


def el(tag: str, *children: object, **attributes: object) -> Safe:
    """`<tag attributes>children</tag>`, with every child and attribute value escaped.
    A trailing underscore is dropped from an attribute name (class_) and other
    underscores become hyphens (aria_label); None and False attributes are left out."""
    attrs_text = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{esc(value)}"'
        for name, value in attributes.items()
        if value is not None and value is not False
    )
    return Safe(f"<{tag}{attrs_text}>{join(children)}</{tag}>")


def join(parts: Iterable[object], sep: str = "") -> Safe:
    return Safe(esc(sep).join(esc(p) for p in parts if p is not None))


@attrs.frozen
class Num:
    """A table cell holding a number (aligned right)."""

    value: object


def table(
    caption: str,
    heads: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    widths: Sequence[int] = (),
    class_: str | None = None,
    row_header: bool = True,
    empty: str = "none",
) -> Safe:
    """A data table: its caption, a header cell (scope col) per column, the first cell of
    each row its header (scope row) if `row_header`; `widths` (percent) fix the layout."""
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            tag = "th" if row_header and i == 0 else "td"
            scope = "row" if tag == "th" else None
            if isinstance(cell, Num):
                cells.append(el(tag, cell.value, scope=scope, class_="num"))
            else:
                cells.append(el(tag, cell, scope=scope))
        body.append(el("tr", *cells))
    if not body:
        body.append(el("tr", el("td", empty, colspan=len(heads))))
    columns = (
        el("colgroup", *(Safe(f'<col style="width: {w}%">') for w in widths)) if widths else None
    )
    return el(
        "table",
        el("caption", caption),
        columns,
        el("thead", el("tr", *(el("th", h, scope="col") for h in heads))),
        el("tbody", *body),
        class_=" ".join(c for c in ("fixed" if widths else None, class_) if c) or None,
    )


def not_yet(text: str) -> Safe:
    return el("p", el("strong", NOT_YET), ": ", text, class_="not-recorded")


# --- plain words ------------------------------------------------------------------------


def stage_label(stage: str) -> str:
    return stage.replace("_", " ").capitalize()


def words(name: str) -> str:
    return name.replace("_", " ")


def perspective_label(perspective: str) -> str:
    note = PERSPECTIVE_NOTES.get(perspective)
    return f"{words(perspective)} ({note})" if note else words(perspective)


def day(recorded_at: str | None) -> str:
    """'2026-11-22T05:49:14.371520Z' -> '22 Nov 2026'."""
    if not recorded_at:
        return ""
    year, month, rest = recorded_at[:10].split("-")
    return f"{int(rest)} {MONTHS[int(month) - 1]} {year}"


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def count(n: int, thing: str, things: str | None = None) -> str:
    return f"{n} {thing if n == 1 else (things or thing + 's')}"


def ranges(positions: Iterable[int]) -> str:
    """'3, 5-7, 12' (with an en dash) for 3, 5, 6, 7, 12."""
    ordered = sorted(set(positions))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}\N{EN DASH}{ordered[j]}")
        i = j + 1
    return ", ".join(parts)


def cite(positions: Iterable[int]) -> Safe:
    """The citation of the events behind a statement: '(positions 12, 15)'."""
    ordered = sorted(set(positions))
    if not ordered:
        return Safe("")
    label = "position" if len(ordered) == 1 else "positions"
    return el("span", f"({label} {ranges(ordered)})", class_="cite")


def failed_reason(code: str, perspectives: Sequence[str]) -> str:
    if code == "not_by_proposal":
        return "it was decided by one person alone, with no proposal the team could answer"
    if code == "objection_overruled":
        return "it was adopted while an objection still stood"
    for perspective in sorted(perspectives, key=len, reverse=True):
        if code == f"no_{perspective}_participant":
            return f"nobody with the {words(perspective)} perspective took part"
        if code == f"{perspective}_did_not_agree":
            return (
                f"members with the {words(perspective)} perspective did not agree "
                "under the decision's rule"
            )
    return words(code)


# --- reading the events -----------------------------------------------------------------


@attrs.define
class ProposalFacts:
    title: str
    proposer: str
    stage: str
    key: bool
    tabled: int
    positions: list[int] = attrs.field(factory=list)
    objections: list[tuple[int, str, str | None]] = attrs.field(factory=list)
    withdrawn: list[tuple[int, str]] = attrs.field(factory=list)
    amendments: list[tuple[int, str]] = attrs.field(factory=list)
    comments: list[tuple[int, str]] = attrs.field(factory=list)
    outcome: str = "open"
    closed: int | None = None


@attrs.define
class Act:
    position: int
    kind: str  # tabled, response, objection, amendment, comment, direct
    stage: str
    perspectives: tuple[str, ...]


@attrs.define
class Facts:
    """What the events say, read once, in order."""

    stage_of: dict[int, str] = attrs.field(factory=dict)
    stages: list[tuple[str, int]] = attrs.field(factory=list)  # (stage, position entered)
    proposals: dict[str, ProposalFacts] = attrs.field(factory=dict)
    direct: dict[str, int] = attrs.field(factory=dict)  # decision id -> position
    perspectives: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    joined: dict[str, int] = attrs.field(factory=dict)
    left: dict[str, int] = attrs.field(factory=dict)
    erased: dict[str, int] = attrs.field(factory=dict)
    acts: dict[str, list[Act]] = attrs.field(factory=lambda: defaultdict(list))
    holdings: list[EventRecord] = attrs.field(factory=list)  # roles, areas, charter, stages
    ground_rules: list[tuple[int, tuple[str, ...]]] = attrs.field(factory=list)
    founded: int | None = None


POWER_MOVES = {
    "RoleAssigned",
    "RoleRelinquished",
    "AreaDelegated",
    "DelegationRevoked",
    "CharterAmended",
    "StageEntered",
}


def read_events(events: Sequence[EventRecord]) -> Facts:
    facts = Facts()
    stage = Stage.PRIORITY_SETTING.value
    for e in events:
        d = e.data
        if e.type == "ProjectFounded":
            facts.founded = e.position
            stage = str(d.get("stage") or stage)
            facts.stages.append((stage, e.position))
            founder = str(d.get("founder_id"))
            facts.perspectives[founder] = tuple(d.get("founder_perspectives") or ())
            facts.joined[founder] = e.position
        elif e.type == "StageEntered":
            stage = str(d["stage"])
            facts.stages.append((stage, e.position))
        facts.stage_of[e.position] = stage
        if e.type in POWER_MOVES:
            facts.holdings.append(e)
        if e.type == "MemberAdmitted":
            facts.perspectives[d["member_id"]] = tuple(d.get("perspectives") or ())
            facts.joined[d["member_id"]] = e.position
        elif e.type == "PerspectivesChanged":
            facts.perspectives[d["member_id"]] = tuple(d.get("perspectives") or ())
        elif e.type in ("MemberLeft", "MemberRemoved"):
            facts.left[d["member_id"]] = e.position
        elif e.type == "MemberErased":
            facts.erased[d["member_id"]] = e.position
        elif e.type == "GroundRulesAdopted":
            facts.ground_rules.append((e.position, tuple(d.get("rules") or ())))
        elif e.type == "DecisionRecordedDirectly":
            facts.direct[str(d["decision_id"])] = e.position
            _act(facts, e.actor, e.position, "direct", stage)
        _read_proposal_event(facts, e, stage)
    return facts


def _act(facts: Facts, member: str | None, position: int, kind: str, stage: str) -> None:
    if member is None or member not in facts.perspectives:
        return  # not a member's act (the admin, cogov itself)
    facts.acts[member].append(Act(position, kind, stage, facts.perspectives[member]))


def _read_proposal_event(facts: Facts, e: EventRecord, stage: str) -> None:
    d = e.data
    pid = str(e.aggregate_id)
    if e.type == "ProposalTabled":
        facts.proposals[pid] = ProposalFacts(
            title=str(d.get("title", "")),
            proposer=str(d.get("proposer")),
            stage=str(d.get("stage") or stage),
            key=bool(d.get("key")),
            tabled=e.position,
        )
        _act(facts, str(d.get("proposer")), e.position, "tabled", stage)
    proposal = facts.proposals.get(pid)
    if proposal is None:
        return
    proposal.positions.append(e.position)
    if e.type == "ResponseGiven":
        member = str(d["member_id"])
        objecting = d.get("stance") == "object"
        if objecting:
            proposal.objections.append((e.position, member, d.get("reason")))
        _act(facts, member, e.position, "objection" if objecting else "response", stage)
    elif e.type == "ObjectionWithdrawn":
        proposal.withdrawn.append((e.position, str(d["member_id"])))
    elif e.type == "ProposalAmended":
        proposal.amendments.append((e.position, str(e.actor)))
        _act(facts, e.actor, e.position, "amendment", stage)
    elif e.type == "CommentPosted":
        proposal.comments.append((e.position, str(e.actor)))
        _act(facts, e.actor, e.position, "comment", stage)
    elif e.type == "ProposalClosed":
        proposal.outcome = str(d.get("outcome"))
        proposal.closed = e.position
    elif e.type == "ProposalWithdrawn":
        proposal.outcome = "withdrawn"
        proposal.closed = e.position


# --- the report -------------------------------------------------------------------------


class Report:
    def __init__(self, given: ReportInput) -> None:
        self.given = given
        self.facts = read_events(given.events)
        self.perspectives = list(given.project.perspectives)
        self.colours = {
            p: PALETTE[min(i, len(PALETTE) - 1)] for i, p in enumerate(self.perspectives)
        }
        cp = given.checkpoint
        self.source = Safe(
            el(
                "p",
                f"Drawn from checkpoint {cp.origin}, tree size {cp.size}: every event up to "
                f"position {given.events[-1].position if given.events else 0} of this project.",
                class_="source",
            )
        )

    def name(self, member_id: str | None) -> str:
        if member_id is None:
            return "nobody"
        if member_id in ACTORS:
            return ACTORS[member_id]
        if member_id in self.facts.erased:
            return ERASED_NAME
        return self.given.names.get(member_id) or f"member {member_id[:8]}"

    def decision_positions(self, row: DecisionRow) -> list[int]:
        if row.by_proposal and row.proposal_id in self.facts.proposals:
            return self.facts.proposals[row.proposal_id].positions
        if row.proposal_id in self.facts.direct:
            return [self.facts.direct[row.proposal_id]]
        return [row.position]

    def section(self, anchor: str, title: str, *body: object) -> Safe:
        return el(
            "section",
            el("h2", title, id=f"{anchor}-title"),
            *body,
            self.source,
            id=anchor,
            aria_labelledby=f"{anchor}-title",
        )

    def html(self) -> str:
        project = self.given.project
        title = f"Public involvement and shared decisions: {project.title}"
        sections = [
            ("about", "About this report", self.about()),
            ("summary", "Summary", self.summary()),
            ("people", "1. Who was involved", self.people()),
            ("activity", "2. What they did, when and how often", self.activity()),
            ("influence", "3. How their input changed the research", self.influence()),
            ("power", "4. How power moved across stages", self.power()),
            ("joint", "5. Key decisions that were not jointly owned, and why", self.joint()),
            ("decisions", "6. Every decision", self.decisions()),
            ("gripp2", "7. GRIPP2 short form", self.gripp2()),
            ("standards", "8. UK Standards for Public Involvement", self.standards()),
            ("hra", "9. The HRA's public involvement questions", self.hra()),
            ("checking", "10. How to check this report", self.checking()),
            ("events", "Appendix: every event cited", self.appendix()),
        ]
        contents = el(
            "nav",
            el("h2", "Contents", id="contents-title"),
            el("ol", *(el("li", el("a", t, href=f"#{a}")) for a, t, _ in sections)),
            aria_labelledby="contents-title",
        )
        body = join(self.section(a, t, *content) for a, t, content in sections)
        cp = self.given.checkpoint
        header = el(
            "header",
            el("h1", title),
            el(
                "p",
                "A report for a research ethics committee, drawn by cogov from the project's "
                "governance record: every proposal, response, role and stage change as it was "
                "recorded, each event signed into a verifiable log.",
                class_="lede",
            ),
            el(
                "dl",
                el("dt", "Project"),
                el("dd", project.title, " ", el("span", f"(id {project.id})", class_="id")),
                el("dt", "Stage now"),
                el("dd", stage_label(project.stage)),
                el("dt", "Events covered"),
                el("dd", self.covered()),
                el("dt", "Checkpoint"),
                el("dd", f"{cp.origin}, tree size {cp.size}"),
                el("dt", "Generated"),
                el("dd", self.given.generated_at),
                class_="facts",
            ),
        )
        footer = f"{project.title} \N{EN DASH} checkpoint {cp.origin}, size {cp.size}"
        return (
            "<!DOCTYPE html>\n"
            + '<html lang="en-GB">'
            + el(
                "head",
                Safe('<meta charset="utf-8">'),
                Safe('<meta name="viewport" content="width=device-width, initial-scale=1">'),
                el("title", title),
                Safe(f'<meta name="description" content="{esc(title)}">'),
                el("style", Safe(STYLE.replace("/*FOOTER*/", css_string(footer)))),
            )
            + el("body", header, contents, el("main", body))
            + "</html>\n"
        )

    def covered(self) -> str:
        events = self.given.events
        if not events:
            return "none"
        return (
            f"{count(len(events), 'event')} of this project, positions "
            f"{events[0].position} to {events[-1].position}, "
            f"{day(events[0].recorded_at)} to {day(events[-1].recorded_at)}"
        )

    # --- sections ---------------------------------------------------------------------

    def about(self) -> list[object]:
        return [
            el(
                "p",
                "Each statement ends with the positions of the events it rests on, such as ",
                el("span", "(positions 12, 15\N{EN DASH}17)", class_="cite"),
                ". A position is an event's place in cogov's record. The audit pack holds every "
                "one of this project's events in events.jsonl, one per line, with a proof that "
                "each is in the log the checkpoint signs; the appendix lists them in plain "
                "words. Anyone can check that no event was changed, removed or reordered "
                "(section 10).",
            ),
            el(
                "p",
                "This report shows what the governance record holds: who was on the team, "
                "the decisions they made and how, and how power was shared. It does not yet "
                "draw on the team's co-production journal (reflections, payment and "
                "recognition, training and support, the difference involvement made): where "
                "a question needs it, the report says ",
                el("strong", NOT_YET),
                ". ",
                self.journal_line(),
            ),
            el(
                "p",
                "People are named as they chose to be shown. A member whose details were "
                "erased at their request appears as \N{LEFT DOUBLE QUOTATION MARK}"
                f"{ERASED_NAME}\N{RIGHT DOUBLE QUOTATION MARK}.",
            ),
        ]

    def journal_line(self) -> Safe:
        journal = Journal.id_for(self.given.project.id)
        entries = [
            e.position
            for e in self.given.events
            if e.aggregate_id == journal and e.type != "JournalOpened"  # the opening is no entry
        ]
        if not entries:
            return Safe("The journal has no entries yet.")
        return join(
            [
                f"The journal holds {count(len(entries), 'entry', 'entries')}, listed in the "
                "audit pack's journal.csv. ",
                cite(entries),
            ]
        )

    def summary(self) -> list[object]:
        f = self.facts
        members = list(f.joined)
        public = [m for m in members if PUBLIC in f.perspectives.get(m, ())]
        decisions = self.given.decisions
        key_judged = [d for d in decisions if d.key and d.jointly_owned is not None]
        not_owned = [d for d in key_judged if not d.jointly_owned]
        amended = [p for p in f.proposals.values() if p.amendments]
        items = [
            el(
                "li",
                f"{count(len(members), 'person', 'people')} took part, "
                f"{count(len(public), 'of them', 'of them')} from the public perspective. ",
                cite(f.joined.values()),
            ),
            el(
                "li",
                f"The team made {count(len(decisions), 'decision')}: "
                f"{sum(d.by_proposal for d in decisions)} by proposal and "
                f"{sum(not d.by_proposal for d in decisions)} by one person alone. ",
                cite(p for d in decisions for p in self.decision_positions(d)),
            ),
            el(
                "li",
                f"{count(len(key_judged), 'key decision was', 'key decisions were')} "
                f"adopted; {len(key_judged) - len(not_owned)} of them "
                "jointly owned by the public and researchers. ",
                cite(p for d in key_judged for p in self.decision_positions(d)),
            ),
            el(
                "li",
                f"{count(len(not_owned), 'key decision was', 'key decisions were')} "
                "not jointly owned (section 5). ",
                cite(p for d in not_owned for p in self.decision_positions(d)),
            ),
            el(
                "li",
                f"{count(len(amended), 'proposal was', 'proposals were')} changed by "
                "amendment during discussion (section 3). ",
                cite(pos for p in amended for pos, _ in p.amendments),
            ),
            el(
                "li",
                f"The project passed through {count(len(f.stages), 'stage')}: "
                f"{', '.join(stage_label(s) for s, _ in f.stages)}. ",
                cite(p for _, p in f.stages),
            ),
        ]
        return [el("ul", *items)]

    def people(self) -> list[object]:
        f = self.facts
        roles = {m.member_id: m for m in self.given.project.members}
        rows = []
        for member, joined in sorted(f.joined.items(), key=lambda kv: kv[1]):
            record = roles.get(member)
            status = "erased" if member in f.erased else (record.status if record else "")
            left, erased = f.left.get(member), f.erased.get(member)
            rows.append(
                (
                    join(
                        [
                            self.name(member),
                            Safe("<br>"),
                            el("span", f"id {member[:8]}", class_="id"),
                        ]
                    ),
                    "; ".join(perspective_label(p) for p in f.perspectives.get(member, ())),
                    ", ".join(record.roles) if record and record.roles else "none",
                    status,
                    day(self.recorded(joined)),
                    day(self.recorded(left)),
                    cite(p for p in (joined, left, erased) if p),
                )
            )
        by_perspective = Counter(p for m in f.joined for p in f.perspectives.get(m, ()))
        present = (
            f"{words(p)} {by_perspective[p]}" for p in self.perspectives if by_perspective[p]
        )
        return [
            el(
                "p",
                f"Perspectives on the team: {', '.join(present)}. A member may hold more than "
                "one perspective, such as a carer who is also a researcher, and counts in each. ",
                cite(f.joined.values()),
            ),
            table(
                "The team: everyone who has been a member",
                (
                    "Name",
                    "Perspectives (lived and professional experience)",
                    "Roles now",
                    "Status",
                    "Joined",
                    "Left",
                    "Evidence",
                ),
                rows,
                widths=(17, 24, 16, 10, 11, 11, 11),
            ),
            not_yet(
                "what lived experience each member brings beyond their perspective, and how "
                "they were recruited. These belong in the co-production journal."
            ),
        ]

    def recorded(self, position: int | None) -> str | None:
        if position is None:
            return None
        for e in self.given.events:
            if e.position == position:
                return e.recorded_at
        return None

    def activity(self) -> list[object]:
        f = self.facts
        kinds = ("tabled", "response", "objection", "amendment", "comment", "direct")
        rows = []
        for member in sorted(f.joined, key=lambda m: f.joined[m]):
            acts = f.acts.get(member, [])
            tally = Counter(a.kind for a in acts)
            tally["response"] += tally["objection"]
            first, last = (acts[0], acts[-1]) if acts else (None, None)
            rows.append(
                (
                    self.name(member),
                    *(Num(tally[k]) for k in kinds),
                    f"{day(self.recorded(first.position))} to {day(self.recorded(last.position))}"
                    if first and last
                    else "no recorded acts",
                    cite(a.position for a in acts),
                )
            )
        by_stage: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        for member, acts in f.acts.items():
            for a in acts:
                for p in a.perspectives:
                    by_stage[a.stage][p][member] += 1
        span = self.stage_spans()
        stage_rows = [
            (
                stage_label(s),
                *(self.acts_cell(by_stage[s][p]) for p in self.perspectives),
                cite(range(span[s][0], span[s][1] + 1)) if s in span else "",
            )
            for s in dict.fromkeys(s for s, _ in f.stages)
        ]
        n = len(self.perspectives)
        return [
            el(
                "p",
                "Counts come from the events: a response given by a proxy counts for the member "
                "it was given for, and a member with two perspectives counts in both.",
            ),
            table(
                "What each member did (responses include objections)",
                (
                    "Name",
                    "Proposals tabled",
                    "Responses",
                    "Objections",
                    "Amendments",
                    "Comments",
                    "Decided alone",
                    "First and last act",
                    "Evidence",
                ),
                rows,
                widths=(13, 8, 9, 9, 10, 9, 8, 12, 22),
            ),
            table(
                "Acts (tabling, responding, amending, commenting, deciding alone) by "
                "perspective in each stage, and by how many people",
                ("Stage", *(words(p) for p in self.perspectives), "Events in the stage"),
                stage_rows,
                widths=(16, *([int(70 / n)] * n), 14),
            ),
        ]

    @staticmethod
    def acts_cell(acts: Counter[str]) -> str:
        people = count(len(acts), "person", "people")
        return f"{sum(acts.values())} by {people}" if acts else "none"

    def stage_spans(self) -> dict[str, tuple[int, int]]:
        """The first and last position of each stage's events (a stage re-entered keeps
        its first start)."""
        spans: dict[str, tuple[int, int]] = {}
        for e in self.given.events:
            s = self.facts.stage_of[e.position]
            first = spans.get(s, (e.position, e.position))[0]
            spans[s] = (first, e.position)
        return spans

    def influence(self) -> list[object]:
        f = self.facts
        items = []
        for proposal in f.proposals.values():
            if not (proposal.amendments or proposal.objections):
                continue
            parts: list[object] = [
                el("strong", proposal.title),
                f" ({stage_label(proposal.stage)}). ",
            ]
            for position, member, reason in proposal.objections:
                parts += [
                    f"{self.name(member)} objected",
                    f": \N{LEFT DOUBLE QUOTATION MARK}{reason}\N{RIGHT DOUBLE QUOTATION MARK}"
                    if reason
                    else "",
                    " ",
                    cite([position]),
                    ". ",
                ]
            for position, member in proposal.comments:
                parts += [f"{self.name(member)} commented ", cite([position]), ". "]
            for position, member in proposal.amendments:
                parts += [f"{self.name(member)} amended the proposal ", cite([position]), ". "]
            for position, member in proposal.withdrawn:
                parts += [
                    f"{self.name(member)} then withdrew their objection ",
                    cite([position]),
                    ". ",
                ]
            parts += [
                self.ending(proposal),
                " ",
                cite([proposal.tabled, *([proposal.closed] if proposal.closed else [])]),
                ".",
            ]
            items.append(el("li", *parts))
        public_tabled = [
            p for p in f.proposals.values() if PUBLIC in f.perspectives.get(p.proposer, ())
        ]
        adopted = [p for p in public_tabled if p.outcome == "adopted"]
        out: list[object] = [
            el(
                "p",
                "Where members objected, commented or amended, and what became of the proposal. "
                "An objection that stands when a proposal closes either stops it or, if it is "
                "adopted anyway, is reported as overruled (section 5).",
            ),
            el("ul", *items) if items else el("p", "No proposal was objected to or amended."),
            el(
                "p",
                f"Members holding the public perspective tabled "
                f"{count(len(public_tabled), 'proposal')}, of which {len(adopted)} "
                f"{'was' if len(adopted) == 1 else 'were'} adopted",
                ": " if adopted else ". ",
                join(
                    (
                        f"\N{LEFT DOUBLE QUOTATION MARK}{p.title}\N{RIGHT DOUBLE QUOTATION MARK}"
                        for p in adopted
                    ),
                    ", ",
                ),
                ". " if adopted else "",
                cite(pos for p in public_tabled for pos in (p.tabled, p.closed) if pos),
            ),
            not_yet(
                "changes to the research that came from involvement outside these decisions "
                "(the impact log of the co-production journal)."
            ),
        ]
        return out

    @staticmethod
    def ending(proposal: ProposalFacts) -> str:
        return {
            "adopted": "It was adopted",
            "rejected": "It was rejected",
            "lapsed": "It lapsed without enough responses",
            "withdrawn": "It was withdrawn",
        }.get(proposal.outcome, "It is still open")

    def power(self) -> list[object]:
        rows = list(self.given.stage_power)
        out: list[object] = [
            el(
                "p",
                "Power is measured three ways after every change to the team, its roles, "
                "its rules or its stage. Each measure is shared out among the active members and "
                "a member's share is split evenly across their perspectives, so the shares of "
                "the perspectives add up to 100%. The charts show each measure at the end of "
                "every stage the project reached (for the current stage, now); the table beside "
                "each chart holds the same numbers and the event each row was drawn from.",
            )
        ]
        if not rows:
            return [*out, el("p", "No power has been recorded yet.")]
        for measure, label, meaning in MEASURES:
            out.append(self.figure(measure, label, meaning, rows))
        hhi_rows = [
            (
                stage_label(r.stage),
                *(Num(f"{r.hhi.get(m, 0):,.0f}") for m, _, _ in MEASURES),
                cite([r.position]),
            )
            for r in rows
        ]
        n = max(len(self.perspectives), 1)
        out.append(
            table(
                "How concentrated power was (HHI over perspectives: 10,000 means one "
                f"perspective held it all; {n} perspectives sharing equally give "
                f"{10_000 // n:,})",
                ("Stage", *(label for _, label, _ in MEASURES), "Drawn from"),
                hhi_rows,
                widths=(22, 20, 20, 20, 18),
            )
        )
        out.append(self.moves())
        return out

    def figure(self, measure: str, label: str, meaning: str, rows: Sequence[PowerRow]) -> Safe:
        shown = [
            p
            for p in self.perspectives
            if any(r.perspectives.get(p, {}).get(measure, 0) for r in rows)
        ] or self.perspectives[:1]
        data = [
            (stage_label(r.stage), {p: r.perspectives.get(p, {}).get(measure, 0.0) for p in shown})
            for r in rows
        ]
        chart_id = f"chart-{measure}"
        description = "; ".join(
            f"{stage}: " + ", ".join(f"{words(p)} {percent(v)}" for p, v in shares.items())
            for stage, shares in data
        )
        chart = stacked_bars(
            chart_id,
            f"{label} by perspective at the end of each stage",
            description,
            data,
            [(words(p), self.colours[p]) for p in shown],
        )
        n = len(shown)
        table_ = table(
            f"{label} by perspective (share of the whole)",
            ("Stage", *(words(p) for p in shown), "Drawn from"),
            [
                (
                    stage_label(r.stage),
                    *(Num(percent(r.perspectives.get(p, {}).get(measure, 0.0))) for p in shown),
                    cite([r.position]),
                )
                for r in rows
            ],
            widths=(24, *([int(60 / n)] * n), 16),
        )
        return el(
            "figure",
            el("figcaption", el("strong", label), f": {meaning}."),
            el("div", chart, table_, class_="pair"),
            aria_labelledby=f"{chart_id}-title",
        )

    def moves(self) -> Safe:
        rows = [
            (
                day(e.recorded_at),
                stage_label(self.facts.stage_of[e.position]),
                self.describe(e),
                self.authority(e.data.get("authority")),
                cite([e.position]),
            )
            for e in self.facts.holdings
        ]
        return table(
            "Every change of roles, decision areas, charter and stage",
            ("When", "Stage", "What changed", "On whose authority", "Evidence"),
            rows,
            widths=(12, 14, 34, 28, 12),
            row_header=False,
        )

    def authority(self, authority: Any) -> str:
        if not isinstance(authority, Mapping):
            return ""
        kind, ref = authority.get("kind"), str(authority.get("ref", ""))
        if kind == "proposal":
            proposal = self.facts.proposals.get(ref)
            title = proposal.title if proposal else ref
            return (
                f"the team, by adopting \N{LEFT DOUBLE QUOTATION MARK}{title}"
                "\N{RIGHT DOUBLE QUOTATION MARK}"
            )
        if kind == "role":
            return f"a holder of the {ref} role"
        if kind == "delegation":
            return f"a member delegated the {words(ref)} area"
        if kind == "own":
            return "the member themself"
        if kind == "founding":
            return "the founder"
        return words(str(kind))

    def joint(self) -> list[object]:
        decisions = self.given.decisions
        key = [d for d in decisions if d.key and d.jointly_owned is not None]
        not_owned = [d for d in key if not d.jointly_owned]
        intro = el(
            "p",
            "A key decision is jointly owned when it was made by proposal, members with the "
            "public perspective and researchers both took part and agreed under the decision's "
            "rule, and no objection was overruled. Proposals that were rejected, lapsed or "
            "withdrawn changed nothing and are not judged. ",
            f"{len(key) - len(not_owned)} of {count(len(key), 'key decision')} adopted "
            "were jointly owned. ",
            cite(p for d in key for p in self.decision_positions(d)),
        )
        if not not_owned:
            return [intro, el("p", "Every adopted key decision was jointly owned.")]
        rows = []
        for d in not_owned:
            reasons = [failed_reason(c, self.perspectives) for c in d.failed_criteria]
            if "only_dual_perspective_members" in d.flags:
                reasons.append(
                    "note: everyone who took part for a required perspective also held "
                    "another required perspective"
                )
            how = "by proposal" if d.by_proposal else f"alone, by {self.name(d.proposer)}"
            rows.append(
                (
                    d.title,
                    stage_label(d.stage),
                    f"{how} ({words(d.area)})",
                    el("ul", *(el("li", r) for r in reasons)),
                    cite(self.decision_positions(d)),
                )
            )
        return [
            intro,
            table(
                "Key decisions that were not jointly owned",
                (
                    "Decision",
                    "Stage",
                    "How it was made",
                    "Why it was not jointly owned",
                    "Evidence",
                ),
                rows,
                widths=(20, 12, 18, 38, 12),
            ),
            not_yet(
                "the team's own explanation of why these decisions were made this way "
                "(the journal's involvement justifications)."
            ),
        ]

    def decisions(self) -> list[object]:
        rows = []
        for d in self.given.decisions:
            owned = {True: "yes", False: "no", None: "not judged"}[d.jointly_owned]
            took_part = ", ".join(
                f"{words(p)} {n} of {d.electorate.get(p, n)}" for p, n in d.participation.items()
            )
            rows.append(
                (
                    d.title,
                    stage_label(d.stage),
                    "key" if d.key else "other",
                    words(d.rule) if d.by_proposal else "decided alone",
                    took_part or "\N{EM DASH}",
                    d.outcome,
                    owned,
                    cite(self.decision_positions(d)),
                )
            )
        return [
            table(
                "Every proposal and direct decision, in the order they began",
                (
                    "Decision",
                    "Stage",
                    "Kind",
                    "Rule",
                    "Took part (of those asked)",
                    "Outcome",
                    "Jointly owned",
                    "Evidence",
                ),
                rows,
                widths=(18, 14, 7, 9, 21, 9, 9, 13),
                empty="none yet",
            )
        ]

    # --- the frameworks -----------------------------------------------------------------

    def evidence_table(self, caption: str, items: Sequence[tuple[str, object, object]]) -> Safe:
        return table(
            caption,
            ("Item", "What the governance record shows", "Not yet recorded"),
            items,
            widths=(22, 56, 22),
            class_="framework",
        )

    def public_ids(self) -> list[str]:
        return [m for m in self.facts.joined if PUBLIC in self.facts.perspectives.get(m, ())]

    def public_acts(self) -> list[Act]:
        return [a for m in self.public_ids() for a in self.facts.acts.get(m, [])]

    def involvement_by_stage(self) -> Safe:
        acts = self.public_acts()
        by_stage: dict[str, list[int]] = defaultdict(list)
        for a in acts:
            by_stage[a.stage].append(a.position)
        parts = [
            join([f"{stage_label(s)}: {count(len(by_stage[s]), 'act')} ", cite(by_stage[s])])
            for s, _ in self.facts.stages
            if by_stage.get(s)
        ]
        gaps = [stage_label(s) for s, _ in self.facts.stages if not by_stage.get(s)]
        gap_text = f" No act by a public member was recorded in: {', '.join(gaps)}." if gaps else ""
        return join([join(parts, "; ") if parts else "none recorded", ".", gap_text])

    def gaps_line(self) -> Safe:
        """The stages reached with no act by a public member, citing each stage's events."""
        active = {a.stage for a in self.public_acts()}
        span = self.stage_spans()
        gaps = [s for s in dict.fromkeys(s for s, _ in self.facts.stages) if s not in active]
        if not gaps:
            return join(
                [
                    "Members with the public perspective acted in every stage reached. ",
                    cite(p for _, p in self.facts.stages),
                ]
            )
        return join(
            [
                "No act by a public member was recorded in: ",
                join(
                    (
                        join([stage_label(s), " ", cite(range(span[s][0], span[s][1] + 1))])
                        for s in gaps
                        if s in span
                    ),
                    "; ",
                ),
                ".",
            ]
        )

    def changed(self) -> tuple[list[ProposalFacts], list[int]]:
        changed = [
            p
            for p in self.facts.proposals.values()
            if p.amendments or (p.objections and p.outcome == "rejected")
        ]
        positions = [pos for p in changed for pos, _ in p.amendments]
        positions += [pos for p in changed for pos, _, _ in p.objections]
        return changed, positions

    def ownership_line(self) -> Safe:
        key = [d for d in self.given.decisions if d.key and d.jointly_owned is not None]
        owned = [d for d in key if d.jointly_owned]
        return join(
            [
                f"{len(owned)} of {count(len(key), 'adopted key decision')} jointly owned by the "
                "public and researchers. ",
                cite(p for d in key for p in self.decision_positions(d)),
            ]
        )

    def public_power_line(self) -> Safe:
        rows = self.given.stage_power
        if not rows:
            return Safe("No power recorded yet.")
        first, last = rows[0], rows[-1]
        shares = [
            f"{label.lower()} from {percent(first.perspectives.get(PUBLIC, {}).get(m, 0))} to "
            f"{percent(last.perspectives.get(PUBLIC, {}).get(m, 0))}"
            for m, label, _ in MEASURES
        ]
        return join(
            [
                f"The public perspective's share of power went, from {stage_label(first.stage)} to "
                f"{stage_label(last.stage)}: {'; '.join(shares)}. ",
                cite([first.position, last.position]),
            ]
        )

    def charter_line(self) -> Safe:
        charter = self.given.project.charter
        required = charter.get("required_perspectives") or []
        positions = [self.facts.founded] if self.facts.founded else []
        positions += [e.position for e in self.facts.holdings if e.type == "CharterAmended"]
        return join(
            [
                f"The team's charter decides key matters by {words(str(charter.get('key_rule')))} "
                f"and other matters by {words(str(charter.get('operational_rule')))}, and needs "
                f"the agreement of {', '.join(words(p) for p in required) or 'no perspective'} in "
                "particular. ",
                cite(positions),
            ]
        )

    def rules_line(self) -> Safe:
        rules = self.facts.ground_rules
        if not rules:
            return Safe("No ground rules were adopted.")
        latest = rules[-1][1]
        return join(
            [
                "Ground rules adopted: ",
                join(
                    (
                        f"\N{LEFT DOUBLE QUOTATION MARK}{r}\N{RIGHT DOUBLE QUOTATION MARK}"
                        for r in latest
                    ),
                    "; ",
                ),
                ". ",
                cite(p for p, _ in rules),
            ]
        )

    def roles_line(self) -> Safe:
        public = set(self.public_ids())
        held = [
            (e.position, self.name(e.data.get("member_id")), str(e.data.get("role")))
            for e in self.facts.holdings
            if e.type == "RoleAssigned" and e.data.get("member_id") in public
        ]
        if not held:
            return Safe("No role was given to a member with the public perspective.")
        return join(
            [
                "Roles given to public members: ",
                ", ".join(f"{r} ({n})" for _, n, r in held),
                ". ",
                cite(p for p, _, _ in held),
            ]
        )

    def gripp2(self) -> list[object]:
        changed, changed_at = self.changed()
        members = self.public_ids()
        items = [
            (
                "1. Aim: the aim of public involvement in the study",
                join([self.charter_line(), " ", self.rules_line()]),
                "The team's own statement of its aims for involvement.",
            ),
            (
                "2. Methods: how patients and the public were involved",
                join(
                    [
                        f"{count(len(members), 'member')} with the public perspective sat on the "
                        "team and decided with the others by proposal and response. ",
                        cite(self.facts.joined[m] for m in members),
                        " ",
                        self.roles_line(),
                        " Involvement by stage: ",
                        self.involvement_by_stage(),
                    ]
                ),
                "How members were recruited, supported, trained and paid.",
            ),
            (
                "3. Results: the outcomes of involvement, good and bad",
                join(
                    [
                        f"{count(len(changed), 'proposal was', 'proposals were')} changed or "
                        "stopped "
                        "after objections or amendments (section 3). ",
                        cite(changed_at),
                        " ",
                        self.ownership_line(),
                    ]
                ),
                "Outcomes of involvement outside these decisions (the impact log).",
            ),
            (
                "4. Discussion: how far involvement influenced the study",
                join(
                    [
                        self.public_power_line(),
                        " ",
                        self.gaps_line(),
                    ]
                ),
                "The team's own assessment of its influence.",
            ),
            (
                "5. Reflections: what went well and what did not",
                "The governance record holds decisions, not reflections.",
                "Every reflection (the journal's reflections and dialogue).",
            ),
        ]
        return [
            el(
                "p",
                "The short form of the Guidance for Reporting Involvement of Patients and the "
                "Public (GRIPP2-SF), answered from the record.",
            ),
            self.evidence_table("GRIPP2 short form", items),
        ]

    def standards(self) -> list[object]:
        f = self.facts
        perspectives_present = sorted(
            {p for m in f.joined for p in f.perspectives.get(m, ())}, key=self.perspective_order
        )
        dialogue = [pos for p in f.proposals.values() for pos, _ in (*p.comments, *p.amendments)]
        changed, changed_at = self.changed()
        items = [
            (
                "Inclusive opportunities",
                join(
                    [
                        "Perspectives on the team: ",
                        ", ".join(words(p) for p in perspectives_present),
                        f". {count(len(f.joined), 'person', 'people')} joined over the project. ",
                        cite(f.joined.values()),
                    ]
                ),
                "How opportunities were offered, to whom, and what made them accessible.",
            ),
            (
                "Working together",
                join(
                    [
                        self.rules_line(),
                        " ",
                        count(len(dialogue), "comment or amendment", "comments and amendments"),
                        " in discussion. ",
                        cite(dialogue),
                    ]
                ),
                "How relationships were built and kept (the journal's relationship entries).",
            ),
            (
                "Support and learning",
                self.roles_line(),
                "Training, mentoring and support offered and taken up.",
            ),
            (
                "Governance",
                join([self.ownership_line(), " ", self.public_power_line()]),
                "Involvement in governance outside this team (steering and oversight groups).",
            ),
            (
                "Communications",
                join(
                    [
                        f"Every decision is recorded with its reasons: "
                        f"{count(len(self.given.decisions), 'decision')} in section 6. ",
                        cite(p for d in self.given.decisions for p in self.decision_positions(d)),
                    ]
                ),
                "How and when the team communicated, and in what language.",
            ),
            (
                "Impact",
                join(
                    [
                        f"{count(len(changed), 'proposal was', 'proposals were')} changed or "
                        "stopped "
                        "after objections or amendments. ",
                        cite(changed_at),
                    ]
                ),
                "The difference involvement made to the research and to the people involved.",
            ),
        ]
        return [
            el(
                "p",
                "The six UK Standards for Public Involvement in research, with what the "
                "governance record shows for each.",
            ),
            self.evidence_table("UK Standards for Public Involvement", items),
        ]

    def perspective_order(self, perspective: str) -> int:
        try:
            return self.perspectives.index(perspective)
        except ValueError:
            return len(self.perspectives)

    def hra(self) -> list[object]:
        changed, changed_at = self.changed()
        aspects = {
            "Design of the research": ("priority_setting", "design"),
            "Management of the research": ("funding", "ethics_review"),
            "Undertaking the research": ("delivery",),
            "Analysis of results": ("analysis",),
            "Dissemination of findings": ("dissemination", "knowledge_exchange", "evaluation"),
        }
        acts = self.public_acts()
        rows = []
        for aspect, stages in aspects.items():
            positions = [a.position for a in acts if a.stage in stages]
            reached = any(s in stages for s, _ in self.facts.stages)
            answer: object = (
                join([f"Yes: {count(len(positions), 'act')} by public members. ", cite(positions)])
                if positions
                else ("No act by a public member recorded." if reached else "Not reached yet.")
            )
            stage_names = ", ".join(stage_label(s).lower() for s in stages)
            rows.append(
                (
                    f"{aspect} (the {stage_names} {'stage' if len(stages) == 1 else 'stages'})",
                    answer,
                )
            )
        items = [
            (
                "In which parts of the research have patients, service users, carers or the "
                "public been involved?",
                el("ul", *(el("li", el("strong", a), ": ", ans) for a, ans in rows)),
                "Involvement outside the team's decisions.",
            ),
            (
                "Give details of the involvement.",
                join([self.roles_line(), " ", self.charter_line()]),
                "Numbers reached outside the team; methods such as workshops or surveys.",
            ),
            (
                "How has involvement changed the research?",
                join(
                    [
                        f"{count(len(changed), 'proposal was', 'proposals were')} changed or "
                        "stopped "
                        "after objections or amendments (section 3). ",
                        cite(changed_at),
                    ]
                ),
                "Changes recorded in the journal's impact log.",
            ),
            (
                "Where the public were not involved, why not?",
                self.gaps_line(),
                "The team's justification for each gap.",
            ),
            (
                "How were public contributors paid and supported?",
                self.rules_line(),
                "Payments and support given (the journal's recognition and support entries).",
            ),
        ]
        return [
            el(
                "p",
                "The questions the Health Research Authority asks about public involvement in "
                "a research application, answered from the record.",
            ),
            self.evidence_table("HRA public involvement questions", items),
        ]

    def checking(self) -> list[object]:
        cp = self.given.checkpoint
        return [
            el(
                "p",
                f"This report was drawn from the checkpoint of {cp.origin} at tree size "
                f"{cp.size}, in checkpoint.txt beside it, signed with the key in key.txt. "
                "To check everything at once: ",
                el("code", "cogov audit verify --pack audit-pack.zip"),
                ". It checks the signature, recomputes each line of events.jsonl into its leaf "
                "hash and checks its proof against the checkpoint's root, and names the first "
                "line that fails. README.txt in the pack says how to check each file by hand, "
                "with any RFC 6962 and C2SP signed-note tools.",
            ),
            el(
                "p",
                "Keep checkpoint.txt and key.txt: a later pack's consistency.json proves that "
                "the later record extends this one, nothing removed or rewritten.",
            ),
            el("pre", f"{cp.origin}\n{cp.size}\n{_b64(cp.root)}", class_="checkpoint"),
        ]

    def appendix(self) -> list[object]:
        rows = [
            (
                Num(e.position),
                day(e.recorded_at),
                stage_label(self.facts.stage_of[e.position]),
                self.who(e),
                self.describe(e),
            )
            for e in self.given.events
        ]
        return [
            table(
                "Every event of the project, by position",
                ("Position", "When", "Stage", "Who", "What happened"),
                rows,
                widths=(8, 15, 16, 17, 44),
                class_="events",
            )
        ]

    def who(self, e: EventRecord) -> str:
        if e.type in ("ResponseGiven", "ObjectionWithdrawn"):
            return self.name(e.data.get("member_id"))
        return self.name(e.actor)

    def title_of(self, e: EventRecord) -> str:
        proposal = self.facts.proposals.get(str(e.aggregate_id))
        return (
            f"\N{LEFT DOUBLE QUOTATION MARK}{proposal.title if proposal else '?'}"
            "\N{RIGHT DOUBLE QUOTATION MARK}"
        )

    def describe(self, e: EventRecord) -> str:
        d = e.data
        member = self.name(d.get("member_id")) if "member_id" in d else ""
        perspectives = ", ".join(words(p) for p in d.get("perspectives") or ())
        simple = {
            "ProjectFounded": f"founded the project \N{LEFT DOUBLE QUOTATION MARK}"
            f"{d.get('title')}\N{RIGHT DOUBLE QUOTATION MARK}",
            "MemberAdmitted": f"admitted {member} ({perspectives})",
            "PerspectivesChanged": f"recorded {member}'s perspectives as {perspectives}",
            "MemberLeft": f"{member} left the project",
            "MemberRemoved": f"removed {member}",
            "MemberErased": "erased a member's details at their request",
            "RoleDefined": f"defined the {'leadership ' if d.get('leadership') else ''}role "
            f"\N{LEFT DOUBLE QUOTATION MARK}{d.get('name')}\N{RIGHT DOUBLE QUOTATION MARK}",
            "RoleAssigned": f"gave {member} the role {d.get('role')}",
            "RoleRelinquished": f"{member} no longer holds the role {d.get('role')}",
            "AreaDelegated": f"delegated the {words(str(d.get('area')))} area to "
            + ", ".join(self.name(m) for m in d.get("member_ids") or ()),
            "DelegationRevoked": f"took back the {words(str(d.get('area')))} area",
            "CharterAmended": "amended the charter: "
            + ", ".join(f"{words(str(k))} {v}" for k, v in (d.get("changes") or {}).items()),
            "GroundRulesAdopted": f"adopted {count(len(d.get('rules') or ()), 'ground rule')}",
            "StageEntered": f"moved the project into the {words(str(d.get('stage')))} stage",
            "DecisionRecordedDirectly": f"decided alone: \N{LEFT DOUBLE QUOTATION MARK}"
            f"{d.get('title')}\N{RIGHT DOUBLE QUOTATION MARK} ({words(str(d.get('area')))}"
            f"{', a key decision' if d.get('key') else ''})",
            "AuditorAdded": f"gave an auditor read access until {day(d.get('expires_at'))}",
            "AuditorRevoked": "ended an auditor's access",
            "TokenIssued": f"issued an access token to {self.name(d.get('holder'))}",
            "TokenRevoked": f"revoked the access token of {self.name(d.get('holder'))}",
            "ActionNotApplied": f"an adopted action could not apply: {d.get('reason')}",
        }
        if e.type in simple:
            return simple[e.type]
        title = self.title_of(e)
        if e.type == "ProposalTabled":
            key = ", a key decision" if d.get("key") else ""
            return f"tabled {title} ({words(str(d.get('area')))}{key})"
        if e.type == "ResponseGiven":
            stance = STANCES.get(str(d.get("stance")), str(d.get("stance")))
            proxy = f" (given by {self.name(d['cast_by'])} as proxy)" if d.get("cast_by") else ""
            return f"{stance} {title}{proxy}"
        if e.type == "ProxyAppointed":
            return f"asked {self.name(d.get('proxy'))} to respond on {title} for them"
        if e.type == "ProposalAmended":
            return f"amended {title}"
        if e.type == "ObjectionWithdrawn":
            return f"withdrew their objection to {title}"
        if e.type == "CommentPosted":
            return f"commented on {title}"
        if e.type == "ProposalWithdrawn":
            return f"withdrew {title}"
        if e.type == "ProposalClosed":
            return f"{title} closed: {d.get('outcome')}"
        return words(e.type)


def report_html(given: ReportInput) -> str:
    """The report as one self-contained HTML page (no script, no external resource)."""
    return Report(given).html()


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def css_string(text: str) -> str:
    """`text` as a CSS string literal, every character that could end it escaped."""
    out = []
    for c in text:
        if c.isalnum() or c in " .,:;/-_()\N{EN DASH}":
            out.append(c)
        else:
            out.append(f"\\{ord(c):06x}")
    return '"' + "".join(out) + '"'


# --- charts -----------------------------------------------------------------------------


def stacked_bars(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Mapping[str, float]]],
    series: Sequence[tuple[str, str]],
) -> Safe:
    """A horizontal 100% stacked bar per row, in SVG: label at the left, a segment per
    series with its share written inside when it fits, an axis in percent, and a legend."""
    left, width, bar, gap, top, right = 150, 440, 24, 10, 8, 26
    height = top + len(rows) * (bar + gap)
    legend_y = height + 30
    per_row = max(1, min(len(series), 4))
    total_height = legend_y + 22 * ((len(series) + per_row - 1) // per_row) + 4
    parts: list[Safe] = [
        el("title", title, id=f"{chart_id}-title"),
        el("desc", description, id=f"{chart_id}-desc"),
    ]
    for tick in (0, 25, 50, 75, 100):
        x = left + width * tick / 100
        parts.append(
            Safe(
                f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height}" '
                'stroke="#8a8a8a" stroke-width="1" stroke-dasharray="2 3"/>'
            )
        )
        parts.append(
            el(
                "text",
                f"{tick}%",
                x=f"{x:.1f}",
                y=height + 16,
                text_anchor="middle",
                font_size="11",
                fill="#1a1a1a",
            )
        )
    colours = dict(series)
    for i, (label, shares) in enumerate(rows):
        y = top + i * (bar + gap)
        parts.append(
            el(
                "text",
                label,
                x=left - 8,
                y=y + bar * 0.68,
                text_anchor="end",
                font_size="12",
                fill="#1a1a1a",
            )
        )
        total = sum(shares.values())
        if not total:
            parts.append(
                el(
                    "text",
                    "none held",
                    x=left + 6,
                    y=y + bar * 0.68,
                    font_size="11",
                    fill="#1a1a1a",
                    font_style="italic",
                )
            )
            continue
        x = float(left)
        for name, share in shares.items():
            w = width * share / total
            if w <= 0:
                continue
            key = words(name)
            parts.append(
                el(
                    "rect",
                    el("title", f"{label}, {key}: {percent(share)}"),
                    x=f"{x:.2f}",
                    y=y,
                    width=f"{w:.2f}",
                    height=bar,
                    fill=colours.get(key, PALETTE[-1]),
                    stroke="#ffffff",
                    stroke_width="1",
                )
            )
            if w >= 34:
                parts.append(
                    el(
                        "text",
                        percent(share),
                        x=f"{x + w / 2:.1f}",
                        y=y + bar * 0.68,
                        text_anchor="middle",
                        font_size="11",
                        fill="#ffffff",
                        font_weight="bold",
                    )
                )
            x += w
    for i, (name, colour) in enumerate(series):
        lx = left + (i % per_row) * (width // per_row)
        ly = legend_y + (i // per_row) * 22
        parts.append(
            Safe(f'<rect x="{lx}" y="{ly - 11}" width="14" height="14" fill="{esc(colour)}"/>')
        )
        parts.append(el("text", name, x=lx + 20, y=ly, font_size="12", fill="#1a1a1a"))
    return el(
        "svg",
        *parts,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {left + width + right} {total_height}",
        width=left + width + right,
        height=total_height,
        role="img",
        aria_labelledby=f"{chart_id}-title {chart_id}-desc",
        class_="chart",
        font_family="DejaVu Sans, Arial, sans-serif",
    )


STYLE = """
:root { color: #1a1a1a; background: #ffffff; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; line-height: 1.45;
  max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; font-size: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 2px solid #0060A0;
  padding-bottom: 0.2rem; }
a { color: #0b4f8a; }
.lede { font-size: 1.05rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.id { color: #4d4d4d; font-size: 0.8em; overflow-wrap: anywhere; }
.cite { color: #3d3d3d; font-size: 0.82em; }
.source { color: #3d3d3d; font-size: 0.8rem; border-top: 1px solid #b0b0b0;
  padding-top: 0.3rem; margin-top: 1rem; }
.not-recorded { border-left: 4px solid #8C6D00; padding: 0.2rem 0 0.2rem 0.6rem;
  background: #fbf6e6; }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; margin: 0.6rem 0 1.2rem; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; break-after: avoid; }
th, td { border: 1px solid #8a8a8a; padding: 0.25rem 0.4rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
thead th { background: #e6edf5; hyphens: auto; }
tbody th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.fixed { table-layout: fixed; }
table.events { font-size: 0.78rem; }
table.events td, table.events th { padding: 0.1rem 0.3rem; }
td:nth-child(2) { hyphens: manual; }
figure { margin: 1rem 0 1.5rem; }
figcaption { margin-bottom: 0.4rem; }
.pair { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.pair svg { flex: 1 1 30rem; max-width: 100%; height: auto; }
.pair table { flex: 1 1 18rem; width: auto; margin-top: 0; }
pre.checkpoint { background: #f2f2f2; padding: 0.6rem; overflow-wrap: anywhere;
  white-space: pre-wrap; font-size: 0.85rem; }
nav ol { columns: 2; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8pt; }
  th, td { padding: 0.15rem 0.25rem; }
  h2 { break-after: avoid; }
  tr, figure, li { break-inside: avoid; }
  thead { display: table-header-group; }
  .pair { display: block; }
  .pair svg { width: 100%; }
  .pair table { width: 100%; margin-top: 0.5rem; }
  a { color: #1a1a1a; text-decoration: none; }
}
@page { size: A4; margin: 16mm 14mm 18mm;
  @bottom-left { content: /*FOOTER*/; font-size: 7.5pt; color: #3d3d3d;
    font-family: "DejaVu Sans", Arial, sans-serif; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 7.5pt;
    color: #3d3d3d; font-family: "DejaVu Sans", Arial, sans-serif; } }
"""
