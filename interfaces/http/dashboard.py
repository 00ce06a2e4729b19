"""The dashboard's HTML: a server-rendered page over the read models, for a co-production
team, its public contributors and its funders.

Every value goes through the report's `el`/`esc` (escaped by default) and its charts are the
report's accessible SVG, each with its data in a table beside it. The page holds no script
and loads only the package's own stylesheet. The caller (routes/dashboard.py) gathers the
facts through Governance; this module only writes markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

import attrs

from cogov.application.accountability import Accountability
from cogov.application.records import EventRecord, ProjectRecord
from cogov.application.report import (
    MEASURES,
    PALETTE,
    Num,
    Safe,
    el,
    esc,
    failed_reason,
    join,
    percent,
    power_chart,
    stage_label,
    table,
    words,
)
from cogov.application.scorecard import Indicator, Scorecard, Status
from cogov.application.views import DecisionRow, PowerRow
from cogov.domain import Outcome, Stage

STYLESHEET = "/dashboard-assets/dashboard.css"
SCRIPT = "/dashboard-assets/dashboard.js"
STATUS_WORDS = {
    Status.MET: ("Met", "met"),
    Status.PARTIAL: ("Partly met", "partial"),
    Status.NOT_MET: ("Not met", "not-met"),
    Status.NO_EVIDENCE: ("No evidence yet", "none"),
}
STATUS_MARKS = {"met": "\N{CHECK MARK}", "partial": "\N{CIRCLED DOT OPERATOR}"}
OUTCOME_WORDS = {
    "open": "Still open",
    "adopted": "Adopted",
    "rejected": "Rejected",
    "lapsed": "Lapsed (no decision in time)",
    "withdrawn": "Withdrawn",
}
CHOICES = (("", "Any"), ("true", "Yes"), ("false", "No"))


@attrs.frozen
class Filters:
    """The decisions table's filters, as the form sent them ('' or absent: any)."""

    outcome: str = ""
    key: str = ""
    stage: str = ""
    area: str = ""
    jointly_owned: str = ""

    def query(self) -> dict[str, str]:
        return {k: v for k, v in attrs.asdict(self).items() if v}


@attrs.frozen
class Moment:
    """The moment the page answers for: the end of `day` (UTC), the end of `stage` (just
    before the project next changed stage), or now when neither is chosen."""

    day: date | None = None
    stage: str | None = None
    until: datetime | None = None  # the end of `stage`

    @property
    def now(self) -> bool:
        return self.day is None and self.until is None

    @property
    def end(self) -> datetime | None:
        if self.until is not None:
            return self.until
        if self.day is None:
            return None
        return datetime.combine(self.day, time.max, tzinfo=UTC)

    def query(self) -> dict[str, str]:
        """The moment as the page's address gives it."""
        if self.day is not None:
            return {"as_of": self.day.isoformat()}
        return {"as_of_stage": self.stage} if self.stage and self.until else {}

    def covers(self, recorded_at: str | None) -> bool:
        """Whether something recorded at `recorded_at` (ISO 8601) had happened by then."""
        end = self.end
        if end is None:
            return recorded_at is not None
        if recorded_at is None:
            return False
        return _instant(recorded_at) <= end


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def stage_end(stage: str, timeline: Sequence[PowerRow]) -> Moment | None:
    """The end of the last spell the project spent in `stage` (just before the next power
    shift in another stage), or now while it is still in it; None if it never was."""
    spells = [i for i, row in enumerate(timeline) if row.stage == stage]
    if not spells:
        return None
    after = spells[-1] + 1
    if after == len(timeline):
        return Moment()
    return Moment(stage=stage, until=_instant(timeline[after].as_of) - timedelta(microseconds=1))


@attrs.frozen
class DashboardInput:
    project: ProjectRecord  # as it stood at the moment shown
    moment: Moment
    scorecard: Scorecard
    timeline: Sequence[PowerRow]  # every power shift up to the moment
    decisions: Sequence[DecisionRow]  # filtered, tabled by the moment
    accountability: Accountability
    names: Mapping[str, str | None]
    filters: Filters
    reader: str  # who is signed in, in words
    stages: Sequence[str]  # the stages the project has been in, in order
    notices: Sequence[str] = ()  # problems with the query, in plain words
    # Live updates, when the page shows now: the trail's position as the page was first
    # opened, the events after it (as the reader may see them), and every event type
    since: int | None = None
    recent: Sequence[EventRecord] = ()
    more_recent: bool = False  # more events came after `recent` than the page lists
    event_types: Sequence[str] = ()


