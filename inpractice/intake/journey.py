"""The order of a submission's question pages, and what makes a draft complete.

Pages are derived from the call's questions, so a call with other questions gets other pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .forms import (
    AboutYouForm,
    ConsentForm,
    CoverageForm,
    NeedsForm,
    PhasesForm,
    PracticeTypesForm,
    QuestionForm,
    TitleForm,
)
from .models import CallForEvidence, Submission

FIXED_FORMS = {
    "about-you": AboutYouForm,
    "schools": CoverageForm,
    "title": TitleForm,
    "needs": NeedsForm,
    "practice-types": PracticeTypesForm,
    "phases": PhasesForm,
    "consent": ConsentForm,
}
PAGE_TITLES = {
    "about-you": "About you and your organisation",
    "schools": "Schools covered",
    "title": "Title",
    "needs": "Needs",
    "practice-types": "Kind of practice",
    "phases": "Phases",
    "consent": "Publication and contact",
}


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    question: dict | None = None

    def form(self, submission: Submission | None = None, data=None):
        if self.question is not None:
            initial = (
                QuestionForm.initial_for(submission, self.question["key"]) if submission else None
            )
            return QuestionForm(data, initial=initial, question=self.question)
        form_class = FIXED_FORMS[self.slug]
        initial = form_class.initial_from(submission) if submission else None
        return form_class(data, initial=initial)


def steps(call: CallForEvidence) -> list[Step]:
    questions = [Step(f"q-{q['key']}", q["label"], q) for q in call.questions]
    fixed = [Step(slug, PAGE_TITLES[slug]) for slug in FIXED_FORMS]
    by_slug = {s.slug: s for s in fixed}
    # The first free-text question (what the practice is) comes straight after the title, so
    # people describe it before they classify it.
    return [
        by_slug["about-you"],
        by_slug["schools"],
        by_slug["title"],
        *questions[:1],
        by_slug["needs"],
        by_slug["practice-types"],
        by_slug["phases"],
        *questions[1:],
        by_slug["consent"],
    ]


def step_by_slug(call: CallForEvidence, slug: str) -> Step | None:
    return next((s for s in steps(call) if s.slug == slug), None)


def next_step(call: CallForEvidence, slug: str) -> Step | None:
    order = steps(call)
    for i, s in enumerate(order):
        if s.slug == slug and i + 1 < len(order):
            return order[i + 1]
    return None


def previous_step(call: CallForEvidence, slug: str) -> Step | None:
    order = steps(call)
    for i, s in enumerate(order):
        if s.slug == slug and i > 0:
            return order[i - 1]
    return None


def is_answered(step: Step, s: Submission) -> bool:
    """Whether the page has been saved at least once (an optional question may be blank)."""
    if step.question is not None:
        return step.question["key"] in (s.answers or {})
    return {
        "about-you": bool(s.organisation_type),
        "schools": bool(s.coverage),
        "title": bool(s.title),
        "needs": bool(s.need_codes),
        "practice-types": bool(s.practice_types),
        "phases": bool(s.phases),
        "consent": bool(s.consent_publication),
    }[step.slug]


def is_optional(step: Step) -> bool:
    """Whether the page may be left unanswered: one of the call's questions marked optional."""
    return step.question is not None and not step.question.get("required", True)


def problems(call: CallForEvidence, s: Submission) -> list[tuple[Step, str]]:
    """Each page that is unanswered or no longer valid, with the first thing to put right.

    Re-running every page's own form on the stored answers means the last check before
    submission applies exactly the rules the person met on the page. An optional question
    never holds up sending, whether it was skipped or never opened.
    """
    found: list[tuple[Step, str]] = []
    for step in steps(call):
        if not is_answered(step, s):
            if not is_optional(step):
                found.append((step, "Not answered yet"))
            continue
        if step.slug == "schools":
            # A school described as not in the register answers the page too.
            if not s.covered_schools.exists() and not s.unlisted_schools.exists():
                found.append((step, "Choose the schools again"))
            continue
        initial_form = step.form(s)
        data = _as_post_data(initial_form)
        bound = step.form(s, data=data)
        if not bound.is_valid():
            first = next(iter(bound.errors.values()))[0]
            found.append((step, first))
    return found


class TaskStatus:
    COMPLETED = "completed"
    NOT_STARTED = "not_started"
    OPTIONAL = "optional"  # an optional question not answered: sending is not held up
    TO_FIX = "to_fix"  # answered, but no longer valid (the rules or the register changed)


