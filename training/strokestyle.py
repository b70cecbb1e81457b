"""MNIST digits as pen strokes, and the handwriting styles MNIST lacks.

A digit image is thinned to its skeleton (scikit-image, from the ``train`` extra) and the
skeleton becomes a drawing of short straight segments: re-rendered through
``preprocess.segments_to_input`` it looks exactly like something drawn in the app, so the
network trains on the kind of input it will see.  The style functions then add what
MNIST's (mostly American) writers rarely did: 1s with a long flag and a foot, 7s with a
crossbar or a serif, and 9s whose loop is not quite closed.

All coordinates are (x, y) in 28x28 pixel units, y down.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from digitgame.recognition.preprocess import Segments

_NEIGHBOURS = ((0, 1), (1, 0), (1, 1), (1, -1))  # (dy, dx) half of the 8-neighbourhood
UPSAMPLE = 2  # thin at twice the resolution for smoother skeletons
INK_THRESHOLD = 0.45


def skeleton_pixels(image: np.ndarray) -> np.ndarray:
    """(28, 28) ink in [0, 1] -> its one-pixel-wide skeleton at UPSAMPLE times the resolution: (56, 56) bool."""
    from skimage.morphology import skeletonize

    up = ndimage.zoom(np.asarray(image, dtype=np.float32), UPSAMPLE, order=1)  # (56, 56)
    return np.asarray(skeletonize(up > INK_THRESHOLD))  # type: ignore[no-untyped-call]


def skeleton_segments(image: np.ndarray) -> Segments:
    """(28, 28) ink in [0, 1] -> its skeleton as segments between 8-connected skeleton pixels."""
    return segments_of(skeleton_pixels(image))


def segments_of(skeleton: np.ndarray) -> Segments:
    """A (56, 56) skeleton -> segments between its 8-connected pixels, in 28x28 units."""
    h, w = skeleton.shape
    padded = np.pad(skeleton, 1)
    starts, deltas = [], []
    for dy, dx in _NEIGHBOURS:
        neighbour = padded[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w]  # neighbour[y, x] = skeleton[y+dy, x+dx]
        ys_idx, xs_idx = np.nonzero(skeleton & neighbour)
        starts.append(np.column_stack((xs_idx, ys_idx)))
        deltas.append(np.tile((dx, dy), (len(ys_idx), 1)))
    start = np.concatenate(starts).astype(np.float64) / UPSAMPLE
    delta = np.concatenate(deltas).astype(np.float64) / UPSAMPLE
    if len(start):
        return Segments(start, delta, np.zeros((0, 2)))
    ys_idx, xs_idx = np.nonzero(skeleton)
    return Segments(start, delta, np.column_stack((xs_idx, ys_idx)).astype(np.float64) / UPSAMPLE)


def _bounds(seg: Segments) -> tuple[np.ndarray, np.ndarray]:
    points = seg.points()
    return points.min(axis=0), points.max(axis=0)


def _with_segments(seg: Segments, starts: np.ndarray, deltas: np.ndarray) -> Segments:
    return Segments(np.concatenate((seg.starts, starts)), np.concatenate((seg.deltas, deltas)), seg.dots)


def affine(seg: Segments, rng: np.random.Generator, rotate_deg: float, shear: float, stretch: float) -> Segments:
    """Random rotation, shear and aspect change about the drawing's centre."""
    angle = np.deg2rad(rng.uniform(-rotate_deg, rotate_deg))
    c, s = np.cos(angle), np.sin(angle)
    aspect = np.exp(rng.uniform(-stretch, stretch))
    matrix = np.array([[c, -s], [s, c]]) @ np.array([[1.0, rng.uniform(-shear, shear)], [0.0, 1.0]])
    matrix = matrix @ np.diag((aspect, 1.0 / aspect))
    centre = seg.centroid()
    return Segments(
        (seg.starts - centre) @ matrix.T + centre, seg.deltas @ matrix.T, (seg.dots - centre) @ matrix.T + centre
    )


def warp(seg: Segments, rng: np.random.Generator, amplitude: float) -> Segments:
    """A smooth random displacement field (one sine wave per axis), like a wobbly hand."""
    k = rng.uniform(0.1, 0.35, size=2)
    phase = rng.uniform(0, 2 * np.pi, size=2)
    amp = rng.uniform(-amplitude, amplitude, size=2)

    def move(p: np.ndarray) -> np.ndarray:
        return p + np.column_stack(
            (amp[0] * np.sin(k[0] * p[:, 1] + phase[0]), amp[1] * np.sin(k[1] * p[:, 0] + phase[1]))
        )

    starts = move(seg.starts)
    return Segments(starts, move(seg.starts + seg.deltas) - starts, move(seg.dots))


