"""Widgets: each draws onto the surface it is given, from the values it is given.

The header with its mode chips, the toast line and the backdrop.  They hold only caches, never
app state.  (Buttons live in ``toolbar``, the results panel in ``panel``.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from digitgame.ui import theme
from digitgame.ui.layout import Layout
from digitgame.ui.theme import Colour, Fonts

Chip = tuple[str, Colour]  # a mode shown in the header: its words and its colour


# --- header -------------------------------------------------------------------


def draw_header(
    surface: pygame.Surface, layout: Layout, fonts: Fonts, subtitle_text: str, chips: Sequence[Chip]
) -> None:
    """Title and subtitle on the left; the scene's mode chips on the right (the first chip rightmost)."""
    rect = layout.header
    title = fonts.render("digitgame", layout.title_px, theme.TEXT)
    title_rect = title.get_rect(midleft=(rect.left, rect.centery))
    surface.blit(title, title_rect)
    subtitle = fonts.render(subtitle_text, layout.small_px, theme.TEXT_MUTED)
    sub_rect = subtitle.get_rect(bottomleft=(title_rect.right + round(14 * layout.unit), title_rect.bottom - 2))
    right = rect.right
    size = layout.small_px
    pad_x, pad_y = round(size * 0.7), round(size * 0.35)
    for text, colour in chips:
        label = render_caps(fonts, text, size, colour)
        dot_r = max(2, size // 5)
        w = pad_x * 2 + dot_r * 2 + pad_x // 2 + label.get_width()
        h = fonts.font(size).get_height() + 2 * pad_y
        chip = pygame.Rect(right - w, rect.centery - h // 2, w, h)
        if chip.left < sub_rect.right + pad_x:
            break
        pygame.draw.rect(surface, theme.CARD, chip, border_radius=h // 2)
        pygame.draw.rect(surface, theme.mix(theme.CARD, colour, 0.35), chip, width=1, border_radius=h // 2)
        pygame.draw.circle(surface, colour, (chip.left + pad_x + dot_r, chip.centery), dot_r)
        surface.blit(label, label.get_rect(midleft=(chip.left + pad_x + 2 * dot_r + pad_x // 2, chip.centery + 1)))
        right = chip.left - pad_x
    if sub_rect.right < right:
        surface.blit(subtitle, sub_rect)


def render_caps(fonts: Fonts, text: str, size: int, colour: Colour) -> pygame.Surface:
    """Capitals evenly spaced, as a chip shows them: "TAUGHT 1", not "TAUGH T 1".

    The default font's hinted advances leave uneven gaps between capitals at small sizes (H to T as
    wide as a word space), so each letter is placed by its own ink with the same gap after it, and
    words get a clearly wider one.
    """
    letter_gap = max(1, round(size * 0.1))
    word_gap = max(3 * letter_gap, round(size * 0.38))
    glyphs: list[tuple[pygame.Surface, pygame.Rect] | None] = []
    for char in text:
        if char.isspace():
            glyphs.append(None)
            continue
        glyph = fonts.render(char, size, colour)
        ink = glyph.get_bounding_rect()
        glyphs.append((glyph, ink if ink.width else pygame.Rect(0, 0, glyph.get_width(), 0)))
    width = sum(word_gap if g is None else g[1].width + letter_gap for g in glyphs) - letter_gap
    out = pygame.Surface((max(1, width), fonts.font(size).get_height()), pygame.SRCALPHA)
    x = 0
    for g in glyphs:
        if g is None:
            x += word_gap - letter_gap
            continue
        glyph, ink = g
        out.blit(glyph, (x, 0), area=pygame.Rect(ink.left, 0, ink.width, glyph.get_height()))
        x += ink.width + letter_gap
    return out  # a few letters from the fonts' cache: cheap enough to put together each frame


@dataclass(frozen=True)
class Toast:
    """A short message shown over the bottom of the drawing area."""

    text: str
    is_error: bool
    shown_at: float
    expires_at: float


def draw_toast(surface: pygame.Surface, layout: Layout, fonts: Fonts, toast: Toast, now: float) -> None:
    """The message in a pill, fading out at the end."""
    remaining = toast.expires_at - now
    if remaining <= 0:
        return
    alpha = min(1.0, remaining / theme.TOAST_FADE_S, (now - toast.shown_at) / theme.TOAST_FADE_S + 0.3)
    size = layout.small_px
    max_w = layout.canvas.width - 2 * round(layout.unit * 16)
    colour = theme.ERROR if toast.is_error else theme.TEXT
    lines = fonts.wrap(toast.text, size, max(1, max_w - 2 * size))[:3]
    rendered = [fonts.render(line, size, colour) for line in lines]
    if not rendered:
        return
    pad = round(size * 0.8)
    w = max(r.get_width() for r in rendered) + 2 * pad
    h = sum(r.get_height() for r in rendered) + 2 * round(pad * 0.6)
    pill = pygame.Surface((w, h), pygame.SRCALPHA)
    fill = (*theme.mix(theme.CARD, theme.ERROR, 0.12 if toast.is_error else 0.0), 240)
    pygame.draw.rect(pill, fill, pill.get_rect(), border_radius=min(h // 2, round(size * 1.1)))
    pygame.draw.rect(
        pill,
        (*(theme.ERROR if toast.is_error else theme.CARD_BORDER), 255),
        pill.get_rect(),
        width=1,
        border_radius=min(h // 2, round(size * 1.1)),
    )
    y = round(pad * 0.6)
    for r in rendered:
        pill.blit(r, ((w - r.get_width()) // 2, y))
        y += r.get_height()
    pill.set_alpha(round(255 * max(0.0, alpha)))
    rect = pill.get_rect(midbottom=(layout.canvas.centerx, layout.canvas.bottom - round(layout.unit * 16)))
    surface.blit(pill, rect)


class Backdrop:
    """What never changes between frames -- background, the panel's card, the drawing area's frame --
    drawn once per window size and copied in one blit."""

    def __init__(self) -> None:
        self._surface: pygame.Surface | None = None
        self._layout: Layout | None = None

    def draw(self, surface: pygame.Surface, layout: Layout) -> None:
        if self._surface is None or self._layout is not layout or self._surface.get_size() != surface.get_size():
            self._surface = pygame.Surface(surface.get_size()).convert(surface) if surface.get_bitsize() else None
            if self._surface is None:  # a surface without pixel format (never on a real display)
                self._surface = pygame.Surface(surface.get_size())
            self._layout = layout
            back = self._surface
            back.fill(theme.BACKGROUND)
            pygame.draw.rect(back, theme.CARD, layout.panel, border_radius=layout.radius)
            pygame.draw.rect(back, theme.CARD_BORDER, layout.panel, width=1, border_radius=layout.radius)
            pygame.draw.rect(back, theme.PAPER_BORDER, layout.canvas.inflate(2, 2), width=1)
        surface.blit(self._surface, (0, 0))
