"""Hostile text stays inert on every page that shows it, checked in a real browser.

Real payloads (script tags, event handlers, javascript: URLs, SVG, broken attributes, mXSS,
template injection) go into every free-text field of submissions and nominations, and into school
and trust names (the autocomplete shows those). Each page that shows them is then opened in
Chromium with the Content-Security-Policy *bypassed*, so that escaping alone is tested (the CSP is
a second line, tested in tests/test_security_headers.py): no dialog may open, no injected element
may exist in the DOM, no script may have run, and the text must show literally.

The workspace, library and report pages (and the HTML the PDF report is made from) are checked
in `test_payloads_in_the_workspace_library_and_report`; a page added later that shows submission
text should be added there.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from inpractice.intake.models import (
    CoveredSchool,
    Nomination,
    Submission,
    SubmissionStatus,
    new_reference,
)

from .conftest import CALL_SLUG, PageProblems, go, press_continue, step_url

# Each payload marks itself if it ever runs (window.__xss) or becomes markup (an id or data-
# attribute starting "xss"), so the check does not depend on alert() being allowed.
PAYLOADS = [
    "<script>window.__xss=1;alert('xss')</script>",
    "<img src=x onerror=\"window.__xss=1;alert('xss')\" id=xss-img>",
    '<svg onload="window.__xss=1" id="xss-svg"><circle r="1"/></svg>',
    "<svg><script>window.__xss=1</script></svg>",
    "javascript:window.__xss=1;alert('xss')",
    '<a href="javascript:window.__xss=1" id="xss-link">click me</a>',
    '"><img src=x onerror=window.__xss=1 id=xss-attr>',
    "' onmouseover='window.__xss=1' data-xss='1",
    '" autofocus onfocus="window.__xss=1" data-xss="1',
    "</textarea><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    '<iframe srcdoc="<script>parent.__xss=1</script>" id="xss-frame"></iframe>',
    '<details open ontoggle="window.__xss=1" id="xss-details">',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1 id=xss-mxss>",
    "{{7*7}} {% debug %} ${7*7} #{7*7} {{ 1336|add:2 }}",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    '<style>body{display:none}</style><b id="xss-style">bold</b>',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:1">',
    "</script><script>window.__xss=1</script>",
    '<object data="javascript:window.__xss=1" id="xss-object"></object>',
    "<input onfocus=window.__xss=1 autofocus id=xss-input>",
    '\\"-alert(1)-\\" \';window.__xss=1;//',
    '<div style="background:url(javascript:window.__xss=1)" id="xss-css">',
    '<a href="&#106;avascript:window.__xss=1" id="xss-entity">x</a>',
]
SCHOOL_PAYLOAD = "Payload Academy <img src=x onerror=window.__xss=1 id=xss-school>"
TRUST_PAYLOAD = "Payload Trust <svg onload=window.__xss=1 id=xss-trust>"

FIND_INJECTION = """() => {
    const found = [];
    if (window.__xss || (window.parent && window.parent.__xss)) found.push('a payload ran');
    document.querySelectorAll('[id^="xss"], [data-xss]').forEach(
        (e) => found.push('injected element ' + e.outerHTML.slice(0, 80)));
    [...document.scripts].forEach((s) => {
        if (!s.src) found.push('inline script ' + s.textContent.slice(0, 60));
    });
    document.querySelectorAll('style, base, meta[http-equiv], iframe, object, embed').forEach(
        (e) => found.push('injected ' + e.outerHTML.slice(0, 80)));
    document.querySelectorAll('*').forEach((el) => {
        for (const a of el.attributes) {
            if (a.name.startsWith('on')) found.push(`handler ${a.name} on <${el.localName}>`);
            if (['href', 'src', 'action', 'formaction', 'data'].includes(a.name)
                && /^\\s*javascript:/i.test(a.value)) found.push(`javascript: URL in ${a.name}`);
        }
    });
    return found;
}"""


def normal(text: str) -> str:
    return " ".join(text.split())


def assert_inert(page, label: str, shown: list[str] = ()) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)  # let any onload/onfocus/ontoggle a payload added fire
    problems = page.evaluate(FIND_INJECTION)
    if page.dialogs:
        problems.append(f"dialogs opened: {page.dialogs}")
    body = normal(page.evaluate("() => document.body.innerText"))
    for text in shown:
        if normal(text) not in body:
            problems.append(f"not shown literally: {text!r}")
    if "1338" in body:
        problems.append("a template expression was evaluated ({{ 1336|add:2 }} gave 1338)")
    assert not problems, f"{label} ({page.url}):\n  " + "\n  ".join(problems)
    page.problems.check()  # a failed request (an injected <img src=x>) shows up here too


@pytest.fixture
def xss_page(chromium, live_server, _fresh_rate_limits):
    """A page with CSP bypassed and every dialog recorded and dismissed."""
    context = chromium.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.problems = PageProblems()
    page.problems.watch(page)
    yield page
    context.close()


@pytest.fixture
def hostile(browser_call, browser_register):
    """For each payload: a submission with it in every text field, and a nomination likewise."""
    from inpractice.schools.models import School, Trust

    camden = browser_register["camden"]
    trust = Trust.objects.create(code="TR66666", name=TRUST_PAYLOAD)
    school = School.objects.create(
        urn=100666, name=SCHOOL_PAYLOAD, local_authority=camden, trust=trust, phase="primary",
        region=camden.region, town="London",
    )  # fmt: skip
    submissions, nominations = [], []
    for n, payload in enumerate(PAYLOADS):
        submission = Submission.objects.create(
            call=browser_call,
            status=SubmissionStatus.SUBMITTED,
            reference=new_reference(),
            resume_token_hash=Submission.new_token()[1],
            respondent_name=payload[:120],
            respondent_email=f"person{n}@example.org",
            respondent_role=payload[:120],
            organisation_name=payload,
            organisation_type="other",
            organisation_type_other=payload,
            coverage="one_school",
            title=payload[:150],
            need_codes=["ASD"],
            need_description=payload,
            practice_types=["other"],
            practice_type_other=payload,
            phases=["primary"],
            answers={q["key"]: payload for q in browser_call.questions},
            consent_publication="anonymised",
            consent_contact=True,
            submitted_at=timezone.now(),
        )
        CoveredSchool.objects.create(submission=submission, urn=school.urn, school=school)
        submissions.append(submission)
        nominations.append(
            Nomination.objects.create(
                call=browser_call,
                urn=school.urn,
                school=school,
                contact_name=payload[:120],
                contact_email=f"contact{n}@example.org",
                reason=payload,
                nominator_name=payload[:120],
                nominator_email=f"nominator{n}@example.org",
            )  # fmt: skip
        )
    return {"submissions": submissions, "nominations": nominations, "school": school}


def sign_in_as_system_admin(page) -> None:
    """A superuser passes every role check, so one sign-in opens every staff page."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(
        "root@example.org", "root@example.org", "a long test passphrase 42"
    )
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill("root@example.org")
    page.get_by_label("Password").fill("a long test passphrase 42")
    go(page, "Sign in")


