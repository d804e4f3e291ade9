"""Pages of a shared response: the author's list of colleagues, and the colleagues' own pages.

The author is whoever holds the draft (its browser session or its resume link), as everywhere in
intake; the share page is reached only through that. A colleague's pages sit at their own URLs
(`/calls/SLUG/shared/…`) and their session holds only their `Contributor` row, so nothing there
can reach the author's pages: the details about the author, the schools, the consent, the list
of colleagues, Check your answers and sending. Every request re-checks the row, so removing a
colleague or sending the response ends their access at once, with a page that says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from .forms import ContributorForm
from .journey import Step, step_by_slug, steps
from .models import CallForEvidence, Submission
from .sharing import (
    MAX_CONTRIBUTORS,
    AnswerConflict,
    CallClosed,
    LinkProblem,
    ResponseSent,
    SharingError,
    add_contributor,
    can_share,
    check_session,
    check_token,
    editor_label,
    latest_number,
    latest_versions,
    link_days,
    live_contributors,
    mark_opened,
    remove_contributor,
    save_answer,
    when,
)
from .views import (
    _closed_response,
    _draft,
    _whole_number,
    _window_context,
    conflict_context,
    last_edit,
)


def _contributor_key(call: CallForEvidence) -> str:
    return f"contributor:{call.slug}"


LINK_PROBLEMS = {
    LinkProblem.BROKEN: (
        404,
        "This link does not work",
        "Check that you copied the whole link from the email we sent you.",
    ),
    LinkProblem.EXPIRED: (
        410,
        "This link has expired",
        "Links to contribute to a response work for {days} days after we email them. Ask the "
        "colleague who started the response to ask you again.",
    ),
    LinkProblem.REMOVED: (
        410,
        "You can no longer contribute to this response",
        "The colleague who started the response has removed your access, so this link no "
        "longer works. Ask them if you think this is a mistake.",
    ),
    LinkProblem.SENT: (
        410,
        "This response has been sent",
        "The colleague who started the response has checked it and sent it, so it can no "
        "longer be changed. Thank you for your help.",
    ),
}


def _problem_page(request: HttpRequest, call: CallForEvidence, problem: LinkProblem):
    status, title, body = LINK_PROBLEMS[problem]
    context = {"call": call, "title": title, "body": body.format(days=link_days())}
    return render(request, "intake/shared_problem.html", context, status=status)


# The author -----------------------------------------------------------------------------


def share(request: HttpRequest, slug: str) -> HttpResponse:
    """The author's list of colleagues: ask one more by email, or remove one."""
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    draft = _draft(request, call)
    if draft is None:
        return redirect("intake:call", call.slug)
    if draft.is_submitted:
        return redirect("intake:confirmation", call.slug)
    if not call.is_open():
        return _closed_response(request, call)
    form = ContributorForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                removed = remove_contributor(draft, _whole_number(request.POST.get("number")))
            except SharingError as exc:
                messages.error(request, str(exc))
            else:
                # Labels, not addresses, in the banner: a long address cannot wrap there.
                messages.success(request, f"{removed.label} can no longer contribute")
            return redirect("intake:share", call.slug)
        form = ContributorForm(request.POST)
        if form.is_valid():
            try:
                added = add_contributor(request, draft, form.cleaned_data["email"])
            except SharingError as exc:
                form.add_error("email", str(exc))
                status = exc.status
            else:
                messages.success(request, f"We have emailed {added.label} a link to contribute")
                return redirect("intake:share", call.slug)
        else:
            status = 400
    contributors = list(draft.contributors.order_by("number"))
    context = {
        **_window_context(call),
        "draft": draft,
        "form": form,
        "shareable": can_share(draft),
        "live": [c for c in contributors if c.is_live],
        "removed": [c for c in contributors if not c.is_live],
        "room": live_contributors(draft).count() < MAX_CONTRIBUTORS,
        "max_contributors": MAX_CONTRIBUTORS,
        "link_days": link_days(),
        "questions": [q["label"] for q in call.questions],
    }
    return render(request, "intake/share.html", context, status=status)


