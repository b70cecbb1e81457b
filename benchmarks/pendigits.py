"""Synthetic pen-drawn digits, written independently of MNIST and of the training generator.

A proxy for the hidden set of real people's pen digits: each digit has a few hand-written
templates (control points in a unit box, y down, one list per stroke) in the styles people
actually use -- including continental 1s with a long flag, crossed 7s and loosely closed 9s --
smoothed into curves, wobbled, slanted, sized and placed anywhere on a canvas, and sampled
like a mouse or pen (uneven point spacing).  Nothing here is derived from MNIST or from
``training/strokestyle.py``, so it is an honest check of generalisation, if a small one.
"""

from __future__ import annotations

import numpy as np

CANVAS = 560.0

# (name, strokes); each stroke a list of (x, y) control points in [0, 1]^2.
TEMPLATES: dict[int, list[tuple[str, list[list[tuple[float, float]]]]]] = {
    0: [
        (
            "oval",
            [
                [
                    (0.55, 0.02),
                    (0.2, 0.15),
                    (0.05, 0.5),
                    (0.2, 0.9),
                    (0.55, 1.0),
                    (0.85, 0.75),
                    (0.92, 0.35),
                    (0.75, 0.05),
                    (0.5, 0.03),
                ]
            ],
        ),
        (
            "round",
            [[(0.5, 0.0), (0.1, 0.2), (0.05, 0.6), (0.35, 0.98), (0.75, 0.9), (0.95, 0.5), (0.8, 0.1), (0.45, 0.05)]],
        ),
    ],
    1: [
        ("stick", [[(0.5, 0.0), (0.48, 1.0)]]),
        ("flag", [[(0.2, 0.3), (0.6, 0.0), (0.58, 1.0)]]),
        ("long flag", [[(0.1, 0.45), (0.62, 0.0), (0.6, 1.0)]]),
        ("flag and foot", [[(0.25, 0.25), (0.55, 0.0), (0.55, 1.0)], [(0.25, 1.0), (0.85, 1.0)]]),
    ],
    2: [
        (
            "swan",
            [[(0.1, 0.25), (0.35, 0.0), (0.75, 0.05), (0.85, 0.3), (0.6, 0.6), (0.1, 1.0), (0.5, 0.97), (0.95, 0.98)]],
        ),
        (
            "loop base",
            [
                [
                    (0.15, 0.2),
                    (0.5, 0.0),
                    (0.85, 0.2),
                    (0.7, 0.5),
                    (0.2, 0.95),
                    (0.1, 0.85),
                    (0.3, 0.8),
                    (0.45, 1.0),
                    (0.95, 0.95),
                ]
            ],
        ),
    ],
    3: [
        (
            "round",
            [
                [
                    (0.1, 0.15),
                    (0.5, 0.0),
                    (0.85, 0.2),
                    (0.7, 0.42),
                    (0.4, 0.5),
                    (0.75, 0.58),
                    (0.9, 0.8),
                    (0.55, 1.0),
                    (0.1, 0.88),
                ]
            ],
        ),
        ("flat top", [[(0.1, 0.0), (0.85, 0.0), (0.4, 0.42), (0.8, 0.55), (0.9, 0.8), (0.5, 1.0), (0.1, 0.85)]]),
    ],
    4: [
        ("closed", [[(0.65, 0.0), (0.05, 0.65), (0.95, 0.65)], [(0.68, 0.25), (0.66, 1.0)]]),
        ("open", [[(0.15, 0.0), (0.12, 0.55), (0.9, 0.55)], [(0.7, 0.05), (0.7, 1.0)]]),
    ],
    5: [
        (
            "one stroke",
            [[(0.8, 0.0), (0.3, 0.0), (0.22, 0.45), (0.6, 0.4), (0.88, 0.65), (0.7, 0.95), (0.35, 1.0), (0.1, 0.88)]],
        ),
        (
            "bar last",
            [[(0.3, 0.0), (0.22, 0.45), (0.6, 0.4), (0.9, 0.68), (0.65, 0.97), (0.1, 0.9)], [(0.3, 0.02), (0.85, 0.0)]],
        ),
    ],
    6: [
        (
            "curl",
            [
                [
                    (0.75, 0.0),
                    (0.35, 0.25),
                    (0.12, 0.65),
                    (0.3, 0.98),
                    (0.7, 0.95),
                    (0.82, 0.68),
                    (0.5, 0.5),
                    (0.18, 0.7),
                ]
            ],
        ),
        ("straight back", [[(0.6, 0.0), (0.2, 0.6), (0.3, 0.95), (0.7, 0.95), (0.75, 0.65), (0.45, 0.5), (0.2, 0.65)]]),
    ],
    7: [
        ("plain", [[(0.05, 0.0), (0.95, 0.0), (0.35, 1.0)]]),
        ("crossed", [[(0.05, 0.0), (0.95, 0.0), (0.4, 1.0)], [(0.4, 0.5), (0.9, 0.48)]]),
        ("serif crossed", [[(0.05, 0.15), (0.08, 0.0), (0.95, 0.02), (0.45, 1.0)], [(0.45, 0.52), (0.95, 0.5)]]),
        ("curved", [[(0.05, 0.05), (0.9, 0.0), (0.6, 0.45), (0.45, 1.0)]]),
    ],
    8: [
        (
            "figure",
            [
                [
                    (0.8, 0.12),
                    (0.5, 0.0),
                    (0.2, 0.15),
                    (0.35, 0.4),
                    (0.75, 0.62),
                    (0.8, 0.9),
                    (0.5, 1.0),
                    (0.2, 0.88),
                    (0.3, 0.6),
                    (0.7, 0.38),
                    (0.8, 0.12),
                ]
            ],
        ),
        (
            "two loops",
            [
                [
                    (0.5, 0.45),
                    (0.2, 0.25),
                    (0.5, 0.0),
                    (0.8, 0.25),
                    (0.5, 0.45),
                    (0.15, 0.72),
                    (0.5, 1.0),
                    (0.85, 0.72),
                    (0.5, 0.45),
                ]
            ],
        ),
    ],
    9: [
        (
            "closed",
            [[(0.85, 0.2), (0.5, 0.0), (0.15, 0.2), (0.3, 0.45), (0.8, 0.35), (0.85, 0.15), (0.8, 0.5), (0.7, 1.0)]],
        ),
        (
            "loose",
            [
                [(0.8, 0.12), (0.45, 0.0), (0.12, 0.22), (0.35, 0.45), (0.75, 0.38)],
                [(0.85, 0.1), (0.8, 0.55), (0.72, 1.0)],
            ],
        ),
        (
            "straight stem",
            [[(0.75, 0.05), (0.4, 0.0), (0.15, 0.25), (0.4, 0.45), (0.78, 0.3)], [(0.8, 0.05), (0.78, 1.0)]],
        ),
    ],
}


