"""The window's identity: its title, class name and the project's icon (headless, SDL's dummy driver)."""

from __future__ import annotations

import os

import numpy as np
import pygame
import pytest
from PIL import Image

from digitgame.files import paths
from digitgame.ui import window


@pytest.fixture()
def opened(monkeypatch):
    """A window opened as ``python -m digitgame`` opens it, after pygame's import named the class after the script."""
    monkeypatch.setattr("sys.argv", ["/somewhere/digitgame/__main__.py"])
    monkeypatch.setenv("SDL_VIDEO_X11_WMCLASS", "__main__.py")
    shown = window.Window(is_fullscreen=False, size=(640, 480))
    yield shown
    shown.close()


def test_the_window_has_the_apps_title_and_class_name(opened) -> None:
    assert pygame.display.get_caption()[0] == window.CAPTION
    assert os.environ["SDL_VIDEO_X11_WMCLASS"] == window.APP_NAME


def test_a_class_name_the_person_chose_is_kept(monkeypatch) -> None:
    monkeypatch.setenv("SDL_VIDEO_X11_WMCLASS", "my-kiosk")
    window.Window(is_fullscreen=False, size=(640, 480)).close()
    assert os.environ["SDL_VIDEO_X11_WMCLASS"] == "my-kiosk"


def test_the_icon_is_the_projects_png_read_as_pillow_reads_it(opened, monkeypatch) -> None:
    reference = np.asarray(Image.open(paths.asset_path(window.ICON_FILE)).convert("RGBA"))
    for extended in (True, False):  # pygame's PNG reader, and the bundle's way without it (Pillow)
        monkeypatch.setattr(pygame.image, "get_extended", lambda extended=extended: extended)
        icon = window.load_icon()
        pixels = np.dstack([pygame.surfarray.pixels3d(icon), pygame.surfarray.pixels_alpha(icon)]).transpose(1, 0, 2)
        assert np.array_equal(pixels, reference)
