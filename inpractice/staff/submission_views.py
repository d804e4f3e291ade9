"""The programme team's submissions: the list (search, filters, sorting), one submission, export.

Programme admins only, like every page that shows contact details (docs/permissions.md). The
detail page and the export are audited by the privacy app's middleware, which this layer may
not import: a view marks an export with `audit_action` and `audit_records` on its response.
"""

from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from inpractice.accounts.roles import role_required
from inpractice.analysis.spreadsheet import write_csv, write_xlsx
from inpractice.coding.models import Passage, SubmissionResult
from inpractice.coding.runs import current_run
from inpractice.intake.journey import answer_summary, steps
from inpractice.intake.models import CallForEvidence, Submission, SubmissionStatus
from inpractice.intake.sharing import staff_sharing

from .calls import removed_question_answers, versioned_lines
from .listing import EXPORT_COLUMNS, PAGE_SIZE, coverage_summary, export_rows, find, page_rows

ADMIN = "programme-admin"
SCHOOLS_SHOWN = 500  # a whole local authority can be hundreds; the export has every URN
LIST_PARAMETERS = {"q", "status", "org_type", "region", "phase", "analysed", "sort", "page"}


@role_required(ADMIN)
@require_GET
def submissions(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    listing = find(call, request.GET)
    page = Paginator(listing.submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"submission": s, "schools": coverage_summary(s)}
        for s in page_rows(listing, page.object_list)
    ]
    params = request.GET.copy()
    params.pop("page", None)
    # Each submission's page links back to this page of the list as it was searched.
    back = request.GET.urlencode()
    form = listing.form
    return render(
        request,
        "staff/submissions.html",
        {
            "call": call,
            "form": form,
            "page": page,
            "rows": rows,
            "run": listing.run,
            "drafts": listing.criteria["status"] == SubmissionStatus.DRAFT,
            "query": params.urlencode(),
            "back": urlencode({"back": back}) if back else "",
            "narrowed": form.narrowed(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@role_required(ADMIN)
@require_GET
def submission(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = get_object_or_404(CallForEvidence, slug=slug)
    s = get_object_or_404(
        Submission.objects.select_related("coverage_trust", "coverage_local_authority"),
        pk=pk,
        call=call,
    )
    covered = s.covered_schools.select_related("school", "school__local_authority").order_by(
        "school__name", "urn"
    )
    school_count = covered.count()
    # What the list's rows are annotated with, for the same one-line summary of the coverage.
    s.school_count = school_count
    first = s.covered_schools.filter(school__isnull=False).order_by("pk").first()
    s.first_school = first.school.name if first else None
    run = current_run(call)
    analysis = None
    if run is not None:
        result = SubmissionResult.objects.filter(run=run, submission=s).first()
        analysis = {
            "run": run,
            "passages": Passage.objects.filter(run=run, submission=s).count(),
            "result": result,
        }
    answers = [
        {"step": step, "lines": versioned_lines(call, s, step, answer_summary(step, s))}
        for step in steps(call)
        if step.slug not in ("about-you", "schools", "consent")
    ]
    answers += removed_question_answers(call, s)
    contact = next(
        (answer_summary(step, s) for step in steps(call) if step.slug == "about-you"), []
    )
    consent = next((answer_summary(step, s) for step in steps(call) if step.slug == "consent"), [])
    return render(
        request,
        "staff/submission.html",
        {
            "call": call,
            "back": _list_query(request.GET.get("back", "")),
            "s": s,
            "schools": covered[:SCHOOLS_SHOWN],
            "school_count": school_count,
            "schools_shown": min(school_count, SCHOOLS_SHOWN),
            "not_in_register": covered.filter(in_register=False).count(),
            "answers": answers,
            "contact": contact,
            "consent": consent,
            "analysis": analysis,
            "coverage": coverage_summary(s),
            "sharing": staff_sharing(s),
        },
    )


@role_required(ADMIN)
@require_GET
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """The list as it is searched and filtered, every row, as CSV or XLSX safe to open."""
    call = get_object_or_404(CallForEvidence, slug=slug)
    listing = find(call, request.GET)
    kind = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    # Spooled: a small export stays in memory, a large one goes to a temporary file; every cell
    # passes through the spreadsheet module's formula-injection guard.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - response closes it
    rows = export_rows(listing)
    if kind == "xlsx":
        counted = _Counted(rows)
        write_xlsx({"Submissions": (EXPORT_COLUMNS, counted)}, spool)
        count = counted.count
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        count = write_csv(rows, EXPORT_COLUMNS, spool)
        content_type = "text/csv; charset=utf-8"
    spool.seek(0)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response = FileResponse(
        spool,
        as_attachment=True,
        filename=f"{call.slug}-submissions-{stamp}.{kind}",
        content_type=content_type,
    )
    # Read by inpractice.privacy.middleware: an export of personal data, and how many records.
    response.audit_action = "export"
    response.audit_records = count
    return response


def _list_query(text: str) -> str:
    """The list's own parameters from `back`, re-encoded: nothing else reaches the link."""
    kept = QueryDict(text[:1000]).copy()
    for key in list(kept):
        if key not in LIST_PARAMETERS:
            del kept[key]
    return kept.urlencode()


class _Counted:
    def __init__(self, rows) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row
