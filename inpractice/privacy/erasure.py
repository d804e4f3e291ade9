"""Where contact details live, and the three things done with them: find, export, erase.

`CONTACT_FIELDS` is the one list of fields that hold a person's contact details; erasure,
retention and the subject access export all read it, so an app that stores contact details
elsewhere adds an entry here. Every change is made in one transaction together with its audit
record: a failure part-way leaves everything as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from .models import AuditAction, AuditEvent, RetentionPolicy, subject_hash


@dataclass(frozen=True)
class ContactFields:
    model: str  # "app_label.Model"
    email_field: str  # the field that identifies the person by email address
    fields: tuple[str, ...]  # every field blanked when their details are erased
    describe: str
    call_field: str = "call"

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


CONTACT_FIELDS: list[ContactFields] = [
    ContactFields(
        "intake.Submission",
        "respondent_email",
        ("respondent_name", "respondent_email", "respondent_role"),
        "the person who wrote a submission",
    ),
    ContactFields(
        "intake.Nomination",
        "contact_email",
        ("contact_name", "contact_email"),
        "the school contact named in a nomination",
    ),
    ContactFields(
        "intake.Nomination",
        "nominator_email",
        ("nominator_name", "nominator_email"),
        "the person who made a nomination",
    ),
    # A colleague asked to help answer a shared response (intake/sharing.py). Only the address
    # is held; a blank one ends their link. What they wrote stays, as "Contributor N".
    ContactFields(
        "intake.Contributor",
        "email",
        ("email",),
        "a colleague asked to contribute to a response",
        call_field="submission__call",
    ),
]

# Staff pages that show contact details: viewing one writes an audit record (see middleware.py).
# Add the URL name of any new page that shows names, email addresses or roles of people.
AUDITED_PAGES: dict[str, str] = {
    "staff:nominations": "Nominations (school contacts and nominators)",
    "staff:nomination": "A nomination (the school contact and the nominator)",
    "staff:submission": "A submission (the respondent's and any contributors' contact details)",
    "staff:submissions_export": "Submissions export (with respondents' contact details)",
}


class ErasureError(RuntimeError):
    pass


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise ValueError(f"{email!r} is not an email address")
    return email


def actor_label(user) -> str:
    if user is None:
        import getpass

        try:
            return f"command line ({getpass.getuser()})"
        except Exception:  # noqa: BLE001 - no login name in some containers
            return "command line"
    return user.get_username()


def audit(user, action: str, what: str, *, call=None, records: int = 0, email: str = "") -> None:
    AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=actor_label(user),
        action=action,
        what=what[:300],
        call=call,
        records=records,
        subject_hash=subject_hash(email) if email else "",
    )


def matches(email: str) -> list[tuple[ContactFields, models.QuerySet]]:
    """Every record holding this email address, per place contact details are kept."""
    email = normalise_email(email)
    return [
        (cf, cf.model_class.objects.filter(**{f"{cf.email_field}__iexact": email}).order_by("pk"))
        for cf in CONTACT_FIELDS
    ]


@dataclass
class Found:
    email: str
    places: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(p["count"] for p in self.places)


def find(email: str) -> Found:
    found = Found(normalise_email(email))
    for cf, qs in matches(email):
        found.places.append({"describe": cf.describe, "model": cf.model, "count": qs.count()})
    return found


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def _record(obj: models.Model, exclude: set[str]) -> dict:
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude or f.name.endswith("token_hash"):
            continue
        data[f.attname] = _jsonable(getattr(obj, f.attname))
    return data


def subject_access_export(email: str, user, what: str) -> dict:
    """Everything held about one person, without other people's contact details; audited."""
    email = normalise_email(email)
    other_people = {f for cf in CONTACT_FIELDS for f in cf.fields}
    export: dict = {"email": email, "generated_at": timezone.now().isoformat(), "records": []}
    with transaction.atomic():
        for cf, qs in matches(email):
            for obj in qs:
                # Their own fields, plus everything that is not someone else's contact details.
                record = _record(obj, exclude=other_people - set(cf.fields))
                if cf.model == "intake.Submission":
                    record["covered_school_urns"] = list(
                        obj.covered_schools.order_by("urn").values_list("urn", flat=True)
                    )
                if cf.model == "intake.Contributor":
                    # What they wrote to the response they helped with, in their own words.
                    record["answers_written"] = [
                        {
                            "question": v.key,
                            "version": v.number,
                            "saved_at": _jsonable(v.saved_at),
                            "text": v.text,
                        }
                        for v in obj.submission.answer_history.filter(
                            contributor_number=obj.number
                        ).order_by("key", "number")
                    ]
                export["records"].append(
                    {"kind": cf.model, "as": cf.describe, "id": obj.pk, "data": record}
                )
        audit(
            user,
            AuditAction.SUBJECT_ACCESS,
            what,
            records=len(export["records"]),
            email=email,
        )
    return export


@dataclass
class Erased:
    email: str
    blanked: dict[str, int] = field(default_factory=dict)
    drafts_deleted: int = 0

    @property
    def total(self) -> int:
        return sum(self.blanked.values()) + self.drafts_deleted


def erase(email: str, user, what: str) -> Erased:
    """Erase one person's contact details everywhere, and delete their unsent drafts.

    Submitted evidence stays (without the person's name, email address or role); a draft never
    sent is theirs alone and goes entirely. All or nothing: any failure rolls everything back.
    """
    from inpractice.intake.models import Submission, SubmissionStatus

    email = normalise_email(email)
    result = Erased(email)
    try:
        with transaction.atomic():
            drafts = Submission.objects.filter(
                respondent_email__iexact=email, status=SubmissionStatus.DRAFT
            )
            result.drafts_deleted = drafts.count()
            drafts.delete()
            for cf, qs in matches(email):
                changed = qs.update(**dict.fromkeys(cf.fields, ""))
                key = f"{cf.model}.{cf.email_field}"
                result.blanked[key] = result.blanked.get(key, 0) + changed
            audit(user, AuditAction.ERASE, what, records=result.total, email=email)
    except Exception as exc:
        raise ErasureError(
            f"nothing was erased for {email}: {exc}. Fix the problem and run the erasure again."
        ) from exc
    return result


def _has_contact_details(cf: ContactFields) -> models.Q:
    q = models.Q()
    for name in cf.fields:
        q |= ~models.Q(**{name: ""})
    return q


def apply_retention(now: datetime | None = None, user=None, dry_run: bool = False) -> list[dict]:
    """Erase contact details of every call whose retention time has passed; one transaction
    per call, each with its audit record. Returns what was (or, dry run, would be) erased."""
    now = now or timezone.now()
    report = []
    for policy in RetentionPolicy.objects.select_related("call").order_by("call__closes_at"):
        row = {
            "call": policy.call.slug,
            "erase_after": policy.erase_after.isoformat(),
            "due": policy.is_due(now),
            "erased": 0,
        }
        report.append(row)
        if not row["due"]:
            continue
        with transaction.atomic():
            for cf in CONTACT_FIELDS:
                qs = cf.model_class.objects.filter(**{cf.call_field: policy.call}).filter(
                    _has_contact_details(cf)
                )
                blank = dict.fromkeys(cf.fields, "")
                row["erased"] += qs.count() if dry_run else qs.update(**blank)
            if dry_run:
                continue
            if row["erased"] or policy.applied_at is None:
                audit(
                    user,
                    AuditAction.RETENTION,
                    f"retention: {policy.keep_contact_days} days after {policy.call.slug} closed",
                    call=policy.call,
                    records=row["erased"],
                )
            policy.applied_at = now
            policy.save(update_fields=["applied_at"])
    return report
