"""The stroke file: the app's save format and the ``predict`` and ``teach`` input, read as untrusted.

    {"format": "digitgame-strokes", "version": 1, "width": 560, "height": 560,
     "strokes": [[[x, y], [x, y], ...], ...]}

Coordinates are canvas pixels, origin top-left, y down, floats allowed; ``width``/``height``
give the canvas they were drawn on.  Anything else is rejected with a ``StrokeFileError`` that
names the file and the problem.  ``Point``, ``Stroke`` and ``Strokes`` are the one vocabulary
for strokes everywhere (an immutable snapshot, safe to hand to another thread).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from digitgame.files.atomic import write_bytes_atomically
from digitgame.files.userfile import UnreadableFile, display_name, read_regular

FORMAT = "digitgame-strokes"
VERSION = 1
# Limits, so that a file of a few megabytes cannot cost gigabytes.  MAX_FILE_BYTES leaves room for the
# largest drawing MAX_POINTS and MAX_STROKES allow, even written as indented JSON with full-precision
# coordinates on the canvas; JSON parsing of the worst file under it (MAX_FILE_BYTES of "[]," would be
# MAX_FILE_BYTES / 3 lists) is cut off by counting brackets first.
MAX_FILE_BYTES = 16 * 1024 * 1024  # a stroke file bigger than this is not a drawing
MAX_POINTS = 200_000  # tens of thousands are fine; millions are not a drawing
MAX_STROKES = 50_000  # an eraser can split a scribble into hundreds of pieces; not into millions
MAX_CANVAS_PX = 100_000.0  # width/height beyond this are nonsense
MAX_COORDINATE = 1e7  # points may leave the canvas a little, not by astronomical amounts

Point = tuple[float, float]  # (x, y) canvas px, x right, y down
Stroke = tuple[Point, ...]  # the points of one pen-down-to-pen-up movement
Strokes = tuple[Stroke, ...]  # a drawing's strokes, oldest first


class StrokeFileError(ValueError):
    """A stroke file that cannot be read; ``str()`` is one line naming the file and the problem."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{display_name(path)}: {problem}")
        self.path = str(path)
        self.problem = problem


@dataclass(frozen=True)
class StrokeFile:
    """What a stroke file holds: strokes drawn on a canvas of ``width`` x ``height`` pixels."""

    width: float
    height: float
    strokes: Strokes

    @property
    def is_empty(self) -> bool:
        """True when there is no ink at all."""
        return not any(self.strokes)

    @property
    def point_count(self) -> int:
        return sum(len(s) for s in self.strokes)

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


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


Fail = Callable[[str], StrokeFileError]


def parse_stroke_file(obj: Any, source: str | Path = "<drawing>") -> StrokeFile:
    """Validate a decoded stroke file; raise StrokeFileError naming ``source`` and the problem."""

    def fail(problem: str) -> StrokeFileError:
        return StrokeFileError(source, problem)

    width, height = _canvas_size(obj, fail)
    strokes = obj.get("strokes")
    if not isinstance(strokes, list):
        raise fail('"strokes" must be a list of strokes')
    if len(strokes) > MAX_STROKES:
        raise fail(f"too many strokes (more than {MAX_STROKES})")
    return StrokeFile(width, height, _parse_strokes(strokes, fail))


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


def _parse_strokes(strokes: list[Any], fail: Fail) -> Strokes:
    """Every stroke a list of points, at most MAX_POINTS in all; empty strokes dropped."""
    total = 0
    parsed: list[Stroke] = []
    for i, stroke in enumerate(strokes):
        if not isinstance(stroke, list):
            raise fail(f"stroke {i} must be a list of [x, y] points")
        total += len(stroke)
        if total > MAX_POINTS:
            raise fail(f"too many points (more than {MAX_POINTS})")
        points = [_parse_point(p, i, j, fail) for j, p in enumerate(stroke)]
        if points:
            parsed.append(tuple(points))
    return tuple(parsed)


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


def load_stroke_file(path: str | Path) -> StrokeFile:
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
    return parse_stroke_file(obj, path)
