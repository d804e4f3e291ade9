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
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import chain
from pathlib import Path

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


# Every UTF-8 sequence of two to four bytes. A file that has some of these and also bytes that
# are not UTF-8 mixes two encodings: reading it as Windows-1252 would garble every one of them.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))
# The five bytes Windows-1252 leaves undefined.
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
CHUNK = 1 << 20
# Each byte as Windows-1252 shows it (the five bytes it leaves undefined as Latin-1 does), and
# back: UTF-8 text read as Windows-1252 and saved again ("double encoded") shows each accented
# letter or curly quote as two or three of these characters ("café" as "cafÃ©", "’" as "â€™").
_CP1252_CHAR = {
    b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0x100)
}
_CP1252_BYTE = {ch: b for b, ch in _CP1252_CHAR.items()}
_CONTINUATION = "".join(re.escape(_CP1252_CHAR[b]) for b in range(0x80, 0xC0))
_DOUBLE_ENCODED = re.compile(
    f"[\u00c2-\u00c5][{_CONTINUATION}]|\u00e2[{_CONTINUATION}]{{2}}|\u00ef\u00bb\u00bf"
)
# What a double-encoded sequence must spell to count: Latin letters with accents, punctuation,
# currency (£, €), a non-breaking space, a byte-order mark. Narrow on purpose, so that genuine
# text ("Straße’s") is never taken for it.
_PLAUSIBLE = ((0xA0, 0x17F), (0x2000, 0x21FF), (0xFEFF, 0xFEFF))
# Bytes that could not be decoded are kept as these (Python's "surrogateescape"), so that the
# record and column they are in can be named.
_UNDECODABLE = re.compile("[\udc80-\udcff]")

UTF8 = "UTF-8"
CP1252 = "Windows-1252"


@dataclass(frozen=True)
class Encoding:
    """How a text file was read: `label` for people, `codec` for Python, and if the file cannot
    be read reliably, `problem` (what the bytes at the first bad record are, filled in with the
    record's line and column as it is read)."""

    label: str
    codec: str
    problem: str = ""
    first_bad_line: int = 0
    utf8_line: int = 0  # a line with UTF-8 characters, named when the file mixes encodings


def _line_aligned_chunk(path: Path, fh, lines_before: int) -> bytes:
    """About CHUNK bytes from `fh`, completed to the end of a line (bounded: a line longer than
    any register or export needs is refused here)."""
    chunk = fh.read(CHUNK)
    if chunk and not chunk.endswith(b"\n"):
        limit = 4 * MAX_LINE_CHARS + 4  # bytes: a character is at most four
        rest = fh.readline(limit + 1)
        if len(rest) > limit:
            line = lines_before + chunk.count(b"\n") + 1
            raise TabularFileError(
                f"{path}, line {line}: the line is longer than {MAX_LINE_CHARS:,} characters, "
                "which no row of a register or survey export needs. Check it is the right file."
            )
        chunk += rest
    return chunk


def encoding_line(label: str | None) -> str:
    """The import report's line saying how a text file was read ('' for a workbook)."""
    if label == CP1252:
        return (
            "Read as Windows-1252 text: the file is not UTF-8, and every byte in it is a "
            "Windows-1252 character."
        )
    return "Read as UTF-8 text." if label == UTF8 else ""


def double_encoded(text: str) -> str:
    """The first stretch of `text` that is UTF-8 read as Windows-1252 ("Ã©", "â€™"), or ''."""
    for match in _DOUBLE_ENCODED.finditer(text):
        raw = bytes(_CP1252_BYTE[ch] for ch in match.group())
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if any(low <= ord(decoded) <= high for low, high in _PLAUSIBLE):
            return match.group()
    return ""


