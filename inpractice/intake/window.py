"""The call's window in UK time: unambiguous wording, and UK wall-clock times to UTC instants."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


class UkTimeError(ValueError):
    """A UK wall-clock time that does not exist, or exists twice, on the given day."""


def clock(dt: datetime) -> str:
    """GOV.UK style: 9am, 2:30pm, midday. Midnight is never shown (see `closing_phrase`)."""
    if dt.hour == 12 and dt.minute == 0:
        return "midday"
    hour = dt.hour % 12 or 12
    suffix = "am" if dt.hour < 12 else "pm"
    return f"{hour}{suffix}" if dt.minute == 0 else f"{hour}:{dt.minute:02d}{suffix}"


def day(d: date) -> str:
    return f"{d.strftime('%A')} {d.day} {d.strftime('%B')} {d.year}"


def closing_phrase(closes_at: datetime) -> str:
    """'11:59pm on Thursday 1 May 2025' for a close at the midnight that ends 1 May.

    "Midnight on 1 May" is read both ways, so a close at 00:00 is shown as 11:59pm the day before.
    """
    local = closes_at.astimezone(UK)
    if local.hour == 0 and local.minute == 0:
        local = local - timedelta(minutes=1)
    return f"{clock(local)} on {day(local.date())}"


def opening_phrase(opens_at: datetime) -> str:
    local = opens_at.astimezone(UK)
    if local.hour == 0 and local.minute == 0:
        return f"the start of {day(local.date())}"
    return f"{clock(local)} on {day(local.date())}"


def uk_instant(d: date, t: time) -> datetime:
    """The UTC instant of a UK wall-clock time, refusing times the clocks skip or repeat."""
    naive = datetime.combine(d, t)
    first = naive.replace(tzinfo=UK, fold=0)
    second = naive.replace(tzinfo=UK, fold=1)
    if first.utcoffset() != second.utcoffset():
        # fold=0/1 disagree only inside the repeated hour (clocks go back) or the skipped hour.
        round_trip = first.astimezone(ZoneInfo("UTC")).astimezone(UK).replace(tzinfo=None)
        if round_trip != naive:
            raise UkTimeError(
                f"{clock(naive)} does not exist in the UK on {day(d)} because the clocks go forward"
            )
        raise UkTimeError(
            f"{clock(naive)} happens twice in the UK on {day(d)} because the clocks go back; "
            "choose a time outside 1am to 2am"
        )
    return first.astimezone(ZoneInfo("UTC"))
