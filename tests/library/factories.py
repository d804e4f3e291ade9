"""Submissions and case studies for the library's tests (and the permission matrix)."""

from __future__ import annotations

from django.utils import timezone

from inpractice.intake.models import Submission, SubmissionStatus, new_reference
from inpractice.library import services
from inpractice.library.models import CaseStudy

ACTOR = services.Actor(label="test moderator")
PLANTED_EMAIL = "jo.bloggs@oakfield.sch.uk"
PLANTED_NAME = "Mrs Higginbottom"


def make_submission(call, consent: str = "named", **fields) -> Submission:
    values = {
        "respondent_name": "Ada Respondent",
        "respondent_email": "ada.respondent@example.org",
        "respondent_role": "SENCO",
        "organisation_name": "Oakfield Primary School",
        "organisation_type": "school",
        "title": "Visual timetables for pupils with ASD",
        "need_description": "Autistic pupils who find unexpected changes distressing.",
        "need_codes": ["ASD"],
        "practice_types": ["other"],
        "phases": ["primary"],
        "answers": {
            "practice": "Every class uses visual timetables for pupils with ASD, so changes to "
            "the day are shown in pictures before they happen.",
            "impact": "Fewer incidents at transitions between lessons.",
            "enablers": "Training for every teaching assistant.",
            "advice": "Start small and involve families.",
        },
    }
    values.update(fields)
    token, token_hash = Submission.new_token()
    return Submission.objects.create(
        call=call,
        status=SubmissionStatus.SUBMITTED,
        reference=new_reference(),
        submitted_at=timezone.now(),
        resume_token_hash=token_hash,
        consent_publication=consent,
        **values,
    )


def make_case_study(call, status: str = "published", consent: str = "named", **values) -> CaseStudy:
    """A case study taken to `status` the way moderators and the submitter would: each finding
    replaced by its first suggested words, the submitter's approval (for in review and beyond),
    a second moderator's approval, then publication."""
    fields = values.pop("submission_fields", {})
    submission = make_submission(call, consent, **fields)
    case_study = services.draft_case_study(submission, ACTOR, values or None)
    if status == "draft":
        return case_study
    replacements = services.suggested_replacements(case_study)
    if replacements:
        services.replace_findings(case_study, replacements, ACTOR)
    approve_as_submitter(case_study)
    steps = {
        "in_review": ["submit_for_review"],
        "approved": ["submit_for_review", "approve"],
        "published": ["submit_for_review", "approve", "publish"],
        "unpublished": ["submit_for_review", "approve", "publish", "unpublish"],
        "withdrawn": ["submit_for_review", "approve", "publish"],
    }[status]
    for action in steps:
        case_study = services.transition(case_study, action, ACTOR)
    if status == "withdrawn":
        services.withdraw_consent(submission, services.Actor(label="the submitter"))
    case_study.refresh_from_db()
    return case_study


def approve_as_submitter(case_study: CaseStudy) -> None:
    """The submitter approves the words as they are now, as by their emailed link."""
    review = services.ask_submitter(case_study, ACTOR)
    services.answer_as_submitter(review, approve=True)


def matrix_sample(world):
    """Case studies for the permission matrix (tests/test_permission_matrix.py), made once per
    `world`: a published one (public pages), a draft (moderator pages), a response that may be
    drafted, and its consent-withdrawal token and a draft's link to check it (the submitter holds
    the real ones)."""
    sample = getattr(world, "library", None)
    if sample is None:
        from types import SimpleNamespace

        published = make_case_study(world.call, "published", title="Matrix published")
        draft = make_case_study(world.call, "draft", title="Matrix draft")
        waiting = make_submission(world.call, "named", title="Matrix waiting")
        checking = make_case_study(world.call, "draft", title="Matrix checking")
        replacements = services.suggested_replacements(checking)
        if replacements:
            services.replace_findings(checking, replacements, ACTOR)
        review = services.ask_submitter(checking, ACTOR)
        sample = SimpleNamespace(
            published=published,
            draft=draft,
            waiting=waiting,
            token=services.withdrawal_token(waiting),
            review_token=services.submitter_token(review),
        )
        world.library = sample
    return sample
