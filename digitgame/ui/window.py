"""The one window: opening the display, full screen or a resizable window, and following resizes."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pygame

from digitgame.files import paths
from digitgame.files.nativelog import native_stderr_filtered

DEFAULT_WINDOW_PX = (1280, 800)
DESKTOP_SHARE = 0.92  # a default window never exceeds this share of the desktop
APP_NAME = "digitgame"
CAPTION = "digitgame — draw a digit"
ICON_FILE = "icon.png"  # in assets/, drawn by packaging/make_icon.py
# Set before SDL starts: the window's class (X11 docks and task bars group and name windows by it; pygame's
# import sets it to the script's name, "__main__.py"), and per-monitor DPI awareness on Windows, so a full-screen
# app is drawn at the screen's real resolution rather than scaled up blurry.  A value the person set wins.
SDL_HINTS = {
    "SDL_VIDEO_X11_WMCLASS": APP_NAME,
    "SDL_VIDEO_WAYLAND_WMCLASS": APP_NAME,
    "SDL_WINDOWS_DPI_AWARENESS": "permonitorv2",
}
NO_DISPLAY = (
    "digitgame: no display available (set DISPLAY, or use `{command} predict FILE` "
    "to recognise a saved drawing or an image)"
)


class NoDisplayError(RuntimeError):
    """There is no screen to open a window on."""


def display_available() -> bool:
    """False on X11/Wayland systems with neither DISPLAY nor WAYLAND_DISPLAY (and no SDL_VIDEODRIVER chosen)."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return True
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _no_display(detail: object = None) -> NoDisplayError:
    text = NO_DISPLAY.format(command=paths.command())
    return NoDisplayError(f"{text} [{detail}]" if detail else text)


def load_icon() -> pygame.Surface:
    """The project's icon.  The bundle leaves out pygame's PNG reader (SDL_image, packaging/digitgame.spec), so
    there Pillow, which the bundle has for `predict`, reads it."""
    path = paths.asset_path(ICON_FILE)
    if pygame.image.get_extended():
        return pygame.image.load(str(path))
    from PIL import Image

    with Image.open(path) as image:
        rgba = image.convert("RGBA")
        return pygame.image.frombytes(rgba.tobytes(), rgba.size, "RGBA")


def _set_icon() -> None:
    """The icon on the window and task bar; pygame's own when ours cannot be read (the app still runs)."""
    with contextlib.suppress(pygame.error, OSError, ImportError, ValueError):
        pygame.display.set_icon(load_icon())


class Window:
    """The display surface and whether it fills the screen; ``surface`` is always the current one."""

    def __init__(self, *, is_fullscreen: bool, size: tuple[int, int] | None, fit_desktop: bool = False) -> None:
        self.is_fullscreen = is_fullscreen
        self._size = size  # the windowed size asked for; None: DEFAULT_WINDOW_PX
        self._fit = fit_desktop  # ``size`` was remembered: the desktop may be smaller now (another monitor)
        self._open_display()
        try:
            self.surface = self._set_mode(is_fullscreen)
        except pygame.error as exc:
            raise _no_display(exc) from None

    def _open_display(self) -> None:
        if not display_available():
            raise _no_display()
        for name, value in SDL_HINTS.items():
            os.environ.setdefault(name, value)
        if os.environ.get("SDL_VIDEO_X11_WMCLASS") == Path(sys.argv[0] if sys.argv else "").name:
            os.environ["SDL_VIDEO_X11_WMCLASS"] = APP_NAME  # pygame's import set it to the script's name
        try:
            # SDL probes Wayland first and prints this from C when XDG_RUNTIME_DIR is unset (su, Xvfb, ssh -X).
            with native_stderr_filtered(b"error: XDG_RUNTIME_DIR"):
                pygame.display.init()
            pygame.font.init()
        except pygame.error as exc:
            raise _no_display(exc) from None
        driver = pygame.display.get_driver()
        if driver in ("offscreen", "dummy") and os.environ.get("SDL_VIDEODRIVER") != driver:
            pygame.display.quit()  # SDL could not reach the screen named in the environment, and fell back
            named = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            raise _no_display(f"the display {named} could not be opened" if named else None)
        if driver == "x11":
            # SDL would present frames through OpenGL; without a GPU (Mesa llvmpipe: VMs, Xvfb, remote
            # desktops) each flip then costs many times what X11's shared-memory images do
            # (benchmarks/frame_time.py measures the frames).
            os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
        pygame.display.set_caption(CAPTION, APP_NAME)
        _set_icon()
        pygame.key.set_repeat(0)

    def _windowed_size(self) -> tuple[int, int]:
        """The size asked for (on the command line: as it is); else no bigger than the desktop."""
        if self._size is not None and not self._fit:
            return self._size
        try:
            desk_w, desk_h = pygame.display.get_desktop_sizes()[0]
        except (pygame.error, IndexError):
            return self._size or DEFAULT_WINDOW_PX
        if self._size is not None:  # a window as it was left, on the desktop there is now
            return min(self._size[0], desk_w), min(self._size[1], desk_h)
        return (
            min(DEFAULT_WINDOW_PX[0], int(desk_w * DESKTOP_SHARE)),
            min(DEFAULT_WINDOW_PX[1], int(desk_h * DESKTOP_SHARE)),
        )

    def _set_mode(self, fullscreen: bool) -> pygame.Surface:
        if fullscreen:
            return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        return pygame.display.set_mode(self._windowed_size(), pygame.RESIZABLE)

    @property
    def size(self) -> tuple[int, int]:
        return self.surface.get_size()

    def sync(self) -> pygame.Surface:
        """Follow the display surface (SDL may replace it on a resize); returns it."""
        surface = pygame.display.get_surface()
        if surface is not None:
            self.surface = surface
        return self.surface

    def resized(self, size: tuple[int, int]) -> None:
        """A resize event: the display surface normally follows by itself; make it when it did not."""
        if self.is_fullscreen:
            return
        if size[0] > 0 and size[1] > 0:
            self._size = size  # F11 twice comes back to the window as it was left
        surface = pygame.display.get_surface()
        if surface is not None and surface.get_size() != size and size[0] > 0 and size[1] > 0:
            self.surface = pygame.display.set_mode(size, pygame.RESIZABLE)
        self.sync()

    def toggle_fullscreen(self) -> str | None:
        """Switch between full screen and a window; the reason when it could not."""
        try:
            self.surface = self._set_mode(not self.is_fullscreen)
        except pygame.error as exc:
            return str(exc)
        self.is_fullscreen = not self.is_fullscreen
        self.sync()
        return None

    @staticmethod
    def set_cursor(cursor: int) -> None:
        with contextlib.suppress(pygame.error):  # no system cursors when headless
            pygame.mouse.set_cursor(cursor)

    @staticmethod
    def close() -> None:
        pygame.display.quit()
