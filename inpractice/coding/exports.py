"""Exports of a call's current analysis run for analysts: REFI-QDA (.qdpx, .qdc), CSV and XLSX.

Each submission becomes one source whose text is its fields under their question headings, so
the coded words sit in context in NVivo, ATLAS.ti or MAXQDA. No contact details are exported:
analysts work from organisations, not people.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.utils import timezone

from inpractice.analysis.codebook import codebook_from_dict
from inpractice.analysis.refi import Case, Coding, Source, build_qdc, build_qdpx
from inpractice.analysis.segmentation import canonical
from inpractice.analysis.spreadsheet import CODING_COLUMNS, coding_rows, write_csv, write_xlsx
from inpractice.intake.choices import NeedCode, OrganisationType, PublicationConsent
from inpractice.intake.models import CallForEvidence, Submission

from .models import AnalysisRun, CodeApplication
from .runner import documents_for
from .runs import current_run


class ExportError(ValueError):
    pass


def latest_run(call: CallForEvidence) -> AnalysisRun:
    """The call's current analysis run (runs.py); an error naming what to do when it has none."""
    run = current_run(call)
    if run is None:
        raise ExportError(
            f"the call {call.slug!r} has not been analysed yet: run "
            f"`inpractice analyse --call {call.slug}`"
        )
    return run


class _Headings:
    """Each answer's heading: the question's wording *as it was when the answer was given*.

    A question that already had answers is versioned, not edited in place (ADR 0020), so an
    answer given to version 1 is exported under version 1's words, marked with its version,
    never silently under wording it did not answer.
    """

    def __init__(self, call: CallForEvidence):
        self.current = {
            "need_description": "The needs in their words",
            **{q["key"]: q["label"] for q in call.questions},
        }
        self.current_version = {q["key"]: int(q.get("version", 1)) for q in call.questions}
        self.wordings = {
            (v.key, v.version): v.label
            for v in call.question_versions.only("key", "version", "label")
        }

    def heading(self, submission: Submission, field: str) -> str:
        if field not in self.current_version:  # the needs, or a question since removed
            return self.current.get(field, field)
        given = int((submission.answer_versions or {}).get(field, 1))
        if given == self.current_version[field]:
            return self.current[field]
        label = self.wordings.get((field, given), self.current[field])
        return f"{label} (question version {given}; now version {self.current_version[field]})"


def sources_and_codings(
    call: CallForEvidence, run: AnalysisRun
) -> tuple[list[Source], list[Coding], list[Case]]:
    documents, submissions = documents_for(call)
    headings = _Headings(call)
    sources, offsets = [], {}
    for document in documents:
        parts, position = [], 0
        for name, text in document.fields.items():
            heading = headings.heading(submissions[document.id], name)
            body = canonical(text or "")
            block = f"{heading}\n{body}" if body else heading
            offsets[(document.id, name)] = position + len(heading) + 1
            parts.append(block)
            position += len(block) + 2
        submission = submissions[document.id]
        sources.append(
            Source(
                id=document.id,
                name=f"{document.id} {submission.title}"[:200],
                text=canonical("\n\n".join(parts)),
                variables=_variables(submission),
            )
        )
    coder = f"model:{run.embedder}"
    codings = [
        Coding(
            source_id=ref,
            start=offsets[(ref, field)] + start,
            end=offsets[(ref, field)] + end,
            code_id=code_id,
            coder=coder,
        )
        for ref, field, start, end, code_id in CodeApplication.objects.filter(run=run, applied=True)
        .order_by("passage__submission__reference", "passage__index", "code_id")
        .values_list(
            "passage__submission__reference",
            "passage__field",
            "passage__start",
            "passage__end",
            "code_id",
        )
    ]
    by_org: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ref, submission in submissions.items():
        by_org[(submission.organisation_name, submission.organisation_type)].append(ref)
    cases = [
        Case(
            id=f"org-{i}",
            name=name or "Unnamed organisation",
            source_ids=refs,
            variables={"organisation type": dict(OrganisationType.choices).get(kind, kind)},
        )
        for i, ((name, kind), refs) in enumerate(sorted(by_org.items()))
    ]
    return sources, codings, cases


def _variables(s: Submission) -> dict:
    needs = dict(NeedCode.choices)
    return {
        "organisation type": dict(OrganisationType.choices).get(
            s.organisation_type, s.organisation_type
        ),
        "phases": ", ".join(s.phases),
        "need codes": ", ".join(s.need_codes),
        "needs": "; ".join(str(needs.get(c, c)) for c in s.need_codes),
        "practice types": ", ".join(s.practice_types),
        "publication consent": dict(PublicationConsent.choices).get(s.consent_publication, ""),
        "schools covered": s.covered_schools.count(),
    }


def write_export(call: CallForEvidence, fmt: str, out: Path) -> int:
    """Write the export to `out` (atomically) and return how many codings it holds."""
    codebook = codebook_from_dict(call.codebook)
    partial = out.with_name(out.name + ".partial")
    if fmt == "qdc":
        partial.write_bytes(build_qdc(codebook))
        partial.replace(out)
        return 0
    run = latest_run(call)
    sources, codings, cases = sources_and_codings(call, run)
    if fmt == "qdpx":
        partial.write_bytes(
            build_qdpx(
                project_name=call.title,
                codebook=codebook,
                sources=sources,
                codings=codings,
                cases=cases,
                created=timezone.now(),
            )
        )
    elif fmt == "csv":
        write_csv(coding_rows(codebook, sources, codings), CODING_COLUMNS, partial)
    elif fmt == "xlsx":
        write_xlsx({"Codings": (CODING_COLUMNS, coding_rows(codebook, sources, codings))}, partial)
    else:
        raise ExportError(f"unknown format {fmt!r}")
    partial.replace(out)
    return len(codings)
