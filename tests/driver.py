"""A small test driver: the app as a person uses it -- pointer and keys in; drawing, answer, pixels and log out.

Tests talk to the app only through this class, so the app's insides can change without
rewriting them.  Events are hand-built pygame events, as SDL would deliver them.
"""

from __future__ import annotations

import collections
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

import numpy as np
import pygame

from digitgame.app import App, Settings
from digitgame.live.drawing import Drawing
from digitgame.live.session import Shown
from digitgame.live.verdict import ModelStatus, Verdict
from digitgame.recognition.reading import Prediction, Reading
from digitgame.ui import theme
from digitgame.ui.actions import Action
from digitgame.ui.layout import Layout
from digitgame.ui.scenes.help import HelpScene

Fraction = tuple[float, float]


class LogRecorder(logging.Handler):
    """Keeps the app's log lines (the ``--verbose`` logfmt lines) for a test to read."""

    def __init__(self, keep: int = 2000) -> None:
        super().__init__(logging.INFO)
        self.lines: collections.deque[str] = collections.deque(maxlen=keep)  # the newest lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def mouse(
    kind: int, pos: tuple[int, int], button: int = 1, held: bool = True, touch: bool = False
) -> pygame.event.Event:
    """A mouse event; for motion, ``held`` says whether ``button`` is down."""
    if kind == pygame.MOUSEMOTION:
        buttons = (1 if held and button == 1 else 0, 0, 1 if held and button == 3 else 0)
        return pygame.event.Event(kind, pos=pos, rel=(0, 0), buttons=buttons, touch=touch)
    return pygame.event.Event(kind, pos=pos, button=button, touch=touch)


def line(a: Fraction, b: Fraction, n: int = 24) -> list[Fraction]:
    """``n + 1`` points from ``a`` to ``b``."""
    return [(a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n) for i in range(n + 1)]


