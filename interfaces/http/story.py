"""A decision's story for the dashboard: how one proposal was tabled, answered, amended,
objected to and settled, and what it changed; or, for a direct decision, who made it.

Drawn from the decision's row (its outcome and joint-ownership judgement) and the proposal
as the reader may see it (`Governance.proposal(reader=...)`: while its charter hides the
results, a member sees only their own stance and nobody sees the tally). Markup only; the
route (routes/dashboard.py) gathers the facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import attrs

from cogov.application.proposals import HistoryEntry, ProposalRecord
from cogov.application.report import el, join, stage_label, table, words
from cogov.application.views import DecisionRow
from cogov.interfaces.http.dashboard import (
    OUTCOME_WORDS,
    event_link,
    ownership,
    page,
    scrolling,
    when,
)

STANCES = ("consent", "object", "abstain", "stand_aside")


@attrs.frozen
class StoryInput:
    pid: str
    project_title: str
    perspectives: Sequence[str]  # the project's, in order
    row: DecisionRow
    proposal: ProposalRecord | None  # None for a direct decision
    names: Mapping[str, str | None]
    reader: str


class Story:
    def __init__(self, given: StoryInput) -> None:
        self.given = given
        self.row = given.row
        self.proposal = given.proposal

    def name(self, member_id: str | None) -> str:
        if member_id is None:
            return "the system"
        return self.given.names.get(member_id) or "someone not named"

    def html(self) -> str:
        row = self.row
        title = join([row.title, el("span", "Key", class_="badge key") if row.key else None], " ")
        sections = [
            ("tabled", "How it began", self.tabled()),
            ("happened", "What happened, in order", self.happened()),
            ("by-perspective", "Stances by perspective over time", self.by_perspective()),
            ("objections", "Objections and how each was resolved", self.objections()),
            ("outcome", "Outcome", self.outcome()),
        ]
        main = el(
            "main",
            el(
                "p", el("a", "Back to the dashboard", href=f"/dashboard/{self.given.pid}#decisions")
            ),
            el("h1", title),
            el(
                "p",
                f"A decision of {self.given.project_title}, as shown to {self.given.reader}.",
                class_="lede",
            ),
            *(
                el("section", el("h2", t, id=f"{a}-h"), *body, id=a, aria_labelledby=f"{a}-h")
                for a, t, body in sections
            ),
            id="main",
        )
        return page(f"{row.title}: decision story", main)

    # --- sections ----------------------------------------------------------------------

    def tabled(self) -> list[object]:
        row, proposal = self.row, self.proposal
        if proposal is None:
            return [
                el(
                    "p",
                    f"Decided directly by {self.name(row.proposer)} on {when(row.tabled_at)}, "
                    f"in the {stage_label(row.stage)} stage, within the "
                    f"{words(row.area)} area they were given to decide; no vote was taken. ",
                    el("a", f"Event {row.start}", href=event_link(self.given.pid, row.start)),
                    ".",
                )
            ]
        rule = words(row.rule)
        supermajority = row.threshold and row.rule == "supermajority"
        threshold = f" (at least {row.threshold} of those responding)" if supermajority else ""
        return [
            el(
                "p",
                f"Proposed by {self.name(proposal.proposer)} on {when(proposal.tabled_at)}, in "
                f"the {stage_label(proposal.stage)} stage, for the {words(proposal.area)} area ",
                el("a", f"(event {row.start})", href=event_link(self.given.pid, row.start)),
                ".",
            ),
            el(
                "p",
                "The text as it stands"
                + (" after its amendments:" if proposal.amendments else ":"),
            ),
            el("blockquote", proposal.text, class_="proposal-text"),
            el(
                "p",
                f"To be decided by {rule}{threshold}, with a quorum of "
                f"{round(row.quorum * 100)}% of the {sum(row.electorate.values())} members "
                f"entitled to respond; it closed or was due to close on "
                f"{when(proposal.closes_at)}.",
            ),
            el(
                "p",
                "Results were hidden from members while it was open: each saw only their own "
                "stance.",
                class_="notice",
            )
            if proposal.charter.get("results_hidden_until_close")
            else None,
        ]

    def happened(self) -> list[object]:
        proposal = self.proposal
        if proposal is None:
            return [el("p", "A direct decision is recorded at once, as one event.")]
        moments: list[tuple[str, int, object]] = [
            (proposal.tabled_at, 0, f"Tabled by {self.name(proposal.proposer)}.")
        ]
        for entry in proposal.history:
            moments.append((entry.at, 1, self.history_words(entry)))
        for amendment in proposal.amendments:
            voided = len(amendment.voided_consents)
            moments.append(
                (
                    amendment.at,
                    1,
                    join(
                        [
                            "Amended: ",
                            el("q", amendment.text),
                            f" ({voided} consent{'s' if voided != 1 else ''} to be given again)."
                            if voided
                            else ".",
                        ]
                    ),
                )
            )
        for comment in proposal.comments:
            moments.append(
                (
                    comment.at,
                    1,
                    join([f"{self.name(comment.author)} commented: ", el("q", comment.text)]),
                )
            )
        if proposal.closed_at:
            moments.append((proposal.closed_at, 2, f"Closed: {self.outcome_words()}."))
        if proposal.hidden_until_close:
            moments.append(
                (
                    proposal.tabled_at,
                    0,
                    f"{proposal.response_count} member(s) had responded; who said what is "
                    "shown when it closes.",
                )
            )
        moments.sort(key=lambda m: (m[0], m[1]))
        return [
            el(
                "ol",
                *(
                    el("li", el("time", when(at), datetime=at), " ", what)
                    for at, _, what in moments
                ),
                class_="story",
            )
        ]

    def history_words(self, entry: HistoryEntry) -> object:
        member = self.name(entry.member_id)
        if entry.act == "objection_withdrawn":
            return f"{member} withdrew their objection."
        if entry.act == "consent_voided":
            return f"{member}'s consent was set aside by the amendment."
        proxy = f" (cast by {self.name(entry.cast_by)}, their proxy)" if entry.cast_by else ""
        return join(
            [
                f"{member} responded: {words(str(entry.stance))}{proxy}",
                join([": ", el("q", entry.reason)]) if entry.reason else None,
                ".",
            ]
        )

    def perspectives_of(self, member_id: str) -> tuple[str, ...]:
        assert self.proposal is not None
        return tuple(self.proposal.electorate.get(member_id, ()))

    def by_perspective(self) -> list[object]:
        proposal = self.proposal
        if proposal is None or proposal.hidden_until_close:
            return [
                el(
                    "p",
                    "No stances to show: "
                    + (
                        "it was decided directly."
                        if proposal is None
                        else "they are hidden until the proposal closes."
                    ),
                )
            ]
        shown = [
            p for p in self.given.perspectives if any(p in v for v in proposal.electorate.values())
        ]
        standing: dict[str, str] = {}
        rows = []
        for entry in proposal.history:
            if entry.stance is None:
                standing.pop(entry.member_id, None)
            else:
                standing[entry.member_id] = entry.stance
            counts = {p: Counter[str]() for p in shown}
            for member, stance in standing.items():
                for p in self.perspectives_of(member):
                    if p in counts:
                        counts[p][stance] += 1
            rows.append(
                (
                    el("time", when(entry.at), datetime=entry.at),
                    self.name(entry.member_id),
                    *(
                        ", ".join(f"{words(s)} {counts[p][s]}" for s in STANCES if counts[p][s])
                        or "none"
                        for p in shown
                    ),
                )
            )
        return [
            el(
                "p",
                "After each response (or change), how many members of each perspective stood "
                "where. A member with several perspectives counts in each.",
            ),
            scrolling(
                table(
                    "Standing stances by perspective after each response",
                    ("When", "Who acted", *(words(p) for p in shown)),
                    rows,
                    empty="Nobody responded.",
                ),
                "Stances by perspective",
            ),
        ]

    def objections(self) -> list[object]:
        proposal = self.proposal
        if proposal is None or proposal.hidden_until_close:
            return [el("p", "None to show.")]
        items = []
        history = list(proposal.history)
        for i, entry in enumerate(history):
            if entry.act != "response" or entry.stance != "object":
                continue
            later = [e for e in history[i + 1 :] if e.member_id == entry.member_id]
            if later:
                nxt = later[0]
                if nxt.act == "objection_withdrawn":
                    how = f"withdrawn on {when(nxt.at)}"
                elif nxt.act == "consent_voided":
                    how = f"set aside by an amendment on {when(nxt.at)}"
                else:
                    how = f"changed to {words(str(nxt.stance))} on {when(nxt.at)}"
            elif proposal.outcome == "open":
                how = "still standing"
            else:
                how = f"still standing when it closed ({self.outcome_words().lower()})"
            items.append(
                el(
                    "li",
                    f"{self.name(entry.member_id)} objected on {when(entry.at)}",
                    join([": ", el("q", entry.reason)]) if entry.reason else None,
                    f". Resolved: {how}.",
                )
            )
        if not items:
            return [el("p", "Nobody objected.")]
        return [el("ul", *items, class_="objections")]

    def outcome_words(self) -> str:
        return OUTCOME_WORDS.get(self.row.outcome, words(self.row.outcome))

    def outcome(self) -> list[object]:
        row = self.row
        decided = row.decided_at is not None
        out: list[object] = [
            el(
                "p",
                el("strong", self.outcome_words()),
                f" on {when(row.decided_at)}" if row.decided_at else "",
                ". ",
                el(
                    "a",
                    f"Latest event: {row.position}",
                    href=event_link(self.given.pid, row.position),
                ),
                ".",
            ),
            el("div", ownership(row, decided, self.given.perspectives), class_="ownership"),
        ]
        if row.outcome == "adopted" and row.actions:
            out.append(el("p", "What it changed when adopted:"))
            out.append(el("ul", *(el("li", words(a).capitalize()) for a in row.actions)))
        elif row.actions:
            out.append(
                el(
                    "p",
                    "It would have changed: "
                    + ", ".join(words(a) for a in row.actions)
                    + (
                        " (only if adopted)." if row.outcome == "open" else " (it was not adopted)."
                    ),
                )
            )
        return out


def story_html(given: StoryInput) -> str:
    return Story(given).html()


def named(row: DecisionRow, proposal: ProposalRecord | None) -> list[str]:
    """The member ids a story names."""
    ids = [row.proposer]
    if proposal is not None:
        ids += [proposal.proposer, *proposal.electorate]
        ids += [e.member_id for e in proposal.history]
        ids += [e.cast_by for e in proposal.history if e.cast_by]
        ids += [c.author for c in proposal.comments]
    return list(dict.fromkeys(ids))
