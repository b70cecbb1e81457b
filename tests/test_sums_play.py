"""A round of sums in time (live/sums_play): when an answer is judged, how long verdicts stay, corrections and undo."""

from __future__ import annotations

import pytest
from test_sums import digit, read_as

from digitgame.live.drawing import Drawing
from digitgame.live.session import Shown
from digitgame.live.sums import Outcome, SumsRound
from digitgame.live.sums_play import (
    CORRECTED_S,
    GRACE_S,
    REST_RIGHT_S,
    REST_S,
    SHOWN_S,
    RoundPlay,
)
from digitgame.recognition.reading import Reading


def inked() -> Drawing:
    drawing = Drawing(100, 100)
    drawing.begin_stroke((10.0, 10.0))
    drawing.extend_stroke((20.0, 60.0))
    drawing.end_stroke()
    return drawing


def ready_after(play: RoundPlay, reading: Reading, rest: float, *, pen_down: bool = False, revision: int = 1) -> bool:
    """Whether ``play`` judges ``reading`` (for revision 1 of the ink) ``rest`` seconds after the last edit."""
    play.edited(0.0)
    return play.is_ready(Shown(reading, 1, 1.0, True), revision, pen_down, inked(), rest)


@pytest.fixture
def play() -> RoundPlay:
    return RoundPlay(SumsRound("add20", seed=3))


def test_a_right_reading_is_judged_after_the_short_rest_anything_else_after_the_long_one(play: RoundPlay) -> None:
    answer = play.asked.answer
    assert answer >= 10  # two digits: its first digit alone is the start of it
    assert not ready_after(play, read_as(answer), REST_RIGHT_S * 0.9)
    assert ready_after(play, read_as(answer), REST_RIGHT_S)
    others = (read_as(str(answer)[0]), read_as(answer + 1), read_as(answer % 10), Reading((digit(3, sure=False),)))
    for other in others:  # the start of the answer too: if the writer goes on, its verdict is taken back
        assert not ready_after(play, other, REST_RIGHT_S) and not ready_after(play, other, REST_S * 0.95)
        assert ready_after(play, other, REST_S)
    assert REST_S + 0.05 <= 0.5  # the target: a verdict on screen within 0.5 s, a frame's margin


def test_writing_on_soon_after_a_verdict_on_rest_takes_it_back_as_if_never_judged(play: RoundPlay) -> None:
    asked, state = play.asked, play.round.state()
    for reading in (read_as(asked.answer + 1), Reading((digit(3, sure=False),))):
        play.judge(reading, 10.0)
        assert play.may_write_on(10.0 + GRACE_S * 0.99) and not play.may_write_on(10.0 + GRACE_S * 1.01)
        taken = play.write_on(10.5)
        assert taken.read == reading.number and play.feedback is None and not play.may_write_on(10.5)
        assert play.round.state() == state and play.asked == asked  # nothing counted, no re-ask queued
        assert not play.is_ready(Shown(reading, 1, 1.0, True), 1, False, inked(), 10.5 + REST_S * 0.9)


def test_a_verdict_the_player_asked_for_or_stood_by_is_not_taken_back(play: RoundPlay) -> None:
    answer = play.asked.answer
    play.judge(read_as(answer), 1.0)  # right: nothing more can make it righter
    assert not play.may_write_on(1.1)
    play.move_on()
    play.judge_now = True  # Enter
    play.judge(read_as(play.asked.answer + 1), 2.0)
    assert not play.may_write_on(2.1)
    play.move_on()
    play.judge(read_as(play.asked.answer + 1), 3.0)
    play.correct(play.asked.answer % 10, 0, None, 3.1)  # a correction is the player's word on it
    assert not play.may_write_on(3.2)
    play.move_on()
    play.judge(read_as(play.asked.answer + 1), 4.0)
    play.is_held(4.1, is_covered=True)  # help over it for 5 s: the grace waits too
    play.is_held(9.1, is_covered=False)
    assert play.may_write_on(9.0 + GRACE_S * 0.99) and not play.may_write_on(9.0 + GRACE_S * 1.05)
    with pytest.raises(RuntimeError):
        RoundPlay(SumsRound("add20", seed=3)).write_on(1.0)


