"""Forms of the library: the public search, and the moderator's case study editor."""

from __future__ import annotations

from django import forms

from .models import Attribution, CaseStudy
from .search import SORTS
from .tags import static_options


class SearchForm(forms.Form):
    """The public search. Every field is optional and anything typed is accepted: the search
    code turns it into words, so this form never shows an error."""

    q = forms.CharField(label="Search case studies", required=False, max_length=100_000)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(SORTS.items()))

    def __init__(self, data, principle_choices: list[tuple[str, str]]):
        super().__init__(data)
        options = {"principle": principle_choices, **static_options()}
        labels = {
            "principle": "Principle",
            "need_area": "Area of need",
            "need_code": "Need",
            "practice_type": "Type of practice",
            "phase": "Phase",
            "region": "Region",
            "organisation_type": "Organisation type",
        }
        for key, label in labels.items():
            self.fields[key] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=options[key],
                widget=forms.CheckboxSelectMultiple,
            )

    def filters(self) -> dict[str, list[str]]:
        """Chosen filter values, ignoring any value that is not an option (never an error)."""
        out = {}
        for key, field in self.fields.items():
            if not isinstance(field, forms.MultipleChoiceField):
                continue
            allowed = {str(v) for v, _ in field.choices}
            values = [v for v in self.data.getlist(key) if v in allowed] if self.data else []
            if values:
                out[key] = list(dict.fromkeys(values))
        return out

    def query(self) -> str:
        return (self.data.get("q") or "") if self.data else ""

    def sort_choice(self) -> str:
        value = (self.data.get("sort") or "") if self.data else ""
        return value if value in SORTS else ""


class CaseStudyForm(forms.Form):
    title = forms.CharField(label="Title", max_length=150)
    summary = forms.CharField(
        label="Summary",
        help_text="One or two sentences shown in search results.",
        max_length=600,
        widget=forms.Textarea,
    )
    organisation_display = forms.CharField(
        label="Organisation name shown",
        help_text="Only for named case studies. Leave blank to show no name.",
        max_length=200,
        required=False,
    )
    setting = forms.CharField(
        label="The setting",
        help_text="Phase, type and region only: never the name of a school, trust or local "
        "authority.",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )
    need = forms.CharField(label="The need and the barrier", max_length=6000, widget=forms.Textarea)
    practice = forms.CharField(label="What they do", max_length=10000, widget=forms.Textarea)
    enablers = forms.CharField(
        label="What made it possible", max_length=6000, required=False, widget=forms.Textarea
    )
    impact = forms.CharField(
        label="The impact and how they know", max_length=6000, required=False, widget=forms.Textarea
    )
    advice = forms.CharField(
        label="Advice to others", max_length=6000, required=False, widget=forms.Textarea
    )
    principles = forms.MultipleChoiceField(
        label="Principles", required=False, widget=forms.CheckboxSelectMultiple
    )
    practice_types = forms.MultipleChoiceField(
        label="Types of practice", required=False, widget=forms.CheckboxSelectMultiple
    )
    need_areas = forms.MultipleChoiceField(
        label="Areas of need (SEND Code of Practice)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    need_codes = forms.MultipleChoiceField(
        label="Needs (DfE codes)", required=False, widget=forms.CheckboxSelectMultiple
    )
    phases = forms.MultipleChoiceField(
        label="Phases", required=False, widget=forms.CheckboxSelectMultiple
    )
    organisation_type = forms.ChoiceField(label="Organisation type", required=False)
    region = forms.ChoiceField(label="Region", required=False)
    quotes = forms.MultipleChoiceField(
        label="Approved quotes to include",
        help_text="Quotes analysts approved in the workspace.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        principle_choices: list[tuple[str, str]],
        quote_choices: list[dict],
        attribution: str,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        options = static_options()
        self.fields["principles"].choices = principle_choices
        self.fields["practice_types"].choices = options["practice_type"]
        self.fields["need_areas"].choices = options["need_area"]
        self.fields["need_codes"].choices = options["need_code"]
        self.fields["phases"].choices = options["phase"]
        self.fields["organisation_type"].choices = [("", "Not given")] + options[
            "organisation_type"
        ]
        self.fields["region"].choices = [("", "Not given")] + options["region"]
        self.quote_texts = {str(q["id"]): q["text"] for q in quote_choices}
        self.fields["quotes"].choices = [(str(q["id"]), q["text"]) for q in quote_choices]
        self.attribution = attribution
        if attribution != Attribution.NAMED:
            del self.fields["organisation_display"]

    def clean_organisation_display(self) -> str:
        return self.cleaned_data.get("organisation_display", "").strip()

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["quotes"] = [
            {"id": int(i), "text": self.quote_texts[i]} for i in data.get("quotes", [])
        ]
        if "organisation_display" not in data:
            data["organisation_display"] = ""
        return data

    @staticmethod
    def initial_for(case_study: CaseStudy) -> dict:
        from .services import CONTENT_FIELDS

        initial = {name: getattr(case_study, name) for name in CONTENT_FIELDS}
        initial["quotes"] = [str(q.get("id")) for q in case_study.quotes or [] if q.get("id")]
        initial["version"] = case_study.version
        return initial


class SubmitterAnswerForm(forms.Form):
    """The submitter's answer on their emailed link: publish it as it is, or ask for changes."""

    answer = forms.ChoiceField(
        label="May we publish this case study as it is?",
        choices=[
            ("approve", "Yes, publish it as it is"),
            ("changes", "No, I would like something changed"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether we may publish the case study as it is"},
    )
    comment = forms.CharField(
        label="What would you like changed?",
        help_text="Say which part, and what it should say instead.",
        max_length=2000,
        required=False,
        widget=forms.Textarea,
        error_messages={
            "max_length": "What you would like changed must be 2,000 characters or fewer"
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == "changes" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Tell us what you would like changed")
        return data