class Driver:
    """One running app (headless), stepped frame by frame."""

    alive: ClassVar[list[Driver]] = []  # drivers not closed yet; the logger is restored when the last one closes
    _saved: tuple[int, bool] = (logging.NOTSET, True)

    def __init__(self, settings: Settings, predictor: object = None, drawing: Drawing | None = None) -> None:
        self.log = LogRecorder()
        logger = logging.getLogger("digitgame")
        if not Driver.alive:
            Driver._saved = (logger.level, logger.propagate)
        Driver.alive.append(self)
        logger.addHandler(self.log)
        # INFO lines go to the recorders only: passed on to pytest's capture they would pile up
        # (the monkey test logs tens of thousands) and look like the app's memory growing.
        logger.setLevel(logging.INFO)
        logger.propagate = False
        self.app = App(settings, predictor, drawing)  # type: ignore[arg-type]
        self.shell = self.app.shell
        self.scene = self.app.scene

    def close(self) -> None:
        """Close the app (its scenes, worker thread and window) and give the logger back; once only."""
        if self not in Driver.alive:
            return
        logger = logging.getLogger("digitgame")
        logger.removeHandler(self.log)
        Driver.alive.remove(self)
        if not Driver.alive:
            logger.level, logger.propagate = Driver._saved
        self.app.close()

    # --- what a person sees ------------------------------------------------------------------
    @property
    def screen(self) -> pygame.Surface:
        return self.shell.window.surface

    @property
    def layout(self) -> Layout:
        return self.shell.layout

    @property
    def drawing(self) -> Drawing:
        return self.scene.drawing

    @property
    def shown(self) -> Shown | None:
        return self.scene.session.shown

    @property
    def revision(self) -> int:
        """Bumps with every change of the ink."""
        return self.scene.session.revision

    @property
    def reading(self) -> Reading | None:
        return self.shown.reading if self.shown is not None else None

    @property
    def prediction(self) -> Prediction | None:
        """The single digit shown (an empty Prediction when there is none, None before any answer)."""
        return self.reading.single if self.reading is not None else None

    @property
    def model(self) -> ModelStatus:
        return self.shell.worker.status

    @property
    def running(self) -> bool:
        return self.shell.running

    @property
    def actions(self) -> list[str]:
        """The actions performed so far, by key or by button, as logged (``action name=clear``)."""
        return [ln.removeprefix("action name=") for ln in self.log.lines if ln.startswith("action name=")]

    @property
    def toast(self) -> tuple[str, bool] | None:
        """The message on screen and whether it is an error."""
        t = self.shell.toast
        return (t.text, t.is_error) if t is not None else None

    @property
    def verdict(self) -> Verdict:
        """What the panel tells the person right now."""
        return self.scene.verdict()

    @property
    def bars(self) -> tuple[list[float], list[float]]:
        """The ten bars' lengths now, and the lengths they are gliding to."""
        return self.scene.answer.bars.values, self.scene.answer.bars.targets

    @property
    def model_message(self) -> str:
        return self.shell.worker.message

    @property
    def is_fullscreen(self) -> bool:
        return self.shell.window.is_fullscreen

    @property
    def taught_count(self) -> int:
        """How many drawings the person has taught (as the header's TAUGHT chip says)."""
        return self.scene.corrections.teacher.count

    @property
    def is_live(self) -> bool:
        return self.scene.session.is_live

    @property
    def show_grid(self) -> bool:
        return self.scene.sketchpad.show_grid

    @property
    def is_help_shown(self) -> bool:
        return isinstance(self.shell.top, HelpScene)

    @property
    def is_drawing(self) -> bool:
        """The pen is down on the canvas."""
        return self.scene.sketchpad.is_drawing

    @property
    def is_busy(self) -> bool:
        """The model is reading the drawing right now."""
        return self.scene.session.is_busy

    @property
    def is_behind(self) -> bool:
        """The drawing changed since it was last handed to the model."""
        return self.scene.session.submitted != self.scene.session.revision

    def ink_pixels(self) -> int:
        """How many pixels of the drawing area are ink-coloured on screen."""
        c = self.layout.canvas
        area = pygame.surfarray.pixels3d(self.screen)[c.left : c.right, c.top : c.bottom]
        return int(np.count_nonzero(np.abs(area.astype(int) - np.array(theme.INK)).sum(axis=2) < 30))

    def at(self, fx: float, fy: float) -> tuple[int, int]:
        """Window pixel at a fraction of the drawing area."""
        c = self.layout.canvas
        return int(c.x + fx * c.width), int(c.y + fy * c.height)

    def to_window(self, point: tuple[float, float]) -> tuple[float, float]:
        """Where a drawing point is on screen."""
        return self.scene.sketchpad.view.to_window(point)

    def to_canvas(self, pos: tuple[int, int]) -> tuple[float, float]:
        return self.scene.sketchpad.view.to_canvas(pos)

    def button_pos(self, action: Action) -> tuple[int, int]:
        return self.scene.toolbar.rect(action).center

    def button_rect(self, action: Action) -> pygame.Rect:
        return self.scene.toolbar.rect(action)

    # --- what a person does --------------------------------------------------------------------
    def step(self, events: Iterable[pygame.event.Event] | None = None) -> None:
        self.shell.step([] if events is None else events)

    def run_frames(self, n: int) -> None:
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
        return self.run_until(lambda: self.model is not ModelStatus.LOADING, timeout)

    def wait_for_reading(self, timeout: float = 30.0) -> bool:
        """Step frames until the answer on screen belongs to the current drawing."""
        return self.run_until(self.scene.is_settled, timeout)

    def is_idle(self) -> bool:
        return self.shell.is_idle()

    def run(self) -> int:
        """The real loop, with its idle sleeping, until the app quits."""
        return self.shell.run()

    def drag(self, fractions: Sequence[Fraction], button: int = 1, release: bool = True) -> None:
        """Press at the first point, move through the rest one frame each, and release."""
        points = [self.at(*f) for f in fractions]
        self.step([mouse(pygame.MOUSEBUTTONDOWN, points[0], button)])
        for p in points[1:]:
            self.step([mouse(pygame.MOUSEMOTION, p, button)])
        if release:
            self.step([mouse(pygame.MOUSEBUTTONUP, points[-1], button)])

    def key(self, k: int, mod: int = 0) -> None:
        self.step([pygame.event.Event(pygame.KEYDOWN, key=k, mod=mod, unicode="", scancode=0)])

    def click(self, pos: tuple[int, int]) -> None:
        self.step([mouse(pygame.MOUSEMOTION, pos, held=False), mouse(pygame.MOUSEBUTTONDOWN, pos)])
        self.step([mouse(pygame.MOUSEBUTTONUP, pos)])

    def press_button(self, action: Action) -> None:
        self.click(self.button_pos(action))

    def draw_drawing(self, drawing: Drawing, box: tuple[float, float, float, float] = (0.2, 0.15, 0.6, 0.7)) -> None:
        """Draw ``drawing``'s strokes, fitted into ``box`` (fractions of the drawing area: x, y, w, h)."""
        points = [p for s in drawing.strokes for p in s]
        x0, y0 = min(p[0] for p in points), min(p[1] for p in points)
        extent = max(max(p[0] for p in points) - x0, max(p[1] for p in points) - y0, 1e-9)
        c = self.layout.canvas
        scale = min(box[2] * c.width, box[3] * c.height) / extent
        for stroke in drawing.strokes:
            pts = [
                ((box[0] * c.width + (x - x0) * scale) / c.width, (box[1] * c.height + (y - y0) * scale) / c.height)
                for x, y in stroke
            ]
            self.drag(pts if len(pts) > 1 else pts * 2)

    def logged(self, prefix: str) -> list[str]:
        """The log lines that start with ``prefix``, oldest first."""
        return [ln for ln in self.log.lines if ln.startswith(prefix)]
