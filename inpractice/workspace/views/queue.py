"""The workspace's list of calls, a call's review queue, the evidence behind a figure, model
against human, and the history of changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from inpractice.accounts.roles import has_role
from inpractice.coding.models import CodeApplication, Mention, Passage, SubmissionResult

from .. import actions
from ..access import call_for, is_lead, visible_calls
from ..forms import AssignManyForm
from ..metrics import code_names, current_codebook, model_vs_human
from ..models import Coding, Event, SubmissionReview
from ..queue import ORDERS, build_queue, filter_submissions, progress
from .common import require_lead, without_blind_codes, workspace_role

PAGE_SIZE = 50
EVIDENCE_PAGE_SIZE = 25
# Counting every passage behind a common code took 0.36 s of the page's 0.48 s at 100,000
# submissions (bench/workspace_bench.py); past this many the page says "more than" instead.
EVIDENCE_COUNT_CAP = 5000


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows, so a page of a huge list costs what a small one does."""

    cap = EVIDENCE_COUNT_CAP

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


@workspace_role
def home(request: HttpRequest) -> HttpResponse:
    calls = []
    for call in visible_calls(request.user):
        calls.append({"call": call, "progress": progress(call, request.user)})
    return render(request, "workspace/home.html", {"calls": calls, "lead": is_lead(request.user)})


