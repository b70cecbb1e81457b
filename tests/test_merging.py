"""recognition/merging.py: neighbouring groups that may be one digit are read as one too, and the model chooses."""

from __future__ import annotations

import numpy as np
import pytest

from digitgame.recognition import merging
from digitgame.recognition.predictor import Outputs
from digitgame.recognition.recognizer import Recognizer


def sure(digit: int, p: float = 0.98) -> np.ndarray:
    out = np.full(10, (1 - p) / 9)
    out[digit] = p
    return out


def test_only_close_neighbours_off_one_line_that_fit_one_digit_are_candidates():
    corner, stem = (100.0, 100.0, 80.0, 120.0), (170.0, 60.0, 20.0, 240.0)  # a 4's corner, its lower stem
    assert merging.candidates([corner, stem]) == [0]
    one, seven = (100.0, 100.0, 20.0, 200.0), (130.0, 100.0, 90.0, 200.0)  # a 1 and a 7 on one line
    assert merging.candidates([one, seven]) == []
    far_stem = (100.0 + 80.0 + 0.31 * 240.0, 60.0, 20.0, 240.0)  # the stem further away than `gap`
    assert merging.candidates([corner, far_stem]) == []
    wide = (100.0, 100.0, 300.0, 120.0)  # together wider than `width` times their height
    assert merging.candidates([wide, (390.0, 60.0, 20.0, 240.0)]) == []
    assert merging.candidates([corner]) == [] and merging.candidates([]) == []


def test_the_model_chooses_the_more_probable_reading_of_the_line():
    single = np.stack([sure(6, 0.7), sure(1, 0.9), sure(2)])
    assert merging.choose(single, {0: sure(4, 0.99)}) == [(0, 1), (2,)]  # 0.99 > 0.7 x 0.9
    assert merging.choose(single, {0: sure(4, 0.6)}) == [(0,), (1,), (2,)]  # 0.6 < 0.63
    assert merging.choose(single, {}) == [(0,), (1,), (2,)]
    chained = np.stack([sure(1, 0.5), sure(1, 0.5), sure(1, 0.5)])
    assert merging.choose(chained, {0: sure(4, 0.98), 1: sure(4, 0.99)}) == [(0,), (1, 2)]  # the better pair only


def test_a_margin_asks_more_of_the_one_digit():
    single = np.stack([sure(6, 0.7), sure(1, 0.9)])
    assert merging.choose(single, {0: sure(4, 0.99)}, merging.Merging(margin=1.0)) == [(0,), (1,)]


class Scripted:
    """Answers each batch with the given rows, in order, and keeps the batch sizes it was asked."""

    backend, path, embedding_size, not_a_digit_threshold = "fake", None, 0, 1.0
    not_a_digit_doubt = 1.0

    def __init__(self, *rows: np.ndarray) -> None:
        self.rows, self.batches = np.array(rows, dtype=np.float32), []

    def predict(self, images: np.ndarray) -> Outputs:
        self.batches.append(len(images))
        return Outputs(self.rows[: len(images)], None)


CORNER = [[100.0, 100.0], [100.0, 220.0], [180.0, 220.0]]  # down, then right: a 4's corner


def test_a_digit_the_rules_split_in_two_is_read_as_one_when_the_model_prefers_it():
    stem = [[230.0, 60.0], [230.0, 300.0]]  # the 4's stem, apart from the corner and reaching lower
    scripted = Scripted(sure(6, 0.6), sure(1, 0.9), sure(4, 0.99))  # the corner, the stem, both as one
    reading = Recognizer(scripted).read_strokes([CORNER, stem], 560, 560)
    assert scripted.batches == [3]  # both groups and the pair, in one model call
    assert reading.number == "4" and reading.digits[0].box == pytest.approx((100.0, 60.0, 130.0, 240.0))
    unsure_pair = Scripted(sure(6, 0.6), sure(1, 0.9), sure(4, 0.5))
    assert Recognizer(unsure_pair).read_strokes([CORNER, stem], 560, 560).number == "61"


def test_digits_side_by_side_on_one_line_are_not_read_as_one():
    one, seven = [[100.0, 100.0], [100.0, 300.0]], [[130.0, 100.0], [200.0, 100.0], [150.0, 300.0]]
    scripted = Scripted(sure(1), sure(7), sure(4, 1.0))
    reading = Recognizer(scripted).read_strokes([one, seven], 560, 560)
    assert scripted.batches == [2] and reading.number == "17"
