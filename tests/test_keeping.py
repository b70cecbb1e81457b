"""Nothing lost on quit: the drawing comes back at the next start, the settings are remembered (headless)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest
from driver import Driver, line

from digitgame.app import Settings
from digitgame.files import atomic
from digitgame.live import keeping
from digitgame.live import settings as remembering

WINDOW = (1024, 768)


@pytest.fixture
def start(tmp_path: Path, predictor) -> Iterator[Callable[..., Driver]]:  # type: ignore[no-untyped-def]
    """Start the app on a state folder as a person would (settings read from it); closes what is left open,
    every app, whatever the state of its window: a left-open app's worker thread and log recorder
    would outlive the test and weigh on the next ones (the monkey test's memory)."""
    apps: list[Driver] = []

    def make(state: Path, size: tuple[int, int] | None = WINDOW) -> Driver:
        settings = Settings.remembered_in(state, size=size, save_dir=tmp_path / "saves")
        app = Driver(settings, predictor)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


def quit_with_escape(app: Driver) -> None:
    app.key(pygame.K_ESCAPE)
    assert not app.running
    app.close()


def test_the_drawing_comes_back_after_esc(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    app = start(state)
    app.drag(line((0.3, 0.2), (0.3, 0.8)))
    app.drag(line((0.6, 0.2), (0.6, 0.8)), release=False)  # Esc while the pen is still down keeps that too
    drawn = app.drawing.snapshot()
    quit_with_escape(app)
    again = start(state)
    assert again.drawing.snapshot() == drawn
    again.step()
    assert again.ink_pixels() > 0
    assert again.toast == (keeping.RESTORED, False)


def test_a_stroke_ended_is_kept_without_quitting(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    app = start(state)
    app.drag(line((0.3, 0.2), (0.6, 0.8)))
    drawn = app.drawing.snapshot()
    assert app.run_until(lambda: (state / keeping.DRAWING_FILE).exists(), timeout=5)
    assert app.app.scene.keeping is not None and app.app.scene.keeping._writer.flush()
    killed = tmp_path / "killed"
    shutil.copytree(state, killed)  # the folder as a kill -9 would leave it now
    app.close()
    assert start(killed).drawing.snapshot() == drawn


def test_an_empty_canvas_at_quit_keeps_nothing(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    app = start(state)
    app.drag(line((0.3, 0.2), (0.6, 0.8)))
    app.key(pygame.K_c)
    quit_with_escape(app)
    assert not (state / keeping.DRAWING_FILE).exists()
    again = start(state)
    assert again.drawing.is_empty and again.toast is None


def test_a_drawing_from_a_smaller_window_is_shown_whole(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    app = start(state, size=(800, 600))
    app.drag(line((0.05, 0.05), (0.95, 0.95)))
    drawn = app.drawing.snapshot()
    quit_with_escape(app)
    again = start(state, size=(1600, 1000))
    assert again.drawing.snapshot() == drawn
    c = again.layout.canvas
    for point in (drawn[0][0], drawn[0][-1]):
        assert c.collidepoint(again.to_window(point))


@pytest.mark.parametrize("content", [b"{not json", b'{"format": "digitgame-strokes", "version": 99}', b""])
def test_a_broken_kept_drawing_is_set_aside_with_one_message(start, tmp_path: Path, content: bytes) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    state.mkdir()
    (state / keeping.DRAWING_FILE).write_bytes(content)
    app = start(state)
    assert app.drawing.is_empty
    (aside,) = atomic.set_aside_files(state / keeping.DRAWING_FILE)
    assert app.toast is not None and app.toast[1] and f"set aside as {aside.name}" in app.toast[0]
    assert aside.read_bytes() == content
    assert not (state / keeping.DRAWING_FILE).exists()


def test_live_and_grid_are_remembered(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    app = start(state)
    assert app.is_live and app.show_grid
    app.key(pygame.K_l)
    app.key(pygame.K_g)
    quit_with_escape(app)
    again = start(state)
    assert not again.is_live and not again.show_grid
    saved = json.loads((state / remembering.FILE_NAME).read_text())
    assert saved["format"] == "digitgame-settings" and saved["version"] == 1


def test_the_window_size_is_remembered_but_a_size_flag_is_for_its_run(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    app = start(state, size=(1000, 700))
    app.step([pygame.event.Event(pygame.VIDEORESIZE, size=(900, 650), w=900, h=650)])
    quit_with_escape(app)
    assert Settings.remembered_in(state).window_size == (900, 650)
    assert Settings.remembered_in(state, size=(800, 600)).window_size == (800, 600)
    start(state, size=(800, 600)).key(pygame.K_g)  # a run with a flag, and one change
    assert Settings.remembered_in(state).window_size == (900, 650)
    assert Settings.remembered_in(state).is_fullscreen  # those runs were windowed by their flags alone


def test_a_remembered_window_bigger_than_the_desktop_now_opens_within_it(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Left large on a big monitor, opened on a laptop: the window fits the desktop; a size flag is as asked."""
    state = tmp_path / "state"
    pygame.display.init()
    desk_w, desk_h = pygame.display.get_desktop_sizes()[0]
    big = (desk_w + 700, desk_h + 500)
    remembering.save(state, remembering.Preferences(is_fullscreen=False, window_size=big))
    assert start(state, size=None).shell.window.size == (desk_w, desk_h)
    small = (desk_w // 2, desk_h // 2)
    remembering.save(state, remembering.Preferences(is_fullscreen=False, window_size=small))
    assert start(state, size=None).shell.window.size == small  # one that fits opens as it was left
    assert start(state, size=big).shell.window.size == big  # the command line's size is as asked


def test_a_broken_settings_file_is_set_aside_and_the_defaults_used(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    state.mkdir()
    (state / remembering.FILE_NAME).write_text('{"live": false')
    app = start(state)
    assert app.is_live and app.show_grid
    assert app.toast is not None and app.toast[1] and "settings could not be read (not JSON)" in app.toast[0]
    (aside,) = atomic.set_aside_files(state / remembering.FILE_NAME)
    assert aside.read_text() == '{"live": false'
    assert any(aside.name in ln for ln in app.logged("message error=1"))  # what --verbose prints


def test_a_folder_that_cannot_be_written_is_told_and_nothing_breaks(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    state.write_text("a file where the folder should be")  # fails for root too, unlike a read-only folder
    app = start(state)
    app.drag(line((0.3, 0.2), (0.6, 0.8)))
    assert app.run_until(lambda: app.toast is not None and app.toast[1], timeout=5)
    assert app.toast is not None and app.toast[0].startswith("Could not keep your drawing")
    assert not app.drawing.is_empty
    app.key(pygame.K_g)
    quit_with_escape(app)  # tried again at quit, fails again: a warning, no crash


def test_no_profile_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from digitgame.cli import app_parser

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert Settings.from_args(app_parser().parse_args(["--no-profile"])).state_dir is None
    assert Settings.from_args(app_parser().parse_args([])).state_dir == tmp_path / "digitgame"


def test_clearing_the_drawing_that_came_back_takes_its_message_away(start, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "state"
    app = start(state)
    app.drag(line((0.3, 0.2), (0.6, 0.8)))
    quit_with_escape(app)
    again = start(state)
    again.step()
    assert again.toast == (keeping.RESTORED, False)
    again.key(pygame.K_c)  # "Press C to clear it": done, so the message goes
    assert again.drawing.is_empty and again.toast is None
    again.shell.notify(f"Your settings file was set aside.  {keeping.RESTORED}")  # notices at start are joined
    again.key(pygame.K_c)
    assert again.toast == ("Your settings file was set aside.", False)  # the rest of the message stays
    again.key(pygame.K_c)
    assert again.toast == ("Your settings file was set aside.", False)