def detect_encoding(path: Path) -> Encoding:
    """UTF-8 when the whole file is UTF-8 (with a byte-order mark or not); Windows-1252 only when
    the file is not UTF-8 and every byte is a Windows-1252 character.

    A UTF-8 file with some bytes that are not UTF-8 (one stray Windows-1252 "é" pasted into a
    UTF-8 export) is neither: reading it as Windows-1252 would turn every UTF-8 character into
    two or three wrong ones. It comes back with `problem` set, and is refused by `open_csv` naming
    the line and column of the first bad byte. A file is taken for that when it has at least as
    many UTF-8 characters as bytes that are not UTF-8; a Windows-1252 file has far more of the
    second, and any UTF-8 in it would show as double-encoded text once read, which `open_csv`
    refuses too. GIAS downloads are Windows-1252 and spreadsheets saved by Excel are often either.
    Read line by line so a large file never sits in memory.
    """
    first_invalid = first_not_cp1252 = utf8_line = 0
    utf8_sequences = invalid_bytes = 0
    lines_before = 0  # in the chunks already read
    with path.open("rb") as fh:
        head = fh.read(len(codecs.BOM_UTF8))
        if head == codecs.BOM_UTF8:
            utf8_line, utf8_sequences = 1, 1  # the mark says the file means to be UTF-8
        else:
            fh.seek(0)
        # Chunks end at a line end, so no character is split between two; each is scanned by
        # C code (isascii, regular expressions, translate), and lines are counted only to name
        # the first bad one.
        while chunk := _line_aligned_chunk(path, fh, lines_before):
            if not chunk.isascii():
                # Characters, counted by decoding twice in C: the UTF-8 ones (2 to 4 bytes
                # each) and the bytes that are not UTF-8 (one character each when escaped).
                ascii_count = len(chunk.translate(None, _HIGH_BYTES))
                kept = len(chunk.decode("utf-8", "ignore"))
                escaped = len(chunk.decode("utf-8", "surrogateescape"))
                sequences, invalid = kept - ascii_count, escaped - kept
                utf8_sequences += sequences
                invalid_bytes += invalid
                if sequences and not utf8_line:
                    first = _UTF8_MULTIBYTE.search(chunk).start()
                    utf8_line = lines_before + chunk.count(b"\n", 0, first) + 1
                if invalid and not first_invalid:
                    try:
                        chunk.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        first_invalid = lines_before + chunk.count(b"\n", 0, exc.start) + 1
                if not first_not_cp1252 and (undefined := _NOT_CP1252.search(chunk)):
                    first_not_cp1252 = lines_before + chunk.count(b"\n", 0, undefined.start()) + 1
            lines_before += chunk.count(b"\n")
    if not first_invalid:
        return Encoding(UTF8, "utf-8-sig")
    if utf8_sequences >= invalid_bytes:
        # Mostly UTF-8, with bytes that are not: a Windows-1252 file has far more of those than
        # the odd pair of its characters that happens to spell a UTF-8 one ("Ê”").
        return Encoding(
            UTF8,
            "utf-8-sig",
            problem="is not valid UTF-8, although the rest of the file is UTF-8 (line "
            f"{utf8_line} has UTF-8 characters). The file mixes two encodings (a line pasted "
            "from another file, or edited in another program), so it is neither UTF-8 nor "
            "Windows-1252 throughout and reading it either way would garble its characters. "
            "Correct that line, or open the file in a spreadsheet and save it as 'CSV UTF-8', "
            "then import it again.",
            first_bad_line=first_invalid,
            utf8_line=utf8_line,
        )
    if first_not_cp1252:
        return Encoding(
            CP1252,
            "cp1252",
            problem="is not a character in UTF-8 or in Windows-1252: the text is neither UTF-8 "
            "nor Windows-1252, so its characters cannot be read reliably. Open it in a "
            "spreadsheet and save it as 'CSV UTF-8', then import that.",
            first_bad_line=first_not_cp1252,
        )
    return Encoding(CP1252, "cp1252")


