"""GET /dashboard/{pid} over HTTP: who sees the page, how signing in keeps the token, and
what the page is drawn from. The browser tests (tests/e2e/test_dashboard.py) look at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from cogov.infrastructure import open_governance
from cogov.interfaces.http.app import create_app

ADMIN = "dashboard-admin-token-0123456789"


@dataclass(frozen=True)
class Team:
    client: TestClient
    pid: str
    founder: str  # token
    other_project_token: str


@pytest.fixture
def team() -> Iterator[Team]:
    gov = open_governance("memory://")
    client = TestClient(create_app(gov, admin_token=ADMIN, follow=False))
    admin = {"Authorization": f"Bearer {ADMIN}"}
    founded = client.post(
        "/projects",
        json={
            "title": "Stroke <rehab>",
            "founder": {"display_name": "Rosa", "perspectives": ["researcher"]},
        },
        headers=admin,
    ).json()
    other = client.post(
        "/projects",
        json={"title": "Other", "founder": {"display_name": "O", "perspectives": ["public"]}},
        headers=admin,
    ).json()
    token = founded["founder_token"]
    auth = {"Authorization": f"Bearer {token}"}
    client.post(
        f"/projects/{founded['id']}/proposals",
        json={"title": "Meet online", "text": "Tuesdays", "area": "operations", "key": True},
        headers=auth,
    )
    client.post(
        f"/projects/{founded['id']}/proposals",
        json={"title": "Buy biscuits", "text": "Ginger", "area": "budget"},
        headers=auth,
    )
    with client:
        yield Team(client, founded["id"], token, other["founder_token"])


def test_without_a_token_the_page_is_the_sign_in_form(team: Team) -> None:
    page = team.client.get(f"/dashboard/{team.pid}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert f'action="/dashboard/{team.pid}/sign-in"' in page.text
    assert 'method="post"' in page.text
    assert "Meet online" not in page.text


def test_signing_in_sets_a_strict_http_only_cookie_and_the_token_stays_out_of_the_page(
    team: Team,
) -> None:
    signed = team.client.post(
        f"/dashboard/{team.pid}/sign-in", data={"token": team.founder}, follow_redirects=False
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == f"/dashboard/{team.pid}"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/dashboard" in cookie
    assert "Secure" not in cookie  # plain http here; https sets Secure
    page = team.client.get(f"/dashboard/{team.pid}")
    assert page.status_code == 200
    assert "Meet online" in page.text and "Signed in as Rosa" in page.text
    assert team.founder not in page.text
    assert "Stroke &lt;rehab&gt;" in page.text  # escaped
    out = team.client.post(f"/dashboard/{team.pid}/sign-out", follow_redirects=False)
    assert out.status_code == 303 and 'cogov_dashboard=""' in out.headers["set-cookie"]


def test_over_https_the_cookie_is_secure(team: Team) -> None:
    client = TestClient(team.client.app, base_url="https://testserver")
    signed = client.post(
        f"/dashboard/{team.pid}/sign-in", data={"token": team.founder}, follow_redirects=False
    )
    assert "Secure" in signed.headers["set-cookie"]


def test_a_bearer_header_opens_the_page_too(team: Team) -> None:
    page = team.client.get(
        f"/dashboard/{team.pid}", headers={"Authorization": f"Bearer {team.founder}"}
    )
    assert "Meet online" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("token", ["", "cgv_not-a-token"])
def test_a_wrong_or_missing_token_is_refused_with_the_form_again(team: Team, token: str) -> None:
    refused = team.client.post(f"/dashboard/{team.pid}/sign-in", data={"token": token})
    assert refused.status_code == 401
    assert 'role="alert"' in refused.text and "set-cookie" not in refused.headers


def test_a_stale_cookie_shows_the_form_and_is_cleared(team: Team) -> None:
    team.client.cookies.set("cogov_dashboard", "cgv_revoked", path="/dashboard")
    page = team.client.get(f"/dashboard/{team.pid}")
    assert page.status_code == 200 and "sign in again" in page.text
    assert 'cogov_dashboard=""' in page.headers["set-cookie"]


def test_another_projects_token_does_not_open_the_page(team: Team) -> None:
    refused = team.client.post(
        f"/dashboard/{team.pid}/sign-in", data={"token": team.other_project_token}
    )
    assert refused.status_code == 401
    page = team.client.get(
        f"/dashboard/{team.pid}", headers={"Authorization": f"Bearer {team.other_project_token}"}
    )
    assert page.status_code == 404 and "Meet online" not in page.text


def test_a_sign_in_posted_from_another_site_is_refused(team: Team) -> None:
    refused = team.client.post(
        f"/dashboard/{team.pid}/sign-in",
        data={"token": team.founder},
        headers={"Origin": "https://elsewhere.example"},
    )
    assert refused.status_code == 403 and "set-cookie" not in refused.headers


def test_filters_narrow_the_decisions_and_unknown_values_are_ignored(team: Team) -> None:
    auth = {"Authorization": f"Bearer {team.founder}"}
    key = team.client.get(f"/dashboard/{team.pid}?key=true", headers=auth).text
    assert "Meet online" in key and "Buy biscuits" not in key
    assert "1 decision shown." in key
    assert "Not judged yet: still open" in key
    assert "Not a key decision" in team.client.get(f"/dashboard/{team.pid}", headers=auth).text
    odd = team.client.get(
        f"/dashboard/{team.pid}?stage=nowhere&outcome=%3Cb%3E&area=x&key=maybe", headers=auth
    )
    assert odd.status_code == 200 and "2 decisions shown." in odd.text


def test_as_of_a_day_before_the_founding_says_so_and_shows_now(team: Team) -> None:
    auth = {"Authorization": f"Bearer {team.founder}"}
    early = team.client.get(f"/dashboard/{team.pid}?as_of=1999-01-01", headers=auth).text
    assert "had not been founded by that date" in early
    bad = team.client.get(f"/dashboard/{team.pid}?as_of=%3Cscript%3E", headers=auth).text
    assert "could not be read" in bad and "<script>" not in bad


def test_the_stylesheet_ships_with_the_package(team: Team) -> None:
    css = team.client.get("/dashboard-assets/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert team.client.get("/dashboard-assets/axe-core-4.14.1.min.js").status_code == 404
    assert team.client.get("/dashboard-assets/..%2Fapp.py").status_code == 404


def test_the_page_loads_only_its_own_script_and_only_while_it_shows_now(team: Team) -> None:
    auth = {"Authorization": f"Bearer {team.founder}"}
    now = team.client.get(f"/dashboard/{team.pid}", headers=auth)
    policy = now.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert '<script src="/dashboard-assets/dashboard.js" defer></script>' in now.text
    assert f'data-stream="/dashboard/{team.pid}/stream"' in now.text
    assert 'data-events="' in now.text and " ResponseGiven " in now.text
    script = team.client.get("/dashboard-assets/dashboard.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "EventSource" in script.text
    earlier = team.client.get(f"/dashboard/{team.pid}?as_of=2099-01-01", headers=auth).text
    assert "dashboard.js" not in earlier and "data-stream" not in earlier
    assert "Live updates are off while the page shows an earlier moment." in earlier


def test_since_lists_the_events_recorded_after_it_each_linked(team: Team) -> None:
    auth = {"Authorization": f"Bearer {team.founder}"}
    opened = team.client.get(f"/dashboard/{team.pid}", headers=auth).text
    assert "Nothing new has been recorded since you opened this page." in opened
    since = int(opened.split('data-since="')[1].split('"')[0])
    assert since > 0
    team.client.post(
        f"/projects/{team.pid}/proposals",
        json={"title": "Add captions", "text": "For every video", "area": "operations"},
        headers=auth,
    )
    later = team.client.get(f"/dashboard/{team.pid}?since={since}", headers=auth).text
    assert "Proposal tabled by Rosa" in later
    assert f'href="/dashboard/{team.pid}/events/{since + 1}"' in later
    assert "Add captions" in later
    odd = team.client.get(f"/dashboard/{team.pid}?since=-3", headers=auth)
    assert odd.status_code == 200 and "Proposal tabled by Rosa" not in odd.text


def test_an_event_opens_on_its_own_page_for_its_projects_readers_only(team: Team) -> None:
    auth = {"Authorization": f"Bearer {team.founder}"}
    page = team.client.get(f"/dashboard/{team.pid}/events/1", headers=auth)
    assert page.status_code == 200
    assert "Event 1: Project founded" in page.text
    assert "Stroke &lt;rehab&gt;" in page.text and "Stroke <rehab>" not in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    other = {"Authorization": f"Bearer {team.other_project_token}"}
    assert team.client.get(f"/dashboard/{team.pid}/events/1", headers=other).status_code == 404
    trail = team.client.get(f"/projects/{team.pid}/events?limit=1000", headers=auth).json()
    mine = {e["position"] for e in trail["items"]}
    theirs = min(set(range(1, max(mine))) - mine)  # the other project's founding
    assert (
        team.client.get(f"/dashboard/{team.pid}/events/{theirs}", headers=auth).status_code == 404
    )
    assert team.client.get(f"/dashboard/{team.pid}/events/0", headers=auth).status_code == 404
    unsigned = team.client.get(f"/dashboard/{team.pid}/events/1")
    assert unsigned.status_code == 200 and "/sign-in" in unsigned.text


def test_a_stage_never_entered_says_so_and_the_current_stage_shows_now(team: Team) -> None:
    auth = {"Authorization": f"Bearer {team.founder}"}
    never = team.client.get(f"/dashboard/{team.pid}?as_of_stage=evaluation", headers=auth).text
    assert "The project has not been in that stage, so this shows now." in never
    odd = team.client.get(f"/dashboard/{team.pid}?as_of_stage=%3Cb%3E", headers=auth).text
    assert "has not been in that stage" in odd and "<b>" not in odd
    current = team.client.get(f"/dashboard/{team.pid}?as_of_stage=priority_setting", headers=auth)
    assert "Every section shows the project now." in current.text


def test_past_fifty_new_events_the_page_says_to_reload_for_the_newest(team: Team) -> None:
    auth = {"Authorization": f"Bearer {team.founder}"}
    opened = team.client.get(f"/dashboard/{team.pid}", headers=auth).text
    since = int(opened.split('data-since="')[1].split('"')[0])
    for n in range(51):
        team.client.post(
            f"/projects/{team.pid}/journal/reflections",
            json={"scope": "team", "text": f"Reflection {n}", "themes": ["power"]},
            headers=auth,
        )
    trail = team.client.get(
        f"/projects/{team.pid}/events?after={since}&limit=1000", headers=auth
    ).json()["items"]
    positions = [e["position"] for e in trail]
    assert len(positions) > 50
    page = team.client.get(f"/dashboard/{team.pid}?since={since}", headers=auth).text
    listed = page[page.index('class="activity"') : page.index("</ol>")]
    assert listed.count("<li>") == 50
    assert f"/events/{positions[0]}" in listed and f"/events/{positions[50]}" not in listed
    assert "reload the page to list the newest" in page
    last_fifty = positions[-51]  # exactly 50 events after it
    fewer = team.client.get(f"/dashboard/{team.pid}?since={last_fifty}", headers=auth).text
    assert "reload the page to list the newest" not in fewer
