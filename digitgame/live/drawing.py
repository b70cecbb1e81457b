"""The drawing as vectors: strokes of (x, y) canvas points, with undo, and the stroke file format.

The stroke file (the app's save format and the ``predict`` command's input)::

    {"format": "digitgame-strokes", "version": 1, "width": 560, "height": 560,
     "strokes": [[[x, y], [x, y], ...], ...]}

Coordinates are canvas pixels, origin top-left, y down; ``width``/``height`` give the
canvas they were drawn on.  Anything else is rejected with a ``StrokeFileError`` that
names the file and the problem.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from digitgame.files.atomic import write_bytes_atomically
from digitgame.files.userfile import UnreadableFile, display_name, read_regular

FORMAT = "digitgame-strokes"
VERSION = 1
# Limits, so that a file of a few megabytes cannot cost gigabytes: the largest drawing the limits
# allow, indented JSON with full-precision floats, is about 14 MB, and JSON parsing of the worst file
# under them (MAX_FILE_BYTES of "[]," would be 5.6 M lists) is cut off by counting brackets first.
MAX_FILE_BYTES = 16 * 1024 * 1024  # a stroke file bigger than this is not a drawing
MAX_POINTS = 200_000  # tens of thousands are fine; millions are not a drawing
MAX_STROKES = 50_000  # an eraser can split a scribble into hundreds of pieces; not into millions
MAX_CANVAS_PX = 100_000.0  # width/height beyond this are nonsense
MAX_COORDINATE = 1e7  # points may leave the canvas a little, not by astronomical amounts
UNDO_LIMIT = 500  # states kept for undo

Point = tuple[float, float]
Stroke = tuple[Point, ...]
Strokes = tuple[Stroke, ...]


class StrokeFileError(ValueError):
    """A stroke file that cannot be read; ``str()`` is one line naming the file and the problem."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{display_name(path)}: {problem}")
        self.path = str(path)
        self.problem = problem


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
    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "width": self.width,
            "height": self.height,
            "strokes": [[[x, y] for x, y in s] for s in self.strokes if s],
        }

    def encode(self) -> bytes:
        """The stroke file's bytes (compact UTF-8 JSON)."""
        return json.dumps(self.to_json(), separators=(",", ":")).encode("utf-8")

    def save(self, path: str | Path) -> Path:
        """Write the stroke file atomically."""
        return write_bytes_atomically(Path(path), self.encode())


def _point(p: Any) -> Point:
    return (float(p[0]), float(p[1]))


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


Fail = Callable[[str], StrokeFileError]


def parse_drawing(obj: Any, source: str | Path = "<drawing>") -> Drawing:
    """Validate a decoded stroke file; raise StrokeFileError naming ``source`` and the problem."""

    def fail(problem: str) -> StrokeFileError:
        return StrokeFileError(source, problem)

    width, height = _canvas_size(obj, fail)
    strokes = obj.get("strokes")
    if not isinstance(strokes, list):
        raise fail('"strokes" must be a list of strokes')
    if len(strokes) > MAX_STROKES:
        raise fail(f"too many strokes (more than {MAX_STROKES})")
    return Drawing(width, height, _parse_strokes(strokes, fail))


def _canvas_size(obj: Any, fail: Fail) -> tuple[float, float]:
    """The header: format and version checked, (width, height) returned."""
    if not isinstance(obj, dict):
        raise fail("not a digitgame stroke file (expected a JSON object)")
    if obj.get("format") != FORMAT:
        raise fail(f'not a digitgame stroke file ("format" must be "{FORMAT}")')
    if obj.get("version") != VERSION or isinstance(obj.get("version"), bool):
        raise fail(f"unsupported stroke file version {obj.get('version')!r} (this program reads version {VERSION})")
    size = []
    for key in ("width", "height"):
        raw = obj.get(key)
        if not _is_number(raw):
            raise fail(f'"{key}" must be a number')
        value = float(raw)
        if not 0 < value <= MAX_CANVAS_PX:
            raise fail(f'"{key}" must be between 0 and {MAX_CANVAS_PX:g} pixels, got {raw!r}')
        size.append(value)
    return size[0], size[1]


def _parse_strokes(strokes: list[Any], fail: Fail) -> list[list[Point]]:
    """Every stroke a list of points, at most MAX_POINTS in all; empty strokes dropped."""
    total = 0
    parsed: list[list[Point]] = []
    for i, stroke in enumerate(strokes):
        if not isinstance(stroke, list):
            raise fail(f"stroke {i} must be a list of [x, y] points")
        total += len(stroke)
        if total > MAX_POINTS:
            raise fail(f"too many points (more than {MAX_POINTS})")
        points = [_parse_point(p, i, j, fail) for j, p in enumerate(stroke)]
        if points:
            parsed.append(points)
    return parsed


def _parse_point(p: Any, i: int, j: int, fail: Fail) -> Point:
    """Point ``j`` of stroke ``i``: two finite numbers, not astronomically far from the canvas."""
    if not (isinstance(p, list) and len(p) == 2 and _is_number(p[0]) and _is_number(p[1])):
        raise fail(f"point {j} of stroke {i} must be [x, y] with two numbers")
    x, y = float(p[0]), float(p[1])
    if not (math.isfinite(x) and math.isfinite(y)):
        raise fail(f"point {j} of stroke {i} is not finite")
    if abs(x) > MAX_COORDINATE or abs(y) > MAX_COORDINATE:
        raise fail(f"point {j} of stroke {i} is far outside the canvas")
    return (x, y)


def _is_number(value: Any) -> TypeGuard[int | float]:
    """A JSON number that fits a float (not a bool, not NaN or infinite, not a 400-digit integer)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def load_drawing(path: str | Path) -> Drawing:
    """Read a stroke file; raise StrokeFileError (one line, naming the file) on any problem."""
    try:
        raw = read_regular(path, MAX_FILE_BYTES, "a stroke file")
    except UnreadableFile as exc:
        raise StrokeFileError(path, exc.problem) from None
    if not raw.strip():
        raise StrokeFileError(path, "the file is empty")
    # Every list and every value costs a Python object; count them before json builds them.
    if raw.count(b"[") > MAX_POINTS + MAX_STROKES + 8 or raw.count(b",") > 2 * MAX_POINTS + MAX_STROKES + 64:
        raise StrokeFileError(path, f"too many strokes or points for a drawing (the limit is {MAX_POINTS} points)")
    try:
        obj = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise StrokeFileError(path, "not a stroke file (not UTF-8 text)") from None
    except RecursionError:
        raise StrokeFileError(path, "not a stroke file (nested too deeply)") from None
    except ValueError as exc:  # JSONDecodeError or a NaN/Infinity constant
        raise StrokeFileError(path, f"not valid JSON ({exc})") from None
    return parse_drawing(obj, path)
