"""splitting: digits that touch are cut where the model reads the parts best, and never sure when another cut is."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digitgame.recognition import splitting
from digitgame.recognition.raster import Segments
from digitgame.recognition.reading import DigitReading, Prediction

ROOT = Path(__file__).resolve().parent.parent


def stroke(*points: tuple[float, float]) -> Segments:
    p = np.array(points, dtype=np.float64)
    return Segments.from_points(p, np.array([len(p)]))


def total_length(strokes: Sequence[Segments]) -> float:
    return float(sum(s.lengths().sum() for s in strokes))


def reading(digit: int, p: float, box=(0.0, 0.0, 10.0, 10.0)) -> DigitReading:
    probabilities = np.full(10, (1 - p) / 9)
    probabilities[digit] = p
    return DigitReading(Prediction.from_probabilities(probabilities), box)


def test_a_cut_line_keeps_every_bit_of_ink_on_one_side_or_the_other():
    zigzag = stroke((0, 0), (10, 5), (0, 10), (10, 15))
    left, right = splitting._cut_at([zigzag], 4.0)
    assert total_length(left) + total_length(right) == pytest.approx(total_length([zigzag]))
    assert max(p[0] for s in left for p in s.points()) <= 4.0 + 1e-9
    assert min(p[0] for s in right for p in s.points()) >= 4.0 - 1e-9


def test_cuts_come_between_strokes_first_then_through_thin_places():
    one, two = stroke((0, 0), (0, 20)), stroke((6, 0), (14, 0), (6, 20), (14, 20))
    found = splitting.cuts([two, one], (0.0, 0.0, 14.0, 20.0))
    left, right = found[0]
    assert left == [one] and right == [two]  # by where the strokes' ink lies, not their order
    assert len(found) > 1


class FakeModel:
    """Reads a drawing by the x of its ink's centre: ``answers`` maps a band of x to (digit, probability)."""

    def __init__(self, answers: dict[tuple[float, float], tuple[int, float]]) -> None:
        self.answers, self.calls = answers, 0

    def __call__(self, drawings: Sequence[Segments]) -> list[DigitReading | None]:
        self.calls += 1
        out = []
        for d in drawings:
            x = float(d.centroid()[0])
            digit, p = next(v for (a, b), v in self.answers.items() if a <= x < b)
            out.append(reading(digit, p, splitting.box_of([d])))
        return out


def touching_pair() -> list[Segments]:
    return [stroke((0, 0), (0, 20)), stroke((4, 0), (12, 0), (4, 20), (12, 20))]


def test_a_pair_read_better_as_two_confident_digits_is_split_in_one_model_call():
    model = FakeModel({(-1, 3): (1, 0.99), (3, 99): (2, 0.99)})
    whole = reading(7, 0.6, (0.0, 0.0, 12.0, 20.0))
    parts = splitting.split(touching_pair(), whole, model)
    assert [p.prediction.digit for p in parts] == [1, 2] and all(p.prediction.is_confident for p in parts)
    assert model.calls == 1


def test_a_whole_that_reads_better_than_any_split_stays_whole_and_is_not_sure_when_a_split_reads_nearly_as_well():
    whole = reading(4, 0.99, (0.0, 0.0, 12.0, 20.0))
    doubtful = FakeModel({(-1, 3): (1, 0.5), (3, 99): (2, 0.5)})  # the parts are no confident digits
    assert splitting.split(touching_pair(), whole, doubtful) == [whole]
    rival = FakeModel({(-1, 3): (1, 0.85), (3, 99): (2, 0.85)})  # "12" within SPLITTING.rival of "4"
    [kept] = splitting.split(touching_pair(), whole, rival)
    assert kept.prediction.digit == 4 and not kept.prediction.is_confident


