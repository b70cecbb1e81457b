"""A number in the results panel: one tile per digit -- the digit (or '?' when unsure) and its confidence.

The tile under the pointer (or tapped) is the selected digit: the panel's bars and 28x28 view show it.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from digitgame.live.verdict import NOT_A_DIGIT, NOT_A_DIGIT_MARK, UNSURE_MARK
from digitgame.recognition.reading import DigitReading, Reading
from digitgame.ui import theme
from digitgame.ui.layout import MIN_FONT_PX, Layout
from digitgame.ui.theme import Colour, Fonts

GLYPH_SHARE = 0.62  # of a tile's height: the digit; the rest holds its confidence and the caption below
MAX_TILE_ASPECT = 0.9  # a tile is at most this wide for its glyph height (few digits do not sprawl)
GLYPH_WIDTH_SHARE = 0.7  # of a tile's width: the digit (a digit's glyph is about 0.62 of its height wide)

Glyph = Callable[[str, int, Colour], tuple[pygame.Surface, pygame.Rect]]  # text, size, colour -> surface, ink


def number_box(layout: Layout) -> pygame.Rect:
    """Where a number goes in the panel: the big digit's box and the words beside it, together."""
    inner = layout.inner
    return pygame.Rect(inner.digit.left, inner.digit.top, inner.info.right - inner.digit.left, inner.digit.height)


def tile_rects(layout: Layout, count: int) -> list[pygame.Rect]:
    """``count`` tiles side by side from the left of the number's box."""
    box = number_box(layout)
    if count <= 0:
        return []
    glyph_h = box.height * GLYPH_SHARE
    width = max(1, min(box.width // count, round(glyph_h * MAX_TILE_ASPECT)))
    return [pygame.Rect(box.left + i * width, box.top, width, round(box.height * 0.84)) for i in range(count)]


def tile_at(layout: Layout, count: int, pos: tuple[int, int]) -> int | None:
    """The index of the tile under ``pos``."""
    return next((i for i, r in enumerate(tile_rects(layout, count)) if r.collidepoint(pos)), None)


def default_selection(reading: Reading) -> int:
    """The digit to explain when the person has not picked one: the first unsure one, else the last written."""
    unsure = [i for i, d in enumerate(reading.digits) if not d.prediction.is_confident]
    return unsure[0] if unsure else len(reading.digits) - 1


def _tile_texts(d: DigitReading) -> tuple[str, tuple[str, str], Colour]:
    """Glyph, the line under it (in full, and short for narrow tiles) and their colour."""
    p = d.prediction
    if p.is_not_a_digit:
        return NOT_A_DIGIT_MARK, (NOT_A_DIGIT, "no"), theme.TEXT_MUTED
    if d.is_taught:
        return str(p.digit), ("taught", "T"), theme.ACCENT  # the default font has no check mark
    if p.is_confident:
        percent = round(100 * p.confidence)
        return str(p.digit), (f"{percent}%", str(percent)), theme.ACCENT
    if p.perhaps_not_a_digit:
        return UNSURE_MARK, (f"{p.digit} or no digit", f"{p.digit}/{NOT_A_DIGIT_MARK}"), theme.UNSURE
    if p.is_unsure_of_division:  # sure alone: what is in doubt is where the digits divide (the caption says so)
        return UNSURE_MARK, (f"reads {p.digit}", str(p.digit)), theme.UNSURE
    return UNSURE_MARK, (f"{p.digit} or {p.runner_up}", f"{p.digit}/{p.runner_up}"), theme.UNSURE


def note_that_fits(fonts: Fonts, notes: tuple[str, str], size: int, width: int) -> str:
    """The full note if it fits ``width``, else its short form (shortened further only if even that is too wide)."""
    full, short = notes
    return full if fonts.font(size).size(full)[0] <= width else fonts.fit(short, size, width)


def draw_number(
    surface: pygame.Surface,
    layout: Layout,
    fonts: Fonts,
    glyph: Glyph,
    reading: Reading,
    selected: int,
    caption: tuple[str, Colour],
    is_stale: bool,
) -> None:
    """Tiles for each digit of ``reading``, the selected one highlighted, and ``caption`` under them."""
    small = max(MIN_FONT_PX, layout.inner.small_px)
    for i, (rect, d) in enumerate(zip(tile_rects(layout, len(reading.digits)), reading.digits, strict=True)):
        text, note, colour = _tile_texts(d)
        if is_stale:
            colour = theme.TEXT_FAINT
        if i == selected:
            outline = theme.mix(theme.CARD, theme.ACCENT, 0.4)
            width = max(1, round(layout.unit * 1.5))
            pygame.draw.rect(surface, outline, rect.inflate(-2, 0), width=width, border_radius=layout.radius)
        size = fonts.size_for_digit_height(min(rect.height * GLYPH_SHARE / 0.84, rect.width * GLYPH_WIDTH_SHARE / 0.62))
        face, ink = glyph(text, size, colour)
        top = rect.top + max(0, round(rect.height * 0.06))
        surface.blit(face, (rect.centerx - ink.width // 2, top), area=ink)
        note_colour = theme.TEXT_MUTED if colour is theme.ACCENT else colour
        label = fonts.render(note_that_fits(fonts, note, small, rect.width - 4), small, note_colour)
        surface.blit(label, label.get_rect(midbottom=(rect.centerx, rect.bottom - 2)))
    box = number_box(layout)
    words, tone = caption
    inner = layout.inner
    below = inner.bars.top if inner.bars.top >= box.bottom else inner.summary.bottom  # free above the bars
    two = below - box.bottom >= fonts.font(small).get_linesize()
    lines = lines_under_tiles(fonts, words, small, box.width, inner.summary.width if two else 0)
    for k, text in enumerate(lines):
        line = fonts.render(text, small, tone)
        surface.blit(line, line.get_rect(bottomleft=(box.left, box.bottom)) if k == 0 else (box.left, box.bottom))


def lines_under_tiles(fonts: Fonts, words: str, size: int, width: int, below: int) -> list[str]:
    """The caption under the tiles: one line if it fits ``width`` or there is no second line (``below``
    0); else two, the second below the tiles and as wide as ``below`` (it may pass under the 28x28 view):
    its clauses ('the 3rd of 3 parts is not a digit; not sure where digits divide'), the longer below
    when they do not fit in order, or its words; each line cut to fit."""
    fits = fonts.font(size).size
    if below <= 0 or fits(words)[0] <= width:
        return [fonts.fit(words, size, width)]
    first, sep, rest = words.partition("; ")
    if not sep:
        lines = fonts.wrap(words, size, width)
        first, rest = lines[0], " ".join(lines[1:])
    elif fits(first)[0] > width or fits(rest)[0] > below:
        first, rest = sorted((first, rest), key=lambda text: fits(text)[0])
    return [fonts.fit(first, size, width), fonts.fit(rest, size, below)]
