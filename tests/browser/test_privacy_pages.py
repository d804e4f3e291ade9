"""The privacy pages, the sign-in lockout and the signed-out notice: accessible (axe, WCAG 2.2
A/AA) and working in Chromium, with the Content-Security-Policy on (a violation is a console
error, which fails the page)."""

from __future__ import annotations

from inpractice.intake.models import Nomination
from inpractice.privacy.models import AuditEvent, RetentionPolicy

from .conftest import (
    CALL_SLUG,
    STAFF_EMAIL,
    assert_accessible,
    expect_error_summary,
    go,
    sign_in,
)


def test_privacy_pages_find_export_erase_and_audit(
    page, browser_call, browser_register, staff_user
):
    school = browser_register["schools"][2]
    Nomination.objects.create(
        call=browser_call, urn=school.urn, school=school, contact_name="Jo Bloggs",
        contact_email="jo.bloggs@example.org", reason="A calm start to the day.",
    )  # fmt: skip
    sign_in(page)
    go(page, "Privacy and personal data", role="link")
    page.get_by_role("heading", name="Privacy and personal data").wait_for()
    assert_accessible(page, "privacy overview")

    go(page, f"Change how long contact details for {browser_call.title} are kept", role="link")
    go(page, "Save")
    expect_error_summary(page)
    assert_accessible(page, "retention with an error")
    page.get_by_label("How many days after the call closes").fill("90")
    go(page, "Save")
    page.get_by_role("alert").filter(has_text="will be kept 90 days").wait_for()
    assert_accessible(page, "privacy overview after setting retention")
    assert RetentionPolicy.objects.get().keep_contact_days == 90

    go(page, "Find, export or erase one person's data", role="link")
    assert_accessible(page, "find a person")
    go(page, "Find their data")
    expect_error_summary(page)
    assert_accessible(page, "find a person with an error")
    page.get_by_label("Email address of the person").fill("JO.BLOGGS@example.org")
    go(page, "Find their data")
    page.get_by_role("heading", name="What we hold about jo.bloggs@example.org").wait_for()
    assert_accessible(page, "what we hold about a person")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download everything we hold (JSON)").click()
    assert download.value.suggested_filename.startswith("subject-access-")

    go(page, "Erase their data")
    expect_error_summary(page)
    assert_accessible(page, "erase without confirming")
    page.get_by_label("I understand this erases").check()
    go(page, "Erase their data")
    page.get_by_role("alert").filter(has_text="Erased 1 record").wait_for()
    assert Nomination.objects.get().contact_email == ""

    page.goto("/staff/privacy/audit/")
    assert_accessible(page, "audit log")
    for kind in ("Erased a person's data", "Subject access export", "Changed a retention setting"):
        assert page.get_by_role("cell", name=kind).first.is_visible()
    # Set the retention, looked the person up, exported, erased: four records, all by this admin.
    assert AuditEvent.objects.filter(actor_name=STAFF_EMAIL).count() == 4


def test_the_lockout_page(page, browser_call, staff_user, settings):
    page.goto("/accounts/sign-in/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Email address").fill(staff_user)
        page.get_by_label("Password").fill("not the password")
        go(page, "Sign in")
    page.get_by_role("heading", name="Too many attempts to sign in").wait_for()
    assert_accessible(page, "lockout page")


def test_the_signed_out_notice(page, browser_call, staff_user, settings):
    sign_in(page)
    settings.STAFF_SESSION_IDLE_SECONDS = 0  # the next request is "idle" for longer than that
    page.wait_for_timeout(1100)
    page.goto(f"/staff/calls/{CALL_SLUG}/submissions/")
    assert "/accounts/sign-in/" in page.url
    page.get_by_text("because you had not done anything").wait_for()
    assert_accessible(page, "sign-in after an idle sign-out")
