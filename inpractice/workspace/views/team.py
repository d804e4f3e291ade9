"""A call's team: the analysts who may work on it (lead analysts and programme admins)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from inpractice.accounts.roles import role_required

from ..access import add_to_team, call_for, remove_from_team
from ..forms import AssignmentForm
from ..models import CallAssignment


@role_required("lead-analyst", "programme-admin")
def team(request, slug: str):
    call = call_for(request.user, slug)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST":
        remove_pk = request.POST.get("remove")
        if remove_pk:
            remove_from_team(call, request.user, remove_pk)
            messages.success(request, "Removed from this call.")
            return redirect("workspace:team", slug=call.slug)
        if form.is_valid():
            user = form.cleaned_data["user"]
            add_to_team(call, request.user, user)
            messages.success(request, f"{user.username} can now work on this call.")
            return redirect("workspace:team", slug=call.slug)
    members = CallAssignment.objects.filter(call=call).select_related("user", "assigned_by")
    return render(
        request,
        "workspace/team.html",
        {"call": call, "form": form, "members": members},
        status=400 if form.is_bound and form.errors else 200,
    )
