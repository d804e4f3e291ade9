"""Workspace pages where lead analysts decide about the codebook, themes, mentions and quotes.

Everyone who may work on a call (assigned analysts, lead analysts, programme admins) can read these
pages; lead analysts make the decisions, and analysts may also correct mentions. Decisions are
stored in the workspace's review rows and as events (before and after) in one transaction; the
analysis rows of `inpractice.coding` are only read, never changed.
"""

from __future__ import annotations

import copy
from collections import Counter

import numpy as np
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inpractice.accounts.roles import has_role, role_required
from inpractice.coding.models import AnalysisRun, Mention, Passage, Quote, Theme

from . import codebook_editing as cbe
from . import retrain as retraining
from .access import WORKSPACE_ROLES, call_for, is_lead
from .events import record
from .models import CodebookVersion, Coding, MentionReview, QuoteReview, ThemeReview

PAGE_SIZE = 20
workspace_role = role_required(*WORKSPACE_ROLES)


def _require_lead(request: HttpRequest) -> None:
    if not is_lead(request.user):
        raise PermissionDenied


def _latest_run(call) -> AnalysisRun | None:
    return retraining.latest_run(call)


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


# == Codebook ===================================================================================


class BaseVersionForm(forms.Form):
    """Carries the codebook version the page was drawn from, so a stale form is a conflict."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CodeForm(BaseVersionForm):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description",
        help_text="What the code means, for analysts deciding whether to apply it.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NewCodeForm(CodeForm):
    code_id = forms.CharField(
        label="Code id (optional)",
        help_text="Lower-case letters, digits, full stops and hyphens. Leave blank to make one "
        "from the name. Codings point at this id, so it cannot change later.",
        required=False,
        max_length=64,
    )


class MergeForm(BaseVersionForm):
    keep = forms.ChoiceField(label="Code to keep")
    merge = forms.ChoiceField(
        label="Code to merge into it",
        help_text="This code is removed. People's codings of it move to the code you keep.",
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [("", "Choose a code")] + choices
        self.fields["merge"].choices = [("", "Choose a code")] + choices

    def clean(self):
        data = super().clean()
        if data.get("keep") and data.get("keep") == data.get("merge"):
            self.add_error("merge", "Choose a different code from the one you keep")
        return data


class SplitForm(BaseVersionForm):
    PLACES = [
        ("subcodes", "As sub-codes of this code"),
        ("siblings", "As new codes beside this code"),
    ]
    name_1 = forms.CharField(label="Name of the first new code", max_length=200)
    description_1 = forms.CharField(
        label="Description of the first new code",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name_2 = forms.CharField(label="Name of the second new code", max_length=200)
    description_2 = forms.CharField(
        label="Description of the second new code",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name_3 = forms.CharField(
        label="Name of a third new code (optional)", max_length=200, required=False
    )
    description_3 = forms.CharField(
        label="Description of the third new code",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    place = forms.ChoiceField(label="Where the new codes go", choices=PLACES, initial="subcodes")


def _codebook_context(call, **extra) -> dict:
    codebook, number = cbe.working_codebook(call)
    return {"call": call, "codebook": codebook, "version_number": number, **extra}


@workspace_role
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    context = _codebook_context(call)
    counts = dict(
        Coding.objects.filter(call=call, active=True, decision=Coding.Decision.APPLIED)
        .values_list("code_id")
        .annotate(n=Count("id"))
        .values_list("code_id", "n")
    )
    context.update(counts=counts, lead=is_lead(request.user))
    return render(request, "workspace/codebook.html", context)


def _fail(form: forms.Form, exc: Exception) -> None:
    form.add_error(None, str(exc))


@workspace_role
def codebook_edit(request: HttpRequest, slug: str, code_id: str) -> HttpResponse:
    call = call_for(request.user, slug)
    _require_lead(request)
    current, number = cbe.working_codebook(call)
    try:
        _, _, code = cbe.find(current, code_id)
    except cbe.CodebookEditError as exc:
        raise Http404(str(exc)) from None
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                cbe.apply_change(
                    call,
                    request.user,
                    lambda cb: cbe.edit_code(cb, code_id, d["name"], d["description"]),
                    f"Edited {code_id}: {d['name']}",
                    d["base_version"],
                    "codebook.edit",
                    f"code:{code_id}",
                )
            except cbe.CodebookEditError as exc:
                _fail(form, exc)
            else:
                messages.success(request, f"Saved the changes to {d['name']}.")
                return redirect("workspace:codebook", slug=call.slug)
    else:
        form = CodeForm(
            initial={
                "name": code.get("name", ""),
                "description": code.get("description", ""),
                "base_version": number,
            }
        )
    return render(
        request,
        "workspace/codebook_form.html",
        _codebook_context(call, form=form, code=code, heading=f"Edit {code.get('name')}"),
    )


@workspace_role
def codebook_add(request: HttpRequest, slug: str, code_id: str | None = None) -> HttpResponse:
    """Add a top-level code, or a sub-code when `code_id` names the parent."""
    call = call_for(request.user, slug)
    _require_lead(request)
    current, number = cbe.working_codebook(call)
    parent = None
    if code_id is not None:
        try:
            parent = cbe.find(current, code_id)[2]
        except cbe.CodebookEditError as exc:
            raise Http404(str(exc)) from None
    if request.method == "POST":
        form = NewCodeForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            made: list[str] = []

            def change(cb):
                out, new_id = cbe.add_code(cb, d["name"], d["description"], d["code_id"], code_id)
                made.append(new_id)
                return out

            note = f"Added {'sub-code of ' + code_id if code_id else 'code'}: {d['name']}"
            try:
                cbe.apply_change(
                    call,
                    request.user,
                    change,
                    note,
                    d["base_version"],
                    "codebook.add",
                    f"code:{d['code_id'] or d['name']}",
                )
            except cbe.CodebookEditError as exc:
                _fail(form, exc)
            else:
                messages.success(request, f"Added {d['name']} ({made[0]}).")
                return redirect("workspace:codebook", slug=call.slug)
    else:
        form = NewCodeForm(initial={"base_version": number})
    heading = f"Add a sub-code to {parent.get('name')}" if parent else "Add a code"
    return render(
        request,
        "workspace/codebook_form.html",
        _codebook_context(call, form=form, parent=parent, heading=heading, new=True),
    )


def merge_codes_and_repoint(call, user, keep: str, merge: str, base_version: int | None):
    """Merge two codes in the codebook and move people's codings of the merged code to the kept
    one; one transaction, with an event per re-pointed coding. Each affected submission's version
    is bumped (`actions.change`), so a page drawn before the merge is refused as a conflict."""
    from collections import defaultdict

    from .actions import change

    with transaction.atomic():
        version = cbe.apply_change(
            call,
            user,
            lambda cb: cbe.merge_codes(cb, keep, merge),
            f"Merged {merge} into {keep}",
            base_version,
            "codebook.merge",
            f"code:{merge}",
        )
        by_submission: dict[int, list[Coding]] = defaultdict(list)
        codings = Coding.objects.select_for_update().filter(call=call, code_id=merge)
        for coding in codings.select_related("submission").order_by("submission_id", "pk"):
            by_submission[coding.submission_id].append(coding)
        for moved in by_submission.values():
            with change(moved[0].submission, user, None) as c:
                for coding in moved:
                    c.event(
                        "coding.recode",
                        f"coding:{coding.pk}",
                        before={"code_id": merge},
                        after={"code_id": keep, "reason": f"codebook v{version.number}: merged"},
                    )
                Coding.objects.filter(pk__in=[x.pk for x in moved]).update(code_id=keep)
    return version, sum(len(v) for v in by_submission.values())


@workspace_role
def codebook_merge(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    _require_lead(request)
    current, number = cbe.working_codebook(call)
    choices = [
        (code["id"], f"{'– ' * depth}{code['name']} ({code['id']})")
        for code, _, depth in cbe.walk(current.get("codes") or [])
    ]
    if request.method == "POST":
        form = MergeForm(request.POST, choices=choices)
        if form.is_valid():
            d = form.cleaned_data
            try:
                _, moved = merge_codes_and_repoint(
                    call, request.user, d["keep"], d["merge"], d["base_version"]
                )
            except cbe.CodebookEditError as exc:
                _fail(form, exc)
            else:
                messages.success(
                    request,
                    f"Merged {d['merge']} into {d['keep']}; moved {moved} coding(s) to it.",
                )
                return redirect("workspace:codebook", slug=call.slug)
    else:
        form = MergeForm(
            choices=choices,
            initial={"base_version": number, "merge": request.GET.get("code", "")},
        )
    return render(request, "workspace/codebook_merge.html", _codebook_context(call, form=form))


@workspace_role
def codebook_split(request: HttpRequest, slug: str, code_id: str) -> HttpResponse:
    call = call_for(request.user, slug)
    _require_lead(request)
    current, number = cbe.working_codebook(call)
    try:
        code = cbe.find(current, code_id)[2]
    except cbe.CodebookEditError as exc:
        raise Http404(str(exc)) from None
    codings = Coding.objects.filter(call=call, code_id=code_id, active=True).count()
    if request.method == "POST":
        form = SplitForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            parts = [(d[f"name_{i}"], d[f"description_{i}"]) for i in (1, 2, 3)]
            made: list[str] = []

            def change(cb):
                out, ids = cbe.split_code(cb, code_id, parts, d["place"] == "subcodes")
                made.extend(ids)
                return out

            try:
                cbe.apply_change(
                    call,
                    request.user,
                    change,
                    f"Split {code_id} into " + ", ".join(n for n, _ in parts if n),
                    d["base_version"],
                    "codebook.split",
                    f"code:{code_id}",
                )
            except cbe.CodebookEditError as exc:
                _fail(form, exc)
            else:
                messages.success(
                    request,
                    f"Split {code['name']} into {', '.join(made)}. The {codings} existing "
                    f"coding(s) stay on {code_id} until someone recodes them.",
                )
                return redirect("workspace:codebook", slug=call.slug)
    else:
        form = SplitForm(initial={"base_version": number, "place": "subcodes"})
    return render(
        request,
        "workspace/codebook_split.html",
        _codebook_context(call, form=form, code=code, codings=codings),
    )


@workspace_role
def codebook_history(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    page = _page(
        request,
        CodebookVersion.objects.filter(call=call).select_related("author").order_by("-number"),
    )
    versions = list(page.object_list)
    # Describe each version against the one before it (one extra row for the page's oldest).
    numbers = [v.number - 1 for v in versions]
    older = {
        v.number: v.codebook for v in CodebookVersion.objects.filter(call=call, number__in=numbers)
    }
    rows = [
        {
            "version": v,
            "changes": cbe.describe_differences(older[v.number - 1], v.codebook)
            if v.number - 1 in older
            else [],
        }
        for v in versions
    ]
    return render(
        request, "workspace/codebook_history.html", {"call": call, "page": page, "rows": rows}
    )


@workspace_role
def codebook_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Show any saved version; a lead analyst can restore an older one (as a new version)."""
    call = call_for(request.user, slug)
    version = get_object_or_404(
        CodebookVersion.objects.select_related("author"), call=call, number=number
    )
    latest = cbe.latest_version(call)
    form = BaseVersionForm(initial={"base_version": latest.number if latest else 0})
    if request.method == "POST":
        _require_lead(request)
        form = BaseVersionForm(request.POST)
        if form.is_valid():
            try:
                restored = cbe.apply_change(
                    call,
                    request.user,
                    lambda cb: copy.deepcopy(version.codebook),
                    f"Restored version {version.number}",
                    form.cleaned_data["base_version"],
                    "codebook.restore",
                    f"codebook:v{version.number}",
                )
            except cbe.CodebookEditError as exc:
                _fail(form, exc)
            else:
                messages.success(
                    request,
                    f"Restored version {version.number} as version {restored.number}.",
                )
                return redirect("workspace:codebook", slug=call.slug)
    return render(
        request,
        "workspace/codebook_version.html",
        {
            "call": call,
            "version": version,
            "latest": latest,
            "form": form,
            "lead": is_lead(request.user),
        },
    )


