"""REFI-QDA exports validate against the schema and point at exactly the coded words."""

from __future__ import annotations

import io
import random
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from inpractice.analysis.codebook import codebook_from_dict, load_codebook
from inpractice.analysis.refi import (
    PROJECT_NS,
    Case,
    Coding,
    RefiValidationError,
    Source,
    build_qdc,
    build_qdpx,
    validate_qdc,
    validate_qde,
)
from inpractice.analysis.segmentation import canonical

SCHEMAS = Path(__file__).resolve().parents[2] / "inpractice" / "analysis" / "schemas"
NS = {"q": PROJECT_NS}
CB = {"c": "urn:QDA-XML:codebook:1.0"}
CREATED = datetime(2025, 7, 1, 9, 30, tzinfo=UTC)

TEXT_A = canonical(
    "Café staff meet every family before Reception.\r\n\r\n"
    "Zoë’s naïve plan 😀 worked: a one-page profile travels with each child."
)
TEXT_B = canonical("We screen all Year 7 pupils for reading needs in the first three weeks.")


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def _codebook():
    return codebook_from_dict(
        {
            "id": "test",
            "name": "Test codebook",
            "codes": [
                {
                    "id": "p1",
                    "name": "Knowing children",
                    "description": "Early identification.",
                    "include": "Screening.",
                    "examples": ["We screen everyone."],
                    "children": [
                        {"id": "p1.transitions", "name": "Transitions"},
                        {
                            "id": "p1.profiles",
                            "name": "Profiles",
                            "children": [{"id": "p1.profiles.voice", "name": "Pupil voice"}],
                        },
                    ],
                },
                {"id": "p2", "name": "Teaching & <learning>"},
            ],
        }
    )


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _inputs():
    sources = [
        Source(
            "sub-1",
            "Submission 1 — St Ann’s",
            TEXT_A,
            {"phase": "primary", "pupils": 212, "fsm_share": 0.375, "mat": True},
        ),
        Source("sub-2", "Submission 2", TEXT_B, {"phase": "secondary", "pupils": 1400}),
    ]
    a1 = _span(TEXT_A, "meet every family")
    a2 = _span(TEXT_A, "naïve plan 😀 worked")
    a3 = _span(TEXT_A, "a one-page profile travels with each child")
    b1 = _span(TEXT_B, "screen all Year 7 pupils")
    codings = [
        Coding("sub-1", *a1, "p1.transitions", "analyst@example.org", memo="Home visits."),
        Coding("sub-1", *a1, "p1", "model:minilm-static"),
        Coding("sub-1", *a2, "p2", "analyst@example.org"),
        Coding("sub-1", *a3, "p1.profiles.voice", "model:minilm-static"),
        Coding("sub-2", *b1, "p1", "analyst@example.org"),
    ]
    cases = [
        Case("org-1", "St Ann’s Primary", ["sub-1"], {"organisation_type": "school"}),
        Case("org-2", "Northfield Academy", ["sub-2"], {"organisation_type": "school"}),
    ]
    return sources, codings, cases


def _build(**overrides) -> bytes:
    sources, codings, cases = _inputs()
    arguments = {
        "project_name": "Inclusion in practice",
        "codebook": _codebook(),
        "sources": sources,
        "codings": codings,
        "cases": cases,
        "users": ["lead@example.org"],
        "created": CREATED,
    }
    arguments.update(overrides)
    return build_qdpx(**arguments)


def _open(data: bytes):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, etree.fromstring(archive.read("project.qde"))


def _source_text(archive: zipfile.ZipFile, text_source) -> str:
    path = text_source.get("plainTextPath")
    assert path.startswith("internal://")
    return archive.read("Sources/" + path.removeprefix("internal://")).decode("utf-8")


# --- the file itself --------------------------------------------------------------------------


def test_the_qdpx_is_a_zip_with_project_qde_at_the_root_and_one_text_file_per_source():
    data = _build()
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[0] == "project.qde"
    root = etree.fromstring(archive.read("project.qde"))
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert sorted(names[1:]) == sorted(f"Sources/{s.get('guid')}.txt" for s in sources)
    assert [_source_text(archive, s) for s in sources] == [TEXT_A, TEXT_B]
    assert not archive.read(names[1]).startswith(b"\xef\xbb\xbf")  # no BOM to shift positions


