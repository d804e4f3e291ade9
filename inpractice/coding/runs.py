"""Which analysis run is a call's current one: the one definition every stage reads.

Review (the workspace's queue, agreement figures and retraining), publication (the report's
figures, the library's suggested principles) and the exports all show the results of one run of
a call, and must agree on which: the succeeded run that finished most recently. A run that failed,
or is still running, is never current. Finishing, not starting, decides: a run started earlier
but finished later (a long full run overtaken by a quick one) has the newer results. Ties (the
same finishing time) go to the later run by id.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Coalesce

from .models import AnalysisRun


def current_run(call) -> AnalysisRun | None:
    """The call's current analysis run: its most recently finished succeeded run, or None when
    it has none yet."""
    return (
        AnalysisRun.objects.filter(call=call, status=AnalysisRun.Status.SUCCEEDED)
        # A succeeded run always records when it finished (runner.py); one stored without it
        # counts as finished when it started, rather than sorting differently by database.
        .annotate(finished=Coalesce("finished_at", "started_at"))
        .order_by(F("finished").desc(), "-pk")
        .first()
    )
