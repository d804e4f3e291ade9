"""Pages of the library: the public search and case studies, open data, withdrawing consent,
and the moderators' pages for drafting, checking and publishing case studies."""

from __future__ import annotations

import json
import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from inpractice.accounts.roles import role_required
from inpractice.analysis.spreadsheet import write_csv
from inpractice.intake.models import CallForEvidence, Submission, SubmissionStatus

from . import query as q
from . import services
from .forms import CaseStudyForm, SearchForm
from .models import SECTIONS, Attribution, CaseStudy, Status
from .public import CSV_COLUMNS, flat_row, principle_names, published, record, tags_with_labels
from .search import SORTS, search, similar
from .tags import BY_KEY

PAGE_SIZE = 20
MODERATOR = "moderator"
VIEWERS = ("moderator", "programme-admin")


# --- public search --------------------------------------------------------------------------


def _principle_choices(names: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(names.items(), key=lambda item: item[0])


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    names = principle_names()
    form = SearchForm(request.GET, _principle_choices(names))
    filters = form.filters()
    raw = form.query()
    result = search(raw, filters, form.sort_choice())
    parsed = result.query
    paginator = Paginator(result.ids, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = {c.pk: c for c in published().filter(pk__in=list(page.object_list))}
    pattern = q.highlight_pattern(parsed.expanded if parsed.words else [])
    results = []
    for case_id in page.object_list:
        case_study = rows.get(case_id)
        if case_study is None:
            continue  # unpublished since the index was built: never shown
        best = max(
            [case_study.summary, *case_study.section_texts().values()],
            key=lambda text: q.count_matches(text, pattern),
        )
        extract = q.snippet(best, pattern) if best != case_study.summary else ""
        results.append(
            {
                "case_study": case_study,
                "title": mark_safe(q.highlight(case_study.title, pattern)),  # noqa: S308 - escaped
                "summary": mark_safe(q.highlight(case_study.summary, pattern)),  # noqa: S308
                "extract": mark_safe(q.highlight(extract, pattern)) if extract else "",  # noqa: S308
                "tags": tags_with_labels(case_study, names),
            }
        )
    chosen = [
        {
            "facet": key,
            "label": form.fields[key].label,
            "value": value,
            "value_label": dict(form.fields[key].choices).get(value, value),
            "remove": _url_without(request, key, value),
        }
        for key, values in filters.items()
        for value in values
    ]
    message = ""
    if parsed.had_input and not parsed.words:
        message = "Your search had no letters or numbers in it, so all case studies are shown."
    elif parsed.truncated:
        message = (
            f"Your search was long, so we searched for the first {q.MAX_WORDS} words "
            f"({q.MAX_CHARS} characters at most)."
        )
    context = {
        "form": form,
        "query": parsed.text,
        "message": message,
        "results": results,
        "page": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "ellipsis": paginator.ELLIPSIS,
        "total": result.total,
        "capped": result.capped,
        "sort": form.sort_choice() or ("relevance" if parsed.words else "newest"),
        "sorts": SORTS.items(),
        "chosen": chosen,
        "filter_fields": [form[key] for key in form.fields if key not in ("q", "sort")],
        "open_filters": set(filters),
        "page_query": _query_without_page(request),
    }
    return render(request, "library/search.html", context)


def _query_without_page(request: HttpRequest) -> str:
    pairs = [(k, v) for k, values in request.GET.lists() for v in values if k != "page"]
    return urlencode(pairs)


def _url_without(request: HttpRequest, key: str, value: str) -> str:
    pairs = [
        (k, v)
        for k, values in request.GET.lists()
        for v in values
        if k != "page" and not (k == key and v == value)
    ]
    return f"{reverse('library:search')}?{urlencode(pairs)}" if pairs else reverse("library:search")


@require_GET
def case_study_page(request: HttpRequest, case_study: str) -> HttpResponse:
    item = published().filter(slug=case_study).select_related("call").first()
    if item is None:
        if CaseStudy.objects.filter(slug=case_study).exists():
            # It was published once: say it has gone rather than that it never existed.
            return render(request, "library/gone.html", status=410)
        raise Http404("No such case study")
    names = principle_names()
    similar_ids = similar(item)
    others = {c.pk: c for c in published().filter(pk__in=similar_ids)}
    context = {
        "case_study": item,
        "sections": [
            (key, heading, getattr(item, key)) for key, heading in SECTIONS if getattr(item, key)
        ],
        "tags": tags_with_labels(item, names),
        "named": item.attribution == Attribution.NAMED,
        "similar": [others[i] for i in similar_ids if i in others],
    }
    return render(request, "library/case_study.html", context)


# --- open data ------------------------------------------------------------------------------


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    calls = []
    for call in CallForEvidence.objects.order_by("-opens_at"):
        links = {}
        for fmt in ("csv", "json"):
            try:
                links[fmt] = reverse(f"reports:figures_{fmt}", kwargs={"slug": call.slug})
            except NoReverseMatch:
                links = {}
                break
        if links:
            calls.append({"call": call, "links": links})
    context = {
        "count": published().count(),
        "calls": calls,
        "schema_url": reverse("library:api_schema"),
        "api_url": reverse("library:api_list"),
    }
    return render(request, "library/open_data.html", context)


def _records(request: HttpRequest):
    names = principle_names()
    base = request.build_absolute_uri("/").rstrip("/")
    for item in (
        published()
        .select_related("call")
        .order_by("first_published_at", "pk")
        .iterator(chunk_size=500)
    ):
        yield record(item, names, base + reverse("library:case_study", args=[item.slug]))


@require_GET
def download_csv(request: HttpRequest) -> FileResponse:
    # Spooled: small libraries stay in memory, a large one goes to a temporary file, and
    # every cell passes through the spreadsheet module's formula-injection guard.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - response closes it
    write_csv((flat_row(data) for data in _records(request)), CSV_COLUMNS, spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename="case-studies.csv",
        content_type="text/csv; charset=utf-8",
    )


@require_GET
def download_json(request: HttpRequest) -> StreamingHttpResponse:
    def chunks():
        yield '{"licence": "Open Government Licence v3.0", "generated_at": '
        yield json.dumps(timezone.now().isoformat()) + ', "case_studies": ['
        for i, data in enumerate(_records(request)):
            yield ("," if i else "") + json.dumps(data, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="case-studies.json"'
    return response


# --- withdrawing consent (the submitter's emailed link) ---------------------------------------


def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    submission = services.submission_for_token(token)
    if submission is None:
        return render(
            request,
            "web/error.html",
            {
                "title": "This link does not work",
                "body": "Check that you copied the whole link from your receipt email. If it "
                "still does not work, contact the programme team and quote your reference.",
            },
            status=404,
        )
    if request.method == "POST":
        services.withdraw_consent(submission, services.Actor(label="the submitter (emailed link)"))
        return render(request, "library/withdrawn.html", {"submission": submission})
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "library/withdraw.html", {"submission": submission})


# --- moderators -----------------------------------------------------------------------------


def _actor(request: HttpRequest) -> services.Actor:
    return services.Actor(user=request.user)


def _may_edit(request: HttpRequest) -> bool:
    from inpractice.accounts.roles import has_role

    return has_role(request.user, MODERATOR)


@role_required(*VIEWERS)
def staff_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = (
        CaseStudy.objects.select_related("submission")
        .order_by("-updated_at")
        .defer("embedding", "search_text")
    )
    if status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = {s: CaseStudy.objects.filter(status=s).count() for s in Status.values}
    candidates = (
        services.publishable_submissions()
        .filter(case_study__isnull=True)
        .select_related("call")
        .order_by("-submitted_at")
    )
    candidate_page = Paginator(candidates, 50).get_page(request.GET.get("candidates"))
    return render(
        request,
        "library/staff/list.html",
        {
            "page": page,
            "status": status,
            "statuses": [(s, label, counts[s]) for s, label in Status.choices],
            "candidates": candidate_page,
            "may_edit": _may_edit(request),
        },
    )


def _principle_choices_for(call: CallForEvidence) -> list[tuple[str, str]]:
    return [(c["id"], c["name"]) for c in (call.codebook or {}).get("codes", [])]


def _form(request, submission, attribution, initial=None, data=None):
    return CaseStudyForm(
        data,
        initial=initial,
        principle_choices=_principle_choices_for(submission.call),
        quote_choices=services.approved_quotes(submission),
        attribution=attribution,
    )


@role_required(MODERATOR)
def staff_new(request: HttpRequest, reference: str) -> HttpResponse:
    submission = get_object_or_404(
        Submission.objects.select_related("call"),
        reference=reference,
        status=SubmissionStatus.SUBMITTED,
    )
    existing = CaseStudy.objects.filter(submission=submission).first()
    if existing is not None:
        return redirect("library:staff_detail", existing.pk)
    if submission.consent_publication not in (Attribution.NAMED, Attribution.ANONYMISED):
        return render(
            request,
            "web/error.html",
            {
                "title": "This response cannot be published",
                "body": f"{submission.reference} did not consent to publication.",
            },
            status=409,
        )
    attribution = submission.consent_publication
    if request.method == "POST":
        form = _form(request, submission, attribution, data=request.POST)
        if form.is_valid():
            try:
                case_study = services.draft_case_study(submission, _actor(request), form.values())
            except services.CaseStudyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Draft saved. Run the personal data check next.")
                return redirect("library:staff_check", case_study.pk)
        status = 400
    else:
        form = _form(request, submission, attribution, initial=services.draft_values(submission))
        status = 200
    return render(
        request,
        "library/staff/edit.html",
        {"form": form, "submission": submission, "case_study": None, "attribution": attribution},
        status=status,
    )


def _case_study(pk: int) -> CaseStudy:
    return get_object_or_404(
        CaseStudy.objects.select_related("submission", "call", "created_by"), pk=pk
    )


@role_required(*VIEWERS)
def staff_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _detail(request, _case_study(case_id))


def _detail(
    request: HttpRequest, case_study: CaseStudy, error: str = "", status: int = 400
) -> HttpResponse:
    check = services.check_personal_data(case_study)
    actions = [
        (action, services.ACTION_LABELS[action])
        for (status, action) in services.TRANSITIONS
        if status == case_study.status
    ]
    return render(
        request,
        "library/staff/detail.html",
        {
            "case_study": case_study,
            "sections": [(key, heading, getattr(case_study, key)) for key, heading in SECTIONS],
            "tags": [
                (BY_KEY[facet].label, values)
                for facet, values in tags_with_labels(
                    case_study, dict(_principle_choices_for(case_study.call))
                ).items()
            ],
            "open_findings": check.open,
            "problems": services.publish_problems(case_study)
            if case_study.status in (Status.APPROVED, Status.UNPUBLISHED)
            else [],
            "actions": actions,
            "versions": case_study.versions.select_related("saved_by")[:50],
            "may_edit": _may_edit(request),
            "editable": case_study.status in services.EDITABLE,
            "error": error,
        },
        status=status if error else 200,
    )


@role_required(MODERATOR)
def staff_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case_study = _case_study(case_id)
    if case_study.status not in services.EDITABLE:
        return _detail(
            request,
            case_study,
            error="Unpublish this case study before editing it."
            if case_study.status == Status.PUBLISHED
            else "A withdrawn case study cannot be edited.",
            status=409,
        )
    submission = case_study.submission
    if request.method == "POST":
        form = _form(request, submission, case_study.attribution, data=request.POST)
        if form.is_valid():
            try:
                services.save_edits(
                    case_study,
                    form.values(),
                    _actor(request),
                    expected_version=form.cleaned_data.get("version") or -1,
                )
            except services.CaseStudyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Changes saved.")
                return redirect("library:staff_detail", case_study.pk)
        status = 400
    else:
        form = _form(
            request,
            submission,
            case_study.attribution,
            initial=CaseStudyForm.initial_for(case_study),
        )
        status = 200
    return render(
        request,
        "library/staff/edit.html",
        {
            "form": form,
            "submission": submission,
            "case_study": case_study,
            "attribution": case_study.attribution,
        },
        status=status,
    )


@role_required(*VIEWERS)
def staff_check(request: HttpRequest, case_id: int) -> HttpResponse:
    case_study = _case_study(case_id)
    error = ""
    if request.method == "POST":
        if not _may_edit(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "redact-all":
                keys = [f.key() for f in services.check_personal_data(case_study).open]
                n = services.redact(case_study, keys, _actor(request))
                messages.success(request, f"Redacted {n} finding(s).")
                return redirect("library:staff_check", case_study.pk)
            key = (
                request.POST.get("field", ""),
                request.POST.get("entity_type", ""),
                request.POST.get("text", ""),
            )
            current = {f.key() for f in services.check_personal_data(case_study).open}
            if key not in current:
                error = "That finding is no longer in the text. Check the list again."
            elif action == "redact":
                services.redact(case_study, [key], _actor(request))
                messages.success(request, f"Redacted “{key[2]}”.")
                return redirect("library:staff_check", case_study.pk)
            elif action == "safe":
                services.confirm_safe(case_study, key, _actor(request))
                messages.success(request, f"Marked “{key[2]}” as safe to publish.")
                return redirect("library:staff_check", case_study.pk)
            else:
                error = "Choose to redact the finding or confirm it is safe."
        except services.CaseStudyError as exc:
            error = str(exc)
        case_study = _case_study(case_id)
    check = services.check_personal_data(case_study)
    texts = case_study.public_texts()
    field_labels = {"title": "Title", "summary": "Summary", "organisation_display": "Organisation"}
    field_labels.update(dict(SECTIONS))

    def context_of(finding):
        text = texts.get(finding.field, "")
        before = text[max(0, finding.start - 60) : finding.start]
        after = text[finding.end : finding.end + 60]
        return {"before": before, "after": after}

    rows = [
        {
            "finding": f,
            "field_label": field_labels.get(f.field, f.field.replace("_", " ").capitalize()),
            **context_of(f),
            "safe": f.key() in check.safe,
        }
        for f in check.findings
    ]
    return render(
        request,
        "library/staff/check.html",
        {
            "case_study": case_study,
            "rows": rows,
            "open_count": len(check.open),
            "error": error,
            "may_edit": _may_edit(request) and case_study.status in services.EDITABLE,
        },
        status=400 if error else 200,
    )


@role_required(MODERATOR)
@require_POST
def staff_transition(request: HttpRequest, case_id: int) -> HttpResponse:
    case_study = _case_study(case_id)
    action = request.POST.get("action", "")
    try:
        updated = services.transition(
            case_study, action, _actor(request), note=request.POST.get("note", "")[:500]
        )
    except services.CaseStudyError as exc:
        return _detail(request, _case_study(case_id), error=str(exc), status=409)
    messages.success(request, f"The case study is now {updated.get_status_display().lower()}.")
    return redirect("library:staff_detail", case_study.pk)


@role_required(*VIEWERS)
def staff_version(request: HttpRequest, case_id: int, number: int) -> HttpResponse:
    case_study = _case_study(case_id)
    version = get_object_or_404(case_study.versions.select_related("saved_by"), number=number)
    snapshot = version.snapshot
    return render(
        request,
        "library/staff/version.html",
        {
            "case_study": case_study,
            "version": version,
            "sections": [
                (heading, snapshot.get(key, ""))
                for key, heading in [("title", "Title"), ("summary", "Summary"), *SECTIONS]
            ],
            "tags": {
                label: _display(snapshot.get(key))
                for key, label in (
                    ("principles", "Principles"),
                    ("practice_types", "Types of practice"),
                    ("need_areas", "Areas of need"),
                    ("need_codes", "Needs"),
                    ("phases", "Phases"),
                    ("region", "Region"),
                    ("organisation_type", "Organisation type"),
                    ("organisation_display", "Organisation shown"),
                )
            },
        },
    )


def _display(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value or "")
