"""Emergent themes: the list, one theme's page, and lead analysts' decisions on it.

Each decision (`action` in the posted form) is a named handler in `THEME_ACTIONS`; the changes
themselves, with their events, are in `decisions`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from inpractice.coding.models import Passage, Quote, Theme
from inpractice.coding.runs import current_run

from .. import codebook_editing as cbe
from .. import decisions
from ..access import call_for, is_lead
from ..blind import blind_submission_ids
from ..carry import STRONG_MATCH as STRONG
from ..forms import MergeThemeForm, PromoteThemeForm, RenameThemeForm, ThemeActionForm
from ..models import Event, ThemeReview
from .common import page, query, require_lead, workspace_role


def _weak(review: ThemeReview | None) -> bool:
    """A review carried from an earlier run's theme that this theme matches only weakly."""
    return bool(review and review.changed and review.match is not None and review.match < STRONG)


def _theme_rows(themes, reviews: dict[int, ThemeReview], hidden) -> list[dict]:
    quotes: dict[int, list[Quote]] = {}
    shown = Quote.objects.filter(theme__in=[t.pk for t in themes]).exclude(submission__in=hidden)
    for q in shown.order_by("theme_id", "rank"):
        quotes.setdefault(q.theme_id, []).append(q)
    return [
        {
            "theme": t,
            "review": reviews.get(t.pk),
            "label": reviews[t.pk].label if t.pk in reviews else t.label,
            "quotes": quotes.get(t.pk, [])[:2],
            "weak": _weak(reviews.get(t.pk)),
        }
        for t in themes
    ]


@workspace_role
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    call = call_for(request.user, slug)
    run = current_run(call)
    show = request.GET.get("show", "")
    if show not in ("", "open", "changed", *ThemeReview.Status.values):
        show = ""
    qs = Theme.objects.filter(run=run) if run else Theme.objects.none()
    if show == "open":
        qs = qs.filter(review__isnull=True)
    elif show == "changed":
        qs = qs.filter(review__changed=True)
    elif show:
        qs = qs.filter(review__status=show)
    themes_page = page(request, qs.order_by("-size", "number"))
    themes_on_page = list(themes_page.object_list)
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
            "page": themes_page,
            "rows": _theme_rows(themes_on_page, reviews, blind_submission_ids(call, request.user)),
            "total": total,
            "to_review": total - sum(statuses.values()),
            "statuses": [(ThemeReview.Status(s).label, n) for s, n in sorted(statuses.items())],
            "show": show,
            "show_choices": [("", "Every theme"), ("open", "Not reviewed yet")]
            + list(ThemeReview.Status.choices)
            + [("changed", "Changed since sign-off")],
            "changed": ThemeReview.objects.filter(theme__run=run, changed=True).count()
            if run
            else 0,
            "query": query(show=show) if show else "",
            "lead": is_lead(request.user),
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
        "action_form": ThemeActionForm(),
    }


# -- decisions: each handler returns the message to show, or None (errors on its form) --------


@dataclass
class ThemeAction:
    """What a decision handler needs: who decides, on which theme, with the page's forms."""

    user: object
    theme: Theme
    forms: dict
    codebook_version: int


def _accept(a: ThemeAction) -> str | None:
    decisions.accept_theme(a.theme, a.user)
    return "Signed off the theme."


def _discard(a: ThemeAction) -> str | None:
    decisions.discard_theme(a.theme, a.user)
    return "Discarded the theme."


def _reopen(a: ThemeAction) -> str | None:
    decisions.reopen_theme(a.theme, a.user)
    return "The theme is open for review again."


def _rename(a: ThemeAction) -> str | None:
    form = a.forms["rename_form"]
    if not form.is_valid():
        return None
    decisions.rename_theme(a.theme, a.user, form.cleaned_data["label"])
    return f"Renamed the theme to {form.cleaned_data['label']}."


def _merge(a: ThemeAction) -> str | None:
    form = a.forms["merge_form"]
    if not form.is_valid():
        return None
    try:
        target = decisions.merge_theme(a.theme, a.user, int(form.cleaned_data["into"]))
    except decisions.DecisionError as exc:
        form.add_error(exc.field, str(exc))
        return None
    return f"Merged the theme into theme {target.number}."


def _split(a: ThemeAction) -> str | None:
    try:
        parts = decisions.split_theme(a.theme, a.user)
    except decisions.DecisionError as exc:
        a.forms["action_form"].add_error(None, str(exc))
        return None
    return f"Split the theme into {len(parts)} parts: see them below."


def _promote(a: ThemeAction) -> str | None:
    form = a.forms["promote_form"]
    if not form.is_valid():
        return None
    d = form.cleaned_data
    try:
        code_id = decisions.promote_theme(
            a.theme,
            a.user,
            a.codebook_version,
            name=d["name"],
            description=d["description"],
            code_id=d["code_id"],
            parent=d["parent"],
            examples=a.forms["quote_texts"],
        )
    except cbe.CodebookEditError as exc:
        form.add_error(None, str(exc))
        return None
    return f"Promoted the theme to the code {d['name']} ({code_id})."


THEME_ACTIONS: dict[str, Callable[[ThemeAction], str | None]] = {
    "accept": _accept,
    "discard": _discard,
    "reopen": _reopen,
    "rename": _rename,
    "merge": _merge,
    "split": _split,
    "promote": _promote,
}


@workspace_role
def theme(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    call = call_for(request.user, slug)
    item = get_object_or_404(Theme.objects.select_related("run"), pk=theme_id, run__call=call)
    codebook_data, number = cbe.working_codebook(call)
    forms_ = _theme_forms(item, codebook_data)
    errors_from: list = []
    if request.method == "POST":
        require_lead(request.user)
        action = request.POST.get("action", "")
        forms_ = _theme_forms(item, codebook_data, request.POST, action)
        handler = THEME_ACTIONS.get(action)
        if handler is None:
            raise PermissionDenied("Unknown action")
        message = handler(ThemeAction(request.user, item, forms_, number))
        if message is not None:
            messages.success(request, message)
            return redirect("workspace:theme", slug=call.slug, theme_id=item.pk)
        errors_from = [
            forms_["action_form"],
            forms_["rename_form"],
            forms_["merge_form"],
            forms_["promote_form"],
        ]
    review = (
        ThemeReview.objects.filter(theme=item)
        .select_related("merged_into", "reviewed_by", "carried_from__theme")
        .first()
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
    split = (
        Event.objects.filter(call=call, target=f"theme:{item.pk}", kind="theme.split")
        .order_by("-at", "-pk")
        .first()
    )
    # A coder of an open sample sees none of its passages here (blind.py).
    hidden = blind_submission_ids(call, request.user)
    passages = page(
        request,
        Passage.objects.filter(theme_id__in=group)
        .exclude(submission__in=hidden)
        .select_related("submission")
        .order_by("pk"),
        10,
    )
    return render(
        request,
        "workspace/themes_detail.html",
        {
            "call": call,
            "item": item,
            "review": review,
            "weak": _weak(review),
            "label": review.label if review else item.label,
            "merged_in": merged_in,
            "covered": covered,
            "size": item.size + sum(r.theme.size for r in merged_in),
            "quotes": Quote.objects.filter(theme=item)
            .exclude(submission__in=hidden)
            .select_related("submission")
            .order_by("rank"),
            "page": passages,
            "split": split.after if split else None,
            "split_event": split,
            "lead": is_lead(request.user),
            "errors_from": errors_from,
            "form": next((f for f in errors_from if f.errors), None),
            **forms_,
        },
        status=400 if errors_from else 200,
    )
