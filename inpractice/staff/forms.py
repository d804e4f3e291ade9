"""Programme team forms: the call's window, entered in UK time."""

from __future__ import annotations

import datetime as dt

from django import forms

from inpractice.intake.window import UK, UkTimeError, uk_instant


class UkDateTimeField(forms.MultiValueField):
    """Day, month, year and a 24-hour time, read as UK wall-clock time and returned in UTC."""

    def __init__(self, **kwargs):
        fields = (forms.CharField(), forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        self.widget = forms.MultiWidget(
            widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput(), forms.TextInput()]
        )

    def compress(self, values):
        if not values or not any(values):
            raise forms.ValidationError(f"Enter the date and time the call {self.label_verb}")
        day, month, year, clock = (v.strip() if v else "" for v in values)
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"The date must include a {' and '.join(missing)}")
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError("The date must be a real date, like 1 5 2025") from None
        try:
            hour, minute = (int(p) for p in (clock or "00:00").split(":"))
            time = dt.time(hour, minute)
        except ValueError:
            raise forms.ValidationError(
                "Enter the time as hours and minutes, like 09:00 or 23:59"
            ) from None
        try:
            return uk_instant(date, time)
        except UkTimeError as exc:
            message = str(exc)
            raise forms.ValidationError(message[:1].upper() + message[1:]) from None

    label_verb = "opens"


def split_uk(instant: dt.datetime) -> list[str]:
    local = instant.astimezone(UK)
    return [str(local.day), str(local.month), str(local.year), local.strftime("%H:%M")]