# == Retrain ====================================================================================


@workspace_role
def retrain(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    submitted = call.submissions.filter(status="submitted").count()
    too_big = submitted > retraining.IN_REQUEST_LIMIT
    error = ""
    if request.method == "POST":
        _require_lead(request)
        if too_big:
            error = (
                f"This call has {submitted:,} submissions, too many to retrain while you wait. "
                f"Ask the operator to run: inpractice retrain --call {call.slug}"
            )
        else:
            try:
                run = retraining.retrain(call, actor=request.user)
            except (retraining.RetrainError, cbe.CodebookEditError) as exc:
                error = str(exc)
            else:
                messages.success(request, f"Retrained the coder: analysis run {run.pk} is done.")
                return redirect("workspace:retrain_result", slug=call.slug, run_id=run.pk)
    data = retraining.training_set(call, texts=False)
    runs = list(retraining.retrain_runs(call)[:10])
    return render(
        request,
        "workspace/retrain.html",
        {
            "call": call,
            "data": data,
            "runs": runs,
            "lead": is_lead(request.user),
            "too_big": too_big,
            "submitted": submitted,
            "errors": [{"href": "#retrain-form", "message": error}] if error else [],
        },
        status=400 if error else 200,
    )


@workspace_role
def retrain_result(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    run = get_object_or_404(AnalysisRun, call=call, pk=run_id, parameters__has_key="retrain")
    return render(
        request,
        "workspace/retrain_result.html",
        {
            "call": call,
            "run": run,
            "info": run.parameters.get("retrain", {}),
            "changes": run.parameters.get("what_changed"),
        },
    )


# == Themes =====================================================================================


class RenameThemeForm(forms.Form):
    label = forms.CharField(label="New name", max_length=300)


class MergeThemeForm(forms.Form):
    into = forms.ChoiceField(label="Merge into")

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", "Choose a theme")] + choices


class PromoteThemeForm(forms.Form):
    name = forms.CharField(label="Code name", max_length=200)
    description = forms.CharField(
        label="Code description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    code_id = forms.CharField(
        label="Code id (optional)",
        required=False,
        max_length=64,
        help_text="Leave blank to make one from the name.",
    )
    parent = forms.ChoiceField(label="Add it as", required=False)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "A new top-level code")] + [
            (cid, f"A sub-code of {name} ({cid})") for cid, name in parents
        ]


