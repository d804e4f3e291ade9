"""Shared responses (issue 15, part 6): the author of a trust's or local authority's draft asks
colleagues to contribute; each has their own link; answers are versioned per question so nobody
overwrites anyone; only the author sends.

Through the real views, forms, email backend (locmem) and database; each person is a separate
`Client`, as they would be separate browsers.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from inpractice.intake.models import AnswerVersion, Contributor, Submission, SubmissionStatus
from inpractice.intake.sharing import MAX_CONTRIBUTORS, contributor_token

from .test_journey import ANSWERS, post_page

pytestmark = pytest.mark.django_db

SPAM = "Free prize at evil.example"
COLLEAGUE = "sam.colleague@northernlights.org.uk"
LINK = re.compile(r"http://testserver(/calls/\S+/contribute/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _fresh_counts(settings):
    # Email counts live in the database cache table, which a test's rollback does not reach.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


def trust_draft(client, call, **about) -> Submission:
    """A draft by a trust's officer covering the trust, with every page answered."""
    data = {**ANSWERS["about-you"], "organisation_type": "trust", **about}
    assert post_page(client, call, "about-you", data).status_code == 302
    pages = dict(ANSWERS)
    pages["schools"] = {"coverage": "trust", "trust": "TR01234"}
    for step, answers in list(pages.items())[1:]:
        response = post_page(client, call, step, answers)
        assert response.status_code == 302, (step, response.content.decode()[:1500])
    return Submission.objects.get(call=call)


def share_url(call) -> str:
    return reverse("intake:share", args=[call.slug])


def ask(client, call, email: str = COLLEAGUE):
    return client.post(share_url(call), {"action": "add", "email": email})


def colleague_browser(call, email: str = COLLEAGUE) -> Client:
    """The colleague opens the link from the newest email to them, in their own browser."""
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    browser = Client()
    opened = browser.get(LINK.search(message.body)[1])
    assert opened.status_code == 302
    assert opened["Location"] == reverse("intake:shared_tasks", args=[call.slug])
    return browser


def question_url(call, key: str, shared: bool = False) -> str:
    if shared:
        return reverse("intake:shared_question", args=[call.slug, f"q-{key}"])
    return reverse("intake:question", args=[call.slug, f"q-{key}"])


def drawn_version(client, url: str) -> str:
    """The answer_version a question page was drawn with (as a browser would post it back)."""
    page = client.get(url).content.decode()
    return re.search(r'name="answer_version" value="(-?\d+)"', page)[1]


def save_answer(client, url: str, text: str, version: str, **extra):
    return client.post(url, {"answer": text, "answer_version": version, **extra})


# Sharing and the email ---------------------------------------------------------------------


def test_the_author_asks_a_colleague_who_gets_their_own_link_and_a_greeting_of_our_words(
    client, open_call, register
):
    trust_draft(client, open_call, respondent_name=SPAM, organisation_name=SPAM)
    tasks = client.get(reverse("intake:tasks", args=[open_call.slug])).content.decode()
    assert "Ask colleagues to contribute" in tasks

    response = ask(client, open_call, "  Sam.Colleague@NorthernLights.org.uk ")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [COLLEAGUE]
    assert message.body.startswith("Hello,\n")
    for text in (message.subject, message.body):
        assert "evil.example" not in text and "Free prize" not in text
    assert open_call.title in message.subject
    page = client.get(share_url(open_call)).content.decode()
    assert "Contributor 1" in page and COLLEAGUE in page
    assert "We have emailed Contributor 1 a link to contribute" in page

    contributor = Contributor.objects.get()
    assert contributor.email == COLLEAGUE and contributor.number == 1
    # Only a hash of the link's secret is stored.
    token = LINK.search(message.body)[1].split("/")[-2]
    assert token not in contributor.token_hash

    colleague = colleague_browser(open_call)
    contributor.refresh_from_db()
    assert contributor.opened_at is not None
    shared = colleague.get(reverse("intake:shared_tasks", args=[open_call.slug]))
    body = shared.content.decode()
    assert shared.status_code == 200
    assert "You are Contributor 1" in body
    assert "Describe the practice in your own words" in body
    # Nothing about the author as a person reaches the colleague.
    assert "Priya" not in body and "p.shah@example.org" not in body and "SENCO" not in body


