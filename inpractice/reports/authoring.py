"""The text an analyst writes into an edition (ADR 25): its sections, who may edit them and when.

An edition carries an executive summary, a narrative per principle (each top-level code of the
codebook of the run it was drafted from, keyed by code id), "what this means for the sector"
(the implications) and recommendations grouped by the call's focus areas (`FocusAreas`; the five
of `DEFAULT_FOCUS_AREAS` unless a lead analyst or programme admin changes the list).

* Text is edited only while the edition is a draft; in review, approved and published editions
  are frozen (sending one back to draft allows edits again). Every save keeps a revision.
* A new edition starts from a copy of the text of the edition before it, so nothing a person
  wrote is lost when the evidence is analysed again.
* Sending for review is refused while the executive summary or any principle's narrative is
  empty (`missing`), and freezes the focus-area list into the edition.
* The public see a quote referred to by an evidence marker only when it may be published at
  build time (`publishable_quotes`): approved, the submitter consented, and the personal data
  check finds nothing in it: the same rules as the report's own quotes (`figures._quotes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from inpractice.analysis import personal_data
from inpractice.coding.models import AnalysisRun, SubmissionResult

from . import text as rtext
from .models import DEFAULT_FOCUS_AREAS, Edition, EditionText, EditionTextRevision, FocusAreas

Kind = EditionText.Kind

# Characters allowed per section: room for a long narrative, not for pasting a whole dataset.
LIMITS = {
    Kind.SUMMARY: 6000,
    Kind.PRINCIPLE: 10000,
    Kind.IMPLICATIONS: 6000,
    Kind.RECOMMENDATION: 4000,
}
MAX_FOCUS_AREAS = 10
FOCUS_AREA_LENGTH = 80


class AuthoringError(ValueError):
    """Text that cannot be saved as asked; the message says why and what to do."""


@dataclass
class Section:
    """One section of an edition's text as the authoring page and the report show it."""

    kind: str
    key: str
    title: str
    field: str  # the form field's name and id
    body: str
    limit: int
    required: bool
    number: str = ""  # a principle's number in the codebook
    description: str = ""
    updated_by: str = ""  # staff only: the email of who saved it last
    updated_at: datetime | None = None
    current: bool = True  # False: a recommendation of a focus area no longer in the list

    @property
    def written(self) -> bool:
        return rtext.is_written(self.body)


# --------------------------------------------------------------------------- focus areas


def focus_areas(call) -> list[str]:
    row = FocusAreas.objects.filter(call=call).first()
    return list(row.areas) if row and row.areas else list(DEFAULT_FOCUS_AREAS)


def parse_focus_areas(value: str) -> list[str]:
    """One focus area per line: blank lines dropped, spaces tidied, each checked."""
    areas = [" ".join(line.split()) for line in (value or "").splitlines()]
    areas = [a for a in areas if a]
    if not areas:
        raise AuthoringError("Give at least one focus area, one per line.")
    if len(areas) > MAX_FOCUS_AREAS:
        raise AuthoringError(f"Give at most {MAX_FOCUS_AREAS} focus areas (you gave {len(areas)}).")
    long = [a for a in areas if len(a) > FOCUS_AREA_LENGTH]
    if long:
        raise AuthoringError(
            f"Focus area “{long[0][:40]}…” is longer than {FOCUS_AREA_LENGTH} characters."
        )
    seen: set[str] = set()
    for a in areas:
        if a.casefold() in seen:
            raise AuthoringError(f"Focus area “{a}” is listed twice.")
        seen.add(a.casefold())
    return areas


def save_focus_areas(call, value: str, user) -> list[str]:
    """Replace the call's list. Recommendations already written under an area that is renamed
    or removed are kept (listed as "no longer in the list" on the authoring page)."""
    areas = parse_focus_areas(value)
    FocusAreas.objects.update_or_create(
        call=call, defaults={"areas": areas, "updated_by": user if user else None}
    )
    return areas


