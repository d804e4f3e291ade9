"""Report editions in real Chromium, by keyboard alone, axe at 1280 and 320 px: before anything
is published the public get a clear "not published yet" page; a lead analyst drafts an edition,
is refused review while a principle has no narrative, writes it from the suggested draft and
sends it for review, cannot approve it; a programme admin reads the text, approves and publishes
it; a worker builds it; the public see the narrative."""

from __future__ import annotations

from django.core.management import call_command

from inpractice.accounts.roles import add_staff
from tests.reports import helpers as h

from .conftest import STAFF_PASSWORD, assert_accessible, expect_error_summary, go
from .test_keyboard_journeys import focused, tab_to

LEAD = "lead.analyst@example.gov.uk"
ADMIN = "programme.admin@example.gov.uk"
QUOTE = "We know every child by name and need."
OWN_WORDS = "Schools that include well know every child early."


def analysed_closed_call(call, register):
    from inpractice.workspace.models import QuoteReview

    s1 = h.submission(call, 1, needs=["ASD", "SLCN"], urns=[100003])
    s2 = h.submission(
        call,
        2,
        org_type="trust",
        phases=["primary", "secondary"],
        needs=["SEMH"],
        coverage="trust",
        trust=register["trust"],
        consent="named",
    )
    run = h.run_for(call, {s1: ["p1", "p2"], s2: ["p1", "p5"]})
    QuoteReview.objects.create(quote=h.quote(run, s1, "p1", QUOTE, 0), status="approved")
    h.close(call)
    return call