def test_payloads_on_every_staff_and_public_page(xss_page, browser_call, hostile):
    page = xss_page
    titles = [s.title for s in hostile["submissions"]]

    # Public pages that show names from the data: the school finder lists school names.
    page.goto(reverse("schools:finder") + "?q=Payload")
    assert_inert(page, "school finder", shown=[SCHOOL_PAYLOAD])
    page.goto(reverse("schools:finder") + "?q=" + "%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E")
    assert_inert(page, "school finder echoing a hostile query", shown=["<script>window.__xss=1"])
    for name in ("web:home", "intake:nominate"):
        page.goto(reverse(name) if name == "web:home" else reverse(name, args=[CALL_SLUG]))
        assert_inert(page, name)
    page.goto(reverse("intake:call", args=[CALL_SLUG]))
    assert_inert(page, "call page")

    sign_in_as_system_admin(page)
    page.goto(reverse("staff:dashboard"))
    assert_inert(page, "staff dashboard")
    pages = [
        (reverse("staff:submissions", args=[CALL_SLUG]), titles[:50]),
        (
            reverse("staff:nominations", args=[CALL_SLUG]) + "?show=all",
            [n.contact_name for n in hostile["nominations"]] + [SCHOOL_PAYLOAD],
        ),
        (reverse("privacy:audit"), []),
    ]
    for url, shown in pages:
        page.goto(url)
        assert_inert(page, url, shown=shown)