def test_only_a_trusts_or_local_authoritys_response_can_be_shared(client, open_call, register):
    post_page(client, open_call, "about-you", ANSWERS["about-you"])  # a school
    tasks = client.get(reverse("intake:tasks", args=[open_call.slug])).content.decode()
    assert "Ask colleagues to contribute" not in tasks
    page = client.get(share_url(open_call))
    assert page.status_code == 200
    assert (
        "Only a response from a multi-academy trust or a local authority" in page.content.decode()
    )
    refused = ask(client, open_call)
    assert refused.status_code == 409
    assert not Contributor.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your colleague&#x27;s work email address"),
        ("not-an-address", "Enter an email address in the correct format"),
        ("P.Shah@example.org", "That is your own email address"),
    ],
)
def test_a_bad_address_is_refused_naming_the_field(client, open_call, register, email, message):
    trust_draft(client, open_call)
    response = ask(client, open_call, email)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'href="#id_email"' in body
    assert not Contributor.objects.exists() and not mail.outbox


def test_the_same_colleague_twice_and_more_than_ten_are_refused(
    client, open_call, register, settings
):
    settings.RATELIMIT_EMAIL_PER_DRAFT = "100/h"
    settings.RATELIMIT_EMAIL_PER_CLIENT = "100/h"
    trust_draft(client, open_call)
    assert ask(client, open_call).status_code == 302
    twice = ask(client, open_call, COLLEAGUE.upper())
    assert twice.status_code == 400
    assert f"You have already asked {COLLEAGUE} to contribute" in twice.content.decode()
    for n in range(2, MAX_CONTRIBUTORS + 1):
        assert ask(client, open_call, f"colleague{n}@example.org").status_code == 302
    eleventh = ask(client, open_call, "one.too.many@example.org")
    assert eleventh.status_code == 409
    assert f"You can ask up to {MAX_CONTRIBUTORS} colleagues" in eleventh.content.decode()
    assert Contributor.objects.count() == MAX_CONTRIBUTORS == len(mail.outbox)


