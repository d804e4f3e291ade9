"""Small, hand-checkable calls for the report's tests: submissions, covered schools and an
analysis run written row by row (no model), so every expected figure can be worked out by hand."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from inpractice.analysis.codebook import default_codebook_dict
from inpractice.coding.models import (
    AnalysisRun,
    Mention,
    Quote,
    SubmissionResult,
    Theme,
)
from inpractice.intake.coverage import replace_covered_schools, schools_for
from inpractice.intake.models import Submission, new_reference

XSS = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


def close(call) -> None:
    now = timezone.now()
    type(call).objects.filter(pk=call.pk).update(
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1)
    )
    call.refresh_from_db()


def submission(
    call,
    n: int,
    *,
    org_type="school",
    phases=("primary",),
    needs=("ASD",),
    urns=(),
    coverage="urn_list",
    consent="anonymised",
    trust=None,
    la=None,
    status="submitted",
) -> Submission:
    s = Submission.objects.create(
        call=call,
        status=status,
        reference=new_reference() if status == "submitted" else None,
        submitted_at=timezone.now() if status == "submitted" else None,
        resume_token_hash=Submission.new_token()[1],
        organisation_type=org_type,
        organisation_name=f"Organisation {n}",
        respondent_name=f"Respondent Person{n}",
        respondent_email=f"respondent{n}@contact.example.org",
        respondent_role="SENCO",
        title=f"Example {n}",
        coverage=coverage,
        phases=list(phases),
        need_codes=list(needs),
        need_description="Pupils who find change hard.",
        answers={
            "practice": f"Unpublished practice text number {n}.",
            "impact": "",
            "enablers": "",
        },
        consent_publication=consent,
        consent_contact=True,
    )
    if coverage == "trust":
        pairs = schools_for("trust", trust=trust)
    elif coverage == "local_authority":
        pairs = schools_for("local_authority", local_authority=la)
    else:
        pairs = schools_for(coverage, urns=list(urns))
    replace_covered_schools(s, pairs)
    return s


def run_for(call, codes: dict[Submission, list[str]]) -> AnalysisRun:
    """A succeeded run that applied `codes` to each submission (the five-principle codebook)."""
    codebook = default_codebook_dict()
    run = AnalysisRun.objects.create(
        call=call,
        status=AnalysisRun.Status.SUCCEEDED,
        finished_at=timezone.now(),
        embedder="test-embedder",
        code_version="inpractice test",
        parameters={"seed": 7},
        codebook=codebook,
        code_ids=[c["id"] for c in codebook["codes"]],
        thresholds=[0.3] * len(codebook["codes"]),
        counts={"submissions": len(codes), "passages": 10},
    )
    SubmissionResult.objects.bulk_create(
        SubmissionResult(
            run=run,
            submission=s,
            codes=list(c),
            probabilities={},
            evidence_score=0.5,
            evidence_rich=True,
        )
        for s, c in codes.items()
    )
    return run


def quote(run, s, code_id: str, text: str, rank: int = 0, theme=None) -> Quote:
    return Quote.objects.create(
        run=run,
        code_id=code_id,
        theme=theme,
        submission=s,
        field="practice",
        start=0,
        end=len(text),
        text=text,
        score=0.9,
        rank=rank,
    )


def theme(run, number: int, label: str, submissions: int, size: int = 5) -> Theme:
    return Theme.objects.create(
        run=run,
        number=number,
        label=label,
        key_phrases=[label],
        size=size,
        submissions=submissions,
        coherence=0.5,
        coverage=0.5,
    )


def mention(run, s, mention_id: str, name: str, kind: str, known: bool = True) -> Mention:
    return Mention.objects.create(
        run=run,
        submission=s,
        field="practice",
        start=0,
        end=len(name),
        mention_id=mention_id,
        name=name,
        kind=kind,
        known=known,
    )


def staff_client(client, role: str):
    """`client` signed in as a new staff user with `role` (a key of accounts.roles.ROLES)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from inpractice.accounts.roles import ROLES

    user = get_user_model().objects.create_user(username=f"{role}@example.gov.uk")
    user.groups.add(Group.objects.get_or_create(name=ROLES[role])[0])
    client.force_login(user)
    return client
