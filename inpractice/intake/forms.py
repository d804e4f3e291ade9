"""The question pages of a submission and the nomination form, with GOV.UK error wording.

Each page's form both collects and re-validates its answers, so the final check before
submission runs exactly the rules the person saw.
"""

from __future__ import annotations

import re

from django import forms

from inpractice.schools.lookup import resolve_school, resolve_trust, school_label, trust_label
from inpractice.schools.models import LocalAuthority, School, Trust

from .choices import (
    Coverage,
    NeedCode,
    OrganisationType,
    PracticeType,
    PublicationConsent,
)
from .choices import Phase as SubmissionPhase
from .coverage import UrnListError, parse_urns, unknown_urns
from .models import Submission

# Needs described only by codes or labels tell an analyst nothing about the practice.
CODE_WORDS = {c.lower() for c in NeedCode.values} | {"sen", "send", "ehcp", "needs", "and", "with"}
MAX_URNS = 3000


def _required(message: str) -> dict:
    return {"required": message}


class SchoolPickerMixin:
    """Turns what was typed into one school, or offers the candidates as a list to choose from.

    Works without JavaScript: an ambiguous name re-shows the page with the matching schools as
    radios (`school_choice`), and the autocomplete's label form "Name, Town (URN 123456)" resolves
    directly.
    """

    def _init_school_choice(self) -> None:
        self.school_candidates: list[School] = []
        self.school_candidates_total = 0
        choice = self.data.get(self.add_prefix("school_choice")) if self.is_bound else None
        if choice and str(choice).isdigit():
            self.fields["school_choice"].choices = [(int(choice), choice)]

    def _pick_school(self, data: dict) -> School | None:
        choice = data.get("school_choice")
        if choice:
            school = School.objects.filter(urn=choice).first()
            if school:
                return school
        text = data.get("school", "").strip()
        if not text:
            self.add_error("school", "Enter the school's name or URN")
            return None
        found = resolve_school(text)
        if found.match:
            return found.match
        if found.unknown_urn:
            self.add_error(
                "school",
                f"URN {found.unknown_urn} is not in the school register. Check the number, or "
                "find the school by name",
            )
        elif found.candidates:
            self.school_candidates = found.candidates
            self.school_candidates_total = found.total
            self.add_error(
                "school",
                f"More than one school matches ‘{text}’. Select the school from the list, or "  # noqa: S608 - a message, not SQL
                "enter its URN",
            )
        else:
            self.add_error(
                "school", f"No open school matches ‘{text}’. Check the spelling or enter the URN"
            )
        return None


class SubmissionPageForm(forms.Form):
    """A question page whose fields are the Submission's fields of the same names."""

    @classmethod
    def initial_from(cls, s: Submission) -> dict:
        return {name: getattr(s, name) for name in cls.base_fields}

    def apply(self, s: Submission) -> None:
        for name in self.base_fields:
            setattr(s, name, self.cleaned_data[name])


class AboutYouForm(SubmissionPageForm):
    respondent_name = forms.CharField(
        label="Full name", max_length=120, error_messages=_required("Enter your full name")
    )
    respondent_email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text=(
            "We'll send your receipt here, and a link to come back to your answers if you need it."
        ),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    respondent_role = forms.CharField(
        label="Job title or role",
        max_length=120,
        help_text="For example, SENCO, headteacher or director of inclusion",
        error_messages=_required("Enter your job title or role"),
    )
    organisation_name = forms.CharField(
        label="Name of your organisation",
        max_length=200,
        error_messages=_required("Enter the name of your organisation"),
    )
    organisation_type = forms.ChoiceField(
        label="What type of organisation is it?",
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the type of organisation"),
    )
    organisation_type_other = forms.CharField(
        label="Type of organisation", max_length=120, required=False
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("organisation_type") == OrganisationType.OTHER
            and not data.get("organisation_type_other", "").strip()
        ):
            self.add_error("organisation_type_other", "Enter the type of organisation")
        return data

    def apply(self, s: Submission) -> None:
        super().apply(s)
        if s.organisation_type != OrganisationType.OTHER:
            s.organisation_type_other = ""


