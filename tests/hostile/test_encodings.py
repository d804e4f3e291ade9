"""Files in encodings the importers do not read are refused with a message saying what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from inpractice.analysis.codebook import CodebookError, load_codebook
from inpractice.analysis.jsonl import JsonlError, read_records
from inpractice.intake.importer import SubmissionImportError, import_submissions
from inpractice.schools.importer import RegisterImportError, import_register
from inpractice.schools.models import School

ROOT = Path(__file__).resolve().parents[2]
SHORT = (ROOT / "tests/fixtures/gias/schools_short.csv").read_text(encoding="utf-8")
RESPONSES = (ROOT / "tests/fixtures/survey/responses.csv").read_text(encoding="utf-8-sig")
MAPPING = ROOT / "docs/examples/survey-mapping.yaml"

# (encoding, what the message must say)
ENCODINGS = [
    ("utf-16", "UTF-16"),
    ("utf-16-le", "binary data"),  # no BOM: NUL bytes between the letters
    ("utf-32", "UTF-32 text"),
    ("cp500", "neither UTF-8 nor Windows-1252"),  # EBCDIC
    ("shift_jis", "neither UTF-8 nor Windows-1252"),
]


def encoded(text: str, encoding: str) -> bytes:
    if encoding == "shift_jis":
        text = text.replace("Primary", "小学校")  # characters whose bytes cp1252 cannot read
    return text.encode(encoding, errors="replace")


@pytest.mark.django_db
@pytest.mark.parametrize(("encoding", "says"), ENCODINGS)
def test_register_in_an_unknown_encoding(tmp_path, encoding, says):
    path = tmp_path / "schools.csv"
    path.write_bytes(encoded(SHORT, encoding))
    before = School.objects.count()
    with pytest.raises(RegisterImportError, match=says):
        import_register(path)
    assert School.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("encoding", "says"), ENCODINGS)
def test_survey_export_in_an_unknown_encoding(open_call, tmp_path, encoding, says):
    path = tmp_path / "responses.csv"
    path.write_bytes(encoded(RESPONSES.replace("Oakfield", "Oakfield Primary"), encoding))
    with pytest.raises(SubmissionImportError, match=says):
        import_submissions(path, call=open_call, mapping_file=MAPPING)
    assert not open_call.submissions.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "cp500"])
def test_jsonl_and_codebooks_must_be_utf8(tmp_path, encoding):
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_bytes('{"id": 1, "text": "Café"}\n'.encode(encoding))
    with pytest.raises(JsonlError, match=r"(line 1: )?(not UTF-8|not valid JSON)"):
        read_records(jsonl)
    codebook = tmp_path / "codebook.yaml"
    codebook.write_bytes("codes:\n  - id: a\n    name: Café\n".encode(encoding))
    with pytest.raises(CodebookError, match="cannot read the codebook|not valid"):
        load_codebook(codebook)
