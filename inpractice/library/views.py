"""Pages of the library: the public search and case studies, open data, withdrawing consent, the
submitter's check of the case study drafted from their example, and the moderators' pages for
drafting, checking, reading back and publishing case studies."""

from __future__ import annotations

import json
import tempfile
from urllib.parse import urlencode

from django.conf import settings
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
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from inpractice.accounts.roles import role_required
from inpractice.analysis.spreadsheet import write_csv
from inpractice.intake.models import CallForEvidence, Submission, SubmissionStatus

from . import query as q
from . import services
from .emails import send_submitter_review
from .forms import CaseStudyForm, SearchForm, SubmitterAnswerForm
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
    # Marks only the terms the results were found by: never a word too common to count, nor
    # one the library does not have.
    pattern = q.highlight_pattern(result.matched_terms)
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
    if result.corrections:
        message = (
            "No case study has "
            + " or ".join(f"“{typed}”" for typed in result.corrections)
            + ", so we searched for "
            + " and ".join(f"“{meant}”" for meant in result.corrections.values())
            + "."
        )
    elif parsed.had_input and not parsed.words:
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
        "searched": bool(parsed.words),
        # What was searched for: the query with any typing mistakes corrected.
        "searched_for": q.WORD.sub(
            lambda m: result.corrections.get(m.group().lower(), m.group()), parsed.text
        ),
        "also_searched": _also_searched(result),
        "sort": form.sort_choice() or ("relevance" if parsed.words else "newest"),
        "sorts": SORTS.items(),
        "chosen": chosen,
        "filter_fields": [form[key] for key in form.fields if key not in ("q", "sort")],
        "open_filters": set(filters),
        "page_query": _query_without_page(request),
    }
    return render(request, "library/search.html", context)


def _also_searched(result) -> list[str]:
    """Synonyms of what was typed that the search counted (from the SEND synonym data)."""
    typed = {c.typed for c in result.query.concepts} | set(result.corrections.values())
    labels = q.term_labels()
    seen = []
    for term in result.matched_terms:
        label = labels.get(term, term)
        if term not in typed and label not in seen:
            seen.append(label)
    return seen[:8]


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


# --- the submitter's check (their emailed link) -----------------------------------------------

LINK_PROBLEMS = {
    "bad": (
        "This link does not work",
        "Check that you copied the whole link from the email. If it still does not work, "
        "contact the programme team and quote your reference.",
    ),
    "expired": (
        "This link has expired",
        "The time to answer has passed. Contact the programme team and quote your reference: "
        "they can send you a new link.",
    ),
    "replaced": (
        "There is a newer link",
        "We have sent you a newer link to the case study. Use the link in the most recent email.",
    ),
    "closed": (
        "This case study will not be published",
        "You withdrew your consent to publication, so there is nothing to check.",
    ),
}


def _submitter_rate(group, request) -> str:
    return settings.RATELIMIT_SUBMITTER_REVIEW


def _snapshot_sections(snapshot: dict) -> list[tuple[str, str]]:
    rows = [("Title", snapshot.get("title", "")), ("Summary", snapshot.get("summary", ""))]
    if snapshot.get("attribution") == Attribution.NAMED:
        rows.append(("Organisation shown", snapshot.get("organisation_display") or "No name shown"))
    rows += [(heading, snapshot.get(key, "")) for key, heading in SECTIONS if snapshot.get(key)]
    i = 0
    while f"quote_{i}" in snapshot:
        rows.append((f"Quote {i + 1}", snapshot[f"quote_{i}"]))
        i += 1
    return rows


@ratelimit(key="ip", rate=_submitter_rate, block=True, group="submitter-review")
def submitter_review(request: HttpRequest, token: str) -> HttpResponse:
    found = services.review_for_token(token)
    if found.review is None:
        title, body = LINK_PROBLEMS[found.reason]
        response = render(request, "web/error.html", {"title": title, "body": body}, status=404)
        add_never_cache_headers(response)
        return response
    review = found.review
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = SubmitterAnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and review.answer == review.Answer.WAITING:
        if form.is_valid():
            try:
                review = services.answer_as_submitter(
                    review, form.cleaned_data["answer"] == "approve", form.cleaned_data["comment"]
                )
            except services.CaseStudyError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                return redirect("library:submitter_review", token)
        else:
            status = 400
    elif request.method == "GET":
        services.submitter_viewed(review)
    response = render(
        request,
        "library/submitter_review.html",
        {
            "review": review,
            "submission": review.case_study.submission,
            "sections": _snapshot_sections(review.snapshot),
            "form": form,
            "publish_without_answer": services.publish_without_answer(),
        },
        status=status,
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


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
        if status == case_study.status and action != "publish"
    ]
    submitter = services.submitter_state(case_study)
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
            "may_publish": (case_study.status, "publish") in services.TRANSITIONS,
            "submitter": submitter,
            "may_ask_submitter": case_study.status
            in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)
            and not submitter.allows_publish,
            "reviews": case_study.submitter_reviews.all()[:20],
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


