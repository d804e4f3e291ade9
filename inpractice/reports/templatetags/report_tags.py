"""Number formats the report and the coverage page share."""

from __future__ import annotations

import math

from django import template

register = template.Library()


@register.filter
def pct(value, places: int = 1) -> str:
    """0.655 -> "65.5%"; missing or undefined values say so rather than showing 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not defined"
    return f"{float(value) * 100:.{int(places)}f}%"


@register.filter
def points(value) -> str:
    """A difference in percentage points with its sign: "+3.1", "−2.0" (a real minus sign)."""
    if value is None:
        return "not defined"
    text = f"{abs(float(value)):.1f}"
    if text == "0.0":
        return "0.0"
    return ("+" if value > 0 else "\u2212") + text


@register.filter
def number(value, places: int = 2) -> str:
    """A statistic such as kappa or F1, or "not defined" when it is missing or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not defined"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{float(value):.{int(places)}f}"


@register.filter
def interval(value, places: int = 2) -> str:
    """[lo, hi] -> "0.61 to 0.78"; missing -> "not defined"."""
    if not value or len(value) != 2 or any(v is None for v in value):
        return "not defined"
    lo, hi = value
    if any(isinstance(v, float) and math.isnan(v) for v in (lo, hi)):
        return "not defined"
    return f"{float(lo):.{int(places)}f} to {float(hi):.{int(places)}f}"


@register.filter
def pct_of(part, whole) -> str:
    """part|pct_of:whole -> "87.3%"; "not defined" when the whole is zero."""
    try:
        whole = float(whole)
    except (TypeError, ValueError):
        return "not defined"
    return pct(float(part) / whole) if whole else "not defined"
