"""Importing survey-tool exports: mapping files, row checks, coverage, idempotence, file guards."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inpractice.intake import importer
from inpractice.intake.choices import Coverage
from inpractice.intake.importer import SubmissionImportError, import_submissions
from inpractice.intake.models import CoveredSchool, Submission, SubmissionStatus

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "docs" / "examples" / "survey-mapping.yaml"
RESPONSES = ROOT / "tests" / "fixtures" / "survey" / "responses.csv"
MAPPING_DATA = yaml.load(MAPPING.read_text(), Loader=importer._MappingLoader)  # noqa: S506
COLUMNS = MAPPING_DATA["columns"]
ORG_TYPE = COLUMNS["organisation_type"]


def fixture_rows() -> tuple[list[str], list[dict[str, str]]]:
    with RESPONSES.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def good_row(response_id: str, **fields: str) -> dict[str, str]:
    """A valid response; keyword names are mapping targets (answers_practice for answers.)."""
    row = {
        "ID": response_id,
        COLUMNS["respondent_email"]: f"person{response_id}@school.example.org",
        ORG_TYPE: "School",
        COLUMNS["urns"]: "100003",
        COLUMNS["answers.practice"]: "We plan lessons so everyone can take part.",
        COLUMNS["answers.impact"]: "More pupils in lessons.",
        COLUMNS["answers.enablers"]: "Time for training.",
    }
    for target, value in fields.items():
        row[COLUMNS[target.replace("answers_", "answers.")]] = value
    return row


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> Path:
    header, _ = fixture_rows()
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_mapping(path: Path, **changes) -> Path:
    data = yaml.load(MAPPING.read_text(), Loader=importer._MappingLoader)  # noqa: S506
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def state() -> list[tuple]:
    return list(Submission.objects.order_by("pk").values_list()) + list(
        CoveredSchool.objects.order_by("pk").values_list()
    )


def refused(path: Path, call, mapping: Path = MAPPING) -> str:
    """Import, expecting a refusal that leaves every submission and covered school as it was."""
    before = state()
    with pytest.raises(SubmissionImportError) as caught:
        import_submissions(path, call=call, mapping_file=mapping)
    assert state() == before
    return str(caught.value)


# --- A good import ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_submitted_submissions(open_call, register):
    report = import_submissions(RESPONSES, call=open_call, mapping_file=MAPPING)

    assert (report.rows, report.created, report.skipped_existing) == (4, 4, 0)
    first = Submission.objects.get(call=open_call, external_id="1")
    assert first.status == SubmissionStatus.SUBMITTED
    assert first.source == "import"
    assert re.fullmatch(r"IP-[A-Z2-9]{4}-[A-Z2-9]{4}", first.reference)
    assert len(first.resume_token_hash) == 64
    assert (first.respondent_name, first.respondent_role) == ("Priya Shah", "SENCO")
    assert first.organisation_type == "school"
    assert first.need_codes == ["ASD", "SLCN"]  # "Speech, language and communication" kept whole
    assert first.phases == ["primary"]
    assert first.practice_types == ["sen_unit"]
    assert (first.consent_publication, first.consent_contact) == ("named", True)
    # 10:15 on 14 April 2025 in London is British Summer Time, 09:15 UTC.
    assert first.submitted_at == datetime(2025, 4, 14, 9, 15, tzinfo=UTC)
    assert first.answer("practice").endswith("Reviewed every half term with families.")
    assert first.answer("advice") == "=Start small"  # stored as given; escaped on export


@pytest.mark.django_db
def test_import_records_coverage_and_flags_unknown_urns(open_call, register):
    report = import_submissions(RESPONSES, call=open_call, mapping_file=MAPPING)
    by_id = {s.external_id: s for s in Submission.objects.filter(call=open_call)}

    def covered(external_id: str) -> list[tuple[int, bool]]:
        return sorted(by_id[external_id].covered_schools.values_list("urn", "in_register"))

    assert by_id["1"].coverage == Coverage.ONE_SCHOOL
    assert covered("1") == [(100003, True)]
    assert by_id["2"].coverage == Coverage.TRUST
    assert by_id["2"].coverage_trust == register["trust"]
    assert covered("2") == [(100001, True), (100002, True)]
    assert by_id["3"].coverage == Coverage.LOCAL_AUTHORITY  # given by name: "Leeds"
    assert by_id["3"].coverage_local_authority == register["leeds"]
    assert covered("3") == [(107001, True), (107002, True)]
    assert by_id["4"].coverage == Coverage.URN_LIST
    assert covered("4") == [(100001, True), (100002, True), (999999, False)]
    unknown = CoveredSchool.objects.get(urn=999999)
    assert unknown.school is None
    assert report.flagged_urns == [(5, 999999)]
    assert "999999" in report.summary()


@pytest.mark.django_db
def test_missing_completion_time_means_now(open_call, register):
    import_submissions(RESPONSES, call=open_call, mapping_file=MAPPING)
    fourth = Submission.objects.get(external_id="4")
    assert abs(fourth.submitted_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_summary_lists_flagged_urns_up_to_a_limit():
    report = importer.SubmissionImportReport(
        path=Path("r.csv"),
        rows=60,
        created=60,
        flagged_urns=[(n + 2, 900000 + n) for n in range(60)],
    )
    summary = report.summary()
    assert "60 URNs not in the school register" in summary
    assert "row 51: 900049" in summary and "900050" not in summary
    assert "and 10 more" in summary


@pytest.mark.django_db
def test_importing_the_same_file_twice_adds_nothing(open_call, register):
    import_submissions(RESPONSES, call=open_call, mapping_file=MAPPING)
    before = state()
    again = import_submissions(RESPONSES, call=open_call, mapping_file=MAPPING)
    assert (again.created, again.skipped_existing, again.flagged_urns) == (0, 4, [])
    assert state() == before


@pytest.mark.django_db
def test_a_later_export_adds_only_new_responses(open_call, register, tmp_path):
    import_submissions(RESPONSES, call=open_call, mapping_file=MAPPING)
    _, rows = fixture_rows()
    later = write_csv(tmp_path / "later.csv", [*rows, good_row("5")])
    report = import_submissions(later, call=open_call, mapping_file=MAPPING)
    assert (report.created, report.skipped_existing) == (1, 4)
    assert Submission.objects.filter(call=open_call).count() == 5


@pytest.mark.django_db
def test_response_without_schools_is_counted(open_call, register, tmp_path):
    path = write_csv(tmp_path / "r.csv", [good_row("1", urns="")])
    report = import_submissions(path, call=open_call, mapping_file=MAPPING)
    assert report.without_schools == 1
    assert Submission.objects.get().coverage == ""


@pytest.mark.django_db
def test_cp1252_csv(open_call, register, tmp_path):
    path = write_csv(tmp_path / "r.csv", [good_row("1", title="Zoë’s “calm” base – Ê")], "cp1252")
    import_submissions(path, call=open_call, mapping_file=MAPPING)
    assert Submission.objects.get().title == "Zoë’s “calm” base – Ê"


# --- XLSX -------------------------------------------------------------------------------------


def write_xlsx(path: Path, rows: list[dict[str, object]], sheet: str = "Sheet1", notes=False):
    header, _ = fixture_rows()
    workbook = openpyxl.Workbook()
    if notes:
        workbook.active.title = "Notes"
        workbook.active.append(["Exported from Microsoft Forms"])
        worksheet = workbook.create_sheet(sheet)
    else:
        worksheet = workbook.active
        worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        worksheet.append([row.get(h) for h in header])
    workbook.save(path)
    return path


@pytest.mark.django_db
def test_xlsx_with_typed_cells_from_a_named_sheet(open_call, register, tmp_path):
    row = good_row("R-1", consent_contact="")
    row[COLUMNS["urns"]] = 100003  # a number cell
    row[COLUMNS["submitted_at"]] = datetime(2025, 1, 10, 9, 30)  # a date cell, GMT
    row[COLUMNS["consent_contact"]] = True  # a boolean cell
    row["ID"] = 17.0  # IDs stored as numbers come back as 17.0
    path = write_xlsx(tmp_path / "r.xlsx", [row], sheet="Responses", notes=True)
    mapping = write_mapping(tmp_path / "m.yaml", sheet="Responses")

    report = import_submissions(path, call=open_call, mapping_file=mapping)

    assert report.created == 1
    submission = Submission.objects.get()
    assert submission.external_id == "17"
    assert submission.submitted_at == datetime(2025, 1, 10, 9, 30, tzinfo=UTC)
    assert submission.consent_contact is True
    assert list(submission.covered_schools.values_list("urn", flat=True)) == [100003]


@pytest.mark.django_db
def test_xlsx_first_sheet_by_default(open_call, register, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [good_row("1"), good_row("2")])
    assert import_submissions(path, call=open_call, mapping_file=MAPPING).created == 2


@pytest.mark.django_db
def test_xlsx_missing_sheet(open_call, register, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [good_row("1")])
    mapping = write_mapping(tmp_path / "m.yaml", sheet="Responses")
    assert "there is no sheet named 'Responses' (sheets: 'Sheet1')" in refused(
        path, open_call, mapping
    )


@pytest.mark.django_db
def test_xlsx_row_errors_use_sheet_row_numbers(open_call, register, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [good_row("1"), good_row("2", organisation_type="Club")])
    assert f"Row 3, column {ORG_TYPE!r}: 'Club'" in refused(path, open_call)


# --- The mapping file -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"id_column": None}, "id_column is required"),
        ({"columns": {**COLUMNS, "organisation_kind": "X"}}, "columns.organisation_kind: not a "),
        ({"columns": {**COLUMNS, "answers.hopes": "X"}},
         "columns.answers.hopes: this call has no question with that key (practice, impact"),
        ({"columns": {k: v for k, v in COLUMNS.items() if k != "answers.practice"}},
         "columns.answers.practice is required"),
        ({"values": {"need_codes": {"ADHD": "ADHD"}}}, "values.need_codes.ADHD: 'ADHD' is not a"),
        ({"values": {"consent_contact": {"Yes": "named"}}}, "values.consent_contact.Yes"),
        ({"values": {"title": {"A": "B"}}}, "values.title: only"),
        ({"colums": {}}, "unknown key 'colums'"),
    ],
)  # fmt: skip
def test_mapping_file_problems_name_the_key(open_call, tmp_path, changes, expected):
    mapping = write_mapping(tmp_path / "m.yaml", **changes)
    assert expected in refused(RESPONSES, open_call, mapping)


@pytest.mark.django_db
def test_mapped_column_missing_from_the_file(open_call, tmp_path):
    columns = {**COLUMNS, "title": "Title of the example"}
    mapping = write_mapping(tmp_path / "m.yaml", columns=columns)
    message = refused(RESPONSES, open_call, mapping)
    assert "columns.title: the column 'Title of the example' is not in the file's header" in message
    assert "did you mean 'Title of your example'?" in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"), [("columns: [unclosed", "not valid YAML"), ("- a list", "key: value")]
)
def test_mapping_file_that_is_not_a_mapping(open_call, tmp_path, text, expected):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(text)
    assert expected in refused(RESPONSES, open_call, mapping)


@pytest.mark.django_db
def test_yes_and_no_in_the_mapping_are_text_not_booleans(open_call, register, tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        MAPPING.read_text()
        + "\n  organisation_type:\n    Yes: school\n    On: trust\n"  # appended under values:
    )
    path = write_csv(tmp_path / "r.csv", [good_row("1", organisation_type="yes")])
    import_submissions(path, call=open_call, mapping_file=mapping)
    assert Submission.objects.get().organisation_type == "school"


@pytest.mark.django_db
def test_header_matching_ignores_case_and_spacing(open_call, register, tmp_path):
    columns = {**COLUMNS, "title": "  title OF your\u00a0example "}
    mapping = write_mapping(tmp_path / "m.yaml", columns=columns)
    path = write_csv(tmp_path / "r.csv", [good_row("1", title="A calm base")])
    import_submissions(path, call=open_call, mapping_file=mapping)
    assert Submission.objects.get().title == "A calm base"


# --- Row checks: each names the row and column, and writes nothing ----------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "column", "expected"),
    [
        ({"organisation_type": "Academy chain"}, "organisation_type",
         "'Academy chain' is not a known organisation type (expected one of: "),
        ({"organisation_type": ""}, "organisation_type", "required, but empty"),
        ({"respondent_email": "not-an-email"}, "respondent_email",
         "'not-an-email' is not an email address"),
        ({"respondent_email": ""}, "respondent_email", "required, but empty"),
        ({"answers_practice": "  "}, "answers.practice", "required, but empty"),
        ({"answers_impact": ""}, "answers.impact", "required, but empty"),
        ({"need_codes": "ASD; Dyscalculia"}, "need_codes",
         "'Dyscalculia' is not a known need code"),
        ({"phases": "Reception"}, "phases", "'Reception' is not a known phase"),
        ({"practice_types": "Nurture group"}, "practice_types", "'Nurture group' is not a known"),
        ({"consent_publication": "Maybe"}, "consent_publication", "'Maybe' is not a known"),
        ({"consent_contact": "Perhaps"}, "consent_contact", "'Perhaps' is not a known yes or no"),
        ({"submitted_at": "last Tuesday"}, "submitted_at", "'last Tuesday' is not a date and time"),
        ({"submitted_at": "31/02/2025 10:00"}, "submitted_at",
         "'31/02/2025 10:00' is not a date and time"),
        ({"urns": "100003, 12ab"}, "urns", "not URNs: '12ab'"),
        ({"urns": "", "trust_code": "TR99999"}, "trust_code",
         "'TR99999' is not the code of a trust in the school register"),
        ({"urns": "", "la_code": "Atlantis"}, "la_code",
         "'Atlantis' is not the three-digit code or the name of a local authority"),
        ({"title": "x" * 151}, "title", "151 characters; the most allowed is 150"),
        ({"answers_advice": "x" * 3001}, "answers.advice",
         "3,001 characters; the most allowed is 3,000"),
    ],
)  # fmt: skip
def test_bad_values_name_row_and_column(open_call, register, tmp_path, fields, column, expected):
    path = write_csv(tmp_path / "r.csv", [good_row("1"), good_row("2", **fields)])
    message = refused(path, open_call)
    assert f"Row 3, column {COLUMNS[column]!r}: {expected}" in message


@pytest.mark.django_db
def test_call_question_lengths_apply(open_call, register, tmp_path):
    open_call.questions[0]["max_length"] = 50
    open_call.save()
    path = write_csv(tmp_path / "r.csv", [good_row("1", answers_practice="y" * 51)])
    assert "51 characters; the most allowed is 50" in refused(path, open_call)


@pytest.mark.django_db
def test_id_problems(open_call, register, tmp_path):
    rows = [good_row("1"), good_row(""), good_row("1")]
    message = refused(write_csv(tmp_path / "r.csv", rows), open_call)
    assert "Row 3, column 'ID': every response needs an ID, but this one is empty" in message
    assert "Row 4, column 'ID': ID '1' repeats row 2" in message


@pytest.mark.django_db
def test_more_than_one_coverage_answer(open_call, register, tmp_path):
    path = write_csv(tmp_path / "r.csv", [good_row("1", trust_code="TR01234")])
    message = refused(path, open_call)
    assert f"Row 2: both {COLUMNS['urns']!r} and {COLUMNS['trust_code']!r} are filled in" in message


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_writes_nothing(open_call, register, tmp_path):
    _, rows = fixture_rows()
    rows.insert(2, good_row("9", organisation_type="Academy chain"))
    message = refused(write_csv(tmp_path / "r.csv", rows), open_call)
    assert message.count("Row ") == 1 and "Row 4, column" in message
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_problem_listing_is_capped(open_call, register, tmp_path):
    rows = [good_row(str(i), respondent_email="nobody") for i in range(60)]
    message = refused(write_csv(tmp_path / "r.csv", rows), open_call)
    assert "60 problems found, so no responses were imported" in message
    assert "Row 51, column" in message and "Row 52, column" not in message
    assert "... and 10 more" in message


# --- File guards ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_oversized_file(open_call, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    assert "the most this importer reads is" in refused(RESPONSES, open_call)


@pytest.mark.django_db
def test_zip_bomb_is_not_opened(open_call, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 12_000_000)
    assert "would expand to 12 MB" in refused(path, open_call)


@pytest.mark.django_db
def test_huge_expansion_is_refused_whatever_the_ratio(open_call, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_UNCOMPRESSED", 1000)
    path = write_xlsx(tmp_path / "r.xlsx", [good_row("1")])
    assert "would expand to" in refused(path, open_call)


@pytest.mark.django_db
def test_zip_that_is_not_a_workbook(open_call, tmp_path):
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("responses.csv", "ID\n1\n")
    assert "cannot be opened as an Excel workbook" in refused(path, open_call)


@pytest.mark.django_db
def test_truncated_workbook(open_call, register, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [good_row("1")])
    path.write_bytes(path.read_bytes()[:1500])
    message = refused(path, open_call)
    assert "damaged" in message or "cannot be opened" in message


@pytest.mark.django_db
def test_old_excel_file(open_call, tmp_path):
    path = tmp_path / "r.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert "old-style Excel (.xls)" in refused(path, open_call)


@pytest.mark.django_db
def test_runaway_field(open_call, register, tmp_path):
    path = write_csv(tmp_path / "r.csv", [good_row("1", answers_practice="z" * 200_000)])
    assert "line 2: not valid CSV (field larger than field limit" in refused(path, open_call)


# --- Properties -------------------------------------------------------------------------------

# The db fixture is function-scoped, so examples share one transaction; each checks its own effect.
PROPERTY = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@PROPERTY
@given(content=st.binary(max_size=400) | st.binary(max_size=400).map(b"PK\x03\x04".__add__))
def test_arbitrary_bytes_never_crash_or_half_import(open_call, tmp_path, content):
    path = tmp_path / "random.xlsx"
    path.write_bytes(content)
    before = state()
    with pytest.raises(SubmissionImportError):
        import_submissions(path, call=open_call, mapping_file=MAPPING)
    assert state() == before


def _cells(target: str):
    """Arbitrary text, mixed with valid answers so that some examples import."""
    valid = {
        "organisation_type": ["School", "Multi-academy trust (MAT)", "other"],
        "respondent_email": ["a@b.example.org"],
        "need_codes": ["ASD", "Autism; SEMH", ""],
        "urns": ["100001", "100003, 999999", ""],
        "submitted_at": ["2025-04-01 10:00", ""],
        "consent_contact": ["Yes", "no", ""],
        "trust_code": ["", "", "TR01234"],
        "la_code": ["", "", "202"],
    }.get(target, ["Some words"])
    return st.sampled_from(valid) | st.text(max_size=8)


row_strategy = st.fixed_dictionaries({header: _cells(target) for target, header in COLUMNS.items()})


@pytest.mark.django_db
@PROPERTY
@given(rows=st.lists(row_strategy, max_size=4))
def test_arbitrary_rows_import_whole_or_not_at_all(open_call, register, tmp_path, rows):
    existing = Submission.objects.count()
    for number, row in enumerate(rows):
        row["ID"] = f"{existing}-{number}"  # fresh IDs, so success means every row is new
    buffer = io.StringIO()
    header, _ = fixture_rows()
    csv.DictWriter(buffer, fieldnames=header).writeheader()
    csv.DictWriter(buffer, fieldnames=header).writerows(rows)
    path = tmp_path / "rows.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    before = state()
    try:
        report = import_submissions(path, call=open_call, mapping_file=MAPPING)
    except SubmissionImportError:
        assert state() == before
    else:
        assert report.created == len(rows)
        assert Submission.objects.count() == existing + len(rows)