@dataclass(frozen=True)
class Task:
    step: Step
    status: str
    problem: str = ""
    edited: str = ""  # who last changed a question's answer, once a response has been shared


def tasks(call: CallForEvidence, s: Submission) -> list[Task]:
    """Each page of the journey with how far the draft has got with it, for the task list."""
    to_fix = {step.slug: message for step, message in problems(call, s)}
    found = []
    for step in steps(call):
        if not is_answered(step, s):
            status = TaskStatus.OPTIONAL if is_optional(step) else TaskStatus.NOT_STARTED
            found.append(Task(step, status))
        elif step.slug in to_fix:
            found.append(Task(step, TaskStatus.TO_FIX, to_fix[step.slug]))
        else:
            found.append(Task(step, TaskStatus.COMPLETED))
    return found


def _as_post_data(form) -> dict:
    data: dict = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    # QueryDict-like access for multiple values
    from django.http import QueryDict

    qd = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            qd.setlist(name, value)
        else:
            qd[name] = value
    return qd


# Check your answers lists every school a draft covers, so that a wrong URN in a list shows as
# a wrong name; past this many the list is folded away behind "Show all …".
SCHOOLS_UNFOLDED = 10


def covered_school_names(s: Submission) -> list[str]:
    """'Oakfield Primary School, London (URN 100001)' for each school covered, by name; a URN
    not in the register says so."""
    names = []
    for covered in s.covered_schools.select_related("school").order_by("school__name", "urn"):
        if covered.school is None:
            names.append(f"URN {covered.urn}: not in the school register")
        else:
            town = f", {covered.school.town}" if covered.school.town else ""
            names.append(f"{covered.school.name}{town} (URN {covered.urn})")
    return names


def answer_summary(step: Step, s: Submission) -> list[tuple[str, str]]:
    """(question, answer) rows for the check-your-answers page; plain text, escaped on output."""
    from .choices import Coverage, NeedCode, OrganisationType, PracticeType, PublicationConsent
    from .choices import Phase as SubmissionPhase

    def labels(choices, values) -> str:
        names = dict(choices)
        return "\n".join(str(names.get(v, v)) for v in values)

    if step.question is not None:
        return [(step.question["label"], s.answer(step.question["key"]) or "Not answered")]
    if step.slug == "about-you":
        org_type = dict(OrganisationType.choices).get(s.organisation_type, "")
        if s.organisation_type == OrganisationType.OTHER:
            org_type = f"{org_type}: {s.organisation_type_other}"
        return [
            ("Name", s.respondent_name),
            ("Email address", s.respondent_email),
            ("Job title or role", s.respondent_role),
            ("Organisation", s.organisation_name),
            ("Type of organisation", org_type),
        ]
    if step.slug == "schools":
        covered = s.covered_schools.count()
        how = dict(Coverage.choices).get(s.coverage, "")
        if s.coverage == Coverage.TRUST and s.coverage_trust:
            how = f"All schools in {s.coverage_trust.name}"
        elif s.coverage == Coverage.LOCAL_AUTHORITY and s.coverage_local_authority:
            how = f"All schools in {s.coverage_local_authority.name}"
        elif s.coverage == Coverage.ONE_SCHOOL:
            first = s.covered_schools.select_related("school").first()
            how = f"{first.school.name} (URN {first.urn})" if first and first.school else how
            unlisted = None if first else s.unlisted_schools.first()
            if unlisted is not None:
                return [
                    (
                        "Schools covered",
                        f"{unlisted.label} ({unlisted.get_phase_display()})\n"
                        "Not in the school register: described by you",
                    )
                ]
        return [("Schools covered", f"{how}\n{covered:,} school{'s' if covered != 1 else ''}")]
    if step.slug == "title":
        return [("Title", s.title)]
    if step.slug == "needs":
        return [
            ("Needs", labels(NeedCode.choices, s.need_codes)),
            ("The needs in your words", s.need_description),
        ]
    if step.slug == "practice-types":
        value = labels(PracticeType.choices, s.practice_types)
        if s.practice_type_other:
            value += f": {s.practice_type_other}"
        return [("Kind of practice", value)]
    if step.slug == "phases":
        return [("Phases", labels(SubmissionPhase.choices, s.phases))]
    if step.slug == "consent":
        contact = "" if s.consent_contact is None else ("Yes" if s.consent_contact else "No")
        return [
            ("Publication", dict(PublicationConsent.choices).get(s.consent_publication, "")),
            ("May we contact you", contact),
        ]
    return []
