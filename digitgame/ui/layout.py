"""Where everything goes, computed from the window size alone (no fixed coordinates).

Landscape windows put the square drawing area on the left and the results panel on its
right; portrait windows stack them.  A header sits above and the row of buttons below,
and the whole block is centred.  Sizes scale with ``unit`` (1.0 at 1280x800).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from digitgame.recognition.model import INPUT_SIDE_PX
from digitgame.ui.theme import PEN_WIDTH_FRACTION

REFERENCE_SIZE_PX = (1280, 800)  # the window size at which unit == 1
MARGIN_UNITS = 24  # outer margin and gap between blocks
HEADER_UNITS = 58
TOOLBAR_UNITS = 54
BUTTON_GAP_UNITS = 10
CANVAS_WIDTH_SHARE = 0.58  # at most this share of the content width goes to the drawing area's height
PANEL_MAX_ASPECT = 0.92  # the panel is at most this wide relative to the drawing area's height
# Width the window has beyond a square drawing area and a panel of PANEL_PREFERRED_ASPECT goes to
# the drawing area, up to CANVAS_MAX_ASPECT: room for a number of four digits or more.
PANEL_PREFERRED_ASPECT = 0.8
CANVAS_MAX_ASPECT = 1.4
PORTRAIT_BELOW_ASPECT = 1.05  # windows narrower than this (width / height) stack vertically
MIN_FONT_PX = 15  # text never shrinks below this, however small the window
TEXT_UNIT_FLOOR = 0.82  # text (and the rows holding it) shrinks with the window only down to this unit


@dataclass(frozen=True)
class PanelLayout:
    """Inside the results panel: a summary row (big digit, its confidence, the 28x28 view) over ten bar rows."""

    summary: pygame.Rect  # the whole summary row, label line included
    label_y: int  # baseline row of the small labels above digit and view
    digit: pygame.Rect  # the big digit's glyph box
    info: pygame.Rect  # confidence and caption, right of the digit
    preview: pygame.Rect  # the 28x28 view; its side is a multiple of 28 for crisp pixels
    bars: pygame.Rect
    row_height: int
    text_px: int
    small_px: int


@dataclass(frozen=True)
class Layout:
    """Rectangles of every block in window pixels, and the sizes of text."""

    size: tuple[int, int]
    unit: float
    header: pygame.Rect
    canvas: pygame.Rect  # the drawing area: square, or wider than tall in wide windows
    panel: pygame.Rect
    toolbar: pygame.Rect  # the row of buttons; each scene's toolbar splits it (``button_row``)
    button_gap: int
    inner: PanelLayout
    title_px: int
    text_px: int
    small_px: int
    radius: int

    @property
    def pen_width_px(self) -> float:
        """Width of the ink on screen (a share of the drawing area's height, the size of a digit)."""
        return max(2.0, PEN_WIDTH_FRACTION * self.canvas.height)


def _px(value: float) -> int:
    return max(1, round(value))


def compute_layout(width: int, height: int) -> Layout:
    """The layout for a ``width`` x ``height`` window."""
    width, height = max(1, int(width)), max(1, int(height))
    unit = min(width / REFERENCE_SIZE_PX[0], height / REFERENCE_SIZE_PX[1])
    text_unit = max(unit, TEXT_UNIT_FLOOR)
    margin = _px(MARGIN_UNITS * unit)
    header_h = max(_px(HEADER_UNITS * text_unit), 2 * MIN_FONT_PX)
    toolbar_h = max(_px(TOOLBAR_UNITS * text_unit), 2 * MIN_FONT_PX)
    text_px = max(MIN_FONT_PX, _px(26 * text_unit))
    small_px = max(MIN_FONT_PX, _px(20 * text_unit))
    title_px = max(MIN_FONT_PX + 4, _px(44 * text_unit))
    radius = _px(10 * unit)

    free_h = max(1, height - 2 * margin - header_h - toolbar_h - 2 * margin)  # minus the two gaps
    free_w = max(1, width - 2 * margin)
    if width / height >= PORTRAIT_BELOW_ASPECT:
        side = max(1, min(free_h, int((free_w - margin) * CANVAS_WIDTH_SHARE)))
        spare = free_w - margin - int(side * PANEL_PREFERRED_ASPECT)
        canvas_w = max(side, min(int(side * CANVAS_MAX_ASPECT), spare))
        panel_w = max(1, min(free_w - margin - canvas_w, int(side * PANEL_MAX_ASPECT)))
        block_w = canvas_w + margin + panel_w
        block_h = side
        left = (width - block_w) // 2
        top = (height - (header_h + margin + block_h + margin + toolbar_h)) // 2 + header_h + margin
        canvas = pygame.Rect(left, top, canvas_w, side)
        panel = pygame.Rect(canvas.right + margin, top, panel_w, side)
    else:
        side = max(1, min(free_w, int(free_h * 0.62)))
        panel_h = max(1, min(free_h - margin - side, side))
        block_w = side
        block_h = side + margin + panel_h
        left = (width - block_w) // 2
        top = (height - (header_h + margin + block_h + margin + toolbar_h)) // 2 + header_h + margin
        canvas = pygame.Rect(left, top, side, side)
        panel = pygame.Rect(left, canvas.bottom + margin, side, panel_h)
    header = pygame.Rect(left, top - margin - header_h, block_w, header_h)
    toolbar = pygame.Rect(left, top + block_h + margin, block_w, toolbar_h)
    return Layout(
        size=(width, height),
        unit=unit,
        header=header,
        canvas=canvas,
        panel=panel,
        toolbar=toolbar,
        button_gap=_px(BUTTON_GAP_UNITS * unit),
        inner=compute_panel_layout(panel, unit, text_unit),
        title_px=title_px,
        text_px=text_px,
        small_px=small_px,
        radius=radius,
    )


def button_row(row: pygame.Rect, count: int, gap: int) -> tuple[pygame.Rect, ...]:
    """``count`` equal buttons filling ``row`` with ``gap`` between them (the last takes the rounding)."""
    if count <= 0:
        return ()
    gap = min(gap, max(0, (row.width - count) // max(1, count - 1))) if count > 1 else 0
    button_w = max(1, (row.width - gap * (count - 1)) // count)
    buttons = []
    for i in range(count):
        x = row.left + i * (button_w + gap)
        w = row.right - x if i == count - 1 else button_w
        buttons.append(pygame.Rect(x, row.top, max(1, w), row.height))
    return tuple(buttons)


def compute_panel_layout(panel: pygame.Rect, unit: float, text_unit: float) -> PanelLayout:
    """Split the panel: summary on top and bars below when it is tall, side by side when it is wide."""
    pad = _px(22 * unit)
    text_px = max(MIN_FONT_PX, _px(27 * text_unit))
    small_px = max(MIN_FONT_PX, _px(20 * text_unit))
    body = panel.inflate(-2 * pad, -2 * pad)
    body.width, body.height = max(1, body.width), max(1, body.height)
    is_tall = panel.height >= panel.width * 0.9
    if is_tall:
        summary = pygame.Rect(body.left, body.top, body.width, max(1, int(body.height * 0.4)))
        bars = pygame.Rect(body.left, summary.bottom + pad, body.width, max(1, body.bottom - summary.bottom - pad))
    else:
        summary = pygame.Rect(body.left, body.top, max(1, int(body.width * 0.55)), body.height)
        bars = pygame.Rect(summary.right + pad, body.top, max(1, body.right - summary.right - pad), body.height)
    label_h = small_px + _px(10 * text_unit)
    content_h = max(1, summary.height - label_h)
    preview_room = min(content_h, int(summary.width * 0.4))
    preview_side = max(INPUT_SIDE_PX, (max(0, preview_room) // INPUT_SIDE_PX) * INPUT_SIDE_PX)
    digit_h = min(content_h, preview_side + _px(8 * unit))
    # Side by side, the summary is a tall column: centre its content vertically.
    top = summary.top if is_tall else summary.top + max(0, (content_h - max(digit_h, preview_side)) // 2)
    preview = pygame.Rect(0, 0, preview_side, preview_side)
    preview.topright = (summary.right, top + label_h)
    content_w = max(1, preview.left - pad - summary.left)
    digit_w = max(1, min(int(content_w * 0.45), int(digit_h * 0.72)))
    digit = pygame.Rect(summary.left, top + label_h, digit_w, max(1, digit_h))
    gap = _px(14 * unit)
    info = pygame.Rect(digit.right + gap, digit.top, max(1, preview.left - pad - digit.right - gap), digit.height)
    return PanelLayout(
        summary=summary,
        label_y=top,
        digit=digit,
        info=info,
        preview=preview,
        bars=bars,
        row_height=max(1, bars.height // 10),
        text_px=text_px,
        small_px=small_px,
    )