def test_payloads_typed_into_the_forms_stay_inert(xss_page, browser_call, browser_register):
    """Through the real forms: each text field of the journey gets a different payload."""
    page = xss_page
    typed = {
        "Full name": PAYLOADS[1][:120],
        "Job title or role": PAYLOADS[2][:120],
        "Name of your organisation": PAYLOADS[3],
        "Give your example a short title": PAYLOADS[6],
        "Describe the practice in your own words": PAYLOADS[0],
        "Describe the needs precisely": PAYLOADS[9],
        "Describe the kind of practice": PAYLOADS[7][:200],
        "What difference has it made, and how do you know?": PAYLOADS[13],
        "What made it possible?": PAYLOADS[14],
        "What advice would you give to another school?": PAYLOADS[10],
    }
    page.goto(step_url("about-you"))
    for label in ("Full name", "Job title or role", "Name of your organisation"):
        page.get_by_label(label).fill(typed[label])
    page.get_by_label("Email address").fill("typed@example.org")
    page.get_by_label("School", exact=True).check()
    press_continue(page)
    page.get_by_label("One school").check()
    page.get_by_label("School name or URN").fill("100001")
    press_continue(page)
    page.get_by_label("Give your example a short title").fill(
        typed["Give your example a short title"]
    )
    press_continue(page)
    page.get_by_label("Describe the practice in your own words").fill(
        typed["Describe the practice in your own words"]
    )
    press_continue(page)
    page.get_by_label("Autistic spectrum disorder (ASD)").check()
    page.get_by_label("Describe the needs precisely").fill(typed["Describe the needs precisely"])
    press_continue(page)
    page.get_by_label("Other", exact=True).check()
    page.get_by_label("Describe the kind of practice").fill(typed["Describe the kind of practice"])
    press_continue(page)
    page.get_by_label("Primary", exact=True).check()
    press_continue(page)
    for label in (
        "What difference has it made, and how do you know?",
        "What made it possible?",
        "What advice would you give to another school?",
    ):
        page.get_by_label(label).fill(typed[label])
        press_continue(page)
    page.get_by_label("Yes, publish it without our name").check()
    page.get_by_label("Yes", exact=True).check()
    press_continue(page)
    page.get_by_role("heading", name="Check your answers").wait_for()
    assert_inert(page, "check your answers", shown=list(typed.values()))

    # Going back to a question shows the payload inside the form field, still inert.
    page.goto(step_url("title") + "?change=1")
    assert_inert(page, "a question page holding a payload")
    assert page.get_by_label("Give your example a short title").input_value() == PAYLOADS[6]
    page.goto(step_url("q-advice") + "?change=1")
    assert_inert(page, "a textarea holding a payload that closes the textarea")

    page.goto(f"/calls/{CALL_SLUG}/submit/check/")
    go(page, "Accept and send")
    page.get_by_role("heading", name="Example submitted").wait_for()
    assert_inert(page, "confirmation")

    # A nomination with payloads in its free text, then the nominated page.
    page.goto(reverse("intake:nominate", args=[CALL_SLUG]))
    page.get_by_role("combobox", name="School name or URN").fill("100003")
    page.keyboard.press("Escape")
    page.get_by_label("Name of a member of staff at the school").fill(PAYLOADS[11][:120])
    page.get_by_label("Their work email address").fill("staff@example.org")
    page.get_by_label("Why are you nominating this school?").fill(PAYLOADS[12])
    go(page, "Continue")
    page.get_by_role("heading", name="Check your nomination before sending it").wait_for()
    assert_inert(page, "nomination check")
    go(page, "Send nomination")
    page.get_by_role("heading", name="Nomination sent").wait_for()
    assert_inert(page, "nominated")

    submission = Submission.objects.get(status=SubmissionStatus.SUBMITTED)
    assert submission.title == PAYLOADS[6] and submission.answer("practice") == PAYLOADS[0]

    sign_in_as_system_admin(page)
    page.goto(reverse("staff:submissions", args=[CALL_SLUG]))
    assert_inert(page, "submissions list", shown=[PAYLOADS[6], PAYLOADS[3]])
    page.goto(reverse("staff:nominations", args=[CALL_SLUG]))
    assert_inert(page, "nominations list", shown=[PAYLOADS[11][:120]])


