"""What an analyst can do to a submission, each as one transaction that writes an Event.

Every function takes the submission version the analyst's page was drawn from. Under a row lock
on the submission's review it checks that nobody changed the submission since; if someone did, it
raises `Conflict` and changes nothing, so two analysts never overwrite each other silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from uuid import uuid4

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inpractice.coding.models import CodeApplication, Passage
from inpractice.intake.models import Submission

from . import codebook_editing as cbe
from .events import record
from .metrics import current_codebook
from .models import Coding, DoubleCodingSample, Event, Memo, SubmissionReview


class Conflict(Exception):
    """The submission changed since the analyst's page was drawn."""

    def __init__(self, review: SubmissionReview, seen: int):
        self.review, self.seen = review, seen
        super().__init__(f"submission changed: version {review.version}, page drawn at {seen}")


class ActionError(ValueError):
    """A request that cannot be carried out as asked (said in words a person can act on)."""


def field_text(submission: Submission, field: str) -> str:
    if field == "need_description":
        return submission.need_description
    return submission.answer(field)


def review_for(submission: Submission) -> SubmissionReview:
    review, _ = SubmissionReview.objects.get_or_create(
        submission=submission, defaults={"call": submission.call}
    )
    return review


@dataclass
class Change:
    """An open, version-checked change to one submission (use via `change()`)."""

    review: SubmissionReview
    actor: object

    def event(self, kind: str, target: str, before=None, after=None) -> Event:
        return record(
            self.review.call,
            self.actor,
            kind,
            target,
            before,
            after,
            submission=self.review.submission,
        )


class change:  # noqa: N801 - used as a context manager, reads as a verb
    """`with change(submission, user, seen_version) as c:` — lock, check, bump the version."""

    def __init__(self, submission: Submission, actor, seen_version: int | None):
        self.submission, self.actor, self.seen = submission, actor, seen_version

    def __enter__(self) -> Change:
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        try:
            review_for(self.submission)
            review = SubmissionReview.objects.select_for_update().get(submission=self.submission)
            if self.seen is not None and review.version != self.seen:
                raise Conflict(review, self.seen)
        except BaseException as exc:
            self._atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise
        self.review = review
        return Change(review, self.actor)

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.review.version += 1
            self.review.save(update_fields=["version"])
        return self._atomic.__exit__(exc_type, exc, tb)


def coding_state(coding: Coding) -> dict:
    return {
        "id": coding.pk,
        "field": coding.field,
        "start": coding.start,
        "end": coding.end,
        "code_id": coding.code_id,
        "decision": coding.decision,
        "active": coding.active,
        "sample": coding.sample_id,
    }


def occurrences(text: str, words: str) -> list[tuple[int, int]]:
    """Code-point spans of every occurrence of `words` in `text` (whitespace-tolerant)."""
    needle = " ".join(words.split())
    if not needle:
        return []
    # Compare on a whitespace-collapsed copy, keeping a map back to the original offsets.
    collapsed, offsets = [], []
    previous_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if previous_space:
                continue
            previous_space = True
            collapsed.append(" ")
        else:
            previous_space = False
            collapsed.append(ch)
        offsets.append(i)
    haystack = "".join(collapsed)
    spans, at = [], haystack.find(needle)
    while at != -1:
        spans.append((offsets[at], offsets[at + len(needle) - 1] + 1))
        at = haystack.find(needle, at + 1)
    return spans


def locate(text: str, words: str, occurrence: int = 1) -> tuple[int, int]:
    """Code-point span of the n-th occurrence of `words` in `text` (whitespace-tolerant)."""
    if not " ".join(words.split()):
        raise ActionError("Enter the exact words to code")
    spans = occurrences(text, words)
    if not spans:
        raise ActionError("Those words are not in this answer: copy them exactly as written")
    if not 1 <= occurrence <= len(spans):
        raise ActionError(f"Those words appear {len(spans)} times: choose which one to code")
    return spans[occurrence - 1]


def in_context(text: str, span: tuple[int, int], width: int = 40) -> tuple[str, str, str]:
    """The words at `span` with up to `width` characters either side (cut at a space), for a
    person to tell one occurrence from another."""
    start, end = span
    before, after = text[max(0, start - width) : start], text[end : end + width]
    if start > width and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if end + width < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return " ".join(before.split()), text[start:end], " ".join(after.split())


def count_occurrences(text: str, words: str) -> int:
    return len(occurrences(text, words))


