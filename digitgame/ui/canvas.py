"""The drawing area: window <-> drawing coordinates, clipping, and the anti-aliased ink layer.

The ink is drawn from the Drawing's vectors (the same ones the model gets) with an exact
round pen: each pixel's coverage is ``clip(radius + 0.5 - distance to the stroke, 0, 1)``,
combined by maximum, so crossings and joints have no seams.  New segments are stamped
incrementally while the person draws; undo, erase, clear and resizes redraw everything.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pygame

from digitgame.files.strokefile import Point
from digitgame.live.drawing import Drawing
from digitgame.ui import theme

EXACT_RENDER_LIMIT = 4000  # segments; a full redraw of more uses pygame's faster primitives
EDGE_RAMP_PX = 1.0  # width of the anti-aliased edge


@dataclass(frozen=True)
class CanvasView:
    """Where a drawing of ``width`` x ``height`` canvas units sits in ``area`` (window px): scaled to
    fit, centred.  Window pixel (i, j) covers [i, i+1) x [j, j+1)."""

    area: tuple[int, int, int, int]  # x, y, w, h
    width: float
    height: float

    @property
    def scale(self) -> float:
        """Window pixels per canvas unit."""
        return min(self.area[2] / max(self.width, 1e-9), self.area[3] / max(self.height, 1e-9))

    @property
    def origin(self) -> tuple[float, float]:
        """Window position of the canvas point (0, 0)."""
        x, y, w, h = self.area
        s = self.scale
        return x + (w - self.width * s) / 2, y + (h - self.height * s) / 2

    def to_canvas(self, pos: tuple[float, float]) -> Point:
        """The canvas point under window pixel ``pos`` (its centre)."""
        ox, oy = self.origin
        s = self.scale
        return ((pos[0] + 0.5 - ox) / s, (pos[1] + 0.5 - oy) / s)

    def to_window(self, point: Point) -> tuple[float, float]:
        """Continuous window coordinates of a canvas point."""
        ox, oy = self.origin
        s = self.scale
        return ox + point[0] * s, oy + point[1] * s

    def contains(self, pos: tuple[float, float]) -> bool:
        """True when window pixel ``pos`` lies on the canvas."""
        x, y = self.to_canvas(pos)
        return 0.0 <= x <= self.width and 0.0 <= y <= self.height

    def canvas_rect(self) -> pygame.Rect:
        """The canvas in window pixels (the whole area for a square drawing)."""
        ox, oy = self.origin
        s = self.scale
        return pygame.Rect(round(ox), round(oy), round(self.width * s), round(self.height * s))


def clip_segment(a: Point, b: Point, width: float, height: float) -> tuple[Point, Point] | None:
    """The part of segment a-b inside [0, width] x [0, height] (Liang-Barsky), or None."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0]), (dx, width - a[0]), (-dy, a[1]), (dy, height - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None

    def inside(x: float, y: float) -> Point:  # rounding may leave a point 1e-14 outside
        return min(max(x, 0.0), width), min(max(y, 0.0), height)

    return inside(a[0] + t0 * dx, a[1] + t0 * dy), inside(a[0] + t1 * dx, a[1] + t1 * dy)


def stamp_segment(
    alpha: np.ndarray, a: tuple[float, float], b: tuple[float, float], radius: float
) -> pygame.Rect | None:
    """Add a round-capped segment of ``radius`` px to ``alpha`` ((W, H) uint8, indexed [x, y]) by maximum.

    ``a`` and ``b`` are continuous pixel coordinates (pixel i covers [i, i+1)); returns the
    rectangle that may have changed, or None when the segment is off the surface.
    """
    w, h = alpha.shape
    reach = radius + EDGE_RAMP_PX
    x0 = max(0, math.floor(min(a[0], b[0]) - reach))
    x1 = min(w, math.ceil(max(a[0], b[0]) + reach) + 1)
    y0 = max(0, math.floor(min(a[1], b[1]) - reach))
    y1 = min(h, math.ceil(max(a[1], b[1]) + reach) + 1)
    if x0 >= x1 or y0 >= y1:
        return None
    px = np.arange(x0, x1, dtype=np.float32)[:, None] + np.float32(0.5 - a[0])  # (X, 1) offsets from a
    py = np.arange(y0, y1, dtype=np.float32)[None, :] + np.float32(0.5 - a[1])  # (1, Y)
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 > 1e-12:
        t = np.clip((px * dx + py * dy) * np.float32(1.0 / length2), 0.0, 1.0)  # (X, Y) nearest point
        ex, ey = px - t * np.float32(dx), py - t * np.float32(dy)
    else:
        ex, ey = np.broadcast_arrays(px, py)
    distance = np.sqrt(ex * ex + ey * ey)  # (X, Y) px
    coverage = np.clip((radius + EDGE_RAMP_PX / 2 - distance) * np.float32(255.0 / EDGE_RAMP_PX), 0.0, 255.0)
    region = alpha[x0:x1, y0:y1]
    np.maximum(region, (coverage + 0.5).astype(np.uint8), out=region)
    return pygame.Rect(x0, y0, x1 - x0, y1 - y0)


class InkCanvas:
    """The drawing area's pixels: paper (with the optional grid) and the ink, composited once per change."""

    def __init__(self) -> None:
        self.surface = pygame.Surface((1, 1))
        self._ink = pygame.Surface((1, 1), pygame.SRCALPHA)
        self._paper = pygame.Surface((1, 1))
        self._key: tuple[object, ...] | None = None
        self._view: CanvasView | None = None
        self._radius = 1.0
        self._needs_full = True
        self._strokes_seen: object = None
        self._stroke_count = 0
        self._last_len = 0
        self.full_renders = 0  # for tests and benchmarks

    def configure(self, view: CanvasView, pen_radius_px: float, show_grid: bool) -> None:
        """Size the layers for ``view``; a change of size, scale or grid redraws everything."""
        key = (view, round(pen_radius_px, 3), show_grid)
        if key == self._key:
            return
        size = (max(1, view.area[2]), max(1, view.area[3]))
        if self.surface.get_size() != size:
            self.surface = pygame.Surface(size)
            self._ink = pygame.Surface(size, pygame.SRCALPHA)
            self._paper = pygame.Surface(size)
        self._key, self._view, self._radius = key, view, pen_radius_px
        self._paper.fill(theme.BACKGROUND)  # around a drawing of another shape than the area
        self._paper.fill(theme.PAPER, view.canvas_rect().move(-view.area[0], -view.area[1]))
        if show_grid:
            draw_grid(self._paper, view)
        self.invalidate()

    def invalidate(self) -> None:
        """Redraw all the ink at the next ``sync`` (after undo, erase, clear or a new drawing)."""
        self._needs_full = True

    def sync(self, drawing: Drawing) -> None:
        """Bring the pixels up to date with ``drawing``: only new segments when strokes merely grew."""
        strokes = drawing.strokes
        grew_only = (
            not self._needs_full
            and strokes is self._strokes_seen
            and len(strokes) >= self._stroke_count
            and (self._stroke_count == 0 or len(strokes[self._stroke_count - 1]) >= self._last_len)
        )
        if grew_only:
            if len(strokes) != self._stroke_count or (strokes and len(strokes[-1]) != self._last_len):
                self._draw_new(strokes)
        else:
            self._draw_all(strokes)
        self._strokes_seen = strokes
        self._stroke_count = len(strokes)
        self._last_len = len(strokes[-1]) if strokes else 0

    def _local(self) -> tuple[float, float, float]:
        """Scale and offset from canvas units to this surface's continuous pixel coordinates."""
        assert self._view is not None
        ox, oy = self._view.origin
        return self._view.scale, ox - self._view.area[0], oy - self._view.area[1]

    def _draw_new(self, strokes: list[list[Point]]) -> None:
        s, ox, oy = self._local()
        dirty: list[pygame.Rect] = []
        alpha = pygame.surfarray.pixels_alpha(self._ink)
        try:
            for i in range(max(0, self._stroke_count - 1), len(strokes)):
                stroke = strokes[i]
                start = max(0, self._last_len - 1) if i == self._stroke_count - 1 else 0
                points = [(ox + x * s, oy + y * s) for x, y in stroke[start:]]
                if len(points) == 1 and start == 0:
                    points.append(points[0])
                for a, b in itertools.pairwise(points):
                    rect = stamp_segment(alpha, a, b, self._radius)
                    if rect is not None:
                        dirty.append(rect)
        finally:
            del alpha
        if dirty:
            self._composite(dirty[0].unionall(dirty[1:]))

    def _draw_all(self, strokes: list[list[Point]]) -> None:
        self._needs_full = False
        self.full_renders += 1
        self._ink.fill((*theme.INK, 0))
        s, ox, oy = self._local()
        if sum(len(stroke) for stroke in strokes) <= EXACT_RENDER_LIMIT:
            alpha = pygame.surfarray.pixels_alpha(self._ink)
            try:
                for stroke in strokes:
                    points = [(ox + x * s, oy + y * s) for x, y in stroke]
                    if len(points) == 1:
                        points.append(points[0])
                    for a, b in itertools.pairwise(points):
                        stamp_segment(alpha, a, b, self._radius)
            finally:
                del alpha
        else:  # a pathological scribble: C-speed primitives, slightly rougher edges
            width = max(1, round(2 * self._radius))
            for stroke in strokes:
                points = [(ox + x * s, oy + y * s) for x, y in stroke]
                if len(points) > 1:
                    pygame.draw.lines(self._ink, (*theme.INK, 255), False, points, width)
                for p in points:
                    pygame.draw.circle(self._ink, (*theme.INK, 255), p, self._radius)
        self._composite(self.surface.get_rect())

    def _composite(self, rect: pygame.Rect) -> None:
        self.surface.blit(self._paper, rect, rect)
        self.surface.blit(self._ink, rect, rect)

    def clean_copy(self) -> pygame.Surface:
        """The drawing without the grid: ink on plain paper, for the saved PNG."""
        out = pygame.Surface(self.surface.get_size())
        out.fill(theme.PAPER)
        out.blit(self._ink, (0, 0))
        return out


