"""People's decisions about a run's themes, mentions and quotes, each one transaction with events.

Decisions are stored in the workspace's review rows (`ThemeReview`, `MentionReview`, `QuoteReview`)
with an event holding the state before and after; the analysis rows of `inpractice.coding` are
only read, never changed. Quote and mention decisions are keyed by what every run finds again
(a quote's span; a mention's normalised name, and span), theme decisions are carried onto a newly
promoted run's themes (see `carry`). Who may decide is checked by the pages, not here.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Coalesce

from inpractice.analysis import theme_split
from inpractice.coding.models import Mention, Passage, Quote, Theme

from . import carry
from . import codebook_editing as cbe
from .events import record
from .models import MentionReview, QuoteReview, ThemeReview


class DecisionError(ValueError):
    """A decision that cannot be made as asked; `field` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# -- themes -----------------------------------------------------------------------------------


def theme_review_state(review: ThemeReview | None) -> dict | None:
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
    before = theme_review_state(review)
    if review is None:
        review = ThemeReview(theme=theme, label=theme.label, status=ThemeReview.Status.ACCEPTED)
    for name, value in fields.items():
        setattr(review, name, value)
    review.reviewed_by = user
    # A person has decided on this theme as it is now: no longer "changed since sign-off".
    review.changed = False
    review.save()
    record(
        theme.run.call,
        user,
        kind,
        f"theme:{theme.pk}",
        before=before,
        after=theme_review_state(review),
    )
    return review


def accept_theme(theme: Theme, user) -> None:
    with transaction.atomic():
        _set_review(
            theme, user, "theme.accept", status=ThemeReview.Status.ACCEPTED, merged_into=None
        )


def discard_theme(theme: Theme, user) -> None:
    with transaction.atomic():
        _set_review(
            theme, user, "theme.discard", status=ThemeReview.Status.DISCARDED, merged_into=None
        )


def reopen_theme(theme: Theme, user) -> None:
    """Undo the decision on a theme (if any): it is open for review again."""
    with transaction.atomic():
        review = ThemeReview.objects.select_for_update().filter(theme=theme).first()
        if review is not None:
            record(
                theme.run.call,
                user,
                "theme.reopen",
                f"theme:{theme.pk}",
                before=theme_review_state(review),
                after=None,
            )
            review.delete()


def rename_theme(theme: Theme, user, label: str) -> None:
    """Rename a theme, which also signs it off under the new name."""
    with transaction.atomic():
        _set_review(theme, user, "theme.rename", label=label)


def merge_theme(theme: Theme, user, into_id: int) -> Theme:
    """Merge `theme` into another theme of its run; themes merged into it follow it."""
    target = Theme.objects.get(pk=into_id, run=theme.run)
    target_review = ThemeReview.objects.filter(theme=target).first()
    if target_review and target_review.status == ThemeReview.Status.MERGED:
        raise DecisionError(
            "That theme has itself been merged: choose the theme it was merged into", "into"
        )
    with transaction.atomic():
        _set_review(
            theme, user, "theme.merge", status=ThemeReview.Status.MERGED, merged_into=target
        )
        # Themes already merged into this one follow it, so no merge chain is left behind.
        for r in ThemeReview.objects.select_for_update().filter(merged_into=theme):
            before = theme_review_state(r)
            r.merged_into = target
            r.reviewed_by = user
            r.save()
            record(
                theme.run.call,
                user,
                "theme.merge",
                f"theme:{r.theme_id}",
                before=before,
                after=theme_review_state(r),
            )
    return target


def split_theme(theme: Theme, user, parts: int = 2, seed: int = 0) -> list[dict]:
    """Split a theme's passages into parts (`analysis.theme_split`) and record them in a
    `theme.split` event; the theme and its review are left as they are."""
    rows = list(
        Passage.objects.filter(theme=theme)
        .order_by("pk")
        .values_list("pk", "submission_id", "text")
    )
    try:
        found = theme_split.split_theme(
            [t for _, _, t in rows],
            ids=[pk for pk, _, _ in rows],
            groups=[s for _, s, _ in rows],
            parts=parts,
            seed=seed,
        )
    except ValueError as exc:
        raise DecisionError(str(exc)) from exc
    with transaction.atomic():
        review = ThemeReview.objects.filter(theme=theme).first()
        record(
            theme.run.call,
            user,
            "theme.split",
            f"theme:{theme.pk}",
            before={"theme": theme.pk, "size": theme.size, "review": theme_review_state(review)},
            after={
                "theme": theme.pk,
                "method": theme_split.METHOD.format(parts=parts),
                "parts": found,
            },
        )
    return found


def promote_theme(
    theme: Theme,
    user,
    base_version: int | None,
    *,
    name: str,
    description: str,
    code_id: str,
    parent: str | None,
    examples: list[str],
) -> str:
    """Add a code made from the theme to the working codebook and mark the theme promoted.

    Returns the new code's id; raises `CodebookEditError` (nothing saved) when it cannot be added.
    """
    made: list[str] = []

    def change(cb):
        out, new_id = cbe.add_code(cb, name, description, code_id, parent or None)
        _, _, code = cbe.find(out, new_id)
        if examples:
            code["examples"] = [t[:500] for t in examples]
        made.append(new_id)
        return out

    with transaction.atomic():
        cbe.apply_change(
            theme.run.call,
            user,
            change,
            f"Promoted theme {theme.number} to code {name}",
            base_version,
            "codebook.add",
            f"theme:{theme.pk}",
        )
        _set_review(
            theme,
            user,
            "theme.promote",
            status=ThemeReview.Status.PROMOTED,
            promoted_code_id=made[0],
            merged_into=None,
        )
    return made[0]


