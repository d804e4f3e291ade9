"""What moderators and submitters do to case studies: draft, save, check, redact, move through
the workflow, publish, unpublish, withdraw. Views and the CLI call these; each runs in one
transaction and leaves a `CaseStudyVersion` behind.

The rules that keep personal data off public pages live here, on the server:

* a case study can be drafted only from a submitted submission whose consent allows publication,
  and its attribution follows that consent (anonymised: no organisation name is ever stored for
  display, and the organisation's and schools' names count as findings of the check);
* publishing re-runs the personal data check on the text as it is at that moment and refuses
  while any finding is neither replaced nor confirmed safe, while a placeholder such as
  "[name removed]" is left in the text, or while consent no longer allows it;
* a finding is replaced by words the moderator chooses (`replace_findings`; suggestions from
  `redaction.suggestions`), never by a placeholder;
* nobody approves a case study whose words they drafted, edited, replaced or confirmed;
* the submitter approves the words by their emailed link (`ask_submitter`, `answer_as_submitter`)
  before publication, unless the programme's setting allows publishing once the time to answer
  (`LIBRARY_SUBMITTER_REVIEW_DAYS`) has passed with no answer
  (`LIBRARY_PUBLISH_WITHOUT_SUBMITTER_ANSWER`); an approval is for the words approved;
* withdrawing consent unpublishes at once and for good.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from inpractice.analysis import personal_data
from inpractice.analysis.redaction import (
    placeholders,
    problem_with_words,
    replace_spans,
    suggestions,
)
from inpractice.coding.models import SubmissionResult
from inpractice.coding.runs import current_run
from inpractice.intake.choices import (
    NEED_AREAS,
    OrganisationType,
    PublicationConsent,
    need_areas_for,
)
from inpractice.intake.models import Submission, SubmissionStatus
from inpractice.intake.withdrawal import submission_for_token as submission_for_token
from inpractice.intake.withdrawal import withdrawal_token as withdrawal_token
from inpractice.schools.models import Region
from inpractice.workspace.models import QuoteReview

from .models import (
    SECTION_KEYS,
    Attribution,
    CaseStudy,
    CaseStudyVersion,
    PersonalDataDecision,
    Status,
    SubmitterReview,
)
from .search import bump_generation, prepare_for_index

SUGGESTED_PRINCIPLES = 2
CONTENT_FIELDS = [
    "title",
    "summary",
    *SECTION_KEYS,
    "principles",
    "practice_types",
    "need_areas",
    "need_codes",
    "organisation_type",
    "phases",
    "region",
    "quotes",
    "organisation_display",
]
EDITABLE = {Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.UNPUBLISHED}
# Allowed moves: (from, action) -> to.
TRANSITIONS = {
    (Status.DRAFT, "submit_for_review"): Status.IN_REVIEW,
    (Status.IN_REVIEW, "return_to_draft"): Status.DRAFT,
    (Status.IN_REVIEW, "approve"): Status.APPROVED,
    (Status.APPROVED, "return_to_draft"): Status.DRAFT,
    (Status.APPROVED, "publish"): Status.PUBLISHED,
    (Status.PUBLISHED, "unpublish"): Status.UNPUBLISHED,
    (Status.UNPUBLISHED, "publish"): Status.PUBLISHED,
    (Status.UNPUBLISHED, "return_to_draft"): Status.DRAFT,
}
ACTION_LABELS = {
    "submit_for_review": "Send for review",
    "return_to_draft": "Return to draft",
    "approve": "Approve",
    "publish": "Publish",
    "unpublish": "Unpublish",
}


class CaseStudyError(ValueError):
    """Something a moderator asked for that the rules do not allow, with what to do instead."""


@dataclass
class Actor:
    """Who made a change: a staff user, or a described person without an account."""

    user: object | None = None
    label: str = ""

    @property
    def name(self) -> str:
        if self.user is not None:
            return getattr(self.user, "email", "") or self.user.get_username()
        return self.label


# --- drafting ------------------------------------------------------------------------------


def publishable_submissions(call=None):
    qs = Submission.objects.filter(
        status=SubmissionStatus.SUBMITTED,
        consent_publication__in=[PublicationConsent.NAMED, PublicationConsent.ANONYMISED],
    )
    return qs.filter(call=call) if call is not None else qs


def _first_sentences(text: str, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out = ""
    for sentence in sentences:
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out or text[: limit - 1].rsplit(" ", 1)[0] + "…" if text else ""


def _schools(submission: Submission) -> list:
    return [c.school for c in submission.covered_schools.select_related("school") if c.school]


# Regions named without "the" in running text ("in London", "in Yorkshire and The Humber"; but
# "in the North West", "in the East of England").
_NO_ARTICLE = {"London", "Yorkshire and The Humber"}


def _the_region(label: str) -> str:
    return label if label in _NO_ARTICLE else f"the {label}"


def setting_for(submission: Submission) -> tuple[str, str, list[str]]:
    """(setting text, region code, phases): never more identifying than a region and a phase.

    The text names no school, trust or local authority whatever the consent, because the
    organisation's name is shown (when consent allows) on its own line.
    """
    schools = _schools(submission)
    regions = Counter(s.region for s in schools if s.region)
    region = regions.most_common(1)[0][0] if regions else ""
    region_label = dict(Region.choices).get(region, "")
    school_phases = Counter(s.phase for s in schools if s.phase and s.phase != "not_applicable")
    phases = list(submission.phases or []) or [p for p, _ in school_phases.most_common()]
    phase_words = (
        " and ".join(dict(_phase_choices()).get(p, p).lower() for p in phases[:3]) or "mainstream"
    )
    where = f" in {_the_region(region_label)}" if region_label else ""
    if len(regions) > 1:
        where = f" across {len(regions)} regions, most in {_the_region(region_label)}"
    kind = submission.organisation_type
    count = len(schools)
    if kind == OrganisationType.TRUST:
        text = f"A multi-academy trust of {count} {phase_words} schools{where}."
    elif kind == OrganisationType.LOCAL_AUTHORITY:
        text = f"A local authority working with {count} {phase_words} schools{where}."
    elif kind == OrganisationType.SEND_PROVIDER:
        text = f"A SEND support provider working with {count} {phase_words} schools{where}."
    elif count > 1:
        text = f"A group of {count} {phase_words} schools{where}."
    else:
        text = f"A {phase_words} school{where}."
    return text, region, phases


def _phase_choices():
    from inpractice.intake.choices import Phase

    return Phase.choices


def suggested_principles(submission: Submission) -> list[str]:
    """The (at most two) principles the call's current analysis run found most strongly in the
    submission (top-level codes)."""
    run = current_run(submission.call)
    if run is None:
        return []
    result = SubmissionResult.objects.filter(run=run, submission=submission).first()
    if result is None:
        return []
    top = {c["id"] for c in (submission.call.codebook or {}).get("codes", [])}
    applied = [c for c in result.codes if c in top]
    # A long response touches most principles somewhere; a case study is tagged with the ones
    # it shows most strongly, and the moderator adds any others.
    applied.sort(key=lambda c: -float((result.probabilities or {}).get(c, 0.0)))
    return applied[:SUGGESTED_PRINCIPLES]


def approved_quotes(submission: Submission) -> list[dict]:
    """Quotes from this submission that analysts approved in the workspace."""
    seen, out = set(), []
    # Decisions are keyed by the quote's span (ADR 15); the words are kept with the decision.
    reviews = QuoteReview.objects.filter(
        submission=submission, status=QuoteReview.Status.APPROVED
    ).order_by("field", "start", "pk")
    for review in reviews:
        if review.text and review.text not in seen:
            seen.add(review.text)
            code_id = review.quote.code_id if review.quote_id else ""
            out.append(
                {"id": review.quote_id or review.pk, "text": review.text, "code_id": code_id}
            )
    return out


def draft_values(submission: Submission) -> dict:
    """The first draft of a case study from a submission: the moderator edits from here."""
    setting, region, phases = setting_for(submission)
    need_labels = dict(_need_code_choices())
    need_codes = [c for c in submission.need_codes or [] if c in need_labels]
    need = submission.need_description
    if need_codes:
        need = f"{need}\n\nNeeds addressed: {', '.join(need_labels[c] for c in need_codes)}."
    named = submission.consent_publication == PublicationConsent.NAMED
    return {
        "title": submission.title or "Untitled practice",
        "summary": _first_sentences(submission.answer("practice")),
        "setting": setting,
        "need": need.strip(),
        "practice": submission.answer("practice"),
        "enablers": submission.answer("enablers"),
        "impact": submission.answer("impact"),
        "advice": submission.answer("advice"),
        "principles": suggested_principles(submission),
        "practice_types": list(submission.practice_types or []),
        "need_codes": need_codes,
        "need_areas": need_areas_for(need_codes),
        "organisation_type": submission.organisation_type,
        "phases": phases,
        "region": region,
        "quotes": [],
        "organisation_display": submission.organisation_name if named else "",
    }


def _need_code_choices():
    from inpractice.intake.choices import NeedCode

    return NeedCode.choices


def draft_case_study(submission: Submission, actor: Actor, values: dict | None = None) -> CaseStudy:
    """Create a draft from a submission; refuses when consent does not allow publication."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise CaseStudyError("Only a submitted response can become a case study.")
        if submission.consent_publication not in (
            PublicationConsent.NAMED,
            PublicationConsent.ANONYMISED,
        ):
            raise CaseStudyError(
                f"{submission.reference} did not consent to publication, so it cannot become a "
                "case study."
            )
        if CaseStudy.objects.filter(submission=submission).exists():
            raise CaseStudyError(f"{submission.reference} already has a case study.")
        data = {**draft_values(submission), **(values or {})}
        case_study = CaseStudy(
            call=submission.call,
            submission=submission,
            attribution=submission.consent_publication,
            created_by=actor.user,
        )
        _apply(case_study, data)
        prepare_for_index(case_study)
        case_study.save()
        _record(case_study, actor, "drafted")
        return case_study


