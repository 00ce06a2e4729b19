"""The dashboard's HTML: a server-rendered page over the read models, for a co-production
team, its public contributors and its funders.

Every value goes through the report's `el`/`esc` (escaped by default) and its charts are the
report's accessible SVG, each with its data in a table beside it. The page holds no script
and loads only the package's own stylesheet. The caller (routes/dashboard.py) gathers the
facts through Governance; this module only writes markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time

import attrs

from cogov.application.accountability import Accountability
from cogov.application.records import ProjectRecord
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
    """The day the page answers for: the end of `day` (UTC), or now when `day` is None."""

    day: date | None

    @property
    def end(self) -> datetime | None:
        if self.day is None:
            return None
        return datetime.combine(self.day, time.max, tzinfo=UTC)

    def covers(self, recorded_at: str | None) -> bool:
        """Whether something recorded at `recorded_at` (ISO 8601) had happened by then."""
        end = self.end
        if end is None:
            return recorded_at is not None
        if recorded_at is None:
            return False
        return datetime.fromisoformat(recorded_at.replace("Z", "+00:00")) <= end


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
    notices: Sequence[str] = ()  # problems with the query, in plain words


def page(title: str, *body: object, lang: str = "en-GB") -> str:
    head = el(
        "head",
        Safe('<meta charset="utf-8">'),
        Safe('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        el("title", title),
        Safe(f'<link rel="stylesheet" href="{STYLESHEET}">'),
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
        day = self.given.moment.day
        return "now" if day is None else f"at the end of {day.strftime('%-d %B %Y')} (UTC)"

    def html(self) -> str:
        title = self.given.project.title
        sections = [
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
        main = el(
            "main",
            el("h1", title),
            el(
                "p",
                f"Stage: {stage_label(self.given.project.stage)}. Every section shows the "
                f"project {self.moment_words}.",
                class_="lede",
            ),
            *notices,
            self.as_of_form(),
            # Live updates (the event stream) will announce here, politely.
            el("div", id="live", role="status", aria_live="polite", class_="live"),
            *(
                el("section", el("h2", t, id=f"{a}-h"), *body, id=a, aria_labelledby=f"{a}-h")
                for a, t, body in sections
            ),
            id="main",
        )
        return page(f"{title}: cogov dashboard", header, main)

    # --- controls ---------------------------------------------------------------------

    def hidden(self, **values: str) -> Safe:
        return join(
            Safe(f'<input type="hidden" name="{esc(k)}" value="{esc(v)}">')
            for k, v in values.items()
            if v
        )

    def as_of_form(self) -> Safe:
        day = self.given.moment.day
        return el(
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
            el("a", "Show now", href=f"/dashboard/{self.pid}") if day else None,
            method="get",
            action=f"/dashboard/{self.pid}",
            class_="as-of",
            aria_label="Date shown",
        )

    # --- scorecard --------------------------------------------------------------------

    def scorecard(self) -> list[object]:
        out: list[object] = [
            el(
                "p",
                "How well the project meets each principle of co-production, judged from the "
                "whole record now"
                + (
                    " (the scorecard cannot yet be read as of an earlier date)."
                    if self.given.moment.day
                    else "."
                ),
            )
        ]
        items = [self.indicator(i) for i in self.given.scorecard.indicators]
        out.append(el("ul", *items, class_="indicators"))
        return out

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
                ", ".join(str(p) for p in ind.evidence[:12]),
                f" and {len(ind.evidence) - 12} more" if len(ind.evidence) > 12 else "",
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
                "stage the project was in, at the date shown). Each chart has a table with the "
                "same numbers beside it.",
            )
        ]
        if not rows:
            return [*out, el("p", "No power had been recorded by then.")]
        out += [self.figure(m, label, meaning, rows) for m, label, meaning in MEASURES]
        return out

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
        day = self.given.moment.day
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
                self.hidden(as_of=day.isoformat() if day else ""),
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
            + (", tabled by the date shown." if day else "."),
            id="decisions-count",
            aria_live="polite",
        )
        body = table(
            "Decisions, in the order they began",
            ("Decision", "Stage", "Area", "Outcome", "Jointly owned?", "Proposed by"),
            rows,
            empty="No decision matches these filters.",
        )
        return [form, summary, scrolling(body, "Decisions table")]

    @property
    def areas(self) -> list[str]:
        return list(self.given.project.areas)

    def link(self) -> str:
        day = self.given.moment.day
        return f"/dashboard/{self.pid}" + (f"?as_of={day.isoformat()}" if day else "")

    def decision_row(self, d: DecisionRow) -> tuple[object, ...]:
        moment = self.given.moment
        decided = d.decided_at is not None and moment.covers(d.decided_at)
        outcome = (
            OUTCOME_WORDS.get(d.outcome, words(d.outcome))
            if decided or not d.decided_at
            else f"Still open then (later {d.outcome})"
        )
        title = join([d.title, el("span", "Key", class_="badge key") if d.key else None], sep=" ")
        return (
            title,
            stage_label(d.stage),
            words(d.area),
            outcome,
            self.ownership(d, decided),
            self.name(d.proposer),
        )

    def ownership(self, d: DecisionRow, decided: bool) -> Safe:
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
        reasons = [failed_reason(c, self.perspectives) for c in d.failed_criteria]
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
                "from the whole record.",
            ),
            scrolling(
                table(
                    "People taking part, by stage and perspective",
                    ("Stage", *(words(p) for p in shown)),
                    rows,
                    empty="Nobody has taken part yet.",
                ),
                "Involvement table",
            ),
        ]


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
