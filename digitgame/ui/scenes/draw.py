"""The draw scene: draw on the canvas and watch the answer, its bars and the 28x28 input follow."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import pygame

from digitgame.atomic import write_atomically
from digitgame.drawing import Drawing
from digitgame.ui import theme
from digitgame.ui.actions import Action, Binding, Chord, action_for_key
from digitgame.ui.answer import AnswerView
from digitgame.ui.layout import Layout
from digitgame.ui.pointer import DRAW_BUTTON, MOUSE, Phase, PointerEvent
from digitgame.ui.scene import FocusLost, KeyPress, Scene, SceneEvent, Stage
from digitgame.ui.scenes.help import HelpScene
from digitgame.ui.session import RecognitionSession, Shown
from digitgame.ui.sketchpad import Sketchpad
from digitgame.ui.toolbar import ButtonState, Toolbar
from digitgame.ui.widgets import Backdrop, Chip, draw_header
from digitgame.ui.worker import RecognitionWorker
from digitgame.verdict import ModelStatus, Verdict, tell

log = logging.getLogger("digitgame.app")
K = pygame

DRAW_BINDINGS = (
    Binding(Action.CLEAR, (Chord(K.K_c), Chord(K.K_BACKSPACE)), "C / Backspace", "Clear", "clear the drawing", "C"),
    Binding(
        Action.UNDO,
        (Chord(K.K_z, ctrl=True),),
        "Ctrl+Z",
        "Undo",
        "undo the last stroke, erase or clear",
        "Ctrl+Z",
    ),
    Binding(Action.TOGGLE_ERASER, (Chord(K.K_e),), "E", "Eraser", "eraser on/off (or hold the right button)", "E"),
    Binding(Action.TOGGLE_GRID, (Chord(K.K_g),), "G", "Grid", "grid on/off", "G"),
    Binding(Action.TOGGLE_LIVE, (Chord(K.K_l),), "L", "Live", "live mode: recognise while you draw", "L"),
    Binding(
        Action.PREDICT,
        (Chord(K.K_RETURN), Chord(K.K_KP_ENTER), Chord(K.K_SPACE)),
        "Enter / Space",
        "Predict",
        "recognise now",
        "Enter",
    ),
    Binding(Action.SAVE, (Chord(K.K_s, ctrl=True),), "Ctrl+S", "Save", "save the drawing (.json) and a .png", "Ctrl+S"),
    Binding(Action.PRACTICE, (Chord(K.K_p),), "P", "Practice", "a practice round: draw the digits it asks for", "P"),
    Binding(Action.TOGGLE_HELP, (Chord(K.K_h), Chord(K.K_F1)), "H / F1", "Help", "this help", "H"),
    Binding(Action.QUIT, (Chord(K.K_ESCAPE),), "Esc", help="quit (closes this help first)"),
)


class DrawScene(Scene):
    """A Sketchpad, a recognition session over its drawing, the results panel and a toolbar."""

    bindings = DRAW_BINDINGS

    def __init__(
        self,
        stage: Stage,
        worker: RecognitionWorker,
        drawing: Drawing,
        *,
        save_dir: Path,
        profile_dir: Path | None = None,
        is_live: bool = True,
        show_grid: bool = True,
    ) -> None:
        self.stage = stage
        self.worker = worker
        self.profile_dir = profile_dir
        self.session = RecognitionSession(worker, is_live=is_live)
        self.sketchpad = Sketchpad(drawing, self.session.changed, show_grid=show_grid)
        self.toolbar = Toolbar(self.bindings)
        self.answer = AnswerView()
        self.backdrop = Backdrop()
        self.save_dir = save_dir
        self._started = self._now = time.perf_counter()
        self._actions: dict[Action, Callable[[], None]] = {
            Action.CLEAR: self.clear,
            Action.UNDO: self.undo,
            Action.TOGGLE_ERASER: self.toggle_eraser,
            Action.TOGGLE_GRID: self.toggle_grid,
            Action.TOGGLE_LIVE: self.toggle_live,
            Action.PREDICT: self.predict,
            Action.SAVE: self.save,
            Action.TOGGLE_HELP: self.show_help,
            Action.PRACTICE: self.practice,
            Action.QUIT: stage.quit,
        }

    def place(self, layout: Layout) -> None:
        self.sketchpad.place(layout)
        self.toolbar.place(layout)
        self.answer.place(layout)

    @property
    def drawing(self) -> Drawing:
        return self.sketchpad.drawing

    # --- input ------------------------------------------------------------------------------
    def handle(self, event: SceneEvent) -> None:
        if isinstance(event, KeyPress):
            action = action_for_key(self.bindings, event.key, event.mod)
            if action is not None:
                self.toolbar.flash(action, time.perf_counter())
                self.perform(action)
        elif isinstance(event, FocusLost):
            self.sketchpad.cancel()
            self.toolbar.cancel()
        else:
            self._pointer(event)

    def _pointer(self, event: PointerEvent) -> None:
        if event.source == MOUSE:
            self.toolbar.hover(event.pos if event.phase is not Phase.LEAVE else None)
            self.sketchpad.pointer = event.pos if event.phase is not Phase.LEAVE else None
        if not self.sketchpad.is_drawing and self.answer.pointer(event):
            return  # a tap on one digit of the number: it is explained now
        if event.phase is Phase.DOWN:
            if self.sketchpad.is_drawing or self.toolbar.is_pressed:
                return  # one pointer at a time: a second finger does not draw
            if self.toolbar.at(event.pos) is not None:
                if event.button == DRAW_BUTTON:
                    self.toolbar.press(event.pos, event.source)
            elif self.sketchpad.contains(event.pos):
                self.sketchpad.down(event.source, event.pos, event.button)
        elif event.phase is Phase.MOVE:
            self.toolbar.drag(event.pos, event.source)
            self.sketchpad.move(event.source, event.pos)
        elif event.phase is Phase.UP:
            action = self.toolbar.release(event.pos, event.source)
            if action is not None:
                self.perform(action)
            self.sketchpad.up(event.source, event.pos)

    # --- actions: a key and its button both come here -------------------------------------------
    def perform(self, action: Action) -> None:
        log.info("action name=%s", action.value)
        self._actions[action]()

    def clear(self) -> None:
        self.sketchpad.clear()

    def undo(self) -> None:
        if not self.sketchpad.undo():
            self.stage.notify("Nothing to undo.")

    def toggle_eraser(self) -> None:
        self.sketchpad.is_erasing = not self.sketchpad.is_erasing

    def toggle_grid(self) -> None:
        self.sketchpad.show_grid = not self.sketchpad.show_grid

    def toggle_live(self) -> None:
        self.session.toggle_live()
        self.stage.notify(
            "Live mode: the answer follows your pen."
            if self.session.is_live
            else "Live mode off: press Enter or Predict to recognise."
        )

    def predict(self) -> None:
        self.session.request()
        if self.session.model is ModelStatus.FAILED:
            self.stage.notify(f"No model: {self.session.worker.message}", is_error=True)

    def show_help(self) -> None:
        self.stage.push(HelpScene(self.stage))

    def practice(self) -> None:
        """Start a practice round over this scene; the drawing here waits untouched."""
        from digitgame.ui.scenes.practice import PracticeScene  # its code loads when first asked for, not at start

        self.sketchpad.cancel()
        canvas = (self.drawing.width, self.drawing.height)
        self.stage.push(PracticeScene(self.stage, self.worker, canvas, folder=self.profile_dir, teach=None))

    def save(self) -> None:
        """Write the drawing (.json) and a picture of it (.png) into the save folder; say where or why not."""
        if self.drawing.is_empty:
            self.stage.notify("Nothing to save yet: draw a digit first.")
            return
        folder = self.save_dir
        try:
            folder.mkdir(parents=True, exist_ok=True)
            stem = free_stem(folder, "digit-" + time.strftime("%Y%m%d-%H%M%S"))
            self.drawing.save(folder / f"{stem}.json")
            picture = self.sketchpad.clean_copy()
            write_atomically(folder / f"{stem}.png", lambda tmp: pygame.image.save(picture, str(tmp)))
        except (OSError, pygame.error) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.stage.notify(f"Could not save in {folder}: {reason}. Your drawing is still here.", is_error=True)
            return
        self.stage.notify(f"Saved {stem}.json and .png in {folder}")

    # --- update ------------------------------------------------------------------------------------
    def update(self, now: float, dt: float) -> None:
        self._now = now
        for shown in self.session.update(self.drawing):
            self._log(shown)
        self.answer.show(self.session.shown.reading if self.session.shown is not None else None)
        self.answer.step(dt)

    def _log(self, shown: Shown) -> None:
        single = shown.reading.single
        pen = int(self.sketchpad.is_drawing)
        if single is None:  # several digits: the least confident one speaks for the number
            lowest = min(d.prediction.confidence for d in shown.reading.digits)
            text = f"number={shown.reading.number} confidence={lowest:.3f}"
        else:
            text = f"digit={'none' if single.digit is None else single.digit} confidence={single.confidence:.3f}"
        log.info("prediction %s ms=%.1f live=%d button_down=%d", text, shown.ms, int(shown.is_live), pen)

    def is_idle(self) -> bool:
        return (
            not self.sketchpad.is_drawing
            and self.toolbar.is_idle(time.perf_counter())
            and self.answer.is_still
            and self.session.is_idle()
        )

    def is_settled(self) -> bool:
        return self.session.is_settled(self.drawing)

    def settle(self) -> None:
        self.answer.settle()

    # --- draw --------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, layout: Layout) -> None:
        fonts = self.stage.fonts
        self.backdrop.draw(surface, layout)
        draw_header(surface, layout, fonts, "draw a digit, or a whole number", self._chips())
        is_current = self.session.shown is not None and self.session.shown.revision == self.session.revision
        self.sketchpad.draw(surface, layout, fonts, self.answer.boxes(is_current))
        self.answer.draw(surface, layout, fonts, self.verdict(), time.perf_counter() - self._started)
        self.toolbar.draw(surface, layout, fonts, self._button_state, time.perf_counter())

    def _chips(self) -> list[Chip]:
        chips: list[Chip] = []
        if self.sketchpad.is_erasing:
            chips.append(("ERASER", theme.UNSURE))
        chips.append(("LIVE", theme.LIVE) if self.session.is_live else ("ON DEMAND", theme.TEXT_MUTED))
        if self.session.model is ModelStatus.LOADING:
            chips.append(("LOADING MODEL", theme.TEXT_MUTED))
        elif self.session.model is ModelStatus.FAILED:
            chips.append(("NO MODEL", theme.ERROR))
        return chips

    def verdict(self) -> Verdict:
        """What the panel tells the person now."""
        session = self.session
        reading = session.shown.reading if session.shown is not None else None
        return tell(reading, session.model, model_message=session.worker.message, is_stale=session.is_stale)

    def _button_state(self, action: Action) -> ButtonState:
        if action is Action.TOGGLE_LIVE:
            return ButtonState(is_on=self.session.is_live, is_toggle=True, on_colour=theme.LIVE)
        if action is Action.TOGGLE_ERASER:
            return ButtonState(is_on=self.sketchpad.is_erasing, is_toggle=True)
        if action is Action.TOGGLE_GRID:
            return ButtonState(is_on=self.sketchpad.show_grid, is_toggle=True)
        if action is Action.PREDICT:
            return ButtonState(is_primary=not self.session.is_live)
        if action is Action.TOGGLE_HELP:
            return ButtonState(is_on=isinstance(self.stage.top, HelpScene))
        return ButtonState()

    def close(self) -> None:
        self.session.close()

    def cursor(self, pos: tuple[int, int]) -> int:
        if self.toolbar.hovered is not None:
            return pygame.SYSTEM_CURSOR_HAND
        if self.sketchpad.contains(pos):
            return pygame.SYSTEM_CURSOR_CROSSHAIR
        return pygame.SYSTEM_CURSOR_ARROW


def free_stem(folder: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3``... so that two saves in one second do not overwrite each other."""
    taken = {p.name for p in folder.iterdir() if p.name.startswith(stem)}  # one look at the folder
    candidate, n = stem, 1
    while f"{candidate}.json" in taken or f"{candidate}.png" in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate

