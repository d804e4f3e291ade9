"""Rows the permission matrix needs for the workspace's own pages: the world's analyst is
assigned to the call and is the first coder of a blind sample of one submitted submission."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth import get_user_model

from inpractice.workspace.models import CallAssignment, DoubleCodingSample

from .conftest import make_submission

ANALYST = "analyst@example.org"  # the name the matrix test signs the analyst in with


def matrix_workspace(world) -> SimpleNamespace:
    if getattr(world, "workspace", None) is not None:
        return world.workspace
    User = get_user_model()
    analyst, _ = User.objects.get_or_create(username=ANALYST, defaults={"email": ANALYST})
    other, _ = User.objects.get_or_create(
        username="second-coder@example.org", defaults={"email": "second-coder@example.org"}
    )
    CallAssignment.objects.get_or_create(call=world.call, user=analyst)
    submission = make_submission(world.call, 1)
    sample = DoubleCodingSample.objects.create(
        call=world.call, name="Matrix sample", created_by=other, coder_a=analyst, coder_b=other
    )
    sample.submissions.set([submission])
    world.workspace = SimpleNamespace(submission=submission, sample=sample)
    return world.workspace


def assign_analyst(world) -> None:
    """Before any request: the analyst works on this call (unassigned analysts get 404)."""
    matrix_workspace(world)