# A colleague ----------------------------------------------------------------------------


def contribute(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A colleague's emailed link: checked, then remembered by their browser session."""
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    found = check_token(token, call)
    if found.contributor is None:
        return _problem_page(request, call, found.problem)
    if not call.is_open():
        return _closed_response(request, call)
    # A new session key, so a link opened on a shared computer cannot be replayed by its cookie;
    # the person's own draft of this call, if any, stays theirs.
    request.session.cycle_key()
    request.session[_contributor_key(call)] = found.contributor.pk
    mark_opened(found.contributor)
    return redirect("intake:shared_tasks", call.slug)


def _contributor_or_page(request: HttpRequest, call: CallForEvidence):
    """(contributor, None) or (None, the response to give instead)."""
    held = request.session.get(_contributor_key(call))
    if held is None:
        return None, redirect("intake:call", call.slug)
    found = check_session(held, call)
    if found.contributor is None:
        return None, _problem_page(request, call, found.problem)
    if not call.is_open():
        return None, _closed_response(request, call)
    return found.contributor, None


def _question_steps(call: CallForEvidence) -> list[Step]:
    return [s for s in steps(call) if s.question is not None]


def shared_tasks(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    contributor, instead = _contributor_or_page(request, call)
    if instead is not None:
        return instead
    draft: Submission = contributor.submission
    latest = latest_versions(draft)
    rows = []
    for step in _question_steps(call):
        key = step.question["key"]
        saved = latest.get(key)
        rows.append(
            {
                "step": step,
                "answered": key in (draft.answers or {}),
                "optional": not step.question.get("required", True),
                "edited": (
                    f"Last changed by {editor_label(saved.contributor_number, contributor.number)}"
                    f" on {when(saved.saved_at)}"
                    if saved
                    else ""
                ),
            }
        )
    context = {
        **_window_context(call),
        "draft": draft,
        "contributor": contributor,
        "rows": rows,
    }
    return render(request, "intake/shared_tasks.html", context)


def shared_question(request: HttpRequest, slug: str, step_slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug, is_draft=False)
    contributor, instead = _contributor_or_page(request, call)
    if instead is not None:
        return instead
    draft: Submission = contributor.submission
    step = step_by_slug(call, step_slug)
    if step is None or step.question is None:
        return render(
            request,
            "web/error.html",
            {
                "title": "Only the person who started the response can change this",
                "body": "You can answer the questions listed on the response's page. The "
                "person who started it answers the rest and sends it.",
            },
            status=404,
        )
    key = step.question["key"]
    conflict = None
    if request.method == "POST":
        form = step.form(draft, data=request.POST)
        seen = _whole_number(request.POST.get("answer_version"))
        version = seen
        if form.is_valid():
            try:
                save_answer(
                    draft, step.question, form.cleaned_data["answer"], seen, contributor.number
                )
            except AnswerConflict as exc:
                conflict = conflict_context(exc, contributor.number)
                version = exc.number
            except ResponseSent:
                return _problem_page(request, call, LinkProblem.SENT)
            except CallClosed:
                return _closed_response(request, call)
            else:
                messages.success(request, f"Your answer to ‘{step.question['label']}’ is saved")
                return redirect("intake:shared_tasks", call.slug)
        status = 409 if conflict else 400
    else:
        form = step.form(draft)
        version = latest_number(draft, key)
        status = 200
    context = {
        **_window_context(call),
        "step": step,
        "form": form,
        "draft": draft,
        "answer_version": version,
        "answer_conflict": conflict,
        "last_edit": last_edit(draft, key, contributor.number),
        "back": reverse("intake:shared_tasks", args=[call.slug]),
    }
    return render(request, "intake/shared_question.html", context, status=status)
