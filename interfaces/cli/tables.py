"""Terminal tables for decisions, members and the roles held at each stage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.table import Table

from cogov.application import ProjectRecord
from cogov.application.views import DecisionRow, PowerRow
from cogov.interfaces.demo import DemoToken, StageHolding

OUTCOME_STYLE = {
    "adopted": "green",
    "rejected": "red",
    "lapsed": "yellow",
    "withdrawn": "dim",
    "open": "cyan",
}


def _names(ids: Iterable[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(i, i[:8]) for i in ids) or "-"


def members_table(project: ProjectRecord) -> Table:
    table = Table(title="Members")
    for column in ("member", "perspectives", "status", "roles"):
        table.add_column(column)
    for m in project.members:
        table.add_row(
            m.display_name or m.member_id,
            ", ".join(m.perspectives),
            m.status,
            ", ".join(m.roles) or "-",
        )
    return table


def decisions_table(rows: Iterable[DecisionRow], names: Mapping[str, str]) -> Table:
    table = Table(title="Decisions")
    for column in ("#", "stage", "title", "area", "key", "by", "outcome", "jointly owned"):
        table.add_column(column)
    for i, row in enumerate(rows, 1):
        style = OUTCOME_STYLE.get(row.outcome, "")
        if row.jointly_owned is None:
            owned = "-"
        elif row.jointly_owned:
            owned = "yes" + (f" ({', '.join(row.flags)})" if row.flags else "")
        else:
            owned = f"[bold red]no[/]: {', '.join(row.failed_criteria)}"
        table.add_row(
            str(i),
            row.stage,
            row.title,
            row.area,
            "key" if row.key else "",
            ("proposal: " if row.by_proposal else "alone: ") + names.get(row.proposer, "?"),
            f"[{style}]{row.outcome}[/]" if style else row.outcome,
            owned,
        )
    return table


def holdings_table(holdings: Iterable[StageHolding], names: Mapping[str, str]) -> Table:
    table = Table(title="Roles and areas held at the end of each stage")
    for column in ("stage", "roles", "delegated areas"):
        table.add_column(column)
    for h in holdings:
        roles = "\n".join(f"{r}: {_names(ids, names)}" for r, ids in h.roles.items())
        areas = "\n".join(f"{a}: {_names(ids, names)}" for a, ids in h.areas.items()) or "-"
        table.add_row(h.stage, roles, areas)
    return table


def _pct(share: float | None) -> str:
    return "  n/a" if share is None else f"{100 * share:5.1f}%"


def power_tables(row: PowerRow, names: Mapping[str, str]) -> list[Table]:
    by_perspective = Table(title="By perspective (shares)")
    for column in ("perspective", "voting power", "authority", "influence"):
        by_perspective.add_column(column)
    for perspective, shares in row.perspectives.items():
        by_perspective.add_row(
            perspective,
            _pct(shares["voting_power"]),
            _pct(shares["authority"]),
            _pct(shares["influence"]),
        )
    by_member = Table(title="By member (shares)")
    for column in ("member", "perspectives", "voting power", "authority", "influence", "roles"):
        by_member.add_column(column)
    for m in row.members:
        by_member.add_row(
            names.get(m.member_id, m.member_id[:8]),
            ", ".join(m.perspectives),
            _pct(m.voting_power),
            _pct(m.authority),
            _pct(m.influence),
            ", ".join([*m.roles, *(f"area: {a}" for a in m.areas)]) or "-",
        )
    concentration = Table(title="Concentration")
    for column in ("measure", "HHI over perspectives (0-10,000)", "Gini over members (0-1)"):
        concentration.add_column(column)
    for measure in row.hhi:
        hhi, gini = row.hhi[measure], row.gini[measure]
        concentration.add_row(
            measure.replace("_", " "),
            "n/a" if hhi is None else f"{hhi:,.0f}",
            "n/a" if gini is None else f"{gini:.2f}",
        )
    return [by_perspective, by_member, concentration]


def tokens_table(tokens: Iterable[DemoToken]) -> Table:
    table = Table(title="Demo tokens (shown once; send as 'Authorization: Bearer <token>')")
    for column in ("who", "kind", "token"):
        table.add_column(column)
    for t in tokens:
        table.add_row(t.name, t.kind, t.token)
    return table
