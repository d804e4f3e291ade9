"""REFI-QDA exports: hand coded submissions to NVivo, ATLAS.ti, MAXQDA and QualCoder.

Two files come out of here, both checked against the vendored REFI-QDA schemas before they are
returned (see `schemas/README.md`):

- a **project** (`.qdpx`): a zip holding `project.qde` (QDA-XML 1.0, `urn:QDA-XML:project:1.0`)
  and one UTF-8 plain-text file per submission under `Sources/`; it carries the codebook, the
  coders, the submissions with their variables, cases (say, one per organisation) and every
  coding as a `PlainTextSelection` with its `Coding`s;
- a **codebook** (`.qdc`): just the codes, `urn:QDA-XML:codebook:1.0`.

Every GUID is a UUID5 of our own ids, so the same input always gives the same bytes (the only
moving part is the `created` time, which the caller may fix). Positions are Unicode code-point
offsets into the canonical text (`segmentation.canonical`), end exclusive, exactly as the rest of
the analysis core stores them; `positions="utf16"` writes UTF-16 code units instead for tools
that count that way (the two differ only after characters outside the Basic Multilingual Plane,
such as emoji).

Plain data in, bytes out: nothing here imports Django.
"""

from __future__ import annotations

import bisect
import io
import math
import re
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

from lxml import etree

from .codebook import Code, Codebook
from .segmentation import canonical

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "inpractice"

# Fixed namespace for our UUID5s: never change it, or every exported GUID changes with it.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:inpractice:refi-qda")

# Okabe-Ito colours (distinguishable with common colour-vision deficiencies): one per top-level
# code, inherited by its sub-codes.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")

# Characters XML 1.0 cannot carry at all; replaced in names, descriptions and memos.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

VariableValue = str | int | float | bool | Decimal | date | datetime


