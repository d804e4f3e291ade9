"""Changes to one submission: code words, decide on a proposal, remove a code, write a memo, mark
as reviewed, assign, undo. Each goes through `actions` (version-checked, with events): a stale page
shows what changed instead (409), bad input the page with its errors (400)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inpractice.coding.models import Passage
from inpractice.coding.runs import current_run

from .. import actions
from ..access import call_for, is_lead
from ..blind import blind_sample_for
from ..forms import (
    AcceptProposalsForm,
    AssignmentForm,
    MemoForm,
    PassageCodeForm,
    SpanCodeForm,
)
from ..metrics import code_names, current_codebook
from ..models import Event
from .common import require_lead, without_blind_codes, workspace_role
from .submission import (
    answer_fields,
    sample_for,
    submission_for,
    submission_page,
    to_blind_view,
    visible_codings,
)

MISSING_VERSION = "The form was missing its version: reload the page."
MAX_OCCURRENCES = 50  # more than this and the person is asked for more of the words


def _back(call, sub, sample, anchor: str = "") -> str:
    """The submission's page, at `anchor` (e.g. "passage-12"): the page focuses the element
    with that id (focus.mjs), so after a change a keyboard user is back where they were."""
    if sample is not None:
        url = reverse("workspace:sample_submission", args=[call.slug, sample.pk, sub.pk])
    else:
        url = reverse("workspace:submission", args=[call.slug, sub.pk])
    return f"{url}#{anchor}" if anchor else url


def passage_anchor(passage) -> str:
    return f"passage-{passage.pk}"


def answer_anchor(field: str) -> str:
    return f"answer-{field}"


def _conflict(request, call, sub, sample, exc: actions.Conflict):
    changes = without_blind_codes(
        Event.objects.filter(submission=sub).exclude(actor=request.user).select_related("actor"),
        call,
        request.user,
    )[: max(1, exc.review.version - exc.seen)]
    return render(
        request,
        "workspace/conflict.html",
        {"call": call, "submission": sub, "changes": changes, "back": _back(call, sub, sample)},
        status=409,
    )


def _act(request, call, sub, sample, form_key, form, perform):
    """Run a change; on a stale page show the conflict, on bad input the page with errors.

    `perform` returns the message, or (message, anchor) to come back to that place."""
    if not form.is_valid():
        return submission_page(request, call, sub, sample, {form_key: form}, status=400)
    try:
        done = perform(form.cleaned_data)
    except actions.Conflict as exc:
        return _conflict(request, call, sub, sample, exc)
    except actions.ActionError as exc:
        form.add_error(None, str(exc))
        return submission_page(request, call, sub, sample, {form_key: form}, status=400)
    if done is None:  # perform asked the person something (the form shows the question)
        return submission_page(request, call, sub, sample, {form_key: form}, status=400)
    message, anchor = done if isinstance(done, tuple) else (done, "")
    messages.success(request, message)
    return redirect(_back(call, sub, sample, anchor))


def _run(request, call, sub, sample, change, message: str, anchor: str = ""):
    """Run a change without a form: a conflict shows the page, an error a message."""
    try:
        change()
    except actions.Conflict as exc:
        return _conflict(request, call, sub, sample, exc)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return redirect(_back(call, sub, sample, anchor))
    messages.success(request, message)
    return redirect(_back(call, sub, sample, anchor))


class BlindOnly(Exception):
    """A coder of an open sample posted to the ordinary page of one of its submissions."""

    def __init__(self, call, sub, sample):
        super().__init__(sample.name)
        self.call, self.sub, self.sample = call, sub, sample


def refuses_open_view_to_blind_coders(view):
    """Answer a change posted to the ordinary page by a coder of an open sample that holds the
    submission with the blind view and a message, saving nothing."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BlindOnly as blind:
            return to_blind_view(request, blind.call, blind.sub, blind.sample, refused=True)

    return wrapped


