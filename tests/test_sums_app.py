"""The sums game as a person plays it: the answers written with the pen, judged, corrected, the best kept.

The expected sums come from the rules layer (``SumsRound`` with the same seed); the pen writes the
shipped self-test digits; the shell's and the scene's clock is the test's, so rest times are exact.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import re
import time
from pathlib import Path
from typing import Any

import pygame
import pytest
from driver import Driver, mouse

import digitgame.ui.scenes.sums as sums_scene
import digitgame.ui.shell as shell_module
from digitgame.files import paths
from digitgame.files.strokefile import load_stroke_file
from digitgame.live.practice import Best
from digitgame.live.sums import BESTS_FILE, LEVELS, Answer, Outcome, SumsRound, load_bests, save_bests
from digitgame.live.sums_play import GRACE_S, REST_RIGHT_S, REST_S, SHOWN_S
from digitgame.ui.actions import Action
from digitgame.ui.scenes.sums import SumsScene
from digitgame.ui.scenes.sums_keys import SEED_VARIABLE
from digitgame.ui.sums_view import level_cards

SHIPPED = paths.asset_path("selftest")
SCRIBBLE = SHIPPED / "not-a-digit-scribble.json"
SEED = 1  # add10: 6+2, 3+1, 5+5, ... -- the first two answers have one digit, the third two


class Clock:
    """``time`` for the shell and the sums scene, with a perf_counter that moves only when the test says."""

    def __init__(self) -> None:
        self.now = time.perf_counter()

    def perf_counter(self) -> float:
        return self.now

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """A clock held still: nothing is judged by resting unless the test moves it on."""
    held = Clock()
    monkeypatch.setattr(shell_module, "time", held)
    monkeypatch.setattr(sums_scene, "time", held)
    return held


@pytest.fixture
def player(make: Any, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Driver:
    """The app on a 1024x768 window with a profile folder, model loaded, sums seeded."""
    monkeypatch.setenv(SEED_VARIABLE, str(SEED))
    return make(folder=tmp_path / "p")  # type: ignore[no-any-return]


def scene(app: Driver) -> SumsScene:
    top = app.shell.top
    assert isinstance(top, SumsScene)
    return top


def write(app: Driver, text: str, *, at: int = 0, cells: int = 0) -> None:
    """Write ``text`` with the pen, digit by digit from the shipped self-test drawings, in the writing area
    (from its ``at``-th of ``cells`` places: by default all of them, ``len(text)``)."""
    x, y, w, h = scene(app).sketchpad.view.area
    cell = min(w * 0.8 / (cells or len(text)), h * 0.7)
    for i, char in enumerate(text, start=at):
        path = SCRIBBLE if char == "?" else sorted(SHIPPED.glob(f"{char}-*.json"))[0]
        strokes = load_stroke_file(path).strokes
        points = [p for s in strokes for p in s]
        x0, y0 = min(p[0] for p in points), min(p[1] for p in points)
        scale = cell * 0.8 / max(max(p[0] for p in points) - x0, max(p[1] for p in points) - y0)
        for stroke in strokes:
            pos = [
                (int(x + w * 0.1 + i * cell + (px - x0) * scale), int(y + h * 0.15 + (py - y0) * scale))
                for px, py in stroke
            ]
            pos = [*pos[::3], pos[-1]]  # every third point: the same shape in fewer frames
            app.step([mouse(pygame.MOUSEBUTTONDOWN, pos[0])])
            app.step([mouse(pygame.MOUSEMOTION, p) for p in pos[1:]])
            app.step([mouse(pygame.MOUSEBUTTONUP, pos[-1])])


def read_now(app: Driver) -> None:
    """Step until the reading on screen is the current ink's."""
    s = scene(app)
    assert app.run_until(lambda: s.session.is_settled(s.sketchpad.drawing))


def answer(app: Driver, text: str) -> Answer:
    """Write ``text`` and press Enter: judged as soon as it is read; the verdict on screen."""
    write(app, text)
    app.key(pygame.K_RETURN)
    s = scene(app)
    assert app.run_until(lambda: s.feedback is not None)
    assert s.feedback is not None
    return s.feedback


def wait(app: Driver, clock: Clock, seconds: float) -> None:
    clock.now += seconds
    app.step()


def open_level(app: Driver, number: int) -> SumsScene:
    app.key(pygame.K_m)
    s = scene(app)
    assert s.phase == "choose"
    app.key(pygame.K_0 + number)
    assert s.phase == "round" and s.level == LEVELS[number - 1]
    return s