# -- mentions of frameworks and tools ---------------------------------------------------------


def visible_mentions(run):
    """The run's mentions under the name people gave them (`shown`), without those people
    rejected; decisions are found by name and place (`carry.mentions_with_decisions`)."""
    return (
        carry.mentions_with_decisions(run)
        .exclude(decision_status=MentionReview.Status.REJECTED)
        .annotate(shown=Coalesce("decision_name", "name"))
    )


def _mention_state(review: MentionReview | None) -> dict | None:
    return None if review is None else {"status": review.status, "name": review.name}


def _review_mention(mention: Mention, user, status: str, name: str) -> None:
    """Decide on one mention's words (keyed by its name and span, so every run finds it)."""
    review = (
        MentionReview.objects.select_for_update()
        .filter(
            call_id=mention.run.call_id,
            key=carry.key_of(mention),
            submission_id=mention.submission_id,
            field=mention.field,
            start=mention.start,
            end=mention.end,
        )
        .first()
    )
    before = _mention_state(review)
    if before is None:
        # What was shown before: a decision on the name, or the model's name.
        on_name = carry.mention_decision(mention)
        before = _mention_state(on_name) or {"status": None, "name": mention.name}
    review = review or MentionReview(mention=mention)
    review.mention = mention
    review.status, review.name, review.reviewed_by = status, name, user
    review.save()
    record(
        mention.run.call,
        user,
        "mention.review",
        f"mention:{mention.pk}",
        before=before,
        after=_mention_state(review),
        submission=mention.submission,
    )


def correct_mention(mention: Mention, user, action: str, name: str = "") -> None:
    """`confirm` the mention, `rename` it to `name`, or `reject` it (not a mention)."""
    current = carry.mention_decision(mention)
    shown = current.name if current else mention.name
    with transaction.atomic():
        if action == "reject":
            _review_mention(mention, user, MentionReview.Status.REJECTED, shown)
        else:
            new = name.strip() if action == "rename" else shown
            _review_mention(mention, user, MentionReview.Status.CONFIRMED, new)


def _rename_name(run, user, key: str, new: str) -> None:
    """Confirm every mention whose model name is `key` (normalised), in every run, as `new`."""
    review = (
        MentionReview.objects.select_for_update()
        .filter(call_id=run.call_id, key=key, submission__isnull=True)
        .first()
    )
    before = _mention_state(review)
    review = review or MentionReview(call_id=run.call_id, key=key)
    review.status, review.name, review.reviewed_by = MentionReview.Status.CONFIRMED, new, user
    review.save()
    record(
        run.call,
        user,
        "mention.review",
        f"mention-name:{key}",
        before=before or {"status": None, "key": key},
        after={**_mention_state(review), "key": key},
    )


def rename_mentions(run, user, old: str, new: str) -> int:
    """Give every (not rejected) mention shown as `old` the name `new`; how many were renamed.

    Mentions shown as `old` because of their (normalised) name are renamed by one decision on
    that name, which every later run applies to its mentions of the name too; a mention shown as
    `old` because of a decision on its own words has that decision changed.
    """
    with transaction.atomic():
        found = list(
            visible_mentions(run).filter(shown=old).select_related("run__call", "submission")
        )
        keys = sorted({carry.key_of(m) for m in found if m.place_review is None})
        for key in keys:
            _rename_name(run, user, key, new)
        for mention in found:
            if mention.place_review is not None:
                _review_mention(mention, user, MentionReview.Status.CONFIRMED, new)
    return len(found)


# -- quotes for the report --------------------------------------------------------------------

QUOTE_STATUSES = {"approve": QuoteReview.Status.APPROVED, "reject": QuoteReview.Status.REJECTED}
QUOTE_ACTIONS = (*QUOTE_STATUSES, "clear")


def review_quote(quote: Quote, user, action: str) -> None:
    """`approve` or `reject` a quote's words for the report, or `clear` the decision.

    The decision is keyed by the quote's span, so it holds for every run's quote of those words.
    """
    if action not in QUOTE_ACTIONS:
        raise DecisionError("Choose whether to approve or reject the quote.")
    with transaction.atomic():
        review = (
            QuoteReview.objects.select_for_update()
            .filter(
                submission_id=quote.submission_id,
                field=quote.field,
                start=quote.start,
                end=quote.end,
            )
            .first()
        )
        before = {"status": review.status} if review else None
        if action == "clear":
            if review is not None:
                review.delete()  # a person's undo: the event keeps what it was
            after = None
        else:
            review = review or QuoteReview(quote=quote)
            review.quote = quote
            review.status, review.reviewed_by = QUOTE_STATUSES[action], user
            review.save()
            after = {"status": review.status}
        record(
            quote.run.call,
            user,
            "quote.review",
            f"quote:{quote.pk}",
            before=before,
            after=after,
            submission=quote.submission,
        )
