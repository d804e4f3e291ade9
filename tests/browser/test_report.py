"""The insights report (public and staff views) and the live coverage page pass axe-core's
WCAG 2.2 A and AA rules in real Chromium, under the site's strict Content-Security-Policy."""

from __future__ import annotations

from tests.reports import helpers as h

from .conftest import assert_accessible, sign_in


def analysed_closed_call(call, register):
    """A closed call with a hand-made analysis: an approved quote, a signed-off theme and a
    theme label that tries to inject markup."""
    from inpractice.workspace.models import QuoteReview, ThemeReview

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
    s3 = h.submission(
        call,
        3,
        org_type="local_authority",
        phases=["secondary"],
        needs=["ASD"],
        coverage="local_authority",
        la=register["leeds"],
    )
    run = h.run_for(call, {s1: ["p1", "p2"], s2: ["p1", "p5"], s3: ["p4"]})
    q = h.quote(run, s1, "p1", "We know every child by name and need.", 0)
    QuoteReview.objects.create(quote=q, status="approved")
    t = h.theme(run, 0, "calm start", submissions=2)
    ThemeReview.objects.create(theme=t, status="accepted", label="Calm starts " + h.XSS)
    h.theme(run, 1, "not reviewed", submissions=1)
    h.mention(run, s1, "zones-of-regulation", "Zones of Regulation", "programme")
    h.mention(run, s3, "ehcp", "EHC plan (Education, Health and Care plan)", "framework")
    h.close(call)
    return call


def test_the_public_report(page, browser_call, browser_register):
    call = analysed_closed_call(browser_call, browser_register)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(f"/reports/{call.slug}/")
    assert response is not None and response.status == 200
    assert_accessible(page, "public insights report")
    assert page.get_by_role("heading", name="Data snapshot").is_visible()
    assert page.get_by_role("img", name="Submissions that evidence each principle").is_visible()
    # the label that tries to inject markup is shown as text and runs nothing
    assert page.get_by_role("rowheader", name="Calm starts " + h.XSS).is_visible()
    assert dialogs == []
    response = page.goto("/reports/")
    assert response is not None and response.status == 200
    assert_accessible(page, "list of reports")


def test_the_staff_report_and_live_coverage(page, browser_call, browser_register, staff_user):
    call = analysed_closed_call(browser_call, browser_register)
    sign_in(page)
    response = page.goto(f"/reports/{call.slug}/")
    assert response is not None and response.status == 200
    assert_accessible(page, "staff view of the insights report")
    assert page.get_by_text("No quotes approved yet").first.is_visible()

    response = page.goto(f"/staff/coverage/{call.slug}/")
    assert response is not None and response.status == 200
    assert_accessible(page, "live coverage")
    assert page.get_by_role("heading", name="Where to target outreach").is_visible()


def test_live_coverage_of_an_open_call_with_no_submissions(page, browser_call, staff_user):
    sign_in(page)
    response = page.goto(f"/staff/coverage/{browser_call.slug}/")
    assert response is not None and response.status == 200
    assert_accessible(page, "live coverage, no submissions yet")
    assert page.get_by_text("No submissions yet").is_visible()
