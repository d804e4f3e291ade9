"""Matching an old run's themes to a new run's by the overlap of their passages (ADR 15)."""

from __future__ import annotations

import pytest

from inpractice.workspace.carry import (
    CARRY_MIN,
    STRONG_MATCH,
    ThemeMatch,
    match_by_overlap,
    match_themes,
)


def places(*numbers: int) -> set[tuple]:
    """Passages by place: (submission, field, start, end)."""
    return {(n, "practice", 0, 10) for n in numbers}


def test_the_same_passages_are_an_unchanged_match():
    found = match_themes({1: places(1, 2, 3)}, {7: places(1, 2, 3), 8: places(4, 5)})
    assert found[1] == ThemeMatch(1, 7, 1.0)
    assert not found[1].changed and not found[1].weak


def test_a_strong_match_that_lost_a_passage_is_changed_but_not_weak():
    found = match_themes({1: places(*range(10))}, {7: places(*range(9))})
    m = found[1]
    assert m.new == 7 and m.jaccard == 0.9 >= STRONG_MATCH
    assert m.changed and not m.weak


def test_a_weak_match_is_carried_and_flagged():
    # 3 shared of 6 in all: Jaccard 0.5, between CARRY_MIN and STRONG_MATCH.
    found = match_themes({1: places(1, 2, 3, 4)}, {7: places(2, 3, 4, 5, 6)})
    m = found[1]
    assert m.new == 7 and CARRY_MIN <= m.jaccard == 0.5 < STRONG_MATCH
    assert m.weak and m.changed


def test_too_little_overlap_is_no_match():
    found = match_themes({1: places(1, 2, 3, 4, 5)}, {7: places(5, 6, 7, 8, 9)})
    assert found[1] == ThemeMatch(1, None, 0.0)
    assert not found[1].changed and not found[1].weak


def test_a_theme_that_vanished_is_no_match():
    assert match_themes({1: places(1, 2)}, {})[1].new is None


def test_each_new_theme_takes_one_old_theme_the_best_match_first():
    # Two old themes were joined into one new theme: the bigger share keeps it, the other is
    # matched to nothing rather than to the same theme twice.
    old = {1: places(1, 2, 3, 4, 5, 6), 2: places(7, 8)}
    new = {9: places(1, 2, 3, 4, 5, 6, 7, 8)}
    found = match_themes(old, new)
    assert found[1].new == 9 and found[1].jaccard == 0.75
    assert found[2].new is None


def test_a_split_theme_goes_to_its_larger_part():
    old = {1: places(*range(10))}
    new = {5: places(0, 1, 2), 6: places(3, 4, 5, 6, 7, 8, 9)}
    found = match_themes(old, new)
    assert found[1].new == 6 and found[1].jaccard == 0.7 and found[1].weak


@pytest.mark.parametrize("order", [(1, 2), (2, 1)])
def test_ties_go_to_the_lower_ids_whatever_the_order(order):
    overlaps = {(o, 9): 2 for o in order}
    found = match_by_overlap({1: 2, 2: 2}, {9: 2}, overlaps)
    assert found[1].new == 9 and found[2].new is None


def test_the_threshold_can_be_set():
    old, new = {1: places(1, 2, 3, 4)}, {7: places(4, 5, 6, 7)}  # Jaccard 1/7
    assert match_themes(old, new)[1].new is None
    assert match_themes(old, new, carry_min=0.1)[1].new == 7
