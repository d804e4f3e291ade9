"""Migrations are frozen history: they must build the same schema whatever the app code becomes,
so they may not import the project's own modules (beyond what Django itself writes for a
callable field default), and the models must have no change that lacks a migration."""

from __future__ import annotations

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parent.parent / "inpractice"
# Django writes a callable default as an import of the module that defines it; these are the
# callables, each a stable, documented function that must keep its name.
CALLABLE_DEFAULTS = {"inpractice.intake.models", "inpractice.analysis.codebook"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "migration",
    sorted(PACKAGE.glob("*/migrations/0*.py")),
    ids=lambda p: f"{p.parent.parent.name}.{p.stem}",
)
def test_a_migration_imports_no_live_app_code(migration):
    own = {name for name in _imports(migration) if name.split(".")[0] == "inpractice"}
    assert own <= CALLABLE_DEFAULTS, f"{migration} imports {sorted(own - CALLABLE_DEFAULTS)}"


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
