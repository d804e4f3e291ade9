"""The GIAS register importer: both CSV forms, encodings, every refusal, and all-or-nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inpractice.schools import importer
from inpractice.schools.importer import RegisterImportError, import_register
from inpractice.schools.models import LocalAuthority, Phase, Region, School, Trust

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "gias"
GIAS_SAMPLE = FIXTURES / "edubasealldata_sample.csv"
SHORT_SAMPLE = FIXTURES / "schools_short.csv"
SHORT_HEADER = ["urn", "name", "open_date", "town", "postcode"]


def gias_header() -> list[str]:
    with GIAS_SAMPLE.open(encoding="cp1252", newline="") as fh:
        return next(csv.reader(fh))


def gias_row(**values: str) -> dict[str, str]:
    """A valid open primary in Camden; keyword names are GIAS headers with spaces as _."""
    row = {
        "URN": "160001",
        "EstablishmentName": "Test Primary School",
        "LA (code)": "202",
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentTypeGroup (name)": "Local authority maintained schools",
        "EstablishmentStatus (name)": "Open",
        "PhaseOfEducation (name)": "Primary",
        "GOR (name)": "London",
        "Town": "London",
        "Postcode": "NW1 2AA",
        "OpenDate": "01-09-2001",
    }
    row.update({k.replace("_", " "): v for k, v in values.items()})
    return row


def write_gias(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    header = header or gias_header()
    with path.open("w", encoding="cp1252", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_short(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SHORT_HEADER)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def register_state() -> list[tuple]:
    """Everything the importer could write, so "nothing changed" is checked, not just counts."""
    schools = list(School.objects.order_by("urn").values_list())
    trusts = list(Trust.objects.order_by("code").values_list())
    return schools + trusts


def refused(path: Path) -> str:
    """Import `path`, expecting a refusal that leaves the register exactly as it was."""
    before = register_state()
    with pytest.raises(RegisterImportError) as caught:
        import_register(path)
    assert register_state() == before
    return str(caught.value)


# --- The full GIAS form ---------------------------------------------------------------------


@pytest.mark.django_db
def test_gias_form_imports_every_mapped_column():
    report = import_register(GIAS_SAMPLE)

    assert (report.form, report.rows, report.created, report.updated) == ("GIAS", 8, 8, 0)
    assert report.trusts_created == 2
    school = School.objects.get(urn=140001)
    assert school.name == "St Mary's – Ê Church of England Primary School"  # read as cp1252
    assert school.local_authority == LocalAuthority.objects.get(code="202")
    assert school.trust.code == "5001"
    assert school.trust.name == "Brent Knowle Learning Trust"
    assert school.phase == Phase.PRIMARY
    assert school.region == Region.LONDON
    assert (school.town, school.postcode) == ("London", "NW1 1AA")
    assert school.open_date == date(2012, 9, 1)
    assert school.establishment_type == "Academy converter"
    assert school.establishment_group == "Academies"
    assert school.status == "Open"
    assert school.synthetic is False


@pytest.mark.django_db
def test_gias_form_maps_phases_regions_and_trusts():
    import_register(GIAS_SAMPLE)
    phases = dict(School.objects.values_list("urn", "phase"))
    regions = dict(School.objects.values_list("urn", "region"))

    assert phases[140002] == Phase.SECONDARY
    assert phases[140003] == Phase.MIDDLE  # "Middle deemed secondary"
    assert phases[140004] == Phase.ALL_THROUGH
    assert phases[140005] == Phase.SIXTEEN_PLUS
    assert phases[140006] == Phase.NURSERY
    assert phases[140009] == Phase.NOT_APPLICABLE
    assert regions[140002] == Region.YORKSHIRE  # GIAS spells it "Yorkshire and the Humber"
    # "Not Applicable" and an empty GOR fall back to the local authority's region.
    assert regions[140004] == LocalAuthority.objects.get(code="886").region == Region.SOUTH_EAST
    assert regions[140006] == Region.LONDON
    trust = Trust.objects.get(code="5001")
    assert sorted(trust.schools.values_list("urn", flat=True)) == [140001, 140002]


@pytest.mark.django_db
def test_gias_form_skips_wales_and_keeps_closed_schools_of_retired_authorities():
    report = import_register(GIAS_SAMPLE)

    assert report.skipped_not_england == 1
    assert not School.objects.filter(urn=401234).exists()
    closed = School.objects.get(urn=140007)  # LA 835, Dorset before 2019
    assert closed.local_authority is None
    assert closed.status == "Closed" and not closed.is_open
    assert closed.region == Region.SOUTH_WEST
    assert report.without_local_authority == 1
    assert "outside England" in report.summary()


@pytest.mark.django_db
def test_personal_data_columns_are_never_read():
    import_register(GIAS_SAMPLE)
    stored = " ".join(str(v) for row in School.objects.values_list() for v in row)
    for personal in ("Jane", "Smithson", "Khanlow", "02079460000"):
        assert personal not in stored


@pytest.mark.django_db
def test_reimport_updates_in_place_and_counts_unchanged(tmp_path):
    import_register(GIAS_SAMPLE)
    first_ids = dict(School.objects.values_list("urn", "pk"))

    again = import_register(GIAS_SAMPLE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)

    rows = list(csv.DictReader(GIAS_SAMPLE.open(encoding="cp1252", newline="")))
    rows[0]["EstablishmentName"] = "St Mary's Primary Academy"
    rows[1]["Trusts (name)"] = "Brent Knowle Trust"  # the trust renamed itself
    rows[2]["Trusts (code)"], rows[2]["Trusts (name)"] = "5003", "Fen Edge Trust"  # joined one
    changed = import_register(write_gias(tmp_path / "changed.csv", rows))

    assert (changed.created, changed.updated, changed.unchanged) == (0, 2, 6)
    assert (changed.trusts_created, changed.trusts_renamed) == (1, 1)
    assert dict(School.objects.values_list("urn", "pk")) == first_ids
    assert School.objects.get(urn=140001).name == "St Mary's Primary Academy"
    assert Trust.objects.get(code="5001").name == "Brent Knowle Trust"
    assert School.objects.get(urn=140003).trust.code == "5003"


@pytest.mark.django_db
def test_leaving_a_trust_clears_the_link(tmp_path):
    import_register(GIAS_SAMPLE)
    rows = list(csv.DictReader(GIAS_SAMPLE.open(encoding="cp1252", newline="")))
    rows[0]["Trusts (code)"] = rows[0]["Trusts (name)"] = ""
    import_register(write_gias(tmp_path / "left.csv", rows))
    assert School.objects.get(urn=140001).trust is None


@pytest.mark.django_db
def test_register_fixture_schools_become_real_when_imported(register, tmp_path):
    School.objects.filter(urn=100003).update(synthetic=True)
    path = write_gias(tmp_path / "gias.csv", [gias_row(URN="100003", EstablishmentName="Hillside")])
    report = import_register(path)
    assert (report.created, report.updated) == (0, 1)
    school = School.objects.get(urn=100003)
    assert (school.name, school.synthetic) == ("Hillside", False)


# --- The short form ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_short_form_imports_names_towns_postcodes_and_dates():
    report = import_register(SHORT_SAMPLE)

    assert (report.form, report.created) == ("short", 3)
    quoted = School.objects.get(urn=150002)
    assert quoted.name == "Christ Church Primary School, Hampstead"
    assert quoted.open_date is None
    assert School.objects.get(urn=150001).open_date == date(1999, 9, 1)
    assert School.objects.get(urn=150003).open_date == date(2021, 9, 1)  # ISO accepted too
    assert School.objects.get(urn=150003).status == "Open"


@pytest.mark.django_db
def test_short_form_leaves_fields_it_does_not_have_alone(tmp_path):
    import_register(GIAS_SAMPLE)
    path = write_short(
        tmp_path / "short.csv", [["140001", "St Mary's (renamed)", "", "Camden", ""]]
    )
    report = import_register(path)

    assert (report.created, report.updated) == (0, 1)
    school = School.objects.get(urn=140001)
    assert (school.name, school.town, school.postcode) == ("St Mary's (renamed)", "Camden", "")
    assert school.local_authority.code == "202"
    assert school.trust.code == "5001"
    assert school.phase == Phase.PRIMARY


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_read_correctly(tmp_path, encoding):
    name = "St Mary's – Ê Ecole Française"
    import_register(write_short(tmp_path / "s.csv", [["150010", name, "", "Bath", ""]], encoding))
    assert School.objects.get(urn=150010).name == name


@pytest.mark.django_db
def test_blank_lines_and_short_rows_are_tolerated(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("urn,name,open_date,town,postcode\n\n150020,Short Row School\n\n")
    assert import_register(path).created == 1


# --- Refusals: each names the line and column, and writes nothing ------------------------------


@pytest.mark.django_db
def test_zip_given_instead_of_csv(tmp_path):
    path = tmp_path / "edubase.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(GIAS_SAMPLE, "edubasealldata.csv")
    assert "unzip it" in refused(path)


@pytest.mark.django_db
def test_xlsx_given_instead_of_csv(tmp_path):
    path = tmp_path / "schools.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(SHORT_HEADER)
    workbook.save(path)
    assert "Excel .xlsx" in refused(path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\n\n \n", "no header row"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Excel"),
        (b"\xff\xfeu\x00r\x00n\x00", "UTF-16"),
        (b"%PDF-1.7\n", "not a text file"),
        (b"urn,name\n150030,Caf\x81 School\n", "neither UTF-8 nor Windows-1252"),
        (b"postcode,town\nNW1,London\n", "line 1: the header (postcode, town)"),
        (b"urn,name\n", "no schools in England"),
    ],
)
def test_files_that_are_not_register_csvs(tmp_path, content, expected):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    assert expected in refused(path)


@pytest.mark.django_db
def test_missing_file(tmp_path):
    assert "no such file" in refused(tmp_path / "absent.csv")


@pytest.mark.django_db
def test_oversized_file(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 100)
    assert "the most this importer reads is" in refused(GIAS_SAMPLE)


@pytest.mark.django_db
def test_gias_header_missing_columns_names_them(tmp_path):
    header = [h for h in gias_header() if h not in ("Postcode", "OpenDate")]
    message = refused(write_gias(tmp_path / "g.csv", [gias_row()], header=header))
    assert "line 1" in message
    assert "Postcode, OpenDate" in message


@pytest.mark.django_db
@pytest.mark.parametrize("urn", ["12a4", "0", "-5", "", "1.5", "99999999999"])
def test_bad_urn_names_line_column_and_value(tmp_path, urn):
    path = write_gias(tmp_path / "g.csv", [gias_row(), gias_row(URN=urn)])
    assert f"line 3, column URN: {urn!r} is not a URN" in refused(path)


@pytest.mark.django_db
def test_duplicate_urn_names_both_lines(tmp_path):
    rows = [gias_row(), gias_row(URN="160002"), gias_row()]
    message = refused(write_gias(tmp_path / "g.csv", rows))
    assert "line 4, column URN: this line repeats URN 160001 from line 2" in message


@pytest.mark.django_db
def test_unknown_la_code_on_an_open_school(tmp_path):
    path = write_gias(tmp_path / "g.csv", [gias_row(**{"LA (code)": "999"})])
    assert "line 2, column LA (code): '999' is not the code of a local authority" in refused(path)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["31-02-2020", "2020/01/01", "soon"])
def test_bad_open_date(tmp_path, value):
    path = write_gias(tmp_path / "g.csv", [gias_row(OpenDate=value)])
    assert f"line 2, column OpenDate: {value!r} is not a date" in refused(path)


@pytest.mark.django_db
def test_unknown_phase(tmp_path):
    path = write_gias(tmp_path / "g.csv", [gias_row(**{"PhaseOfEducation (name)": "Tertiary"})])
    assert "line 2, column PhaseOfEducation (name): 'Tertiary' is not a known phase" in refused(
        path
    )


@pytest.mark.django_db
def test_too_long_value(tmp_path):
    path = write_short(tmp_path / "s.csv", [["150040", "School", "", "", "NW1 1AA EXTRA"]])
    assert "line 2, column postcode: 13 characters; the most allowed is 10" in refused(path)


@pytest.mark.django_db
def test_unquoted_comma_is_caught(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "urn,name,open_date,town,postcode\n150050,Christ Church, Hampstead,,London,NW3\n"
    )
    assert "line 2: this row has 6 values but the header has 5 columns" in refused(path)


@pytest.mark.django_db
def test_nul_in_the_middle_of_a_big_file(tmp_path):
    rows = [[str(150100 + i), f"School {i}", "", "", ""] for i in range(600)]
    rows[-1][1] = "Broken\x00School"
    message = refused(write_short(tmp_path / "s.csv", rows))
    assert "line 601: this row contains a NUL character" in message


@pytest.mark.django_db
def test_every_problem_is_listed_and_the_list_is_capped(tmp_path):
    rows = [gias_row(URN=str(160100 + i), OpenDate="never") for i in range(25)]
    rows.append(gias_row(URN="x"))
    message = refused(write_gias(tmp_path / "g.csv", rows))
    assert "26 problems found, so nothing was imported" in message
    assert "line 2, column OpenDate" in message
    assert "... and 6 more" in message


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_writes_nothing(tmp_path):
    import_register(GIAS_SAMPLE)
    rows = list(csv.DictReader(GIAS_SAMPLE.open(encoding="cp1252", newline="")))
    for row in rows:
        row["EstablishmentName"] += " (renamed)"
    rows.append(gias_row(URN="160200"))
    rows.append(gias_row(URN="160201", **{"LA (code)": "123"}))
    message = refused(write_gias(tmp_path / "g.csv", rows))
    assert "line 12, column LA (code)" in message
    assert not School.objects.filter(name__endswith="(renamed)").exists()


# --- Properties -------------------------------------------------------------------------------


# The db fixture is function-scoped, so examples share one transaction; each checks its own effect.
PROPERTY = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _outcome(path: Path) -> None:
    """Import must succeed or refuse with its own error; a refusal leaves everything as it was."""
    before = register_state()
    try:
        import_register(path)
    except RegisterImportError:
        assert register_state() == before


@pytest.mark.django_db
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=400) | st.binary(max_size=300).map(lambda b: b"urn,name\n" + b))
def test_arbitrary_bytes_never_crash_or_half_import(tmp_path, content):
    path = tmp_path / "random.csv"
    path.write_bytes(content)
    _outcome(path)


cell = st.text(max_size=12) | st.from_regex(r"1[0-9]{5}", fullmatch=True)


@pytest.mark.django_db
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=6), max_size=6))
def test_arbitrary_rows_never_crash_or_half_import(tmp_path, rows):
    path = tmp_path / "rows.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([SHORT_HEADER, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    before = School.objects.count()
    try:
        report = import_register(path)
    except RegisterImportError:
        assert School.objects.count() == before
    else:
        assert School.objects.count() == before + report.created
        for row in rows:
            if row and row[0].strip().isascii() and row[0].strip().isdigit():
                assert School.objects.get(urn=int(row[0])).name == row[1].strip()
