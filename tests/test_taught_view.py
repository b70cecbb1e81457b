"""The taught view: T or the Taught button shows every taught drawing; one can be removed, and that is kept."""

from __future__ import annotations

import errno
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from pathlib import Path

import numpy as np
import pygame
import pytest
from driver import Driver, line

from digitgame.files import atomic
from digitgame.teaching import taught
from digitgame.ui.actions import Action
from digitgame.ui.scenes.draw import DrawScene
from digitgame.ui.scenes.taught import TaughtScene
from digitgame.ui.taught_view import badge_rect
from digitgame.ui.theme import Fonts
from digitgame.ui.widgets import render_caps

FLAGGED_ONE = line((0.38, 0.42), (0.56, 0.2), 8) + line((0.56, 0.2), (0.56, 0.82), 16)  # the network reads a 1


def bar_image(seed: int) -> np.ndarray:
    """A (28, 28) model input: a vertical bar somewhere in the middle (ink to see on a thumbnail)."""
    image = np.zeros((28, 28), np.float32)
    x = 9 + seed % 10
    image[4:24, x : x + 3] = 1.0
    return image


def saved_profile(folder: Path, digits: list[int]) -> taught.Profile:
    profile = taught.Profile()
    for i, digit in enumerate(digits):
        profile = profile.add(taught.Example.from_input(bar_image(i), digit, taught_at=1_700_000_000 + i))
    taught.save(folder, profile)
    return profile


def view(app: Driver) -> TaughtScene:
    top = app.shell.top
    assert isinstance(top, TaughtScene), f"the taught view is not open: {top}"
    return top


def thumbnails(app: Driver) -> list[pygame.Rect]:
    grid = view(app).sheet()
    assert grid is not None
    return [cell.rect for row in grid.rows for cell in row.cells if not cell.more]


def test_the_key_and_the_button_open_it_and_it_shows_every_taught_drawing_by_digit(make, tmp_path: Path) -> None:
    saved_profile(tmp_path / "profile", [3, 7, 3, 0, 3])
    app = make()
    assert app.run_until(lambda: app.taught_count == 5)
    app.key(pygame.K_t)
    rects = thumbnails(app)
    assert len(rects) == 5
    grid = view(app).sheet()
    assert grid is not None and [r.count for r in grid.rows] == [1, 0, 0, 3, 0, 0, 0, 1, 0, 0]
    screen = pygame.surfarray.array3d(app.screen)  # a copy: the screen stays unlocked
    for rect in rects:  # each thumbnail shows its ink: white on black
        area = screen[rect.left : rect.right, rect.top : rect.bottom]
        assert (area.min(axis=2) > 200).any() and (area.max(axis=2) < 40).any()
    app.key(pygame.K_ESCAPE)
    assert isinstance(app.shell.top, DrawScene) and app.running  # Esc closed the view, not the app
    app.press_button(Action.TAUGHT)
    assert len(thumbnails(app)) == 5
    app.key(pygame.K_t)  # the same key closes it
    assert isinstance(app.shell.top, DrawScene)
    assert app.actions.count("taught") == 2


