"""Decisions are listed in the order they began and paged by where they began, on every
store: a row updated later keeps its place, a page continues exactly after the last row
of the one before (nothing skipped or repeated while rows change between pages), and the
filters, including a judgement under another audit standard, apply before the page."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import psycopg
import pytest
from fastapi.testclient import TestClient

from cogov.application import Governance
from cogov.domain import NotFound
from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app
from tests.support import Clock

ADMIN = "admin-token-for-decision-pages-01"


def founded(gov: Governance) -> tuple[str, str, str]:
    """ana (researcher) and pat (public)."""
    project = gov.found_project(
        title="Pages", founder_name="Ana", founder_perspectives=["researcher"], charter={}
    )
    pid, ana = str(project.project_id), project.founder_id
    pat = gov.admit_member(pid, display_name="Pat", perspectives=["public"], actor=ana).member_id
    return pid, ana, pat


def table(gov: Governance, pid: str, actor: str, n: int, *, key: bool = False) -> list[str]:
    return [
        str(
            gov.table_proposal(
                pid, title=f"Motion {i}", text="...", area="methods", key=key, actor=actor
            ).proposal_id
        )
        for i in range(n)
    ]


def test_rows_keep_the_order_they_began_in_when_later_events_update_them(
    governance: Governance,
) -> None:
    """The clock stands still, so every row has the same tabled_at: the order is where
    each began. Responding to the first proposal last does not move it."""
    pid, ana, pat = founded(governance)
    ids = table(governance, pid, ana, 4)
    position = governance.respond(ids[0], stance="consent", actor=pat)
    rows = governance.decisions(pid, after=position)
    assert [r.proposal_id for r in rows] == ids
    assert rows[0].position == position and rows[0].began < rows[1].began
    assert [r.start for r in rows] == sorted(r.began for r in rows)


def test_pages_continue_after_the_last_row_while_rows_change_between_them(
    governance: Governance,
) -> None:
    pid, ana, pat = founded(governance)
    ids = table(governance, pid, ana, 7)
    first = governance.decisions(pid, after=governance.max_position(), limit=3)
    assert [r.proposal_id for r in first] == ids[:3]
    # between pages: a row already seen and one not yet seen change, and one more begins
    governance.respond(ids[1], stance="consent", actor=pat)
    governance.respond(ids[5], stance="object", reason="Not yet", actor=pat)
    newest = table(governance, pid, pat, 1)
    seen = [r.proposal_id for r in first]
    cursor = first[-1].start
    while page := governance.decisions(
        pid, after=governance.max_position(), cursor=cursor, limit=3
    ):
        seen += [r.proposal_id for r in page]
        cursor = page[-1].start
    assert seen == [*ids, *newest]


def test_filters_and_another_standards_judgement_apply_before_the_page(
    governance: Governance,
) -> None:
    pid, ana, pat = founded(governance)
    key = table(governance, pid, ana, 5, key=True)
    table(governance, pid, ana, 3)
    for proposal in key[:4]:
        governance.respond(proposal, stance="consent", actor=pat)
        governance.respond(proposal, stance="consent", actor=ana)
        position = governance.close_proposal(proposal)
    keyed = governance.decisions(pid, key=True, after=position, limit=2)
    assert [r.proposal_id for r in keyed] == key[:2]
    rest = governance.decisions(pid, key=True, after=position, cursor=keyed[-1].start)
    assert [r.proposal_id for r in rest] == key[2:]
    standard = {"required_perspectives": ["public"], "jointly_owned": True}
    judged = governance.decisions(pid, after=position, limit=3, **standard)  # type: ignore[arg-type]
    assert [r.proposal_id for r in judged] == key[:3]
    after = governance.decisions(pid, cursor=judged[-1].start, **standard)  # type: ignore[arg-type]
    assert [r.proposal_id for r in after] == key[3:4]


@pytest.fixture
def http(
    database_url: str, clock: Clock
) -> Iterator[tuple[TestClient, str, dict[str, str], Governance]]:
    gov = open_governance(database_url, clock=clock)
    with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
        founded = client.post(
            "/projects",
            json={"title": "Pages", "founder": {"display_name": "Ana", "perspectives": ["public"]}},
            headers={"Authorization": f"Bearer {ADMIN}"},
        ).json()
        auth = {"Authorization": f"Bearer {founded['founder_token']}"}
        for i in range(5):
            client.post(
                f"/projects/{founded['id']}/proposals",
                json={"title": f"Motion {i}", "text": "...", "area": "methods"},
                headers=auth,
            )
        yield client, founded["id"], auth, gov
    gov.close()


def test_the_next_link_continues_after_where_the_last_row_began(
    http: tuple[TestClient, str, dict[str, str], Governance],
) -> None:
    client, pid, auth, _ = http
    url: str | None = f"/projects/{pid}/decisions?limit=2"
    titles: list[str] = []
    pages: list[dict[str, Any]] = []
    while url:
        page = client.get(url, headers=auth).json()
        pages.append(page)
        titles += [r["title"] for r in page["items"]]
        url = page["next"]
    assert titles == [f"Motion {i}" for i in range(5)]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]  # no empty page after a full one
    first = pages[0]
    assert first["next"].endswith(f"cursor={first['items'][-1]['began']}")
    assert all(r["began"] > 0 for p in pages for r in p["items"])


def test_a_page_sent_as_stored_says_what_the_rows_say(
    http: tuple[TestClient, str, dict[str, str], Governance],
) -> None:
    """The page is written from the rows' stored JSON: the same fields and values as the
    rows themselves, and the same page as judging under an explicit standard would give."""
    client, pid, auth, gov = http
    answer = client.get(f"/projects/{pid}/decisions?limit=3", headers=auth)
    assert answer.headers["content-type"] == "application/json"
    page = answer.json()
    rows = gov.decisions(pid, limit=3)
    assert page["items"] == [json.loads(json.dumps(r.to_dict())) for r in rows]
    judged = client.get(
        f"/projects/{pid}/decisions?limit=3&required_perspectives=public,researcher",
        headers=auth,
    ).json()
    assert [r["proposal_id"] for r in judged["items"]] == [r.proposal_id for r in rows]
    assert judged["next"].split("cursor=")[1] == page["next"].split("cursor=")[1]
    assert page["names"] == judged["names"] != {}


def test_an_unknown_project_is_refused_and_a_known_one_without_decisions_is_empty(
    governance: Governance,
) -> None:
    """Existence is asked only when an answer is empty, and still decides it."""
    gov = governance
    unknown = "00000000-0000-4000-8000-000000000000"
    for read in (
        lambda: gov.decisions(unknown),
        lambda: gov.shown_decisions(unknown)[0],
        lambda: gov.decisions(unknown, stage="design"),
        lambda: gov.power_as_of(unknown),
        lambda: gov.power_body_in_stage(unknown, "design"),
    ):
        with pytest.raises(NotFound, match="no project with id"):
            read()
    founded = gov.found_project(title="Quiet", founder_name="F", founder_perspectives=["public"])
    assert gov.decisions(founded.project_id) == []
    assert gov.shown_decisions(founded.project_id)[0] == []
    assert gov.power_as_of(founded.project_id).project_id == str(founded.project_id)
    with pytest.raises(NotFound, match="had not been founded"):
        gov.power_as_of(founded.project_id, "2000-01-01T00:00:00+00:00")


def run_sql(url: str, statement: str) -> None:
    """A statement on the store's own database, outside cogov."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute(statement)
        return
    base, _, query = url.partition("?")
    schema = parse_qs(query)["schema"][0]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute(statement)


