"""The report for a research ethics committee: an accessible HTML page, charts included.

Who was involved and with what lived experience, what they did, when and how often, how
their input changed the research, how power moved across stages, which key decisions were
not jointly owned and why, and the GRIPP2 short form, the UK Standards for Public
Involvement and the HRA's public involvement questions answered from the record: the
governance events and the co-production log, with the scorecard read from both. Every
statement cites the positions of the events behind it and the checkpoint it was drawn from,
so a reader can check each one against `events.jsonl` in the audit pack. Where the log is
silent the report says so, in those words: silence is a gap in the record, never a verdict
on the team.

Pure: the caller gathers the facts (audit_pack.py), this module only writes text. Every
value goes through `esc` (or `el`, which escapes its children and attributes): markup is only
ever a `Safe` built here. Charts are SVG written by hand (no script), each with its data in a
table beside it; a PDF renderer (infrastructure) prints the same page.
"""

from __future__ import annotations

import base64
import html
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from cogov.application.directory import ERASED_NAME
from cogov.application.frameworks import Statement
from cogov.application.notes import Checkpoint
from cogov.application.records import EventRecord, ProjectRecord
from cogov.application.scorecard import Evidence, Indicator, Scorecard, Status
from cogov.application.views import DecisionRow, JournalRow, MemberRow, PowerRow
from cogov.domain import GovernanceError
from cogov.domain.language import INSTANCE_ADMIN, PUBLIC, SYSTEM, Stage

