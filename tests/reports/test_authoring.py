"""The edition's written text (ADR 25): sections frozen outside a draft, carried into the next
edition, required before review; the suggested draft; evidence markers that open passages for
staff and never leak unpublished words or staff links to the public; safe rendering."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inpractice.reports import authoring, drafting, editions
from inpractice.reports import text as rtext
from inpractice.reports.authoring import AuthoringError
from inpractice.reports.editions import EditionError
from inpractice.reports.models import (
    DEFAULT_FOCUS_AREAS,
    Edition,
    EditionSnapshot,
    EditionText,
    EditionTextRevision,
)
from inpractice.workspace.models import QuoteReview

from . import edition_helpers as eh
from . import helpers as h
from .pdf import assert_tagged_pdf, pdf_text

pytestmark = pytest.mark.django_db
APPROVED = "We know every child by name and need."
PRIVATE = "Leeds quote the submitter kept private."


def url(name: str, call, **kwargs) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": call.slug, **kwargs})


def review_of(text: str) -> QuoteReview:
    return QuoteReview.objects.get(text=text)


@pytest.fixture
def draft(analysed_small_call):
    h.close(analysed_small_call.call)
    lead = eh.editor("lead-analyst")
    return editions.create_draft(analysed_small_call.call, lead), lead


# --------------------------------------------------------------------------- rendering


def test_rendering_escapes_everything_but_the_few_forms_allowed():
    html = str(
        rtext.render(
            "# Title\n\n**bold** *it* <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
            "[bad](javascript:alert(1)) [plain](http://example.org) [good](https://example.org)"
            "\n\n- one\n- two\n\n1. first\n\n> said\n\n##### small\n\n    code block"
        )
    )
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html and 'href="http://' not in html
    assert "[bad](javascript:alert(1))" in html  # left as the literal words
    assert (
        '<a href="https://example.org" class="govuk-link" rel="noopener noreferrer">good</a>'
        in (html)
    )
    assert '<h3 class="govuk-heading-m">Title</h3>' in html  # level 1 brought into 3–4
    assert '<h4 class="govuk-heading-s">small</h4>' in html
    assert "<strong>bold</strong> <em>it</em>" in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert '<ol class="govuk-list govuk-list--number">' in html
    assert "<blockquote" in html and "<pre" not in html and "<code" not in html


def test_an_attribute_cannot_be_smuggled_through_a_link_or_a_marker():
    html = str(rtext.render('[x](https://a.org/" onmouseover="alert(1)) [evidence: q1"><b>]'))
    assert 'onmouseover="alert' not in html and "<b>" not in html


def test_markers_open_passages_for_staff_and_are_numbered_references_for_the_public():
    body = "Point one [evidence: q1, q2]. Point two [Evidence:q2]. Hidden [evidence: q9]."
    staff = str(rtext.render(body, rtext.StaffCiter(lambda ids: f"/staff/e/?ids={ids}")))
    assert staff.count('class="govuk-link app-evidence-link"') == 3
    assert 'href="/staff/e/?ids=[1, 2]"' in staff
    public = rtext.PublicCiter({1: ("One.", "A school"), 2: ("Two.", "A trust")}, "s")
    html = str(rtext.render(body, public))
    assert "/staff/" not in html and "q9" not in html and "evidence" not in html.lower()
    assert [(s.number, s.text) for s in public.sources] == [(1, "One."), (2, "Two.")]
    assert html.count('href="#s-source-2"') == 2  # the same quote keeps its number
    assert rtext.cited_ids(body) == [1, 2, 9]
    assert not rtext.is_written("[evidence: q1]  ") and rtext.is_written("Words.")


# --------------------------------------------------------------------------- the sections


def test_an_edition_has_the_summary_five_narratives_implications_and_five_focus_areas(draft):
    edition, _ = draft
    sections = authoring.sections(edition)
    kinds = [s.kind for s in sections]
    assert kinds == ["summary"] + ["principle"] * 5 + ["implications"] + ["recommendation"] * 5
    assert [s.title for s in sections if s.kind == "recommendation"] == DEFAULT_FOCUS_AREAS
    assert [s.key for s in sections if s.kind == "principle"] == ["p1", "p2", "p3", "p4", "p5"]
    assert len(authoring.missing(edition)) == 6


def test_review_is_refused_while_the_summary_or_a_narrative_is_empty(draft):
    edition, lead = draft
    authoring.save_sections(edition, {"summary": "The summary."}, lead)
    with pytest.raises(EditionError) as refused:
        editions.send_for_review(edition, lead)
    message = str(refused.value)
    assert "Executive summary" not in message
    for n in range(1, 6):
        assert f"{n}. " in message
    edition.refresh_from_db()
    assert edition.status == "draft"
    # Markers alone are not a narrative.
    eh.write_required(edition, lead)
    authoring.save_sections(edition, {"principle-p3": "[evidence: q1]"}, lead)
    with pytest.raises(EditionError, match="3. Coherent"):
        editions.send_for_review(edition, lead)
    eh.write_required(edition, lead)
    editions.send_for_review(edition, lead)
    assert edition.status == "in_review"


def test_text_is_frozen_outside_a_draft_and_editable_again_when_sent_back(draft):
    edition, lead = draft
    eh.write_required(edition, lead)
    editions.send_for_review(edition, lead)
    with pytest.raises(AuthoringError, match="frozen"):
        authoring.save_sections(edition, {"summary": "Changed in review."}, lead)
    assert EditionText.objects.get(edition=edition, kind="summary").body.startswith(
        "Executive summary:"
    )
    editions.back_to_draft(edition, lead)
    authoring.save_sections(edition, {"summary": "Changed in draft."}, lead)
    text = EditionText.objects.get(edition=edition, kind="summary")
    assert text.body == "Changed in draft." and text.updated_by == lead and text.updated_at
    assert list(text.revisions.values_list("body", flat=True)) == [
        "Executive summary: Written by the lead analyst.",
        "Changed in draft.",
    ]


def test_a_save_is_all_or_nothing_and_says_which_section_is_too_long(draft):
    edition, lead = draft
    too_long = "x" * (authoring.LIMITS["principle"] + 1)
    with pytest.raises(AuthoringError, match="1. Knowing children well.*10,001 characters"):
        authoring.save_sections(edition, {"summary": "Fine.", "principle-p1": too_long}, lead)
    assert not EditionText.objects.filter(edition=edition).exists()
    with pytest.raises(AuthoringError, match="no section 'nonsense'"):
        authoring.save_sections(edition, {"nonsense": "x"}, lead)


def test_a_new_edition_starts_from_the_text_of_the_one_before(analysed_small_call):
    call = analysed_small_call.call
    h.close(call)
    first = eh.publish_edition(call)
    lead = eh.editor("lead-analyst")
    authored = {t.kind + t.key: t.body for t in EditionText.objects.filter(edition=first)}
    second = editions.create_draft(call, lead, note="Quotes for principle 3 approved.")
    copied = {t.kind + t.key: t.body for t in EditionText.objects.filter(edition=second)}
    assert copied == authored and len(copied) == 6
    assert set(
        EditionTextRevision.objects.filter(text__edition=second).values_list("source", flat=True)
    ) == {"edition 1"}
    # Editing the new edition leaves the published one's text as it was.
    authoring.save_sections(second, {"summary": "A new summary."}, lead)
    assert EditionText.objects.get(edition=first, kind="summary").body != "A new summary."


def test_focus_areas_are_editable_per_call_and_frozen_into_an_edition_sent_for_review(draft):
    edition, lead = draft
    authoring.save_sections(edition, {"recommendation-2": "Fund CPD on adaptive teaching."}, lead)
    with pytest.raises(AuthoringError, match="listed twice"):
        authoring.save_focus_areas(edition.call, "Leadership\nleadership", lead)
    with pytest.raises(AuthoringError, match="at least one"):
        authoring.save_focus_areas(edition.call, " \n ", lead)
    areas = authoring.save_focus_areas(edition.call, "Leadership\n\n  Families   first \n", lead)
    assert areas == ["Leadership", "Families first"]
    recs = [s for s in authoring.sections(edition) if s.kind == "recommendation"]
    # The recommendation written under an area now gone is kept, marked as such.
    assert [(s.title, s.current) for s in recs] == [
        ("Leadership", True),
        ("Families first", True),
        ("Teaching and CPD", False),
    ]
    eh.write_required(edition, lead)
    editions.send_for_review(edition, lead)
    authoring.save_focus_areas(edition.call, "Something else", lead)
    edition.refresh_from_db()
    assert edition.focus_areas == ["Leadership", "Families first"]
    assert [s.title for s in authoring.sections(edition) if s.current][-2:] == [
        "Leadership",
        "Families first",
    ]


# --------------------------------------------------------------------------- suggested draft


def test_the_suggested_draft_quotes_only_publishable_approved_quotes_with_markers(draft):
    edition, _ = draft
    central = drafting.central_quotes(edition, "p1")
    # p1 has four quotes: approved (consented), approved without consent, unreviewed, rejected.
    assert [q.text for q in central] == [APPROVED]
    text = drafting.suggested_draft(edition, "p1")
    assert text.startswith("The practice they describe most often, in their own words:")
    assert f"“{APPROVED}” (School, primary) [evidence: q{review_of(APPROVED).pk}]" in text
    assert PRIVATE not in text and "nobody has reviewed" not in text and "rejected" not in text
    assert "No approved quote" in drafting.suggested_draft(edition, "p3")
    with pytest.raises(KeyError):
        drafting.suggested_draft(edition, "not-a-principle")


def test_the_most_central_quote_comes_first(analysed_small_call):
    c = analysed_small_call
    h.close(c.call)
    extra = [
        (c.s2, "Every class teacher adapts lessons so pupils with SEND learn with peers."),
        (c.s4, "Teachers adapt lessons so pupils with SEND learn alongside their peers."),
        (c.s1, "The car park was resurfaced over the summer holidays by the trust."),
    ]
    QuoteReview.objects.filter(text=APPROVED).delete()
    for s, words in extra:
        QuoteReview.objects.create(quote=h.quote(c.run, s, "p2", words, 5), status="approved")
    type(c.s4).objects.filter(pk=c.s4.pk).update(consent_publication="named")
    edition = editions.create_draft(c.call, eh.editor())
    central = drafting.central_quotes(edition, "p2")
    assert len(central) == 3
    assert central[-1].text.startswith("The car park")  # the odd one out is least central
    assert central[0].centrality >= central[1].centrality >= central[2].centrality


# --------------------------------------------------------------------------- what the public get


def test_the_snapshot_has_the_written_report_in_order_and_only_publishable_quotes(
    analysed_small_call,
):
    call = analysed_small_call.call
    h.close(call)
    lead, admin = eh.editor("lead-analyst"), eh.editor("programme-admin")
    edition = editions.create_draft(call, lead)
    eh.write_required(edition, lead)
    ok, private = review_of(APPROVED).pk, review_of(PRIVATE).pk
    authoring.save_sections(
        edition,
        {
            "summary": f"Schools **know** their pupils [evidence: q{ok}, q{private}]. {h.XSS}",
            "principle-p1": f"Pupils are known early [evidence: q{private}].",
            "implications": "Inclusion is everyone's job.",
            "recommendation-1": "- Put inclusion in every plan.",
        },
        lead,
    )
    editions.send_for_review(edition, lead)
    editions.approve(edition, admin)
    editions.publish_now(edition)
    html = EditionSnapshot.objects.get(edition=edition).html
    order = [
        'id="summary"',
        'id="principles-in-practice"',
        'id="implications"',
        'id="recommendations"',
        'id="snapshot"',
        'id="principles"',
        'id="method"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "Schools <strong>know</strong> their pupils" in html
    assert 'href="#summary-source-1"' in html and f"“{APPROVED}”" in html
    assert PRIVATE not in html  # the marker of a quote without consent renders as nothing
    assert "[evidence" not in html and "/staff/" not in html and "/workspace/" not in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "Leadership and strategy" in html and "Put inclusion in every plan." in html
    assert "Teaching and CPD" not in html  # an unwritten focus area is left out
    assert "@example.gov.uk" not in html
    # The PDF says the same, in the same order, after a cover; it is still tagged.
    pdf = bytes(EditionSnapshot.objects.get(edition=edition).pdf)
    assert_tagged_pdf(pdf)
    words = " ".join(pdf_text(pdf).split())
    assert words.index("Insights report, edition 1") < words.index("Contents")
    headings = [
        "Schools know their pupils",
        "Pupils are known early",
        "Inclusion is everyone's job.",
        "Put inclusion in every plan.",
        "How the figures are counted",
    ]
    at = [words.rindex(h) for h in headings]
    assert at == sorted(at), list(zip(headings, at, strict=True))
    assert PRIVATE not in words and "[evidence" not in words


# --------------------------------------------------------------------------- staff pages


def test_only_editors_open_the_authoring_pages(client, draft):
    edition, _ = draft
    call = edition.call
    pages = [
        url("edition_text", call, edition=1),
        url("edition_section", call, edition=1, field="summary"),
        url("edition_preview", call, edition=1),
        url("edition_evidence", call, edition=1) + "?ids=q1",
    ]
    h.staff_client(client, "analyst")
    for page in pages:
        assert client.get(page).status_code == 403, page
    assert client.post(pages[1], {"body": "x"}).status_code == 403
    assert not EditionText.objects.exists()


def test_a_lead_writes_a_narrative_from_the_suggested_draft(client, draft):
    edition, lead = draft
    client.force_login(lead)
    section_url = url("edition_section", edition.call, edition=1, field="principle-p1")
    page = client.get(section_url).content.decode()
    assert "Start from the suggested draft" in page and APPROVED in page
    drafted = client.post(section_url, {"action": "draft"})
    assert drafted.status_code == 200
    body = drafted.context["body"]
    assert f"[evidence: q{review_of(APPROVED).pk}]" in body
    assert not EditionText.objects.exists()  # copied into the editor, not saved
    saved = client.post(section_url, {"action": "save", "body": body + "\n\nMy own words."})
    assert saved.status_code == 302
    assert saved["Location"] == url("edition_text", edition.call, edition=1)
    text = EditionText.objects.get(edition=edition, kind="principle", key="p1")
    assert text.body.endswith("My own words.") and text.updated_by == lead
    overview = client.get(saved["Location"]).content.decode()
    assert "1 of 12 sections written" in overview and lead.email in overview
    # The staff preview links the marker to the passages behind it.
    preview = client.get(url("edition_preview", edition.call, edition=1)).content.decode()
    evidence_url = url("edition_evidence", edition.call, edition=1)
    assert f'href="{evidence_url}?ids=q{review_of(APPROVED).pk}"' in preview
    opened = client.get(f"{evidence_url}?ids=q{review_of(APPROVED).pk},q{review_of(PRIVATE).pk}")
    page = opened.content.decode()
    assert APPROVED in page and PRIVATE in page
    assert "did not consent to publication" in page


def test_review_refused_on_the_edition_page_names_the_empty_sections(client, draft):
    edition, lead = draft
    client.force_login(lead)
    response = client.post(url("edition", edition.call, edition=1), {"action": "review"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'href="#written-report"' in page and "Still empty: Executive summary; 1." in page
    assert Edition.objects.get(pk=edition.pk).status == "draft"


def test_saving_a_frozen_section_is_refused_with_a_conflict(client, draft):
    edition, lead = draft
    eh.write_required(edition, lead)
    editions.send_for_review(edition, lead)
    client.force_login(lead)
    section_url = url("edition_section", edition.call, edition=1, field="summary")
    response = client.post(section_url, {"action": "save", "body": "Sneaked in."})
    assert response.status_code == 409
    assert "frozen" in response.content.decode()
    assert EditionText.objects.get(edition=edition, kind="summary").body != "Sneaked in."
    # The second person reads the written text on the approval page.
    admin = eh.editor("programme-admin")
    client.force_login(admin)
    page = client.get(url("edition", edition.call, edition=1)).content.decode()
    assert "Executive summary: Written by the lead analyst." in page


def test_a_quote_already_quoted_in_full_needs_no_reference_for_the_public():
    body = "- “We know every child by name and need.” (School, primary) [evidence: q1]"
    citer = rtext.PublicCiter({1: (APPROVED, "School, primary")}, "p1", body)
    html = str(rtext.render(body, citer))
    assert "<sup" not in html and citer.sources == [] and citer.quoted == {1}
    assert html.count(APPROVED) == 1
