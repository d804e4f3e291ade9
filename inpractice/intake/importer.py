"""Import responses exported from a survey tool (CSV or XLSX) as submissions, all or nothing.

A call for evidence may also run on Microsoft Forms, SmartSurvey or Citizen Space. Their exports
are brought in with a YAML *mapping file* (see docs/importing.md) that says which column holds
which submission field and how the tool's answer wording maps onto our choices.

Every row is checked as the web form would check it. If any row is wrong, one
`SubmissionImportError` lists every problem by row and column as a person sees them in the
spreadsheet, and nothing is written. Rows are keyed by the tool's response ID, so importing the
same export twice adds nothing the second time. URNs that are not in the school register are not
errors: they are kept, flagged on the covered school, and listed in the report.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from inpractice.schools.models import LocalAuthority, School, Trust
from inpractice.tabular import (
    Record,
    TabularFileError,
    encoding_line,
    listing,
    open_csv,
    open_xlsx,
    plural,
    sniff,
)

from .choices import Coverage, NeedCode, OrganisationType, Phase, PracticeType, PublicationConsent
from .coverage import UrnListError, parse_urns, schools_for
from .models import (
    CallForEvidence,
    CoveredSchool,
    Submission,
    SubmissionStatus,
    new_reference,
)
from .signals import submissions_arrived

MAX_BYTES = 50 * 1000 * 1000
MAX_UNCOMPRESSED = 200 * 1000 * 1000
MAX_MAPPING_BYTES = 1000 * 1000
MAX_LISTED = 50
LONDON = ZoneInfo("Europe/London")
SOURCE = "import"

TEXT_FIELDS = (
    "respondent_name", "respondent_email", "respondent_role", "organisation_name",
    "organisation_type_other", "title", "need_description", "practice_type_other",
)  # fmt: skip
CHOICE_FIELDS = {
    "organisation_type": (OrganisationType, "organisation type"),
    "consent_publication": (PublicationConsent, "publication consent"),
}
MULTI_FIELDS = {
    "need_codes": (NeedCode, "need code"),
    "practice_types": (PracticeType, "type of practice"),
    "phases": (Phase, "phase"),
}
COVERAGE_FIELDS = ("urns", "trust_code", "la_code")
OTHER_FIELDS = ("consent_contact", "submitted_at")
REQUIRED_TARGETS = ("organisation_type", "respondent_email", "answers.practice")
MAPPING_KEYS = {"sheet", "id_column", "columns", "values", "date_format"}

YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False,
          "0": False}  # fmt: skip
# Day first: these are English survey tools' exports. ISO 8601 is tried before all of them.
DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M",
    "%d/%m/%y", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y",
)  # fmt: skip
MULTI_SEPARATORS = re.compile(r"[;\n\r]+")


class SubmissionImportError(Exception):
    """The responses cannot be imported; the message says where and what to do. Nothing written."""


@dataclass
class SubmissionImportReport:
    path: Path
    rows: int = 0
    encoding: str | None = None  # how a CSV's text was read (UTF8 or CP1252); None for XLSX
    created: int = 0
    skipped_existing: int = 0
    without_schools: int = 0
    flagged_urns: list[tuple[int, int]] = field(default_factory=list)  # (row, URN)

    def summary(self) -> str:
        lines = [
            f"Read {plural(self.rows, 'response')} from {self.path.name}: "
            f"{self.created:,} imported, {self.skipped_existing:,} already imported and skipped."
        ]
        if self.encoding:
            lines.append(encoding_line(self.encoding))
        if self.without_schools:
            lines.append(f"{plural(self.without_schools, 'imported response')} naming no schools.")
        if self.flagged_urns:
            listed = ", ".join(f"row {row}: {urn}" for row, urn in self.flagged_urns[:MAX_LISTED])
            if len(self.flagged_urns) > MAX_LISTED:
                listed += f" and {len(self.flagged_urns) - MAX_LISTED:,} more"
            lines.append(
                f"{plural(len(self.flagged_urns), 'URN')} not in the school register, kept and "
                f"flagged for checking ({listed})."
            )
        return "\n".join(lines)


def normalise(text: str) -> str:
    """Text compared loosely: case, repeated and non-breaking spaces do not matter."""
    return " ".join(str(text).split()).casefold()


# --- The mapping file -------------------------------------------------------------------------


class _MappingLoader(yaml.SafeLoader):
    """YAML that reads only true/false as booleans.

    YAML 1.1 turns Yes, No, On and Off into booleans, but those are exactly the answers survey
    tools export, and `Yes: named` must map the text "Yes".
    """


_MappingLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_MappingLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _Vocabulary:
    """The answers one field accepts: its codes, its labels and the mapping's own wording."""

    def __init__(self, options: dict[str, object], noun: str, expected: Iterable[str]):
        self.options = {normalise(k): v for k, v in options.items()}
        self.noun = noun
        self.expected = list(expected)

    @classmethod
    def of_choices(cls, choices, noun: str) -> _Vocabulary:
        options = {value: value for value in choices.values}
        options |= {label: value for value, label in choices.choices}
        return cls(options, noun, [str(label) for label in choices.labels])

    def with_answers(self, answers: dict[str, object]) -> _Vocabulary:
        merged = _Vocabulary({}, self.noun, list(answers) + self.expected)
        merged.options = self.options | {normalise(k): v for k, v in answers.items()}
        return merged

    def match(self, text: str) -> object | None:
        return self.options.get(normalise(text))

    def complaint(self, text: str, field_name: str) -> str:
        return (
            f"{text!r} is not a known {self.noun} (expected one of: "
            f"{'; '.join(self.expected)}; or add it under values.{field_name} in the mapping file)"
        )


