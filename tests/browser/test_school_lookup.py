"""The school look-up against a deliberately slowed search endpoint (issue 15, part 4).

Short queries are made slow and long ones fast, so answers arrive out of order, as they did when
"St Winefride s Cranford" typed at 8 keys a second, then Down and Enter, stored the school that
the stale answer for "St Wi" listed first. Typed fast, at a person's pace and slowly, with and
without waiting for the suggestions, the nomination always records the school whose name was
chosen, or none; never one that was not shown for what was in the box.
"""

from __future__ import annotations

import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import expect

from inpractice.intake.models import Nomination

from .conftest import CALL_SLUG, assert_accessible
from .test_keyboard_journeys import NEXT_FRAMES, focused, press_button, tab_to, type_into

TYPED = "St Winefride s Cranford"
TARGET = "St Winefride's Catholic Primary School, Cranford (URN 120001)"
DECOY = "Ashstone Infant School, Wickham (URN 120002)"  # first for "St Wi", "St Win" …
NOMINATE_URL = f"/calls/{CALL_SLUG}/nominate/"


def _pattern(name: str, patterns=None, namespace: str = "") -> URLPattern:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            found = _pattern(name, entry.url_patterns, entry.namespace or namespace)
            if found is not None:
                return found
        elif f"{namespace}:{entry.name}" == name:
            return entry
    return None


@pytest.fixture
def slowed_search(monkeypatch):
    """Answers to short queries take 450 ms, to longer ones 80 ms (the live server is threaded,
    so look-ups overlap); records each query with the time its answer went."""
    pattern = _pattern("schools:search_json")
    real = pattern.callback
    answered: list[str] = []

    def slowed(request, *args, **kwargs):
        q = request.GET.get("q", "")
        time.sleep(0.45 if len(q) < 8 else 0.08)
        answered.append(q)
        return real(request, *args, **kwargs)

    monkeypatch.setattr(pattern, "callback", slowed)
    return answered


@pytest.fixture
def crowded_register(browser_register):
    from inpractice.schools.models import School

    camden = browser_register["camden"]

    def school(urn, name, town):
        return School(
            urn=urn, name=name, town=town, local_authority=camden, region=camden.region,
            phase="primary",
        )  # fmt: skip

    def town(n: int) -> str:  # "Upton aa" … "Upton ef": letters, since digits match only URNs
        return f"Upton {chr(97 + n // 26)}{chr(97 + n % 26)}"

    School.objects.bulk_create(
        [
            school(120001, "St Winefride's Catholic Primary School", "Cranford"),
            school(120002, "Ashstone Infant School", "Wickham"),
            school(120003, "St Winifred's Church of England School", "Stowe"),
            *(school(130000 + n, "St Mary's Primary School", town(n)) for n in range(110)),
        ]
    )


def _nominate_rest(page) -> None:
    type_into(page, "Name of a member of staff at the school", "Sam Jones")
    type_into(page, "Their work email address", "s.jones@example.sch.uk")
    type_into(page, "Why are you nominating this school?", "Their inclusion work is excellent.")
    press_button(page, "Continue")
    page.get_by_role("heading", name="Check your nomination before sending it").wait_for()
    press_button(page, "Send nomination")


def _type_in_the_look_up(page, delay_ms: int) -> None:
    page.goto(NOMINATE_URL)
    desc = tab_to(page, lambda d: d["label"] == "School name or URN")
    assert desc["role"] == "combobox"
    page.keyboard.type(TYPED, delay=delay_ms)


@pytest.mark.parametrize("delay_ms", [15, 125, 350], ids=["fast", "8-keys-a-second", "slow"])
def test_waiting_then_down_and_enter_chooses_the_school_shown_for_the_whole_text(
    page, browser_call, crowded_register, slowed_search, delay_ms
):
    _type_in_the_look_up(page, delay_ms)
    time.sleep(1.0)  # "waiting a second", while late answers for shorter text arrive
    page.get_by_role("option", name=TARGET).wait_for()
    assert page.get_by_role("option").count() == 1, page.get_by_role("listbox").inner_text()
    page.evaluate(NEXT_FRAMES)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(target) => document.activeElement && document.activeElement.value === target", arg=TARGET
    )
    assert any(q != TYPED for q in slowed_search), "the test should overlap look-ups"
    _nominate_rest(page)
    page.get_by_role("heading", name="Nomination sent").wait_for()
    assert Nomination.objects.get().urn == 120001


@pytest.mark.parametrize(
    ("delay_ms", "pause_at"),
    [(15, 0), (60, 0), (15, 5), (125, 5)],
    ids=["fast", "brisk", "fast-after-a-pause-at-St-Wi", "8-keys-a-second-after-a-pause"],
)
def test_down_and_enter_before_the_answer_arrives_choose_nothing_stale(
    page, browser_call, crowded_register, slowed_search, delay_ms, pause_at
):
    page.goto(NOMINATE_URL)
    tab_to(page, lambda d: d["label"] == "School name or URN")
    if pause_at:
        # A pause mid-word: the suggestions for "St Wi" are shown, the decoy first …
        page.keyboard.type(TYPED[:pause_at], delay=delay_ms)
        page.get_by_role("option", name=DECOY).wait_for()
    # … then the rest of the name, typed on.
    page.keyboard.type(TYPED[pause_at:], delay=delay_ms)
    # At once, before the answer for the whole text is back: the suggestions for the text as it
    # was a few keys ago are gone, so there is nothing stale to move to.
    page.keyboard.press("ArrowDown")
    now = focused(page)
    if now["role"] == "option":  # the answer for the whole text was already back
        assert now["text"] == TARGET, f"Down moved to {now['text']!r} for {TYPED!r}"
        page.keyboard.press("Enter")
        page.wait_for_function(
            "(t) => document.getElementById('id_school').value === t", arg=TARGET
        )
    else:
        assert now["id"] == "id_school" and now["value"] == TYPED, now
        # Enter with no list open sends the form as typed: the server finds the one school
        # whose name and town hold every word typed, and asks for the fields still empty.
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("#id_school").input_value() == TYPED
    _nominate_rest(page)
    page.get_by_role("heading", name="Nomination sent").wait_for()
    assert Nomination.objects.get().urn == 120001


def test_a_name_with_many_matches_says_how_many_and_how_to_narrow_it(
    page, browser_call, crowded_register
):
    page.goto(NOMINATE_URL)
    tab_to(page, lambda d: d["label"] == "School name or URN")
    page.keyboard.type("St Mary's", delay=20)
    hint = page.locator("#id_school-matches")
    hint.filter(has_text="Showing 20 of 110 schools that match").wait_for()
    assert "Add the town to narrow it" in hint.inner_text()
    # The list is drawn just after the hint is written: wait for it rather than read it at once.
    expect(page.get_by_role("option")).to_have_count(20)
    assert_accessible(page, "look-up with a long list")
    page.keyboard.type(" Upton bq", delay=20)
    page.get_by_role("option", name="St Mary's Primary School, Upton bq (URN 130042)").wait_for()
    page.wait_for_function("() => !document.getElementById('id_school-matches').textContent")
