"""Pointer drags on the canvas -> Drawing edits: ink, or erasing.

Ink that leaves the canvas stops at the edge (the segment is clipped there); if the
pointer comes back while still down, a new piece starts where it re-enters.  All the
pieces of one drag are one undo step.  A drag must start on the canvas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from digitgame.files.strokefile import Point
from digitgame.live.drawing import Drawing
from digitgame.ui.canvas import clip_segment

MAX_ERASE_STEPS = 64  # eraser positions interpolated along one pointer movement, at most


class Edit(Enum):
    """What an input did to the drawing, so the ink layer knows how much to redraw."""

    NONE = 0
    GREW = 1  # points or strokes were appended
    RESHAPED = 2  # ink was removed
    FULL = 3  # nothing: a stroke could not begin, the drawing is at the stroke file's limits


@dataclass
class Gesture:
    """One drag in progress."""

    source: object  # "mouse" or a finger id
    is_erasing: bool
    last: Point  # canvas units, possibly outside the canvas
    is_inside: bool = True
    has_erase_step: bool = False


class Pen:
    """Applies one pointer drag at a time to a Drawing."""

    def __init__(self, drawing: Drawing) -> None:
        self.drawing = drawing
        self.gesture: Gesture | None = None
        self.eraser_radius = 1.0  # canvas units; set by the app from the layout

    @property
    def is_down(self) -> bool:
        return self.gesture is not None

    def _inside(self, p: Point) -> bool:
        return 0.0 <= p[0] <= self.drawing.width and 0.0 <= p[1] <= self.drawing.height

    def down(self, source: object, p: Point, *, erasing: bool) -> Edit:
        """Start a drag at canvas point ``p`` (ignored when a drag is in progress or ``p`` is off the canvas)."""
        if self.gesture is not None or not self._inside(p):
            return Edit.NONE
        self.gesture = Gesture(source, erasing, p)
        if erasing:
            return self._erase_at(p)
        return Edit.GREW if self.drawing.begin_stroke(p) else Edit.FULL

    def move(self, source: object, p: Point) -> Edit:
        """Continue the drag of ``source`` to canvas point ``p``."""
        g = self.gesture
        if g is None or g.source != source or p == g.last:
            return Edit.NONE
        if g.is_erasing:
            edit = self._erase_along(g.last, p)
            g.last = p
            return edit
        piece = clip_segment(g.last, p, self.drawing.width, self.drawing.height)
        was_inside, g.last = g.is_inside, p
        g.is_inside = self._inside(p)
        if piece is None:
            return Edit.NONE
        start, end = piece
        if not was_inside:
            self.drawing.continue_stroke(start)
        self.drawing.extend_stroke(end)
        if not g.is_inside:
            self.drawing.end_stroke()
        return Edit.GREW

    def up(self, source: object) -> bool:
        """End the drag of ``source``; True if there was one."""
        if self.gesture is None or self.gesture.source != source:
            return False
        self.cancel()
        return True

    def cancel(self) -> None:
        """Lift the pen whatever is happening (undo, clear, focus lost)."""
        self.gesture = None
        self.drawing.end_stroke()

    def _erase_at(self, p: Point) -> Edit:
        g = self.gesture
        assert g is not None
        if self.drawing.erase(p, self.eraser_radius, new_step=not g.has_erase_step):
            g.has_erase_step = True
            return Edit.RESHAPED
        return Edit.NONE

    def _erase_along(self, a: Point, b: Point) -> Edit:
        """Erase at points along a-b no more than half the eraser radius apart."""
        distance = math.hypot(b[0] - a[0], b[1] - a[1])
        steps = min(MAX_ERASE_STEPS, max(1, math.ceil(distance / max(1e-9, self.eraser_radius / 2))))
        edit = Edit.NONE
        for i in range(1, steps + 1):
            t = i / steps
            if self._erase_at((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)) is Edit.RESHAPED:
                edit = Edit.RESHAPED
        return edit
