"""The analyst workspace in real Chromium: keyboard-only coding, blind double coding resolved by a
lead, and axe-core's WCAG 2.2 A/AA rules on every workspace page (as drawn, with errors, and the
conflict page)."""

from __future__ import annotations

import pytest

from inpractice.coding.models import CodeApplication, Passage
from inpractice.workspace.models import (
    CallAssignment,
    Coding,
    DoubleCodingSample,
    SubmissionReview,
)

from .conftest import CALL_SLUG, STAFF_PASSWORD, assert_accessible, go
from .test_keyboard_journeys import focused, tab_to

ANALYST = "analyst@example.gov.uk"
SECOND = "second@example.gov.uk"
LEAD = "lead@example.gov.uk"
WS = f"/staff/workspace/{CALL_SLUG}"
MANY_TABS = 400


@pytest.fixture
def analysed(browser_call, browser_register):
    from django.contrib.auth import get_user_model

    from inpractice.accounts.roles import add_staff
    from inpractice.coding.runner import run_analysis
    from tests.workspace.conftest import make_submission

    subs = [make_submission(browser_call, i) for i in range(6)]
    run_analysis(browser_call)
    users = {}
    for email, role in ((ANALYST, "analyst"), (SECOND, "analyst"), (LEAD, "lead-analyst")):
        add_staff(email, role, STAFF_PASSWORD)
        users[email] = get_user_model().objects.get(username=email)
        if role == "analyst":
            CallAssignment.objects.create(call=browser_call, user=users[email])
    return {"call": browser_call, "submissions": subs, "users": users}


def sign_in_as(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    go(page, "Sign in")


def visit(page, path: str, label: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)
    assert_accessible(page, label)


def choose_option(page, select_id: str, label: str) -> None:
    """Move through a focused <select> with the arrow keys until it shows `label`."""
    for _ in range(40):
        if (
            page.evaluate(
                "(id) => { const s = document.getElementById(id);"
                " return s.options[s.selectedIndex].text; }",
                select_id,
            )
            == label
        ):
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"{label!r} is not an option of #{select_id}", pytrace=False)


def _single_accept(d) -> bool:
    """An Accept button of one proposal (not "Accept all …" nor "Accept proposals")."""
    text = d["text"]
    return d["tag"] == "button" and text.startswith("Accept ") and "proposals" not in text


def test_an_analyst_reviews_and_codes_a_span_with_the_keyboard_alone(page, analysed):
    sub = analysed["submissions"][1]
    app = (
        CodeApplication.objects.filter(passage__submission=sub, applied=True)
        .select_related("passage")
        .first()
    )
    assert app is not None, "the model should propose a code on this submission"
    sign_in_as(page, ANALYST)
    page.goto(f"{WS}/submissions/{sub.pk}/")

    # Accept the model's first proposal.
    tab_to(page, _single_accept, MANY_TABS)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Accepted" in page.locator(".govuk-notification-banner").inner_text()

    # Code exact words: answer, words, code, then the button, all by keyboard.
    words = "visual timetables" if "visual timetables" in sub.answer("practice") else None
    words = words or sub.answer("practice").split(".")[0].split(" ", 2)[2][:30].strip()
    tab_to(page, "id_field", MANY_TABS)
    choose_option(page, "id_field", "Describe the practice in your own words")
    tab_to(page, "id_words")
    page.keyboard.type(words)
    tab_to(page, "id_code")
    choose_option(page, "id_code", "Inclusion as a strategic, shared responsibility")
    assert focused(page)["id"] == "id_code"
    tab_to(page, lambda d: d["text"] == "Apply code to these words")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Coded" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("mark.app-coded").count() >= 1

    # Mark as reviewed.
    tab_to(page, lambda d: d["text"] == "Mark as reviewed", MANY_TABS)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    codings = Coding.objects.filter(submission=sub, active=True)
    assert {c.origin for c in codings} == {"proposal", "manual"}
    manual = codings.get(origin="manual")
    assert sub.answer("practice")[manual.start : manual.end] == words
    assert SubmissionReview.objects.get(submission=sub).reviewed


def _propose(passage, probabilities: dict[str, float]) -> None:
    """The model proposes exactly these codes on the passage (rows of its current run)."""
    CodeApplication.objects.filter(passage=passage).update(applied=False)
    for code, p in probabilities.items():
        CodeApplication.objects.update_or_create(
            run=passage.run,
            passage=passage,
            code_id=code,
            defaults={"probability": p, "applied": True},
        )


