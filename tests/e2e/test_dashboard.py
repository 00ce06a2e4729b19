"""The dashboard in a real browser: Playwright driving Debian's Chromium against `cogov serve`
with the demo project recorded. Screenshots go to test-artefacts/dashboard/ (gitignored).

Chromium comes from the system (`make test` installs Debian's `chromium` when missing); the
test tool never downloads a browser. Without /usr/bin/chromium these tests are skipped with
the reason shown, except under CI=true, where they fail.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest

from cogov.infrastructure import open_governance
from cogov.interfaces.demo import DemoClock, demo_tokens, run_demo
from tests.support import IN_CI, serving

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "dashboard"
ADMIN = "dashboard-admin-token-0123456789"
AXE = resources.files("cogov.interfaces.http").joinpath(
    "static", "vendor", "axe-core-4.14.1.min.js"
)

if not CHROMIUM.exists() and not IN_CI:
    pytest.skip(f"no Chromium at {CHROMIUM} (make test installs it)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@dataclass(frozen=True)
class Demo:
    base: str
    pid: str
    member_token: str  # a public contributor's
    auditor_token: str
    members: tuple[str, ...] = ()  # every member's token

    @property
    def url(self) -> str:
        return f"{self.base}/dashboard/{self.pid}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """`cogov serve` on a SQLite store holding the demo project, with its tokens."""
    url = f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'demo.db'}"
    clock = DemoClock()
    gov = open_governance(url, clock=clock)
    try:
        result = run_demo(gov, clock)
        tokens = demo_tokens(gov, result.project_id)
    finally:
        gov.close()
    member = next(t for t in tokens if t.kind == "member" and t.name == "Ben Hughes")
    auditor = next(t for t in tokens if t.kind == "auditor")
    with serving(url, ADMIN) as base:
        members = tuple(t.token for t in tokens if t.kind == "member")
        yield Demo(base, str(result.project_id), member.token, auditor.token, members)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def open_page(browser: Browser, demo: Demo, **options: Any) -> Page:
    """A fresh context (its own cookies) signed in with the auditor's token by header.
    CSP is bypassed only so that the tests may inject axe-core (an inline script); the
    live-update test runs under the page's own policy."""
    context = browser.new_context(
        bypass_csp=True,
        extra_http_headers={"Authorization": f"Bearer {demo.auditor_token}"},
        **options,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(browser: Browser, demo: Demo) -> Iterator[Page]:
    page = open_page(browser, demo, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


def shot(page: Page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def decision_rows(page: Page) -> int:
    return page.locator("#decisions table tbody tr").count()


def test_signing_in_with_a_token_shows_the_dashboard_and_never_the_token(
    browser: Browser, demo: Demo
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(demo.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    shot(page, "sign-in")
    page.get_by_label("Your cogov token").fill(demo.member_token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("header")).to_contain_text("Signed in as Ben Hughes")
    assert demo.member_token not in page.content()
    assert demo.member_token not in page.url
    cookie = next(c for c in context.cookies() if c["name"] == "cogov_dashboard")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    assert not [c for c in context.cookies() if c["name"] == "cogov_dashboard"]
    context.close()


def test_the_page_shows_the_demos_charts_tables_and_scorecard(page: Page, demo: Demo) -> None:
    page.goto(demo.url)
    expect(page.locator("h1")).to_contain_text("long COVID", ignore_case=True)
    charts = page.locator("#power svg[role=img]")
    expect(charts).to_have_count(3)
    for measure in ("Voting power", "Authority held", "Influence exercised"):
        expect(page.locator("#power table caption", has_text=measure)).to_have_count(1)
    assert page.locator("#power table").first.locator("tbody tr").count() >= 8  # stages
    assert decision_rows(page) == 30
    expect(page.locator("#decisions .badge.not-joint")).to_have_count(1)
    expect(page.locator("#decisions")).to_contain_text("decided by one person alone")
    indicators = page.locator("#scorecard .indicator")
    assert indicators.count() >= 5
    expect(indicators.first.locator(".status")).to_have_text(
        re.compile(r"(Met|Partly met|Not met|No evidence yet)$")
    )
    expect(page.locator("#people table caption", has_text="Roles")).to_have_count(1)
    shot(page, "dashboard")


def test_a_filter_narrows_the_decisions_table(page: Page, demo: Demo) -> None:
    page.goto(demo.url)
    page.get_by_label("Jointly owned").select_option("false")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#decisions-count")).to_have_text("1 decision shown.")
    assert "jointly_owned=false" in page.url
    assert decision_rows(page) == 1
    page.get_by_label("Outcome").select_option("rejected")
    page.get_by_label("Jointly owned").select_option("")
    page.get_by_role("button", name="Filter").click()
    assert 1 <= decision_rows(page) < 30
    for outcome in page.locator("#decisions tbody td:nth-child(4)").all_inner_texts():
        assert outcome == "Rejected"
    shot(page, "decisions-filtered")


def test_the_as_of_control_shows_the_project_on_an_earlier_day(page: Page, demo: Demo) -> None:
    timeline = httpx.get(
        f"{demo.base}/projects/{demo.pid}/power/timeline",
        headers={"Authorization": f"Bearer {demo.auditor_token}"},
    ).json()["items"]
    founded = date.fromisoformat(timeline[0]["as_of"][:10])
    page.goto(demo.url)
    stages_now = page.locator("#power table").first.locator("tbody tr").count()
    page.get_by_label("Show the project as it stood on").fill(founded.isoformat())
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator(".lede")).to_contain_text(founded.strftime("%-d %B %Y"))
    assert page.locator("#power table").first.locator("tbody tr").count() < stages_now
    assert decision_rows(page) < 30
    expect(page.locator(".lede")).to_contain_text("Priority setting")
    shot(page, "as-of-founding-day")


def test_keyboard_alone_reaches_every_control(page: Page, demo: Demo) -> None:
    page.goto(demo.url)
    controls = page.evaluate(
        "() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), "
        "select')].map(e => e.outerHTML)"
    )
    reached: list[str] = []
    # more presses than controls: the date input has a stop per field, and each table that
    # scrolls sideways is a stop too
    for _ in range(2 * len(controls) + 20):
        page.keyboard.press("Tab")
        focused, outline = page.evaluate(
            "() => [document.activeElement.outerHTML, document.activeElement.matches(':focus')"
            " ? getComputedStyle(document.activeElement).outlineStyle : 'inner']"
        )
        # 'inner': the date picker's own button inside the input, outlined by the
        # stylesheet's ::-webkit-calendar-picker-indicator:focus
        assert outline != "none", f"no visible focus on {focused}"
        reached.append(focused)
        if all(c in reached for c in controls):
            break
    missing = [c for c in controls if c not in reached]
    assert not missing, missing


def api(demo: Demo, method: str, path: str, token: str, body: Any = None) -> httpx.Response:
    return httpx.request(
        method,
        f"{demo.base}{path}",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def record_a_response(demo: Demo, title: str) -> int:
    """A proposal tabled and a response recorded through the API by two demo members;
    the response's position."""
    area = api(demo, "GET", f"/projects/{demo.pid}", demo.auditor_token).json()["areas"][0]
    voices = iter(demo.members)
    for token in voices:
        tabled = api(
            demo,
            "POST",
            f"/projects/{demo.pid}/proposals",
            token,
            {"title": title, "text": "Checked live", "area": area, "key": False},
        )
        if tabled.status_code == 201:
            break
    else:
        raise AssertionError("no demo member could table a proposal")
    for token in voices:
        answered = api(
            demo,
            "POST",
            f"/proposals/{tabled.json()['id']}/responses",
            token,
            {"stance": "consent"},
        )
        if answered.status_code == 201:
            position: int = answered.json()["position"]
            return position
    raise AssertionError("no other demo member could respond")


def test_a_response_recorded_through_the_api_appears_live_within_two_seconds(
    browser: Browser, demo: Demo
) -> None:
    """Signed in by the cookie, under the page's own security policy: the page follows the
    event stream, shows a new response within 2 s without reloading, announces it
    politely, and a visible control pauses and resumes the updates."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    page.goto(demo.url)
    page.get_by_label("Your cogov token").fill(demo.auditor_token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#live-state")).to_have_text(re.compile("^Live: "))
    pause = page.get_by_role("button", name="Pause live updates")
    expect(pause).to_be_visible()
    page.evaluate("() => { window.notReloaded = true; }")

    position = record_a_response(demo, "Shown live")
    recorded = time.monotonic()
    expect(page.locator("#activity")).to_contain_text(f"event {position}", timeout=2_000)
    assert time.monotonic() - recorded < 2.0
    expect(page.locator("#live")).to_contain_text("Updated at")
    assert page.locator("#live").get_attribute("aria-live") == "polite"
    expect(page.locator("#decisions")).to_contain_text("Shown live")
    assert page.evaluate("() => window.notReloaded === true")
    shot(page, "live-update")

    pause.click()
    expect(page.locator("#live-state")).to_have_text("Live updates paused.")
    while_paused = record_a_response(demo, "Recorded while paused")
    page.wait_for_timeout(1_500)
    expect(page.locator("#activity")).not_to_contain_text(f"event {while_paused}")
    page.get_by_role("button", name="Resume live updates").click()
    expect(page.locator("#activity")).to_contain_text(f"event {while_paused}", timeout=2_000)
    assert not blocked, blocked
    context.close()


def test_an_earlier_stage_and_an_evidence_event_can_be_opened(page: Page, demo: Demo) -> None:
    page.goto(demo.url)
    stages_now = page.locator("#power table").first.locator("tbody tr").count()
    first_stage = page.locator("#as_of_stage option").first.inner_text()
    page.get_by_label("or at the end of the stage").select_option(index=0)
    page.get_by_role("button", name="Show this stage").click()
    assert "as_of_stage=" in page.url
    expect(page.locator(".lede")).to_contain_text(f"at the end of the {first_stage} stage")
    assert page.locator("#power table").first.locator("tbody tr").count() < stages_now
    expect(page.locator("#scorecard")).to_contain_text(f"at the end of the {first_stage}")
    expect(page.locator("#live-toggle")).to_be_hidden()
    shot(page, "as-of-first-stage")
    page.goto(demo.url)
    evidence = page.locator("#scorecard .evidence a").first
    number = evidence.inner_text()
    evidence.click()
    expect(page.locator("h1")).to_contain_text(f"Event {number}:")
    expect(page.locator("dl.event")).to_contain_text("Position in the audit trail")
    shot(page, "event")
    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.locator("#scorecard")).to_be_visible()


def test_a_decision_opens_its_story(page: Page, demo: Demo) -> None:
    page.goto(demo.url + "?outcome=rejected")
    link = page.locator("#decisions tbody a").first
    title = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_contain_text(title)
    for heading in ("How it began", "What happened, in order", "Outcome"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("#happened li").first).to_contain_text("Tabled by")
    expect(page.locator("#happened li").last).to_contain_text("Closed: Rejected.")
    expect(page.locator("#by-perspective table")).to_be_visible()
    shot(page, "decision-story")
    page.get_by_role("link", name="Back to the dashboard").click()
    expect(page.locator("#decisions")).to_be_visible()
    # the decision that was not jointly owned was made by one person: its story says so
    page.goto(demo.url + "?jointly_owned=false")
    page.locator("#decisions tbody a").first.click()
    expect(page.locator("#tabled")).to_contain_text("Decided directly by")
    expect(page.locator("#outcome")).to_contain_text("Not jointly owned")


def story_path(demo: Demo) -> str:
    """The story of the demo's first decision, under the dashboard's address."""
    first = api(demo, "GET", f"/projects/{demo.pid}/decisions?limit=1", demo.auditor_token)
    return f"/decisions/{first.json()['items'][0]['proposal_id']}"


def test_axe_finds_no_serious_or_critical_violation(page: Page, demo: Demo) -> None:
    for path in ("", "?as_of=2000-01-01&outcome=adopted", story_path(demo), "/events/1"):
        page.goto(demo.url + path)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
        )
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not bad, bad


def test_it_works_on_a_phone_and_at_200_percent_zoom(browser: Browser, demo: Demo) -> None:
    for name, options in (
        (
            "phone",
            {
                "viewport": {"width": 390, "height": 844},
                "is_mobile": True,
                "device_scale_factor": 2,
            },
        ),
        # 200% zoom of a 1280-pixel window lays the page out in 640 CSS pixels
        ("zoom-200", {"viewport": {"width": 640, "height": 900}, "device_scale_factor": 2}),
    ):
        page = open_page(browser, demo, **options)
        page.goto(demo.url)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"
        shot(page, name)
        page.context.close()
