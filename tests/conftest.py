"""Shared fixtures: an open call and a small school register, in whichever database is set."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from inpractice.intake.models import CallForEvidence
from inpractice.schools.models import LocalAuthority, School, Trust

# Fixtures through which a test reaches the database under test. A test that uses none of them
# (nor the django_db or postgresql markers) gives the same result on any database.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_setup",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def touches_the_database(item: pytest.Item) -> bool:
    return bool(
        item.get_closest_marker("django_db")
        or item.get_closest_marker("postgresql")
        or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With INPRACTICE_TESTS=database (the second, PostgreSQL pass of scripts/test.sh), run only
    the tests whose outcome can depend on the database: the rest already ran on SQLite."""
    if os.environ.get("INPRACTICE_TESTS") != "database":
        return
    kept = [item for item in items if touches_the_database(item)]
    dropped = [item for item in items if not touches_the_database(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept


@pytest.fixture
def committed_db(transactional_db):
    """A database outside any test transaction (for a live server or an in-process worker),
    starting with England's local authorities: their migration loads them once, and a flush
    after an earlier test of this kind removed them."""
    from inpractice.schools.register import local_authority_rows

    if not LocalAuthority.objects.exists():
        LocalAuthority.objects.bulk_create(
            LocalAuthority(
                code=row["la_code"],
                name=row["name"],
                ons_code=row["ons_code"],
                region=row["region_code"],
            )
            for row in local_authority_rows()
        )


@pytest.fixture
def open_call(db) -> CallForEvidence:
    now = timezone.now()
    return CallForEvidence.objects.create(
        slug="open-call",
        title="Inclusion in practice: call for evidence",
        introduction="Tell us about effective inclusion in mainstream schools.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )


@pytest.fixture
def register(db) -> dict:
    """Six schools: four in Camden (two of them in one trust), two in Leeds."""
    camden = LocalAuthority.objects.get(code="202")
    leeds = LocalAuthority.objects.get(code="383")
    trust = Trust.objects.create(code="TR01234", name="Northern Lights Academy Trust")
    schools = [
        School.objects.create(
            urn=100001,
            name="Oakfield Primary School",
            local_authority=camden,
            trust=trust,
            phase="primary",
            region=camden.region,
            town="London",
        ),
        School.objects.create(
            urn=100002,
            name="Oakfield Secondary Academy",
            local_authority=camden,
            trust=trust,
            phase="secondary",
            region=camden.region,
            town="London",
        ),
        School.objects.create(
            urn=100003,
            name="Hillside Infant School",
            local_authority=camden,
            phase="primary",
            region=camden.region,
            town="London",
        ),
        School.objects.create(
            urn=100004,
            name="Closed Lane School",
            local_authority=camden,
            phase="primary",
            region=camden.region,
            status="Closed",
        ),
        School.objects.create(
            urn=107001,
            name="Roundhay Park Primary",
            local_authority=leeds,
            phase="primary",
            region=leeds.region,
            town="Leeds",
        ),
        School.objects.create(
            urn=107002,
            name="Kirkstall Valley High",
            local_authority=leeds,
            phase="secondary",
            region=leeds.region,
            town="Leeds",
        ),
    ]
    return {"camden": camden, "leeds": leeds, "trust": trust, "schools": schools}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Staff sign-in is exercised in many tests; production keeps Django's PBKDF2 default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """`inpractice demo` run once for the session; use `.copy(tmp_path)` before changing it."""
    from tests.cli import load_demo

    return load_demo(tmp_path_factory.mktemp("demo"))