def test_a_confident_digit_as_narrow_as_one_is_cut_only_when_the_cut_wins_by_narrow_margin():
    # 2 log 0.99 beats log 0.97 by 0.010 nats: enough against a broad whole, not against a narrow one
    gain = 2 * np.log(0.99) - np.log(0.97)
    assert splitting.SPLITTING.margin < gain < splitting.SPLITTING.narrow_margin
    model = FakeModel({(-1, 3): (1, 0.99), (3, 99): (2, 0.99)})
    narrow = reading(4, 0.97, (0.0, 0.0, 12.0, 20.0))  # 0.6 times as wide as tall
    assert splitting.SPLITTING.narrow * 20.0 > 12.0
    [kept] = splitting.split(touching_pair(), narrow, model)
    assert kept.prediction.digit == 4 and not kept.prediction.is_confident  # "12" reads nearly as well
    broad = reading(4, 0.97, (0.0, 0.0, 20.0, 20.0))
    assert [p.prediction.digit for p in splitting.split(touching_pair(), broad, model)] == [1, 2]
    unsure = reading(4, 0.7, (0.0, 0.0, 12.0, 20.0))  # a whole not read confidently is cut by any win
    assert [p.prediction.digit for p in splitting.split(touching_pair(), unsure, model)] == [1, 2]


def touching_three() -> list[Segments]:
    """A 1, a 2 and a 1 touching: ink centred at x = 0, 11 and 22 (the 1 and 2 together near 8, the 2 and 1 near 14)."""
    return [stroke((0, 0), (0, 20)), stroke((4, 0), (18, 0), (4, 20), (18, 20)), stroke((22, 0), (22, 20))]


THREE = {(-1, 3): (1, 0.99), (3, 9.5): (4, 0.5), (9.5, 12.5): (2, 0.99), (12.5, 18): (7, 0.5), (18, 99): (1, 0.99)}


def test_three_touching_digits_are_cut_twice_though_no_one_cut_gives_two_digits():
    whole = reading(7, 0.6, (0.0, 0.0, 22.0, 20.0))
    model = FakeModel(THREE)  # any two of the three together read as no confident digit
    parts = splitting.split(touching_three(), whole, model)
    assert [p.prediction.digit for p in parts] == [1, 2, 1]
    assert model.calls == 2  # the cuts, then the broad part's cuts: parts read once are not read again
    one_cut = splitting.split(touching_three(), whole, FakeModel(THREE), splitting.Splitting(depth=1))
    assert [p.prediction.digit for p in one_cut] == [7]


def not_a_digit(share: float, box=(0.0, 0.0, 12.0, 20.0)) -> DigitReading:
    return DigitReading(Prediction.from_probabilities(np.full(10, 0.1), None, share, 0.65), box)


@pytest.mark.parametrize("p", [0.99, 0.9])
def test_a_whole_that_reads_not_a_digit_is_cut_only_into_digits_together_sure_parts_probable(p):
    whole = not_a_digit(0.999)  # more probable than any split: log 0.999 > 2 log 0.99
    parts = splitting.split(touching_pair(), whole, FakeModel({(-1, 3): (1, p), (3, 99): (2, p)}))
    if p * p >= splitting.SPLITTING.sure_parts:
        assert [q.prediction.digit for q in parts] == [1, 2]
        assert not any(q.prediction.is_confident for q in parts)  # the whole, "not a digit", is nearly as probable
    else:
        assert parts == [whole]


def test_a_broad_whole_that_reads_not_a_digit_is_cut_into_less_sure_parts_than_a_narrow_one():
    """Two touching digits are broad and a letter seldom is: against "not a digit", the parts of a whole at
    least ``broad_whole`` times as wide as tall need only be together ``broad_sure_parts`` probable."""
    s = splitting.SPLITTING
    p = float(np.sqrt((s.sure_parts + s.broad_sure_parts) / 2))  # the parts together between the two
    model = FakeModel({(-1, 3): (1, p), (3, 99): (2, p)})
    narrow = not_a_digit(0.999, box=(0.0, 0.0, 0.95 * s.broad_whole * 20, 20.0))
    broad = not_a_digit(0.999, box=(0.0, 0.0, 1.05 * s.broad_whole * 20, 20.0))
    assert splitting.split(touching_pair(), narrow, model) == [narrow]
    parts = splitting.split(touching_pair(), broad, model)
    assert [q.prediction.digit for q in parts] == [1, 2]
    assert not any(q.prediction.is_confident for q in parts)  # "not a digit" stays a rival: never sure


