"""The taught view: every drawing the person taught, as thumbnails by digit, each removable.

Opened from the draw scene (T, or the Taught button), closed with Esc or T.  Click a thumbnail to
choose it (or move with the arrow keys); its × or Delete / Backspace removes it.  A removal goes
the way a teach goes (``Corrections`` -> ``Teacher``): the worker reads with the new profile at
once and the keeper writes it atomically; a write that fails is told by the draw scene beneath.
"""

from __future__ import annotations

import logging
import time

import pygame

from digitgame.live import taught_words as words
from digitgame.live.corrections import Corrections
from digitgame.teaching.taught import Profile
from digitgame.ui import theme
from digitgame.ui.actions import Action, Binding, Chord, Keys, action_for_key
from digitgame.ui.layout import Layout
from digitgame.ui.pointer import DRAW_BUTTON, MOUSE, Phase, PointerEvent
from digitgame.ui.scene import FocusLost, KeyPress, Scene, SceneEvent, Stage
from digitgame.ui.taught_view import Sheet, Thumbnails, badge_rect, draw_rows, sheet
from digitgame.ui.toolbar import ButtonState, Toolbar
from digitgame.ui.widgets import draw_header

log = logging.getLogger("digitgame.app")

TAUGHT_KEYS = Keys.of("T", Chord(pygame.K_t))  # opens the view from the draw scene, and closes it
TAUGHT_BINDINGS = (
    Binding(
        Action.REMOVE,
        Keys.of("Delete / Backspace", Chord(pygame.K_DELETE), Chord(pygame.K_BACKSPACE)),
        label="Remove",
        help="remove the chosen drawing",
        hint="Del",
    ),
    Binding(
        Action.LEAVE,
        Keys.of("Esc / T", Chord(pygame.K_ESCAPE), Chord(pygame.K_t)),
        label="Back",
        help="back to drawing",
        hint="Esc",
    ),
)
ARROWS = {pygame.K_LEFT: (0, -1), pygame.K_RIGHT: (0, 1), pygame.K_UP: (-1, 0), pygame.K_DOWN: (1, 0)}