def test_contributor_emails_are_limited_per_draft(client, open_call, register, settings):
    settings.RATELIMIT_EMAIL_PER_DRAFT = "3/h"
    settings.RATELIMIT_EMAIL_PER_CLIENT = "100/h"
    trust_draft(client, open_call)
    statuses = [ask(client, open_call, f"victim{n}@example.org").status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3 == Contributor.objects.count()
    assert (
        "Nothing was sent: try again in an hour"
        in ask(client, open_call, "victim9@example.org").content.decode()
    )


def test_contributor_emails_count_against_the_clients_email_limit(open_call, register, settings):
    settings.RATELIMIT_EMAIL_PER_DRAFT = "100/h"
    settings.RATELIMIT_EMAIL_PER_CLIENT = "3/h"
    author = Client(REMOTE_ADDR="203.0.113.20")
    trust_draft(author, open_call)
    # One "save and come back" email, then colleagues: four emails to typed addresses in all.
    saved = post_page(author, open_call, "title", {"title": "Saved", "action": "save"})
    assert saved.status_code == 200
    statuses = [ask(author, open_call, f"victim{n}@example.org").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 3


def test_if_the_email_cannot_go_nobody_is_added(client, open_call, register, settings):
    settings.EMAIL_BACKEND = "tests.intake.test_email_failures.FullDiskBackend"
    trust_draft(client, open_call)
    response = ask(client, open_call)
    assert response.status_code == 503
    assert "We could not email your colleague" in response.content.decode()
    assert not Contributor.objects.exists()


# What a colleague can and cannot do --------------------------------------------------------


def test_a_colleague_answers_a_question_and_the_task_list_says_who(client, open_call, register):
    trust_draft(client, open_call)
    ask(client, open_call)
    colleague = colleague_browser(open_call)
    url = question_url(open_call, "impact", shared=True)
    version = drawn_version(colleague, url)
    saved = save_answer(colleague, url, "Exclusions fell by half in a year.", version)
    assert saved.status_code == 302
    draft = Submission.objects.get()
    assert draft.answers["impact"] == "Exclusions fell by half in a year."
    latest = AnswerVersion.objects.filter(key="impact").latest("number")
    assert (latest.contributor_number, latest.text) == (1, "Exclusions fell by half in a year.")

    tasks = client.get(reverse("intake:tasks", args=[open_call.slug])).content.decode()
    assert "Last changed by Contributor 1 on" in tasks
    assert "Last changed by you on" in tasks  # the author's own answers to other questions
    shared = colleague.get(reverse("intake:shared_tasks", args=[open_call.slug])).content.decode()
    assert "Last changed by you on" in shared
    assert "Last changed by the person who started the response on" in shared


def test_a_colleague_cannot_send_change_the_details_or_ask_anyone(client, open_call, register):
    draft = trust_draft(client, open_call)
    ask(client, open_call)
    colleague = colleague_browser(open_call)
    slug = open_call.slug
    # The author's pages do not know this browser: it holds no draft of its own.
    for name, args in [
        ("intake:tasks", [slug]),
        ("intake:check", [slug]),
        ("intake:share", [slug]),
        ("intake:question", [slug, "consent"]),
    ]:
        response = colleague.get(reverse(name, args=args))
        assert response.status_code == 302, name
    sent = colleague.post(reverse("intake:check", args=[slug]))
    changed = colleague.post(
        reverse("intake:question", args=[slug, "consent"]),
        {"consent_publication": "named", "consent_contact": "no", "version": draft.version},
    )
    asked = colleague.post(share_url(open_call), {"action": "add", "email": "x@example.org"})
    assert 302 == sent.status_code == changed.status_code == asked.status_code
    # Their own pages offer questions only.
    consent = colleague.get(reverse("intake:shared_question", args=[slug, "consent"]))
    assert consent.status_code == 404
    assert "Only the person who started the response can change this" in consent.content.decode()
    draft.refresh_from_db()
    assert draft.status == SubmissionStatus.DRAFT
    assert (draft.consent_publication, draft.consent_contact) == ("anonymised", True)
    assert Contributor.objects.count() == 1


# Nobody overwrites anyone --------------------------------------------------------------------


def test_a_stale_save_of_the_same_question_is_refused_with_both_texts(client, open_call, register):
    trust_draft(client, open_call)
    ask(client, open_call)
    colleague = colleague_browser(open_call)
    mine = question_url(open_call, "enablers")
    theirs = question_url(open_call, "enablers", shared=True)
    author_drew = drawn_version(client, mine)
    colleague_drew = drawn_version(colleague, theirs)
    assert author_drew == colleague_drew

    assert (
        save_answer(colleague, theirs, "A trust-wide SEND lead.", colleague_drew).status_code == 302
    )
    refused = save_answer(client, mine, "Governors funded a mentor; training days.", author_drew)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Contributor 1 saved an answer to this question while you were writing yours" in page
    assert "A trust-wide SEND lead." in page  # theirs, to compare
    assert "Governors funded a mentor; training days." in page  # mine, still in the box
    assert Submission.objects.get().answers["enablers"] == "A trust-wide SEND lead."

    # The page now carries the newer version: the merged answer goes in.
    merged = "Governors funded a mentor; training days; a trust-wide SEND lead."
    now = re.search(r'name="answer_version" value="(\d+)"', page)[1]
    assert save_answer(client, mine, merged, now).status_code == 302
    assert Submission.objects.get().answers["enablers"] == merged
    history = list(
        AnswerVersion.objects.filter(key="enablers")
        .order_by("number")
        .values_list("number", "contributor_number")
    )
    assert history == [(1, 0), (2, 1), (3, 0)]


def test_the_colleague_is_refused_too_and_sees_the_author_only_as_a_role(
    client, open_call, register
):
    trust_draft(client, open_call)
    ask(client, open_call)
    colleague = colleague_browser(open_call)
    theirs = question_url(open_call, "practice", shared=True)
    drew = drawn_version(colleague, theirs)
    saved = save_answer(client, question_url(open_call, "practice"), "Author's new words.", drew)
    assert saved.status_code == 302
    refused = save_answer(colleague, theirs, "Colleague's words.", drew)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "The person who started the response saved an answer" in page
    assert "Author&#x27;s new words." in page
    assert "Priya" not in page and "p.shah@example.org" not in page
    assert Submission.objects.get().answers["practice"] == "Author's new words."


def test_saves_of_different_questions_and_pages_do_not_conflict(client, open_call, register):
    trust_draft(client, open_call)
    ask(client, open_call)
    colleague = colleague_browser(open_call)
    impact_drawn = drawn_version(client, question_url(open_call, "impact"))
    needs_version = Submission.objects.get().version
    practice = question_url(open_call, "practice", shared=True)
    theirs = save_answer(colleague, practice, "Theirs.", drawn_version(colleague, practice))
    assert theirs.status_code == 302

    mine = save_answer(client, question_url(open_call, "impact"), "Mine.", impact_drawn)
    assert mine.status_code == 302
    needs = post_page(client, open_call, "needs", ANSWERS["needs"], version=needs_version)
    assert needs.status_code == 302
    answers = Submission.objects.get().answers
    assert (answers["practice"], answers["impact"]) == ("Theirs.", "Mine.")


# Removing a colleague, sending, and links that no longer work --------------------------------


def test_a_removed_colleague_is_told_so_and_can_save_nothing(client, open_call, register):
    trust_draft(client, open_call)
    ask(client, open_call)
    link = LINK.search(mail.outbox[-1].body)[1]
    colleague = colleague_browser(open_call)
    url = question_url(open_call, "advice", shared=True)
    drew = drawn_version(colleague, url)

    removed = client.post(share_url(open_call), {"action": "remove", "number": "1"})
    assert removed.status_code == 302
    assert "Contributor 1 can no longer contribute" in (
        client.get(share_url(open_call)).content.decode()
    )
    for response in (
        save_answer(colleague, url, "Too late.", drew),
        colleague.get(reverse("intake:shared_tasks", args=[open_call.slug])),
        Client().get(link),
    ):
        assert response.status_code == 410
        assert "You can no longer contribute to this response" in response.content.decode()
    assert Submission.objects.get().answers["advice"] == ""
    # The same colleague may be asked again: a new number and a new link.
    assert ask(client, open_call).status_code == 302
    assert [(c.number, c.is_live) for c in Contributor.objects.order_by("number")] == [
        (1, False),
        (2, True),
    ]


def test_only_the_author_sends_and_then_the_links_stop_with_a_clear_page(
    client, open_call, register
):
    trust_draft(client, open_call)
    ask(client, open_call)
    link = LINK.search(mail.outbox[-1].body)[1]
    colleague = colleague_browser(open_call)
    url = question_url(open_call, "impact", shared=True)
    drew = drawn_version(colleague, url)

    sent = client.post(reverse("intake:check", args=[open_call.slug]))
    assert sent.status_code == 302
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    for response in (
        Client().get(link),
        colleague.get(reverse("intake:shared_tasks", args=[open_call.slug])),
        save_answer(colleague, url, "After sending.", drew),
    ):
        assert response.status_code == 410
        assert "This response has been sent" in response.content.decode()
    assert Submission.objects.get().answers["impact"] == ANSWERS["q-impact"]["answer"]


def test_a_broken_or_expired_link_says_so(client, open_call, register, monkeypatch, settings):
    settings.CONTRIBUTOR_LINK_DAYS = 30
    draft = trust_draft(client, open_call)
    ask(client, open_call)
    link = LINK.search(mail.outbox[-1].body)[1]
    broken = Client().get(link[:-6] + "XXXXX/")
    assert broken.status_code == 404
    assert "This link does not work" in broken.content.decode()

    contributor = Contributor.objects.get()
    real_time = time.time
    monkeypatch.setattr("django.core.signing.time.time", lambda: real_time() - 31 * 86400)
    old = contributor_token(contributor, "an-old-secret")
    monkeypatch.setattr("django.core.signing.time.time", real_time)
    expired = Client().get(reverse("intake:contribute", args=[open_call.slug, old]))
    assert expired.status_code == 410
    assert "This link has expired" in expired.content.decode()
    # A link for another draft's contributor cannot be made by editing the signed data.
    assert draft.pk == contributor.submission_id


def test_the_call_closing_closes_the_colleagues_pages(client, open_call, register):
    from datetime import timedelta

    from django.utils import timezone

    trust_draft(client, open_call)
    ask(client, open_call)
    colleague = colleague_browser(open_call)
    open_call.closes_at = timezone.now() - timedelta(seconds=1)
    open_call.save()
    response = colleague.get(reverse("intake:shared_tasks", args=[open_call.slug]))
    assert response.status_code == 409
    assert "This call has closed" in response.content.decode()


# Programme staff --------------------------------------------------------------------------


def test_staff_see_who_contributed_and_each_answers_history_and_the_view_is_audited(
    client, open_call, register
):
    from inpractice.accounts.roles import add_staff
    from inpractice.privacy.models import AuditAction, AuditEvent

    draft = trust_draft(client, open_call)
    ask(client, open_call)
    colleague = colleague_browser(open_call)
    url = question_url(open_call, "impact", shared=True)
    save_answer(colleague, url, "Exclusions fell by half.", drawn_version(colleague, url))

    add_staff("lead@example.org", "programme-admin", "a long test passphrase 42")
    staff = Client()
    assert staff.login(username="lead@example.org", password="a long test passphrase 42")
    page = staff.get(reverse("staff:submission", args=[open_call.slug, draft.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Shared response" in body and "Contributor 1" in body and COLLEAGUE in body
    assert "History of each answer" in body
    assert "Exclusions fell by half." in body and "Version 2</strong>, Contributor 1" in body
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert "contributors" in event.what


def test_an_analyst_cannot_see_the_contributors(client, open_call, register):
    from inpractice.accounts.roles import add_staff

    draft = trust_draft(client, open_call)
    ask(client, open_call)
    add_staff("analyst@example.org", "analyst", "a long test passphrase 42")
    analyst = Client()
    assert analyst.login(username="analyst@example.org", password="a long test passphrase 42")
    page = analyst.get(reverse("staff:submission", args=[open_call.slug, draft.pk]))
    assert page.status_code == 403
    assert COLLEAGUE not in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_question_at_the_same_instant_give_one_version_and_one_refusal(
    open_call,
):
    """Real concurrency: two transactions race for the same question; the draft's row lock
    orders them, and the second is refused rather than overwriting. PostgreSQL only (SQLite has
    no row locks and serialises the whole database instead)."""
    import threading

    from django.db import connection

    from inpractice.intake.sharing import AnswerConflict
    from inpractice.intake.sharing import save_answer as store

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (the database pass of scripts/test.sh)")
    draft = Submission.objects.create(
        call=open_call, resume_token_hash="race", organisation_type="trust"
    )
    question = open_call.question("impact")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(text: str, who: int) -> None:
        try:
            start.wait(timeout=10)
            store(Submission.objects.get(pk=draft.pk), question, text, 0, who)
            outcomes.append("saved")
        except AnswerConflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(f"Answer {n}", n)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "saved"]
    (version,) = AnswerVersion.objects.filter(submission=draft, key="impact")
    assert Submission.objects.get(pk=draft.pk).answers["impact"] == version.text
