"""The review queue: a call's submissions filtered by code, theme, setting, need and progress.

Filters are database subqueries (EXISTS), so a page costs the same on a call of 100 or 10,000
submissions: nothing here loads a call's passages into Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from inpractice.coding.models import Passage, SubmissionResult, Theme
from inpractice.coding.runs import current_run
from inpractice.intake.choices import NEED_AREAS, NeedCode, OrganisationType, Phase
from inpractice.intake.models import CoveredSchool, Submission, SubmissionStatus
from inpractice.schools.models import Region

from .blind import blind_submission_ids
from .metrics import current_codebook
from .models import Coding, SubmissionReview

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]
ORDERS = [
    ("", "Reference number"),
    ("newest", "Received, newest first"),
    ("oldest", "Received, oldest first"),
    ("evidence", "Evidence-rich first"),
    ("unreviewed", "Not reviewed first"),
]


def need_choices() -> list[tuple[str, str]]:
    areas = [(f"area:{key}", label) for key, (label, _codes) in NEED_AREAS.items()]
    return [("", "Any"), *areas, *NeedCode.choices]


class QueueFilterForm(forms.Form):
    """GET filters of the queue and the evidence list; every choice is checked on the server."""

    code = forms.ChoiceField(label="Code", required=False)
    theme = forms.TypedChoiceField(label="Theme", required=False, coerce=int, empty_value=None)
    org_type = forms.ChoiceField(
        label="Organisation type", required=False, choices=[("", "Any"), *OrganisationType.choices]
    )
    phase = forms.ChoiceField(label="Phase", required=False, choices=[("", "Any"), *Phase.choices])
    region = forms.ChoiceField(
        label="Region", required=False, choices=[("", "Any"), *Region.choices]
    )
    need = forms.ChoiceField(label="Need", required=False, choices=need_choices)
    evidence_rich = forms.ChoiceField(label="Evidence-rich", required=False, choices=YES_NO)
    reviewed = forms.ChoiceField(label="Reviewed", required=False, choices=YES_NO)
    mine = forms.MultipleChoiceField(
        label="Assignment",
        required=False,
        choices=[("yes", "Only submissions assigned to me")],
    )
    order = forms.ChoiceField(label="Sort by", required=False, choices=ORDERS)

    def __init__(self, *args, call, run=None, **kwargs):
        super().__init__(*args, **kwargs)
        codebook = current_codebook(call)
        self.fields["code"].choices = [("", "Any")] + [(c.id, c.name) for c in codebook.walk()]
        themes = Theme.objects.filter(run=run).order_by("number") if run else []
        self.fields["theme"].choices = [("", "Any")] + [
            (t.pk, f"{t.number}: {t.label}") for t in themes
        ]

    def active_filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if v not in ("", None, False, []) and k != "order"
        }

    def chosen_order(self) -> str:
        return self.cleaned_data.get("order", "") if self.is_valid() else ""


@dataclass
class Queue:
    call: object
    run: object
    submissions: QuerySet | Sections
    form: QueueFilterForm


class Sections:
    """Querysets read one after another as one list, for a paginator: "evidence-rich first" is
    the evidence-rich submissions by reference, then the others by reference. Each part is a
    plain filtered query in an indexed order, so a page is two counts and one LIMIT/OFFSET
    query, never a sort of the whole call on a computed column."""

    def __init__(self, *parts: QuerySet):
        self.parts = parts
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [p.count() for p in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        out: list = []
        for part, size in zip(self.parts, self.counts(), strict=True):
            if stop <= 0:
                break
            if start < size:
                out.extend(part[max(start, 0) : min(stop, size)])
            start, stop = start - size, stop - size
        return out


def ordered(qs: QuerySet, order: str, run) -> QuerySet | Sections:
    """The queue in the order asked for. Received date follows the submissions' index on
    (call, status, submitted_at, id); the "first" orders are two indexed parts (`Sections`)."""
    if order == "newest":
        return qs.order_by("-submitted_at", "-id")
    if order == "oldest":
        return qs.order_by("submitted_at", "id")
    by_reference = qs.order_by("reference")
    if order == "evidence" and run is not None:
        rich = Exists(
            SubmissionResult.objects.filter(run=run, submission=OuterRef("pk"), evidence_rich=True)
        )
        return Sections(by_reference.filter(rich), by_reference.exclude(rich))
    if order == "unreviewed":
        done = Exists(SubmissionReview.objects.filter(submission=OuterRef("pk"), reviewed=True))
        return Sections(by_reference.exclude(done), by_reference.filter(done))
    return by_reference


def _json_list_has(field: str, value: str) -> Q:
    # JSON lists of short codes: matching the quoted value works the same on SQLite and
    # PostgreSQL, where JSON containment lookups differ.
    return Q(**{f"{field}__icontains": f'"{value}"'})


def submitted(call) -> QuerySet:
    return Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED)


def filter_submissions(call, run, data: dict, user) -> QuerySet:
    # A coder of an open double-coding sample never finds its submissions here (blind.py).
    qs = submitted(call).exclude(pk__in=blind_submission_ids(call, user))
    code = data.get("code")
    if code:
        codebook = current_codebook(call)
        family = []
        for c in codebook.walk():
            if c.id == code:
                family = [x.id for x in c.walk()]
        human = Coding.objects.filter(
            submission=OuterRef("pk"),
            code_id__in=family or [code],
            active=True,
            decision=Coding.Decision.APPLIED,
            sample__isnull=True,
        )
        model = SubmissionResult.objects.filter(run=run, submission=OuterRef("pk")).filter(
            _json_list_has("codes", code)
        )
        qs = qs.filter(Exists(human) | Exists(model))
    if data.get("theme") and run is not None:
        qs = qs.filter(
            Exists(
                Passage.objects.filter(run=run, submission=OuterRef("pk"), theme_id=data["theme"])
            )
        )
    if data.get("org_type"):
        qs = qs.filter(organisation_type=data["org_type"])
    if data.get("phase"):
        qs = qs.filter(_json_list_has("phases", data["phase"]))
    if data.get("region"):
        qs = qs.filter(
            Exists(
                CoveredSchool.objects.filter(
                    submission=OuterRef("pk"), school__region=data["region"]
                )
            )
            | Q(coverage_local_authority__region=data["region"])
        )
    need = data.get("need")
    if need:
        if need.startswith("area:"):
            codes = NEED_AREAS.get(need[5:], ("", ()))[1]
            q = Q()
            for c in codes:
                q |= _json_list_has("need_codes", c)
            qs = qs.filter(q)
        else:
            qs = qs.filter(_json_list_has("need_codes", need))
    if data.get("evidence_rich") and run is not None:
        rich = SubmissionResult.objects.filter(
            run=run, submission=OuterRef("pk"), evidence_rich=True
        )
        qs = qs.filter(Exists(rich)) if data["evidence_rich"] == "yes" else qs.exclude(Exists(rich))
    if data.get("reviewed"):
        done = SubmissionReview.objects.filter(submission=OuterRef("pk"), reviewed=True)
        qs = qs.filter(Exists(done)) if data["reviewed"] == "yes" else qs.exclude(Exists(done))
    if data.get("mine"):
        qs = qs.filter(
            Exists(SubmissionReview.objects.filter(submission=OuterRef("pk"), assigned_to=user))
        )
    return qs


def build_queue(call, params, user) -> Queue:
    run = current_run(call)
    if params and params.get("need") in NEED_AREAS:
        # The report links a need area by its bare key; the form's choice is "area:<key>".
        params = params.copy()
        params["need"] = f"area:{params['need']}"
    form = QueueFilterForm(params or None, call=call, run=run)
    data = form.active_filters() if params else {}
    order = form.chosen_order() if params else ""
    qs = ordered(filter_submissions(call, run, data, user), order, run)
    return Queue(call=call, run=run, submissions=qs, form=form)


def progress(call, user) -> dict:
    total = submitted(call).count()
    reviews = SubmissionReview.objects.filter(call=call)
    return {
        "total": total,
        "reviewed": reviews.filter(reviewed=True).count(),
        "mine": reviews.filter(assigned_to=user).count(),
        "mine_reviewed": reviews.filter(assigned_to=user, reviewed=True).count(),
    }
