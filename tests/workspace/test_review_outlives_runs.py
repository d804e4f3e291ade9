"""Review that outlives runs (issue 13, ADR 15): people's decisions on quotes, themes and mentions
survive the analysis running again and the coder being retrained; the report does not change
until a lead promotes the new run; promoting carries the decisions onto it."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from django.urls import reverse

from inpractice.coding.models import Mention, Passage, Quote, RunPromotion, Theme
from inpractice.coding.runner import run_analysis
from inpractice.coding.runs import current_run
from inpractice.intake.choices import PublicationConsent
from inpractice.reports import figures
from inpractice.workspace import carry, decisions
from inpractice.workspace.models import (
    Coding,
    Event,
    MentionReview,
    QuoteReview,
    SubmissionReview,
    ThemeReview,
)
from inpractice.workspace.retrain import retrain

pytestmark = pytest.mark.django_db


def public_report(call) -> dict:
    out = asdict(figures.report_figures(call, figures.PUBLIC))
    out.pop("generated_at")
    return out


def report_decisions(call) -> dict:
    """What people's decisions put in the public report, whichever run it is drawn from."""
    f = figures.report_figures(call, figures.PUBLIC)
    return {
        "quotes": {p.code_id: [q.text for q in p.quotes] for p in f.principles},
        "quote_status": {p.code_id: asdict(p.quote_status) for p in f.principles},
        "citations": [(c.name, c.submissions, c.occurrences) for c in f.citations.frameworks],
        "rejected_mentions": f.citations.rejected,
        "themes": [(t.label, t.status, t.passages, t.submissions) for t in f.themes.signed_off],
        "discarded": f.themes.discarded,
    }


def review_rows() -> dict[str, set[int]]:
    return {
        "quotes": set(QuoteReview.objects.values_list("pk", flat=True)),
        "mentions": set(MentionReview.objects.values_list("pk", flat=True)),
        "themes": set(ThemeReview.objects.values_list("pk", flat=True)),
    }


def label_for_training(call, analyst) -> None:
    """Every submission reviewed and the language-screening ones coded p1: enough to train p1."""
    from django.utils import timezone

    for s in call.submissions.filter(status="submitted").order_by("pk"):
        SubmissionReview.objects.update_or_create(
            submission=s,
            defaults={
                "call": call,
                "reviewed": True,
                "reviewed_by": analyst,
                "reviewed_at": timezone.now(),
            },
        )
        practice = s.answer("practice")
        if "WellComm" in practice or "resourced provision" in practice:
            Coding.objects.create(
                call=call,
                submission=s,
                field="practice",
                start=0,
                end=len(practice),
                text=practice,
                code_id="p1",
                coder=analyst,
            )


@pytest.fixture
def decided(analysed_call, lead, analyst):
    """A lead's and an analyst's decisions on the first run's quotes, themes and mentions."""
    call = analysed_call
    call.submissions.update(consent_publication=PublicationConsent.ANONYMISED)
    run = current_run(call)
    code_quotes, spans = [], set()
    for q in Quote.objects.filter(run=run, theme__isnull=True).order_by("code_id", "rank"):
        if carry.span_of(q) not in spans:  # one decision per span: take three different words
            spans.add(carry.span_of(q))
            code_quotes.append(q)
    assert len(code_quotes) >= 3, "the analysed call should propose quotes"
    decisions.review_quote(code_quotes[0], lead, "approve")
    decisions.review_quote(code_quotes[1], lead, "approve")
    decisions.review_quote(code_quotes[2], lead, "reject")
    themes = list(Theme.objects.filter(run=run).order_by("-size", "number"))
    assert len(themes) >= 2
    decisions.rename_theme(themes[0], lead, "Language screening in Reception")
    decisions.discard_theme(themes[1], lead)
    mentions = list(Mention.objects.filter(run=run).order_by("pk"))
    names = sorted({m.name for m in mentions})
    assert len(names) >= 2
    rejected = next(m for m in mentions if m.name == names[0])
    decisions.correct_mention(rejected, analyst, "reject")
    decisions.rename_mentions(run, analyst, names[1], "Corrected tool name")
    return {
        "run": run,
        "approved": [carry.span_of(q) for q in code_quotes[:2]],
        "rejected_quote": carry.span_of(code_quotes[2]),
        "signed_off": themes[0],
        "discarded": themes[1],
        "rejected_mention": rejected,
        "renamed_key": carry.key_of(next(m for m in mentions if m.name == names[1])),
    }


