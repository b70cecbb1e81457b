"""The practice round scene: the app asks for each digit once, judges each drawing at once, then shows the score.

A drawing is judged when the pen has been up for SETTLE_S with the answer for the current ink on
screen (so a 4 in two strokes is not judged after its first), or at once with Enter.  Each
judgement shows for a moment, then the next prompt starts on a clean canvas.  At the end one key
teaches the round's drawings, labelled by what was asked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pygame

from digitgame.live.drawing import Drawing
from digitgame.live.hidden import OutOfSight
from digitgame.live.practice import Attempt, Best, PracticeRound, load_best, save_best
from digitgame.live.session import RecognitionSession
from digitgame.live.worker import RecognitionWorker
from digitgame.ui import theme
from digitgame.ui.actions import (
    CLEAR_KEYS,
    ENTER_KEYS,
    ESCAPE_KEYS,
    PRACTICE_KEYS,
    UNDO_KEYS,
    Action,
    Binding,
    Chord,
    Keys,
)
from digitgame.ui.layout import Layout
from digitgame.ui.practice_view import draw_attempts, draw_prompt, draw_summary
from digitgame.ui.scene import Stage
from digitgame.ui.scenes.help import HelpScene
from digitgame.ui.scenes.sketching import HELP_BINDING, SketchingScene
from digitgame.ui.sketchpad import Sketchpad
from digitgame.ui.toolbar import ButtonState, Toolbar
from digitgame.ui.widgets import Backdrop, draw_header

log = logging.getLogger("digitgame.app")

SETTLE_S = 0.8  # the pen up this long, with the answer current: the drawing is finished
RIGHT_FEEDBACK_S = 0.7  # how long "read as 3" stays before the next prompt
WRONG_FEEDBACK_S = 1.5  # a miss stays longer, so it can be seen

TEACH_KEYS = Keys.of("T", Chord(pygame.K_t))
LEAVE = Binding(Action.LEAVE, ESCAPE_KEYS, label="Back", help="back to drawing", hint="Esc")
ROUND_BINDINGS = (
    Binding(Action.DONE, ENTER_KEYS, label="Done", help="judge this drawing now", hint="Enter"),
    Binding(Action.CLEAR, CLEAR_KEYS, label="Clear", help="start this one again", hint="C"),
    Binding(Action.UNDO, UNDO_KEYS, label="Undo", help="undo the last stroke", hint="Ctrl+Z"),
    HELP_BINDING,
    LEAVE,
)
SUMMARY_BINDINGS = (
    Binding(Action.TEACH_ROUND, TEACH_KEYS, label="Teach", help="teach it this round's drawings", hint="T"),
    Binding(Action.PRACTICE, PRACTICE_KEYS, label="Again", help="play another round", hint="P"),
    HELP_BINDING,
    LEAVE,
)

TeachRound = Callable[[Sequence[Attempt]], str]  # teaches the drawings; returns what to tell the person


class PracticeScene(SketchingScene):
    """One practice round after another, until the person goes back to drawing."""

    def __init__(
        self,
        stage: Stage,
        worker: RecognitionWorker,
        canvas: tuple[float, float],
        *,
        folder: Path | None,
        teach: TeachRound | None,
        start: PracticeRound | None = None,
    ) -> None:
        self.stage = stage
        self.canvas = canvas
        self.folder = folder
        self._teach = teach
        self.session = RecognitionSession(worker)
        self.sketchpad = Sketchpad(Drawing(*canvas), self._changed, show_grid=True)
        self.backdrop = Backdrop()
        self._toolbars = {False: Toolbar(ROUND_BINDINGS), True: Toolbar(SUMMARY_BINDINGS)}
        self._layout: Layout | None = None
        self._sight = OutOfSight()
        self.actions: dict[Action, Callable[[], object]] = {
            Action.DONE: self.done,
            Action.CLEAR: self.sketchpad.clear,
            Action.UNDO: self.sketchpad.undo,
            Action.TEACH_ROUND: self.teach,
            Action.PRACTICE: self.again,
            Action.TOGGLE_HELP: lambda: stage.push(HelpScene(stage)),
            Action.LEAVE: lambda: stage.remove(self),
        }
        self._begin(start or PracticeRound())

    # --- the round ----------------------------------------------------------------------------
    def _begin(self, practice: PracticeRound) -> None:
        self.round = practice
        self.best, problem = load_best(self.folder)
        if problem:
            self.stage.notify(problem, is_error=True)
        self.is_new_best = self.is_taught = False
        self.feedback: Attempt | None = None
        self._feedback_until = 0.0
        self._judge_now = False
        self._next_prompt()

    def _next_prompt(self) -> None:
        self.feedback = None
        if self._layout is not None:
            self.canvas = (self._layout.canvas.width, self._layout.canvas.height)
        self.sketchpad.replace(Drawing(*self.canvas))
        self._last_edit = time.perf_counter()
        if self.round.prompt is not None:
            log.info("practice prompt=%d round=%d of=%d", self.round.prompt, self.round.number, len(self.round.prompts))

    def _changed(self) -> None:
        self.session.changed()
        self._last_edit = time.perf_counter()

    def _ready_to_judge(self, now: float) -> bool:
        shown = self.session.shown
        return (
            self.feedback is None
            and not self.round.is_over
            and not self.sketchpad.is_drawing
            and not self.sketchpad.drawing.is_empty
            and shown is not None
            and shown.revision == self.session.revision
            and (self._judge_now or now - self._last_edit >= SETTLE_S)
        )

    def _judge(self, now: float) -> None:
        shown = self.session.shown
        assert shown is not None
        drawing = self.sketchpad.drawing
        attempt = self.round.judge(shown.reading, drawing.snapshot(), (drawing.width, drawing.height))
        self._judge_now = False
        self.feedback = attempt
        self._feedback_until = now + (RIGHT_FEEDBACK_S if attempt.is_correct else WRONG_FEEDBACK_S)
        read = attempt.read if attempt.read is not None else "none"
        log.info(
            "practice result prompt=%d read=%s correct=%d ms=%d", attempt.prompt, read, attempt.is_correct, attempt.ms
        )
        if self.round.is_over:
            self.sketchpad.replace(Drawing(*self.canvas))  # the drawings are shown small, all together
            self._finish()

    def _finish(self) -> None:
        score, seconds = self.round.score, self.round.seconds
        if self.folder is not None and (self.best is None or self.best.beaten_by(score, seconds)):
            self.is_new_best = True
            self.best = Best(score, seconds)
            try:
                save_best(self.folder, self.best)
            except OSError as exc:
                self.stage.notify(f"Could not keep the personal best: {exc.strerror or exc}", is_error=True)
        best = self.best.score if self.best is not None else score
        log.info("practice done score=%d of=%d seconds=%.1f best=%d", score, len(self.round.prompts), seconds, best)

    # --- actions ------------------------------------------------------------------------------
    @property
    def bindings(self) -> tuple[Binding, ...]:  # type: ignore[override]
        return SUMMARY_BINDINGS if self.round.is_over else ROUND_BINDINGS

    @property
    def toolbar(self) -> Toolbar:
        return self._toolbars[self.round.is_over]

    def done(self) -> None:
        """Judge the drawing as soon as its answer is current (or, after a judgement, go on at once)."""
        if self.feedback is not None and not self.round.is_over:
            self._next_prompt()
            return
        if self.sketchpad.drawing.is_empty:
            self.stage.notify(f"Draw a {self.round.prompt} first.")
            return
        self._judge_now = True
        self.session.request()

    def teach(self) -> None:
        if self.is_taught or self._teach is None:
            self.stage.notify("Already taught." if self.is_taught else "No profile: start without --no-profile.")
            return
        self.stage.notify(self._teach(self.round.to_teach()))
        self.is_taught = True

    def again(self) -> None:
        self._begin(PracticeRound())

    # --- input: keys and the pointer go to the toolbar and the canvas (SketchingScene) -----------------
    def place(self, layout: Layout) -> None:
        self._layout = layout
        self.sketchpad.place(layout)
        for toolbar in self._toolbars.values():
            toolbar.place(layout)

    def may_draw(self) -> bool:
        return self.feedback is None and not self.round.is_over

    # --- frames ----------------------------------------------------------------------------------
    def update(self, now: float, dt: float) -> None:
        hidden = self._sight.hidden_for(now, is_covered=self.stage.top is not self)  # help over the round
        if hidden is None:
            return  # it waits: nothing judged, the clocks stand still
        if hidden:
            self._last_edit += hidden
            self._feedback_until += hidden
            self.round.started += hidden
            self.round.prompt_shown += hidden
        if self.sketchpad.is_drawing:  # the rest starts when the pen lifts, however long it was held still
            self._last_edit = now
        self.session.update(self.sketchpad.drawing)
        if self._ready_to_judge(now):
            self._judge(now)
        elif self.feedback is not None and not self.round.is_over and now >= self._feedback_until:
            self._next_prompt()

    def is_idle(self) -> bool:
        waiting = not self.sketchpad.drawing.is_empty and self.feedback is None and not self.round.is_over
        showing = self.feedback is not None and not self.round.is_over
        return (
            not waiting
            and not showing
            and not self.sketchpad.is_drawing
            and self.toolbar.is_idle(time.perf_counter())
            and self.session.is_idle()
        )

    def draw(self, surface: pygame.Surface, layout: Layout) -> None:
        fonts = self.stage.fonts
        self.backdrop.draw(surface, layout)
        chips = [("PRACTICE", theme.LIVE)]
        draw_header(surface, layout, fonts, "draw each digit when asked", chips)
        self.sketchpad.hint = "" if self.round.is_over else f"draw a {self.round.prompt} here"
        self.sketchpad.draw(surface, layout, fonts)
        practice = self.round
        if practice.is_over:
            draw_attempts(surface, layout, fonts, practice.attempts)
            draw_summary(
                surface,
                layout,
                fonts,
                score=practice.score,
                total=len(practice.prompts),
                seconds=practice.seconds,
                best=self.best,
                is_new_best=self.is_new_best,
                taught=self.is_taught,
            )
        else:
            prompt = practice.prompt
            assert prompt is not None
            draw_prompt(
                surface,
                layout,
                fonts,
                prompt=prompt if self.feedback is None else self.feedback.prompt,
                number=practice.number if self.feedback is None else len(practice.attempts),
                total=len(practice.prompts),
                attempts=practice.attempts,
                seconds=time.perf_counter() - practice.started,
                feedback=self.feedback,
            )
        self.toolbar.draw(surface, layout, fonts, lambda action: ButtonState(), time.perf_counter())

    def close(self) -> None:
        self.session.close()