class CoverageForm(SchoolPickerMixin, forms.Form):
    coverage = forms.ChoiceField(
        label="Which schools does your example cover?",
        choices=Coverage.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select which schools your example covers"),
    )
    school = forms.CharField(
        label="School name or URN",
        max_length=250,
        required=False,
        help_text="Start typing the name, or enter the 6-digit URN",
    )
    school_choice = forms.TypedChoiceField(
        label="Select your school", required=False, coerce=int, choices=()
    )
    urns = forms.CharField(
        label="URNs of the schools",
        required=False,
        max_length=30000,
        widget=forms.Textarea,
        help_text="Enter one URN per line, or separate them with commas",
    )
    trust = forms.CharField(
        label="Trust name or reference",
        max_length=250,
        required=False,
        help_text="Start typing the trust's name, or enter its GIAS group reference",
    )
    local_authority = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.order_by("name"),
        required=False,
        to_field_name="code",
        empty_label="Select a local authority",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_school_choice()

    def clean(self):
        data = super().clean()
        coverage = data.get("coverage")
        data["pairs"] = []
        if coverage == Coverage.ONE_SCHOOL:
            self._clean_one_school(data)
        elif coverage == Coverage.URN_LIST:
            self._clean_urn_list(data)
        elif coverage == Coverage.TRUST:
            self._clean_trust(data)
        elif coverage == Coverage.LOCAL_AUTHORITY:
            la = data.get("local_authority")
            if la is None:
                self.add_error("local_authority", "Select the local authority")
            elif not la.schools.filter(status__istartswith="open").exists():
                self.add_error("local_authority", f"{la.name} has no open schools in our register")
            else:
                data["pairs"] = [(s.urn, s) for s in la.schools.filter(status__istartswith="open")]
        return data

    def _clean_one_school(self, data) -> None:
        school = self._pick_school(data)
        if school:
            data["pairs"] = [(school.urn, school)]

    def _clean_urn_list(self, data) -> None:
        try:
            urns = parse_urns(data.get("urns", ""))
        except UrnListError as exc:
            shown = ", ".join(exc.bad[:5]) + (" …" if len(exc.bad) > 5 else "")
            self.add_error("urns", f"URNs must be 6-digit numbers. Check: {shown}")
            return
        if not urns:
            self.add_error("urns", "Enter the URNs of the schools your example covers")
            return
        if len(urns) > MAX_URNS:
            self.add_error(
                "urns",
                f"Enter {MAX_URNS:,} URNs or fewer, or choose all schools in a trust or local "
                "authority",
            )
            return
        missing = unknown_urns(urns)
        if missing:
            shown = ", ".join(str(u) for u in missing[:10]) + (" …" if len(missing) > 10 else "")
            self.add_error(
                "urns",
                f"{len(missing)} URN{'s are' if len(missing) > 1 else ' is'} not in the school "
                f"register: {shown}. Check them, or remove them",
            )
            return
        found = School.objects.in_bulk(urns, field_name="urn")
        data["pairs"] = [(u, found[u]) for u in urns]

    def _clean_trust(self, data) -> None:
        text = data.get("trust", "").strip()
        if not text:
            self.add_error("trust", "Enter the trust's name or reference")
            return
        found = resolve_trust(text)
        trust: Trust | None = found.match
        if trust is None:
            if found.candidates:
                names = "; ".join(t.name for t in found.candidates[:5])
                self.add_error(
                    "trust",
                    f"More than one trust matches ‘{text}’ ({names}). Enter the full name or "
                    "reference",
                )
            else:
                self.add_error("trust", f"No trust matches ‘{text}’. Check the name or reference")
            return
        schools = list(trust.schools.filter(status__istartswith="open"))
        if not schools:
            self.add_error("trust", f"{trust.name} has no open schools in our register")
            return
        data["trust_obj"] = trust
        data["pairs"] = [(s.urn, s) for s in schools]

    @staticmethod
    def initial_from(s: Submission) -> dict:
        urns = list(s.covered_schools.order_by("pk").values_list("urn", flat=True)[:MAX_URNS])
        initial: dict = {"coverage": s.coverage}
        if s.coverage == Coverage.ONE_SCHOOL and urns:
            school = School.objects.filter(urn=urns[0]).first()
            initial["school"] = school_label(school) if school else str(urns[0])
        elif s.coverage == Coverage.URN_LIST:
            initial["urns"] = "\n".join(str(u) for u in urns)
        elif s.coverage == Coverage.TRUST and s.coverage_trust:
            initial["trust"] = trust_label(s.coverage_trust)
        elif s.coverage == Coverage.LOCAL_AUTHORITY and s.coverage_local_authority:
            initial["local_authority"] = s.coverage_local_authority.code
        return initial

    def apply(self, s: Submission) -> list:
        s.coverage = self.cleaned_data["coverage"]
        s.coverage_trust = (
            self.cleaned_data.get("trust_obj") if s.coverage == Coverage.TRUST else None
        )
        s.coverage_local_authority = (
            self.cleaned_data.get("local_authority")
            if s.coverage == Coverage.LOCAL_AUTHORITY
            else None
        )
        return self.cleaned_data["pairs"]


