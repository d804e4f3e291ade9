"""Reading the spreadsheets people hand us: size limits, file-type sniffing, encodings, CSV rows.

Both importers (the school register and survey responses) read files that arrive by email or
download, so the same things go wrong: a zip or Excel file given instead of a CSV, a file saved
in Windows-1252 rather than UTF-8, a file far larger than it should be. This module turns each
of those into a `TabularFileError` whose message says what to do; the importers re-raise it as
their own error class so the command line prints it without a traceback.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

CHUNK = 1 << 20
SNIFF_BYTES = 8192
RATIO_FLOOR = 10 * 1000 * 1000
# A sheet's cells are read up to these bounds and no further. A few-kilobyte workbook can claim
# a cell at XFD1048576, and openpyxl would then pad every one of a million rows to 16,384 empty
# cells: minutes of work from nothing. No survey export comes near either bound.
MAX_SHEET_ROWS = 200_000
MAX_SHEET_COLUMNS = 1_000
# No GIAS or survey CSV line comes near this; reading lines no longer than it keeps a file that
# is one enormous line (a million commas, say) from being split into a list in one go.
MAX_LINE_CHARS = 1_000_000


class TabularFileError(Exception):
    """A file that cannot be read as a table at all; the message is for a person."""


@dataclass(frozen=True)
class Record:
    """One CSV record, numbered as a spreadsheet shows it (the first row, the header, is row 1)."""

    row: int
    line: int  # the text line the record starts on; differs from `row` after multi-line values
    values: list[str]
    problem: str = ""  # set when the record cannot be trusted, e.g. more values than columns

    def get(self, index: int) -> str:
        return self.values[index].strip() if index < len(self.values) else ""


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 school', '2 schools', '1,234 schools'."""
    word = singular if count == 1 else plural_form or singular + "s"
    return f"{count:,} {word}"


def listing(problems: list[str], limit: int) -> str:
    """Problems one to a line, indented, the first `limit` of them and a count of the rest."""
    lines = [f"  {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  ... and {len(problems) - limit:,} more")
    return "\n".join(lines)


def check_size(path: Path, *, max_bytes: int) -> int:
    """The file's size in bytes, refusing a missing, empty or oversized file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise TabularFileError(f"{path}: there is no such file.") from None
    except OSError as exc:
        raise TabularFileError(f"{path}: cannot be read ({exc.strerror}).") from None
    if not path.is_file():
        raise TabularFileError(f"{path}: is not a file.")
    if size == 0:
        raise TabularFileError(f"{path}: the file is empty.")
    if size > max_bytes:
        raise TabularFileError(
            f"{path}: the file is {size / 1e6:,.0f} MB; the most this importer reads is "
            f"{max_bytes / 1e6:,.0f} MB. Check it is the right file, or split it."
        )
    return size


def sniff(path: Path) -> str:
    """What the first bytes say a file is: zip (XLSX too), ole2 (old .xls), utf16, utf32, binary
    or text."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf32"  # checked first: the UTF-32 LE mark begins with the UTF-16 LE one
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf16"
    # Text files never contain NUL; PDFs, images and most binaries do within the first few KB.
    if b"\x00" in head or head.startswith(b"%PDF"):
        return "binary"
    return "text"


def refuse_non_text(path: Path, kind: str) -> None:
    """Raise a message fitted to the kind of non-CSV file a person most likely gave by mistake."""
    messages = {
        "zip": "is a ZIP file (an Excel .xlsx file is one too), not a CSV. If it is a download "
        "from GIAS, unzip it and import the CSV inside; if it is a spreadsheet, save it as "
        "'CSV UTF-8'.",
        "ole2": "is an old-style Excel (.xls) file, not a CSV. Open it and save it as 'CSV UTF-8' "
        "or as .xlsx.",
        "utf16": "is UTF-16 text ('Unicode text' in Excel), which this importer does not read. "
        "Save it as 'CSV UTF-8' instead.",
        "utf32": "is UTF-32 text, which this importer does not read. Save it as 'CSV UTF-8' "
        "instead.",
        "binary": "is not a text file (it contains binary data), so it cannot be a CSV.",
    }
    if kind in messages:
        raise TabularFileError(f"{path}: {messages[kind]}")


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' if the whole file is UTF-8 (with a BOM or not), else 'cp1252' if it decodes so.

    GIAS downloads are Windows-1252 and spreadsheets saved by Excel are often either. The file is
    read in chunks so a large file never sits in memory twice.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise TabularFileError(
        f"{path}: the text is neither UTF-8 nor Windows-1252, so its characters cannot be read "
        "reliably. Open it in a spreadsheet and save it as 'CSV UTF-8', then import that."
    )


