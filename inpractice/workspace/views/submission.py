"""Reading a submission: each answer passage by passage, with the model's proposals, people's
codes (highlighted and listed), memos and recent history; blind inside a double-coding sample."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from inpractice.coding.incremental import extendable
from inpractice.coding.models import CodeApplication, Passage, SubmissionResult
from inpractice.coding.runs import current_run

from .. import actions
from ..access import call_for, is_lead
from ..blind import blind_sample_for
from ..forms import AcceptProposalsForm, AssignmentForm, MemoForm, SpanCodeForm, code_choices
from ..metrics import code_names, current_codebook
from ..models import Coding, DoubleCodingSample, Event, Memo
from ..queue import submitted
from .common import without_blind_codes, workspace_role


def answer_fields(call, submission) -> list[tuple[str, str]]:
    fields = [("need_description", "The need")]
    fields += [(q["key"], q["label"]) for q in call.questions]
    return [(key, label) for key, label in fields if actions.field_text(submission, key)]


def _marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into (piece, coded?) so coded words can be marked up without |safe."""
    cuts = sorted({0, len(text), *[x for s in spans for x in s if 0 <= x <= len(text)]})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        coded = any(s < b and a < e for s, e in spans)
        pieces.append((text[a:b], coded))
    return pieces


def visible_codings(submission, user, sample: DoubleCodingSample | None):
    qs = Coding.objects.filter(submission=submission, active=True).select_related("coder")
    if sample is not None:
        # Blind: a coder sees only their own codes in the sample, never the other coder's.
        return qs.filter(sample=sample, coder=user)
    return qs.filter(Q(sample__isnull=True) | Q(origin=Coding.Origin.CONSENSUS))


def _fields(call, submission, run, codings, names, sample) -> list[dict]:
    """Each answer as blocks (one per passage) with its highlighted words and proposals."""
    passages = list(Passage.objects.filter(run=run, submission=submission)) if run else []
    proposals: dict[int, list] = defaultdict(list)
    if run is not None and sample is None:
        for app in CodeApplication.objects.filter(passage__in=passages, applied=True).order_by(
            "-probability"
        ):
            proposals[app.passage_id].append(app)
    decided = {(c.passage_id, c.code_id): c for c in codings if c.passage_id and c.coder_id}
    fields = []
    for key, label in answer_fields(call, submission):
        text = actions.field_text(submission, key)
        field_codings = [c for c in codings if c.field == key]
        applied = [(c.start, c.end) for c in field_codings if c.decision == "applied"]
        blocks = []
        for p in (p for p in passages if p.field == key):
            shown = [
                {
                    "app": a,
                    "name": names.get(a.code_id, a.code_id),
                    "decision": decided.get((p.pk, a.code_id)),
                }
                for a in proposals.get(p.pk, [])
            ]
            blocks.append(
                {
                    "passage": p,
                    "pieces": _marked(p.text, [(s - p.start, e - p.start) for s, e in applied]),
                    "proposals": shown,
                    # Open proposals of a code in the working codebook ("Accept all" takes these).
                    "open": sum(
                        1 for x in shown if not x["decision"] and x["app"].code_id in names
                    ),
                }
            )
        if not blocks:  # not analysed yet: the answer as one block, still codable by words
            blocks = [{"passage": None, "pieces": _marked(text, applied), "proposals": []}]
        fields.append(
            {
                "key": key,
                "label": label,
                "blocks": blocks,
                "codings": [
                    {"coding": c, "name": names.get(c.code_id, c.code_id)} for c in field_codings
                ],
            }
        )
    return fields


def submission_page(request, call, submission, sample=None, forms_with_errors=None, status=200):
    """The submission page; `forms_with_errors` ({"span"/"memo"/…: form}) are shown as posted."""
    run = current_run(call)
    review = actions.review_for(submission)
    names = code_names(current_codebook(call))
    codings = list(visible_codings(submission, request.user, sample))
    fields = _fields(call, submission, run, codings, names, sample)
    forms_with_errors = forms_with_errors or {}
    initial = {"version": review.version}
    span_form = forms_with_errors.get("span") or SpanCodeForm(
        call=call, fields=answer_fields(call, submission), initial=initial
    )
    memo_form = forms_with_errors.get("memo") or MemoForm(call=call, initial=initial, display=True)
    accept_form = forms_with_errors.get("accept") or AcceptProposalsForm(initial=initial)
    memos = Memo.objects.filter(submission=submission, active=True).select_related("author")
    if sample is not None:
        memos = memos.filter(author=request.user)
    history = without_blind_codes(
        Event.objects.filter(submission=submission).select_related("actor"), call, request.user
    )
    if sample is not None:
        history = history.filter(actor=request.user)
    context = {
        "call": call,
        "submission": submission,
        "review": review,
        "run": run,
        # A submission that arrived after the current run was made has no proposals: say so.
        "analysed": run is not None
        and SubmissionResult.objects.filter(run=run, submission=submission).exists(),
        # New submissions are added to a run coded by the shipped model (coding.incremental).
        "joins_run": extendable(run),
        "fields": fields,
        "span_form": span_form,
        "memo_form": memo_form,
        "accept_form": accept_form,
        "open_proposals": sum(b["open"] for f in fields for b in f["blocks"] if "open" in b),
        "any_proposals": any(b["proposals"] for f in fields for b in f["blocks"]),
        "memos": memos,
        "codes": code_choices(call),
        "sample": sample,
        "history": history[:10],
        "undoable": actions.last_undoable(submission, request.user),
        "lead": is_lead(request.user),
        "assign_form": AssignmentForm(initial={"user": review.assigned_to_id}),
        "errors": [f for f in forms_with_errors.values() if f.errors],
        "conflict": forms_with_errors.get("conflict"),
    }
    return render(request, "workspace/submission.html", context, status=status)


def submission_for(call, pk: int):
    return get_object_or_404(submitted(call), pk=pk)


def sample_for(request, call, pk: int | None) -> DoubleCodingSample | None:
    """The double-coding sample a coder is working in (None outside samples)."""
    if pk is None:
        return None
    sample = get_object_or_404(DoubleCodingSample, call=call, pk=pk)
    if not sample.is_coder(request.user):
        raise PermissionDenied
    return sample


def to_blind_view(request, call, submission, sample, *, refused: bool = False):
    """Send a coder of an open sample from the ordinary page to the blind one, saying why."""
    why = (
        f"{submission.reference} is in the double-coding sample “{sample.name}”, which you are "
        "coding blind: until both coders have finished the sample it opens only here, without "
        "the model's proposals or anyone else's codes."
    )
    if refused:
        messages.error(request, "Nothing was saved. " + why)
    else:
        messages.info(request, why)
    return redirect(
        reverse("workspace:sample_submission", args=[call.slug, sample.pk, submission.pk])
    )


@workspace_role
def submission(request: HttpRequest, slug: str, pk: int, sample_pk: int | None = None):
    call = call_for(request.user, slug)
    sub = submission_for(call, pk)
    sample = sample_for(request, call, sample_pk)
    if sample is None:
        blind = blind_sample_for(call, request.user, sub)
        if blind is not None:
            return to_blind_view(request, call, sub, blind)
    elif not sample.submissions.filter(pk=sub.pk).exists():
        raise PermissionDenied
    return submission_page(request, call, sub, sample)
