"""Re-run the coder with analysts' accepted codes as training examples, and say what changed.

Training labels come from people, never from the model: a call's active, applied human codings
(outside blind samples, or agreed after double coding) label the passages of the call's current
run (`coding.runs.current_run`) that they overlap, mapped to top-level codes because the coder
works at the top level; every other passage of a submission marked reviewed is labelled "no
code"; and a proposal an analyst rejected makes its passage a negative example of that code (and
only that code, unless the submission is reviewed).

Retraining uses the same `Coder.fit` as everything else, with folds grouped by submission. For
each code, the new model replaces the one coding the call now (the shipped model, for the five
principles) only if its cross-validated F1 on the analysts' labels is at least what the current
model scores on those same labels — labels the current model never saw — and the run records
why each code kept or changed its model. The coder then analyses the whole call as a new
`AnalysisRun` (all or nothing, like any run), and the difference from the current run is stored
with it and shown on the retrain page. The new run is not current until a lead analyst promotes
it (ADR 15).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction

from inpractice.analysis.coder import Coder
from inpractice.analysis.embeddings import StaticEmbedder
from inpractice.analysis.shipped import default_coder
from inpractice.coding.models import AnalysisRun, CodeApplication, Passage, SubmissionResult
from inpractice.coding.runner import run_analysis
from inpractice.coding.runs import current_run

from .codebook_editing import code_names, top_level_of, validate, working_codebook
from .events import record
from .metrics import human_codings, human_rejections
from .models import Coding, SubmissionReview

# The retrain form runs in the request only for calls this small; bigger ones use the CLI
# (`inpractice retrain --call SLUG`), so no web worker is held for minutes.
IN_REQUEST_LIMIT = 1000
EXAMPLES_PER_CHANGE = 3
EMBEDDER_SAMPLE = 20_000
CHUNK = 500


class RetrainError(ValueError):
    """Retraining cannot start; the message says what to do (e.g. how many more codes)."""


@dataclass
class CodeReadiness:
    code_id: str
    name: str
    positive: int
    negative: int
    min_examples: int

    @property
    def trainable(self) -> bool:
        return min(self.positive, self.negative) >= self.min_examples

    @property
    def more_positive(self) -> int:
        return max(0, self.min_examples - self.positive)

    @property
    def more_negative(self) -> int:
        return max(0, self.min_examples - self.negative)


@dataclass
class TrainingSet:
    run: AnalysisRun | None
    passage_ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    labels: list[list[str]] = field(default_factory=list)
    # Per passage, codes nobody decided on (passages of unreviewed submissions).
    unknown: list[list[str]] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)  # the submission of each passage
    codings_used: int = 0
    rejections_used: int = 0
    codings_unmatched: int = 0
    unknown_codes: list[str] = field(default_factory=list)
    readiness: list[CodeReadiness] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.texts)

    @property
    def trainable(self) -> list[str]:
        return [r.code_id for r in self.readiness if r.trainable]

    def shortfall(self) -> str:
        """In words: what more is needed before any code can be trained."""
        parts = []
        for r in self.readiness:
            need = []
            if r.more_positive:
                need.append(f"{r.more_positive} more passage(s) coded {r.code_id}")
            if r.more_negative:
                need.append(f"{r.more_negative} more reviewed passage(s) without it")
            if need:
                parts.append(f"{r.name} ({r.code_id}): {' and '.join(need)}")
        return "; ".join(parts)


def training_set(
    call, codebook: dict | None = None, min_examples: int | None = None, texts: bool = True
) -> TrainingSet:
    """Passages of the current run labelled by people's codes (see the module docstring).

    With `texts=False` only the labels are read (what a page needs to count examples).
    """
    codebook = codebook if codebook is not None else working_codebook(call)[0]
    tops = top_level_of(codebook)
    names = code_names(codebook)
    min_examples = (
        min_examples
        if min_examples is not None
        else Coder.__dataclass_fields__["min_examples"].default
    )
    run = current_run(call)
    out = TrainingSet(run)
    if run is None:
        out.readiness = [
            CodeReadiness(c["id"], c["name"], 0, 0, min_examples) for c in codebook["codes"]
        ]
        return out

    by_submission: dict[int, list[Coding]] = defaultdict(list)
    unknown: set[str] = set()
    for coding in human_codings(call).only("submission_id", "field", "start", "end", "code_id"):
        if coding.code_id not in tops:
            unknown.add(coding.code_id)
            continue
        by_submission[coding.submission_id].append(coding)
    rejected: dict[int, list[Coding]] = defaultdict(list)
    for coding in human_rejections(call).only("submission_id", "field", "start", "end", "code_id"):
        if coding.code_id in tops:
            rejected[coding.submission_id].append(coding)
    reviewed = set(
        SubmissionReview.objects.filter(call=call, reviewed=True).values_list(
            "submission_id", flat=True
        )
    )
    top_ids = [c["id"] for c in codebook["codes"]]
    submissions = sorted(set(by_submission) | set(rejected) | reviewed)
    matched: set[int] = set()
    rejections: set[int] = set()
    for i in range(0, len(submissions), CHUNK):
        chunk = submissions[i : i + CHUNK]
        passages = Passage.objects.filter(run=run, submission_id__in=chunk).order_by(
            "submission_id", "index"
        )
        columns = ["id", "submission_id", "field", "start", "end"] + (["text"] if texts else [])
        for p in passages.only(*columns):
            codes = set()
            for c in by_submission.get(p.submission_id, ()):
                if c.field == p.field and c.start < p.end and p.start < c.end:
                    codes.add(tops[c.code_id])
                    matched.add(c.pk)
            negatives = set()
            for c in rejected.get(p.submission_id, ()):
                # A rejection names the passage the proposal was on: it must cover it.
                if c.field == p.field and c.start <= p.start and p.end <= c.end:
                    negatives.add(tops[c.code_id])
                    rejections.add(c.pk)
            negatives -= codes
            if codes or negatives or p.submission_id in reviewed:
                out.passage_ids.append(p.pk)
                out.texts.append(p.text if texts else "")
                out.labels.append(sorted(codes))
                out.groups.append(p.submission_id)
                out.unknown.append(
                    []
                    if p.submission_id in reviewed
                    else [c for c in top_ids if c not in codes and c not in negatives]
                )
    total = sum(len(v) for v in by_submission.values())
    out.codings_used = len(matched)
    out.rejections_used = len(rejections)
    out.codings_unmatched = total - len(matched)
    out.unknown_codes = sorted(unknown)
    for code in codebook["codes"]:
        positive = sum(code["id"] in row for row in out.labels)
        undecided = sum(code["id"] in row for row in out.unknown)
        out.readiness.append(
            CodeReadiness(
                code["id"],
                names[code["id"]],
                positive,
                out.size - positive - undecided,
                min_examples,
            )
        )
    return out


class _CorpusWeightedEmbedder(StaticEmbedder):
    """The static embedder with corpus weights fitted once, here, before the coder is trained.

    `analyse` re-fits a static embedder's weights on the corpus; doing that after training would
    change the features under the trained classifiers. Fitted once, training and coding see the
    same embeddings.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fitted = False

    def fit(self, texts):
        if not self._fitted:
            super().fit(texts)
            self._fitted = True
        return self


