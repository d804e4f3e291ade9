"""Tables of codings, submissions and mentions as CSV and XLSX that are safe to open.

Submissions are free text from the public, so any cell may be an attack on whoever opens the
export ("CSV injection": `=HYPERLINK(...)`, `=cmd|' /C calc'!A0`). Every *string* cell that a
spreadsheet could read as a formula is prefixed with a single quote, following OWASP's CSV
injection guidance; numbers, booleans and dates are left as they are, so sums and filters still
work. In XLSX, strings are also stored explicitly as inline strings, never as formulas.

Rows are streamed: `write_csv` writes as it reads, and `write_xlsx` uses openpyxl's write-only
mode, keeping only the first `WIDTH_SAMPLE` rows of each sheet in memory to size the columns.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A cell whose text starts with one of these can become a formula (or a DDE call) in Excel,
# LibreOffice or Google Sheets. OWASP lists = + - @ tab and carriage return; we add line feed,
# "|" (DDE payloads) and the full-width forms of = + - @, which some spreadsheet locales accept.
DANGEROUS_PREFIXES = frozenset("=+-@\t\r\n|\uff1d\uff0b\uff0d\uff20")

# Excel refuses a cell longer than this; CSV keeps the full text.
XLSX_CELL_LIMIT = 32_767
TRUNCATED = " [truncated: see the CSV export for the full text]"

HEADER_FONT = Font(bold=True)
WIDTH_SAMPLE = 200  # rows per sheet read ahead to choose column widths
MIN_WIDTH, MAX_WIDTH = 8, 60

# Control characters XML (and so XLSX) cannot hold.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


_UNCHANGED = (bool, int, Decimal, datetime, date, time)  # bool before int only for reading


def safe_cell(value: Any) -> Any:
    """`value`, made safe to open in a spreadsheet.

    Strings that start with a formula trigger (also after leading spaces) get a leading `'`;
    numbers, booleans, dates and None come back unchanged, so `-3` stays the number -3 while the
    string `"-3"` becomes `"'-3"`. Non-finite floats become None (an empty cell), since Excel
    cannot store them. Lists and sets are joined with "; "; other objects become their text.
    """
    if type(value) is not str:  # the common case first: this runs once per cell
        if value is None or isinstance(value, _UNCHANGED):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else None
        if isinstance(value, list | tuple | set | frozenset):
            items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
            value = "; ".join("" if item is None else str(item) for item in items)
        else:
            value = str(value)
    if not value:
        return value
    first = value[0]
    if first in " \u00a0":
        # look past leading spaces: "  =1+1" is still a formula to some spreadsheets
        first = value.lstrip(" \u00a0")[:1]
    return "'" + value if first in DANGEROUS_PREFIXES else value


def _row_values(row: Mapping[str, Any], columns: Sequence[str]) -> list[Any]:
    return [safe_cell(row.get(column)) for column in columns]


def write_csv(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], file: BinaryIO | Path
) -> int:
    """Write `rows` (only `columns`, in order) as CSV for Excel; returns the number of data rows.

    UTF-8 with a byte-order mark (so Excel reads accents), CRLF line endings, every text cell
    quoted, numbers unquoted. `file` is a path or a binary file object, which is left open.
    """
    if isinstance(file, str | Path):
        with open(file, "wb") as handle:
            return write_csv(rows, columns, handle)
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        writer.writerow([safe_cell(column) for column in columns])
        count = 0
        for row in rows:
            writer.writerow([_csv_value(safe_cell(row.get(column))) for column in columns])
            count += 1
        text.flush()
    finally:
        text.detach()  # hand the caller's file back open
    return count


def _csv_value(value: Any) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # what spreadsheets call them, quoted as text
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        value = _XLSX_ILLEGAL.sub("\ufffd", value)
        if len(value) > XLSX_CELL_LIMIT:
            value = value[: XLSX_CELL_LIMIT - len(TRUNCATED)] + TRUNCATED
    elif isinstance(value, datetime | time) and value.tzinfo is not None:
        if isinstance(value, datetime):
            value = value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: UTC
        else:
            value = value.replace(tzinfo=None)
    return value


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    text = str(value)
    return max((len(line) for line in text.split("\n")), default=0)


def _check_sheet_names(names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not name.strip() or len(name) > 31:
            raise ValueError(f"sheet name {name!r} must be 1-31 characters")
        if _SHEET_NAME_BAD.search(name) or name.startswith("'") or name.endswith("'"):
            raise ValueError(f"sheet name {name!r} may not contain [ ] : * ? / \\ or edge quotes")
        if name.lower() in seen:
            raise ValueError(f"sheet name {name!r} is used twice")
        seen.add(name.lower())


def write_xlsx(
    sheets: Mapping[str, tuple[Sequence[str], Iterable[Mapping[str, Any]]]],
    file: BinaryIO | Path,
) -> None:
    """Write one worksheet per entry of `sheets` (name -> (columns, rows)) as an .xlsx file.

    Each sheet has a bold header row, frozen, with a filter, and column widths chosen from the
    header and the first rows. Strings are neutralised with `safe_cell` and stored as inline
    strings (never formulas); text longer than Excel's 32,767-character cell limit is cut short
    with a note. `file` is a path or a binary file object.
    """
    _check_sheet_names(sheets)
    workbook = Workbook(write_only=True)
    for name, (columns, rows) in sheets.items():
        sheet = workbook.create_sheet(title=name)
        rows_iter = iter(rows)
        sample = [_row_values(row, columns) for row in islice(rows_iter, WIDTH_SAMPLE)]
        for index, column in enumerate(columns, 1):
            widest = max(
                [_width(column) + 2, *(_width(values[index - 1]) + 1 for values in sample)]
            )
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = min(max(widest, MIN_WIDTH), MAX_WIDTH)
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(str(safe_cell(column))))
            cell.data_type = "s"
            cell.font = HEADER_FONT
            header.append(cell)
        sheet.append(header)
        count = 0
        for values in chain(sample, (_row_values(row, columns) for row in rows_iter)):
            sheet.append([_cell(sheet, value) for value in values])
            count += 1
        if columns:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(file)


def _cell(sheet, value: Any) -> Any:
    value = _xlsx_value(value)
    if not isinstance(value, str) or not (value.startswith("=") or value in ERROR_CODES):
        return value  # openpyxl stores any other str as a string
    # openpyxl would store "=..." as a formula and "#N/A" as an error value: force a string.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


# ---------------------------------------------------------------------------------------------
# ready-made tables

CODING_COLUMNS = (
    "source_id",
    "source_name",
    "code_id",
    "code_name",
    "parent_code_id",
    "start",
    "end",
    "text",
    "coder",
    "memo",
)


def coding_rows(codebook, sources, codings) -> Iterator[dict[str, Any]]:
    """One row per coding (`refi.Source` / `refi.Coding` data), with the coded words themselves.

    Offsets are Unicode code points into the canonical text, as everywhere in the analysis core.
    """
    texts = {source.id: source for source in sources}
    parents: dict[str, str] = {}
    for code in codebook.walk():
        for child in code.children:
            parents[child.id] = code.id
    names = {code.id: code.name for code in codebook.walk()}
    for coding in codings:
        source = texts.get(coding.source_id)
        yield {
            "source_id": coding.source_id,
            "source_name": source.name if source else "",
            "code_id": coding.code_id,
            "code_name": names.get(coding.code_id, ""),
            "parent_code_id": parents.get(coding.code_id, ""),
            "start": coding.start,
            "end": coding.end,
            "text": source.text[coding.start : coding.end] if source else "",
            "coder": coding.coder,
            "memo": coding.memo,
        }