def _theme_review_state(review: ThemeReview | None) -> dict | None:
    if review is None:
        return None
    return {
        "status": review.status,
        "label": review.label,
        "merged_into": review.merged_into_id,
        "promoted_code_id": review.promoted_code_id,
    }


def _set_review(theme: Theme, user, kind: str, **fields) -> ThemeReview:
    """Create or change a theme's review with an event; call inside a transaction."""
    review = ThemeReview.objects.select_for_update().filter(theme=theme).first()
    before = _theme_review_state(review)
    if review is None:
        review = ThemeReview(theme=theme, label=theme.label, status=ThemeReview.Status.ACCEPTED)
    for name, value in fields.items():
        setattr(review, name, value)
    review.reviewed_by = user
    review.save()
    record(
        theme.run.call,
        user,
        kind,
        f"theme:{theme.pk}",
        before=before,
        after=_theme_review_state(review),
    )
    return review


def _key_phrases(texts: list[str], others: list[str], k: int = 5) -> list[str]:
    """Words and pairs used more in `texts` than in `others`: a short label for a split part."""
    from sklearn.feature_extraction.text import CountVectorizer

    try:
        vec = CountVectorizer(
            ngram_range=(1, 2),
            stop_words="english",
            binary=True,
            # Words only: numbers ("92 per cent") say little about what a part is about.
            token_pattern=r"(?u)\b[^\W\d_]{2,}\b",  # noqa: S106 - a regex, not a password
        )
        matrix = vec.fit_transform(texts + others)
    except ValueError:  # only stop words
        return []
    ours = np.asarray(matrix[: len(texts)].mean(axis=0)).ravel()
    theirs = np.asarray(matrix[len(texts) :].mean(axis=0)).ravel() if others else 0
    score = ours - theirs
    vocab = vec.get_feature_names_out()
    return [str(vocab[i]) for i in np.argsort(-score)[:k] if score[i] > 0]


