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
LINE = 17  # height of one line of label text
FONT = "Arial, Helvetica, sans-serif"
FONT_SIZE = 14
TEXT = "#0b0c0c"
BLUE = "#1d70b8"  # GOV.UK blue: 5.2:1 against white, above the 3:1 needed for graphics
MARKER = "#0b0c0c"
AXIS = "#b1b4b6"

# Labels are wrapped at word boundaries, never cut inside a word. Characters per line are
# estimated for Arial at 14 px (about 7.3 px a character on average, a little less than the
# widest text). A label longer than MAX_LINES lines ends at a whole word with "…": the data
# table beside every chart, and the chart's description, carry the full label.
WIDE_CHARS = 33
MAX_LINES = 3

# The narrow layout, shown instead of the wide one on screens narrower than 641 px (WCAG 1.4.10
# reflow at 320 px): each label on its own lines above a bar the width of the chart.
NARROW_WIDTH = 320
NARROW_VALUE_WIDTH = 78
NARROW_CHARS = 42


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown at the end of the bar, e.g. "108" or "65.5%"
    marker: float | None = None  # a comparison value drawn as a vertical line (national share)


def wrap_label(label: str, width: int = WIDE_CHARS, max_lines: int = MAX_LINES) -> list[str]:
    """The label in lines of at most `width` characters, broken between words (a single word
    longer than a line stays whole); past `max_lines`, the last line ends at a word with "…"."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) <= max_lines:
        return lines or [""]
    kept = lines[:max_lines]
    last = kept[-1].split()
    while last and len(" ".join(last)) + 1 > width:
        last.pop()
    kept[-1] = (" ".join(last) + " …") if last else kept[-1] + " …"
    return kept


def _label_text(lines: list[str], x: float, first_baseline: float, anchor: str) -> SafeString:
    tspans = mark_safe(  # noqa: S308 - each tspan is built by format_html
        "".join(
            format_html('<tspan x="{}" dy="{}">{}</tspan>', x, 0 if i == 0 else LINE, line)
            for i, line in enumerate(lines)
        )
    )
    return format_html(
        '<text class="app-chart__text" x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
        x,
        f"{first_baseline:.1f}",
        anchor,
        TEXT,
        tspans,
    )


def _legend(x0: float, y: float, bar_label: str, marker_label: str, stacked: bool) -> SafeString:
    # stacked (narrow): the line's key goes under the bar's, so neither is cut off
    mx, my = (x0, y + 22) if stacked else (x0 + 220, y)
    return format_html(
        '<g class="app-chart__legend" font-size="{}">'
        '<rect class="app-chart__bar" x="{}" y="{}" width="18" height="12" fill="{}"/>'
        '<text class="app-chart__text" x="{}" y="{}" fill="{}">{}</text>'
        '<line class="app-chart__marker" x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" '
        'stroke-width="3"/>'
        '<text class="app-chart__text" x="{}" y="{}" fill="{}">{}</text></g>',
        FONT_SIZE,
        x0,
        y + 4,
        BLUE,
        x0 + 24,
        y + 15,
        TEXT,
        bar_label,
        mx + 9,
        mx + 9,
        my,
        my + 20,
        MARKER,
        mx + 24,
        my + 15,
        TEXT,
        marker_label,
    )


def _svg(chart_id: str, css: str, width: int, height: float, title: str, desc: str, body):
    return format_html(
        '<svg class="app-chart {6}" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" width="{1}" height="{2}" font-family="{3}" font-size="{4}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{7}</title><desc id="{0}-desc">{8}</desc>{5}</svg>',
        chart_id,
        width,
        f"{height:.0f}",
        FONT,
        FONT_SIZE,
        body,
        css,
        title,
        desc,
    )


def _bar_parts(bar: Bar, top: float, x0: float, plot: float, y_bar: float) -> list[SafeString]:
    width = max(0.0, min(bar.value / top, 1.0)) * plot
    parts = [
        format_html(
            '<rect class="app-chart__bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
            x0,
            f"{y_bar:.1f}",
            f"{width:.1f}",
            BAR,
            BLUE,
        )
    ]
    if bar.marker is not None:
        mx = x0 + max(0.0, min(bar.marker / top, 1.0)) * plot
        parts.append(
            format_html(
                '<line class="app-chart__marker" x1="{0}" x2="{0}" y1="{1}" y2="{2}" '
                'stroke="{3}" stroke-width="3"/>',
                f"{mx:.1f}",
                f"{y_bar - 4:.1f}",
                f"{y_bar + BAR + 4:.1f}",
                MARKER,
            )
        )
    return parts


def _wide(chart_id, title, description, bars, top, marker_label, bar_label, has_markers):
    x0 = LABEL_WIDTH + GAP
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * GAP
    parts = []
    y = TOP
    if has_markers:
        parts.append(_legend(x0, y, bar_label, marker_label, stacked=False))
        y += 28
    axis_top = y
    for bar in bars:
        lines = wrap_label(bar.label)
        row = max(ROW, LINE * len(lines) + 12)
        middle = y + row / 2
        first = middle + 5 - LINE * (len(lines) - 1) / 2
        parts.append(_label_text(lines, LABEL_WIDTH, first, "end"))
        parts += _bar_parts(bar, top, x0, plot, middle - BAR / 2)
        parts.append(
            format_html(
                '<text class="app-chart__text" x="{}" y="{}" fill="{}">{}</text>',
                WIDTH - VALUE_WIDTH,
                f"{middle + 5:.1f}",
                TEXT,
                bar.text,
            )
        )
        y += row
    parts.insert(
        0,
        format_html(
            '<line class="app-chart__axis" x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="{3}"/>',
            x0,
            axis_top,
            f"{y:.1f}",
            AXIS,
        ),
    )
    body = mark_safe("".join(parts))  # noqa: S308 - every part above is built by format_html
    return _svg(chart_id, "app-chart--wide", WIDTH, y + GAP, title, description, body)


def _narrow(chart_id, title, description, bars, top, marker_label, bar_label, has_markers):
    x0 = 2
    plot = NARROW_WIDTH - NARROW_VALUE_WIDTH - GAP - x0
    parts = []
    y = TOP
    if has_markers:
        parts.append(_legend(x0, y, bar_label, marker_label, stacked=True))
        y += 50
    for bar in bars:
        lines = wrap_label(bar.label, NARROW_CHARS)
        parts.append(_label_text(lines, x0, y + 14, "start"))
        y_bar = y + LINE * len(lines) + 6
        parts += _bar_parts(bar, top, x0, plot, y_bar)
        parts.append(
            format_html(
                '<text class="app-chart__text" x="{}" y="{}" fill="{}">{}</text>',
                NARROW_WIDTH - NARROW_VALUE_WIDTH + 4,
                f"{y_bar + BAR / 2 + 5:.1f}",
                TEXT,
                bar.text,
            )
        )
        y = y_bar + BAR + 14
    body = mark_safe("".join(parts))  # noqa: S308 - every part above is built by format_html
    return _svg(
        chart_id + "-narrow", "app-chart--narrow", NARROW_WIDTH, y + GAP, title, description, body
    )


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    maximum: float | None = None,
    marker_label: str = "",
    bar_label: str = "",
) -> SafeString:
    """A horizontal bar chart, drawn twice: a wide layout (labels beside the bars) and a narrow
    one (labels above them) that `report.css` shows instead on small screens, so the chart
    reflows at 320 px without shrinking its text. With markers, a legend says what the bar and
    the line show. Only one of the two is displayed, so assistive technology meets one image."""
    has_markers = any(b.marker is not None for b in bars)
    top = maximum or max([b.value for b in bars] + [b.marker or 0 for b in bars] + [0])
    top = top or 1
    args = (title, description, bars, top, marker_label, bar_label, has_markers)
    return format_html("{}{}", _wide(chart_id, *args), _narrow(chart_id, *args))


def describe_top(bars: Sequence[Bar], what: str, limit: int = 3) -> str:
    """A sentence naming the largest bars, for the chart's text alternative."""
    ranked = sorted(bars, key=lambda b: -b.value)[:limit]
    if not ranked:
        return f"No {what} yet."
    # Plain text: the caller passes it to bar_chart, which escapes it once.
    named = ", ".join(f"{b.label} ({b.text})" for b in ranked)
    return f"Highest {what}: {named}."
