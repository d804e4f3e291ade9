"""Benchmark the programme team's submissions list, a submission's page and the export on a call
of 100,000 submissions; prints JSON.

    python -m bench.submissions_bench --database postgres   # a scratch PostgreSQL database
    python -m bench.submissions_bench                       # SQLite file under var/bench/

Builds the call once per database and size (reused on later runs): submissions with short
answers, two or three covered schools each from a register of 3,000 schools in every region, and
a succeeded analysis run with a passage for four in five of them (enough for "analysed" to mean
what it does on the page; the text itself does not matter here). Each page is requested through
Django's test client as a signed-in programme admin (`--repeat` times: median and p95
milliseconds, SQL queries per page), so it measures the server's work, not the network.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

from bench.database import use_database

ROOT = Path(__file__).resolve().parent.parent
SLUG = "submissions-bench"


def _setup(database: str, n: int) -> None:
    use_database(database, "inpractice_submissions_bench", sqlite_name=f"submissions-{n}")


def _build(n: int):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from inpractice.coding.models import AnalysisRun, Passage
    from inpractice.intake.choices import OrganisationType, Phase
    from inpractice.intake.models import CallForEvidence, CoveredSchool, Submission
    from inpractice.schools.models import LocalAuthority, School

    call = CallForEvidence.objects.filter(slug=SLUG).first()
    if call is not None and call.submissions.count() == n:
        return call, None  # built by an earlier run
    started = time.perf_counter()
    rng = random.Random(15)
    now = timezone.now()
    with transaction.atomic():
        if call is not None:
            AnalysisRun.objects.filter(call=call).delete()
            CoveredSchool.objects.filter(submission__call=call).delete()
            call.submissions.all().delete()
            call.delete()
        call = CallForEvidence.objects.create(
            slug=SLUG,
            title="Submissions bench",
            introduction="Benchmark call.",
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=1),
        )
        las = list(LocalAuthority.objects.exclude(region=""))
        School.objects.filter(urn__gte=800000, urn__lt=803000).delete()
        words = ["Oak", "Hill", "River", "Park", "Meadow", "Church", "Valley", "Green", "Castle"]
        schools = School.objects.bulk_create(
            School(
                urn=800000 + i,
                name=f"{rng.choice(words)}{rng.choice(['field', 'side', 'way', 'gate'])} "
                f"{rng.choice(['Primary', 'Infant', 'Junior', 'High'])} School {i}",
                local_authority=(la := las[i % len(las)]),
                region=la.region,
                town=la.name,
                phase=rng.choice(["primary", "secondary"]),
                synthetic=True,
            )
            for i in range(3000)
        )
        org_types = [c for c, _ in OrganisationType.choices]
        phases = [c for c, _ in Phase.choices]
        batch = 5000
        made = 0
        while made < n:
            size = min(batch, n - made)
            subs = Submission.objects.bulk_create(
                Submission(
                    call=call,
                    status="submitted" if (made + i) % 20 else "draft",
                    reference=_reference(made + i) if (made + i) % 20 else None,
                    resume_token_hash=f"{made + i:064d}",
                    respondent_name=f"Person {made + i}",
                    respondent_email=f"person{made + i}@example.org",
                    organisation_name=f"{rng.choice(words)} Organisation {made + i}",
                    organisation_type=rng.choice(org_types),
                    coverage="urn_list",
                    title=f"Practice {made + i}",
                    phases=rng.sample(phases, rng.randint(1, 2)),
                    answers={"practice": "Pupils start the day in a calm room."},
                    submitted_at=now - timedelta(minutes=made + i) if (made + i) % 20 else None,
                )
                for i in range(size)
            )
            CoveredSchool.objects.bulk_create(
                CoveredSchool(submission=s, urn=school.urn, school=school)
                for s in subs
                for school in rng.sample(schools, rng.randint(2, 3))
            )
            made += size
        run = AnalysisRun.objects.create(
            call=call,
            status=AnalysisRun.Status.SUCCEEDED,
            embedder="bench",
            code_version="bench",
            finished_at=now,
        )
        ids = list(call.submissions.filter(status="submitted").values_list("pk", flat=True))
        Passage.objects.bulk_create(
            (
                Passage(run=run, submission_id=pk, field="practice", index=0, start=0, end=6,
                        text="Pupils")
                for pk in ids
                if pk % 5
            ),
            batch_size=5000,
        )  # fmt: skip
    if os.environ["DATABASE_URL"].startswith("postgres"):
        from django.db import connection

        # As autovacuum would soon after a load: statistics, and the visibility map that lets
        # counts use the indexes alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return call, time.perf_counter() - started


ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def _reference(i: int) -> str:
    body = ""
    for _ in range(8):
        i, r = divmod(i, len(ALPHABET))
        body += ALPHABET[r]
    return f"IP-{body[:4]}-{body[4:]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    _setup(args.database, args.submissions)
    from bench.workspace_bench import _time

    call, build_s = _build(args.submissions)
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from inpractice.accounts.roles import add_staff

    add_staff("bench-admin@example.org", "programme-admin", "a long bench passphrase 42")
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-admin@example.org"))
    base = reverse("staff:submissions", args=[call.slug])
    sample = call.submissions.filter(status="submitted").order_by("pk")[1234]
    r = args.repeat
    pages = {
        "list_newest": _time(client, base, r),
        "list_page_1000": _time(client, base + "?page=1000", r),
        "list_by_organisation_page_500": _time(client, base + "?sort=organisation&page=500", r),
        "search_reference": _time(client, base + f"?q={sample.reference.lower()}", r),
        "search_organisation": _time(client, base + "?q=meadow+organisation+4", r),
        "search_school_name": _time(client, base + "?q=castlegate+junior", r),
        "search_urn": _time(client, base + "?q=801234", r),
        "filter_region": _time(client, base + "?region=E12000007", r),
        "filter_phase_and_type": _time(client, base + "?phase=secondary&org_type=trust", r),
        "filter_analysed_no": _time(client, base + "?analysed=no", r),
        "filter_analysed_yes_region_page_50": _time(
            client, base + "?analysed=yes&region=E12000003&page=50", r
        ),
        "drafts": _time(client, base + "?status=draft", r),
        "submission_page": _time(
            client, reverse("staff:submission", args=[call.slug, sample.pk]), r
        ),
        "export_csv_one_region": _time(
            client,
            reverse("staff:submissions_export", args=[call.slug]) + "?region=E12000001",
            max(1, r // 5),
        ),
        "export_csv_all": _time(
            client, reverse("staff:submissions_export", args=[call.slug]) + "?format=csv", 1
        ),
    }
    result = {
        "bench": "submissions",
        "database": args.database,
        "submissions": args.submissions,
        "build_seconds": None if build_s is None else round(build_s, 1),
        "note": "median and p95 ms per page through the test client, as a programme admin; "
        "two shared CPU cores, with other test runs on the machine",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "pages": pages,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
