"""Programme admins make a call: details and window, questions, codebook, preview, open, close."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from inpractice.accounts.roles import role_required
from inpractice.analysis.codebook import CodebookError
from inpractice.intake.models import CallForEvidence, QuestionVersion
from inpractice.intake.window import closing_phrase, opening_phrase

from . import calls
from .call_forms import (
    CallDetailsForm,
    CodebookForm,
    NewCallForm,
    NewQuestionForm,
    QuestionEditForm,
)
from .forms import split_uk

ADMIN = "programme-admin"


def _call(slug: str) -> CallForEvidence:
    return get_object_or_404(CallForEvidence, slug=slug)


def _errors_to_form(form: forms.Form, error: calls.CallError) -> None:
    for where, what in error.problems:
        field = where if where in form.fields else None
        form.add_error(field, what[:1].upper() + what[1:])


@role_required(ADMIN)
def new_call(request: HttpRequest) -> HttpResponse:
    form = NewCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = calls.create_call(calls.Actor.of(request.user), title=form.cleaned_data["title"])
        messages.success(request, "Call created as a draft. Nobody can respond until you open it.")
        return redirect("staff:call", call.slug)
    status = 400 if form.errors else 200
    return render(request, "staff/calls/new.html", {"form": form}, status=status)


@role_required(ADMIN)
def call_overview(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    return render(
        request,
        "staff/calls/overview.html",
        {
            "call": call,
            "state": call.state(),
            "scheduled": calls.is_scheduled(call),
            "opens": opening_phrase(call.opens_at),
            "closes": closing_phrase(call.closes_at),
            "problems": dict(calls.problems_before_opening(call)),
            "changes": call.changes.all()[:20],
            "versions": QuestionVersion.objects.filter(call=call, version__gt=1).count(),
        },
    )


@role_required(ADMIN)
def call_details(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    if request.method == "POST":
        form = CallDetailsForm(request.POST)
        if form.is_valid():
            try:
                calls.update_call(call, calls.Actor.of(request.user), **form.cleaned_data)
            except calls.CallError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, "Call details saved.")
                return redirect("staff:call", call.slug)
    else:
        form = CallDetailsForm(
            initial={
                "title": call.title,
                "introduction": call.introduction,
                "consent_wording": call.consent_wording,
                "privacy_notice_url": call.privacy_notice_url,
                "opens_at": split_uk(call.opens_at),
                "closes_at": split_uk(call.closes_at),
            }
        )
    status = 400 if form.errors else 200
    return render(request, "staff/calls/details.html", {"call": call, "form": form}, status=status)


@role_required(ADMIN)
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    present = {q["key"] for q in call.questions}
    return render(
        request,
        "staff/calls/questions.html",
        {
            "call": call,
            "questions": [
                {**q, "answered": calls.answered(call, q["key"])} for q in call.questions
            ],
            "standard": [q for q in calls.STANDARD_QUESTIONS if q["key"] not in present],
        },
    )


def _save_questions(request, call, new_questions, success: str):
    try:
        changes = calls.update_call(call, calls.Actor.of(request.user), questions=new_questions)
    except calls.CallError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success + (f" ({'; '.join(changes)})" if changes else ""))
    return redirect("staff:call_questions", call.slug)


@role_required(ADMIN)
@require_POST
def add_standard_question(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    key = request.POST.get("key", "")
    question = next((q for q in calls.STANDARD_QUESTIONS if q["key"] == key), None)
    if question is None or call.question(key):
        raise Http404
    return _save_questions(request, call, [*call.questions, question], "Question added")


def _question_from(form: forms.Form, key: str) -> dict:
    data = form.cleaned_data
    return {
        "key": key,
        "label": data["label"],
        "hint": data["hint"],
        "type": data["type"],
        "max_length": data["max_length"],
        "required": data["optional"] != "yes",
    }


@role_required(ADMIN)
def add_question(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = NewQuestionForm(
        request.POST or None, call=call, initial={"type": "long", "max_length": 3000}
    )
    if request.method == "POST" and form.is_valid():
        question = _question_from(form, form.cleaned_data["key"])
        return _save_questions(request, call, [*call.questions, question], "Question added")
    status = 400 if form.errors else 200
    return render(
        request,
        "staff/calls/question.html",
        {"call": call, "form": form, "adding": True},
        status=status,
    )


@role_required(ADMIN)
def edit_question(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    call = _call(slug)
    current = call.question(key)
    if current is None:
        raise Http404
    form = QuestionEditForm(
        request.POST or None,
        initial={
            "label": current["label"],
            "hint": current.get("hint", ""),
            "type": current.get("type", "long"),
            "max_length": current.get("max_length", 5000),
            "optional": "no" if current.get("required", True) else "yes",
        },
    )
    if request.method == "POST" and form.is_valid():
        question = _question_from(form, key)
        new = [question if q["key"] == key else q for q in call.questions]
        return _save_questions(request, call, new, "Question saved")
    status = 400 if form.errors else 200
    return render(
        request,
        "staff/calls/question.html",
        {
            "call": call,
            "form": form,
            "question": current,
            "answered": calls.answered(call, key),
            "history": QuestionVersion.objects.filter(call=call, key=key),
        },
        status=status,
    )


@role_required(ADMIN)
@require_POST
def move_question(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    call = _call(slug)
    keys = [q["key"] for q in call.questions]
    if key not in keys:
        raise Http404
    i = keys.index(key)
    j = i - 1 if request.POST.get("direction") == "up" else i + 1
    if not 0 <= j < len(keys):
        return redirect("staff:call_questions", call.slug)
    new = list(call.questions)
    new[i], new[j] = new[j], new[i]
    return _save_questions(request, call, new, f"Moved ‘{call.questions[i]['label']}’")


@role_required(ADMIN)
@require_POST
def remove_question(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    call = _call(slug)
    if call.question(key) is None:
        raise Http404
    new = [q for q in call.questions if q["key"] != key]
    return _save_questions(request, call, new, "Question removed")


@role_required(ADMIN)
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    if request.method == "POST":
        form = CodebookForm(request.POST, request.FILES, call=call)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["source"] == "default":
                    book = calls.default_codebook_dict()
                elif data["source"] == "copy":
                    book = calls.codebook_copied_from(data["copy_from"])
                else:
                    upload = data["file"]
                    book = calls.codebook_from_upload(upload.name, upload.read())
                calls.update_call(call, calls.Actor.of(request.user), codebook=book)
            except CodebookError as exc:
                form.add_error("file" if data["source"] == "upload" else "source", str(exc))
            except calls.CallError as exc:
                form.add_error("source", "; ".join(m[:1].upper() + m[1:] for _, m in exc.problems))
            else:
                messages.success(request, f"The call now uses the codebook ‘{book['name']}’.")
                return redirect("staff:call", call.slug)
    else:
        form = CodebookForm(call=call)
    status = 400 if form.errors else 200
    return render(request, "staff/calls/codebook.html", {"call": call, "form": form}, status=status)


@role_required(ADMIN)
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    return render(
        request,
        "staff/calls/preview.html",
        {
            "call": call,
            "opens": opening_phrase(call.opens_at),
            "closes": closing_phrase(call.closes_at),
        },
    )


@role_required(ADMIN)
def open_call(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the call now or at its opening time; a scheduled call can be taken back to a draft."""
    call = _call(slug)
    problems = calls.problems_before_opening(call)
    now = timezone.now()
    later = call.opens_at > now
    error = ""
    if request.method == "POST":
        # Where the page offers a choice, nothing is assumed: the person must pick one.
        when = request.POST.get("when", "" if later else "now")
        actor = calls.Actor.of(request.user)
        try:
            if when == "draft":
                calls.unschedule_call(call, actor)
                messages.success(request, "The call is a draft again: it will not open by itself.")
            elif when == "scheduled":
                calls.open_call(call, actor, scheduled=True)
                messages.success(
                    request,
                    f"The call will open by itself at {opening_phrase(call.opens_at)} (UK time).",
                )
            elif when == "now":
                calls.open_call(call, actor)
                messages.success(request, "The call is open: people can respond now.")
            else:
                error = "Choose when the call should open"
        except calls.CallError as exc:
            error = str(exc)
        else:
            if not error:
                return redirect("staff:call", call.slug)
    return render(
        request,
        "staff/calls/open.html",
        {
            "call": call,
            "problems": problems,
            "error": error,
            "later": later,
            "scheduled": calls.is_scheduled(call, now),
            "opens": opening_phrase(call.opens_at),
            "closes": closing_phrase(call.closes_at),
        },
        # A choice that is not one of the radios is a bad request; anything else, the call's
        # state (or what is missing) does not allow it now.
        status=(400 if error.startswith("Choose") else 409) if request.method == "POST" else 200,
    )


@role_required(ADMIN)
def close_call(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    if request.method == "POST":
        try:
            calls.close_call(call, calls.Actor.of(request.user))
        except calls.CallError as exc:
            messages.error(request, str(exc))
            return redirect("staff:call", call.slug)
        messages.success(request, "The call is closed. Nothing more can be sent.")
        return redirect("staff:call", call.slug)
    return render(
        request,
        "staff/calls/close.html",
        {
            "call": call,
            "state": call.state(),
            "drafts": call.submissions.filter(status="draft").count(),
        },
    )