def _apply(case_study: CaseStudy, data: dict) -> None:
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(case_study, name, data[name])
    case_study.need_areas = list(case_study.need_areas or []) or need_areas_for(
        case_study.need_codes or []
    )
    if case_study.attribution != Attribution.NAMED:
        case_study.organisation_display = ""


def snapshot(case_study: CaseStudy) -> dict:
    data = {name: getattr(case_study, name) for name in CONTENT_FIELDS}
    data.update(
        status=case_study.status, attribution=case_study.attribution, slug=case_study.slug or ""
    )
    return data


def _record(case_study: CaseStudy, actor: Actor, action: str, note: str = "") -> CaseStudyVersion:
    last = case_study.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return CaseStudyVersion.objects.create(
        case_study=case_study,
        number=last + 1,
        action=action,
        status=case_study.status,
        saved_by=actor.user,
        saved_by_label=actor.name[:254],
        note=note[:500],
        snapshot=snapshot(case_study),
    )


def _locked(case_study: CaseStudy) -> CaseStudy:
    return CaseStudy.objects.select_for_update().select_related("submission").get(pk=case_study.pk)


# --- editing -------------------------------------------------------------------------------


def save_edits(case_study: CaseStudy, data: dict, actor: Actor, expected_version: int) -> CaseStudy:
    """Save a moderator's edits. Anything past draft goes back to draft: an approval was for
    the words approved, not for new ones."""
    with transaction.atomic():
        current = _locked(case_study)
        if current.version != expected_version:
            raise CaseStudyError(
                "Someone else saved this case study while you were editing. Your changes were "
                "not saved: reload the page to see theirs, then make your changes again."
            )
        if current.status not in EDITABLE:
            raise CaseStudyError(
                "A published case study cannot be edited. Unpublish it first."
                if current.status == Status.PUBLISHED
                else "A withdrawn case study cannot be edited."
            )
        _apply(current, data)
        note = ""
        if current.status != Status.DRAFT:
            note = f"returned to draft from {current.get_status_display().lower()} by editing"
            current.status = Status.DRAFT
        current.version += 1
        prepare_for_index(current)
        current.save()
        _record(current, actor, "edited", note)
        return current


