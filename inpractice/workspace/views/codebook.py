"""The working codebook: list its codes; lead analysts edit, add, merge and split them.

Every change is saved as a new codebook version with a `codebook.*` event (`codebook_editing`);
a merge also re-points people's codings (`actions.merge_codes`).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import actions
from .. import codebook_editing as cbe
from ..access import call_for, is_lead
from ..blind import blind_submission_ids
from ..forms import CodeForm, MergeForm, NewCodeForm, SplitForm
from ..models import Coding
from .common import require_lead, workspace_role


def codebook_context(call, **extra) -> dict:
    codebook, number = cbe.working_codebook(call)
    return {"call": call, "codebook": codebook, "version_number": number, **extra}


def _code(codebook: dict, code_id: str) -> dict:
    try:
        return cbe.find(codebook, code_id)[2]
    except cbe.CodebookEditError as exc:
        raise Http404(str(exc)) from None


def _saved(request, call, form, change, note: str, kind: str, target: str) -> bool:
    """Save `change(codebook) -> codebook` as a new version from the form's base version; on a
    codebook error (a conflict included) put it on the form and return False."""
    base = form.cleaned_data["base_version"]
    try:
        cbe.apply_change(call, request.user, change, note, base, kind, target)
    except cbe.CodebookEditError as exc:
        form.add_error(None, str(exc))
        return False
    return True


def _done(request, call, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("workspace:codebook", slug=call.slug)


@workspace_role
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    context = codebook_context(call)
    counts = dict(
        Coding.objects.filter(call=call, active=True, decision=Coding.Decision.APPLIED)
        # A coder of an open sample must not watch the other coder's codes add up here.
        .exclude(
            Q(submission__in=blind_submission_ids(call, request.user)) & ~Q(coder=request.user)
        )
        .values_list("code_id")
        .annotate(n=Count("id"))
        .values_list("code_id", "n")
    )
    context.update(counts=counts, lead=is_lead(request.user))
    return render(request, "workspace/codebook.html", context)


@workspace_role
def codebook_edit(request: HttpRequest, slug: str, code_id: str) -> HttpResponse:
    call = call_for(request.user, slug)
    require_lead(request.user)
    current, number = cbe.working_codebook(call)
    code = _code(current, code_id)
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            if _saved(
                request,
                call,
                form,
                lambda cb: cbe.edit_code(cb, code_id, d["name"], d["description"]),
                f"Edited {code_id}: {d['name']}",
                "codebook.edit",
                f"code:{code_id}",
            ):
                return _done(request, call, f"Saved the changes to {d['name']}.")
    else:
        form = CodeForm(
            initial={
                "name": code.get("name", ""),
                "description": code.get("description", ""),
                "base_version": number,
            }
        )
    return render(
        request,
        "workspace/codebook_form.html",
        codebook_context(call, form=form, code=code, heading=f"Edit {code.get('name')}"),
    )


@workspace_role
def codebook_add(request: HttpRequest, slug: str, code_id: str | None = None) -> HttpResponse:
    """Add a top-level code, or a sub-code when `code_id` names the parent."""
    call = call_for(request.user, slug)
    require_lead(request.user)
    current, number = cbe.working_codebook(call)
    parent = _code(current, code_id) if code_id is not None else None
    if request.method == "POST":
        form = NewCodeForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            made: list[str] = []

            def change(cb):
                out, new_id = cbe.add_code(cb, d["name"], d["description"], d["code_id"], code_id)
                made.append(new_id)
                return out

            note = f"Added {'sub-code of ' + code_id if code_id else 'code'}: {d['name']}"
            target = f"code:{d['code_id'] or d['name']}"
            if _saved(request, call, form, change, note, "codebook.add", target):
                return _done(request, call, f"Added {d['name']} ({made[0]}).")
    else:
        form = NewCodeForm(initial={"base_version": number})
    heading = f"Add a sub-code to {parent.get('name')}" if parent else "Add a code"
    return render(
        request,
        "workspace/codebook_form.html",
        codebook_context(call, form=form, parent=parent, heading=heading, new=True),
    )


@workspace_role
def codebook_merge(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    require_lead(request.user)
    current, number = cbe.working_codebook(call)
    choices = [
        (code["id"], f"{'– ' * depth}{code['name']} ({code['id']})")
        for code, _, depth in cbe.walk(current.get("codes") or [])
    ]
    if request.method == "POST":
        form = MergeForm(request.POST, choices=choices)
        if form.is_valid():
            d = form.cleaned_data
            try:
                _, moved = actions.merge_codes(
                    call, request.user, d["keep"], d["merge"], d["base_version"]
                )
            except cbe.CodebookEditError as exc:
                form.add_error(None, str(exc))
            else:
                message = f"Merged {d['merge']} into {d['keep']}; moved {moved} coding(s) to it."
                return _done(request, call, message)
    else:
        form = MergeForm(
            choices=choices,
            initial={"base_version": number, "merge": request.GET.get("code", "")},
        )
    return render(request, "workspace/codebook_merge.html", codebook_context(call, form=form))


@workspace_role
def codebook_split(request: HttpRequest, slug: str, code_id: str) -> HttpResponse:
    call = call_for(request.user, slug)
    require_lead(request.user)
    current, number = cbe.working_codebook(call)
    code = _code(current, code_id)
    codings = Coding.objects.filter(call=call, code_id=code_id, active=True).count()
    if request.method == "POST":
        form = SplitForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            parts = [(d[f"name_{i}"], d[f"description_{i}"]) for i in (1, 2, 3)]
            made: list[str] = []

            def change(cb):
                out, ids = cbe.split_code(cb, code_id, parts, d["place"] == "subcodes")
                made.extend(ids)
                return out

            note = f"Split {code_id} into " + ", ".join(n for n, _ in parts if n)
            if _saved(request, call, form, change, note, "codebook.split", f"code:{code_id}"):
                return _done(
                    request,
                    call,
                    f"Split {code['name']} into {', '.join(made)}. The {codings} existing "
                    f"coding(s) stay on {code_id} until someone recodes them.",
                )
    else:
        form = SplitForm(initial={"base_version": number, "place": "subcodes"})
    return render(
        request,
        "workspace/codebook_split.html",
        codebook_context(call, form=form, code=code, codings=codings),
    )
