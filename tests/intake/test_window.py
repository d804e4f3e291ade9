"""UK wall-clock handling of the call's window, including British Summer Time changes."""

from datetime import UTC, date, datetime, time

import pytest

from inpractice.intake.window import UkTimeError, closing_phrase, opening_phrase, uk_instant


def test_the_2025_window_is_stored_in_utc_and_read_back_in_uk_time():
    opens = uk_instant(date(2025, 3, 15), time(0, 0))  # GMT: UTC+0
    closes = uk_instant(date(2025, 5, 2), time(0, 0))  # BST: UTC+1
    assert opens == datetime(2025, 3, 15, 0, 0, tzinfo=UTC)
    assert closes == datetime(2025, 5, 1, 23, 0, tzinfo=UTC)
    assert closing_phrase(closes) == "11:59pm on Thursday 1 May 2025"
    assert opening_phrase(opens) == "the start of Saturday 15 March 2025"


@pytest.mark.parametrize(
    ("instant", "phrase"),
    [
        (datetime(2025, 6, 1, 11, 0, tzinfo=UTC), "midday on Sunday 1 June 2025"),
        (datetime(2025, 1, 6, 9, 0, tzinfo=UTC), "9am on Monday 6 January 2025"),
        (datetime(2025, 7, 4, 16, 30, tzinfo=UTC), "5:30pm on Friday 4 July 2025"),
        (datetime(2025, 12, 31, 23, 59, tzinfo=UTC), "11:59pm on Wednesday 31 December 2025"),
    ],
)
def test_closing_times_are_written_the_gov_uk_way(instant, phrase):
    assert closing_phrase(instant) == phrase


def test_a_time_skipped_when_the_clocks_go_forward_is_refused():
    with pytest.raises(UkTimeError, match="does not exist .* clocks go forward"):
        uk_instant(date(2025, 3, 30), time(1, 30))


def test_a_time_repeated_when_the_clocks_go_back_is_refused():
    with pytest.raises(UkTimeError, match="happens twice .* clocks go back"):
        uk_instant(date(2025, 10, 26), time(1, 30))


def test_times_either_side_of_the_change_are_an_hour_apart_in_utc():
    before = uk_instant(date(2025, 3, 30), time(0, 59))
    after = uk_instant(date(2025, 3, 30), time(2, 0))
    assert (after - before).total_seconds() == 60