def split_theme(theme: Theme, parts: int = 2, seed: int = 0) -> list[dict]:
    """Split a theme's passages into `parts` groups by k-means on their embeddings."""
    from sklearn.cluster import KMeans

    from inpractice.analysis.embeddings import load_embedder

    rows = list(
        Passage.objects.filter(theme=theme)
        .order_by("pk")
        .values_list("pk", "submission_id", "text")
    )
    if len(rows) < parts * 2:
        raise ValueError(
            f"This theme has {len(rows)} passage(s): it needs at least {parts * 2} to split."
        )
    texts = [t for _, _, t in rows]
    if len(set(texts)) < parts:
        raise ValueError(
            "Every passage in this theme says the same thing: there is nothing to split."
        )
    embedder = load_embedder("static")
    if hasattr(embedder, "fit"):
        embedder.fit(texts)
    vectors = embedder.encode(texts)
    model = KMeans(n_clusters=parts, n_init=10, random_state=seed).fit(vectors)
    if len(set(model.labels_.tolist())) < parts:
        raise ValueError("The passages of this theme are too alike to split into two groups.")
    out = []
    for k in range(parts):
        members = np.flatnonzero(model.labels_ == k)
        centre = model.cluster_centers_[k]
        nearest = members[np.argsort(-(vectors[members] @ centre))][:3]
        inside = [texts[i] for i in members]
        outside = [texts[i] for i in np.flatnonzero(model.labels_ != k)]
        phrases = _key_phrases(inside, outside)
        out.append(
            {
                "label": ", ".join(phrases[:3]) or f"Part {k + 1}",
                "key_phrases": phrases,
                "size": int(len(members)),
                "submissions": len({rows[i][1] for i in members}),
                "passage_ids": [rows[i][0] for i in members],
                "examples": [texts[i][:400] for i in nearest],
            }
        )
    return sorted(out, key=lambda p: -p["size"])


def _theme_rows(themes, reviews: dict[int, ThemeReview]) -> list[dict]:
    quotes: dict[int, list[Quote]] = {}
    for q in Quote.objects.filter(theme__in=[t.pk for t in themes]).order_by("theme_id", "rank"):
        quotes.setdefault(q.theme_id, []).append(q)
    return [
        {
            "theme": t,
            "review": reviews.get(t.pk),
            "label": reviews[t.pk].label if t.pk in reviews else t.label,
            "quotes": quotes.get(t.pk, [])[:2],
        }
        for t in themes
    ]