def test_a_long_scribble_of_many_strokes_reads_at_most_the_budget():
    scribble = [stroke((4 * i, 20), (4 * i + 3, 0), (4 * i + 6, 20)) for i in range(40)]
    model = CountingModel({(-1, 1e9): (1, 0.99)})  # every part a sure 1: every cut worth cutting again
    splitting.split(scribble, reading(0, 0.6, splitting.box_of(scribble)), model)
    assert 0 < model.drawings <= splitting.SPLITTING.budget


class CountingModel(FakeModel):
    def __init__(self, answers: dict[tuple[float, float], tuple[int, float]]) -> None:
        super().__init__(answers)
        self.drawings = 0

    def __call__(self, drawings: Sequence[Segments]) -> list[DigitReading | None]:
        self.drawings += len(drawings)
        return super().__call__(drawings)


def test_strokes_side_by_side_are_tried_and_a_digit_of_crossing_strokes_is_not():
    narrow = reading(7, 0.99, (0.0, 0.0, 12.0, 20.0))
    assert splitting.should_try(narrow, touching_pair())  # a 1 and a 2, 4 px apart
    four = [stroke((6, 0), (0, 12), (14, 12)), stroke((10, 4), (10, 20))]  # a corner and a stem through its bar
    assert not splitting.should_try(reading(4, 0.99, (0.0, 0.0, 14.0, 20.0)), four)
    assert not splitting.should_try(narrow, [stroke((0, 0), (12, 20))])  # one stroke: only when wide
    assert not splitting.should_try(narrow, touching_pair(), splitting.Splitting(depth=0))


def test_a_broad_drawing_that_reads_not_a_digit_is_tried_and_a_narrow_one_is_not():
    joined = [stroke((0, 0), (0, 20), (6, 0), (18, 0), (6, 20), (18, 20))]  # a 1 and a 2, the pen never lifted
    assert splitting.should_try(not_a_digit(0.99, (0.0, 0.0, 18.0, 20.0)), joined)  # 0.9 of the height across
    assert not splitting.should_try(not_a_digit(0.99, (0.0, 0.0, 12.0, 20.0)), joined)  # narrower than ``broad``
    assert not splitting.should_try(reading(4, 0.99, (0.0, 0.0, 18.0, 20.0)), joined)  # a digit, one stroke


def test_a_part_much_shorter_than_the_whole_is_never_a_digit():
    seven = [stroke((0, 0), (12, 0), (4, 20)), stroke((12, 0), (20, 1))]  # a 7 and its bar drawn on
    model = FakeModel({(-1, 13): (7, 0.99), (13, 99): (1, 0.99)})  # the bar alone would read as a sure 1
    whole = reading(7, 0.9, (0.0, 0.0, 20.0, 20.0))
    assert all(min(splitting.box_of(part)[3] for part in cut) >= 12 for cut in splitting.cuts(seven, whole.box))
    assert splitting.split(seven, whole, model) == [whole]


@settings(max_examples=60, deadline=None)
@given(
    p_left=st.floats(0.8, 1.0), p_right=st.floats(0.8, 1.0), p_other=st.floats(0.8, 1.0), p_whole=st.floats(0.1, 1.0)
)
def test_no_confident_number_when_a_different_split_reads_nearly_as_confidently(p_left, p_right, p_other, p_whole):
    # parts centred left of x = 3 read 1, between 3 and 6.5 (a cut through the 2) 1 again, right of it 2
    model = FakeModel({(-1, 3): (1, p_left), (3, 6.5): (1, p_other), (6.5, 99): (2, p_right)})
    strokes = touching_pair()
    whole = reading(4, p_whole, (0.0, 0.0, 12.0, 20.0))
    parts = splitting.split(strokes, whole, model)
    if all(p.prediction.is_confident for p in parts):  # a sure number: no other reading is nearly as sure
        chosen = sum(splitting.log_p(p) for p in parts)
        texts = {"".join(str(p.prediction.digit) for p in parts)}
        if len(parts) > 1:
            assert not (whole.prediction.is_confident and splitting.log_p(whole) >= chosen - splitting.SPLITTING.rival)
        for left, right in splitting.cuts(strokes, whole.box):
            a, b = model([splitting._merged(left), splitting._merged(right)])
            assert a is not None and b is not None
            text = f"{a.prediction.digit}{b.prediction.digit}"
            if text not in texts and a.prediction.is_confident and b.prediction.is_confident:
                assert splitting.log_p(a) + splitting.log_p(b) < chosen - splitting.SPLITTING.rival


