"""Files in encodings the importers do not read are refused with a message saying what to do."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from inpractice.analysis.codebook import CodebookError, load_codebook
from inpractice.analysis.jsonl import JsonlError, read_records
from inpractice.intake.importer import SubmissionImportError, import_submissions
from inpractice.schools.importer import RegisterImportError, import_register
from inpractice.schools.models import School
from inpractice.tabular import double_encoded

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


# --- One encoding throughout: a stray byte, a whole Windows-1252 file, double-encoded text -----

RAW_RESPONSES = (ROOT / "tests/fixtures/survey/responses.csv").read_bytes()  # UTF-8, with a BOM


def short_register(*rows: bytes) -> bytes:
    return b"urn,name,open_date,town,postcode\n" + b"".join(row + b"\n" for row in rows)


@pytest.mark.django_db
def test_a_utf8_register_with_one_stray_windows_1252_byte_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(
        short_register(
            "150001,Ecole Française,,Bath,".encode(),  # UTF-8: ç is two bytes
            "150002,St Mary’s Primary,,Leeds,".encode(),
            b"150003,Caf\xe9 Lane School,,York,",  # one byte of Windows-1252 among UTF-8
        )
    )
    with pytest.raises(RegisterImportError) as caught:
        import_register(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line 4, column name: the byte 0xE9 is not valid UTF-8")
    assert "line 2 has UTF-8 characters" in message
    assert "mixes two encodings" in message
    assert not School.objects.exists()  # nothing garbled, nothing at all


@pytest.mark.django_db
def test_a_survey_export_with_a_stray_byte_is_refused_naming_line_and_column(
    open_call, register, tmp_path
):
    # Record 3 of the export starts on line 5 (record 1 spans lines 2 and 3).
    path = tmp_path / "responses.csv"
    path.write_bytes(RAW_RESPONSES.replace(b"Leeds City Council", b"Leeds Cit\x92s Council"))
    with pytest.raises(SubmissionImportError) as caught:
        import_submissions(path, call=open_call, mapping_file=MAPPING)
    assert str(caught.value).startswith(
        f"{path}, line 5, column Organisation name: the byte 0x92 is not valid UTF-8"
    )
    assert not open_call.submissions.exists()


@pytest.mark.django_db
def test_a_stray_byte_inside_a_value_of_several_lines_is_placed_on_its_own_line(
    open_call, register, tmp_path
):
    path = tmp_path / "responses.csv"
    path.write_bytes(RAW_RESPONSES.replace(b"with families", b"with famili\xe9s"))
    with pytest.raises(SubmissionImportError, match=r", line 3, column Describe the practice: "):
        import_submissions(path, call=open_call, mapping_file=MAPPING)
    assert not open_call.submissions.exists()


@pytest.mark.django_db
def test_a_whole_windows_1252_file_is_imported_and_the_report_says_so(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(
        short_register(
            "150001,Ecole Française,,Bath,".encode("cp1252"),
            "150002,St Mary’s – “Ê” Primary,,Leeds,".encode("cp1252"),
        )
    )
    report = import_register(path)
    assert report.encoding == "Windows-1252"
    assert "Read as Windows-1252 text" in report.summary()
    assert School.objects.get(urn=150002).name == "St Mary’s – “Ê” Primary"
    assert School.objects.get(urn=150001).name == "Ecole Française"


@pytest.mark.django_db
def test_a_whole_windows_1252_survey_export_is_imported_and_the_report_says_so(
    open_call, register, tmp_path
):
    path = tmp_path / "responses.csv"
    path.write_bytes(RAW_RESPONSES.decode("utf-8-sig").encode("cp1252"))
    report = import_submissions(path, call=open_call, mapping_file=MAPPING)
    assert report.encoding == "Windows-1252"
    assert "Read as Windows-1252 text" in report.summary()
    practices = [s.answers["practice"] for s in open_call.submissions.all()]
    assert any(p.endswith("— Zoë's idea.") for p in practices), practices


@pytest.mark.django_db
def test_utf8_lines_in_a_windows_1252_file_are_refused_not_garbled(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(
        short_register(
            "150001,Ecole Française,,Bath,".encode("cp1252"),
            "150002,St Mary’s – Ê Primary,,Leeds,".encode("cp1252"),
            "150003,Zoë’s School,,York,".encode(),  # pasted in from a UTF-8 file
        )
    )
    with pytest.raises(RegisterImportError) as caught:
        import_register(path)
    assert str(caught.value).startswith(f"{path}, line 4, column name: 'Ã«' is UTF-8 text")
    assert not School.objects.exists()


@pytest.mark.django_db
def test_a_utf8_file_is_reported_as_utf8(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(codecs.BOM_UTF8 + short_register("150001,Ecole Française,,Bath,".encode()))
    report = import_register(path)
    assert report.encoding == "UTF-8"
    assert "Read as UTF-8 text." in report.summary()


@pytest.mark.django_db
def test_a_byte_that_is_in_neither_encoding_is_refused_naming_line_and_column(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(short_register(b"150001,Ecole,,Bath,", b"150002,St Mary,,Le\x81ds,"))
    with pytest.raises(RegisterImportError) as caught:
        import_register(path)
    assert str(caught.value).startswith(f"{path}, line 3, column town: the byte 0x81 is not")
    assert "neither UTF-8 nor Windows-1252" in str(caught.value)
    assert not School.objects.exists()


@pytest.mark.django_db
def test_double_encoded_utf8_is_refused_naming_line_and_column(open_call, register, tmp_path):
    # The classic: a UTF-8 export opened as Windows-1252 and saved again as UTF-8. Every byte is
    # valid UTF-8, so only the text shows it: "Zoë" has become "ZoÃ«", "—" has become "â€”".
    garbled = RAW_RESPONSES.decode("utf-8-sig").encode("utf-8").decode("cp1252", "replace")
    path = tmp_path / "responses.csv"
    path.write_bytes(garbled.encode("utf-8"))
    with pytest.raises(SubmissionImportError) as caught:
        import_submissions(path, call=open_call, mapping_file=MAPPING)
    message = str(caught.value)
    assert message.startswith(f"{path}, line 6, column Describe the practice: 'â€”' is UTF-8")
    assert "read as Windows-1252 and saved again (it should be '—')" in message
    assert not open_call.submissions.exists()


@pytest.mark.django_db
def test_double_encoded_register_is_refused(tmp_path):
    path = tmp_path / "schools.csv"
    text = "150001,Ecole Française,,Bath,\n150002,St Mary’s,,Leeds,\n"
    path.write_bytes(short_register(text.encode("utf-8").decode("cp1252").encode("utf-8")))
    with pytest.raises(RegisterImportError) as caught:
        import_register(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line 2, column name: 'Ã§' is UTF-8 text that was read")
    assert "(it should be 'ç')" in message
    assert not School.objects.exists()


@pytest.mark.django_db
def test_double_encoded_text_in_a_workbook_is_refused_naming_the_row(open_call, register, tmp_path):
    import csv
    import io

    import openpyxl

    rows = list(csv.reader(io.StringIO(RAW_RESPONSES.decode("utf-8-sig"))))
    rows[3][8] = "Northern Lights â€“ Academy Trust"  # row 4 of the sheet (1: header)
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "responses.xlsx"
    book.save(path)
    with pytest.raises(SubmissionImportError) as caught:
        import_submissions(path, call=open_call, mapping_file=MAPPING)
    assert str(caught.value).startswith(f"{path}, row 4, column Organisation name: 'â€“'")
    assert not open_call.submissions.exists()


@pytest.mark.parametrize(
    "text",
    ["café", "Zoë’s", "Straße’s", "CAFÉ’S", "Siân", "naïve", "Łódź", "£5 – “quoted”", "½ day"],
)
def test_genuine_text_is_not_taken_for_double_encoding(text):
    assert double_encoded(text) == ""
    assert double_encoded(text.encode("utf-8").decode("cp1252", "replace")) != ""
