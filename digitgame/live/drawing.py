"""The drawing being made: strokes of (x, y) canvas points, with undo; its file is ``files/strokefile``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from digitgame.files.strokefile import MAX_POINTS, MAX_STROKES, Point, Stroke, StrokeFile, Strokes

UNDO_LIMIT = 500  # states kept for undo


@dataclass
class Drawing:
    """Strokes drawn on a canvas of ``width`` x ``height`` pixels, with undo history."""

    width: float
    height: float
    strokes: list[list[Point]] = field(default_factory=list)
    _history: list[Strokes] = field(default_factory=list, repr=False)
    _drawing: bool = field(default=False, repr=False)
    _room: int = field(default=0, repr=False)  # points the open stroke may still take (the stroke file's limit)
    # Immutable copies of the strokes, reused by every snapshot until their stroke changes, so
    # undo history and live snapshots cost one reference per stroke, not a copy of every point.
    _frozen: list[Stroke] = field(default_factory=list, repr=False)

    # --- queries ---
    @property
    def is_empty(self) -> bool:
        """True when there is no ink at all."""
        return not any(self.strokes)

    @property
    def point_count(self) -> int:
        return sum(len(s) for s in self.strokes)

    @property
    def is_full(self) -> bool:
        """True when another point would make a drawing that cannot be opened again (MAX_POINTS, MAX_STROKES)."""
        return self._room_for_a_stroke() == 0

    def _room_for_a_stroke(self) -> int:
        """Points a new stroke may take before the drawing is full: 0 when it is."""
        return 0 if len(self.strokes) >= MAX_STROKES else max(0, MAX_POINTS - self.point_count)

    @property
    def undo_depth(self) -> int:
        """How many steps undo can take back now."""
        return len(self._history)

    @property
    def is_stroke_open(self) -> bool:
        """True between ``begin_stroke`` and ``end_stroke`` (the pen is down)."""
        return self._drawing

    def snapshot(self) -> Strokes:
        """An immutable copy of the strokes, safe to hand to another thread.

        Strokes only ever grow at the end while drawn, so a frozen copy of the same length is
        still current; anything that replaces ``strokes`` resets the copies.
        """
        frozen = self._frozen
        del frozen[len(self.strokes) :]
        for i, stroke in enumerate(self.strokes):
            if i == len(frozen):
                frozen.append(tuple(stroke))
            elif len(frozen[i]) != len(stroke):
                frozen[i] = tuple(stroke)
        return tuple(s for s in frozen if s)

    def _replace(self, strokes: Strokes | list[list[Point]]) -> None:
        self.strokes = [list(s) for s in strokes]
        self._frozen = []

    # --- editing ---
    def _remember(self) -> None:
        self._history.append(self.snapshot())
        del self._history[:-UNDO_LIMIT]

    def begin_stroke(self, point: Point) -> bool:
        """Put the pen down at ``point``: a new stroke, one undo step.  False (nothing done) when full."""
        room = self._room_for_a_stroke()
        if room == 0:
            return False
        self._remember()
        self._open(point, room)
        return True

    def _open(self, point: Point, room: int) -> None:
        self._room = room - 1  # the first point takes one
        self.strokes.append([_point(point)])
        self._drawing = True

    def extend_stroke(self, point: Point) -> bool:
        """Add ``point`` to the open stroke; returns False (and does nothing) when no stroke is open,
        the point repeats the last one, or the drawing is full."""
        if not self._drawing or self._room <= 0:
            return False
        p = _point(point)
        if self.strokes[-1][-1] == p:
            return False
        self.strokes[-1].append(p)
        self._room -= 1
        return True

    def end_stroke(self) -> None:
        """Lift the pen."""
        self._drawing = False

    def continue_stroke(self, point: Point) -> None:
        """Start another stroke at ``point`` within the current undo step: the pen left the canvas
        and came back while still down, so one gesture stays one undo step."""
        room = self._room_for_a_stroke()
        if room == 0:
            return
        if not self._history:
            self._remember()
        self._open(point, room)

    def erase(self, centre: Point, radius: float, *, new_step: bool) -> bool:
        """Remove ink within ``radius`` of ``centre``, splitting strokes; returns True if any went.

        ``new_step`` starts a new undo step (the first touch of an eraser gesture).
        """
        cx, cy = _point(centre)
        r2 = radius * radius
        changed = False
        pieces: list[list[Point]] = []
        for stroke in self.strokes:
            current: list[Point] = []
            for x, y in stroke:
                if (x - cx) ** 2 + (y - cy) ** 2 <= r2:
                    changed = True
                    if current:
                        pieces.append(current)
                    current = []
                else:
                    current.append((x, y))
            if current:
                pieces.append(current)
        if changed:
            if new_step:
                self._remember()
            self._replace(pieces)
        return changed

    def reshape(self, width: float, height: float) -> None:
        """Take a canvas of another size while empty (the window changed shape); strokes kept for undo are
        scaled to fit it."""
        scale = min(width / self.width, height / self.height)
        self._history = [tuple(tuple((x * scale, y * scale) for x, y in s) for s in state) for state in self._history]
        self.width, self.height = float(width), float(height)

    def undo(self) -> bool:
        """Return to the state before the last stroke, erase or clear; False if there is none."""
        if not self._history:
            return False
        self._replace(self._history.pop())
        self._drawing = False
        return True

    def clear(self) -> bool:
        """Remove every stroke (undoable); False when it was already empty."""
        self._drawing = False
        if self.is_empty:
            return False
        self._remember()
        self._replace([])
        return True

    # --- the stroke file ---
    @classmethod
    def from_file(cls, stroke_file: StrokeFile) -> Drawing:
        """A drawing to go on with, from what a stroke file holds."""
        return cls(stroke_file.width, stroke_file.height, [list(s) for s in stroke_file.strokes])

    def to_file(self) -> StrokeFile:
        """The drawing as a stroke file holds it (an immutable snapshot: save it, read it)."""
        return StrokeFile(self.width, self.height, self.snapshot())


def _point(p: Any) -> Point:
    return (float(p[0]), float(p[1]))