def _fit_embedder(run: AnalysisRun, seed: int) -> _CorpusWeightedEmbedder:
    embedder = _CorpusWeightedEmbedder()
    ids = list(Passage.objects.filter(run=run).order_by("pk").values_list("pk", flat=True))
    if len(ids) > EMBEDDER_SAMPLE:
        rng = np.random.default_rng(seed)
        ids = sorted(rng.choice(ids, size=EMBEDDER_SAMPLE, replace=False).tolist())
    texts: list[str] = []
    for i in range(0, len(ids), 5000):
        texts += list(
            Passage.objects.filter(pk__in=ids[i : i + 5000]).values_list("text", flat=True)
        )
    embedder.fit(texts)
    return embedder


def retrain(call, actor=None, seed: int = 0, progress=None) -> AnalysisRun:
    """Fit the coder on people's codes, analyse the call with it, and record what changed."""
    codebook, version = working_codebook(call)
    parsed = validate(codebook)
    data = training_set(call, codebook)
    if data.run is None:
        raise RetrainError(
            "There is no successful analysis of this call yet: run the analysis first."
        )
    if not data.trainable:
        raise RetrainError(
            "Not enough people's codes to train any code yet. Each code needs at least "
            f"{data.readiness[0].min_examples if data.readiness else 4} passages with it and as "
            f"many reviewed passages without it. Still needed: {data.shortfall()}."
        )
    previous = data.run
    embedder = _fit_embedder(previous, seed)
    coder, choices = choose_models(parsed, embedder, data, seed)
    run = run_analysis(
        call,
        seed=seed,
        progress=progress,
        coder=coder,
        codebook=codebook,
        parameters={
            "retrain": {
                "previous_run": previous.pk,
                "training_size": data.size,
                "training_with_codes": sum(bool(row) for row in data.labels),
                "codings_used": data.codings_used,
                "rejections_used": data.rejections_used,
                "codebook_version": version,
                "trained_codes": data.trainable,
                "model_choices": choices,
            }
        },
    )
    changes = what_changed(previous, run, codebook)
    with transaction.atomic():
        parameters = {**run.parameters, "what_changed": changes}
        AnalysisRun.objects.filter(pk=run.pk).update(parameters=parameters)
        run.parameters = parameters
        record(
            call,
            actor,
            "coder.retrained",
            f"run:{run.pk}",
            before={"run": previous.pk},
            after={"run": run.pk, **parameters["retrain"], "what_changed": changes},
        )
    return run


