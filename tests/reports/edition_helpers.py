"""Editions for the report's tests: staff in the editor roles, and an edition taken through
draft, review and approval by two people, then built here (no worker) or by a worker."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from inpractice.accounts.roles import ROLES
from inpractice.reports import authoring, editions


def editor(role: str = "lead-analyst", name: str = ""):
    user, _ = get_user_model().objects.get_or_create(
        username=name or f"{role}.editor@example.gov.uk",
        defaults={"email": name or f"{role}.editor@example.gov.uk"},
    )
    user.groups.add(Group.objects.get_or_create(name=ROLES[role])[0])
    return user


def write_required(edition, user, words: str = "Written by the lead analyst.") -> None:
    """The executive summary and every principle's narrative: what review requires."""
    bodies = {s.field: f"{s.title}: {words}" for s in authoring.sections(edition) if s.required}
    authoring.save_sections(edition, bodies, user)


def approved_edition(call, note: str = ""):
    author = editor("lead-analyst")
    approver = editor("programme-admin")
    edition = editions.create_draft(call, author, note=note)
    write_required(edition, author)
    editions.send_for_review(edition, author)
    return editions.approve(edition, approver)


def publish_edition(call, note: str = ""):
    """An edition approved by a second person and published at once (no worker)."""
    return editions.publish_now(approved_edition(call, note=note))
