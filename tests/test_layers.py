"""The import contract (pyproject.toml, [tool.importlinter]) and the one way round it.

`lint-imports` checks Python imports. A model named by string, `apps.get_model("workspace",
"QuoteReview")`, is an import it cannot see, so the second test reads the source for such calls
and holds them to the same layers. Neither test touches the database.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "inpractice"

# get_model("app", "Model"), get_model('app', ...), get_model("app.Model"): the app label.
GET_MODEL = re.compile(r"""get_model\(\s*(['"])([A-Za-z_][A-Za-z0-9_]*)[.'"]""")


@dataclass(frozen=True)
class Layer:
    index: int  # 0 is the highest
    independent: bool


def contract_layers() -> dict[str, Layer]:
    """Each module named in the layers contract (e.g. "library") -> its layer."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    placed = {}
    for index, raw in enumerate(contract["layers"]):
        independent = ":" not in raw
        for tail in re.split(r"[|:]", raw):
            placed[tail.strip().strip("()")] = Layer(index, independent)
    return placed


def upward_get_model_calls(relative: str, text: str, layers: dict[str, Layer], app_of) -> list:
    """(line, own area, app named) for each get_model call in `text` (the module at `relative`,
    e.g. "library/services.py") naming an app that its layer may not import."""
    own = relative.split("/", 1)[0].removesuffix(".py")
    if own not in layers:
        return []
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in GET_MODEL.finditer(line):
            target = app_of(match.group(2))
            if target is None or target == own or target not in layers:
                continue  # not one of ours (auth, contenttypes), or its own app
            mine, theirs = layers[own], layers[target]
            if theirs.index > mine.index or (theirs.index == mine.index and not mine.independent):
                continue  # a lower layer, or a sibling it may use
            found.append((number, own, target))
    return found


def inpractice_app(label: str) -> str | None:
    """The area under inpractice/ that holds the app with this label, if it is one of ours."""
    from django.apps import apps

    try:
        name = apps.get_app_config(label).name
    except LookupError:
        return None
    parts = name.split(".")
    return parts[1] if parts[0] == "inpractice" and len(parts) > 1 else None


def test_no_get_model_reaches_a_higher_layer():
    layers = contract_layers()
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/migrations/" in f"/{relative}":
            continue  # migrations use the historical models, by design
        text = path.read_text(encoding="utf-8")
        if "get_model" not in text:
            continue
        for number, own, target in upward_get_model_calls(relative, text, layers, inpractice_app):
            problems.append(
                f"inpractice/{relative}:{number}: get_model names {target!r}, which {own!r} may "
                "not import (docs/architecture.md, 'The import contract'); import from a lower "
                "layer, or move the code up"
            )
    assert not problems, "\n".join(problems)


def test_the_get_model_check_sees_string_imports_up_and_allows_them_down():
    layers = contract_layers()
    same = {"workspace": "workspace", "library": "library", "reports": "reports", "auth": None}
    text = "\n".join(
        [
            'a = apps.get_model("workspace", "QuoteReview")',
            "b = apps.get_model('library.CaseStudy')",
            'c = apps.get_model(  "reports", "Report")',
            'd = apps.get_model("auth", "User")',
        ]
    )
    # From intake, all three of ours are upward; from library, only reports (an independent
    # sibling) is not allowed; from reports, library is the sibling.
    assert upward_get_model_calls("intake/emails.py", text, layers, same.get) == [
        (1, "intake", "workspace"),
        (2, "intake", "library"),
        (3, "intake", "reports"),
    ]
    assert upward_get_model_calls("library/services.py", text, layers, same.get) == [
        (3, "library", "reports")
    ]
    assert upward_get_model_calls("reports/figures.py", text, layers, same.get) == [
        (2, "reports", "library")
    ]


def test_the_layers_are_the_documented_ones():
    """intake -> analysis -> review -> publication, lowest first (docs/architecture.md)."""
    layers = contract_layers()
    lowest_first = ["analysis", "schools", "intake", "coding", "workspace", "library"]
    indexes = [layers[a].index for a in lowest_first]
    assert all(lower > higher for lower, higher in zip(indexes, indexes[1:], strict=False))
    assert layers["library"] == layers["reports"] and layers["library"].independent
    assert layers["analysis"].index == max(layer.index for layer in layers.values())
    assert layers["cli"].index == 0


def test_the_import_contract_is_kept():
    pytest.importorskip("importlinter", reason="import-linter is in the dev extra")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(no_cache=True, no_logo=True))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