def play_right_to_the_end(app: Driver, reference: SumsRound) -> None:
    """Answer every sum left right, going on with Enter, as the reference round does."""
    s = scene(app)
    while s.phase == "round":
        asked = reference.current
        assert asked is not None and s.round.current == asked
        assert app.logged("sums prompt=")[-1] == reference.prompt_line()
        got = answer(app, str(asked.answer))
        assert got.read == str(asked.answer) and got.outcome is reference.judge(got.reading).outcome is Outcome.RIGHT
        app.key(pygame.K_RETURN)  # go on at once
    assert reference.is_over and s.phase == "over"


def texts_drawn(app: Driver, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every string the next frames render."""
    drawn: list[str] = []
    render = app.shell.fonts.render

    def spy(text: str, size: int, colour: Any) -> pygame.Surface:
        drawn.append(text)
        return render(text, size, colour)

    monkeypatch.setattr(app.shell.fonts, "render", spy)
    return drawn


def test_a_round_with_right_wrong_write_again_and_a_correction(
    player: Driver, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = SumsRound("add10", SEED)
    s = open_level(player, 1)
    first, second, third = reference.queue[0][0], reference.queue[1][0], reference.queue[2][0]
    assert first.answer < 10 and second.answer < 10 <= third.answer  # what the seed was chosen for
    assert s.round.current == first and player.logged("sums prompt=")[-1] == reference.prompt_line()

    # right: told, logged, and the next sum after Enter
    got = answer(player, str(first.answer))
    assert got.outcome is reference.judge(got.reading).outcome is Outcome.RIGHT
    assert re.fullmatch(
        rf'sums result prompt="{re.escape(first.text)}" read={first.answer} correct=1 ms=\d+',
        player.logged("sums result")[-1],
    )
    player.key(pygame.K_RETURN)
    assert s.feedback is None and s.round.current == second and s.sketchpad.drawing.is_empty

    # a scribble: write it again, never wrong; the same sum stays and the writing area clears after its time
    got = answer(player, "?")
    assert got.outcome is reference.judge(got.reading).outcome is Outcome.AGAIN and s.round.current == second
    assert re.fullmatch(
        rf'sums result prompt="{re.escape(second.text)}" read=\S+ correct=\? ms=\d+', player.logged("sums result")[-1]
    )
    wait(player, clock, SHOWN_S[Outcome.AGAIN] - 0.1)
    assert s.feedback is not None and not s.sketchpad.drawing.is_empty
    wait(player, clock, 0.2)
    assert s.feedback is None and s.sketchpad.drawing.is_empty and s.round.current == second

    # wrong, then corrected with the digit key: it teaches, and the answer becomes right
    wrong = str(second.answer - 1)
    got = answer(player, wrong)
    assert got.read == wrong and got.outcome is reference.judge(got.reading).outcome is Outcome.WRONG
    taught = player.taught_count
    player.key(pygame.K_0 + second.answer)
    fixed = reference.correct(second.answer)
    assert s.feedback is not None and s.feedback.is_right and s.feedback.corrected and fixed.is_right
    assert player.taught_count == taught + 1 and s.round.score == reference.score == 2
    assert player.logged("sums correction")[-1].startswith(
        f'sums correction prompt="{second.text}" read={second.answer} correct=1'
    )
    player.key(pygame.K_RETURN)

    # wrong and left: the right answer stays on screen its time, then the next sum; it comes back later
    got = answer(player, str(third.answer + 1))
    assert got.outcome is reference.judge(got.reading).outcome is Outcome.WRONG
    drawn = texts_drawn(player, monkeypatch)
    player.step()
    assert str(third.answer) in (t.strip() for t in drawn)  # the right answer, beside the struck reading
    wait(player, clock, SHOWN_S[Outcome.WRONG] - 0.1)
    assert s.feedback is got
    wait(player, clock, 0.2)
    assert s.feedback is None and s.round.current == reference.current

    play_right_to_the_end(player, reference)
    assert [a.sum for a in s.round.answers] == [a.sum for a in reference.answers]  # the re-ask came back in place
    assert s.round.score == reference.score == 9
    assert re.fullmatch(r"sums done level=add10 score=9 of=10 seconds=\d+\.\d best=9", player.logged("sums done")[-1])
    kept, message = load_bests(tmp_path / "p")
    assert message == "" and kept["add10"].score == 9

    # the best is told at the end, shown on the level cards, and read back when the game is opened again
    drawn.clear()
    player.step()
    assert "a new personal best!" in drawn
    player.key(pygame.K_l)
    drawn.clear()
    player.step()
    assert s.phase == "choose" and any(t.startswith("best 9/10") for t in drawn)
    player.key(pygame.K_ESCAPE)
    assert player.shell.top is player.scene
    player.key(pygame.K_m)
    drawn.clear()
    player.step()
    assert scene(player) is not s and scene(player).bests == kept and any(t.startswith("best 9/10") for t in drawn)


def correct_the_first_sum_by_its_bar(app: Driver) -> SumsScene:
    """Answer the first sum wrong, then click the bar of its answer in the panel."""
    s = open_level(app, 1)
    asked = SumsRound("add10", SEED).current
    assert asked is not None and answer(app, str(asked.answer - 1)).outcome is Outcome.WRONG
    bars, row = app.layout.inner.bars, app.layout.inner.row_height
    app.click((bars.centerx, bars.top + asked.answer * row + row // 2))
    return s


def test_a_click_on_a_bar_corrects_and_teaches_like_a_digit_key(player: Driver) -> None:
    taught = player.taught_count
    s = correct_the_first_sum_by_its_bar(player)
    assert s.feedback is not None and s.feedback.is_right and s.feedback.corrected and s.round.score == 1
    assert player.taught_count == taught + 1 and " correct=1 " in player.logged("sums correction")[-1]


def test_ctrl_z_takes_a_correction_back_as_the_toast_says(player: Driver) -> None:
    taught = player.taught_count
    s = correct_the_first_sum_by_its_bar(player)
    assert player.toast is not None and "Ctrl+Z takes it back" in player.toast[0]
    player.key(pygame.K_z, pygame.KMOD_CTRL)
    assert player.taught_count == taught and s.feedback is not None and s.feedback.outcome is Outcome.WRONG
    assert s.round.score == 0


def test_an_answer_is_judged_when_the_pen_has_rested_or_at_once_with_enter(player: Driver, clock: Clock) -> None:
    reference = SumsRound("add10", SEED)
    s = open_level(player, 1)
    first, second, third = (reference.queue[i][0] for i in range(3))
    write(player, str(first.answer))
    read_now(player)
    player.run_frames(3)
    assert s.feedback is None  # read right, but the pen has not rested yet
    wait(player, clock, REST_RIGHT_S - 0.05)
    assert s.feedback is None
    wait(player, clock, 0.06)
    assert s.feedback is not None and s.feedback.is_right
    wait(player, clock, SHOWN_S[Outcome.RIGHT] - 0.05)
    assert s.feedback is not None
    wait(player, clock, 0.06)
    assert s.feedback is None and s.round.current == second

    write(player, str(second.answer - 1))  # a wrong answer waits longer: another digit may follow
    read_now(player)
    wait(player, clock, REST_S - 0.05)
    assert s.feedback is None
    wait(player, clock, 0.06)
    assert s.feedback is not None and s.feedback.outcome is Outcome.WRONG
    player.key(pygame.K_RETURN)  # a verdict goes on at once with Enter
    assert s.feedback is None and s.round.current == third

    write(player, str(third.answer))
    player.key(pygame.K_RETURN)  # the clock does not move: Enter alone judges
    assert player.run_until(lambda: s.feedback is not None) and s.feedback is not None and s.feedback.is_right


def test_a_verdict_on_rest_is_taken_back_when_the_writer_goes_on_soon(
    player: Driver, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = SumsRound("add10", SEED)
    s = open_level(player, 1)
    first, second, third = (reference.queue[i][0] for i in range(3))
    answer(player, str(first.answer))
    player.key(pygame.K_RETURN)

    # a wrong answer judged on rest: the right answer shows, and the verdict stands, once its moment has passed
    wrong = str(second.answer - 1)
    write(player, wrong)
    read_now(player)
    wait(player, clock, REST_S + 0.01)
    judged = s.feedback
    assert judged is not None and judged.outcome is Outcome.WRONG and judged.read == wrong
    drawn = texts_drawn(player, monkeypatch)
    player.step()
    assert f"read {wrong} · not finished? keep writing" in drawn  # the card says so while it may be taken back
    assert f"  {second.answer}" not in drawn  # and keeps the right answer to itself: it could be copied
    wait(player, clock, GRACE_S + 0.05)
    assert f"read {wrong} · misread? press the digit you wrote" in drawn and f"  {second.answer}" in drawn
    ink = s.sketchpad.drawing.snapshot()
    write(player, "1", at=1, cells=2)
    assert s.feedback is judged and s.sketchpad.drawing.snapshot() == ink and not player.logged("sums taken-back")
    wait(player, clock, SHOWN_S[Outcome.WRONG] - 0.1)
    assert s.feedback is judged  # the right answer was on screen its whole time
    wait(player, clock, 0.2)
    assert s.feedback is None and s.round.current == third and third.answer == 10

    # the 1 of a 10, judged on rest, and writing the 0 soon after takes the verdict back: nothing counted
    counted = list(s.round.answers)
    write(player, "1", cells=2)
    read_now(player)
    wait(player, clock, REST_S + 0.01)
    assert s.feedback is not None and s.feedback.outcome is Outcome.WRONG and s.feedback.read == "1"
    assert s.round.answers[-1] is s.feedback  # counted, for now
    write(player, "0", at=1, cells=2)
    assert s.feedback is None and s.round.answers == counted and s.round.current == third
    assert re.fullmatch(
        rf'sums taken-back prompt="{re.escape(third.text)}" read=1 correct=0 ms=\d+',
        player.logged("sums taken-back")[-1],
    )
    read_now(player)
    wait(player, clock, REST_RIGHT_S + 0.01)
    assert s.feedback is not None and s.feedback.is_right and s.feedback.read == "10"


@pytest.mark.parametrize("again", [pygame.K_RETURN, pygame.K_m], ids=["enter", "m"])
def test_a_failed_save_keeps_the_previous_best_and_says_so(
    player: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, again: int
) -> None:
    folder = tmp_path / "p"
    save_bests(folder, {"add10": Best(3, 500.0)})
    before = (folder / BESTS_FILE).read_bytes()
    replace = os.replace

    def failed_rename(src: Any, dst: Any) -> None:
        if Path(dst).name == BESTS_FILE:
            raise OSError(28, "No space left on device")
        replace(src, dst)

    monkeypatch.setattr(os, "replace", failed_rename)  # as atomic.commit calls it
    s = open_level(player, 1)
    assert s.bests == {"add10": Best(3, 500.0)}
    play_right_to_the_end(player, SumsRound("add10", SEED))
    assert player.toast is not None and player.toast[1] and "No space left" in player.toast[0]
    assert (folder / BESTS_FILE).read_bytes() == before
    assert [p.name for p in folder.iterdir() if p.name.startswith(BESTS_FILE)] == [BESTS_FILE]
    player.key(again)  # the end screen: Enter or M plays again at the same level
    assert s.phase == "round" and s.level == "add10" and s.round.number == 1 and not s.round.answers


def test_a_broken_sums_file_is_set_aside_with_a_message(player: Driver, tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir(exist_ok=True)
    (folder / BESTS_FILE).write_text("{not json")
    player.key(pygame.K_m)
    assert scene(player).bests == {}
    assert player.toast is not None and player.toast[1] and "set aside" in player.toast[0]
    aside = list(folder.glob(f"{BESTS_FILE}.broken-*"))
    assert not (folder / BESTS_FILE).exists() and [p.read_text() for p in aside] == ["{not json"]


def test_the_sums_button_a_level_card_and_esc(player: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    player.drag([(0.3, 0.3), (0.6, 0.6)])
    kept = player.drawing.snapshot()
    player.press_button(Action.SUMS)
    s = scene(player)
    assert s.phase == "choose"
    player.click(level_cards(player.layout.canvas, player.layout)[2].center)
    assert s.phase == "round" and s.level == LEVELS[2] and s.round.current == SumsRound(LEVELS[2], SEED).current
    write(player, "1")
    player.key(pygame.K_ESCAPE)  # leaves mid-sum: back to the drawing as it was
    assert player.shell.top is player.scene and player.drawing.snapshot() == kept


def test_help_lists_m_for_the_sums(player: Driver) -> None:
    player.key(pygame.K_F1)
    assert player.is_help_shown and player.shell.top is not None
    rows = {b.keys_text: b.action for b in player.shell.bindings_below(player.shell.top)}
    assert rows.get("M") is Action.SUMS
