"""Colours, proportions and the font/text cache: the look of the app in one place."""

from __future__ import annotations

from collections import OrderedDict

import pygame

Colour = tuple[int, int, int]

# --- colours: dark, calm, one accent ---------------------------------------------
BACKGROUND: Colour = (16, 18, 23)
CARD: Colour = (25, 28, 36)
CARD_BORDER: Colour = (40, 45, 57)
PAPER: Colour = (11, 12, 16)  # the drawing area: near black, like MNIST's background
PAPER_BORDER: Colour = (52, 58, 74)
GRID: Colour = (24, 27, 35)
GRID_STRONG: Colour = (36, 41, 53)
GUIDE: Colour = (62, 70, 92)  # corner marks of the box a digit should fill
INK: Colour = (244, 245, 248)
TEXT: Colour = (229, 232, 240)
# Text colours keep WCAG's 4.5:1 for text on every surface they are drawn on (TEXT_SURFACES; tests/test_theme.py)
TEXT_MUTED: Colour = (160, 167, 185)
TEXT_FAINT: Colour = (126, 133, 152)
ACCENT: Colour = (120, 166, 255)  # confident answers, the top bar, toggles that are on
ACCENT_DIM: Colour = (39, 52, 84)
UNSURE: Colour = (240, 186, 92)
ERROR: Colour = (240, 116, 112)
LIVE: Colour = (98, 212, 150)
BAR_TRACK: Colour = (33, 37, 48)
BAR_FILL: Colour = (82, 92, 118)
BUTTON: Colour = (35, 39, 50)
BUTTON_HOVER: Colour = (47, 53, 68)
BUTTON_PRESSED: Colour = (24, 27, 35)
BUTTON_BORDER: Colour = (55, 62, 79)
OVERLAY_ALPHA = 215  # 0..255, how much the help overlay darkens the app
KEY_HINT_SHARE = 0.25  # a button's key hint is its label this far towards the fill: quieter, still 4.5:1

# Where text is drawn: the window, cards and panel, the drawing area, buttons in each state
TEXT_SURFACES: tuple[Colour, ...] = (BACKGROUND, CARD, PAPER)
TEXT_COLOURS: tuple[Colour, ...] = (TEXT, TEXT_MUTED, TEXT_FAINT, ACCENT, UNSURE, ERROR, LIVE, INK)

# --- proportions (fractions of the drawing area's side, or of the layout unit) -----
PEN_WIDTH_FRACTION = 0.034  # ink width on screen / drawing-area side: a felt pen at any size
ERASER_RADIUS_FRACTION = 0.045  # eraser radius / drawing-area side
GRID_CELLS = 10  # grid squares across the drawing area
DIGIT_BOX_FRACTION = 20 / 28  # MNIST fits digits into 20 of 28 pixels; the guide marks that box
CORNER_RADIUS_UNITS = 10  # rounded corners of cards and buttons, in layout units

# --- timing -------------------------------------------------------------------
BAR_ANIMATION_S = 0.09  # time constant of the bars easing towards new values
KEY_FLASH_S = 0.12  # a key press shows its button pressed this long
TOAST_S = 5.0  # how long an info message stays
TOAST_ERROR_S = 9.0  # errors stay longer
TOAST_FADE_S = 0.4

TEXT_CACHE_SIZE = 512  # rendered strings kept


class Fonts:
    """pygame's default font at any pixel size, with a cache of rendered strings."""

    def __init__(self) -> None:
        self._fonts: dict[int, pygame.font.Font] = {}
        self._texts: OrderedDict[tuple[str, int, Colour], pygame.Surface] = OrderedDict()
        self._digit_ratio: float | None = None

    def font(self, size: int) -> pygame.font.Font:
        size = max(6, int(size))
        font = self._fonts.get(size)
        if font is None:
            font = self._fonts[size] = pygame.font.Font(None, size)
        return font

    def size_for_digit_height(self, height_px: float) -> int:
        """The font size whose digits are ``height_px`` tall (pygame's sizes are not glyph heights)."""
        if self._digit_ratio is None:
            reference = 200
            metrics = self.font(reference).metrics("0")
            glyph = metrics[0] if metrics and metrics[0] else None
            self._digit_ratio = (glyph[3] - glyph[2]) / reference if glyph else 0.5
        return max(6, int(height_px / max(0.05, self._digit_ratio)))

    def render(self, text: str, size: int, colour: Colour) -> pygame.Surface:
        """The string drawn anti-aliased; cached, so drawing the same label every frame is cheap."""
        key = (text, max(6, int(size)), colour)
        surface = self._texts.get(key)
        if surface is None:
            surface = self.font(size).render(text, True, colour)
            self._texts[key] = surface
            if len(self._texts) > TEXT_CACHE_SIZE:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(key)
        return surface

    def fit(self, text: str, size: int, max_width: int) -> str:
        """``text`` shortened in the middle with '…' until it is at most ``max_width`` pixels wide."""
        font = self.font(size)
        if font.size(text)[0] <= max_width or len(text) < 3:
            return text
        keep = len(text)
        while keep > 1:
            keep -= max(1, keep // 12)
            head = text[: (keep + 1) // 2]
            tail = text[len(text) - keep // 2 :]
            shortened = f"{head}…{tail}"
            if font.size(shortened)[0] <= max_width:
                return shortened
        return "…"

    def wrap(self, text: str, size: int, max_width: int) -> list[str]:
        """Break ``text`` into lines no wider than ``max_width`` pixels (long words are shortened)."""
        font = self.font(size)
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if font.size(candidate)[0] <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word if font.size(word)[0] <= max_width else self.fit(word, size, max_width)
        if current:
            lines.append(current)
        return lines


def key_hint_colour(label: Colour, fill: Colour) -> Colour:
    """The colour of a button's key hint ("Ctrl+Z") beside its label."""
    return mix(label, fill, KEY_HINT_SHARE)


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """The colour ``t`` of the way from ``a`` to ``b``."""
    t = min(1.0, max(0.0, t))
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))