# --- the personal data check ----------------------------------------------------------------


def identifying_names(case_study: CaseStudy) -> list[str]:
    """Names that must not appear: always the respondent's own name and email; and, when
    consent is anonymised, the organisation and every school, trust and local authority the
    submission covers."""
    submission = case_study.submission
    names = [submission.respondent_name, submission.respondent_email]
    if case_study.attribution != Attribution.NAMED:
        names.append(submission.organisation_name)
        for covered in submission.covered_schools.select_related("school__trust")[:2000]:
            if covered.school:
                names.append(covered.school.name)
                if covered.school.trust:
                    names.append(covered.school.trust.name)
        if submission.coverage_trust:
            names.append(submission.coverage_trust.name)
        if submission.coverage_local_authority:
            names.append(submission.coverage_local_authority.name)
    return [n for n in names if n]


@dataclass
class CheckResult:
    findings: list[personal_data.Finding]
    safe: set[tuple[str, str, str]]

    @property
    def open(self) -> list[personal_data.Finding]:
        return [f for f in self.findings if f.key() not in self.safe]

    @property
    def confirmed_safe(self) -> list[personal_data.Finding]:
        return [f for f in self.findings if f.key() in self.safe]


def check_personal_data(case_study: CaseStudy) -> CheckResult:
    texts = case_study.public_texts()
    findings = personal_data.check(texts, identifying_names(case_study))
    safe = {
        (d.field, d.entity_type, d.text)
        for d in PersonalDataDecision.objects.filter(case_study=case_study)
    }
    return CheckResult(findings, safe)