@workspace_role
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    q = build_queue(call, request.GET, request.user)
    page = Paginator(q.submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [s.pk for s in page.object_list]
    reviews = {
        r.submission_id: r
        for r in SubmissionReview.objects.filter(submission_id__in=ids).select_related(
            "assigned_to"
        )
    }
    results = {}
    if q.run is not None:
        results = {
            r.submission_id: r
            for r in SubmissionResult.objects.filter(run=q.run, submission_id__in=ids)
        }
    names = code_names(current_codebook(call))
    rows = [
        {
            "submission": s,
            "review": reviews.get(s.pk),
            "codes": [names.get(c, c) for c in getattr(results.get(s.pk), "codes", [])],
            "evidence_rich": getattr(results.get(s.pk), "evidence_rich", None),
        }
        for s in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    lead = is_lead(request.user)
    return render(
        request,
        "workspace/queue.html",
        {
            "call": call,
            "run": q.run,
            "form": q.form,
            "page": page,
            "rows": rows,
            "progress": progress(call, request.user),
            "query": params.urlencode(),
            "filtered": bool(q.form.active_filters()) if request.GET else False,
            "manages_team": has_role(request.user, "lead-analyst", "programme-admin"),
            "order_label": dict(ORDERS).get(q.form.chosen_order() if request.GET else "", ""),
            # Lead analysts tick submissions on the page and assign them at once.
            "assign_form": AssignManyForm(ids=ids) if lead else None,
            "here": request.get_full_path(),
        },
    )


@workspace_role
@require_POST
def assign_many(request: HttpRequest, slug: str) -> HttpResponse:
    """Assign the submissions ticked on a queue page (or every one on it) to one analyst.

    Lead analysts only. Each row carries the version it was drawn with (`version-<id>`): if
    anyone changed one of them since, nothing is assigned and the page says which changed."""
    call = call_for(request.user, slug)
    require_lead(request.user)
    back = request.POST.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        back = reverse("workspace:queue", args=[call.slug])
    posted = {int(x) for x in request.POST.getlist("on_page") if x.isdigit()}
    posted |= {int(x) for x in request.POST.getlist("submissions") if x.isdigit()}
    # Only submissions this lead may see in the queue (submitted, not held blind from them).
    ids = list(
        filter_submissions(call, None, {}, request.user)
        .filter(pk__in=posted)
        .values_list("pk", flat=True)
    )
    form = AssignManyForm(request.POST, ids=ids)
    if not form.is_valid():
        errors = [*form.non_field_errors(), *form.errors.get("user", [])]
        if "submissions" in form.errors or "on_page" in form.errors:
            errors.append("Some of the selected submissions are not in this call's queue.")
        for error in errors:
            messages.error(request, error)
        return redirect(back)
    chosen = form.cleaned_data["chosen"]
    try:
        versions = {pk: int(request.POST.get(f"version-{pk}", "")) for pk in chosen}
    except ValueError:
        messages.error(request, "The form was missing its versions: reload the page.")
        return redirect(back)
    user = form.cleaned_data["user"]
    try:
        subs = actions.assign_many(call, request.user, versions, user)
    except actions.Conflict as exc:
        ref = exc.review.submission.reference
        messages.error(
            request,
            f"Nothing was assigned: {ref} changed after this page was drawn (someone else "
            "assigned, coded or reviewed it). Check the queue and try again.",
        )
        return redirect(back)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    n = len(subs)
    messages.success(request, f"Assigned {n} submission{'' if n == 1 else 's'} to {user.username}.")
    return redirect(back)


@workspace_role
def model_agreement(request, slug: str):
    call = call_for(request.user, slug)
    versus = model_vs_human(call)
    return render(request, "workspace/model_agreement.html", {"call": call, "versus": versus})


def _evidence(call, run, filters, user, code, theme, mention):
    """The passages of the filtered submissions with `code`, in `theme` or holding `mention`."""
    subs = filter_submissions(call, run, filters, user)
    items = Passage.objects.filter(run=run, submission__in=subs)
    if code:
        codebook = current_codebook(call)
        family = [c.id for top in codebook.walk() if top.id == code for c in top.walk()]
        human = Coding.objects.filter(
            call=call,
            code_id__in=family or [code],
            active=True,
            decision="applied",
            sample__isnull=True,
        )
        # IN (subquery) lets the database hash each side once; a correlated EXISTS per
        # passage was ten times slower on PostgreSQL at 100,000 passages.
        model = CodeApplication.objects.filter(run=run, code_id=code, applied=True)
        items = items.filter(
            Q(pk__in=model.values("passage_id"))
            | Q(pk__in=human.filter(passage__isnull=False).values("passage_id"))
        )
    if theme:
        items = items.filter(theme_id=theme)
    if mention:
        # The passages whose words hold the mention, not every passage of its submission.
        spans = Mention.objects.filter(
            run=run,
            mention_id=mention,
            submission_id=OuterRef("submission_id"),
            field=OuterRef("field"),
            start__lt=OuterRef("end"),
            end__gt=OuterRef("start"),
        )
        items = items.filter(Exists(spans))
    return items.order_by("submission_id", "index").select_related("submission")


@workspace_role
def evidence(request, slug: str):
    """The coded passages behind a figure: by code, theme or mention, within filters."""
    call = call_for(request.user, slug)
    q = build_queue(call, request.GET, request.user)
    run = q.run
    filters = q.form.active_filters() if request.GET else {}
    code = filters.pop("code", None)
    theme = filters.pop("theme", None)
    mention = (request.GET.get("mention") or "")[:120]
    items = Passage.objects.none()
    # The report's barriers section links each count to its passages by stance (ADR 0027).
    stance = request.GET.get("stance") or ""
    stance = stance if stance in dict(Passage._meta.get_field("stance").choices) else ""
    if run is not None:
        items = _evidence(call, run, filters, request.user, code, theme, mention)
        if stance:
            items = items.filter(stance=stance)
    page = CappedPaginator(items, EVIDENCE_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    names = code_names(current_codebook(call))
    return render(
        request,
        "workspace/evidence.html",
        {
            "call": call,
            "run": run,
            "form": q.form,
            "page": page,
            "code_name": names.get(code, code) if code else "",
            "mention": mention,
            "stance": stance,
            "query": params.urlencode(),
        },
    )


@workspace_role
def history(request, slug: str):
    call = call_for(request.user, slug)
    events = Event.objects.filter(call=call).select_related("actor", "submission")
    events = without_blind_codes(events, call, request.user)
    kind = request.GET.get("kind", "")[:40]
    if kind:
        events = events.filter(kind=kind)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/history.html", {"call": call, "page": page, "kind": kind})