@workspace_role
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    run = _latest_run(call)
    show = request.GET.get("show", "")
    if show not in ("", "open", *ThemeReview.Status.values):
        show = ""
    qs = Theme.objects.filter(run=run) if run else Theme.objects.none()
    if show == "open":
        qs = qs.filter(review__isnull=True)
    elif show:
        qs = qs.filter(review__status=show)
    page = _page(request, qs.order_by("-size", "number"))
    themes_on_page = list(page.object_list)
    reviews = {r.theme_id: r for r in ThemeReview.objects.filter(theme__in=themes_on_page)}
    statuses = (
        Counter(ThemeReview.objects.filter(theme__run=run).values_list("status", flat=True))
        if run
        else Counter()
    )
    total = Theme.objects.filter(run=run).count() if run else 0
    return render(
        request,
        "workspace/themes.html",
        {
            "call": call,
            "run": run,
            "page": page,
            "rows": _theme_rows(themes_on_page, reviews),
            "total": total,
            "to_review": total - sum(statuses.values()),
            "statuses": [(ThemeReview.Status(s).label, n) for s, n in sorted(statuses.items())],
            "show": show,
            "show_choices": [("", "Every theme"), ("open", "Not reviewed yet")]
            + list(ThemeReview.Status.choices),
            "query": _query(show=show) if show else "",
        },
    )


def _theme_forms(theme: Theme, codebook: dict, data=None, which: str = "") -> dict:
    siblings = Theme.objects.filter(run=theme.run).exclude(pk=theme.pk).order_by("number")
    labels = {r.theme_id: r.label for r in ThemeReview.objects.filter(theme__run=theme.run)}
    choices = [(str(t.pk), f"{labels.get(t.pk, t.label)} (theme {t.number})") for t in siblings]
    parents = [(c["id"], c["name"]) for c in codebook.get("codes") or []]
    quote_texts = list(
        Quote.objects.filter(theme=theme).order_by("rank").values_list("text", flat=True)[:2]
    )
    review = ThemeReview.objects.filter(theme=theme).first()
    label = review.label if review else theme.label
    return {
        "rename_form": RenameThemeForm(
            data if which == "rename" else None, initial={"label": label}
        ),
        "merge_form": MergeThemeForm(data if which == "merge" else None, choices=choices),
        "promote_form": PromoteThemeForm(
            data if which == "promote" else None,
            parents=parents,
            initial={
                "name": label[:200],
                "description": "Found as an emergent theme. Key phrases: "
                + ", ".join(theme.key_phrases[:8])
                + ".",
            },
        ),
        "quote_texts": quote_texts,
        # Holds errors of the button-only actions (split), linked from the error summary.
        "action_form": forms.Form(data={}, prefix="action"),
    }