def apply_code(
    submission: Submission,
    actor,
    seen_version: int | None,
    *,
    field: str,
    start: int,
    end: int,
    code_id: str,
    passage: Passage | None = None,
    origin: str = Coding.Origin.MANUAL,
    decision: str = Coding.Decision.APPLIED,
    sample: DoubleCodingSample | None = None,
) -> Coding:
    text = field_text(submission, field)
    if not (0 <= start < end <= len(text)):
        raise ActionError("That span is not inside the answer")
    with change(submission, actor, seen_version) as c:
        existing = Coding.objects.filter(
            submission=submission,
            field=field,
            start=start,
            end=end,
            code_id=code_id,
            coder=actor,
            sample=sample,
            active=True,
        ).first()
        if existing is not None:
            if existing.decision == decision:
                raise ActionError("You have already recorded that code on those words")
            before = coding_state(existing)
            existing.active = False
            existing.save(update_fields=["active"])
            c.event("coding.removed", f"coding:{existing.pk}", before, coding_state(existing))
        coding = Coding.objects.create(
            call=submission.call,
            submission=submission,
            field=field,
            start=start,
            end=end,
            text=text[start:end],
            code_id=code_id,
            decision=decision,
            origin=origin,
            coder=actor,
            passage=passage,
            sample=sample,
        )
        kind = "coding.rejected" if decision == Coding.Decision.REJECTED else "coding.applied"
        c.event(kind, f"coding:{coding.pk}", None, coding_state(coding))
    return coding


def decide_proposal(
    submission: Submission,
    actor,
    seen_version: int | None,
    *,
    passage: Passage,
    code_id: str,
    decision: str,
    new_code_id: str = "",
    sample: DoubleCodingSample | None = None,
) -> list[Coding]:
    """Accept, reject or change the model's code on a passage (one transaction)."""
    if passage.submission_id != submission.pk:
        raise ActionError("That passage is not part of this submission")
    span = {"field": passage.field, "start": passage.start, "end": passage.end}
    with transaction.atomic():
        if decision == "accept":
            return [
                apply_code(
                    submission,
                    actor,
                    seen_version,
                    **span,
                    code_id=code_id,
                    passage=passage,
                    origin=Coding.Origin.PROPOSAL,
                    sample=sample,
                )
            ]
        rejected = apply_code(
            submission,
            actor,
            seen_version,
            **span,
            code_id=code_id,
            passage=passage,
            origin=Coding.Origin.PROPOSAL,
            decision=Coding.Decision.REJECTED,
            sample=sample,
        )
        if decision == "reject":
            return [rejected]
        if decision != "change" or not new_code_id or new_code_id == code_id:
            raise ActionError("Choose the code to use instead")
        # The first apply bumped the version; the second is part of the same action.
        changed = apply_code(
            submission,
            actor,
            None,
            **span,
            code_id=new_code_id,
            passage=passage,
            origin=Coding.Origin.PROPOSAL,
            sample=sample,
        )
        return [rejected, changed]


def decided_proposals(submission: Submission) -> set[tuple[int, str]]:
    """(passage id, code id) of the proposals someone has accepted, rejected or changed, as the
    ordinary page shows them (codes made inside a blind sample do not count, consensus ones do)."""
    return set(
        Coding.objects.filter(submission=submission, active=True, passage__isnull=False)
        .filter(Q(sample__isnull=True) | Q(origin=Coding.Origin.CONSENSUS))
        .values_list("passage_id", "code_id")
    )


def open_proposals(submission: Submission, run, *, passage=None, min_probability=None) -> list:
    """The model's proposals on a submission that nobody has decided yet, at or above
    `min_probability` (None: every proposal shown, i.e. at or above each code's own threshold),
    in reading order; only codes of the working codebook."""
    if run is None:
        return []
    apps = CodeApplication.objects.filter(run=run, passage__submission=submission, applied=True)
    if passage is not None:
        apps = apps.filter(passage=passage)
    if min_probability is not None:
        apps = apps.filter(probability__gte=min_probability)
    codes = {c.id for c in current_codebook(submission.call).walk()}
    decided = decided_proposals(submission)
    apps = apps.select_related("passage").order_by("passage__index", "-probability", "code_id")
    return [a for a in apps if a.code_id in codes and (a.passage_id, a.code_id) not in decided]