SILENT = "The log is silent"
OUTSIDE = "Not in the record"
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
JOURNAL_EVENTS = {
    "JournalOpened",
    "ReflectionRecorded",
    "DialogueRecorded",
    "RecognitionRecorded",
    "SupportRecorded",
    "EthicsIssueRaised",
    "EthicsIssueResolved",
    "EthicsReviewRecorded",
    "InterestDeclared",
    "ImpactRecorded",
    "InvolvementJustified",
}
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
STATUS_WORDS = {
    Status.MET: "Met",
    Status.PARTIAL: "Partly met",
    Status.NOT_MET: "Not met",
    Status.NO_EVIDENCE: "Log silent",
}
RECOGNITION_WORDS = {
    "payment_offered": "payment offered",
    "payment_declined": "payment declined",
    "payment_claimed": "payment claimed",
    "payment_paid": "payment paid",
    "expenses_paid": "expenses paid",
    "training": "training",
    "co_authorship": "co-authorship",
    "acknowledgement": "acknowledgement",
    "other": "other recognition",
}
KIND_ORDER = {kind: i for i, kind in enumerate(RECOGNITION_WORDS)}
MONEY_KINDS = ("payment_paid", "expenses_paid")  # money that reached the member
SUPPORT_WORDS = {"access_adjustment": "access adjustment"}
DIALOGUE_WORDS = {"online": "online session", "other": "other exchange"}
IMPACT_WORDS = {
    "research": "on the research",
    "practice": "on practice",
    "policy": "on policy",
    "community": "on a community",
    "personal": "on people personally",
}
OPINION_WORDS = {
    "favourable": "favourable",
    "favourable_with_conditions": "favourable, with conditions",
    "further_information": "further information requested",
    "unfavourable": "unfavourable",
    "not_required": "ethics review not required",
}
# ISO 4217 currencies whose minor unit is not a hundredth (all others have two digits)
MINOR_DIGITS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
}
SYMBOLS = {"GBP": "\N{POUND SIGN}", "EUR": "\N{EURO SIGN}"}
# The kinds of co-production log entry, in the words the report uses (singular, plural).
ENTRY_WORDS = {
    "reflection": ("reflection", "reflections"),
    "dialogue": (
        "meeting, workshop or online session",
        "meetings, workshops and online sessions",
    ),
    "recognition": ("recognition or payment entry", "recognition and payment entries"),
    "support": ("support entry", "support entries"),
    "ethics_issue": ("ethics issue raised", "ethics issues raised"),
    "ethics_resolution": ("ethics issue resolved", "ethics issues resolved"),
    "ethics_review": ("ethics review", "ethics reviews"),
    "interest": ("declared interest", "declared interests"),
    "impact": ("impact", "impacts"),
    "involvement_justification": (
        "reason for a stage without public involvement",
        "reasons for stages without public involvement",
    ),
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
    scorecard: Scorecard  # judged at the same checkpoint, at `generated_at`
    journal: Sequence[JournalRow]  # the co-production log's entries, in position order


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


def silent(text: object) -> Safe:
    """A plain note that the co-production log holds nothing on something."""
    return el("p", el("strong", SILENT), ": ", text, class_="not-recorded")


def outside(text: object) -> Safe:
    """A plain note that cogov keeps no record of something at all."""
    return el("p", el("strong", OUTSIDE), ": ", text, class_="not-recorded")


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


def money(amount_minor: int, currency: str) -> str:
    """1234, 'GBP' -> '\N{POUND SIGN}12.34'; 1234, 'JPY' -> 'JPY 1,234'."""
    digits = MINOR_DIGITS.get(currency, 2)
    amount = f"{Decimal(amount_minor).scaleb(-digits):,.{digits}f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{currency} {amount}"


def days(n: float) -> str:
    """2.5 -> '2.5 days', 1.0 -> '1 day'."""
    return f"{n:g} {'day' if n == 1 else 'days'}"


def full_stop(text: str) -> str:
    """The text ending as a sentence does."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "\N{RIGHT DOUBLE QUOTATION MARK}")) else text + "."


# The longest free text the report quotes from one log entry: the report is read on paper,
# and the whole text is in journal.csv and events.jsonl at the position cited beside it.
EXCERPT = 400


def excerpt(value: object) -> str:
    """A log entry's free text, cut at a word before EXCERPT characters when longer."""
    text = str(value or "")
    if len(text) <= EXCERPT:
        return text
    cut = text[:EXCERPT].rsplit(" ", 1)[0] or text[:EXCERPT]
    return cut.rstrip() + " \N{HORIZONTAL ELLIPSIS} (cut; the whole text is in journal.csv)"


def power_chart(
    measure: str,
    label: str,
    rows: Sequence[PowerRow],
    perspectives: Sequence[str],
    colours: Mapping[str, str],
) -> tuple[Safe, list[str]]:
    """The stacked bars of one measure's shares by perspective, a bar per power row, and the
    perspectives they show (those that ever held a share; the first if none did)."""
    shown = [
        p for p in perspectives if any(r.perspectives.get(p, {}).get(measure, 0) for r in rows)
    ] or list(perspectives[:1])
    data = [  # a row where the measure was not computed has no bar (its table says so)
        (stage_label(r.stage), {p: r.perspectives.get(p, {}).get(measure) or 0.0 for p in shown})
        for r in rows
        if measure not in r.not_computed
    ]
    description = "; ".join(
        f"{stage}: " + ", ".join(f"{words(p)} {percent(v)}" for p, v in shares.items())
        for stage, shares in data
    )
    chart = stacked_bars(
        f"chart-{measure}",
        f"{label} by perspective at the end of each stage",
        description,
        data,
        [(words(p), colours[p]) for p in shown],
    )
    return chart, shown


def quote(text: str) -> str:
    return f"\N{LEFT DOUBLE QUOTATION MARK}{text}\N{RIGHT DOUBLE QUOTATION MARK}"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def listed(items: Sequence[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def percent(share: float | None) -> str:
    """A share as a whole percentage; a measure not computed (PowerRow.not_computed) says so."""
    return "not computed" if share is None else f"{round(share * 100)}%"


def share_change(measure: str, before: float | None, after: float | None) -> str:
    """How a share moved between two stages, said plainly where either end was not
    computed (never "from not computed to 30%")."""
    if before is None and after is None:
        return f"{measure} not computed in either"
    if before is None:
        return f"{measure} {percent(after)} at the last (not computed at the first)"
    if after is None:
        return f"{measure} {percent(before)} at the first (not computed at the last)"
    return f"{measure} from {percent(before)} to {percent(after)}"


def concentration(index: float | None) -> str:
    return "not computed" if index is None else f"{index:,.0f}"


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
        self.card = given.scorecard
        self.log = list(given.journal)
        self.issue_titles = {
            str(r.data.get("issue_id")): str(r.data.get("title"))
            for r in self.log
            if r.kind == "ethics_issue"
        }
        charter = given.project.charter
        every = charter.get("reflection_every_days")
        # the scorecard's own reading of the views, for the stage each entry is about
        self.evidence = Evidence(
            project_id=str(given.project.id),
            now=datetime.fromisoformat(given.generated_at.replace("Z", "+00:00")),
            stage=given.project.stage,
            required_perspectives=tuple(charter.get("required_perspectives") or ()),
            reflection_every_days=every if isinstance(every, int) else None,
            members=tuple(given.participation),
            decisions=tuple(given.decisions),
            timeline=tuple(given.timeline),
            journal=tuple(given.journal),
        )
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
            ("log", "7. The co-production log and scorecard", self.coproduction()),
            ("gripp2", "8. GRIPP2 short form", self.gripp2()),
            ("standards", "9. UK Standards for Public Involvement", self.standards()),
            ("hra", "10. The HRA's public involvement questions", self.hra()),
            ("checking", "11. How to check this report", self.checking()),
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
                "record: every proposal, response, role and stage change, and every entry of "
                "the team's co-production log, as it was recorded, each event signed into a "
                "verifiable log.",
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
                "(section 11).",
            ),
            el(
                "p",
                "The report draws on two records. The governance record holds who was on the "
                "team, the decisions they made and how, and how power was shared. The team's "
                "co-production log holds how they worked together: reflections, meetings, "
                "payment and other recognition, support, ethics issues and reviews, declared "
                "interests, and the difference involvement made. The co-production scorecard "
                "(section 7) is read from both, at the same checkpoint. Where the log holds "
                "nothing on a question, the report says so plainly (",
                el("strong", SILENT),
                "): that is a gap in the record, not a judgement of the team. ",
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
        if not self.log:
            return Safe("The co-production log has no entries yet.")
        return join(
            [
                f"The co-production log holds {count(len(self.log), 'entry', 'entries')} "
                f"({self.log_counts()}), listed in the audit pack's journal.csv. ",
                cite(row.position for row in self.log),
            ]
        )

    def log_counts(self) -> str:
        """'3 reflections, 2 meetings and workshops, 1 impact', in the log's kinds' order."""
        tally = Counter(row.kind for row in self.log)
        return ", ".join(
            count(tally[kind], one, many)
            for kind, (one, many) in ENTRY_WORDS.items()
            if tally[kind]
        )

    def entries(self, *kinds: str) -> list[JournalRow]:
        return [row for row in self.log if row.kind in kinds]

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
            el("li", self.journal_line()),
            el(
                "li",
                "Of the co-production scorecard's "
                f"{count(len(self.card.indicators), 'indicator')}: {self.status_counts()} "
                "(section 7). ",
                cite(p for i in self.card.indicators for p in i.evidence),
            ),
        ]
        return [el("ul", *items)]

    def status_counts(self) -> str:
        tally = Counter(i.status for i in self.card.indicators)
        words_of = {
            Status.MET: "met",
            Status.PARTIAL: "partly met",
            Status.NOT_MET: "not met",
            Status.NO_EVIDENCE: "with nothing in the log yet",
        }
        return listed([f"{tally[s]} {w}" for s, w in words_of.items() if tally[s]]) or "none"

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
            outside(
                "what lived experience each member brings beyond their perspective, and how "
                "they were recruited. Members may say more in their own reflections "
                "(section 7)."
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
            self.log_activity(),
        ]

    def log_activity(self) -> Safe:
        """How often each member took part in the co-production log: meetings attended,
        their own reflections, ethics issues raised."""
        met = self.entries("dialogue")
        own = [r for r in self.entries("reflection") if r.data.get("scope") != "team"]
        issues = self.entries("ethics_issue")
        if not (met or own or issues):
            return silent("no meeting, reflection of a member's own or ethics issue is recorded.")
        rows = []
        for member in sorted(self.facts.joined, key=lambda m: self.facts.joined[m]):
            attended = [r for r in met if member in r.members]
            wrote = [r for r in own if r.actor == member]
            raised = [r for r in issues if r.actor == member]
            rows.append(
                (
                    self.name(member),
                    Num(len(attended)),
                    Num(len(wrote)),
                    Num(len(raised)),
                    cite(r.position for r in (*attended, *wrote, *raised)) or "none",
                )
            )
        return table(
            "What each member did in the co-production log (team reflections are the team's, "
            "counted in section 7)",
            ("Name", "Meetings attended", "Own reflections", "Ethics issues raised", "Evidence"),
            rows,
            widths=(20, 14, 14, 14, 38),
        )

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
            *self.impacts(),
        ]
        return out

    def impacts(self) -> list[object]:
        """The impact entries of the log: what changed, in the team's words."""
        rows = self.entries("impact")
        if not rows:
            return [
                silent(
                    "the co-production log records no impact of involvement, on the research "
                    "or on the people involved."
                )
            ]
        return [
            el(
                "p",
                "The difference involvement made, as the team recorded it in the "
                "co-production log:",
            ),
            el(
                "ul",
                *(
                    el(
                        "li",
                        el("strong", f"Impact {self.impact_kind(r)}"),
                        f": {full_stop(excerpt(r.data.get('text')))}",
                        f" Evidence noted: {full_stop(excerpt(r.data.get('evidence')))}"
                        if r.data.get("evidence")
                        else "",
                        f" Recorded by {self.name(r.actor)}, {day(r.recorded_at)}. ",
                        cite([r.position]),
                    )
                    for r in rows
                ),
            ),
        ]

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
                *(Num(concentration(r.hhi.get(m, 0.0))) for m, _, _ in MEASURES),
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
        chart, shown = power_chart(measure, label, rows, self.perspectives, self.colours)
        chart_id = f"chart-{measure}"
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
            outside(
                "the team's own account of why each of these decisions was made this way: "
                "no entry of the co-production log is tied to a decision. The team's "
                "reflections on each stage are in section 7."
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

    def impacts_line(self) -> Safe:
        rows = self.entries("impact")
        if not rows:
            return silent("no impact of involvement is recorded.")
        kinds = list(dict.fromkeys(self.impact_kind(r) for r in rows))
        return el(
            "p",
            f"The log records {count(len(rows), 'impact')} of involvement: "
            f"{listed(kinds)}, each in the team's words in section 3. ",
            cite(r.position for r in rows),
        )

    @staticmethod
    def impact_kind(row: JournalRow) -> str:
        kind = str(row.data.get("kind"))
        return IMPACT_WORDS.get(kind) or f"({words(kind)})"

    # --- the co-production log ----------------------------------------------------------

    def coproduction(self) -> list[object]:
        card = self.card
        return [
            el(
                "p",
                "How the team worked together beyond its decisions, from the co-production "
                "log, and the co-production scorecard judged from the log and the governance "
                f"record together as of {day(card.as_of)}. ",
                self.journal_line(),
            ),
            el("h3", "The scorecard"),
            el(
                "p",
                "One indicator for each principle and key feature of co-producing research "
                "in the NIHR's guidance, and for the clear responsibility and accountability "
                "and the ethical reflection and review that UKRI asks of co-produced research. "
                "Each is met, partly met or not met against a simple, published bar, or the "
                "log is silent on it: nothing recorded bears on it yet, which says nothing "
                "about the team's work, only about its record. The bars count what the "
                "guidance names and never weigh one person's contribution against another's; "
                "they are not a grade.",
            ),
            table(
                "The co-production scorecard",
                ("Indicator", "Status", "What the record shows", "Evidence"),
                [
                    (
                        sentence(i.principle),
                        el("strong", STATUS_WORDS[i.status]),
                        i.explanation,
                        cite(i.evidence) or "none",
                    )
                    for i in card.indicators
                ],
                widths=(24, 11, 47, 18),
                class_="scorecard",
            ),
            el("h3", "Involvement in each stage"),
            *self.involvement(),
            el("h3", "Reflection"),
            *self.reflections(),
            el("h3", "Dialogue"),
            *self.dialogue(),
            el("h3", "Recognition, payment and support"),
            *self.recognition(),
            *self.support(),
            el("h3", "Impact"),
            self.impacts_line(),
            el("h3", "Ethics"),
            *self.ethics(),
            el("h3", "Declared interests"),
            *self.interests(),
        ]

    def stage_evidence(self) -> dict[str, list[int]]:
        """The events behind each stage's involvement, by the scorecard's definition: each
        decision of the stage (its proposal's events), and the reflections, dialogue and
        ethics issues about it."""
        found: dict[str, list[int]] = defaultdict(list)
        for d in self.given.decisions:
            found[d.stage].extend(self.decision_positions(d))
        for row in self.entries("reflection", "dialogue", "ethics_issue"):
            found[self.evidence.entry_stage(row)].append(row.position)
        return found

    def involvement(self) -> list[object]:
        card = self.card
        shown = [
            p for p in self.perspectives if any(t.get(p) for t in card.involvement.values())
        ] or self.perspectives[:1]
        gaps = {g.stage: g for g in card.gaps}
        evidence = self.stage_evidence()
        rows = []
        for stage, tally in card.involvement.items():
            gap = gaps.get(stage)
            if gap is None:
                public: object = "yes"
            elif gap.justified:
                public = join(["none; the team recorded why: ", quote(gap.reason or "")])
            else:
                public = "none, and no reason recorded"
            rows.append(
                (
                    stage_label(stage),
                    *(Num(tally.get(p, 0)) for p in shown),
                    public,
                    cite([*evidence.get(stage, []), *(gap.evidence if gap else ())]),
                )
            )
        n = len(shown)
        return [
            el(
                "p",
                "How many different people of each perspective took part in each stage "
                "reached: by tabling or responding to a proposal (a proxy and the member they "
                "answered for both count), recording a reflection about the stage, attending "
                "a meeting held during it, or raising an ethics issue about it. A person "
                "counts once per stage however often they took part, and in each perspective "
                "they hold. A stage without public involvement is a gap; the log may record "
                "why.",
            ),
            table(
                "Different people taking part in each stage, by perspective",
                ("Stage", *(words(p) for p in shown), "Public involvement", "Evidence"),
                rows,
                widths=(16, *([int(44 / n)] * n), 24, 16),
                empty="no stage reached",
            ),
        ]

    def reflections(self) -> list[object]:
        rows = self.entries("reflection")
        schedule = self.card.reflection
        out: list[object] = []
        if schedule.every_days is not None:
            team = [r.position for r in rows if r.data.get("scope") == "team"]
            due = (
                f"a team reflection has been due since {day(schedule.due)}"
                if schedule.overdue
                else f"the next is due by {day(schedule.due)}"
            )
            last = (
                f"The last was on {day(schedule.last_team)}; "
                if schedule.last_team
                else "None has been recorded yet; "
            )
            out.append(
                el(
                    "p",
                    f"The team's charter asks for a team reflection at least every "
                    f"{count(schedule.every_days, 'day')}. {last}{due}. ",
                    cite(team[-1:] or ([self.facts.founded] if self.facts.founded else [])),
                )
            )
        if not rows:
            return [*out, silent("no reflection has been recorded, by the team or a member.")]
        by_stage: dict[str, list[JournalRow]] = defaultdict(list)
        for r in rows:
            by_stage[self.evidence.entry_stage(r)].append(r)
        stages = list(dict.fromkeys([*self.evidence.stages_entered(), *by_stage]))
        table_rows = []
        for stage in stages:
            here = by_stage.get(stage, [])
            themes = sorted({str(t) for r in here for t in r.data.get("themes") or ()})
            table_rows.append(
                (
                    stage_label(stage),
                    Num(sum(r.data.get("scope") == "team" for r in here)),
                    Num(sum(r.data.get("scope") != "team" for r in here)),
                    ", ".join(themes) or ("none" if here else "no reflection"),
                    cite(r.position for r in here) or "none",
                )
            )
        team_rows = [r for r in rows if r.data.get("scope") == "team"]
        out += [
            el(
                "p",
                "Reflections on how the team is working together, made together at a team "
                "meeting or by a member alone, with the themes they named.",
            ),
            table(
                "Reflections in each stage",
                ("Stage", "By the team", "By a member", "Themes", "Evidence"),
                table_rows,
                widths=(18, 12, 12, 38, 20),
            ),
        ]
        if team_rows:
            out += [
                el(
                    "p",
                    "What the team recorded when it reflected together (a member's own "
                    "reflections are counted above, not quoted; they are in the audit pack):",
                ),
                el(
                    "ul",
                    *(
                        el(
                            "li",
                            el(
                                "strong",
                                f"{day(r.recorded_at)}, "
                                f"{stage_label(self.evidence.entry_stage(r)).lower()}",
                            ),
                            f" (recorded by {self.name(r.actor)}): {excerpt(r.data.get('text'))} ",
                            cite([r.position]),
                        )
                        for r in team_rows
                    ),
                ),
            ]
        return out

    def dialogue(self) -> list[object]:
        rows = self.entries("dialogue")
        if not rows:
            return [silent("no meeting, workshop or other exchange of the team is recorded.")]
        kinds = Counter(self.dialogue_kind(r) for r in rows)
        people = {m for r in rows for m in r.members}
        return [
            el(
                "p",
                f"The team recorded {count(len(rows), 'exchange')} "
                f"({', '.join(count(n, k) for k, n in kinds.items())}), with "
                f"{count(len(people), 'person', 'different people')} taking part. ",
                cite(r.position for r in rows),
            ),
            table(
                "Meetings, workshops and other exchanges",
                ("Held", "Kind", "Who took part", "What happened", "Evidence"),
                [
                    (
                        day(str(r.data.get("held_at") or r.recorded_at)),
                        self.dialogue_kind(r),
                        f"{len(r.members)}: " + ", ".join(self.name(m) for m in r.members),
                        excerpt(r.data.get("summary")),
                        cite([r.position]),
                    )
                    for r in rows
                ],
                widths=(12, 11, 25, 40, 12),
            ),
        ]

    @staticmethod
    def dialogue_kind(row: JournalRow) -> str:
        kind = str(row.data.get("kind"))
        return DIALOGUE_WORDS.get(kind, words(kind))

    def recognition(self) -> list[object]:
        cards = self.card.recognition
        recognised = {r.member_id for r in cards}
        unrecognised = [m for m in self.active_public() if m not in recognised]
        note = el(
            "p",
            "What each member got back for their time, as the log records it: payments "
            "offered, claimed and paid, expenses, training, co-authorship and "
            "acknowledgement. Declining a payment is the member's own choice: it needs no "
            "reason, counts as recognition like any other, and never counts against anyone. "
            "A claim is matched to the next payment made to the member; a claim unpaid for "
            "more than 30 days is flagged.",
        )
        if not cards:
            return [note, silent("no payment or other recognition has been recorded.")]
        money_rows: dict[str, list[JournalRow]] = defaultdict(list)
        for row in self.entries("recognition"):
            if row.data.get("kind") in MONEY_KINDS and row.data.get("amount_minor") is not None:
                money_rows[str(row.data.get("member_id"))].append(row)
        rows = []
        joined = self.facts.joined
        for r in sorted(cards, key=lambda r: joined.get(r.member_id, 2**63)):
            waiting = [
                f"{count(c.days_waiting, 'day')} since {day(c.claimed_at)}"
                + (" (over 30 days)" if c.overdue else "")
                for c in r.unpaid_claims
            ]
            rows.append(
                (
                    self.name(r.member_id),
                    "; ".join(
                        f"{RECOGNITION_WORDS.get(k, words(k))}"
                        + (f" \N{MULTIPLICATION SIGN}{n}" if n > 1 else "")
                        for k, n in sorted(
                            r.kinds.items(), key=lambda kn: KIND_ORDER.get(kn[0], 99)
                        )
                    ),
                    self.paid(money_rows.get(r.member_id, [])) or "\N{EM DASH}",
                    ", ".join(f"{d:g}" for d in r.claim_to_payment_days) or "\N{EM DASH}",
                    "; ".join(waiting) or "none",
                    cite(r.evidence),
                )
            )
        out: list[object] = [
            note,
            table(
                "Recognition and payment, by member",
                (
                    "Member",
                    "Recognition recorded",
                    "Paid to them",
                    "Days from claim to payment",
                    "Claims waiting",
                    "Evidence",
                ),
                rows,
                widths=(15, 27, 14, 12, 16, 16),
            ),
        ]
        if unrecognised:
            out.append(
                el(
                    "p",
                    "No recognition is recorded yet for these members with the public "
                    f"perspective: {', '.join(self.name(m) for m in unrecognised)}. ",
                    cite(self.facts.joined[m] for m in unrecognised),
                )
            )
        return out

    @staticmethod
    def paid(rows: Sequence[JournalRow]) -> str:
        """The money paid to a member (payments and expenses), by currency."""
        totals: Counter[str] = Counter()
        for row in rows:
            totals[str(row.data.get("currency"))] += int(row.data.get("amount_minor") or 0)
        return ", ".join(money(n, c) for c, n in sorted(totals.items()))

    def support(self) -> list[object]:
        rows = self.entries("support")
        if not rows:
            return [
                silent("no training, access adjustment, mentoring or other support is recorded.")
            ]
        return [
            table(
                "Support given to members",
                ("Member", "Kind", "What was given", "Recorded", "Evidence"),
                [
                    (
                        self.name(str(r.data.get("member_id"))),
                        SUPPORT_WORDS.get(str(r.data.get("kind")), words(str(r.data.get("kind")))),
                        excerpt(r.data.get("text")),
                        day(r.recorded_at),
                        cite([r.position]),
                    )
                    for r in rows
                ],
                widths=(15, 13, 47, 12, 13),
            )
        ]

    def ethics(self) -> list[object]:
        reviews = self.entries("ethics_review")
        raised = self.entries("ethics_issue")
        resolved = {str(r.data.get("issue_id")): r for r in self.entries("ethics_resolution")}
        out: list[object] = []
        if reviews:
            out.append(
                table(
                    "Ethics reviews: the committees' opinions",
                    ("Committee", "Reference", "Opinion", "Given on", "Evidence"),
                    [
                        (
                            str(r.data.get("committee", "")),
                            str(r.data.get("reference", "")),
                            OPINION_WORDS.get(
                                str(r.data.get("outcome")), words(str(r.data.get("outcome")))
                            ),
                            day(str(r.data.get("decided_on") or "")),
                            cite([r.position]),
                        )
                        for r in reviews
                    ],
                    widths=(30, 16, 24, 14, 16),
                )
            )
        else:
            out.append(silent("no ethics committee's opinion is recorded."))
        if not raised:
            out.append(silent("no ethics issue has been raised in the log."))
            return out
        rows = []
        for r in raised:
            fix = resolved.get(str(r.data.get("issue_id")))
            rows.append(
                (
                    excerpt(r.data.get("title")),
                    stage_label(str(r.data.get("stage") or self.evidence.entry_stage(r))),
                    f"{self.name(r.actor)}, {day(r.recorded_at)}",
                    f"Resolved {day(fix.recorded_at)}: {excerpt(fix.data.get('how'))}"
                    if fix
                    else "Still open",
                    cite([r.position, *([fix.position] if fix else [])]),
                )
            )
        still_open = sum(str(r.data.get("issue_id")) not in resolved for r in raised)
        out += [
            el(
                "p",
                f"{count(len(raised), 'ethics issue was', 'ethics issues were')} raised by "
                f"members during the project; {len(raised) - still_open} resolved, "
                f"{still_open} still open. ",
                cite(r.position for r in raised),
            ),
            table(
                "Ethics issues raised, and how each was resolved",
                ("Issue", "Stage", "Raised by", "Resolution", "Evidence"),
                rows,
                widths=(22, 13, 17, 34, 14),
            ),
        ]
        return out

    def interests(self) -> list[object]:
        rows = self.entries("interest")
        if not rows:
            return [silent("no member has declared an interest.")]
        return [
            el("p", "Interests as members declared them; the log records them and judges none."),
            table(
                "Declared interests",
                ("Member", "Interest declared", "Recorded", "Evidence"),
                [
                    (
                        self.name(str(r.data.get("member_id"))),
                        excerpt(r.data.get("text")),
                        day(r.recorded_at),
                        cite([r.position]),
                    )
                    for r in rows
                ],
                widths=(18, 56, 13, 13),
            ),
        ]

    # --- the frameworks -----------------------------------------------------------------

    def evidence_table(self, caption: str, items: Sequence[tuple[str, object, object]]) -> Safe:
        return table(
            caption,
            ("Item", "What the record shows", "Where the log is silent"),
            items,
            widths=(19, 57, 24),
            class_="framework",
        )

    def drawn_on(self, item: Statement) -> list[Indicator]:
        """The scorecard indicators a framework item draws on (application/frameworks.py)."""
        by_code = {i.code: i for i in self.card.indicators}
        return [by_code[c] for c in item.indicators if c in by_code]

    def from_log(self, item: Statement) -> Safe:
        """What the log shows for a framework item: each indicator it draws on that has
        evidence, in its own words, citing its events."""
        spoken = [i for i in self.drawn_on(item) if i.status != Status.NO_EVIDENCE]
        if item.silent or not spoken:
            return Safe("")
        return el(
            "ul",
            *(
                el(
                    "li",
                    el("strong", f"{sentence(i.principle)} ({STATUS_WORDS[i.status].lower()})"),
                    f": {i.explanation} ",
                    cite(i.evidence),
                )
                for i in spoken
            ),
            class_="log",
        )

    def quiet(self, item: Statement, *unrecorded: str) -> Safe:
        """Where the log is silent on a framework item, said plainly, and what cogov keeps
        no record of at all."""
        silent_on = [i.principle for i in self.drawn_on(item) if i.status == Status.NO_EVIDENCE]
        if item.silent:
            said = item.text
        elif silent_on:
            said = f"The log holds nothing yet on {listed(silent_on, 'or')}."
        else:
            said = "Nowhere: every indicator behind this item has evidence in the log."
        return join(
            [el("p", said), *(el("p", el("strong", OUTSIDE), ": ", text) for text in unrecorded)]
        )

    def answer(self, governance: object, item: Statement) -> Safe:
        return join([el("p", governance), self.from_log(item)])

    def public_ids(self) -> list[str]:
        return [m for m in self.facts.joined if PUBLIC in self.facts.perspectives.get(m, ())]

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
            share_change(
                label.lower(),
                first.perspectives.get(PUBLIC, {}).get(m, 0),
                last.perspectives.get(PUBLIC, {}).get(m, 0),
            )
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

    def active_public(self) -> list[str]:
        """Current members with the public perspective, as the scorecard counts them."""
        return [
            m.member_id
            for m in self.given.participation
            if m.status == "active" and PUBLIC in m.perspectives
        ]

    def stage_public(self) -> list[tuple[str, int, Safe]]:
        """Each stage reached: how many people with the public perspective took part (the
        scorecard's count) and the evidence, with the recorded reason for a gap."""
        evidence = self.stage_evidence()
        gaps = {g.stage: g for g in self.card.gaps}
        found = []
        for stage, tally in self.card.involvement.items():
            gap = gaps.get(stage)
            positions = [*evidence.get(stage, []), *(gap.evidence if gap else ())]
            found.append((stage, tally.get(PUBLIC, 0), cite(positions)))
        return found

    def involvement_line(self) -> Safe:
        stages = self.stage_public()
        if not stages:
            return Safe("No stage reached yet.")
        took_part = [s for s, n, _ in stages if n]
        without = [stage_label(s).lower() for s, n, _ in stages if not n]
        evidence = self.stage_evidence()
        return join(
            [
                f"People with the public perspective took part in {len(took_part)} of the "
                f"{count(len(stages), 'stage')} reached"
                + (f", none in {listed(without)}" if without else "")
                + " (section 7). ",
                cite(p for s in took_part for p in evidence.get(s, [])),
            ]
        )

    def gaps_line(self) -> Safe:
        """The stages reached without public involvement, each with the team's recorded
        reason or the plain note that none is recorded."""
        gaps = self.card.gaps
        if not gaps:
            evidence = self.stage_evidence()
            return join(
                [
                    "People with the public perspective took part in every stage reached. ",
                    cite(p for s in self.card.involvement for p in evidence.get(s, [])),
                ]
            )
        evidence = self.stage_evidence()
        return join(
            (
                join(
                    [
                        f"No one with the public perspective took part in "
                        f"{stage_label(g.stage).lower()}",
                        join(
                            [
                                "; the team recorded why: \N{LEFT DOUBLE QUOTATION MARK}",
                                g.reason or "",
                                "\N{RIGHT DOUBLE QUOTATION MARK} ",
                            ]
                        )
                        if g.justified
                        else "; no reason is recorded. ",
                        cite([*evidence.get(g.stage, []), *g.evidence]),
                    ]
                )
                for g in gaps
            ),
            " ",
        )

    def dialogue_line(self) -> Safe:
        rows = self.entries("dialogue")
        if not rows:
            return Safe("")
        people = {m for r in rows for m in r.members}
        return join(
            [
                "The team recorded "
                + count(
                    len(rows),
                    "meeting, workshop or online session",
                    "meetings, workshops and online sessions",
                )
                + f", with {count(len(people), 'person', 'different people')} taking part. ",
                cite(r.position for r in rows),
            ]
        )

    def reflections_line(self) -> Safe:
        rows = self.entries("reflection")
        if not rows:
            return Safe("")
        team = sum(r.data.get("scope") == "team" for r in rows)
        return join(
            [
                f"The team recorded {count(len(rows), 'reflection')} on how it works "
                f"together, {team} of them made together (section 7). ",
                cite(r.position for r in rows),
            ]
        )

    def support_line(self) -> Safe:
        rows = self.entries("support")
        if not rows:
            return Safe("")
        kinds = sorted({SUPPORT_WORDS.get(k, words(k)) for k in self.kinds_of(rows)})
        people = {str(r.data.get("member_id")) for r in rows}
        return join(
            [
                f"{count(len(rows), 'support entry', 'support entries')} for "
                f"{count(len(people), 'member')} ({', '.join(kinds)}). ",
                cite(r.position for r in rows),
            ]
        )

    @staticmethod
    def kinds_of(rows: Iterable[JournalRow]) -> list[str]:
        return [str(r.data.get("kind")) for r in rows]

    def payment_line(self) -> Safe:
        """Payment and recognition of public contributors: who was recognised, money paid,
        the wait from claim to payment, claims still waiting. A declined payment is stated
        as the member's choice, never as a shortfall."""
        cards = self.card.recognition
        if not cards:
            return Safe("")
        public = self.active_public()
        recognised = [m for m in public if any(r.member_id == m for r in cards)]
        rows = self.entries("recognition")
        paid = [
            r
            for r in rows
            if r.data.get("kind") in MONEY_KINDS and r.data.get("amount_minor") is not None
        ]
        delays = [d for r in cards for d in r.claim_to_payment_days]
        waiting = [c for r in cards for c in r.unpaid_claims]
        declined = sorted(
            {str(r.data.get("member_id")) for r in rows if r.data.get("kind") == "payment_declined"}
        )
        parts: list[object] = [
            f"{len(recognised)} of {count(len(public), 'current member')} with the public "
            "perspective had their time recognised (payment, expenses, training, "
            "co-authorship or acknowledgement). "
        ]
        if paid:
            parts.append(f"Paid to members in payments and expenses: {self.paid(paid)}. ")
        if delays:
            parts.append(
                f"Claims were paid a median of {days(statistics.median(delays))} after they "
                f"were made (the longest wait {days(max(delays))}). "
            )
        if waiting:
            over = sum(c.overdue for c in waiting)
            parts.append(
                f"{count(len(waiting), 'claim is', 'claims are')} still waiting"
                + (f", {over} of them for over 30 days. " if over else ". ")
            )
        if declined:
            parts.append(
                f"{count(len(declined), 'member')} chose to decline a payment, which needs no "
                "reason and counts as recognition like any other. "
            )
        parts.append(cite(r.position for r in rows))
        return join(parts)

    def gripp2(self) -> list[object]:
        changed, changed_at = self.changed()
        members = self.public_ids()
        card = self.card.gripp2_sf
        items = [
            (
                "1. Aim: the aim of public involvement in the study",
                self.answer(join([self.charter_line(), " ", self.rules_line()]), card["aim"]),
                self.quiet(
                    card["aim"], "the team's own written statement of its aims for involvement."
                ),
            ),
            (
                "2. Methods: how patients and the public were involved",
                self.answer(
                    join(
                        [
                            f"{count(len(members), 'member')} with the public perspective sat "
                            "on the team and decided with the others by proposal and response. ",
                            cite(self.facts.joined[m] for m in members),
                            " ",
                            self.roles_line(),
                            " ",
                            self.involvement_line(),
                            " ",
                            self.dialogue_line(),
                        ]
                    ),
                    card["methods"],
                ),
                self.quiet(card["methods"], "how members were recruited."),
            ),
            (
                "3. Results: the outcomes of involvement, good and bad",
                self.answer(
                    join(
                        [
                            f"{count(len(changed), 'proposal was', 'proposals were')} changed "
                            "or stopped after objections or amendments (section 3). ",
                            cite(changed_at),
                            " ",
                            self.ownership_line(),
                        ]
                    ),
                    card["results"],
                ),
                self.quiet(card["results"]),
            ),
            (
                "4. Discussion: how far involvement influenced the study",
                self.answer(
                    join([self.public_power_line(), " ", self.gaps_line()]), card["discussion"]
                ),
                self.quiet(card["discussion"]),
            ),
            (
                "5. Reflections: what went well and what did not",
                self.answer(
                    self.reflections_line()
                    or "The governance record holds decisions, not reflections.",
                    card["reflections"],
                ),
                self.quiet(card["reflections"]),
            ),
        ]
        return [
            el(
                "p",
                "The short form of the Guidance for Reporting Involvement of Patients and the "
                "Public (GRIPP2-SF), answered from the governance record and the co-production "
                "log. Each item draws on the scorecard's indicators named for it, in their own "
                "words, with their evidence.",
            ),
            self.evidence_table("GRIPP2 short form", items),
        ]

    def standards(self) -> list[object]:
        f = self.facts
        perspectives_present = sorted(
            {p for m in f.joined for p in f.perspectives.get(m, ())}, key=self.perspective_order
        )
        discussion = [pos for p in f.proposals.values() for pos, _ in (*p.comments, *p.amendments)]
        changed, changed_at = self.changed()
        card = self.card.uk_standards
        items = [
            (
                "Inclusive opportunities",
                self.answer(
                    join(
                        [
                            "Perspectives on the team: ",
                            ", ".join(words(p) for p in perspectives_present),
                            f". {count(len(f.joined), 'person', 'people')} joined over the "
                            "project. ",
                            cite(f.joined.values()),
                        ]
                    ),
                    card["inclusive_opportunities"],
                ),
                self.quiet(
                    card["inclusive_opportunities"],
                    "how opportunities to take part were offered, and to whom.",
                ),
            ),
            (
                "Working together",
                self.answer(
                    join(
                        [
                            self.rules_line(),
                            " ",
                            count(
                                len(discussion),
                                "comment or amendment",
                                "comments and amendments",
                            ),
                            " in discussion of proposals. ",
                            cite(discussion),
                            " ",
                            self.dialogue_line(),
                        ]
                    ),
                    card["working_together"],
                ),
                self.quiet(card["working_together"]),
            ),
            (
                "Support and learning",
                self.answer(
                    join([self.roles_line(), " ", self.support_line()]),
                    card["support_and_learning"],
                ),
                self.quiet(card["support_and_learning"]),
            ),
            (
                "Governance",
                self.answer(
                    join([self.ownership_line(), " ", self.public_power_line()]),
                    card["governance"],
                ),
                self.quiet(
                    card["governance"],
                    "involvement in governance outside this team, such as steering or "
                    "oversight groups.",
                ),
            ),
            (
                "Communications",
                self.answer(
                    join(
                        [
                            "Every decision is recorded with its reasons: "
                            f"{count(len(self.given.decisions), 'decision')} in section 6. ",
                            cite(
                                p for d in self.given.decisions for p in self.decision_positions(d)
                            ),
                        ]
                    ),
                    card["communications"],
                ),
                self.quiet(card["communications"]),
            ),
            (
                "Impact",
                self.answer(
                    join(
                        [
                            f"{count(len(changed), 'proposal was', 'proposals were')} changed "
                            "or stopped after objections or amendments. ",
                            cite(changed_at),
                        ]
                    ),
                    card["impact"],
                ),
                self.quiet(card["impact"]),
            ),
        ]
        return [
            el(
                "p",
                "The six UK Standards for Public Involvement in research, with what the "
                "governance record and the co-production log show for each.",
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
        gaps = {g.stage: g for g in self.card.gaps}
        by_stage = {s: (n, evidence) for s, n, evidence in self.stage_public()}
        rows = []
        for aspect, stages in aspects.items():
            reached = [s for s in stages if s in by_stage]
            parts: list[object] = []
            for s in reached:
                n, evidence = by_stage[s]
                gap = gaps.get(s)
                said = (
                    f"{count(n, 'person', 'people')} with the public perspective"
                    if n
                    else "no one with the public perspective"
                    + ("; the team recorded why (question 4)" if gap and gap.justified else "")
                )
                parts.append(join([f"{stage_label(s)}: {said} ", evidence]))
            answer: object = (
                join(
                    [
                        "Yes. " if any(by_stage[s][0] for s in reached) else "No. ",
                        join(parts, "; "),
                        ".",
                    ]
                )
                if reached
                else "Not reached yet."
            )
            stage_names = ", ".join(stage_label(s).lower() for s in stages)
            rows.append(
                (
                    f"{aspect} (the {stage_names} {'stage' if len(stages) == 1 else 'stages'})",
                    answer,
                )
            )
        impacts = self.entries("impact")
        unjustified = [stage_label(g.stage).lower() for g in self.card.gaps if not g.justified]
        items = [
            (
                "In which parts of the research have patients, service users, carers or the "
                "public been involved?",
                join(
                    [
                        el(
                            "p",
                            "How many different people with the public perspective took part "
                            "in each stage reached (section 7):",
                        ),
                        el("ul", *(el("li", el("strong", a), ": ", ans) for a, ans in rows)),
                    ]
                ),
                outside("involvement outside the team, such as surveys or wider consultation."),
            ),
            (
                "Give details of the involvement.",
                join(
                    [
                        el("p", self.roles_line(), " ", self.charter_line()),
                        el("p", self.dialogue_line(), " ", self.reflections_line())
                        if self.entries("dialogue", "reflection")
                        else None,
                    ]
                ),
                self.log_quiet(
                    ("dialogue", "meeting, workshop or online session"),
                    ("reflection", "reflection"),
                ),
            ),
            (
                "How has involvement changed the research?",
                join(
                    [
                        el(
                            "p",
                            f"{count(len(changed), 'proposal was', 'proposals were')} changed "
                            "or stopped after objections or amendments (section 3). ",
                            cite(changed_at),
                        ),
                        el(
                            "ul",
                            *(
                                el(
                                    "li",
                                    el("strong", f"Impact {self.impact_kind(r)}"),
                                    f": {r.data.get('text')} ",
                                    cite([r.position]),
                                )
                                for r in impacts
                            ),
                        )
                        if impacts
                        else None,
                    ]
                ),
                self.log_quiet(("impact", "impact of involvement")),
            ),
            (
                "Where the public were not involved, why not?",
                self.gaps_line(),
                el(
                    "p",
                    f"No reason is recorded for {listed(unjustified)}."
                    if unjustified
                    else "Nowhere: every gap has a recorded reason, or there is none.",
                ),
            ),
            (
                "How were public contributors paid and supported?",
                join(
                    [
                        el("p", self.payment_line()) if self.card.recognition else None,
                        el("p", self.support_line()) if self.entries("support") else None,
                    ]
                )
                or "Nothing is recorded.",
                self.log_quiet(
                    ("recognition", "payment or other recognition"),
                    ("support", "training, access adjustments, mentoring or other support"),
                ),
            ),
        ]
        return [
            el(
                "p",
                "The questions the Health Research Authority asks about public involvement in "
                "a research application, answered from the governance record and the "
                "co-production log.",
            ),
            self.evidence_table("HRA public involvement questions", items),
        ]

    def log_quiet(self, *kinds: tuple[str, str]) -> Safe:
        """The plain statement of which of these kinds of entry the log holds none of."""
        missing = [what for kind, what in kinds if not self.entries(kind)]
        if not missing:
            return el("p", "Nowhere: the log has entries on this.")
        return el("p", f"The log holds no {', and no '.join(missing)}.")

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
        if e.type in JOURNAL_EVENTS:
            return self.describe_entry(e)
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

    def describe_entry(self, e: EventRecord) -> str:
        """An event of the co-production log, in plain words."""
        d = e.data
        member = self.name(d.get("member_id")) if "member_id" in d else ""
        kind = str(d.get("kind"))
        quoted = "\N{LEFT DOUBLE QUOTATION MARK}{}\N{RIGHT DOUBLE QUOTATION MARK}".format
        if e.type == "ReflectionRecorded":
            whose = "team" if d.get("scope") == "team" else "personal"
            themes = ", ".join(str(t) for t in d.get("themes") or ())
            return f"recorded a {whose} reflection on the {words(str(d.get('stage')))} stage" + (
                f" ({themes})" if themes else ""
            )
        if e.type == "DialogueRecorded":
            people = count(len(d.get("attendees") or ()), "person", "people")
            when = day(str(d.get("held_at") or ""))
            return f"recorded a {DIALOGUE_WORDS.get(kind, words(kind))} held {when}, {people}"
        if e.type == "RecognitionRecorded":
            amount, currency = d.get("amount_minor"), d.get("currency")
            of = f" of {money(amount, currency)}" if isinstance(amount, int) and currency else ""
            activity = f", for {d.get('activity')}" if d.get("activity") else ""
            what = {
                "payment_offered": f"a payment{of} offered to {member}",
                "payment_declined": f"that {member} declined a payment{of}",
                "payment_claimed": f"a claim for payment{of} by {member}",
                "payment_paid": f"a payment{of} made to {member}",
                "expenses_paid": f"expenses{of} paid to {member}",
                "co_authorship": f"co-authorship for {member}",
                "acknowledgement": f"an acknowledgement of {member}",
            }.get(kind, f"{RECOGNITION_WORDS.get(kind, words(kind))}{of} for {member}")
            return f"recorded {what}{activity}"
        if e.type == "SupportRecorded":
            return f"recorded support for {member}: {SUPPORT_WORDS.get(kind, words(kind))}"
        if e.type == "EthicsIssueRaised":
            return f"raised an ethics issue: {quoted(d.get('title'))}"
        if e.type == "EthicsIssueResolved":
            title = self.issue_titles.get(str(d.get("issue_id")))
            return "recorded how the ethics issue " + (
                f"{quoted(title)} was resolved" if title else "was resolved"
            )
        if e.type == "EthicsReviewRecorded":
            outcome = str(d.get("outcome"))
            return (
                f"recorded the opinion of {d.get('committee')} ({d.get('reference')}): "
                f"{OPINION_WORDS.get(outcome, words(outcome))}"
            )
        if e.type == "InterestDeclared":
            return f"recorded an interest declared by {member}"
        if e.type == "ImpactRecorded":
            return f"recorded an impact {IMPACT_WORDS.get(kind, words(kind))}"
        if e.type == "InvolvementJustified":
            return f"recorded why the {words(str(d.get('stage')))} stage had no public involvement"
        return "opened the co-production log"


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
h3 { font-size: 1.08rem; margin: 1.4rem 0 0.4rem; }
td p { margin: 0 0 0.35rem; }
td ul { margin: 0.2rem 0 0.35rem; padding-left: 1.1rem; }
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
  h2, h3 { break-after: avoid; }
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