def edition_focus_areas(edition: Edition) -> list[str]:
    """A draft follows the call's list; once sent for review, the list it was sent with."""
    if edition.status != Edition.Status.DRAFT and edition.focus_areas:
        return list(edition.focus_areas)
    return focus_areas(edition.call)


# --------------------------------------------------------------------------- sections


def principles(run: AnalysisRun | None) -> list[tuple[str, str, str, str]]:
    """(code id, number, name, description) of the run's top-level codes: one narrative each."""
    if run is None:
        return []
    coded = set(run.code_ids or [])
    found = []
    for i, code in enumerate((run.codebook or {}).get("codes") or [], 1):
        cid = code.get("id", "")
        if cid and (not coded or cid in coded):
            found.append((cid, str(i), code.get("name", cid), code.get("description", "")))
    return found


def _field(kind: str, key: str, index: int = 0) -> str:
    if kind == Kind.PRINCIPLE:
        return "principle-" + "".join(c if c.isalnum() else "-" for c in key)
    if kind == Kind.RECOMMENDATION:
        return f"recommendation-{index}"
    return str(kind)


def sections(edition: Edition, with_people: bool = False) -> list[Section]:
    """Every section of the edition, in the report's order, written or not."""
    texts = {
        (t.kind, t.key): t
        for t in EditionText.objects.filter(edition=edition).select_related("updated_by")
    }

    def make(kind, key, title, required, index=0, **extra) -> Section:
        t = texts.pop((kind, key), None)
        return Section(
            kind=kind,
            key=key,
            title=title,
            field=_field(kind, key, index),
            body=t.body if t else "",
            limit=LIMITS[kind],
            required=required,
            updated_by=(t.updated_by.email if with_people and t and t.updated_by else ""),
            updated_at=t.updated_at if t else None,
            **extra,
        )

    found = [make(Kind.SUMMARY, "", "Executive summary", True)]
    for cid, number, name, description in principles(edition.run):
        found.append(
            make(
                Kind.PRINCIPLE,
                cid,
                f"{number}. {name}",
                True,
                number=number,
                description=description,
            )
        )
    found.append(make(Kind.IMPLICATIONS, "", "What this means for the sector", False))
    areas = edition_focus_areas(edition)
    for i, area in enumerate(areas, 1):
        found.append(make(Kind.RECOMMENDATION, area, area, False, index=i))
    # Recommendations written under an area since renamed or removed: kept, never dropped.
    extra = sorted(k for k in texts if k[0] == Kind.RECOMMENDATION)
    for i, (kind, key) in enumerate(extra, len(areas) + 1):
        if rtext.is_written(texts[(kind, key)].body):
            found.append(make(kind, key, key, False, index=i, current=False))
    return found


def missing(edition: Edition) -> list[str]:
    """The required sections still empty, by title."""
    return [s.title for s in sections(edition) if s.required and not s.written]


def require_draft(edition: Edition) -> None:
    if edition.status != Edition.Status.DRAFT:
        raise AuthoringError(
            f"Edition {edition.number} is {edition.get_status_display().lower()}: its text is "
            "frozen. Send it back to draft to edit it."
        )


def save_sections(
    edition: Edition, bodies: dict[str, str], user, source: str = "edited"
) -> list[Section]:
    """Save the sections whose field is in `bodies` (field name -> text); those unchanged are
    left alone. All or nothing: one section too long saves none. Returns the changed ones."""
    edition = Edition.objects.get(pk=edition.pk)
    require_draft(edition)
    by_field = {s.field: s for s in sections(edition)}
    unknown = sorted(set(bodies) - set(by_field))
    if unknown:
        raise AuthoringError(f"There is no section {unknown[0]!r} in edition {edition.number}.")
    changed = []
    for name, body in bodies.items():
        section = by_field[name]
        body = (body or "").replace("\r\n", "\n").strip()
        if len(body) > section.limit:
            raise AuthoringError(
                f"{section.title}: {len(body):,} characters, more than the {section.limit:,} "
                "allowed. Shorten it."
            )
        if body != section.body:
            section.body = body
            changed.append(section)
    now = timezone.now()
    with transaction.atomic():
        # Lock the edition: a save racing "send for review" must not slip text in after it.
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        require_draft(locked)
        for section in changed:
            text, _ = EditionText.objects.update_or_create(
                edition=edition,
                kind=section.kind,
                key=section.key,
                defaults={"body": section.body, "updated_by": user, "updated_at": now},
            )
            EditionTextRevision.objects.create(
                text=text, body=section.body, edited_by=user, source=source
            )
    return changed


