"""Editions of a call's insights report: draft, review by a second person, publication (ADR 19).

    draft --send for review--> in review --approve (not the author)--> approved
          <--back to draft----           <--back to draft-----------
    approved --publish--> publishing (a "build_edition" job) --> published --> superseded

Publishing freezes a snapshot (`build_snapshot`): the public figures as open data (JSON and
CSV), the report's HTML and its tagged PDF, all computed once from the run the edition was
drafted from. The public are served that snapshot only, so reopening the call, new submissions
or a new analysis run change nothing they see until another edition is published. That edition
supersedes the last one with a dated note of what changed; the superseded snapshot is deleted
(an approved quote later found to name a child must not live on), the record and note kept.

Four eyes: the approver is not the author (checked here and by a database constraint), and
what is built is what was approved: approval records a fingerprint of the evidence (the run and
every review that decides what the public see), and a build whose evidence differs is refused
and the edition goes back to draft.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone

from inpractice.accounts.roles import ROLES, has_role
from inpractice.analysis.spreadsheet import write_csv
from inpractice.coding.models import SubmissionResult
from inpractice.coding.runs import current_run
from inpractice.intake.models import CallForEvidence, WindowState

from . import authoring
from . import figures as fig
from .build import DOCUMENT_CSS, render_pdf, report_context
from .models import Edition, EditionSnapshot

# Who may draft, review, approve and publish editions.
EDITOR_ROLES = ("lead-analyst", "programme-admin")

Progress = Callable[[str, int, int], None]


class EditionError(ValueError):
    """An edition cannot move as asked; the message says why and what to do."""


def role_label(user) -> str:
    """The role a person acts in, as the public may read it (never their name or email)."""
    for role in EDITOR_ROLES:
        if has_role(user, role):
            return ROLES[role]
    return "Staff member"


def can_edit(user) -> bool:
    return has_role(user, *EDITOR_ROLES)


# --------------------------------------------------------------------------- reading


def published(call: CallForEvidence) -> Edition | None:
    """The call's published edition (at most one), or None."""
    return (
        Edition.objects.filter(call=call, status=Edition.Status.PUBLISHED)
        .select_related("call")
        .first()
    )


def unfinished(call: CallForEvidence) -> Edition | None:
    return Edition.objects.filter(call=call, status__in=Edition.UNFINISHED).first()


def evidence_fingerprint(call: CallForEvidence) -> str:
    """Changes whenever anything the public report would show could have changed: the current
    run and its results, the submissions received, and every review of quotes, themes and
    names (quote and mention decisions belong to the call, theme decisions to the run)."""
    from inpractice.workspace.models import MentionReview, QuoteReview, ThemeReview

    run = current_run(call)
    parts: list = [call.pk, call.title, run.pk if run else None]
    if run is not None:
        parts.append(SubmissionResult.objects.filter(run=run).count())
    for qs in (
        QuoteReview.objects.filter(call=call),
        ThemeReview.objects.filter(theme__run=run),
        MentionReview.objects.filter(call=call),
    ):
        parts.append(str(qs.aggregate(last=Max("reviewed_at"))["last"]))
        parts.append(list(qs.values_list("status").annotate(n=Count("pk")).order_by("status")))
    parts.append(call.submissions.filter(status="submitted").count())
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


# --------------------------------------------------------------------------- moving an edition


def _require(edition: Edition, *statuses: str, doing: str) -> None:
    if edition.status not in statuses:
        raise EditionError(
            f"Edition {edition.number} is {edition.get_status_display().lower()}: it cannot be "
            f"{doing} now."
        )


def _require_closed(call: CallForEvidence) -> None:
    if call.state() != WindowState.CLOSED:
        raise EditionError(
            "The call is still open (or not open yet): an edition describes a closed call. "
            "Close the call first; staff can follow the live figures meanwhile."
        )