@contextmanager
def open_csv(path: Path, *, max_bytes: int) -> Iterator[tuple[list[str], Iterator[Record]]]:
    """Open a CSV for streaming: (header, records), refusing anything that is not CSV text.

    Blank rows are skipped but still counted, as a spreadsheet would number them. Short records
    are kept as they are (use `Record.get`); a record with more values than the header has
    columns means broken quoting, and says so in `Record.problem`.
    """
    check_size(path, max_bytes=max_bytes)
    refuse_non_text(path, sniff(path))
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        # strict: a stray quote is an error rather than a value silently merged with the next.
        records = _records(path, csv.reader(_bounded_lines(path, fh), strict=True))
        header = next(records, None)
        if header is None:
            raise TabularFileError(f"{path}: the file has no header row, only blank lines.")
        yield [v.strip() for v in header.values], _check_width(records, len(header.values))


def _bounded_lines(path: Path, fh) -> Iterator[str]:
    number = 0
    while line := fh.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise TabularFileError(
                f"{path}, line {number}: the line is longer than {MAX_LINE_CHARS:,} characters, "
                "which no row of a register or survey export needs. Check it is the right file."
            )
        yield line


def _records(path: Path, reader) -> Iterator[Record]:
    row = 0
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # Also raised for a field over csv.field_size_limit(), which keeps a runaway quoted
            # field from swallowing the rest of the file into memory.
            raise TabularFileError(f"{path}, line {line}: not valid CSV ({exc}).") from None
        row += 1
        if any(v.strip() for v in values):
            yield Record(row=row, line=line, values=values, problem=_nul_problem(values))


def _nul_problem(values: list[str]) -> str:
    # No text a person typed contains NUL, and PostgreSQL refuses to store it.
    if any("\x00" in v for v in values):
        return "this row contains a NUL character, so the file is probably damaged"
    return ""


def _check_width(records: Iterator[Record], width: int) -> Iterator[Record]:
    for record in records:
        extra = record.values[width:]
        if not record.problem and any(v.strip() for v in extra):
            record = Record(
                row=record.row,
                line=record.line,
                values=record.values,
                problem=f"this row has {len(record.values)} values but the header has {width} "
                "columns; a value containing a comma is probably not in quotes",
            )
        yield record


@contextmanager
def open_xlsx(
    path: Path,
    *,
    sheet: str | None,
    max_bytes: int,
    max_uncompressed: int,
    max_ratio: int = 100,
) -> Iterator[tuple[list[str], Iterator[Record]]]:
    """Open an Excel workbook read-only: (header, records) from `sheet` or the first sheet.

    Cell values become text as a person would type them (whole numbers without ".0", dates in
    ISO form), so CSV and XLSX rows are checked by the same code.
    """
    check_size(path, max_bytes=max_bytes)
    _check_zip(path, max_uncompressed=max_uncompressed, max_ratio=max_ratio)
    import openpyxl  # deferred: only survey imports need it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; all mean the same
        raise TabularFileError(
            f"{path}: cannot be opened as an Excel workbook ({type(exc).__name__}). Open it in "
            "Excel and save it again as .xlsx, or export the responses as CSV."
        ) from None
    try:
        records = _sheet_records(path, _worksheet(path, workbook, sheet))
        header = next(records, None)
        if header is None:
            raise TabularFileError(f"{path}: the sheet is empty; there is no header row.")
        yield [v.strip() for v in header.values], records
    finally:
        workbook.close()


