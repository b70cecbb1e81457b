"""The shell: the one pygame loop -- input, update, draw, then one flip -- over a stack of scenes.

It owns what is common to every mode: the window and full screen, idle sleeping, the layout,
the toast line, the cursor, the model's status in the log, and ``--screenshot``.  Everything a
person does inside a mode is the top scene's business.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pygame

from digitgame.files import saving
from digitgame.live.verdict import ModelStatus
from digitgame.live.worker import RecognitionWorker
from digitgame.ui import theme
from digitgame.ui.actions import Action, Binding, Chord, Keys, action_for_key
from digitgame.ui.layout import Layout, compute_layout
from digitgame.ui.pointer import PointerTracker
from digitgame.ui.scene import FocusLost, KeyPress, Scene, SceneEvent
from digitgame.ui.theme import Fonts
from digitgame.ui.widgets import Toast, draw_toast
from digitgame.ui.window import Window

log = logging.getLogger("digitgame.app")

FRAME_RATE_HZ = 60
IDLE_WAKE_MS = 250  # when nothing moves, the loop sleeps until input arrives, or this long at most
GIL_SWITCH_S = 0.001  # the frame loop waits at most this long for the GIL while the worker computes
SCREENSHOT_TIMEOUT_S = 60.0  # --screenshot saves whatever is shown after this long
_IMPORTED_AT = time.time()  # fallback origin for first_frame/model_ready when the launcher gave none

SHELL_BINDINGS = (Binding(Action.TOGGLE_FULLSCREEN, Keys.of("F11", Chord(pygame.K_F11)), help="full screen on/off"),)


class Shell:
    """Owns the loop and the scene stack; scenes reach it as their ``Stage``."""

    def __init__(
        self,
        window: Window,
        worker: RecognitionWorker,
        *,
        screenshot: Path | None = None,
        launch_time: float | None = None,
    ) -> None:
        self.window = window
        self.worker = worker
        self.fonts = Fonts()
        self.scenes: list[Scene] = []
        self.running = True
        self.exit_code = 0
        self.frames = 0
        self.toast: Toast | None = None
        self.layout = self._new_layout(window.size)
        self._screenshot = Screenshot(screenshot) if screenshot is not None else None
        self._launch_time = launch_time if launch_time is not None else _IMPORTED_AT
        self._tracker = PointerTracker()
        self._model_seen = ModelStatus.LOADING
        self._cursor: int | None = None
        self._pointer: tuple[int, int] | None = None
        self._last_tick = time.perf_counter()
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(GIL_SWITCH_S)

    # --- the Stage that scenes see ------------------------------------------------------
    def push(self, scene: Scene) -> None:
        self.scenes.append(scene)
        scene.place(self.layout)

    def remove(self, scene: Scene) -> None:
        if scene in self.scenes:
            self.scenes.remove(scene)
            scene.close()
        if not self.scenes:
            self.running = False

    def quit(self) -> None:
        self.running = False

    def notify(self, text: str, *, is_error: bool = False) -> None:
        now = time.perf_counter()
        self.toast = Toast(text, is_error, now, now + (theme.TOAST_ERROR_S if is_error else theme.TOAST_S))
        log.info("message error=%d text=%s", int(is_error), logfmt_quote(text))

    def withdraw(self, text: str) -> None:
        if self.toast is None or text not in self.toast.text:
            return
        rest = "  ".join(part for part in (p.strip() for p in self.toast.text.split(text)) if part)
        self.toast = replace(self.toast, text=rest) if rest else None

    def bindings_below(self, scene: Scene) -> tuple[Binding, ...]:
        index = self.scenes.index(scene) if scene in self.scenes else len(self.scenes)
        below = self.scenes[index - 1].bindings if index > 0 else ()
        # The way out (Esc) is listed last, after the shell's own keys.
        exits = tuple(b for b in below if b.action is Action.QUIT)
        return (*(b for b in below if b.action is not Action.QUIT), *SHELL_BINDINGS, *exits)

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    # --- the loop ---------------------------------------------------------------------
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
        return (
            self.worker.status is not ModelStatus.LOADING
            and self.toast is None
            and self._screenshot is None  # a screenshot run never sleeps: it ends as soon as all is settled
            and all(scene.is_idle() for scene in self.scenes)
        )

    def step(self, events: Iterable[pygame.event.Event] | None = None) -> None:
        """One frame: handle input, update, draw, then flip."""
        for event in pygame.event.get() if events is None else events:
            self.handle(event)
        self.update()
        shot = self._screenshot
        if shot is not None and not shot.is_due(self.scenes):
            shot = None
        self.draw()
        if shot is not None:  # --screenshot: this frame is the one, and the last
            self.exit_code, self.running = shot.save(self.window.surface), False
        pygame.display.flip()
        self.frames += 1
        if self.frames == 1:
            log.info("first_frame ms=%.1f", self._ms_since_launch())
            self.worker.begin()  # the window first, then the model

    def close(self) -> None:
        """Close every scene, stop the worker and close the window."""
        for scene in reversed(self.scenes):
            scene.close()
        self.worker.stop()
        sys.setswitchinterval(self._switch_interval)
        self.window.close()

    # --- phase 1: input -------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        """Window events are the shell's; keys and pointers go to the top scene."""
        kind = event.type
        if kind == pygame.QUIT:
            self.running = False
        elif kind == pygame.VIDEORESIZE:
            self._resized(tuple(event.size))
        elif kind in (pygame.WINDOWSIZECHANGED, pygame.WINDOWRESIZED):
            self._resized((event.x, event.y))
        elif kind == pygame.WINDOWFOCUSLOST:
            self._tracker.forget()
            self._send(FocusLost())
        elif kind == pygame.KEYDOWN:
            self._key(event.key, getattr(event, "mod", 0))
        for pointer in self._tracker.translate(event, self.window.size):
            self._pointer = pointer.pos if pointer.source == "mouse" and pointer.pos[0] >= 0 else self._pointer
            self._send(pointer)

    def _key(self, key: int, mod: int) -> None:
        if action_for_key(SHELL_BINDINGS, key, mod) is Action.TOGGLE_FULLSCREEN:
            self.toggle_fullscreen()
        else:
            self._send(KeyPress(key, mod))

    def _send(self, event: SceneEvent) -> None:
        if self.top is not None:
            self.top.handle(event)

    def toggle_fullscreen(self) -> None:
        """Switch between full screen and a window (F11)."""
        self._send(FocusLost())  # a drag does not survive the switch
        problem = self.window.toggle_fullscreen()
        if problem is not None:
            self.notify(f"Could not switch full screen: {problem}", is_error=True)
        self._resized(self.window.size)

    def _resized(self, size: tuple[int, int]) -> None:
        """Follow a new window size at once, so the events after it land where the person sees things."""
        self.window.resized(size)
        if self.window.size != self.layout.size:
            self.layout = self._new_layout(self.window.size)
            for scene in self.scenes:
                scene.place(self.layout)

    # --- phase 2: update --------------------------------------------------------------------
    def update(self) -> None:
        now = time.perf_counter()
        dt = min(0.25, max(0.0, now - self._last_tick))
        self._last_tick = now
        self._resized(self.window.sync().get_size())
        self._watch_model()
        for scene in list(self.scenes):
            scene.update(now, dt)
        if self.toast is not None and now > self.toast.expires_at:
            self.toast = None

    @staticmethod
    def _new_layout(size: tuple[int, int]) -> Layout:
        layout = compute_layout(*size)
        c = layout.canvas
        log.info("drawing_area x=%d y=%d w=%d h=%d", c.x, c.y, c.width, c.height)
        return layout

    def _watch_model(self) -> None:
        status = self.worker.status
        if status is self._model_seen:
            return
        self._model_seen = status
        if status is ModelStatus.READY:
            log.info("model_ready ms=%.1f backend=%s", self._ms_since_launch(), self.worker.backend)
        elif status is ModelStatus.FAILED:
            log.info("model_failed message=%s", logfmt_quote(self.worker.message))

    # --- phase 3: draw ------------------------------------------------------------------------
    def draw(self) -> None:
        surface, layout = self.window.surface, self.layout
        opaque = max((i for i, s in enumerate(self.scenes) if s.is_opaque), default=0)
        for scene in self.scenes[opaque:]:
            scene.draw(surface, layout)
        if self.toast is not None:
            draw_toast(surface, layout, self.fonts, self.toast, time.perf_counter())
        if self._pointer is not None and self.top is not None:
            cursor = self.top.cursor(self._pointer)
            if cursor != self._cursor:
                self._cursor = cursor
                self.window.set_cursor(cursor)

    def _ms_since_launch(self) -> float:
        return (time.time() - self._launch_time) * 1000