def create_draft(call: CallForEvidence, user, note: str = "") -> Edition:
    """A new draft edition from the call's current run. From the second edition on, `note`
    (what changed since the published edition) is required."""
    _require_closed(call)
    run = current_run(call)
    if run is None:
        raise EditionError(
            f"The call has not been analysed yet: run an analysis (`inpractice analyse --call "
            f"{call.slug}`, or the Jobs page) before drafting an edition."
        )
    note = note.strip()
    if published(call) is not None and not note:
        raise EditionError(
            "Say what changed since the published edition: the note is published with the "
            "new edition."
        )
    number = (Edition.objects.filter(call=call).aggregate(n=Max("number"))["n"] or 0) + 1
    previous = Edition.objects.filter(call=call).order_by("-number").first()
    try:
        with transaction.atomic():
            edition = Edition.objects.create(
                call=call,
                number=number,
                run=run,
                note=note,
                author=user,
                author_role=role_label(user) if user else "Lead analyst",
            )
            # The new edition starts from the text of the one before (ADR 25): what people
            # wrote is carried forward, to be edited against the new figures.
            authoring.copy_from(previous, edition)
            return edition
    except IntegrityError:
        raise EditionError(
            "This call already has an edition being drafted, reviewed or published: finish or "
            "discard it first."
        ) from None


def save_note(edition: Edition, note: str) -> Edition:
    _require(edition, Edition.Status.DRAFT, doing="edited")
    note = note.strip()
    if published(edition.call) is not None and not note:
        raise EditionError("Say what changed since the published edition.")
    edition.note = note
    edition.save(update_fields=["note"])
    return edition


def send_for_review(edition: Edition, user) -> Edition:
    """Send a draft for review: refused while the executive summary or a principle's narrative
    is empty; freezes its text and its focus areas (ADR 25)."""
    _require(edition, Edition.Status.DRAFT, doing="sent for review")
    empty = authoring.missing(edition)
    if empty:
        raise EditionError(
            "Write every required section before sending the edition for review. Still empty: "
            + "; ".join(empty)
            + "."
        )
    edition.status = Edition.Status.IN_REVIEW
    edition.submitted_at = timezone.now()
    edition.error = ""
    edition.focus_areas = authoring.focus_areas(edition.call)
    edition.save(update_fields=["status", "submitted_at", "error", "focus_areas"])
    return edition


def back_to_draft(edition: Edition, user=None, reason: str = "") -> Edition:
    _require(edition, Edition.Status.IN_REVIEW, Edition.Status.APPROVED, doing="sent back to draft")
    edition.status = Edition.Status.DRAFT
    edition.approver = None
    edition.approver_role = ""
    edition.approved_at = None
    edition.fingerprint = ""
    edition.error = reason
    edition.save(
        update_fields=["status", "approver", "approver_role", "approved_at", "fingerprint", "error"]
    )
    return edition


def privacy_checks(edition: Edition) -> list:
    """The approved quotes this edition would publish that still need a privacy check (ADR 23):
    `workspace.quote_privacy.QuoteCheck`s, each with its findings and the link to resolve it."""
    from inpractice.workspace import quote_privacy

    if edition.run_id is None:
        return []
    return quote_privacy.unresolved(edition.call, edition.run)


def _require_privacy(edition: Edition) -> None:
    """Refuse while an approved quote that would be published has an unresolved finding."""
    from inpractice.workspace import quote_privacy

    checks = privacy_checks(edition)
    if checks:
        raise EditionError(quote_privacy.blocking_message(checks))


def approve(edition: Edition, user) -> Edition:
    """Approve an edition in review: only someone who did not draft it, and only while it is
    still drafted from the call's current run."""
    _require(edition, Edition.Status.IN_REVIEW, doing="approved")
    if user is None or (edition.author_id is not None and edition.author_id == user.pk):
        raise EditionError(
            "You drafted this edition: another lead analyst or programme admin must approve it."
        )
    run = current_run(edition.call)
    if run is None or run.pk != edition.run_id:
        raise EditionError(
            "The call's current analysis run has changed since this edition was drafted: "
            "discard it and draft a new one from the current run."
        )
    _require_privacy(edition)
    edition.status = Edition.Status.APPROVED
    edition.approver = user
    edition.approver_role = role_label(user)
    edition.approved_at = timezone.now()
    edition.fingerprint = evidence_fingerprint(edition.call)
    edition.error = ""
    edition.save(
        update_fields=["status", "approver", "approver_role", "approved_at", "fingerprint", "error"]
    )
    return edition


