"""A stroke the rules gave to the wrong neighbour is handed back when the model reads both digits so."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from digitgame.recognition import handover, splitting
from digitgame.recognition.handover import Candidate
from digitgame.recognition.reading import DigitReading, Prediction


def reading(digit: int, p: float) -> DigitReading:
    probabilities = np.full(10, (1 - p) / 9)
    probabilities[digit] = p
    return DigitReading(Prediction.from_probabilities(probabilities), (0.0, 0.0, 10.0, 10.0))


# a 9 (stroke 0) and a 4's corner (stroke 1) as one digit, the 4's stem (stroke 2) alone: "2294" read "2291"
NINE, CORNER, STEM = (0.0, 0.0, 80.0, 100.0), (82.0, 5.0, 30.0, 45.0), (112.0, 30.0, 12.0, 70.0)
STROKES = {0: NINE, 1: CORNER, 2: STEM}


def test_the_stroke_nearest_a_lone_stroke_is_tried_with_it_only_when_the_two_are_close_and_beside_each_other():
    two = [(0, 1), (2,)]
    boxes = [(0.0, 0.0, 112.0, 100.0), STEM]
    assert handover.candidates(two, boxes, STROKES) == [Candidate(0, 0, (0,), (1, 2))]
    far = {**STROKES, 2: (200.0, 30.0, 12.0, 70.0)}
    assert handover.candidates(two, [boxes[0], far[2]], far) == []  # a gap: the rules were right
    bar_above = {**STROKES, 1: (82.0, 0.0, 30.0, 20.0)}  # a 7's bar reaching over the next digit stays the 7's
    assert handover.candidates(two, boxes, bar_above) == []
    both_whole = [(0, 1), (2, 3)]  # a digit of two strokes beside another of two: each is whole
    assert handover.candidates(both_whole, boxes, {**STROKES, 3: STEM}) == []
    mirrored = [(2,), (0, 1)]  # a lone stroke left of a digit of two: the latter's leftmost stroke is tried
    left_boxes = {0: (40.0, 0.0, 80.0, 100.0), 1: (20.0, 5.0, 30.0, 45.0), 2: (0.0, 30.0, 18.0, 70.0)}
    assert handover.candidates(mirrored, [left_boxes[2], (20.0, 0.0, 100.0, 100.0)], left_boxes) == [
        Candidate(0, 1, (1, 2), (0,))
    ]


def test_a_handover_is_kept_only_when_the_giver_keeps_its_digit_and_both_read_surely_and_no_less_probably():
    c = Candidate(0, 0, (0,), (1, 2))
    before = [reading(9, 0.84), reading(1, 0.997)]
    assert handover.kept(before, [c], [(reading(9, 0.99), reading(4, 0.99))], splitting.log_p) == [0]
    # the giver now reads as another digit: the stroke was part of it
    assert handover.kept(before, [c], [(reading(7, 0.99), reading(4, 0.99))], splitting.log_p) == []
    # the receiver unsure with the stroke, or the two less probable than before
    assert handover.kept(before, [c], [(reading(9, 0.99), reading(4, 0.6))], splitting.log_p) == []
    sure = [reading(9, 0.999), reading(1, 0.999)]
    assert handover.kept(sure, [c], [(reading(9, 0.9), reading(4, 0.9))], splitting.log_p) == []
    taught = [before[0], replace(before[1], is_taught=True)]  # what the person taught as a digit is one
    assert handover.kept(taught, [c], [(reading(9, 0.99), reading(4, 0.99))], splitting.log_p) == []


def test_a_digit_changed_by_one_handover_takes_no_part_in_the_next():
    first, second = Candidate(0, 0, (0,), (1, 2)), Candidate(1, 1, (1, 2, 3), (4,))
    digits = [reading(9, 0.8), reading(1, 0.9), reading(4, 0.8)]
    better = (reading(9, 0.99), reading(4, 0.99))
    assert handover.kept(digits, [first, second], [better, better], splitting.log_p) == [0]


def test_the_committed_model_hands_a_real_writers_4s_corner_back_from_the_8_it_touches(recognizer, monkeypatch):
    from benchmarks.written_numbers import SOURCES, numbers

    # numbers of the choosing writers' digits (UNIPEN), touching or overlapping by up to 10 % of the height
    touching = {n.text: n for n in numbers(SOURCES["real writers (choosing)"](0), 300, "touching", 0)}
    n = touching["0846"]  # the 4's corner touches the 8: the rules join them, and the 4's stem alone reads 1
    assert recognizer.read_strokes(n.strokes, n.width, n.height).number == "0846"
    monkeypatch.setattr(handover.candidates, "__defaults__", (handover.Handover(gap=-np.inf),))  # never tried
    assert recognizer.read_strokes(n.strokes, n.width, n.height).number == "0816"