def test_the_committed_model_splits_touching_real_digits_the_rules_leave_whole(recognizer, monkeypatch):
    from benchmarks.written_numbers import SOURCES, numbers

    # numbers of the choosing writers' digits (UNIPEN), touching or overlapping by up to 10 % of the height
    touching = {n.text: n for n in numbers(SOURCES["real writers (choosing)"](7), 150, "touching", 11)}
    for text in ("609", "1846"):
        n = touching[text]
        reading = recognizer.read_strokes(n.strokes, n.width, n.height)
        assert reading.number == text and reading.is_confident
        monkeypatch.setattr(splitting, "SPLITTING", splitting.Splitting(depth=0))  # the rules alone
        assert recognizer.read_strokes(n.strokes, n.width, n.height).number != text
        monkeypatch.undo()
    joined = {n.text: n for n in numbers(SOURCES["real writers (choosing)"](7), 150, "cursive", 11)}
    for text in ("39", "21"):  # written as one stroke: the pen ran on from the first digit into the second
        n = joined[text]
        assert len(n.strokes) == 1 and recognizer.read_strokes(n.strokes, n.width, n.height).number == text
    n = touching["9502"]  # "950" is one piece of ink, and no one cut of it gives two confident digits
    assert recognizer.read_strokes(n.strokes, n.width, n.height).number == "9502"
    monkeypatch.setattr(splitting, "SPLITTING", splitting.Splitting(depth=1))
    monkeypatch.setattr(splitting.split, "__defaults__", (splitting.SPLITTING,))
    assert recognizer.read_strokes(n.strokes, n.width, n.height).number != "9502"


def test_the_committed_model_leaves_a_narrow_sure_digit_whole_where_a_cut_barely_reads_better(recognizer, monkeypatch):
    from benchmarks.written_numbers import SOURCES, numbers

    # numbers of the choosing writers' digits (UNIPEN), gaps of 15-60 % of the height: a two-stroke 4
    # cut into a sure 6 and a sure 1 reads 0.001 nats more probably than the 4 it is
    n = {n.text: n for n in numbers(SOURCES["real writers (choosing)"](0), 300, "main", 0)}["41706"]
    assert recognizer.read_strokes(n.strokes, n.width, n.height).number == "41706"
    monkeypatch.setattr(splitting.split, "__defaults__", (splitting.Splitting(narrow=0.0),))
    assert recognizer.read_strokes(n.strokes, n.width, n.height).number != "41706"


def test_letters_in_two_groups_that_read_as_not_a_digit_together_are_no_sure_number(recognizer, monkeypatch):
    from digitgame.recognition import merging
    from training import realwriters

    # the choosing writers' Hs and Rs (UNIPEN): a stem apart from the rest reads "14" or "12" as two groups
    letters = [d for d in realwriters.of_group(realwriters.read_letters(), "choosing") if d.letter in "HR"][:60]
    drawn = [realwriters.on_canvas(d.strokes, 560, realwriters.HEIGHT_SHARE) for d in letters]
    together = [recognizer.read_strokes(s, 560, 560) for s in drawn]
    monkeypatch.setattr(merging.close, "__defaults__", (merging.Merging(close=-1.0),))  # never read together
    apart = [recognizer.read_strokes(s, 560, 560) for s in drawn]
    sure_numbers = [k for k, r in enumerate(apart) if r.is_confident and len(r.digits) == 2]
    still_sure = [k for k in sure_numbers if together[k].is_confident]
    assert len(sure_numbers) >= 3
    assert len(still_sure) <= len(sure_numbers) // 2