def page(title: str, *body: object, lang: str = "en-GB", live: bool = False) -> str:
    """A page of the dashboard; `live` loads its one script, for live updates."""
    head = el(
        "head",
        Safe('<meta charset="utf-8">'),
        Safe('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        el("title", title),
        Safe(f'<link rel="stylesheet" href="{STYLESHEET}">'),
        Safe(f'<script src="{SCRIPT}" defer></script>') if live else None,
    )
    return "<!DOCTYPE html>\n" + el("html", head, el("body", *body), lang=lang)


def sign_in_page(pid: str, title: str, message: str | None = None) -> str:
    """The sign-in form: a token, posted (never put in the address)."""
    form = el(
        "form",
        el("label", "Your cogov token", for_="token"),
        el(
            "p",
            "A member or auditor token, as given to you by the project's Facilitator. "
            "It is kept in a cookie this page cannot read from a script, and never "
            "shown on the page.",
            id="token-hint",
            class_="hint",
        ),
        Safe(
            '<input id="token" name="token" type="password" autocomplete="current-password" '
            'required aria-describedby="token-hint">'
        ),
        el("button", "Sign in", type="submit"),
        method="post",
        action=f"/dashboard/{pid}/sign-in",
        class_="sign-in",
    )
    notice = el("p", message, class_="notice", role="alert") if message else None
    return page(
        f"Sign in: {title}",
        el(
            "main",
            el("h1", "Sign in to see how this project is governed"),
            notice,
            form,
            id="main",
        ),
    )


class Dashboard:
    def __init__(self, given: DashboardInput) -> None:
        self.given = given
        self.pid = str(given.project.id)
        self.perspectives = list(given.project.perspectives)
        self.colours = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(self.perspectives)}

    def name(self, member_id: str) -> str:
        return self.given.names.get(member_id) or "someone not named"

    @property
    def moment_words(self) -> str:
        moment = self.given.moment
        if moment.day is not None:
            return f"at the end of {moment.day.strftime('%-d %B %Y')} (UTC)"
        if moment.stage and moment.until:
            return (
                f"at the end of the {stage_label(moment.stage)} stage "
                f"({moment.until.strftime('%-d %B %Y, %H:%M')} UTC)"
            )
        return "now"

    def html(self) -> str:
        title = self.given.project.title
        sections = [
            *(
                [("activity", "New since you opened this page", self.activity())]
                if self.given.moment.now
                else []
            ),
            ("scorecard", "Scorecard", self.scorecard()),
            ("power", "Power over time", self.power()),
            ("decisions", "Decisions", self.decisions()),
            ("people", "People and roles", self.people()),
            ("involvement", "Involvement in each stage", self.involvement()),
        ]
        nav = el(
            "nav",
            el("ul", *(el("li", el("a", t, href=f"#{a}")) for a, t, _ in sections)),
            aria_label="Sections",
        )
        header = el(
            "header",
            el("a", "Skip to the dashboard", href="#main", class_="skip"),
            el(
                "div",
                el("p", "cogov dashboard", class_="brand"),
                el(
                    "form",
                    el("span", f"Signed in as {self.given.reader}", class_="who"),
                    el("button", "Sign out", type="submit"),
                    method="post",
                    action=f"/dashboard/{self.pid}/sign-out",
                    class_="sign-out",
                ),
                class_="bar",
            ),
            nav,
        )
        notices = [el("p", n, class_="notice", role="alert") for n in self.given.notices]
        live = self.given.moment.now and self.given.since is not None
        main = el(
            "main",
            el("h1", title),
            live_part(
                "lede",
                el(
                    "p",
                    f"Stage: {stage_label(self.given.project.stage)}. Every section shows the "
                    f"project {self.moment_words}.",
                    class_="lede",
                ),
            ),
            *notices,
            self.as_of_forms(),
            self.live_bar(),
            *(
                el("section", el("h2", t, id=f"{a}-h"), *body, id=a, aria_labelledby=f"{a}-h")
                for a, t, body in sections
            ),
            id="main",
            data_stream=f"/dashboard/{self.pid}/stream" if live else None,
            data_since=str(self.given.since) if live else None,
            data_events=" ".join(self.given.event_types) if live else None,
        )
        return page(f"{title}: cogov dashboard", header, main, live=live)

    # --- live updates -----------------------------------------------------------------

    def live_bar(self) -> Safe:
        """The pause control and the polite status region live updates announce in. The
        script shows the button; without the script the page says how to see new events."""
        if not self.given.moment.now:
            state = "Live updates are off while the page shows an earlier moment."
        else:
            state = "Reload the page to see events recorded since it opened."
        return el(
            "div",
            el(
                "button",
                "Pause live updates",
                type="button",
                id="live-toggle",
                hidden=True,
            ),
            el("p", state, id="live-state", class_="live-state"),
            el("div", id="live", role="status", aria_live="polite", class_="live"),
            class_="live-bar",
        )

    def activity(self) -> list[object]:
        recent = self.given.recent
        if not recent:
            body: object = el(
                "p", "Nothing new has been recorded since you opened this page.", class_="quiet"
            )
        else:
            body = el("ol", *(self.happening(e) for e in recent), class_="activity")
        more = (
            el(
                "p",
                f"These are the first {len(recent)} events since you opened this page, and more "
                "came after them: reload the page to list the newest.",
                class_="notice",
            )
            if self.given.more_recent
            else None
        )
        return [live_part("activity", body, more)]

    def happening(self, record: EventRecord) -> Safe:
        actor = record.actor
        who = f" by {self.name(actor)}" if actor and actor in self.given.names else ""
        return el(
            "li",
            el("time", when(record.recorded_at), datetime=record.recorded_at),
            f" {event_words(record.type)}{who} ",
            el(
                "a",
                f"event {record.position}",
                href=event_link(self.pid, record.position),
            ),
        )

    # --- controls ---------------------------------------------------------------------

    def hidden(self, **values: str) -> Safe:
        return join(
            Safe(f'<input type="hidden" name="{esc(k)}" value="{esc(v)}">')
            for k, v in values.items()
            if v
        )

    def as_of_forms(self) -> Safe:
        """Two ways to choose the moment shown: a day, or the end of a stage."""
        moment = self.given.moment
        day = moment.day
        by_day = el(
            "form",
            el(
                "div",
                el("label", "Show the project as it stood on", for_="as_of"),
                Safe(
                    '<input id="as_of" name="as_of" type="date"'
                    + (f' value="{day.isoformat()}"' if day else "")
                    + ">"
                ),
                class_="field",
            ),
            self.hidden(**self.given.filters.query()),
            el("button", "Show", type="submit"),
            method="get",
            action=f"/dashboard/{self.pid}",
            aria_label="Date shown",
        )
        chosen = moment.stage if moment.until else ""
        by_stage = el(
            "form",
            el(
                "div",
                el("label", "or at the end of the stage", for_="as_of_stage"),
                el(
                    "select",
                    *(
                        el("option", stage_label(s), value=s, selected=s == chosen)
                        for s in self.given.stages
                    ),
                    id="as_of_stage",
                    name="as_of_stage",
                ),
                class_="field",
            ),
            self.hidden(**self.given.filters.query()),
            el("button", "Show this stage", type="submit"),
            method="get",
            action=f"/dashboard/{self.pid}",
            aria_label="Stage shown",
        )
        back = None if moment.now else el("a", "Show now", href=f"/dashboard/{self.pid}")
        return el("div", by_day, by_stage, back, class_="as-of")

    # --- scorecard --------------------------------------------------------------------

    def scorecard(self) -> list[object]:
        out: list[object] = [
            el(
                "p",
                "How well the project meets each principle of co-production, judged from "
                f"the record {self.moment_words}. Each indicator links to the events that "
                "are its evidence.",
            )
        ]
        items = [self.indicator(i) for i in self.given.scorecard.indicators]
        out.append(live_part("scorecard", el("ul", *items, class_="indicators")))
        return out

    def positions(self, positions: Sequence[int], most: int = 12) -> Safe:
        """Event positions, each a link to the event; past `most`, a count."""
        links = [el("a", str(p), href=event_link(self.pid, p)) for p in positions[:most]]
        more = f" and {len(positions) - most} more" if len(positions) > most else ""
        return join([join(links, sep=", "), more])

    def indicator(self, ind: Indicator) -> Safe:
        label, css = STATUS_WORDS[ind.status]
        mark = STATUS_MARKS.get(css, "!") if css != "none" else "?"
        evidence = (
            el(
                "p",
                "Evidence: the audit trail's event"
                + ("s" if len(ind.evidence) > 1 else "")
                + " at position"
                + ("s " if len(ind.evidence) > 1 else " "),
                self.positions(ind.evidence),
                ".",
                class_="evidence",
            )
            if ind.evidence
            else el("p", "No events recorded yet.", class_="evidence")
        )
        return el(
            "li",
            el(
                "h3",
                el(
                    "span",
                    el("span", mark, aria_hidden="true"),
                    f" {label}",
                    class_=f"status {css}",
                ),
                " ",
                words(ind.principle).capitalize(),
            ),
            el("p", ind.explanation),
            evidence,
            class_="indicator",
        )

    # --- power ------------------------------------------------------------------------

    def stage_rows(self) -> list[PowerRow]:
        """The power at the end of each stage reached by the moment shown."""
        last: dict[str, PowerRow] = {}
        for row in self.given.timeline:
            last[row.stage] = row
        return sorted(last.values(), key=lambda r: r.position)

    def power(self) -> list[object]:
        rows = self.stage_rows()
        out: list[object] = [
            el(
                "p",
                "Each perspective's share of power at the end of every stage reached (for the "
                "stage the project was in, at the moment shown). Each chart has a table with "
                "the same numbers beside it.",
            )
        ]
        if not rows:
            return [*out, live_part("power", el("p", "No power had been recorded by then."))]
        figures = [self.figure(m, label, meaning, rows) for m, label, meaning in MEASURES]
        return [*out, live_part("power", *figures)]

    def figure(self, measure: str, label: str, meaning: str, rows: Sequence[PowerRow]) -> Safe:
        chart, shown = power_chart(measure, label, rows, self.perspectives, self.colours)
        data_table = table(
            f"{label} by perspective (share of the whole)",
            ("Stage", *(words(p) for p in shown)),
            [
                (
                    stage_label(r.stage),
                    *(Num(percent(r.perspectives.get(p, {}).get(measure, 0.0))) for p in shown),
                )
                for r in rows
            ],
        )
        return el(
            "figure",
            el("figcaption", el("strong", label), f": {meaning}."),
            el("div", chart, scrolling(data_table, f"{label}: table"), class_="pair"),
        )

    # --- decisions --------------------------------------------------------------------

    def select(self, name: str, label: str, options: Sequence[tuple[str, str]]) -> Safe:
        chosen = getattr(self.given.filters, name)
        return el(
            "div",
            el("label", label, for_=f"f-{name}"),
            el(
                "select",
                *(
                    el("option", text, value=value, selected=value == chosen)
                    for value, text in options
                ),
                id=f"f-{name}",
                name=name,
            ),
            class_="field",
        )

    def decisions(self) -> list[object]:
        f = self.given.filters
        form = el(
            "form",
            el(
                "fieldset",
                el("legend", "Show only decisions that match"),
                self.select("outcome", "Outcome", [("", "Any"), *OUTCOME_WORDS.items()]),
                self.select("key", "Key decision", CHOICES),
                self.select(
                    "stage", "Stage", [("", "Any"), *((s.value, stage_label(s)) for s in Stage)]
                ),
                self.select(
                    "area", "Decision area", [("", "Any"), *((a, words(a)) for a in self.areas)]
                ),
                self.select("jointly_owned", "Jointly owned", CHOICES),
                self.hidden(**self.given.moment.query()),
                el("button", "Filter", type="submit"),
                el("a", "Clear the filters", href=self.link()) if f.query() else None,
            ),
            method="get",
            action=f"/dashboard/{self.pid}#decisions",
            class_="filters",
        )
        rows = [self.decision_row(d) for d in self.given.decisions]
        n = len(rows)
        summary = el(
            "p",
            f"{n} decision{'s' if n != 1 else ''} shown"
            + ("." if self.given.moment.now else ", tabled by the moment shown."),
            id="decisions-count",
        )
        body = table(
            "Decisions, in the order they began",
            ("Decision", "Stage", "Area", "Outcome", "Jointly owned?", "Proposed by"),
            rows,
            empty="No decision matches these filters.",
        )
        return [form, live_part("decisions", summary, scrolling(body, "Decisions table"))]

    @property
    def areas(self) -> list[str]:
        return list(self.given.project.areas)

    def link(self) -> str:
        query = urlencode(self.given.moment.query())
        return f"/dashboard/{self.pid}" + (f"?{query}" if query else "")

    def decision_row(self, d: DecisionRow) -> tuple[object, ...]:
        moment = self.given.moment
        decided = d.decided_at is not None and moment.covers(d.decided_at)
        outcome = (
            OUTCOME_WORDS.get(d.outcome, words(d.outcome))
            if decided or not d.decided_at
            else f"Still open then (later {d.outcome})"
        )
        link = el("a", d.title, href=f"/dashboard/{self.pid}/decisions/{d.proposal_id}")
        title = join([link, el("span", "Key", class_="badge key") if d.key else None], sep=" ")
        return (
            title,
            stage_label(d.stage),
            words(d.area),
            outcome,
            ownership(d, decided, self.perspectives),
            self.name(d.proposer),
        )

    # --- people -----------------------------------------------------------------------

    def people(self) -> list[object]:
        acc = self.given.accountability
        members = [
            (
                self.name(m.member_id),
                ", ".join(words(p) for p in m.perspectives),
                ", ".join(m.roles) or "none",
                ", ".join(words(a) for a in m.areas) or "none",
                words(m.status),
            )
            for m in self.given.project.members
        ]
        roles = [
            (
                r.name + (" (leadership)" if r.leadership else ""),
                r.responsibilities,
                ", ".join(words(a) for a in r.areas) or "none",
                ", ".join(self.name(h.member_id) for h in r.holders) or "nobody",
            )
            for r in acc.roles
        ]
        areas = [
            (
                words(a.area),
                ", ".join(
                    self.name(h.member_id)
                    + (f" (through the {h.role} role)" if h.role else " (delegated)")
                    for h in a.holders
                )
                or "the whole team, by proposal",
            )
            for a in acc.areas
        ]
        return [
            el("p", f"Who held which roles and decision areas {self.moment_words}."),
            live_part(
                "people",
                self.people_tables(members, roles, areas),
                self.recognition(),
            ),
        ]

    def people_tables(
        self,
        members: Sequence[tuple[object, ...]],
        roles: Sequence[tuple[object, ...]],
        areas: Sequence[tuple[object, ...]],
    ) -> Safe:
        return join(
            [
                el(
                    "div",
                    table("Members", ("Name", "Perspectives", "Roles", "Areas", "Status"), members),
                    class_="scroll",
                ),
                el(
                    "div",
                    table(
                        "Roles",
                        ("Role", "Responsibilities", "Carries areas", "Held by"),
                        roles,
                        row_header=True,
                    ),
                    class_="scroll",
                ),
                el("div", table("Decision areas", ("Area", "Decided by"), areas), class_="scroll"),
            ]
        )

    def recognition(self) -> Safe:
        """What each person got back for their part (payment, training, authorship...)."""
        rows = [
            (
                self.name(r.member_id),
                ", ".join(f"{words(k)}: {n}" for k, n in sorted(r.kinds.items())) or "none",
                Num(len(r.unpaid_claims)),
                "Yes" if r.overdue else "No",
                self.positions(r.evidence, most=6),
            )
            for r in self.given.scorecard.recognition
        ]
        return scrolling(
            table(
                f"Recognition recorded for each person, {self.moment_words}",
                ("Name", "Recognised by", "Claims unpaid", "A claim overdue?", "Evidence"),
                rows,
                empty="No recognition has been recorded yet.",
            ),
            "Recognition table",
        )

    def involvement(self) -> list[object]:
        counts = self.given.scorecard.involvement
        shown = [p for p in self.perspectives if any(c.get(p) for c in counts.values())]
        rows = [
            (stage_label(stage), *(Num(tally.get(p, 0)) for p in shown))
            for stage, tally in counts.items()
        ]
        return [
            el(
                "p",
                "How many different people of each perspective took part in each stage, "
                f"from the record {self.moment_words}.",
            ),
            live_part(
                "involvement",
                scrolling(
                    table(
                        "People taking part, by stage and perspective",
                        ("Stage", *(words(p) for p in shown)),
                        rows,
                        empty="Nobody has taken part yet.",
                    ),
                    "Involvement table",
                ),
            ),
        ]


