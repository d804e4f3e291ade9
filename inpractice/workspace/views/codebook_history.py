"""The codebook's saved versions: the list with what changed, any older version, and restoring
one (lead analysts; it is saved again as the newest version)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .. import codebook_editing as cbe
from ..access import call_for, is_lead
from ..forms import BaseVersionForm
from ..models import CodebookVersion
from .common import page, require_lead, workspace_role


@workspace_role
def codebook_history(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    versions_page = page(
        request,
        CodebookVersion.objects.filter(call=call).select_related("author").order_by("-number"),
    )
    versions = list(versions_page.object_list)
    # Describe each version against the one before it (one extra row for the page's oldest).
    numbers = [v.number - 1 for v in versions]
    older = {
        v.number: v.codebook for v in CodebookVersion.objects.filter(call=call, number__in=numbers)
    }
    rows = [
        {
            "version": v,
            "changes": cbe.describe_differences(older[v.number - 1], v.codebook)
            if v.number - 1 in older
            else [],
        }
        for v in versions
    ]
    return render(
        request,
        "workspace/codebook_history.html",
        {"call": call, "page": versions_page, "rows": rows},
    )


@workspace_role
def codebook_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Show any saved version; a lead analyst can restore an older one (as a new version)."""
    call = call_for(request.user, slug)
    version = get_object_or_404(
        CodebookVersion.objects.select_related("author"), call=call, number=number
    )
    latest = cbe.latest_version(call)
    form = BaseVersionForm(initial={"base_version": latest.number if latest else 0})
    if request.method == "POST":
        require_lead(request.user)
        form = BaseVersionForm(request.POST)
        if form.is_valid():
            try:
                restored = cbe.apply_change(
                    call,
                    request.user,
                    lambda cb: copy.deepcopy(version.codebook),
                    f"Restored version {version.number}",
                    form.cleaned_data["base_version"],
                    "codebook.restore",
                    f"codebook:v{version.number}",
                )
            except cbe.CodebookEditError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"Restored version {version.number} as version {restored.number}.",
                )
                return redirect("workspace:codebook", slug=call.slug)
    return render(
        request,
        "workspace/codebook_version.html",
        {
            "call": call,
            "version": version,
            "latest": latest,
            "form": form,
            "lead": is_lead(request.user),
        },
    )
