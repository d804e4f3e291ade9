"""Agreement figures: blind double coding, model against human, and the report's method summary.

The unit of agreement is a passage of the call's current analysis run. A person's coding labels
every passage its words overlap (same submission and answer); sub-codes count for their
top-level principle, because that is the level the model codes at. A reviewed submission's
passages that no one coded count as "coded, none apply" — that is what makes recall measurable.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q

from inpractice.analysis.agreement import per_code_agreement
from inpractice.analysis.codebook import Codebook, CodebookError, codebook_from_dict
from inpractice.analysis.shipped import model_in_words
from inpractice.coding.models import AnalysisRun, CodeApplication, Passage
from inpractice.coding.runs import current_run

from .models import Coding, DoubleCodingSample, SubmissionReview


def current_codebook(call) -> Codebook:
    """The working codebook (the newest saved version, else the call's own), parsed."""
    from .codebook_editing import working_codebook

    raw, _number = working_codebook(call)
    try:
        return codebook_from_dict(raw)
    except CodebookError:
        return codebook_from_dict(call.codebook)


def human_codings(call):
    """Codings that count as people's decisions: active, applied, and not blind (or consensus)."""
    return Coding.objects.filter(call=call, active=True, decision=Coding.Decision.APPLIED).filter(
        Q(sample__isnull=True) | Q(origin=Coding.Origin.CONSENSUS)
    )


def human_rejections(call):
    """Proposals people rejected, counted like `human_codings` (active, not blind)."""
    return Coding.objects.filter(call=call, active=True, decision=Coding.Decision.REJECTED).filter(
        Q(sample__isnull=True) | Q(origin=Coding.Origin.CONSENSUS)
    )


def top_level_map(codebook: Codebook) -> dict[str, str]:
    """Every code id to its top-level ancestor's id."""
    mapping: dict[str, str] = {}
    for top in codebook.codes:
        for code in top.walk():
            mapping[code.id] = top.id
    return mapping


def code_names(codebook: Codebook) -> dict[str, str]:
    return {code.id: code.name for code in codebook.walk()}


def _passages(run: AnalysisRun, submission_ids: Iterable[int]) -> list[dict]:
    return list(
        Passage.objects.filter(run=run, submission_id__in=list(submission_ids))
        .order_by()
        .values("id", "submission_id", "field", "start", "end")
    )


def label_passages(
    passages: list[dict], codings: Iterable[Coding], to_top: dict[str, str]
) -> dict[int, set[str]]:
    """Passage id -> top-level codes of the codings whose words overlap it."""
    by_answer: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for p in passages:
        by_answer[(p["submission_id"], p["field"])].append(p)
    labels: dict[int, set[str]] = {p["id"]: set() for p in passages}
    for coding in codings:
        code = to_top.get(coding.code_id)
        if code is None:
            continue
        for p in by_answer.get((coding.submission_id, coding.field), ()):
            if p["start"] < coding.end and coding.start < p["end"]:
                labels[p["id"]].add(code)
    return labels


def _clean(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _interval(ci) -> list[float] | None:
    if ci is None or any(math.isnan(x) for x in ci):
        return None
    return [round(ci[0], 3), round(ci[1], 3)]


# -- model against human ----------------------------------------------------------------------


def model_vs_human(call, run: AnalysisRun | None = None, ci: bool = True) -> dict:
    """Precision, recall and F1 of the run's codes against reviewed human coding, per code."""
    run = run or current_run(call)
    result = {"run": run, "reviewed_submissions": 0, "passages": 0, "codes": []}
    if run is None:
        return result
    result["model"] = model_in_words((run.parameters or {}).get("coder"))
    reviewed = list(
        SubmissionReview.objects.filter(call=call, reviewed=True).values_list(
            "submission_id", flat=True
        )
    )
    result["reviewed_submissions"] = len(reviewed)
    if not reviewed:
        return result
    passages = _passages(run, reviewed)
    if not passages:
        return result
    codebook = current_codebook(call)
    to_top = top_level_map(codebook)
    codings = human_codings(call).filter(submission_id__in=reviewed)
    human = label_passages(passages, codings, to_top)
    model: dict[int, set[str]] = {p["id"]: set() for p in passages}
    for passage_id, code_id in CodeApplication.objects.filter(
        passage_id__in=list(model), applied=True
    ).values_list("passage_id", "code_id"):
        model[passage_id].add(code_id)
    codes = list(run.code_ids)
    stats = per_code_agreement(human, model, codes, ci=ci, n_resamples=500, ignore_unknown=True)
    names = code_names(codebook)
    result["passages"] = len(passages)
    result["codes"] = [
        {
            "code_id": code,
            "name": names.get(code, code),
            "n": s.n_units,
            "human": s.both + s.a_only,
            "model": s.both + s.b_only,
            "both": s.both,
            "precision": _clean(s.precision),
            "recall": _clean(s.recall),
            "f1": _clean(s.f1),
            "f1_ci": _interval(s.f1_ci),
        }
        for code, s in stats.items()
    ]
    return result


# -- blind double coding ----------------------------------------------------------------------


def sample_labels(sample: DoubleCodingSample, run: AnalysisRun, to_top: dict[str, str]):
    """Passage labels of coder A and coder B within the sample, and the passages compared."""
    submission_ids = list(sample.submissions.values_list("pk", flat=True))
    passages = _passages(run, submission_ids)
    codings = list(
        Coding.objects.filter(sample=sample, active=True, decision=Coding.Decision.APPLIED)
    )
    a = label_passages(passages, [c for c in codings if c.coder_id == sample.coder_a_id], to_top)
    b = label_passages(passages, [c for c in codings if c.coder_id == sample.coder_b_id], to_top)
    return passages, a, b


def sample_agreement(sample: DoubleCodingSample, ci: bool = True) -> dict:
    """Cohen's kappa and Krippendorff's alpha per code between the sample's two coders."""
    run = current_run(sample.call)
    out = {"run": run, "passages": [], "codes": [], "disagreements": []}
    if run is None:
        return out
    codebook = current_codebook(sample.call)
    to_top = top_level_map(codebook)
    passages, a, b = sample_labels(sample, run, to_top)
    out["passages"] = passages
    if not passages:
        return out
    codes = [c.id for c in codebook.codes]
    stats = per_code_agreement(a, b, codes, ci=ci, n_resamples=500, ignore_unknown=True)
    names = code_names(codebook)
    out["codes"] = [
        {
            "code_id": code,
            "name": names.get(code, code),
            "n": s.n_units,
            "both": s.both,
            "a_only": s.a_only,
            "b_only": s.b_only,
            "percent_agreement": _clean(s.percent_agreement),
            "kappa": _clean(s.kappa),
            "kappa_ci": _interval(s.kappa_ci),
            "alpha": _clean(s.alpha),
            "alpha_ci": _interval(s.alpha_ci),
        }
        for code, s in stats.items()
    ]
    out["disagreements"] = [
        {"passage_id": p["id"], "code_id": code, "a": code in a[p["id"]], "b": code in b[p["id"]]}
        for p in passages
        for code in codes
        if (code in a[p["id"]]) != (code in b[p["id"]])
    ]
    return out


# -- the report's method section --------------------------------------------------------------


def method_summary(call) -> dict:
    """Who coded and how well they and the model agree, for a call's report.

    Keys: ``coders`` (list of display names of people who coded), ``human_coded_passages`` (int),
    ``reviewed_submissions`` (int), ``double_coded_submissions`` (int), ``agreement`` (list of
    dicts: code_id, name, n, kappa, kappa_ci [lo, hi] or None, alpha, alpha_ci), and
    ``model_vs_human`` (list of dicts: code_id, name, n, precision, recall, f1, f1_ci).
    Undefined statistics (a code never used) are None; show those as "not defined".
    """
    User = get_user_model()
    coder_ids = set(
        Coding.objects.filter(call=call, active=True).values_list("coder_id", flat=True)
    )
    coders = sorted(
        (u.get_full_name() or u.username) for u in User.objects.filter(pk__in=coder_ids)
    )
    coded_passages = 0
    run = current_run(call)
    if run is not None:
        coded_submissions = set(
            Coding.objects.filter(call=call, active=True).values_list("submission_id", flat=True)
        )
        passages = _passages(run, coded_submissions)
        labels = label_passages(
            passages,
            Coding.objects.filter(call=call, active=True, decision=Coding.Decision.APPLIED),
            top_level_map(current_codebook(call)),
        )
        coded_passages = sum(1 for codes in labels.values() if codes)
    # Agreement pooled over completed samples: the latest completed sample stands for the team.
    agreement: list[dict] = []
    samples = [s for s in DoubleCodingSample.objects.filter(call=call) if s.complete]
    double_coded = set()
    for sample in samples:
        double_coded.update(sample.submissions.values_list("pk", flat=True))
    if samples:
        agreement = [
            {k: row[k] for k in ("code_id", "name", "n", "kappa", "kappa_ci", "alpha", "alpha_ci")}
            for row in sample_agreement(samples[0])["codes"]
        ]
    versus = model_vs_human(call, run)
    return {
        "coders": coders,
        "human_coded_passages": coded_passages,
        "reviewed_submissions": versus["reviewed_submissions"],
        "double_coded_submissions": len(double_coded),
        "agreement": agreement,
        "model_vs_human": [
            {k: row[k] for k in ("code_id", "name", "n", "precision", "recall", "f1", "f1_ci")}
            for row in versus["codes"]
        ],
    }