def test_removing_a_taught_drawing_changes_the_reading_and_the_file(make, tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    app = make()
    app.drag(FLAGGED_ONE)
    assert app.wait_for_reading() and app.prediction.digit == 1  # type: ignore[union-attr]
    app.key(pygame.K_7)
    assert app.wait_for_reading() and app.prediction.digit == 7 and app.reading.is_taught  # type: ignore[union-attr]
    assert app.run_until(lambda: len(taught.read(folder)) == 1)
    app.key(pygame.K_t)
    (rect,) = thumbnails(app)
    app.click(rect.center)  # choose it: its × shows
    assert view(app).chosen == 0
    app.click(badge_rect(rect).center)  # and remove it with its ×
    assert thumbnails(app) == [] and app.taught_count == 0
    assert (
        app.toast is not None
        and app.toast[0].startswith("Removed a taught 7")
        and "0 examples of 7 left" in app.toast[0]
    )
    assert app.run_until(lambda: len(taught.read(folder)) == 0)  # on disk too
    app.key(pygame.K_ESCAPE)
    assert app.wait_for_reading() and app.prediction.digit == 1 and not app.reading.is_taught  # type: ignore[union-attr]
    assert "removed digit=7 examples=0" in app.log.lines


def test_delete_removes_the_chosen_one_and_the_choice_moves_to_its_neighbour(make, tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    kept = saved_profile(folder, [3, 3, 3, 5])
    app = make()
    assert app.run_until(lambda: app.taught_count == 4)
    app.key(pygame.K_t)
    app.key(pygame.K_DELETE)  # nothing chosen yet: says how to choose
    assert app.toast is not None and "Choose a drawing first" in app.toast[0] and app.taught_count == 4
    app.key(pygame.K_DOWN)  # the arrows choose: the newest of the first row with drawings
    assert view(app).chosen == 2
    app.key(pygame.K_LEFT)
    assert view(app).chosen == 1
    app.key(pygame.K_DELETE)
    assert app.taught_count == 3 and view(app).chosen == 1  # now the third 3
    assert app.run_until(lambda: len(taught.read(folder)) == 3)
    on_disk = taught.read(folder).examples
    assert [e.taught_at for e in on_disk] == [kept.examples[i].taught_at for i in (0, 2, 3)]
    app.key(pygame.K_BACKSPACE)
    assert app.run_until(lambda: [e.digit for e in taught.read(folder).examples] == [3, 5])


def read_only(folder: Path, monkeypatch) -> None:
    """Make ``folder`` read-only; where permissions do not stop this process (root), writing there fails all the same."""
    folder.chmod(0o555)
    probe = folder / "probe"
    try:
        probe.write_bytes(b"")
    except PermissionError:
        return
    probe.unlink()

    def refused(path: Path) -> Path:
        if path.parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    real = atomic.temporary_for
    monkeypatch.setattr(atomic, "temporary_for", refused)


def test_a_removal_that_cannot_be_saved_is_told_and_saved_when_the_folder_can_be_written_again(
    make, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "profile"
    saved_profile(folder, [4, 4])
    app = make()
    assert app.run_until(lambda: app.taught_count == 2)
    read_only(folder, monkeypatch)
    app.key(pygame.K_t)
    app.click(thumbnails(app)[0].center)
    app.key(pygame.K_DELETE)
    assert app.run_until(lambda: app.toast is not None and app.toast[1])  # told, as an error, over the view
    text = app.toast[0]  # type: ignore[index]
    assert text.startswith("Could not save the removal: no permission to write there") and str(folder) in text
    assert len(taught.read(folder)) == 2 and app.taught_count == 1
    folder.chmod(0o755)
    monkeypatch.undo()
    app.close()  # quitting tries again
    assert len(taught.read(folder)) == 1


def test_with_nothing_taught_it_says_how_to_teach(make) -> None:
    app = make()
    app.key(pygame.K_t)
    assert thumbnails(app) == []
    app.key(pygame.K_DELETE)
    assert app.toast is not None and "Choose a drawing first" in app.toast[0]


@pytest.mark.parametrize("size", [(800, 600), (1600, 1000), (3840, 2160)])
def test_every_thumbnail_and_row_fits_inside_the_card_at_any_size(make, tmp_path: Path, size) -> None:
    saved_profile(tmp_path / "profile", [d for d in range(10) for _ in range(taught.MAX_PER_DIGIT)])  # a full one
    app = make(size)
    assert app.run_until(lambda: app.taught_count == 10 * taught.MAX_PER_DIGIT)
    app.key(pygame.K_t)
    grid = view(app).sheet()
    assert grid is not None
    for row in grid.rows:
        assert row.count == taught.MAX_PER_DIGIT and row.cells and grid.card.contains(row.rect)
        assert all(row.rect.contains(cell.rect) for cell in row.cells)
        assert row.cells[0].more > 0 or len(row.cells) == row.count  # what does not fit says "+N"
    app.key(pygame.K_UP)  # the newest 9 ... then back through the row: the chosen one stays in view
    for _ in range(taught.MAX_PER_DIGIT):
        app.key(pygame.K_LEFT)
        chosen = view(app).chosen
        sheet = view(app).sheet()
        assert chosen is not None and sheet is not None and sheet.cell_of(chosen) is not None


@pytest.mark.parametrize("size", [16, 20, 24, 41])
def test_chip_capitals_are_evenly_spaced_with_wider_gaps_between_words(size: int) -> None:
    pygame.font.init()
    fonts = Fonts()
    label = render_caps(fonts, "TAUGHT 12", size, (255, 255, 255))
    ink = pygame.surfarray.array_alpha(label).max(axis=1) > 60
    change = np.diff(np.concatenate([[0], ink.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(change == 1), np.flatnonzero(change == -1)  # each inked run of columns
    gaps = [int(g) for g in starts[1:] - ends[:-1]]  # the empty columns between one run and the next
    *letters, word, between_digits = gaps
    assert len(letters) == 5  # T A U G H T: no two letters run together
    assert max(letters) - min(letters) <= 1 and word >= 2 * max(letters)
    assert abs(between_digits - min(letters)) <= 1