def test_decisions_outlive_new_runs_and_the_report_waits_for_promotion(
    client, analysed_call, decided, lead, analyst
):
    call, first = analysed_call, decided["run"]
    report = public_report(call)
    shown = report_decisions(call)
    assert any(shown["quotes"].values()), "approved quotes should be in the report"
    assert "Language screening in Reception" in [t[0] for t in shown["themes"]]
    assert shown["rejected_mentions"] >= 1
    rows = review_rows()

    # The analysis runs again, and the coder is retrained: two new runs, neither current.
    again = run_analysis(call)
    label_for_training(call, analyst)
    retrained = retrain(call, actor=lead)
    assert again.status == retrained.status == "succeeded"
    assert current_run(call) == first
    # Every decision intact, and the report exactly as it was (figures and approved quotes).
    assert review_rows() == rows
    report_now = public_report(call)
    for part in ("principles", "citations", "themes", "principle_count"):
        assert report_now[part] == report[part], part
    assert report_now["method"]["run_id"] == first.pk

    # The lead compares the re-run with the current run, then promotes it.
    client.force_login(lead)
    url = reverse("workspace:run", args=[call.slug, again.pk])
    compare = client.get(url)
    assert compare.status_code == 200
    changes = compare.context["reviews"]
    assert changes["quotes"]["approved"] == 2 == changes["quotes"]["approved_found"]
    assert changes["themes"].reviewed == 2 and changes["themes"].unchanged == 2
    assert changes["mentions"]["names_found"] == 1 and changes["mentions"]["places_found"] == 1
    assert b"Promote run" in compare.content
    assert client.post(url, {"note": "same seed, same results"}).status_code == 302
    assert current_run(call) == again
    promotion = RunPromotion.objects.get(run=again)
    assert promotion.promoted_by == lead and promotion.previous == first
    event = Event.objects.get(kind="run.promote")
    assert event.actor == lead and event.before == {"run": first.pk}
    assert event.after["run"] == again.pk and event.after["themes"]["unchanged"] == 2

    # Carried onto the new run: quotes by span, mentions by name, themes by overlap.
    quotes = carry.attach_quote_reviews(Quote.objects.filter(run=again))
    by_span = {carry.span_of(q): q.review.status for q in quotes if q.review}
    assert all(by_span[s] == "approved" for s in decided["approved"])
    assert by_span[decided["rejected_quote"]] == "rejected"
    mentions = {m.pk: m for m in carry.mentions_with_decisions(again)}
    old = decided["rejected_mention"]
    same_place = next(
        m
        for m in mentions.values()
        if carry.span_of(m) == carry.span_of(old) and m.name_key == old.name_key
    )
    assert same_place.decision_status == "rejected"
    renamed = [m for m in mentions.values() if m.name_key == decided["renamed_key"]]
    assert renamed and all(m.decision_name == "Corrected tool name" for m in renamed)
    carried = {r.carried_from.theme_id: r for r in ThemeReview.objects.filter(theme__run=again)}
    signed = carried[decided["signed_off"].pk]
    assert (signed.status, signed.label) == ("accepted", "Language screening in Reception")
    assert signed.match == 1.0 and not signed.changed
    assert carried[decided["discarded"].pk].status == "discarded"
    # The report shows the same decisions, now drawn from the new run.
    assert report_decisions(call) == shown
    # Nothing was deleted: the first run's reviews are still there, beside the carried ones.
    assert rows["quotes"] == review_rows()["quotes"]
    assert rows["mentions"] == review_rows()["mentions"]
    assert rows["themes"] < review_rows()["themes"]


def test_a_weakly_matched_theme_is_flagged_changed_since_sign_off(
    client, analysed_call, decided, lead
):
    call = analysed_call
    again = run_analysis(call)
    theme = decided["signed_off"]
    twin = next(
        t
        for t in Theme.objects.filter(run=again)
        if carry.theme_matches(decided["run"], again, [theme.pk])[theme.pk].new == t.pk
    )
    # The new run's theme lost nearly half its passages: a weak match.
    members = list(Passage.objects.filter(theme=twin).order_by("pk"))
    keep = max(1, round(len(members) * 0.6))
    Passage.objects.filter(pk__in=[p.pk for p in members[keep:]]).update(theme=None)
    match = carry.theme_matches(decided["run"], again, [theme.pk])[theme.pk]
    if not (carry.CARRY_MIN <= match.jaccard < carry.STRONG_MATCH):
        pytest.skip(f"the fixture's theme is too small to make a weak match ({len(members)})")

    client.force_login(lead)
    assert client.post(reverse("workspace:run", args=[call.slug, again.pk])).status_code == 302
    review = ThemeReview.objects.get(theme=twin)
    assert review.changed and review.match == match.jaccard and review.carried_from.theme == theme
    listing = client.get(reverse("workspace:themes", args=[call.slug]))
    assert b"Changed since sign-off: weak match" in listing.content
    page = client.get(reverse("workspace:theme", args=[call.slug, twin.pk]))
    assert b"Changed since sign-off" in page.content and b"weak match" in page.content
    flagged = client.get(reverse("workspace:themes", args=[call.slug]), {"show": "changed"})
    assert [row["theme"] for row in flagged.context["rows"]] == [twin]
    # Deciding again clears the flag.
    decisions.accept_theme(twin, lead)
    assert not ThemeReview.objects.get(theme=twin).changed
    # The report still shows the sign-off (carried), under the lead's name for it.
    labels = [t.label for t in figures.report_figures(call, figures.PUBLIC).themes.signed_off]
    assert "Language screening in Reception" in labels
