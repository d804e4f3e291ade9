"""Every importer, fed damaged versions of real files: a clear error or a clean import, never a
crash, a hang or a half-written import.

The inputs start from the real fixtures (a GIAS extract, a survey export as CSV and XLSX, the
default codebook, a .jsonl file) and are damaged by hypothesis: bytes flipped, inserted or cut,
quotes and separators added, lines repeated, the text re-encoded. Each call runs under a watchdog
(a hang fails), and every refusal must leave the database exactly as it was. Row-level problems
must name their line or row. Example counts are bounded so each test takes a few seconds.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inpractice.analysis.codebook import CodebookError, load_codebook
from inpractice.analysis.jsonl import JsonlError, read_records
from inpractice.intake.importer import SubmissionImportError, import_submissions
from inpractice.intake.models import CoveredSchool, Submission
from inpractice.schools.importer import RegisterImportError, import_register
from inpractice.schools.models import School, Trust

from .conftest import within

ROOT = Path(__file__).resolve().parents[2]
GIAS = (ROOT / "tests/fixtures/gias/edubasealldata_sample.csv").read_bytes()
SHORT = (ROOT / "tests/fixtures/gias/schools_short.csv").read_bytes()
RESPONSES = (ROOT / "tests/fixtures/survey/responses.csv").read_bytes()
MAPPING = ROOT / "docs/examples/survey-mapping.yaml"
CODEBOOK = (ROOT / "inpractice/analysis/codebooks/five_principles.yaml").read_bytes()
JSONL = b"".join(
    json.dumps({"id": i, "text": t}).encode() + b"\n"
    for i, t in enumerate(["Pupils start the day in a calm room.", "We train every TA.", "ok"])
)
HANG = 20  # seconds: far beyond any honest run of these small files

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

INTERESTING = [b'"', b",", b"\n", b"\r", b"\r\n", b"\x00", b"\xff", b"\xe9", b"\xef\xbb\xbf",
               b"=1+1", b"9" * 30, b"-1", b"\t", b"{", b"}", b"[", b"]", b":", b"- ", b"&a ",
               b"*a", b"!!python/object:os.system", b"\\ud800", b"\xed\xa0\x80"]  # fmt: skip


@st.composite
def damaged(draw, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "truncate"]))
        # A position as a fraction of the length, so the draw does not depend on the length
        # (generated workbooks differ in size from run to run: zip timestamps).
        at = len(data) * draw(st.integers(0, 9999)) // 10000
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            piece = draw(st.sampled_from(INTERESTING) | st.binary(min_size=1, max_size=8))
            data[at:at] = piece * draw(st.integers(1, 3))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "repeat":
            lines = bytes(data).split(b"\n")
            i = len(lines) * draw(st.integers(0, 9999)) // 10000
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        else:
            del data[at:]
    result = bytes(data)
    encoding = draw(st.sampled_from([None, None, None, "utf-16", "cp1252", "latin-1", "utf-32"]))
    if encoding:
        with contextlib.suppress(UnicodeDecodeError, UnicodeEncodeError):
            result = result.decode("utf-8").encode(encoding)
    return result


def assert_names_rows(message: str, path: Path) -> None:
    assert message.startswith(str(path)), message
    assert "Traceback" not in message
    for line in message.splitlines()[1:]:
        if line.startswith("  ") and not line.strip().startswith("..."):
            # A problem is placed by its line or row, or is about the header row itself.
            assert re.match(r"\s+(line|row) \d+", line, re.IGNORECASE) or "header" in line, line


def register_state() -> list[tuple]:
    return list(School.objects.order_by("urn").values_list()) + list(
        Trust.objects.order_by("code").values_list()
    )


@pytest.mark.django_db
@FUZZ
@given(content=st.one_of(damaged(GIAS), damaged(SHORT)))
def test_gias_register_importer(tmp_path, content):
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(content)
    before = register_state()
    try:
        with within(HANG):
            import_register(path)
    except RegisterImportError as exc:
        assert register_state() == before
        assert_names_rows(str(exc), path)


def submissions_state() -> list[tuple]:
    return list(Submission.objects.order_by("pk").values_list()) + list(
        CoveredSchool.objects.order_by("pk").values_list()
    )


@pytest.mark.django_db
@FUZZ
@given(content=damaged(RESPONSES))
def test_survey_csv_importer(open_call, register, tmp_path, content):
    Submission.objects.filter(call=open_call).delete()  # each example starts from nothing
    path = tmp_path / "responses.csv"
    path.write_bytes(content)
    before = submissions_state()
    try:
        with within(HANG):
            import_submissions(path, call=open_call, mapping_file=MAPPING)
    except SubmissionImportError as exc:
        assert submissions_state() == before
        assert_names_rows(str(exc), path)


def _workbook(cells: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in cells:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fixture_rows() -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(RESPONSES.decode("utf-8-sig"))))


cell_value = st.one_of(
    # Text that a worksheet can hold (openpyxl refuses control characters when writing).
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20),
    st.sampled_from(["=1+1", "#N/A", "", "TRUE", "2025-04-01", "100001, 999999", "x" * 40_000]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)


@st.composite
def workbooks(draw) -> bytes:
    rows = [list(r) for r in _fixture_rows()]
    for _ in range(draw(st.integers(1, 6))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r]) + 2))
        while len(rows[r]) <= c:
            rows[r].append(None)
        rows[r][c] = draw(cell_value)
    data = _workbook(rows)
    if draw(st.booleans()):
        data = draw(damaged(data))  # a damaged zip too, sometimes
    return data


@pytest.mark.django_db
@FUZZ
@given(content=workbooks())
def test_survey_xlsx_importer(open_call, register, tmp_path, content):
    Submission.objects.filter(call=open_call).delete()
    path = tmp_path / "responses.xlsx"
    path.write_bytes(content)
    before = submissions_state()
    try:
        with within(HANG):
            import_submissions(path, call=open_call, mapping_file=MAPPING)
    except SubmissionImportError as exc:
        assert submissions_state() == before
        assert_names_rows(str(exc), path)


structure = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "name", "codes", "children", "examples", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@st.composite
def codebooks(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["damaged", "structure-yaml", "structure-json", "spliced"]))
    if kind == "damaged":
        return ".yaml", draw(damaged(CODEBOOK))
    if kind == "spliced":
        # The real codebook with one code replaced by arbitrary structure.
        raw = yaml.safe_load(CODEBOOK)
        raw["codes"][draw(st.integers(0, len(raw["codes"]) - 1))] = draw(structure)
        return ".yaml", yaml.safe_dump(raw, allow_unicode=True).encode()
    value = draw(structure)
    if kind == "structure-json":
        return ".json", json.dumps(value).encode()
    return ".yaml", yaml.safe_dump(value).encode()


@FUZZ
@given(case=codebooks())
def test_codebook_loader(tmp_path, case):
    suffix, content = case
    path = tmp_path / f"codebook{suffix}"
    path.write_bytes(content)
    try:
        with within(HANG):
            codebook = load_codebook(path)
    except CodebookError as exc:
        message = str(exc)
        assert message.startswith(str(path)), message
        if re.search(r": codes\[\d+\]", message):
            assert re.match(rf"{re.escape(str(path))}, line \d+: codes\[", message), message
    else:
        assert codebook.codes


jsonl_line = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}), st.integers(), st.text(max_size=20)),
    st.builds(
        json.dumps,
        st.dictionaries(
            st.sampled_from(["id", "text", "labels"]),
            st.integers() | st.text(max_size=5) | st.none(),
        ),
    ),
    st.sampled_from(
        [
            '{"id": 1, "text": "x"',
            "[" * 5000 + "]" * 5000,
            '{"id": ' + "1" * 5000 + ', "text": "x"}',
            '{"id": "a", "text": "\\ud800"}',
            '{"id": true, "text": "x"}',
            '{"id": 1.5, "text": "x"}',
            '{"id": "n", "text": NaN}',
            '"just a string"',
            "",
        ]
    ),
    st.text(max_size=30),
)


@FUZZ
@given(lines=st.lists(jsonl_line, max_size=6), mangle=st.booleans(), raw=damaged(JSONL))
def test_jsonl_reader(tmp_path, lines, mangle, raw):
    path = tmp_path / "texts.jsonl"
    path.write_bytes(raw if mangle else "\n".join(lines).encode("utf-8", "surrogatepass"))
    try:
        with within(HANG):
            records = read_records(path)
    except JsonlError as exc:
        message = str(exc)
        assert message.startswith(str(path)), message
        assert re.match(rf"{re.escape(str(path))}(, line \d+)?: ", message), message
    else:
        assert records and all(isinstance(r.text, str) for r in records)
        assert len({r.id for r in records}) == len(records)
