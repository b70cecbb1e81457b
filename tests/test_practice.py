"""The practice round: its rules without a window, and the scene as a person plays it."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import json
import random
import re
from pathlib import Path

import numpy as np
import pygame
import pytest
from driver import Driver, mouse

from digitgame.files import paths
from digitgame.files.strokefile import load_stroke_file
from digitgame.live.practice import SCORES_FILE, Best, PracticeRound, load_best, save_best
from digitgame.recognition.reading import DigitReading, Prediction, Reading

SHIPPED = paths.asset_path("selftest")


def read_as(*digits: int) -> Reading:
    """A reading of ``digits`` (one: a digit; several: a number), each sure."""
    made = []
    for i, d in enumerate(digits):
        p = np.full(10, 0.001)
        p[d] = 1 - 0.009
        made.append(
            DigitReading(Prediction.from_probabilities(p, np.zeros((28, 28), np.float32)), (i * 10.0, 0, 8, 10))
        )
    return Reading(tuple(made))


def test_a_round_asks_for_every_digit_once_in_random_order() -> None:
    orders = {tuple(PracticeRound(random.Random(seed)).prompts) for seed in range(5)}
    assert all(sorted(order) == list(range(10)) for order in orders) and len(orders) > 1


def test_judging_scores_the_first_try_and_a_number_is_never_right() -> None:
    clock = iter(range(100)).__next__
    practice = PracticeRound(random.Random(1), clock=lambda: float(clock()))
    asked = practice.prompt
    assert practice.judge(read_as(asked), (), (100, 100)).is_correct
    second = practice.prompt
    assert not practice.judge(read_as(second, second), (), (100, 100)).is_correct  # "55" is not a 5
    assert not practice.judge(Reading.empty(), (), (100, 100)).is_correct
    assert practice.score == 1 and practice.number == 4 and not practice.is_over
    teach = practice.to_teach()
    assert [a.prompt for a in teach] == [asked]  # a number and nothing cannot be taught as one digit


def test_to_teach_offers_the_misread_first() -> None:
    practice = PracticeRound(random.Random(2))
    for i in range(10):
        prompt = practice.prompt
        practice.judge(read_as(prompt if i % 3 else (prompt + 1) % 10), (), (1, 1))
    assert practice.is_over and practice.prompt is None
    teach = practice.to_teach()
    assert [a.is_correct for a in teach] == sorted(a.is_correct for a in teach)
    assert len(teach) == 10 and practice.score == 6


def test_the_best_is_kept_and_a_broken_file_is_set_aside(tmp_path: Path) -> None:
    assert load_best(tmp_path) == (None, "")
    save_best(tmp_path, Best(7, 40.0))
    assert load_best(tmp_path) == (Best(7, 40.0), "")
    assert Best(7, 40.0).beaten_by(8, 90.0) and Best(7, 40.0).beaten_by(7, 39.0) and not Best(7, 40.0).beaten_by(7, 41)
    (tmp_path / SCORES_FILE).write_text('{"format": "digitgame-practice", "best_score": "ten"}')
    best, message = load_best(tmp_path)
    assert best is None and SCORES_FILE in message and "set aside" in message
    assert not (tmp_path / SCORES_FILE).exists() and len(list(tmp_path.glob(f"{SCORES_FILE}.broken-*"))) == 1


@pytest.fixture
def player(make, tmp_path: Path):
    """The app on a 1024x768 window with a profile folder, model loaded."""
    return make(folder=tmp_path / "p")


def prompt_now(app: Driver) -> int:
    return int(re.search(r"prompt=(\d)", app.logged("practice prompt=")[-1]).group(1))  # type: ignore[union-attr]


def test_a_whole_round_played_with_the_shipped_drawings(player: Driver, tmp_path: Path) -> None:
    player.drag([(0.3, 0.3), (0.6, 0.6)])
    kept = player.drawing.snapshot()
    player.key(pygame.K_p)
    for n in range(10):
        prompt = prompt_now(player)
        player.draw_drawing(load_stroke_file(sorted(SHIPPED.glob(f"{prompt}-*.json"))[0]))
        player.key(pygame.K_RETURN)  # judge now
        assert player.run_until(lambda n=n: len(player.logged("practice result")) == n + 1)
        assert player.logged("practice result")[-1].startswith(
            f"practice result prompt={prompt} read={prompt} correct=1 ms="
        )
        player.key(pygame.K_RETURN)  # go on
    done = player.logged("practice done")
    assert re.fullmatch(r"practice done score=10 of=10 seconds=\d+\.\d best=10", done[0])
    kept_best = json.loads((tmp_path / "p" / SCORES_FILE).read_text())
    assert kept_best["best_score"] == 10
    player.key(pygame.K_ESCAPE)  # back to drawing: the drawing there is as it was
    assert player.shell.top is player.scene and player.drawing.snapshot() == kept


def test_a_drawing_is_judged_only_once_the_pen_has_rested(player: Driver) -> None:
    player.key(pygame.K_p)
    player.drag([(0.5, 0.2), (0.5, 0.5)])  # the first stroke of something
    player.run_frames(3)
    assert not player.logged("practice result")  # not judged at once: more strokes may come
    assert player.run_until(lambda: bool(player.logged("practice result")), timeout=10)


def test_the_rest_starts_when_the_pen_lifts(player: Driver) -> None:
    from digitgame.ui.scenes.practice import SETTLE_S

    player.key(pygame.K_p)
    player.drag([(0.5, 0.2), (0.5, 0.5)], release=False)  # then the pen is held still, longer than the rest
    player.run_until(lambda: False, timeout=SETTLE_S * 1.5)
    player.step([mouse(pygame.MOUSEBUTTONUP, player.at(0.5, 0.5))])
    player.run_frames(3)
    assert not player.logged("practice result")  # lifting it is when a second stroke may start
    assert player.run_until(lambda: bool(player.logged("practice result")), timeout=10)


def test_help_over_the_round_holds_it(player: Driver) -> None:
    from digitgame.ui.scenes.practice import SETTLE_S

    player.key(pygame.K_p)
    round_ = player.shell.top
    player.drag([(0.5, 0.2), (0.5, 0.5)])
    player.key(pygame.K_F1)  # help over the round
    player.run_until(lambda: False, timeout=SETTLE_S * 1.5)
    assert not player.logged("practice result")  # not judged while hidden
    player.key(pygame.K_a)  # any key closes help
    assert player.shell.top is round_
    player.run_frames(2)
    assert not player.logged("practice result")  # the rest goes on from where it stood
    assert player.run_until(lambda: bool(player.logged("practice result")), timeout=10)
    hidden_ms = SETTLE_S * 1.5 * 1000  # timed, the drawing would have taken at least the rest and the help
    assert int(player.logged("practice result")[-1].rsplit("ms=", 1)[1]) < SETTLE_S * 1000 + hidden_ms - 200