def _base_vocabularies() -> dict[str, _Vocabulary]:
    vocab = {f: _Vocabulary.of_choices(c, noun) for f, (c, noun) in CHOICE_FIELDS.items()}
    vocab |= {f: _Vocabulary.of_choices(c, noun) for f, (c, noun) in MULTI_FIELDS.items()}
    vocab["consent_contact"] = _Vocabulary(YES_NO, "yes or no answer", ["Yes", "No"])
    return vocab


@dataclass
class Mapping:
    id_column: str
    columns: dict[str, str]  # target field -> source header
    vocabularies: dict[str, _Vocabulary]
    sheet: str | None = None
    date_format: str | None = None


def load_mapping(path: Path, call: CallForEvidence) -> Mapping:
    """Read and check a mapping file against the call's questions; errors name the key."""
    data = _read_yaml(path)
    problems = [f"unknown key {k!r} (known keys: {', '.join(sorted(MAPPING_KEYS))})"
                for k in data if k not in MAPPING_KEYS]  # fmt: skip
    id_column = data.get("id_column")
    if not isinstance(id_column, str) or not id_column.strip():
        problems.append("id_column is required: the column holding each response's unique ID")
    columns = _check_columns(data.get("columns"), call, problems)
    vocabularies = _check_values(data.get("values"), problems)
    for key in ("sheet", "date_format"):
        if data.get(key) is not None and not isinstance(data[key], str):
            problems.append(f"{key} must be text")
    if problems:
        raise SubmissionImportError(
            f"{path}: the mapping file has problems:\n" + "\n".join(f"  {p}" for p in problems)
        )
    return Mapping(str(id_column).strip(), columns, vocabularies, data.get("sheet"),
                   data.get("date_format"))  # fmt: skip


