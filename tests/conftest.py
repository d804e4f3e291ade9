"""Shared fixtures: an open call and a small school register, in whichever database is set."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inpractice.intake.models import CallForEvidence
from inpractice.schools.models import LocalAuthority, School, Trust


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
