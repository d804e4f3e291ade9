"""Accessible charts drawn on the server as SVG: no JavaScript, no inline styles, no scripts.

Each chart is an `<svg role="img">` named by its `<title>` and described by a `<desc>` that says
what the chart shows in words; the page puts the full data table next to it. Colours are SVG
presentation attributes (allowed by a strict Content Security Policy, unlike `style`), so the
chart also renders in the PDF and without the stylesheet; classes let `reports/report.css`
adapt them, for example in Windows high-contrast (forced colours) mode.

Every piece of text goes through `format_html`, so labels taken from submissions or reviews
(framework names, theme labels) stay text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
LABEL_WIDTH = 250
VALUE_WIDTH = 110
GAP = 8
ROW = 30
BAR = 18
TOP = 8
FONT = "Arial, Helvetica, sans-serif"
FONT_SIZE = 14
TEXT = "#0b0c0c"
BLUE = "#1d70b8"  # GOV.UK blue: 5.2:1 against white, above the 3:1 needed for graphics
MARKER = "#0b0c0c"
AXIS = "#b1b4b6"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown at the end of the bar, e.g. "108" or "65.5%"
    marker: float | None = None  # a comparison value drawn as a vertical line (national share)


def _shorten(label: str, limit: int = 33) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    maximum: float | None = None,
    marker_label: str = "",
    bar_label: str = "",
) -> SafeString:
    """A horizontal bar chart; with markers, a legend says what the bar and the line show."""
    has_markers = any(b.marker is not None for b in bars)
    legend_height = 28 if has_markers else 0
    height = TOP + legend_height + ROW * max(len(bars), 1) + GAP
    top = maximum or max([b.value for b in bars] + [b.marker or 0 for b in bars] + [0])
    top = top or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * GAP
    x0 = LABEL_WIDTH + GAP

    parts = [
        format_html(
            '<title id="{0}-title">{1}</title><desc id="{0}-desc">{2}</desc>',
            chart_id,
            title,
            description,
        )
    ]
    if has_markers:
        parts.append(
            format_html(
                '<g class="app-chart__legend" font-size="{}">'
                '<rect class="app-chart__bar" x="{}" y="{}" width="18" height="12" fill="{}"/>'
                '<text class="app-chart__text" x="{}" y="{}" fill="{}">{}</text>'
                '<line class="app-chart__marker" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
                'stroke-width="3"/>'
                '<text class="app-chart__text" x="{}" y="{}" fill="{}">{}</text></g>',
                FONT_SIZE,
                x0,
                TOP + 4,
                BLUE,
                x0 + 24,
                TOP + 15,
                TEXT,
                bar_label,
                x0 + 220,
                x0 + 220,
                TOP,
                TOP + 20,
                MARKER,
                x0 + 230,
                TOP + 15,
                TEXT,
                marker_label,
            )
        )
    y = TOP + legend_height
    parts.append(
        format_html(
            '<line class="app-chart__axis" x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="{3}"/>',
            x0,
            y,
            y + ROW * len(bars),
            AXIS,
        )
    )
    for bar in bars:
        width = max(0.0, min(bar.value / top, 1.0)) * plot
        middle = y + ROW / 2
        parts.append(
            format_html(
                '<text class="app-chart__text" x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
                '<rect class="app-chart__bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text class="app-chart__text" x="{}" y="{}" fill="{}">{}</text>',
                LABEL_WIDTH,
                middle + 5,
                TEXT,
                _shorten(bar.label),
                x0,
                middle - BAR / 2,
                f"{width:.1f}",
                BAR,
                BLUE,
                WIDTH - VALUE_WIDTH,
                middle + 5,
                TEXT,
                bar.text,
            )
        )
        if bar.marker is not None:
            mx = x0 + max(0.0, min(bar.marker / top, 1.0)) * plot
            parts.append(
                format_html(
                    '<line class="app-chart__marker" x1="{0}" x2="{0}" y1="{1}" y2="{2}" '
                    'stroke="{3}" stroke-width="3"/>',
                    f"{mx:.1f}",
                    middle - BAR / 2 - 4,
                    middle + BAR / 2 + 4,
                    MARKER,
                )
            )
        y += ROW
    body = mark_safe("".join(parts))  # noqa: S308 - every part above is built by format_html
    return format_html(
        '<svg class="app-chart" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" width="{1}" height="{2}" font-family="{3}" font-size="{4}" '
        'xmlns="http://www.w3.org/2000/svg">{5}</svg>',
        chart_id,
        WIDTH,
        height,
        FONT,
        FONT_SIZE,
        body,
    )


def describe_top(bars: Sequence[Bar], what: str, limit: int = 3) -> str:
    """A sentence naming the largest bars, for the chart's text alternative."""
    ranked = sorted(bars, key=lambda b: -b.value)[:limit]
    if not ranked:
        return f"No {what} yet."
    # Plain text: the caller passes it to bar_chart, which escapes it once.
    named = ", ".join(f"{b.label} ({b.text})" for b in ranked)
    return f"Highest {what}: {named}."
