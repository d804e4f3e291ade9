"""The privacy check of quotes in the workspace (ADR 23): approving a quote runs the one personal
data engine on it; a lead redacts a finding with words chosen in context, or a second lead (not
the approver) confirms it safe with a reason; every decision is an event, and all of it holds
when the analysis runs again."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from inpractice.accounts.roles import add_staff
from inpractice.coding.runs import promote
from inpractice.workspace import quote_privacy
from inpractice.workspace.models import Event, QuoteReview
from tests.reports import helpers as h

from .conftest import PASSWORD

CHILD = "Every morning alfie thompson starts the day in our calm room with a trusted adult."
PLAIN = "Every teacher plans lessons so that every pupil can take part from the start."


@pytest.fixture
def second_lead(db):
    add_staff("second.lead@example.gov.uk", "lead-analyst", PASSWORD)
    return get_user_model().objects.get(username="second.lead@example.gov.uk")


@pytest.fixture
def quotes(open_call, register) -> SimpleNamespace:
    """A run with two quotes from one submission (anonymised consent, Hillside Infant School):
    one naming a child in lower case, one with nothing to find."""
    s = h.submission(open_call, 1, urns=[100003])
    run = h.run_for(open_call, {s: ["p1"]})
    child = h.quote(run, s, "p1", CHILD, 0)
    plain = h.quote(run, s, "p1", PLAIN, 1)
    return SimpleNamespace(call=open_call, submission=s, run=run, child=child, plain=plain)


def review(client, quote, action):
    return client.post(
        reverse("workspace:quote_review", args=[quote.run.call.slug, quote.pk]),
        {"action": action},
    )


def privacy_url(quote) -> str:
    return reverse("workspace:quote_privacy", args=[quote.run.call.slug, quote.pk])


def resolve(client, quote, action, **data):
    finding = quote_privacy.check_quote(quote).open[0]
    return client.post(
        privacy_url(quote),
        {"action": action, "entity_type": finding.entity_type, "text": finding.text, **data},
    )


def test_approving_a_quote_that_names_a_child_asks_for_a_privacy_check(client, quotes, lead):
    client.force_login(lead)
    response = review(client, quotes.child, "approve")
    assert response.status_code == 302 and response["Location"] == privacy_url(quotes.child)
    assert QuoteReview.objects.get(end=len(CHILD)).status == "approved"
    found = Event.objects.get(kind="quote.privacy_found")
    assert found.actor == lead
    assert found.after["open"] == [{"entity_type": "PERSON", "text": "alfie thompson"}]

    assert review(client, quotes.plain, "approve")["Location"].startswith(
        reverse("workspace:quotes", args=[quotes.call.slug])
    )  # nothing to find: back to the list
    page = client.get(reverse("workspace:quotes", args=[quotes.call.slug])).content.decode()
    assert "1 approved quote needs a privacy check" in page
    assert page.count("Needs a privacy check") == 1
    assert privacy_url(quotes.child) in page
    only = client.get(reverse("workspace:quotes", args=[quotes.call.slug]), {"about": "privacy"})
    assert [q.pk for g in only.context["groups"] for q in g["quotes"]] == [quotes.child.pk]

    check = client.get(privacy_url(quotes.child)).content.decode()
    assert "Every morning <mark>alfie thompson</mark> starts the day" in check
    assert "because the submitter's consent is anonymised" in check
    assert 'value="replace"' in check and "a pupil" in check  # suggestions in context
    # The approver may redact, but not confirm their own approval safe.
    assert 'value="safe"' not in check and "You approved this quote" in check


def test_the_approver_redacts_with_words_chosen_in_context(client, quotes, lead):
    client.force_login(lead)
    review(client, quotes.child, "approve")
    bad = resolve(client, quotes.child, "replace", choice="other", other_words="[name removed]")
    assert bad.status_code == 400 and "not a placeholder" in bad.content.decode()
    assert QuoteReview.objects.get(end=len(CHILD)).redacted_text == ""

    suggestions = quote_privacy.suggestions_for(
        quote_privacy.check_quote(quotes.child), quote_privacy.check_quote(quotes.child).open[0]
    )
    chosen = next(i for i, s in enumerate(suggestions) if s.words == "a pupil")
    assert resolve(client, quotes.child, "replace", choice=f"s{chosen}").status_code == 302
    decision = QuoteReview.objects.get(end=len(CHILD))
    expected = "Every morning a pupil starts the day in our calm room with a trusted adult."
    assert decision.redacted_text == expected and decision.redacted_by == lead
    assert decision.text == CHILD and quotes.child.text == CHILD
    event = Event.objects.get(kind="quote.redact")
    assert event.before == {"words": CHILD} and event.after["words"] == expected
    assert not quote_privacy.unresolved(quotes.call)

    page = client.get(privacy_url(quotes.child)).content.decode()
    assert "Every finding is resolved" not in page  # the redacted words have no finding left
    assert "The check found nothing" in page and expected in page
    listing = client.get(reverse("workspace:quotes", args=[quotes.call.slug])).content.decode()
    assert "Redacted" in listing and f"Published as: “{expected}”" in listing

    # Undo brings the original words back, and the check with them.
    assert client.post(privacy_url(quotes.child), {"action": "restore"}).status_code == 302
    assert QuoteReview.objects.get(end=len(CHILD)).redacted_text == ""
    assert len(quote_privacy.unresolved(quotes.call)) == 1


def test_only_a_second_lead_confirms_a_finding_safe_with_a_reason(
    client, quotes, lead, second_lead, analyst
):
    client.force_login(lead)
    review(client, quotes.child, "approve")
    own = resolve(client, quotes.child, "safe", reason="It is fine.")
    assert own.status_code == 400 and "someone else must confirm" in own.content.decode()

    client.force_login(analyst)
    assert resolve(client, quotes.child, "safe", reason="Fine.").status_code == 403

    client.force_login(second_lead)
    page = client.get(privacy_url(quotes.child)).content.decode()
    assert 'value="safe"' in page and "You approved this quote" not in page
    empty = resolve(client, quotes.child, "safe", reason="  ")
    assert empty.status_code == 400 and "Say why this is safe" in empty.content.decode()
    assert 'id="finding-0-reason-error"' in empty.content.decode()
    assert QuoteReview.objects.get(end=len(CHILD)).safe_findings == []

    reason = "Alfie Thompson is the author of the calm-room programme, not a pupil."
    assert resolve(client, quotes.child, "safe", reason=reason).status_code == 302
    [confirmed] = QuoteReview.objects.get(end=len(CHILD)).safe_findings
    assert (confirmed["by"], confirmed["reason"]) == (second_lead.pk, reason)
    assert confirmed["text"] == "alfie thompson" and confirmed["at"]
    event = Event.objects.get(kind="quote.confirm_safe")
    assert event.actor == second_lead and event.after["reason"] == reason
    assert not quote_privacy.unresolved(quotes.call)
    assert (
        f"Confirmed safe by {second_lead.email}"
        in client.get(privacy_url(quotes.child)).content.decode()
    )


def test_a_lead_who_approved_the_words_in_any_run_cannot_confirm_them(
    client, quotes, lead, second_lead
):
    client.force_login(lead)
    review(client, quotes.child, "approve")
    client.force_login(second_lead)
    review(client, quotes.child, "approve")  # approved again, by the second lead
    finding = quote_privacy.check_quote(quotes.child).open[0]
    for who in (lead, second_lead):
        with pytest.raises(quote_privacy.PrivacyError, match="someone else must confirm"):
            quote_privacy.confirm_safe(
                quotes.child, who, (finding.entity_type, finding.text), "Fine."
            )


def test_privacy_decisions_hold_when_the_analysis_runs_again(client, quotes, lead, second_lead):
    client.force_login(lead)
    review(client, quotes.child, "approve")
    resolve(client, quotes.child, "replace", choice="other", other_words="one pupil")
    dog = "Our therapy dog Alfie visits every class on Fridays."
    dog_quote = h.quote(quotes.run, quotes.submission, "p1", dog, 2)
    review(client, dog_quote, "approve")
    client.force_login(second_lead)
    resolve(client, dog_quote, "safe", reason="Alfie is the school's dog.")
    assert not quote_privacy.unresolved(quotes.call)

    # A new run quotes the same words (new rows) and is promoted.
    again = h.run_for(quotes.call, {quotes.submission: ["p1"]})
    new_child = h.quote(again, quotes.submission, "p1", CHILD, 0)
    new_dog = h.quote(again, quotes.submission, "p1", dog, 1)
    promote(again)
    assert not quote_privacy.unresolved(quotes.call)
    assert quote_privacy.publishable_words(new_child) == (
        "Every morning one pupil starts the day in our calm room with a trusted adult."
    )
    assert quote_privacy.publishable_words(new_dog) == dog
    page = client.get(reverse("workspace:quotes", args=[quotes.call.slug])).content.decode()
    assert "Needs a privacy check" not in page and "Redacted" in page
    assert QuoteReview.objects.count() == 2  # the same two decisions, found by span


def test_a_finding_for_an_unapproved_quote_needs_no_check(client, quotes, lead):
    client.force_login(lead)
    review(client, quotes.child, "reject")
    page = client.get(privacy_url(quotes.child))
    assert page.status_code == 200 and "needs no privacy check" in page.content.decode()
    assert not quote_privacy.unresolved(quotes.call)
    refused = client.post(
        privacy_url(quotes.child),
        {"action": "safe", "entity_type": "PERSON", "text": "alfie thompson", "reason": "x"},
    )
    assert refused.status_code == 400 and "not approved for the report" in refused.content.decode()