@contextmanager
def open_csv(
    path: Path, *, max_bytes: int
) -> Iterator[tuple[list[str], Iterator[Record], Encoding]]:
    """Open a CSV for streaming: (header, records, encoding), refusing anything that is not CSV
    text, or not text in one encoding.

    Blank rows are skipped but still counted, as a spreadsheet would number them. Short records
    are kept as they are (use `Record.get`); a record with more values than the header has
    columns means broken quoting, and says so in `Record.problem`. A byte that is not valid in
    the file's encoding, or text that is UTF-8 read as Windows-1252 and saved again ("cafÃ©"),
    is refused with the line and column it is on (`TabularFileError`, raised while reading;
    the importers check every row before writing any, so nothing is written).
    """
    check_size(path, max_bytes=max_bytes)
    refuse_non_text(path, sniff(path))
    encoding = detect_encoding(path)
    with path.open(encoding=encoding.codec, errors="surrogateescape", newline="") as fh:
        # strict: a stray quote is an error rather than a value silently merged with the next.
        records = _records(path, csv.reader(_bounded_lines(path, fh), strict=True))
        header = next(records, None)
        if header is None:
            _refuse_undecodable(path, encoding)
            raise TabularFileError(f"{path}: the file has no header row, only blank lines.")
        names = [v.strip() for v in header.values]
        checked = _check_text(path, chain([header], records), names, encoding)
        next(checked)  # the header itself
        yield names, _check_width(checked, len(header.values)), encoding


def _check_text(
    path: Path,
    records: Iterator[Record],
    names: list[str],
    encoding: Encoding | None,
    unit: str = "line",
) -> Iterator[Record]:
    """Pass records through, refusing the first with bytes not valid in `encoding`, or double-
    encoded text, by its line and column."""
    undecodable = bool(encoding and encoding.problem)
    for record in records:
        text = "\x1f".join(record.values)  # one scan per record; most records are plain ASCII
        if text.isascii() or not (
            (undecodable and _UNDECODABLE.search(text)) or _DOUBLE_ENCODED.search(text)
        ):
            yield record
            continue
        for index, value in enumerate(record.values):
            bad = _UNDECODABLE.search(value) if undecodable else None
            garbled = "" if bad else double_encoded(value)
            if not bad and not garbled:
                continue
            at = bad.start() if bad else value.index(garbled)
            where = _place(path, unit, record, index, at, names)
            if bad:
                byte = ord(bad.group()) - 0xDC00
                raise TabularFileError(f"{where}: the byte 0x{byte:02X} {encoding.problem}")
            raise TabularFileError(
                f"{where}: {garbled!r} is UTF-8 text that was read as Windows-1252 and saved "
                f"again (it should be {_repaired(garbled)!r}), so every accented letter and curly "
                "quote in the file is probably garbled. Export the file again from where it "
                "came (as 'CSV UTF-8' for a CSV), without opening and saving it in between."
            )
        yield record
    if encoding and encoding.problem:
        _refuse_undecodable(path, encoding)  # never reached in practice: a record holds the byte


def _refuse_undecodable(path: Path, encoding: Encoding) -> None:
    if encoding.problem:
        raise TabularFileError(
            f"{path}, line {encoding.first_bad_line}: a byte on this line {encoding.problem}"
        )


def _repaired(garbled: str) -> str:
    return bytes(_CP1252_BYTE[ch] for ch in garbled).decode("utf-8")


def _place(path: Path, unit: str, record: Record, index: int, at: int, names: list[str]) -> str:
    """'FILE, line 12, column Town' for a position in one value of a record: a CSV record's
    values may span lines; an XLSX record is one row, whatever its cells hold."""
    name = names[index] if index < len(names) and names[index] else f"{index + 1}"
    number = record.line
    if unit == "line":
        number += sum(v.count("\n") for v in record.values[:index])
        number += record.values[index][:at].count("\n")
    return f"{path}, {unit} {number}, column {name}"


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
) -> Iterator[tuple[list[str], Iterator[Record], None]]:
    """Open an Excel workbook read-only: (header, records, None) from `sheet` or the first sheet
    (None: a workbook has no text encoding to report).

    Cell values become text as a person would type them (whole numbers without ".0", dates in
    ISO form), so CSV and XLSX rows are checked by the same code, double-encoded text included.
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
        names = [v.strip() for v in header.values]
        checked = _check_text(path, chain([header], records), names, None, unit="row")
        next(checked)  # the header itself
        yield names, checked, None
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
