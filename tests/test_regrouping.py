"""regrouping: a stroke the rules gave to the wrong neighbour goes to the digit it reads best with."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from digitgame.recognition import regrouping
from digitgame.recognition.reading import DigitReading, Prediction
from digitgame.recognition.regrouping import Move, Regrouping


def reading(digit: int, p: float) -> DigitReading:
    probabilities = np.full(10, (1 - p) / 9)
    probabilities[digit] = p
    return DigitReading(Prediction.from_probabilities(probabilities), (0.0, 0.0, 10.0, 10.0))


# A 9 (stroke 0, x 0-40) with a 4's corner (stroke 1, x 44-60) joined to it, and the 4's stem
# (stroke 2, x 62-66) alone: the digits' boxes are 2 apart, H is 100.
NINE_AND_CORNER = [(0, 1), (2,)]
BOXES = [(0.0, 0.0, 60.0, 100.0), (62.0, 0.0, 4.0, 100.0)]
SPANS = np.array([[0.0, 40.0], [44.0, 60.0], [62.0, 66.0]])


def test_the_stroke_nearer_the_other_digit_is_tried_there():
    assert regrouping.moves(NINE_AND_CORNER, BOXES, SPANS) == [Move(0, (0,), (1, 2))]


def test_a_stroke_that_overlaps_its_own_digit_across_is_not_tried_in_the_next():
    bar_over_stem = np.array([[0.0, 40.0], [10.0, 60.0], [62.0, 66.0]])  # stroke 1 reaches back over stroke 0
    assert regrouping.moves(NINE_AND_CORNER, BOXES, bar_over_stem) == []
    # ... unless Regrouping.slack forgives the difference
    loose = Regrouping(slack=0.4)
    assert regrouping.moves(NINE_AND_CORNER, BOXES, bar_over_stem, loose) == [Move(0, (0,), (1, 2))]


def test_the_right_digits_leftmost_stroke_is_tried_in_the_left_one():
    boxes = [(0.0, 0.0, 16.0, 100.0), (18.0, 0.0, 60.0, 100.0)]
    spans = np.array([[0.0, 16.0], [18.0, 22.0], [30.0, 78.0]])  # a corner alone; its stem joined to a 9
    assert regrouping.moves([(0,), (1, 2)], boxes, spans) == [Move(0, (0, 1), (2,))]


@pytest.mark.parametrize("gap", [31.0, -1.0])
def test_digits_far_apart_or_overlapping_trade_no_stroke(gap):
    boxes = [BOXES[0], (60.0 + gap, 0.0, 4.0, 100.0)]
    spans = np.array([[0.0, 40.0], [44.0, 60.0], [60.0 + gap, 64.0 + gap]])
    assert regrouping.moves(NINE_AND_CORNER, boxes, spans) == []


def test_a_digit_of_one_stroke_gives_none_away():
    assert regrouping.moves([(0,), (1,)], BOXES, SPANS[:2]) == []


def test_a_move_is_kept_when_both_digits_read_confidently_and_more_probably():
    now = [reading(9, 0.85), reading(1, 0.99)]  # "91": the 9 with a corner reads less sure
    move = Move(0, (0,), (1, 2))
    [(kept, left, right)] = regrouping.chosen(now, [move], [(reading(9, 0.99), reading(4, 0.99))])
    assert kept == move and (left.prediction.digit, right.prediction.digit) == (9, 4)
    assert regrouping.chosen(now, [move], [(reading(9, 0.9), reading(4, 0.9))]) == []  # less probable
    assert regrouping.chosen(now, [move], [(reading(9, 0.99), reading(4, 0.7))]) == []  # 4 not confident
    assert regrouping.chosen(now, [move], [(reading(9, 0.99), None)]) == []  # too small to read


def test_what_the_person_taught_is_never_regrouped():
    taught = [reading(9, 0.85), replace(reading(1, 0.99), is_taught=True)]
    assert regrouping.chosen(taught, [Move(0, (0,), (1, 2))], [(reading(9, 0.99), reading(4, 0.99))]) == []


def test_the_best_move_first_and_each_digit_in_at_most_one():
    now = [reading(9, 0.85), reading(1, 0.99), reading(7, 0.85)]
    first, second = Move(0, (0,), (1, 2)), Move(1, (1, 2, 3), (4,))
    kept = regrouping.chosen(
        now, [first, second], [(reading(9, 0.95), reading(4, 0.95)), (reading(4, 0.99), reading(7, 0.99))]
    )
    assert [m for m, _, _ in kept] == [second]  # the larger gain; the first shares digit 1 with it


def test_the_committed_model_gives_a_fours_corner_back_to_its_stem(recognizer, monkeypatch):
    from benchmarks.written_numbers import SOURCES, numbers

    # numbers of the choosing writers' digits (UNIPEN): gaps of 0-15 % of the height, and touching
    tight = {n.text: n for n in numbers(SOURCES["real writers (choosing)"](3000), 300, "tight", 3)}
    touching = {n.text: n for n in numbers(SOURCES["real writers (choosing)"](7), 150, "touching", 11)}
    for n in (tight["259490"], touching["34637"]):  # an open 4's corner near the 9 before it: "259190"
        reading = recognizer.read_strokes(n.strokes, n.width, n.height)
        assert reading.number == n.text
        monkeypatch.setattr(regrouping.moves, "__defaults__", (Regrouping(gap=-1.0),))  # never regrouped
        assert recognizer.read_strokes(n.strokes, n.width, n.height).number != n.text
        monkeypatch.undo()


def test_a_long_line_of_digits_reads_at_most_the_budget():
    # 200 digits of two strokes each, 2 apart: every neighbour could trade a stroke
    parts = [(2 * k, 2 * k + 1) for k in range(200)]
    boxes = [(22.0 * k, 0.0, 20.0, 100.0) for k in range(200)]
    spans = np.array([[22.0 * k + dx, 22.0 * k + dx + 6.0] for k in range(200) for dx in (0.0, 14.0)])
    found = regrouping.moves(parts, boxes, spans)
    assert len(found) == regrouping.REGROUPING.budget // 2  # two drawings read a move
    assert [m.at for m in found] == sorted(m.at for m in found)  # in reading order
    assert len(regrouping.moves(parts, boxes, spans, Regrouping(budget=10_000))) > len(found)
