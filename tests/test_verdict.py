"""verdict: what a person is told about a reading, decided by structure (Tone, Nothing), never by words."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from digitgame.live import verdict
from digitgame.live.verdict import ModelStatus, Tone
from digitgame.recognition.reading import DigitReading, Nothing, Prediction, Reading


def prediction(top: int, p_top: float, second: int, p_second: float) -> Prediction:
    p = np.full(10, (1.0 - p_top - p_second) / 8)
    p[top], p[second] = p_top, p_second
    return Prediction.from_probabilities(p)


SURE_7 = prediction(7, 0.98, 1, 0.01)
UNSURE_4 = prediction(4, 0.55, 9, 0.40)


def number(*predictions: Prediction) -> Reading:
    return Reading(tuple(DigitReading(p, (i * 10.0, 0.0, 8.0, 10.0)) for i, p in enumerate(predictions)))


def test_a_confident_digit() -> None:
    v = verdict.tell(Reading.of(SURE_7))
    assert (v.headline, v.figure, v.caption, v.tone) == ("7", "98.0%", "confident", Tone.CONFIDENT)
    assert v.has_answer


def test_an_unsure_digit_names_both_candidates() -> None:
    v = verdict.tell(Reading.of(UNSURE_4))
    assert v.tone is Tone.UNSURE and v.caption == "not sure: 4 or 9?" and v.headline == "4"


def test_a_changed_drawing_makes_the_answer_stale_whatever_its_confidence() -> None:
    for p in (SURE_7, UNSURE_4):
        v = verdict.tell(Reading.of(p), is_stale=True)
        assert v.tone is Tone.STALE and v.caption == "press Enter to predict"


def test_a_taught_digit_says_so() -> None:
    v = verdict.tell(Reading((DigitReading(UNSURE_4, (0, 0, 1, 1), is_taught=True),)))
    assert v.caption == "taught" and v.tone is Tone.CONFIDENT


@pytest.mark.parametrize("nothing", list(Nothing))
def test_nothing_to_recognise_says_why_except_for_an_empty_drawing(nothing: Nothing) -> None:
    v = verdict.tell(Reading.empty(nothing, "boom"))
    assert v.headline == "draw a digit" and v.tone is Tone.QUIET and not v.has_answer
    if nothing is Nothing.EMPTY:
        assert v.caption == ""
    else:
        assert nothing.value in v.caption and "nothing to recognise" not in v.caption
    assert nothing.value in verdict.nothing_text(nothing, "boom")


def test_the_model_status_comes_before_the_reading() -> None:
    failed = verdict.tell(Reading.of(SURE_7), ModelStatus.FAILED, model_message="model file not found: x")
    assert failed.tone is Tone.ERROR and failed.caption == "model file not found: x" and failed.note
    assert verdict.tell(None, ModelStatus.LOADING).tone is Tone.LOADING
    assert verdict.tell(Reading.empty(), ModelStatus.LOADING).tone is Tone.LOADING
    assert verdict.tell(None).tone is Tone.QUIET


def test_a_number_is_read_whole_and_marks_its_unsure_digit() -> None:
    sure = verdict.tell(number(prediction(2, 0.98, 7, 0.01), SURE_7))
    assert sure.headline == "27" and sure.tone is Tone.CONFIDENT
    doubtful = verdict.tell(number(prediction(2, 0.98, 7, 0.01), UNSURE_4, SURE_7))
    assert doubtful.headline == "2?7" and doubtful.tone is Tone.UNSURE and doubtful.caption == "not sure: 4 or 9?"


def test_a_number_is_never_one_confident_digit() -> None:
    reading = number(SURE_7, SURE_7)
    assert reading.single is None and reading.is_number and reading.number == "77"


def test_predict_text_lines() -> None:
    assert verdict.line("a.json", Reading.of(SURE_7)) == "a.json: 7 (98.0%)"
    assert verdict.line("a.json", Reading.of(UNSURE_4)) == "a.json: 4 (55.0%) not sure: 4 or 9?"
    assert verdict.line("a.json", Reading.empty()) == "a.json: nothing to recognise: the drawing is empty"
    two = number(prediction(2, 0.976, 7, 0.01), SURE_7)
    pcts = [f"{d.prediction.confidence:.1%}" for d in two.digits]
    assert verdict.line("a.json", two) == f"a.json: 27 (2 {pcts[0]}, 7 {pcts[1]})"


def test_a_digit_that_may_be_touching_digits_says_so() -> None:
    wide = DigitReading(replace(SURE_7, is_confident=False), (0.0, 0.0, 30.0, 10.0), is_wide=True)
    alone = Reading((wide,))
    v = verdict.tell(alone)
    assert v.tone is Tone.UNSURE and v.caption == verdict.TOUCHING and v.headline == "7"
    assert verdict.line("a.json", alone) == f"a.json: 7 (98.0%) {verdict.TOUCHING}"
    two = Reading((wide, DigitReading(UNSURE_4, (40.0, 0.0, 8.0, 10.0))))
    assert verdict.tell(two).headline == "??"
    assert verdict.number_doubt(two) == f"not sure: 4 or 9?; {verdict.TOUCHING}"


def test_digits_sure_alone_but_doubted_for_another_division_of_the_ink_say_that_not_a_runner_up() -> None:
    from digitgame.recognition import splitting
    from digitgame.ui.number_row import _tile_texts
    from digitgame.ui.sums_view import why_again

    first, seven = (
        splitting.unsure(DigitReading(p, (i * 10.0, 0.0, 8.0, 10.0))) for i, p in enumerate((SURE_7, SURE_7))
    )
    assert seven.prediction.is_unsure_of_division and not UNSURE_4.is_unsure_of_division
    assert not SURE_7.is_unsure_of_division  # sure: nothing in doubt
    doubtful = verdict.tell(Reading((first, seven)))
    assert doubtful.headline == "??" and doubtful.tone is Tone.UNSURE and doubtful.caption == verdict.DIVISION
    mixed = Reading((first, DigitReading(UNSURE_4, (20.0, 0.0, 8.0, 10.0))))
    assert verdict.number_doubt(mixed) == f"not sure: 4 or 9?; {verdict.DIVISION}"
    assert verdict.tell(Reading((seven,))).caption == "not sure: 7, or several?"
    assert _tile_texts(seven)[1] == ("reads 7", "7")  # the tile names the digit it reads, not "7 or 1"
    assert (
        "leave a gap" in why_again(Reading((first, seven)))
        and why_again(Reading((seven,))) == "it may be several digits"
    )