def ownership(d: DecisionRow, decided: bool, perspectives: Sequence[str]) -> Safe:
    """Whether a decision was jointly owned, with a badge, and why not in plain words."""
    if not d.key:
        return Safe("Not a key decision")
    if not decided:
        return Safe("Not judged yet: still open")
    if d.jointly_owned is None:
        return Safe("Not judged: it was not adopted")
    if d.jointly_owned:
        return el(
            "span",
            el("span", "\N{CHECK MARK}", aria_hidden="true"),
            " Jointly owned",
            class_="badge joint",
        )
    reasons = [failed_reason(c, perspectives) for c in d.failed_criteria]
    return join(
        [
            el(
                "span",
                el("span", "!", aria_hidden="true"),
                " Not jointly owned",
                class_="badge not-joint",
            ),
            el(
                "ul",
                *(el("li", r[:1].upper() + r[1:] + ".") for r in reasons),
                class_="reasons",
            )
            if reasons
            else None,
        ]
    )


def live_part(name: str, *content: object) -> Safe:
    """A part of the page that live updates replace with the server's new rendering of it
    (static/dashboard.js); controls stay outside such parts, so focus and choices stay."""
    return el("div", *content, data_live=name)


def event_link(pid: str, position: int) -> str:
    return f"/dashboard/{pid}/events/{position}"


