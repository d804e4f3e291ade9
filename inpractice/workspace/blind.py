"""Who is blind to what while a double-coding sample is open.

A sample is *open* until both its coders have pressed "I have finished coding this sample". While
it is open, its two coders may see its submissions only in the blind view: no model proposals,
no one else's codes or memos, no one else's changes in the history, and none of its submissions
in their queue, evidence lists or the passages and quotes listed on the theme, quote and mention
pages. Everyone else (other analysts, the lead who resolves, programme admins) sees the
submissions as usual; the coders cannot reach what they see.

Everything here is a database subquery, so the queue and evidence pages stay one query each.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from inpractice.intake.models import Submission

from .models import DoubleCodingSample


def open_samples(call) -> QuerySet:
    """The call's samples that at least one coder has not finished yet."""
    return DoubleCodingSample.objects.filter(call=call).filter(
        Q(finished_a_at__isnull=True) | Q(finished_b_at__isnull=True)
    )


def blind_samples(call, user) -> QuerySet:
    """The open samples this person codes."""
    if user is None or not getattr(user, "pk", None):
        return DoubleCodingSample.objects.none()
    return open_samples(call).filter(Q(coder_a=user) | Q(coder_b=user))


def blind_submission_ids(call, user) -> QuerySet:
    """Submission ids (a subquery) this person may open only in the blind view."""
    through = DoubleCodingSample.submissions.through
    return through.objects.filter(doublecodingsample__in=blind_samples(call, user)).values(
        "submission_id"
    )


def blind_sample_for(call, user, submission) -> DoubleCodingSample | None:
    """The open sample in which this person codes this submission blind, or None."""
    return (
        blind_samples(call, user)
        .filter(submissions=submission)
        .order_by("created_at", "pk")
        .first()
    )


def without_blind_examples(changes: dict | None, call, user) -> dict | None:
    """A run's "what changed" summary without the example passages of submissions this person
    codes blind (the examples say which passages the model codes with what)."""
    if not changes:
        return changes
    hidden = Submission.objects.filter(pk__in=blind_submission_ids(call, user))
    refs = {str(x) for pair in hidden.values_list("reference", "pk") for x in pair if x}
    if not refs:
        return changes
    codes = []
    for c in changes.get("codes", []):
        c = dict(c)
        for key in ("gained_examples", "lost_examples"):
            c[key] = [e for e in c.get(key, []) if str(e.get("submission")) not in refs]
        codes.append(c)
    return {**changes, "codes": codes}
