"""The co-production scorecard: one indicator for each NIHR principle and key feature and for
UKRI's responsibility and accountability and ethical review, judged from the views alone.

Every rule here is a pure function of `Evidence` (the project's decision rows, power
timeline, member rows and co-production log, and the time of asking), so each can be
property-tested and recomputed by an auditor. The thresholds and why they were chosen are in
docs/scorecard.md; keep the two in step.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import attrs

from cogov.application.frameworks import Statement, gripp2_sf, uk_standards
from cogov.application.records import epoch_us, utc_iso
from cogov.application.views import DecisionRow, JournalRow, MemberRow, PowerRow
from cogov.domain.language import PUBLIC

# A claim for payment still unpaid this long after it was made is flagged (NIHR payment
# guidance: contributors must not be left out of pocket; 30 days is common payment terms).
UNPAID_AFTER = timedelta(days=30)
# The longest quiet spell between dialogues that still counts as an ongoing relationship
# ("team meetings held every few months": a quarter).
DIALOGUE_GAP = timedelta(days=90)
PROCESS_IMPACTS = frozenset({"personal", "community"})
OUTCOME_IMPACTS = frozenset({"research", "practice", "policy"})
PAYMENT_CLAIMED = "payment_claimed"
PAYMENT_PAID = "payment_paid"
GROWTH = frozenset({"training"})  # recognition kinds that are personal growth


def _positions(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(values)))


class Status(StrEnum):
    MET = "met"
    PARTIAL = "partial"
    NOT_MET = "not_met"
    NO_EVIDENCE = "no_evidence"


@attrs.frozen
class Indicator:
    code: str
    principle: str
    value: Any
    status: Status
    explanation: str
    evidence: tuple[int, ...] = attrs.field(converter=_positions)

    def to_dict(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "status": self.status.value, "evidence": list(self.evidence)}


@attrs.frozen
class Evidence:
    """What the scorecard is judged from: the views of one project, at one moment."""

    project_id: str
    now: datetime
    stage: str  # the current stage
    required_perspectives: tuple[str, ...]
    reflection_every_days: int | None
    members: tuple[MemberRow, ...]
    decisions: tuple[DecisionRow, ...]
    timeline: tuple[PowerRow, ...]  # in position order; the first row is the founding
    journal: tuple[JournalRow, ...]  # in position order

    def entries(self, *kinds: str) -> list[JournalRow]:
        return [row for row in self.journal if row.kind in kinds]

    @property
    def perspectives_of(self) -> dict[str, tuple[str, ...]]:
        return {m.member_id: m.perspectives for m in self.members}

    @property
    def active(self) -> list[MemberRow]:
        return [m for m in self.members if m.status == "active"]

    @property
    def public_members(self) -> list[MemberRow]:
        return [m for m in self.active if PUBLIC in m.perspectives]

    @property
    def founded_at(self) -> datetime:
        return _moment(self.timeline[0].as_of) if self.timeline else self.now

    def stages_entered(self) -> list[str]:
        """The stages the project has been in, in the order first entered."""
        seen = dict.fromkeys(row.stage for row in self.timeline)
        seen.setdefault(self.stage)
        return list(seen)

    def stage_at(self, moment: datetime) -> str:
        """The project's stage at `moment` (the founding stage before it was founded)."""
        if not self.timeline:
            return self.stage
        times = [row.as_of_us for row in self.timeline]
        index = bisect.bisect_right(times, epoch_us(moment)) - 1
        return self.timeline[max(index, 0)].stage

    def as_it_stood(self, moment: datetime, members: Iterable[MemberRow], stage: str) -> Evidence:
        """The evidence as it stood at `moment`, for a scorecard of an earlier date: the
        power shifts, journal entries and decisions recorded by then, a decision closed
        later still open, and `members` and `stage` as the project had them then. A
        decision's tally keeps responses given later (its row holds no history)."""
        at = epoch_us(moment)
        return attrs.evolve(
            self,
            now=moment,
            stage=stage,
            members=tuple(members),
            timeline=tuple(r for r in self.timeline if r.as_of_us <= at),
            journal=tuple(r for r in self.journal if epoch_us(_moment(r.recorded_at)) <= at),
            decisions=tuple(
                _reopened(d) if d.decided_at and epoch_us(_moment(d.decided_at)) > at else d
                for d in self.decisions
                if epoch_us(_moment(d.tabled_at)) <= at
            ),
        )

    def entry_stage(self, row: JournalRow) -> str:
        """The stage an entry is about: its own, or the stage the project was in when the
        dialogue was held (or the entry recorded)."""
        if row.stage:
            return row.stage
        held = row.data.get("held_at")
        return self.stage_at(_moment(held if isinstance(held, str) else row.recorded_at))