class RefiValidationError(ValueError):
    """An XML document that does not conform to its REFI-QDA schema; `errors` lists why."""

    def __init__(self, what: str, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__(f"{what} does not conform to the REFI-QDA schema:\n" + "\n".join(errors))


@dataclass
class Source:
    """One submission: its canonical text and the variables analysts filter by."""

    id: str
    name: str
    text: str
    variables: dict[str, VariableValue] = field(default_factory=dict)


@dataclass
class Coding:
    """A code applied to `text[start:end]` of a source (code-point offsets, end exclusive)."""

    source_id: str
    start: int
    end: int
    code_id: str
    coder: str
    memo: str = ""


@dataclass
class Case:
    """A unit of analysis grouping sources, such as an organisation, with its own variables."""

    id: str
    name: str
    source_ids: list[str] = field(default_factory=list)
    variables: dict[str, VariableValue] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# helpers


def _guid(kind: str, *parts: str) -> str:
    """A stable GUID for one of our objects (upper case, as NVivo and ATLAS.ti write them)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join((kind, *parts)))).upper()


def _xml(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def _timestamp(created: datetime | None) -> datetime:
    if created is None:
        created = datetime.now(UTC)
    elif created.tzinfo is None:
        created = created.replace(tzinfo=UTC)  # naive times are taken to be UTC
    return created.astimezone(UTC).replace(microsecond=0)


def _xsd_datetime(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _describe(code: Code) -> str:
    """Everything an analyst needs to apply the code, as one Description."""
    parts = [code.description] if code.description else []
    if code.include:
        parts.append(f"Include: {code.include}")
    if code.exclude:
        parts.append(f"Exclude: {code.exclude}")
    if code.examples:
        parts.append("Examples:\n" + "\n".join(f"- {example}" for example in code.examples))
    return "\n\n".join(parts)


def _code_element(parent, ns: str, code: Code, guids: dict[str, str], colour: str):
    element = etree.SubElement(
        parent,
        f"{{{ns}}}Code",
        guid=guids[code.id],
        name=_xml(code.name),
        isCodable="true",
        color=colour,
    )
    description = _describe(code)
    if description:
        etree.SubElement(element, f"{{{ns}}}Description").text = _xml(description)
    for child in code.children:
        _code_element(element, ns, child, guids, colour)
    return element


def _codes(parent, ns: str, codebook: Codebook) -> dict[str, str]:
    """Write `<Codes>` under `parent`; returns code id -> GUID."""
    if not codebook.codes:
        raise ValueError(f"codebook {codebook.id!r} has no codes; REFI-QDA needs at least one")
    guids = {code.id: _guid("code", codebook.id, code.id) for code in codebook.walk()}
    codes = etree.SubElement(parent, f"{{{ns}}}Codes")
    for index, code in enumerate(codebook.codes):
        _code_element(codes, ns, code, guids, PALETTE[index % len(PALETTE)])
    return guids


_TYPE_OF = (
    (bool, "Boolean"),
    (int, "Integer"),
    (float, "Float"),
    (Decimal, "Float"),
    (datetime, "DateTime"),  # before date: a datetime is a date
    (date, "Date"),
    (str, "Text"),
)


def _type_of(name: str, value: VariableValue) -> str:
    for python_type, refi_type in _TYPE_OF:
        if isinstance(value, python_type):
            if refi_type == "Float" and not math.isfinite(value):
                raise ValueError(f"variable {name!r}: {value!r} cannot be exported (not finite)")
            return refi_type
    raise ValueError(
        f"variable {name!r}: {type(value).__name__} values cannot be exported; "
        "use text, a number, true/false, a date or a date-time"
    )


def _merge_types(old: str | None, new: str) -> str:
    if old is None or old == new:
        return new
    if {old, new} == {"Integer", "Float"}:
        return "Float"
    return "Text"  # mixed kinds: keep every value, as text


def _value_text(refi_type: str, value: VariableValue) -> str:
    if refi_type == "Boolean":
        return "true" if value else "false"
    if refi_type == "Integer":
        return str(int(value))
    if refi_type == "Float":
        # xsd:decimal has no exponent, so 1e-07 must be written 0.0000001
        return format(Decimal(str(value)), "f")
    if refi_type in ("Date", "DateTime"):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return _xml(str(value))


class _Variables:
    """The project's variables: one typed definition per name, across sources and cases."""

    def __init__(self, holders: Iterable[dict[str, VariableValue]]):
        self.types: dict[str, str] = {}
        for variables in holders:
            for name, value in variables.items():
                if not isinstance(name, str) or not name.strip():
                    raise ValueError(f"variable name {name!r} must be non-empty text")
                if value is None:
                    continue
                self.types[name] = _merge_types(self.types.get(name), _type_of(name, value))

    def definitions(self, parent) -> None:
        if not self.types:
            return
        variables = etree.SubElement(parent, f"{{{PROJECT_NS}}}Variables")
        for name, refi_type in self.types.items():
            etree.SubElement(
                variables,
                f"{{{PROJECT_NS}}}Variable",
                guid=_guid("variable", name),
                name=_xml(name),
                typeOfVariable=refi_type,
            )

    def values(self, parent, variables: dict[str, VariableValue]) -> None:
        for name, value in variables.items():
            if value is None:
                continue
            refi_type = self.types[name]
            holder = etree.SubElement(parent, f"{{{PROJECT_NS}}}VariableValue")
            etree.SubElement(
                holder, f"{{{PROJECT_NS}}}VariableRef", targetGUID=_guid("variable", name)
            )
            etree.SubElement(holder, f"{{{PROJECT_NS}}}{refi_type}Value").text = _value_text(
                refi_type, value
            )


def _label(index: int, coding: Coding) -> str:
    return (
        f"coding #{index} (source {coding.source_id!r}, {coding.start}-{coding.end}, "
        f"code {coding.code_id!r}, coder {coding.coder!r})"
    )


def _check_codings(
    codings: Sequence[Coding], texts: dict[str, str], codebook: Codebook, code_ids: set[str]
) -> None:
    for index, coding in enumerate(codings):
        label = _label(index, coding)
        if coding.source_id not in texts:
            raise ValueError(f"{label}: no source has id {coding.source_id!r}")
        if coding.code_id not in code_ids:
            raise ValueError(f"{label}: code {coding.code_id!r} is not in codebook {codebook.id!r}")
        if not isinstance(coding.coder, str) or not coding.coder.strip():
            raise ValueError(f"{label}: every coding needs a coder (a user or model name)")
        for bound in (coding.start, coding.end):
            if not isinstance(bound, int) or isinstance(bound, bool):
                raise ValueError(f"{label}: start and end must be whole numbers")
        length = len(texts[coding.source_id])
        if coding.start < 0 or coding.start >= coding.end:
            raise ValueError(f"{label}: start must be at least 0 and before end")
        if coding.end > length:
            raise ValueError(
                f"{label}: ends at {coding.end}, past the end of source "
                f"{coding.source_id!r} ({length} characters)"
            )


class _Positions:
    """Code-point offsets, or the same places counted in UTF-16 code units."""

    def __init__(self, text: str, unit: str):
        self.astral = (
            [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if unit == "utf16" else []
        )

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self.astral, offset) if self.astral else offset


def _zip_member(archive: zipfile.ZipFile, name: str, data: bytes, moment: datetime) -> None:
    info = zipfile.ZipInfo(name, date_time=(max(moment.year, 1980), *moment.timetuple()[1:6]))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # fixed, so the bytes do not depend on the exporting OS
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------------------------------------
# public API


def build_qdpx(
    *,
    project_name: str,
    codebook: Codebook,
    sources: Sequence[Source],
    codings: Sequence[Coding],
    cases: Sequence[Case] = (),
    users: Sequence[str] = (),
    created: datetime | None = None,
    positions: Literal["codepoints", "utf16"] = "codepoints",
) -> bytes:
    """A REFI-QDA project (`.qdpx` zip) holding the codebook, sources, cases and codings.

    Raises ValueError, naming the offending item, for codings that point at an unknown source or
    code or past the end of their source, duplicate ids, text not in canonical form, and variable
    values REFI-QDA cannot type. Exact duplicate codings (same span, code and coder) are written
    once. The result is validated against `schemas/Project.xsd` before it is returned.
    """
    if positions not in ("codepoints", "utf16"):
        raise ValueError(f"positions must be 'codepoints' or 'utf16', not {positions!r}")
    moment = _timestamp(created)
    stamp = _xsd_datetime(moment)

    texts: dict[str, str] = {}
    for source in sources:
        if source.id in texts:
            raise ValueError(f"source id {source.id!r} is used twice")
        if source.text != canonical(source.text):
            raise ValueError(
                f"source {source.id!r}: text is not in canonical form (NFC, \\n line endings, "
                "no trailing whitespace); pass segmentation.canonical(text), which every "
                "offset refers to"
            )
        texts[source.id] = source.text
    case_ids: set[str] = set()
    for case in cases:
        if case.id in case_ids:
            raise ValueError(f"case id {case.id!r} is used twice")
        case_ids.add(case.id)
        for source_id in case.source_ids:
            if source_id not in texts:
                raise ValueError(f"case {case.id!r}: no source has id {source_id!r}")
    order = {code.id: index for index, code in enumerate(codebook.walk())}
    code_names = {code.id: code.name for code in codebook.walk()}
    _check_codings(codings, texts, codebook, set(order))

    # listed users first, in order, then the other coders alphabetically (not in coding order,
    # so shuffling the codings does not change the file)
    user_names = list(dict.fromkeys([*users, *sorted({coding.coder for coding in codings})]))
    user_guids = {name: _guid("user", name) for name in user_names}
    variables = _Variables(
        [source.variables for source in sources] + [case.variables for case in cases]
    )

    P = f"{{{PROJECT_NS}}}"
    root = etree.Element(
        P + "Project",
        nsmap={None: PROJECT_NS},
        name=_xml(project_name),
        origin=ORIGIN,
        creationDateTime=stamp,
    )
    if user_names:
        root.set("creatingUserGUID", user_guids[user_names[0]])
        users_element = etree.SubElement(root, P + "Users")
        for name in user_names:
            etree.SubElement(users_element, P + "User", guid=user_guids[name], name=_xml(name))

    code_book = etree.SubElement(root, P + "CodeBook")
    code_guids = _codes(code_book, PROJECT_NS, codebook)
    variables.definitions(root)

    if cases:
        cases_element = etree.SubElement(root, P + "Cases")
        for case in cases:
            case_element = etree.SubElement(
                cases_element, P + "Case", guid=_guid("case", case.id), name=_xml(case.name)
            )
            variables.values(case_element, case.variables)
            for source_id in dict.fromkeys(case.source_ids):
                etree.SubElement(
                    case_element, P + "SourceRef", targetGUID=_guid("source", source_id)
                )

    # Group codings by span: one PlainTextSelection per span, one Coding per (code, coder).
    spans: dict[str, dict[tuple[int, int], dict[tuple[str, str], Coding]]] = {}
    for coding in codings:
        by_span = spans.setdefault(coding.source_id, {}).setdefault((coding.start, coding.end), {})
        by_span.setdefault((coding.code_id, coding.coder), coding)  # exact duplicates: first wins

    notes: list[tuple[str, str, str, str]] = []  # guid, name, user guid, text
    members: list[tuple[str, bytes]] = []
    if sources:
        sources_element = etree.SubElement(root, P + "Sources")
    for source in sources:
        source_guid = _guid("source", source.id)
        text_source = etree.SubElement(
            sources_element,
            P + "TextSource",
            guid=source_guid,
            name=_xml(source.name),
            plainTextPath=f"internal://{source_guid}.txt",
            creationDateTime=stamp,
        )
        position = _Positions(source.text, positions)
        for (start, end), by_code in sorted(spans.get(source.id, {}).items()):
            ordered = sorted(by_code.values(), key=lambda c: (order[c.code_id], c.coder))
            selection = etree.SubElement(
                text_source,
                P + "PlainTextSelection",
                guid=_guid("selection", source.id, str(start), str(end)),
                startPosition=str(position(start)),
                endPosition=str(position(end)),
                creatingUser=user_guids[ordered[0].coder],
                creationDateTime=stamp,
            )
            for coding in ordered:
                coding_guid = _guid(
                    "coding", source.id, str(start), str(end), coding.code_id, coding.coder
                )
                coding_element = etree.SubElement(
                    selection,
                    P + "Coding",
                    guid=coding_guid,
                    creatingUser=user_guids[coding.coder],
                    creationDateTime=stamp,
                )
                etree.SubElement(
                    coding_element, P + "CodeRef", targetGUID=code_guids[coding.code_id]
                )
                if coding.memo.strip():
                    note_guid = _guid("note", coding_guid)
                    etree.SubElement(coding_element, P + "NoteRef", targetGUID=note_guid)
                    notes.append(
                        (
                            note_guid,
                            f"Memo: {code_names[coding.code_id]} in {source.name}",
                            user_guids[coding.coder],
                            coding.memo,
                        )
                    )
        variables.values(text_source, source.variables)
        members.append((f"Sources/{source_guid}.txt", source.text.encode("utf-8")))

    if notes:
        notes_element = etree.SubElement(root, P + "Notes")
        for note_guid, name, user_guid, text in notes:
            note = etree.SubElement(
                notes_element,
                P + "Note",
                guid=note_guid,
                name=_xml(name),
                creatingUser=user_guid,
                creationDateTime=stamp,
            )
            etree.SubElement(note, P + "PlainTextContent").text = _xml(text)

    unit = "Unicode code points" if positions == "codepoints" else "UTF-16 code units"
    etree.SubElement(root, P + "Description").text = _xml(
        f"Exported by inpractice with codebook {codebook.name!r} ({codebook.id}). Selection "
        f"positions count {unit} from 0 in each source's plain text; endPosition is exclusive."
    )

    _validate(root, _project_schema(), "project.qde")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _zip_member(archive, "project.qde", _serialise(root), moment)
        for name, data in members:
            _zip_member(archive, name, data, moment)
    return buffer.getvalue()


def build_qdc(codebook: Codebook) -> bytes:
    """A REFI-QDA codebook (`.qdc`): the codes, nested, validated against the codebook schema."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin=ORIGIN)
    _codes(root, CODEBOOK_NS, codebook)
    _validate(root, _codebook_schema(), "codebook")
    return _serialise(root)


def validate_qde(xml_bytes: bytes) -> None:
    """Raise RefiValidationError unless `xml_bytes` is a valid REFI-QDA `project.qde`."""
    _validate(_parse(xml_bytes, "project.qde"), _project_schema(), "project.qde")


def validate_qdc(xml_bytes: bytes) -> None:
    """Raise RefiValidationError unless `xml_bytes` is a valid REFI-QDA codebook (`.qdc`)."""
    _validate(_parse(xml_bytes, "codebook"), _codebook_schema(), "codebook")


# ---------------------------------------------------------------------------------------------
# schema handling


def _load_schema(filename: str) -> etree.XMLSchema:
    data = resources.files("inpractice.analysis").joinpath("schemas", filename).read_bytes()
    return etree.XMLSchema(etree.fromstring(data, _parser()))


@cache
def _project_schema() -> etree.XMLSchema:
    return _load_schema("Project.xsd")


@cache
def _codebook_schema() -> etree.XMLSchema:
    return _load_schema("Codebook.xsd")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _parse(xml_bytes: bytes, what: str):
    try:
        return etree.fromstring(xml_bytes, _parser())
    except etree.XMLSyntaxError as exc:
        raise RefiValidationError(what, [f"not well-formed XML: {exc}"]) from exc


def _validate(root, schema: etree.XMLSchema, what: str) -> None:
    if not schema.validate(root):
        raise RefiValidationError(
            what, [f"line {error.line}: {error.message}" for error in schema.error_log]
        )