def sign_in_as(page, email: str, next_url: str) -> None:
    page.goto(f"/accounts/sign-in/?next={next_url}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    go(page, "Sign in")
    assert page.url.endswith(next_url), page.url


def press(page, starts_with: str) -> None:
    """Tab to the button or link whose text starts with `starts_with` and press Enter."""
    tab_to(page, lambda d: d["tag"] in ("button", "a") and d["text"].startswith(starts_with))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def accessible_at_both_widths(page, label: str) -> None:
    assert_accessible(page, f"{label} at 1280 px")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, label
    assert_accessible(page, f"{label} at 320 px")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_lead_drafts_a_second_person_approves_and_the_public_see_it(
    page, chromium, live_server, browser_call, browser_register
):
    call = analysed_closed_call(browser_call, browser_register)
    add_staff(LEAD, "lead-analyst", STAFF_PASSWORD)
    add_staff(ADMIN, "programme-admin", STAFF_PASSWORD)
    report_url = f"/reports/{call.slug}/"
    editions_url = f"/staff/reports/{call.slug}/editions/"
    edition_url = f"{editions_url}1/"

    # The public, before anything is published: a clear page, not a 404, and no figures.
    public_context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    public = public_context.new_page()
    public.problems = page.problems
    page.problems.watch(public)
    response = public.goto(report_url)
    assert response is not None and response.status == 200
    assert public.get_by_role("heading", level=1).inner_text().endswith("is not published yet")
    assert QUOTE not in public.content()
    accessible_at_both_widths(public, "report not published yet")

    # A lead analyst drafts edition 1 and sends it for review, by keyboard.
    sign_in_as(page, LEAD, editions_url)
    accessible_at_both_widths(page, "editions, none yet")
    tab_to(page, "note")
    page.keyboard.type("The first edition of the report.")
    press(page, "Draft edition 1 from run")
    assert page.url.endswith(edition_url), page.url
    accessible_at_both_widths(page, "a draft edition")

    # The summary and four narratives were written earlier; principle 1's is still empty, so
    # review is refused with an error summary that names it.
    from inpractice.reports import authoring
    from inpractice.reports.models import Edition

    edition = Edition.objects.get(call=call, number=1)
    authoring.save_sections(
        edition,
        {
            # The summary tries to inject markup: it is shown as text everywhere.
            s.field: f"{s.title}: written earlier. {h.XSS if s.kind == 'summary' else ''}"
            for s in authoring.sections(edition)
            if s.required and s.key != "p1"
        },
        edition.author,
    )
    press(page, "Send for review")
    expect_error_summary(page)
    assert "1. Knowing children well" in page.locator(".govuk-error-summary").inner_text()
    accessible_at_both_widths(page, "review refused: a narrative is missing")

    # The lead writes principle 1's narrative from the suggested draft, by keyboard.
    press(page, "Write the report")
    accessible_at_both_widths(page, "the sections of edition 1")
    press(page, "Write 1. Knowing children well")
    assert page.get_by_text(QUOTE).first.is_visible()  # the most central approved quote
    accessible_at_both_widths(page, "a principle's narrative, not written")
    press(page, "Start from the suggested draft")
    draft = page.locator("#body").input_value()
    assert QUOTE in draft and "[evidence: q" in draft
    tab_to(page, "body")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n" + OWN_WORDS)
    accessible_at_both_widths(page, "a principle's narrative, from the suggested draft")
    press(page, "Save 1. Knowing children well")
    assert page.get_by_text("6 of 12 sections written").is_visible()
    press(page, "Preview edition 1 as it will be published")
    assert page.get_by_text(OWN_WORDS).is_visible()
    accessible_at_both_widths(page, "the edition's preview with its evidence links")
    # Each evidence marker opens the passage behind it (staff only).
    press(page, "[evidence")
    assert page.get_by_text(QUOTE).first.is_visible()
    assert page.get_by_text("May be published").is_visible()
    accessible_at_both_widths(page, "the passages behind a marker")
    page.goto(edition_url)
    press(page, "Send for review")
    assert page.get_by_role("heading", level=1).inner_text() == "Edition 1: in review"
    # Four eyes: the author is told someone else must approve, and is offered no button.
    assert page.get_by_text("someone else must approve it").is_visible()
    assert page.get_by_role("button", name="Approve edition 1").count() == 0
    accessible_at_both_widths(page, "an edition in review, seen by its author")

    # A programme admin approves and publishes it, by keyboard.
    admin_context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    admin = admin_context.new_page()
    admin.problems = page.problems
    page.problems.watch(admin)
    sign_in_as(admin, ADMIN, edition_url)
    # The second person reads the written text they approve.
    assert admin.get_by_text(OWN_WORDS).is_visible()
    accessible_at_both_widths(admin, "an edition in review, seen by a second person")
    press(admin, "Approve edition 1")
    assert admin.get_by_role("heading", level=1).inner_text() == "Edition 1: approved"
    press(admin, "Publish edition 1")
    assert admin.get_by_role("heading", level=1).inner_text() == "Edition 1: publishing"
    accessible_at_both_widths(admin, "an edition being published")
    # Still nothing public until the worker has built it.
    public.goto(report_url)
    assert QUOTE not in public.content()

    call_command("worker", batch=True, interval=0, verbosity=0)
    press(admin, "Check progress")
    assert admin.get_by_role("heading", level=1).inner_text() == "Edition 1: published"
    admin.goto(editions_url)
    accessible_at_both_widths(admin, "editions, one published")
    admin.goto(edition_url)
    press(admin, "See edition 1 as the public see it")
    assert admin.get_by_text(QUOTE).first.is_visible()

    # The public see the published edition.
    response = public.goto(report_url)
    assert response is not None and response.status == 200
    assert public.get_by_text("Edition 1, published").is_visible()
    assert public.get_by_text(QUOTE).first.is_visible()
    assert public.get_by_text(OWN_WORDS).is_visible()
    content = public.content()
    assert LEAD not in content and ADMIN not in content
    report_body = public.locator(".app-report").inner_html()
    assert "[evidence" not in report_body and "/staff/" not in report_body
    assert "<script>alert" not in report_body and "<img src" not in report_body
    assert '&lt;script&gt;alert("pwned")&lt;/script&gt;' in report_body
    accessible_at_both_widths(public, "the published edition")
    tab_to(public, lambda d: d["text"] == "Download the report as an accessible PDF")
    assert focused(public)["tag"] == "a"
    admin_context.close()
    public_context.close()
