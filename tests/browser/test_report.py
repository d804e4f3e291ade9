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
    # The public see only a published edition (ADR 19): publish one, as a lead and an admin would.
    from tests.reports.edition_helpers import publish_edition

    publish_edition(call)
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

    _fits_at_320(page)

    response = page.goto(f"/staff/coverage/{call.slug}/")
    assert response is not None and response.status == 200
    assert_accessible(page, "live coverage")
    assert page.get_by_role("heading", name="Where to target outreach").is_visible()
    _fits_at_320(page)


def test_live_coverage_of_an_open_call_with_no_submissions(page, browser_call, staff_user):
    sign_in(page)
    response = page.goto(f"/staff/coverage/{browser_call.slug}/")
    assert response is not None and response.status == 200
    assert_accessible(page, "live coverage, no submissions yet")
    assert page.get_by_text("No submissions yet").is_visible()


def _overflowing(page, width: int) -> list[str]:
    return page.evaluate(
        """(w) => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > w + 0.5
                && !el.closest('.app-table-wrap'))
            .slice(0, 8).map((el) => el.tagName + '.' + el.getAttribute('class') + ' ' +
                Math.round(el.getBoundingClientRect().right))""",
        width,
    )


def test_the_report_reflows_at_320_px(page, browser_call, browser_register, staff_user):
    """WCAG 1.4.10: at 320 CSS pixels nothing but the data tables (which scroll inside their own
    focusable regions) needs scrolling sideways; snapshot cards are whole and each chart is
    shown in its narrow layout, with text no smaller than in the wide one. The report as the
    public will see it (the staff preview's public view: the same templates and figures as a
    published edition)."""
    call = analysed_closed_call(browser_call, browser_register)
    sign_in(page)
    page.set_viewport_size({"width": 320, "height": 800})
    response = page.goto(f"/reports/{call.slug}/?view=public")
    assert response is not None and response.status == 200
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, _overflowing(
        page, 320
    )
    assert _overflowing(page, 320) == []
    for card in page.locator(".app-snapshot__item").all():
        box = card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    narrow = page.get_by_role("img", name="Submissions that evidence each principle")
    assert narrow.count() == 1  # one image in the accessibility tree, not two
    assert "app-chart--narrow" in (narrow.get_attribute("class") or "")
    box = narrow.bounding_box()
    assert box is not None and box["width"] <= 320
    # drawn at 320 units wide, so its 14-unit text is shown at 12 px or more, not shrunk to 6
    assert box["width"] / 320 * 14 >= 12
    assert_accessible(page, "public insights report at 320 px")

    page.set_viewport_size({"width": 1280, "height": 800})
    wide = page.get_by_role("img", name="Submissions that evidence each principle")
    assert wide.count() == 1 and "app-chart--wide" in (wide.get_attribute("class") or "")
    assert_accessible(page, "public insights report at 1280 px")


def _fits_at_320(page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= 320, (page.url, wide, _overflowing(page, 320))
    assert_accessible(page, f"{page.url} at 320 px")
    page.set_viewport_size({"width": 1280, "height": 800})
