"""The desktop app: one pygame window and one loop -- handle input, update, draw, then one flip.

Recognition runs on one worker thread (``ui.worker``), so the loop never waits for the model:
the window appears first, the model loads behind it, and in live mode every change of the ink
hands the newest snapshot of the drawing to the worker.  What is drawn on screen and what the
model gets are the same ``Drawing``; a saved drawing gives the same answer in ``predict``.

Choices worth knowing:
- A stroke that leaves the drawing area stops at its edge and resumes where the pointer comes
  back (one undo step); strokes start only inside the area.
- ``--open`` with a broken or foreign file prints one line on stderr and exits with status 2.
- Esc closes the help overlay when it is open, and quits otherwise.
- ``--size`` without ``--windowed`` also opens a window (a size only makes sense for one).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import logging
import math
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

from digitgame import paths, saving
from digitgame.drawing import Drawing, StrokeFileError, load_drawing
from digitgame.ui import theme
from digitgame.ui.actions import BUTTON_BINDINGS, Action, action_for_key
from digitgame.ui.canvas import CanvasView, InkCanvas
from digitgame.ui.layout import Layout, compute_layout
from digitgame.ui.pen import Edit, Pen
from digitgame.ui.widgets import (
    Backdrop,
    ButtonLook,
    HelpOverlay,
    ModelStatus,
    PanelState,
    ResultsPanel,
    Toast,
    draw_button,
    draw_canvas_frame,
    draw_eraser_ring,
    draw_header,
    draw_toast,
)
from digitgame.ui.worker import Job, ModelFailed, ModelReady, RecognitionWorker, Result

if TYPE_CHECKING:
    from digitgame.predictor import Prediction, Predictor

log = logging.getLogger("digitgame.app")

FRAME_RATE_HZ = 60
IDLE_WAKE_MS = 250  # when nothing moves, the loop sleeps until input arrives, or this long at most
GIL_SWITCH_S = 0.001  # the frame loop waits at most this long for the GIL while the worker computes
LIVE_REST_FRACTION = 1.0  # after a slow recognition of T ms, live mode waits T * this before the next one
SLOW_RECOGNITION_MS = 8.0  # "slow": half a frame; normal drawings take about 1 ms and never wait
DEFAULT_WINDOW_PX = (1280, 800)
DESKTOP_SHARE = 0.92  # a default window never exceeds this share of the desktop
LAUNCH_TIME_ENV = "DIGITGAME_LAUNCH_TIME"  # epoch seconds when the process was started (benchmarks set it)
SCREENSHOT_TIMEOUT_S = 60.0  # --screenshot saves whatever is shown after this long
MOUSE = "mouse"
ERASE_BUTTON = 3  # the right mouse button erases
NO_DISPLAY = (
    "digitgame: no display available (set DISPLAY, or use `{command} predict FILE` "
    "to recognise a saved drawing or an image)"
)
_IMPORTED_AT = time.time()  # fallback origin for first_frame/model_ready when the launcher gave none


class NoDisplayError(RuntimeError):
    """There is no screen to open a window on."""


@dataclass(frozen=True)
class Settings:
    """What the app is told at start; tests build one directly."""

    is_fullscreen: bool = True
    window_size: tuple[int, int] | None = None  # windowed size; None: DEFAULT_WINDOW_PX
    save_dir: Path = field(default_factory=paths.default_save_dir)
    model_path: Path | None = None  # None: the bundled model
    screenshot: Path | None = None
    is_live: bool = True
    show_grid: bool = True
    launch_time: float | None = None  # epoch seconds; origin of the first_frame / model_ready figures

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Settings:
        """Settings from the parsed command line of ``digitgame.cli``."""
        launch = os.environ.get(LAUNCH_TIME_ENV)
        try:
            launch_time = float(launch) if launch else None
        except ValueError:
            launch_time = None
        return cls(
            is_fullscreen=not (args.windowed or args.size is not None),
            window_size=args.size,
            save_dir=args.save_dir if args.save_dir is not None else paths.default_save_dir(),
            model_path=args.model,
            screenshot=args.screenshot,
            launch_time=launch_time,
        )


@dataclass(frozen=True)
class Shown:
    """The prediction on screen and the drawing revision it belongs to."""

    prediction: Prediction
    revision: int
    ms: float


def display_available() -> bool:
    """False on X11/Wayland systems with neither DISPLAY nor WAYLAND_DISPLAY (and no SDL_VIDEODRIVER chosen)."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return True
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _load_default_predictor(path: Path | None) -> Predictor:
    from digitgame.predictor import load_predictor

    return load_predictor(path)


