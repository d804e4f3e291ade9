"""Workspace pages: calls, the review queue, reading and coding a submission, blind double coding,
model against human, the evidence behind a figure, and the history of changes.

Views stay thin: access is decided in `access`, changes go through `actions` (which log events
and detect conflicts), figures come from `metrics` and `queue`.
"""

from __future__ import annotations

import random
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from inpractice.accounts.roles import has_role, role_required
from inpractice.coding.models import CodeApplication, Mention, Passage, SubmissionResult

from . import actions
from .access import WORKSPACE_ROLES, call_for, is_lead, visible_calls
from .events import record
from .forms import (
    AssignmentForm,
    MemoForm,
    PassageCodeForm,
    ResolveForm,
    SampleForm,
    SpanCodeForm,
    code_choices,
)
from .metrics import code_names, current_codebook, latest_run, model_vs_human, sample_agreement
from .models import CallAssignment, Coding, DoubleCodingSample, Event, Memo, SubmissionReview
from .queue import build_queue, filter_submissions, progress, submitted

PAGE_SIZE = 50
EVIDENCE_PAGE_SIZE = 25


def _lead_only(user) -> None:
    if not is_lead(user):
        raise PermissionDenied


# -- calls and queue --------------------------------------------------------------------------


@role_required(*WORKSPACE_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    calls = []
    for call in visible_calls(request.user):
        calls.append({"call": call, "progress": progress(call, request.user)})
    return render(request, "workspace/home.html", {"calls": calls, "lead": is_lead(request.user)})


@role_required(*WORKSPACE_ROLES)
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
        },
    )


# -- reading and coding a submission ----------------------------------------------------------


def _answer_fields(call, submission) -> list[tuple[str, str]]:
    fields = [("need_description", "The need")]
    fields += [(q["key"], q["label"]) for q in call.questions]
    return [(key, label) for key, label in fields if actions.field_text(submission, key)]


def _marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The text cut into (piece, coded?) so coded words can be marked up without |safe."""
    cuts = sorted({0, len(text), *[x for s in spans for x in s if 0 <= x <= len(text)]})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        coded = any(s < b and a < e for s, e in spans)
        pieces.append((text[a:b], coded))
    return pieces


def _visible_codings(submission, user, sample: DoubleCodingSample | None):
    qs = Coding.objects.filter(submission=submission, active=True).select_related("coder")
    if sample is not None:
        # Blind: a coder sees only their own codes in the sample, never the other coder's.
        return qs.filter(sample=sample, coder=user)
    return qs.filter(Q(sample__isnull=True) | Q(origin=Coding.Origin.CONSENSUS))


def _submission_page(request, call, submission, sample=None, forms_with_errors=None, status=200):
    run = latest_run(call)
    review = actions.review_for(submission)
    names = code_names(current_codebook(call))
    codings = list(_visible_codings(submission, request.user, sample))
    passages = list(Passage.objects.filter(run=run, submission=submission)) if run else []
    proposals: dict[int, list] = defaultdict(list)
    if run is not None and sample is None:
        for app in CodeApplication.objects.filter(passage__in=passages, applied=True).order_by(
            "-probability"
        ):
            proposals[app.passage_id].append(app)
    decided = {(c.passage_id, c.code_id): c for c in codings if c.passage_id and c.coder_id}
    fields = []
    for key, label in _answer_fields(call, submission):
        text = actions.field_text(submission, key)
        field_codings = [c for c in codings if c.field == key]
        applied = [(c.start, c.end) for c in field_codings if c.decision == "applied"]
        blocks = []
        for p in (p for p in passages if p.field == key):
            blocks.append(
                {
                    "passage": p,
                    "pieces": _marked(p.text, [(s - p.start, e - p.start) for s, e in applied]),
                    "proposals": [
                        {
                            "app": a,
                            "name": names.get(a.code_id, a.code_id),
                            "decision": decided.get((p.pk, a.code_id)),
                        }
                        for a in proposals.get(p.pk, [])
                    ],
                }
            )
        if not blocks:  # not analysed yet: the answer as one block, still codable by words
            blocks = [{"passage": None, "pieces": _marked(text, applied), "proposals": []}]
        fields.append(
            {
                "key": key,
                "label": label,
                "blocks": blocks,
                "codings": [
                    {"coding": c, "name": names.get(c.code_id, c.code_id)} for c in field_codings
                ],
            }
        )
    forms_with_errors = forms_with_errors or {}
    initial = {"version": review.version}
    span_form = forms_with_errors.get("span") or SpanCodeForm(
        call=call, fields=_answer_fields(call, submission), initial=initial
    )
    memo_form = forms_with_errors.get("memo") or MemoForm(call=call, initial=initial, display=True)
    memos = Memo.objects.filter(submission=submission, active=True).select_related("author")
    if sample is not None:
        memos = memos.filter(author=request.user)
    history = _without_blind_codes(
        Event.objects.filter(submission=submission).select_related("actor"), call, request.user
    )
    if sample is not None:
        history = history.filter(actor=request.user)
    context = {
        "call": call,
        "submission": submission,
        "review": review,
        "run": run,
        "fields": fields,
        "span_form": span_form,
        "memo_form": memo_form,
        "memos": memos,
        "codes": code_choices(call),
        "sample": sample,
        "history": history[:10],
        "undoable": actions.last_undoable(submission, request.user),
        "lead": is_lead(request.user),
        "assign_form": AssignmentForm(initial={"user": review.assigned_to_id}),
        "errors": [f for f in forms_with_errors.values() if f.errors],
        "conflict": forms_with_errors.get("conflict"),
    }
    return render(request, "workspace/submission.html", context, status=status)


def _without_blind_codes(events, call, user):
    """Hide other people's codes inside blind samples from everyone but the lead analysts."""
    if has_role(user, "lead-analyst"):
        return events
    hidden = [
        f"coding:{pk}"
        for pk in Coding.objects.filter(call=call, sample__isnull=False)
        .exclude(coder=user)
        .values_list("pk", flat=True)
    ]
    return events.exclude(target__in=hidden) if hidden else events


