"""Reading `{"id": ..., "text": ...}` lines for `inpractice code`, strictly and with line numbers.

The whole file is validated before any coding starts, so a malformed line means nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 2 * 1024**3
MAX_TEXT_CHARS = 1_000_000
# A line holds one record, whose text is at most MAX_TEXT_CHARS; JSON escapes (\uXXXX) can make
# it up to six times longer. Lines are read no longer than this, so a file that is one huge
# line is refused without being read into memory whole.
MAX_LINE_CHARS = 6 * MAX_TEXT_CHARS + 10_000


class JsonlError(ValueError):
    """A problem in an input file, naming the file and line."""


@dataclass
class Record:
    id: str
    text: str
    labels: list[str] | None = None


def read_records(
    path: Path, *, labelled: bool = False, known_codes: set[str] | None = None
) -> list[Record]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise JsonlError(f"{path}: cannot read the file ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise JsonlError(f"{path}: the file is {size:,} bytes; split it into files under 2 GB")
    records: list[Record] = []
    seen: dict[str, int] = {}
    try:
        handle = path.open(encoding="utf-8")
        with handle:
            number = 0
            while line := handle.readline(MAX_LINE_CHARS + 1):
                number += 1
                if len(line) > MAX_LINE_CHARS:
                    raise JsonlError(
                        f"{path}, line {number}: the line is over {MAX_LINE_CHARS:,} characters; "
                        "each line must be one record whose text is at most "
                        f"{MAX_TEXT_CHARS:,} characters"
                    )
                if not line.strip():
                    continue
                records.append(_record(path, number, line, labelled, known_codes, seen))
    except UnicodeDecodeError as exc:
        line = _first_undecodable_line(path)
        where = f"{path}, line {line}" if line else str(path)
        raise JsonlError(
            f"{where}: not UTF-8 text ({exc.reason}); save the file as UTF-8"
        ) from None
    if not records:
        raise JsonlError(f"{path}: no records; each line must be a JSON object with id and text")
    return records


def _record(
    path: Path,
    number: int,
    line: str,
    labelled: bool,
    known_codes: set[str] | None,
    seen: dict[str, int],
) -> Record:
    where = f"{path}, line {number}"
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise JsonlError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise JsonlError(f"{where}: the JSON is nested too deeply to be a record") from None
    except ValueError as exc:  # e.g. a number with more digits than Python will convert
        raise JsonlError(f"{where}: not valid JSON for a record ({exc})") from None
    if not isinstance(row, dict):
        raise JsonlError(
            f'{where}: each line must be a JSON object like {{"id": ..., "text": ...}}'
        )
    if "id" not in row or not isinstance(row["id"], str | int) or isinstance(row["id"], bool):
        raise JsonlError(f'{where}: "id" is missing or is not a string or number')
    record_id = str(row["id"])
    if record_id in seen:
        raise JsonlError(f"{where}: id {record_id!r} is repeated (first on line {seen[record_id]})")
    seen[record_id] = number
    text = row.get("text")
    if not isinstance(text, str):
        raise JsonlError(f'{where}: "text" is missing or is not a string')
    if len(text) > MAX_TEXT_CHARS:
        raise JsonlError(f'{where}: "text" is over {MAX_TEXT_CHARS:,} characters')
    if "\x00" in text:
        raise JsonlError(f'{where}: "text" contains a NUL character')
    if not _encodable(text) or not _encodable(record_id):
        raise JsonlError(f"{where}: contains an unpaired surrogate (\\ud800-\\udfff), not text")
    labels = None
    if labelled:
        labels = row.get("labels")
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise JsonlError(f'{where}: "labels" must be a list of code ids (use [] for none)')
        if known_codes is not None:
            unknown = sorted(set(labels) - known_codes)
            if unknown:
                raise JsonlError(f"{where}: labels not in the codebook: {', '.join(unknown)}")
    return Record(record_id, text, labels)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _first_undecodable_line(path: Path) -> int | None:
    """The number of the first line that is not UTF-8, read in bounded pieces."""
    with path.open("rb") as handle:
        number = 0
        while raw := handle.readline(MAX_LINE_CHARS + 1):
            number += 1
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                # A piece cut mid-character at the read limit is not an error of this line.
                if exc.end < len(raw) or len(raw) <= MAX_LINE_CHARS:
                    return number
    return None
