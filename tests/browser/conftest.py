"""Real headless Chromium against the live Django server: data, pages, axe and keyboard helpers.

Every test here is marked `browser`. One Chromium runs for the whole session; each test gets a
fresh browser context (its own cookies) so tests never share a draft or a sign-in.

The live server runs in a thread of this process, and its requests must see what the fixtures
wrote, so the data fixtures use `transactional_db` (committed data) rather than `db`. Such tests
are cleaned up by emptying every table, which also removes the local authorities a migration
loads, so `browser_db` puts them back when they are missing. (Django's serialized rollback cannot
do it here: once Playwright's event loop runs in this thread, Django hands out connections from a
context-local store that lacks the serialized copy.)
"""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told the calls are deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
AXE_JS = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
STAFF_EMAIL = "admin@example.gov.uk"
STAFF_PASSWORD = "a long test passphrase 42"
CALL_SLUG = "open-call"
REFERENCE = re.compile(r"IP-[A-Z2-9]{4}-[A-Z2-9]{4}")

# Valid answers for every page of the journey, as in tests/intake/test_journey.py.
ANSWERS = {
    "respondent_name": "Priya Shah",
    "respondent_email": "p.shah@example.org",
    "respondent_role": "SENCO",
    "organisation_name": "Oakfield Primary School",
    "title": "A calm start to every day",
    "practice": "Every morning pupils with sensory needs start in a calm room.",
    "need_description": (
        "Autistic pupils in Key Stage 2 who find the noisy start of the day overwhelming"
    ),
    "practice_type_other": "Calm start room",
    "impact": "Attendance rose from 88% to 95% over two terms.",
    "enablers": "Governors funded a part-time learning mentor.",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail(f"Chromium not found at {executable}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageProblems:
    """Console errors, uncaught script errors and failed static files seen by one page."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._error_documents: set[str] = set()

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught script error: {exc}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_response(self, response) -> None:
        request = response.request
        if response.status < 400:
            return
        if request.resource_type == "document" and request.is_navigation_request():
            # Error pages (400 with a form's errors, 404, 409) are deliberate: they are still
            # checked for accessibility, and Chromium's console note about them is expected.
            self._error_documents.add(response.url)
            return
        if urlparse(response.url).path.startswith("/static/"):
            self.problems.append(f"static file failed: {response.status} {response.url}")
        else:
            self.problems.append(f"request failed: {response.status} {response.url}")

    def _on_request_failed(self, request) -> None:
        # ERR_ABORTED is a request cut short by leaving the page (a late favicon, say); a file
        # that is missing shows up in _on_response as a 404.
        if "ERR_ABORTED" in (request.failure or ""):
            return
        if urlparse(request.url).path.startswith("/static/"):
            self.problems.append(f"static file failed: {request.failure} {request.url}")

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and where in self._error_documents:
            return
        self.problems.append(f"console error: {message.text} ({where})")

    def check(self) -> None:
        if self.problems:
            found, self.problems = self.problems, []
            pytest.fail("The page is broken:\n  " + "\n  ".join(found), pytrace=False)


def _new_page(chromium, base_url: str, java_script_enabled: bool = True):
    context = chromium.new_context(
        base_url=base_url, java_script_enabled=java_script_enabled, locale="en-GB"
    )
    # Generous: the suite shares a 2-core machine with other work, and a slow page is not a failure
    # of what these tests check (speed is measured in bench/).
    context.set_default_timeout(int(os.environ.get("BROWSER_TIMEOUT_MS", "30000")))
    page = context.new_page()
    problems = PageProblems()
    problems.watch(page)
    page.problems = problems
    return context, page


@pytest.fixture
def page(chromium, live_server, _fresh_rate_limits):
    """A page in a new browser context with JavaScript on; fails the test on console errors."""
    context, page = _new_page(chromium, live_server.url)
    yield page
    context.close()
    page.problems.check()


@pytest.fixture
def page_without_js(chromium, live_server, _fresh_rate_limits):
    context, page = _new_page(chromium, live_server.url, java_script_enabled=False)
    yield page
    context.close()
    page.problems.check()


@pytest.fixture
def _fresh_rate_limits(transactional_db):
    # Rate limits count per client address in the database cache, which outlives a test's flush;
    # every request here comes from 127.0.0.1.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- data ------------------------------------------------------------------------------------


@pytest.fixture
def browser_db(committed_db):
    """Committed data the live server can see, starting with England's local authorities."""


@pytest.fixture
def browser_call(browser_db):
    from django.utils import timezone

    from inpractice.intake.models import CallForEvidence

    now = timezone.now()
    return CallForEvidence.objects.create(
        slug=CALL_SLUG,
        title="Inclusion in practice: call for evidence",
        introduction="Tell us about effective inclusion in mainstream schools.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )


@pytest.fixture
def browser_register(browser_db) -> dict:
    """Six schools as in tests/conftest.py: four in Camden (two in one trust), two in Leeds."""
    from inpractice.schools.models import LocalAuthority, School, Trust

    camden = LocalAuthority.objects.get(code="202")
    leeds = LocalAuthority.objects.get(code="383")
    trust = Trust.objects.create(code="TR01234", name="Northern Lights Academy Trust")

    def school(urn, name, la, phase, **extra):
        return School.objects.create(
            urn=urn, name=name, local_authority=la, phase=phase, region=la.region, **extra
        )

    schools = [
        school(100001, "Oakfield Primary School", camden, "primary", trust=trust, town="London"),
        school(
            100002, "Oakfield Secondary Academy", camden, "secondary", trust=trust, town="London"
        ),
        school(100003, "Hillside Infant School", camden, "primary", town="London"),
        school(100004, "Closed Lane School", camden, "primary", status="Closed"),
        school(107001, "Roundhay Park Primary", leeds, "primary", town="Leeds"),
        school(107002, "Kirkstall Valley High", leeds, "secondary", town="Leeds"),
    ]
    return {"camden": camden, "leeds": leeds, "trust": trust, "schools": schools}


@pytest.fixture
def staff_user(browser_db):
    from inpractice.accounts.roles import add_staff

    add_staff(STAFF_EMAIL, "programme-admin", STAFF_PASSWORD)
    return STAFF_EMAIL


def sign_in(page, email: str = STAFF_EMAIL, password: str = STAFF_PASSWORD) -> None:
    """Sign in through the real staff sign-in page."""
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    go(page, "Sign in")
    assert page.url.endswith("/staff/"), page.url


# --- accessibility ---------------------------------------------------------------------------

_AXE_SOURCE: list[str] = []


def _axe_source() -> str:
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE_JS.read_text(encoding="utf-8"))
    return _AXE_SOURCE[0]


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through DevTools rather than added as an inline <script>, which the
        # Content-Security-Policy (no 'unsafe-inline') would block.
        page.evaluate(_axe_source())
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target, html: n.html, summary: n.failureSummary,
                })),
            }));
        }""",
        WCAG_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            html = node["html"] if len(node["html"]) <= 240 else node["html"][:240] + "…"
            lines.append(f"    at {json.dumps(node['target'])}")
            lines.append(f"       {html}")
            if node.get("summary"):
                summary = " ".join(node["summary"].split())
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(page, label: str = "") -> None:
    """Fail with a readable list if axe finds any WCAG 2.2 A/AA violation on the page."""
    page.wait_for_load_state("load")
    page.problems.check()
    violations = axe_violations(page)
    if violations:
        where = f"{label} ({page.url})" if label else page.url
        pytest.fail(
            f"axe found {len(violations)} accessibility violation(s) on {where}:\n"
            + format_violations(violations),
            pytrace=False,
        )


def expect_error_summary(page) -> None:
    """The GOV.UK error summary is shown and has the focus, so screen readers announce it."""
    page.locator(".govuk-error-summary__title").first.wait_for(state="visible")
    try:
        page.wait_for_function(
            "() => !!document.activeElement.closest('.govuk-error-summary')", timeout=5000
        )
    except PlaywrightTimeoutError:
        pytest.fail(f"the error summary on {page.url} should have the focus", pytrace=False)
    # Each error links to the field it is about (the first radio or checkbox of a group).
    broken = page.evaluate(
        """() => [...document.querySelectorAll('.govuk-error-summary__list a')]
            .map((a) => a.getAttribute('href'))
            .filter((href) => href.startsWith('#') && !document.getElementById(href.slice(1)))"""
    )
    assert not broken, f"error summary links to nothing on {page.url}: {broken}"


# --- the submission journey, filled with pointer and fill (the keyboard test does it by keys) --


def fill_about_you(page) -> None:
    page.get_by_label("Full name").fill(ANSWERS["respondent_name"])
    page.get_by_label("Email address").fill(ANSWERS["respondent_email"])
    page.get_by_label("Job title or role").fill(ANSWERS["respondent_role"])
    page.get_by_label("Name of your organisation").fill(ANSWERS["organisation_name"])
    page.get_by_label("School", exact=True).check()


def fill_schools_by_urn(page) -> None:
    page.get_by_label("One school").check()
    page.get_by_label("School name or URN").fill("100001")


def fill_title(page) -> None:
    page.get_by_label("Give your example a short title").fill(ANSWERS["title"])


def fill_practice(page) -> None:
    page.get_by_label("Describe the practice in your own words").fill(ANSWERS["practice"])


def fill_needs(page) -> None:
    page.get_by_label("Autistic spectrum disorder (ASD)").check()
    page.get_by_label("Social, emotional and mental health (SEMH)").check()
    page.get_by_label("Describe the needs precisely").fill(ANSWERS["need_description"])


def fill_practice_types(page) -> None:
    page.get_by_label("Other", exact=True).check()
    page.get_by_label("Describe the kind of practice").fill(ANSWERS["practice_type_other"])


def fill_phases(page) -> None:
    page.get_by_label("Primary", exact=True).check()


def fill_impact(page) -> None:
    page.get_by_label("What difference has it made, and how do you know?").fill(ANSWERS["impact"])


def fill_enablers(page) -> None:
    page.get_by_label("What made it possible?").fill(ANSWERS["enablers"])


def fill_nothing(page) -> None:
    """The advice question is optional."""


def fill_consent(page) -> None:
    page.get_by_label("Yes, publish it without our name").check()
    page.get_by_label("Yes", exact=True).check()


JOURNEY = [
    ("about-you", fill_about_you),
    ("schools", fill_schools_by_urn),
    ("title", fill_title),
    ("q-practice", fill_practice),
    ("needs", fill_needs),
    ("practice-types", fill_practice_types),
    ("phases", fill_phases),
    ("q-impact", fill_impact),
    ("q-enablers", fill_enablers),
    ("q-advice", fill_nothing),
    ("consent", fill_consent),
]


def step_url(slug: str) -> str:
    return f"/calls/{CALL_SLUG}/submit/{slug}/"


def go(page, name: str, role: str = "button") -> None:
    """Click a button or link and wait for the page it leads to (or the same page redrawn)."""
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def press_continue(page) -> None:
    go(page, "Continue")
