"""Publishing a report edition as a background job (inpractice.jobs, ADR 16 and 19): the work
of a "build_edition" job, and what a build that stopped leaves behind (the edition, approved
again so that it can be published again)."""

from __future__ import annotations

from inpractice.jobs.models import Job
from inpractice.jobs.service import JobCancelled, job_failed, register


@register(Job.Kind.BUILD_EDITION)
def build_edition(job: Job, progress) -> dict:
    from .editions import EditionError, build_failed, build_snapshot
    from .models import Edition

    edition_id = int(job.arguments["edition"])
    edition = Edition.objects.get(pk=edition_id)
    try:
        edition = build_snapshot(edition, progress=progress)
    except EditionError as exc:
        build_failed(edition_id, str(exc), back_to_review=True)
        raise
    except JobCancelled:
        build_failed(edition_id, "Publishing was cancelled: nothing was published.", False)
        raise
    except Exception as exc:
        build_failed(edition_id, f"The build failed ({exc}): nothing was published.", False)
        raise
    return {"edition": edition.pk, "number": edition.number}


def _edition_left_publishing(sender, job: Job, **kwargs) -> None:
    """A build whose worker stopped: its edition is approved again, to be published again."""
    if job.kind != Job.Kind.BUILD_EDITION:
        return
    from .editions import build_failed

    build_failed(
        int(job.arguments.get("edition", 0)),
        "The worker building this edition stopped: nothing was published. Publish it again.",
        back_to_review=False,
    )


def connect() -> None:
    job_failed.connect(_edition_left_publishing, dispatch_uid="reports-edition-left-publishing")