@attrs.frozen
class Gap:
    stage: str
    justified: bool
    reason: str | None
    evidence: tuple[int, ...]


@attrs.frozen
class UnpaidClaim:
    position: int
    claimed_at: str
    days_waiting: int
    overdue: bool


@attrs.frozen
class Recognition:
    """What one member got back: each kind of recognition, and how long claims waited."""

    member_id: str
    kinds: dict[str, int]
    claim_to_payment_days: tuple[float, ...]
    unpaid_claims: tuple[UnpaidClaim, ...]
    overdue: bool
    evidence: tuple[int, ...]


@attrs.frozen
class Scorecard:
    project_id: str
    as_of: str
    indicators: tuple[Indicator, ...]
    involvement: dict[str, dict[str, int]]
    gaps: tuple[Gap, ...]
    recognition: tuple[Recognition, ...]
    reflection: Reflection
    gripp2_sf: dict[str, Statement]
    uk_standards: dict[str, Statement]

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    @property
    def justified_gaps(self) -> dict[str, str | None]:
        return {g.stage: g.reason for g in self.gaps if g.justified}

    def to_dict(self) -> dict[str, Any]:
        body = attrs.asdict(self, recurse=True)
        body["indicators"] = [i.to_dict() for i in self.indicators]
        body["justified_gaps"] = self.justified_gaps
        return body


@attrs.frozen
class Reflection:
    """The team's reflection schedule: when the next team reflection is due, and whether it
    is overdue (from the moment it falls due, not before)."""

    every_days: int | None
    last_team: str | None
    due: str | None
    overdue: bool


