"""Forms for making and changing a call (the rules themselves live in calls.py)."""

from __future__ import annotations

from django import forms

from inpractice.intake.models import CallForEvidence

from .calls import KEY, MAX_ANSWER_LENGTH, QUESTION_TYPES
from .forms import UkDateTimeField


class NewCallForm(forms.Form):
    title = forms.CharField(
        label="What is the call called?",
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "Use 200 characters or fewer"},
    )


class CallDetailsForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "Use 200 characters or fewer"},
    )
    introduction = forms.CharField(
        label="Introduction",
        help_text="Shown on the call's first page: what you are asking for and why.",
        widget=forms.Textarea,
        max_length=10000,
        required=False,
    )
    consent_wording = forms.CharField(
        label="Consent wording",
        help_text="Shown on the consent page, before people choose whether their example "
        "may be published.",
        widget=forms.Textarea,
        max_length=5000,
        required=False,
    )
    privacy_notice_url = forms.URLField(
        label="Privacy notice link",
        help_text="For example, https://www.example.org/privacy",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the link in the right format, like https://www.example.org/privacy"
        },
    )
    opens_at = UkDateTimeField(label="Opens")
    closes_at = UkDateTimeField(label="Closes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].label_verb = "closes"

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error(
                "closes_at", "The closing date and time must be after the opening date and time"
            )
        return data


class QuestionEditForm(forms.Form):
    label = forms.CharField(
        label="Question",
        max_length=300,
        error_messages={"required": "Enter the question"},
    )
    hint = forms.CharField(
        label="Hint (optional)",
        help_text="Shown under the question, for example what to include.",
        max_length=1000,
        required=False,
        widget=forms.Textarea,
    )
    type = forms.ChoiceField(
        label="What kind of answer?",
        choices=list(QUESTION_TYPES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of answer"},
    )
    max_length = forms.IntegerField(
        label="Longest answer, in characters",
        min_value=1,
        max_value=MAX_ANSWER_LENGTH,
        error_messages={
            "required": "Enter the longest answer allowed, in characters",
            "invalid": "Enter the longest answer as a whole number, like 3000",
            "min_value": "The longest answer must be at least 1 character",
            "max_value": f"The longest answer must be {MAX_ANSWER_LENGTH:,} characters or fewer",
        },
    )
    optional = forms.TypedChoiceField(
        label="Must people answer it?",
        choices=[("no", "Yes, it must be answered"), ("yes", "No, it is optional")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether people must answer it"},
    )


class NewQuestionForm(QuestionEditForm):
    key = forms.CharField(
        label="Short name",
        help_text="Lower-case letters, digits and hyphens, like ‘family-views’. Used in exports; "
        "it cannot be changed later.",
        max_length=40,
        error_messages={"required": "Enter a short name"},
    )
    field_order = ["label", "key", "hint", "type", "max_length", "optional"]

    def __init__(self, *args, call: CallForEvidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        if not KEY.match(key):
            raise forms.ValidationError(
                "The short name must start with a letter and use only lower-case letters, "
                "digits and hyphens"
            )
        if self.call.question(key):
            raise forms.ValidationError(f"The call already has a question called ‘{key}’")
        return key


class CodebookForm(forms.Form):
    source = forms.ChoiceField(
        label="Which codebook will analysts use?",
        choices=[
            ("default", "The five principles (the default)"),
            ("copy", "A copy of another call's codebook"),
            ("upload", "Import a YAML or JSON file"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a codebook"},
    )
    copy_from = forms.ChoiceField(label="Copy the codebook of", required=False, choices=[])
    file = forms.FileField(label="Codebook file", required=False)

    def __init__(self, *args, call: CallForEvidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].choices = [
            (c.slug, c.title) for c in CallForEvidence.objects.exclude(pk=call.pk)
        ]
        if not self.fields["copy_from"].choices:  # no other call to copy from
            self.fields["source"].choices = [
                c for c in self.fields["source"].choices if c[0] != "copy"
            ]

    def clean(self):
        data = super().clean()
        if data.get("source") == "copy" and not data.get("copy_from"):
            self.add_error("copy_from", "Choose the call to copy the codebook from")
        if data.get("source") == "upload" and not data.get("file"):
            self.add_error("file", "Choose a codebook file")
        return data
