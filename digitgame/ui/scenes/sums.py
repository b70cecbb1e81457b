"""The sums game's scene: choose a level, answer ten sums in your own handwriting, see the round's end.

The answer is judged when the pen has rested with the reading for the current ink on screen, or at
once with Enter (digitgame.live.sums_play has the rest times).  A wrong or write-again verdict that
came on rest is taken back when the pen comes down on the answer soon after it: the writer was not
done (a pause inside a 4), so the ink stays and the stroke goes on.  While a verdict shows, a
digit key or a click on a bar corrects the selected digit exactly as in drawing mode: it teaches,
and a wrong answer corrected to the right one counts as right (digitgame.live.sums has the rules).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

import pygame

from digitgame.live.corrections import Corrections
from digitgame.live.drawing import Drawing
from digitgame.live.session import RecognitionSession
from digitgame.live.sums import (
    LEVELS,
    Answer,
    Outcome,
    SumsRound,
    keep_best,
    load_bests,
    result_line,
)
from digitgame.live.sums_play import RoundPlay
from digitgame.live.verdict import Verdict
from digitgame.live.worker import RecognitionWorker
from digitgame.ui import theme
from digitgame.ui.actions import (
    DIGIT_KEYS,
    Action,
    Binding,
    action_for_key,
)
from digitgame.ui.answer import AnswerView
from digitgame.ui.layout import Layout
from digitgame.ui.pointer import Phase, PointerEvent
from digitgame.ui.scene import KeyPress, Stage
from digitgame.ui.scenes.help import HelpScene
from digitgame.ui.scenes.sketching import SketchingScene
from digitgame.ui.scenes.sums_keys import BINDINGS, seed_from_environment
from digitgame.ui.sketchpad import Sketchpad
from digitgame.ui.sums_view import (
    RoundOver,
    SumCard,
    draw_answers,
    draw_how_to,
    draw_levels,
    draw_round_over,
    draw_sum_card,
    level_at,
    split_canvas,
)
from digitgame.ui.toolbar import ButtonState, Toolbar
from digitgame.ui.widgets import Backdrop, draw_header

log = logging.getLogger("digitgame.app")


class SumsScene(SketchingScene):
    """Level choice, then rounds of sums until the person goes back to drawing."""

    def __init__(
        self, stage: Stage, worker: RecognitionWorker, corrections: Corrections, *, folder: Path | None
    ) -> None:
        self.stage = stage
        self.worker = worker
        self.folder = folder
        self.session = RecognitionSession(worker)
        self.session.profile = corrections.teacher.profile
        self.corrections = Corrections(corrections.teacher, self.session, stage.notify)
        self._taught_here: Callable[[], None] = corrections.follow  # the drawing scene reads with what is taught
        self.sketchpad = Sketchpad(Drawing(1, 1), self._changed, show_grid=True)
        self.sketchpad.hint = "write the answer here"
        self.answer = AnswerView()
        self.backdrop = Backdrop()
        self._toolbars = {phase: Toolbar(bindings) for phase, bindings in BINDINGS.items()}
        self._layout: Layout | None = None
        self._card = pygame.Rect(0, 0, 1, 1)  # the sum's card, over the writing area
        self._paper: Layout | None = None  # the layout whose canvas is the writing area, under the sum's card
        self._hovered_level: int | None = None
        self.phase = "choose"
        self.level = LEVELS[0]
        self.play = RoundPlay(SumsRound(self.level, seed_from_environment()))
        self.over: RoundOver | None = None
        self.bests, problem = load_bests(folder)
        if problem:
            stage.notify(problem, is_error=True)
        self.actions: dict[Action, Callable[[], object]] = {
            Action.DONE: self.done,
            Action.CLEAR: self.clear,
            Action.UNDO: self.undo,
            Action.SUMS: lambda: self.start(self.level),
            Action.LEVELS: self.choose,
            Action.TOGGLE_HELP: lambda: stage.push(HelpScene(stage)),
            Action.LEAVE: lambda: stage.remove(self),
        }

    @property
    def round(self) -> SumsRound:
        """The round being played (or the last one)."""
        return self.play.round

    @property
    def feedback(self) -> Answer | None:
        """The verdict on screen (None: writing, or not in a round)."""
        return self.play.feedback

    # --- phases ------------------------------------------------------------------------------------
    def choose(self) -> None:
        self.phase = "choose"

    def start(self, level: str) -> None:
        """A new round of ``level``."""
        self.level, self.phase, self.over = level, "round", None
        self.play = RoundPlay(SumsRound(level, seed_from_environment()))
        self._new_sheet()
        log.info(self.round.prompt_line())

    def _new_sheet(self) -> None:
        """A clean writing area (a new sum, or write it again)."""
        paper = self._paper.canvas if self._paper is not None else pygame.Rect(0, 0, 1, 1)
        self.sketchpad.replace(Drawing(paper.width, paper.height))
        self.play.edited(time.perf_counter())

    def _finish(self) -> None:
        done = self.round
        is_new, problem = keep_best(self.bests, self.folder, done.level, done.score, done.seconds)
        if problem:
            self.stage.notify(problem, is_error=True)
        best = self.bests.get(done.level)
        kept = self.folder is not None and not problem
        self.over = RoundOver(done.level, done.score, done.seconds, done.best_streak, best, is_new, kept)
        self.phase = "over"
        log.info(done.done_line(best))

    # --- input ---------------------------------------------------------------------------------------
    @property
    def bindings(self) -> tuple[Binding, ...]:  # type: ignore[override]
        return BINDINGS[self.phase]

    @property
    def toolbar(self) -> Toolbar:
        return self._toolbars[self.phase]

    def key(self, event: KeyPress) -> None:
        action = action_for_key(self.bindings, event.key, event.mod)
        if action is Action.PICK_LEVEL:
            self.start(LEVELS[DIGIT_KEYS[event.key] - 1])
        elif action is Action.TEACH:
            self.teach(DIGIT_KEYS[event.key])
        else:
            super().key(event)

    def take(self, event: PointerEvent) -> bool:
        """A level card (choosing), a number's tile or a bar (a verdict on screen: corrects it)."""
        if self.phase == "choose":
            card = self._level_at(event.pos)
            self._hovered_level = card
            if event.phase is Phase.DOWN and card is not None:
                self.start(LEVELS[card])
                return True
            return False
        if self.phase != "round" or self.answer.pointer(event):
            return self.phase == "round"
        now, is_down = time.perf_counter(), event.phase is Phase.DOWN
        if is_down and self.sketchpad.contains(event.pos) and self.play.may_write_on(now):
            log.info(result_line(self.play.write_on(now), "taken-back"))  # it came too soon: the stroke goes on
            return False
        bar = self.answer.bar_at(event.pos) if is_down else None
        if bar is not None:
            self.teach(bar)
        return bar is not None

    def _level_at(self, pos: tuple[int, int]) -> int | None:
        return level_at(self._layout, pos) if self._layout is not None else None

    def may_draw(self) -> bool:
        return self.phase == "round" and self.feedback is None

    def cursor(self, pos: tuple[int, int]) -> int:
        if self.phase == "choose" and self._level_at(pos) is not None:
            return pygame.SYSTEM_CURSOR_HAND
        return (
            super().cursor(pos) if self.may_draw() or self.toolbar.hovered is not None else pygame.SYSTEM_CURSOR_ARROW
        )

    # --- actions ---------------------------------------------------------------------------------------
    def done(self) -> None:
        """Judge the answer as soon as its reading is current; after a verdict, go on at once."""
        if self.feedback is not None:
            self._after_verdict(time.perf_counter())
        elif self.sketchpad.drawing.is_empty:
            self.stage.notify("Write the answer under the sum first.")
        else:
            self.play.judge_now = True
            self.session.request()

    def clear(self) -> None:
        if self.may_draw():
            self.sketchpad.clear()

    def undo(self) -> None:
        if self.play.can_undo and self.corrections.can_undo(self.sketchpad.drawing):
            self.corrections.undo()  # untaught, and the verdict as it was before the correction
            self._taught_here()
            log.info(result_line(self.play.undo(time.perf_counter()), "correction"))
        elif self.feedback is not None:
            self.stage.notify("This answer is judged: press Enter for the next sum.")
        elif not self.sketchpad.undo():
            self.stage.notify("Nothing to undo.")

    def teach(self, digit: int) -> None:
        """Correct the selected digit of the answer on screen to ``digit``: teach it, and judge again."""
        answer = self.feedback
        if self.phase != "round" or answer is None:
            self.stage.notify("Write the answer first: once it is read, a digit key corrects a misread digit.")
            return
        log.info("action name=teach digit=%d", digit)
        index = self.answer.selected()
        if not self.corrections.teach(digit, index, self.sketchpad.drawing):
            return
        self._taught_here()
        shown = self.session.shown
        corrected = self.play.correct(digit, index, shown.reading if shown is not None else None, time.perf_counter())
        log.info(result_line(corrected, "correction"))

    # --- frames ------------------------------------------------------------------------------------------
    def place(self, layout: Layout) -> None:
        self._layout = layout
        self._card, self._paper = split_canvas(layout)  # once per window size, not per frame
        self.sketchpad.place(self._paper)
        self.answer.place(layout)
        for toolbar in self._toolbars.values():
            toolbar.place(layout)

    def _changed(self) -> None:
        self.session.changed()
        self.play.edited(time.perf_counter())

    def update(self, now: float, dt: float) -> None:
        if self.session.profile is not self.corrections.teacher.profile:
            self.session.profile = self.corrections.teacher.profile  # the model (and what is taught) loaded
        self.session.update(self.sketchpad.drawing)
        shown = self.session.shown
        self.answer.show(shown.reading if shown is not None else None)
        self.answer.step(dt)
        if self.phase != "round":
            return
        if self.play.is_held(now, is_covered=self.stage.top is not self):  # help over the round: it waits
            return
        if self.play.is_ready(shown, self.session.revision, self.sketchpad.is_drawing, self.sketchpad.drawing, now):
            assert shown is not None
            answer = self.play.judge(shown.reading, now)
            log.info(result_line(answer))
        elif self.feedback is not None and now >= self.play.feedback_until:
            self._after_verdict(now)

    def _after_verdict(self, now: float) -> None:
        """The verdict has been seen: the next sum, the same one again, or the round's end."""
        answer = self.play.move_on()
        if self.round.is_over:
            self._finish()
            return
        self._new_sheet()
        if answer is not None and answer.outcome is not Outcome.AGAIN:  # a new sum (a rewrite's clock runs on)
            self.round.show_next()
            log.info(self.round.prompt_line())

    def is_idle(self) -> bool:
        if self.phase == "round" and (self.feedback is not None or not self.sketchpad.drawing.is_empty):
            return False
        still = self.answer.is_still and not self.sketchpad.is_drawing and self.toolbar.is_idle(time.perf_counter())
        return still and self.session.is_idle()

    def draw(self, surface: pygame.Surface, layout: Layout) -> None:
        fonts = self.stage.fonts
        paper = self._paper or layout  # placed before the first frame
        self.backdrop.draw(surface, paper if self.phase == "round" else layout)
        draw_header(surface, layout, fonts, "write the answers", [("SUMS", theme.LIVE)])
        if self.phase == "choose":
            surface.fill(theme.BACKGROUND, layout.canvas.inflate(2, 2))
            draw_levels(surface, layout.canvas, layout, fonts, self.bests, self._hovered_level)
            draw_how_to(surface, layout, fonts)
        elif self.phase == "over" and self.over is not None:
            surface.fill(theme.BACKGROUND, layout.canvas.inflate(2, 2))
            draw_answers(surface, layout.canvas, layout, fonts, self.round.answers)
            draw_round_over(surface, layout, fonts, self.over)
        else:
            self._draw_round(surface, layout, self._card, paper)
        self.toolbar.draw(surface, layout, fonts, lambda action: ButtonState(), time.perf_counter())

    def _draw_round(self, surface: pygame.Surface, layout: Layout, card: pygame.Rect, paper: Layout) -> None:
        fonts = self.stage.fonts
        is_current = self.session.shown is not None and self.session.shown.revision == self.session.revision
        self.sketchpad.draw(surface, paper, fonts, self.answer.boxes(is_current))
        now = time.perf_counter()
        seconds = self.round.seconds if self.round.is_over else now - self.round.started
        state = SumCard.of(self.play, seconds, now)
        draw_sum_card(surface, card, layout, fonts, state)
        self.answer.draw(surface, layout, fonts, self.verdict(), seconds)

    def verdict(self) -> Verdict:
        return self.session.verdict(asking="write the answer")

    def close(self) -> None:
        self.session.close()
