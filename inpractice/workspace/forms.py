"""Forms of the workspace's submission, sample and team pages (choices checked on the server)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from inpractice.accounts.roles import ROLES

from .metrics import current_codebook

MEMO_TARGETS = [("submission", "This submission"), ("code", "A code")]


def code_choices(call, top_only: bool = False) -> list[tuple[str, str]]:
    codebook = current_codebook(call)
    codes = codebook.codes if top_only else tuple(codebook.walk())
    return [(c.id, c.name) for c in codes]


class VersionedForm(forms.Form):
    """Carries the submission version the page was drawn from, to detect simultaneous edits."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SpanCodeForm(VersionedForm):
    field = forms.ChoiceField(label="Answer")
    words = forms.CharField(
        label="Exact words to code",
        help_text="Copy the words as written, or select them in the answer above.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    occurrence = forms.IntegerField(
        label="Which time the words appear (if more than once)",
        required=False,
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    code = forms.ChoiceField(label="Code")

    def __init__(self, *args, call, fields: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = fields
        self.fields["code"].choices = code_choices(call)


class PassageCodeForm(VersionedForm):
    """Accept, reject or change a proposal, or put a code on a whole passage."""

    passage = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.ChoiceField(label="Code")
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("reject", "Reject"), ("change", "Change")]
    )
    new_code = forms.ChoiceField(label="Change to", required=False)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        choices = code_choices(call)
        self.fields["code"].choices = choices
        self.fields["new_code"].choices = [("", "Choose a code"), *choices]


class MemoForm(VersionedForm):
    target = forms.ChoiceField(label="Memo about", choices=MEMO_TARGETS, initial="submission")
    passage = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.ChoiceField(label="Code (for a memo about a code)", required=False)
    text = forms.CharField(label="Memo", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, call, display: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "Not about a code"), *code_choices(call)]
        if not display:  # passage memos come from each passage's own form
            self.fields["target"].choices = [*MEMO_TARGETS, ("passage", "A passage")]

    def clean(self):
        data = super().clean()
        if data.get("target") == "code" and not data.get("code"):
            self.add_error("code", "Choose the code the memo is about")
        if data.get("target") == "passage" and not data.get("passage"):
            self.add_error("target", "Write a memo about a passage from that passage's form")
        return data


def workspace_people():
    """Staff who may code: analysts and lead analysts."""
    names = [ROLES["analyst"], ROLES["lead-analyst"]]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("username")
    )


class SampleForm(forms.Form):
    name = forms.CharField(label="Name of the sample", max_length=120)
    coder_a = forms.ModelChoiceField(label="First coder", queryset=None, empty_label="Choose")
    coder_b = forms.ModelChoiceField(label="Second coder", queryset=None, empty_label="Choose")
    size = forms.IntegerField(
        label="Number of submissions",
        min_value=1,
        max_value=500,
        initial=20,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    seed = forms.IntegerField(
        label="Random seed",
        help_text="The same seed draws the same sample, so it can be reproduced.",
        initial=1,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = workspace_people()
        self.fields["coder_a"].queryset = people
        self.fields["coder_b"].queryset = people
        self.fields["coder_a"].label_from_instance = lambda u: u.username
        self.fields["coder_b"].label_from_instance = lambda u: u.username

    def clean(self):
        data = super().clean()
        if data.get("coder_a") and data.get("coder_a") == data.get("coder_b"):
            self.add_error("coder_b", "Choose two different people to code the sample")
        return data


class ResolveForm(forms.Form):
    passage = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(widget=forms.HiddenInput, max_length=64)
    present = forms.ChoiceField(
        label="Agreed code", choices=[("yes", "The code applies"), ("no", "It does not apply")]
    )


class AssignmentForm(forms.Form):
    user = forms.ModelChoiceField(label="Analyst", queryset=None, empty_label="Choose")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = workspace_people()
        self.fields["user"].label_from_instance = lambda u: u.username