def test_close_groups_that_read_as_not_a_digit_together_are_unsure_unless_taught():
    from dataclasses import replace

    from digitgame.recognition.recognizer import _doubt_letters

    one, four = reading(1, 0.99), reading(4, 0.9)
    union = DigitReading(Prediction.from_probabilities(np.full(10, 0.1), None, 0.97, 0.65), (0.0, 0.0, 20.0, 10.0))
    doubted = _doubt_letters([one, four], [(0,), (1,)], {0: union})
    assert [d.prediction.digit for d in doubted] == [1, 4] and not any(d.prediction.is_confident for d in doubted)
    digit_union = reading(7, 0.99, (0.0, 0.0, 20.0, 10.0))  # together a digit, not a letter: nothing changes
    assert _doubt_letters([one, four], [(0,), (1,)], {0: digit_union}) == [one, four]
    taught = replace(four, is_taught=True)
    assert _doubt_letters([one, taught], [(0,), (1,)], {0: union}) == [one, taught]


def test_a_whole_wider_than_its_digit_is_written_is_cut_where_the_same_whole_at_a_usual_width_is_not():
    from digitgame.recognition import widths

    model = FakeModel({(-1, 3): (1, 0.99), (3, 99): (2, 0.99)})  # "12": 2 log 0.99, 0.015 nats below the whole
    usual = 20.0 * widths.ASPECTS[0][0]  # as wide as the median 0 real writers write, 20 high
    wide = 20.0 * widths.ASPECTS[0][-1] * 1.1  # wider than all but a few of their 0s
    assert widths.plausibility(0, usual, 20.0) == pytest.approx(1.0)
    assert widths.plausibility(0, wide, 20.0) == pytest.approx(2 * widths.SHARES[-1])
    for width in (usual, wide):
        assert width >= splitting.SPLITTING.narrow * 20.0  # broad: no narrow margin either way
    [kept] = splitting.split(touching_pair(), reading(0, 0.995, (0.0, 0.0, usual, 20.0)), model)
    assert kept.prediction.digit == 0
    cut = splitting.split(touching_pair(), reading(0, 0.995, (0.0, 0.0, wide, 20.0)), model)
    assert [p.prediction.digit for p in cut] == [1, 2] and not any(p.prediction.is_confident for p in cut)
    # a whole read unsure is no rival to a cut, but a cut that won only by the whole's width is not sure either
    surer = FakeModel({(-1, 3): (1, 0.88), (3, 99): (2, 0.88)})
    assert 2 * np.log(0.88) < np.log(0.79)
    cut = splitting.split(touching_pair(), reading(0, 0.79, (0.0, 0.0, wide, 20.0)), surer)
    assert [p.prediction.digit for p in cut] == [1, 2] and not any(p.prediction.is_confident for p in cut)
    unweighed = splitting.Splitting(width_weight=0.0)
    [whole] = splitting.split(touching_pair(), reading(0, 0.995, (0.0, 0.0, wide, 20.0)), model, unweighed)
    assert whole.prediction.digit == 0


def test_the_committed_model_cuts_touching_real_digits_whose_whole_is_wider_than_its_digit(recognizer, monkeypatch):
    from benchmarks.written_numbers import SOURCES, numbers

    # the choosing writers' digits (UNIPEN), touching: "41" reads as one 4 far wider than 4s are written
    n = {n.text: n for n in numbers(SOURCES["real writers (choosing)"](7), 150, "touching", 11)}["95641"]
    assert recognizer.read_strokes(n.strokes, n.width, n.height).number == "95641"
    monkeypatch.setattr(splitting.split, "__defaults__", (splitting.Splitting(width_weight=0.0),))
    assert recognizer.read_strokes(n.strokes, n.width, n.height).number != "95641"
