"""Files built to exhaust memory or time are refused quickly with a clear message.

Each case was found by probing: before the bounds in inpractice/tabular.py, jsonl.py and
codebook.py, the 5 KB workbook here kept the importer busy for minutes, and the deep JSON and
YAML crashed with RecursionError or ValueError instead of a message naming the line.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from inpractice.analysis.codebook import CodebookError, load_codebook
from inpractice.analysis.jsonl import JsonlError, read_records
from inpractice.intake.importer import SubmissionImportError, import_submissions
from inpractice.tabular import TabularFileError, open_xlsx

from .conftest import peak_memory, within

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "docs/examples/survey-mapping.yaml"
LIMITS = {"sheet": None, "max_bytes": 50_000_000, "max_uncompressed": 200_000_000}


def rewrite_sheet(source: Path, target: Path, change) -> Path:
    """Copy an .xlsx, passing the first worksheet's XML through `change`."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            out.writestr(info, data)
    return target


@pytest.fixture
def small_workbook(tmp_path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["ID", "Email"])
    book.active.append(["1", "a@example.org"])
    path = tmp_path / "small.xlsx"
    book.save(path)
    return path


def read_all(path: Path) -> list:
    with open_xlsx(path, **LIMITS) as (_header, records, _encoding):
        return list(records)


def test_a_tiny_workbook_claiming_a_million_rows_is_refused_at_once(small_workbook, tmp_path):
    def far_corner(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace("</sheetData>", far + "</sheetData>")

    path = rewrite_sheet(small_workbook, tmp_path / "corner.xlsx", far_corner)
    assert path.stat().st_size < 10_000
    with (
        within(10),
        pytest.raises(TabularFileError, match="spans 1,048,576 rows and 16,384 columns"),
    ):
        read_all(path)


def test_a_far_row_without_a_dimension_is_bounded_and_refused(small_workbook, tmp_path):
    def far_row(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', "", xml)
        far = '<row r="900000"><c r="A900000" t="inlineStr"><is><t>late</t></is></c></row>'
        return xml.replace("</sheetData>", far + "</sheetData>")

    path = rewrite_sheet(small_workbook, tmp_path / "far.xlsx", far_row)
    with (
        within(30),
        peak_memory() as memory,
        pytest.raises(TabularFileError, match="more than 200,000 rows"),
    ):
        read_all(path)
    assert memory["peak"] < 50_000_000


def test_values_beyond_the_last_column_read_are_refused_naming_the_row(small_workbook, tmp_path):
    def wide(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', "", xml)
        cell = '<c r="ALM2" t="inlineStr"><is><t>far</t></is></c>'  # column 1,001
        return re.sub(r'(<row r="2"[^>]*>.*?)(</row>)', r"\1" + cell + r"\2", xml, flags=re.S)

    path = rewrite_sheet(small_workbook, tmp_path / "wide.xlsx", wide)
    with (
        within(10),
        pytest.raises(TabularFileError, match=r"row 2: there are values beyond column 1,000"),
    ):
        read_all(path)


def test_a_zip_bomb_is_refused_before_any_xml_is_read(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(300):  # 300 MB of zeros, about 300 KB compressed
            member.write(chunk)
    assert path.stat().st_size < 2_000_000
    with (
        within(10),
        peak_memory() as memory,
        pytest.raises(TabularFileError, match="would expand to 315 MB"),
    ):
        read_all(path)
    assert memory["peak"] < 10_000_000


def test_entity_expansion_in_a_sheet_is_refused(small_workbook, tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )

    def laughs(xml: str) -> str:
        xml = re.sub(r"^<\?xml[^>]*\?>", "", xml)
        xml = xml.replace("a@example.org", "&lol9;")
        return f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>' + xml

    path = rewrite_sheet(small_workbook, tmp_path / "laughs.xlsx", laughs)
    with (
        within(20),
        peak_memory() as memory,
        pytest.raises(TabularFileError, match="the sheet is damaged"),
    ):
        read_all(path)
    assert memory["peak"] < 300_000_000  # expat stops the expansion; a billion would be GBs


@pytest.mark.django_db
def test_the_survey_importer_reports_the_bomb_as_its_own_error(open_call, small_workbook, tmp_path):
    def far_corner(xml: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)

    path = rewrite_sheet(small_workbook, tmp_path / "corner.xlsx", far_corner)
    with within(10), pytest.raises(SubmissionImportError, match="Delete the unused rows"):
        import_submissions(path, call=open_call, mapping_file=MAPPING)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"id": ' + "1" * 5000 + ', "text": "x"}', "not valid JSON for a record"),
        ('{"id": "a", "text": "\\ud800"}', "unpaired surrogate"),
    ],
)
def test_jsonl_lines_that_used_to_crash_name_their_line(tmp_path, line, message):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 0, "text": "fine"}\n' + line + "\n")
    with within(10), pytest.raises(JsonlError, match=rf"line 2: .*{message}"):
        read_records(path)


def test_a_jsonl_file_that_is_one_enormous_line_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "one-line.jsonl"
    with path.open("w") as fh:
        for _ in range(80):
            fh.write("x" * 100_000)  # 8 MB, no newline
    with (
        within(10),
        peak_memory() as memory,
        pytest.raises(JsonlError, match="line 1: the line is over"),
    ):
        read_records(path)
    assert memory["peak"] < 30_000_000


def test_jsonl_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"id": 1, "text": "ok"}\n{"id": 2, "text": "caf\xe9"}\n')
    with pytest.raises(JsonlError, match="line 2: not UTF-8 text"):
        read_records(path)


def test_a_codebook_nested_thousands_deep_is_refused_not_a_crash(tmp_path):
    depth = 3000
    text = "codes: " + "".join(f"[{{id: c{i}, name: n, children: " for i in range(depth))
    path = tmp_path / "deep.yaml"
    path.write_text(text + "[]" + "}]" * depth + "\n")
    with within(10), pytest.raises(CodebookError, match="nested too deeply"):
        load_codebook(path)


def test_a_codebook_deeper_than_the_limit_names_the_line(tmp_path):
    lines = ["codes:"]
    for level in range(10):
        pad = "  " * (2 * level)
        lines += [f"{pad}  - id: c{level}", f"{pad}    name: Level {level}", f"{pad}    children:"]
    path = tmp_path / "deep.yaml"
    path.write_text("\n".join(lines) + " []\n")
    with pytest.raises(CodebookError, match=r"deep.yaml, line 26: codes\[0\].*nest at most 8"):
        load_codebook(path)


def test_a_huge_codebook_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:
        fh.truncate(6_000_000)  # sparse: nothing is written, the size is what matters
    with peak_memory() as memory, pytest.raises(CodebookError, match="over 5 MB"):
        load_codebook(path)
    assert memory["peak"] < 1_000_000