def test_project_qde_validates_against_the_vendored_refi_schema():
    archive, _ = _open(_build())
    document = etree.fromstring(archive.read("project.qde"))
    schema = _schema("Project.xsd")
    assert schema.validate(document), schema.error_log
    validate_qde(archive.read("project.qde"))  # the module's own check agrees


def test_a_minimal_project_with_no_sources_or_codings_still_validates():
    data = build_qdpx(project_name="Empty", codebook=_codebook(), sources=[], codings=[])
    archive, root = _open(data)
    assert _schema("Project.xsd").validate(root)
    assert archive.namelist() == ["project.qde"]


def test_the_default_codebook_exports_and_validates():
    data = build_qdpx(
        project_name="Default", codebook=load_codebook("default"), sources=[], codings=[]
    )
    _, root = _open(data)
    assert _schema("Project.xsd").validate(root)


def test_every_reference_points_at_an_element_in_the_project():
    _, root = _open(_build())
    guids = {el.get("guid") for el in root.iter() if el.get("guid")}
    refs = [el.get("targetGUID") for el in root.iter() if el.get("targetGUID")]
    users = [
        el.get(attr)
        for el in root.iter()
        for attr in ("creatingUser", "creatingUserGUID")
        if el.get(attr)
    ]
    assert refs and users
    assert set(refs) <= guids
    assert set(users) <= {u.get("guid") for u in root.findall("q:Users/q:User", NS)}
    all_guids = [el.get("guid") for el in root.iter() if el.get("guid")]
    assert len(all_guids) == len(set(all_guids))


# --- codebook ---------------------------------------------------------------------------------


def test_sub_codes_nest_inside_their_parents_with_descriptions_and_colours():
    _, root = _open(_build())
    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == ["Knowing children", "Teaching & <learning>"]
    p1 = top[0]
    assert [c.get("name") for c in p1.findall("q:Code", NS)] == ["Transitions", "Profiles"]
    voice = p1.find("q:Code[@name='Profiles']/q:Code", NS)
    assert voice.get("name") == "Pupil voice"
    assert all(c.get("isCodable") == "true" for c in root.iter(f"{{{PROJECT_NS}}}Code"))
    description = p1.find("q:Description", NS).text
    assert "Early identification." in description and "Include: Screening." in description
    assert "- We screen everyone." in description
    assert voice.get("color") == p1.get("color") != top[1].get("color")


def test_the_qdc_codebook_validates_and_nests():
    data = build_qdc(_codebook())
    validate_qdc(data)
    root = etree.fromstring(data)
    assert _schema("Codebook.xsd").validate(root)
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    nested = root.find("c:Codes/c:Code/c:Code[@name='Profiles']/c:Code", CB)
    assert nested.get("name") == "Pupil voice"
    # same GUIDs as in a project, so a codebook and a project exported apart still match
    _, project = _open(_build())
    assert {c.get("guid") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")} == {
        c.get("guid") for c in project.iter(f"{{{PROJECT_NS}}}Code")
    }


# --- codings ----------------------------------------------------------------------------------


def test_selections_point_at_exactly_the_coded_words_in_the_stored_text():
    sources, codings, _ = _inputs()
    archive, root = _open(_build())
    code_names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{PROJECT_NS}}}Code")}
    expected = {
        (s.name, s.text[c.start : c.end], _codebook().get(c.code_id).name)
        for c in codings
        for s in sources
        if s.id == c.source_id
    }
    found = set()
    for text_source in root.findall("q:Sources/q:TextSource", NS):
        stored = _source_text(archive, text_source)
        for selection in text_source.findall("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for coding in selection.findall("q:Coding", NS):
                code = code_names[coding.find("q:CodeRef", NS).get("targetGUID")]
                found.add((text_source.get("name"), stored[start:end], code))
    assert found == expected
    assert ("Submission 1 — St Ann’s", "naïve plan 😀 worked", "Teaching & <learning>") in found


def test_codings_on_the_same_span_share_one_selection_with_a_coding_each():
    _, root = _open(_build())
    source = root.find("q:Sources/q:TextSource", NS)
    first = source.find("q:PlainTextSelection", NS)
    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}
    assert [users[c.get("creatingUser")] for c in first.findall("q:Coding", NS)] == [
        "model:minilm-static",
        "analyst@example.org",
    ]
    assert all(c.get("creationDateTime") == "2025-07-01T09:30:00Z" for c in first)


