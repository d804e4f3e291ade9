"""Managing the working codebook: edit, add sub-codes, merge, split, with every version kept."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from inpractice.accounts.roles import add_staff
from inpractice.analysis.codebook import default_codebook_dict
from inpractice.workspace import codebook_editing as cbe
from inpractice.workspace.models import CodebookVersion, Coding, Event, SubmissionReview

PASSWORD = "a long test passphrase 42"


@pytest.fixture
def admin(db):
    add_staff("admin@example.gov.uk", "programme-admin", PASSWORD)
    return get_user_model().objects.get(username="admin@example.gov.uk")


def url(name: str, call, *args) -> str:
    return reverse(f"workspace:{name}", args=[call.slug, *args])


# -- the pure changes ---------------------------------------------------------------------------


def test_edit_keeps_the_id_and_does_not_change_the_input():
    original = default_codebook_dict()
    edited = cbe.edit_code(original, "p1.transitions", "Moves between settings", "New words.")
    _, _, code = cbe.find(edited, "p1.transitions")
    assert (code["name"], code["description"]) == ("Moves between settings", "New words.")
    assert cbe.find(original, "p1.transitions")[2]["name"] == "Transitions"


def test_add_a_subcode_makes_an_id_under_its_parent_and_refuses_a_used_id():
    out, new_id = cbe.add_code(default_codebook_dict(), "Family voice", "", parent_id="p4")
    assert new_id == "p4.family-voice"
    assert new_id in [c["id"] for c in cbe.find(out, "p4")[2]["children"]]
    with pytest.raises(cbe.CodebookEditError, match="already used"):
        cbe.add_code(out, "Anything", code_id="p4.family-voice")
    with pytest.raises(cbe.CodebookEditError, match="lower-case"):
        cbe.add_code(out, "Anything", code_id="Bad Id")


def test_merge_moves_children_and_examples_and_removes_the_merged_code():
    book = default_codebook_dict()
    p5_children = [c["id"] for c in cbe.find(book, "p5")[2].get("children", [])]
    out = cbe.merge_codes(book, "p4", "p5")
    assert "p5" not in cbe.code_ids(out)
    kept = cbe.find(out, "p4")[2]
    assert set(p5_children) <= {c["id"] for c in kept["children"]}
    assert cbe.top_level_of(out)[p5_children[0]] == "p4"
    with pytest.raises(cbe.CodebookEditError, match="sub-code"):
        cbe.merge_codes(book, "p1.transitions", "p1")
    with pytest.raises(cbe.CodebookEditError, match="different"):
        cbe.merge_codes(book, "p1", "p1")


def test_split_adds_new_codes_and_keeps_the_original():
    book = default_codebook_dict()
    out, ids = cbe.split_code(book, "p2", [("Adaptive teaching", ""), ("Coaching", "Staff")])
    assert "p2" in cbe.code_ids(out)
    # p2.adaptive-teaching exists already, so the new code gets a free id beside it.
    assert ids == ["p2.adaptive-teaching-2", "p2.coaching"]
    assert len(cbe.find(out, "p2")[2]["children"]) == 5
    out, ids = cbe.split_code(book, "p2", [("Adaptive", ""), ("Coach", "")], as_subcodes=False)
    assert [c["id"] for c in out["codes"]][:4] == ["p1", "p2", "adaptive", "coach"]
    with pytest.raises(cbe.CodebookEditError, match="at least two"):
        cbe.split_code(book, "p2", [("Only one", "")])


def test_differences_are_described_in_words():
    book = default_codebook_dict()
    out = cbe.edit_code(book, "p3", "Targeted support", "")
    out, _ = cbe.add_code(out, "Sport", parent_id="p3")
    lines = cbe.describe_differences(book, out)
    assert any(line.startswith("renamed p3") for line in lines)
    assert "added p3.sport (Sport)" in lines


# -- pages --------------------------------------------------------------------------------------


def test_a_lead_edits_a_code_and_the_history_keeps_both_versions(client, open_call, lead):
    client.force_login(lead)
    page = client.get(url("codebook_edit", open_call, "p1"))
    assert page.status_code == 200 and b"<h1" in page.content
    response = client.post(
        url("codebook_edit", open_call, "p1"),
        {"name": "Knowing every child", "description": "Early.", "base_version": 0},
    )
    assert response.status_code == 302
    versions = list(CodebookVersion.objects.filter(call=open_call).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].codebook == open_call.codebook  # the call's own, kept as version 1
    assert cbe.find(versions[1].codebook, "p1")[2]["name"] == "Knowing every child"
    assert versions[1].author == lead
    event = Event.objects.get(call=open_call, kind="codebook.edit")
    assert event.actor == lead
    assert cbe.find(event.before["codebook"], "p1")[2]["name"] != "Knowing every child"
    assert event.after["version"] == 2
    history = client.get(url("codebook_history", open_call))
    assert b"Version 2" in history.content and b"renamed p1" in history.content
    old = client.get(url("codebook_version", open_call, 1))
    assert b"Knowing children well, early and often" in old.content
    assert b"an older version" in old.content
    assert b"Knowing every child" in client.get(url("codebook", open_call)).content


def test_a_stale_form_is_a_conflict_not_an_overwrite(client, open_call, lead):
    client.force_login(lead)
    data = {"name": "First", "description": "", "base_version": 0}
    assert client.post(url("codebook_edit", open_call, "p2"), data).status_code == 302
    stale = client.post(url("codebook_edit", open_call, "p2"), {**data, "name": "Second"})
    assert stale.status_code == 200
    assert b"govuk-error-summary" in stale.content and b"Someone saved version 2" in stale.content
    assert cbe.working_codebook(open_call)[1] == 2
    assert cbe.find(cbe.working_codebook(open_call)[0], "p2")[2]["name"] == "First"


def test_errors_are_shown_in_a_govuk_error_summary(client, open_call, lead):
    client.force_login(lead)
    response = client.post(
        url("codebook_add_subcode", open_call, "p1"),
        {"name": "", "description": "", "code_id": "", "base_version": 0},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and 'href="#id_name"' in html
    assert "<title>Error:" in html
    clash = client.post(
        url("codebook_add_subcode", open_call, "p1"),
        {"name": "Again", "description": "", "code_id": "p1.transitions", "base_version": 0},
    )
    assert b"already used" in clash.content
    assert not CodebookVersion.objects.filter(call=open_call).exists()


def test_adding_a_subcode_saves_a_new_version(client, open_call, lead):
    client.force_login(lead)
    client.post(
        url("codebook_add_subcode", open_call, "p4"),
        {"name": "Family voice", "description": "Parents shape plans.", "base_version": 0},
    )
    book, number = cbe.working_codebook(open_call)
    assert number == 2 and "p4.family-voice" in cbe.code_ids(book)


def test_merge_repoints_peoples_codings_with_an_event_each(client, analysed_call, lead, analyst):
    submission = analysed_call.submissions.filter(status="submitted").first()
    codings = [
        Coding.objects.create(
            call=analysed_call,
            submission=submission,
            field="practice",
            start=0,
            end=10,
            text=submission.answer("practice")[:10],
            code_id=code,
            coder=analyst,
        )
        for code in ("p5", "p5", "p1")
    ]
    client.force_login(lead)
    response = client.post(
        url("codebook_merge", analysed_call), {"keep": "p4", "merge": "p5", "base_version": 0}
    )
    assert response.status_code == 302
    assert "p5" not in cbe.code_ids(cbe.working_codebook(analysed_call)[0])
    assert [Coding.objects.get(pk=c.pk).code_id for c in codings] == ["p4", "p4", "p1"]
    recodes = Event.objects.filter(call=analysed_call, kind="coding.recode")
    assert recodes.count() == 2
    assert {(e.before["code_id"], e.after["code_id"]) for e in recodes} == {("p5", "p4")}
    assert Event.objects.filter(kind="codebook.merge").count() == 1
    # The submission changed, so a page drawn before the merge is now stale (a conflict).
    assert SubmissionReview.objects.get(submission=submission).version == 1
    assert all(e.submission == submission for e in recodes)


def test_split_says_existing_codings_stay(client, open_call, lead):
    client.force_login(lead)
    page = client.get(url("codebook_split", open_call, "p2"))
    assert b"stay on p2 until someone recodes them" in page.content
    response = client.post(
        url("codebook_split", open_call, "p2"),
        {
            "name_1": "Scaffolding",
            "name_2": "Instructional coaching",
            "place": "subcodes",
            "base_version": 0,
        },
        follow=True,
    )
    assert b"until someone recodes them" in response.content
    ids = cbe.code_ids(cbe.working_codebook(open_call)[0])
    assert {"p2", "p2.scaffolding", "p2.instructional-coaching"} <= set(ids)


def test_who_may_see_and_change_the_codebook(client, open_call, analyst, outsider, admin, lead):
    client.force_login(outsider)
    assert client.get(url("codebook", open_call)).status_code == 404
    assert client.post(url("codebook_edit", open_call, "p1"), {}).status_code == 404
    for viewer in (analyst, admin):
        client.force_login(viewer)
        page = client.get(url("codebook", open_call))
        assert page.status_code == 200 and b"Only lead analysts can change" in page.content
        assert client.get(url("codebook_history", open_call)).status_code == 200
        for name, args in [
            ("codebook_edit", ["p1"]),
            ("codebook_add", []),
            ("codebook_add_subcode", ["p1"]),
            ("codebook_merge", []),
            ("codebook_split", ["p1"]),
        ]:
            assert client.get(url(name, open_call, *args)).status_code == 403
            assert client.post(url(name, open_call, *args), {}).status_code == 403
    client.logout()
    assert client.get(url("codebook", open_call)).status_code == 302
    assert not CodebookVersion.objects.exists() and not Event.objects.exists()
    client.force_login(lead)
    assert client.get(url("codebook_edit", open_call, "nope")).status_code == 404


def test_a_lead_restores_an_older_version_as_a_new_one(client, open_call, lead, analyst):
    client.force_login(lead)
    client.post(
        url("codebook_edit", open_call, "p3"),
        {"name": "Targeted support", "description": "", "base_version": 0},
    )
    assert cbe.working_codebook(open_call)[1] == 2
    page = client.get(url("codebook_version", open_call, 1))
    assert b"Restore version 1" in page.content
    client.force_login(analyst)
    assert (
        client.post(url("codebook_version", open_call, 1), {"base_version": 2}).status_code == 403
    )
    client.force_login(lead)
    stale = client.post(url("codebook_version", open_call, 1), {"base_version": 1})
    assert b"Someone saved version 2" in stale.content
    response = client.post(url("codebook_version", open_call, 1), {"base_version": 2})
    assert response.status_code == 302
    book, number = cbe.working_codebook(open_call)
    assert number == 3 and book == open_call.codebook
    event = Event.objects.get(kind="codebook.restore")
    assert event.before["version"] == 2 and event.after["version"] == 3
    assert cbe.find(event.before["codebook"], "p3")[2]["name"] == "Targeted support"