def _reopened(row: DecisionRow) -> DecisionRow:
    """A decision as it stood before it closed."""
    return attrs.evolve(
        row,
        outcome="open",
        decided_at=None,
        time_to_decide_s=None,
        jointly_owned=None,
        failed_criteria=(),
        actions=(),
    )


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _count(n: int, noun: str) -> str:
    """ "1 proposal", "2 proposals"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _stages(stages: Iterable[str]) -> str:
    """Stage names as words: "priority setting, design"."""
    return ", ".join(s.replace("_", " ") for s in stages)


def _status(met: bool, partial: bool) -> Status:
    return Status.MET if met else Status.PARTIAL if partial else Status.NOT_MET


# --- pieces more than one indicator reads ------------------------------------------------


def participants_by_stage(ev: Evidence) -> dict[str, set[str]]:
    """Who took part in each stage: proposers, respondents and the proxies who cast for
    them (both people take part in a proxy response), authors of reflections, attendees of
    dialogue, people who raised an ethics issue."""
    people: dict[str, set[str]] = {stage: set() for stage in ev.stages_entered()}
    for d in ev.decisions:
        people.setdefault(d.stage, set()).update(d.participants or (d.proposer,))
    for row in ev.journal:
        stage = ev.entry_stage(row)
        match row.kind:
            case "reflection" | "ethics_issue":
                people.setdefault(stage, set()).add(row.actor)
            case "dialogue":
                people.setdefault(stage, set()).update(row.members)
    return people


def involvement(ev: Evidence) -> dict[str, dict[str, int]]:
    """Per stage, how many distinct people of each perspective took part."""
    perspectives = ev.perspectives_of
    counts: dict[str, dict[str, int]] = {}
    for stage, people in participants_by_stage(ev).items():
        tally: Counter[str] = Counter()
        for person in people:
            tally.update(perspectives.get(person, ()))
        counts[stage] = dict(sorted(tally.items()))
    return counts


def gaps(ev: Evidence, counts: dict[str, dict[str, int]]) -> list[Gap]:
    """Stages without public involvement; justified when the log says why (the latest
    justification for that stage stands)."""
    why = {row.data.get("stage"): row for row in ev.entries("involvement_justification")}
    found = []
    for stage, tally in counts.items():
        if tally.get(PUBLIC, 0):
            continue
        reason = why.get(stage)
        found.append(
            Gap(
                stage,
                reason is not None,
                None if reason is None else str(reason.data.get("reason")),
                () if reason is None else (reason.position,),
            )
        )
    return found


def recognition(ev: Evidence) -> list[Recognition]:
    """Per member, the kinds of recognition recorded for them and the wait from each claim
    to its payment (claims are paid in the order made). A declined payment is a kind like
    any other: it needs no reason, and it never counts against anyone."""
    by_member: dict[str, list[JournalRow]] = {}
    for row in ev.entries("recognition"):
        by_member.setdefault(str(row.data.get("member_id")), []).append(row)
    found = []
    for member, rows in by_member.items():
        waiting: list[JournalRow] = []
        delays: list[float] = []
        for row in rows:
            if row.data.get("kind") == PAYMENT_CLAIMED:
                waiting.append(row)
            elif row.data.get("kind") == PAYMENT_PAID and waiting:
                claim = waiting.pop(0)
                wait = _moment(row.recorded_at) - _moment(claim.recorded_at)
                delays.append(round(wait.total_seconds() / 86_400, 2))
        unpaid = tuple(
            UnpaidClaim(
                claim.position,
                claim.recorded_at,
                (ev.now - _moment(claim.recorded_at)).days,
                ev.now - _moment(claim.recorded_at) > UNPAID_AFTER,
            )
            for claim in waiting
        )
        found.append(
            Recognition(
                member,
                dict(sorted(Counter(str(r.data.get("kind")) for r in rows).items())),
                tuple(delays),
                unpaid,
                any(c.overdue for c in unpaid),
                tuple(r.position for r in rows),
            )
        )
    return sorted(found, key=lambda r: r.member_id)


def reflection_schedule(ev: Evidence) -> Reflection:
    """The next team reflection falls due `reflection_every_days` after the last one (or
    after the founding); it is overdue from that moment on."""
    team = [r for r in ev.entries("reflection") if r.data.get("scope") == "team"]
    last = _moment(team[-1].recorded_at) if team else None
    if ev.reflection_every_days is None:
        return Reflection(None, None if last is None else utc_iso(last), None, False)
    due = (last or ev.founded_at) + timedelta(days=ev.reflection_every_days)
    last_text = None if last is None else utc_iso(last)
    return Reflection(ev.reflection_every_days, last_text, utc_iso(due), ev.now >= due)


# --- the indicators -----------------------------------------------------------------------


@attrs.frozen
class Judgement:
    """What one rule finds: the indicator without its name."""

    value: Any
    status: Status
    explanation: str
    evidence: Iterable[int] = ()


def silent(value: Any, why: str) -> Judgement:
    """Nothing recorded bears on it yet."""
    return Judgement(value, Status.NO_EVIDENCE, why)


Rule = Callable[[Evidence], Judgement]
RULES: list[tuple[str, str, Rule]] = []  # (code, principle, rule), in the card's order


def indicator(code: str, principle: str) -> Callable[[Rule], Rule]:
    def register(rule: Rule) -> Rule:
        RULES.append((code, principle, rule))
        return rule

    return register


@indicator("sharing_power", "sharing of power")
def sharing_power(ev: Evidence) -> Judgement:
    if not ev.timeline:
        return silent(None, "No power shift yet.")
    latest = ev.timeline[-1]
    public = latest.perspectives.get(PUBLIC, {})
    if "voting_power" in latest.not_computed:
        return Judgement(
            None,
            Status.NO_EVIDENCE,
            f"Voting power was not computed at the latest power shift: "
            f"{latest.not_computed['voting_power']}.",
            (latest.position,),
        )
    voting = float(public.get("voting_power") or 0.0)
    authority = float(public.get("authority") or 0.0)
    value = {"public_voting_power": voting, "public_authority": authority, "hhi": latest.hhi}
    explanation = (
        "Public contributors hold both a say in key decisions and real responsibility "
        "(a role or a decision area)."
        if voting > 0 and authority > 0
        else "Public contributors have a say in key decisions but hold no role or decision "
        "area of their own."
        if voting > 0
        else "Public contributors have no say in key decisions at present."
    )
    return Judgement(
        value,
        _status(voting > 0 and authority > 0, voting > 0),
        explanation,
        (latest.position,),
    )


@indicator("all_perspectives", "including all perspectives and skills")
def all_perspectives(ev: Evidence) -> Judgement:
    present = sorted({p for m in ev.active for p in m.perspectives})
    missing = [p for p in ev.required_perspectives if p not in present]
    counts = involvement(ev)
    unjustified = [g.stage for g in gaps(ev, counts) if not g.justified]
    value = {"perspectives": present, "missing": missing, "unjustified_gaps": unjustified}
    if not ev.members:
        return silent(value, "No members yet.")
    if missing:
        explanation = f"The team has no one with the {', '.join(missing)} perspective it needs."
    elif unjustified:
        explanation = (
            "Every needed perspective is on the team, but no public contributor took part in "
            f"{_stages(unjustified)}, and the log does not say why."
        )
    else:
        explanation = (
            "Every needed perspective is on the team, and public contributors took part in "
            "every stage so far (or the log says why not)."
        )
    evidence = [row.position for row in ev.timeline if row.shift == "MemberAdmitted"]
    evidence += [p for g in gaps(ev, counts) for p in g.evidence]
    return Judgement(
        value,
        _status(not missing and not unjustified, not missing),
        explanation,
        evidence,
    )


@indicator("respecting_knowledge", "respecting and valuing the knowledge of all")
def respecting_knowledge(ev: Evidence) -> Judgement:
    raised = sum(m.objections for m in ev.members)
    heeded = sum(m.upheld for m in ev.members)
    public_adopted = [
        d for d in ev.decisions if PUBLIC in d.proposer_perspectives and d.outcome == "adopted"
    ]
    decided = [d for d in ev.decisions if d.outcome != "open"]
    value = {
        "objections": raised,
        "heeded": heeded,
        "heeded_share": None if not raised else heeded / raised,
        "public_proposals_adopted": len(public_adopted),
    }
    if not decided:
        return silent(value, "Nothing decided yet.")
    listens = not raised or heeded * 2 >= raised
    explanation = (
        f"{heeded} of {raised} objections changed or stopped a proposal; "
        if raised
        else "No one has objected yet; "
    ) + (
        f"{_count(len(public_adopted), 'proposal')} made by public contributors "
        f"{'was' if len(public_adopted) == 1 else 'were'} adopted."
    )
    evidence = [d.position for d in public_adopted]
    evidence += [d.position for d in ev.decisions if d.amendments]
    return Judgement(
        value,
        _status(listens and bool(public_adopted), listens or bool(public_adopted)),
        explanation,
        evidence,
    )


@indicator("reciprocity", "reciprocity")
def reciprocity(ev: Evidence) -> Judgement:
    cards = {r.member_id: r for r in recognition(ev)}
    public = [m.member_id for m in ev.public_members]
    recognised = [m for m in public if m in cards]
    overdue = sorted(m for m, r in cards.items() if r.overdue)
    value = {"public_recognised": len(recognised), "public": len(public), "overdue": overdue}
    if not cards:
        return silent(value, "No recognition recorded yet.")
    explanation = (
        f"{len(recognised)} of {len(public)} public contributors have had their contribution "
        "recognised (payment, expenses, training, authorship or acknowledgement)"
        + (
            f"; {_count(len(overdue), 'member')} waited over 30 days for a payment."
            if overdue
            else "."
        )
    )
    complete = bool(public) and len(recognised) == len(public)
    return Judgement(
        value,
        _status(complete and not overdue, bool(recognised)),
        explanation,
        [p for r in cards.values() for p in r.evidence],
    )


def _dialogues(ev: Evidence) -> list[JournalRow]:
    return ev.entries("dialogue")


@indicator("relationships", "building and maintaining relationships")
def relationships(ev: Evidence) -> Judgement:
    met_with = {m for row in _dialogues(ev) for m in row.members}
    active = [m.member_id for m in ev.active]
    joined = [m for m in active if m in met_with]
    value = {"members_in_dialogue": len(joined), "members": len(active)}
    if not _dialogues(ev):
        return silent(value, "No dialogue recorded.")
    return Judgement(
        value,
        _status(len(joined) == len(active), len(joined) * 2 >= len(active)),
        f"{len(joined)} of {len(active)} current members have taken part in team meetings, "
        "workshops or online sessions.",
        [row.position for row in _dialogues(ev)],
    )


@indicator("ground_rules", "establishing ground rules")
def ground_rules(ev: Evidence) -> Judgement:
    tabled = [d for d in ev.decisions if "adopt_ground_rules" in d.actions]
    adopted = [d for d in tabled if d.outcome == "adopted"]
    value = {"adopted": len(adopted), "proposed": len(tabled)}
    if adopted:
        status, explanation = Status.MET, "The team agreed its ground rules together."
    elif tabled:
        status, explanation = Status.PARTIAL, "Ground rules were proposed but not yet agreed."
    elif len(ev.stages_entered()) > 1:
        status = Status.NOT_MET
        explanation = "The project moved past its first stage without agreeing ground rules."
    else:
        status, explanation = Status.NO_EVIDENCE, "No ground rules proposed yet."
    return Judgement(value, status, explanation, [d.position for d in tabled])


@indicator("continuing_dialogue", "continuing dialogue")
def continuing_dialogue(ev: Evidence) -> Judgement:
    stages = ev.stages_entered()
    with_dialogue = {ev.entry_stage(row) for row in _dialogues(ev)}
    quiet = [s for s in stages if s not in with_dialogue]
    value = {"dialogues": len(_dialogues(ev)), "stages_without": quiet}
    if not _dialogues(ev):
        return silent(value, "No dialogue recorded.")
    return Judgement(
        value,
        _status(not quiet, True),
        "The team met in every stage so far."
        if not quiet
        else f"The team met, but not during {_stages(quiet)}.",
        [row.position for row in _dialogues(ev)],
    )


@indicator("joint_ownership", "joint ownership of key decisions")
def joint_ownership(ev: Evidence) -> Judgement:
    judged = [d for d in ev.decisions if d.key and d.jointly_owned is not None]
    owned = [d for d in judged if d.jointly_owned]
    value = None if not judged else len(owned) / len(judged)
    if not judged:
        return silent(value, "No key decision adopted yet.")
    return Judgement(
        value,
        _status(len(owned) == len(judged), bool(owned)),
        f"{len(owned)} of {len(judged)} key decisions were owned jointly by public "
        "contributors and researchers.",
        [d.position for d in judged],
    )


@indicator("relationship_building", "a commitment to relationship building")
def relationship_building(ev: Evidence) -> Judgement:
    held = sorted(
        _moment(str(row.data.get("held_at") or row.recorded_at)) for row in _dialogues(ev)
    )
    if not held:
        return silent(None, "No dialogue recorded.")
    spells = [b - a for a, b in zip([ev.founded_at, *held], [*held, ev.now], strict=True)]
    longest = max(spells)
    value = {"dialogues": len(held), "longest_gap_days": longest.days}
    return Judgement(
        value,
        _status(longest <= DIALOGUE_GAP, True),
        f"The longest time the team went without meeting was {longest.days} days"
        + (" (within a quarter)." if longest <= DIALOGUE_GAP else " (more than a quarter)."),
        [row.position for row in _dialogues(ev)],
    )


@indicator("personal_growth", "opportunities for personal growth and development")
def personal_growth(ev: Evidence) -> Judgement:
    growth = ev.entries("support") + [
        r for r in ev.entries("recognition") if r.data.get("kind") in GROWTH
    ]
    supported = {str(r.data.get("member_id")) for r in growth}
    public = [m.member_id for m in ev.public_members]
    reached = [m for m in public if m in supported]
    value = {"public_supported": len(reached), "public": len(public), "entries": len(growth)}
    if not growth:
        return silent(value, "No training or support recorded.")
    return Judgement(
        value,
        _status(bool(public) and len(reached) == len(public), bool(reached)),
        f"{len(reached)} of {len(public)} public contributors have had training, mentoring "
        "or support.",
        [r.position for r in growth],
    )


@indicator("flexibility", "flexibility")
def flexibility(ev: Evidence) -> Judgement:
    amended = [d for d in ev.decisions if d.amendments]
    changed = [
        d
        for d in ev.decisions
        if d.outcome == "adopted" and {"amend_charter", "enter_stage"} & set(d.actions)
    ]
    proposers = {p for d in ev.decisions if d.by_proposal for p in d.proposer_perspectives}
    value = {
        "amended_proposals": len(amended),
        "plan_changes": len(changed),
        "proposing_perspectives": sorted(proposers),
    }
    if not any(d.by_proposal for d in ev.decisions):
        return silent(value, "No proposals yet.")
    iterates = bool(amended or changed)
    devolved = len(proposers) > 1
    return Judgement(
        value,
        _status(iterates and devolved, iterates or devolved),
        f"{_count(len(amended), 'proposal')} changed in response to the team, "
        f"{_count(len(changed), 'change')} of plan agreed; proposals came from "
        f"{_count(len(proposers), 'perspective')}.",
        [d.position for d in [*amended, *changed]],
    )


@indicator("evaluating_impact", "valuing and evaluating the impact of co-producing")
def evaluating_impact(ev: Evidence) -> Judgement:
    impacts = ev.entries("impact")
    kinds = sorted({str(r.data.get("kind")) for r in impacts})
    value = {"impacts": len(impacts), "kinds": kinds}
    if not impacts:
        return silent(value, "No impact recorded.")
    process = bool(PROCESS_IMPACTS & set(kinds))
    outcome = bool(OUTCOME_IMPACTS & set(kinds))
    return Judgement(
        value,
        _status(process and outcome, True),
        "The log records the difference co-production made both to people and to the "
        "research or its use."
        if process and outcome
        else "The log records impact on "
        + (
            "people, but not yet on the research or its use."
            if process
            else "the research, but not yet on the people involved."
        ),
        [r.position for r in impacts],
    )


@indicator("continuous_reflection", "continuous reflection")
def continuous_reflection(ev: Evidence) -> Judgement:
    reflections = ev.entries("reflection")
    schedule = reflection_schedule(ev)
    stages = ev.stages_entered()
    reflected = {ev.entry_stage(r) for r in reflections}
    missing = [s for s in stages if s not in reflected]
    value = {
        "reflections": len(reflections),
        "stages_without": missing,
        "due": schedule.due,
        "overdue": schedule.overdue,
    }
    if not reflections:
        status = Status.NOT_MET if schedule.overdue else Status.NO_EVIDENCE
        return Judgement(value, status, "No reflection recorded yet.")
    parts = [f"The team reflected {_count(len(reflections), 'time')}"]
    if missing:
        parts.append(f"not yet during {_stages(missing)}")
    if schedule.overdue:
        parts.append(f"a team reflection has been due since {schedule.due}")
    return Judgement(
        value,
        _status(not missing and not schedule.overdue, True),
        "; ".join(parts) + ".",
        [r.position for r in reflections],
    )


@indicator("responsibility_accountability", "clear responsibility and accountability")
def responsibility(ev: Evidence) -> Judgement:
    active = ev.active
    with_role = [m for m in active if m.roles]
    value = {"members_with_role": len(with_role), "members": len(active)}
    if not active:
        return silent(value, "No members yet.")
    evidence = [r.position for r in ev.timeline if r.shift in ("RoleAssigned", "AreaDelegated")]
    return Judgement(
        value,
        _status(len(with_role) == len(active), bool(with_role)),
        f"{len(with_role)} of {len(active)} members hold a defined role.",
        evidence,
    )


@indicator("ethical_review", "ethical reflection and review")
def ethical_review(ev: Evidence) -> Judgement:
    reviews = ev.entries("ethics_review")
    raised = ev.entries("ethics_issue")
    resolved = {r.data.get("issue_id") for r in ev.entries("ethics_resolution")}
    still_open = [r for r in raised if r.data.get("issue_id") not in resolved]
    latest = str(reviews[-1].data.get("outcome")) if reviews else None
    value = {
        "reviews": len(reviews),
        "latest_outcome": latest,
        "issues_raised": len(raised),
        "issues_open": len(still_open),
    }
    evidence = [r.position for r in [*reviews, *raised, *ev.entries("ethics_resolution")]]
    if not reviews and not raised:
        return silent(value, "No ethics review or issue recorded.")
    favourable = latest in ("favourable", "favourable_with_conditions", "not_required")
    explanation = (
        f"Latest ethics opinion: {latest.replace('_', ' ')}; "
        if latest
        else "No ethics review recorded; "
    ) + f"{_count(len(raised), 'ethics issue')} raised, {len(still_open)} still open."
    return Judgement(
        value,
        _status(favourable and not still_open, favourable or bool(raised)),
        explanation,
        evidence,
    )


def scorecard(ev: Evidence) -> Scorecard:
    found = [(code, principle, rule(ev)) for code, principle, rule in RULES]
    indicators = tuple(
        Indicator(code, principle, j.value, j.status, j.explanation, j.evidence)
        for code, principle, j in found
    )
    counts = involvement(ev)
    return Scorecard(
        project_id=ev.project_id,
        as_of=utc_iso(ev.now),
        indicators=indicators,
        involvement=counts,
        gaps=tuple(gaps(ev, counts)),
        recognition=tuple(recognition(ev)),
        reflection=reflection_schedule(ev),
        gripp2_sf=gripp2_sf(indicators),
        uk_standards=uk_standards(indicators),
    )