def copy_from(previous: Edition | None, edition: Edition) -> int:
    """Start `edition` from the text of `previous` (every section, written or not, as it was
    last saved); returns how many sections were copied."""
    if previous is None:
        return 0
    copied = 0
    for t in EditionText.objects.filter(edition=previous):
        made = EditionText.objects.create(
            edition=edition,
            kind=t.kind,
            key=t.key,
            body=t.body,
            updated_by=t.updated_by,
            updated_at=t.updated_at,
        )
        EditionTextRevision.objects.create(
            text=made, body=t.body, edited_by=None, source=f"edition {previous.number}"
        )
        copied += 1
    return copied


def history(edition: Edition) -> dict[tuple[str, str], list[EditionTextRevision]]:
    """Revisions of each section, newest first (staff only)."""
    found: dict[tuple[str, str], list[EditionTextRevision]] = {}
    for r in (
        EditionTextRevision.objects.filter(text__edition=edition)
        .select_related("text", "edited_by")
        .order_by("-edited_at", "-pk")
    ):
        found.setdefault((r.text.kind, r.text.key), []).append(r)
    return found


# --------------------------------------------------------------------------- evidence behind text


def all_cited(edition: Edition) -> list[int]:
    ids: dict[int, None] = {}
    for t in EditionText.objects.filter(edition=edition).values_list("body", flat=True):
        for i in rtext.cited_ids(t):
            ids.setdefault(i, None)
    return list(ids)


def publishable_quotes(edition: Edition, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The quote decisions among `ids` that the public may read: (words, attribution) each.

    Approved for the report, from a submission of this call that is analysed in the edition's
    run and whose submitter consented to publication, and with nothing the personal data check
    finds: the rules the report's own quotes follow (figures._quotes)."""
    from inpractice.workspace.models import QuoteReview

    from . import figures as fig

    ids = list(ids)
    if not ids or edition.run_id is None:
        return {}
    reviews = QuoteReview.objects.filter(
        pk__in=ids, call=edition.call, status=QuoteReview.Status.APPROVED
    ).select_related("submission")
    analysed = set(
        SubmissionResult.objects.filter(
            run_id=edition.run_id, submission_id__in=[r.submission_id for r in reviews]
        ).values_list("submission_id", flat=True)
    )
    reviews = [
        r
        for r in reviews
        if r.submission_id in analysed and r.submission.consent_publication in fig.PUBLISHABLE
    ]
    words = _publishable_words(reviews)
    found = {}
    for r in reviews:
        if r.pk in words:
            s = r.submission
            found[r.pk] = (words[r.pk], fig._attribution(s.organisation_type or "", s.phases or []))
    return found


def _publishable_words(reviews: list) -> dict[int, str]:
    """The words to publish for each decision: the quote privacy check's (redacted words where
    a lead redacted the quote; none while a finding is unresolved) where it is installed, else
    the personal data check alone."""
    try:
        from inpractice.workspace.quote_privacy import publishable_review_words
    except ImportError:  # pragma: no cover - before the quote privacy check (ADR 23)
        return {r.pk: r.text for r in reviews if r.text and not personal_data.kinds(r.text)}
    return publishable_review_words(reviews)
