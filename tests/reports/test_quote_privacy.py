"""The privacy check of report quotes (ADR 23): an approved quote with personal data never reaches
a published edition — not its HTML, PDF, open-data JSON or CSV — until it is redacted or a second
person confirms it safe; anonymised consent means no school, trust or authority name either; and
no staff email appears in anything public."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from inpractice.reports import editions
from inpractice.reports.editions import EditionError
from inpractice.reports.models import EditionSnapshot
from inpractice.workspace import quote_privacy
from inpractice.workspace.models import QuoteReview

from . import edition_helpers as eh
from . import helpers as h
from .pdf import pdf_text

pytestmark = pytest.mark.django_db

# A child named in a quote, written three ways that a plain filter misses.
CHILD_QUOTES = {
    "lower case": ("We know every child: alfie settles best with a calm start.", "alfie"),
    "zero-width joiner": (
        "We know every child: Al\u200dfie settles best with a calm start.",
        "alfie",
    ),
    "full-width @": (
        "Parents write to pupil.lead\uff20ourteam.org.uk when their child's plan changes.",
        "ourteam",
    ),
}
KNOWN_QUOTE = "We know every child by name and need."  # approved, nothing to find


def url(name: str, call, **kwargs) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": call.slug, **kwargs})


def public_texts(client, call) -> dict[str, str]:
    """Everything the public can read of the call's published edition, each as plain text with
    no spaces and in lower case, so a name cannot hide behind line breaks or a PDF's runs."""
    texts = {
        "html": client.get(url("report", call)).content.decode(),
        "edition html": client.get(url("edition_public", call, edition=1)).content.decode(),
        "pdf": pdf_text(client.get(url("report_pdf", call)).content),
        "json": client.get(url("figures_json", call)).content.decode(),
        "csv": client.get(url("figures_csv", call)).content.decode(),
    }
    return {k: squash(v) for k, v in texts.items()}


def squash(text: str) -> str:
    return re.sub(r"[\s\u200b-\u200f\u2060\ufeff]+", "", text).lower().replace("\uff20", "@")


def approve_quote(run, submission, text: str, lead, rank: int = 5):
    quote = h.quote(run, submission, "p1", text, rank)
    QuoteReview.objects.create(quote=quote, status="approved", reviewed_by=lead)
    return quote


def draft_in_review(call):
    author = eh.editor("lead-analyst")
    edition = editions.create_draft(call, author)
    eh.write_required(edition, author)
    return editions.send_for_review(edition, author)


@pytest.mark.parametrize("way", list(CHILD_QUOTES))
def test_an_approved_quote_naming_a_child_cannot_reach_a_published_edition(
    client, analysed_small_call, monkeypatch, way
):
    c = analysed_small_call
    h.close(c.call)
    text, secret = CHILD_QUOTES[way]
    quote = approve_quote(c.run, c.s1, text, eh.editor("lead-analyst", "quotes@example.gov.uk"))

    # The guard: the edition can be neither approved nor published, and says which quote.
    edition = draft_in_review(c.call)
    with pytest.raises(EditionError, match="1 approved quote needs a privacy check") as refused:
        editions.approve(edition, eh.editor("programme-admin"))
    assert c.s1.reference in str(refused.value)
    [check] = editions.privacy_checks(edition)
    assert check.quote == quote and check.url.endswith(f"/quotes/{quote.pk}/privacy/")

    # Defence in depth: were the guard to fail, the build itself refuses ...
    monkeypatch.setattr(editions, "_require_privacy", lambda edition: None)
    approved = editions.approve(edition, eh.editor("programme-admin"))
    monkeypatch.undo()
    with pytest.raises(EditionError, match="needs a privacy check"):
        editions.publish(approved, approved.approver)
    with pytest.raises(EditionError, match="needs a privacy check"):
        editions.build_snapshot(approved)
    assert not EditionSnapshot.objects.exists()

    # ... and were that to fail too, the figures leave the quote out of every public file.
    monkeypatch.setattr(editions, "_require_privacy", lambda edition: None)
    editions.publish_now(approved)
    public = public_texts(client, c.call)
    for name, content in public.items():
        assert secret not in content, f"{way}: {secret!r} in the public {name}"
    assert squash(KNOWN_QUOTE) in public["html"] and squash(KNOWN_QUOTE) in public["pdf"]


