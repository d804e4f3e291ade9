"""Forms of the privacy pages, with GOV.UK error wording."""

from __future__ import annotations

from django import forms


class RetentionForm(forms.Form):
    keep_contact_days = forms.IntegerField(
        label="How many days after the call closes should contact details be kept?",
        help_text="Names, email addresses and job titles of submitters, school contacts and "
        "nominators are erased this many days after the close. Enter 0 to erase them at the close.",
        min_value=0,
        max_value=3650,
        error_messages={
            "required": "Enter the number of days to keep contact details",
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": "The number of days must be 0 or more",
            "max_value": "The number of days must be 3650 (10 years) or fewer",
        },
    )


class PersonForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the person",
        max_length=254,
        error_messages={
            "required": "Enter the email address of the person",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class EraseForm(PersonForm):
    confirm = forms.BooleanField(
        label="I understand this erases this person's name, email address and job title from "
        "every submission and nomination, and deletes their unsent drafts. It cannot be undone.",
        error_messages={"required": "Confirm that you want to erase this person's details"},
    )