class Screenshot:
    """``--screenshot``: the first frame on which every scene is settled (or the one after a timeout) is saved."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._started = time.perf_counter()

    def is_due(self, scenes: list[Scene]) -> bool:
        """True when the frame about to be drawn is the one to save; its scenes' animations are ended for it."""
        timed_out = time.perf_counter() - self._started > SCREENSHOT_TIMEOUT_S
        if not (timed_out or all(scene.is_settled() for scene in scenes)):
            return False
        for scene in scenes:
            scene.settle()
        return True

    def save(self, surface: pygame.Surface) -> int:
        """Write the frame on ``surface``; the exit status (1 when it could not be written, said on stderr)."""
        frame = surface.copy()
        writer = saving.picture_writer(*frame.get_size(), pygame.image.tobytes(frame, "RGB"), self.path.suffix)
        result = saving.save_picture(self.path, writer)
        if not result.is_saved:
            print(f"digitgame: cannot write the screenshot {self.path}: {result.problem}", file=sys.stderr)
            return 1
        log.info("screenshot path=%s", logfmt_quote(str(self.path)))
        return 0


def logfmt_quote(text: str) -> str:
    """A logfmt value: quoted when it holds spaces, quotes or '='."""
    if text and not any(c in text for c in ' "=\\\n'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