def add_flag(seg: Segments, rng: np.random.Generator) -> Segments:
    """A European 1: a long flag from the top of the stem down to the left."""
    lo, hi = _bounds(seg)
    height = hi[1] - lo[1]
    points = seg.points()
    top = points[np.argmin(points[:, 1])]
    length = height * rng.uniform(0.25, 0.5)
    angle = np.deg2rad(rng.uniform(28, 65))  # below the horizontal; flatter reads as a 7
    delta = np.array([[-np.cos(angle), np.sin(angle)]]) * length
    return _with_segments(seg, (top + delta)[None, 0], -delta)


def add_foot(seg: Segments, rng: np.random.Generator) -> Segments:
    """A horizontal foot under a 1."""
    lo, hi = _bounds(seg)
    points = seg.points()
    bottom = points[np.argmax(points[:, 1])]
    length = (hi[1] - lo[1]) * rng.uniform(0.3, 0.6)
    start = bottom + np.array([-length / 2 + rng.uniform(-0.1, 0.1) * length, 0.0])
    return _with_segments(seg, start[None], np.array([[length, rng.uniform(-0.05, 0.05) * length]]))


def add_crossbar(seg: Segments, rng: np.random.Generator) -> Segments:
    """A continental 7: a short bar across the middle of the stem."""
    lo, hi = _bounds(seg)
    height = hi[1] - lo[1]
    y = lo[1] + height * rng.uniform(0.42, 0.62)
    points = seg.points()
    near = points[np.abs(points[:, 1] - y) < 1.0]
    stem_x = float(np.median(near[:, 0])) if len(near) else (lo[0] + hi[0]) / 2
    length = height * rng.uniform(0.28, 0.5)
    slope = rng.uniform(-0.12, 0.12)
    centre_x = stem_x + rng.uniform(-0.15, 0.15) * length
    start = np.array([[centre_x - length / 2, y - slope * length / 2]])
    return _with_segments(seg, start, np.array([[length, slope * length]]))


def add_serif(seg: Segments, rng: np.random.Generator) -> Segments:
    """A short downward tick at the left end of a 7's top bar."""
    lo, hi = _bounds(seg)
    points = seg.points()
    upper = points[points[:, 1] < lo[1] + 0.25 * (hi[1] - lo[1])]
    corner = upper[np.argmin(upper[:, 0])]
    length = (hi[1] - lo[1]) * rng.uniform(0.1, 0.22)
    return _with_segments(seg, corner[None], np.array([[rng.uniform(-0.2, 0.1) * length, length]]))


def open_loop(seg: Segments, rng: np.random.Generator) -> Segments:
    """A loosely closed 9: cut a gap into the loop, mostly on its left side."""
    lo, hi = _bounds(seg)
    mids = seg.starts + seg.deltas / 2
    upper = mids[:, 1] < lo[1] + 0.55 * (hi[1] - lo[1])
    if upper.sum() < 4:
        return seg
    centre = mids[upper].mean(axis=0)
    angle = np.degrees(np.arctan2(mids[:, 1] - centre[1], mids[:, 0] - centre[0]))
    gap_centre = rng.uniform(140, 220) if rng.random() < 0.7 else rng.uniform(-40, 20)
    gap_width = rng.uniform(30, 70)
    in_gap = np.abs((angle - gap_centre + 180) % 360 - 180) < gap_width / 2
    keep = ~(upper & in_gap)
    return Segments(seg.starts[keep], seg.deltas[keep], seg.dots)


STYLE_PROBABILITY = {  # how often each continental style is applied to a training digit of that class
    "flag": 0.55,  # on 1s
    "foot": 0.2,  # on flagged 1s
    "crossbar": 0.5,  # on 7s
    "serif": 0.15,  # on 7s
    "open_loop": 0.3,  # on 9s
}


def restyle(seg: Segments, label: int, rng: np.random.Generator) -> Segments:
    """Apply the continental styles MNIST lacks, at random, to a digit of class ``label``."""
    p = STYLE_PROBABILITY
    if label == 1 and rng.random() < p["flag"]:
        seg = add_flag(seg, rng)
        if rng.random() < p["foot"]:
            seg = add_foot(seg, rng)
    elif label == 7:
        if rng.random() < p["crossbar"]:
            seg = add_crossbar(seg, rng)
        if rng.random() < p["serif"]:
            seg = add_serif(seg, rng)
    elif label == 9 and rng.random() < p["open_loop"]:
        seg = open_loop(seg, rng)
    return seg


def augment(seg: Segments, label: int, rng: np.random.Generator, styles: bool = True) -> Segments:
    """Style (unless ``styles`` is off), shape and wobble augmentation of one stroke drawing."""
    seg = restyle(seg, label, rng) if styles else seg
    seg = affine(seg, rng, rotate_deg=15.0, shear=0.3, stretch=0.2)
    return warp(seg, rng, amplitude=0.8)
