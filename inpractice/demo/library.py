"""Case studies for the demo call, so the library is not empty: the `demo` command calls
`publish_demo_case_studies()` after loading the call.

It takes the demo's submissions whose consent allows publication, preferring the fullest
answers, drafts a case study from each exactly as a moderator's first draft would be made,
replaces every personal data finding with the first words suggested for it, records the
submitter's approval (as "demo submitter (simulated)"), and takes it through review and approval
to publication. Each step is recorded as a version by the "demo loader", so the history reads
honestly. Running it
again publishes nothing new once the demo has its case studies (idempotent).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from django.db import transaction

from inpractice.intake.models import CallForEvidence
from inpractice.library import services
from inpractice.library.models import CaseStudy, Status
from inpractice.library.search import bump_generation

DEMO_CASE_STUDIES = 24
DEMO_ACTOR = services.Actor(label="demo loader")
DEMO_SUBMITTER = "demo submitter (simulated)"


def publish_demo_case_studies(
    slug: str = "demo",
    count: int = DEMO_CASE_STUDIES,
    progress: Callable[[str], None] = lambda message: None,
) -> int:
    """Publish up to `count` demo case studies; returns how many were published now."""
    call = CallForEvidence.objects.filter(slug=slug).first()
    if call is None:
        return 0
    already = CaseStudy.objects.filter(call=call).count()
    if already >= count:
        progress(f"The demo library already has {already} case studies.")
        return 0
    candidates = sorted(
        services.publishable_submissions(call).filter(case_study__isnull=True),
        # Fullest answers first: those make the most useful case studies.
        key=lambda s: (-len(s.answer("practice")) - len(s.answer("impact")), s.reference),
    )[: count - already]
    progress(f"Publishing {len(candidates)} demo case studies ...")
    principles = _principles(call, candidates)
    published = 0
    for submission, codes in zip(candidates, principles, strict=True):
        with transaction.atomic():
            suggested = services.suggested_principles(submission)
            case_study = services.draft_case_study(
                submission, DEMO_ACTOR, {"principles": suggested or codes}
            )
            replacements = services.suggested_replacements(case_study)
            if replacements:
                services.replace_findings(case_study, replacements, DEMO_ACTOR)
            if case_study.submission.respondent_email:
                review = services.ask_submitter(case_study, DEMO_ACTOR)
                services.answer_as_submitter(review, approve=True, actor_label=DEMO_SUBMITTER)
            for action in ("submit_for_review", "approve", "publish"):
                case_study = services.transition(case_study, action, DEMO_ACTOR)
            if case_study.status == Status.PUBLISHED:
                published += 1
    bump_generation()
    return published


def _principles(call: CallForEvidence, submissions: list) -> list[list[str]]:
    """Principles for demo case studies when no analysis has been run: the zero-shot coder
    over their sentences; a principle counts when some sentence evidences it with probability
    0.5 or more (as `inpractice analyse` does for a submission)."""
    from inpractice.analysis.codebook import codebook_from_dict
    from inpractice.analysis.coder import Coder

    if not submissions:
        return []
    coder = Coder(codebook_from_dict(call.codebook))
    owners, sentences = [], []
    for i, submission in enumerate(submissions):
        text = " ".join(submission.answer(k) for k in ("practice", "impact", "enablers"))
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if len(sentence.split()) >= 5:
                owners.append(i)
                sentences.append(sentence)
    probs = coder.predict_proba(sentences)
    best = np.zeros((len(submissions), len(coder.code_ids)))
    for owner, row in zip(owners, probs, strict=True):
        best[owner] = np.maximum(best[owner], row)
    out = []
    for row in best:
        # Long answers touch every principle somewhere; a case study is tagged with the (at
        # most two) it shows most strongly.
        order = np.argsort(-row, kind="stable")
        codes = [coder.code_ids[j] for j in order[:2] if row[j] >= 0.5]
        out.append(codes or ([coder.code_ids[int(order[0])]] if row.any() else []))
    return out
