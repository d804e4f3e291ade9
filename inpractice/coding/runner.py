"""Run the analysis core over a call's submissions and store what it finds, with a run record."""

from __future__ import annotations

import subprocess
import traceback
from collections.abc import Callable
from pathlib import Path

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

import inpractice
from inpractice.analysis.codebook import codebook_from_dict
from inpractice.analysis.coder import Coder
from inpractice.analysis.embeddings import load_embedder
from inpractice.analysis.pipeline import AnalysisResult, Document, analyse
from inpractice.intake.models import CallForEvidence, CoveredSchool, Submission, SubmissionStatus
from inpractice.schools.models import LocalAuthority, School

from . import models

BATCH = 5000
STORE_BATCH = 20_000
# A submission evidences a code when one of its passages does with at least this probability
# (or the code's own threshold, if higher): one passing mention among many passages is not
# enough to say a whole submission is about a principle.
SUBMISSION_MIN_PROBABILITY = 0.5


def code_version() -> str:
    root = Path(inpractice.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, optional
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "unknown"
    return f"inpractice {inpractice.__version__} ({commit})"


def documents_for(
    call: CallForEvidence, ids: list[int] | None = None
) -> tuple[list[Document], dict[str, Submission]]:
    """Each submitted response (or those of `ids`) as the fields analysts read: the needs, then
    every answer in the order the call asked its questions."""
    keys = [q["key"] for q in call.questions]
    chosen = Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED)
    if ids is not None:
        chosen = chosen.filter(pk__in=ids)
    submissions = {s.reference: s for s in chosen.order_by("reference")}
    documents = [
        Document(ref, {"need_description": s.need_description, **{k: s.answer(k) for k in keys}})
        for ref, s in submissions.items()
    ]
    return documents, submissions


def run_analysis(
    call: CallForEvidence,
    embedder: str = "static",
    seed: int = 0,
    progress: Callable[[str, int, int], None] | None = None,
    coder: Coder | None = None,
    codebook: dict | None = None,
    parameters: dict | None = None,
) -> models.AnalysisRun:
    """Analyse a call; the run row records success or the error, and results are all or nothing.

    `coder` (already fitted, e.g. on analysts' codes by `inpractice.workspace.retrain`) codes with
    that instead of zero-shot, through its own embedder; `codebook` (data) replaces the call's own,
    e.g. the workspace's working codebook; `parameters` are recorded with the run's.
    """
    codebook_data = call.codebook if codebook is None else codebook
    parsed = codebook_from_dict(codebook_data)
    run = models.AnalysisRun.objects.create(
        call=call,
        embedder=embedder,
        code_version=code_version(),
        codebook=codebook_data,
        parameters={"embedder": embedder, "seed": seed, **(parameters or {})},
    )
    try:
        documents, submissions = documents_for(call)
        result = analyse(
            documents,
            parsed,
            embedder=coder.embedder if coder is not None else load_embedder(embedder),
            coder=coder,
            seed=seed,
            progress=progress,
        )
        started = timezone.now()
        with transaction.atomic():
            counts = _store(run, result, submissions)
        result.timings["store"] = round((timezone.now() - started).total_seconds(), 3)
        run.status = models.AnalysisRun.Status.SUCCEEDED
        run.embedder = result.parameters["embedder"]
        run.parameters = {**run.parameters, **result.parameters}
        run.code_ids = result.code_ids
        run.thresholds = [round(float(t), 4) for t in result.thresholds]
        run.timings = result.timings
        run.counts = counts
        run.mention_summary = result.mention_summary
    except Exception as exc:
        run.status = models.AnalysisRun.Status.FAILED
        run.error = "".join(traceback.format_exception_only(exc)).strip()
        run.finished_at = timezone.now()
        run.save()
        raise
    run.finished_at = timezone.now()
    run.save()
    _refresh_statistics()
    return run


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner see the new rows at once: before autovacuum gets to them, it
    guesses badly on freshly bulk-loaded tables (a workspace filter took seconds, not ms).

    The submissions, their schools and the register are analysed too: the workspace's filters
    join them, and after a bulk import (GIAS, a survey export) the planner otherwise takes them
    for nearly empty (a code, phase and region filter took 0.9 s instead of 0.1 s). ANALYZE
    samples at most 30,000 rows a table, so this stays well under a second."""
    if connection.vendor != "postgresql":
        return
    tables = [
        m._meta.db_table
        for m in (
            models.Passage,
            models.CodeApplication,
            models.SubmissionResult,
            models.Mention,
            Submission,
            CoveredSchool,
            School,
            LocalAuthority,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(tables))  # noqa: S608 - our own table names


def insert_rows(model, objects: list) -> list:
    """Insert new rows, giving each object its primary key, and return them.

    On PostgreSQL the rows are streamed with COPY, with keys drawn from the table's own sequence
    first (COPY returns none): several times faster than INSERT for the million-row tables of a
    big call. Elsewhere, `bulk_create`.
    """
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=BATCH)
    meta = model._meta
    table, pk = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(objects)],
        )
        for obj, (key,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = key
        fields = meta.concrete_fields
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        raw = cursor.cursor  # psycopg's own cursor, inside Django's transaction
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                )
    return objects


def store_passages(
    run: models.AnalysisRun,
    result: AnalysisResult,
    submissions: dict[str, Submission],
    themes: dict[int, models.Theme] | None = None,
) -> int:
    """Store the result's passages, their applied codes and stances; returns how many passages."""
    table = result.passages
    themes = themes or {}
    # Passages and their codes go to the database in bounded batches, so memory stays flat as a
    # call grows; only applied codes are stored (every reader asks for those; storing every
    # passage × code pair was 5.7 M rows at 100,000 submissions, most of the store's time).
    ordinal: dict[int, int] = {}
    applied = result.passage_labels()
    stored = 0
    for first in range(0, len(table), STORE_BATCH):
        passages = []
        for i in range(first, min(first + STORE_BATCH, len(table))):
            d = int(table.doc[i])
            ordinal[d] = ordinal.get(d, -1) + 1
            theme = themes.get(int(result.theme_of_passage[i]))
            stance, stance_probability = result.stance(i)
            passages.append(
                models.Passage(
                    run=run,
                    submission_id=submissions[table.documents[d].id].pk,
                    field=table.field_names[int(table.field[i])],
                    index=ordinal[d],
                    start=int(table.start[i]),
                    end=int(table.end[i]),
                    text=table.text(i),
                    theme_id=theme.pk if theme else None,
                    stance=stance,
                    stance_probability=(
                        None if stance_probability is None else round(stance_probability, 4)
                    ),
                )
            )
        created = insert_rows(models.Passage, passages)
        rows, columns = np.nonzero(applied[first : first + len(created)])
        insert_rows(
            models.CodeApplication,
            [
                models.CodeApplication(
                    run=run,
                    passage_id=created[i].pk,
                    code_id=result.code_ids[j],
                    probability=round(float(result.probabilities[first + i, j]), 4),
                    applied=True,
                )
                for i, j in zip(rows.tolist(), columns.tolist(), strict=True)
            ],
        )
        stored += len(created)
    return stored