class TitleForm(SubmissionPageForm):
    title = forms.CharField(
        label="Give your example a short title",
        max_length=150,
        help_text="For example, ‘A nurture base that keeps pupils in mainstream lessons’",
        error_messages=_required("Enter a title for your example"),
    )


class NeedsForm(SubmissionPageForm):
    need_codes = forms.MultipleChoiceField(
        label="Which needs does the practice address?",
        choices=NeedCode.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages=_required("Select at least one type of need"),
    )
    need_description = forms.CharField(
        label="Describe the needs precisely",
        max_length=2000,
        widget=forms.Textarea,
        help_text=(
            "In your own words, not just a category. For example, ‘Year 5 and 6 pupils with "
            "anxiety who find unstructured times hard and have stopped attending lunchtime clubs’"
        ),
        error_messages=_required("Describe the needs the practice addresses"),
    )

    def clean_need_description(self):
        text = self.cleaned_data["need_description"].strip()
        words = re.findall(r"[A-Za-z']+", text)
        meaningful = [w for w in words if w.lower() not in CODE_WORDS]
        if len(meaningful) < 4:
            raise forms.ValidationError(
                "Describe the needs in a sentence, not only with a category such as ‘SEMH’"
            )
        return text


class PracticeTypesForm(SubmissionPageForm):
    practice_types = forms.MultipleChoiceField(
        label="What kind of practice is it?",
        choices=PracticeType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages=_required("Select at least one kind of practice"),
    )
    practice_type_other = forms.CharField(
        label="Describe the kind of practice", max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        if (
            PracticeType.OTHER in data.get("practice_types", [])
            and not data.get("practice_type_other", "").strip()
        ):
            self.add_error("practice_type_other", "Describe the kind of practice")
        return data

    def apply(self, s: Submission) -> None:
        s.practice_types = self.cleaned_data["practice_types"]
        s.practice_type_other = (
            self.cleaned_data["practice_type_other"]
            if PracticeType.OTHER in s.practice_types
            else ""
        )


class PhasesForm(SubmissionPageForm):
    phases = forms.MultipleChoiceField(
        label="Which phases of education does it involve?",
        choices=SubmissionPhase.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages=_required("Select at least one phase"),
    )


class QuestionForm(forms.Form):
    """One of the call's free-text questions; the call decides the wording and limits."""

    answer = forms.CharField(widget=forms.Textarea)

    def __init__(self, *args, question: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        field = self.fields["answer"]
        field.required = bool(question.get("required", True))
        # GOV.UK: mark the optional questions, not the required ones.
        field.label = question["label"] + ("" if field.required else " (optional)")
        field.help_text = question.get("hint", "")
        field.max_length = int(question.get("max_length", 5000))
        field.validators.append(forms.CharField(max_length=field.max_length).validators[0])
        field.error_messages["required"] = f"Enter your answer to ‘{question['label']}’"
        field.error_messages["max_length"] = (
            f"Your answer must be {field.max_length:,} characters or fewer"
        )

    def clean_answer(self):
        text = self.cleaned_data["answer"].replace("\r\n", "\n").replace("\r", "\n").strip()
        if len(text) > self.fields["answer"].max_length:
            raise forms.ValidationError(self.fields["answer"].error_messages["max_length"])
        return text

    @staticmethod
    def initial_for(s: Submission, key: str) -> dict:
        return {"answer": s.answer(key)}

    def apply(self, s: Submission) -> None:
        answers = dict(s.answers or {})
        answers[self.question["key"]] = self.cleaned_data["answer"]
        s.answers = answers
        versions = dict(s.answer_versions or {})
        versions[self.question["key"]] = int(self.question.get("version", 1))
        s.answer_versions = versions


class ConsentForm(forms.Form):
    consent_publication = forms.ChoiceField(
        label="May we publish your example in the national library of practice?",
        choices=PublicationConsent.choices,
        widget=forms.RadioSelect,
        help_text="We remove the names of pupils, families and staff before anything is published.",
        error_messages=_required("Select whether we may publish your example"),
    )
    consent_contact = forms.TypedChoiceField(
        label="May we contact you about your example?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages=_required("Select whether we may contact you"),
    )

    @staticmethod
    def initial_from(s: Submission) -> dict:
        contact = None if s.consent_contact is None else ("yes" if s.consent_contact else "no")
        return {"consent_publication": s.consent_publication, "consent_contact": contact}

    def apply(self, s: Submission) -> None:
        s.consent_publication = self.cleaned_data["consent_publication"]
        s.consent_contact = self.cleaned_data["consent_contact"]


class NominationForm(SchoolPickerMixin, forms.Form):
    school = forms.CharField(
        label="School name or URN",
        max_length=250,
        help_text="Start typing the name, or enter the 6-digit URN",
        error_messages=_required("Enter the school's name or URN"),
    )
    school_choice = forms.TypedChoiceField(
        label="Select the school", required=False, coerce=int, choices=()
    )
    contact_name = forms.CharField(
        label="Name of a member of staff at the school",
        max_length=120,
        error_messages=_required("Enter the name of a member of staff at the school"),
    )
    contact_email = forms.EmailField(
        label="Their work email address",
        max_length=254,
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@school.sch.uk",
        },
    )
    reason = forms.CharField(
        label="Why are you nominating this school?",
        max_length=2000,
        widget=forms.Textarea,
        help_text="Tell us briefly what the school does well for children with SEND",
        error_messages=_required("Tell us why you are nominating this school"),
    )
    # Consent, so unticked unless the person ticks it: older nominations and anyone who skips it
    # are never quoted to the school.
    share_reason = forms.BooleanField(
        label="You may share why I nominated the school with the school when you invite it",
        required=False,
    )
    nominator_name = forms.CharField(label="Your name (optional)", max_length=120, required=False)
    nominator_email = forms.EmailField(
        label="Your email address (optional)",
        max_length=254,
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )

    def __init__(self, *args, described: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_school_choice()
        # A school the nominator described as not in the register: it replaces the look-up.
        self.described = described
        if described:
            self.fields["school"].required = False

    def clean(self):
        data = super().clean()
        data["school_obj"] = None if self.described else self._pick_school(data)
        data["described"] = self.described
        return data

    # A nomination waits in the session between the form and its check page, as plain values
    # (the school by URN), so nothing is stored until the person presses "Send nomination".

    @staticmethod
    def pending_from(data: dict) -> dict:
        """The session's copy of a valid form's answers."""
        school = data["school_obj"]
        return {
            "urn": school.urn if school else None,
            **{name: data[name] for name in NOMINATION_TEXT_FIELDS},
            "share_reason": bool(data["share_reason"]),
            "described": data.get("described"),
        }

    @staticmethod
    def initial_from(pending: dict | None) -> dict:
        """The form filled in again from the session, for a Change link or the Back link."""
        if not pending:
            return {}
        urn = pending.get("urn")
        school = School.objects.filter(urn=urn).first() if urn is not None else None
        initial = {name: pending.get(name, "") for name in NOMINATION_TEXT_FIELDS}
        initial["school"] = school_label(school) if school else ("" if urn is None else str(urn))
        initial["share_reason"] = bool(pending.get("share_reason"))
        return initial

    @staticmethod
    def data_from(pending: dict) -> dict:
        """The session's answers as a posted form, so Send re-checks them by the same rules."""
        data = {name: pending.get(name, "") for name in NOMINATION_TEXT_FIELDS}
        if pending.get("urn") is not None:
            data["school"] = str(pending["urn"])
            data["school_choice"] = str(pending["urn"])
        if pending.get("share_reason"):
            data["share_reason"] = "on"
        return data


NOMINATION_TEXT_FIELDS = (
    "contact_name",
    "contact_email",
    "reason",
    "nominator_name",
    "nominator_email",
)


# The shape of a UK postcode (outward code, space optional, inward code), as GOV.UK's pattern
# library accepts it: upper or lower case, with or without the space.
UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


class UnlistedSchoolForm(forms.Form):
    """A school described by the submitter because the register does not have it."""

    name = forms.CharField(
        label="School name",
        max_length=200,
        error_messages=_required("Enter the school's name"),
    )
    town = forms.CharField(
        label="Town or city",
        max_length=100,
        error_messages=_required("Enter the town or city the school is in"),
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages=_required("Enter the school's postcode"),
    )
    phase = forms.ChoiceField(
        label="Phase of education",
        choices=SubmissionPhase.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the school's phase of education"),
    )
    urn = forms.CharField(
        label="URN (optional)",
        max_length=7,
        required=False,
        help_text="The school's unique reference number, if you know it: 6 digits",
        error_messages={"max_length": "A URN is 5 to 7 digits, like 123456"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A URN that IS in the register: shown, so the person can choose it instead.
        self.register_school: School | None = None

    def clean_postcode(self) -> str:
        text = re.sub(r"\s+", "", self.cleaned_data["postcode"]).upper()
        found = UK_POSTCODE.match(text)
        if not found:
            raise forms.ValidationError("Enter a real postcode, like SW1A 1AA")
        return f"{found.group(1)} {found.group(2)}"

    def clean_urn(self) -> int | None:
        text = self.cleaned_data["urn"].strip()
        if not text:
            return None
        if not text.isdigit() or not 5 <= len(text) <= 7:
            raise forms.ValidationError("A URN is 5 to 7 digits, like 123456")
        school = School.objects.filter(urn=int(text)).first()
        if school is not None:
            self.register_school = school
            raise forms.ValidationError(
                f"URN {school.urn} is in the school register: it is {school_label(school)}. "
                "Choose it instead, or check the number"
            )
        return int(text)


class ContributorForm(forms.Form):
    """The author of a shared response asks a colleague to contribute, by email address."""

    email = forms.EmailField(
        label="Your colleague's work email address",
        max_length=254,
        help_text="We'll email them their own link. They can answer the questions, but cannot "
        "change your details, the schools or the consent, or send the response.",
        error_messages={
            "required": "Enter your colleague's work email address",
            "invalid": "Enter an email address in the correct format, like name@trust.org.uk",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