def smooth(points: np.ndarray, per_segment: int = 12) -> np.ndarray:
    """Centripetal-free Catmull-Rom through the control points: (k, 2) -> (m, 2)."""
    if len(points) < 3:
        t = np.linspace(0, 1, per_segment * max(len(points) - 1, 1) + 1)[:, None]
        return points[0] + t * (points[-1] - points[0])
    p = np.vstack((points[0], points, points[-1]))
    out = []
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        out.append(
            0.5
            * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3)
        )
    out.append(points[-1:])
    return np.concatenate(out)


def pen_sample(curve: np.ndarray, rng: np.random.Generator, step_px: float) -> np.ndarray:
    """Resample a curve the way mouse events arrive: steps of uneven length along it."""
    seg = np.hypot(*np.diff(curve, axis=0).T)
    arc = np.concatenate(([0.0], np.cumsum(seg)))
    steps = rng.uniform(0.3, 1.7, size=int(arc[-1] / step_px) + 2) * step_px
    s = np.concatenate(([0.0], np.cumsum(steps)))
    s = np.append(s[s < arc[-1]], arc[-1])
    return np.column_stack((np.interp(s, arc, curve[:, 0]), np.interp(s, arc, curve[:, 1])))


def make_digit(label: int, rng: np.random.Generator, style: int | None = None) -> tuple[str, list[np.ndarray]]:
    """One drawing of ``label``: (style name, strokes in canvas pixels)."""
    name, template = TEMPLATES[label][rng.integers(len(TEMPLATES[label])) if style is None else style]
    slant = rng.uniform(-0.25, 0.15)
    angle = np.deg2rad(rng.uniform(-8, 8))
    c, s = np.cos(angle), np.sin(angle)
    aspect = rng.uniform(0.55, 0.8)  # width / height of the box a person writes into
    height = rng.uniform(0.25, 0.85) * CANVAS
    matrix = height * np.array([[c, -s], [s, c]]) @ np.array([[aspect, slant], [0.0, 1.0]])
    strokes = []
    for stroke in template:
        control = np.array(stroke) + rng.normal(0, 0.03, size=(len(stroke), 2))  # a person's own shape
        curve = smooth(control) @ matrix.T
        strokes.append(pen_sample(curve, rng, step_px=rng.uniform(2, 12)))
    points = np.concatenate(strokes)
    lo, hi = points.min(axis=0), points.max(axis=0)
    room = np.maximum(CANVAS - (hi - lo), 0)
    offset = rng.uniform(0, 1, size=2) * room - lo
    return name, [st + offset for st in strokes]


