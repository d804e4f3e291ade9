"""Public intake pages: a call's start page, the question pages, check answers, nominating.

The server enforces the window on every write: a page left open past the close cannot save or
submit. Drafts belong to a browser session, or to whoever holds the emailed resume link.
A question page's answer is saved against that question's own version (intake/sharing.py), so
colleagues answering a shared response never overwrite each other; their pages are in
shared_views.py.
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from .choices import Coverage
from .choices import Phase as SubmissionPhase
from .coverage import replace_covered_schools, schools_for
from .emails import delivered, email_limited, send_receipt, send_resume_link
from .forms import NominationForm, UnlistedSchoolForm
from .invitations import LinkProblem, check_token, mark_opened, start_draft
from .journey import (
    TaskStatus,
    answer_summary,
    covered_school_names,
    is_answered,
    is_optional,
    next_step,
    previous_step,
    problems,
    step_by_slug,
    steps,
    tasks,
)
from .models import (
    CallForEvidence,
    Nomination,
    Submission,
    SubmissionStatus,
    UnlistedSchool,
    WindowState,
    hash_token,
    new_reference,
)
from .sharing import (
    AUTHOR,
    AnswerConflict,
    CallClosed,
    ResponseSent,
    can_share,
    editor_label,
    latest_number,
    latest_versions,
    live_contributors,
    record_version,
    save_answer,
    when,
)
from .signals import submissions_arrived
from .window import closing_phrase, opening_phrase


def _submit_rate(group, request) -> str:
    return settings.RATELIMIT_SUBMIT


def _nominate_rate(group, request) -> str:
    return settings.RATELIMIT_NOMINATE


def _session_key(call: CallForEvidence) -> str:
    return f"draft:{call.slug}"


def _window_context(call: CallForEvidence) -> dict:
    return {
        "call": call,
        "state": call.state(),
        "opens": opening_phrase(call.opens_at),
        "closes": closing_phrase(call.closes_at),
    }


def _closed_response(request: HttpRequest, call: CallForEvidence) -> HttpResponse:
    # 409: the request was fine but the call's state no longer allows it.
    return render(request, "intake/closed.html", _window_context(call), status=409)


def _draft(request: HttpRequest, call: CallForEvidence) -> Submission | None:
    draft_id = request.session.get(_session_key(call))
    if not draft_id:
        return None
    return Submission.objects.filter(pk=draft_id, call=call).first()


def call_start(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    context = _window_context(call)
    draft = _draft(request, call)
    context["draft"] = draft if draft and not draft.is_submitted else None
    return render(request, "intake/start.html", context)


def question(request: HttpRequest, slug: str, step_slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    step = step_by_slug(call, step_slug)
    if step is None:
        return render(
            request,
            "web/error.html",
            {"title": "Page not found", "body": "Go back to the start of the call."},
            status=404,
        )
    if not call.is_open():
        return _closed_response(request, call)
    draft = _draft(request, call)
    if draft is None and step.slug != "about-you":
        return redirect("intake:question", call.slug, "about-you")
    if draft is not None and draft.is_submitted:
        return redirect("intake:confirmation", call.slug)
    changing = request.GET.get("change") == "1" or request.POST.get("change") == "1"
    # Opened from the task list: saving goes back there (GOV.UK's task list pattern).
    from_tasks = not changing and "tasks" in (request.GET.get("from"), request.POST.get("from"))

    if request.method == "POST":
        if step.question is not None and draft is not None and "answer_version" in request.POST:
            # A question page: checked against that question's own history, so a colleague's
            # save of another question (a shared response) is not a conflict.
            return _save_question(request, call, step, draft, changing, from_tasks)
        form = step.form(draft, data=request.POST)
        conflict = draft is not None and request.POST.get("version") != str(draft.version)
        if conflict:
            form = step.form(draft)
            return _render_question(
                request, call, step, draft, form, changing, conflict=True, from_tasks=from_tasks
            )
        if draft is None and is_ratelimited(
            request, group="new-draft", key="ip", rate=_submit_rate, method="POST", increment=True
        ):
            # Like the decorated views below: the rate limit middleware answers with
            # settings.RATELIMIT_VIEW (the web app's 429 page), which intake does not import.
            raise Ratelimited()
        if form.is_valid():
            with transaction.atomic():
                # Re-read under lock: the close and the version are checked at the moment of
                # writing, not when the page was drawn.
                if draft is None:
                    # The link's token is made when the person asks to save and come back.
                    _token, token_hash = Submission.new_token()
                    draft = Submission(call=call, resume_token_hash=token_hash)
                else:
                    draft = Submission.objects.select_for_update().get(pk=draft.pk)
                    if draft.is_submitted:
                        return redirect("intake:confirmation", call.slug)
                    if request.POST.get("version") != str(draft.version):
                        # Saved by another request since the check above: show the newer answers.
                        return _render_question(
                            request,
                            call,
                            step,
                            draft,
                            step.form(draft),
                            changing,
                            conflict=True,
                            from_tasks=from_tasks,
                        )
                if not CallForEvidence.objects.get(pk=call.pk).is_open():
                    transaction.set_rollback(True)
                    return _closed_response(request, call)
                pairs = form.apply(draft)
                draft.version += 1 if draft.pk else 0
                draft.save()
                if step.question is not None:
                    # A page posted without its question's version (an older page): still a
                    # save of the answer, so it goes into the history like any other.
                    record_version(draft, step.question["key"], AUTHOR)
                if step.slug == "schools":
                    replace_covered_schools(draft, pairs)
                    # Register schools chosen: a school described as not listed no longer applies.
                    draft.unlisted_schools.all().delete()
            request.session[_session_key(call)] = draft.pk
            if request.POST.get("action") == "save":
                return _save_and_return(request, call, draft)
            if from_tasks:
                return redirect("intake:tasks", call.slug)
            following = next_step(call, step.slug)
            if changing or following is None:
                return redirect("intake:check", call.slug)
            return redirect("intake:question", call.slug, following.slug)
    else:
        form = step.form(draft)
    return _render_question(request, call, step, draft, form, changing, from_tasks=from_tasks)


def _whole_number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a version: treated as a page drawn from an unknown state


def conflict_context(conflict: AnswerConflict, viewer: int) -> dict:
    """What a person is shown when their save of an answer was refused: the saved text and who
    saved it (as the viewer may know them), and when."""
    saved = conflict.saved
    return {
        "text": conflict.text,
        "who": editor_label(saved.contributor_number, viewer) if saved else "",
        "when": when(saved.saved_at) if saved else "",
    }


def _save_question(request, call, step, draft, changing, from_tasks) -> HttpResponse:
    form = step.form(draft, data=request.POST)
    seen = _whole_number(request.POST.get("answer_version"))
    if not form.is_valid():
        return _render_question(
            request, call, step, draft, form, changing, from_tasks=from_tasks, answer_version=seen
        )
    try:
        save_answer(draft, step.question, form.cleaned_data["answer"], seen, AUTHOR)
    except AnswerConflict as conflict:
        return _render_question(
            request,
            call,
            step,
            draft,
            form,
            changing,
            from_tasks=from_tasks,
            answer_version=conflict.number,
            answer_conflict=conflict_context(conflict, AUTHOR),
        )
    except ResponseSent:
        return redirect("intake:confirmation", call.slug)
    except CallClosed:
        return _closed_response(request, call)
    if request.POST.get("action") == "save":
        return _save_and_return(request, call, draft)
    if from_tasks:
        return redirect("intake:tasks", call.slug)
    following = next_step(call, step.slug)
    if changing or following is None:
        return redirect("intake:check", call.slug)
    return redirect("intake:question", call.slug, following.slug)


def last_edit(draft: Submission | None, key: str, viewer: int) -> str:
    """'Last changed by Contributor 2 on 6 December 2026 at 2:40pm', for a response that has
    ever been shared; empty otherwise (one person's own draft needs no such line)."""
    if draft is None or not draft.contributors.exists():
        return ""
    latest = draft.answer_history.filter(key=key).order_by("-number").first()
    if latest is None:
        return ""
    who = editor_label(latest.contributor_number, viewer)
    return f"Last changed by {who} on {when(latest.saved_at)}"


def _render_question(
    request,
    call,
    step,
    draft,
    form,
    changing,
    conflict=False,
    from_tasks=False,
    answer_version: int | None = None,
    answer_conflict: dict | None = None,
) -> HttpResponse:
    previous = previous_step(call, step.slug)
    if changing:
        back = reverse("intake:check", args=[call.slug])
    elif from_tasks:
        back = reverse("intake:tasks", args=[call.slug])
    elif previous:
        back = reverse("intake:question", args=[call.slug, previous.slug])
    else:
        back = reverse("intake:call", args=[call.slug])
    order = steps(call)
    context = {
        **_window_context(call),
        "step": step,
        "form": form,
        "draft": draft,
        "back": back,
        "changing": changing,
        "from_tasks": from_tasks,
        "conflict": conflict,
        "page_number": order.index(step) + 1,
        "page_count": len(order),
    }
    if step.question is not None:
        key = step.question["key"]
        if answer_version is None:
            answer_version = latest_number(draft, key) if draft is not None else 0
        context["answer_version"] = answer_version
        context["answer_conflict"] = answer_conflict
        context["last_edit"] = last_edit(draft, key, AUTHOR)
    template = (
        "intake/question.html" if step.question is not None else f"intake/steps/{step.slug}.html"
    )
    conflicted = conflict or answer_conflict is not None
    status = 409 if conflicted else (200 if not form.is_bound or form.is_valid() else 400)
    return render(request, template, context, status=status)


def _save_and_return(
    request: HttpRequest, call: CallForEvidence, draft: Submission
) -> HttpResponse:
    if email_limited(request, f"draft:{draft.pk}"):
        # Nothing sent and the link the person already holds still works; the answers were
        # saved before this point.
        return render(
            request,
            "web/error.html",
            {
                "title": "Your answers are saved, but we cannot email you another link yet",
                "body": "We have already emailed links to come back to these answers several "
                "times in the last hour. Your answers are saved in this browser: go back and "
                "carry on, or use the newest link we sent you. You can ask for a new link "
                "again in an hour.",
            },
            status=429,
        )
    token, token_hash = Submission.new_token()
    with transaction.atomic():
        Submission.objects.filter(pk=draft.pk).update(resume_token_hash=token_hash)
        if not delivered(send_resume_link, request, draft, token):
            # Keep the link the person may already hold: the new one never reached them.
            transaction.set_rollback(True)
            return render(
                request,
                "web/error.html",
                {
                    "title": "Your answers are saved, but we could not email you a link",
                    "body": "Your answers are saved in this browser. Go back and carry on, or "
                    "try saving again in a few minutes to get a link by email.",
                },
                status=503,
            )
    draft.resume_token_hash = token_hash
    return render(request, "intake/saved.html", {**_window_context(call), "draft": draft})


def resume(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    draft = Submission.objects.filter(call=call, resume_token_hash=hash_token(token)).first()
    if draft is None:
        return render(
            request,
            "web/error.html",
            {
                "title": "This link has expired or does not work",
                "body": "Use the newest link we emailed you. If you asked us to save your "
                "answers more than once, only the latest link works.",
            },
            status=404,
        )
    # Rotate the session so a link opened on a shared computer cannot be replayed by its cookie.
    request.session.cycle_key()
    request.session[_session_key(call)] = draft.pk
    if draft.is_submitted:
        request.session[f"submitted:{call.slug}"] = draft.pk
        return redirect("intake:confirmation", call.slug)
    # The task list, not Check your answers: it says what is done and what is left, and
    # offers the check only once nothing required is missing.
    return redirect("intake:tasks", call.slug)


def task_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Where a saved draft is picked up again: each section with its status, then sending."""
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    draft = _draft(request, call)
    if draft is None:
        return redirect("intake:call", call.slug)
    if draft.is_submitted:
        return redirect("intake:confirmation", call.slug)
    if not call.is_open():
        return _closed_response(request, call)
    editors = editors_by_step(draft, AUTHOR)
    found = [replace(t, edited=editors.get(t.step.slug, "")) for t in tasks(call, draft)]
    required = [t for t in found if not is_optional(t.step)]
    done = [t for t in required if t.status == TaskStatus.COMPLETED]
    first_open = next(
        (t for t in found if t.status in (TaskStatus.NOT_STARTED, TaskStatus.TO_FIX)), None
    )
    context = {
        **_window_context(call),
        "draft": draft,
        "tasks": found,
        "done": len(done),
        "required": len(required),
        "ready": first_open is None,
        "first_open": first_open,
        "statuses": TaskStatus,
        "can_share": can_share(draft),
        "contributors": live_contributors(draft).count(),
    }
    return render(request, "intake/tasks.html", context)


def editors_by_step(draft: Submission, viewer: int) -> dict[str, str]:
    """Each question page's 'Last changed by …' line, for a response that has been shared."""
    if not draft.contributors.exists():
        return {}
    return {
        f"q-{key}": f"Last changed by {editor_label(v.contributor_number, viewer)} on "
        f"{when(v.saved_at)}"
        for key, v in latest_versions(draft).items()
    }


@ratelimit(key="ip", rate=_submit_rate, method="POST", block=True, group="submit")
def check_answers(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    draft = _draft(request, call)
    if draft is None:
        return redirect("intake:call", call.slug)
    if draft.is_submitted:
        return redirect("intake:confirmation", call.slug)
    if request.method == "POST":
        return _submit(request, call, draft)
    if not call.is_open():
        return _closed_response(request, call)
    return _render_check(request, call, draft)


def _render_check(
    request, call, draft, status: int = 200, show_problems: bool = False
) -> HttpResponse:
    issues = problems(call, draft)
    rows = [
        {
            "step": step,
            "answered": is_answered(step, draft),
            "optional": is_optional(step),
            "lines": answer_summary(step, draft),
            # One school is named in the answer itself; a list, a trust or an LA is spelt out.
            "schools": covered_school_names(draft)
            if step.slug == "schools" and draft.coverage != Coverage.ONE_SCHOOL
            else None,
        }
        for step in steps(call)
    ]
    context = {
        **_window_context(call),
        "draft": draft,
        "rows": rows,
        "problems": issues if show_problems else [],
        "incomplete": bool(issues),
    }
    return render(request, "intake/check.html", context, status=status)


def _submit(request: HttpRequest, call: CallForEvidence, draft: Submission) -> HttpResponse:
    with transaction.atomic():
        draft = Submission.objects.select_for_update().get(pk=draft.pk)
        if draft.is_submitted:
            # The same draft submitted twice (a double click, a retry) gives one submission.
            return redirect("intake:confirmation", call.slug)
        now = timezone.now()
        if CallForEvidence.objects.get(pk=call.pk).state(now) != WindowState.OPEN:
            return _closed_response(request, call)
        if problems(call, draft):
            return _render_check(request, call, draft, status=400, show_problems=True)
        if draft.coverage in (Coverage.TRUST, Coverage.LOCAL_AUTHORITY):
            # A whole trust or LA means its schools at the moment of submitting.
            replace_covered_schools(
                draft,
                schools_for(
                    draft.coverage,
                    trust=draft.coverage_trust,
                    local_authority=draft.coverage_local_authority,
                ),
            )
        draft.status = SubmissionStatus.SUBMITTED
        draft.submitted_at = now
        draft.reference = _unique_reference()
        draft.version += 1
        draft.save()
    # Sent once the block above has committed (requests are not wrapped in a transaction), so
    # no receipt goes out for a submission that was not stored. The submission stays stored
    # whatever happens to the email, and the confirmation page says whether the receipt went.
    sent = delivered(send_receipt, draft, request)
    submissions_arrived.send(sender=Submission, call=call)
    request.session[f"submitted:{call.slug}"] = draft.pk
    request.session[f"receipt-failed:{call.slug}"] = not sent
    return redirect("intake:confirmation", call.slug)


def _unique_reference() -> str:
    while True:
        reference = new_reference()
        if not Submission.objects.filter(reference=reference).exists():
            return reference


def confirmation(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    submission_id = request.session.get(f"submitted:{call.slug}") or request.session.get(
        _session_key(call)
    )
    submission = (
        Submission.objects.filter(
            pk=submission_id, call=call, status=SubmissionStatus.SUBMITTED
        ).first()
        if submission_id
        else None
    )
    if submission is None:
        return redirect("intake:call", call.slug)
    return render(
        request,
        "intake/confirmation.html",
        {
            **_window_context(call),
            "submission": submission,
            "receipt_failed": request.session.get(f"receipt-failed:{call.slug}", False),
        },
    )


def start_again(request: HttpRequest, slug: str) -> HttpResponse:
    """Forget this browser's draft (it stays reachable by its emailed link)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    request.session.pop(_session_key(call), None)
    request.session.pop(f"submitted:{call.slug}", None)
    return redirect("intake:question", call.slug, "about-you")


def _pending_key(call: CallForEvidence) -> str:
    """Where a nomination waits between its form and its check page (nothing stored yet)."""
    return f"nomination:{call.slug}"


@ratelimit(key="ip", rate=_nominate_rate, method="POST", block=True, group="nominate")
def nominate(request: HttpRequest, slug: str) -> HttpResponse:
    """The nomination form. A valid form is kept in the session and shown on the check page;
    only "Send nomination" there stores it."""
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    if call.state() == WindowState.CLOSED:
        return _closed_response(request, call)
    pending = request.session.get(_pending_key(call)) or {}
    if request.GET.get("school") == "find" and pending.get("described"):
        # "Find the school in the list instead": the description is dropped, nothing else.
        pending = {**pending, "described": None}
        request.session[_pending_key(call)] = pending
    described = pending.get("described")
    if request.method == "POST":
        form = NominationForm(request.POST, described=described)
        if form.is_valid():
            request.session[_pending_key(call)] = NominationForm.pending_from(form.cleaned_data)
            return redirect("intake:nominate_check", call.slug)
        status = 400
    else:
        # Back from the check page, or one of its Change links: the answers so far, kept.
        form = NominationForm(initial=NominationForm.initial_from(pending), described=described)
        status = 200
    return _render_nominate(request, call, form, status)


def _render_nominate(request, call, form, status: int) -> HttpResponse:
    return render(
        request, "intake/nominate.html", {**_window_context(call), "form": form}, status=status
    )


# Its own group: the form and Send are each limited as the one form was, so checking and
# changing answers does not use up a person's nominations.
@ratelimit(key="ip", rate=_nominate_rate, method="POST", block=True, group="nominate-send")
def nominate_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Check your answers for a nomination: the school as the register has it, then Send."""
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    if call.state() == WindowState.CLOSED:
        return _closed_response(request, call)
    pending = request.session.get(_pending_key(call))
    if not pending:
        if request.method == "POST" and request.session.get(f"nominated:{call.slug}"):
            # A second press of Send after the first stored it: the thank-you page, once.
            return redirect("intake:nominated", call.slug)
        return redirect("intake:nominate", call.slug)
    # The same rules as the form, again: the register may have changed since the form was sent.
    described = pending.get("described")
    form = NominationForm(NominationForm.data_from(pending), described=described)
    if not form.is_valid():
        return _render_nominate(request, call, form, 400)
    if described:
        recheck = UnlistedSchoolForm({**described, "urn": described.get("urn") or ""})
        if not recheck.is_valid():
            # Its URN has been added to the register since: offered there, to choose instead.
            return redirect(reverse("intake:nominate_school_not_listed", args=[call.slug]))
    data = form.cleaned_data
    school = data["school_obj"]
    if request.method == "POST":
        with transaction.atomic():
            nomination = _store_nomination(call, school, data, described)
        request.session.pop(_pending_key(call), None)
        request.session[f"nominated:{call.slug}"] = nomination.pk
        return redirect("intake:nominated", call.slug)
    context = {
        **_window_context(call),
        "school": school,
        "described": described,
        "described_phase": dict(SubmissionPhase.choices).get((described or {}).get("phase"), ""),
        "not_listed_url": reverse("intake:nominate_school_not_listed", args=[call.slug]),
        "answers": data,
        "form_url": reverse("intake:nominate", args=[call.slug]),
    }
    return render(request, "intake/nominate_check.html", context)


def _store_nomination(call, school, data: dict, described: dict | None) -> Nomination:
    nomination = Nomination.objects.create(
        call=call,
        urn=school.urn if school else None,
        school=school,
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        reason=data["reason"].strip(),
        share_reason=data["share_reason"],
        nominator_name=data["nominator_name"],
        nominator_email=data["nominator_email"],
    )
    if described:
        UnlistedSchool.objects.create(nomination=nomination, **described)
    return nomination


def nominated(request: HttpRequest, slug: str) -> HttpResponse:
    """Thank you, naming the school that was stored (from the register, not what was typed)."""
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    nomination = (
        Nomination.objects.filter(pk=request.session.get(f"nominated:{call.slug}"), call=call)
        .select_related("school")
        .first()
    )
    if nomination is None:
        return redirect("intake:nominate", call.slug)
    return render(
        request, "intake/nominated.html", {**_window_context(call), "nomination": nomination}
    )


INVITATION_PROBLEMS = {
    LinkProblem.BROKEN: (
        404,
        "This link does not work",
        "Check that you copied the whole link from the email we sent you.",
    ),
    LinkProblem.EXPIRED: (
        410,
        "This invitation link has expired",
        f"Invitation links work for {settings.INVITATION_LINK_DAYS} days after we email them.",
    ),
    LinkProblem.WITHDRAWN: (
        410,
        "This invitation has been withdrawn",
        "The programme team withdrew this invitation, so the link no longer works.",
    ),
}


def invitation(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """An invited school's link: a start page that begins a draft with the school filled in.

    Opening the link (GET) only records that it was opened; the draft is begun by the button
    (POST), so a mail scanner that follows links starts nothing.
    """
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    found = check_token(token, call)
    if found.invitation is None:
        status, title, body = INVITATION_PROBLEMS[found.problem]
        context = {"call": call, "problem": True, "problem_title": title, "problem_body": body}
        return render(request, "intake/invitation.html", context, status=status)
    invited = found.invitation
    if not call.is_open():
        return _closed_response(request, call)
    if request.method == "POST":
        if is_ratelimited(
            request, group="new-draft", key="ip", rate=_submit_rate, method="POST", increment=True
        ):
            raise Ratelimited()
        draft = start_draft(invited)
        request.session.cycle_key()
        request.session[_session_key(call)] = draft.pk
        request.session.pop(f"submitted:{call.slug}", None)
        return redirect("intake:question", call.slug, "about-you")
    mark_opened(invited)
    draft = _draft(request, call)
    nomination = invited.nomination
    context = {
        **_window_context(call),
        "school": nomination.school_label,
        "own_draft": draft is not None
        and not draft.is_submitted
        and invited.submission_id == draft.pk,
    }
    return render(request, "intake/invitation.html", context)