def _set_text(case_study: CaseStudy, field: str, value: str) -> None:
    if field.startswith("quote_"):
        index = int(field.split("_", 1)[1])
        quotes = [dict(q) for q in case_study.quotes]
        quotes[index]["text"] = value
        case_study.quotes = quotes
    else:
        setattr(case_study, field, value)


def finding_context(texts: dict[str, str], finding: personal_data.Finding) -> tuple[str, str]:
    """The words just before and just after a finding (to show it in context)."""
    text = texts.get(finding.field, "")
    return text[max(0, finding.start - 60) : finding.start], text[finding.end : finding.end + 60]


def suggestions_for(texts: dict[str, str], finding: personal_data.Finding):
    before, after = finding_context(texts, finding)
    return suggestions(finding.entity_type, finding.text, before, after)


def suggested_replacements(case_study: CaseStudy) -> dict[tuple[str, str, str], str]:
    """The best suggestion for every open finding (what the demo loader and tests choose)."""
    texts = case_study.public_texts()
    return {
        f.key(): suggestions_for(texts, f)[0].words for f in check_personal_data(case_study).open
    }


def replace_findings(
    case_study: CaseStudy, replacements: dict[tuple[str, str, str], str], actor: Actor
) -> int:
    """Replace each finding (field, type, text) with the words chosen for it; how many places
    changed. Every occurrence of the same finding in the same field gets the same words."""
    for words in replacements.values():
        problem = problem_with_words(words)
        if problem:
            raise CaseStudyError(problem)
    with transaction.atomic():
        current = _locked(case_study)
        if current.status not in EDITABLE:
            raise CaseStudyError("Unpublish the case study before changing its text.")
        result = check_personal_data(current)
        chosen = [f for f in result.findings if f.key() in replacements]
        if not chosen:
            return 0
        texts = current.public_texts()
        by_field: dict[str, list[personal_data.Finding]] = {}
        for finding in chosen:
            by_field.setdefault(finding.field, []).append(finding)
        for field, findings in by_field.items():
            text = texts[field]
            # Right to left, so earlier offsets stay true.
            for finding in sorted(findings, key=lambda f: f.start, reverse=True):
                text = replace_spans(
                    text, [(finding.start, finding.end)], replacements[finding.key()]
                )
            _set_text(current, field, text)
        if current.status != Status.DRAFT:
            current.status = Status.DRAFT
        current.version += 1
        prepare_for_index(current)
        current.save()
        notes = "; ".join(
            f"{f.label.lower()} replaced with {replacements[f.key()]!r}"
            if replacements[f.key()]
            else f"{f.label.lower()} taken out"
            for f in chosen
        )
        _record(current, actor, "redacted", notes)
        return len(chosen)


def confirm_safe(case_study: CaseStudy, key: tuple[str, str, str], actor: Actor) -> None:
    with transaction.atomic():
        current = _locked(case_study)
        field, entity_type, text = key
        try:
            with transaction.atomic():
                PersonalDataDecision.objects.create(
                    case_study=current,
                    field=field,
                    entity_type=entity_type,
                    text=text[:500],
                    decided_by=actor.user,
                )
        except IntegrityError:
            return  # already confirmed
        _record(current, actor, "confirmed safe", f"{entity_type} {text!r} in {field}")


# --- workflow ------------------------------------------------------------------------------


