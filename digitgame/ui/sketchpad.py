"""The drawing area as one component: a Drawing, the pen that edits it, and its pixels on screen.

Scenes that let a person draw (the draw scene, the practice round) hold a Sketchpad and feed it
pointer events; it tells them when the ink changed through ``on_change``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import pygame

from digitgame.live.drawing import Drawing
from digitgame.recognition.reading import Box
from digitgame.ui import theme
from digitgame.ui.canvas import CanvasView, InkCanvas
from digitgame.ui.layout import Layout
from digitgame.ui.pen import Edit, Pen
from digitgame.ui.pointer import ERASE_BUTTON
from digitgame.ui.theme import Colour, Fonts

CanvasBox = tuple[Box, Colour, str]  # a digit's box (x, y, w, h in drawing units), its colour, its tag

ASPECT_TOLERANCE = 0.02  # an empty drawing whose shape differs from the area's by more takes the area's


class Sketchpad:
    """Pointer drags on the layout's canvas rectangle become ink (or erasing) in ``drawing``."""

    def __init__(self, drawing: Drawing, on_change: Callable[[], None], *, show_grid: bool = True) -> None:
        self.drawing = drawing
        self.pen = Pen(drawing)
        self.ink = InkCanvas()
        self.view = CanvasView((0, 0, 1, 1), drawing.width, drawing.height)
        self.is_erasing = False  # the eraser toggle (the right button erases either way)
        self.show_grid = show_grid
        self.pointer: tuple[int, int] | None = None  # the mouse, for the eraser ring and the cursor
        self.hint = "draw a digit here"
        self._on_change = on_change
        self._pen_width_px = 2.0
        self._layout: Layout | None = None

    @property
    def is_drawing(self) -> bool:
        return self.pen.is_down

    def place(self, layout: Layout) -> None:
        """Fit the drawing into the layout's canvas rectangle (after a resize)."""
        self._layout = layout
        c = layout.canvas
        d = self.drawing
        if d.is_empty and not self.pen.is_down and abs(c.width / c.height - d.width / d.height) > ASPECT_TOLERANCE:
            d.reshape(c.width, c.height)  # an empty drawing takes the area's new shape; ink keeps its own
        view = CanvasView((c.x, c.y, c.width, c.height), d.width, d.height)
        if view != self.view:
            self.view = view
        self._pen_width_px = layout.pen_width_px
        self.pen.eraser_radius = theme.ERASER_RADIUS_FRACTION * c.height / self.view.scale

    # --- pointer ---------------------------------------------------------------------
    def contains(self, pos: tuple[int, int]) -> bool:
        return self.view.contains(pos)

    def down(self, source: Hashable, pos: tuple[int, int], button: int) -> Edit:
        """Start a drag at ``pos`` (ignored off the canvas or while another drag is going on); what it did."""
        erasing = self.is_erasing or button == ERASE_BUTTON
        edit = self.pen.down(source, self.view.to_canvas(pos), erasing=erasing)
        self._edited(edit)
        return edit

    def move(self, source: Hashable, pos: tuple[int, int]) -> None:
        self._edited(self.pen.move(source, self.view.to_canvas(pos)))

    def up(self, source: Hashable, pos: tuple[int, int]) -> bool:
        """End ``source``'s drag at ``pos``; True if it was drawing."""
        if self.pen.gesture is None or self.pen.gesture.source != source:
            return False
        self._edited(self.pen.move(source, self.view.to_canvas(pos)))
        return self.pen.up(source)

    def cancel(self) -> None:
        """Lift the pen whatever is happening (undo, clear, focus lost)."""
        self.pen.cancel()

    # --- whole-drawing edits ------------------------------------------------------------
    def clear(self) -> bool:
        self.pen.cancel()
        return self._reshaped(self.drawing.clear())

    def undo(self) -> bool:
        self.pen.cancel()
        return self._reshaped(self.drawing.undo())

    def replace(self, drawing: Drawing) -> None:
        """Start over with ``drawing`` (a new prompt, an opened file)."""
        self.pen.cancel()
        self.drawing = drawing
        self.pen = Pen(drawing)
        self.view = CanvasView(self.view.area, drawing.width, drawing.height)
        if self._layout is not None:
            self.place(self._layout)
        self._reshaped(True)

    def _edited(self, edit: Edit) -> None:
        if edit in (Edit.NONE, Edit.FULL):
            return
        if edit is Edit.RESHAPED:
            self.ink.invalidate()
        self._on_change()

    def _reshaped(self, changed: bool) -> bool:
        if changed:
            self.ink.invalidate()
            self._on_change()
        return changed

    # --- pixels ----------------------------------------------------------------------
    def render(self) -> pygame.Surface:
        """The drawing area's pixels, brought up to date."""
        self.ink.configure(self.view, self._pen_width_px / 2, self.show_grid)
        self.ink.sync(self.drawing)
        return self.ink.surface

    def clean_copy(self) -> pygame.Surface:
        """The drawing on plain paper (no grid), at its size on screen: the picture saved beside it."""
        self.render()
        return self.ink.clean_copy()

    def draw(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, boxes: Sequence[CanvasBox] = ()) -> None:
        """The paper and ink, ``boxes`` around parts of the ink, a hint while it is empty, and the eraser's
        reach around the pointer."""
        surface.blit(self.render(), layout.canvas)
        if boxes:
            self._draw_boxes(surface, layout, fonts, boxes)
        if self.drawing.is_empty and not self.pen.is_down and self.hint:
            hint = fonts.render(self.hint, layout.text_px, theme.TEXT_FAINT)
            surface.blit(hint, hint.get_rect(center=layout.canvas.center))
        erasing = self.is_erasing or (self.pen.gesture is not None and self.pen.gesture.is_erasing)
        if erasing and self.pointer is not None and layout.canvas.collidepoint(self.pointer):
            radius = max(2.0, theme.ERASER_RADIUS_FRACTION * layout.canvas.height)
            pygame.draw.aacircle(surface, theme.UNSURE, self.pointer, radius, max(1, round(1.5 * layout.unit)))

    def _draw_boxes(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, boxes: Sequence[CanvasBox]) -> None:
        """Each box around its ink (clear of the pen's width), with its tag above its top-left corner."""
        pad = self._pen_width_px / 2 + 4 * layout.unit
        width = max(1, round(1.5 * layout.unit))
        size = layout.small_px
        clip = surface.get_clip()
        surface.set_clip(layout.canvas)
        for (x, y, w, h), colour, tag in boxes:
            left, top = self.view.to_window((x, y))
            s = self.view.scale
            rect = pygame.Rect(round(left - pad), round(top - pad), round(w * s + 2 * pad), round(h * s + 2 * pad))
            pygame.draw.rect(surface, colour, rect, width=width, border_radius=max(2, layout.radius // 2))
            label = fonts.render(tag, size, colour)
            surface.blit(label, label.get_rect(bottomleft=(rect.left + width, rect.top - width)))
        surface.set_clip(clip)
