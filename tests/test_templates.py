"""Template hygiene: Django's `{# ... #}` comment ends at the end of its line, so one spread over
several lines is printed to every visitor. Long comments use {% comment %}."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "inpractice"
TEMPLATES = sorted(
    p
    for p in PACKAGE.glob("*/templates/**/*")
    if p.is_file() and p.suffix in {".html", ".txt", ".svg"}
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_comment_runs_over_a_line(template):
    for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
        start = line.find("{#")
        assert start == -1 or "#}" in line[start:], f"{template}:{number}: use {{% comment %}}"


@pytest.mark.django_db
def test_the_library_page_shows_no_template_source(client):
    page = client.get("/library/").content.decode()
    assert "{#" not in page and "#}" not in page and "Sorting is its own form" not in page