def event_words(event_type: str) -> str:
    """'ResponseRecorded' as 'Response recorded'."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", event_type).lower()
    return spaced[:1].upper() + spaced[1:]


def when(recorded_at: str) -> str:
    """An ISO 8601 time as people read it."""
    return _instant(recorded_at).strftime("%-d %b %Y, %H:%M UTC")


def scrolling(content: Safe, label: str) -> Safe:
    """A wide table in a region that scrolls sideways on a narrow screen, reachable by
    keyboard so that it can be scrolled without a mouse."""
    return el("div", content, class_="scroll", tabindex="0", role="region", aria_label=label)


def dashboard_html(given: DashboardInput) -> str:
    return Dashboard(given).html()


def parse_day(value: str | None) -> tuple[Moment, str | None]:
    """The `as_of` a form sent ('YYYY-MM-DD'), or now with a notice if it cannot be read."""
    if not value:
        return Moment(None), None
    try:
        return Moment(date.fromisoformat(value[:10])), None
    except ValueError:
        return Moment(None), f"The date '{value[:40]}' could not be read, so this shows now."


def known(value: str, allowed: Sequence[str]) -> str:
    return value if value in allowed else ""


OUTCOMES = tuple(o.value for o in Outcome)
STAGES = tuple(s.value for s in Stage)


def event_page(
    pid: str, title: str, record: EventRecord, names: Mapping[str, str | None], reader: str
) -> str:
    """One event of the audit trail, as the reader may see it: what the scorecard's
    evidence and the page's activity link to."""

    def value(v: object) -> str:
        if isinstance(v, str):
            return names.get(v) or v
        return json.dumps(v, ensure_ascii=False, sort_keys=True)

    actor = record.actor and (names.get(record.actor) or record.actor)
    facts = [
        ("What happened", event_words(record.type)),
        ("Recorded", when(record.recorded_at)),
        ("By", actor or "the system"),
        ("Position in the audit trail", str(record.position)),
        ("Aggregate and version", f"{record.aggregate_id} (version {record.version})"),
    ]
    details = [(words(k).capitalize(), value(v)) for k, v in sorted(record.data.items())]
    listing = [el("div", el("dt", term), el("dd", text)) for term, text in [*facts, *details]]
    back = el("a", "Back to the dashboard", href=f"/dashboard/{pid}")
    return page(
        f"Event {record.position}: {title}",
        el(
            "main",
            el("p", back),
            el("h1", f"Event {record.position}: {event_words(record.type)}"),
            el("p", f"In {title}, as shown to {reader}.", class_="lede"),
            el("dl", *listing, class_="event"),
            el(
                "p",
                "The same event, as data, is at ",
                el("code", f"GET /projects/{pid}/events?after={record.position - 1}&limit=1"),
                "; its inclusion in the verifiable log can be proved against a signed checkpoint.",
                class_="hint",
            ),
            id="main",
        ),
    )