def test_rows_stored_before_the_views_kept_whom_they_name_still_page_whole(
    shared_store_url: str,
) -> None:
    """A page is written from stored rows without decoding them, names and all. A table
    made before the `named` column gains it when cogov opens the store; its rows (the
    column empty) are decoded as before, and each row takes it when it next changes."""
    gov = open_governance(shared_store_url, clock=Clock())
    pid, ana, pat = founded(gov)
    motions = table(gov, pid, ana, 3)
    gov.respond(motions[0], stance="consent", actor=pat)
    path = f"/projects/{pid}/decisions?limit=2"
    admin = {"Authorization": f"Bearer {ADMIN}"}

    def page(gov: Governance) -> dict[str, Any]:
        with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
            answer = client.get(path, headers=admin)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    kept = page(gov)
    assert set(kept["names"]) == {ana, pat}
    assert [s.named for s in gov.shown_decisions(pid)[0]] == [(ana, pat), (ana,), (ana,)]
    gov.close()

    run_sql(shared_store_url, "ALTER TABLE cogov_decisions DROP COLUMN named")
    gov = open_governance(shared_store_url, clock=Clock())
    assert [s.named for s in gov.shown_decisions(pid)[0]] == [None, None, None]
    assert page(gov) == kept
    gov.respond(motions[1], stance="object", reason="not yet", actor=pat)
    assert [s.named for s in gov.shown_decisions(pid)[0]] == [None, (ana, pat), None]
    after = page(gov)
    assert after["items"] == [json.loads(json.dumps(r.to_dict())) for r in gov.decisions(pid)][:2]
    assert after["names"] == kept["names"]
    gov.close()


@pytest.mark.parametrize(
    "title", ["a\x1eb\x1fc", 'a "quoted", \\ back\\slashed\x1fone', "Ünïcödé \x00 \u2028 title"]
)
def test_a_stored_page_holds_what_its_rows_hold_whatever_their_text(
    governance: Governance, title: str
) -> None:
    """Rows whose text holds control characters, quotes or backslashes are read back as
    stored, whole and in order."""
    pid, ana, _ = founded(governance)
    for i in range(3):
        governance.table_proposal(
            pid, title=f"{title} {i}", text=f"({title})", area="methods", actor=ana
        )
    stored = governance.shown_decisions(pid)[0]
    rows = governance.decisions(pid)
    assert [json.loads(s.body) for s in stored] == [
        json.loads(json.dumps(r.to_dict())) for r in rows
    ]
    assert [r.title for r in rows] == [f"{title} {i}" for i in range(3)]
    assert [s.began for s in stored] == sorted(s.began for s in stored)