def _submission_for(call, pk: int):
    return get_object_or_404(submitted(call), pk=pk)


def _sample_for(request, call, pk: int | None) -> DoubleCodingSample | None:
    if pk is None:
        return None
    sample = get_object_or_404(DoubleCodingSample, call=call, pk=pk)
    if not sample.is_coder(request.user):
        raise PermissionDenied
    return sample


@role_required(*WORKSPACE_ROLES)
def submission(request: HttpRequest, slug: str, pk: int, sample_pk: int | None = None):
    call = call_for(request.user, slug)
    sub = _submission_for(call, pk)
    sample = _sample_for(request, call, sample_pk)
    if sample is not None and not sample.submissions.filter(pk=sub.pk).exists():
        raise PermissionDenied
    return _submission_page(request, call, sub, sample)


def _back(call, sub, sample) -> str:
    if sample is not None:
        url = reverse("workspace:sample_submission", args=[call.slug, sample.pk, sub.pk])
    else:
        url = reverse("workspace:submission", args=[call.slug, sub.pk])
    return url


def _conflict(request, call, sub, sample, exc: actions.Conflict):
    changes = (
        Event.objects.filter(submission=sub)
        .exclude(actor=request.user)
        .select_related("actor")[: max(1, exc.review.version - exc.seen)]
    )
    return render(
        request,
        "workspace/conflict.html",
        {"call": call, "submission": sub, "changes": changes, "back": _back(call, sub, sample)},
        status=409,
    )


def _act(request, call, sub, sample, form_key, form, perform):
    """Run a change; on a stale page show the conflict, on bad input the page with errors."""
    if not form.is_valid():
        return _submission_page(request, call, sub, sample, {form_key: form}, status=400)
    try:
        message = perform(form.cleaned_data)
    except actions.Conflict as exc:
        return _conflict(request, call, sub, sample, exc)
    except actions.ActionError as exc:
        form.add_error(None, str(exc))
        return _submission_page(request, call, sub, sample, {form_key: form}, status=400)
    messages.success(request, message)
    return redirect(_back(call, sub, sample))


def _posted(request, slug, pk, sample_pk):
    call = call_for(request.user, slug)
    sub = _submission_for(call, pk)
    sample = _sample_for(request, call, sample_pk)
    if sample is not None:
        if not sample.submissions.filter(pk=sub.pk).exists():
            raise PermissionDenied
        if sample.finished_by(request.user):
            raise PermissionDenied  # a finished coder's codes are frozen for the comparison
    return call, sub, sample