def test_hostile_school_and_trust_names_in_the_autocomplete(xss_page, browser_call, hostile):
    """Suggestions are inserted as HTML by accessible-autocomplete: they must be escaped."""
    page = xss_page
    page.goto(reverse("intake:nominate", args=[CALL_SLUG]))
    page.get_by_role("combobox", name="School name or URN").fill("Payload Acad")
    option = page.get_by_role("option").first
    option.wait_for()
    assert_inert(page, "school suggestions", shown=[SCHOOL_PAYLOAD])
    assert SCHOOL_PAYLOAD in option.inner_text()

    page.goto(step_url("about-you"))
    page.get_by_label("Full name").fill("A Person")
    page.get_by_label("Email address").fill("a.person@example.org")
    page.get_by_label("Job title or role").fill("Trust lead")
    page.get_by_label("Name of your organisation").fill("Trust office")
    page.get_by_label("Multi-academy trust", exact=True).check()
    press_continue(page)
    page.get_by_label("All schools in a multi-academy trust").check()
    page.get_by_role("combobox", name="Trust name or reference").fill("Payload Tr")
    page.get_by_role("option").first.wait_for()
    assert_inert(page, "trust suggestions", shown=[TRUST_PAYLOAD])


def test_payloads_in_the_workspace_library_and_report(xss_page, browser_call, hostile):
    """Analysis results, case studies and the report carry the submitters' words: quotes, theme
    labels, mentions, case-study text. Each is filled with the payloads and every page (and the
    document the PDF is printed from) is checked."""
    from inpractice.library.models import CaseStudy
    from inpractice.reports import build
    from inpractice.reports import figures as fig
    from inpractice.workspace.models import QuoteReview, ThemeReview
    from tests.library.factories import make_case_study
    from tests.reports import helpers as h

    page = xss_page
    subs = hostile["submissions"]
    run = h.run_for(browser_call, {s: ["p1", "p3"] for s in subs})
    themes = []
    for n, (submission, payload) in enumerate(zip(subs, PAYLOADS, strict=True)):
        quote = h.quote(run, submission, "p1", payload, n)
        QuoteReview.objects.create(quote=quote, status="approved")
        theme = h.theme(run, n, payload[:200], submissions=1)
        ThemeReview.objects.create(theme=theme, status="accepted", label=payload[:300])
        themes.append(theme)
        h.mention(run, submission, f"new:payload-{n}", payload[:200], "unknown", known=False)
    studies = [
        make_case_study(
            browser_call,
            "published",
            consent="anonymised",
            title=payload[:150],
            summary=payload,
            practice=payload,
            need=payload,
        )
        for payload in PAYLOADS[:8]
    ]
    assert all(
        c.status == "published" for c in CaseStudy.objects.filter(pk__in=[c.pk for c in studies])
    )

    # Public library pages first (not signed in).
    page.goto(reverse("library:search") + "?q=script")
    assert_inert(page, "library search")
    for study in studies[:4]:
        page.goto(reverse("library:case_study", args=[study.slug]))
        assert_inert(page, f"case study {study.slug}")

    sign_in_as_system_admin(page)
    slug = browser_call.slug
    urls = [
        reverse("workspace:home"),
        reverse("workspace:queue", args=[slug]),
        reverse("workspace:quotes", args=[slug]),
        reverse("workspace:themes", args=[slug]),
        reverse("workspace:theme", args=[slug, themes[0].pk]),
        reverse("workspace:mentions", args=[slug]),
        reverse("workspace:evidence", args=[slug]),
        reverse("reports:report", args=[slug]),
        reverse("reports:report", args=[slug]) + "?view=public",
        reverse("reports:coverage", args=[slug]),
        reverse("library:staff_list"),
        reverse("library:staff_new", args=[subs[1].reference]),
        reverse("library:staff_detail", args=[studies[0].pk]),
        reverse("library:staff_edit", args=[studies[0].pk]),
        reverse("library:staff_check", args=[studies[0].pk]),
    ]
    urls += [reverse("workspace:submission", args=[slug, s.pk]) for s in subs]
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status < 500, (url, response and response.status)
        assert_inert(page, url)

    # The PDF report is printed from this HTML document: check its parsed tree, and that printing
    # it fetches nothing but the report's own files.
    from lxml import html as lxml_html

    document = build.render_document(fig.report_figures(browser_call, fig.STAFF))
    tree = lxml_html.fromstring(document)
    injected = tree.xpath(
        '//*[starts-with(@id, "xss") or @data-xss or @onerror or @onload]'
        " | //script | //iframe | //object | //base | //meta[@http-equiv]"
    )
    assert not injected, [lxml_html.tostring(e)[:80] for e in injected]
    assert "{{7*7}}" in tree.text_content() and "1338" not in tree.text_content()

    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetched = []

    class RecordingFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    HTML(
        string=document, base_url=str(build.STATIC) + "/", url_fetcher=RecordingFetcher()
    ).write_pdf()
    outside = [u for u in fetched if not u.startswith("file://" + str(build.STATIC))]
    assert not outside, outside