def store_submission_results(
    run: models.AnalysisRun, result: AnalysisResult, submissions: dict[str, Submission]
) -> list[models.SubmissionResult]:
    """Each submission's codes (from its strongest passages) and evidence assessment."""
    floor = np.maximum(result.thresholds, SUBMISSION_MIN_PROBABILITY)
    results = []
    for ref, submission in submissions.items():
        probs = result.document_codes.get(ref, np.zeros(len(result.code_ids)))
        evidence = result.evidence[ref]
        results.append(
            models.SubmissionResult(
                run=run,
                submission=submission,
                codes=[c for c, p, f in zip(result.code_ids, probs, floor, strict=True) if p >= f],
                probabilities={
                    c: round(float(p), 4) for c, p in zip(result.code_ids, probs, strict=True)
                },
                evidence_score=evidence.score,
                evidence_rich=evidence.rich,
                evidence_reasons=evidence.reasons,
            )
        )
    insert_rows(models.SubmissionResult, results)
    return results


def store_mentions(
    run: models.AnalysisRun, result: AnalysisResult, submissions: dict[str, Submission]
) -> None:
    """The frameworks, programmes and tools each submission cites."""
    insert_rows(
        models.Mention,
        [
            models.Mention(
                run=run,
                submission=submissions[ref],
                field=field,
                start=m.start,
                end=m.end,
                mention_id=m.id,
                name=m.name,
                name_key=models.mention_key(m.name),
                kind=m.kind,
                known=m.known,
            )
            for ref, found in result.mentions.items()
            for field, m in found
        ],
    )


def _store(
    run: models.AnalysisRun, result: AnalysisResult, submissions: dict[str, Submission]
) -> dict:
    themes = {
        t.id: models.Theme.objects.create(
            run=run,
            number=t.id,
            label=t.label[:300],
            key_phrases=t.key_phrases,
            size=t.size,
            submissions=t.submissions or 0,
            coherence=float(t.coherence),
            coverage=result.theme_coverage.get(t.id, 0.0),
        )
        for t in result.themes
    }
    stored = store_passages(run, result, submissions, themes)
    results = store_submission_results(run, result, submissions)
    store_mentions(run, result, submissions)

    def quote(q, rank: int, **about) -> models.Quote:
        return models.Quote(
            run=run,
            submission=submissions[q.document_id],
            field=q.field,
            start=q.start,
            end=q.end,
            text=q.text,
            score=q.score,
            rank=rank,
            **about,
        )

    quotes = [
        quote(q, rank, code_id=code)
        for code, found in result.code_quotes.items()
        for rank, q in enumerate(found)
    ] + [
        quote(q, rank, theme=themes[theme_id])
        for theme_id, found in result.theme_quotes.items()
        for rank, q in enumerate(found)
    ]
    models.Quote.objects.bulk_create(quotes, batch_size=BATCH)
    return {
        "submissions": len(submissions),
        "passages": stored,
        "themes": len(themes),
        "mentions": sum(len(v) for v in result.mentions.values()),
        "quotes": len(quotes),
        "evidence_rich": sum(r.evidence_rich for r in results),
        "submissions_by_code": {c: sum(c in r.codes for r in results) for c in result.code_ids},
    }
