"""The programme team's submissions: search, filters, sorting, paging, one submission, export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from inpractice.accounts.roles import add_staff
from inpractice.coding.models import AnalysisRun, Passage
from inpractice.intake.models import CoveredSchool, Submission, SubmissionStatus
from inpractice.privacy.models import AuditAction, AuditEvent
from inpractice.staff.listing import normalise_reference

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_client(client):
    add_staff("lead@example.org", "programme-admin", PASSWORD)
    assert client.login(username="lead@example.org", password=PASSWORD)
    return client


def _submission(
    call,
    reference,
    organisation,
    *,
    org_type="school",
    phases=("primary",),
    urns=(),
    register=None,
    status=SubmissionStatus.SUBMITTED,
    minutes=0,
    **extra,
):
    _, token_hash = Submission.new_token()
    s = Submission.objects.create(
        call=call,
        status=status,
        reference=reference if status == SubmissionStatus.SUBMITTED else None,
        resume_token_hash=token_hash,
        respondent_name=extra.pop("name", "Zed Respondent"),
        respondent_email=extra.pop("email", "zed@example.org"),
        respondent_role="SENCO",
        organisation_name=organisation,
        organisation_type=org_type,
        coverage="urn_list" if len(urns) > 1 else "one_school",
        title=extra.pop("title", f"Practice at {organisation}"),
        phases=list(phases),
        answers={"practice": "A calm start to every day.", "impact": "Attendance rose."},
        consent_publication="anonymised",
        consent_contact=True,
        submitted_at=timezone.now() - timedelta(minutes=minutes)
        if status == SubmissionStatus.SUBMITTED
        else None,
        **extra,
    )
    by_urn = {school.urn: school for school in (register or {}).get("schools", [])}
    for urn in urns:
        CoveredSchool.objects.create(
            submission=s, urn=urn, school=by_urn.get(urn), in_register=urn in by_urn
        )
    return s


@pytest.fixture
def submissions(open_call, register):
    """Four sent (two schools in Camden, a Leeds secondary, a trust) and one draft."""
    made = {
        "oakfield": _submission(open_call, "IP-AAAA-2222", "Oakfield Primary School",
                                urns=[100001], register=register, minutes=40),
        "hillside": _submission(open_call, "IP-BBBB-3333", "Hillside Infant School",
                                urns=[100003], register=register, minutes=30),
        "kirkstall": _submission(open_call, "IP-CCCC-4444", "Kirkstall Valley High",
                                 phases=["secondary"], urns=[107002], register=register,
                                 minutes=20),
        "trust": _submission(open_call, "IP-DDDD-5555", "Northern Lights Academy Trust",
                             org_type="trust", phases=["primary", "secondary"],
                             urns=[100001, 100002, 999999], register=register, minutes=10),
        "draft": _submission(open_call, None, "Draft Academy", status=SubmissionStatus.DRAFT,
                             urns=[107001], register=register),
    }  # fmt: skip
    return made


def _list(client, **params):
    response = client.get(reverse("staff:submissions", args=["open-call"]), params)
    return response, response.content.decode()


def _references(body: str) -> list[str]:
    import re

    return re.findall(r"<strong>(IP-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>", body)


def _analyse(call, *subs) -> AnalysisRun:
    run = AnalysisRun.objects.create(
        call=call,
        status=AnalysisRun.Status.SUCCEEDED,
        embedder="static",
        code_version="test",
        finished_at=timezone.now(),
    )
    for s in subs:
        Passage.objects.create(
            run=run, submission=s, field="practice", index=0, start=0, end=12, text="A calm start"
        )
    return run


def test_the_list_shows_sent_submissions_newest_first_each_linking_to_its_page(
    admin_client, submissions
):
    response, body = _list(admin_client)
    assert response.status_code == 200
    assert _references(body) == ["IP-DDDD-5555", "IP-CCCC-4444", "IP-BBBB-3333", "IP-AAAA-2222"]
    assert "4 submissions" in body and "Draft Academy" not in body
    detail = reverse("staff:submission", args=["open-call", submissions["oakfield"].pk])
    assert f'href="{detail}"' in body
    assert "3 schools" in body and "Oakfield Primary School" in body
    assert "no-store" in response["Cache-Control"]
    # No contact details on the list: it is not audited.
    assert "zed@example.org" not in body and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "typed", ["IP-BBBB-3333", "ip-bbbb-3333", " IP BBBB 3333 ", "bbbb3333", "BBBB-3333"]
)
def test_a_reference_is_found_however_it_is_typed(admin_client, submissions, typed):
    _response, body = _list(admin_client, q=typed)
    assert _references(body) == ["IP-BBBB-3333"]
    assert "1 submission matches the search and filters" in body


def test_normalise_reference():
    assert normalise_reference("ip bbbb 3333") == "IP-BBBB-3333"
    assert normalise_reference("Oakfield") is None
    assert normalise_reference("IP-BBBB-33") is None


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("kirkstall VALLEY", ["IP-CCCC-4444"]),  # organisation, any case
        ("oakfield primary", ["IP-DDDD-5555", "IP-AAAA-2222"]),  # and the trust covering it
        ("northern lights", ["IP-DDDD-5555"]),
        ("Oakfield Secondary", ["IP-DDDD-5555"]),  # a covered school's name
        ("Hillside", ["IP-BBBB-3333"]),
        ("107002", ["IP-CCCC-4444"]),  # a URN
        ("100001", ["IP-DDDD-5555", "IP-AAAA-2222"]),
        ("999999", ["IP-DDDD-5555"]),  # a URN not in the register
        ("Nowhere at all", []),
    ],
)
def test_search_by_organisation_school_name_or_urn(admin_client, submissions, q, expected):
    _response, body = _list(admin_client, q=q)
    assert _references(body) == expected
    if not expected:
        assert "No submissions match the search and filters" in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"org_type": "trust"}, ["IP-DDDD-5555"]),
        ({"org_type": "school"}, ["IP-CCCC-4444", "IP-BBBB-3333", "IP-AAAA-2222"]),
        ({"region": "E12000003"}, ["IP-CCCC-4444"]),  # Yorkshire and The Humber: Leeds
        ({"region": "E12000007"}, ["IP-DDDD-5555", "IP-BBBB-3333", "IP-AAAA-2222"]),  # London
        ({"phase": "secondary"}, ["IP-DDDD-5555", "IP-CCCC-4444"]),
        ({"phase": "secondary", "org_type": "school"}, ["IP-CCCC-4444"]),
        ({"sort": "oldest"}, ["IP-AAAA-2222", "IP-BBBB-3333", "IP-CCCC-4444", "IP-DDDD-5555"]),
        (
            {"sort": "organisation"},
            ["IP-BBBB-3333", "IP-CCCC-4444", "IP-DDDD-5555", "IP-AAAA-2222"],
        ),
        ({"sort": "reference", "q": "oakfield"}, ["IP-AAAA-2222", "IP-DDDD-5555"]),
    ],
)
def test_filters_and_sorting(admin_client, submissions, params, expected):
    response, body = _list(admin_client, **params)
    assert response.status_code == 200
    assert _references(body) == expected


def test_drafts_are_listed_apart_with_when_they_were_last_saved(admin_client, submissions):
    _response, body = _list(admin_client, status="draft")
    assert "Draft Academy" in body and "1 draft not sent yet" in body
    assert _references(body) == [] and "Last saved" in body


def test_analysed_means_passages_in_the_current_run(admin_client, open_call, submissions):
    _response, body = _list(admin_client, analysed="yes")
    assert _references(body) == []  # no run yet: nothing is analysed
    _response, body = _list(admin_client, analysed="no")
    assert len(_references(body)) == 4
    assert "This call has not been analysed yet" in body

    first = _analyse(open_call, submissions["oakfield"], submissions["kirkstall"])
    _response, body = _list(admin_client, analysed="yes")
    assert _references(body) == ["IP-CCCC-4444", "IP-AAAA-2222"]
    _response, body = _list(admin_client, analysed="no")
    assert _references(body) == ["IP-DDDD-5555", "IP-BBBB-3333"]
    assert body.count("Not analysed") == 2

    # A later run is not current until a lead promotes it.
    later = _analyse(open_call, submissions["trust"])
    _response, body = _list(admin_client, analysed="yes")
    assert _references(body) == ["IP-CCCC-4444", "IP-AAAA-2222"]
    from inpractice.coding.runs import promote

    promote(later)
    _response, body = _list(admin_client, analysed="yes")
    assert _references(body) == ["IP-DDDD-5555"]
    assert first.pk != later.pk


@pytest.mark.parametrize(
    "params",
    [{"org_type": "wombat"}, {"sort": "DROP TABLE"}, {"status": "deleted"}, {"q": "x" * 201}],
)
def test_a_bad_parameter_is_a_400_with_the_error_shown(admin_client, submissions, params):
    response, body = _list(admin_client, **params)
    assert response.status_code == 400
    assert "govuk-error-summary" in body


def test_a_nul_in_the_search_is_a_400_not_a_server_error(admin_client, submissions):
    response, _body = _list(admin_client, q="Oak\x00field")
    assert response.status_code == 400  # refused before the view (issue 15, part 7)


def test_pages_of_50_keep_the_search_and_cost_the_same_queries_as_a_short_list(
    admin_client, open_call, register
):
    for n in range(3):
        _submission(open_call, f"IP-SHRT-{n + 2:04d}"[:12], f"Short {n}", urns=[100001],
                    register=register)  # fmt: skip
    with CaptureQueriesContext(connection) as few:
        _list(admin_client, q="100001")
    for n in range(60):
        _submission(open_call, f"IP-{n:04d}-MANY".replace("0", "Z").replace("1", "Y"),
                    f"Many {n}", urns=[100001], register=register, minutes=n)  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response, body = _list(admin_client, q="100001")
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert "63 submissions match" in body and len(_references(body)) == 50
    assert "Page 1 of 2" in body and "q=100001&amp;page=2" in body
    _response, body = _list(admin_client, q="100001", page="2")
    assert len(_references(body)) == 13


def test_one_submission_with_schools_answers_consent_analysis_and_audited_contact_details(
    admin_client, open_call, submissions
):
    trust = submissions["trust"]
    _analyse(open_call, trust)
    url = reverse("staff:submission", args=["open-call", trust.pk])
    response = admin_client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    for shown in (
        "IP-DDDD-5555",
        "Northern Lights Academy Trust",
        "Oakfield Primary School, London",
        "Oakfield Secondary Academy",
        "999999",
        "Not in the register",
        "Schools covered (3)",
        "3 schools",
        "A calm start to every day.",
        "Attendance rose.",
        "Yes, publish it without our name",
        "Zed Respondent",
        "zed@example.org",
        "Analysed",
        "1 passage",
    ):
        assert shown in body, shown
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_name, event.call) == (
        AuditAction.VIEW,
        "lead@example.org",
        open_call,
    )
    assert url in event.what


def test_a_draft_has_its_own_page_and_another_calls_submission_is_not_found(
    admin_client, open_call, submissions
):
    draft = submissions["draft"]
    body = admin_client.get(reverse("staff:submission", args=["open-call", draft.pk])).content
    assert b"Draft, not sent yet" in body and b"Roundhay Park Primary" in body
    assert b"Not answered yet" not in body  # one school: its name sums the coverage up
    other = open_call.__class__.objects.create(
        slug="other-call",
        title="Another",
        introduction="x",
        opens_at=open_call.opens_at,
        closes_at=open_call.closes_at,
    )
    url = reverse("staff:submission", args=[other.slug, draft.pk])
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["analyst", "lead-analyst", "moderator"])
def test_other_staff_cannot_open_a_submission_or_export(client, submissions, role):
    add_staff(f"{role}@example.org", role, PASSWORD)
    client.login(username=f"{role}@example.org", password=PASSWORD)
    pk = submissions["oakfield"].pk
    assert client.get(reverse("staff:submission", args=["open-call", pk])).status_code == 403
    assert client.get(reverse("staff:submissions_export", args=["open-call"])).status_code == 403
    assert not AuditEvent.objects.exists()


def _csv(response) -> list[dict]:
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(raw)))


def test_the_export_is_the_filtered_list_safe_to_open_and_audited(
    admin_client, open_call, register, submissions
):
    _submission(open_call, "IP-EEEE-6666", '=HYPERLINK("http://evil.example","Click")',
                urns=[100003], register=register, name="@SUM(A1)")  # fmt: skip
    url = reverse("staff:submissions_export", args=["open-call"])
    response = admin_client.get(url, {"region": "E12000007", "format": "csv"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="open-call-submissions')
    rows = _csv(response)
    assert [r["reference"] for r in rows] == [
        "IP-EEEE-6666",
        "IP-DDDD-5555",
        "IP-BBBB-3333",
        "IP-AAAA-2222",
    ]
    evil = rows[0]
    assert evil["organisation_name"].startswith("'=HYPERLINK")
    assert evil["respondent_name"] == "'@SUM(A1)"
    trust = rows[1]
    assert trust["urns"] == "100001 100002 999999" and trust["schools_covered"] == "3"
    assert trust["respondent_email"] == "zed@example.org" and trust["analysed"] == "FALSE"
    assert trust["organisation_type"] == "Multi-academy trust"
    event = AuditEvent.objects.get()
    assert (event.action, event.records, event.call) == (AuditAction.EXPORT, 4, open_call)
    assert "region=E12000007" in event.what

    response = admin_client.get(url, {"q": "kirkstall", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "reference" and [v[0] for v in values[1:]] == ["IP-CCCC-4444"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, records=1).exists()


def test_a_submission_links_back_to_the_list_as_it_was_searched(admin_client, submissions):
    _response, body = _list(admin_client, q="hillside", sort="oldest")
    detail = reverse("staff:submission", args=["open-call", submissions["hillside"].pk])
    assert f'href="{detail}?back=q%3Dhillside%26sort%3Doldest"' in body
    page = admin_client.get(detail, {"back": "q=hillside&sort=oldest&evil=%22%3E"}).content
    back = reverse("staff:submissions", args=["open-call"]) + "?q=hillside&amp;sort=oldest"
    assert f'href="{back}" class="govuk-back-link">Back to the list'.encode() in page
    assert b"evil" not in page
