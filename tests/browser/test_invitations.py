"""A programme admin invites a nominated school by keyboard alone, and the emailed link opens a
submission with the school filled in; every page passes axe (issue 15, part 3)."""

from __future__ import annotations

import re

from django.core import mail

from inpractice.intake.models import Invitation, Nomination

from .conftest import ANSWERS, CALL_SLUG, assert_accessible, sign_in
from .test_keyboard_journeys import (
    choose_radio,
    expect_page,
    focused,
    press_button,
    tab_to,
    type_into,
)


def test_an_admin_invites_a_nominated_school_and_the_link_fills_in_the_school(
    page, chromium, live_server, browser_call, browser_register, staff_user
):
    school = browser_register["schools"][2]
    Nomination.objects.create(
        call=browser_call,
        urn=school.urn,
        school=school,
        contact_name="Sam Lee",
        contact_email="s.lee@example.org",
        reason="Their nurture base keeps pupils in lessons.",
        nominator_name="Nina Nominator",
        nominator_email="nina@example.org",
        share_reason=True,
    )
    sign_in(page)
    page.goto(f"/staff/calls/{CALL_SLUG}/nominations/")
    page.get_by_role("heading", name="Nominated schools").wait_for()
    assert page.get_by_text("Nina Nominator").is_visible()
    assert_accessible(page, "nominations to invite")

    press_button(page, "Hillside Infant School")
    page.get_by_role("heading", name="Hillside Infant School").wait_for()
    assert page.get_by_text("Their nurture base keeps pupils in lessons.").first.is_visible()
    assert_accessible(page, "a nomination with the email to send")
    press_button(page, "Send invitation to Hillside Infant School")
    page.get_by_role("alert").filter(
        has_text="Invitation sent to Hillside Infant School"
    ).wait_for()
    assert page.get_by_text("Withdraw invitation").is_visible()
    assert_accessible(page, "a nomination just invited")

    [message] = mail.outbox
    assert message.to == ["s.lee@example.org"] and message.body.startswith("Hello,\n")
    assert "Their nurture base keeps pupils in lessons." in message.body
    link = re.search(r"http://[^/\s]+(/calls/\S+/invitation/[^/\s]+/)", message.body)[1]

    # The school contact, in their own browser.
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    other = context.new_page()
    other.problems = page.problems
    page.problems.watch(other)
    try:
        other.goto(link)
        other.get_by_role("heading", name="Share your school's inclusive practice").wait_for()
        assert_accessible(other, "an invitation's start page")
        press_button(other, "Start now")
        expect_page(other, "about-you")
        type_into(other, "Full name", ANSWERS["respondent_name"])
        type_into(other, "Email address", ANSWERS["respondent_email"])
        type_into(other, "Job title or role", ANSWERS["respondent_role"])
        type_into(other, "Name of your organisation", "Hillside Infant School")
        choose_radio(other, "organisation_type", "School")
        press_button(other, "Continue")

        expect_page(other, "schools")
        assert_accessible(other, "schools covered, filled in from the invitation")
        tab_to(other, "School name or URN")
        assert focused(other)["value"] == "Hillside Infant School, London (URN 100003)"
        press_button(other, "Continue")
        expect_page(other, "title")
    finally:
        context.close()

    invitation = Invitation.objects.get()
    assert invitation.started_at is not None
    assert list(invitation.submission.covered_schools.values_list("urn", flat=True)) == [100003]
