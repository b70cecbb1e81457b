"""The draw scene: draw on the canvas and watch the answer, its bars and the 28x28 input follow."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pygame

from digitgame.files import saving
from digitgame.live import keeping, verdict
from digitgame.live.corrections import Corrections
from digitgame.live.drawing import Drawing
from digitgame.live.keeping import Keeping
from digitgame.live.session import RecognitionSession, Shown
from digitgame.live.teacher import Teacher
from digitgame.live.verdict import ModelStatus, Verdict
from digitgame.live.worker import RecognitionWorker
from digitgame.ui import theme
from digitgame.ui.actions import (
    CLEAR_KEYS,
    DIGIT_KEYS,
    DIGITS,
    ENTER_KEYS,
    ESCAPE_KEYS,
    PRACTICE_KEYS,
    SUMS_KEYS,
    UNDO_KEYS,
    Action,
    Binding,
    Chord,
    Keys,
    action_for_key,
)
from digitgame.ui.answer import AnswerView
from digitgame.ui.layout import Layout
from digitgame.ui.pointer import Phase, PointerEvent
from digitgame.ui.scene import KeyPress, Stage
from digitgame.ui.scenes.confirm import ConfirmScene
from digitgame.ui.scenes.help import HelpScene
from digitgame.ui.scenes.sketching import HELP_BINDING, SketchingScene
from digitgame.ui.scenes.taught import TAUGHT_KEYS, TaughtScene
from digitgame.ui.sketchpad import Sketchpad
from digitgame.ui.toolbar import ButtonState, Toolbar
from digitgame.ui.widgets import Backdrop, Chip, draw_header

log = logging.getLogger("digitgame.app")

DRAW_BINDINGS = (
    Binding(Action.CLEAR, CLEAR_KEYS, label="Clear", help="clear the drawing", hint="C"),
    Binding(Action.UNDO, UNDO_KEYS, label="Undo", help="undo the last stroke, erase or clear", hint="Ctrl+Z"),
    Binding(
        Action.TOGGLE_ERASER,
        Keys.of("E", Chord(pygame.K_e)),
        label="Eraser",
        help="eraser on/off (or hold the right button)",
        hint="E",
    ),
    Binding(Action.TOGGLE_GRID, Keys.of("G", Chord(pygame.K_g)), label="Grid", help="grid on/off", hint="G"),
    Binding(
        Action.TOGGLE_LIVE,
        Keys.of("L", Chord(pygame.K_l)),
        label="Live",
        help="live mode: recognise while you draw",
        hint="L",
    ),
    Binding(Action.PREDICT, ENTER_KEYS, label="Predict", help="recognise now", hint="Enter"),
    Binding(
        Action.SAVE,
        Keys.of("Ctrl+S", Chord(pygame.K_s, ctrl=True)),
        label="Save",
        help="save the drawing (.json) and a .png",
        hint="Ctrl+S",
    ),
    Binding(
        Action.PRACTICE, PRACTICE_KEYS, label="Practice", help="a practice round: draw the digits it asks for", hint="P"
    ),
    Binding(Action.SUMS, SUMS_KEYS, label="Sums", help="the sums game: write the answers", hint="M"),
    Binding(Action.TAUGHT, TAUGHT_KEYS, label="Taught", help="see what was taught, and remove a drawing", hint="T"),
    Binding(
        Action.TEACH,
        DIGITS,
        help="teach it: the digit on screen is this one (or click its bar)",
    ),
    Binding(Action.FORGET, Keys.of("F", Chord(pygame.K_f)), help="forget everything taught (asks first)"),
    HELP_BINDING,
    Binding(Action.QUIT, ESCAPE_KEYS, help="quit (closes this help first)"),
)


class DrawScene(SketchingScene):
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
        keeping: Keeping | None = None,
    ) -> None:
        self.stage = stage
        self.keeping = keeping  # keeps the drawing and the settings for the next start (None: nothing kept)
        self.worker = worker
        self.profile_dir = profile_dir
        self.session = RecognitionSession(worker, is_live=is_live)
        self.corrections = Corrections(Teacher(profile_dir), self.session, stage.notify)
        self.sketchpad = Sketchpad(drawing, self.session.changed, show_grid=show_grid)
        self._toolbar = Toolbar(self.bindings)
        self.answer = AnswerView()
        self.backdrop = Backdrop()
        self.save_dir = save_dir
        self._started = time.perf_counter()
        self.actions: dict[Action, Callable[[], object]] = {
            Action.CLEAR: self.clear,
            Action.UNDO: self.undo,
            Action.TOGGLE_ERASER: self.toggle_eraser,
            Action.TOGGLE_GRID: self.toggle_grid,
            Action.TOGGLE_LIVE: self.toggle_live,
            Action.PREDICT: self.predict,
            Action.SAVE: self.save,
            Action.TOGGLE_HELP: self.show_help,
            Action.PRACTICE: self.practice,
            Action.SUMS: self.sums,
            Action.FORGET: self.forget,
            Action.TAUGHT: lambda: stage.push(TaughtScene(stage, self.corrections)),
            Action.QUIT: stage.quit,
        }

    def place(self, layout: Layout) -> None:
        super().place(layout)
        self.answer.place(layout)

    @property
    def toolbar(self) -> Toolbar:
        return self._toolbar

    @property
    def drawing(self) -> Drawing:
        return self.sketchpad.drawing

    # --- input: keys and the pointer go to the toolbar and the canvas (SketchingScene) -----------------
    def key(self, event: KeyPress) -> None:
        if action_for_key(self.bindings, event.key, event.mod) is Action.TEACH:
            self.teach(DIGIT_KEYS[event.key])
        else:
            super().key(event)

    def take(self, event: PointerEvent) -> bool:
        """Taps on the panel: a digit of a number (explain it), or a digit's bar (teach it)."""
        if self.answer.pointer(event):
            return True
        bar = self.answer.bar_at(event.pos) if event.phase is Phase.DOWN else None
        if bar is not None:
            self.teach(bar)  # "it is this one"
        return bar is not None

    # --- actions: a key and its button both come here -------------------------------------------
    def clear(self) -> None:
        self.sketchpad.clear()
        self.stage.withdraw(keeping.RESTORED)  # "Your last drawing is back. Press C ..." no longer holds

    def undo(self) -> None:
        if self.corrections.can_undo(self.drawing):
            self.corrections.undo()
        elif not self.sketchpad.undo():
            self.stage.notify("Nothing to undo.")

    def teach(self, digit: int) -> None:
        """The digit on screen (the chosen one of a number) is ``digit``: keep it as a taught example."""
        log.info("action name=teach digit=%d", digit)
        self.corrections.teach(digit, self.answer.selected(), self.drawing)

    def forget(self) -> None:
        count = self.corrections.teacher.count
        if count == 0:
            self.stage.notify("Nothing is taught yet: press a digit key while a drawing is shown to teach it.")
            return
        question = f"Forget {'the 1 taught drawing' if count == 1 else f'all {count} taught drawings'}?"
        detail = "The taught drawings are removed; the app reads as the network alone again. This cannot be undone."
        self.stage.push(ConfirmScene(self.stage, question, detail, self.corrections.forget))

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
        from digitgame.live.practice import Attempt
        from digitgame.ui.scenes.practice import PracticeScene  # its code loads when first asked for, not at start

        self.sketchpad.cancel()
        canvas = (self.drawing.width, self.drawing.height)

        def teach(attempts: Sequence[Attempt]) -> str:
            drawn = [(a.image, a.prompt, a.strokes, a.canvas) for a in attempts if a.image is not None]
            return self.corrections.teach_many(drawn)

        self.stage.push(PracticeScene(self.stage, self.worker, canvas, folder=self.profile_dir, teach=teach))

    def sums(self) -> None:
        """Start the sums game over this scene; the drawing here waits untouched."""
        from digitgame.ui.scenes.sums import SumsScene  # its code loads when first asked for, not at start

        self.sketchpad.cancel()
        self.stage.push(SumsScene(self.stage, self.worker, self.corrections, folder=self.profile_dir))

    def save(self) -> None:
        """Write the drawing (.json) and a picture of it (.png) into the save folder; say where or why not."""
        if self.drawing.is_empty:
            self.stage.notify("Nothing to save yet: draw a digit first.")
            return
        picture = self.sketchpad.clean_copy()
        writer = saving.picture_writer(*picture.get_size(), pygame.image.tobytes(picture, "RGB"))
        result = saving.save_drawing(self.drawing.to_file(), self.save_dir, writer)
        self.stage.notify(result.message, is_error=not result.is_saved)

    # --- update ------------------------------------------------------------------------------------
    def update(self, now: float, dt: float) -> None:
        self.corrections.sync(self.worker)
        for shown in self.session.update(self.drawing):
            self._log(shown)
        self.answer.show(self.session.shown.reading if self.session.shown is not None else None)
        self.answer.step(dt)
        if self.keeping is not None:
            live, grid, pen_down = self.session.is_live, self.sketchpad.show_grid, self.sketchpad.is_drawing
            self.keeping.update(self.drawing, self.session.revision, is_pen_down=pen_down, is_live=live, show_grid=grid)
            if news := self.keeping.news():
                self.stage.notify(news, is_error=True)

    def _log(self, shown: Shown) -> None:
        single = shown.reading.single
        pen = int(self.sketchpad.is_drawing)
        if single is None:  # several digits: the least confident one speaks for the number
            lowest = min(d.prediction.confidence for d in shown.reading.digits)
            text = f"number={shown.reading.number or verdict.number_text(shown.reading)} confidence={lowest:.3f}"
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
        if self.corrections.teacher.count:
            chips.append((f"TAUGHT {self.corrections.teacher.count}", theme.ACCENT))
        return chips

    def verdict(self) -> Verdict:
        """What the panel tells the person now."""
        return self.session.verdict()

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
        self.corrections.teacher.close()
        if self.keeping is not None:
            self.keeping.close(self.drawing, self.session.revision)
