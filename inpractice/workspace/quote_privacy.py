"""The privacy check of quotes approved for the report (ADR 23).

Every approved quote goes through the one personal data engine (`analysis.personal_data`, the
case studies' check) plus the names that identify its submitter (`analysis.known_names`): the
submitter's own name always, and, when their publication consent is *anonymised*, the name of
their organisation and of every school, trust and local authority the submission covers.

An approved quote with a finding **needs a privacy check** until each finding is resolved:

* **redacted**: a lead replaces the finding with words chosen from suggestions that fit its
  context (the case studies' approach, `analysis.redaction`). The report then publishes the
  redacted words, stored on the `QuoteReview`; the submission is never changed;
* **confirmed safe** by a second person: a lead who did not approve the quote, with a reason
  ("Alfie" is the name of the school's dog).

The findings are worked out afresh whenever they matter (on the quotes pages, the edition's
page, approving and publishing an edition, and inside the build), never trusted from a stored
flag, so a quote approved before the check existed, or a submission whose consent changed to
anonymised, is caught too. The decisions (redacted words, confirmations) are on the
`QuoteReview`, which is keyed by the words' span, so they hold in every later analysis run that
quotes the same words. Every decision is an `Event` (who, when, before, after).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from inpractice.analysis import known_names, redaction
from inpractice.analysis.personal_data import Finding
from inpractice.coding.models import Quote, SubmissionResult
from inpractice.coding.runs import current_run
from inpractice.intake.choices import PublicationConsent
from inpractice.intake.models import Submission

from .carry import attach_quote_reviews, quote_review_status
from .events import record
from .models import Event, QuoteReview

FIELD = "quote"
PUBLISHABLE = (PublicationConsent.NAMED, PublicationConsent.ANONYMISED)
MAX_REASON = 500
MAX_SCHOOL_NAMES = 2000  # a local authority's submission covers a few hundred schools at most


class PrivacyError(ValueError):
    """A privacy decision that cannot be made; the message says why and what to do."""


@dataclass
class QuoteCheck:
    """One approved quote's privacy check: its words as the report would publish them, every
    finding in them, and which of those are still open."""

    quote: Quote
    review: QuoteReview | None
    words: str
    findings: list[Finding] = field(default_factory=list)
    safe: list[Finding] = field(default_factory=list)

    @property
    def open(self) -> list[Finding]:
        keys = {f.key() for f in self.safe}
        return [f for f in self.findings if f.key() not in keys]

    @property
    def needs_check(self) -> bool:
        return bool(self.open)

    @property
    def redacted(self) -> bool:
        return bool(self.review and self.review.redacted_text)

    @property
    def url(self) -> str:
        return privacy_url(self.quote)


def privacy_url(quote: Quote) -> str:
    return reverse("workspace:quote_privacy", args=[quote.run.call.slug, quote.pk])


# -- the names that identify a submitter --------------------------------------------------------


def identifying_names(submission: Submission) -> tuple[list[str], list[str]]:
    """(organisations, people) a quote from this submission must not name: the submitter always;
    the organisation, its schools, trust and local authority when consent is anonymised."""
    people = [n for n in (submission.respondent_name,) if n and n.strip()]
    organisations: list[str] = []
    if submission.consent_publication != PublicationConsent.NAMED:
        organisations.append(submission.organisation_name)
        # As the case studies do (library.services.identifying_names): each school and its
        # trust; a local authority when the submission speaks for it.
        covered = submission.covered_schools.select_related("school__trust")
        for c in covered[:MAX_SCHOOL_NAMES]:
            if c.school:
                organisations.append(c.school.name)
                if c.school.trust:
                    organisations.append(c.school.trust.name)
        if submission.coverage_trust:
            organisations.append(submission.coverage_trust.name)
        if submission.coverage_local_authority:
            organisations.append(submission.coverage_local_authority.name)
    return list(dict.fromkeys(n for n in organisations if n and n.strip())), people


def _safe_keys(review: QuoteReview | None) -> set[tuple[str, str, str]]:
    if review is None:
        return set()
    return {(FIELD, s.get("entity_type", ""), s.get("text", "")) for s in review.safe_findings}


def review_of(quote: Quote) -> QuoteReview | None:
    if hasattr(quote, "review"):
        return quote.review
    return QuoteReview.objects.filter(
        submission_id=quote.submission_id, field=quote.field, start=quote.start, end=quote.end
    ).first()


class _Names(dict):
    """The identifying names of each submission, looked up once."""

    def of(self, submission: Submission) -> tuple[list[str], list[str]]:
        if submission.pk not in self:
            self[submission.pk] = identifying_names(submission)
        return self[submission.pk]


def _findings(words: str, names: tuple[list[str], list[str]]) -> list[Finding]:
    organisations, people = names
    return known_names.check_quote(words, organisations, people, FIELD)


def check_quotes(quotes: Iterable[Quote]) -> list[QuoteCheck]:
    """The privacy check of each quote (its `review` attached or looked up), names looked up once
    per submission."""
    names = _Names()
    checks = []
    for quote in quotes:
        review = review_of(quote)
        words = quote.text
        # The redacted words stand for the quote only while they were made from these words.
        if review is not None and review.redacted_text and review.text in ("", quote.text):
            words = review.redacted_text
        findings = _findings(words, names.of(quote.submission))
        safe_keys = _safe_keys(review)
        checks.append(
            QuoteCheck(
                quote=quote,
                review=review,
                words=words,
                findings=findings,
                safe=[f for f in findings if f.key() in safe_keys],
            )
        )
    return checks


def check_quote(quote: Quote) -> QuoteCheck:
    return check_quotes([quote])[0]


def report_quotes(run):
    """The run's quotes that a report edition would publish if approved: quotes for a code (the
    principles; theme quotes are not published), from submitted responses analysed in the run
    whose consent allows publication."""
    analysed = SubmissionResult.objects.filter(run=run).values("submission_id")
    return Quote.objects.filter(
        run=run,
        theme__isnull=True,
        submission__status="submitted",
        submission__consent_publication__in=PUBLISHABLE,
        submission_id__in=analysed,
    )


def approved_quotes(run) -> list[Quote]:
    approved = (
        report_quotes(run)
        .annotate(decision=quote_review_status())
        .filter(decision=QuoteReview.Status.APPROVED)
        .select_related("submission", "run__call")
        .order_by("code_id", "rank", "pk")
    )
    return attach_quote_reviews(approved)


def unresolved(call, run=None) -> list[QuoteCheck]:
    """Approved quotes an edition of `run` (default: the call's current run) would publish that
    still need a privacy check. Empty when there is nothing to resolve."""
    run = run if run is not None else current_run(call)
    if run is None:
        return []
    return [c for c in check_quotes(approved_quotes(run)) if c.needs_check]


def publishable_words(quote: Quote) -> str | None:
    """The words to publish for an approved quote, or None while it needs a privacy check (the
    report's last line of defence: `reports.figures` calls this for every quote it publishes)."""
    check = check_quote(quote)
    return None if check.needs_check else check.words


def publishable_review_words(reviews: Iterable[QuoteReview]) -> dict[int, str]:
    """The words to publish for each approved decision (by its pk) that needs no privacy check:
    its redacted words where it was redacted. A decision that still needs a check is left out.
    For a caller that holds decisions rather than a run's quotes (the authored text's
    citations)."""
    names = _Names()
    found = {}
    for review in reviews:
        if review.status != QuoteReview.Status.APPROVED or not review.published_words:
            continue
        findings = _findings(review.published_words, names.of(review.submission))
        safe = _safe_keys(review)
        if all(f.key() in safe for f in findings):
            found[review.pk] = review.published_words
    return found


def blocking_message(checks: Sequence[QuoteCheck]) -> str:
    """Why an edition cannot be approved or published while these quotes need a check."""
    listed = "; ".join(
        f"quote {c.quote.pk} from submission {c.quote.submission.reference} "
        f"({', '.join(sorted({f.label.lower() for f in c.open}))})"
        for c in checks[:10]
    )
    more = f" and {len(checks) - 10} more" if len(checks) > 10 else ""
    return (
        f"{len(checks)} approved {'quote needs' if len(checks) == 1 else 'quotes need'} a "
        f"privacy check before this edition can be approved or published: {listed}{more}. "
        "Redact each one, or "
        "ask a lead analyst who did not approve it to confirm it is safe (the links are on the "
        "edition's page)."
    )


# -- decisions ----------------------------------------------------------------------------------


def _locked_review(quote: Quote) -> QuoteReview:
    review = (
        QuoteReview.objects.select_for_update()
        .filter(
            submission_id=quote.submission_id, field=quote.field, start=quote.start, end=quote.end
        )
        .first()
    )
    if review is None or review.status != QuoteReview.Status.APPROVED:
        raise PrivacyError(
            "This quote is not approved for the report, so it needs no privacy check. Approve it "
            "first if it should be published."
        )
    return review


def _open_finding(quote: Quote, review: QuoteReview, key: tuple[str, str]) -> Finding:
    quote.review = review
    check = check_quote(quote)
    for finding in check.open:
        if (finding.entity_type, finding.text) == key:
            return finding
    raise PrivacyError(
        "That finding is no longer in the quote's words (someone may have resolved it): check "
        "the list again."
    )


def _findings_json(findings: Iterable[Finding]) -> list[dict]:
    return [{"entity_type": f.entity_type, "text": f.text} for f in findings]


def after_approval(quote: Quote, user) -> QuoteCheck:
    """Run the check on a quote just approved and record what it found (an event), so the
    approval's record says whether it needs a privacy check."""
    check = check_quote(quote)
    if check.findings:
        record(
            quote.run.call,
            user,
            "quote.privacy_found",
            f"quote:{quote.pk}",
            after={"open": _findings_json(check.open), "words": check.words},
            submission=quote.submission,
        )
    return check


def approvers(quote: Quote, review: QuoteReview) -> set[int]:
    """Everyone who approved these words: the review's last decider, and every approval of a
    quote of the same span recorded as an event (in any run)."""
    people = {review.reviewed_by_id} if review.reviewed_by_id else set()
    same_span = Quote.objects.filter(
        submission_id=quote.submission_id, field=quote.field, start=quote.start, end=quote.end
    ).values_list("pk", flat=True)
    events = Event.objects.filter(
        kind="quote.review",
        submission_id=quote.submission_id,
        target__in=[f"quote:{pk}" for pk in same_span],
    ).filter(Q(after__status=QuoteReview.Status.APPROVED))
    people.update(a for a in events.values_list("actor_id", flat=True) if a)
    return people


def suggestions_for(check: QuoteCheck, finding: Finding) -> list[redaction.Suggestion]:
    before, after = context(check.words, finding)
    return redaction.suggestions(finding.entity_type, finding.text, before, after)


def context(words: str, finding: Finding) -> tuple[str, str]:
    """The words just before and after a finding, to show it in context."""
    span = redaction.CONTEXT
    before = words[max(0, finding.start - span) : finding.start]
    return before, words[finding.end : finding.end + span]


def redact(quote: Quote, user, key: tuple[str, str], words: str) -> str:
    """Replace every occurrence of one open finding in the quote's published words with `words`
    (a suggestion or the lead's own); returns the new published words."""
    words = " ".join((words or "").split())
    problem = redaction.problem_with_words(words)
    if problem:
        raise PrivacyError(problem)
    with transaction.atomic():
        review = _locked_review(quote)
        finding = _open_finding(quote, review, key)
        check = check_quote(quote)
        same = [f for f in check.open if f.key() == finding.key()]
        before = check.words
        new = redaction.replace_spans(before, [(f.start, f.end) for f in same], words)
        review.text = quote.text  # the words the redaction was made from
        review.redacted_text = new
        review.redacted_by = user
        review.redacted_at = timezone.now()
        review.save()
        record(
            quote.run.call,
            user,
            "quote.redact",
            f"quote:{quote.pk}",
            before={"words": before},
            after={"words": new, "replaced": finding.text, "with": words},
            submission=quote.submission,
        )
    return new


def restore(quote: Quote, user) -> None:
    """Undo the redaction: the quote's own words again (they will need a check again)."""
    with transaction.atomic():
        review = _locked_review(quote)
        if not review.redacted_text:
            return
        before = review.redacted_text
        review.redacted_text, review.redacted_by, review.redacted_at = "", None, None
        review.save()
        record(
            quote.run.call,
            user,
            "quote.redact",
            f"quote:{quote.pk}",
            before={"words": before},
            after={"words": review.text},
            submission=quote.submission,
        )


def confirm_safe(quote: Quote, user, key: tuple[str, str], reason: str) -> None:
    """A second person (a lead who did not approve the quote) confirms one finding is safe to
    publish, saying why."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise PrivacyError("Say why this is safe to publish (for example, whose name it is).")
    if len(reason) > MAX_REASON:
        raise PrivacyError(f"Say why in {MAX_REASON} characters or fewer.")
    with transaction.atomic():
        review = _locked_review(quote)
        if user.pk in approvers(quote, review):
            raise PrivacyError(
                "You approved this quote, so someone else must confirm it is safe: another lead "
                "analyst. You can redact it yourself instead."
            )
        finding = _open_finding(quote, review, key)
        confirmation = {
            "entity_type": finding.entity_type,
            "text": finding.text,
            "reason": reason,
            "by": user.pk,  # the account, not its email: the page looks the person up
            "at": timezone.now().isoformat(),
        }
        review.safe_findings = [*review.safe_findings, confirmation]
        review.save()
        record(
            quote.run.call,
            user,
            "quote.confirm_safe",
            f"quote:{quote.pk}",
            after={k: confirmation[k] for k in ("entity_type", "text", "reason")},
            submission=quote.submission,
        )
