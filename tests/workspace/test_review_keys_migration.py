"""The data migration that gives existing decisions their stable keys (ADR 15): quote decisions
take their quote's span, mention decisions their mention's normalised name and span, and where
two runs held decisions on the same words the newest is kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from inpractice.intake.models import Submission, new_reference

BEFORE = [("workspace", "0001_initial"), ("coding", "0001_initial")]
AFTER = [
    ("workspace", "0004_review_keys_required"),
    ("coding", "0002_mention_name_key_runpromotion"),
]


def submission(call, text: str) -> Submission:
    return Submission.objects.create(
        call=call,
        status="submitted",
        reference=new_reference(),
        submitted_at=timezone.now(),
        resume_token_hash=Submission.new_token()[1],
        answers={"practice": text},
    )


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_decisions_are_converted_to_stable_keys(open_call):
    first = submission(open_call, "We screen every child's language with WellComm in Reception.")
    second = submission(open_call, "Our Zones of  Regulation check-ins start every lesson calmly.")
    try:
        apps = migrate(BEFORE)
        Run = apps.get_model("coding", "AnalysisRun")
        Quote = apps.get_model("coding", "Quote")
        Mention = apps.get_model("coding", "Mention")
        QuoteReview = apps.get_model("workspace", "QuoteReview")
        MentionReview = apps.get_model("workspace", "MentionReview")
        runs = [
            Run.objects.create(
                call_id=open_call.pk, status="succeeded", embedder="static", code_version="t"
            )
            for _ in range(2)
        ]

        def quote(run, submission, start, end, code="p1"):
            return Quote.objects.create(
                run=run,
                code_id=code,
                submission_id=submission.pk,
                field="practice",
                start=start,
                end=end,
                text=submission.answer("practice")[start:end],
                score=0.5,
                rank=0,
            )

        old_decision = QuoteReview.objects.create(
            quote=quote(runs[0], first, 0, 20), status="approved"
        )
        new_decision = QuoteReview.objects.create(
            quote=quote(runs[1], first, 0, 20), status="rejected"
        )
        # The same words decided twice, in two runs: the newer decision stands.
        QuoteReview.objects.filter(pk=old_decision.pk).update(
            reviewed_at=timezone.now() - timedelta(days=1)
        )
        other = QuoteReview.objects.create(quote=quote(runs[0], second, 5, 30), status="approved")
        mention = Mention.objects.create(
            run=runs[0],
            submission_id=second.pk,
            field="practice",
            start=3,
            end=12,
            mention_id="new:zones",
            name="Zones of  Regulation",
            kind="tool",
            known=False,
        )
        renamed = MentionReview.objects.create(
            mention=mention, status="confirmed", name="Zones of Regulation"
        )

        apps = migrate(AFTER)
        QuoteReview = apps.get_model("workspace", "QuoteReview")
        MentionReview = apps.get_model("workspace", "MentionReview")
        Mention = apps.get_model("coding", "Mention")
        kept = QuoteReview.objects.get(pk=new_decision.pk)
        assert (kept.call_id, kept.submission_id, kept.field, kept.start, kept.end) == (
            open_call.pk,
            first.pk,
            "practice",
            0,
            20,
        )
        assert kept.status == "rejected" and kept.text == first.answer("practice")[0:20]
        assert not QuoteReview.objects.filter(pk=old_decision.pk).exists()
        converted = QuoteReview.objects.get(pk=other.pk)
        assert (converted.submission_id, converted.start, converted.end) == (second.pk, 5, 30)
        assert Mention.objects.get(pk=mention.pk).name_key == "zones of regulation"
        decision = MentionReview.objects.get(pk=renamed.pk)
        assert (decision.call_id, decision.key, decision.submission_id, decision.start) == (
            open_call.pk,
            "zones of regulation",
            second.pk,
            3,
        )
        assert decision.name == "Zones of Regulation" and decision.mention_id == mention.pk
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