def _read_yaml(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise SubmissionImportError(f"{path}: too large to be a mapping file.")
        text = path.read_text(encoding="utf-8-sig")
        data = yaml.load(text, Loader=_MappingLoader)  # noqa: S506 - a SafeLoader subclass
    except OSError as exc:
        raise SubmissionImportError(f"{path}: cannot read the mapping file ({exc}).") from None
    except UnicodeDecodeError:
        raise SubmissionImportError(f"{path}: the mapping file must be UTF-8 text.") from None
    except yaml.YAMLError as exc:
        raise SubmissionImportError(f"{path}: the mapping file is not valid YAML:\n{exc}") from None
    if not isinstance(data, dict):
        raise SubmissionImportError(
            f"{path}: the mapping file must be a set of `key: value` lines (see docs/importing.md)."
        )
    return data


def _targets(call: CallForEvidence) -> set[str]:
    fixed = set(TEXT_FIELDS) | set(CHOICE_FIELDS) | set(MULTI_FIELDS) | set(COVERAGE_FIELDS)
    return fixed | set(OTHER_FIELDS) | {f"answers.{q['key']}" for q in call.questions}


def _check_columns(columns: object, call: CallForEvidence, problems: list[str]) -> dict[str, str]:
    if not isinstance(columns, dict):
        problems.append('columns is required: a list of `field: "Column header"` lines')
        return {}
    known = _targets(call)
    checked = {}
    for target, header in columns.items():
        if str(target).startswith("answers.") and target not in known:
            keys = ", ".join(q["key"] for q in call.questions)
            problems.append(f"columns.{target}: this call has no question with that key ({keys})")
        elif target not in known:
            hint = difflib.get_close_matches(str(target), known, n=1)
            problems.append(
                f"columns.{target}: not a submission field"
                + (f" (did you mean {hint[0]}?)" if hint else "")
            )
        elif not isinstance(header, str | int) or not str(header).strip():
            problems.append(f"columns.{target}: give the column header as text")
        else:
            checked[target] = str(header).strip()
    problems.extend(f"columns.{t} is required" for t in REQUIRED_TARGETS if t not in columns)
    return checked


def _check_values(values: object, problems: list[str]) -> dict[str, _Vocabulary]:
    vocab = _base_vocabularies()
    if values is None:
        return vocab
    if not isinstance(values, dict):
        problems.append("values must map field names to `answer: value` lines")
        return vocab
    for target, answers in values.items():
        if target not in vocab:
            problems.append(f"values.{target}: only {', '.join(vocab)} take value maps")
        elif not isinstance(answers, dict):
            problems.append(f"values.{target}: give `answer: value` lines")
        else:
            vocab[target] = vocab[target].with_answers(
                _resolve_answers(target, answers, vocab[target], problems)
            )
    return vocab


def _resolve_answers(
    target: str, answers: dict, base: _Vocabulary, problems: list[str]
) -> dict[str, object]:
    """Each mapped answer's value, which must itself be a valid code, label or yes/no."""
    resolved = {}
    for answer, value in answers.items():
        meant = value if isinstance(value, bool) else base.match(str(value))
        if meant is None or (target == "consent_contact") != isinstance(meant, bool):
            problems.append(
                f"values.{target}.{answer}: {value!r} is not a valid {base.noun} "
                f"(expected one of: {'; '.join(base.expected)})"
            )
        else:
            resolved[str(answer)] = meant
    return resolved


# --- Reading and checking rows ----------------------------------------------------------------


@dataclass
class _Response:
    row: int
    external_id: str
    fields: dict[str, object]
    coverage: str = ""
    schools: list[tuple[int, School | None]] = field(default_factory=list)


def _open_table(path: Path, mapping: Mapping) -> AbstractContextManager:
    kind = sniff(path) if path.is_file() else "text"  # a missing file is reported by open_csv
    if kind == "zip":
        return open_xlsx(
            path, sheet=mapping.sheet, max_bytes=MAX_BYTES, max_uncompressed=MAX_UNCOMPRESSED
        )
    if kind == "ole2":
        raise TabularFileError(
            f"{path}: is an old-style Excel (.xls) file. Save it as .xlsx or as 'CSV UTF-8'."
        )
    return open_csv(path, max_bytes=MAX_BYTES)


def _locate(path: Path, mapping: Mapping, header: list[str]) -> dict[str, int]:
    """Each mapped target's column index, or one error naming every header not found."""
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        positions.setdefault(normalise(name), []).append(i)
    wanted = {"id_column": mapping.id_column} | {
        f"columns.{t}": h for t, h in mapping.columns.items()
    }
    index, problems = {}, []
    for key, source in wanted.items():
        found = positions.get(normalise(source), [])
        if len(found) == 1:
            index[key.removeprefix("columns.")] = found[0]
            continue
        if found:
            problems.append(f"{key}: the column {source!r} appears {len(found)} times in the file")
            continue
        hint = difflib.get_close_matches(source, header, n=1, cutoff=0.6)
        problems.append(
            f"{key}: the column {source!r} is not in the file's header"
            + (f" (did you mean {hint[0]!r}?)" if hint else "")
        )
    if problems:
        raise SubmissionImportError(
            f"{path}: the file does not match the mapping file:\n"
            + "\n".join(f"  {p}" for p in problems)
        )
    return index


class _RowChecker:
    """Checks rows as the web form would, collecting every problem rather than the first."""

    def __init__(self, call: CallForEvidence, mapping: Mapping, header: list[str], index):
        self.call, self.mapping, self.header, self.index = call, mapping, header, index
        self.errors: list[str] = []
        self.seen: dict[str, int] = {}
        self.trusts = {normalise(t.code): t for t in Trust.objects.all()}
        self.las = {normalise(la.code): la for la in LocalAuthority.objects.all()}
        self.las |= {normalise(la.name): la for la in self.las.values()}
        self.trust_schools: dict[int, list[tuple[int, School | None]]] = {}

    def check_all(self, records: Iterable[Record]) -> list[_Response]:
        responses = []
        for record in records:
            if record.problem:
                self.errors.append(f"Row {record.row}: {record.problem}")
                continue
            before = len(self.errors)
            response = self._check(record)
            if len(self.errors) == before:
                responses.append(response)
        return responses

    def _cell(self, record: Record, target: str) -> str:
        return record.get(self.index[target]) if target in self.index else ""

    def _error(self, record: Record, target: str, message: str) -> None:
        header = self.header[self.index[target]]
        self.errors.append(f"Row {record.row}, column {header!r}: {message}")

    def _check(self, record: Record) -> _Response:
        fields: dict[str, object] = {}
        for target in TEXT_FIELDS:
            if target in self.index:
                fields[target] = self._text(record, target)
        for target in CHOICE_FIELDS:
            fields[target] = self._choice(record, target)
        for target in MULTI_FIELDS:
            fields[target] = self._multi(record, target)
        fields["consent_contact"] = self._choice(record, "consent_contact", default=None)
        fields["answers"] = self._answers(record)
        fields["submitted_at"] = self._when(record)
        self._required(record, fields)
        response = _Response(row=record.row, external_id=self._external_id(record), fields=fields)
        self._coverage(record, response)
        return response

    def _limit(self, target: str) -> int:
        if target.startswith("answers."):
            question = self.call.question(target.removeprefix("answers.")) or {}
            return int(question.get("max_length") or 10000)
        return Submission._meta.get_field(target).max_length

    def _text(self, record: Record, target: str) -> str:
        value = self._cell(record, target)
        limit = self._limit(target)
        if len(value) > limit:
            self._error(record, target, f"{len(value):,} characters; the most allowed is {limit:,}")
        return value

    def _choice(self, record: Record, target: str, default: object = "") -> object:
        text = self._cell(record, target)
        if not text:
            return default
        value = self.mapping.vocabularies[target].match(text)
        if value is None:
            self._error(record, target, self.mapping.vocabularies[target].complaint(text, target))
            return default
        return value

    def _multi(self, record: Record, target: str) -> list[str]:
        vocab = self.mapping.vocabularies[target]
        chosen: dict[str, None] = {}
        for piece in MULTI_SEPARATORS.split(self._cell(record, target)):
            values, bad = _split_commas(piece, vocab)
            chosen.update(dict.fromkeys(values))
            for text in bad:
                self._error(record, target, vocab.complaint(text, target))
        return list(chosen)

    def _answers(self, record: Record) -> dict[str, str]:
        return {
            target.removeprefix("answers."): self._text(record, target)
            for target in self.index
            if target.startswith("answers.")
        }

    def _required(self, record: Record, fields: dict[str, object]) -> None:
        if not self._cell(record, "organisation_type"):  # an unknown answer is reported apart
            self._error(record, "organisation_type", "required, but empty")
        email = str(fields.get("respondent_email", ""))
        try:
            validate_email(email)
        except ValidationError:
            message = "required, but empty" if not email else f"{email!r} is not an email address"
            self._error(record, "respondent_email", message)
        for key, text in fields["answers"].items():
            question = self.call.question(key) or {}
            if not text and (key == "practice" or question.get("required")):
                self._error(record, f"answers.{key}", "required, but empty")

    def _when(self, record: Record) -> datetime | None:
        text = self._cell(record, "submitted_at")
        if not text:
            return None
        when = _parse_datetime(text, self.mapping.date_format)
        if when is None:
            expected = self.mapping.date_format or "DD/MM/YYYY HH:MM or YYYY-MM-DD HH:MM"
            self._error(record, "submitted_at", f"{text!r} is not a date and time ({expected})")
        return when

    def _external_id(self, record: Record) -> str:
        value = self._cell(record, "id_column")
        if not value:
            self._error(record, "id_column", "every response needs an ID, but this one is empty")
        elif len(value) > Submission._meta.get_field("external_id").max_length:
            self._error(record, "id_column", "the ID is longer than 100 characters")
        elif value in self.seen:
            self._error(record, "id_column", f"ID {value!r} repeats row {self.seen[value]}")
        else:
            self.seen[value] = record.row
        return value

    def _coverage(self, record: Record, response: _Response) -> None:
        given = [t for t in COVERAGE_FIELDS if self._cell(record, t)]
        if len(given) > 1:
            named = " and ".join(repr(self.header[self.index[t]]) for t in given)
            self.errors.append(
                f"Row {record.row}: both {named} are filled in; give URNs, a trust or a local "
                "authority, not more than one"
            )
        elif given == ["urns"]:
            self._urn_coverage(record, response)
        elif given == ["trust_code"]:
            self._trust_coverage(record, response)
        elif given == ["la_code"]:
            self._la_coverage(record, response)

    def _urn_coverage(self, record: Record, response: _Response) -> None:
        try:
            urns = parse_urns(self._cell(record, "urns"))
        except UrnListError as exc:
            bad = ", ".join(repr(b) for b in exc.bad)
            self._error(record, "urns", f"not URNs: {bad} (a URN is a 6-digit number)")
            return
        response.coverage = Coverage.ONE_SCHOOL if len(urns) == 1 else Coverage.URN_LIST
        response.schools = schools_for(response.coverage, urns)

    def _trust_coverage(self, record: Record, response: _Response) -> None:
        code = self._cell(record, "trust_code")
        trust = self.trusts.get(normalise(code))
        if trust is None:
            self._error(
                record, "trust_code", f"{code!r} is not the code of a trust in the school "
                "register (import the GIAS register first, or check the code)"
            )  # fmt: skip
            return
        if trust.pk not in self.trust_schools:
            self.trust_schools[trust.pk] = schools_for(Coverage.TRUST, trust=trust)
        response.coverage, response.schools = Coverage.TRUST, self.trust_schools[trust.pk]
        response.fields["coverage_trust"] = trust

    def _la_coverage(self, record: Record, response: _Response) -> None:
        text = self._cell(record, "la_code")
        la = self.las.get(normalise(text))
        if la is None:
            self._error(
                record, "la_code",
                f"{text!r} is not the three-digit code or the name of a local authority in England",
            )  # fmt: skip
            return
        response.coverage = Coverage.LOCAL_AUTHORITY
        response.schools = schools_for(Coverage.LOCAL_AUTHORITY, local_authority=la)
        response.fields["coverage_local_authority"] = la


def _split_commas(piece: str, vocab: _Vocabulary) -> tuple[list[object], list[str]]:
    """Values in `piece`, which may list several separated by commas.

    Labels may contain commas themselves ("Social, emotional and mental health (SEMH)"), so the
    longest run of comma-separated parts that is a known answer wins.
    """
    if not piece.strip():
        return [], []
    whole = vocab.match(piece)
    if whole is not None:
        return [whole], []
    parts = [p.strip() for p in piece.split(",")]
    values, bad, start = [], [], 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            value = vocab.match(", ".join(parts[start:end]))
            if value is not None:
                values.append(value)
                start = end
                break
        else:
            if parts[start]:
                bad.append(parts[start])
            start += 1
    return values, bad


def _parse_datetime(text: str, fmt: str | None) -> datetime | None:
    """A time from the export; naive times are UK local time, as survey tools show them."""
    candidates = [fmt] if fmt else DATE_FORMATS
    when = None
    if not fmt:
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            when = None
    for candidate in candidates:
        if when is not None:
            break
        try:
            when = datetime.strptime(text, candidate)
        except ValueError:
            continue
    if when is not None and timezone.is_naive(when):
        when = when.replace(tzinfo=LONDON)
    return when


def _problems(path: Path, errors: list[str]) -> str:
    return (
        f"{path}: {plural(len(errors), 'problem')} found, so no responses were imported. Correct "
        f"the file (or the mapping file) and import it again.\n{listing(errors, MAX_LISTED)}"
    )


# --- Writing ----------------------------------------------------------------------------------


def import_submissions(
    path: Path,
    *,
    call: CallForEvidence,
    mapping_file: Path,
    progress: Callable[[str], None] | None = None,
) -> SubmissionImportReport:
    """Check every response in an export, then create the new ones in one transaction."""
    path, say = Path(path), progress or (lambda _msg: None)
    mapping = load_mapping(Path(mapping_file), call)
    try:
        with _open_table(path, mapping) as (header, records, encoding):
            checker = _RowChecker(call, mapping, header, _locate(path, mapping, header))
            responses = checker.check_all(records)
    except TabularFileError as exc:
        raise SubmissionImportError(str(exc)) from None
    if checker.errors:
        raise SubmissionImportError(_problems(path, checker.errors))
    say(f"Checked {len(responses):,} responses; saving them.")
    report = SubmissionImportReport(
        path=path, rows=len(responses), encoding=encoding.label if encoding else None
    )
    try:
        with transaction.atomic():
            _write(call, responses, report)
    except IntegrityError as exc:
        # Another import of the same export at the same moment; ours rolled back entirely.
        raise SubmissionImportError(
            f"{path}: responses were saved by someone else during the import ({exc}); nothing "
            "was imported. Run the import again: rows already imported will be skipped."
        ) from None
    submissions_arrived.send(sender=Submission, call=call)
    return report


def _write(call: CallForEvidence, responses: list[_Response], report) -> None:
    existing = set(
        Submission.objects.filter(call=call)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    new = [r for r in responses if r.external_id not in existing]
    report.skipped_existing = len(responses) - len(new)
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        [_submission(call, r, now) for r in new], batch_size=500
    )
    covered = []
    for submission, response in zip(submissions, new, strict=True):
        covered += [
            CoveredSchool(submission=submission, urn=urn, school=school, in_register=bool(school))
            for urn, school in response.schools
        ]
        report.flagged_urns += [(response.row, urn) for urn, school in response.schools
                                if school is None]  # fmt: skip
        report.without_schools += not response.coverage
    CoveredSchool.objects.bulk_create(covered, batch_size=2000)
    report.created = len(submissions)


def _submission(call: CallForEvidence, response: _Response, now: datetime) -> Submission:
    fields = dict(response.fields)
    fields["submitted_at"] = fields["submitted_at"] or now
    return Submission(
        call=call,
        status=SubmissionStatus.SUBMITTED,
        reference=new_reference(),
        resume_token_hash=Submission.new_token()[1],
        source=SOURCE,
        external_id=response.external_id,
        coverage=response.coverage,
        **fields,
    )