def _chosen_words(request: HttpRequest, case_study: CaseStudy, finding) -> str | None:
    """The words the moderator chose for a finding: one of its suggestions, or their own."""
    choice = request.POST.get("choice", "")
    if choice == "other":
        words = " ".join(request.POST.get("other_words", "").split())
        return words or None
    texts = case_study.public_texts()
    for j, suggestion in enumerate(services.suggestions_for(texts, finding)):
        if choice == f"s{j}":
            return suggestion.words
    return None


@role_required(*VIEWERS)
def staff_check(request: HttpRequest, case_id: int) -> HttpResponse:
    case_study = _case_study(case_id)
    error = ""
    if request.method == "POST":
        if not _may_edit(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        action = request.POST.get("action", "")
        key = (
            request.POST.get("field", ""),
            request.POST.get("entity_type", ""),
            request.POST.get("text", ""),
        )
        try:
            check = services.check_personal_data(case_study)
            finding = next((f for f in check.open if f.key() == key), None)
            if finding is None:
                error = "That finding is no longer in the text. Check the list again."
            elif action == "replace":
                words = _chosen_words(request, case_study, finding)
                if words is None:
                    error = f"Choose the words to put in place of “{key[2]}”."
                else:
                    services.replace_findings(case_study, {key: words}, _actor(request))
                    messages.success(
                        request,
                        f"Replaced “{key[2]}” with “{words}”."
                        if words
                        else f"Took out “{key[2]}”.",
                    )
                    return redirect("library:staff_check", case_study.pk)
            elif action == "safe":
                services.confirm_safe(case_study, key, _actor(request))
                messages.success(request, f"Marked “{key[2]}” as safe to publish.")
                return redirect("library:staff_check", case_study.pk)
            else:
                error = "Choose words to replace the finding, or confirm it is safe."
        except services.CaseStudyError as exc:
            error = str(exc)
        case_study = _case_study(case_id)
    check = services.check_personal_data(case_study)
    texts = case_study.public_texts()
    field_labels = {"title": "Title", "summary": "Summary", "organisation_display": "Organisation"}
    field_labels.update(dict(SECTIONS))

    rows = []
    for i, f in enumerate(check.findings):
        before, after = services.finding_context(texts, f)
        rows.append(
            {
                "id": f"finding-{i}",
                "finding": f,
                "field_label": field_labels.get(f.field, f.field.replace("_", " ").capitalize()),
                "before": before,
                "after": after,
                "safe": f.key() in check.safe,
                "suggestions": [
                    (f"s{j}", s.label, s.words)
                    for j, s in enumerate(services.suggestions_for(texts, f))
                ],
            }
        )
    return render(
        request,
        "library/staff/check.html",
        {
            "case_study": case_study,
            "rows": rows,
            "open_count": len(check.open),
            "placeholders": services.placeholders(texts),
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
    if action == "publish":
        # Publishing is done from the read-back page, so the words are read before they go out.
        return redirect("library:staff_publish", case_study.pk)
    try:
        updated = services.transition(
            case_study, action, _actor(request), note=request.POST.get("note", "")[:500]
        )
    except services.CaseStudyError as exc:
        return _detail(request, _case_study(case_id), error=str(exc), status=409)
    messages.success(request, f"The case study is now {updated.get_status_display().lower()}.")
    return redirect("library:staff_detail", case_study.pk)


@role_required(MODERATOR)
@require_POST
def staff_ask_submitter(request: HttpRequest, case_id: int) -> HttpResponse:
    from inpractice.intake.emails import delivered

    case_study = _case_study(case_id)
    try:
        review = services.ask_submitter(case_study, _actor(request))
    except services.CaseStudyError as exc:
        return _detail(request, _case_study(case_id), error=str(exc), status=409)
    if delivered(send_submitter_review, request, review):
        messages.success(request, "We emailed the submitter a link to check the case study.")
    else:
        services.email_not_sent(review, _actor(request))
        messages.error(request, "The email to the submitter could not be sent. Try again later.")
    return redirect("library:staff_detail", case_study.pk)


@role_required(MODERATOR)
def staff_publish(request: HttpRequest, case_id: int) -> HttpResponse:
    """The words exactly as a reader will see them, read back before the moderator publishes."""
    case_study = _case_study(case_id)
    error = ""
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            services.transition(case_study, "publish", _actor(request), expected_version=version)
        except services.CaseStudyError as exc:
            error = str(exc)
            case_study = _case_study(case_id)
        else:
            messages.success(request, "The case study is now published.")
            return redirect("library:staff_detail", case_study.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    can = (case_study.status, "publish") in services.TRANSITIONS
    problems = services.publish_problems(case_study) if can else []
    return render(
        request,
        "library/staff/publish.html",
        {
            "case_study": case_study,
            "named": case_study.attribution == Attribution.NAMED,
            "sections": [
                (key, heading, getattr(case_study, key))
                for key, heading in SECTIONS
                if getattr(case_study, key)
            ],
            "can_publish": can and not problems,
            "status_problem": ""
            if can
            else f"A case study that is {case_study.get_status_display().lower()} cannot be "
            "published: it must be approved by a second moderator first.",
            "problems": problems,
            "submitter": services.submitter_state(case_study),
            "error": error,
        },
        status=400 if error else 200,
    )


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