@workspace_role
def theme(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    item = get_object_or_404(Theme.objects.select_related("run"), pk=theme_id, run__call=call)
    codebook_data, number = cbe.working_codebook(call)
    forms_ = _theme_forms(item, codebook_data)
    errors_from: list[forms.Form] = []
    if request.method == "POST":
        _require_lead(request)
        action = request.POST.get("action", "")
        forms_ = _theme_forms(item, codebook_data, request.POST, action)
        done = _theme_action(request, call, item, action, forms_, number)
        if done:
            return redirect("workspace:theme", slug=call.slug, theme_id=item.pk)
        errors_from = [
            forms_["action_form"],
            forms_["rename_form"],
            forms_["merge_form"],
            forms_["promote_form"],
        ]
    review = (
        ThemeReview.objects.filter(theme=item).select_related("merged_into", "reviewed_by").first()
    )
    merged_in = list(
        ThemeReview.objects.filter(
            merged_into=item, status=ThemeReview.Status.MERGED
        ).select_related("theme")
    )
    group = [item.pk] + [r.theme_id for r in merged_in]
    covered = (
        Passage.objects.filter(theme__in=group).values("submission_id").distinct().count()
        if merged_in
        else item.submissions
    )
    split = _latest_event(call, f"theme:{item.pk}", "theme.split")
    page = _page(
        request,
        Passage.objects.filter(theme_id__in=group).select_related("submission").order_by("pk"),
        10,
    )
    return render(
        request,
        "workspace/themes_detail.html",
        {
            "call": call,
            "item": item,
            "review": review,
            "label": review.label if review else item.label,
            "merged_in": merged_in,
            "covered": covered,
            "size": item.size + sum(r.theme.size for r in merged_in),
            "quotes": Quote.objects.filter(theme=item)
            .select_related("submission")
            .order_by("rank"),
            "page": page,
            "split": split.after if split else None,
            "split_event": split,
            "lead": is_lead(request.user),
            "errors_from": errors_from,
            "form": next((f for f in errors_from if f.errors), None),
            **forms_,
        },
        status=400 if errors_from else 200,
    )


def _latest_event(call, target: str, kind: str):
    from .models import Event

    return Event.objects.filter(call=call, target=target, kind=kind).order_by("-at", "-pk").first()


def _theme_action(request, call, item: Theme, action: str, forms_: dict, number: int) -> bool:
    """Do one sign-off action; False (with errors on the form) when it cannot be done."""
    user = request.user
    if action == "accept":
        with transaction.atomic():
            _set_review(
                item, user, "theme.accept", status=ThemeReview.Status.ACCEPTED, merged_into=None
            )
        messages.success(request, "Signed off the theme.")
        return True
    if action == "discard":
        with transaction.atomic():
            _set_review(
                item, user, "theme.discard", status=ThemeReview.Status.DISCARDED, merged_into=None
            )
        messages.success(request, "Discarded the theme.")
        return True
    if action == "reopen":
        with transaction.atomic():
            review = ThemeReview.objects.select_for_update().filter(theme=item).first()
            if review is not None:
                record(
                    call,
                    user,
                    "theme.reopen",
                    f"theme:{item.pk}",
                    before=_theme_review_state(review),
                    after=None,
                )
                review.delete()
        messages.success(request, "The theme is open for review again.")
        return True
    if action == "rename":
        form = forms_["rename_form"]
        if not form.is_valid():
            return False
        with transaction.atomic():
            _set_review(item, user, "theme.rename", label=form.cleaned_data["label"])
        messages.success(request, f"Renamed the theme to {form.cleaned_data['label']}.")
        return True
    if action == "merge":
        form = forms_["merge_form"]
        if not form.is_valid():
            return False
        target = Theme.objects.get(pk=int(form.cleaned_data["into"]), run=item.run)
        target_review = ThemeReview.objects.filter(theme=target).first()
        if target_review and target_review.status == ThemeReview.Status.MERGED:
            form.add_error(
                "into", "That theme has itself been merged: choose the theme it was merged into"
            )
            return False
        with transaction.atomic():
            _set_review(
                item, user, "theme.merge", status=ThemeReview.Status.MERGED, merged_into=target
            )
            # Themes already merged into this one follow it, so no merge chain is left behind.
            for r in ThemeReview.objects.select_for_update().filter(merged_into=item):
                before = _theme_review_state(r)
                r.merged_into = target
                r.reviewed_by = user
                r.save()
                record(
                    call,
                    user,
                    "theme.merge",
                    f"theme:{r.theme_id}",
                    before=before,
                    after=_theme_review_state(r),
                )
        messages.success(request, f"Merged the theme into theme {target.number}.")
        return True
    if action == "split":
        try:
            parts = split_theme(item)
        except ValueError as exc:
            forms_["action_form"].add_error(None, str(exc))
            return False
        with transaction.atomic():
            review = ThemeReview.objects.filter(theme=item).first()
            record(
                call,
                user,
                "theme.split",
                f"theme:{item.pk}",
                before={"theme": item.pk, "size": item.size, "review": _theme_review_state(review)},
                after={
                    "theme": item.pk,
                    "method": "k-means (k=2) on static embeddings",
                    "parts": parts,
                },
            )
        messages.success(request, f"Split the theme into {len(parts)} parts: see them below.")
        return True
    if action == "promote":
        form = forms_["promote_form"]
        if not form.is_valid():
            return False
        d = form.cleaned_data
        made: list[str] = []

        def change(cb):
            out, new_id = cbe.add_code(
                cb, d["name"], d["description"], d["code_id"], d["parent"] or None
            )
            _, _, code = cbe.find(out, new_id)
            if forms_["quote_texts"]:
                code["examples"] = [t[:500] for t in forms_["quote_texts"]]
            made.append(new_id)
            return out

        try:
            with transaction.atomic():
                cbe.apply_change(
                    call,
                    user,
                    change,
                    f"Promoted theme {item.number} to code {d['name']}",
                    number,
                    "codebook.add",
                    f"theme:{item.pk}",
                )
                _set_review(
                    item,
                    user,
                    "theme.promote",
                    status=ThemeReview.Status.PROMOTED,
                    promoted_code_id=made[0],
                    merged_into=None,
                )
        except cbe.CodebookEditError as exc:
            form.add_error(None, str(exc))
            return False
        messages.success(request, f"Promoted the theme to the code {d['name']} ({made[0]}).")
        return True
    raise PermissionDenied("Unknown action")


# == Mentions ===================================================================================


def _mentions(run):
    """The run's mentions under the name people gave them, without those people rejected."""
    return (
        Mention.objects.filter(run=run)
        .exclude(review__status=MentionReview.Status.REJECTED)
        .annotate(shown=Coalesce("review__name", "name"))
    )


@workspace_role
def mentions(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    run = _latest_run(call)
    groups = (
        _mentions(run)
        .values("shown")
        .annotate(
            n=Count("id"),
            subs=Count("submission", distinct=True),
            kinds=Count("kind", distinct=True),
        )
        .order_by("-n", "shown")
        if run
        else Mention.objects.none()
    )
    page = _page(request, groups, 50)
    reviewed = MentionReview.objects.filter(mention__run=run).count() if run else 0
    rejected = (
        MentionReview.objects.filter(mention__run=run, status=MentionReview.Status.REJECTED).count()
        if run
        else 0
    )
    return render(
        request,
        "workspace/mentions.html",
        {"call": call, "run": run, "page": page, "reviewed": reviewed, "rejected": rejected},
    )


class MentionReviewForm(forms.Form):
    ACTIONS = [("confirm", "Confirm"), ("rename", "Rename"), ("reject", "Not a mention")]
    action = forms.ChoiceField(choices=ACTIONS)
    name = forms.CharField(label="Correct name", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "rename" and not (data.get("name") or "").strip():
            self.add_error("name", "Enter the correct name of the framework or tool")
        return data


class RenameAllForm(forms.Form):
    name = forms.CharField(label="Correct name for every one of these mentions", max_length=200)


def _context_of(mention: Mention, width: int = 120) -> dict:
    s = mention.submission
    text = s.need_description if mention.field == "need_description" else s.answer(mention.field)
    text = text or ""
    start, end = mention.start, mention.end
    return {
        "before": ("…" if start > width else "") + text[max(0, start - width) : start],
        "words": text[start:end],
        "after": text[end : end + width] + ("…" if end + width < len(text) else ""),
    }


def _may_correct_mentions(user) -> bool:
    return has_role(user, "analyst", "lead-analyst")


@workspace_role
def mention_examples(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    run = _latest_run(call)
    name = request.GET.get("name", "")
    if not name:
        return redirect("workspace:mentions", slug=call.slug)
    if run is None:
        raise Http404("This call has not been analysed yet.")
    qs = _mentions(run).filter(shown=name).select_related("submission", "review").order_by("pk")
    page = _page(request, qs)
    if not page.paginator.count:
        raise Http404("No mentions have that name.")
    rows = [{"mention": m, "context": _context_of(m)} for m in page.object_list]
    return render(
        request,
        "workspace/mentions_examples.html",
        {
            "call": call,
            "name": name,
            "page": page,
            "rows": rows,
            "may_correct": _may_correct_mentions(request.user),
            "query": _query(name=name),
            "rename_all": RenameAllForm(initial={"name": name}),
        },
    )


def _mention_state(review: MentionReview | None) -> dict | None:
    return None if review is None else {"status": review.status, "name": review.name}


def _review_mention(mention: Mention, user, status: str, name: str) -> None:
    review = MentionReview.objects.select_for_update().filter(mention=mention).first()
    before = _mention_state(review)
    review = review or MentionReview(mention=mention)
    review.status, review.name, review.reviewed_by = status, name, user
    review.save()
    record(
        mention.run.call,
        user,
        "mention.review",
        f"mention:{mention.pk}",
        before=before or {"status": None, "name": mention.name},
        after=_mention_state(review),
        submission=mention.submission,
    )


@require_POST
@workspace_role
def mention_review(request: HttpRequest, slug: str, mention_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    if not _may_correct_mentions(request.user):
        raise PermissionDenied
    mention = get_object_or_404(
        Mention.objects.select_related("run", "submission"), pk=mention_id, run__call=call
    )
    form = MentionReviewForm(request.POST)
    back = request.POST.get("back_name") or mention.name
    url = reverse("workspace:mention_examples", args=[call.slug]) + "?" + _query(name=back)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect(url)
    d = form.cleaned_data
    current = getattr(mention, "review", None)
    shown = current.name if current else mention.name
    with transaction.atomic():
        if d["action"] == "reject":
            _review_mention(mention, request.user, MentionReview.Status.REJECTED, shown)
        else:
            name = d["name"].strip() if d["action"] == "rename" else shown
            _review_mention(mention, request.user, MentionReview.Status.CONFIRMED, name)
    messages.success(request, "Saved your correction of the mention.")
    return redirect(url)


@require_POST
@workspace_role
def mention_rename_all(request: HttpRequest, slug: str) -> HttpResponse:
    """Give every (not rejected) mention shown under one name a corrected name."""
    call = call_for(request.user, slug)
    if not _may_correct_mentions(request.user):
        raise PermissionDenied
    run = _latest_run(call)
    old = request.POST.get("old_name", "")
    form = RenameAllForm(request.POST)
    if run is None or not old:
        raise Http404("Choose a framework or tool from the list of mentions.")
    if not form.is_valid():
        messages.error(request, "Enter the correct name for these mentions.")
        return redirect(
            reverse("workspace:mention_examples", args=[call.slug]) + "?" + _query(name=old)
        )
    new = form.cleaned_data["name"].strip()
    with transaction.atomic():
        found = list(_mentions(run).filter(shown=old).select_related("run__call", "submission"))
        for mention in found:
            _review_mention(mention, request.user, MentionReview.Status.CONFIRMED, new)
    messages.success(request, f"Renamed {len(found)} mention(s) of {old} to {new}.")
    return redirect(
        reverse("workspace:mention_examples", args=[call.slug]) + "?" + _query(name=new)
    )


def _query(**params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


# == Quotes =====================================================================================


@workspace_role
def quotes(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    run = _latest_run(call)
    about = request.GET.get("about", "")
    qs = Quote.objects.none()
    if run is not None:
        qs = Quote.objects.filter(run=run).select_related("submission", "theme", "review")
        if about.startswith("code:"):
            qs = qs.filter(code_id=about[5:], theme__isnull=True)
        elif about.startswith("theme:") and about[6:].isdigit():
            qs = qs.filter(theme_id=int(about[6:]))
        qs = qs.order_by(F("theme__number").asc(nulls_first=True), "code_id", "rank")
    page = _page(request, qs, 30)
    codebook_data = cbe.working_codebook(call)[0]
    names = cbe.code_names(run.codebook if run else codebook_data) | cbe.code_names(codebook_data)
    theme_labels = (
        {r.theme_id: r.label for r in ThemeReview.objects.filter(theme__run=run)} if run else {}
    )
    groups: list[dict] = []
    for q in page.object_list:
        if q.theme_id:
            key, title = (
                f"theme:{q.theme_id}",
                f"Theme {q.theme.number}: {theme_labels.get(q.theme_id, q.theme.label)}",
            )
        else:
            key, title = f"code:{q.code_id}", f"Code {q.code_id}: {names.get(q.code_id, q.code_id)}"
        if not groups or groups[-1]["key"] != key:
            groups.append({"key": key, "title": title, "quotes": []})
        groups[-1]["quotes"].append(q)
    counts = (
        Counter(QuoteReview.objects.filter(quote__run=run).values_list("status", flat=True))
        if run
        else Counter()
    )
    filters = []
    if run:
        filters = [(f"code:{c}", f"Code {c}: {names.get(c, c)}") for c in run.code_ids] + [
            (f"theme:{t.pk}", f"Theme {t.number}: {theme_labels.get(t.pk, t.label)}")
            for t in Theme.objects.filter(run=run).order_by("number")
        ]
    return render(
        request,
        "workspace/quotes.html",
        {
            "call": call,
            "run": run,
            "page": page,
            "groups": groups,
            "about": about,
            "query": _query(about=about) if about else "",
            "filters": filters,
            "approved": counts.get(QuoteReview.Status.APPROVED, 0),
            "rejected": counts.get(QuoteReview.Status.REJECTED, 0),
            "lead": is_lead(request.user),
        },
    )


@require_POST
@workspace_role
def quote_review(request: HttpRequest, slug: str, quote_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    _require_lead(request)
    quote = get_object_or_404(
        Quote.objects.select_related("submission"), pk=quote_id, run__call=call
    )
    action = request.POST.get("action")
    statuses = {"approve": QuoteReview.Status.APPROVED, "reject": QuoteReview.Status.REJECTED}
    if action not in statuses and action != "clear":
        messages.error(request, "Choose whether to approve or reject the quote.")
    else:
        with transaction.atomic():
            review = QuoteReview.objects.select_for_update().filter(quote=quote).first()
            before = {"status": review.status} if review else None
            if action == "clear":
                if review is not None:
                    review.delete()
                after = None
            else:
                review = review or QuoteReview(quote=quote)
                review.status, review.reviewed_by = statuses[action], request.user
                review.save()
                after = {"status": review.status}
            record(
                call,
                request.user,
                "quote.review",
                f"quote:{quote.pk}",
                before=before,
                after=after,
                submission=quote.submission,
            )
        messages.success(request, "Saved your decision on the quote.")
    back = reverse("workspace:quotes", args=[call.slug])
    params = {k: request.POST.get(k) for k in ("about", "page") if request.POST.get(k)}
    return redirect(back + ("?" + _query(**params) if params else "") + f"#quote-{quote.pk}")