def accept_proposals(
    submission: Submission,
    actor,
    seen_version: int | None,
    *,
    run,
    passage: Passage | None = None,
    min_probability: float | None = None,
    sample: DoubleCodingSample | None = None,
) -> list[Coding]:
    """Accept every open proposal of one passage, or of the whole submission, at or above
    `min_probability`, as one version-checked change.

    Each acceptance is the same `Coding` row and `coding.applied` event as a single Accept; the
    events share a `batch` id, so "Undo your last change" undoes them together. Refused inside a
    blind double-coding sample, where nobody sees the model's proposals.
    """
    if sample is not None:
        raise ActionError(
            "The model's proposals are not shown in blind double coding, so none can be accepted"
        )
    if passage is not None and passage.submission_id != submission.pk:
        raise ActionError("That passage is not part of this submission")
    if min_probability is not None and not 0 <= min_probability <= 1:
        raise ActionError("Enter a probability between 0 and 1, like 0.8")
    batch = uuid4().hex[:16]
    made = []
    with change(submission, actor, seen_version) as c:
        todo = open_proposals(submission, run, passage=passage, min_probability=min_probability)
        if not todo:
            raise ActionError("There are no proposals left to accept at that probability")
        for app in todo:
            p = app.passage
            coding = Coding.objects.create(
                call=submission.call,
                submission=submission,
                field=p.field,
                start=p.start,
                end=p.end,
                text=p.text,
                code_id=app.code_id,
                decision=Coding.Decision.APPLIED,
                origin=Coding.Origin.PROPOSAL,
                coder=actor,
                passage=p,
            )
            after = {**coding_state(coding), "batch": batch, "probability": app.probability}
            c.event("coding.applied", f"coding:{coding.pk}", None, after)
            made.append(coding)
    return made


def remove_coding(coding: Coding, actor, seen_version: int | None) -> None:
    with change(coding.submission, actor, seen_version) as c:
        coding = Coding.objects.select_for_update().get(pk=coding.pk)
        if not coding.active:
            raise ActionError("That code has already been removed")
        before = coding_state(coding)
        coding.active = False
        coding.save(update_fields=["active"])
        c.event("coding.removed", f"coding:{coding.pk}", before, coding_state(coding))


def write_memo(
    submission: Submission,
    actor,
    seen_version: int | None,
    *,
    text: str,
    target: str,
    passage: Passage | None = None,
    code_id: str = "",
) -> Memo:
    text = text.strip()
    if not text:
        raise ActionError("Enter the memo")
    with change(submission, actor, seen_version) as c:
        memo = Memo.objects.create(
            call=submission.call,
            target=target,
            submission=submission,
            passage=passage,
            code_id=code_id,
            text=text,
            author=actor,
        )
        c.event(
            "memo.written",
            f"memo:{memo.pk}",
            None,
            {"id": memo.pk, "target": target, "code_id": code_id, "text": text, "active": True},
        )
    return memo


def set_reviewed(submission: Submission, actor, seen_version: int | None, reviewed: bool) -> None:
    with change(submission, actor, seen_version) as c:
        review = c.review
        before = {"reviewed": review.reviewed, "reviewed_by": review.reviewed_by_id}
        review.reviewed = reviewed
        review.reviewed_by = actor if reviewed else None
        review.reviewed_at = timezone.now() if reviewed else None
        review.save(update_fields=["reviewed", "reviewed_by", "reviewed_at"])
        c.event(
            "submission.reviewed" if reviewed else "submission.reopened",
            f"submission:{submission.pk}",
            before,
            {"reviewed": reviewed, "reviewed_by": review.reviewed_by_id},
        )


def assign(submission: Submission, actor, seen_version: int | None, assignee) -> None:
    with change(submission, actor, seen_version) as c:
        before = {"assigned_to": c.review.assigned_to_id}
        c.review.assigned_to = assignee
        c.review.save(update_fields=["assigned_to"])
        c.event(
            "submission.assigned",
            f"submission:{submission.pk}",
            before,
            {"assigned_to": assignee.pk if assignee else None},
        )


def assign_many(call, actor, versions: dict[int, int], assignee) -> list[Submission]:
    """Assign several submissions to one analyst in one transaction: one `submission.assigned`
    event each, each version-checked (`versions`: submission id -> the version the queue was
    drawn with); one conflict refuses them all."""
    subs = list(
        Submission.objects.filter(call=call, pk__in=list(versions)).order_by("reference", "pk")
    )
    if len(subs) != len(versions):
        raise ActionError("Some of those submissions are not in this call's queue")
    with transaction.atomic():
        for sub in subs:
            assign(sub, actor, versions[sub.pk], assignee)
    return subs