def choose_models(parsed, embedder, data: TrainingSet, seed: int = 0) -> tuple[Coder, dict]:
    """Fit on the analysts' labels and, code by code, keep whichever model scores better on them.

    The current model (shipped, or zero-shot for a codebook without one) never saw these labels,
    so its F1 on them is a fair out-of-sample figure to set against the new model's
    cross-validated F1. A tie goes to the new model: it learnt this call's way of writing.
    """
    base = default_coder(parsed, embedder=embedder, seed=seed)
    new = Coder(parsed, embedder=embedder, level="top", seed=seed).fit(
        data.texts, data.labels, groups=data.groups, unknown=data.unknown
    )
    probs = base.predict_proba(data.texts) if base.models_ else None
    thresholds = base.thresholds()
    choices: dict[str, dict] = {}
    adopt = []
    for j, code in enumerate(base.code_ids):
        if code not in new.models_:
            kept = "current" if code in base.models_ else "none"
            reason = "too few analysts' examples to train it"
            choices[code] = {"model": kept, "reason": reason}
            continue
        fresh = new.models_[code].cv_f1
        if code not in base.models_:
            adopt.append(code)
            choices[code] = {
                "model": "new",
                "new_cv_f1": fresh,
                "reason": "nothing trained codes it yet",
            }
            continue
        rows = np.array([code not in row for row in data.unknown], dtype=bool)
        y = np.array([code in row for row in data.labels], dtype=bool)[rows]
        predicted = probs[rows, j] >= thresholds[j]
        denominator = int(predicted.sum() + y.sum())
        current = round(2 * int((predicted & y).sum()) / denominator, 4) if denominator else 0.0
        better = fresh >= current
        if better:
            adopt.append(code)
        choices[code] = {
            "model": "new" if better else "current",
            "new_cv_f1": fresh,
            "current_f1": current,
            "passages": int(rows.sum()),
            "reason": (
                f"the new model's cross-validated F1 {fresh:.2f} is at least the current "
                f"model's {current:.2f} on the same {int(rows.sum())} passages"
                if better
                else f"kept the current model: the new model's cross-validated F1 {fresh:.2f} "
                f"is below the current model's {current:.2f} on the same "
                f"{int(rows.sum())} passages"
            ),
        }
    return base.adopt(new, adopt), choices


def _applied(run: AnalysisRun, code_ids: list[str]) -> dict[str, dict[tuple, int]]:
    """For each code, the passages it was applied to, keyed by where they are (not their row id,
    which differs between runs)."""
    out: dict[str, dict[tuple, int]] = {c: {} for c in code_ids}
    rows = CodeApplication.objects.filter(run=run, applied=True, code_id__in=code_ids).values_list(
        "code_id",
        "passage_id",
        "passage__submission_id",
        "passage__field",
        "passage__start",
        "passage__end",
    )
    for code, pid, sid, fld, start, end in rows.iterator(chunk_size=5000):
        out[code][(sid, fld, start, end)] = pid
    return out


def _submissions(run: AnalysisRun) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for sid, codes in (
        SubmissionResult.objects.filter(run=run)
        .values_list("submission_id", "codes")
        .iterator(chunk_size=5000)
    ):
        for code in codes or []:
            out[code].add(sid)
    return out


def _examples(passage_ids: list[int]) -> list[dict]:
    rows = Passage.objects.filter(pk__in=passage_ids).select_related("submission").order_by("pk")
    return [
        {
            "passage": p.pk,
            "submission": p.submission.reference or str(p.submission_id),
            "text": p.text[:400],
        }
        for p in rows
    ]


def what_changed(before: AnalysisRun, after: AnalysisRun, codebook: dict) -> dict:
    """Per top-level code: passages and submissions coded before and after, gained and lost."""
    names = code_names(codebook)
    codes = list(after.code_ids or [c["id"] for c in codebook["codes"]])
    old, new = _applied(before, codes), _applied(after, codes)
    old_subs, new_subs = _submissions(before), _submissions(after)
    trained = set(after.parameters.get("trained_codes") or [])
    rows = []
    for code in codes:
        gained = sorted(new[code].keys() - old[code].keys())
        lost = sorted(old[code].keys() - new[code].keys())
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "trained": code in trained,
                "passages_before": len(old[code]),
                "passages_after": len(new[code]),
                "gained": len(gained),
                "lost": len(lost),
                "submissions_before": len(old_subs.get(code, ())),
                "submissions_after": len(new_subs.get(code, ())),
                "submissions_gained": len(new_subs.get(code, set()) - old_subs.get(code, set())),
                "submissions_lost": len(old_subs.get(code, set()) - new_subs.get(code, set())),
                "gained_examples": _examples([new[code][k] for k in gained[:EXAMPLES_PER_CHANGE]]),
                "lost_examples": _examples([old[code][k] for k in lost[:EXAMPLES_PER_CHANGE]]),
            }
        )
    return {"previous_run": before.pk, "run": after.pk, "codes": rows}


def retrain_runs(call):
    """Runs made by retraining, newest first."""
    return AnalysisRun.objects.filter(call=call, parameters__has_key="retrain").order_by(
        "-started_at", "-pk"
    )