class TaughtScene(Scene):
    """The taught examples of ``corrections.teacher``; the chosen one is an index into its profile."""

    bindings = TAUGHT_BINDINGS

    def __init__(self, stage: Stage, corrections: Corrections) -> None:
        self.stage = stage
        self.corrections = corrections
        self.toolbar = Toolbar(self.bindings)
        self.chosen: int | None = None
        self.hovered: int | None = None
        self.thumbnails = Thumbnails()
        self._layout: Layout | None = None

    @property
    def profile(self) -> Profile:
        return self.corrections.teacher.profile or Profile()

    def sheet(self) -> Sheet | None:
        return sheet(self._layout, self.profile, self.chosen) if self._layout is not None else None

    def place(self, layout: Layout) -> None:
        self._layout = layout
        self.toolbar.place(layout)

    # --- input ---------------------------------------------------------------------------------
    def handle(self, event: SceneEvent) -> None:
        if isinstance(event, KeyPress):
            self.key(event)
        elif isinstance(event, FocusLost):
            self.toolbar.cancel()
        else:
            self.pointer(event)

    def key(self, event: KeyPress) -> None:
        if event.key in ARROWS and not event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META | pygame.KMOD_ALT):
            self.move(*ARROWS[event.key])
            return
        action = action_for_key(self.bindings, event.key, event.mod)
        if action is not None:
            self.toolbar.flash(action, time.perf_counter())
            self.perform(action)

    def pointer(self, event: PointerEvent) -> None:
        grid = self.sheet()
        if event.source == MOUSE:
            self.toolbar.hover(None if event.phase is Phase.LEAVE else event.pos)
            cell = grid.cell_at(event.pos) if grid is not None and event.phase is not Phase.LEAVE else None
            self.hovered = cell.index if cell is not None and not cell.more else None
        if event.phase is Phase.DOWN and event.button == DRAW_BUTTON:
            if not self.toolbar.press(event.pos, event.source) and grid is not None:
                self.click(grid, event.pos)
        elif event.phase is Phase.MOVE:
            self.toolbar.drag(event.pos, event.source)
        elif event.phase is Phase.UP and (action := self.toolbar.release(event.pos, event.source)) is not None:
            self.perform(action)

    def click(self, grid: Sheet, pos: tuple[int, int]) -> None:
        """A press on a thumbnail chooses it; on the × of the chosen or hovered one, removes it."""
        for index in (self.chosen, self.hovered):
            cell = grid.cell_of(index) if index is not None else None
            if cell is not None and badge_rect(cell.rect).collidepoint(pos):
                self.chosen = index
                self.remove()
                return
        cell = grid.cell_at(pos)
        if cell is not None:
            self.chosen = cell.index

    def move(self, rows: int, steps: int) -> None:
        """Arrow keys: the next example in the row, or the nearest in the next row that has any."""
        examples = self.profile.examples
        if not examples:
            return
        by_digit = [[i for i, e in enumerate(examples) if e.digit == d] for d in range(10)]
        if self.chosen is None or not 0 <= self.chosen < len(examples):
            self.chosen = next(row[-1] for row in by_digit if row)
            return
        digit = examples[self.chosen].digit
        place = by_digit[digit].index(self.chosen)
        if steps:
            self.chosen = by_digit[digit][max(0, min(len(by_digit[digit]) - 1, place + steps))]
            return
        for d in range(digit + rows, -1 if rows < 0 else 10, rows):
            if by_digit[d]:
                self.chosen = by_digit[d][min(place, len(by_digit[d]) - 1)]
                return

    # --- actions -------------------------------------------------------------------------------
    def perform(self, action: Action) -> None:
        log.info("action name=%s", action.value)
        if action is Action.REMOVE:
            self.remove()
        elif action is Action.LEAVE:
            self.stage.remove(self)

    def remove(self) -> None:
        """Remove the chosen example; the choice moves to its neighbour in the same row."""
        profile, index = self.profile, self.chosen
        if index is None or not 0 <= index < len(profile):
            self.stage.notify("Choose a drawing first: click it, or use the arrow keys.")
            return
        digit = profile.examples[index].digit
        same = [i for i, e in enumerate(profile.examples) if e.digit == digit]
        if not self.corrections.remove(index):
            return
        place = same.index(index)
        rest = [i if i < index else i - 1 for i in same if i != index]  # indices shift down past the removed one
        self.chosen = rest[min(place, len(rest) - 1)] if rest else None
        self.hovered = None

    # --- drawing --------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, layout: Layout) -> None:
        fonts = self.stage.fonts
        surface.fill(theme.BACKGROUND)
        teacher = self.corrections.teacher
        draw_header(surface, layout, fonts, words.TAUGHT_SUBTITLE, [(f"TAUGHT {teacher.count}", theme.ACCENT)])
        grid = sheet(layout, self.profile, self.chosen)
        pygame.draw.rect(surface, theme.CARD, grid.card, border_radius=layout.radius)
        pygame.draw.rect(surface, theme.CARD_BORDER, grid.card, width=1, border_radius=layout.radius)
        left = grid.card.left + round(layout.text_px * 0.8)
        title = f"{words.examples_text(teacher.count).capitalize()} taught" if teacher.count else words.NOTHING_TAUGHT
        surface.blit(fonts.render(title, layout.text_px, theme.TEXT), (left, grid.title_y))
        if not teacher.is_ready or not teacher.count:
            self._draw_empty(surface, layout, grid)
        else:
            self.thumbnails.keep_only(self.profile.examples)
            draw_rows(surface, layout, fonts, (grid, self.profile, self.thumbnails), (self.chosen, self.hovered))
            hint = fonts.fit(words.TAUGHT_HINT, layout.small_px, grid.card.width - 2 * (left - grid.card.left))
            line = fonts.render(hint, layout.small_px, theme.TEXT_FAINT)
            surface.blit(line, line.get_rect(midleft=(left, grid.hint_y)))
        self.toolbar.draw(surface, layout, fonts, self._button_state, time.perf_counter())

    def _draw_empty(self, surface: pygame.Surface, layout: Layout, grid: Sheet) -> None:
        fonts = self.stage.fonts
        text = words.HOW_TO_TEACH if self.corrections.teacher.is_ready else words.NOT_READY
        lines = fonts.wrap(text, layout.text_px, grid.card.width - 4 * layout.text_px)
        y = grid.card.centery - len(lines) * fonts.font(layout.text_px).get_linesize() // 2
        for line in lines:
            rendered = fonts.render(line, layout.text_px, theme.TEXT_MUTED)
            surface.blit(rendered, rendered.get_rect(midtop=(grid.card.centerx, y)))
            y += fonts.font(layout.text_px).get_linesize()

    def _button_state(self, action: Action) -> ButtonState:
        return ButtonState(is_primary=action is Action.REMOVE and self.chosen is not None)

    def cursor(self, pos: tuple[int, int]) -> int:
        grid = self.sheet()
        over = self.toolbar.at(pos) is not None or (grid is not None and grid.cell_at(pos) is not None)
        return pygame.SYSTEM_CURSOR_HAND if over else pygame.SYSTEM_CURSOR_ARROW

    def is_idle(self) -> bool:
        return self.toolbar.is_idle(time.perf_counter())