UNDOABLE = {
    "coding.applied",
    "coding.rejected",
    "coding.removed",
    "memo.written",
    "submission.reviewed",
    "submission.reopened",
    "submission.assigned",
}


def last_undoable(submission: Submission, actor) -> Event | None:
    return (
        Event.objects.filter(
            submission=submission, actor=actor, kind__in=UNDOABLE, undone_by__isnull=True
        )
        .exclude(undoes__isnull=False)
        .order_by("-at", "-id")
        .first()
    )


def undo(event: Event, actor, seen_version: int | None) -> Event:
    """Put back the state before `event`, as a new event (so undo is itself in the history).

    An acceptance made with others in one action ("accept all") is undone with all of them."""
    if event.actor_id != actor.pk:
        raise ActionError("You can only undo your own changes")
    if event.kind not in UNDOABLE or hasattr(event, "undone_by"):
        raise ActionError("That change cannot be undone")
    submission = event.submission
    with change(submission, actor, seen_version) as c:
        events = [event]
        batch = (event.after or {}).get("batch") if event.kind == "coding.applied" else None
        if batch:
            events = list(
                Event.objects.filter(
                    submission=submission,
                    actor=actor,
                    kind="coding.applied",
                    after__batch=batch,
                    undone_by__isnull=True,
                ).order_by("id")
            )
        for undone in events:
            undo_event = _undo_one(c, undone)
    return undo_event


def _undo_one(c: Change, event: Event) -> Event:
    kind, pk = event.target.split(":")
    if kind == "coding":
        coding = Coding.objects.select_for_update().get(pk=int(pk))
        before = coding_state(coding)
        coding.active = bool((event.before or {}).get("active", False))
        coding.save(update_fields=["active"])
        after = coding_state(coding)
    elif kind == "memo":
        memo = Memo.objects.select_for_update().get(pk=int(pk))
        before = {"id": memo.pk, "active": memo.active}
        memo.active = False
        memo.save(update_fields=["active"])
        after = {"id": memo.pk, "active": False}
    else:
        review = c.review
        before = {
            "reviewed": review.reviewed,
            "reviewed_by": review.reviewed_by_id,
            "assigned_to": review.assigned_to_id,
        }
        state = event.before or {}
        if "reviewed" in state:
            review.reviewed = state["reviewed"]
            review.reviewed_by_id = state.get("reviewed_by")
            review.reviewed_at = timezone.now() if review.reviewed else None
        if "assigned_to" in state:
            review.assigned_to_id = state["assigned_to"]
        review.save()
        after = {
            "reviewed": review.reviewed,
            "reviewed_by": review.reviewed_by_id,
            "assigned_to": review.assigned_to_id,
        }
    undo_event = c.event("undo", event.target, before, after)
    undo_event.undoes = event
    undo_event.save(update_fields=["undoes"])
    return undo_event


def merge_codes(call, actor, keep: str, merge: str, base_version: int | None):
    """Merge two codes in the codebook and move people's codings of the merged code to the kept
    one; one transaction, with an event per re-pointed coding. Each affected submission's version
    is bumped (`change`), so a page drawn before the merge is refused as a conflict.

    Returns the new `CodebookVersion` and how many codings moved."""
    with transaction.atomic():
        version = cbe.apply_change(
            call,
            actor,
            lambda cb: cbe.merge_codes(cb, keep, merge),
            f"Merged {merge} into {keep}",
            base_version,
            "codebook.merge",
            f"code:{merge}",
        )
        by_submission: dict[int, list[Coding]] = defaultdict(list)
        codings = Coding.objects.select_for_update().filter(call=call, code_id=merge)
        for coding in codings.select_related("submission").order_by("submission_id", "pk"):
            by_submission[coding.submission_id].append(coding)
        for moved in by_submission.values():
            with change(moved[0].submission, actor, None) as c:
                for coding in moved:
                    c.event(
                        "coding.recode",
                        f"coding:{coding.pk}",
                        before={"code_id": merge},
                        after={"code_id": keep, "reason": f"codebook v{version.number}: merged"},
                    )
                Coding.objects.filter(pk__in=[x.pk for x in moved]).update(code_id=keep)
    return version, sum(len(v) for v in by_submission.values())
