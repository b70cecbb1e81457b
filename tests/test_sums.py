"""The sums game's rules (no window): fair rounds, judging, re-asks, corrections, the best kept per level."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digitgame.live.practice import Best
from digitgame.live.sums import (
    BESTS_FILE,
    LEVELS,
    MINUS,
    PLUS,
    ROUND_LENGTH,
    TIMES,
    Outcome,
    Sum,
    SumsRound,
    candidates,
    done_line,
    load_bests,
    make_sums,
    prompt_line,
    record_best,
    result_line,
    save_bests,
)
from digitgame.recognition.reading import DigitReading, Prediction, Reading

SEEDS = st.integers(min_value=0, max_value=2**32)
# (smallest a, largest a, smallest b, largest b, smallest answer, largest answer) per level and operation
RANGES = {
    "add10": (1, 9, 1, 9, 2, 10),
    "add20": (1, 19, 1, 19, 11, 20),
    "sub20": (1, 20, 1, 20, 0, 19),
    "times": (2, 10, 1, 10, 2, 100),
}
OPS = {"add10": PLUS, "add20": PLUS, "sub20": MINUS, "times": TIMES}


def digit(d: int, *, sure: bool = True, not_a_digit: bool = False) -> DigitReading:
    p = np.full(10, 0.001)
    p[d] = 1 - 0.009 if sure else 0.5
    if not sure:
        p[(d + 1) % 10] = 0.492
    threshold = 0.5 if not_a_digit else 1.0
    prediction = Prediction.from_probabilities(p, np.zeros((28, 28), np.float32), float(not_a_digit), threshold)
    return DigitReading(prediction, (0.0, 0.0, 8.0, 10.0))


def read_as(number: int | str) -> Reading:
    """A reading of ``number``, every digit sure."""
    return Reading(tuple(digit(int(c)) for c in str(number)))


def answer_all(game: SumsRound, right: bool = True) -> None:
    while not game.is_over:
        asked = game.current
        assert asked is not None
        game.judge(read_as(asked.answer if right else asked.answer + 1))


def ticking() -> Callable[[], float]:
    ticks = iter(range(10_000))
    return lambda: float(next(ticks))


# --- fair rounds ------------------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(level=st.sampled_from(LEVELS), seed=SEEDS)
def test_every_round_is_fair(level: str, seed: int) -> None:
    sums = make_sums(level, seed)
    assert len(sums) == ROUND_LENGTH
    assert len({s.key for s in sums}) == ROUND_LENGTH  # no sum twice (3+4 and 4+3 are one sum)
    for s in sums:
        assert s.answer >= 0 and 1 <= len(str(s.answer)) <= 3
        assert s.level == level if level != "mixed" else s.level in RANGES
        low_a, high_a, low_b, high_b, low, high = RANGES[s.level]
        assert s.op == OPS[s.level]
        assert low_a <= s.a <= high_a and low_b <= s.b <= high_b and low <= s.answer <= high
        assert s.text == f"{s.a}{s.op}{s.b}"


@settings(max_examples=60, deadline=None)
@given(level=st.sampled_from(LEVELS), seed=SEEDS)
def test_the_same_seed_gives_the_same_round(level: str, seed: int) -> None:
    assert make_sums(level, seed) == make_sums(level, seed)
    assert [s for s, _ in SumsRound(level, seed).queue] == list(make_sums(level, seed))


def test_different_seeds_give_different_rounds_and_mixed_mixes() -> None:
    for level in LEVELS:
        assert len({make_sums(level, seed) for seed in range(10)}) > 1
    assert len({s.level for seed in range(5) for s in make_sums("mixed", seed)}) == 4


def test_each_level_reaches_the_ends_of_its_range() -> None:
    answers = {level: {s.answer for s in candidates(level)} for level in RANGES}
    assert answers["add10"] == set(range(2, 11))
    assert answers["add20"] == set(range(11, 21))
    assert answers["sub20"] == set(range(0, 20))
    assert min(answers["times"]) == 2 and 100 in answers["times"]
    assert {s.a for s in candidates("times")} == set(range(2, 11))
    assert set(candidates("mixed")) == {s for level in RANGES for s in candidates(level)}


def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="no such level"):
        make_sums("div100", 1)


# --- judging ----------------------------------------------------------------------------------------------
def test_a_right_round_scores_ten_with_a_streak() -> None:
    game = SumsRound("add20", 3, clock=ticking())
    answer_all(game)
    assert game.is_over and game.current is None and len(game.answers) == ROUND_LENGTH
    assert game.score == ROUND_LENGTH and game.streak == ROUND_LENGTH == game.best_streak
    assert game.seconds == 10.0 and all(a.ms == 1000.0 for a in game.answers)


def test_a_wrong_sum_comes_back_once_later_and_scores_only_at_its_first_answer() -> None:
    game = SumsRound("times", 7)
    first = game.current
    assert first is not None
    assert game.judge(read_as(first.answer + 1)).outcome is Outcome.WRONG
    assert len(game.queue) == ROUND_LENGTH + 1 and game.queue[4] == (first, False)
    for _ in range(3):
        asked = game.current
        assert asked is not None and asked != first
        game.judge(read_as(asked.answer))
    assert game.current == first and game.number == 5
    again = game.judge(read_as(first.answer + 2))  # wrong again: it does not come back a second time
    assert again.outcome is Outcome.WRONG and not again.is_first
    answer_all(game)
    assert len(game.answers) == ROUND_LENGTH + 1 and [a.sum for a in game.answers].count(first) == 2
    assert game.score == ROUND_LENGTH - 1 and game.best_streak == 6  # the six after the re-ask


@settings(max_examples=80, deadline=None)
@given(level=st.sampled_from(LEVELS), seed=SEEDS, rights=st.lists(st.booleans(), min_size=20, max_size=20))
def test_every_sum_wrong_at_first_comes_back_exactly_once(level: str, seed: int, rights: list[bool]) -> None:
    game = SumsRound(level, seed)
    for right in rights:
        if game.is_over:
            break
        asked = game.current
        assert asked is not None
        game.judge(read_as(asked.answer if right else asked.answer + 1))
    assert game.is_over
    wrong_first = {a.sum for a in game.answers if a.is_first and not a.is_right}
    counts = {s: [a.sum for a in game.answers].count(s) for s in make_sums(level, seed)}
    assert all(n == (2 if s in wrong_first else 1) for s, n in counts.items())
    assert len(game.answers) == ROUND_LENGTH + len(wrong_first) and game.score == ROUND_LENGTH - len(wrong_first)


def test_a_sum_right_when_it_comes_back_keeps_the_streak_but_not_the_score() -> None:
    game = SumsRound("add10", 1)
    last = make_sums("add10", 1)[-1]
    for _ in range(ROUND_LENGTH - 1):
        asked = game.current
        assert asked is not None
        game.judge(read_as(asked.answer))
    game.judge(read_as(last.answer + 1))  # the last sum wrong: it comes back at the end
    assert not game.is_over and game.current == last and game.streak == 0
    assert game.judge(read_as(last.answer)).is_right
    assert game.is_over and game.score == ROUND_LENGTH - 1 and game.streak == 1


@pytest.mark.parametrize(
    "reading",
    [
        Reading.empty(),
        Reading((digit(1), digit(2, sure=False))),  # "1?" for 12: not sure
        Reading((digit(1), digit(2, not_a_digit=True))),  # "1×": a part that is no digit
        Reading((digit(7, not_a_digit=True),)),
    ],
    ids=["nothing", "unsure", "part-not-a-digit", "not-a-digit"],
)
def test_unsure_or_not_a_digit_is_write_it_again_never_wrong(reading: Reading) -> None:
    game = SumsRound("add20", 5)
    asked = game.current
    judged = game.judge(reading)
    assert judged.outcome is Outcome.AGAIN and not judged.is_right
    assert game.last is judged and game.last.reading is reading  # kept for the scene to show why
    assert game.current == asked and game.number == 1 and game.answers == [] and len(game.queue) == ROUND_LENGTH
    assert asked is not None and game.judge(read_as(asked.answer)).is_right  # and the sum still scores
    assert game.score == 1 and game.streak == 1


def test_write_it_again_does_not_break_the_streak() -> None:
    game = SumsRound("sub20", 2)
    for i in range(4):
        asked = game.current
        assert asked is not None
        if i == 2:
            game.judge(Reading.empty())
        game.judge(read_as(asked.answer))
    assert game.streak == 4


def test_a_correction_turns_a_wrong_answer_right_and_withdraws_its_re_ask() -> None:
    game = SumsRound("add20", 11)
    asked = game.current
    assert asked is not None and asked.answer >= 11
    misread = f"{asked.answer // 10}{(asked.answer % 10 + 5) % 10}"  # the second digit misread
    assert game.judge(read_as(misread)).outcome is Outcome.WRONG
    assert len(game.queue) == ROUND_LENGTH + 1 and game.score == 0
    fixed = game.correct(asked.answer % 10, position=1)
    assert fixed.is_right and fixed.corrected and fixed.read == str(asked.answer) and game.last is fixed
    assert game.score == 1 and game.streak == 1 and len(game.queue) == ROUND_LENGTH
    answer_all(game)
    assert len(game.answers) == ROUND_LENGTH and game.score == ROUND_LENGTH


def test_a_correction_that_still_misses_stays_wrong_and_a_bad_one_is_refused() -> None:
    game = SumsRound("times", 4)
    asked = game.current
    assert asked is not None
    game.judge(read_as(asked.answer + 10 if asked.answer < 90 else asked.answer - 10))
    still = game.correct(0, position=0)
    assert still.outcome is Outcome.WRONG and still.corrected and game.score == 0
    assert len(game.queue) == ROUND_LENGTH + 1
    with pytest.raises(ValueError):
        game.correct(3, position=5)
    with pytest.raises(ValueError):
        game.correct(10)


def test_a_right_answer_corrected_to_a_wrong_one_comes_back_like_one_judged_wrong() -> None:
    corrected, judged = SumsRound("add20", 5), SumsRound("add20", 5)
    asked = corrected.current
    assert asked is not None
    corrected.judge(read_as(asked.answer))
    other = (asked.answer % 10 + 1) % 10
    last = len(str(asked.answer)) - 1
    assert not corrected.correct(other, position=last).is_right
    judged.judge(read_as(str(asked.answer)[:last] + str(other)))
    assert corrected.queue == judged.queue and corrected.score == judged.score == 0


def test_judging_after_the_end_is_an_error() -> None:
    game = SumsRound("add10", 0)
    answer_all(game)
    with pytest.raises(RuntimeError):
        game.judge(read_as(1))


# --- log lines --------------------------------------------------------------------------------------------
def test_log_lines_are_logfmt_as_specified() -> None:
    s = Sum(7, PLUS, 5, "add20")
    assert prompt_line(s, "add20", 3) == 'sums prompt="7+5" answer=12 level=add20 round=3 of=10'
    game = SumsRound("add20", 9, clock=ticking())
    asked = game.current
    assert asked is not None
    assert game.prompt_line() == f'sums prompt="{asked.text}" answer={asked.answer} level=add20 round=1 of=10'
    line = result_line(game.judge(read_as(asked.answer)))
    assert line == f'sums result prompt="{asked.text}" read={asked.answer} correct=1 ms=1000'
    assert result_line(game.judge(Reading.empty())).endswith("read=none correct=? ms=1000")
    assert done_line("add20", 8, 41.234, 9) == "sums done level=add20 score=8 of=10 seconds=41.2 best=9"
    answer_all(game)
    done = "sums done level=add20 score=10 of=10 seconds=11.0 best=10"  # the write-again took a tick too
    assert game.done_line(Best(10, 3.0)) == done


# --- the best per level -----------------------------------------------------------------------------------
def test_the_best_per_level_is_saved_and_reloaded(tmp_path: Path) -> None:
    assert load_bests(tmp_path) == ({}, "") and load_bests(None) == ({}, "")
    bests: dict[str, Best] = {}
    assert record_best(bests, "add10", 7, 40.0) and record_best(bests, "times", 10, 95.5)
    assert not record_best(bests, "add10", 7, 41.0) and not record_best(bests, "add10", 6, 10.0)
    assert record_best(bests, "add10", 7, 39.0)
    save_bests(tmp_path, bests)
    assert load_bests(tmp_path) == ({"add10": Best(7, 39.0), "times": Best(10, 95.5)}, "")
    kept = json.loads((tmp_path / BESTS_FILE).read_text())
    assert kept["format"] == "digitgame-sums" and kept["version"] == 1


def test_a_killed_save_leaves_the_previous_best_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_bests(tmp_path, {"sub20": Best(8, 50.0)})
    # a writer killed before its rename leaves a half-written temporary file behind
    (tmp_path / ".sums.99999999.abcdefgh.tmp.json").write_text('{"format": "digitgame-sums", "best": {"sub')
    assert load_bests(tmp_path) == ({"sub20": Best(8, 50.0)}, "")

    def killed(*_: object) -> None:  # the process dies between writing the temporary file and the rename
        raise SystemExit(137)

    monkeypatch.setattr(os, "replace", killed)  # as atomic.commit calls it
    with pytest.raises(SystemExit):
        save_bests(tmp_path, {"sub20": Best(10, 20.0)})
    monkeypatch.undo()
    assert load_bests(tmp_path) == ({"sub20": Best(8, 50.0)}, "")
    assert (tmp_path / ".sums.99999999.abcdefgh.tmp.json").exists()  # a stranger's temporary file is left alone
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == [BESTS_FILE]


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"format": "digitgame-practice", "best_score": 3, "best_seconds": 1}',
        '{"format": "digitgame-sums", "version": 1, "best": {"add10": {"score": 11, "seconds": 3}}}',
        '{"format": "digitgame-sums", "version": 1, "best": {"add10": {"score": 3}}}',
        '{"format": "digitgame-sums", "version": 1, "best": {"divide": {"score": 3, "seconds": 1}}}',
        '{"format": "digitgame-sums", "version": 1, "best": ["add10"]}',
    ],
    ids=["not-json", "not-ours", "score-too-high", "no-time", "unknown-level", "not-a-table"],
)
def test_a_broken_file_is_set_aside_with_a_message(tmp_path: Path, text: str) -> None:
    (tmp_path / BESTS_FILE).write_text(text)
    bests, message = load_bests(tmp_path)
    assert bests == {} and BESTS_FILE in message and "set aside" in message
    aside = list(tmp_path.glob(f"{BESTS_FILE}.broken-*"))
    assert not (tmp_path / BESTS_FILE).exists() and len(aside) == 1 and aside[0].read_text() == text
    save_bests(tmp_path, {"add10": Best(5, 9.0)})  # the next best does not overwrite what was set aside
    assert aside[0].read_text() == text and load_bests(tmp_path) == ({"add10": Best(5, 9.0)}, "")


def test_an_unreadable_file_is_set_aside_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / BESTS_FILE
    path.write_text('{"format": "digitgame-sums", "version": 1, "best": {}}')

    def unreadable(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    bests, message = load_bests(tmp_path)
    assert bests == {} and BESTS_FILE in message and "Permission denied" in message and "set aside" in message
    assert len(list(tmp_path.glob(f"{BESTS_FILE}.broken-*"))) == 1


def test_two_broken_files_in_the_same_second_are_both_kept(tmp_path: Path) -> None:
    for text in ("{first", "{second"):
        (tmp_path / BESTS_FILE).write_text(text)
        assert "set aside" in load_bests(tmp_path)[1]
    kept = sorted(p.read_text() for p in tmp_path.glob(f"{BESTS_FILE}.broken-*"))
    assert kept == ["{first", "{second"]
