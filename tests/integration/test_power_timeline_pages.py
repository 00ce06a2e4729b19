"""The power timeline is answered from its rows as stored, on every store: the same items,
links and names as decoding every row and encoding it again through the read shape, page
after page, with a pen name and an erased member among those shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.domain import NotFound
from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.app import create_app

ADMIN = "admin-token-for-power-timeline-01"


@pytest.fixture
def client(governance: Governance) -> Iterator[TestClient]:
    with TestClient(create_app(governance, admin_token=ADMIN, follow=False)) as c:
        yield c


def decoded_page(gov: Governance, pid: str, cursor: int, limit: int) -> dict[str, Any]:
    """The page as the route wrote it before: every row decoded and encoded again."""
    rows = gov.power_timeline(pid, after_position=cursor, limit=limit)
    return read_shapes.PowerPage.model_validate(
        {
            "items": [r.to_dict() for r in rows],
            "next": None,
            "names": gov.names(m.member_id for r in rows for m in r.members),
        }
    ).model_dump(mode="json")


def test_a_page_of_shifts_sent_as_stored_says_what_the_rows_say(
    governance: Governance, client: TestClient
) -> None:
    gov = governance
    founded = gov.found_project(
        title="Shifts", founder_name="Rosa Díaz", founder_perspectives=["researcher"]
    )
    pid, rosa = str(founded.project_id), founded.founder_id
    admitted = [
        gov.admit_member(pid, display_name=f'M "{i}"', perspectives=["public"], actor=rosa)
        for i in range(6)
    ]
    pat, gone = admitted[0].member_id, admitted[1].member_id
    gov.name_member(pid, pat, shown_as="pen_name", pen_name='P\\at "☂"', actor=pat)
    gov.erase_member(pid, gone, actor=gone)
    gov.catch_up()
    auth = {"Authorization": f"Bearer {ADMIN}"}

    cursor, pages = 0, 0
    while True:
        answer = client.get(f"/projects/{pid}/power/timeline?limit=3&cursor={cursor}", headers=auth)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json"
        page = answer.json()
        expected = decoded_page(gov, pid, cursor, 3)
        assert page["items"] == expected["items"] != []
        assert page["names"] == expected["names"]
        assert json.loads(json.dumps(page)) == read_shapes.PowerPage.model_validate(
            page
        ).model_dump(mode="json")
        pages += 1
        if page["next"] is None:
            assert len(page["items"]) < 3
            break
        assert page["next"].endswith(f"cursor={page['items'][-1]['position']}")
        cursor = page["items"][-1]["position"]
    assert pages == 3  # founding, six admissions, an erasure: eight shifts
    shown = client.get(f"/projects/{pid}/power/timeline", headers=auth).json()["names"]
    assert shown[pat] == 'P\\at "☂"' and shown[rosa] == "Rosa Díaz"
    assert shown[gone] == gov.display_name(gone) != 'M "1"'


def test_stored_shifts_are_the_rows_and_refuse_what_they_refuse(governance: Governance) -> None:
    gov = governance
    founded = gov.found_project(title="Quiet", founder_name="F", founder_perspectives=["public"])
    pid = str(founded.project_id)
    stored = gov.stored_power_timeline(pid)
    rows = gov.power_timeline(pid)
    assert [p for p, _ in stored] == [r.position for r in rows] != []
    assert [json.loads(b) for _, b in stored] == [json.loads(json.dumps(r.to_dict())) for r in rows]
    with pytest.raises(NotFound, match="no project with id"):
        gov.stored_power_timeline("00000000-0000-4000-8000-000000000000")
    assert gov.stored_power_timeline(pid, after_position=stored[-1][0]) == []
