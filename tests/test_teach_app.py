"""Teaching in the app: a digit key or a click on a bar teaches, Ctrl+Z takes it back, F forgets, and it is kept."""

from __future__ import annotations

import errno
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path

import pygame
from driver import line

from digitgame.teaching import taught

FLAGGED_ONE = line((0.38, 0.42), (0.56, 0.2), 8) + line((0.56, 0.2), (0.56, 0.82), 16)  # a long rising flag, no foot


def test_a_digit_key_teaches_the_drawing_at_once_and_similar_drawings_follow(make, tmp_path: Path) -> None:
    app = make()
    app.drag(FLAGGED_ONE)
    assert app.wait_for_reading()
    untaught = app.prediction
    assert untaught is not None and not app.reading.is_taught  # type: ignore[union-attr]
    target = 7 if untaught.digit != 7 else 1
    app.key(getattr(pygame, f"K_{target}"))
    assert app.verdict.headline == str(target) and app.verdict.caption == "taught"  # on the very next frame
    assert app.wait_for_reading() and app.prediction.digit == target and app.reading.is_taught  # type: ignore[union-attr]
    assert f"taught digit={target} examples=1" in app.log.lines
    app.key(pygame.K_c)
    app.drag([(x + 0.03, y + 0.02) for x, y in FLAGGED_ONE])  # the same style again, a little elsewhere
    assert app.wait_for_reading() and app.prediction.digit == target and app.reading.is_taught  # type: ignore[union-attr]
    app.key(pygame.K_c)
    app.drag(line((0.5, 0.2), (0.5, 0.8)))  # a plain vertical 1 stays a 1
    assert app.wait_for_reading() and app.prediction.digit == 1 and not app.reading.is_taught  # type: ignore[union-attr]
    assert app.run_until(lambda: taught.read(tmp_path / "profile").counts()[target] == 1)  # kept on disk


def test_ctrl_z_takes_a_teach_back_before_the_strokes(make, tmp_path: Path) -> None:
    app = make()
    app.drag(FLAGGED_ONE)
    assert app.wait_for_reading()
    before = app.prediction
    target = (before.digit + 1) % 10  # type: ignore[union-attr]
    app.key(getattr(pygame, f"K_{target}"))
    assert app.wait_for_reading() and app.prediction.digit == target  # type: ignore[union-attr]
    app.key(pygame.K_z, pygame.KMOD_LCTRL)
    assert app.wait_for_reading() and app.prediction.digit == before.digit and not app.reading.is_taught  # type: ignore[union-attr]
    assert not app.drawing.is_empty  # the teach went, the ink stayed
    app.key(pygame.K_z, pygame.KMOD_LCTRL)
    assert app.drawing.is_empty  # then the stroke
    assert app.run_until(lambda: len(taught.read(tmp_path / "profile")) == 0)


def test_clicking_a_bar_teaches_that_digit(make) -> None:
    app = make()
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    assert app.wait_for_reading()
    bars, row = app.layout.inner.bars, app.layout.inner.row_height
    app.click((bars.centerx, bars.top + 4 * row + row // 2))  # the bar of 4
    assert app.wait_for_reading() and app.prediction.digit == 4 and app.reading.is_taught  # type: ignore[union-attr]


def test_forgetting_asks_first_and_what_was_taught_survives_a_restart_until_then(make, tmp_path: Path) -> None:
    app = make()
    app.drag(FLAGGED_ONE)
    assert app.wait_for_reading()
    app.key(pygame.K_3)
    assert app.wait_for_reading()
    app.close()
    again = make()  # a new start reads the kept profile
    assert again.run_until(lambda: again.taught_count == 1)
    again.key(pygame.K_f)
    again.key(pygame.K_n)  # no: nothing forgotten
    assert again.taught_count == 1
    again.key(pygame.K_f)
    again.key(pygame.K_y)
    assert again.taught_count == 0 and "forgot examples=1" in again.log.lines
    assert again.run_until(lambda: not taught.file_in(tmp_path / "profile").exists())


def test_without_a_profile_teaching_lasts_the_session_only(make, tmp_path: Path) -> None:
    app = make(folder=None)
    app.drag(FLAGGED_ONE)
    assert app.wait_for_reading()
    app.key(pygame.K_7)
    assert app.wait_for_reading() and app.prediction.digit == 7  # type: ignore[union-attr]
    assert app.toast is not None and "this session only" in app.toast[0]
    assert not list(tmp_path.rglob("profile.npz"))


def full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_save_of_what_was_taught_is_told_kept_and_tried_again_on_quit(
    make, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "profile"
    app = make()
    kept = taught.save
    monkeypatch.setattr(taught, "save", full_disk)
    app.drag(FLAGGED_ONE)
    assert app.wait_for_reading()
    app.key(pygame.K_7)
    assert app.run_until(lambda: app.toast is not None and app.toast[1])  # told, as an error
    text = app.toast[0]  # type: ignore[index]
    assert text.startswith("Could not save what you taught: disk full") and str(folder) in text
    assert "still counts" in text and "when you teach or quit" in text  # what happens to it, and when it is saved
    assert app.taught_count == 1 and app.wait_for_reading() and app.reading.is_taught  # type: ignore[union-attr]
    monkeypatch.setattr(taught, "save", kept)  # the disk has room again
    app.close()  # quitting saves it
    assert taught.read(folder).counts()[7] == 1


def test_after_a_failed_save_the_next_teach_saves_everything_taught(make, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "profile"
    app = make()
    kept = taught.save
    monkeypatch.setattr(taught, "save", full_disk)
    app.drag(FLAGGED_ONE)
    assert app.wait_for_reading()
    app.key(pygame.K_7)
    assert app.run_until(lambda: app.toast is not None and app.toast[1])
    monkeypatch.setattr(taught, "save", kept)
    app.key(pygame.K_c)
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    assert app.wait_for_reading()
    app.key(pygame.K_1)
    assert app.run_until(lambda: taught.file_in(folder).exists() and len(taught.read(folder)) == 2)
    assert taught.read(folder).counts()[7] == 1 and taught.read(folder).counts()[1] == 1
