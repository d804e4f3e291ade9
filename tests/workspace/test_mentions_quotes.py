"""Frameworks and tools mentioned (counts, corrections) and quotes approved for the report."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from inpractice.accounts.roles import add_staff
from inpractice.coding.models import Mention, Quote
from inpractice.coding.runs import current_run
from inpractice.workspace.models import Event, MentionReview, QuoteReview


@pytest.fixture
def admin(db):
    add_staff("admin@example.gov.uk", "programme-admin", "a long test passphrase 42")
    return get_user_model().objects.get(username="admin@example.gov.uk")


@pytest.fixture
def mentions(analysed_call) -> list[Mention]:
    found = list(Mention.objects.filter(run=current_run(analysed_call)).order_by("pk"))
    assert len({m.name for m in found}) >= 2, "the fixture should mention two frameworks"
    return found


def groups(client, call) -> dict[str, tuple[int, int]]:
    page = client.get(reverse("workspace:mentions", args=[call.slug]))
    assert page.status_code == 200
    return {g["shown"]: (g["n"], g["subs"]) for g in page.context["page"].object_list}


def review(client, call, mention, action, name="", back=""):
    return client.post(
        reverse("workspace:mention_review", args=[call.slug, mention.pk]),
        {"action": action, "name": name, "back_name": back or mention.name},
    )


def test_mentions_are_grouped_by_name_with_counts(client, analysed_call, mentions, analyst):
    client.force_login(analyst)
    shown = groups(client, analysed_call)
    for name in {m.name for m in mentions}:
        same = [m for m in mentions if m.name == name]
        assert shown[name] == (len(same), len({m.submission_id for m in same}))


def test_rejecting_and_renaming_change_the_counts(client, analysed_call, mentions, analyst):
    client.force_login(analyst)
    first, other = mentions[0], next(m for m in mentions if m.name != mentions[0].name)
    before = groups(client, analysed_call)
    assert review(client, analysed_call, first, "reject").status_code == 302
    after = groups(client, analysed_call)
    assert after.get(first.name, (0, 0))[0] == before[first.name][0] - 1
    assert MentionReview.objects.get(mention=first).status == "rejected"
    event = Event.objects.get(kind="mention.review", target=f"mention:{first.pk}")
    assert event.before == {"status": None, "name": first.name}
    assert event.after == {"status": "rejected", "name": first.name}
    review(client, analysed_call, other, "rename", name="Renamed Tool")
    after = groups(client, analysed_call)
    assert after["Renamed Tool"] == (1, 1)
    assert after.get(other.name, (0, 0))[0] == before[other.name][0] - 1
    # Renaming needs a name: nothing is saved without one.
    response = review(client, analysed_call, mentions[-1], "rename", name="")
    assert response.status_code == 302
    assert not MentionReview.objects.filter(mention=mentions[-1]).exists()


def test_rename_all_gives_every_mention_of_a_name_the_corrected_name(
    client, analysed_call, mentions, lead
):
    client.force_login(lead)
    name = mentions[0].name
    count = sum(m.name == name for m in mentions)
    client.post(
        reverse("workspace:mention_rename_all", args=[analysed_call.slug]),
        {"old_name": name, "name": "Corrected"},
    )
    assert groups(client, analysed_call)["Corrected"][0] == count
    # One decision on the name (ADR 15), which later runs apply to their mentions of it too.
    decision = MentionReview.objects.get()
    assert (decision.key, decision.submission, decision.name) == (
        " ".join(name.casefold().split()),
        None,
        "Corrected",
    )
    event = Event.objects.get(kind="mention.review")
    assert event.target == f"mention-name:{decision.key}" and event.after["name"] == "Corrected"


def test_examples_show_the_mention_in_its_sentence_a_page_at_a_time(
    client, analysed_call, mentions, analyst
):
    client.force_login(analyst)
    m = mentions[0]
    page = client.get(
        reverse("workspace:mention_examples", args=[analysed_call.slug]), {"name": m.name}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<mark>{m.name}" in html or "<mark>" in html
    assert page.context["page"].paginator.count == sum(x.name == m.name for x in mentions)
    assert 'for="name-' in html  # every input has a label
    missing = client.get(
        reverse("workspace:mention_examples", args=[analysed_call.slug]), {"name": "Nothing"}
    )
    assert missing.status_code == 404


def test_who_may_correct_mentions(client, analysed_call, mentions, outsider, admin):
    m = mentions[0]
    client.force_login(outsider)
    assert client.get(reverse("workspace:mentions", args=[analysed_call.slug])).status_code == 404
    assert review(client, analysed_call, m, "reject").status_code == 404
    client.force_login(admin)
    assert client.get(reverse("workspace:mentions", args=[analysed_call.slug])).status_code == 200
    assert review(client, analysed_call, m, "reject").status_code == 403
    assert not MentionReview.objects.exists()


def quote_action(client, call, quote, action):
    return client.post(
        reverse("workspace:quote_review", args=[call.slug, quote.pk]), {"action": action}
    )


def test_quotes_are_listed_per_code_and_theme(client, analysed_call, analyst):
    run = current_run(analysed_call)
    quotes = list(Quote.objects.filter(run=run))
    assert quotes
    client.force_login(analyst)
    page = client.get(reverse("workspace:quotes", args=[analysed_call.slug]))
    assert page.status_code == 200
    titles = [g["title"] for g in page.context["groups"]]
    assert any(t.startswith("Code ") for t in titles)
    if any(q.theme_id for q in quotes):
        assert any(t.startswith("Theme ") for t in titles)
    code = next(q.code_id for q in quotes if q.code_id)
    only = client.get(
        reverse("workspace:quotes", args=[analysed_call.slug]), {"about": f"code:{code}"}
    )
    shown = [q for g in only.context["groups"] for q in g["quotes"]]
    assert shown and all(q.code_id == code and q.theme_id is None for q in shown)
    assert b'value="approve"' not in page.content  # analysts cannot approve


def test_a_lead_approves_and_rejects_quotes_with_events(client, analysed_call, lead):
    quote = Quote.objects.filter(run=current_run(analysed_call)).first()
    client.force_login(lead)
    page = client.get(reverse("workspace:quotes", args=[analysed_call.slug]))
    assert b'value="approve"' in page.content
    assert quote_action(client, analysed_call, quote, "approve").status_code == 302
    assert QuoteReview.objects.get(quote=quote).status == "approved"
    quote_action(client, analysed_call, quote, "reject")
    assert QuoteReview.objects.get(quote=quote).status == "rejected"
    quote_action(client, analysed_call, quote, "clear")
    assert not QuoteReview.objects.filter(quote=quote).exists()
    events = list(Event.objects.filter(kind="quote.review").order_by("pk"))
    assert [(e.before, e.after) for e in events] == [
        (None, {"status": "approved"}),
        ({"status": "approved"}, {"status": "rejected"}),
        ({"status": "rejected"}, None),
    ]
    assert Quote.objects.filter(pk=quote.pk).exists()  # the analysis row stays


def test_only_leads_decide_on_quotes(client, analysed_call, analyst, outsider, admin):
    quote = Quote.objects.filter(run=current_run(analysed_call)).first()
    client.force_login(outsider)
    assert client.get(reverse("workspace:quotes", args=[analysed_call.slug])).status_code == 404
    assert quote_action(client, analysed_call, quote, "approve").status_code == 404
    for user in (analyst, admin):
        client.force_login(user)
        assert quote_action(client, analysed_call, quote, "approve").status_code == 403
    assert not QuoteReview.objects.exists() and not Event.objects.exists()
    url = reverse("workspace:quote_review", args=[analysed_call.slug, quote.pk])
    assert client.get(url).status_code == 405