def test_an_edition_approved_before_the_quote_cannot_be_published_after_it(analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    edition = eh.approved_edition(c.call)
    approve_quote(c.run, c.s1, CHILD_QUOTES["lower case"][0], eh.editor())
    with pytest.raises(EditionError, match="needs a privacy check"):
        editions.publish(edition, edition.approver)
    edition.refresh_from_db()
    assert edition.status == "approved" and editions.published(c.call) is None


def test_a_redacted_quote_is_published_in_its_redacted_words(client, analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    lead = eh.editor("lead-analyst", "quotes@example.gov.uk")
    text = CHILD_QUOTES["zero-width joiner"][0]
    quote = approve_quote(c.run, c.s1, text, lead)
    [finding] = quote_privacy.check_quote(quote).open
    assert finding.entity_type == "PERSON" and finding.text == "Al\u200dfie"

    new = quote_privacy.redact(quote, lead, (finding.entity_type, finding.text), "one pupil")
    assert new == "We know every child: one pupil settles best with a calm start."
    review = QuoteReview.objects.get(submission=c.s1, start=0, end=len(text))
    assert review.redacted_text == new and review.redacted_by == lead and review.redacted_at
    assert review.text == text  # the decision keeps the original words ...
    c.s1.refresh_from_db()
    assert c.s1.answers["practice"] == "Unpublished practice text number 1."  # ... and the answer

    eh.publish_edition(c.call)
    public = public_texts(client, c.call)
    assert squash(new) in public["html"] and squash(new) in public["pdf"]
    for name, content in public.items():
        assert "alfie" not in content, name


def test_a_second_person_confirms_a_finding_safe_and_the_approver_cannot(analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    approver, second = eh.editor(), eh.editor("lead-analyst", "second.lead@example.gov.uk")
    text = "Our therapy dog Alfie visits every class on Fridays."
    quote = approve_quote(c.run, c.s1, text, approver)
    [finding] = quote_privacy.check_quote(quote).open
    key = (finding.entity_type, finding.text)

    with pytest.raises(quote_privacy.PrivacyError, match="someone else must confirm"):
        quote_privacy.confirm_safe(quote, approver, key, "It is the school's dog.")
    with pytest.raises(quote_privacy.PrivacyError, match="Say why"):
        quote_privacy.confirm_safe(quote, second, key, "   ")
    assert quote_privacy.unresolved(c.call)

    quote_privacy.confirm_safe(quote, second, key, "Alfie is the school's therapy dog.")
    assert not quote_privacy.unresolved(c.call)
    [confirmation] = QuoteReview.objects.get(submission=c.s1, end=len(text)).safe_findings
    assert confirmation["by"] == second.pk and confirmation["reason"].startswith("Alfie is")
    assert eh.publish_edition(c.call).status == "published"


def test_anonymised_consent_means_no_school_trust_or_authority_name(analysed_small_call):
    """s1 (anonymised) is Organisation 1 for Hillside Infant School; a trust and a local
    authority answer anonymised too; s2 (named) is the Northern Lights Academy Trust, which
    may be named."""
    c = analysed_small_call
    lead = eh.editor()
    trust = h.submission(c.call, 7, org_type="trust", coverage="trust", trust=c.register["trust"])
    la = h.submission(
        c.call, 8, org_type="local_authority", coverage="local_authority", la=c.register["leeds"]
    )
    la.coverage_local_authority = c.register["leeds"]  # as the form records it
    la.save(update_fields=["coverage_local_authority"])
    run = h.run_for(c.call, {c.s1: ["p1"], c.s2: ["p1"], trust: ["p1"], la: ["p1"]})
    for submission, text, name in (
        (c.s1, "Every class at hill\u200bside follows the same calm routine.", "hill\u200bside"),
        (c.s1, "Our trust, organisation  1, trains every new teacher.", "organisation  1"),
        (trust, "Every northern lights school shares one SENCO network.", "northern lights"),
        (trust, "At OAKFIELD the day starts calmly.", "OAKFIELD"),  # one of its schools
        (la, "Schools across leeds share one outreach team.", "leeds"),
        (la, "Roundhay pupils visit the resource base.", "Roundhay"),  # one of its schools
    ):
        quote = approve_quote(run, submission, text, lead)
        found = [(f.entity_type, f.text) for f in quote_privacy.check_quote(quote).open]
        assert ("IDENTIFYING_NAME", name) in found, text
    named = approve_quote(
        c.run, c.s2, "Northern Lights Academy Trust trains every new teacher.", lead
    )
    assert quote_privacy.check_quote(named).open == []  # consent to be named: no finding
    # The submitter's own name is never published, whatever the consent.
    own = approve_quote(c.run, c.s2, "Ask respondent person2 how the trust did it.", lead, 6)
    assert [f.entity_type for f in quote_privacy.check_quote(own).open] == ["PERSON"]


def test_no_staff_email_appears_in_any_public_html_or_pdf(client, analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    approver = eh.editor("lead-analyst", "approver.lead@example.gov.uk")
    second = eh.editor("lead-analyst", "second.lead@example.gov.uk")
    quote = approve_quote(c.run, c.s1, "Our therapy dog Alfie visits every class.", approver)
    [finding] = quote_privacy.check_quote(quote).open
    quote_privacy.confirm_safe(
        quote, second, (finding.entity_type, finding.text), "Alfie is a dog."
    )
    redacted = approve_quote(c.run, c.s1, CHILD_QUOTES["lower case"][0], approver, 6)
    [child] = quote_privacy.check_quote(redacted).open
    quote_privacy.redact(redacted, approver, (child.entity_type, child.text), "a pupil")
    edition = eh.publish_edition(c.call)

    pages = {
        **public_texts(client, c.call),
        "index": squash(client.get(reverse("reports:index")).content.decode()),
    }
    staff = {edition.author.email, edition.approver.email, approver.email, second.email}
    for name, content in pages.items():
        for email in staff:
            assert email.lower() not in content, f"{email} in the public {name}"
        assert "@example.gov.uk" not in content, name
    assert squash("Our therapy dog Alfie visits every class.") in pages["html"]
    assert squash("Our therapy dog Alfie visits every class.") in pages["pdf"]


def test_the_editions_page_counts_quotes_that_need_a_check_and_links_each(
    client, analysed_small_call
):
    c = analysed_small_call
    h.close(c.call)
    quote = approve_quote(c.run, c.s1, CHILD_QUOTES["lower case"][0], eh.editor())
    edition = draft_in_review(c.call)
    edition_url = url("edition", c.call, edition=edition.number)
    client.force_login(eh.editor("programme-admin"))
    page = client.get(edition_url).content.decode()
    assert "1 approved quote needs a privacy check" in page
    assert f'href="/staff/workspace/{c.call.slug}/quotes/{quote.pk}/privacy/"' in page
    assert f"from submission {c.s1.reference} (person&#x27;s name)" in page

    refused = client.post(edition_url, {"action": "approve"})
    assert refused.status_code == 409
    text = refused.content.decode()
    assert 'href="#quote-privacy"' in text and 'id="quote-privacy"' in text
    assert "1 approved quote needs a privacy check before this edition" in text
    edition.refresh_from_db()
    assert edition.status == "in_review"

    quote_privacy.redact(quote, eh.editor(), ("PERSON", "alfie"), "one pupil")
    page = client.get(edition_url).content.decode()
    assert "0 approved quotes need a privacy check" in page
    assert client.post(edition_url, {"action": "approve"}).status_code == 302
