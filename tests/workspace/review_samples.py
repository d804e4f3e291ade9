"""Rows the permission matrix needs to open the review pages (codebook versions, themes,
mentions, quotes, retrained runs) as every role; each maker is idempotent per call."""

from __future__ import annotations

from inpractice.coding.models import AnalysisRun, Mention, Quote, Theme
from inpractice.workspace.models import CodebookVersion


def sample_run(call) -> AnalysisRun:
    run = AnalysisRun.objects.filter(call=call, embedder="sample").first()
    return run or AnalysisRun.objects.create(
        call=call,
        status=AnalysisRun.Status.SUCCEEDED,
        embedder="sample",
        code_version="test",
        code_ids=["p1"],
        parameters={
            "retrain": {"previous_run": 0, "training_size": 0, "trained_codes": []},
            "what_changed": {"previous_run": 0, "run": 0, "codes": []},
        },
    )


def sample_theme(call) -> Theme:
    run = sample_run(call)
    return Theme.objects.get_or_create(
        run=run,
        number=0,
        defaults={
            "label": "Calm mornings",
            "key_phrases": ["calm"],
            "size": 0,
            "submissions": 0,
            "coherence": 0.5,
            "coverage": 0.5,
        },
    )[0]


def _submission(call):
    return call.submissions.order_by("pk").first()


def sample_mention(call) -> Mention:
    return Mention.objects.get_or_create(
        run=sample_run(call),
        submission=_submission(call),
        defaults={
            "field": "practice",
            "start": 0,
            "end": 1,
            "mention_id": "wellcomm",
            "name": "WellComm",
            "kind": "tool",
            "known": True,
        },
    )[0]


def sample_quote(call) -> Quote:
    return Quote.objects.get_or_create(
        run=sample_run(call),
        submission=_submission(call),
        defaults={
            "code_id": "p1",
            "field": "practice",
            "start": 0,
            "end": 1,
            "text": "A",
            "score": 1,
            "rank": 0,
        },
    )[0]


def sample_version(call) -> int:
    return CodebookVersion.objects.get_or_create(
        call=call, number=1, defaults={"codebook": call.codebook, "note": "The call's codebook"}
    )[0].number
