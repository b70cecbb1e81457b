"""The taught view's pictures: where each row and thumbnail goes, and how they are drawn.

Ten rows, 0 to 9, each with its digit, its count and its examples as thumbnails of the 28x28
image each was taught as (white ink on black, as the panel's "model input" shows it), oldest on
the left.  A row with more examples than fit shows a window of them, with "+N" cells for the
ones out of sight; the chosen example is always in view.  Only geometry and pixels here: the
scene (``scenes/taught``) owns the choice and the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pygame

from digitgame.recognition.model import INPUT_SIDE_PX, NUM_CLASSES
from digitgame.teaching.taught import Example, Profile
from digitgame.ui import theme
from digitgame.ui.layout import Layout
from digitgame.ui.panel import preview_surface
from digitgame.ui.theme import Fonts

MORE = -1  # a cell that stands for examples out of sight, not for one example


@dataclass(frozen=True)
class Cell:
    """One thumbnail (``index`` into ``profile.examples``), or a "+N" cell whose click shows ``index``."""

    index: int
    rect: pygame.Rect
    more: int = 0  # > 0: a "+N" cell standing for this many examples out of sight


@dataclass(frozen=True)
class Row:
    digit: int
    rect: pygame.Rect  # the whole row
    label: pygame.Rect  # the digit and its count
    count: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Sheet:
    """Where everything of the taught view goes in one window size."""

    card: pygame.Rect
    title_y: int
    rows: tuple[Row, ...]
    hint_y: int
    side: int  # a thumbnail's side in pixels

    def cell_at(self, pos: tuple[int, int]) -> Cell | None:
        for row in self.rows:
            if row.rect.collidepoint(pos):
                return next((c for c in row.cells if c.rect.collidepoint(pos)), None)
        return None

    def cell_of(self, index: int) -> Cell | None:
        for row in self.rows:
            for cell in row.cells:
                if cell.index == index and not cell.more:
                    return cell
        return None


def badge_rect(cell: pygame.Rect) -> pygame.Rect:
    """The remove badge (×) on a thumbnail's top-right corner; also where a click removes it."""
    r = max(8, round(cell.width * 0.26))
    badge = pygame.Rect(0, 0, 2 * r, 2 * r)
    badge.center = (cell.right - r // 2, cell.top + r // 2)
    return badge


def window(count: int, fit: int, chosen: int | None) -> tuple[int, int]:
    """Which of a row's ``count`` examples to show in ``fit`` cells: (first, end); ``chosen`` is in view."""
    if count <= fit:
        return 0, count
    shown = max(1, fit - 1)  # one cell says "+N older"
    if chosen is None or chosen >= count - shown:
        return count - shown, count
    shown = max(1, fit - 2)  # "+N older" on the left, "+M newer" on the right
    return chosen, chosen + shown


def sheet(layout: Layout, profile: Profile, chosen: int | None) -> Sheet:
    """The geometry of the taught view for ``profile`` with example ``chosen`` (an index) in view."""
    card = layout.canvas.union(layout.panel)
    pad = max(6, round(layout.text_px * 0.8))
    title_h = round(layout.text_px * 1.6)
    hint_h = round(layout.small_px * 1.8)
    body = pygame.Rect(card.left + pad, card.top + pad + title_h, card.width - 2 * pad, 0)
    body.height = max(NUM_CLASSES, card.bottom - pad - hint_h - body.top)
    row_h = body.height // NUM_CLASSES
    gap = max(2, round(row_h * 0.12))
    side = max(8, row_h - gap)
    label_w = round(layout.text_px * 3.4)
    strip_w = max(side, body.width - label_w)
    fit = max(1, (strip_w + gap) // (side + gap))
    indices: list[list[int]] = [[] for _ in range(NUM_CLASSES)]
    for i, example in enumerate(profile.examples):
        indices[example.digit].append(i)
    rows = []
    for digit in range(NUM_CLASSES):
        rect = pygame.Rect(body.left, body.top + digit * row_h, body.width, row_h)
        mine = indices[digit]
        position = mine.index(chosen) if chosen in mine else None
        first, end = window(len(mine), fit, position)
        slots = [(mine[first - 1], first)] if first else []
        slots += [(i, 0) for i in mine[first:end]]
        slots += [(mine[end], len(mine) - end)] if end < len(mine) else []
        top = rect.top + (row_h - side) // 2
        x0 = rect.left + label_w
        cells = tuple(
            Cell(i, pygame.Rect(x0 + n * (side + gap), top, side, side), more) for n, (i, more) in enumerate(slots)
        )
        rows.append(Row(digit, rect, pygame.Rect(rect.left, rect.top, label_w, row_h), len(mine), cells))
    return Sheet(card, card.top + pad, tuple(rows), card.bottom - pad - hint_h // 2, side)


class Thumbnails:
    """Each example's picture at the sheet's size, made once (examples never change)."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[Example, int, pygame.Surface]] = {}

    def of(self, example: Example, side: int) -> pygame.Surface:
        kept = self._made.get(id(example))
        if kept is not None and kept[0] is example and kept[1] == side:
            return kept[2]
        picture = thumbnail(example.image, side)
        self._made[id(example)] = (example, side, picture)  # the example is kept, so its id is not reused
        return picture

    def keep_only(self, examples: Sequence[Example]) -> None:
        alive = {id(e) for e in examples}
        self._made = {k: v for k, v in self._made.items() if k in alive}


def thumbnail(image: np.ndarray, side: int) -> pygame.Surface:
    """A (28, 28) uint8 image as a ``side`` square: crisp pixels when a whole multiple fits, smooth below."""
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    if side >= 2 * INPUT_SIDE_PX:
        crisp = preview_surface(pixels, side // INPUT_SIDE_PX * INPUT_SIDE_PX)
        framed = pygame.Surface((side, side))
        framed.fill(theme.PAPER)
        framed.blit(crisp, crisp.get_rect(center=framed.get_rect().center))
        return framed
    return pygame.transform.smoothscale(preview_surface(pixels, INPUT_SIDE_PX), (side, side))


def draw_rows(
    surface: pygame.Surface,
    layout: Layout,
    fonts: Fonts,
    view: tuple[Sheet, Profile, Thumbnails],
    marked: tuple[int | None, int | None],
) -> None:
    """Every row: its digit, its count and its thumbnails; ``marked`` is (chosen, hovered), each with a badge."""
    grid, profile, thumbnails = view
    for row in grid.rows:
        if row.digit % 2:
            pygame.draw.rect(
                surface, theme.mix(theme.CARD, theme.BACKGROUND, 0.45), row.rect, border_radius=layout.radius
            )
        colour = theme.TEXT if row.count else theme.TEXT_FAINT
        digit = fonts.render(str(row.digit), layout.text_px, colour)
        surface.blit(digit, digit.get_rect(midleft=(row.label.left + layout.text_px // 3, row.label.centery)))
        count = fonts.render(str(row.count), layout.small_px, theme.TEXT_MUTED if row.count else theme.TEXT_FAINT)
        surface.blit(count, count.get_rect(midright=(row.label.right - layout.text_px // 2, row.label.centery)))
        for cell in row.cells:
            if cell.more:
                _draw_more(surface, layout, fonts, cell)
                continue
            surface.blit(thumbnails.of(profile.examples[cell.index], cell.rect.width), cell.rect)
            _draw_frame(surface, layout, fonts, cell.rect, cell.index in marked, cell.index == marked[0])


def _draw_more(surface: pygame.Surface, layout: Layout, fonts: Fonts, cell: Cell) -> None:
    pygame.draw.rect(surface, theme.BUTTON, cell.rect, border_radius=layout.radius)
    label = fonts.fit(f"+{cell.more}", layout.small_px, cell.rect.width - 2)
    text = fonts.render(label, layout.small_px, theme.TEXT_MUTED)
    surface.blit(text, text.get_rect(center=cell.rect.center))


def _draw_frame(
    surface: pygame.Surface, layout: Layout, fonts: Fonts, rect: pygame.Rect, has_badge: bool, is_chosen: bool
) -> None:
    """The thumbnail's frame (accent when chosen) and, on the chosen or hovered one, the × that removes it."""
    width = max(1, round(layout.unit * (3 if is_chosen else 1)))
    colour = theme.ACCENT if is_chosen else theme.CARD_BORDER
    pygame.draw.rect(surface, colour, rect.inflate(2 * width, 2 * width), width=width)
    if not has_badge:
        return
    badge = badge_rect(rect)
    pygame.draw.circle(surface, theme.ERROR, badge.center, badge.width // 2)
    pygame.draw.circle(surface, theme.BACKGROUND, badge.center, badge.width // 2, width=max(1, round(layout.unit)))
    cross = fonts.render("×", max(10, round(badge.height * 1.1)), theme.BACKGROUND)
    surface.blit(cross, cross.get_rect(center=(badge.centerx, badge.centery + 1)))
