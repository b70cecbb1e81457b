"""Numbers through the recogniser: every digit of a drawing or image in one model call, each read as it is alone."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import written_numbers as na
from benchmarks.alone import image_alone, strokes_alone
from digitgame.files import paths
from digitgame.files.strokefile import load_stroke_file
from digitgame.live import verdict
from digitgame.live.drawing import Drawing
from digitgame.recognition.predictor import Outputs
from digitgame.recognition.reading import Nothing
from digitgame.recognition.recognizer import Recognizer


class Spy:
    """The real predictor, counting calls and batch sizes."""

    def __init__(self, predictor) -> None:
        self.inner, self.batches = predictor, []
        self.backend, self.path, self.embedding_size = predictor.backend, predictor.path, predictor.embedding_size
        self.not_a_digit_threshold = predictor.not_a_digit_threshold
        self.not_a_digit_doubt = predictor.not_a_digit_doubt

    def predict(self, images: np.ndarray) -> Outputs:
        self.batches.append(len(images))
        return self.inner.predict(images)


@pytest.fixture(scope="module")
def numbers() -> list[na.Number]:
    """Pen-proxy numbers of 2-8 digits with gaps of 15-60 % of the height."""
    return list(na.numbers(na.pen_digits(21), 12, "main", 21))


def test_a_number_is_read_in_one_model_call_each_digit_as_it_reads_alone(predictor, numbers):
    spy = Spy(predictor)
    recognizer = Recognizer(spy)
    for number in numbers:
        spy.batches.clear()
        reading = recognizer.read_strokes(number.strokes, number.width, number.height)
        # all the digits in the first call; a later call only reads cuts of a digit whose strokes lie
        # side by side (splitting), two parts per cut
        assert spy.batches[0] == len(number.digits) and all(n % 2 == 0 for n in spy.batches[1:])
        for d, digit in zip(reading.digits, number.digits, strict=True):
            alone = strokes_alone(recognizer, [s.tolist() for s in digit.strokes], max(number.width, number.height))
            assert d.prediction.probabilities == pytest.approx(alone.probabilities, abs=1e-5)
            lo, hi = digit.lo, digit.hi
            assert d.box == pytest.approx((lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]))


def test_the_composed_numbers_read_right(recognizer, numbers):
    right = [recognizer.read_strokes(n.strokes, n.width, n.height).number == n.text for n in numbers]
    assert sum(right) >= len(numbers) - 1


def test_empty_and_tap_drawings_are_nothing_to_recognise(recognizer):
    assert recognizer.read_strokes([], 1120, 560).nothing is Nothing.EMPTY
    taps = [[[100.0, 100.0]], [[300.0, 100.5]]]
    assert recognizer.read_strokes(taps, 1120, 560).nothing is Nothing.TOO_SMALL


def test_a_dot_beside_a_digit_does_not_change_it(recognizer):
    one = [[[300.0, 100.0], [302.0, 400.0]]]
    alone = recognizer.read_strokes(one, 1120, 560)
    with_dot = recognizer.read_strokes([*one, [[420.0, 395.0]]], 1120, 560)
    assert with_dot.number == alone.number == "1"
    assert with_dot.digits[0].prediction.probabilities == alone.digits[0].prediction.probabilities


def test_touching_digits_are_cut_apart_and_when_read_as_one_wide_digit_are_never_confident(recognizer, monkeypatch):
    from digitgame.recognition import splitting

    t = np.linspace(0, 2 * np.pi, 50)
    oval = np.column_stack((60 * np.cos(t), 100 * np.sin(t)))
    touching = [(oval + np.array([x, 250.0])).tolist() for x in (160.0, 280.0, 400.0)]  # three 0s, touching
    assert recognizer.read_strokes(touching, 1120, 560).number == "000"
    monkeypatch.setattr(splitting, "SPLITTING", splitting.Splitting(depth=0))  # the rules alone: one wide piece
    reading = recognizer.read_strokes(touching, 1120, 560)
    (d,) = reading.digits
    assert d.is_wide and not d.prediction.is_confident and not reading.is_confident
    v = verdict.tell(reading)
    if d.prediction.is_not_a_digit:  # the network knows three ovals in one piece for no digit: said so
        assert v.tone is verdict.Tone.NOT_A_DIGIT and d.prediction.digit is None
    else:  # read as one digit: told that touching digits read as one (test_verdict: the caption's wording)
        assert v.caption == verdict.TOUCHING and v.tone is verdict.Tone.UNSURE


def test_an_image_of_a_number_reads_each_digit_as_its_own_image(recognizer, mnist):
    digits = [mnist.x_test[i] / 255.0 for i in range(6)]
    row = np.concatenate([np.pad(d, ((4, 4), (3, 3))) for d in digits], axis=1)
    big = np.kron(row, np.ones((5, 5)))  # dark paper, light ink, digits about 100 px tall
    for image in (big, 1.0 - big):  # either polarity
        reading = recognizer.read_image(image)
        expected = "".join(str(image_alone(recognizer, np.kron(d, np.ones((5, 5)))).digit) for d in digits)
        assert reading.number == expected
        assert [d.box[0] // (34 * 5) for d in reading.digits] == list(range(6))


def test_a_saved_number_reads_back_the_same(recognizer, tmp_path):
    shipped = load_stroke_file(paths.asset_path("selftest") / "2026-year.json")
    drawing = Drawing(shipped.width, shipped.height)
    for stroke in shipped.strokes:
        drawing.begin_stroke(stroke[0])
        for p in stroke[1:]:
            drawing.extend_stroke(p)
        drawing.end_stroke()
    before = recognizer.read_drawing(drawing.to_file())
    after = recognizer.read_drawing(load_stroke_file(drawing.to_file().save(tmp_path / "n.json")))
    assert before.number == after.number == "2026"
    assert [d.box for d in before.digits] == [d.box for d in after.digits]
    assert [d.prediction.probabilities for d in before.digits] == [d.prediction.probabilities for d in after.digits]


def test_the_digits_of_a_number_are_preprocessed_together_exactly_as_alone(numbers):
    from digitgame.recognition import preprocess, segment

    tap = preprocess.Segments(np.zeros((0, 2)), np.zeros((0, 2)), np.array([[5.0, 5.0]]))
    for number in numbers:
        drawings = [
            preprocess.Segments.from_points(*segment.flatten([s.tolist() for s in d.strokes])) for d in number.digits
        ]
        together = preprocess.segments_to_inputs([*drawings, tap], 1000.0)
        assert together[-1] is None  # a tap on its own is too small, as segments_to_input says
        for drawing, image in zip(drawings, together, strict=False):
            np.testing.assert_array_equal(image, preprocess.segments_to_input(drawing, 1000.0))


def test_a_cursive_number_runs_each_linked_digit_into_the_next_without_lifting_the_pen():
    from benchmarks.written_numbers import SOURCES, numbers

    for n in numbers(SOURCES["pen proxy"](3), 40, "cursive", 5):
        assert n.links and all(0 <= i < len(n.digits) - 1 for i in n.links)
        own = [s for d in n.digits for s in d.strokes]
        assert len(n.strokes) == len(own) - len(n.links)  # each link makes two strokes one
        for d in n.digits:  # every point of every digit is drawn, in order
            for s in d.strokes:
                assert any(_contains_run(np.array(t), s) for t in n.strokes)
        for i in n.links:  # the pen's path from one digit's last point to the next one's first is drawn
            end, start = n.digits[i].strokes[-1][-1], n.digits[i + 1].strokes[0][0]
            stroke = next(np.array(t) for t in n.strokes if _contains_run(np.array(t), n.digits[i].strokes[-1]))
            assert _contains_run(stroke, n.digits[i + 1].strokes[0])
            after_end = np.flatnonzero((stroke == end).all(axis=1))[0]
            assert np.allclose(stroke[after_end + 5], start)  # four points of straight path between


def _contains_run(stroke: np.ndarray, run: np.ndarray) -> bool:
    """Whether ``run``'s points appear in ``stroke`` one after another."""
    return any(np.array_equal(stroke[k : k + len(run)], run) for k in range(len(stroke) - len(run) + 1))