def publish_problems(case_study: CaseStudy) -> list[str]:
    """Why this case study cannot be published now (empty when it can)."""
    problems = []
    consent = case_study.submission.consent_publication
    if consent not in (PublicationConsent.NAMED, PublicationConsent.ANONYMISED):
        problems.append("The submitter has not consented to publication (or has withdrawn it).")
    if (
        consent == PublicationConsent.ANONYMISED
        and case_study.attribution != Attribution.ANONYMISED
    ):
        problems.append("Consent is for anonymised publication only.")
    if case_study.attribution != Attribution.NAMED and case_study.organisation_display:
        problems.append("An anonymised case study cannot show an organisation name.")
    for name in ("title", "summary", "need", "practice"):
        if not (getattr(case_study, name) or "").strip():
            problems.append(f"Add the {name.replace('_', ' ')} before publishing.")
    open_findings = check_personal_data(case_study).open
    if open_findings:
        problems.append(
            f"{len(open_findings)} personal data finding(s) are not resolved: replace each one "
            "with words of your choosing or confirm it is safe."
        )
    left = placeholders(case_study.public_texts())
    if left:
        shown = ", ".join(dict.fromkeys(f"“{p}”" for _, p in left))
        problems.append(
            f"The text still has placeholders ({shown}) that a reader cannot follow: replace "
            "each with words, such as “the SENCO” or “a Year 5 pupil”."
        )
    state = submitter_state(case_study)
    if not state.allows_publish:
        problems.append(state.problem)
    return problems


# Versions whose author shaped the words that would be published: such a person may not also
# be the one who approves them (four eyes on every case study).
AUTHORING_ACTIONS = ("drafted", "edited", "redacted", "confirmed safe")


def authors(case_study: CaseStudy) -> set[int]:
    """The staff users who drafted, edited, redacted or confirmed findings in this case study."""
    ids = set(
        case_study.versions.filter(
            action__in=AUTHORING_ACTIONS, saved_by__isnull=False
        ).values_list("saved_by_id", flat=True)
    )
    if case_study.created_by_id:
        ids.add(case_study.created_by_id)
    return ids


def _unique_slug(title: str, pk: int) -> str:
    base = slugify(title)[:70].strip("-") or "case-study"
    slug = base
    if CaseStudy.objects.filter(slug=slug).exclude(pk=pk).exists():
        slug = f"{base}-{pk}"
    return slug


def transition(
    case_study: CaseStudy,
    action: str,
    actor: Actor,
    note: str = "",
    expected_version: int | None = None,
) -> CaseStudy:
    """Move a case study on. `expected_version` is the version a moderator read back before
    publishing: anything saved since refuses the move, so what is published is what they read."""
    with transaction.atomic():
        current = _locked(case_study)
        if expected_version is not None and current.version != expected_version:
            raise CaseStudyError(
                "The case study changed after you read it back, so it was not published. "
                "Read it again, then publish."
            )
        target = TRANSITIONS.get((current.status, action))
        if target is None:
            raise CaseStudyError(
                f"You cannot {ACTION_LABELS.get(action, action).lower()} a case study that is "
                f"{current.get_status_display().lower()}."
            )
        if action == "approve" and actor.user is not None and actor.user.pk in authors(current):
            raise CaseStudyError(
                "You wrote or changed this case study, so another moderator must approve it: "
                "two people see every case study before it can be published."
            )
        if target == Status.PUBLISHED:
            problems = publish_problems(current)
            if problems:
                raise CaseStudyError(" ".join(problems))
            state = submitter_state(current)
            if state.timed_out and not note:
                note = state.label
            now = timezone.now()
            current.published_at = now
            current.first_published_at = current.first_published_at or now
            if not current.slug:
                current.slug = _unique_slug(current.title, current.pk)
        if current.status == Status.PUBLISHED or target == Status.PUBLISHED:
            bump_generation()  # in the same transaction: readers see both or neither
        current.status = target
        current.version += 1
        current.save()
        _record(current, actor, action, note)
        return current


# --- the submitter's say ----------------------------------------------------------------------
# The submitter is emailed a signed link (`submitter_token`) to the words that would be published.
# The link names one request; it expires when the time to answer does, and a newer request
# replaces it. Their answer is recorded as a version like every moderator's step.

SUBMITTER_SALT = "inpractice.library.submitter-review"
SUBMITTER_ACTOR = "the submitter (emailed link)"
MAX_REQUESTS_PER_DAY = 3


def review_days() -> int:
    return int(getattr(settings, "LIBRARY_SUBMITTER_REVIEW_DAYS", 14))


def publish_without_answer() -> bool:
    return bool(getattr(settings, "LIBRARY_PUBLISH_WITHOUT_SUBMITTER_ANSWER", False))


