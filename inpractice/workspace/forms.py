"""Forms of the workspace's pages (choices checked on the server): submissions, samples and team,
then the codebook, theme, mention and quote pages."""

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
    # Hidden until the words are found more than once (`ask_occurrence`); selecting words in
    # the answer fills it (selection.mjs).
    occurrence = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    code = forms.ChoiceField(label="Code")

    def __init__(self, *args, call, fields: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = fields
        self.fields["code"].choices = code_choices(call)
        self.occurrences: list[tuple[int, tuple[str, str, str]]] = []

    def ask_occurrence(self, contexts: list[tuple[str, str, str]]) -> None:
        """The words appear more than once: ask which time, each shown in its context."""
        self.occurrences = list(enumerate(contexts, start=1))
        self.fields["occurrence"] = forms.TypedChoiceField(
            label="Which of these do you want to code?",
            coerce=int,
            choices=[(n, f"{b} {w} {a}".strip()) for n, (b, w, a) in self.occurrences],
            widget=forms.RadioSelect,
        )
        self.add_error(
            "occurrence",
            f"Those words appear {len(contexts)} times in this answer: choose which one to code",
        )


class AcceptProposalsForm(VersionedForm):
    """Accept every open proposal of a passage (`passage`) or of the submission at once."""

    passage = forms.IntegerField(widget=forms.HiddenInput, required=False)
    min_probability = forms.FloatField(
        label="Lowest probability to accept (optional)",
        help_text="A number from 0 to 1, like 0.8. Leave it blank to accept every proposal "
        "shown, each at its code's own threshold.",
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the probability as a number from 0 to 1, like 0.8",
            "min_value": "Enter a probability of 0 or more",
            "max_value": "Enter a probability of 1 or less",
        },
    )


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


class AssignManyForm(AssignmentForm):
    """Assign the submissions ticked on a queue page (or all of the page) to one analyst."""

    submissions = forms.TypedMultipleChoiceField(
        label="Submissions", coerce=int, required=False, choices=()
    )
    on_page = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    all_on_page = forms.BooleanField(label="Select all submissions on this page", required=False)

    def __init__(self, *args, ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label = "Assign the selected submissions to"
        self.fields["submissions"].choices = [(i, i) for i in ids]
        self.fields["on_page"].choices = [(i, i) for i in ids]

    def clean(self):
        data = super().clean()
        chosen = data.get("on_page") if data.get("all_on_page") else data.get("submissions")
        if not chosen:
            raise forms.ValidationError("Select at least one submission to assign")
        data["chosen"] = sorted(set(chosen))
        return data


# -- the codebook ------------------------------------------------------------------------------


class BaseVersionForm(forms.Form):
    """Carries the codebook version the page was drawn from, so a stale form is a conflict."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CodeForm(BaseVersionForm):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description",
        help_text="What the code means, for analysts deciding whether to apply it.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NewCodeForm(CodeForm):
    code_id = forms.CharField(
        label="Code id (optional)",
        help_text="Lower-case letters, digits, full stops and hyphens. Leave blank to make one "
        "from the name. Codings point at this id, so it cannot change later.",
        required=False,
        max_length=64,
    )


class MergeForm(BaseVersionForm):
    keep = forms.ChoiceField(label="Code to keep")
    merge = forms.ChoiceField(
        label="Code to merge into it",
        help_text="This code is removed. People's codings of it move to the code you keep.",
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [("", "Choose a code")] + choices
        self.fields["merge"].choices = [("", "Choose a code")] + choices

    def clean(self):
        data = super().clean()
        if data.get("keep") and data.get("keep") == data.get("merge"):
            self.add_error("merge", "Choose a different code from the one you keep")
        return data


def _description(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SplitForm(BaseVersionForm):
    PLACES = [
        ("subcodes", "As sub-codes of this code"),
        ("siblings", "As new codes beside this code"),
    ]
    name_1 = forms.CharField(label="Name of the first new code", max_length=200)
    description_1 = _description("Description of the first new code")
    name_2 = forms.CharField(label="Name of the second new code", max_length=200)
    description_2 = _description("Description of the second new code")
    name_3 = forms.CharField(
        label="Name of a third new code (optional)", max_length=200, required=False
    )
    description_3 = _description("Description of the third new code")
    place = forms.ChoiceField(label="Where the new codes go", choices=PLACES, initial="subcodes")


# -- themes ------------------------------------------------------------------------------------


class RenameThemeForm(forms.Form):
    label = forms.CharField(label="New name", max_length=300)


class MergeThemeForm(forms.Form):
    into = forms.ChoiceField(label="Merge into")

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", "Choose a theme")] + choices


class PromoteThemeForm(forms.Form):
    name = forms.CharField(label="Code name", max_length=200)
    description = _description("Code description")
    code_id = forms.CharField(
        label="Code id (optional)",
        required=False,
        max_length=64,
        help_text="Leave blank to make one from the name.",
    )
    parent = forms.ChoiceField(label="Add it as", required=False)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "A new top-level code")] + [
            (cid, f"A sub-code of {name} ({cid})") for cid, name in parents
        ]


class ThemeActionForm(forms.Form):
    """No fields: holds the errors of the button-only actions (split) for the error summary."""

    def __init__(self):
        super().__init__(data={}, prefix="action")


# -- mentions ----------------------------------------------------------------------------------


class MentionReviewForm(forms.Form):
    ACTIONS = [("confirm", "Confirm"), ("rename", "Rename"), ("reject", "Not a mention")]
    action = forms.ChoiceField(choices=ACTIONS)
    name = forms.CharField(label="Correct name", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "rename" and not (data.get("name") or "").strip():
            self.add_error("name", "Enter the correct name of the framework or tool")
        return data


class RenameAllForm(forms.Form):
    name = forms.CharField(label="Correct name for every one of these mentions", max_length=200)
