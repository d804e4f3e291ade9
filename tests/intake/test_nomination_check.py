"""A nomination is checked before it is sent (issue 15, part 4): the form keeps its answers in the
session, the check page shows the school as the register has it, and only Send stores it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inpractice.intake.models import Nomination

pytestmark = pytest.mark.django_db

FORM = {
    "school": "100003",
    "contact_name": "Sam Lee",
    "contact_email": "s.lee@hillside.sch.uk",
    "reason": "A nurture base that keeps pupils in lessons.",
    "nominator_name": "Nina Nominator",
    "nominator_email": "nina@example.org",
}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def urls(call) -> tuple[str, str, str]:
    return (
        reverse("intake:nominate", args=[call.slug]),
        reverse("intake:nominate_check", args=[call.slug]),
        reverse("intake:nominated", args=[call.slug]),
    )


def test_the_form_leads_to_the_check_page_and_stores_nothing(client, open_call, register):
    form, check, _done = urls(open_call)
    response = client.post(form, {**FORM, "share_reason": "on"})
    assert response.status_code == 302 and response.url == check
    assert Nomination.objects.count() == 0
    page = client.get(check)
    body = page.content.decode()
    assert page.status_code == 200
    # The school as the register has it, so a wrong pick shows: name, URN, town, local authority.
    assert "Hillside Infant School" in body and "100003" in body
    assert "London" in body and "Camden" in body
    for answer in ("Sam Lee", "s.lee@hillside.sch.uk", "A nurture base", "Nina Nominator"):
        assert answer in body
    assert "Yes, you may quote my reason to the school" in body
    assert body.count(">Change<") == 10 and "Send nomination" in body
    assert Nomination.objects.count() == 0


def test_send_stores_exactly_what_was_checked_and_thanks_naming_the_school(
    client, open_call, register
):
    form, check, done = urls(open_call)
    client.post(form, FORM)
    response = client.post(check)
    assert response.status_code == 302 and response.url == done
    nomination = Nomination.objects.get()
    assert (nomination.urn, nomination.school.name) == (100003, "Hillside Infant School")
    assert (nomination.contact_name, nomination.contact_email) == ("Sam Lee", FORM["contact_email"])
    assert nomination.reason == FORM["reason"] and nomination.share_reason is False
    assert (nomination.nominator_name, nomination.nominator_email) == (
        "Nina Nominator",
        "nina@example.org",
    )
    thanks = client.get(done).content.decode()
    assert "Thank you for nominating <strong>Hillside Infant School</strong>" in thanks
    assert "URN 100003" in thanks


def test_a_second_send_stores_nothing_more(client, open_call, register):
    form, check, done = urls(open_call)
    client.post(form, FORM)
    client.post(check)
    again = client.post(check)
    assert again.status_code == 302 and again.url == done
    assert Nomination.objects.count() == 1
    # With nothing waiting, the check page sends a visitor to the form.
    fresh = Client().get(check)
    assert fresh.status_code == 302 and fresh.url == form


def test_change_links_reopen_the_form_with_the_answers_kept(client, open_call, register):
    form, check, _done = urls(open_call)
    client.post(form, {**FORM, "share_reason": "on"})
    page = client.get(form + "?change=1").content.decode()
    assert 'value="Hillside Infant School, London (URN 100003)"' in page
    assert 'value="Sam Lee"' in page and 'value="nina@example.org"' in page
    assert "A nurture base that keeps pupils in lessons." in page
    assert 'name="share_reason" type="checkbox" value="on"' in page and " checked" in page
    # The person saw the wrong school and picks another: the check page and the stored row follow.
    client.post(form, {**FORM, "school": "Roundhay Park Primary, Leeds (URN 107001)"})
    body = client.get(check).content.decode()
    assert "Roundhay Park Primary" in body and "Leeds" in body and "Hillside" not in body
    client.post(check)
    assert Nomination.objects.get().urn == 107001


def test_the_form_still_refuses_what_it_refused(client, open_call, register):
    form, check, _done = urls(open_call)
    response = client.post(form, {**FORM, "contact_email": "not-an-address", "school": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in body
    assert "Enter the school&#x27;s name or URN" in body or "Enter the school’s name" in body
    assert client.get(check).status_code == 302  # nothing waits to be checked


def test_send_rechecks_the_school_against_the_register(client, open_call, register):
    form, check, _done = urls(open_call)
    client.post(form, FORM)
    register["schools"][2].delete()  # the register was refreshed between the pages
    response = client.post(check)
    assert response.status_code == 400
    assert "URN 100003 is not in the school register" in response.content.decode()
    assert Nomination.objects.count() == 0


def test_nothing_is_sent_after_the_call_closes(client, open_call, register):
    form, check, _done = urls(open_call)
    client.post(form, FORM)
    open_call.closes_at = timezone.now()
    open_call.opens_at = open_call.closes_at - timezone.timedelta(days=2)
    open_call.save()
    assert client.post(check).status_code == 409
    assert Nomination.objects.count() == 0


def test_sending_is_rate_limited_per_client_like_the_form(open_call, register, settings):
    settings.RATELIMIT_NOMINATE = "2/h"
    form, check, _done = urls(open_call)
    statuses = []
    for n in range(3):
        browser = Client(REMOTE_ADDR="203.0.113.7")
        browser.post(form, {**FORM, "contact_name": f"Person {n}"})
        statuses.append(browser.post(check).status_code)
    assert statuses[:2] == [302, 302]
    assert statuses[2] == 429
    assert Nomination.objects.count() == 2