def discard(edition: Edition) -> None:
    _require(
        edition,
        Edition.Status.DRAFT,
        Edition.Status.IN_REVIEW,
        Edition.Status.APPROVED,
        doing="discarded",
    )
    edition.delete()


def publish(edition: Edition, user):
    """Queue the build of an approved edition; returns the job (inpractice.jobs)."""
    from inpractice.jobs.models import Job
    from inpractice.jobs.service import start

    _require(edition, Edition.Status.APPROVED, doing="published")
    _require_closed(edition.call)
    _require_privacy(edition)
    with transaction.atomic():
        job = start(Job.Kind.BUILD_EDITION, call=edition.call, user=user, edition=edition.pk)
        edition.status = Edition.Status.PUBLISHING
        edition.job = job
        edition.error = ""
        edition.save(update_fields=["status", "job", "error"])
    return job


# --------------------------------------------------------------------------- building


def _headline_changes(before: dict, after: dict) -> list[str]:
    """What changed in the snapshot's headline figures, in words."""
    labels = {
        "submissions": "Submissions analysed",
        "schools_total": "Unique schools represented",
        "schools_via_trusts": "Schools represented through trusts",
        "schools_via_las_and_providers": (
            "Schools represented through local authorities and providers"
        ),
    }
    changes = []
    old, new = before.get("snapshot") or {}, after.get("snapshot") or {}
    for key, label in labels.items():
        if key in old and key in new and old[key] != new[key]:
            changes.append(f"{label}: {old[key]:,} → {new[key]:,}")
    return changes


def _render(figures: fig.ReportFigures, edition: Edition, when: datetime) -> tuple[str, str]:
    """The page body (served inside the site's layout) and the standalone document (the PDF)."""
    context = {
        **report_context(figures),
        **authored_context(edition, figures),
        "edition": edition,
        "published_at": when,
    }
    body = render_to_string("reports/_edition_body.html", context)
    document = render_to_string(
        "reports/edition_document.html",
        {
            **context,
            "standalone": True,
            "css_files": list(DOCUMENT_CSS),
            "site_url": settings.SITE_URL,
        },
    )
    return body, document


def authored_context(edition: Edition, figures: fig.ReportFigures, citer_for=None) -> dict:
    """The edition's written sections, rendered, in the shape `_edition_text.html` walks.

    `citer_for(anchor, body)` gives the `text.Citer` of each section; by default the public one:
    numbered references to the quotes that may be published now, listed beneath the section,
    and nothing at all for any other marker."""
    from . import text as rtext

    if citer_for is None:
        allowed = authoring.publishable_quotes(edition, authoring.all_cited(edition))

        def citer_for(anchor: str, body: str = "") -> rtext.Citer:
            return rtext.PublicCiter(allowed, anchor, body)

    figures_by_code = {p.code_id: p for p in figures.principles}
    out: dict = {"summary": None, "narratives": [], "implications": None, "recommendations": []}
    for section in authoring.sections(edition):
        anchor = section.field
        citer = citer_for(anchor, section.body)
        level = 4 if section.kind == authoring.Kind.PRINCIPLE else 3
        item = {
            "section": section,
            "anchor": anchor,
            "html": rtext.render(section.body, citer, heading_level=level),
            "sources": getattr(citer, "sources", []),
            # quotes the text already cites: the principle's own quotes are then not repeated
            "quoted": len(getattr(citer, "quoted", ())),
            "written": section.written,
        }
        if section.kind == authoring.Kind.SUMMARY:
            out["summary"] = item
        elif section.kind == authoring.Kind.IMPLICATIONS:
            out["implications"] = item
        elif section.kind == authoring.Kind.PRINCIPLE:
            item["p"] = figures_by_code.get(section.key)
            out["narratives"].append(item)
        elif section.written:
            out["recommendations"].append(item)
    return out


