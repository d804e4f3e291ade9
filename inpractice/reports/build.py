"""Turn the report's figures into pages: charts, the HTML page, the standalone document and PDF.

The web page (`reports/report.html`, inside the site's layout) and the standalone document
(`reports/document.html`, for the CLI and the PDF) share one body template, so the page, the
file on disk and the PDF always say the same thing. The PDF is tagged (PDF/UA-1): WeasyPrint
writes a structure tree from the HTML (headings, lists, tables with header cells, figures whose
alternative text is each chart's SVG title), the document language and title.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from inpractice.intake.models import CallForEvidence

from . import figures as fig
from .charts import Bar, bar_chart, describe_top

STATIC = Path(__file__).resolve().parent / "static" / "reports"
DOCUMENT_CSS = ("report-document.css", "report.css")
PDF_VARIANT = "pdf/ua-1"
FRAMEWORKS_CHARTED = 15


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def comparison_chart(comparison: fig.Comparison, chart_id: str) -> str:
    bars = [
        # the same full label as the table, the open data and the PDF (wrapped, never cut)
        Bar(r.label, r.share, _pct(r.share), marker=r.national_share)
        for r in comparison.rows
        if r.status != fig.NO_COMPARISON or r.count
    ]
    gaps = " ".join(comparison.gaps)
    return bar_chart(
        chart_id,
        f"{comparison.title}: share of {comparison.unit} against the national share",
        f"{describe_top(bars, 'shares of ' + comparison.unit)} {gaps}".strip(),
        bars,
        maximum=max([b.value for b in bars] + [b.marker or 0 for b in bars] + [0.01]),
        bar_label=f"Share of {comparison.unit}",
        marker_label="Share nationally",
    )


def coverage_charts(coverage: fig.CoverageFigures) -> dict[str, str]:
    return {c.dimension: comparison_chart(c, f"chart-{c.dimension}") for c in coverage.comparisons}


def report_context(figures: fig.ReportFigures) -> dict:
    """Charts and the figures they draw, in the shape the body template walks."""
    total = figures.snapshot.get("submissions", 0)
    top = figures.top_principles
    overview_bars = [
        Bar(f"{p.number}. {p.name}", p.count, f"{p.count:,} ({_pct(p.share)})") for p in top
    ]
    overview = bar_chart(
        "chart-principles",
        "Submissions that evidence each principle",
        f"Of {total:,} submissions. {describe_top(overview_bars, 'counts')}",
        overview_bars,
        maximum=total or None,
    )
    principles = []
    for p in figures.principles:
        need = next((b for b in p.breakdowns if b.dimension == "need"), None)
        chart = ""
        if need and any(not r.suppressed for r in need.rows):
            # a group of fewer than fig.SMALL_GROUP submissions is not charted, as in the table
            bars = [
                Bar(r.label, 0.0, "not shown")
                if r.suppressed
                else Bar(r.label, r.share, _pct(r.share))
                for r in need.rows
            ]
            chart = bar_chart(
                f"chart-{p.code_id.replace('.', '-')}-need",
                f"{p.name}: share of submissions that evidence it, by area of need",
                describe_top([b for b in bars if b.text != "not shown"], "shares"),
                bars,
                maximum=1.0,
            )
        principles.append({"p": p, "chart": chart})

    charted = figures.citations.frameworks[:FRAMEWORKS_CHARTED]
    framework_bars = [Bar(c.name, c.submissions, f"{c.submissions:,}") for c in charted]
    frameworks_chart = (
        bar_chart(
            "chart-frameworks",
            f"The {len(charted)} frameworks, tools and approaches cited by most submissions",
            describe_top(framework_bars, "numbers of submissions citing them"),
            framework_bars,
        )
        if charted
        else ""
    )
    theme_bars = [
        Bar(t.label, t.submissions, f"{t.submissions:,}") for t in figures.themes.signed_off
    ]
    themes_chart = (
        bar_chart(
            "chart-themes",
            "Signed-off emergent themes by the number of submissions in which they appear",
            describe_top(theme_bars, "numbers of submissions"),
            theme_bars,
        )
        if theme_bars
        else ""
    )
    return {
        "f": figures,
        "coverage": figures.coverage,
        "staff": figures.audience == fig.STAFF,
        "overview_chart": overview,
        "principle_items": principles,
        "coverage_charts": coverage_charts(figures.coverage),
        "frameworks_chart": frameworks_chart,
        "themes_chart": themes_chart,
        "needs_source": fig.national.NATIONAL_NEEDS_SOURCE,
        "small_group": fig.SMALL_GROUP,
        "suppressed": fig.SUPPRESSED,
    }


def render_document(figures: fig.ReportFigures, css_href: str = "") -> str:
    """The standalone HTML document: opens from disk (CSS in files beside it) and feeds the PDF."""
    context = {
        **report_context(figures),
        "standalone": True,
        "css_files": [css_href + name for name in DOCUMENT_CSS],
        "site_url": settings.SITE_URL,
    }
    return render_to_string("reports/document.html", context)


def render_pdf(document_html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) of the standalone document."""
    from weasyprint import HTML

    # WeasyPrint logs a warning for each screen-only CSS feature it skips (forced-colors media,
    # overflow-x): expected, and noise in the CLI's output.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return HTML(string=document_html, base_url=str(STATIC) + "/").write_pdf(
            pdf_variant=PDF_VARIANT
        )
    finally:
        logger.setLevel(level)


class ReportError(Exception):
    """A report that cannot be built, with what to do about it."""


@dataclass
class Written:
    html: Path
    pdf: Path
    seconds: dict[str, float]


def write_report(
    call: CallForEvidence,
    out_dir: Path,
    audience: str = fig.PUBLIC,
    progress: Callable[[str], None] | None = None,
) -> Written:
    """Write report.html (with its CSS files beside it) and report.pdf into `out_dir`.

    Files are written under temporary names and renamed at the end, so a failure never leaves
    a half-written report in place of a good one.
    """
    say = progress or (lambda _msg: None)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    say("Computing the figures ...")
    try:
        figures = fig.report_figures(call, audience)
    except fig.NotAnalysed:
        raise ReportError(
            f"the call {call.slug!r} has not been analysed yet. Run `inpractice analyse --call "
            f"{call.slug}` first."
        ) from None
    seconds["figures"] = time.perf_counter() - started

    t = time.perf_counter()
    say("Writing the HTML ...")
    html = render_document(figures)
    seconds["html"] = time.perf_counter() - t

    t = time.perf_counter()
    say("Writing the tagged PDF (PDF/UA-1) ...")
    pdf = render_pdf(render_document(figures))
    seconds["pdf"] = time.perf_counter() - t

    out_dir.mkdir(parents=True, exist_ok=True)
    targets = {
        out_dir / "report.html": html.encode("utf-8"),
        out_dir / "report.pdf": pdf,
    }
    for name in DOCUMENT_CSS:
        targets[out_dir / name] = (STATIC / name).read_bytes()
    partials = {}
    try:
        for target, data in targets.items():
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(data)
            partials[partial] = target
        for partial, target in partials.items():
            partial.replace(target)
    finally:
        for partial in partials:
            partial.unlink(missing_ok=True)
    seconds["total"] = time.perf_counter() - started
    return Written(out_dir / "report.html", out_dir / "report.pdf", seconds)
