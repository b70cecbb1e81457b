"""The answer side of a scene: the results panel, its gliding bars, and which digit of a number it explains.

A single digit explains itself.  For a number, the digit under the pointer (or the last one
tapped) is explained; untouched, the first unsure digit, else the last one written.
"""

from __future__ import annotations

import pygame

from digitgame.live import verdict
from digitgame.live.verdict import Tone, Verdict
from digitgame.recognition.reading import Prediction, Reading
from digitgame.ui import theme
from digitgame.ui.layout import Layout
from digitgame.ui.number_row import default_selection, tile_at
from digitgame.ui.panel import NUM_DIGITS, Bars, PanelState, ResultsPanel
from digitgame.ui.pointer import Phase, PointerEvent
from digitgame.ui.sketchpad import CanvasBox
from digitgame.ui.theme import Fonts


class AnswerView:
    """Shows a Reading with its Verdict; knows which digit is explained and where the tiles are."""

    def __init__(self) -> None:
        self.panel = ResultsPanel()
        self.bars = Bars()
        self._layout: Layout | None = None
        self._reading: Reading | None = None
        self._hovered: int | None = None
        self._picked: int | None = None

    def place(self, layout: Layout) -> None:
        self._layout = layout

    # --- which digit ----------------------------------------------------------------------
    def show(self, reading: Reading | None) -> None:
        """The reading on screen now; a new count of digits forgets the person's pick."""
        old = self._reading
        if reading is None or old is None or len(reading.digits) != len(old.digits):
            self._picked = self._hovered = None
        self._reading = reading
        chosen = self.selected_prediction()
        self.bars.aim(chosen.shown if chosen is not None else (0.0,) * NUM_DIGITS)

    def selected(self) -> int:
        reading = self._reading
        if reading is None or len(reading.digits) < 2:
            return 0
        for choice in (self._hovered, self._picked):
            if choice is not None and choice < len(reading.digits):
                return choice
        return default_selection(reading)

    def selected_prediction(self) -> Prediction | None:
        """The digit the bars and the 28x28 view explain (None: nothing read)."""
        reading = self._reading
        if reading is None or reading.is_empty:
            return None
        return reading.digits[self.selected()].prediction

    def pointer(self, event: PointerEvent) -> bool:
        """Hover and taps on a number's tiles; True when the event was a tap on one (so it draws nothing)."""
        reading, layout = self._reading, self._layout
        if reading is None or not reading.is_number or layout is None or event.phase is Phase.LEAVE:
            self._hovered = None
            return False
        tile = tile_at(layout, len(reading.digits), event.pos)
        if event.phase is Phase.MOVE and event.is_hover:
            self._hovered = tile
        if event.phase is Phase.DOWN and tile is not None:
            self._picked = tile
            return True
        return False

    def bar_at(self, pos: tuple[int, int]) -> int | None:
        """The digit whose bar row is under ``pos``, while there is an answer to correct."""
        layout = self._layout
        if layout is None or self.selected_prediction() is None:
            return None
        bars = layout.inner.bars
        if not bars.collidepoint(pos) or layout.inner.row_height <= 0:
            return None
        row = (pos[1] - bars.top) // layout.inner.row_height
        return int(row) if 0 <= row < NUM_DIGITS else None

    # --- the canvas side: how the ink was split ------------------------------------------------------
    def boxes(self, is_current: bool) -> list[CanvasBox]:
        """Faint boxes around each digit's ink, when how the ink was split is worth seeing."""
        reading = self._reading
        if not is_current or reading is None or reading.is_empty:
            return []
        if not reading.is_number and (reading.is_confident or reading.is_not_a_digit):
            return []  # one sure answer: a box would only be noise
        chosen = self.selected()
        out: list[CanvasBox] = []
        for i, d in enumerate(reading.digits):
            colour = theme.mix(theme.GUIDE, theme.ACCENT, 0.6) if i == chosen and reading.is_number else theme.GUIDE
            out.append((d.box, colour, verdict.mark(d)))
        return out

    # --- frames ------------------------------------------------------------------------------------------
    def step(self, dt: float) -> None:
        self.bars.step(dt)

    @property
    def is_still(self) -> bool:
        return self.bars.is_still

    def settle(self) -> None:
        self.bars.settle()

    def draw(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, told: Verdict, seconds: float) -> None:
        single = self.selected_prediction() if told.has_answer or told.tone is Tone.NOT_A_DIGIT else None
        state = PanelState(told, single, tuple(self.bars.values), seconds, self._reading, self.selected())
        self.panel.draw(surface, layout, fonts, state)
