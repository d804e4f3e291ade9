"""Import the school register from Get Information About Schools (GIAS), all or nothing.

Two CSV forms are read, told apart by their header:

- the public GIAS "all establishment data" download (`edubasealldata*.csv`, 139 columns,
  Windows-1252), of which only the columns in `GIAS_COLUMNS` are read. The personal-data
  columns (head teacher names and the like) are never read, so they cannot leak into the
  register;
- a short form `urn,name,open_date,town,postcode`, which updates only those fields.

Every row is checked before anything is written. If any row is wrong the import raises one
`RegisterImportError` listing the problems by line and column, and the database is untouched.
Schools are upserted by URN with bulk queries, so the national file (~50k rows) takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import IntegrityError, connection, transaction

from inpractice.tabular import (
    UTF8,
    Record,
    TabularFileError,
    encoding_line,
    listing,
    open_csv,
    plural,
)

from .models import LocalAuthority, Phase, School, Trust
from .register import REGION_BY_NAME

MAX_BYTES = 200 * 1000 * 1000  # the national file is ~70 MB; anything far bigger is a mistake
MAX_LISTED = 20
MAX_URN = 2**31 - 1  # PositiveIntegerField's ceiling on every supported database
BATCH = 1000

# Model field -> GIAS header. Nothing outside this mapping is ever read from a GIAS file.
GIAS_COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "la_code": "LA (code)",
    "establishment_type": "TypeOfEstablishment (name)",
    "establishment_group": "EstablishmentTypeGroup (name)",
    "status": "EstablishmentStatus (name)",
    "phase": "PhaseOfEducation (name)",
    "trust_code": "Trusts (code)",
    "trust_name": "Trusts (name)",
    "region": "GOR (name)",
    "town": "Town",
    "postcode": "Postcode",
    "open_date": "OpenDate",
}
SHORT_COLUMNS = {name: name for name in ("urn", "name", "open_date", "town", "postcode")}
SHORT_REQUIRED = ("urn", "name")

# School fields each form sets; the short form leaves everything else as it was.
GIAS_FIELDS = (
    "name", "local_authority_id", "trust_id", "phase", "establishment_type",
    "establishment_group", "status", "region", "town", "postcode", "open_date", "synthetic",
)  # fmt: skip
SHORT_FIELDS = ("name", "town", "postcode", "open_date", "synthetic")

PHASES = {
    "nursery": Phase.NURSERY,
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.MIDDLE,
    "middle deemed secondary": Phase.MIDDLE,
    "secondary": Phase.SECONDARY,
    "all-through": Phase.ALL_THROUGH,
    "16 plus": Phase.SIXTEEN_PLUS,
    "not applicable": Phase.NOT_APPLICABLE,
    "": "",
}

# GIAS also lists Welsh schools and establishments overseas. LA code 000 is "Does not apply",
# 6xx are Welsh authorities and 7xx overseas (BFPO, Gibraltar...).
NOT_ENGLAND_TYPES = {"welsh establishment", "british schools overseas", "offshore schools"}
NOT_ENGLAND_GROUPS = {"welsh schools"}

DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


class RegisterImportError(Exception):
    """The file cannot be imported; the message says where and what to do. Nothing was written."""


@dataclass
class ImportReport:
    path: Path
    form: str  # "GIAS" or "short"
    encoding: str = UTF8  # how the text was read: UTF8 or CP1252
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    trusts_created: int = 0
    trusts_renamed: int = 0
    skipped_not_england: int = 0
    without_local_authority: int = 0  # closed schools whose LA code has since been retired

    def summary(self) -> str:
        lines = [
            f"Read {plural(self.rows, 'school')} from {self.path.name} ({self.form} form): "
            f"{self.created:,} added, {self.updated:,} updated, {self.unchanged:,} unchanged.",
        ]
        lines.append(encoding_line(self.encoding))
        if self.form == "GIAS":
            lines.append(f"Trusts: {self.trusts_created:,} added, {self.trusts_renamed:,} renamed.")
        if self.skipped_not_england:
            lines.append(
                f"Skipped {plural(self.skipped_not_england, 'establishment')} outside England "
                "(Welsh, overseas or offshore)."
            )
        if self.without_local_authority:
            lines.append(
                f"{plural(self.without_local_authority, 'closed school')} with an LA code no "
                "longer in use imported without a local authority."
            )
        return "\n".join(lines)


@dataclass
class SchoolRow:
    """One checked row; `values` holds only the school fields its form sets."""

    line: int
    urn: int
    values: dict[str, object]
    trust: tuple[str, str] | None = None  # (code, name)


@dataclass
class _Layout:
    form: str
    index: dict[str, int]

    @property
    def headers(self) -> dict[str, str]:
        return GIAS_COLUMNS if self.form == "GIAS" else SHORT_COLUMNS


def import_register(path: Path, *, progress: Callable[[str], None] | None = None) -> ImportReport:
    """Check every row of a GIAS CSV, then add or update all its schools in one transaction."""
    path = Path(path)
    say = progress or (lambda _msg: None)
    try:
        with open_csv(path, max_bytes=MAX_BYTES) as (header, records, encoding):
            layout = _layout(path, header)
            checker = _RowChecker(layout, _local_authorities())
            report = ImportReport(path=path, form=layout.form, encoding=encoding.label)
            rows = checker.check_all(records, report)
            report.without_local_authority = checker.retired_la
    except TabularFileError as exc:
        raise RegisterImportError(str(exc)) from None
    if checker.errors:
        raise RegisterImportError(_problems(path, checker.errors))
    if not rows:
        raise RegisterImportError(f"{path}: there are no schools in England in the file.")
    say(f"Checked {report.rows:,} rows; writing the register.")
    try:
        with transaction.atomic():
            _write(rows, layout.form, report)
    except IntegrityError as exc:
        # Only another import running at the same moment can cause this; ours rolled back.
        raise RegisterImportError(
            f"{path}: the register changed while importing ({exc}); nothing was imported. "
            "Run the import again."
        ) from None
    return report


def _layout(path: Path, header: list[str]) -> _Layout:
    """Tell the GIAS form from the short form by the header, naming any missing columns."""
    position = {name: i for i, name in reversed(list(enumerate(header)))}
    lower = {name.lower(): i for name, i in position.items()}
    if "EstablishmentName" in position or "LA (code)" in position:
        missing = [h for h in GIAS_COLUMNS.values() if h not in position]
        if missing:
            raise RegisterImportError(
                f"{path}, line 1: this looks like a GIAS establishment file but it lacks the "
                f"columns {', '.join(missing)}. Download 'all establishment data' from GIAS again "
                "without removing columns."
            )
        return _Layout("GIAS", {f: position[h] for f, h in GIAS_COLUMNS.items()})
    if all(name in lower for name in SHORT_REQUIRED):
        return _Layout("short", {f: lower[h] for f, h in SHORT_COLUMNS.items() if h in lower})
    shown = ", ".join(header[:6]) + (", ..." if len(header) > 6 else "")
    raise RegisterImportError(
        f"{path}, line 1: the header ({shown}) is neither the GIAS 'all establishment data' "
        f"form (URN, EstablishmentName, LA (code), ...) nor the short form "
        f"urn,name,open_date,town,postcode. Check that this is the right file."
    )


def _local_authorities() -> dict[str, tuple[int, str]]:
    return {code: (pk, region) for pk, code, region in LocalAuthority.objects.values_list(
        "pk", "code", "region"
    )}  # fmt: skip


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class _RowChecker:
    """Checks rows one by one, collecting every problem rather than stopping at the first."""

    def __init__(self, layout: _Layout, las: dict[str, tuple[int, str]]):
        self.layout = layout
        self.las = las
        self.errors: list[str] = []
        self.seen: dict[int, int] = {}  # URN -> line it was first seen on
        self.retired_la = 0

    def check_all(self, records: Iterable[Record], report: ImportReport) -> list[SchoolRow]:
        rows = []
        for record in records:
            if record.problem:
                self.errors.append(f"line {record.line}: {record.problem}")
                continue
            if self.layout.form == "GIAS" and self._outside_england(record):
                report.skipped_not_england += 1
                continue
            report.rows += 1
            row = self._check(record)
            if row is not None:
                rows.append(row)
        return rows

    def _cell(self, record: Record, name: str) -> str:
        index = self.layout.index.get(name)
        return "" if index is None else record.get(index)

    def _error(self, record: Record, name: str, message: str) -> None:
        self.errors.append(f"line {record.line}, column {self.layout.headers[name]}: {message}")

    def _outside_england(self, record: Record) -> bool:
        la_code = self._cell(record, "la_code")
        return (
            self._cell(record, "establishment_type").lower() in NOT_ENGLAND_TYPES
            or self._cell(record, "establishment_group").lower() in NOT_ENGLAND_GROUPS
            or la_code == "000"
            or (len(la_code) == 3 and la_code[0] in "67")
        )

    def _check(self, record: Record) -> SchoolRow | None:
        before = len(self.errors)
        urn = self._urn(record)
        values: dict[str, object] = {"synthetic": False}
        for name, model_field in (("name", "name"), ("town", "town"), ("postcode", "postcode")):
            values[model_field] = self._text(record, name, School, model_field)
        if not values["name"]:
            self._error(record, "name", "the school has no name")
        values["open_date"] = self._date(record)
        trust = None
        if self.layout.form == "GIAS":
            values |= self._gias_values(record)
            trust = self._trust(record)
        if len(self.errors) > before or urn is None:
            return None
        return SchoolRow(line=record.line, urn=urn, values=values, trust=trust)

    def _urn(self, record: Record) -> int | None:
        raw = self._cell(record, "urn")
        # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
        if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_URN:
            self._error(record, "urn", f"{raw!r} is not a URN (a positive whole number)")
            return None
        urn = int(raw)
        if urn in self.seen:
            self._error(record, "urn", f"this line repeats URN {urn} from line {self.seen[urn]}")
            return None
        self.seen[urn] = record.line
        return urn

    def _text(self, record: Record, name: str, model, model_field: str) -> str:
        value = self._cell(record, name)
        limit = _limit(model, model_field)
        if len(value) > limit:
            self._error(record, name, f"{len(value)} characters; the most allowed is {limit}")
        return value

    def _date(self, record: Record) -> date | None:
        raw = self._cell(record, "open_date")
        if not raw:
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
        self._error(record, "open_date", f"{raw!r} is not a date (expected DD-MM-YYYY)")
        return None

    def _gias_values(self, record: Record) -> dict[str, object]:
        values: dict[str, object] = {
            "establishment_type": self._text(
                record, "establishment_type", School, "establishment_type"
            ),
            "establishment_group": self._text(
                record, "establishment_group", School, "establishment_group"
            ),
            "status": self._text(record, "status", School, "status"),
        }
        phase = self._cell(record, "phase")
        if phase.lower() not in PHASES:
            known = ", ".join(p for p in PHASES if p)
            self._error(record, "phase", f"{phase!r} is not a known phase (expected: {known})")
        values["phase"] = PHASES.get(phase.lower(), "")
        values["local_authority_id"], la_region = self._local_authority(record, values["status"])
        region = self._cell(record, "region")
        values["region"] = REGION_BY_NAME.get(region.lower(), la_region)
        return values

    def _local_authority(self, record: Record, status: object) -> tuple[int | None, str]:
        code = self._cell(record, "la_code")
        if not code:
            return None, ""
        if code in self.las:
            return self.las[code]
        # A closed school keeps the code of an authority since merged away (e.g. 835 Dorset);
        # it is still worth knowing its URN, so it is kept without a local authority.
        if str(status).lower().startswith("closed"):
            self.retired_la += 1
            return None, ""
        self._error(
            record,
            "la_code",
            f"{code!r} is not the code of a local authority in England; check the file is "
            "the GIAS download",
        )
        return None, ""

    def _trust(self, record: Record) -> tuple[str, str] | None:
        code = self._text(record, "trust_code", Trust, "code")
        name = self._text(record, "trust_name", Trust, "name")
        if not code:
            return None
        if not name:
            self._error(record, "trust_name", f"trust {code} has no name")
        return code, name


def _problems(path: Path, errors: list[str]) -> str:
    return (
        f"{path}: {plural(len(errors), 'problem')} found, so nothing was imported. "
        f"Correct the file and import it again.\n{listing(errors, MAX_LISTED)}"
    )


def _write(rows: list[SchoolRow], form: str, report: ImportReport) -> None:
    if form == "GIAS":
        trust_ids = _upsert_trusts(rows, report)
        for row in rows:
            row.values["trust_id"] = trust_ids[row.trust[0]] if row.trust else None
    fields = GIAS_FIELDS if form == "GIAS" else SHORT_FIELDS
    existing = {
        urn: (pk, values)
        for pk, urn, *values in School.objects.values_list("pk", "urn", *fields).iterator()
    }
    new, changed = [], []
    for row in rows:
        wanted = [row.values[f] for f in fields]
        if row.urn not in existing:
            new.append(School(urn=row.urn, **dict(zip(fields, wanted, strict=True))))
            continue
        pk, current = existing[row.urn]
        if current == wanted:
            report.unchanged += 1
        else:
            changed.append((pk, wanted))
    School.objects.bulk_create(new, batch_size=BATCH)
    _update_schools(changed, fields)
    report.created, report.updated = len(new), len(changed)


def _update_schools(changed: list[tuple[int, list]], fields: tuple[str, ...]) -> None:
    """One parametrised UPDATE per changed school, sent with executemany.

    Django's bulk_update builds a CASE WHEN per field per batch, which took ~30 s for 12k
    schools on SQLite; executemany takes under a second there, and psycopg 3 pipelines it on
    PostgreSQL.
    """
    if not changed:
        return
    quote = connection.ops.quote_name
    model_fields = [School._meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in model_fields)
    # Identifiers come from the model's metadata and every value is a parameter.
    table, pk_column = quote(School._meta.db_table), quote(School._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(v, connection) for f, v in zip(model_fields, values, strict=True)]
        + [pk]
        for pk, values in changed
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _upsert_trusts(rows: list[SchoolRow], report: ImportReport) -> dict[str, int]:
    """Add trusts new to the register and rename changed ones; the file's last name wins."""
    wanted = dict(row.trust for row in rows if row.trust)
    # All trusts, not `code__in`: the national file names thousands, past SQLite's query limits.
    existing = {t.code: t for t in Trust.objects.all() if t.code in wanted}
    renamed = []
    for code, trust in existing.items():
        if trust.name != wanted[code]:
            trust.name = wanted[code]
            renamed.append(trust)
    added = [Trust(code=c, name=n) for c, n in wanted.items() if c not in existing]
    Trust.objects.bulk_create(added, batch_size=BATCH)
    Trust.objects.bulk_update(renamed, fields=["name"], batch_size=BATCH)
    report.trusts_created, report.trusts_renamed = len(added), len(renamed)
    return dict(Trust.objects.values_list("code", "pk"))
