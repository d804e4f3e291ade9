"""Contact details appear only on programme-admin pages, and each such view is audited.

Walks every URL in the permission matrix as every role (reusing tests/test_permission_matrix.py),
with contact details seeded in a submitted submission, a draft and a nomination. A page that
shows any of them to a role other than programme admin (or to the person they belong to) fails;
a programme-admin page that shows them must be listed in `AUDITED_PAGES` and write an audit record.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from inpractice.intake.models import SubmissionStatus
from inpractice.privacy.erasure import AUDITED_PAGES
from inpractice.privacy.models import AuditAction, AuditEvent
from tests.test_permission_matrix import (
    ROLE_COLUMNS,
    ROUTES,
    client_for,
    read_matrix,
    sample_kwargs,
    world,  # noqa: F401  (the fixture)
)

from .conftest import make_submission

# Whose own details each role may see (they typed them in).
SUBMITTER_OWN = {"ada@example.org", "Ada Submitter"}
NOMINATOR_OWN = {"s.lee@example.org", "nina@example.org", "Nina Nominator"}
SUBMITTED = {"zed.respondent@example.org", "Zed Respondent", "Chief Wombat Officer"}
EVERY = SUBMITTER_OWN | NOMINATOR_OWN | SUBMITTED
ADMINS = {"programme-admin", "system-admin"}
# A page shown is recorded as viewed; a file handed over (an export) as exported.
SEEN = [AuditAction.VIEW, AuditAction.EXPORT]


@pytest.mark.django_db
def test_contact_details_show_only_to_programme_admins_and_each_view_is_audited(world):  # noqa: F811
    make_submission(
        world.call,
        email="zed.respondent@example.org",
        name="Zed Respondent",
        status=SubmissionStatus.SUBMITTED,
        n=7,
    )
    matrix = read_matrix()
    problems = []
    for route in ROUTES:
        row = matrix.get(route.name)
        if row is None:
            continue  # test_every_url_name_has_a_row reports it
        for role in ROLE_COLUMNS:
            if row[role] != "200":
                continue
            world.role = role
            client = client_for(role, world)
            kwargs = sample_kwargs(route, world)
            url = reverse(route.name, kwargs=kwargs) if kwargs else reverse(route.name)
            before = AuditEvent.objects.filter(action__in=SEEN).count()
            response = client.get(url)
            raw = b"".join(response.streaming_content) if response.streaming else response.content
            body = raw.decode("utf-8", "replace")
            shown = {marker for marker in EVERY if marker in body}
            allowed = {
                "submitter": SUBMITTER_OWN,
                "nominator": NOMINATOR_OWN,
            }.get(role, EVERY if role in ADMINS else set())
            if shown - allowed:
                problems.append(f"{route.name} shows {sorted(shown - allowed)} to {role}")
            if role in ADMINS and shown:
                audited = AuditEvent.objects.filter(action__in=SEEN).count() > before
                if route.name not in AUDITED_PAGES or not audited:
                    problems.append(
                        f"{route.name} shows contact details but is not audited "
                        "(add it to AUDITED_PAGES in inpractice/privacy/erasure.py)"
                    )
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_viewing_nominations_is_recorded_with_who_and_where(admin_client, people, open_call):
    url = reverse("staff:nominations", args=[open_call.slug])
    assert "s.lee@example.org" in admin_client.get(url).content.decode()
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_name, event.call) == (
        AuditAction.VIEW,
        "lead@example.org",
        open_call,
    )
    assert url in event.what
    log = admin_client.get(reverse("privacy:audit")).content.decode()
    assert "lead@example.org" in log and "Viewed contact details" in log and url in log


@pytest.mark.django_db
def test_the_audit_log_is_for_programme_admins_only(analyst_client):
    assert analyst_client.get(reverse("privacy:audit")).status_code == 403
