"""Test helper: everything the views hold about one project, for comparing two states."""

from __future__ import annotations

from typing import Any

from application import Governance
from application.views import DecisionFilter


def views_of(gov: Governance, project_id: Any) -> dict[str, Any]:
    view = gov._view()
    pid = str(project_id)
    return {
        "position": view.position(gov.name),
        "decisions": [r.to_dict() for r in view.decisions(pid, DecisionFilter())],
        "power": [r.to_dict() for r in view.power_timeline(pid, 0, 100_000)],
        "members": sorted((r.to_dict() for r in view.members(pid)), key=lambda r: r["member_id"]),
    }