def _fits_at_320(page, label: str) -> None:
    """WCAG 1.4.10 reflow: at 320 CSS pixels nothing but a table (which scrolls inside its own
    focusable region) is wider than the screen."""
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > 320.5
                && !el.closest('.app-table-wrap'))
            .slice(0, 8).map((el) => el.tagName + '.' + el.getAttribute('class') + '#' + el.id
                + ' ' + Math.round(el.getBoundingClientRect().right))"""
    )
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert wide == [] and width <= 320, f"{label} at 320px: {width}px wide, {wide}"


def test_focus_comes_back_to_the_passage_and_proposals_are_accepted_in_bulk(page, analysed):
    """Issue 13, part 6, keyboard only: Accept returns focus to the same passage (not the top of
    the page), then "Accept all" of that passage, then every proposal of the submission at or
    above a probability; axe-clean and reflowing at 320 px."""
    sub = analysed["submissions"][2]
    passages = list(Passage.objects.filter(submission=sub).order_by("index"))
    assert len(passages) >= 3, "the practice answer is cut into several passages"
    target, other = passages[-1], passages[0]
    _propose(target, {"p1": 0.93, "p2": 0.71, "p3": 0.64})
    _propose(other, {"p4": 0.82, "p5": 0.4})
    sign_in_as(page, ANALYST)
    page.goto(f"{WS}/submissions/{sub.pk}/")
    assert_accessible(page, "submission with proposals to accept in bulk")
    _fits_at_320(page, "submission")

    n = target.index + 1
    tab_to(
        page,
        lambda d: _single_accept(d) and d["text"].endswith(f"for passage {n}"),
        MANY_TABS,
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"#passage-{target.pk}")
    assert focused(page)["id"] == f"passage-{target.pk}"
    assert page.evaluate("() => window.scrollY") > 0, "the page stays at the passage"
    assert "Accepted" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "submission, focus back on the passage")

    # The next Tab stays in the passage: accept the other two of its proposals at once.
    desc = tab_to(page, lambda d: d["tag"] == "button")
    assert desc["text"] == f"Accept all 2 proposals for passage {n}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert focused(page)["id"] == f"passage-{target.pk}"
    accepted = Coding.objects.filter(passage=target, active=True, decision="applied")
    assert sorted(accepted.values_list("code_id", flat=True)) == ["p1", "p2", "p3"]

    # The whole submission, at 0.5 or above: p4 on the other passage, not p5 (0.4).
    page.goto(f"{WS}/submissions/{sub.pk}/")
    tab_to(page, "id_min_probability", MANY_TABS)
    page.keyboard.type("0.5")
    tab_to(page, lambda d: d["text"] == "Accept proposals")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert focused(page)["id"] == "accept-all"
    assert "Accepted" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "submission after accepting in bulk")
    codes = Coding.objects.filter(passage=other, active=True).values_list("code_id", flat=True)
    assert list(codes) == ["p4"]

    # Words that appear more than once: the page asks which, with each in its context.
    page.goto(f"{WS}/submissions/{sub.pk}/")
    page.get_by_label("Exact words to code").fill("Pupils")
    page.locator("#id_field").select_option("impact")
    go(page, "Apply code to these words")
    assert_accessible(page, "which occurrence of the words")


def test_a_lead_assigns_many_submissions_from_the_queue_by_keyboard(page, analysed):
    sign_in_as(page, LEAD)
    page.goto(f"{WS}/?order=newest")
    assert_accessible(page, "queue with assignment, newest first")
    _fits_at_320(page, "queue with assignment")
    tab_to(page, "all-on-page", MANY_TABS)
    page.keyboard.press("Space")
    assert page.locator(".app-assign-many__row:checked").count() == 6
    tab_to(page, "id_user")
    choose_option(page, "id_user", SECOND)
    tab_to(page, lambda d: d["text"] == "Assign selected submissions")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Assigned 6 submissions" in page.locator(".govuk-notification-banner").inner_text()
    assert SubmissionReview.objects.filter(assigned_to=analysed["users"][SECOND]).count() == 6
    assert_accessible(page, "queue after assigning")


def _code_first_passage_blind(page, sample, sub, code_label: str) -> None:
    page.goto(f"{WS}/samples/{sample.pk}/submissions/{sub.pk}/")
    passage = Passage.objects.filter(submission=sub).order_by("field", "index").first()
    page.locator(f"#passage-{passage.pk} summary").click()
    page.locator(f"#passage-code-{passage.pk}").select_option(label=code_label)
    go(page, f"Apply code to passage {passage.index + 1}")


def test_two_analysts_double_code_and_the_lead_resolves(page, analysed):
    sign_in_as(page, LEAD)
    page.goto(f"{WS}/samples/")
    page.get_by_label("Name of the sample").fill("Pilot sample")
    page.get_by_label("First coder").select_option(label=ANALYST)
    page.get_by_label("Second coder").select_option(label=SECOND)
    page.get_by_label("Number of submissions").fill("2")
    go(page, "Draw the sample")
    sample = DoubleCodingSample.objects.get()
    sub = sample.submissions.order_by("pk").first()

    for email, label in (
        (ANALYST, "High-quality, evidence-informed teaching"),
        (SECOND, "Relationships and partnerships"),
    ):
        sign_in_as(page, email)
        _code_first_passage_blind(page, sample, sub, label)
        # The other coder's code is never shown.
        assert SECOND not in page.content() if email == ANALYST else ANALYST not in page.content()
        page.goto(f"{WS}/samples/{sample.pk}/")
        go(page, "I have finished coding this sample")

    sign_in_as(page, LEAD)
    page.goto(f"{WS}/samples/{sample.pk}/")
    table = page.get_by_role("table", name="Agreement per code")
    assert "Cohen's kappa" in table.inner_text()
    first = page.locator(".app-disagreement").first
    first.get_by_label("The code applies").check()
    with page.expect_navigation():
        first.get_by_role("button").click()
    assert "Recorded the agreed code" in page.locator(".govuk-notification-banner").inner_text()
    assert Coding.objects.filter(sample=sample, origin="consensus").count() == 1
    assert page.locator(".app-disagreement").first.inner_text().count("The code applies") >= 1


def test_a_sampled_coder_cannot_see_proposals_or_the_other_coders_codes(page, analysed):
    """While a sample is open, the ordinary route leads a coder only to the blind view."""
    from inpractice.workspace import actions

    subs = analysed["submissions"]
    users = analysed["users"]
    # The first coder has already coded one submission openly: the sample must leave it out.
    coded = Passage.objects.filter(submission=subs[0]).order_by("field", "index").first()
    actions.apply_code(
        subs[0],
        users[ANALYST],
        None,
        field=coded.field,
        start=coded.start,
        end=coded.end,
        code_id="p1",
    )
    sign_in_as(page, LEAD)
    page.goto(f"{WS}/samples/")
    page.get_by_label("Name of the sample").fill("Blind sample")
    page.get_by_label("First coder").select_option(label=ANALYST)
    page.get_by_label("Second coder").select_option(label=SECOND)
    page.get_by_label("Number of submissions").fill("6")
    go(page, "Draw the sample")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "of 5 submissions made" in banner and "1 submission left out" in banner
    sample = DoubleCodingSample.objects.get()
    assert subs[0].pk not in set(sample.submissions.values_list("pk", flat=True))
    sub = sample.submissions.order_by("pk").first()
    assert CodeApplication.objects.filter(passage__submission=sub, applied=True).exists()

    sign_in_as(page, SECOND)
    _code_first_passage_blind(page, sample, sub, "Relationships and partnerships")

    sign_in_as(page, ANALYST)
    # Not in the queue ...
    page.goto(f"{WS}/")
    queue = page.locator("main").inner_text()
    assert subs[0].reference in queue
    assert all(s.reference not in queue for s in sample.submissions.all())
    # ... and its ordinary page sends the coder to the blind view, saying why.
    page.goto(f"{WS}/submissions/{sub.pk}/")
    assert page.url.endswith(f"{WS}/samples/{sample.pk}/submissions/{sub.pk}/")
    banner = page.locator(".govuk-notification-banner")
    assert "Important" in banner.inner_text() and "coding blind" in banner.inner_text()
    html = page.content()
    assert "Model proposes" not in html
    assert SECOND not in html and page.locator("mark.app-coded").count() == 0
    assert_accessible(page, "blind view, reached from the ordinary route")
    # Nor does the history show what the other coder did.
    page.goto(f"{WS}/history/")
    assert SECOND not in page.content()


def test_every_workspace_page_is_accessible(page, analysed):
    from inpractice.workspace import actions

    call = analysed["call"]
    users = analysed["users"]
    sub = analysed["submissions"][0]
    # Data for every view: codes, a memo, a review, a completed sample with a disagreement.
    passage = Passage.objects.filter(submission=sub).first()
    actions.apply_code(
        sub,
        users[ANALYST],
        None,
        field=passage.field,
        start=passage.start,
        end=passage.end,
        code_id="p1",
    )
    actions.write_memo(sub, users[ANALYST], None, text="Good example", target="submission")
    actions.set_reviewed(sub, users[ANALYST], None, True)
    sample = DoubleCodingSample.objects.create(
        call=call,
        name="Sample",
        created_by=users[LEAD],
        coder_a=users[ANALYST],
        coder_b=users[SECOND],
    )
    sample.submissions.set([sub])
    actions.apply_code(
        sub,
        users[ANALYST],
        None,
        field=passage.field,
        start=passage.start,
        end=passage.end,
        code_id="p2",
        sample=sample,
    )

    sign_in_as(page, ANALYST)
    visit(page, "/staff/workspace/", "workspace home")
    visit(page, f"{WS}/", "queue")
    visit(page, f"{WS}/?phase=primary&reviewed=no", "queue, filtered")
    visit(page, f"{WS}/?region=nowhere", "queue, bad filter")
    visit(page, f"{WS}/submissions/{sub.pk}/", "submission")
    page.get_by_label("Exact words to code").fill("words that are not there")
    go(page, "Apply code to these words")
    assert_accessible(page, "submission, with an error")
    visit(page, f"{WS}/samples/", "samples (analyst)")
    visit(page, f"{WS}/samples/{sample.pk}/", "sample (coder)")
    visit(page, f"{WS}/samples/{sample.pk}/submissions/{sub.pk}/", "sample submission")
    visit(page, f"{WS}/model/", "model against human")
    visit(page, f"{WS}/evidence/?code=p1", "evidence")
    visit(page, f"{WS}/history/", "history")

    # The conflict page: a second tab saves first.
    page.goto(f"{WS}/submissions/{sub.pk}/")
    actions.write_memo(sub, users[SECOND], None, text="Meanwhile", target="submission")
    page.get_by_label("Memo", exact=True).fill("Stale")
    go(page, "Save memo")
    assert "Someone else changed this submission" in page.content()
    assert_accessible(page, "conflict")

    sample.finished_a_at = sample.finished_b_at = sample.created_at
    sample.save()
    sign_in_as(page, LEAD)
    visit(page, f"{WS}/samples/", "samples (lead)")
    go(page, "Draw the sample")
    assert_accessible(page, "samples, with errors")
    visit(page, f"{WS}/samples/{sample.pk}/", "sample agreement (lead)")
    visit(page, f"{WS}/team/", "team")

    # Codebook, retraining, themes, mentions and quotes.
    from inpractice.coding.models import AnalysisRun, Mention

    visit(page, f"{WS}/codebook/", "codebook")
    visit(page, f"{WS}/codebook/codes/p1/edit/", "edit a code")
    page.get_by_label("Name", exact=True).fill("")
    go(page, "Save")
    assert_accessible(page, "edit a code, with an error")
    visit(page, f"{WS}/codebook/add/", "add a code")
    visit(page, f"{WS}/codebook/codes/p1/add/", "add a sub-code")
    visit(page, f"{WS}/codebook/codes/p1/split/", "split a code")
    visit(page, f"{WS}/codebook/merge/", "merge codes")
    visit(page, f"{WS}/codebook/history/", "codebook history")
    visit(page, f"{WS}/retrain/", "retrain")
    run = AnalysisRun.objects.filter(call=call).latest()
    theme = run.themes.order_by("-size").first()
    visit(page, f"{WS}/themes/", "themes")
    visit(page, f"{WS}/themes/{theme.pk}/", "a theme")
    visit(page, f"{WS}/mentions/", "mentions")
    mention = Mention.objects.filter(run=run).first()
    if mention is not None:
        visit(page, f"{WS}/mentions/examples/?name={mention.name}", "mention examples")
    visit(page, f"{WS}/quotes/", "quotes")

    # Analysis runs: a second run is compared with the current one before it is promoted.
    from inpractice.coding.runner import run_analysis

    second = run_analysis(call)
    visit(page, f"{WS}/runs/", "analysis runs")
    visit(page, f"{WS}/runs/{second.pk}/", "a run compared with the current run")
    go(page, f"Promote run {second.pk} to the current run")
    assert_accessible(page, "a run, promoted")