def content_hash(case_study: CaseStudy) -> str:
    """What the submitter approves: every word a reader would see, and how it is attributed."""
    data = {**case_study.public_texts(), "attribution": case_study.attribution}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def latest_review(case_study: CaseStudy) -> SubmitterReview | None:
    return (
        case_study.submitter_reviews.exclude(answer=SubmitterReview.Answer.NOT_SENT)
        .order_by("-asked_at", "-pk")
        .first()
    )


@dataclass
class SubmitterState:
    """Where the submitter's check stands, in words for moderators, and whether it lets the case
    study be published."""

    review: SubmitterReview | None
    label: str
    allows_publish: bool
    problem: str = ""
    timed_out: bool = False


def submitter_state(case_study: CaseStudy, now=None) -> SubmitterState:
    now = now or timezone.now()
    review = latest_review(case_study)
    if review is None:
        return SubmitterState(
            None,
            "Not sent to the submitter yet",
            False,
            "Send the case study to the submitter: they approve it before it is published.",
        )
    changed = review.content_hash != content_hash(case_study)
    when = timezone.localtime(review.asked_at).strftime("%-d %B %Y")
    if review.answer == SubmitterReview.Answer.CHANGES:
        return SubmitterState(
            review,
            f"The submitter asked for changes on "
            f"{timezone.localtime(review.answered_at).strftime('%-d %B %Y')}",
            False,
            "The submitter asked for changes: make them, then send it to them again.",
        )
    if changed:
        return SubmitterState(
            review,
            f"The words changed after they were sent to the submitter on {when}",
            False,
            "The words changed after the submitter was sent them: send it to them again.",
        )
    if review.answer == SubmitterReview.Answer.APPROVED:
        return SubmitterState(
            review,
            f"Approved by the submitter on "
            f"{timezone.localtime(review.answered_at).strftime('%-d %B %Y')}",
            True,
        )
    if now < review.expires_at:
        until = timezone.localtime(review.expires_at).strftime("%-d %B %Y")
        return SubmitterState(
            review,
            f"Sent to the submitter on {when}; waiting for their answer until {until}",
            False,
            f"The submitter has until {until} to approve it or ask for changes.",
        )
    days = max(1, (review.expires_at - review.asked_at).days)
    if publish_without_answer():
        return SubmitterState(
            review,
            f"No answer from the submitter within {days} days of {when}: the programme's "
            "setting allows publishing without it",
            True,
            timed_out=True,
        )
    return SubmitterState(
        review,
        f"No answer from the submitter within {days} days of {when}",
        False,
        f"The submitter did not answer within {days} days, and the programme's setting does "
        "not allow publishing without their approval: send it to them again, or contact them.",
        timed_out=True,
    )


def submitter_token(review: SubmitterReview) -> str:
    return signing.dumps({"c": review.case_study_id, "q": review.pk}, salt=SUBMITTER_SALT)


@dataclass
class TokenLookup:
    review: SubmitterReview | None
    reason: str = ""  # "bad", "expired", "replaced", "closed"


def review_for_token(token: str, now=None) -> TokenLookup:
    """The request a submitter's link names, or why it does not work."""
    try:
        data = signing.loads(token, salt=SUBMITTER_SALT, max_age=timedelta(days=review_days() + 1))
    except signing.SignatureExpired:
        return TokenLookup(None, "expired")
    except signing.BadSignature:
        return TokenLookup(None, "bad")
    if not isinstance(data, dict):
        return TokenLookup(None, "bad")
    review = (
        SubmitterReview.objects.select_related("case_study__submission", "case_study__call")
        .filter(pk=data.get("q"), case_study_id=data.get("c"))
        .first()
    )
    if review is None:
        return TokenLookup(None, "bad")
    if review.case_study.status == Status.WITHDRAWN:
        return TokenLookup(None, "closed")
    if latest_review(review.case_study) != review:
        return TokenLookup(None, "replaced")
    if (now or timezone.now()) >= review.expires_at and review.answer == review.Answer.WAITING:
        return TokenLookup(None, "expired")
    return TokenLookup(review)


