"""What the `demo` command does after loading the call, besides publishing case studies
(`library.py`): analyse the call once, so every page has results, publish the first edition of
its report (as the real programme published one), and make one staff sign-in that can try
every staff page."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model

from inpractice.accounts.roles import add_staff
from inpractice.coding.models import AnalysisRun
from inpractice.intake.models import CallForEvidence

from .loader import DEMO_SLUG

DEMO_ADMIN = "admin@demo.example"
# The demo's one sign-in can try every staff area: programme pages, workspace, moderation.
DEMO_ROLES = ("programme-admin", "lead-analyst", "moderator")


def analyse_demo_once(
    progress: Callable[[str], None] = lambda message: None,
) -> AnalysisRun | None:
    """Analyse the demo call unless a finished analysis exists; returns the new run, if any."""
    # The analysis pipeline is heavy to import; only a first load needs it.
    from inpractice.coding.runner import run_analysis

    call = CallForEvidence.objects.filter(slug=DEMO_SLUG).first()
    if call is None or AnalysisRun.objects.filter(call=call, status="succeeded").exists():
        return None
    progress("Analysing the demo call (codes, themes, mentions, quotes)…")
    return run_analysis(call)


def publish_demo_edition(progress: Callable[[str], None] = lambda message: None):
    """Publish edition 1 of the demo call's report unless it has an edition; returns it, if
    made. Built here and now (no worker), like the analysis above."""
    from django.utils import timezone

    from inpractice.coding.runs import current_run
    from inpractice.reports import demo_text, editions
    from inpractice.reports.models import Edition

    call = CallForEvidence.objects.filter(slug=DEMO_SLUG).first()
    if call is None or current_run(call) is None or Edition.objects.filter(call=call).exists():
        return None
    progress("Publishing edition 1 of the demo report (HTML and tagged PDF)…")
    edition = editions.create_draft(
        call, None, note="The first edition, published when the call closed."
    )
    demo_text.write_demo_text(edition)  # the written report (reports/demo_text.py, ADR 25)
    # The demo stands in for two people of the programme team, as nobody signs in to load it:
    # drafted by a lead analyst, approved by a programme admin (by role; no account).
    now = timezone.now()
    edition.status = Edition.Status.APPROVED
    edition.submitted_at = edition.approved_at = now
    edition.approver_role = "Programme admin"
    edition.fingerprint = editions.evidence_fingerprint(call)
    edition.save()
    return editions.build_snapshot(edition)


def demo_staff_account() -> str | None:
    """A staff account (DEMO_ADMIN) in every staff role for trying the demo; returns its password,
    to be shown once, or None where the account exists already or this is production."""
    if settings.PRODUCTION or get_user_model().objects.filter(username=DEMO_ADMIN).exists():
        return None
    password = secrets.token_urlsafe(12)
    for role in DEMO_ROLES:
        add_staff(DEMO_ADMIN, role, password)
    return password