def _posted(request, slug, pk, sample_pk):
    call = call_for(request.user, slug)
    sub = submission_for(call, pk)
    sample = sample_for(request, call, sample_pk)
    if sample is None:
        blind = blind_sample_for(call, request.user, sub)
        if blind is not None:
            raise BlindOnly(call, sub, blind)
    else:
        if not sample.submissions.filter(pk=sub.pk).exists():
            raise PermissionDenied
        if sample.finished_by(request.user):
            raise PermissionDenied  # a finished coder's codes are frozen for the comparison
    return call, sub, sample


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@workspace_role
@require_POST
@refuses_open_view_to_blind_coders
def code_span(request, slug: str, pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    form = SpanCodeForm(request.POST, call=call, fields=answer_fields(call, sub))

    def perform(data):
        text = actions.field_text(sub, data["field"])
        found = actions.occurrences(text, data["words"])
        if len(found) > 1 and not data.get("occurrence"):
            if len(found) > MAX_OCCURRENCES:
                raise actions.ActionError(
                    f"Those words appear {len(found)} times in this answer: add some of the "
                    "words around them, so there are fewer to choose from"
                )
            form.ask_occurrence([actions.in_context(text, span) for span in found])
            return None
        start, end = actions.locate(text, data["words"], data.get("occurrence") or 1)
        passage = None
        run = current_run(call)
        if run is not None:
            passage = Passage.objects.filter(
                run=run, submission=sub, field=data["field"], start__lte=start, end__gte=end
            ).first()
        actions.apply_code(
            sub,
            request.user,
            data["version"],
            field=data["field"],
            start=start,
            end=end,
            code_id=data["code"],
            passage=passage,
            sample=sample,
        )
        name = code_names(current_codebook(call)).get(data["code"], data["code"])
        where = passage_anchor(passage) if passage else answer_anchor(data["field"])
        return f"Coded “{text[start:end][:80]}” as {name}.", where

    return _act(request, call, sub, sample, "span", form, perform)


@workspace_role
@require_POST
@refuses_open_view_to_blind_coders
def decide(request, slug: str, pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    form = PassageCodeForm(request.POST, call=call)

    def perform(data):
        passage = get_object_or_404(Passage, pk=data["passage"], submission=sub)
        actions.decide_proposal(
            sub,
            request.user,
            data["version"],
            passage=passage,
            code_id=data["code"],
            decision=data["decision"],
            new_code_id=data.get("new_code") or "",
            sample=sample,
        )
        names = code_names(current_codebook(call))
        verb = {"accept": "Accepted", "reject": "Rejected", "change": "Changed"}[data["decision"]]
        extra = f" to {names.get(data['new_code'], '')}" if data["decision"] == "change" else ""
        code = names.get(data["code"], data["code"])
        return f"{verb} {code}{extra} on passage {passage.index + 1}.", passage_anchor(passage)

    return _act(request, call, sub, sample, "decide", form, perform)


@workspace_role
@require_POST
@refuses_open_view_to_blind_coders
def accept_proposals(request, slug: str, pk: int):
    """Accept every open proposal of a passage, or of the submission at or above a probability.

    There is no blind-sample address for this: a blind coder sees no proposals, and a post to
    the ordinary page by a coder of an open sample is refused (`_posted`)."""
    call, sub, sample = _posted(request, slug, pk, None)
    form = AcceptProposalsForm(request.POST)

    def perform(data):
        passage = None
        if data.get("passage"):
            passage = get_object_or_404(Passage, pk=data["passage"], submission=sub)
        made = actions.accept_proposals(
            sub,
            request.user,
            data["version"],
            run=current_run(call),
            passage=passage,
            min_probability=data.get("min_probability"),
            sample=sample,
        )
        n = len(made)
        noun = "proposal" if n == 1 else "proposals"
        if passage is not None:
            return f"Accepted {n} {noun} on passage {passage.index + 1}.", passage_anchor(passage)
        passages = len({c.passage_id for c in made})
        at = data.get("min_probability")
        level = f" at {at:.2f} or above" if at is not None else ""
        return (
            f"Accepted {n} {noun}{level} on {passages} passage{'' if passages == 1 else 's'}.",
            "accept-all",
        )

    return _act(request, call, sub, sample, "accept", form, perform)


@workspace_role
@require_POST
@refuses_open_view_to_blind_coders
def remove(request, slug: str, pk: int, coding_pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    coding = get_object_or_404(visible_codings(sub, request.user, sample), pk=coding_pk)
    if coding.coder_id != request.user.pk and not is_lead(request.user):
        raise PermissionDenied
    field = PassageCodeForm.base_fields["version"]
    try:
        version = field.clean(request.POST.get("version"))
    except Exception:  # noqa: BLE001 - any malformed version is a bad request
        return HttpResponse(MISSING_VERSION, status=400)
    return _run(
        request,
        call,
        sub,
        sample,
        lambda: actions.remove_coding(coding, request.user, version),
        f"Removed the code from “{coding.text[:80]}”.",
        answer_anchor(coding.field),
    )


@workspace_role
@require_POST
@refuses_open_view_to_blind_coders
def memo(request, slug: str, pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    form = MemoForm(request.POST, call=call)

    def perform(data):
        passage = None
        if data["target"] == "passage":
            passage = get_object_or_404(Passage, pk=data["passage"], submission=sub)
        memo_done = ("Memo saved.", passage_anchor(passage) if passage else "memos")
        actions.write_memo(
            sub,
            request.user,
            data["version"],
            text=data["text"],
            target=data["target"],
            passage=passage,
            code_id=data.get("code") or "",
        )
        return memo_done

    return _act(request, call, sub, sample, "memo", form, perform)


@workspace_role
@require_POST
@refuses_open_view_to_blind_coders
def mark_reviewed(request, slug: str, pk: int):
    call, sub, _sample = _posted(request, slug, pk, None)
    reviewed = request.POST.get("reviewed") == "yes"
    version = _version(request)
    if version is None:
        return HttpResponse(MISSING_VERSION, status=400)
    return _run(
        request,
        call,
        sub,
        None,
        lambda: actions.set_reviewed(sub, request.user, version, reviewed),
        "Marked as reviewed." if reviewed else "Marked as not reviewed yet.",
    )


@workspace_role
@require_POST
@refuses_open_view_to_blind_coders
def assign(request, slug: str, pk: int):
    call, sub, _sample = _posted(request, slug, pk, None)
    require_lead(request.user)
    form = AssignmentForm(request.POST)
    version = _version(request)
    if not form.is_valid() or version is None:
        messages.error(request, "Choose an analyst to assign.")
        return redirect(_back(call, sub, None))
    user = form.cleaned_data["user"]
    return _run(
        request,
        call,
        sub,
        None,
        lambda: actions.assign(sub, request.user, version, user),
        f"Assigned to {user.username}.",
    )


@workspace_role
@require_POST
@refuses_open_view_to_blind_coders
def undo(request, slug: str, pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    event = actions.last_undoable(sub, request.user)
    version = _version(request)
    if event is None or version is None:
        messages.error(request, "There is nothing of yours to undo on this submission.")
        return redirect(_back(call, sub, sample))
    return _run(
        request, call, sub, sample, lambda: actions.undo(event, request.user, version), "Undone."
    )