def test_nothing_is_judged_while_the_pen_is_down_the_reading_is_old_or_the_sheet_empty(play: RoundPlay) -> None:
    right = read_as(play.asked.answer)
    assert not ready_after(play, right, 9.0, pen_down=True)
    assert not ready_after(play, right, 9.0, revision=2)  # the reading belongs to older ink
    assert not play.is_ready(Shown(right, 1, 1.0, True), 1, False, Drawing(100, 100), 109.0)
    play.judge_now = True  # Enter: no rest needed, but still the current reading
    play.edited(100.0)
    assert play.is_ready(Shown(right, 1, 1.0, True), 1, False, inked(), 100.0)


def test_each_verdict_stays_its_time_and_the_card_keeps_its_sum(play: RoundPlay) -> None:
    first = play.asked
    for reading, outcome in ((Reading(()), Outcome.AGAIN), (read_as(first.answer + 1), Outcome.WRONG)):
        answer = play.judge(reading, 50.0)
        grace = GRACE_S if outcome is Outcome.WRONG else 0.0  # judged on rest: the right answer shows after it
        assert answer.outcome is outcome and play.feedback_until == 50.0 + SHOWN_S[outcome] + grace
        assert play.asked == first and not play.is_ready(Shown(reading, 1, 1.0, True), 1, False, inked(), 99.0)
        assert play.move_on() is answer and play.feedback is None
    assert play.asked != first and play.again is None  # the next sum (the wrong one comes back later)


def test_a_write_again_is_kept_until_the_sum_is_answered(play: RoundPlay) -> None:
    play.judge(Reading((digit(4, sure=False),)), 1.0)
    again = play.move_on()
    assert play.again is again and play.number == 1
    play.judge(read_as(play.asked.answer), 2.0)
    assert play.number == 1  # the verdict on screen is still sum 1's
    play.move_on()
    assert play.again is None and play.number == 2


def test_a_correction_turns_wrong_into_right_and_undo_takes_it_back(play: RoundPlay) -> None:
    asked = play.asked
    answer = str(asked.answer)
    play.judge(read_as(int(answer) + 1), 10.0)  # a wrong reading whose last digit is off by one
    before = (list(play.round.queue), play.round.score)
    last = len(answer) - 1
    corrected = play.correct(int(answer[last]), last, None, 12.0)
    assert corrected.is_right and corrected.corrected and play.feedback is corrected
    assert play.round.score == before[1] + 1 and len(play.round.queue) == len(before[0]) - 1  # no re-ask
    assert play.feedback_until >= 12.0 + CORRECTED_S
    assert play.can_undo
    restored = play.undo(13.0)
    assert not restored.is_right and (list(play.round.queue), play.round.score) == before
    assert not play.can_undo


def test_correcting_a_write_again_judges_the_corrected_reading(play: RoundPlay) -> None:
    answer = play.asked.answer
    play.judge(Reading((digit(0, sure=False),)), 1.0)
    assert play.round.answers == []
    fixed = play.correct(answer % 10, 0, read_as(answer), 2.0)
    assert fixed.is_right and play.round.answers == [fixed]
    play.undo(3.0)
    assert play.round.answers == [] and play.feedback is not None and play.feedback.outcome is Outcome.AGAIN


def test_out_of_sight_the_round_waits_and_resumes_where_it_stood(play: RoundPlay) -> None:
    right = read_as(play.asked.answer)
    play.edited(0.0)
    assert play.is_held(0.1, is_covered=True) and play.is_held(5.0, is_covered=True)  # help over it for 4.9 s
    assert not play.is_held(5.0, is_covered=False)
    started = play.round.started
    assert not play.is_ready(Shown(right, 1, 1.0, True), 1, False, inked(), 5.0 + REST_RIGHT_S * 0.5)
    assert play.is_ready(Shown(right, 1, 1.0, True), 1, False, inked(), 5.0 + REST_RIGHT_S)  # 0.1 + 0.25 rested
    answer = play.judge(right, 6.0)
    until = play.feedback_until
    play.is_held(6.5, is_covered=True)
    play.is_held(8.5, is_covered=False)
    assert play.feedback_until == until + 2.0 and play.round.started == started + 2.0  # the clock stood still
    assert answer.outcome is Outcome.RIGHT


def test_the_rest_starts_when_the_pen_lifts_not_when_the_ink_last_moved(play: RoundPlay) -> None:
    wrong = Shown(read_as(play.asked.answer + 1), 1, 1.0, True)
    play.edited(0.0)  # the last ink; then the pen is held still until 5.0
    assert not play.is_ready(wrong, 1, True, inked(), 5.0)
    assert not play.is_ready(wrong, 1, False, inked(), 5.0 + REST_S * 0.5)
    assert play.is_ready(wrong, 1, False, inked(), 5.0 + REST_S)
