"""Handwriting styles the model misreads: synthetic "writers" for the teaching benchmark.

Written by this project's personal-model engineer, not by real writers.  Each style is a way of
drawing one digit, as control points in a unit box (y down), from two sources:

* the failures that issue 10 describes on real writers' pen digits (a 1 whose long flag rises
  straight from the lower left, a crossed 7 written without lifting the pen, a small angular 9
  drawn counter-clockwise), written here from those words, not from any data;
* further styles in the spirit of the pen proxy (``pendigits.py``): a slashed 0, a Z-shaped 2
  with or without a bar, a 4 drawn in one stroke from its foot, an S-like 5, a snowman 8 ...;
  writers use the pen proxy's own templates for their other digits.

A drawing then varies as the pen proxy's drawings do (the same code: each control point moves
by about 3 % of the digit's height, slant, rotation, size, place on the canvas, uneven pen
sampling); ``sparse`` styles keep only 8 points per stroke joined by straight lines, like a fast
flick of the mouse or a low-rate tablet.  A "writer" is a fixed choice of style per digit
(``WRITERS``); ``benchmarks/teach.py`` adds one more, built with the stroke-style generator.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pendigits

Control = list[list[tuple[float, float]]]  # strokes of (x, y) control points in [0, 1]^2, y down


@dataclass(frozen=True)
class Style:
    """One way of drawing one digit."""

    digit: int
    name: str
    strokes: Control
    is_smooth: bool = True  # Catmull-Rom through the points; False: straight lines between them
    is_sparse: bool = False  # resample each stroke to SPARSE_POINTS points joined by straight lines


SPARSE_POINTS = 8


def _styles(*styles: Style) -> dict[str, Style]:
    return {f"{st.digit} {st.name}": st for st in styles}


def _sparse(style: Style) -> Style:
    return Style(style.digit, f"{style.name}, sparse", style.strokes, style.is_smooth, is_sparse=True)


STYLES = _styles(
    Style(
        0,
        "slashed",
        [
            [(0.5, 0.0), (0.12, 0.2), (0.05, 0.6), (0.35, 0.98), (0.75, 0.9), (0.95, 0.5), (0.8, 0.1), (0.5, 0.0)],
            [(0.9, 0.05), (0.1, 0.95)],
        ],
    ),
    Style(
        0,
        "narrow tilted",
        [[(0.7, 0.0), (0.3, 0.2), (0.15, 0.7), (0.35, 1.0), (0.7, 0.8), (0.85, 0.3), (0.7, 0.0), (0.5, 0.08)]],
    ),
    Style(1, "flat flag", [[(0.0, 0.3), (0.8, 0.0), (0.78, 1.0)]], is_smooth=False),  # issue 10's 1 -> 7
    Style(1, "flag and cap", [[(0.1, 0.3), (0.55, 0.0), (0.55, 1.0)], [(0.3, 0.0), (0.8, 0.0)]], is_smooth=False),
    Style(2, "Z", [[(0.1, 0.05), (0.9, 0.05), (0.1, 1.0), (0.95, 1.0)]], is_smooth=False),
    Style(
        2,
        "crossed Z",
        [[(0.1, 0.05), (0.9, 0.05), (0.1, 1.0), (0.95, 1.0)], [(0.25, 0.52), (0.8, 0.48)]],
        is_smooth=False,
    ),
    Style(
        3,
        "Z top",
        [[(0.1, 0.0), (0.85, 0.0), (0.35, 0.4), (0.8, 0.55), (0.9, 0.8), (0.5, 1.0), (0.1, 0.85)]],
        is_smooth=False,
    ),
    Style(3, "flat top", [[(0.1, 0.0), (0.85, 0.0), (0.4, 0.42), (0.8, 0.55), (0.9, 0.8), (0.5, 1.0), (0.1, 0.85)]]),
    Style(4, "one stroke from the foot", [[(0.65, 1.0), (0.65, 0.0), (0.05, 0.65), (0.95, 0.65)]], is_smooth=False),
    Style(5, "S-like", [[(0.85, 0.05), (0.3, 0.0), (0.15, 0.3), (0.5, 0.45), (0.85, 0.7), (0.6, 1.0), (0.1, 0.9)]]),
    Style(
        5,
        "hat first",
        [[(0.2, 0.0), (0.9, 0.0)], [(0.25, 0.0), (0.18, 0.4), (0.75, 0.45), (0.85, 0.8), (0.4, 1.0), (0.05, 0.85)]],
        is_smooth=False,
    ),
    Style(
        6, "angular", [[(0.7, 0.0), (0.2, 0.6), (0.25, 1.0), (0.8, 0.95), (0.75, 0.55), (0.25, 0.6)]], is_smooth=False
    ),
    Style(6, "small loop", [[(0.8, 0.0), (0.3, 0.3), (0.2, 0.8), (0.4, 1.0), (0.6, 0.85), (0.45, 0.68), (0.22, 0.8)]]),
    # issue 10's 7 -> 2: crossed without lifting the pen, so the stem's end joins the bar in a small loop
    Style(
        7,
        "crossed in one stroke",
        [[(0.05, 0.02), (0.95, 0.0), (0.5, 1.0), (0.38, 0.93), (0.28, 0.55), (0.88, 0.52)]],
        is_smooth=False,
    ),
    Style(7, "hooked", [[(0.0, 0.25), (0.05, 0.0), (0.95, 0.05), (0.5, 0.6), (0.45, 1.0)]]),
    Style(
        8,
        "snowman",
        [
            [(0.5, 0.0), (0.3, 0.12), (0.35, 0.38), (0.5, 0.42), (0.68, 0.3), (0.65, 0.08), (0.5, 0.0)],
            [(0.5, 0.44), (0.15, 0.6), (0.2, 0.95), (0.55, 1.0), (0.85, 0.8), (0.75, 0.5), (0.5, 0.44)],
        ],
    ),
    Style(
        8,
        "open top",
        [[(0.85, 0.0), (0.4, 0.1), (0.5, 0.45), (0.85, 0.75), (0.5, 1.0), (0.15, 0.75), (0.5, 0.45), (0.15, 0.05)]],
    ),
    Style(8, "angular", [[(0.8, 0.05), (0.2, 0.05), (0.8, 0.95), (0.2, 0.95), (0.8, 0.05)]], is_smooth=False),
    # issue 10's 9 -> 3 or 5: a small angular loop drawn counter-clockwise from the top right, then the stem
    Style(
        9,
        "tiny loop",
        [[(0.9, 0.02), (0.55, 0.0), (0.45, 0.15), (0.85, 0.18), (0.9, 0.03), (0.88, 0.5), (0.8, 1.0)]],
        is_smooth=False,
    ),
    Style(
        9,
        "small angular loop",
        [[(0.9, 0.02), (0.35, 0.0), (0.18, 0.28), (0.82, 0.32), (0.9, 0.08), (0.85, 0.5), (0.78, 1.0)]],
        is_smooth=False,
    ),
    Style(
        9,
        "hooked tail",
        [
            [
                (0.85, 0.2),
                (0.5, 0.0),
                (0.15, 0.2),
                (0.3, 0.45),
                (0.8, 0.35),
                (0.85, 0.15),
                (0.8, 0.7),
                (0.6, 1.0),
                (0.25, 0.9),
            ]
        ],
    ),
)
PROXY = _styles(
    *(Style(d, name, strokes) for d, templates in pendigits.TEMPLATES.items() for name, strokes in templates)
)


def _writer(*names: str, sparse: bool = False) -> list[Style]:
    chosen = [STYLES.get(n) or PROXY[n] for n in names]
    return [_sparse(st) for st in chosen] if sparse else chosen


# A writer: one style per digit 0..9, each drawing of it varied as the pen proxy varies its own.
WRITERS = {
    "A (continental pen)": _writer(
        "0 slashed",
        "1 flat flag",
        "2 crossed Z",
        "3 Z top",
        "4 one stroke from the foot",
        "5 hat first",
        "6 angular",
        "7 crossed in one stroke",
        "8 snowman",
        "9 tiny loop",
    ),
    "B (fast mouse: 8 points a stroke)": _writer(
        "0 narrow tilted",
        "1 flat flag",
        "2 Z",
        "3 flat top",
        "4 one stroke from the foot",
        "5 S-like",
        "6 angular",
        "7 crossed in one stroke",
        "8 angular",
        "9 small angular loop",
        sparse=True,
    ),
    "C (flag and cap)": _writer(
        "0 oval",
        "1 flag and cap",
        "2 swan",
        "3 round",
        "4 closed",
        "5 S-like",
        "6 small loop",
        "7 hooked",
        "8 open top",
        "9 hooked tail",
    ),
}


def polyline(points: np.ndarray, per_segment: int = 12) -> np.ndarray:
    """Straight lines through the points, densely sampled: (k, 2) -> (m, 2)."""
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    pieces = [a + t * (b - a) for a, b in itertools.pairwise(points)]
    return np.concatenate([*pieces, points[-1:]])


def sparse(curve: np.ndarray, n: int = SPARSE_POINTS) -> np.ndarray:
    """n points evenly spaced along the curve (the rest is straight lines between them)."""
    arc = np.concatenate(([0.0], np.cumsum(np.hypot(*np.diff(curve, axis=0).T))))
    s = np.linspace(0, arc[-1], n)
    return np.column_stack((np.interp(s, arc, curve[:, 0]), np.interp(s, arc, curve[:, 1])))


def draw(style: Style, rng: np.random.Generator) -> list[np.ndarray]:
    """One drawing in ``style``: strokes in canvas pixels, varied as ``pendigits.make_digit`` varies its own."""
    slant = rng.uniform(-0.25, 0.15)
    angle = np.deg2rad(rng.uniform(-8, 8))
    c, s = np.cos(angle), np.sin(angle)
    aspect = rng.uniform(0.55, 0.8)
    height = rng.uniform(0.25, 0.85) * pendigits.CANVAS
    matrix = height * np.array([[c, -s], [s, c]]) @ np.array([[aspect, slant], [0.0, 1.0]])
    strokes = []
    for stroke in style.strokes:
        control = np.array(stroke) + rng.normal(0, 0.03, size=(len(stroke), 2))
        curve = (pendigits.smooth(control) if style.is_smooth else polyline(control)) @ matrix.T
        if style.is_sparse:
            strokes.append(sparse(curve))
        else:
            strokes.append(pendigits.pen_sample(curve, rng, step_px=rng.uniform(2, 12)))
    points = np.concatenate(strokes)
    lo, hi = points.min(axis=0), points.max(axis=0)
    offset = rng.uniform(0, 1, size=2) * np.maximum(pendigits.CANVAS - (hi - lo), 0) - lo
    return [st + offset for st in strokes]


def drawings(style: Style, n: int, seed: int) -> list[list[list[list[float]]]]:
    """``n`` drawings in ``style`` as stroke-file strokes."""
    rng = np.random.default_rng(seed)
    return [[st.tolist() for st in draw(style, rng)] for _ in range(n)]