def ask_submitter(case_study: CaseStudy, actor: Actor) -> SubmitterReview:
    """Record a request to the submitter for the words as they are now (the caller emails the
    link). Refused while the check is unresolved, since they approve the words to be published."""
    with transaction.atomic():
        current = _locked(case_study)
        if current.status not in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
            raise CaseStudyError(
                f"A case study that is {current.get_status_display().lower()} cannot be sent to "
                "the submitter."
            )
        if not current.submission.respondent_email:
            raise CaseStudyError(
                "The response has no email address, so the submitter cannot be sent a link."
            )
        if check_personal_data(current).open or placeholders(current.public_texts()):
            raise CaseStudyError(
                "Resolve the personal data check first: the submitter approves the words that "
                "would be published."
            )
        now = timezone.now()
        recent = current.submitter_reviews.filter(asked_at__gte=now - timedelta(days=1)).count()
        if recent >= MAX_REQUESTS_PER_DAY:
            raise CaseStudyError(
                f"The submitter has been sent {recent} links in the last day. Wait before "
                "sending another, so they are not flooded with email."
            )
        review = SubmitterReview.objects.create(
            case_study=current,
            asked_by=actor.user,
            asked_by_label=actor.name[:254],
            asked_at=now,
            expires_at=now + timedelta(days=review_days()),
            content_hash=content_hash(current),
            snapshot={**current.public_texts(), "attribution": current.attribution},
        )
        _record(
            current,
            actor,
            "sent to the submitter",
            f"answer due by {timezone.localtime(review.expires_at):%-d %B %Y}",
        )
        return review


def email_not_sent(review: SubmitterReview, actor: Actor) -> None:
    with transaction.atomic():
        SubmitterReview.objects.filter(pk=review.pk).update(answer=SubmitterReview.Answer.NOT_SENT)
        _record(_locked(review.case_study), actor, "email to the submitter failed")


def submitter_viewed(review: SubmitterReview) -> None:
    """The first time the submitter opens their link (each request), recorded once."""
    with transaction.atomic():
        updated = SubmitterReview.objects.filter(pk=review.pk, first_viewed_at__isnull=True).update(
            first_viewed_at=timezone.now()
        )
        if updated:
            _record(
                _locked(review.case_study), Actor(label=SUBMITTER_ACTOR), "submitter opened link"
            )


def answer_as_submitter(
    review: SubmitterReview, approve: bool, comment: str = "", actor_label: str = SUBMITTER_ACTOR
) -> SubmitterReview:
    """The submitter's answer: approve these words, or ask for changes (a comment says which).
    Asking for changes takes the case study back to draft."""
    comment = (comment or "").strip()[:2000]
    if not approve and not comment:
        raise CaseStudyError("Tell us what you would like changed.")
    with transaction.atomic():
        current = _locked(review.case_study)
        row = SubmitterReview.objects.select_for_update().get(pk=review.pk)
        if row.answer != SubmitterReview.Answer.WAITING:
            raise CaseStudyError(
                "You have already answered. Contact the programme team to change it."
            )
        row.answer = SubmitterReview.Answer.APPROVED if approve else SubmitterReview.Answer.CHANGES
        row.answered_at = timezone.now()
        row.comment = "" if approve else comment
        row.save(update_fields=["answer", "answered_at", "comment"])
        note = ""
        if not approve:
            note = comment
            if current.status in (Status.IN_REVIEW, Status.APPROVED):
                current.status = Status.DRAFT
                current.version += 1
                current.save()
        _record(
            current,
            Actor(label=actor_label),
            "submitter approved" if approve else "submitter asked for changes",
            note,
        )
        return row


# --- withdrawal of consent -----------------------------------------------------------------
# The withdrawal link's token is intake's (inpractice/intake/withdrawal.py), because the receipt
# email carries it; `withdrawal_token` and `submission_for_token` are imported from there above.


def withdraw_consent(submission: Submission, actor: Actor) -> CaseStudy | None:
    """The submitter no longer consents: record it, and take any case study down for good."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.consent_publication != PublicationConsent.NO:
            submission.consent_publication = PublicationConsent.NO
            submission.save(update_fields=["consent_publication", "updated_at"])
        case_study = CaseStudy.objects.select_for_update().filter(submission=submission).first()
        if case_study is None or case_study.status == Status.WITHDRAWN:
            return case_study
        if case_study.status == Status.PUBLISHED:
            bump_generation()  # in the same transaction: readers see both or neither
        case_study.status = Status.WITHDRAWN
        case_study.withdrawn_at = timezone.now()
        case_study.version += 1
        case_study.save()
        _record(case_study, actor, "withdrawn", "consent to publication withdrawn")
        return case_study


def need_area_label(key: str) -> str:
    return NEED_AREAS.get(key, (key, ()))[0]
