"""Codebooks as data: the codes an analyst applies, with guidance and nestable sub-codes.

A codebook is loaded from YAML or JSON, validated with errors that name the offending code, and
handed around as plain dataclasses so the web app, the CLI and notebooks share one definition.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

CODE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
# Bounds on a codebook file: far beyond any real one (the five principles are 8 KB, two deep),
# so that a hostile or broken file is refused quickly instead of exhausting memory or the stack.
MAX_CODEBOOK_BYTES = 5 * 1000 * 1000
MAX_DEPTH = 8


class CodebookError(ValueError):
    """A codebook file or structure that cannot be used, with a message a person can act on."""


@dataclass(frozen=True)
class Code:
    id: str
    name: str
    description: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    children: tuple[Code, ...] = ()

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Codebook:
    id: str
    name: str
    description: str = ""
    codes: tuple[Code, ...] = field(default_factory=tuple)

    def walk(self):
        """Every code, depth first, parents before children."""
        for code in self.codes:
            yield from code.walk()

    def top_level(self) -> tuple[Code, ...]:
        return self.codes

    def get(self, code_id: str) -> Code:
        for code in self.walk():
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (lists, not tuples), as stored with a call."""
        return json.loads(json.dumps(asdict(self)))


def _code_from(raw: Any, where: str, seen: set[str], depth: int = 1) -> Code:
    if depth > MAX_DEPTH:
        raise CodebookError(f"{where}: codes may nest at most {MAX_DEPTH} levels deep")
    if not isinstance(raw, dict):
        raise CodebookError(f"{where}: a code must be a mapping with at least 'id' and 'name'")
    code_id = raw.get("id")
    if not isinstance(code_id, str) or not CODE_ID.match(code_id):
        raise CodebookError(
            f"{where}: id {code_id!r} must be 1-64 lower-case letters, digits, '_', '.' or '-'"
        )
    if code_id in seen:
        raise CodebookError(f"{where}: id {code_id!r} is used twice; each code needs its own id")
    seen.add(code_id)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CodebookError(f"{where} ({code_id}): 'name' is required")
    examples = raw.get("examples", []) or []
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise CodebookError(f"{where} ({code_id}): 'examples' must be a list of passages")
    children_raw = raw.get("children", []) or []
    if not isinstance(children_raw, list):
        raise CodebookError(f"{where} ({code_id}): 'children' must be a list of codes")
    for key in ("description", "include", "exclude"):
        if not isinstance(raw.get(key, ""), str):
            raise CodebookError(f"{where} ({code_id}): '{key}' must be text")
    children = tuple(
        _code_from(child, f"{where} > children[{i}]", seen, depth + 1)
        for i, child in enumerate(children_raw)
    )
    return Code(
        id=code_id,
        name=name.strip(),
        description=str(raw.get("description", "")).strip(),
        include=str(raw.get("include", "")).strip(),
        exclude=str(raw.get("exclude", "")).strip(),
        examples=tuple(e.strip() for e in examples),
        children=children,
    )


def codebook_from_dict(raw: Any) -> Codebook:
    """Build and validate a codebook from already-parsed YAML/JSON."""
    if not isinstance(raw, dict):
        raise CodebookError("a codebook must be a mapping with 'id', 'name' and 'codes'")
    codes_raw = raw.get("codes")
    if not isinstance(codes_raw, list) or not codes_raw:
        raise CodebookError("a codebook needs a non-empty 'codes' list")
    seen: set[str] = set()
    codes = tuple(_code_from(c, f"codes[{i}]", seen) for i, c in enumerate(codes_raw))
    return Codebook(
        id=str(raw.get("id", "codebook")),
        name=str(raw.get("name", "Codebook")),
        description=str(raw.get("description", "")),
        codes=codes,
    )


def load_codebook(source: str | Path) -> Codebook:
    """Load `default` (the five principles) or a YAML/JSON file."""
    if str(source) == "default":
        text = (
            resources.files("inpractice.analysis")
            .joinpath("codebooks/five_principles.yaml")
            .read_text(encoding="utf-8")
        )
        return codebook_from_dict(yaml.safe_load(text))
    path = Path(source)
    try:
        if path.stat().st_size > MAX_CODEBOOK_BYTES:
            raise CodebookError(
                f"{path}: the file is over {MAX_CODEBOOK_BYTES // 1_000_000} MB, far larger than "
                "any codebook; check it is the right file"
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{path}: cannot read the codebook ({exc})") from exc
    try:
        raw = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise CodebookError(
            f"{path}: not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}"
        ) from exc
    except RecursionError:
        raise CodebookError(f"{path}: nested too deeply to be a codebook") from None
    except ValueError as exc:  # e.g. a number with more digits than Python will convert
        raise CodebookError(f"{path}: cannot be read as a codebook ({exc})") from None
    try:
        return codebook_from_dict(raw)
    except CodebookError as exc:
        line = _line_of(text, str(exc))
        raise CodebookError(f"{path}{f', line {line}' if line else ''}: {exc}") from exc


def _line_of(text: str, message: str) -> int | None:
    """The line of the code a validation message names ("codes[2] > children[0]: ...")."""
    path = re.match(r"^(codes\[\d+\](?: > children\[\d+\])*)", message)
    if not path:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # JSON is YAML too, near enough
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    for key, index in re.findall(r"(\w+)\[(\d+)\]", path.group(1)):
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        if not isinstance(node, yaml.SequenceNode) or int(index) >= len(node.value):
            return None
        node = node.value[int(index)]
    return node.start_mark.line + 1


def default_codebook_dict() -> dict[str, Any]:
    return load_codebook("default").to_dict()
