"""Counting the unique schools a call's submissions represent, by route, without double counting."""

import pytest
from django.utils import timezone

from inpractice.intake.coverage import (
    UrnListError,
    parse_urns,
    replace_covered_schools,
    schools_for,
    snapshot,
)
from inpractice.intake.models import Submission, new_reference

pytestmark = pytest.mark.django_db


def submitted(call, org_type, coverage, **kwargs):
    s = Submission.objects.create(
        call=call,
        status="submitted",
        reference=new_reference(),
        organisation_type=org_type,
        coverage=coverage,
        submitted_at=timezone.now(),
        resume_token_hash=Submission.new_token()[1],
    )
    replace_covered_schools(s, schools_for(coverage, **kwargs))
    return s


def test_routes_count_unique_schools_and_the_total_counts_each_school_once(open_call, register):
    submitted(open_call, "trust", "trust", trust=register["trust"])  # 100001, 100002
    submitted(open_call, "trust", "urn_list", urns=[100002])  # same school again via a trust
    submitted(open_call, "local_authority", "local_authority", local_authority=register["camden"])
    submitted(open_call, "send_provider", "urn_list", urns=[107001, 100003])
    submitted(open_call, "school", "one_school", urns=[107002])
    submitted(open_call, "school", "urn_list", urns=[100001, 999999])  # one URN not in register
    draft = Submission.objects.create(
        call=open_call, resume_token_hash="x" * 64, organisation_type="trust"
    )
    replace_covered_schools(draft, schools_for("urn_list", urns=[107002]))  # drafts do not count

    figures = snapshot(open_call).as_dict()
    assert figures == {
        "submissions": 6,
        "schools_via_trusts": 2,  # 100001, 100002
        "schools_via_las_and_providers": 4,  # Camden's 3 open schools + 107001
        "schools_direct": 3,  # 107002, 100001, 999999
        "schools_total": 6,  # 100001-3, 107001-2, 999999
        "schools_not_in_register": 1,
    }


def test_an_empty_call_has_zero_everywhere(open_call):
    assert set(snapshot(open_call).as_dict().values()) == {0}


def test_urn_lists_accept_common_separators_and_keep_order():
    assert parse_urns("100001, 100002;100003\n 100001\t107001") == [100001, 100002, 100003, 107001]


def test_urn_lists_name_every_bad_token():
    with pytest.raises(UrnListError) as err:
        parse_urns("100001, abc, 12, 100002x")
    assert err.value.bad == ["abc", "12", "100002x"]