def build_snapshot(edition: Edition, progress: Progress | None = None) -> Edition:
    """Build and publish an approved edition: the work of a "build_edition" job, and what the
    demo calls directly. Raises EditionError, leaving everything published as it was, when the
    evidence is no longer what was approved."""
    say = progress or (lambda *_: None)
    started = time.perf_counter()
    edition.refresh_from_db()
    _require(edition, Edition.Status.APPROVED, Edition.Status.PUBLISHING, doing="built")
    call = edition.call
    _require_closed(call)
    run = current_run(call)
    if run is None or run.pk != edition.run_id:
        raise EditionError(
            "The call's current analysis run changed after this edition was approved: "
            "draft a new edition from the current run."
        )
    if evidence_fingerprint(call) != edition.fingerprint:
        raise EditionError(
            "The evidence changed after this edition was approved (a review, a new submission "
            "or new results): send it for review again so that what is published is what was "
            "approved."
        )
    # Defence in depth: the figures also leave out any quote that needs a privacy check.
    _require_privacy(edition)

    say("Computing the figures", 0, 4)
    figures = fig.report_figures(call, fig.PUBLIC)
    data = fig.open_data(figures)
    buffer = io.BytesIO()
    write_csv(fig.open_data_rows(figures), fig.CSV_COLUMNS, buffer)
    now = timezone.now()
    say("Writing the HTML", 1, 4)
    body, document = _render(figures, edition, now)
    say("Writing the tagged PDF", 2, 4)
    pdf = render_pdf(document)
    say("Publishing", 3, 4)

    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=edition.pk)
        _require(edition, Edition.Status.APPROVED, Edition.Status.PUBLISHING, doing="published")
        previous = (
            Edition.objects.select_for_update()
            .filter(call=call, status=Edition.Status.PUBLISHED)
            .exclude(pk=edition.pk)
            .first()
        )
        changes: list[str] = []
        if previous is not None:
            old = EditionSnapshot.objects.filter(edition=previous).values_list("figures", flat=True)
            changes = _headline_changes(old.first() or {}, data)
            previous.status = Edition.Status.SUPERSEDED
            previous.superseded_at = now
            previous.superseded_by = edition
            previous.save(update_fields=["status", "superseded_at", "superseded_by"])
            # The superseded HTML and PDF go: what they showed is no longer stood behind.
            EditionSnapshot.objects.filter(edition=previous).delete()
        EditionSnapshot.objects.create(
            edition=edition,
            figures=data,
            figures_csv=buffer.getvalue().decode("utf-8"),
            html=body,
            pdf=pdf,
            build_seconds=time.perf_counter() - started,
        )
        edition.status = Edition.Status.PUBLISHED
        edition.published_at = now
        edition.changes = changes
        edition.error = ""
        edition.save(update_fields=["status", "published_at", "changes", "error"])
    say("Published", 4, 4)
    return edition


def build_failed(edition_id: int, error: str, back_to_review: bool) -> None:
    """A build that did not publish: the edition is approved again (retry publishing) or, when
    the evidence changed, back in draft to be reviewed again."""
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None or edition.status not in (
        Edition.Status.PUBLISHING,
        Edition.Status.APPROVED,
    ):
        return
    if back_to_review:
        edition.status = Edition.Status.APPROVED  # back_to_draft expects in review or approved
        back_to_draft(edition, reason=error)
    else:
        edition.status = Edition.Status.APPROVED
        edition.error = error
        edition.save(update_fields=["status", "error"])


def publish_now(edition: Edition, user=None) -> Edition:
    """Build an approved edition here and now, without a worker (the demo, tests, the CLI)."""
    _require(edition, Edition.Status.APPROVED, doing="published")
    return build_snapshot(edition)