def test_utf16_positions_count_emoji_as_two_units():
    sources, codings, _ = _inputs()
    archive, root = _open(_build(positions="utf16"))
    assert _schema("Project.xsd").validate(root)
    text_source = root.find("q:Sources/q:TextSource", NS)
    units = _source_text(archive, text_source).encode("utf-16-le")
    spans = sorted(
        (int(s.get("startPosition")), int(s.get("endPosition")))
        for s in text_source.findall("q:PlainTextSelection", NS)
    )
    texts = [units[2 * start : 2 * end].decode("utf-16-le") for start, end in spans]
    assert texts == [
        "meet every family",
        "naïve plan 😀 worked",
        "a one-page profile travels with each child",
    ]
    # code points: the same text, one fewer unit after the emoji
    _, plain = _open(_build())
    last = plain.find("q:Sources/q:TextSource", NS).findall("q:PlainTextSelection", NS)[-1]
    assert int(last.get("startPosition")) == spans[-1][0] - 1


def test_memos_become_notes_referenced_from_their_coding():
    _, root = _open(_build())
    notes = root.findall("q:Notes/q:Note", NS)
    assert [n.find("q:PlainTextContent", NS).text for n in notes] == ["Home visits."]
    refs = [r.get("targetGUID") for r in root.iterfind(".//q:Coding/q:NoteRef", NS)]
    assert refs == [notes[0].get("guid")]


def test_text_xml_cannot_hold_is_replaced_rather_than_breaking_the_file():
    sources, codings, cases = _inputs()
    codings[0].memo = "bell\x07 and nul\x00"
    sources[0].name = "form\x0cfeed"
    archive, root = _open(_build(sources=sources, codings=codings))
    assert _schema("Project.xsd").validate(root)
    assert root.find("q:Notes/q:Note/q:PlainTextContent", NS).text == "bell\ufffd and nul\ufffd"


def test_exact_duplicate_codings_are_written_once():
    sources, codings, cases = _inputs()
    _, root = _open(_build(codings=codings + [codings[2]]))
    assert len(root.findall(".//q:Coding", NS)) == len(codings)


# --- users, variables and cases ---------------------------------------------------------------


def test_users_include_listed_users_and_every_coder():
    _, root = _open(_build())
    assert [u.get("name") for u in root.findall("q:Users/q:User", NS)] == [
        "lead@example.org",
        "analyst@example.org",
        "model:minilm-static",
    ]


def test_variables_are_typed_and_values_use_the_matching_element():
    sources, codings, cases = _inputs()
    sources[1].variables.update({"fsm_share": 1e-7, "visited": date(2025, 3, 4)})
    _, root = _open(_build(sources=sources))
    assert _schema("Project.xsd").validate(root)
    types = {v.get("name"): v.get("typeOfVariable") for v in root.find("q:Variables", NS)}
    assert types == {
        "phase": "Text",
        "pupils": "Integer",
        "fsm_share": "Float",
        "mat": "Boolean",
        "visited": "Date",
        "organisation_type": "Text",
    }
    second = root.findall("q:Sources/q:TextSource", NS)[1]
    values = {
        value.find("q:VariableRef", NS).get("targetGUID"): value[1]
        for value in second.findall("q:VariableValue", NS)
    }
    by_name = {v.get("name"): v.get("guid") for v in root.find("q:Variables", NS)}
    assert values[by_name["fsm_share"]].tag == f"{{{PROJECT_NS}}}FloatValue"
    assert values[by_name["fsm_share"]].text == "0.0000001"  # xsd:decimal has no exponent
    assert values[by_name["visited"]].text == "2025-03-04"
    assert values[by_name["pupils"]].text == "1400"


def test_mixed_variable_types_fall_back_sensibly():
    sources, codings, cases = _inputs()
    sources[0].variables["pupils"] = 212.5  # Integer + Float -> Float
    sources[1].variables["phase"] = 3  # Text + Integer -> Text
    _, root = _open(_build(sources=sources))
    assert _schema("Project.xsd").validate(root)
    types = {v.get("name"): v.get("typeOfVariable") for v in root.find("q:Variables", NS)}
    assert types["pupils"] == "Float" and types["phase"] == "Text"