@role_required(*WORKSPACE_ROLES)
@require_POST
def code_span(request, slug: str, pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    form = SpanCodeForm(request.POST, call=call, fields=_answer_fields(call, sub))

    def perform(data):
        text = actions.field_text(sub, data["field"])
        start, end = actions.locate(text, data["words"], data.get("occurrence") or 1)
        passage = None
        run = latest_run(call)
        if run is not None:
            passage = Passage.objects.filter(
                run=run, submission=sub, field=data["field"], start__lte=start, end__gte=end
            ).first()
        actions.apply_code(
            sub,
            request.user,
            data["version"],
            field=data["field"],
            start=start,
            end=end,
            code_id=data["code"],
            passage=passage,
            sample=sample,
        )
        name = code_names(current_codebook(call)).get(data["code"], data["code"])
        return f"Coded “{text[start:end][:80]}” as {name}."

    return _act(request, call, sub, sample, "span", form, perform)


@role_required(*WORKSPACE_ROLES)
@require_POST
def decide(request, slug: str, pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    form = PassageCodeForm(request.POST, call=call)

    def perform(data):
        passage = get_object_or_404(Passage, pk=data["passage"], submission=sub)
        actions.decide_proposal(
            sub,
            request.user,
            data["version"],
            passage=passage,
            code_id=data["code"],
            decision=data["decision"],
            new_code_id=data.get("new_code") or "",
            sample=sample,
        )
        names = code_names(current_codebook(call))
        verb = {"accept": "Accepted", "reject": "Rejected", "change": "Changed"}[data["decision"]]
        extra = f" to {names.get(data['new_code'], '')}" if data["decision"] == "change" else ""
        code = names.get(data["code"], data["code"])
        return f"{verb} {code}{extra} on passage {passage.index + 1}."

    return _act(request, call, sub, sample, "decide", form, perform)


@role_required(*WORKSPACE_ROLES)
@require_POST
def remove(request, slug: str, pk: int, coding_pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    coding = get_object_or_404(_visible_codings(sub, request.user, sample), pk=coding_pk)
    if coding.coder_id != request.user.pk and not is_lead(request.user):
        raise PermissionDenied
    form = PassageCodeForm.base_fields["version"]
    try:
        version = form.clean(request.POST.get("version"))
    except Exception:  # noqa: BLE001 - any malformed version is a bad request
        return HttpResponse("The form was missing its version: reload the page.", status=400)
    try:
        actions.remove_coding(coding, request.user, version)
    except actions.Conflict as exc:
        return _conflict(request, call, sub, sample, exc)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return redirect(_back(call, sub, sample))
    messages.success(request, f"Removed the code from “{coding.text[:80]}”.")
    return redirect(_back(call, sub, sample))


@role_required(*WORKSPACE_ROLES)
@require_POST
def memo(request, slug: str, pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    form = MemoForm(request.POST, call=call)

    def perform(data):
        passage = None
        if data["target"] == "passage":
            passage = get_object_or_404(Passage, pk=data["passage"], submission=sub)
        actions.write_memo(
            sub,
            request.user,
            data["version"],
            text=data["text"],
            target=data["target"],
            passage=passage,
            code_id=data.get("code") or "",
        )
        return "Memo saved."

    return _act(request, call, sub, sample, "memo", form, perform)


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@role_required(*WORKSPACE_ROLES)
@require_POST
def mark_reviewed(request, slug: str, pk: int):
    call, sub, _sample = _posted(request, slug, pk, None)
    reviewed = request.POST.get("reviewed") == "yes"
    version = _version(request)
    if version is None:
        return HttpResponse("The form was missing its version: reload the page.", status=400)
    try:
        actions.set_reviewed(sub, request.user, version, reviewed)
    except actions.Conflict as exc:
        return _conflict(request, call, sub, None, exc)
    messages.success(request, "Marked as reviewed." if reviewed else "Marked as not reviewed yet.")
    return redirect(_back(call, sub, None))


@role_required(*WORKSPACE_ROLES)
@require_POST
def assign(request, slug: str, pk: int):
    call, sub, _sample = _posted(request, slug, pk, None)
    _lead_only(request.user)
    form = AssignmentForm(request.POST)
    version = _version(request)
    if not form.is_valid() or version is None:
        messages.error(request, "Choose an analyst to assign.")
        return redirect(_back(call, sub, None))
    try:
        actions.assign(sub, request.user, version, form.cleaned_data["user"])
    except actions.Conflict as exc:
        return _conflict(request, call, sub, None, exc)
    messages.success(request, f"Assigned to {form.cleaned_data['user'].username}.")
    return redirect(_back(call, sub, None))


@role_required(*WORKSPACE_ROLES)
@require_POST
def undo(request, slug: str, pk: int, sample_pk: int | None = None):
    call, sub, sample = _posted(request, slug, pk, sample_pk)
    event = actions.last_undoable(sub, request.user)
    version = _version(request)
    if event is None or version is None:
        messages.error(request, "There is nothing of yours to undo on this submission.")
        return redirect(_back(call, sub, sample))
    try:
        actions.undo(event, request.user, version)
    except actions.Conflict as exc:
        return _conflict(request, call, sub, sample, exc)
    except actions.ActionError as exc:
        messages.error(request, str(exc))
        return redirect(_back(call, sub, sample))
    messages.success(request, "Undone.")
    return redirect(_back(call, sub, sample))


# -- blind double coding ----------------------------------------------------------------------


@role_required(*WORKSPACE_ROLES)
def samples(request, slug: str):
    call = call_for(request.user, slug)
    lead = is_lead(request.user)
    form = SampleForm(request.POST or None) if lead else None
    if request.method == "POST":
        _lead_only(request.user)
        if form.is_valid():
            data = form.cleaned_data
            pool = list(submitted(call).order_by("pk").values_list("pk", flat=True))
            chosen = random.Random(data["seed"]).sample(pool, min(data["size"], len(pool)))
            with transaction.atomic():
                sample = DoubleCodingSample.objects.create(
                    call=call,
                    name=data["name"],
                    created_by=request.user,
                    coder_a=data["coder_a"],
                    coder_b=data["coder_b"],
                )
                sample.submissions.set(chosen)
                record(
                    call,
                    request.user,
                    "sample.created",
                    f"sample:{sample.pk}",
                    None,
                    {
                        "name": sample.name,
                        "coders": [data["coder_a"].pk, data["coder_b"].pk],
                        "submissions": sorted(chosen),
                        "seed": data["seed"],
                    },
                )
            messages.success(request, f"Sample “{sample.name}” of {len(chosen)} submissions made.")
            return redirect("workspace:sample", slug=call.slug, pk=sample.pk)
    listed = DoubleCodingSample.objects.filter(call=call).select_related("coder_a", "coder_b")
    if not lead:
        listed = listed.filter(Q(coder_a=request.user) | Q(coder_b=request.user))
    listed = listed.annotate(size=Count("submissions"))
    return render(
        request,
        "workspace/samples.html",
        {"call": call, "samples": listed, "form": form, "lead": lead},
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@role_required(*WORKSPACE_ROLES)
def sample(request, slug: str, pk: int):
    call = call_for(request.user, slug)
    sample = get_object_or_404(DoubleCodingSample, call=call, pk=pk)
    lead = is_lead(request.user)
    coder = sample.is_coder(request.user)
    if not (lead or coder):
        raise PermissionDenied
    if request.method == "POST":
        if not coder:
            raise PermissionDenied
        with transaction.atomic():
            sample = DoubleCodingSample.objects.select_for_update().get(pk=sample.pk)
            field = "finished_a_at" if request.user.pk == sample.coder_a_id else "finished_b_at"
            if getattr(sample, field) is None:
                setattr(sample, field, timezone.now())
                sample.save(update_fields=[field])
                record(call, request.user, "sample.finished", f"sample:{sample.pk}", None, {})
        messages.success(request, "Your coding of this sample is finished and locked.")
        return redirect("workspace:sample", slug=call.slug, pk=sample.pk)
    submissions = sample.submissions.order_by("reference")
    mine = {}
    if coder:
        mine = dict(
            Coding.objects.filter(sample=sample, coder=request.user, active=True)
            .values("submission_id")
            .annotate(n=Count("pk"))
            .values_list("submission_id", "n")
        )
    agreement = None
    disagreements = []
    if lead and sample.complete:
        agreement = sample_agreement(sample)
        disagreements = _disagreement_rows(sample, agreement)
    return render(
        request,
        "workspace/sample.html",
        {
            "call": call,
            "sample": sample,
            "coder": coder,
            "lead": lead,
            "finished": sample.finished_by(request.user),
            "rows": [{"submission": s, "codes": mine.get(s.pk, 0)} for s in submissions],
            "agreement": agreement,
            "disagreements": disagreements,
        },
    )


def _disagreement_rows(sample, agreement) -> list[dict]:
    rows = agreement["disagreements"]
    if not rows:
        return []
    passages = Passage.objects.in_bulk([r["passage_id"] for r in rows])
    resolved = {
        (c.passage_id, c.code_id): c
        for c in Coding.objects.filter(sample=sample, origin=Coding.Origin.CONSENSUS, active=True)
    }
    names = {c["code_id"]: c["name"] for c in agreement["codes"]}
    out = []
    for r in rows[:200]:
        p = passages[r["passage_id"]]
        out.append(
            {
                **r,
                "passage": p,
                "name": names.get(r["code_id"], r["code_id"]),
                "resolved": resolved.get((p.pk, r["code_id"])),
            }
        )
    return out


@role_required(*WORKSPACE_ROLES)
@require_POST
def resolve(request, slug: str, pk: int):
    call = call_for(request.user, slug)
    _lead_only(request.user)
    sample = get_object_or_404(DoubleCodingSample, call=call, pk=pk)
    if not sample.complete:
        raise PermissionDenied
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the code applies.")
        return redirect("workspace:sample", slug=call.slug, pk=sample.pk)
    data = form.cleaned_data
    passage = get_object_or_404(
        Passage, pk=data["passage"], submission__in=sample.submissions.all()
    )
    sub = passage.submission
    with transaction.atomic():
        for old in Coding.objects.filter(
            sample=sample,
            passage=passage,
            code_id=data["code"],
            origin=Coding.Origin.CONSENSUS,
            active=True,
        ):
            actions.remove_coding(old, request.user, None)
        actions.apply_code(
            sub,
            request.user,
            None,
            field=passage.field,
            start=passage.start,
            end=passage.end,
            code_id=data["code"],
            passage=passage,
            origin=Coding.Origin.CONSENSUS,
            decision="applied" if data["present"] == "yes" else "rejected",
            sample=sample,
        )
    messages.success(request, f"Recorded the agreed code for passage {passage.index + 1}.")
    return redirect(reverse("workspace:sample", args=[call.slug, sample.pk]) + "#disagreements")


# -- model against human, evidence, history, team ---------------------------------------------


@role_required(*WORKSPACE_ROLES)
def model_agreement(request, slug: str):
    call = call_for(request.user, slug)
    versus = model_vs_human(call)
    return render(request, "workspace/model_agreement.html", {"call": call, "versus": versus})


@role_required(*WORKSPACE_ROLES)
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
    if run is not None:
        subs = filter_submissions(call, run, filters, request.user)
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
        items = items.order_by("submission_id", "index").select_related("submission")
    page = Paginator(items, EVIDENCE_PAGE_SIZE).get_page(request.GET.get("page"))
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
            "query": params.urlencode(),
        },
    )


@role_required(*WORKSPACE_ROLES)
def history(request, slug: str):
    call = call_for(request.user, slug)
    events = Event.objects.filter(call=call).select_related("actor", "submission")
    events = _without_blind_codes(events, call, request.user)
    kind = request.GET.get("kind", "")[:40]
    if kind:
        events = events.filter(kind=kind)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/history.html", {"call": call, "page": page, "kind": kind})


@role_required("lead-analyst", "programme-admin")
def team(request, slug: str):
    call = call_for(request.user, slug)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST":
        remove_pk = request.POST.get("remove")
        if remove_pk:
            with transaction.atomic():
                gone = CallAssignment.objects.filter(call=call, user_id=remove_pk).first()
                if gone:
                    record(
                        call,
                        request.user,
                        "team.removed",
                        f"user:{gone.user_id}",
                        {"user": gone.user_id},
                        None,
                    )
                    gone.delete()
            messages.success(request, "Removed from this call.")
            return redirect("workspace:team", slug=call.slug)
        if form.is_valid():
            user = form.cleaned_data["user"]
            with transaction.atomic():
                _, created = CallAssignment.objects.get_or_create(
                    call=call, user=user, defaults={"assigned_by": request.user}
                )
                if created:
                    record(
                        call,
                        request.user,
                        "team.added",
                        f"user:{user.pk}",
                        None,
                        {"user": user.pk},
                    )
            messages.success(request, f"{user.username} can now work on this call.")
            return redirect("workspace:team", slug=call.slug)
    members = CallAssignment.objects.filter(call=call).select_related("user", "assigned_by")
    return render(
        request,
        "workspace/team.html",
        {"call": call, "form": form, "members": members},
        status=400 if form.is_bound and form.errors else 200,
    )
