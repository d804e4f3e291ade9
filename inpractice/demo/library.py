"""Case studies for the demo call, so the library is not empty: the `demo` command calls
`publish_demo_case_studies()` after loading the call.

It takes the demo's submissions whose consent allows publication, preferring those with the
most words of their own (sentences no other submission uses) and skipping a title already taken,
drafts a case study from each as a moderator's first draft would be made, with a summary written
as a summary (who, what and for whom, not the practice's first sentence), then edits it as a
moderator would: the sentences it shares with another response (generic lines such as "Protect
intervention time.") are cut, so that no sentence is in more than two items of the demo,
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

from .checks import sentences, split_sentences

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
    uses = _sentence_uses(call)
    candidates = _candidates(call, count - already, uses)
    progress(f"Publishing {len(candidates)} demo case studies ...")
    principles = _principles(call, candidates)
    published = 0
    for submission, codes in zip(candidates, principles, strict=True):
        with transaction.atomic():
            suggested = services.suggested_principles(submission)
            draft = services.draft_values(submission)
            case_study = services.draft_case_study(
                submission,
                DEMO_ACTOR,
                {"principles": suggested or codes, "summary": summary(submission, draft)},
            )
            case_study = services.save_edits(
                case_study, _trimmed(case_study, uses), DEMO_ACTOR, case_study.version
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


def _text(submission) -> str:
    return "\n\n".join([submission.need_description, *submission.answers.values()])


def _sentence_uses(call: CallForEvidence) -> dict[str, int]:
    """How many of the call's submissions each normalised sentence is in."""
    uses: dict[str, int] = {}
    for submission in call.submissions.all():
        for sentence in set(sentences(_text(submission))):
            uses[sentence] = uses.get(sentence, 0) + 1
    return uses


def _own_words(submission, uses: dict[str, int]) -> int:
    """Words in the practice and impact answers that no other submission has."""
    text = submission.answer("practice") + "\n\n" + submission.answer("impact")
    return sum(len(x.split()) for x in sentences(text) if uses.get(x, 0) <= 1)


def _candidates(call: CallForEvidence, wanted: int, uses: dict[str, int]) -> list:
    """Publishable submissions without a case study, most words of their own first (the
    fullest, most particular accounts make the most useful case studies), one per title."""
    publishable = sorted(
        services.publishable_submissions(call).filter(case_study__isnull=True),
        key=lambda s: (-_own_words(s, uses), s.reference),
    )
    taken = {t.lower() for t in CaseStudy.objects.filter(call=call).values_list("title", flat=True)}
    chosen = []
    for submission in publishable:
        if len(chosen) == wanted:
            break
        if submission.title.lower() not in taken:
            taken.add(submission.title.lower())
            chosen.append(submission)
    return chosen


def _trim(text: str, uses: dict[str, int]) -> str:
    """`text` without the sentences another submission also has, paragraph by paragraph."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text or ""):
        parts = split_sentences(paragraph)
        kept = [x for x in parts if all(uses.get(k, 0) <= 1 for k in sentences(x))]
        if kept:
            paragraphs.append(" ".join(kept))
    return "\n\n".join(paragraphs)


def _trimmed(case_study: CaseStudy, uses: dict[str, int]) -> dict[str, str]:
    """The moderator's edit: the case study's answers without the sentences other responses
    share. Candidates are chosen for their own words, so the practice keeps its substance."""
    data = {
        name: _trim(getattr(case_study, name), uses)
        for name in ("practice", "impact", "enablers", "advice")
    }
    need, _, label = case_study.need.partition("\n\nNeeds addressed:")
    data["need"] = (_trim(need, uses) + (f"\n\nNeeds addressed:{label}" if label else "")).strip()
    return data


# How a case study's summary names the children a practice is for, by DfE need code.
NEED_PHRASES = {
    "ASD": "autistic pupils",
    "HI": "deaf pupils",
    "VI": "pupils with visual impairment",
    "MSI": "pupils with multi-sensory impairment",
    "PD": "pupils with physical disabilities",
    "SPLD": "pupils with dyslexia and other specific learning difficulties",
    "MLD": "pupils with moderate learning difficulties",
    "SLD": "pupils with severe learning difficulties",
    "PMLD": "pupils with profound and multiple learning difficulties",
    "SEMH": "pupils with social, emotional and mental health needs",
    "SLCN": "pupils with speech, language and communication needs",
    "OTH": "pupils with other special educational needs",
}
VERBS = ("describes", "writes about", "sets out", "shares its experience of")


def summary(submission, draft: dict) -> str:
    """One sentence a moderator would write: who (the organisation's name when it may be
    shown, otherwise the anonymous setting), what (the title) and for whom (the needs)."""
    who = draft.get("organisation_display") or draft["setting"].rstrip(".")
    title = submission.title.strip().rstrip(".")
    first, _, rest = title.partition(" ")
    # Inside a sentence "Instructional coaching ..." reads "instructional coaching ...", but an
    # abbreviation or a name ("PE", "Makaton", "Boccia") keeps its capital: a name is written
    # with one inside the answers' sentences and never without.
    body = " ".join(submission.answers.values())
    word = first.strip(",:;")
    capitalised = re.search(rf"(?<![.!?:] )(?<![\n])(?<!^)\b{re.escape(word)}\b", body)
    lower = re.search(rf"\b{re.escape(word.lower())}\b", body)
    if not ((word.isupper() and len(word) > 1) or (capitalised and not lower)):
        title = first[0].lower() + first[1:] + (" " + rest if rest else "")
    needs = [NEED_PHRASES[c] for c in (submission.need_codes or []) if c in NEED_PHRASES]
    # Not "... adapting PE for pupils with physical disabilities, for pupils with physical
    # disabilities": a need the title names already is not named again.
    needs = [n for n in needs if n.replace("pupils with ", "").split()[0][:5] not in title.lower()][
        :2
    ]
    if len(needs) == 2:
        needs = [needs[0], needs[1].removeprefix("pupils ").replace("with ", "those with ", 1)]
    for_whom = f", for {' and '.join(needs)}" if needs else ""
    if "16_plus" in (submission.phases or []) and len(submission.phases) == 1:
        for_whom = for_whom.replace("pupils", "students")
    verb = VERBS[sum(map(ord, submission.reference)) % len(VERBS)]
    return f"{who} {verb} {title}{for_whom}."


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