def draw_grid(surface: pygame.Surface, view: CanvasView) -> None:
    """A quiet grid of square cells (GRID_CELLS down), a stronger centre cross, and corner marks of a
    digit's box: MNIST's 20-of-28 share of the height, as a centred square."""
    rect = view.canvas_rect().move(-view.area[0], -view.area[1])
    cell = rect.height / theme.GRID_CELLS
    columns = max(1, round(rect.width / cell))
    for i in range(1, columns):
        colour = theme.GRID_STRONG if 2 * i == columns else theme.GRID
        x = rect.left + round(rect.width * i / columns)
        pygame.draw.line(surface, colour, (x, rect.top), (x, rect.bottom - 1))
    for i in range(1, theme.GRID_CELLS):
        colour = theme.GRID_STRONG if 2 * i == theme.GRID_CELLS else theme.GRID
        y = rect.top + round(rect.height * i / theme.GRID_CELLS)
        pygame.draw.line(surface, colour, (rect.left, y), (rect.right - 1, y))
    box_side = round(rect.height * theme.DIGIT_BOX_FRACTION)
    box = pygame.Rect(0, 0, box_side, box_side)
    box.center = rect.center
    arm = max(4, box.width // 10)
    thickness = max(1, rect.height // 300)
    for corner, (sx, sy) in (
        (box.topleft, (1, 1)),
        (box.topright, (-1, 1)),
        (box.bottomleft, (1, -1)),
        (box.bottomright, (-1, -1)),
    ):
        cx, cy = corner[0] - (1 if sx < 0 else 0), corner[1] - (1 if sy < 0 else 0)
        pygame.draw.line(surface, theme.GUIDE, (cx, cy), (cx + sx * arm, cy), thickness)
        pygame.draw.line(surface, theme.GUIDE, (cx, cy), (cx, cy + sy * arm), thickness)