def _check_zip(path: Path, *, max_uncompressed: int, max_ratio: int) -> None:
    """Refuse a zip that would expand absurdly (a "zip bomb") before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularFileError(
            f"{path}: the file is damaged or not really an Excel .xlsx file ({exc}). Export "
            "the responses again, as .xlsx or CSV."
        ) from None
    size = max(path.stat().st_size, 1)
    # A high ratio alone is harmless in a small workbook (a sheet of empty styled cells
    # compresses very well), so it counts only once the expanded size is worth worrying about.
    suspicious = expanded > RATIO_FLOOR and expanded / size > max_ratio
    if expanded > max_uncompressed or suspicious:
        raise TabularFileError(
            f"{path}: the workbook would expand to {expanded / 1e6:,.0f} MB from "
            f"{size / 1e6:,.1f} MB, which is far more than survey responses need; it was not "
            "opened. Export the responses as CSV instead."
        )


def _worksheet(path: Path, workbook, sheet: str | None):
    if sheet is None:
        if not workbook.worksheets:
            raise TabularFileError(f"{path}: the workbook has no worksheets.")
        return workbook.worksheets[0]
    if sheet not in workbook.sheetnames:
        names = ", ".join(repr(n) for n in workbook.sheetnames)
        raise TabularFileError(f"{path}: there is no sheet named {sheet!r} (sheets: {names}).")
    return workbook[sheet]


def _sheet_records(path: Path, worksheet) -> Iterator[Record]:
    # One column past the bound is read, to tell "at the bound" from "beyond it". Rows past the
    # bound are only checked for being empty, which is cheap: openpyxl pads gaps with one tuple.
    declared = worksheet.max_column  # from the sheet's <dimension>; None when it has none
    declared_rows = worksheet.max_row
    if (declared or 0) > MAX_SHEET_COLUMNS or (declared_rows or 0) > MAX_SHEET_ROWS:
        raise TabularFileError(
            f"{path}: the sheet says it spans {declared_rows or 0:,} rows and {declared or 0:,} "
            f"columns; the most read is {MAX_SHEET_ROWS:,} rows and {MAX_SHEET_COLUMNS:,} "
            "columns. Delete the unused rows and columns, or export the responses as CSV."
        )
    width = min(declared, MAX_SHEET_COLUMNS + 1) if declared else MAX_SHEET_COLUMNS + 1
    try:
        # min_row=1 so that row numbers match the sheet even when the first rows are empty.
        rows = worksheet.iter_rows(min_row=1, max_col=width, values_only=True)
        for number, cells in enumerate(rows, 1):
            if cells.count(None) == len(cells):
                continue  # an empty row: counted, skipped, cheaply (most padding is these)
            if number > MAX_SHEET_ROWS:
                raise TabularFileError(
                    f"{path}: the sheet has more than {MAX_SHEET_ROWS:,} rows; no survey export "
                    "needs that many. Check it is the right file, or split it."
                )
            if len(cells) > MAX_SHEET_COLUMNS and cells[MAX_SHEET_COLUMNS] is not None:
                raise TabularFileError(
                    f"{path}, row {number}: there are values beyond column {MAX_SHEET_COLUMNS:,}; "
                    "no survey export needs that many columns. Check it is the right file."
                )
            values = [cell_text(c) for c in cells[:MAX_SHEET_COLUMNS]]
            if any(v.strip() for v in values):
                yield Record(row=number, line=number, values=values, problem=_nul_problem(values))
    except TabularFileError:
        raise
    except Exception as exc:  # damaged sheet XML surfaces only while reading rows
        raise TabularFileError(
            f"{path}: the sheet is damaged and cannot be read ({type(exc).__name__}). Open it "
            "in Excel and save it again, or export the responses as CSV."
        ) from None


def cell_text(value: object) -> str:
    """A spreadsheet cell's value as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)