class App:
    """Owns the window, the clock, the drawing and the worker; ``run()`` is the loop."""

    def __init__(
        self,
        settings: Settings,
        predictor: Predictor | Callable[[], Predictor] | None = None,
        drawing: Drawing | None = None,
    ) -> None:
        self.settings = settings
        self.is_fullscreen = settings.is_fullscreen
        self.is_live = settings.is_live
        self.show_grid = settings.show_grid
        self.is_erasing = False
        self.show_help = False
        self.running = True
        self.exit_code = 0
        self.frames = 0
        self.performed: collections.deque[Action] = collections.deque(maxlen=64)  # recent actions, for tests

        self._open_display()
        self.fonts = theme.Fonts()
        self.ink = InkCanvas()
        self.panel = ResultsPanel()
        self.help = HelpOverlay()
        self.backdrop = Backdrop()
        self.screen = self._set_mode(self.is_fullscreen)
        self.layout = compute_layout(*self.screen.get_size(), len(BUTTON_BINDINGS))
        self._log_layout()
        side = self.layout.canvas.width
        self.drawing = drawing if drawing is not None else Drawing(side, side)
        self.pen = Pen(self.drawing)
        self.view = self._make_view()

        self.revision = 0  # bumps on every change of the ink
        self.submitted_revision: int | None = None
        self.predict_requested = False
        self.shown: Shown | None = None
        self.bars = [0.0] * 10
        self.bar_targets = [0.0] * 10
        self.model_status = ModelStatus.LOADING
        self.model_message = ""
        self.model_backend = ""
        self.toast: Toast | None = None
        self.hovered: Action | None = None
        self.pressed: tuple[Action, object] | None = None
        self.pressed_inside = False
        self.flash_until: dict[Action, float] = {}
        self.pointer: tuple[int, int] | None = None
        self._mouse_button = 0
        self._cursor: int | None = None
        self._last_tick = time.perf_counter()
        self._started = time.perf_counter()
        self._capture = False
        self._rest_until = 0.0
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(GIL_SWITCH_S)

        source: Predictor | Callable[[], Predictor]
        source = predictor if predictor is not None else functools.partial(_load_default_predictor, settings.model_path)
        self.worker = RecognitionWorker(source)
        saving.recover(settings.save_dir)  # finish or remove what a killed save left behind

    # --- window ---------------------------------------------------------------
    def _open_display(self) -> None:
        if not display_available():
            raise NoDisplayError(NO_DISPLAY.format(command=paths.command()))
        try:
            pygame.display.init()
            pygame.font.init()
        except pygame.error as exc:
            raise NoDisplayError(f"{NO_DISPLAY.format(command=paths.command())} [{exc}]") from None
        driver = pygame.display.get_driver()
        if driver in ("offscreen", "dummy") and os.environ.get("SDL_VIDEODRIVER") != driver:
            pygame.display.quit()
            raise NoDisplayError(NO_DISPLAY.format(command=paths.command()))
        if driver == "x11":
            # SDL would present frames through OpenGL; without a GPU (Mesa llvmpipe: VMs, Xvfb, remote
            # desktops) that costs ~10 ms per flip, while X11's shared-memory images cost well under 1 ms.
            os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
        pygame.display.set_caption("digitgame — draw a digit")
        pygame.key.set_repeat(0)

    def _windowed_size(self) -> tuple[int, int]:
        if self.settings.window_size is not None:
            return self.settings.window_size
        try:
            desk_w, desk_h = pygame.display.get_desktop_sizes()[0]
        except (pygame.error, IndexError):
            return DEFAULT_WINDOW_PX
        return (
            min(DEFAULT_WINDOW_PX[0], int(desk_w * DESKTOP_SHARE)),
            min(DEFAULT_WINDOW_PX[1], int(desk_h * DESKTOP_SHARE)),
        )

    def _set_mode(self, fullscreen: bool, size: tuple[int, int] | None = None) -> pygame.Surface:
        try:
            if fullscreen:
                return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            return pygame.display.set_mode(size or self._windowed_size(), pygame.RESIZABLE)
        except pygame.error as exc:
            if self.frames == 0:
                raise NoDisplayError(f"{NO_DISPLAY.format(command=paths.command())} [{exc}]") from None
            raise

    def _sync_layout(self) -> None:
        """Recompute the layout when the window size changed."""
        surface = pygame.display.get_surface()
        if surface is not None:
            self.screen = surface
        size = self.screen.get_size()
        if size != self.layout.size:
            self.layout = compute_layout(*size, len(BUTTON_BINDINGS))
            self._log_layout()
        view = self._make_view()
        if view != self.view:
            self.view = view
        self.pen.eraser_radius = theme.ERASER_RADIUS_FRACTION * self.layout.canvas.width / self.view.scale

    def _make_view(self) -> CanvasView:
        c = self.layout.canvas
        return CanvasView((c.x, c.y, c.width, c.height), self.drawing.width, self.drawing.height)

    def _log_layout(self) -> None:
        c = self.layout.canvas
        log.info("drawing_area x=%d y=%d w=%d h=%d", c.x, c.y, c.width, c.height)

    def _window_resized(self, size: tuple[int, int]) -> None:
        """A resize event: the display surface normally follows by itself; make it when it did not."""
        if self.is_fullscreen:
            return
        surface = pygame.display.get_surface()
        if surface is not None and surface.get_size() != size and size[0] > 0 and size[1] > 0:
            self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        self._sync_layout()

    def toggle_fullscreen(self) -> None:
        """Switch between full screen and a window (F11)."""
        self.pen.cancel()
        try:
            self.screen = self._set_mode(not self.is_fullscreen)
        except pygame.error as exc:
            self.notify(f"Could not switch full screen: {exc}", is_error=True)
            return
        self.is_fullscreen = not self.is_fullscreen
        self._sync_layout()

    # --- the loop ---------------------------------------------------------------
    def run(self) -> int:
        """Run until the person quits (or the screenshot is taken); returns the exit status."""
        clock = pygame.time.Clock()
        try:
            while self.running:
                if self.is_idle():  # sleep until something happens, instead of redrawing a still picture
                    first = pygame.event.wait(IDLE_WAKE_MS)
                    self.step(([first] if first.type != pygame.NOEVENT else []) + pygame.event.get())
                else:
                    self.step()
                clock.tick(FRAME_RATE_HZ)
        finally:
            self.close()
        return self.exit_code

    def is_idle(self) -> bool:
        """True when the next frame would look like this one unless input arrives."""
        now = time.perf_counter()
        return (
            self.model_status is not ModelStatus.LOADING
            and not self.pen.is_down
            and self.pressed is None
            and self.toast is None
            and not self._capture
            and self.settings.screenshot is None
            and all(abs(v - t) < 1e-3 for v, t in zip(self.bars, self.bar_targets, strict=True))
            and all(until <= now for until in self.flash_until.values())
            and not (self.is_live and self.revision != self.submitted_revision)
            and not self.predict_requested
            and not self.worker.is_busy
        )

    def step(self, events: Iterable[pygame.event.Event] | None = None) -> None:
        """One frame: handle input, update, draw, then flip."""
        self.handle_input(pygame.event.get() if events is None else events)
        self.update()
        self.draw()
        if self._capture:
            self._take_screenshot()
        pygame.display.flip()
        self.frames += 1
        if self.frames == 1:
            log.info("first_frame ms=%.1f", self._ms_since_launch())

    def run_frames(self, n: int) -> None:
        """Step ``n`` frames (tests)."""
        for _ in range(n):
            self.step()

    def run_until(self, condition: Callable[[], bool], timeout: float = 10.0, pause: float = 0.002) -> bool:
        """Step frames until ``condition()`` holds or ``timeout`` seconds pass; returns whether it held."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                return False
            self.step()
            time.sleep(pause)
        return True

    def wait_for_model(self, timeout: float = 30.0) -> bool:
        """Step frames until the model has loaded or failed."""
        return self.run_until(lambda: self.model_status is not ModelStatus.LOADING, timeout)

    def wait_for_prediction(self, timeout: float = 30.0) -> bool:
        """Step frames until the prediction on screen belongs to the current drawing."""
        return self.run_until(self.is_settled, timeout)

    def is_settled(self) -> bool:
        """True when the model is loaded (or failed) and the shown answer is for the current ink."""
        if self.model_status is ModelStatus.LOADING:
            return False
        if self.model_status is ModelStatus.FAILED and not self.drawing.is_empty:
            return True  # no answer will come
        return self.shown is not None and self.shown.revision == self.revision and not self.worker.is_busy

    def close(self) -> None:
        """Stop the worker and close the window."""
        self.worker.stop()
        sys.setswitchinterval(self._switch_interval)
        pygame.display.quit()

    # --- phase 1: input -----------------------------------------------------------
    def handle_input(self, events: Iterable[pygame.event.Event]) -> None:
        for event in events:
            self.handle_event(event)

    def handle_event(self, event: pygame.event.Event) -> None:
        """Turn one pygame event into drawing edits and actions."""
        kind = event.type
        if kind == pygame.QUIT:
            self.running = False
        elif kind == pygame.KEYDOWN:
            self._key_down(event.key, getattr(event, "mod", 0))
        elif kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if getattr(event, "touch", False):
                return  # SDL's mouse copy of a touch: the FINGER events already drew it
            pos = _int_pos(getattr(event, "pos", (0, 0)))
            if kind == pygame.MOUSEBUTTONDOWN:
                if event.button in (1, ERASE_BUTTON):
                    self._pointer_down(MOUSE, pos, event.button)
            elif kind == pygame.MOUSEBUTTONUP:
                if event.button == self._mouse_button or (event.button == 1 and self.pressed is not None):
                    self._pointer_up(MOUSE, pos)
            else:
                self._mouse_moved(pos, getattr(event, "buttons", (0, 0, 0)))
        elif kind in (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP):
            w, h = self.screen.get_size()
            pos = _int_pos((event.x * w, event.y * h))
            source = ("finger", getattr(event, "finger_id", 0))
            if kind == pygame.FINGERDOWN:
                self._pointer_down(source, pos, 1)
            elif kind == pygame.FINGERMOTION:
                self._pointer_moved(source, pos)
            else:
                self._pointer_up(source, pos)
        elif kind == pygame.VIDEORESIZE:
            self._window_resized(tuple(event.size))
        elif kind in (pygame.WINDOWSIZECHANGED, pygame.WINDOWRESIZED):
            self._window_resized((event.x, event.y))
        elif kind == pygame.WINDOWFOCUSLOST:
            self.pen.cancel()
            self.pressed = None
        elif kind == pygame.WINDOWLEAVE:
            self.hovered = None
            self.pointer = None

    def _key_down(self, key: int, mod: int) -> None:
        action = action_for_key(key, mod)
        if self.show_help and action is not Action.TOGGLE_FULLSCREEN:
            self.show_help = False  # any key closes the help (Esc does not quit then)
            return
        if action is not None:
            self.flash_until[action] = time.perf_counter() + theme.KEY_FLASH_S
            self.perform(action)

    def _button_at(self, pos: tuple[int, int]) -> Action | None:
        for rect, binding in zip(self.layout.buttons, BUTTON_BINDINGS, strict=False):
            if rect.collidepoint(pos):
                return binding.action
        return None

    def _button_rect(self, action: Action) -> pygame.Rect:
        index = [b.action for b in BUTTON_BINDINGS].index(action)
        return self.layout.buttons[index]

    def _pointer_down(self, source: object, pos: tuple[int, int], button: int) -> None:
        if self.show_help:
            self.show_help = False
            return
        if self.pen.is_down or self.pressed is not None:
            return  # one pointer at a time: a second finger does not draw
        action = self._button_at(pos)
        if action is not None:
            if button == 1:
                self.pressed, self.pressed_inside = (action, source), True
            return
        if self.view.contains(pos):
            erasing = self.is_erasing or button == ERASE_BUTTON
            edit = self.pen.down(source, self.view.to_canvas(pos), erasing=erasing)
            if self.pen.is_down and source == MOUSE:
                self._mouse_button = button
            self._edited(edit)

    def _mouse_moved(self, pos: tuple[int, int], buttons: tuple[int, ...]) -> None:
        self.pointer = pos
        self.hovered = self._button_at(pos)
        gesture = self.pen.gesture
        held = self._mouse_button
        if gesture is not None and gesture.source == MOUSE and held and len(buttons) >= held and not buttons[held - 1]:
            self._pointer_up(MOUSE, pos)  # the release happened where we could not see it
            return
        self._pointer_moved(MOUSE, pos)

    def _pointer_moved(self, source: object, pos: tuple[int, int]) -> None:
        if self.pressed is not None and self.pressed[1] == source:
            self.pressed_inside = self._button_rect(self.pressed[0]).collidepoint(pos)
        self._edited(self.pen.move(source, self.view.to_canvas(pos)))

    def _pointer_up(self, source: object, pos: tuple[int, int]) -> None:
        if self.pressed is not None and self.pressed[1] == source:
            action, _ = self.pressed
            self.pressed = None
            if self._button_rect(action).collidepoint(pos):
                self.perform(action)
            return
        if self.pen.gesture is not None and self.pen.gesture.source == source:
            self._edited(self.pen.move(source, self.view.to_canvas(pos)))
            self.pen.up(source)
            if source == MOUSE:
                self._mouse_button = 0

    def _edited(self, edit: Edit) -> None:
        if edit is Edit.NONE:
            return
        self.revision += 1
        if edit is Edit.RESHAPED:
            self.ink.invalidate()

    # --- actions ------------------------------------------------------------------
    def perform(self, action: Action) -> None:
        """Do what a key or a button asked for; both come here with the same Action."""
        self.performed.append(action)
        if action is Action.CLEAR:
            self.pen.cancel()
            self._mouse_button = 0
            if self.drawing.clear():
                self._reshaped()
        elif action is Action.UNDO:
            self.pen.cancel()
            self._mouse_button = 0
            if self.drawing.undo():
                self._reshaped()
            else:
                self.notify("Nothing to undo.")
        elif action is Action.TOGGLE_ERASER:
            self.is_erasing = not self.is_erasing
        elif action is Action.TOGGLE_GRID:
            self.show_grid = not self.show_grid
        elif action is Action.TOGGLE_LIVE:
            self.is_live = not self.is_live
            self.notify(
                "Live mode: the answer follows your pen."
                if self.is_live
                else "Live mode off: press Enter or Predict to recognise."
            )
        elif action is Action.PREDICT:
            self.predict_requested = True
            if self.model_status is ModelStatus.FAILED:
                self.notify(f"No model: {self.model_message}", is_error=True)
        elif action is Action.SAVE:
            self.save()
        elif action is Action.TOGGLE_HELP:
            self.show_help = not self.show_help
        elif action is Action.TOGGLE_FULLSCREEN:
            self.toggle_fullscreen()
        elif action is Action.QUIT:
            if self.show_help:
                self.show_help = False
            else:
                self.running = False

    def _reshaped(self) -> None:
        self.revision += 1
        self.ink.invalidate()

    def notify(self, text: str, *, is_error: bool = False) -> None:
        """Show ``text`` for a few seconds over the drawing area."""
        now = time.perf_counter()
        duration = theme.TOAST_ERROR_S if is_error else theme.TOAST_S
        self.toast = Toast(text, is_error, now, now + duration)
        log.info("message error=%d text=%s", int(is_error), _logfmt_quote(text))

    def save(self) -> Path | None:
        """Write the drawing (.json) and a picture of it (.png) into the save folder; say where or why not."""
        if self.drawing.is_empty:
            self.notify("Nothing to save yet: draw a digit first.")
            return None
        self.ink.configure(self.view, self.layout.pen_width_px / 2, self.show_grid)
        self.ink.sync(self.drawing)
        picture = self.ink.clean_copy()
        writer = saving.picture_writer(*picture.get_size(), pygame.image.tobytes(picture, "RGB"))
        result = saving.save_drawing(self.drawing, self.settings.save_dir, writer)
        self.notify(result.message, is_error=not result.is_saved)
        return result.drawing

    # --- phase 2: update ------------------------------------------------------------
    def update(self) -> None:
        """Take in the worker's news, hand it new work, animate."""
        now = time.perf_counter()
        dt = min(0.25, max(0.0, now - self._last_tick))
        self._last_tick = now
        self._sync_layout()
        for message in self.worker.poll():
            if isinstance(message, ModelReady):
                self.model_status, self.model_backend = ModelStatus.READY, message.backend
                log.info("model_ready ms=%.1f backend=%s", self._ms_since_launch(), message.backend)
            elif isinstance(message, ModelFailed):
                self.model_status, self.model_message = ModelStatus.FAILED, message.message
                log.info("model_failed message=%s", _logfmt_quote(message.message))
            elif isinstance(message, Result):
                if message.ms > SLOW_RECOGNITION_MS:
                    self._rest_until = time.perf_counter() + message.ms / 1000 * LIVE_REST_FRACTION
                if self.shown is None or message.job.revision >= self.shown.revision:
                    self._show(message.prediction, message.job.revision, message.ms, message.job.is_live)
        self._request_recognition()
        k = 1.0 - math.exp(-dt / theme.BAR_ANIMATION_S)
        self.bars = [v + (t - v) * k for v, t in zip(self.bars, self.bar_targets, strict=True)]
        if self.toast is not None and now > self.toast.expires_at:
            self.toast = None
        if self.settings.screenshot is not None and (self.is_settled() or now - self._started > SCREENSHOT_TIMEOUT_S):
            self.bars = list(self.bar_targets)
            self._capture = True

    def _request_recognition(self) -> None:
        wanted = self.predict_requested or (self.is_live and self.revision != self.submitted_revision)
        if not wanted and self.shown is None and self.drawing.is_empty:
            wanted = True  # the first frame: say "draw a digit"
        if not wanted:
            return
        if self.drawing.is_empty:
            self.submitted_revision = self.revision
            self.predict_requested = False
            if self.shown is None or self.shown.revision != self.revision or not self.shown.prediction.is_empty:
                from_empty = _empty_prediction()
                self._show(from_empty, self.revision, 0.0, self.is_live)
            return
        if self.model_status is not ModelStatus.READY or self.worker.is_busy:
            if self.model_status is ModelStatus.FAILED:
                self.predict_requested = False
            return
        if not self.predict_requested and time.perf_counter() < self._rest_until:
            return  # a slow (huge) drawing: let the frame loop breathe between recognitions
        job = Job(self.revision, self.drawing.snapshot(), self.drawing.width, self.drawing.height, self.is_live)
        self.worker.submit(job)
        self.submitted_revision = self.revision
        self.predict_requested = False

    def _show(self, prediction: Prediction, revision: int, ms: float, is_live: bool) -> None:
        self.shown = Shown(prediction, revision, ms)
        self.bar_targets = list(prediction.probabilities)
        digit = "none" if prediction.digit is None else str(prediction.digit)
        log.info(
            "prediction digit=%s confidence=%.3f ms=%.1f live=%d button_down=%d",
            digit,
            prediction.confidence,
            ms,
            int(is_live),
            int(self.pen.is_down),
        )

    # --- phase 3: draw ------------------------------------------------------------
    def draw(self) -> None:
        """Draw the whole window onto the display surface."""
        screen, layout = self.screen, self.layout
        self.backdrop.draw(screen, layout)
        draw_header(
            screen, layout, self.fonts, is_live=self.is_live, is_erasing=self.is_erasing, model=self.model_status
        )
        self.ink.configure(self.view, layout.pen_width_px / 2, self.show_grid)
        self.ink.sync(self.drawing)
        screen.blit(self.ink.surface, layout.canvas)
        draw_canvas_frame(screen, layout, self.fonts, is_empty=self.drawing.is_empty, is_drawing=self.pen.is_down)
        self._draw_pointer(screen, layout)
        self.panel.draw(screen, layout, self.fonts, self._panel_state())
        now = time.perf_counter()
        for rect, binding in zip(layout.buttons, BUTTON_BINDINGS, strict=False):
            draw_button(screen, rect, binding, self._button_look(binding.action, now), self.fonts, layout)
        if self.toast is not None:
            draw_toast(screen, layout, self.fonts, self.toast, now)
        if self.show_help:
            self.help.draw(screen, layout, self.fonts)
        self._update_cursor()

    def _panel_state(self) -> PanelState:
        shown = self.shown
        if self.model_status is ModelStatus.LOADING and (shown is None or shown.prediction.is_empty):
            prediction = None
        else:
            prediction = shown.prediction if shown is not None else None
        is_stale = shown is not None and shown.revision != self.revision and not self.is_live
        return PanelState(
            model=self.model_status,
            model_message=self.model_message,
            prediction=prediction,
            bars=tuple(self.bars),
            is_stale=is_stale,
            seconds=time.perf_counter() - self._started,
        )

    def _button_look(self, action: Action, now: float) -> ButtonLook:
        is_on = {
            Action.TOGGLE_LIVE: self.is_live,
            Action.TOGGLE_ERASER: self.is_erasing,
            Action.TOGGLE_GRID: self.show_grid,
            Action.TOGGLE_HELP: self.show_help,
        }.get(action, False)
        is_pressed = (self.pressed is not None and self.pressed[0] is action and self.pressed_inside) or (
            self.flash_until.get(action, 0.0) > now
        )
        return ButtonLook(
            is_hovered=self.hovered is action,
            is_pressed=is_pressed,
            is_on=is_on,
            is_primary=action is Action.PREDICT and not self.is_live,
        )

    def _draw_pointer(self, screen: pygame.Surface, layout: Layout) -> None:
        erasing = self.is_erasing or (self.pen.gesture is not None and self.pen.gesture.is_erasing)
        if erasing and self.pointer is not None and layout.canvas.collidepoint(self.pointer):
            draw_eraser_ring(screen, self.pointer, theme.ERASER_RADIUS_FRACTION * layout.canvas.width, layout.unit)

    def _update_cursor(self) -> None:
        if self.pointer is None:
            return
        if self.hovered is not None:
            cursor = pygame.SYSTEM_CURSOR_HAND
        elif self.layout.canvas.collidepoint(self.pointer):
            cursor = pygame.SYSTEM_CURSOR_CROSSHAIR
        else:
            cursor = pygame.SYSTEM_CURSOR_ARROW
        if cursor != self._cursor:
            self._cursor = cursor
            with contextlib.suppress(pygame.error):  # no system cursors when headless
                pygame.mouse.set_cursor(cursor)

    # --- screenshot and timing ----------------------------------------------------------
    def _take_screenshot(self) -> None:
        path = self.settings.screenshot
        assert path is not None
        self._capture = False
        self.running = False
        frame = self.screen.copy()
        writer = saving.picture_writer(*frame.get_size(), pygame.image.tobytes(frame, "RGB"), path.suffix)
        result = saving.save_picture(path, writer)
        if not result.is_saved:
            print(f"digitgame: cannot write the screenshot {path}: {result.problem}", file=sys.stderr)
            self.exit_code = 1
            return
        log.info("screenshot path=%s", _logfmt_quote(str(path)))

    def _ms_since_launch(self) -> float:
        origin = self.settings.launch_time if self.settings.launch_time is not None else _IMPORTED_AT
        return (time.time() - origin) * 1000