def dataset(n_per_class: int, seed: int) -> list[tuple[int, str, list[np.ndarray]]]:
    """``n_per_class`` drawings of each digit, styles chosen evenly: (label, style, strokes)."""
    rng = np.random.default_rng(seed)
    out = []
    for label in range(10):
        for i in range(n_per_class):
            name, strokes = make_digit(label, rng, style=i % len(TEMPLATES[label]))
            out.append((label, name, strokes))
    return out


def one_stroke(strokes: list[np.ndarray], points: int) -> np.ndarray:
    """The drawing as ONE stroke of ``points`` points evenly spaced along it, pen-ups joined: (points, 2).

    The format of pen digits recorded by tools that resample a whole digit to a fixed number of
    points (eight is common); loops become polygons and jumps become lines.
    """
    path = np.concatenate(strokes)
    arc = np.concatenate(([0.0], np.cumsum(np.hypot(*np.diff(path, axis=0).T))))
    s = np.linspace(0.0, arc[-1], points)
    return np.column_stack((np.interp(s, arc, path[:, 0]), np.interp(s, arc, path[:, 1])))


# Pairs of styles that real writers' digits drift between: (label, style index) -> (label, style index).
LOOKALIKES = [
    ((1, 2), (7, 0)),
    ((1, 1), (7, 3)),
    ((7, 1), (2, 0)),
    ((9, 2), (4, 1)),
    ((9, 0), (3, 0)),
    ((5, 1), (6, 1)),
    ((4, 0), (9, 0)),
    ((3, 1), (5, 0)),
    ((0, 0), (6, 0)),
    ((8, 1), (3, 0)),
]


def ambiguous(n_per_pair: int, seed: int, points: int = 8) -> list[tuple[int, float, np.ndarray]]:
    """Deliberately ambiguous one-stroke digits: a look-alike pair morphed part of the way, (label, t, stroke).

    Both drawings become one stroke of ``points`` points and are blended point by point with a
    weight ``t`` in [0.25, 0.75] on the second; the label is the nearer of the two digits.  A
    recogniser that calls these confident is wrong about half the time near t = 0.5, so they are
    what a "not sure" threshold is chosen on.
    """
    rng = np.random.default_rng(seed)
    out = []
    for (la, sa), (lb, sb) in LOOKALIKES:
        for _ in range(n_per_pair):
            _, a = make_digit(la, rng, style=sa)
            _, b = make_digit(lb, rng, style=sb)
            pa, pb = (one_stroke(s, points) for s in (a, b))
            pa, pb = (p - p.min(axis=0) for p in (pa, pb))
            pb = pb * (np.ptp(pa[:, 1]) / max(np.ptp(pb[:, 1]), 1e-9))  # the same height
            t = rng.uniform(0.25, 0.75)
            out.append((la if t < 0.5 else lb, t, (1 - t) * pa + t * pb + CANVAS / 4))
    return out
