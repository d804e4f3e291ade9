"""For tests that run a real worker in this process: committed data (a transactional database).

The worker commits and checks its connections as in production, so it cannot run inside a
test's transaction. A transactional test empties every table afterwards, including the local
authorities a migration loads, so `committed_db` puts them back first when they are missing.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def committed_db(transactional_db):
    from inpractice.schools.models import LocalAuthority
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