def _empty_prediction() -> Prediction:
    from digitgame.predictor import Prediction

    return Prediction.empty("nothing to recognise: the drawing is empty")


def _int_pos(pos: tuple[float, float]) -> tuple[int, int]:
    return int(pos[0]), int(pos[1])


def _logfmt_quote(text: str) -> str:
    """A logfmt value: quoted when it holds spaces, quotes or '='."""
    if text and not any(c in text for c in ' "=\\\n'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def configure_logging(verbose: bool) -> None:
    """``--verbose``: logfmt lines (the message alone) on stderr."""
    logger = logging.getLogger("digitgame")
    if verbose and not any(getattr(h, "_digitgame", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._digitgame = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def run_app(args: argparse.Namespace) -> int:
    """``python -m digitgame``: open the window and run until the person quits."""
    configure_logging(args.verbose)
    drawing = None
    if args.open is not None:
        try:
            drawing = load_drawing(args.open)
        except StrokeFileError as exc:
            print(f"digitgame: cannot open {exc}", file=sys.stderr)
            return 2
    if args.screenshot is not None and not display_available():
        os.environ["SDL_VIDEODRIVER"] = "dummy"  # a screenshot needs no screen
    settings = Settings.from_args(args)
    try:
        app = App(settings, drawing=drawing)
    except NoDisplayError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        return app.run()
    except KeyboardInterrupt:
        return 130