def test_cases_carry_variables_and_refer_to_their_sources():
    _, root = _open(_build())
    sources = {s.get("guid"): s.get("name") for s in root.findall("q:Sources/q:TextSource", NS)}
    cases = root.findall("q:Cases/q:Case", NS)
    assert [c.get("name") for c in cases] == ["St Ann’s Primary", "Northfield Academy"]
    assert [sources[r.get("targetGUID")] for r in cases[0].findall("q:SourceRef", NS)] == [
        "Submission 1 — St Ann’s"
    ]
    assert cases[0].find("q:VariableValue/q:TextValue", NS).text == "school"


# --- determinism ------------------------------------------------------------------------------


def test_the_same_input_gives_the_same_bytes():
    assert _build() == _build()


def test_coding_order_does_not_change_the_file():
    sources, codings, cases = _inputs()
    shuffled = codings[:]
    random.Random(4).shuffle(shuffled)
    assert _build(codings=shuffled) == _build(codings=codings)


def test_only_the_created_time_changes_between_exports():
    later = _build(created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    first, second = _open(_build())[1], _open(later)[1]
    assert first.get("creationDateTime") == "2025-07-01T09:30:00Z"
    assert second.get("creationDateTime") == "2026-01-02T03:04:05Z"
    assert [e.get("guid") for e in first.iter()] == [e.get("guid") for e in second.iter()]


def test_a_naive_created_time_is_taken_as_utc():
    _, root = _open(_build(created=datetime(2025, 7, 1, 9, 30)))
    assert root.get("creationDateTime") == "2025-07-01T09:30:00Z"


# --- invalid input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": 10_000}, r"coding #1 \(source 'sub-1', .*\): ends at 10000, past the end"),
        ({"code_id": "p9"}, r"coding #1 .*code 'p9' is not in codebook 'test'"),
        ({"source_id": "sub-9"}, r"coding #1 \(source 'sub-9'.*\): no source has id 'sub-9'"),
        ({"start": -1}, r"coding #1 .*start must be at least 0"),
        ({"start": 20, "end": 20}, r"coding #1 .*start must be at least 0 and before end"),
        ({"coder": " "}, r"coding #1 .*needs a coder"),
    ],
)
def test_invalid_codings_raise_a_value_error_naming_the_coding(change, message):
    sources, codings, cases = _inputs()
    for key, value in change.items():
        setattr(codings[1], key, value)
    with pytest.raises(ValueError, match=message):
        _build(codings=codings)


def test_other_invalid_input_is_named():
    sources, codings, cases = _inputs()
    with pytest.raises(ValueError, match="source id 'sub-1' is used twice"):
        _build(sources=sources + [sources[0]])
    with pytest.raises(ValueError, match="case 'org-1': no source has id 'sub-9'"):
        _build(cases=[Case("org-1", "X", ["sub-9"], {})])
    with pytest.raises(ValueError, match="source 'sub-1': text is not in canonical form"):
        _build(sources=[Source("sub-1", "x", "line\r\nline ", {})], codings=[], cases=[])
    with pytest.raises(ValueError, match="variable 'scores'"):
        _build(sources=[Source("sub-1", "x", TEXT_A, {"scores": [1, 2]})], codings=[], cases=[])
    with pytest.raises(ValueError, match="variable 'ratio'.*not finite"):
        _build(sources=[Source("s", "x", TEXT_A, {"ratio": float("nan")})], codings=[], cases=[])
    with pytest.raises(ValueError, match="positions"):
        _build(positions="bytes")


def test_validate_reports_the_schema_messages():
    _, root = _open(_build())
    del root.find("q:CodeBook/q:Codes/q:Code", NS).attrib["isCodable"]
    with pytest.raises(RefiValidationError, match="isCodable") as caught:
        validate_qde(etree.tostring(root))
    assert caught.value.errors and caught.value.errors[0].startswith("line ")
    with pytest.raises(RefiValidationError, match="not well-formed"):
        validate_qde(b"<Project")
    with pytest.raises(RefiValidationError):
        validate_qdc(etree.tostring(root))  # a project is not a codebook


def test_the_vendored_schemas_state_their_licence_and_namespace():
    project = (SCHEMAS / "Project.xsd").read_text(encoding="utf-8")
    assert 'targetNamespace="urn:QDA-XML:project:1.0"' in project
    assert "MIT license" in project
    codebook = (SCHEMAS / "Codebook.xsd").read_text(encoding="utf-8")
    assert 'targetNamespace="urn:QDA-XML:codebook:1.0"' in codebook
    readme = (SCHEMAS / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "Derived" in readme
