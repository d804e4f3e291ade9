"""Signing off emergent themes: rename, merge, split, discard and promote to a code."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from inpractice.accounts.roles import add_staff
from inpractice.coding.models import Passage, Theme
from inpractice.coding.runs import current_run
from inpractice.workspace import codebook_editing as cbe
from inpractice.workspace.models import Event, ThemeReview


@pytest.fixture
def themes(analysed_call) -> list[Theme]:
    found = list(Theme.objects.filter(run=current_run(analysed_call)).order_by("-size"))
    assert len(found) >= 2, "the analysed call should have at least two themes"
    return found


TOPICS = [
    [
        "Speech and language therapists work in class with pupils twice a week.",
        "Our speech therapist trains teaching assistants in language groups.",
        "Language therapy sessions happen in the classroom, not in a cupboard.",
        "Therapists model speech and language strategies for every teacher.",
        "Speech therapy targets are shared with families and class teachers.",
        "A language therapist screens Reception pupils for speech needs.",
    ],
    [
        "Governors receive a termly report on inclusion from the SENCO.",
        "The governing board scrutinises exclusions and attendance each term.",
        "A named governor for SEND visits lessons and meets the SENCO.",
        "Governors set inclusion targets in the school development plan.",
        "The trust board reviews inclusion data alongside academic results.",
        "Our governors ask leaders about pupils on part-time timetables.",
    ],
]


@pytest.fixture
def varied_theme(analysed_call) -> Theme:
    """A theme of two clear kinds of passage (made here: the small fixture's themes each gather
    one repeated answer), to split."""
    run = current_run(analysed_call)
    theme = Theme.objects.create(
        run=run,
        number=99,
        label="Therapy and governance",
        key_phrases=["therapy", "governors"],
        size=12,
        submissions=12,
        coherence=0.5,
        coverage=0.5,
    )
    submissions = list(analysed_call.submissions.filter(status="submitted").order_by("pk"))
    texts = [t for topic in TOPICS for t in topic]
    for i, (s, text) in enumerate(zip(submissions, texts, strict=True)):
        Passage.objects.create(
            run=run,
            submission=s,
            field="advice",
            index=90 + i,
            start=0,
            end=len(text),
            text=text,
            theme=theme,
        )
    return theme


def theme_url(call, theme) -> str:
    return reverse("workspace:theme", args=[call.slug, theme.pk])


def test_the_list_shows_size_coverage_and_phrases(client, analysed_call, themes, analyst):
    client.force_login(analyst)
    page = client.get(reverse("workspace:themes", args=[analysed_call.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1" in html and "Emergent themes" in html
    for t in themes:
        assert t.label in html or t.label.replace("'", "&#x27;") in html
        assert reverse("workspace:theme", args=[analysed_call.slug, t.pk]) in html
    assert f"{len(themes)} of {len(themes)} still need a decision" in html


def test_the_detail_page_shows_passages_a_page_at_a_time(client, analysed_call, themes, analyst):
    client.force_login(analyst)
    big = themes[0]
    page = client.get(theme_url(analysed_call, big))
    assert page.status_code == 200
    shown = page.context["page"]
    assert shown.paginator.count == Passage.objects.filter(theme=big).count() == big.size
    assert len(shown.object_list) == min(10, big.size)
    assert b"Only lead analysts can sign off themes" in page.content


def test_rename_sign_off_and_undo_are_recorded(client, analysed_call, themes, lead):
    client.force_login(lead)
    t = themes[0]
    response = client.post(theme_url(analysed_call, t), {"action": "rename", "label": "Nurture"})
    assert response.status_code == 302
    review = ThemeReview.objects.get(theme=t)
    assert (review.label, review.status, review.reviewed_by) == ("Nurture", "accepted", lead)
    event = Event.objects.get(kind="theme.rename")
    assert event.before is None and event.after["label"] == "Nurture"
    client.post(theme_url(analysed_call, t), {"action": "discard"})
    assert ThemeReview.objects.get(theme=t).status == "discarded"
    discard = Event.objects.get(kind="theme.discard")
    assert discard.before["status"] == "accepted" and discard.after["status"] == "discarded"
    client.post(theme_url(analysed_call, t), {"action": "reopen"})
    assert not ThemeReview.objects.filter(theme=t).exists()
    assert Event.objects.get(kind="theme.reopen").before["status"] == "discarded"
    assert Theme.objects.get(pk=t.pk).label == t.label  # the model's row is never changed


def test_merge_combines_counts_on_the_kept_theme(client, analysed_call, themes, lead):
    client.force_login(lead)
    a, b = themes[0], themes[1]
    client.post(theme_url(analysed_call, b), {"action": "merge", "into": str(a.pk)})
    review = ThemeReview.objects.get(theme=b)
    assert review.status == "merged" and review.merged_into == a
    page = client.get(theme_url(analysed_call, a))
    assert page.context["size"] == a.size + b.size
    assert page.context["page"].paginator.count == a.size + b.size
    distinct = Passage.objects.filter(theme__in=[a, b]).values("submission").distinct().count()
    assert page.context["covered"] == distinct
    listing = reverse("workspace:themes", args=[analysed_call.slug])
    merged = client.get(listing, {"show": "merged"}).context["rows"]
    assert [r["theme"].pk for r in merged] == [b.pk]
    still_open = client.get(listing, {"show": "open"}).context["rows"]
    assert b.pk not in [r["theme"].pk for r in still_open] and a.pk in [
        r["theme"].pk for r in still_open
    ]
    bad = client.post(theme_url(analysed_call, a), {"action": "merge", "into": ""})
    assert bad.status_code == 400 and b"govuk-error-summary" in bad.content


def test_split_divides_the_passages_and_shows_the_parts(client, analysed_call, varied_theme, lead):
    client.force_login(lead)
    t = varied_theme
    response = client.post(theme_url(analysed_call, t), {"action": "split"}, follow=True)
    assert response.status_code == 200
    event = Event.objects.get(kind="theme.split")
    parts = event.after["parts"]
    assert len(parts) == 2 and all(p["size"] > 0 for p in parts)
    ids = [i for p in parts for i in p["passage_ids"]]
    assert sorted(ids) == sorted(Passage.objects.filter(theme=t).values_list("pk", flat=True))
    assert event.before["size"] == t.size
    assert b"Split into 2 parts" in response.content
    assert parts[0]["label"].encode() in response.content
    # k-means on the embeddings separates the two topics.
    texts = dict(Passage.objects.filter(theme=t).values_list("pk", "text"))
    groups = [{texts[i] for i in p["passage_ids"]} for p in parts]
    assert sorted(groups, key=len) in (
        [set(TOPICS[0]), set(TOPICS[1])],
        [set(TOPICS[1]), set(TOPICS[0])],
    )
    assert not ThemeReview.objects.filter(theme=t).exists()  # a split is not a sign-off


def test_a_theme_of_one_repeated_answer_cannot_be_split(client, analysed_call, themes, lead):
    alike = [
        t for t in themes if Passage.objects.filter(theme=t).values("text").distinct().count() < 2
    ]
    if not alike:
        pytest.skip("no theme of identical passages in this analysis")
    client.force_login(lead)
    response = client.post(theme_url(analysed_call, alike[0]), {"action": "split"})
    assert response.status_code == 400 and b"nothing to split" in response.content
    assert not Event.objects.filter(kind="theme.split").exists()


def test_promote_adds_a_code_to_the_working_codebook(client, analysed_call, themes, lead):
    client.force_login(lead)
    t = themes[0]
    response = client.post(
        theme_url(analysed_call, t),
        {"action": "promote", "name": "Calm starts", "description": "Morning routines."},
    )
    assert response.status_code == 302
    review = ThemeReview.objects.get(theme=t)
    assert review.status == "promoted" and review.promoted_code_id == "calm-starts"
    book, number = cbe.working_codebook(analysed_call)
    assert number == 2 and cbe.find(book, "calm-starts")[2]["name"] == "Calm starts"
    assert Event.objects.filter(kind="codebook.add", target=f"theme:{t.pk}").exists()
    assert Event.objects.get(kind="theme.promote").after["promoted_code_id"] == "calm-starts"
    # A second promotion with the same id is refused with a message, and changes nothing.
    again = client.post(
        theme_url(analysed_call, themes[1]),
        {"action": "promote", "name": "Other", "code_id": "calm-starts"},
    )
    assert again.status_code == 400 and b"already used" in again.content
    assert cbe.working_codebook(analysed_call)[1] == 2
    assert not ThemeReview.objects.filter(theme=themes[1]).exists()


def test_who_may_sign_off_themes(client, analysed_call, themes, analyst, outsider):
    add_staff("admin@example.gov.uk", "programme-admin", "a long test passphrase 42")
    admin = get_user_model().objects.get(username="admin@example.gov.uk")
    t = themes[0]
    client.force_login(outsider)
    assert client.get(reverse("workspace:themes", args=[analysed_call.slug])).status_code == 404
    assert client.get(theme_url(analysed_call, t)).status_code == 404
    for viewer in (analyst, admin):
        client.force_login(viewer)
        assert client.get(theme_url(analysed_call, t)).status_code == 200
        for action in ("accept", "discard", "split"):
            assert client.post(theme_url(analysed_call, t), {"action": action}).status_code == 403
    assert not ThemeReview.objects.exists() and not Event.objects.exists()


def test_a_call_without_analysis_says_so(client, open_call, lead):
    client.force_login(lead)
    page = client.get(reverse("workspace:themes", args=[open_call.slug]))
    assert page.status_code == 200 and b"has not been analysed yet" in page.content
